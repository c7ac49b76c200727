"""The static site (`make site`): Sphinx and myst-nb render every notebook, offline."""

import shutil
import subprocess
import sys

import nbformat
import pytest
from conftest import NOTEBOOKS, ROOT

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
