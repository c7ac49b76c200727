"""Instructor tools: seeds, the answer export, integrity and similarity, final grades."""

import hashlib
import json

import nbformat
import numpy as np
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from casekit import grading
from casekit._grading_export import ANSWERS_MIME, decode, dumps, encode
from casekit.grading import (
    ASSIGNMENTS,
    final_grades,
    integrity_report,
    similarity_report,
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


SOURCE_CELLS = [
    ("id", None, 'STUDENT_ID = "s0000000"  # your student id'),
    ("setup", {"locked": True, "grade_id": "setup"},
     'import casekit\nimport pandas as pd\ntx = casekit.load_case("office_supplies").transactions'),
    ("own", {"solution": True, "grade_id": "q1"}, "### BEGIN SOLUTION\nx = 1\n### END SOLUTION"),
    ("free", {"solution": True, "grade_id": "q2"},
     "### BEGIN SOLUTION\ny = casekit.rfm_segments(tx)\n### END SOLUTION"),
]


def _course(tmp_path, answers, *, added=(), drop_tags=False, student="s1"):
    """A source notebook and one submission of it with ``answers`` in the answer cells."""
    cells = []
    for cell_id, meta, text in SOURCE_CELLS:
        cell = new_code_cell(text)
        cell["id"] = cell_id
        if meta:
            cell.metadata["nbgrader"] = dict(meta)
        if cell_id == "own":
            cell.metadata["tags"] = [grading.OWN_WORK_TAG]
        cells.append(cell)
    source = tmp_path / "source" / "a1" / "a1.ipynb"
    source.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(new_notebook(cells=cells), source)
    submission = nbformat.read(source, as_version=4)
    for cell in submission.cells:
        if cell["id"] in answers:
            cell.source = answers[cell["id"]]
        if drop_tags:
            cell.metadata.pop("tags", None)
            cell.metadata.pop("nbgrader", None)
    for i, text in enumerate(added):
        extra = new_code_cell(text)
        extra["id"] = f"extra{i}"
        submission.cells.append(extra)
    path = tmp_path / "submitted" / student / "a1" / "a1.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(submission, path)
    return path, tmp_path / "source"


def _flags(tmp_path, **kwargs):
    path, source = _course(tmp_path, **kwargs)
    return integrity_report(path, source)


@pytest.mark.parametrize("code", [
    "x = casekit.rfm_scores(tx)",
    "from casekit import abc_activity as a\nx = a(tx)",
    'x = getattr(casekit, "rfm_" + "segments")(tx)',
    'x = vars(casekit)["rfm_segments"](tx)',
    'x = casekit.__dict__["rfm_segments"](tx)',
    'import importlib\nx = importlib.import_module("casekit").rfm_segments(tx)',
    "x = bg.probability_alive(1, 2, 3)",
    "%time x = rfm_segments(y",
])
def test_integrity_finds_casekit_use_through_any_indirection(tmp_path, code):
    report = _flags(tmp_path, answers={"own": code})
    assert "casekit use" in set(report["kind"]), report.to_string()
    assert set(report.loc[report["kind"] == "casekit use", "cell"]) == {"q1"}


def test_integrity_follows_aliases_made_in_other_cells(tmp_path):
    # The alias is made where casekit is allowed and used where it is not.
    report = _flags(tmp_path, answers={"free": "ck = casekit\nf = ck.rfm_segments",
                                       "own": "x = f(tx)"})
    flagged = report[report["kind"] == "casekit use"]
    assert flagged["cell"].tolist() == ["q1"] and "casekit via f" in flagged["detail"].iloc[0]


def test_integrity_finds_results_of_casekit_brought_in_from_another_cell(tmp_path):
    report = _flags(tmp_path, answers={"free": "seg = casekit.rfm_segments(tx)\nr = seg[['m']]",
                                       "own": "x = r.sum()"})
    flagged = report[report["kind"] == "casekit use"]
    assert flagged["cell"].tolist() == ["q1"]
    assert "uses r, made with casekit's analytics" in flagged["detail"].iloc[0]


def test_integrity_flags_analytics_an_allowed_question_does_not_need(tmp_path):
    # q2's model solution uses rfm_segments only: rfm_scores there is worth a look.
    report = _flags(tmp_path, answers={"free": "y = casekit.rfm_scores(tx)"})
    assert report[["cell", "kind"]].values.tolist() == [["q2", "casekit use"]]
    assert "rfm_scores (not needed by this question)" in report["detail"].iloc[0]


def test_integrity_takes_roles_from_the_source_not_the_submission(tmp_path):
    # Deleted tags and nbgrader metadata do not change what a cell is.
    report = _flags(tmp_path, answers={"own": "x = casekit.rfm_scores(tx)"}, drop_tags=True)
    assert "q1" in set(report.loc[report["kind"] == "casekit use", "cell"])


def test_integrity_checks_added_cells(tmp_path):
    report = _flags(tmp_path, answers={}, added=["seg = casekit.rfm_segments(tx)"])
    assert report[["cell", "kind"]].values.tolist() == [["added cell 4", "casekit use"]]


@pytest.mark.parametrize(("where", "code", "detail"), [
    ("id", 'STUDENT_ID = "s1"\nget_ipython().input_transformers_cleanup.append(lambda l: l)',
     "get_ipython"),
    ("free", "casekit.grading.submission_student = lambda path=None: None",
     "assigns to an attribute of casekit"),
    ("free", "_grader_case = None", "grader name _grader_case"),
    ("free", "import sys\nsys.modules['casekit'] = None", "sys.modules"),
    ("free", "import builtins\nbuiltins.print = None", "builtins"),
    ("free", "pd.DataFrame.equals = lambda *a: True", "assigns to an attribute of pd"),
    ("free", "open('../../../gradebook.db', 'wb')", "open()"),
])
def test_integrity_flags_tampering(tmp_path, where, code, detail):
    report = _flags(tmp_path, answers={where: code})
    tamper = report[report["kind"] == "tampering"]
    assert tamper["detail"].str.contains(detail, regex=False).any(), report.to_string()


def test_integrity_passes_honest_work_and_flags_a_changed_locked_cell(tmp_path):
    clean = _flags(tmp_path, answers={"id": 'STUDENT_ID = "s1"', "own": "x = tx.sum()",
                                      "free": "y = casekit.load_case('insurance')"})
    assert clean.empty, clean.to_string()
    # A changed locked cell is checked as strictly as an added one.
    changed = _flags(tmp_path, answers={"setup": "import casekit\nimport pandas as pd\ntx = 1"})
    assert changed["kind"].tolist() == ["changed locked cell", "casekit use"]


def test_integrity_errors(tmp_path):
    _, source = _course(tmp_path, answers={})
    with pytest.raises(ValueError, match="integrity_report: path .* does not exist"):
        integrity_report(tmp_path / "missing", source)
    bad = tmp_path / "bad.ipynb"
    bad.write_text("{not json")
    with pytest.raises(ValueError, match="integrity_report: .*bad.ipynb is not a notebook"):
        integrity_report(bad, bad)
    other = tmp_path / "other.ipynb"
    nbformat.write(new_notebook(), other)
    with pytest.raises(ValueError, match="no source notebook named 'other.ipynb'"):
        integrity_report(other, source)


def test_similarity_ranks_a_copy_first(tmp_path):
    own = ("x = tx.groupby('customer_id')['amount'].sum().sort_values(ascending=False)\n"
           "x = x.head(int(0.2 * len(x))).sum() / x.sum()")
    other = ("totals = {}\nfor key, value in zip(tx['customer_id'], tx['amount']):\n"
             "    totals[key] = totals.get(key, 0) + value\nx = sorted(totals.values())[-5:]")
    _course(tmp_path, answers={"own": own, "id": 'STUDENT_ID = "s1"'}, student="s1")
    _course(tmp_path, answers={"own": own, "id": 'STUDENT_ID = "s2"'}, student="s2")
    _course(tmp_path, answers={"own": other, "id": 'STUDENT_ID = "s3"'}, student="s3")
    table = similarity_report(tmp_path / "submitted", tmp_path / "source")
    assert table[["student_a", "student_b"]].iloc[0].tolist() == ["s1", "s2"]
    assert table["similarity"].iloc[0] == 1.0 and table["look"].tolist() == [True, False, False]
    assert table["similarity"].iloc[1] < 0.2
    with pytest.raises(ValueError, match="similarity_report: threshold must lie in"):
        similarity_report(tmp_path / "submitted", tmp_path / "source", threshold=0)


def test_student_case_refuses_the_placeholder_id():
    with pytest.raises(ValueError, match="student_case: STUDENT_ID is still the placeholder "
                                         "'s0000000'. Put your own student id"):
        student_case(" S0000000", "a1-case-report")


def test_exported_answers_round_trip_as_plain_data():
    namespace = {
        "STUDENT_ID": "s1",
        "abc_class": pd.Series(["A", "D"], index=[3, 7]).astype("category"),
        "rfm": pd.DataFrame({"recency": [1, 2], "monetary": [2.5, np.nan]}, index=[3, 7]),
        "share_ab": np.float64(0.25),
        "champions_share": {"a": np.int64(2)},
        "top5_share": object(),
    }
    payload = grading.export_answers("a1-case-report", namespace)
    assert payload["missing"] == []
    text = json.dumps(payload)
    decoded = {k: decode(v) for k, v in json.loads(text)["answers"].items() if k != "top5_share"}
    assert decoded["abc_class"].to_dict() == {3: "A", 7: "D"}
    assert decoded["rfm"]["recency"].tolist() == [1, 2]
    monetary = decoded["rfm"]["monetary"]
    assert monetary.iloc[0] == 2.5 and np.isnan(monetary.iloc[1])
    assert decoded["share_ab"] == 0.25 and decoded["champions_share"] == {"a": 2}
    with pytest.raises(ValueError, match="an object of type 'object', not plain data"):
        decode(payload["answers"]["top5_share"])
    with pytest.raises(ValueError, match="export_answers: unknown assignment 'a9'"):
        grading.export_answers("a9", {})


def test_read_answers_reads_only_the_export_cell(tmp_path):
    payload = grading.export_answers("a1-case-report", {"STUDENT_ID": "s1", "share_ab": 0.5})
    fake = new_output("display_data", data={
        ANSWERS_MIME: dumps({**payload, "answers": {"share_ab": encode(1.0)}})})
    real = new_output("display_data", data={ANSWERS_MIME: dumps(payload)})
    earlier, export = new_code_cell("x"), new_code_cell("export")
    earlier.outputs, export.outputs = [fake], [real]
    export.metadata["nbgrader"] = {"grade_id": "a1_export", "locked": True}
    path = tmp_path / "n.ipynb"
    nbformat.write(new_notebook(cells=[earlier, export]), path)
    answers, unreadable, student = grading.read_answers(path, "a1_export")
    assert answers == {"share_ab": 0.5} and student == "s1"
    assert unreadable["abc_class"] == "not defined when the notebook ran"
    export.outputs = []
    nbformat.write(new_notebook(cells=[earlier, export]), path)
    assert "did not run" in grading.read_answers(path, "a1_export")[1]["*"]


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


def test_final_grades_match_student_ids_without_regard_to_case(tmp_path):
    practice = [{"assignment": a, "student_id": "S1", "score": 4.0, "max_score": 8.0}
                for a in ASSIGNMENTS]
    paths = _write_marks(tmp_path, practice=practice,
                         participation=[{"student_id": " s1", "mark": 50}],
                         paper=[{"student_id": "s1", "mark": 50}])
    table = final_grades(*paths)
    assert table[["student_id", "final"]].values.tolist() == [["s1", 50.0]]
