"""Activity ABC (Reading 2), Pareto ABC with the curve data, and segment shares."""

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casekit import abc_activity, abc_pareto, segment_shares


def _tx(rows):
    return pd.DataFrame(rows, columns=["customer_id", "date", "amount"])


def _monthly(customer, months, day=15, amount=10.0):
    return [(customer, f"2024-{m:02d}-{day:02d}", amount) for m in months]


@pytest.fixture
def classes_tx():
    rows = (
        _monthly("a", range(1, 13))  # every month: A
        + _monthly("b", [2, 5, 8, 11])  # every quarter: B
        + _monthly("c", [1, 2])  # nothing since February: C
        + _monthly("g", [1, 4, 8])  # last order 4-5 months ago: the seed's gap
        + _monthly("i", [3, 11, 12])  # recent but skipped two quarters: irregular
        + [("r", "2024-12-01", -5.0)]  # only a return
    )
    return _tx(rows)


def test_activity_classes_follow_the_seed_rule(classes_tx):
    out = abc_activity(classes_tx, as_of="2024-12-31")
    assert out["abc_class"].astype(str).to_dict() == {
        "a": "A", "b": "B", "c": "C", "g": "D", "i": "D", "r": "C"}
    assert out.loc["a", "label"] == "active" and out.loc["g", "label"] == "irregular"
    assert out.loc["a", "months_active"] == 12 and out.loc["b", "months_active"] == 4
    assert out.loc["c", "days_since_last"] == (pd.Timestamp("2024-12-31")
                                               - pd.Timestamp("2024-02-15")).days
    assert pd.isna(out.loc["r", "last_order"]) and out.loc["r", "orders"] == 0
    assert out.loc["r", "revenue"] == -5.0


@pytest.mark.parametrize("gap", ["B", "C"])
def test_gap_handling_is_configurable(classes_tx, gap):
    out = abc_activity(classes_tx, as_of="2024-12-31", gap=gap)
    assert out.loc["g", "abc_class"] == gap and out.loc["i", "abc_class"] == gap
    assert list(out["abc_class"].cat.categories) == ["A", "B", "C"]


def test_window_and_slices_end_with_as_of():
    # monthly slices end on the as_of day: 15 June to 14 July is one slice
    rows = [("a", d, 1.0) for d in pd.date_range("2023-07-20", "2024-07-14", freq="30D")]
    out = abc_activity(_tx(rows), as_of="2024-07-14")
    assert out.loc["a", "abc_class"] == "A"
    later = abc_activity(_tx(rows), as_of="2024-09-14")
    assert later.loc["a", "abc_class"] == "B"  # two empty months, but an order this quarter
    lapsed = abc_activity(_tx(rows), as_of="2024-11-14")
    assert lapsed.loc["a", "abc_class"] == "D"  # last order four months ago
    gone = abc_activity(_tx(rows), as_of="2025-01-14")
    assert gone.loc["a", "abc_class"] == "C"


def test_last_order_keeps_the_time_of_its_day_and_slices_turn_at_midnight():
    rows = [("a", "2024-06-14 23:59:59", 5.0), ("a", "2024-06-30 09:15", 5.0),
            ("a", "2024-06-30 18:40", 7.0), ("a", "2024-06-30 21:00", -7.0),  # a return
            ("b", "2024-06-15 00:00", 5.0), ("b", "2024-06-20", 5.0)]
    out = abc_activity(_tx(rows), as_of="2024-07-14")
    assert out.loc["a", "last_order"] == pd.Timestamp("2024-06-30 18:40")
    assert out.loc["b", "last_order"] == pd.Timestamp("2024-06-20")
    assert out.loc["a", "days_since_last"] == 14
    # slices end with 14 July: a's first order is in the slice before 15 June, b's is not
    assert out["months_active"].to_dict() == {"a": 2, "b": 1}


def test_returns_do_not_make_a_customer_active():
    rows = _monthly("a", range(1, 13), amount=-1.0) + [("a", "2023-01-01", 50.0)]
    out = abc_activity(_tx(rows), as_of="2024-12-31")
    assert out.loc["a", "abc_class"] == "C"
    assert out.loc["a", "revenue"] == -12.0  # only the window's money


def test_activity_without_amount_column():
    tx = _tx(_monthly("a", range(1, 13))).drop(columns="amount")
    out = abc_activity(tx, amount_col=None, as_of="2024-12-31")
    assert "revenue" not in out and out.loc["a", "abc_class"] == "A"


