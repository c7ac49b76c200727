"""The checks of a3-catering-defence, run by ``python -m casekit.grading autograde``.

Instructor only: this folder is never released. See a1-case-report.py.
"""

import numpy as np
import pandas as pd

import casekit
from casekit.grading import student_case

METHODS = ["popular", "history", "co-purchase"]


def reference(student_id):
    case = student_case(student_id, "a3-catering-defence")
    tables = case.tables
    dishes = (tables["visit_items"][["order_id", "dish_id"]]
              .merge(tables["menu"][["dish_id", "category"]], on="dish_id")
              .merge(tables["visits"][["order_id", "customer_id", "date"]], on="order_id"))
    return {"case": case, "dishes": dishes}


def a3_q1_tests(answers, ref):
    dishes, favourite = answers["dishes"], answers["favourite"]
    assert {"customer_id", "date", "dish_id", "category"} <= set(dishes.columns), "four columns"
    assert len(dishes) == len(ref["case"].tables["visit_items"]), "one row per dish ordered"
    assert isinstance(favourite, pd.Series), "favourite must be a pandas Series"
    expected = casekit.next_best_offer(ref["dishes"], method="history", prior_strength=0)["offer"]
    assert favourite.astype(str).sort_index().equals(expected.astype(str).sort_index()), \
        "the favourite categories differ"


def a3_q2_tests(answers, ref):
    pareto = casekit.abc_pareto(ref["case"].tables["visits"], value_col="gross_margin")
    expected = pareto["value"].head(int(0.2 * len(pareto))).sum() / pareto["value"].sum()
    assert abs(float(answers["top20_margin_share"]) - expected) < 1e-6, "the share differs"


def a3_q3_tests(answers, ref):
    offer_scores = answers["offer_scores"]
    assert isinstance(offer_scores, pd.DataFrame), "offer_scores must be a DataFrame"
    for method in METHODS:
        score = casekit.evaluate_offers(casekit.next_best_offer(ref["dishes"], method=method),
                                        ref["case"].truth)
        for column in ["hit_rate", "taste_share"]:
            assert abs(float(offer_scores.loc[method, column]) - score[column]) < 1e-6, \
                f"{method} {column} differs"


def a3_q4_tests(answers, ref):
    holdout = answers["holdout"]
    assert isinstance(holdout, pd.Series), "holdout must be a pandas Series"
    dishes = ref["dishes"]
    later = dishes[dishes["date"] >= pd.Timestamp("2024-01-01")]
    for method in METHODS:
        offers = casekit.next_best_offer(dishes, method=method, as_of="2023-12-31")["offer"]
        kept = later[later["customer_id"].isin(offers.index)]
        hits = kept["category"].to_numpy() == offers.loc[kept["customer_id"]].to_numpy()
        assert abs(float(holdout[method]) - hits.mean()) < 1e-6, f"{method} differs"


def a3_q6_tests(answers, ref):
    history = casekit.next_best_offer(ref["dishes"], method="history")
    # Compared with the student's own favourites from question 1 when they name a
    # category for every member, so a mistake there is not punished twice.
    favourite = casekit.next_best_offer(ref["dishes"], method="history", prior_strength=0)["offer"]
    own = answers.get("favourite")
    if isinstance(own, pd.Series) and set(own.index) == set(history.index):
        favourite = own.astype(str)
    same = history["offer"].astype(str) == favourite.reindex(history.index).astype(str)
    light, heavy = same[history["n_items"] <= 3].mean(), same[history["n_items"] > 3].mean()
    assert abs(float(answers["agree_light"]) - light) < 1e-6, "agree_light differs"
    assert abs(float(answers["agree_heavy"]) - heavy) < 1e-6, "agree_heavy differs"
    assert np.isfinite([light, heavy]).all()


CHECKS = {"a3_q1_tests": a3_q1_tests, "a3_q2_tests": a3_q2_tests, "a3_q3_tests": a3_q3_tests,
          "a3_q4_tests": a3_q4_tests, "a3_q6_tests": a3_q6_tests}
