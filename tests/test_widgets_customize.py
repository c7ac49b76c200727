"""Customize widgets: each setting shows what the public analytics return for it."""

import numpy as np
import pandas as pd
import pytest

from casekit import allocate_budget, evaluate_offers, next_best_offer
from casekit.widgets import budget_explorer, offer_explorer


def _bought():
    rng = np.random.default_rng(7)
    customers = [f"c{i:02d}" for i in range(30)]
    categories = ["soup", "fish", "rice", "tea"]
    rows = [(c, categories[(i + int(rng.integers(0, 3)) // 2) % 4])
            for i, c in enumerate(customers) for _ in range(1 + i % 5)]
    bought = pd.DataFrame(rows, columns=["customer_id", "category"])
    bought["date"] = pd.Timestamp("2024-05-01")
    truth = pd.DataFrame({"customer_id": customers})
    for k, category in enumerate(categories):
        truth[f"taste_{category}"] = [0.7 if i % 4 == k else 0.1 for i in range(30)]
    return bought, truth


def test_offer_explorer_matches_the_analytics():
    bought, truth = _bought()
    explorer = offer_explorer(bought, truth)
    for method in ["popular", "co-purchase", "history"]:
        for strength in [0.0, 5.0]:
            explorer.controls["method"].value = method
            explorer.controls["prior_strength"].value = strength
            expected = evaluate_offers(
                next_best_offer(bought, method=method, prior_strength=strength), truth)
            pd.testing.assert_series_equal(explorer.result, expected)
    assert "hit_rate" in explorer.display.value


def test_offer_explorer_errors():
    bought, truth = _bought()
    with pytest.raises(ValueError, match="offer_explorer: method must be one of"):
        offer_explorer(bought, truth, method="best")
    with pytest.raises(ValueError, match="offer_explorer: prior_strength must be <= 50"):
        offer_explorer(bought, truth, prior_strength=80)
    with pytest.raises(ValueError, match="offer_explorer: column 'category' not found"):
        offer_explorer(bought.drop(columns="category"), truth)


def _tiers():
    return pd.DataFrame({
        "tier": pd.Categorical(["top"] * 2 + ["big"] * 4 + ["small"] * 20,
                               categories=["top", "big", "small", "inactive"]),
        "profit": [800.0, 600.0] + [200.0] * 4 + [30.0] * 20,
    })


def test_budget_explorer_matches_the_analytics():
    tiers = _tiers()
    explorer = budget_explorer(tiers, budget=300.0)
    assert list(explorer.controls) == ["budget", "rule", "weight_top", "weight_big",
                                       "weight_small"]
    assert explorer.controls["budget"].max == 1200.0
    pd.testing.assert_frame_equal(explorer.result, allocate_budget(tiers, 300.0))
    explorer.controls["budget"].value = 600.0
    for rule in ["customers", "value", "optimal"]:
        explorer.controls["rule"].value = rule
        pd.testing.assert_frame_equal(explorer.result, allocate_budget(tiers, 600.0, rule))
    explorer.controls["rule"].value = "custom (sliders)"
    explorer.controls["weight_top"].value = 50
    explorer.controls["weight_small"].value = 0
    expected = allocate_budget(tiers, 600.0, {"top": 50, "big": 10, "small": 0})
    pd.testing.assert_frame_equal(explorer.result, expected)
    for name in ["top", "big"]:
        explorer.controls[f"weight_{name}"].value = 0
    assert explorer.result == "Set at least one tier weight above 0."


def test_budget_explorer_passes_the_response_model_on():
    tiers = _tiers()
    explorer = budget_explorer(tiers, budget=100.0, max_budget=500.0, max_uplift=0.5,
                               saturation=3.0, rule="customers")
    expected = allocate_budget(tiers, 100.0, "customers", max_uplift=0.5, saturation=3.0)
    pd.testing.assert_frame_equal(explorer.result, expected)


def test_budget_explorer_errors():
    with pytest.raises(ValueError, match="budget_explorer: rule must be one of"):
        budget_explorer(_tiers(), rule="equal")
    with pytest.raises(ValueError, match="budget_explorer: max_budget must be >= 100"):
        budget_explorer(_tiers(), budget=100.0, max_budget=50.0)
    with pytest.raises(ValueError, match="budget_explorer: max_budget must be > 0"):
        budget_explorer(_tiers(), budget=0.0)
    with pytest.raises(ValueError, match="budget_explorer: budget must be >= 0"):
        budget_explorer(_tiers(), budget=-5.0)
    with pytest.raises(ValueError, match="allocate_budget: column 'profit' not found in tiers"):
        budget_explorer(_tiers().rename(columns={"profit": "margin"}))