customers = st.lists(
    st.tuples(st.integers(0, 9), st.integers(0, 500), st.floats(-20, 200)),
    min_size=1, max_size=60,
)


def _random_tx(rows):
    tx = pd.DataFrame(rows, columns=["customer_id", "day", "amount"])
    tx["customer_id"] = "c" + tx["customer_id"].astype(str)
    tx["date"] = pd.Timestamp("2023-01-01") + pd.to_timedelta(tx["day"], unit="D")
    return tx


@settings(max_examples=40, deadline=None)
@given(customers, st.sampled_from(["D", "B", "C"]))
def test_property_activity_classes_partition_customers(rows, gap):
    tx = _random_tx(rows)
    out = abc_activity(tx, as_of="2024-06-30", gap=gap)
    assert sorted(out.index) == sorted(tx["customer_id"].unique())
    assert out["abc_class"].notna().all()
    assert set(out["abc_class"].astype(str)) <= {"A", "B", "C", gap}
    start = pd.Timestamp("2023-07-01")
    in_window = tx[(tx["date"] >= start) & (tx["date"] < "2024-07-01")]
    assert np.isclose(out["revenue"].sum(), in_window["amount"].sum())


def test_pareto_classes_and_curve():
    values = [70.0, 15.0, 8.0, 5.0, 2.0]
    tx = _tx([(c, "2024-03-01", v) for c, v in zip("abcde", values, strict=True)])
    out = abc_pareto(tx)
    assert list(out.index) == list("abcde")
    assert out["pareto_class"].astype(str).tolist() == ["A", "A", "B", "B", "C"]
    assert out["customer_share"].tolist() == [0.2, 0.4, 0.6, 0.8, 1.0]
    assert np.isclose(out["cum_share"].iloc[-1], 1.0)
    three = abc_pareto(tx, cuts=(0.5, 0.9, 0.99))
    assert three["pareto_class"].astype(str).tolist() == ["A", "B", "B", "C", "C"]
    assert list(three["pareto_class"].cat.categories) == ["A", "B", "C", "D"]


def test_whale_curve_with_profit_and_ties_by_id():
    tx = pd.DataFrame({"customer_id": ["b", "a", "c", "d"], "date": "2024-01-01",
                       "amount": [10.0, 10.0, 10.0, 10.0],
                       "gross_margin": [6.0, 6.0, 1.0, -3.0]})
    out = abc_pareto(tx, value_col="gross_margin")
    assert list(out.index) == ["a", "b", "c", "d"]
    assert out["cum_share"].max() > 1.0 and np.isclose(out["cum_share"].iloc[-1], 1.0)


def test_pareto_window_gives_zero_to_inactive_customers():
    tx = _tx([("a", "2023-01-01", 100.0), ("b", "2024-06-01", 10.0)])
    out = abc_pareto(tx, window_months=6, as_of="2024-06-30")
    assert out["value"].to_dict() == {"b": 10.0, "a": 0.0}


@settings(max_examples=40, deadline=None)
@given(customers)
def test_property_pareto_preserves_totals_and_orders_classes(rows):
    tx = _random_tx(rows)
    if tx["amount"].sum() <= 0 or not np.isfinite(tx["amount"].sum()):
        return
    out = abc_pareto(tx)
    assert np.isclose(out["value"].sum(), tx["amount"].sum())
    assert (np.diff(out["value"]) <= 0).all()
    codes = out["pareto_class"].cat.codes.to_numpy()
    assert (np.diff(codes) >= 0).all()
    assert out["pareto_class"].iloc[0] == "A"


