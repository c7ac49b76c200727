"""customer_summary and calibration_holdout against lifetimes on CDNOW and on small frames."""

import importlib.resources

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lifetimes.utils import calibration_and_holdout_data, summary_data_from_transaction_data

from casekit import calibration_holdout, customer_summary


@pytest.fixture(scope="module")
def cdnow():
    path = importlib.resources.files("lifetimes.datasets") / "CDNOW_master.txt"
    with path.open() as handle:
        frame = pd.read_csv(handle, sep=r"\s+", dtype={"customer_id": str, "date": str})
    frame["date"] = pd.to_datetime(frame["date"], format="%Y%m%d")
    return frame.rename(columns={"dollar_value": "amount"})


@pytest.mark.parametrize("freq", ["D", "W"])
def test_agrees_with_lifetimes_on_cdnow(cdnow, freq):
    expected = summary_data_from_transaction_data(
        cdnow, "customer_id", "date", "amount", observation_period_end="1998-06-30", freq=freq
    )
    found = customer_summary(cdnow, amount_col="amount", observation_end="1998-06-30", freq=freq)
    pd.testing.assert_frame_equal(found, expected)
    assert len(found) == 23570  # the CDNOW master cohort


def test_agrees_with_lifetimes_on_cdnow_mid_period_without_amounts(cdnow):
    expected = summary_data_from_transaction_data(
        cdnow, "customer_id", "date", observation_period_end="1997-09-30"
    )
    found = customer_summary(cdnow, observation_end="1997-09-30")
    pd.testing.assert_frame_equal(found, expected)


def test_calibration_holdout_agrees_with_lifetimes(cdnow):
    expected = calibration_and_holdout_data(
        cdnow, "customer_id", "date", calibration_period_end="1997-09-30",
        observation_period_end="1998-06-30",
    )
    found = calibration_holdout(
        cdnow, calibration_end="1997-09-30", observation_end="1998-06-30"
    )
    pd.testing.assert_frame_equal(found, expected)


def _tx(rows):
    return pd.DataFrame(rows, columns=["customer_id", "date", "amount"])


def test_small_frame_by_hand():
    tx = _tx([("a", "2024-01-01", 10.0), ("a", "2024-01-01 15:00", 5.0),
              ("a", "2024-01-11", 30.0), ("a", "2024-01-21", 10.0), ("b", "2024-01-30", 3.0)])
    out = customer_summary(tx, amount_col="amount", observation_end="2024-01-31")
    assert out.loc["a"].tolist() == [2.0, 20.0, 30.0, 20.0]
    assert out.loc["b"].tolist() == [0.0, 0.0, 1.0, 0.0]
    assert out.index.name == "customer_id"


def test_weeks_start_on_monday_and_months_are_calendar_months():
    # 2024-01-07 is a Sunday, 2024-01-08 a Monday
    tx = _tx([("a", "2024-01-01", 1.0), ("a", "2024-01-07", 1.0), ("a", "2024-01-08", 1.0),
              ("a", "2024-03-31", 1.0)])
    weeks = customer_summary(tx, observation_end="2024-04-01", freq="W")
    assert weeks.loc["a"].tolist() == [2.0, 12.0, 13.0]
    months = customer_summary(tx, observation_end="2024-04-01", freq="M")
    # January 1 and January 31 would be one month apart in days/30; here they share a month
    assert months.loc["a"].tolist() == [1.0, 2.0, 3.0]


def test_returns_are_netted_but_not_purchases():
    tx = _tx([("a", "2024-01-01", 10.0), ("a", "2024-01-05", 40.0), ("a", "2024-01-09", -15.0),
              ("a", "2024-01-01", -4.0), ("r", "2024-01-03", -9.0)])
    out = customer_summary(tx, amount_col="amount", observation_end="2024-01-10")
    assert list(out.index) == ["a"]  # a customer with only returns never purchased
    assert out.loc["a", "frequency"] == 1.0
    assert out.loc["a", "recency"] == 4.0
    assert out.loc["a", "monetary_value"] == 25.0


def test_rows_after_observation_end_are_dropped_and_input_untouched():
    tx = _tx([("a", "2024-01-01", 10.0), ("a", "2024-02-05", 40.0), ("b", "2024-03-01", 1.0)])
    before = tx.copy()
    out = customer_summary(tx, amount_col="amount", observation_end="2024-01-31")
    assert list(out.index) == ["a"] and out.loc["a", "frequency"] == 0.0
    pd.testing.assert_frame_equal(tx, before)
    assert customer_summary(tx, as_of="2024-01-31").equals(
        customer_summary(tx, observation_end="2024-01-31"))


