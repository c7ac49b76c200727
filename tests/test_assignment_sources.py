"""The assignment sources themselves: quick checks that need no nbgrader run."""

import json

import nbformat
import pytest
from conftest import ROOT
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from casekit.grading import ASSIGNMENTS, OWN_WORK_TAG, integrity_report

SOURCE = ROOT / "assignments" / "source"


def test_every_source_folder_is_a_known_assignment():
    folders = sorted(p.name for p in SOURCE.iterdir() if p.is_dir())
    assert folders == sorted(ASSIGNMENTS)
    for name in folders:
        assert [p.name for p in (SOURCE / name).glob("*.ipynb")] == [f"{name}.ipynb"]


def test_model_solutions_of_own_work_questions_do_not_call_casekit_analytics():
    report = integrity_report(SOURCE)
    assert report.empty, report.to_string()


def test_own_work_questions_exist_and_name_their_rule():
    for name in ASSIGNMENTS:
        cells = json.loads((SOURCE / name / f"{name}.ipynb").read_text())["cells"]
        own = [c for c in cells if OWN_WORK_TAG in c.get("metadata", {}).get("tags", [])]
        assert own, name
        assert all(c["metadata"]["nbgrader"]["solution"] for c in own), name


def test_model_calls_in_own_work_cells_are_flagged(tmp_path):
    # The methods and helpers added for a2-a4 are caught like the analytics functions.
    sources = [
        "p = bg.probability_alive(x, t, T)",
        "s = casekit.renewal_signals(case)",
        "from casekit import next_best_offer\no = next_best_offer(d)",
        "r = casekit.rate_by_band(d, value_col='c', outcome_col='o')",
    ]
    cells = []
    for i, source in enumerate(sources):
        cell = new_code_cell(source)
        cell.metadata["tags"] = [OWN_WORK_TAG]
        cell.metadata["nbgrader"] = {"grade_id": f"q{i}", "solution": True}
        cells.append(cell)
    nbformat.write(new_notebook(cells=cells), tmp_path / "n.ipynb")
    report = integrity_report(tmp_path)
    assert report["calls"].tolist() == ["probability_alive", "renewal_signals",
                                        "next_best_offer", "rate_by_band"]


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(ASSIGNMENTS))
def test_every_hidden_test_fails_for_a_classmates_id(tmp_path, name):
    """A notebook run with another student's id, in that student's submission folder, earns 0."""
    notebook = nbformat.read(SOURCE / name / f"{name}.ipynb", as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code" and cell.source.startswith("STUDENT_ID ="):
            cell.source = 'STUDENT_ID = "s2024001"'
    folder = tmp_path / "submitted" / "s2024002" / name
    folder.mkdir(parents=True)
    NotebookClient(notebook, timeout=600, allow_errors=True, kernel_name="python3",
                   resources={"metadata": {"path": str(folder)}}).execute()
    graded = [c for c in notebook.cells
              if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")]
    assert graded
    for cell in graded:
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert errors and "not the submitter's" in errors[0]["evalue"], cell.metadata["nbgrader"]
