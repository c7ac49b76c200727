"""Every committed notebook follows the course rules (tests/notebook_rules.py)."""

import json

import nbformat
import pytest
from conftest import NOTEBOOKS, ROOT
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from notebook_rules import SECTIONS, TEACHING_SECTIONS, notebook_problems


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


def test_a_teaching_note_follows_the_teaching_note_template(tmp_path):
    notes = tmp_path / "teaching-notes"
    notes.mkdir()
    right, wrong = notes / "right.ipynb", notes / "wrong.ipynb"
    nbformat.write(new_notebook(cells=[new_markdown_cell(f"## {s}") for s in TEACHING_SECTIONS]),
                   right)
    nbformat.write(new_notebook(cells=[new_markdown_cell(f"## {s}") for s in SECTIONS]), wrong)
    assert notebook_problems(right) == []
    assert any("template sections [] differ" in p for p in notebook_problems(wrong))
    # Outside teaching-notes/ the course template still applies.
    elsewhere = tmp_path / "right.ipynb"
    elsewhere.write_bytes(right.read_bytes())
    assert any("template sections [] differ" in p for p in notebook_problems(elsewhere))


def test_oversized_notebook_is_caught(tmp_path):
    path = _write(tmp_path, [_executed("x = 1")])
    data = json.loads(path.read_text())
    data["metadata"]["padding"] = "x" * 1_000_000
    path.write_text(json.dumps(data))
    assert any("budget" in p for p in notebook_problems(path))


def _check(
    source, printed="\u2713 checked: the claim holds\n", hidden=True, tags=("check", "hide-input")
):
    cell = _executed(source, [new_output("stream", name="stdout", text=printed)])
    cell.metadata["tags"] = list(tags)
    if hidden:
        cell.metadata["jupyter"] = {"source_hidden": True}
    return cell


def _solution(jupyter=None, tags=("solution", "hide-cell"), prompt=True):
    cell = _executed("answer = 42")
    cell.metadata["tags"] = list(tags)
    cell.metadata["jupyter"] = (
        {"source_hidden": True, "outputs_hidden": True} if jupyter is None else jupyter
    )
    if prompt:
        cell.metadata["mystnb"] = {
            "code_prompt_show": "show solution",
            "code_prompt_hide": "hide solution",
        }
    return cell


def test_a_good_check_and_a_good_solution_pass(tmp_path):
    cells = [_check("assert 1 < 2\nprint('\u2713 checked: one is less than two')"), _solution()]
    assert notebook_problems(_write(tmp_path, cells)) == []


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        (_check("assert 1 < 2", hidden=False), "source is not collapsed"),
        (_check("print('\u2713 checked: nothing')"), "without an assert"),
        (_check("x = 'assert'  # assert in a string is not one"), "without an assert"),
        (_check("assert True", printed="True\n"), "does not print"),
        (_check("assert True", tags=("check", "hide-input", "nbval-ignore-output")),
         "nbval does not compare"),
        (_check("assert True", tags=("check",)), "'hide-input' tag"),
        (_solution(jupyter={"source_hidden": True}), "outputs_hidden is not set"),
        (_solution(jupyter={}), "source_hidden and outputs_hidden is not set"),
        (_solution(tags=("solution",)), "'hide-cell' tag"),
        (_solution(prompt=False), "labelled 'show solution'"),
        (_solution(tags=("solution", "hide-cell", "nbval-skip")), "nbval does not compare"),
    ],
)
def test_a_broken_check_or_solution_is_caught(tmp_path, cell, problem):
    problems = notebook_problems(_write(tmp_path, [cell]))
    assert any(problem in p for p in problems), problems


def test_a_check_that_failed_is_caught(tmp_path):
    cell = _check("assert 2 < 1")
    cell.outputs = [new_output("error", ename="AssertionError", evalue="", traceback=[])]
    problems = notebook_problems(_write(tmp_path, [cell]))
    assert any("stores an error" in p for p in problems), problems
    assert any("does not print" in p for p in problems), problems


def test_an_unexecuted_check_is_caught(tmp_path):
    cell = _check("assert True")
    cell.execution_count = None
    cell.outputs = []
    problems = notebook_problems(_write(tmp_path, [cell]))
    assert any("never executed" in p for p in problems), problems
