"""Instructor tools: per-student seeds, the integrity check and the 20/40/40 final grade."""

import hashlib

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from casekit import grading
from casekit.grading import (
    ASSIGNMENTS,
    final_grades,
    integrity_report,
    student_case,
    student_seed,
)


def test_student_seed_is_stable_and_distinct():
    # Pinned: a seed must never change between versions, or students' data would.
    recipe = hashlib.sha256(b"casekit:a1-case-report:s2024001").digest()[:8]
    assert student_seed("s2024001", "a1-case-report") == int.from_bytes(recipe, "big") % 2**32
    assert student_seed("s2024001", "a1-case-report") == 1823801015
    seeds = {student_seed(f"s{i}", "a1-case-report") for i in range(200)}
    assert len(seeds) == 200
    assert student_seed("s1", "a1-case-report") != student_seed("s1", "a4-clv")


def test_student_case_depends_on_student():
    one = student_case("s1", "a3-catering-defence").transactions
    again = student_case("S1 ", "a3-catering-defence").transactions
    other = student_case("s2", "a3-catering-defence").transactions
    pd.testing.assert_frame_equal(one, again)
    assert not one.equals(other)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: student_seed("", "a1-case-report"), "student_id must be a non-empty"),
        (lambda: student_seed(17, "a1-case-report"), "student_id must be a non-empty"),
        (lambda: student_seed("s1", "a9"), r"student_seed: unknown assignment 'a9'; assignments"),
        (lambda: student_case("s1", "a9"), r"student_case: unknown assignment 'a9'"),
    ],
)
def test_bad_student_or_assignment(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def _notebook(tmp_path, sources, tag=grading.OWN_WORK_TAG):
    cells = []
    for i, source in enumerate(sources):
        cell = new_code_cell(source)
        cell.metadata["tags"] = [tag]
        cell.metadata["nbgrader"] = {"grade_id": f"q{i}", "solution": True}
        cells.append(cell)
    path = tmp_path / "sub" / "a1.ipynb"
    path.parent.mkdir(exist_ok=True)
    nbformat.write(new_notebook(cells=cells), path)
    return path


def test_integrity_report_flags_casekit_analytics_in_own_work_cells(tmp_path):
    _notebook(tmp_path, [
        "scores = casekit.rfm_scores(tx)",
        "from casekit import abc_activity as a\nclasses = a(tx)",
        "scores = tx.groupby('customer_id')['amount'].sum()",
        "%time x = rfm_segments(y",
    ])
    report = integrity_report(tmp_path)
    assert report["cell"].tolist() == ["q0", "q1", "q3"]
    assert report["calls"].tolist() == ["rfm_scores", "abc_activity", "rfm_segments"]


def test_integrity_report_ignores_untagged_cells(tmp_path):
    _notebook(tmp_path, ["casekit.rfm_scores(tx)"], tag="other")
    assert integrity_report(tmp_path).empty


def test_integrity_errors(tmp_path):
    with pytest.raises(ValueError, match="integrity_report: path .* does not exist"):
        integrity_report(tmp_path / "missing")
    bad = tmp_path / "bad.ipynb"
    bad.write_text("{not json")
    with pytest.raises(ValueError, match="integrity_report: .*bad.ipynb is not a notebook"):
        integrity_report(bad)


def _write_marks(tmp_path, practice=None, participation=None, paper=None):
    students = ["s1", "s2"]
    if practice is None:
        practice = [
            {"assignment": a, "student_id": s, "score": 8.0 if s == "s1" else 4.0,
             "max_score": 8.0}
            for a in ASSIGNMENTS for s in students
        ]
    if participation is None:
        participation = [{"student_id": "s1", "mark": 90}, {"student_id": "s2", "mark": 50}]
    if paper is None:
        paper = [{"student_id": "s1", "mark": 80}, {"student_id": "s2", "mark": 70}]
    paths = []
    for name, rows in [("grades", practice), ("participation", participation), ("paper", paper)]:
        path = tmp_path / f"{name}.csv"
        pd.DataFrame(rows).to_csv(path, index=False)
        paths.append(path)
    return paths


def test_final_grades_weigh_20_40_40(tmp_path):
    table = final_grades(*_write_marks(tmp_path))
    s1 = table.set_index("student_id").loc["s1"]
    assert s1["practice"] == 100
    assert s1["final"] == pytest.approx(0.2 * 90 + 0.4 * 100 + 0.4 * 80)
    assert table.set_index("student_id").loc["s2", "final"] == pytest.approx(10 + 20 + 28)


def test_final_grades_cli_writes_csv(tmp_path, capsys):
    practice, participation, paper = _write_marks(tmp_path)
    out = tmp_path / "final.csv"
    code = grading.main(["final", "--practice", str(practice), "--participation",
                         str(participation), "--paper", str(paper), "--out", str(out)])
    assert code == 0
    assert pd.read_csv(out)["final"].tolist() == [90.0, 58.0]
    assert "wrote 2 final grades" in capsys.readouterr().out


def test_final_grades_cli_reports_errors_without_writing(tmp_path, capsys):
    practice, participation, _ = _write_marks(tmp_path)
    out = tmp_path / "final.csv"
    code = grading.main(["final", "--practice", str(practice), "--participation",
                         str(participation), "--paper", str(tmp_path / "nope.csv"),
                         "--out", str(out)])
    assert code == 2 and not out.exists()
    assert "final_grades: paper file" in capsys.readouterr().err


def _practice_rows(**change):
    rows = [{"assignment": a, "student_id": s, "score": 5.0, "max_score": 8.0}
            for a in ASSIGNMENTS for s in ["s1", "s2"]]
    rows[0].update(change)
    return rows


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"paper": [{"student_id": "s1", "mark": 80}]},
         r"final_grades: missing students: paper has no mark for \['s2'\]"),
        ({"practice": _practice_rows()[1:]},
         r"missing students: practice lacks some of .* for \['s1'\]"),
        ({"participation": [{"student_id": "s1", "mark": 90}, {"student_id": "s1", "mark": 80},
                            {"student_id": "s2", "mark": 50}]},
         r"final_grades: participation lists \['student_id'\] more than once for .*'s1'"),
        ({"practice": _practice_rows() + _practice_rows()[:1]},
         r"practice lists \['student_id', 'assignment'\] more than once"),
        ({"paper": [{"student_id": "s1", "mark": 180}, {"student_id": "s2", "mark": 70}]},
         r"final_grades: paper marks must lie between 0 and 100; found 1 outside"),
        ({"practice": _practice_rows(score=9.0)},
         r"final_grades: practice scores must lie between 0 and max_score"),
        ({"practice": _practice_rows(max_score=0)}, r"practice max_score must be positive"),
        ({"participation": [{"student_id": "s1", "mark": "A"}, {"student_id": "s2", "mark": 1}]},
         r"participation column 'mark' is not a number for students \['s1'\]"),
        ({"paper": [{"student_id": "s1", "grade": 80}]},
         r"final_grades: paper file .* lacks column\(s\) \['mark'\]"),
    ],
)
def test_final_grades_errors(tmp_path, kwargs, match):
    with pytest.raises(ValueError, match=match):
        final_grades(*_write_marks(tmp_path, **kwargs))


def test_unreadable_csv(tmp_path):
    practice, participation, paper = _write_marks(tmp_path)
    paper.write_text("")
    with pytest.raises(ValueError, match="final_grades: paper file .* is not a readable CSV"):
        final_grades(practice, participation, paper)
