"""The checks of a1-case-report, run by ``python -m casekit.grading autograde``.

Instructor only: this folder is never released. Each check receives the
student's exported answers (plain data) and the reference computed here from
the submitter's own data; it raises AssertionError when the answer is wrong.
"""

import numpy as np
import pandas as pd

import casekit
from casekit.grading import student_case

AS_OF = pd.Timestamp("2024-12-31")


def reference(student_id):
    tx = student_case(student_id, "a1-case-report").transactions
    return {"tx": tx, "activity": casekit.abc_activity(tx, as_of=AS_OF)}


def a1_q1_tests(answers, ref):
    abc_class = answers["abc_class"]
    assert isinstance(abc_class, pd.Series), "abc_class must be a pandas Series"
    assert set(abc_class.index) == set(ref["tx"]["customer_id"]), "one class for every customer"
    expected = ref["activity"]["abc_class"].astype(str).sort_index()
    assert abc_class.astype(str).sort_index().equals(expected), "the classes differ"


def a1_q2_tests(answers, ref):
    share_ab = float(answers["share_ab"])
    # Checked against the student's own classes when they cover every customer, so a
    # mistake in question 1 is not punished twice.
    classes = ref["activity"]["abc_class"].astype(str)
    own = answers.get("abc_class")
    if isinstance(own, pd.Series) and set(own.index) == set(classes.index):
        classes = own.astype(str)
    tx = ref["tx"]
    revenue = tx[tx["date"].dt.year == 2024].groupby("customer_id")["amount"].sum()
    expected = revenue[classes.reindex(revenue.index).isin(["A", "B"])].sum() / revenue.sum()
    assert abs(share_ab - expected) < 1e-6, "share_ab differs"


def a1_q3_tests(answers, ref):
    rfm = answers["rfm"]
    assert isinstance(rfm, pd.DataFrame), "rfm must be a DataFrame"
    assert {"recency", "frequency", "monetary"} <= set(rfm.columns), "three columns are needed"
    expected = casekit.rfm_scores(ref["tx"], as_of=AS_OF)
    assert set(rfm.index) == set(expected.index), "one row per customer"
    mine = rfm.reindex(expected.index)
    assert (mine["recency"].to_numpy(float) == expected["recency"].to_numpy(float)).all(), \
        "recency differs"
    assert (mine["frequency"].to_numpy(float) == expected["frequency"].to_numpy(float)).all(), \
        "frequency differs"
    assert np.allclose(mine["monetary"].to_numpy(float), expected["monetary"].to_numpy(float),
                       rtol=1e-9), "monetary differs"


def a1_q4_tests(answers, ref):
    segments = casekit.rfm_segments(ref["tx"], as_of=AS_OF)
    champions = segments.loc[segments["segment"] == "Champions", "monetary"].sum()
    assert abs(float(answers["champions_share"]) - champions / segments["monetary"].sum()) < 1e-6, \
        "champions_share differs"


def a1_q5_tests(answers, ref):
    pyramid = casekit.customer_pyramid(ref["tx"], as_of=AS_OF)
    active = pyramid[pyramid["tier"] != "inactive"]
    expected = (active.loc[active["tier"].isin(["top", "big"]), "revenue"].sum()
                / active["revenue"].sum())
    assert abs(float(answers["top5_share"]) - expected) < 1e-6, "top5_share differs"


CHECKS = {"a1_q1_tests": a1_q1_tests, "a1_q2_tests": a1_q2_tests, "a1_q3_tests": a1_q3_tests,
          "a1_q4_tests": a1_q4_tests, "a1_q5_tests": a1_q5_tests}
