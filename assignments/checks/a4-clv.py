"""The checks of a4-clv, run by ``python -m casekit.grading autograde``.

Instructor only: this folder is never released. See a1-case-report.py.
"""

import numpy as np
import pandas as pd

import casekit
from casekit.grading import student_case

CONVENTIONS = ["immediate", "gupta_lehmann", "end_of_period"]


def reference(student_id):
    case = student_case(student_id, "a4-clv")
    visits = case.tables["visits"]
    summary = casekit.customer_summary(visits, amount_col="gross_margin", freq="W",
                                       observation_end="2024-12-31")
    rft = [summary[c] for c in ["frequency", "recency", "T"]]
    return {"case": case, "visits": visits, "summary": summary, "rft": rft,
            "bg": casekit.BetaGeo().fit(*rft)}


def a4_q1_tests(answers, ref):
    visits = ref["visits"]
    year = visits["date"].dt.year
    before = visits.loc[year == 2023, "customer_id"].unique()
    after = visits.loc[year == 2024, "customer_id"].unique()
    assert abs(float(answers["retention_2024"]) - np.isin(before, after).mean()) < 1e-9, \
        "retention_2024 differs"
    margin = visits[year == 2024].groupby("customer_id")["gross_margin"].sum().mean()
    assert abs(float(answers["margin_2024"]) - margin) < 1e-6, "margin_2024 differs"


def a4_q2_tests(answers, ref):
    clv_conventions = answers["clv_conventions"]
    assert set(clv_conventions) == set(CONVENTIONS), "three values"
    # From the student's own margin and retention: one slip is not punished twice.
    margin, retention = float(answers["margin_2024"]), float(answers["retention_2024"])
    for convention in CONVENTIONS:
        expected = casekit.clv_formula(margin, retention, 0.1, convention=convention)
        assert abs(float(clv_conventions[convention]) / expected - 1) < 1e-6, \
            f"{convention} differs"


def _params(answers):
    params = answers["bg_params"]
    assert isinstance(params, dict), "bg_params must be a dict of the four parameters"
    assert set(params) == {"r", "alpha", "a", "b"}, "BG/NBD has four parameters"
    return {k: float(v) for k, v in params.items()}


def a4_q4_tests(answers, ref):
    params = _params(answers)
    for name, value in ref["bg"].params_.items():
        assert abs(params[name] / value - 1) < 1e-3, f"{name} differs"
    clv_12m = answers["clv_12m"]
    assert isinstance(clv_12m, pd.Series), "clv_12m must be a pandas Series"
    summary = ref["summary"]
    repeat = summary[summary["frequency"] > 0]
    gg = casekit.GammaGamma().fit(repeat["frequency"], repeat["monetary_value"])
    expected = gg.clv(ref["bg"], *ref["rft"], summary["monetary_value"], time_unit="week",
                      discount_rate=0.01, months=12)
    mine = clv_12m.reindex(summary.index).to_numpy(float)
    assert np.allclose(mine, np.asarray(expected, float), rtol=1e-2, atol=1e-2), "clv_12m differs"


def a4_q5_tests(answers, ref):
    # With the student's own parameters: a slip in question 4 is not punished twice.
    model = casekit.BetaGeo()
    model.params_ = _params(answers)
    expected = model.probability_alive(*ref["rft"])
    p_alive = answers["p_alive"]
    assert isinstance(p_alive, pd.Series), "p_alive must be a pandas Series"
    mine = p_alive.reindex(ref["summary"].index).to_numpy(float)
    assert np.allclose(mine, np.asarray(expected, float), atol=1e-6), "p_alive differs"


def a4_q6_tests(answers, ref):
    p = np.asarray(ref["bg"].probability_alive(*ref["rft"]), float)
    truth = ref["case"].truth.set_index("customer_id")["alive"]
    alive = truth.reindex(ref["summary"].index).to_numpy()
    assert abs(float(answers["expected_alive"]) - p.sum()) < 1.0, "expected_alive differs"
    assert int(answers["true_alive"]) == alive.sum(), "true_alive differs"
    assert abs(float(answers["accuracy"]) - ((p > 0.5) == alive).mean()) < 0.005, \
        "accuracy differs"


CHECKS = {"a4_q1_tests": a4_q1_tests, "a4_q2_tests": a4_q2_tests, "a4_q4_tests": a4_q4_tests,
          "a4_q5_tests": a4_q5_tests, "a4_q6_tests": a4_q6_tests}
