"""The simulator widget: its controls build a plan and its result is simulate's outcome."""

import pandas as pd
import pytest

from casekit import generate_case, simulate, simulator_decisions
from casekit.widgets import simulator_explorer


@pytest.fixture(scope="module")
def insurance():
    return generate_case("insurance", n_customers=800, seed=6)


@pytest.fixture(scope="module")
def utility():
    return generate_case("utility", n_customers=600, seed=6)


def test_controls_start_at_the_baseline(insurance):
    explorer = simulator_explorer(insurance, seed=2)
    assert sorted(explorer.controls) == sorted(simulator_decisions("insurance").index)
    assert (explorer.result.loc["difference"] == 0).all()
    pd.testing.assert_frame_equal(explorer.result, simulate(insurance, {}, seed=2))


def test_setting_controls_runs_the_plan(insurance):
    explorer = simulator_explorer(insurance, seed=2, years=2)
    explorer.controls["reminders"].value = "agent call"
    explorer.controls["settlement_days"].value = 15.0
    explorer.controls["cross_sell"].value = "bank"
    plan = {"reminders": "agent call", "settlement_days": 15.0, "cross_sell": "bank"}
    pd.testing.assert_frame_equal(explorer.result, simulate(insurance, plan, seed=2, years=2))
    assert "customers_kept" in explorer.display.value
    assert explorer.controls["settlement_days"].min == 10.0


def test_every_case_has_a_control_per_decision(utility):
    explorer = simulator_explorer(utility, seed=0)
    explorer.controls["arrears_policy"].value = "payment plan"
    explorer.controls["outage_response"].value = "apology credit"
    pd.testing.assert_frame_equal(
        explorer.result,
        simulate(utility, {"arrears_policy": "payment plan",
                           "outage_response": "apology credit"}, seed=0))


def test_errors(insurance):
    with pytest.raises(TypeError, match=r"simulator_explorer: seed must be an int so that the "
                                        r"outcome repeats; found NoneType"):
        simulator_explorer(insurance, seed=None)
    with pytest.raises(TypeError, match=r"simulator_explorer: case must be a casekit Case"):
        simulator_explorer(insurance.truth)
    with pytest.raises(ValueError, match=r"simulate: years must be a whole number from 1 to 5"):
        simulator_explorer(insurance, years=9)


def test_tier_decisions_are_multiple_choice():
    office = generate_case("office_supplies", n_customers=600, seed=6)
    explorer = simulator_explorer(office, seed=1)
    control = explorer.controls["regular_visits"]
    assert list(control.options) == ["A", "B", "C", "D"] and control.value == ()
    control.value = ("A", "B")
    pd.testing.assert_frame_equal(explorer.result,
                                  simulate(office, {"regular_visits": ["A", "B"]}, seed=1))
