"""A class of honest and dishonest students, graded as an instructor grades them.

The submissions are built from the release of a1-case-report, autograded with
``python -m casekit.grading autograde`` (nbgrader runs each notebook; the answers
are checked in a separate, clean process) and inspected with the integrity and
similarity reports. Each way of beating the grading either earns nothing it did
not earn or is flagged; honest students get exactly their points.
"""

import json
import re
import subprocess

import pytest
from conftest import ROOT
from test_assignments import BIN, autograde, course_copy

from casekit.grading import integrity_report, similarity_report

NAME = "a1-case-report"
SOURCE = ROOT / "assignments" / "source"
pytestmark = pytest.mark.slow

OWN_SOLUTION = {
    "a1_q1": '''\
dated = tx.assign(month=tx["date"].dt.to_period("M"), quarter=tx["date"].dt.to_period("Q"))
in_2024 = dated[dated["date"].dt.year == 2024]
n_months = in_2024.groupby("customer_id")["month"].nunique()
n_quarters = in_2024.groupby("customer_id")["quarter"].nunique()
last_order = dated.groupby("customer_id")["date"].max()


def classify(cid):
    if n_months.get(cid, 0) == 12:
        return "A"
    if n_quarters.get(cid, 0) == 4:
        return "B"
    return "C" if last_order[cid] < pd.Timestamp("2024-07-01") else "D"


abc_class = pd.Series({cid: classify(cid) for cid in last_order.index})''',
    "a1_q2": '''\
this_year = tx[tx["date"].dt.year == 2024]
share_ab = (this_year.loc[this_year["customer_id"].map(abc_class).isin(["A", "B"]), "amount"]
            .sum() / this_year["amount"].sum())''',
    "a1_q3": '''\
by_customer = tx.groupby("customer_id")
rfm = pd.DataFrame({"recency": (AS_OF - by_customer["date"].max().dt.floor("D")).dt.days,
                    "frequency": by_customer.size(), "monetary": by_customer["amount"].sum()})''',
    "a1_q4": '''\
seg = casekit.rfm_segments(tx, as_of=AS_OF)
champions_share = seg["monetary"][seg["segment"].eq("Champions")].sum() / seg["monetary"].sum()''',
    "a1_q5": '''\
rev = tx[tx["date"].dt.year == 2024].groupby("customer_id")["amount"].sum()
order = sorted(rev.items(), key=lambda kv: (-kv[1], kv[0]))
k = int(np.ceil(0.05 * len(order)))
top5_share = sum(v for _, v in order[:k]) / rev.sum()''',
}
TRANSFORMER = ('get_ipython().input_transformers_cleanup.append(lambda lines: ["pass\\n"] '
               'if any("assert" in l for l in lines) else lines)')


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _solutions():
    answers = {}
    for cell in _cells(SOURCE / NAME / f"{NAME}.ipynb"):
        meta = cell["metadata"].get("nbgrader", {})
        if cell["cell_type"] == "code" and meta.get("solution"):
            text = re.sub(r"[ \t]*### (BEGIN|END) SOLUTION\n?", "", "".join(cell["source"]))
            answers[meta["grade_id"]] = text
    return answers


