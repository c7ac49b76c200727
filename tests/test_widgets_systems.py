"""The hold-out explorer calls holdout_power and reacts to its controls."""

from __future__ import annotations

import pytest

from casekit import holdout_power
from casekit.widgets import holdout_explorer


def test_result_is_holdout_power():
    explorer = holdout_explorer(3000, base_rate=0.05, lift=0.03, value_per_response=50.0)
    plan = holdout_power(3000, holdout=0.2, base_rate=0.05, lift=0.03)
    assert explorer.result.loc["plan", "power"] == pytest.approx(plan["power"])
    explorer.controls["holdout"].value = 0.4
    explorer.controls["lift"].value = 0.05
    plan = holdout_power(3000, holdout=0.4, base_rate=0.05, lift=0.05)
    row = explorer.result.loc["plan"]
    assert row["n_control"] == 1200
    assert row["half_width"] == pytest.approx(plan["half_width"])
    assert row["forgone_value"] == pytest.approx(0.05 * 1200 * 50.0)
    assert "3,000 targeted customers" in explorer.widget.children[0].value


def test_bigger_holdout_is_more_precise_and_costs_more():
    explorer = holdout_explorer(3000, base_rate=0.05, lift=0.03)
    explorer.controls["holdout"].value = 0.1
    small = explorer.result.loc["plan"].copy()
    explorer.controls["holdout"].value = 0.5
    large = explorer.result.loc["plan"]
    assert large["half_width"] < small["half_width"]
    assert large["forgone_responses"] > small["forgone_responses"]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"lift": -0.1}, "holdout_explorer: lift must be >= 0.0; found -0.1"),
    ({"holdout": 0.9}, "holdout_explorer: holdout must be <= 0.5; found 0.9"),
    ({"base_rate": 0.0}, "holdout_explorer: base_rate must be > 0.0; found 0.0"),
    ({"value_per_response": -5.0}, "holdout_explorer: value_per_response must be >= 0.0"),
])
def test_bad_parameters(kwargs, message):
    args = {"base_rate": 0.05, "lift": 0.03, **kwargs}
    with pytest.raises(ValueError, match=message):
        holdout_explorer(3000, **args)


def test_bad_list_size():
    with pytest.raises(ValueError, match="holdout_explorer: n_targeted must be >= 40; found 10"):
        holdout_explorer(10, base_rate=0.05, lift=0.03)
