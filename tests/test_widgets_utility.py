"""Utility widgets: arrears policy and survival curves, driven without a browser."""

import numpy as np
import pandas as pd
import pytest

from casekit import account_durations, arrears_policy, generate_case, kaplan_meier
from casekit.widgets import arrears_explorer, survival_explorer


@pytest.fixture(scope="module")
def utility():
    return generate_case("utility", n_customers=200, seed=5)


@pytest.fixture(scope="module")
def regulated():
    return generate_case("utility", n_customers=200, seed=5, market="regulated")


def test_arrears_explorer_calls_arrears_policy(utility):
    explorer = arrears_explorer(utility)
    pd.testing.assert_series_equal(explorer.result, arrears_policy(utility.bills))
    settings = {"threshold": 0.5, "churn_ratio": 2.0, "recovery": 0.6, "value_months": 24}
    for name, value in settings.items():
        explorer.controls[name].value = value
    pd.testing.assert_series_equal(explorer.result, arrears_policy(utility.bills, **settings))
    assert "net_effect" in explorer.display.value


def test_survival_explorer_reads_kaplan_meier(utility, regulated):
    explorer = survival_explorer({"deregulated": utility, "regulated": regulated})
    assert explorer.controls["market"].options == ("deregulated", "regulated")
    explorer.controls["market"].value = "regulated"
    explorer.controls["by"].value = "segment"
    result = explorer.result
    durations = account_durations(regulated.accounts, as_of=regulated.end)
    segment = regulated.accounts.set_index("customer_id")["segment"]
    home = durations[segment.reindex(durations.index) == "residential"]
    km = kaplan_meier(home["duration"], home["observed"])
    expected = km["survival"].loc[:24].iloc[-1]
    assert result.loc["residential", "S_24"] == pytest.approx(expected)
    assert result["accounts"].sum() == len(regulated.accounts)
    assert result.loc["residential", "closed"] == home["observed"].sum()


def test_survival_explorer_plan_and_unknown_horizon(utility):
    explorer = survival_explorer(utility, by="plan")
    plans = set(utility.tariffs["plan"])
    assert set(explorer.result.index) == plans
    # a 5-year horizon reads every month shown, so no curve stops short here
    assert not np.isnan(explorer.result.filter(like="S_").to_numpy()).all()


def test_errors(utility):
    office = generate_case("office_supplies", n_customers=30, seed=1)
    with pytest.raises(TypeError, match="arrears_explorer: expected the utility Case.*'office"):
        arrears_explorer(office)
    with pytest.raises(TypeError, match="survival_explorer: expected the utility Case.*'dict'"):
        survival_explorer({"a": {}})
    with pytest.raises(ValueError, match="survival_explorer: cases is empty"):
        survival_explorer({})
    with pytest.raises(ValueError, match=r"survival_explorer: by must be one of \['segment'"):
        survival_explorer(utility, by="city")


def test_survival_explorer_draws_one_curve_per_group(utility):
    explorer = survival_explorer(utility)
    explorer.controls["by"].value = "bill_delivery"
    assert explorer.display.value.startswith('<img class="casekit-figure"')
    assert '<th class="num">S_12</th>' in explorer.display.value


def test_two_markets_two_titles(utility, regulated):
    titles = {arrears_explorer(case).header.value.split("<b>")[1] for case in (utility, regulated)}
    assert len(titles) == 2
