"""The static site (`make site`): Sphinx and myst-nb render every notebook, offline."""

import re
import shutil
import subprocess
import sys
from html import unescape

import nbformat
import pytest
from conftest import NOTEBOOKS, ROOT

ZH_SOURCES = sorted(p for p in (ROOT / "notebooks-zh").rglob("*")
                    if p.suffix in (".ipynb", ".md") and ".ipynb_checkpoints" not in p.parts)
SWITCH = re.compile(r'<p class="language-switch" id="language-switch">(.*?)</p>', re.S)

# The same command as the Makefile's `site` target, with the output directory left open.
SPHINX = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html", "-c", "site"]
NOTE = 'id="live-kernel-note"'


def build(source, out):
    """Build the site from the repository-like tree at ``source`` into ``out``."""
    result = subprocess.run(
        [*SPHINX, ".", str(out)], cwd=source, capture_output=True, text=True, timeout=300
    )
    return result.returncode, result.stdout + result.stderr


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    code, log = build(ROOT, out)
    assert code == 0, f"the site build failed:\n{log[-4000:]}"
    return out


def page_of(notebook):
    return notebook.relative_to(ROOT).with_suffix(".html")


def test_every_notebook_has_a_page(site):
    assert NOTEBOOKS, "no notebook found under notebooks/"
    missing = [str(nb.relative_to(ROOT)) for nb in NOTEBOOKS if not (site / page_of(nb)).is_file()]
    assert missing == []


def test_the_landing_page_is_the_course_map_and_links_every_notebook(site):
    landing = (site / "site" / "index.html").read_text(encoding="utf-8")
    assert "Course map" in landing and "IDIC step" in landing
    for row in ("00-start-here", "03-differentiate", "06-clv", "07-lifecycle"):
        assert f'<span class="pre">{row}</span>' in landing
    for notebook in NOTEBOOKS:
        assert f'href="../{page_of(notebook).as_posix()}"' in landing
    # The site's top level sends the reader to the landing page.
    top = (site / "index.html").read_text(encoding="utf-8")
    assert 'http-equiv="refresh" content="0; url=site/index.html"' in top


def test_every_page_says_widgets_need_a_live_kernel(site):
    pages = [site / "site" / "index.html", *(site / page_of(nb) for nb in NOTEBOOKS)]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert NOTE in html, page
        assert "<code>make lab</code>" in html, page
    start = (site / "notebooks" / "00-start-here.html").read_text(encoding="utf-8")
    assert "This page is <code>00-start-here.ipynb</code> there." in start


def test_no_page_shows_a_failed_cell_or_a_dead_widget(site):
    for notebook in NOTEBOOKS:
        html = (site / page_of(notebook)).read_text(encoding="utf-8")
        assert 'class="output traceback' not in html, notebook
        # A widget shows its text form; no widget JavaScript is fetched from a CDN.
        assert "widget-view+json" not in html, notebook
        assert "html-manager" not in html, notebook


@pytest.fixture
def scratch(tmp_path):
    """A repository-like tree with the site's sources and one notebook of our own."""
    shutil.copytree(ROOT / "site", tmp_path / "site", ignore=shutil.ignore_patterns("_build"))
    shutil.copy(ROOT / "README.md", tmp_path / "README.md")
    (tmp_path / "notebooks").mkdir()
    return tmp_path


