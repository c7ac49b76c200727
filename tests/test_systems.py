"""Campaigns with hold-outs, the pipeline, service levels and cross-buying."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import casekit
from casekit import (
    campaign_roi,
    cross_buying,
    holdout_power,
    holdout_split,
    pipeline_forecast,
    pipeline_summary,
    service_levels,
)


def _targets(n=1000):
    return pd.DataFrame({"customer_id": [f"c{k:04d}" for k in range(n)], "tier": "small"})


# --- holdout_split ---------------------------------------------------------------

def test_holdout_split_sizes_order_and_determinism():
    target = _targets()
    one = holdout_split(target, holdout=0.25, seed=4)
    assert (one["group"] == "control").sum() == 250
    assert one["customer_id"].tolist() == target["customer_id"].tolist()
    assert one["tier"].eq("small").all()
    assert one.equals(holdout_split(target, holdout=0.25, seed=4))
    assert not one.equals(holdout_split(target, holdout=0.25, seed=5))
    assert "group" not in target.columns


def test_holdout_split_is_random_not_the_first_rows():
    one = holdout_split(_targets(), holdout=0.5, seed=1)
    first_half = one["group"].iloc[:500].eq("control").mean()
    assert 0.4 < first_half < 0.6


@pytest.mark.parametrize("holdout", [0, 1, -0.1, True, "0.2"])
def test_holdout_split_bad_share(holdout):
    with pytest.raises(ValueError, match="holdout_split: holdout must be a share strictly "
                                         "between 0 and 1"):
        holdout_split(_targets(10), holdout=holdout, seed=1)


def test_holdout_split_errors():
    with pytest.raises(ValueError, match="holdout_split: a hold-out of 0.01 of 10 customers "
                                         "leaves 0 in control"):
        holdout_split(_targets(10), holdout=0.01, seed=1)
    dup = pd.DataFrame({"customer_id": ["a", "a", "b"]})
    with pytest.raises(ValueError, match="holdout_split: column 'customer_id' must be unique"):
        holdout_split(dup, holdout=0.5, seed=1)
    with pytest.raises(ValueError, match="holdout_split: column 'id' not found in customers"):
        holdout_split(_targets(10), customer_col="id", seed=1)
    with pytest.raises(TypeError, match="holdout_split: seed must be"):
        holdout_split(_targets(10), seed="x")


# --- holdout_power ----------------------------------------------------------------

def test_holdout_power_matches_a_simulation():
    plan = holdout_power(3000, holdout=0.3, base_rate=0.05, lift=0.03)
    rng = np.random.default_rng(0)
    n_t, n_c = plan["n_treatment"], plan["n_control"]
    lifts = rng.binomial(n_t, 0.08, 4000) / n_t - rng.binomial(n_c, 0.05, 4000) / n_c
    assert lifts.std() == pytest.approx(plan["se"], rel=0.05)
    assert plan["half_width"] == pytest.approx(1.959964 * plan["se"])
    assert plan["forgone_responses"] == pytest.approx(0.03 * 900)


def test_holdout_power_grows_with_the_list_and_a_balanced_split():
    small = holdout_power(500, holdout=0.2, base_rate=0.05, lift=0.03)["power"]
    large = holdout_power(5000, holdout=0.2, base_rate=0.05, lift=0.03)["power"]
    tiny_holdout = holdout_power(5000, holdout=0.02, base_rate=0.05, lift=0.03)["power"]
    assert small < large and tiny_holdout < large
    null = holdout_power(5000, holdout=0.5, base_rate=0.05, lift=0.0)
    assert null["power"] == pytest.approx(0.05)


def test_holdout_power_errors():
    with pytest.raises(ValueError, match="holdout_power: base_rate \\+ lift must lie between"):
        holdout_power(100, holdout=0.2, base_rate=0.05, lift=-0.1)
    with pytest.raises(ValueError, match="holdout_power: base_rate must be a share"):
        holdout_power(100, holdout=0.2, base_rate=0, lift=0.1)
    with pytest.raises(TypeError, match="holdout_power: n_targeted must be a whole number"):
        holdout_power(100.5, holdout=0.2, base_rate=0.1, lift=0.1)
    with pytest.raises(ValueError, match="holdout_power: n_targeted must be >= 2"):
        holdout_power(1, holdout=0.2, base_rate=0.1, lift=0.1)
    with pytest.raises(ValueError, match="holdout_power: a hold-out of 0.1 of 3 customers"):
        holdout_power(3, holdout=0.1, base_rate=0.1, lift=0.1)
    with pytest.raises(ValueError, match="holdout_power: confidence must be"):
        holdout_power(100, holdout=0.2, base_rate=0.1, lift=0.1, confidence=95)


# --- campaign_roi -----------------------------------------------------------------

def _campaign():
    return pd.DataFrame({
        "group": ["treatment"] * 400 + ["control"] * 100,
        "responded": [1] * 40 + [0] * 360 + [1] * 4 + [0] * 96,
        "tier": (["top", "small"] * 250),
    })


def test_campaign_roi_by_hand():
    out = campaign_roi(_campaign(), cost_per_contact=2.0, value_per_response=80.0).loc["all"]
    assert out["lift"] == pytest.approx(0.10 - 0.04)
    assert out["incremental"] == pytest.approx(0.06 * 400)
    assert out["cost"] == 800.0
    assert out["roi"] == pytest.approx((24 * 80 - 800) / 800)
    assert out["roi_low"] < out["roi"] < out["roi_high"]
    assert out["roi_low"] == pytest.approx((out["ci_low"] * 400 * 80 - 800) / 800)


def test_campaign_roi_by_segment_and_real_case_uplift():
    out = campaign_roi(_campaign(), by="tier", cost_per_contact=1.0, value_per_response=10.0)
    assert list(out.index) == ["small", "top"]
    assert out["n_treatment"].sum() == 400
    case = casekit.generate_case("office_supplies", n_customers=3000, seed=2)
    res = campaign_roi(case.campaigns, cost_per_contact=5.0, value_per_response=100.0)
    assert res.loc["all", "ci_low"] > 0  # the simulated campaigns have a real uplift


def test_campaign_roi_errors():
    with pytest.raises(ValueError, match="campaign_roi: cost_per_contact must be > 0; found 0"):
        campaign_roi(_campaign(), cost_per_contact=0, value_per_response=1.0)
    with pytest.raises(ValueError, match="campaign_roi: value_per_response must be >= 0"):
        campaign_roi(_campaign(), cost_per_contact=1, value_per_response=-1.0)
    with pytest.raises(ValueError, match="campaign_roi: column 'grp' not found in data"):
        campaign_roi(_campaign(), group_col="grp", cost_per_contact=1, value_per_response=1.0)
    bad = _campaign().assign(responded="yes")
    with pytest.raises(ValueError, match="campaign_roi: column 'responded' in data must hold"):
        campaign_roi(bad, cost_per_contact=1, value_per_response=1.0)


# --- pipeline ---------------------------------------------------------------------

def _deals():
    return pd.DataFrame({
        "manager_id": ["m1", "m1", "m1", "m2", "m2", "m2", "m2"],
        "stage": ["won", "lost", "proposal", "won", "won", "lost", "prospect"],
        "expected_value": [100.0, 50.0, 300.0, 10.0, 20.0, 30.0, 40.0],
        "created": pd.to_datetime(["2024-01-03", "2024-01-10", "2024-02-01", "2024-02-10",
                                   "2024-03-05", "2024-04-10", "2024-06-01"]),
        "expected_close": pd.to_datetime(["2024-02-01", "2024-03-15", "2024-08-01",
                                          "2024-04-20", "2024-05-01", "2024-05-30",
                                          "2024-09-01"]),
    })


def test_pipeline_summary_by_manager():
    out = pipeline_summary(_deals(), by="manager_id")
    assert list(out.columns[:6]) == ["deals", "won", "lost", "proposal", "prospect", "win_rate"]
    assert out.loc["m1", "win_rate"] == 0.5 and out.loc["m2", "win_rate"] == pytest.approx(2 / 3)
    assert out.loc["m1", "weighted_pipeline"] == 150.0
    assert out.loc["m2", "won_value"] == 30.0
    assert out.loc["m2", "win_low"] < out.loc["m2", "win_rate"] < out.loc["m2", "win_high"]
    assert out["deals"].sum() == 7


def test_pipeline_summary_on_the_case_adds_up():
    case = casekit.generate_case("office_supplies", n_customers=500, seed=3)
    out = pipeline_summary(case.opportunities)
    assert out.loc["all", "deals"] == len(case.opportunities)
    won = case.opportunities["stage"].eq("won")
    assert out.loc["all", "won_value"] == pytest.approx(
        case.opportunities.loc[won, "expected_value"].sum())


def test_pipeline_summary_errors():
    with pytest.raises(ValueError, match="pipeline_summary: no deals in stage 'won' in column "
                                         "'stage'; stages are \\['lost'"):
        pipeline_summary(_deals().query("stage != 'won'"))
    with pytest.raises(ValueError, match="pipeline_summary: column 'amount' not found"):
        pipeline_summary(_deals(), value_col="amount")
    with pytest.raises(ValueError, match="pipeline_summary: column 'expected_value'"):
        pipeline_summary(_deals().assign(expected_value=-1.0))


def test_pipeline_forecast_by_hand():
    out = pipeline_forecast(_deals().query("stage in ['won', 'lost']"), end="2024-07-01")
    # Q2: due = deals 4, 5 (created before April, closing in Q2); known before April:
    # deal 1 won, deal 2 lost -> rate 0.5.
    row = out.loc[pd.Timestamp("2024-04-01")]
    assert row["due_deals"] == 2 and row["win_rate_to_date"] == 0.5
    assert row["forecast"] == 15.0 and row["won_value"] == 30.0 and row["error"] == 15.0
    assert list(out.index) == [pd.Timestamp("2024-04-01")]


def test_pipeline_forecast_errors():
    with pytest.raises(ValueError, match="pipeline_forecast: deals due between 2024-07-01 and "
                                         "2024-10-01 are still open"):
        pipeline_forecast(_deals(), end="2024-12-31")
    with pytest.raises(ValueError, match="pipeline_forecast: freq must be one of"):
        pipeline_forecast(_deals(), end="2024-07-01", freq="W")
    back = _deals().assign(expected_close=pd.Timestamp("2023-01-01"))
    with pytest.raises(ValueError, match="pipeline_forecast: 7 deals close before they are"):
        pipeline_forecast(back, end="2024-07-01")
    with pytest.raises(ValueError, match="pipeline_forecast: no period before end=2024-02-01"):
        pipeline_forecast(_deals(), end="2024-02-01")
    with pytest.raises(ValueError, match="pipeline_forecast: end must be a date"):
        pipeline_forecast(_deals(), end="soon")


# --- service levels ---------------------------------------------------------------

def test_service_levels_by_tier():
    data = pd.DataFrame({"hours": [1.0, 3.0, 10.0, 2.0, 20.0, 30.0],
                         "tier": ["top", "top", "top", "small", "small", "small"],
                         "resolved": [1, 1, 0, 1, 0, 0]})
    out = service_levels(data, time_col="hours", target=5, by="tier", resolved_col="resolved")
    assert list(out.index) == ["small", "top"]
    assert out.loc["top", "within_target"] == pytest.approx(2 / 3)
    assert out.loc["small", "resolved_share"] == pytest.approx(1 / 3)
    assert out.loc["top", "median"] == 3.0
    assert out.loc["small", "p90"] == pytest.approx(28.0)
    assert (out["within_low"] <= out["within_target"]).all()
    assert "resolved_share" not in service_levels(data, time_col="hours", target=5).columns


def test_service_levels_errors():
    data = pd.DataFrame({"hours": [1.0, -2.0], "resolved": [True, False]})
    with pytest.raises(ValueError, match="service_levels: column 'hours'"):
        service_levels(data, time_col="hours", target=5)
    with pytest.raises(ValueError, match="service_levels: column 'days' not found in data"):
        service_levels(data, time_col="days", target=5)
    with pytest.raises(TypeError, match="service_levels: target must be a number"):
        service_levels(data.abs(), time_col="hours", target="5")
    bad = data.abs().assign(resolved=["y", "n"])
    with pytest.raises(ValueError, match="service_levels: column 'resolved' in data must hold"):
        service_levels(bad, time_col="hours", target=5, resolved_col="resolved")


# --- cross-buying -----------------------------------------------------------------

def test_cross_buying_on_the_insurance_case():
    case = casekit.generate_case("insurance", n_customers=400, seed=8)
    out = cross_buying(case.policies)
    assert out.index.is_monotonic_increasing
    assert out["n_products"].sum() == case.policies.drop_duplicates(
        ["customer_id", "product"]).shape[0]
    assert (out["products"].str.count(r"\+") + 1).equals(out["n_products"])
    assert out["n_products"].max() >= 2


def test_cross_buying_errors():
    with pytest.raises(ValueError, match="cross_buying: column 'product' not found in holdings"):
        cross_buying(pd.DataFrame({"customer_id": ["a"], "item": ["x"]}))
    with pytest.raises(ValueError, match="cross_buying: column 'product'"):
        cross_buying(pd.DataFrame({"customer_id": ["a", "b"], "product": ["x", None]}))
    with pytest.raises(TypeError, match="cross_buying: holdings must be a pandas DataFrame"):
        cross_buying([("a", "x")])