def test_segment_shares():
    seg = pd.DataFrame({"tier": pd.Categorical(["top", "small", "small"],
                                               categories=["top", "big", "small"]),
                        "revenue": [80.0, 15.0, 5.0], "profit": [10.0, -2.0, 2.0]})
    out = segment_shares(seg, by="tier", values=["revenue", "profit"])
    assert list(out.index) == ["top", "big", "small"]
    assert out["customers"].tolist() == [1, 0, 2]
    assert out["revenue_share"].tolist() == [0.8, 0.0, 0.2]
    assert out["profit_share"].tolist() == [1.0, 0.0, 0.0]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"window_months": 0}, ValueError, "abc_activity: window_months must be >= 1"),
        ({"window_months": 12.5}, TypeError, "abc_activity: window_months must be a whole"),
        ({"b_every": 5}, ValueError, "a_every < b_every <= window_months"),
        ({"a_every": 3}, ValueError, "found a_every=3, b_every=3"),
        ({"gap": "E"}, ValueError, r"abc_activity: gap must be one of \['D', 'B', 'C'\]"),
        ({"as_of": "2020-01-01"}, ValueError, "abc_activity: no transactions dated on or before"),
    ],
)
def test_activity_errors(classes_tx, kwargs, error, match):
    with pytest.raises(error, match=match):
        abc_activity(classes_tx, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"cuts": (0.95, 0.8)}, ValueError, "cuts must rise strictly between 0 and 1"),
        ({"cuts": (0.8, 1.0)}, ValueError, "cuts must rise strictly"),
        ({"cuts": "80/95"}, ValueError, "cuts must be a list of shares"),
        ({"cuts": ("a", "b")}, ValueError, "cuts must hold numbers"),
        ({"value_col": "profit"}, ValueError, "abc_pareto: column 'profit' not found"),
        ({"amount_col": None}, TypeError, "abc_pareto: amount_col must be a column name"),
        ({"window_months": -1}, ValueError, "abc_pareto: window_months must be >= 1"),
    ],
)
def test_pareto_errors(classes_tx, kwargs, error, match):
    with pytest.raises(error, match=match):
        abc_pareto(classes_tx, **kwargs)


def test_pareto_error_when_total_not_positive():
    with pytest.raises(ValueError, match="abc_pareto: the total of 'amount' is -5"):
        abc_pareto(_tx([("a", "2024-01-01", -5.0)]))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"by": "tier", "values": ["sales"]}, ValueError,
         "segment_shares: column 'sales' not found in segments"),
        ({"by": 3}, TypeError, "segment_shares: by must be a column name"),
    ],
)
def test_segment_shares_errors(kwargs, error, match):
    seg = pd.DataFrame({"tier": ["top"], "revenue": [1.0]})
    with pytest.raises(error, match=match):
        segment_shares(seg, **kwargs)


@pytest.fixture(scope="module")
def office_supplies():
    from casekit import generate_case

    return generate_case("office_supplies", n_customers=40_000, seed=3)


def _stated_activity_shares(card):
    rows = re.findall(r"^\| ([A-D]) \| (\d+)% \| (\d+)% \|$", card, flags=re.M)
    return {cls: (int(accounts) / 100, int(revenue) / 100) for cls, accounts, revenue in rows}


def test_office_supplies_story_shows_in_the_numbers(office_supplies):
    """Seed 001: most revenue comes from the active classes; the card's shares hold."""
    stated = _stated_activity_shares(office_supplies.card)
    assert set(stated) == {"A", "B", "C", "D"}
    out = abc_activity(office_supplies.transactions, as_of="2024-12-31")
    shares = segment_shares(out, by="abc_class")
    # the office-supplies reading: the active 60% of customers bring 80% of revenue
    assert shares.loc[["A", "B"], "revenue_share"].sum() == pytest.approx(0.80, abs=0.05)
    assert shares.loc[["A", "B"], "customer_share"].sum() == pytest.approx(0.60, abs=0.05)
    for cls, (accounts, revenue) in stated.items():
        # the card states population values in whole percent; 40,000 accounts sit close
        assert shares.loc[cls, "customer_share"] == pytest.approx(accounts, abs=0.01), cls
        assert shares.loc[cls, "revenue_share"] == pytest.approx(revenue, abs=0.02), cls
    pareto = abc_pareto(office_supplies.transactions, as_of="2024-12-31", window_months=12)
    # 80% of revenue comes from well under half of the accounts (42% in this case)
    assert pareto["pareto_class"].value_counts(normalize=True)["A"] < 0.5


@pytest.mark.parametrize("n", [60, 2_000_000])  # a table of flags, and a sort
def test_distinct_count_matches_numpy_unique(n):
    from casekit._abc import _distinct_count

    rng = np.random.default_rng(5)
    codes, slots = rng.integers(0, 50, 2_000) * (n // 60), rng.integers(0, 12, 2_000)
    expected = np.bincount(np.unique(codes * 12 + slots) // 12, minlength=n)
    np.testing.assert_array_equal(_distinct_count(codes, slots, n, 12), expected)