def test_default_observation_end_is_last_date():
    tx = _tx([("a", "2024-01-01", 1.0), ("b", "2024-01-31", 1.0)])
    assert customer_summary(tx)["T"].tolist() == [30.0, 0.0]


def test_integer_customer_ids_keep_their_type():
    tx = pd.DataFrame({"id": [3, 1, 3], "day": pd.to_datetime(["2024-01-01"] * 2 + ["2024-01-04"])})
    out = customer_summary(tx, customer_col="id", date_col="day")
    assert out.index.tolist() == [1, 3] and out.index.dtype == np.int64


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 120), st.floats(0, 500)),
                min_size=1, max_size=40),
       st.sampled_from(["D", "W"]))
def test_property_matches_lifetimes(rows, freq):
    tx = pd.DataFrame(rows, columns=["customer_id", "day", "amount"])
    tx["date"] = pd.Timestamp("2024-01-01") + pd.to_timedelta(tx["day"], unit="D")
    tx["customer_id"] = "c" + tx["customer_id"].astype(str)
    end = "2024-05-15"
    expected = summary_data_from_transaction_data(
        tx, "customer_id", "date", "amount", observation_period_end=end, freq=freq)
    found = customer_summary(tx, amount_col="amount", observation_end=end, freq=freq)
    pd.testing.assert_frame_equal(found, expected, check_exact=False, atol=1e-9)
    assert (found["frequency"] <= found["recency"]).all()
    assert (found["recency"] <= found["T"]).all()


def test_calibration_holdout_small_frame():
    tx = _tx([("a", "2024-01-01", 10.0), ("a", "2024-01-20", 20.0), ("a", "2024-02-03", 6.0),
              ("a", "2024-02-03", 4.0), ("a", "2024-02-20", 30.0), ("b", "2024-01-10", 5.0),
              ("n", "2024-02-10", 9.0)])
    out = calibration_holdout(tx, amount_col="amount", calibration_end="2024-01-31",
                              observation_end="2024-02-29")
    assert list(out.index) == ["a", "b"]  # n arrived in the holdout
    assert out.loc["a"].tolist() == [1.0, 19.0, 30.0, 20.0, 2.0, 20.0, 29.0]
    assert out.loc["b", "frequency_holdout"] == 0.0
    assert out.loc["b", "monetary_value_holdout"] == 0.0


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"freq": "Q"}, ValueError, r"customer_summary: freq must be one of \['D', 'W', 'M'\]"),
        ({"observation_end": "soon"}, ValueError,
         "customer_summary: observation_end must be a date"),
        ({"observation_end": "2023-01-01"}, ValueError,
         "no transactions dated on or before observation_end=2023-01-01"),
        ({"observation_end": "2024-01-31", "as_of": "2024-02-01"}, ValueError,
         "observation_end and as_of name the same date"),
        ({"amount_col": "value"}, ValueError, "column 'value' not found in transactions"),
        ({"date_col": "customer_id"}, ValueError, "date_col='customer_id' names a column already"),
        ({"customer_col": 3}, TypeError, "customer_col must be a column name"),
    ],
)
def test_summary_errors(kwargs, error, match):
    tx = _tx([("a", "2024-01-01", 1.0), ("b", "2024-01-31", 1.0)])
    with pytest.raises(error, match=match):
        customer_summary(tx, **kwargs)


def test_summary_error_when_only_returns():
    tx = _tx([("a", "2024-01-01", -1.0)])
    with pytest.raises(ValueError, match="customer_summary: no purchases on or before"):
        customer_summary(tx, amount_col="amount")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"calibration_end": "2024-03-01"}, "calibration_end must be before observation_end"),
        ({"calibration_end": "2023-06-01"}, "no purchases on or before calibration_end=2023-06-01"),
        ({"calibration_end": "later"}, "calibration_holdout: calibration_end must be a date"),
    ],
)
def test_calibration_holdout_errors(kwargs, match):
    tx = _tx([("a", "2024-01-01", 1.0), ("b", "2024-01-31", 1.0)])
    with pytest.raises(ValueError, match=match):
        calibration_holdout(tx, observation_end="2024-02-01", **kwargs)
