"""The grader's checks, run on answers given as plain data (no notebook, no nbgrader)."""

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT

import casekit
from casekit.grading import grade_answers, student_case

COURSE = ROOT / "assignments"
AS_OF = pd.Timestamp("2024-12-31")


@pytest.fixture(scope="module")
def a1_answers():
    """Right answers for s2024001, computed here as a student could."""
    tx = student_case("s2024001", "a1-case-report").transactions
    abc = casekit.abc_activity(tx, as_of=AS_OF)
    revenue = tx[tx["date"].dt.year == 2024].groupby("customer_id")["amount"].sum()
    classes = abc["abc_class"].astype(str)
    seg = casekit.rfm_segments(tx, as_of=AS_OF)
    pyramid = casekit.customer_pyramid(tx, as_of=AS_OF)
    active = pyramid[pyramid["tier"] != "inactive"]
    return {
        "abc_class": classes,
        "share_ab": revenue[classes.reindex(revenue.index).isin(["A", "B"])].sum() / revenue.sum(),
        "rfm": casekit.rfm_scores(tx, as_of=AS_OF)[["recency", "frequency", "monetary"]],
        "champions_share": seg.loc[seg["segment"] == "Champions", "monetary"].sum()
        / seg["monetary"].sum(),
        "top5_share": active.loc[active["tier"].isin(["top", "big"]), "revenue"].sum()
        / active["revenue"].sum(),
        "_revenue": revenue,
    }


def _points(table):
    return dict(zip(table["cell"], table["points"], strict=True))


def test_right_answers_earn_every_point(a1_answers):
    table = grade_answers(COURSE, "a1-case-report", "s2024001", a1_answers)
    assert table["points"].sum() == table["max_points"].sum() == 9
    assert set(table["comment"]) == {"Correct."}


def test_a_classmates_answers_earn_nothing(a1_answers):
    table = grade_answers(COURSE, "a1-case-report", "s2024002", a1_answers,
                          notebook_id="s2024001")
    assert table["points"].sum() == 0
    assert "ran with STUDENT_ID 's2024001', not yours" in table["comment"].iloc[0]


def test_a_slip_in_question_1_costs_once(a1_answers):
    slip = a1_answers["abc_class"].replace({"A": "B"})
    revenue = a1_answers["_revenue"]
    own_share = revenue[slip.reindex(revenue.index).isin(["A", "B"])].sum() / revenue.sum()
    assert (slip != a1_answers["abc_class"]).any()
    answers = dict(a1_answers, abc_class=slip, share_ab=own_share)
    points = _points(grade_answers(COURSE, "a1-case-report", "s2024001", answers))
    assert points["a1_q1_tests"] == 0 and points["a1_q2_tests"] == 1


def test_missing_and_wrong_answers_say_why(a1_answers):
    answers = {k: v for k, v in a1_answers.items() if k != "rfm"}
    answers["top5_share"] = 0.5
    answers["abc_class"] = a1_answers["abc_class"].iloc[:10]
    table = grade_answers(COURSE, "a1-case-report", "s2024001", answers,
                          unreadable={"rfm": "not defined when the notebook ran"})
    comments = dict(zip(table["cell"], table["comment"], strict=True))
    assert comments["a1_q3_tests"] == ("No points: `rfm` could not be graded (not defined when "
                                       "the notebook ran).")
    assert comments["a1_q5_tests"] == "No points: top5_share differs."
    assert comments["a1_q1_tests"] == "No points: one class for every customer."
    assert _points(table)["a1_q2_tests"] == 1  # the true classes: its own do not cover everyone


def test_grade_answers_errors(tmp_path):
    with pytest.raises(ValueError, match="grade_answers: unknown assignment 'a9'"):
        grade_answers(COURSE, "a9", "s1", {})
    with pytest.raises(ValueError, match="load_checks: no checks for 'a1-case-report'"):
        grade_answers(tmp_path, "a1-case-report", "s1", {})
    with pytest.raises(ValueError, match="grade_answers: student_id must be a non-empty"):
        grade_answers(COURSE, "a1-case-report", " ", {})


def test_a2_survival_is_checked_against_the_students_own_counts():
    case = student_case("s2024001", "a2-insurance-defence")
    assert len(case.truth) > 0
    alive = np.array([1000, 800, 700, 640, 600, 570, 550, 535, 522, 510], dtype=float)
    model = casekit.ShiftedBetaGeometric().fit(alive[:6])
    answers = {"alive": alive, "sbg_s9": float(np.ravel(model.survival(9))[0]),
               "naive_s9": (alive[1] / alive[0]) ** 9, "actual_s9": alive[9] / alive[0]}
    points = _points(grade_answers(COURSE, "a2-insurance-defence", "s2024001", answers))
    assert points["a2_q1_tests"] == 0 and points["a2_q2_tests"] == 2
