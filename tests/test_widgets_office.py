"""Widgets of the office-supplies case notebook: set a control, compare with the analytics."""

import numpy as np
import pandas as pd
import pytest

import casekit
from casekit.widgets import churn_value_explorer, tier_move_explorer


@pytest.fixture(scope="module")
def transactions():
    return casekit.generate_case("office_supplies", n_customers=300, seed=7).transactions


def test_tier_move_matches_pyramid_what_if(transactions):
    explorer = tier_move_explorer(transactions)
    assert explorer.controls["share"].description == "share of every tier moving up"
    explorer.controls["share"].value = 0.3
    expected = casekit.pyramid_what_if(transactions, share=0.3, profit_col="gross_margin")
    pd.testing.assert_frame_equal(explorer.result, expected)
    assert explorer.result.loc["total", "revenue_change"] > 0
    assert "revenue_change" in explorer.display.value


def test_tier_move_as_of_and_revenue_only(transactions):
    explorer = tier_move_explorer(transactions, as_of="2023-12-31", profit_col=None,
                                  window_months=6, share=0.2)
    expected = casekit.pyramid_what_if(transactions, share=0.2, as_of="2023-12-31",
                                       window_months=6)
    pd.testing.assert_frame_equal(explorer.result, expected)


def test_tier_move_bad_as_of(transactions):
    with pytest.raises(ValueError, match="tier_move_explorer: as_of must be a date"):
        tier_move_explorer(transactions, as_of="later")


def test_churn_value_matches_clv_formula():
    explorer = churn_value_explorer(160.0, customers=2000, reference={"2023": 0.1, "2024": 0.3})
    assert explorer.values == {"churn": 0.3, "discount": 0.1}
    explorer.controls["churn"].value = 0.45
    explorer.controls["discount"].value = 0.05
    result = explorer.result
    assert list(result.index) == ["2023", "2024", "chosen"]
    churn = np.array([0.1, 0.3, 0.45])
    clv = casekit.clv_formula(160.0, 1 - churn, 0.05, convention="immediate")
    np.testing.assert_allclose(result["churn"], churn)
    np.testing.assert_allclose(result["expected_years"], 1 / churn)
    np.testing.assert_allclose(result["clv"], clv)
    np.testing.assert_allclose(result["base_value"], clv * 2000)
    # lower churn is always worth more
    assert result["clv"].is_monotonic_decreasing
