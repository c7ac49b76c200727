"""The assignment sources themselves: quick checks that need no nbgrader run."""

import json
import re

import nbformat
import pytest
from conftest import ROOT
from nbformat.v4 import new_code_cell, new_notebook

from casekit._grading_autograde import export_cell_id, graded_cells, load_checks
from casekit.grading import ANSWERS, ASSIGNMENTS, OWN_WORK_TAG, integrity_report

COURSE = ROOT / "assignments"
SOURCE = COURSE / "source"


def _cells(name):
    return json.loads((SOURCE / name / f"{name}.ipynb").read_text())["cells"]


def test_every_source_folder_is_a_known_assignment():
    folders = sorted(p.name for p in SOURCE.iterdir() if p.is_dir())
    assert folders == sorted(ASSIGNMENTS) == sorted(ANSWERS)
    for name in folders:
        assert [p.name for p in (SOURCE / name).glob("*.ipynb")] == [f"{name}.ipynb"]


def test_model_solutions_pass_the_integrity_check():
    report = integrity_report(SOURCE, SOURCE)
    assert report.empty, report.to_string()


def test_own_work_questions_exist_and_name_their_rule():
    for name in ASSIGNMENTS:
        own = [c for c in _cells(name) if OWN_WORK_TAG in c.get("metadata", {}).get("tags", [])]
        assert own, name
        assert all(c["metadata"]["nbgrader"]["solution"] for c in own), name


@pytest.mark.parametrize("name", sorted(ASSIGNMENTS))
def test_no_check_runs_in_the_students_kernel(name):
    # The values are checked by checks/<name>.py in the instructor's process only.
    for cell in _cells(name):
        assert "HIDDEN TESTS" not in "".join(cell["source"]), name
        assert "_grader" not in "".join(cell["source"]), name


@pytest.mark.parametrize("name", sorted(ASSIGNMENTS))
def test_the_last_cell_exports_the_answers_and_every_test_cell_has_a_check(name):
    source = SOURCE / name / f"{name}.ipynb"
    export = export_cell_id(source)
    last = [c for c in _cells(name) if c["cell_type"] == "code"][-1]
    assert last["metadata"]["nbgrader"] == {"grade": False, "grade_id": export, "locked": True,
                                            "schema_version": 3, "solution": False}
    assert f'export_answers("{name}", globals())' in "".join(last["source"])
    checks = load_checks(COURSE, name)
    assert sorted(checks.CHECKS) == sorted(g["cell"] for g in graded_cells(source))
    # Every answer the checks read is one the notebook exports.
    text = (COURSE / "checks" / f"{name}.py").read_text()
    read = set(re.findall(r'answers(?:\.get\()?\[?\(?"(\w+)"', text))
    assert read and read <= set(ANSWERS[name]), read - set(ANSWERS[name])


def test_student_facing_text_cites_readings_not_seeds():
    texts = [(COURSE / "final-paper" / "template.md").read_text()]
    texts += ["".join(c["source"]) for name in ASSIGNMENTS for c in _cells(name)]
    for text in texts:
        assert not re.search(r"\bseeds?\b \d|\bthe seeds\b", text, flags=re.I), text[:200]


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
        cell["id"] = f"q{i}"
        cell.metadata["tags"] = [OWN_WORK_TAG]
        cell.metadata["nbgrader"] = {"grade_id": f"q{i}", "solution": True}
        cells.append(cell)
    nbformat.write(new_notebook(cells=cells), tmp_path / "n.ipynb")
    report = integrity_report(tmp_path, tmp_path)
    assert report["cell"].tolist() == ["q0", "q1", "q2", "q3"]
    for detail, name in zip(report["detail"], ["probability_alive", "renewal_signals",
                                               "next_best_offer", "rate_by_band"], strict=True):
        assert name in detail
