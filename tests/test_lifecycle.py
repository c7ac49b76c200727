"""Lifecycle stages (Reading 5), the transition matrix and the stage strategies."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casekit import (
    LIFECYCLE_RULES,
    LIFECYCLE_STAGES,
    LIFECYCLE_STRATEGIES,
    lifecycle_stages,
    lifecycle_transitions,
)


@pytest.fixture
def tx():
    rows = {
        "new": ["2024-11-20"],
        "grow": ["2024-04-01", "2024-08-01", "2024-11-01"],
        "steady": ["2023-01-10", "2023-06-10", "2024-01-10", "2024-05-10", "2024-09-10",
                   "2024-12-10"],
        "fade": ["2023-03-01", "2024-02-05", "2024-03-05", "2024-04-05", "2024-10-01"],
        "gone": ["2023-05-01"],
    }
    frame = pd.DataFrame([(c, d) for c, days in rows.items() for d in days],
                         columns=["customer_id", "date"])
    frame["amount"] = 10.0
    return frame


def test_stages_by_hand(tx):
    out = lifecycle_stages(tx, as_of="2024-12-31")
    assert out["stage"].astype(str).to_dict() == {
        "fade": "decline", "gone": "churned", "grow": "formation", "new": "exploration",
        "steady": "stability"}
    assert out.loc["fade", ["recent_orders", "previous_orders"]].tolist() == [1, 3]
    assert list(out["stage"].cat.categories) == list(LIFECYCLE_STAGES)


def test_rules_are_parameters(tx):
    out = lifecycle_stages(tx, as_of="2024-12-31",
                           rules={"churn_days": 1000, "decline_ratio": 0.2, "explore_days": 30})
    assert out.loc["gone", "stage"] == "decline"  # no order in either trend window
    assert out.loc["fade", "stage"] == "stability"
    assert out.loc["new", "stage"] == "formation"


def test_returns_are_not_purchases(tx):
    late_return = pd.DataFrame({"customer_id": ["gone"], "date": ["2024-12-01"],
                                "amount": [-10.0]})
    out = lifecycle_stages(pd.concat([tx, late_return]), as_of="2024-12-31")
    assert out.loc["gone", "stage"] == "churned"


def test_p_alive_can_mark_decline_and_churn(tx):
    p_alive = pd.Series({"steady": 0.3, "grow": 0.05})
    out = lifecycle_stages(tx, as_of="2024-12-31", p_alive=p_alive)
    assert out.loc["steady", "stage"] == "decline"
    assert out.loc["grow", "stage"] == "churned"
    assert np.isnan(out.loc["new", "p_alive"]) and out.loc["new", "stage"] == "exploration"


def test_contract_status_decides_churn(tx):
    ends = pd.Series({"steady": "2024-12-15", "gone": None, "new": "2025-03-01"})
    out = lifecycle_stages(tx, as_of="2024-12-31", contract_end=ends)
    assert out.loc["steady", "stage"] == "churned"
    assert out.loc["gone", "stage"] == "decline"  # contract open: not churned by recency
    assert out.loc["new", "stage"] == "exploration"


def test_transitions(tx):
    counts = lifecycle_transitions(tx, before="2024-06-15", as_of="2024-12-31")
    assert counts.index.tolist() == [*LIFECYCLE_STAGES, "prospect"]
    assert counts.columns.tolist() == list(LIFECYCLE_STAGES)
    assert counts.loc["prospect", "exploration"] == 1  # new
    assert counts.loc["exploration", "formation"] == 1  # grow
    assert counts.loc["churned", "churned"] == 1  # gone
    assert counts.to_numpy().sum() == 5
    shares = lifecycle_transitions(tx, before="2024-06-15", as_of="2024-12-31", normalize=True)
    assert np.allclose(shares.sum(axis=1)[counts.sum(axis=1) > 0], 1.0)


def test_strategies_cover_every_stage():
    assert set(LIFECYCLE_STRATEGIES) == set(LIFECYCLE_STAGES)
    assert "response analysis" in LIFECYCLE_STRATEGIES["exploration"].lower()
    assert "win-back" in LIFECYCLE_STRATEGIES["decline"].lower()
    assert "cross-sell" in LIFECYCLE_STRATEGIES["stability"].lower()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 900)), min_size=1, max_size=60),
       st.integers(50, 400))
def test_property_every_customer_gets_one_stage(rows, churn_days):
    tx = pd.DataFrame(rows, columns=["customer_id", "day"])
    tx["customer_id"] = "c" + tx["customer_id"].astype(str)
    tx["date"] = pd.Timestamp("2022-01-01") + pd.to_timedelta(tx["day"], unit="D")
    rules = {"churn_days": churn_days}
    out = lifecycle_stages(tx, amount_col=None, as_of="2024-12-31", rules=rules)
    assert sorted(out.index) == sorted(tx["customer_id"].unique())
    assert out["stage"].notna().all()
    churned = out["stage"] == "churned"
    assert (churned == (out["days_since_last"] >= churn_days)).all()


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"rules": {"churn_dayz": 10}}, ValueError, r"lifecycle_stages: unknown rules \['churn_d"),
        ({"rules": {"churn_days": 0}}, ValueError, r"rules\['churn_days'\] must be > 0"),
        ({"rules": {"decline_p": 1.5}}, ValueError, r"rules\['decline_p'\] must be <= 1"),
        ({"rules": {"explore_days": 400}}, ValueError, "must not exceed rules"),
        ({"rules": [("churn_days", 3)]}, TypeError, "rules must be a mapping"),
        ({"p_alive": [0.5]}, TypeError, "p_alive must be a pandas Series indexed by customer"),
        ({"p_alive": pd.Series({"new": 2.0})}, ValueError,
         r"p_alive must hold probabilities in \[0, 1\]; found 1 values"),
        ({"p_alive": pd.Series([0.1, 0.2], index=["new", "new"])}, ValueError,
         "p_alive has repeated customer ids"),
        ({"contract_end": pd.Series({"new": "someday"})}, ValueError,
         "column 'contract_end' has 1 values that are not dates, e.g. \\['someday'\\]"),
        ({"as_of": "2020-01-01"}, ValueError, "lifecycle_stages: no transactions dated"),
    ],
)
def test_stage_errors(tx, kwargs, error, match):
    with pytest.raises(error, match=match):
        lifecycle_stages(tx, **kwargs)


def test_stage_error_when_only_returns():
    tx = pd.DataFrame({"customer_id": ["a"], "date": ["2024-01-01"], "amount": [-3.0]})
    with pytest.raises(ValueError, match="lifecycle_stages: no purchases on or before"):
        lifecycle_stages(tx)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"before": "2025-01-01", "as_of": "2024-12-31"}, "before must be earlier than as_of"),
        ({"before": "x"}, "lifecycle_transitions: before must be a date"),
        ({"before": "2024-01-01", "rules": {"trend_days": -1}}, r"rules\['trend_days'\]"),
    ],
)
def test_transition_errors(tx, kwargs, match):
    with pytest.raises(ValueError, match=match):
        lifecycle_transitions(tx, **kwargs)


def test_default_rules_are_documented():
    assert set(LIFECYCLE_RULES) <= set(lifecycle_stages.__doc__.replace("``", " ").split())
