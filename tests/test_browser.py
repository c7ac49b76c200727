"""The course in a real browser: JupyterLab runs every notebook and its widgets work.

Playwright drives Debian's Chromium at /usr/bin/chromium (it never downloads a browser of its
own); where that is absent the tests skip. JupyterLab is started with scripts/lab.sh, the
command `make lab` runs, with the student's copy of the course made in a scratch folder.

Every notebook runs all its cells in a fresh kernel: no traceback, no broken widget, and
every slider's track at least MIN_TRACK_PX wide, so that it can be used with a mouse. Each
entry of SLIDERS names a notebook, the slider to move and the text its output must show for
a given slider value, computed here independently of the browser; one slider is dragged with
the mouse and its value must move by about the distance dragged.
"""

import functools
import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from conftest import NOTEBOOKS, ROOT
from playwright.sync_api import Locator, Page, expect, sync_playwright

import casekit
from casekit.widgets import rfm_explorer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Milliseconds. A first JupyterLab load on two busy cores takes 20-40 s.
LOAD_TIMEOUT = 120_000
RUN_TIMEOUT = 240_000
WIDGET_TIMEOUT = 60_000
RAN = re.compile(r"^\[\d+\]:$")  # the prompt of a code cell that has run
MIN_TRACK_PX = 150  # the narrowest slider track a student can use with a mouse

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"Chromium not found at {CHROMIUM}; install it with "
        "`apt-get install chromium` (Debian/Ubuntu) to run the browser tests",
    ),
]


@dataclass(frozen=True)
class SliderCheck:
    """A slider in a notebook and what the notebook shows for each of its values."""

    notebook: str  # path under notebooks/
    label: str  # the slider's description, shown to its left
    expected: Callable[[float], str]  # the output text for a slider value
    presses: int = 3  # how often ArrowRight is pressed
    span: tuple[float, float] | None = None  # the slider's min and max, for a mouse drag


def retention_text(retention: float) -> str:
    """What 00-start-here's `customers_left` prints; the formula is the notebook's."""
    left = 1000 * retention**5
    return f"After 5 years at {retention:.0%} yearly retention: {left:.0f} of 1000 remain"


def html_text(markup: str) -> str:
    """The text of an HTML fragment with runs of whitespace made one space, as the
    browser's text of it compares under Playwright's ``to_contain_text``."""
    parser = HTMLParser()
    parts = []
    parser.handle_data = parts.append
    parser.feed(markup)
    parser.close()
    return " ".join("".join(parts).split())


@functools.cache
def rfm_table_text(bins: float) -> str:
    """What 03-differentiate's RFM explorer shows for ``bins``, computed here with casekit
    from the same arguments as the notebook's call."""
    case = casekit.load_case("office_supplies")
    as_of = pd.Timestamp("2024-12-31")
    explorer = rfm_explorer(case.transactions, truth=case.truth, as_of=as_of, bins=int(bins))
    return html_text(explorer.display.value)