def write_notebook(path, *cells):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = list(cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    notebook.metadata["language_info"] = {"name": "python"}
    nbformat.write(notebook, path)


def test_a_warning_fails_the_build(scratch):
    write_notebook(
        scratch / "notebooks" / "bad.ipynb",
        nbformat.v4.new_markdown_cell("# Bad\n\nSee {ref}`no-such-label`."),
    )
    code, log = build(scratch, scratch / "out")
    assert code != 0
    assert "no-such-label" in log


def test_notebooks_are_rendered_not_executed(scratch):
    stored = nbformat.v4.new_code_cell("print('stored')")
    stored.outputs = [nbformat.v4.new_output("stream", name="stdout", text="stored output\n")]
    unrun = nbformat.v4.new_code_cell("print('ran' + ' at build time')")
    write_notebook(
        scratch / "notebooks" / "stored.ipynb", nbformat.v4.new_markdown_cell("# Stored"),
        stored, unrun,
    )
    code, log = build(scratch, scratch / "out")
    assert code == 0, log[-4000:]
    html = (scratch / "out" / "notebooks" / "stored.html").read_text(encoding="utf-8")
    assert "stored output" in html
    assert "ran at build time" not in html
    assert NOTE in html


def test_the_reading_list_has_a_page_that_every_notebook_links(site):
    readings = (site / "notebooks" / "readings.html").read_text(encoding="utf-8")
    for needle in ("Reading 1", "Reading 5", "Peppers", "Kaplan", "经验分享"):
        assert needle in readings, needle
    for notebook in NOTEBOOKS:
        html = (site / page_of(notebook)).read_text(encoding="utf-8")
        target = "readings.html" if notebook.parent.name == "notebooks" else "../readings.html"
        assert f'href="{target}"' in html, notebook


def _plain(html):
    return unescape(re.sub(r"<[^>]+>", "", html))


def _details_blocks(html):
    """The text of every collapsible block, and the page with those blocks cut out."""
    blocks, rest, start = [], [], 0
    while (begin := html.find("<details", start)) != -1:
        end = html.index("</details>", begin)
        rest.append(html[start:begin])
        blocks.append(html[begin:end])
        start = end + len("</details>")
    rest.append(html[start:])
    return blocks, "".join(rest)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_solutions_sit_behind_a_closed_toggle(site, notebook):
    cells = nbformat.read(notebook, as_version=4).cells
    solutions = [c for c in cells if "solution" in c.metadata.get("tags", [])]
    html = (site / page_of(notebook)).read_text(encoding="utf-8")
    blocks, outside = _details_blocks(html)
    assert all(" open" not in b[: b.index(">")] for b in blocks), "a toggle starts open"
    toggles = [_plain(b) for b in blocks if "show solution" in b]
    outside = _plain(outside)
    assert len(toggles) == len(solutions), notebook
    for cell in solutions:
        first_line = cell.source.splitlines()[0]  # "# Solution 1"
        assert any(first_line in b for b in toggles), first_line
        assert first_line not in outside, first_line
        for output in cell.outputs:
            text = output.get("text", "") or output.get("data", {}).get("text/plain", "")
            answer = " ".join(text.split())  # the whole printed answer
            if len(answer) > 12:
                assert answer not in " ".join(outside.split()), (notebook, answer)
                assert any(answer in " ".join(t.split()) for t in toggles), (notebook, answer)


def _pages(site, folder):
    return sorted(p for p in (site / folder).rglob("*.html"))


def test_every_translated_notebook_has_a_chinese_page(site):
    assert ZH_SOURCES, "no Chinese notebook in notebooks-zh/"
    for source in ZH_SOURCES:
        page = site / source.relative_to(ROOT).with_suffix(".html")
        assert page.is_file(), f"no page for {source.relative_to(ROOT)}"
        html = page.read_text(encoding="utf-8")
        assert re.search(r"[\u4e00-\u9fff]", _plain(html)), page
        assert 'id="live-kernel-note" lang="zh"' in html and "<code>make lab</code>" in html
    landing = (site / "site" / "index-zh.html").read_text(encoding="utf-8")
    for source in ZH_SOURCES:
        assert f'href="../{source.relative_to(ROOT).with_suffix(".html").as_posix()}"' in landing


def _switch(page):
    (switch,) = SWITCH.findall(page.read_text(encoding="utf-8"))
    links = re.findall(r'<a href="([^"]+)"[^>]*>(English|中文)</a>', switch)
    current = re.findall(r"<strong[^>]*>(English|中文)</strong>", switch)
    assert len(links) == 1 and len(current) == 1, switch
    assert "English" in switch and "中文" in switch and " | " in switch
    (href, language), = links
    target = (page.parent / href).resolve()
    assert target.is_file(), f"{page}: the switch links {href}, which is not built"
    return current[0], language, target


def test_every_page_has_a_switch_to_the_same_page_in_the_other_language(site):
    english = [site / "site" / "index.html", *_pages(site, "notebooks")]
    chinese = [site / "site" / "index-zh.html", *_pages(site, "notebooks-zh")]
    zh_pages = {p.relative_to(site / "notebooks-zh") for p in chinese[1:]}
    for page in english:
        current, other, target = _switch(page)
        assert (current, other) == ("English", "中文"), page
        if page.parent.name == "site":
            assert target == chinese[0].resolve()
        elif page.relative_to(site / "notebooks") in zh_pages:
            assert target == (site / "notebooks-zh" / page.relative_to(site / "notebooks"))
        else:  # not translated yet: the Chinese landing page
            assert target == chinese[0].resolve(), page
    for page in chinese:
        current, other, target = _switch(page)
        assert (current, other) == ("中文", "English"), page
        if page.parent.name == "site":
            assert target == english[0].resolve()
        else:
            assert target == site / "notebooks" / page.relative_to(site / "notebooks-zh")


def test_without_a_chinese_edition_there_is_no_switch(scratch):
    write_notebook(scratch / "notebooks" / "one.ipynb", nbformat.v4.new_markdown_cell("# One"))
    code, log = build(scratch, scratch / "out")
    assert code == 0, log[-4000:]
    html = (scratch / "out" / "notebooks" / "one.html").read_text(encoding="utf-8")
    assert "language-switch" not in html and NOTE in html