def _submission(release, student_id, answers=None, *, id_extra="", added=(), untag=()):
    notebook = json.loads(release.read_text(encoding="utf-8"))
    answers = answers or {}
    for cell in notebook["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if "".join(cell["source"]).startswith("STUDENT_ID ="):
            cell["source"] = f'STUDENT_ID = "{student_id}"' + (f"\n{id_extra}" if id_extra else "")
        elif grade_id in answers:
            cell["source"] = answers[grade_id]
        if grade_id in untag:
            cell["metadata"] = {}
    for i, (after, text) in enumerate(added):
        at = next(n for n, c in enumerate(notebook["cells"])
                  if c["metadata"].get("nbgrader", {}).get("grade_id") == after)
        notebook["cells"].insert(at + 1, {"cell_type": "code", "id": f"added-{i}", "metadata": {},
                                          "execution_count": None, "outputs": [],
                                          "source": text})
    return notebook


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = course_copy(ROOT / "assignments", tmp_path_factory.mktemp("class"), [NAME])
    release = course / "release" / NAME / f"{NAME}.ipynb"
    model = _solutions()
    slip = dict(model, a1_q1=model["a1_q1"].replace("== 12]", "== 11]"))
    assert slip != model
    getattr_q1 = {"a1_q1": 'abc_class = getattr(casekit, "abc_" + "activity")(tx, as_of=AS_OF)'
                           '["abc_class"].astype(str)'}
    submissions = {
        "s2024001": _submission(release, "s2024001", model),
        "s2024002": _submission(release, "s2024002", OWN_SOLUTION),
        "s2024003": _submission(release, "s2024003"),
        "s2024004": _submission(release, "s2024004", id_extra=TRANSFORMER),
        # a classmate's notebook, with the submitter check switched off the old ways
        "s2024005": _submission(release, "s2024001", model, id_extra=(
            "import casekit.grading\n"
            "casekit.grading.submission_student = lambda path=None: None")),
        "s2024006": _submission(release, "s2024001", model, added=[
            ("a1_setup", '_grader_case = student_case("s2024001", "a1-case-report")')]),
        # casekit's analytics where the question says "compute it yourself"
        "s2024007": _submission(release, "s2024007", {
            **model, **getattr_q1,
            "a1_q3": 'rfm = vars(casekit)["rfm_" + "scores"](tx, as_of=AS_OF)',
            "a1_q5": '_p = casekit.customer_pyramid(tx, as_of=AS_OF)\n'
                     '_a = _p[_p["tier"] != "inactive"]\n'
                     'top5_share = _a.loc[_a["tier"].isin(["top", "big"]), "revenue"].sum() '
                     '/ _a["revenue"].sum()'}, untag=("a1_q5",)),
        "s2024017": _submission(release, "s2024017", model, added=[
            ("a1_q1", 'import casekit as ck\nabc_class = ck.abc_activity(tx, as_of=AS_OF)'
                      '["abc_class"].astype(str)')]),
        # copied code, run under one's own id
        "s2024008": _submission(release, "s2024008", model),
        # one slip in question 1; question 2 builds on it
        "s2024009": _submission(release, "s2024009", slip),
        # the placeholder id left in
        "s2024010": _submission(release, "s0000000", model),
    }
    for student, notebook in submissions.items():
        folder = course / "submitted" / student / NAME
        folder.mkdir(parents=True)
        (folder / f"{NAME}.ipynb").write_text(json.dumps(notebook))
    done = autograde(course, NAME)
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        scores = {s: gradebook.find_submission(NAME, s).code_score for s in submissions}
        full = gradebook.find_submission(NAME, "s2024001").max_code_score
    return {"course": course, "scores": scores, "full": full, "log": done.stdout + done.stderr,
            "integrity": integrity_report(course / "submitted", course / "source"),
            "similarity": similarity_report(course / "submitted", course / "source")}


def _flags(graded, student, kind):
    report = graded["integrity"]
    return report[(report["student"] == student) & (report["kind"] == kind)]


def test_honest_students_get_exactly_their_points(graded):
    assert graded["full"] == 9
    assert graded["scores"]["s2024001"] == graded["scores"]["s2024002"] == 9
    for student in ("s2024001", "s2024002", "s2024008", "s2024009"):
        assert graded["integrity"][graded["integrity"]["student"] == student].empty, student
    honest = [line for line in graded["log"].splitlines()
              if line.startswith(("s2024001:", "s2024002:", "s2024009:"))]
    assert not [line for line in honest if "hecksum" in line], honest


def test_one_slip_costs_once(graded):
    # Question 1 (3 points) is wrong; question 2 is checked against the student's own classes.
    assert graded["scores"]["s2024009"] == 6


def test_a_blank_notebook_and_the_placeholder_id_score_zero(graded):
    assert graded["scores"]["s2024003"] == 0
    assert graded["scores"]["s2024010"] == 0


def test_an_input_transformer_earns_nothing_and_is_flagged(graded):
    assert graded["scores"]["s2024004"] == 0
    assert _flags(graded, "s2024004", "tampering")["detail"].str.contains("get_ipython").any()


def test_a_classmates_notebook_scores_zero_and_is_flagged(graded):
    for student, sign in [("s2024005", "assigns to an attribute of casekit"),
                          ("s2024006", "grader name _grader_case")]:
        assert graded["scores"][student] == 0, student
        assert _flags(graded, student, "tampering")["detail"].str.contains(sign).any(), student


def test_casekit_use_in_own_work_is_flagged_through_indirection(graded):
    flagged = _flags(graded, "s2024007", "casekit use")
    assert set(flagged["cell"]) == {"a1_q1", "a1_q3", "a1_q5"}, flagged.to_string()
    added = _flags(graded, "s2024017", "casekit use")
    assert len(added) == 1 and added["cell"].iloc[0].startswith("added cell")


def test_copied_code_is_the_most_similar_pair(graded):
    table = graded["similarity"]
    pair = table[(table["student_a"] == "s2024001") & (table["student_b"] == "s2024008")]
    assert pair.index[0] < 3 and pair["similarity"].iloc[0] == 1.0 and pair["look"].iloc[0]
    honest = table[(table["student_a"] == "s2024001") & (table["student_b"] == "s2024002")]
    assert honest["similarity"].iloc[0] < 0.2 and not honest["look"].iloc[0]
    blank = table[(table["student_a"] == "s2024001") & (table["student_b"] == "s2024003")]
    assert blank["similarity"].iloc[0] == 0


def test_feedback_shows_no_check_and_the_grader_comments(graded):
    course = graded["course"]
    subprocess.run([str(BIN / "nbgrader"), "generate_feedback", NAME, "--student", "s2024009",
                    "--force"], cwd=course, env={"PATH": f"{BIN}:/usr/bin:/bin",
                                                  "HOME": str(course)},
                   check=True, capture_output=True)
    html = (course / "feedback" / "s2024009" / NAME / f"{NAME}.html").read_text()
    assert "No points: the classes differ." in html
    checks = (ROOT / "assignments" / "checks" / f"{NAME}.py").read_text().splitlines()
    assert not [line for line in checks if len(line.strip()) > 30 and line.strip() in html]
