"""Curry's customer pyramid: tier sizes, shares, migration and the what-if."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casekit import (
    PYRAMID_TIERS,
    customer_pyramid,
    pyramid_migration,
    pyramid_what_if,
    segment_shares,
)


def _tx(n, start="2024-03-01"):
    return pd.DataFrame({
        "customer_id": [f"c{i:04d}" for i in range(n)],
        "date": start,
        "amount": np.arange(n, 0, -1, dtype=float),
        "gross_margin": np.arange(n, 0, -1, dtype=float) / 4,
    })


def test_default_tiers_on_200_customers():
    out = customer_pyramid(_tx(200), profit_col="gross_margin", as_of="2024-06-30")
    assert out["tier"].value_counts(sort=False).to_dict() == {
        "top": 2, "big": 8, "medium": 30, "small": 160, "inactive": 0}
    assert out.loc["c0000", "rank"] == 1 and out.loc["c0000", "tier"] == "top"
    shares = segment_shares(out, by="tier", values=["revenue", "profit"])
    assert list(shares.index) == [*PYRAMID_TIERS, "inactive"]
    assert np.isclose(shares["revenue_share"].sum(), 1.0)
    assert shares.loc["top", "revenue"] == 200.0 + 199.0


def test_inactive_customers_and_returns():
    tx = pd.DataFrame({"customer_id": ["a", "b", "b", "c"],
                       "date": ["2024-05-01", "2022-01-01", "2024-05-02", "2024-05-03"],
                       "amount": [10.0, 50.0, -5.0, 1.0]})
    out = customer_pyramid(tx, as_of="2024-06-30", tiers={"top": 0.5, "small": 0.5})
    # b only returned goods in the window: not an order, so inactive
    assert out["tier"].astype(str).to_dict() == {"a": "top", "b": "inactive", "c": "small"}
    assert out.loc["b", "revenue"] == -5.0 and pd.isna(out.loc["b", "rank"])


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 400), st.lists(st.floats(0.01, 1), min_size=1, max_size=5))
def test_property_tier_sizes_follow_percentiles(n, weights):
    shares = np.array(weights) / sum(weights)
    tiers = {f"t{i}": float(s) for i, s in enumerate(shares)}
    tiers[f"t{len(shares) - 1}"] += 1 - sum(tiers.values())
    out = customer_pyramid(_tx(n), tiers=tiers)
    sizes = out["tier"].value_counts(sort=False).drop("inactive")
    assert sizes.sum() == n
    cum = np.cumsum(list(tiers.values())) * n
    assert (np.abs(np.cumsum(sizes.to_numpy()) - cum) < 1 + 1e-6).all()
    # ranks fall as revenue falls
    ranked = out.sort_values("rank")
    assert (np.diff(ranked["revenue"].to_numpy()) <= 0).all()
    assert np.isclose(out["revenue"].sum(), n * (n + 1) / 2)


def test_migration_matrix():
    tx = pd.DataFrame({"customer_id": ["a", "b", "a", "c", "d", "d"],
                       "date": ["2023-03-01", "2023-04-01", "2024-03-01", "2024-05-01",
                                "2023-05-01", "2024-05-05"],
                       "amount": [100.0, 10.0, 20.0, 90.0, 1.0, 5.0]})
    tiers = {"top": 0.3, "small": 0.7}
    counts = pyramid_migration(tx, before="2023-06-30", as_of="2024-06-30", tiers=tiers)
    assert counts.index.tolist() == ["top", "small", "inactive", "prospect"]
    assert counts.columns.tolist() == ["top", "small", "inactive"]
    assert counts.loc["top", "small"] == 1  # a fell
    assert counts.loc["small", "inactive"] == 1  # b stopped
    assert counts.loc["small", "small"] == 1  # d stayed
    assert counts.loc["prospect", "top"] == 1  # c arrived
    assert counts.to_numpy().sum() == 4
    shares = pyramid_migration(tx, before="2023-06-30", as_of="2024-06-30", tiers=tiers,
                               normalize=True)
    assert shares.loc["small"].tolist() == [0.0, 0.5, 0.5]
    assert shares.loc["inactive"].tolist() == [0.0, 0.0, 0.0]


def test_migration_before_any_data_makes_everyone_a_prospect():
    counts = pyramid_migration(_tx(10), before="2020-01-01")
    assert counts.loc["prospect"].sum() == 10


def test_what_if_moves_the_best_of_each_tier_up():
    out = pyramid_what_if(_tx(100), share=0.1, profit_col="gross_margin")
    assert out.loc["total", "customers_before"] == out.loc["total", "customers_after"] == 100
    assert out.loc["top", "customers_after"] == 1 + 0  # 10 % of 4 big customers rounds to 0
    assert out.loc["big", "customers_after"] == 4 + 2 - 0  # 2 of 15 medium move up
    assert out.loc["medium", "customers_after"] == 15 - 2 + 8
    assert out.loc["total", "revenue_change"] > 0
    assert out.loc["total", "profit_change"] == pytest.approx(
        out.loc["total", "revenue_change"] / 4)
    nothing = pyramid_what_if(_tx(100), share=0.0)
    assert (nothing["revenue_change"] == 0).all()


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"tiers": {"top": 0.5, "small": 0.4}}, ValueError,
         "customer_pyramid: tier shares must add up to 1; found 0.9"),
        ({"tiers": {"top": 0.5, "inactive": 0.5}}, ValueError, "tier names must be text other"),
        ({"tiers": {"top": 0.0, "small": 1.0}}, ValueError, r"tiers\['top'\] must be > 0"),
        ({"tiers": [0.5, 0.5]}, TypeError, "tiers must be a mapping of tier name to share"),
        ({"window_months": 0}, ValueError, "customer_pyramid: window_months must be >= 1"),
        ({"profit_col": "margin"}, ValueError, "customer_pyramid: column 'margin' not found"),
    ],
)
def test_pyramid_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        customer_pyramid(_tx(5), **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"before": "2024-03-01", "as_of": "2024-03-01"}, "before must be earlier than as_of"),
        ({"before": "spring"}, "pyramid_migration: before must be a date"),
        ({"before": "2024-01-01", "tiers": {"top": 2.0}}, r"tiers\['top'\] must be <= 1"),
    ],
)
def test_migration_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        pyramid_migration(_tx(5), **kwargs)


@pytest.mark.parametrize("share", [-0.1, 1.5])
def test_what_if_errors(share):
    with pytest.raises(ValueError, match="pyramid_what_if: share must be"):
        pyramid_what_if(_tx(5), share=share)
