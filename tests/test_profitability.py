"""Customer profitability after cost to serve (activity costing of Reading 2)."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casekit import ACTIVITY_COSTS, activity_counts, customer_profitability


@pytest.fixture
def tx():
    return pd.DataFrame({"customer_id": ["a", "a", "b", "b"],
                         "date": ["2024-01-05", "2024-02-05", "2024-01-20", "2024-01-25"],
                         "amount": [500.0, 300.0, 90.0, -40.0],
                         "gross_margin": [150.0, 90.0, 30.0, -12.0]})


def test_cost_to_serve_by_hand(tx):
    costs = {"order": 10.0, "delivery": 5.0, "visit": 50.0}
    visits = pd.DataFrame({"customer_id": ["b", "a", "z"], "visit": [3, 1, 2]})
    out = customer_profitability(tx, costs=costs, activities=visits)
    assert list(out.index) == ["a", "b", "z"]
    assert out.loc["a", ["n_order", "n_delivery", "n_visit"]].tolist() == [2, 2, 1]
    assert out.loc["a", "profit"] == 240.0 - (20 + 10 + 50)
    # the return nets the margin but is not an order to serve
    assert out.loc["b", "gross_margin"] == 18.0 and out.loc["b", "n_order"] == 1
    assert out.loc["b", "profit"] == 18.0 - (10 + 5 + 150)
    assert out.loc["z", "profit"] == -100.0 and out.loc["z", "revenue"] == 0.0
    assert out["profit_rank"].tolist() == [1, 3, 2]


def test_default_costs_without_activity_table(tx):
    out = customer_profitability(tx)
    assert out.loc["a", "n_visit"] == 0 and out.loc["a", "n_ticket"] == 0
    per_order = ACTIVITY_COSTS["order"] + ACTIVITY_COSTS["delivery"]
    assert out.loc["a", "cost_to_serve"] == 2 * per_order


def test_activity_table_may_count_deliveries(tx):
    table = pd.DataFrame({"customer_id": ["a"], "delivery": [5]})
    out = customer_profitability(tx, costs={"delivery": 2.0}, activities=table)
    assert out.loc["a", "n_delivery"] == 5 and out.loc["b", "n_delivery"] == 0


def test_window_and_as_of(tx):
    out = customer_profitability(tx, costs={"order": 1.0}, as_of="2024-01-31", window_months=1)
    assert out.loc["a", "revenue"] == 500.0 and out.loc["b", "revenue"] == 50.0


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 8), st.floats(-50, 500), st.floats(0, 1)),
                min_size=1, max_size=50))
def test_property_totals_are_preserved(rows):
    tx = pd.DataFrame(rows, columns=["customer_id", "amount", "rate"])
    tx["customer_id"] = "c" + tx["customer_id"].astype(str)
    tx["date"] = "2024-03-01"
    tx["gross_margin"] = tx["amount"] * tx["rate"]
    out = customer_profitability(tx, costs={"order": 3.0})
    assert np.isclose(out["revenue"].sum(), tx["amount"].sum())
    assert np.isclose(out["profit"].sum(),
                      tx["gross_margin"].sum() - 3.0 * (tx["amount"] >= 0).sum())
    assert sorted(out["profit_rank"]) == list(range(1, len(out) + 1))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"costs": {"order": -1.0}}, ValueError,
         r"customer_profitability: costs\['order'\] must be >= 0"),
        ({"costs": [12.0]}, TypeError, "costs must be a mapping of activity"),
        ({"costs": {1: 2.0}}, TypeError, "activity names in costs must be text"),
        ({"margin_col": "margin"}, ValueError, "column 'margin' not found in transactions"),
        ({"margin_col": None}, TypeError, "margin_col must be a column name"),
        ({"activities": pd.DataFrame({"customer_id": ["a"]})}, ValueError,
         "column 'visit' not found in activities"),
        ({"activities": pd.DataFrame({"customer_id": ["a", "a"], "visit": [1, 2],
                                      "ticket": [0, 0]})}, ValueError,
         "column 'customer_id' must be unique in activities"),
        ({"activities": pd.DataFrame({"customer_id": ["a"], "visit": [-1], "ticket": [0]})},
         ValueError, "column 'visit' must be >= 0"),
        ({"window_months": 0}, ValueError, "window_months must be >= 1"),
    ],
)
def test_errors(tx, kwargs, error, match):
    with pytest.raises(error, match=match):
        customer_profitability(tx, **kwargs)


def test_activity_counts_feed_profitability(tx):
    visits = pd.DataFrame({"customer_id": ["a", "b", "a", "a"],
                           "date": ["2023-06-01", "2024-01-10", "2024-02-01", "2024-05-01"]})
    tickets = pd.DataFrame({"customer_id": ["b"], "date": [pd.Timestamp("2024-02-10")]})
    counts = activity_counts({"visit": visits, "ticket": tickets}, as_of="2024-02-29",
                             window_months=6)
    assert counts.to_dict("list") == {"customer_id": ["a", "b"], "visit": [1, 1],
                                      "ticket": [0, 1]}
    out = customer_profitability(tx, activities=counts, as_of="2024-02-29", window_months=6)
    assert out.loc["b", "n_ticket"] == 1 and out.loc["a", "n_visit"] == 1
    everything = activity_counts({"visit": visits})
    assert everything.set_index("customer_id")["visit"].to_dict() == {"a": 3, "b": 1}


@pytest.mark.parametrize(
    ("events", "kwargs", "error", "match"),
    [
        ([], {}, TypeError, "activity_counts: events must be a non-empty mapping"),
        ({1: pd.DataFrame()}, {}, TypeError, "activity_counts: activity names must be text"),
        ({"visit": pd.DataFrame({"customer_id": ["a"]})}, {}, ValueError,
         r"activity_counts: column 'date' not found in events\['visit'\]"),
        ({"visit": pd.DataFrame({"customer_id": pd.Series([], dtype=object),
                                 "date": pd.Series([], dtype="datetime64[ns]")})}, {},
         ValueError,
         "activity_counts: every events table is empty"),
        ({"visit": pd.DataFrame({"customer_id": ["a"], "date": ["2024-01-01"]})},
         {"as_of": "soon"}, ValueError, "activity_counts: as_of must be a date"),
        ({"visit": pd.DataFrame({"customer_id": ["a"], "date": ["2024-01-01"]})},
         {"window_months": 0}, ValueError, "activity_counts: window_months must be >= 1"),
    ],
)
def test_activity_counts_errors(events, kwargs, error, match):
    with pytest.raises(error, match=match):
        activity_counts(events, **kwargs)
