"""The shared input contract: every error names the function, the column and the values."""

import numpy as np
import pandas as pd
import pytest

from casekit._random import check_rng
from casekit._validation import check_array, check_choice, check_date, check_frame

COLUMNS = {"customer_id": "key", "date": "date", "amount": "number"}


def frame(**overrides):
    data = {
        "customer_id": ["a", "b", "c"],
        "date": ["2024-01-01", "2024-02-01", "2024-03-01"],
        "amount": [1.0, 2.0, 3.0],
    }
    data.update(overrides)
    return pd.DataFrame(data)


def test_clean_copy_has_parsed_types_and_leaves_input_alone():
    tx = frame()
    before = tx.copy()
    out = check_frame(tx, func="f", columns=COLUMNS)
    assert out["date"].dtype == "datetime64[ns]"
    assert out["amount"].dtype == float
    pd.testing.assert_frame_equal(tx, before)
    out.loc[0, "amount"] = 99
    assert tx.loc[0, "amount"] == 1.0
    dated = frame(date=pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]))
    out = check_frame(dated, func="f", columns=COLUMNS)
    out.loc[0, ["date", "amount"]] = [pd.Timestamp("2025-01-01"), 99]
    assert dated.loc[0, "date"] == pd.Timestamp("2024-01-01") and dated.loc[0, "amount"] == 1.0


def test_timezone_aware_dates_become_naive():
    tx = frame(date=pd.date_range("2024-01-01", periods=3, tz="Asia/Shanghai"))
    assert check_frame(tx, func="f", columns=COLUMNS)["date"].dt.tz is None


@pytest.mark.parametrize(
    ("data", "kwargs", "error", "match"),
    [
        ([1, 2], {}, TypeError, r"^f: transactions must be a pandas DataFrame; found list$"),
        (frame(), {"columns": {"order_date": "date"}}, ValueError,
         r"f: column 'order_date' not found in transactions; columns are \['customer_id', "),
        (frame().iloc[:0], {}, ValueError, r"f: transactions is empty"),
        (frame(customer_id=["a", None, "c"]), {}, ValueError,
         r"f: column 'customer_id' has 1 missing values \(rows \[1\]\)"),
        (frame(date=["2024-01-01", "soon", None]), {}, ValueError,
         r"f: column 'date' has 2 values that are not dates, e.g. \['soon', None\]"),
        (frame(date=["2024-01-01", "June", "2024-01-03"]), {}, ValueError,
         r"f: column 'date' has 1 values that are not dates, e.g. \['June'\]"),
        (frame(date=[1, 2, 3]), {}, ValueError, r"f: column 'date' must hold dates; found numbers"),
        (frame(amount=["1", "x", np.inf]), {}, ValueError,
         r"f: column 'amount' must be numeric and finite; found 2 bad values, e.g. \['x', inf\]"),
        (frame(amount=[True, False, True]), {}, ValueError, r"column 'amount' must be numeric"),
        (frame(amount=[1.0, -2.0, 0.0]), {"columns": {"amount": "nonnegative"}}, ValueError,
         r"f: column 'amount' must be >= 0; found 1 values that are not, e.g. \[-2.0\]"),
        (frame(amount=[1.0, -2.0, 0.0]), {"columns": {"amount": "positive"}}, ValueError,
         r"f: column 'amount' must be > 0; found 2 values"),
        (frame(customer_id=["a", "a", "c"]), {"unique": "customer_id"}, ValueError,
         r"f: column 'customer_id' must be unique in transactions; found 2 rows with repeated "
         r"values, e.g. \['a'\]"),
        (frame(), {"unique": "order_id"}, ValueError, r"f: column 'order_id' not found"),
    ],
)
def test_errors_name_function_column_and_values(data, kwargs, error, match):
    kwargs = {"columns": COLUMNS, **kwargs}
    with pytest.raises(error, match=match):
        check_frame(data, func="f", **kwargs)


def test_duplicated_column_names_are_reported():
    tx = pd.concat([frame(), frame()[["amount"]]], axis=1)
    with pytest.raises(ValueError, match="f: column 'amount' appears more than once"):
        check_frame(tx, func="f", columns=COLUMNS)


def test_empty_frame_allowed_on_request():
    out = check_frame(frame().iloc[:0], func="f", columns=COLUMNS, allow_empty=True)
    assert out.empty


def test_check_choice_and_date():
    assert check_choice("M", func="f", name="freq", choices="DWM") == "M"
    with pytest.raises(ValueError, match=r"f: freq must be one of \['D', 'W'\]; found 'Q'"):
        check_choice("Q", func="f", name="freq", choices=["D", "W"])
    assert check_date("2024-02-29", func="f", name="as_of") == pd.Timestamp("2024-02-29")
    for bad in ["2024-02-30", None, [1], "June", "1066-10-14"]:
        with pytest.raises(ValueError, match="f: as_of must be a date"):
            check_date(bad, func="f", name="as_of")


def test_check_array():
    assert check_array(pd.Series([1, 2]), func="f", name="x").tolist() == [1.0, 2.0]
    assert check_array(3, func="f", name="x").tolist() == [3.0]
    cases = [
        (["a"], TypeError, r"f: x must be numeric; found list"),
        ([[1, 2]], ValueError, r"f: x must be one-dimensional; found shape \(1, 2\)"),
        ([], ValueError, r"f: x is empty"),
        ([1, np.nan], ValueError, r"f: x must be finite; found 1 bad values, e.g. \[nan\]"),
        ([0, 1], ValueError, r"f: x must be > 0; found 1 values that are not, e.g. \[0.0\]"),
        ([1.5], ValueError, r"f: x must hold whole numbers; found 1 values"),
    ]
    for values, error, match in cases:
        with pytest.raises(error, match=match):
            check_array(values, func="f", name="x", lower=0, strict=True, integer=True)


def test_check_rng():
    a = check_rng(7).random(3)
    b = check_rng(7).random(3)
    assert np.array_equal(a, b)
    generator = np.random.default_rng(1)
    assert check_rng(generator) is generator
    assert isinstance(check_rng(None), np.random.Generator)
    assert isinstance(check_rng(np.int64(3)), np.random.Generator)
    with pytest.raises(ValueError, match="g: seed must be a non-negative int; found -1"):
        check_rng(-1, func="g")
    for bad in [1.5, True, "1"]:
        with pytest.raises(TypeError, match="g: seed must be a non-negative int, a numpy"):
            check_rng(bad, func="g")