# One entry per slider to check; `expected` computes, outside the browser, text the
# notebook's output must show for a slider value.
SLIDERS = [
    SliderCheck("00-start-here.ipynb", "retention", retention_text, span=(0.5, 0.99)),
    SliderCheck("03-differentiate.ipynb", "score levels (bins) for R, F and M", rfm_table_text),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_user_settings(settings_dir: Path) -> None:
    """The test's own JupyterLab settings; the news pop-up is off by lab.sh's settings."""
    files = {
        # Every cell stays in the DOM, so cells far down a long notebook can be found.
        "notebook-extension/tracker": {"windowingMode": "none"},
    }
    for name, values in files.items():
        path = settings_dir / "@jupyterlab" / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")


def wait_for_lab(url: str, process: subprocess.Popen, log: Path, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(f"{url}/api/status", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    tail = log.read_text(errors="replace")[-3000:]
    raise AssertionError(f"JupyterLab did not answer at {url}:\n{tail}")


def stop(process: subprocess.Popen) -> None:
    os.kill(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on 127.0.0.1 with a free port and no token, serving the student's copy of
    the course, which lab.sh makes here in a scratch folder."""
    home = tmp_path_factory.mktemp("lab")
    write_user_settings(home / "settings")
    port = free_port()
    course = home / "course"
    env = {
        **os.environ,
        "CASEKIT_COURSE_DIR": str(course),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
    }
    env.pop("INSTRUCTOR", None)
    args = [
        "bash", str(ROOT / "scripts" / "lab.sh"), "--no-browser",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        "--IdentityProvider.token=", "--ServerApp.password=",
        f"--LabApp.workspaces_dir={home / 'workspaces'}",
        f"--LabApp.user_settings_dir={home / 'settings'}",
    ]
    log = home / "lab.log"
    with open(log, "wb") as out:  # the server keeps its own copy of the handle
        process = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for_lab(url, process, log)
        assert f"Serving notebooks from local directory: {course}" in log.read_text(), (
            f"JupyterLab does not serve the student's copy {course}"
        )
        yield {"url": url, "notebooks": course}
    finally:
        stop(process)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()


def menu(page: Page, *path: str) -> None:
    for label in path:
        page.get_by_role("menuitem", name=label, exact=True).click()


def open_and_run_all(page: Page, lab: dict, notebook: str) -> Locator:
    """Open ``notebook`` in JupyterLab, run every cell in a fresh kernel and wait until done."""
    # ?reset drops the layout an earlier test left in the workspace, so only this
    # notebook is open and the menus act on it.
    page.goto(f"{lab['url']}/lab/tree/{notebook}?reset")
    panel = page.locator(".jp-NotebookPanel")
    expect(panel).to_be_visible(timeout=LOAD_TIMEOUT)
    expect(panel).to_have_count(1)
    kernel = page.locator("#jp-main-statusbar .jp-StatusBar-TextItem", has_text=" | ")
    expect(kernel).to_have_text(re.compile(r"^(?!No Kernel).+ \| Idle$"), timeout=LOAD_TIMEOUT)

    # Hidden inputs hide their prompts and cleared outputs reset every prompt to [ ], so
    # after these two steps "every prompt shows a number" means "every cell ran now".
    menu(page, "View", "Expand All Code")
    menu(page, "Edit", "Clear Outputs of All Cells")
    code_cells = nbformat.read(lab["notebooks"] / notebook, as_version=4).cells
    prompts = panel.locator(".jp-CodeCell .jp-InputPrompt")
    expect(prompts).to_have_count(
        sum(cell.cell_type == "code" for cell in code_cells), timeout=LOAD_TIMEOUT
    )
    for prompt in prompts.all():
        expect(prompt).to_have_text("[ ]:")

    # Run All queues every cell at once ([*]); a cell that raises stops the run and puts
    # the cells after it back to [ ]. So the run is over once the first cell has a number
    # and no cell is queued.
    menu(page, "Run", "Run All Cells")
    expect(prompts.first).to_have_text(RAN, timeout=RUN_TIMEOUT)
    expect(prompts.filter(has_text="[*]:")).to_have_count(0, timeout=RUN_TIMEOUT)
    expect(kernel).to_have_text(re.compile(r" \| Idle$"), timeout=RUN_TIMEOUT)
    return panel


def cells_not_run(panel: Locator) -> list[int]:
    """The positions of the code cells that show no execution count."""
    prompts = panel.locator(".jp-CodeCell .jp-InputPrompt").all_inner_texts()
    return [i for i, prompt in enumerate(prompts) if not RAN.match(prompt.strip())]


def output_errors(panel: Locator) -> list[str]:
    """The tracebacks and broken widgets the notebook ``panel`` shows right now."""
    # JupyterLab renders both stderr and exceptions with the stderr MIME type.
    stderr = panel.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    errors = [
        text
        for text in stderr.all_inner_texts()
        if "Traceback" in text or re.search(r"^\w+(Error|Exception)\b", text, re.MULTILINE)
    ]
    # ipywidgets' three ways of failing: no view, a view that raised, a model never found.
    errors += panel.get_by_text("Error displaying widget").all_inner_texts()
    errors += panel.locator(".jupyter-widgets-error-widget").all_inner_texts()
    errors += panel.get_by_text("Loading widget...", exact=True).all_inner_texts()
    return errors


def slider_tracks(panel: Locator) -> list[tuple[str, float]]:
    """The description and the track width in CSS pixels of every slider in ``panel``."""
    return panel.locator(".widget-hslider").evaluate_all(
        """sliders => sliders.map(s => {
            const label = s.querySelector(':scope > .widget-label');
            const track = s.querySelector('.slider-container .slider');
            return [label ? label.innerText : '',
                    track ? track.getBoundingClientRect().width : 0];
        })"""
    )


def clipped_dropdowns(panel: Locator) -> list[str]:
    """The options of drop-downs in ``panel`` whose text is wider than the box showing it."""
    return panel.locator(".widget-dropdown select").evaluate_all(
        """selects => {
            const context = document.createElement('canvas').getContext('2d');
            const clipped = [];
            for (const select of selects) {
                const style = getComputedStyle(select);
                context.font = `${style.fontSize} ${style.fontFamily}`;
                // the room for text: the box less its padding (the right padding holds the arrow)
                const room = select.clientWidth - parseFloat(style.paddingLeft)
                    - parseFloat(style.paddingRight);
                for (const option of select.options) {
                    if (context.measureText(option.text).width > room) {
                        clipped.push(option.text.replaceAll('\u00a0', ' '));
                    }
                }
            }
            return clipped;
        }"""
    )


def find_slider(page: Page, panel: Locator, label: str) -> tuple[Locator, Locator]:
    """The slider described ``label`` and the cell it is in."""
    # `has=` locators are matched inside the element they filter, so they start at `page`.
    described = page.locator(".widget-label", has_text=re.compile(rf"^{re.escape(label)}$"))
    cell = panel.locator(".jp-Cell").filter(has=page.locator(".widget-slider").filter(
        has=described))
    expect(cell).to_have_count(1, timeout=WIDGET_TIMEOUT)
    return cell.locator(".widget-slider").filter(has=described), cell


def check_keyboard(page: Page, panel: Locator, check: SliderCheck) -> None:
    """ArrowRight moves the slider, and the output shows what casekit computes for it."""
    slider, cell = find_slider(page, panel, check.label)
    handle = slider.get_by_role("slider")
    # The readout shows the value as the student sees it; the handle's aria-valuenow is
    # rounded to one decimal by noUiSlider.
    readout = slider.locator(".widget-readout")
    output = cell.locator(".jp-OutputArea").first
    shown = readout.inner_text()
    before = float(shown)
    expect(output).to_contain_text(check.expected(before), timeout=WIDGET_TIMEOUT)

    handle.scroll_into_view_if_needed()
    handle.focus()
    for _ in range(check.presses):
        page.keyboard.press("ArrowRight")
    expect(readout).not_to_have_text(shown)
    after = float(readout.inner_text())
    assert after > before, f"ArrowRight moved {check.label} from {before} to {after}"
    assert check.expected(after) != check.expected(before), "the chosen move changes nothing"
    expect(output).to_contain_text(check.expected(after), timeout=WIDGET_TIMEOUT)
    expect(output).not_to_contain_text(check.expected(before))


NOTEBOOK_NAMES = [path.relative_to(ROOT / "notebooks").as_posix() for path in NOTEBOOKS]
CHECKS = {check.notebook: check for check in SLIDERS}


@pytest.mark.parametrize("notebook", NOTEBOOK_NAMES)
def test_notebook_runs_and_its_widgets_work(lab, page, notebook, tmp_path):
    shot = tmp_path / f"{Path(notebook).stem}.png"
    try:
        panel = open_and_run_all(page, lab, notebook)
        loading = panel.get_by_text("Loading widget...", exact=True)
        expect(loading).to_have_count(0, timeout=WIDGET_TIMEOUT)
        assert output_errors(panel) == []
        assert cells_not_run(panel) == []
        tracks = slider_tracks(panel)
        narrow = [(label, round(width)) for label, width in tracks if width < MIN_TRACK_PX]
        assert narrow == [], f"slider tracks narrower than {MIN_TRACK_PX} px: {narrow}"
        assert clipped_dropdowns(panel) == []
        if notebook in CHECKS:
            check_keyboard(page, panel, CHECKS[notebook])
            assert output_errors(panel) == []
        # No pop-up (news, updates) covers the notebook.
        assert page.locator(".jp-toast-message, .Toastify__toast").count() == 0
    finally:
        page.screenshot(path=shot)  # also, or above all, when a check failed
    assert shot.stat().st_size > 0


def test_a_mouse_drag_moves_the_slider_by_the_distance(lab, page):
    """00-start-here's slider, dragged left by a quarter of its track, moves down by a quarter
    of its range."""
    check = CHECKS["00-start-here.ipynb"]
    page.goto(f"{lab['url']}/")  # make lab's landing page: both editions, rendered
    # the Markdown viewer of README.md; notebooks that earlier tests left open render markdown too
    landing = page.locator(".jp-MarkdownViewer .jp-RenderedMarkdown")
    expect(landing).to_be_visible(timeout=LOAD_TIMEOUT)
    tab = page.get_by_role("tab", name=re.compile("README.md"))
    expect(tab).to_have_count(1, timeout=LOAD_TIMEOUT)
    for name, target in (("Start here: 00-start-here", "00-start-here.ipynb"),
                         ("从这里开始：00-start-here（中文版）", "zh/00-start-here.ipynb")):
        link = landing.get_by_role("link", name=name, exact=True)
        expect(link).to_have_count(1)
        # JupyterLab points a relative link at the file and opens it in the lab on a click
        assert urllib.parse.urlsplit(link.get_attribute("href")).path == f"/files/{target}"
    assert page.get_by_role("menuitem", name="Nbgrader").count() == 0
    panel = open_and_run_all(page, lab, check.notebook)
    slider, cell = find_slider(page, panel, check.label)
    handle = slider.locator(".noUi-handle")
    readout = slider.locator(".widget-readout")
    output = cell.locator(".jp-OutputArea").first
    low, high = check.span
    before = float(readout.inner_text())
    handle.scroll_into_view_if_needed()
    track = slider.locator(".slider-container .slider").bounding_box()
    box = handle.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    distance = -track["width"] / 4
    assert box["x"] + distance > track["x"], "the handle starts too far left for this drag"
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + distance, y, steps=12)
    page.mouse.up()
    expect(readout).not_to_have_text(f"{before:.2f}", timeout=WIDGET_TIMEOUT)
    after = float(readout.inner_text())
    wanted = before + (high - low) * distance / track["width"]
    assert abs(after - wanted) <= 0.03 * (high - low), (before, after, wanted)
    expect(output).to_contain_text(check.expected(after), timeout=WIDGET_TIMEOUT)
    assert output_errors(panel) == []


CJK = re.compile(r"[\u4e00-\u9fff]")
# Family names of the CJK fonts a set-up may install (fonts-noto-cjk: Noto Sans CJK SC).
CJK_FAMILY = re.compile(r"CJK|Source Han|WenQuanYi|PingFang|YaHei|SimHei|Hei|Song|Ming",
                        re.IGNORECASE)
ZH_NOTEBOOK = "zh/00-start-here.ipynb"


def rendering_fonts(page: Page, selector: str) -> tuple[str, list[dict]]:
    """The text of the first element matching ``selector`` that holds Chinese, and the fonts
    Chromium drew it with (DevTools' CSS.getPlatformFontsForNode: family and glyph count)."""
    text = page.evaluate(
        """selector => {
            const el = [...document.querySelectorAll(selector)]
                .find(e => /[\\u4e00-\\u9fff]/.test(e.textContent));
            if (!el) return null;
            el.setAttribute('data-cjk-probe', '1');
            el.scrollIntoView();
            return el.textContent;
        }""",
        selector,
    )
    assert text, f"no element {selector!r} holds Chinese text"
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "[data-cjk-probe]"})
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
    page.evaluate("() => document.querySelector('[data-cjk-probe]')"
                  ".removeAttribute('data-cjk-probe')")
    return text, fonts


def assert_no_tofu(text: str, fonts: list[dict]) -> None:
    """Every Chinese character of ``text`` was drawn from a CJK font, not as a missing box."""
    chinese = len(CJK.findall(text))
    drawn = sum(f["glyphCount"] for f in fonts if CJK_FAMILY.search(f["familyName"]))
    assert chinese > 0
    assert drawn >= chinese, f"{chinese} Chinese characters, {drawn} drawn by a CJK font: {fonts}"


def test_the_chinese_edition_runs_and_shows_chinese(lab, page, tmp_path):
    """A Chinese notebook of make lab's copy runs, its prose, tables and casekit's widget
    labels are Chinese, and Chromium draws them with a CJK font (no missing-glyph boxes)."""
    assert (lab["notebooks"] / ZH_NOTEBOOK).is_file(), "make lab did not copy notebooks-zh"
    shot = tmp_path / "zh-00-start-here.png"
    try:
        panel = open_and_run_all(page, lab, ZH_NOTEBOOK)
        expect(panel.get_by_text("Loading widget...", exact=True)).to_have_count(
            0, timeout=WIDGET_TIMEOUT)
        assert output_errors(panel) == []
        assert cells_not_run(panel) == []
        expect(panel.locator(".jp-RenderedMarkdown h2", has_text="学习目标")).to_have_count(1)
        for selector in (".jp-RenderedMarkdown h1", ".jp-RenderedMarkdown p",
                         ".jp-OutputArea-output"):
            assert_no_tofu(*rendering_fonts(page, selector))
        narrow = [(label, round(width)) for label, width in slider_tracks(panel)
                  if width < MIN_TRACK_PX]
        assert narrow == [], f"slider tracks narrower than {MIN_TRACK_PX} px: {narrow}"
    finally:
        page.screenshot(path=shot)


def test_error_outputs_are_seen(lab, page):
    """The checks above can fail: an exception, the cell it stopped and two broken widgets."""
    broken = nbformat.v4.new_notebook()
    broken.cells = [
        nbformat.v4.new_code_cell(
            "import ipywidgets\n"
            "from IPython.display import display\n"
            "from traitlets import Unicode\n\n\n"
            "class NoView(ipywidgets.DOMWidget):\n"
            "    _view_module = Unicode('no-such-module').tag(sync=True)\n"
            "    _view_name = Unicode('NoSuchView').tag(sync=True)\n\n\n"
            "display(NoView())\n"
            "display(ipywidgets.IntSlider(description='a description far too long to leave "
            "room for the track'))\n"
            "display(ipywidgets.Dropdown(options=['recency x frequency (4 boxes)'], "
            "description='a description that leaves little room', "
            "style={'description_width': 'initial'}))\n"
            "view = {'model_id': 'no-such-model', 'version_major': 2, 'version_minor': 0}\n"
            "display({'application/vnd.jupyter.widget-view+json': view}, raw=True)"
        ),
        nbformat.v4.new_code_cell("1 / 0"),
        nbformat.v4.new_code_cell("'never run'"),
    ]
    broken.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(broken, lab["notebooks"] / "broken.ipynb")

    panel = open_and_run_all(page, lab, "broken.ipynb")
    expect(panel.locator(".jupyter-widgets-error-widget")).to_have_count(1, timeout=WIDGET_TIMEOUT)
    assert cells_not_run(panel) == [2]
    errors = output_errors(panel)
    assert len(errors) == 3, errors
    assert "ZeroDivisionError: division by zero" in errors[0]
    assert "Click to show javascript error." in errors
    # A missing model shows "Loading widget..." until the widget manager has restored
    # its state, then the ipywidgets error message.
    assert {"Loading widget...", "Error displaying widget: model not found"} & set(errors)
    (label, width), = slider_tracks(panel)
    assert label.startswith("a description far too long") and width < MIN_TRACK_PX
    assert clipped_dropdowns(panel) == ["recency x frequency (4 boxes)"]
