"""Small silent results and raw errors of issue-sized cases, each with its message or value."""

import numpy as np
import pandas as pd
import pytest

import casekit

TX = pd.DataFrame({"customer_id": list("abcdefgh") * 3,
                   "date": pd.date_range("2024-01-01", periods=24, freq="5D"),
                   "amount": np.arange(24) * 10.0 + 5, "gross_margin": 1.0})


@pytest.mark.parametrize(("call", "error", "match"), [
    (lambda: casekit.ab_lift(pd.DataFrame({
        "group": ["treatment", "treatment", "control", "control"],
        "responded": pd.array([True, pd.NA, False, True], dtype="boolean")})),
     ValueError, r"ab_lift: column 'responded' in data has 1 missing values"),
    (lambda: casekit.pyramid_what_if(TX, tiers={"total": 0.5, "rest": 0.5}),
     ValueError, r"pyramid_what_if: tier names must be text other than .*'total'.*found 'total'"),
    (lambda: casekit.allocate_budget(pd.DataFrame({"tier": ["total", "x"], "profit": [1.0, 2.0]}),
                                     100),
     ValueError, r"allocate_budget: column 'tier' has a tier named 'total'"),
    (lambda: casekit.pyramid_migration(TX, before="2024-02-15", normalize="no"),
     TypeError, r"pyramid_migration: normalize must be True or False; found 'no'"),
    (lambda: casekit.lifecycle_transitions(TX, before="2024-02-15", normalize="yes"),
     TypeError, r"lifecycle_transitions: normalize must be True or False; found 'yes'"),
    (lambda: casekit.abc_pareto(TX, cuts=[i / 30 for i in range(1, 27)]),
     ValueError, r"abc_pareto: cuts must be a flat list of at most 25 shares .* found 26 items"),
    (lambda: casekit.customer_profitability(TX, window_months=100_000),
     ValueError, r"customer_profitability: window_months must be <= 1200; found 100000"),
    (lambda: casekit.pyramid_what_if(TX, window_months=10**5),
     ValueError, r"pyramid_what_if: window_months must be <= 1200"),
    (lambda: casekit.rate_by_band(pd.DataFrame({"v": [1.0, np.inf, 3.0], "o": [1, 0, 1]}),
                                  value_col="v", outcome_col="o", bins=2),
     ValueError, r"rate_by_band: column 'v' must be finite; found 1 infinite values"),
    (lambda: casekit.arrears_churn(pd.DataFrame(), bands=("low", "high")),
     ValueError, r"arrears_churn: bands must be increasing positive numbers .* found "
                 r"\('low', 'high'\)"),
    (lambda: casekit.lifecycle_transitions(TX.assign(amount=-TX["amount"]), before="2024-02-15"),
     ValueError, r"lifecycle_transitions: no purchases on or before as_of=2024-04-25; every row "
                 r"has a negative amount"),
    (lambda: casekit.match_records(pd.DataFrame({"record_id": ["a", 1],
                                                 "name": ["Ann Lee", "Ann Lee"]})),
     ValueError, r"match_records: column 'record_id' in records mixes ids of different types "
                 r"\(int, str\), e.g. \[1, 'a'\]; give every record an id of one type"),
    (lambda: casekit.record_pairs(pd.DataFrame({"record_id": [2.5, "b"],
                                                "name": ["Ann Lee", "Ann Lee"]})),
     ValueError, r"record_pairs: column 'record_id' in records mixes ids of different types"),
    (lambda: casekit.lifecycle_stages(TX, p_alive=pd.Series([0.1, 0.9], index=["x", "y"])),
     ValueError, r"lifecycle_stages: the index of p_alive shares no customer id with the "
                 r"transactions \(e.g. \['x', 'y'\] against \['a', 'b', 'c'\]\)"),
    (lambda: casekit.lifecycle_transitions(TX, before="2024-02-15", contract_end=pd.Series(
        ["2024-03-01"], index=["z"])),
     ValueError, r"lifecycle_transitions: the index of contract_end shares no customer id"),
], ids=["ab_lift NA", "what_if total", "allocate total", "migration normalize",
        "transitions normalize", "26 cuts", "window 1e5", "what_if window", "band inf",
        "text bands", "only returns", "mixed record ids", "mixed ids in pairs",
        "p_alive keyed apart", "contract_end keyed apart"])
def test_clear_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_ten_or_more_cuts_give_more_classes():
    out = casekit.abc_pareto(TX, cuts=[i / 12 for i in range(1, 12)])
    assert list(out["pareto_class"].cat.categories) == list("ABCDEFGHIJKL")


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_rfm_best_of_few_customers_scores_top(n):
    tx = pd.DataFrame({"customer_id": [f"c{i}" for i in range(n)],
                       "date": pd.date_range("2024-01-01", periods=n, freq="7D"),
                       "amount": np.arange(1, n + 1) * 10.0})
    out = casekit.rfm_scores(tx)
    best = f"c{n - 1}"  # most recent and highest spend
    assert out.loc[best, "r_score"] == 5 and out.loc[best, "m_score"] == 5
    if n > 1:
        assert out.loc["c0", "r_score"] == 1 and out.loc["c0", "m_score"] == 1
