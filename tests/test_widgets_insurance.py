"""The insurance what-if widget: set the sliders, read retention and value."""

import pandas as pd
import pytest

from casekit import clv_formula, customer_equity, generate_case, rate_by_band, renewal_signals
from casekit.widgets import retention_what_if_explorer


@pytest.fixture(scope="module")
def signals():
    return renewal_signals(generate_case("insurance", n_customers=1500, seed=6))


def _expected_retention(signals, slow_share, reminded_share):
    slow = signals["branch_settlement_days"] > 20
    cell = slow.map({True: "slow", False: "fast"}) + "|" + signals["reminded"].map(
        {True: "yes", False: "no"})
    rate = rate_by_band(signals.assign(cell=cell), value_col="cell",
                        outcome_col="renewed")["rate"]
    return ((1 - slow_share) * reminded_share * rate["fast|yes"]
            + (1 - slow_share) * (1 - reminded_share) * rate["fast|no"]
            + slow_share * reminded_share * rate["slow|yes"]
            + slow_share * (1 - reminded_share) * rate["slow|no"])


def test_today_is_the_observed_renewal_rate(signals):
    explorer = retention_what_if_explorer(signals, margin=150.0, n_customers=1000)
    slow = (signals["branch_settlement_days"] > 20).mean()
    reminded = explorer.controls["reminded"].value
    assert explorer.result.loc["today", "retention"] == pytest.approx(
        _expected_retention(signals, slow, signals["reminded"].mean()))
    assert reminded == pytest.approx(signals["reminded"].mean(), abs=0.005)


def test_plan_matches_the_public_formulas(signals):
    explorer = retention_what_if_explorer(signals, margin=150.0, n_customers=1000, discount=0.08)
    explorer.controls["moved_to_fast"].value = 0.5
    explorer.controls["reminded"].value = 1.0
    slow = (signals["branch_settlement_days"] > 20).mean()
    retention = _expected_retention(signals, slow * 0.5, 1.0)
    plan = explorer.result.loc["plan"]
    assert plan["retention"] == pytest.approx(retention)
    assert plan["clv"] == pytest.approx(clv_formula(150.0, retention, 0.08))
    assert plan["customer_equity"] == pytest.approx(
        customer_equity(clv_formula(150.0, retention, 0.08), n_customers=1000))
    change = explorer.result.loc["change"]
    pd.testing.assert_series_equal(change, plan - explorer.result.loc["today"],
                                   check_names=False)
    assert change["retention"] > 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"margin": -1.0}, "retention_what_if_explorer: margin must be a number >= 0.0"),
        ({"n_customers": 0}, "retention_what_if_explorer: n_customers must be a positive int"),
        ({"discount": "10%"}, "retention_what_if_explorer: discount must be a number"),
    ],
)
def test_bad_parameters(signals, kwargs, message):
    with pytest.raises(ValueError, match=message):
        retention_what_if_explorer(signals, **{"margin": 100.0, "n_customers": 10, **kwargs})


def test_bad_signals(signals):
    with pytest.raises(ValueError, match="retention_what_if_explorer: column 'reminded' not "
                                         "found in signals"):
        retention_what_if_explorer(signals.drop(columns="reminded"), margin=1.0, n_customers=1)
    with pytest.raises(ValueError, match=r"retention_what_if_explorer: signals have no renewals "
                                         r"in cell\(s\)"):
        retention_what_if_explorer(signals[signals["reminded"]], margin=1.0, n_customers=1)


def test_defaults_change_nothing_and_display_is_readable(signals):
    explorer = retention_what_if_explorer(signals, margin=150.0, n_customers=100_000)
    assert (explorer.result.loc["change"] == 0).all()
    assert "%" in explorer.display.value and "e+" not in explorer.display.value
