"""The checks of a2-insurance-defence, run by ``python -m casekit.grading autograde``.

Instructor only: this folder is never released. See a1-case-report.py.
"""

import numpy as np
import pandas as pd

import casekit
from casekit.grading import student_case


def _survival(model, period):
    return float(np.ravel(model.survival(period))[0])


def reference(student_id):
    case = student_case(student_id, "a2-insurance-defence")
    holders = case.tables["holders"]
    truth = case.truth.merge(holders[["customer_id", "since", "cohort"]], on="customer_id")
    truth = truth[truth["cohort"] == 2015]
    # the renewal at which a holder left, from the true churn date (NaN: never left)
    left_at = ((truth["churn_date"] - truth["since"]).dt.days / 365.25).round()
    alive = np.array([(left_at.isna() | (left_at > k)).sum() for k in range(10)], dtype=float)
    return {"case": case, "alive": alive, "signals": casekit.renewal_signals(case)}


def a2_q1_tests(answers, ref):
    alive = np.asarray(answers["alive"], dtype=float)
    assert alive.shape == (10,), "alive holds the cohort size and nine counts"
    assert np.array_equal(alive, ref["alive"]), "the counts differ"


def a2_q2_tests(answers, ref):
    # Checked against the student's own counts when they have the right form, so a
    # mistake in question 1 is not punished twice.
    alive = ref["alive"]
    try:
        own = np.asarray(answers.get("alive"), dtype=float)
    except (TypeError, ValueError):
        own = None
    if own is not None and own.shape == (10,) and (own > 0).all() and (np.diff(own) <= 0).all():
        alive = own
    model = casekit.ShiftedBetaGeometric().fit(alive[:6])
    assert abs(float(answers["sbg_s9"]) - _survival(model, 9)) < 1e-4, "sbg_s9 differs"
    assert abs(float(answers["naive_s9"]) - (alive[1] / alive[0]) ** 9) < 1e-9, "naive_s9 differs"
    assert abs(float(answers["actual_s9"]) - alive[9] / alive[0]) < 1e-9, "actual_s9 differs"


def a2_q4_tests(answers, ref):
    branches = answers["branches"]
    assert isinstance(branches, pd.DataFrame), "branches must be a DataFrame"
    signals = ref["signals"].copy()
    holders = ref["case"].tables["holders"].set_index("customer_id")
    signals["branch"] = signals["customer_id"].map(holders["branch"])
    expected = signals.groupby("branch").agg(median_days=("branch_settlement_days", "first"),
                                             renewal_rate=("renewed", "mean"),
                                             decisions=("renewed", "size"))
    assert set(branches.index) == set(expected.index), "one row per branch"
    mine = branches.reindex(expected.index)
    for column in ["median_days", "renewal_rate", "decisions"]:
        assert np.allclose(mine[column].astype(float), expected[column].astype(float),
                           rtol=1e-9, equal_nan=True), f"{column} differs"


def a2_q5_tests(answers, ref):
    speed_bands = answers["speed_bands"]
    assert isinstance(speed_bands, pd.DataFrame), "speed_bands must be a DataFrame"
    bands = casekit.rate_by_band(ref["signals"], value_col="branch_settlement_days",
                                 outcome_col="renewed", bins=[0, 20, 365])
    assert len(speed_bands) == len(bands), "one row per band"
    assert np.allclose(speed_bands["rate"].to_numpy(float), bands["rate"].to_numpy(float)), \
        "rate differs"
    assert np.allclose(speed_bands["n"].to_numpy(float), bands["n"].to_numpy(float)), "n differs"


def a2_q7_tests(answers, ref):
    by_channel = answers["by_channel"]
    assert isinstance(by_channel, pd.DataFrame), "by_channel must be a DataFrame"
    signals = ref["signals"]
    rates = casekit.rate_by_band(signals[signals["renewal_number"] == 1], value_col="channel",
                                 outcome_col="renewed")["rate"]
    tables = ref["case"].tables
    channel = tables["holders"].set_index("customer_id")["channel"]
    policies = tables["policies"]["customer_id"].map(channel).value_counts()
    per_holder = policies / channel.value_counts()
    assert set(by_channel.index) == set(per_holder.index), "one row per channel"
    assert np.allclose(by_channel["first_renewal_rate"].reindex(rates.index).astype(float),
                       rates.astype(float)), "first_renewal_rate differs"
    assert np.allclose(by_channel["policies_per_holder"].reindex(per_holder.index).astype(float),
                       per_holder.astype(float)), "policies_per_holder differs"


CHECKS = {"a2_q1_tests": a2_q1_tests, "a2_q2_tests": a2_q2_tests, "a2_q4_tests": a2_q4_tests,
          "a2_q5_tests": a2_q5_tests, "a2_q7_tests": a2_q7_tests}
