"""Every committed notebook follows the course rules (tests/notebook_rules.py)."""

import json

import nbformat
import pytest
from conftest import NOTEBOOKS, ROOT
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from notebook_rules import SECTIONS, notebook_problems


def test_there_are_notebooks():
    assert ROOT / "notebooks" / "00-start-here.ipynb" in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT / "notebooks")))
def test_notebook_follows_the_rules(path):
    assert notebook_problems(path) == []


def _write(tmp_path, cells):
    template = [new_markdown_cell(f"## {s}") for s in SECTIONS]
    path = tmp_path / "nb.ipynb"
    nbformat.write(new_notebook(cells=template + cells), path)
    return path


def _executed(source, outputs=()):
    cell = new_code_cell(source)
    cell.execution_count = 1
    cell.outputs = list(outputs)
    return cell


def test_a_good_notebook_passes(tmp_path):
    assert notebook_problems(_write(tmp_path, [_executed("x = 1")])) == []


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        (new_code_cell("x = 1"), "never executed"),
        (_executed("from casekit._cases import Case"), "private casekit"),
        (_executed("import casekit._rfm"), "private casekit"),
        (_executed("pd.read_csv('https://example.org/a.csv')"), "network"),
        (_executed("import requests"), "network"),
        (_executed("pd.read_csv('/home/me/data.csv')"), "absolute path"),
        (
            _executed("1", [new_output("stream", name="stderr", text="/work/x.py:3: Warning")]),
            "absolute path in its output",
        ),
        (
            _executed("1", [new_output("stream", name="stderr", text="FutureWarning: soon")]),
            "stderr",
        ),
        (
            _executed("1", [new_output("error", ename="KeyError", evalue="", traceback=[])]),
            "stores an error",
        ),
    ],
)
def test_a_broken_notebook_is_caught(tmp_path, cell, problem):
    problems = notebook_problems(_write(tmp_path, [cell]))
    assert any(problem in p for p in problems), problems


def test_timestamps_are_caught(tmp_path):
    cell = _executed("x = 1")
    cell.metadata["execution"] = {"iopub.execute_input": "2026-11-25T10:00:00.000000Z"}
    assert any("timestamps" in p for p in notebook_problems(_write(tmp_path, [cell])))


def test_sections_out_of_order_are_caught(tmp_path):
    path = tmp_path / "nb.ipynb"
    cells = [new_markdown_cell(f"## {s}") for s in reversed(SECTIONS)]
    nbformat.write(new_notebook(cells=cells), path)
    assert any("template sections" in p for p in notebook_problems(path))


def test_oversized_notebook_is_caught(tmp_path):
    path = _write(tmp_path, [_executed("x = 1")])
    data = json.loads(path.read_text())
    data["metadata"]["padding"] = "x" * 1_000_000
    path.write_text(json.dumps(data))
    assert any("budget" in p for p in notebook_problems(path))
