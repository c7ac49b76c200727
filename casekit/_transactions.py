"""The input contract of every analytics function that takes ``transactions``.

One helper, :func:`check_transactions`, runs at each public entry point.  It
builds on :func:`casekit._validation.check_frame` and adds the rules that are
about transactions rather than tables in general.

The rules
---------
Required columns
    ``customer_col`` and ``date_col`` always, ``amount_col`` when the function
    uses money, and any extra column it names (such as ``gross_margin``).
Values
    Customer ids may not be missing; dates must parse; amounts must be numeric
    and finite; the table may not be empty; when ``order_col`` is given its
    values must be unique (one row per order).
Negative amounts are returns
    A row with a negative amount is a return or a credit note.  Its money is
    netted into the customer's totals (revenue, margin, monetary value), but it
    is not a purchase: it never counts as an order, a visit or a purchase date
    (recency, frequency, activity classes, tenure).  A zero amount is a
    purchase (a free order is still an order).
Dates after ``as_of``
    Every analysis looks at history as it was known at the end of the day
    ``as_of``: rows dated later are left out, so the same table can be analysed
    at several dates.  Without ``as_of`` the last date in the data is used.  If
    no row is dated on or before ``as_of`` the function raises an error.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping

import numpy as np
import pandas as pd

from casekit._validation import check_date, check_frame

_DAY = pd.Timedelta(days=1)


def check_transactions(
    transactions,
    *,
    func: str,
    customer_col: str,
    date_col: str,
    amount_col: str | None = None,
    amount_required: bool = False,
    order_col: str | None = None,
    extra: Mapping[str, str] | None = None,
    as_of=None,
    as_of_name: str = "as_of",
) -> tuple[pd.DataFrame, pd.Timestamp]:
    """Validate ``transactions`` and cut them at ``as_of``.

    Parameters
    ----------
    transactions : pandas.DataFrame
        The user's table; it is never modified.
    func : str
        Name of the public function, used in every message.
    customer_col, date_col, amount_col, order_col : str
        Column names; ``order_col`` may be None, and so may ``amount_col``
        unless ``amount_required``.
    extra : mapping of column name to kind, optional
        More columns to check, with the kinds of ``check_frame``.
    as_of : date-like, optional
        Rows dated after this day are dropped; defaults to the last date.
    as_of_name : str
        What the date parameter is called in messages.

    Returns
    -------
    frame : pandas.DataFrame
        A clean copy of the checked columns, rows up to ``as_of``.
    as_of : pandas.Timestamp
        The day the analysis looks from, at midnight.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "b", "a"],
    ...                    "date": ["2024-01-05", "2024-02-01", "2024-03-09"],
    ...                    "amount": [10.0, -2.0, 7.5]})
    >>> frame, as_of = check_transactions(tx, func="demo", customer_col="customer_id",
    ...                                   date_col="date", amount_col="amount",
    ...                                   as_of="2024-02-29")
    >>> len(frame), as_of
    (2, Timestamp('2024-02-29 00:00:00'))
    >>> check_transactions(tx, func="demo", customer_col="customer_id", date_col="date",
    ...                    as_of="2023-12-31")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: demo: no transactions dated on or before as_of=2023-12-31; ...
    """
    columns: dict[str, str] = {}
    for param, column, kind in (
        ("customer_col", customer_col, "key"),
        ("date_col", date_col, "date"),
        ("amount_col", amount_col, "number"),
        ("order_col", order_col, "key"),
    ):
        if column is None and (
            param == "order_col" or (param == "amount_col" and not amount_required)
        ):
            continue
        if not isinstance(column, str):
            raise TypeError(
                f"{func}: {param} must be a column name (str); found "
                f"{type(column).__name__} {column!r}"
            )
        if column in columns:
            raise ValueError(
                f"{func}: {param}={column!r} names a column already used for another role; "
                f"each role needs its own column"
            )
        columns[column] = kind
    for column, kind in (extra or {}).items():
        if column in columns:
            raise ValueError(
                f"{func}: column {column!r} is asked for twice; each role needs its own column"
            )
        columns[column] = kind
    frame = check_frame(transactions, func=func, columns=columns, unique=order_col)

    dates = frame[date_col]
    if as_of is None:
        as_of = dates.max().normalize()
    else:
        as_of = check_date(as_of, func=func, name=as_of_name).normalize()
    keep = (dates < as_of + _DAY).to_numpy()
    if not keep.any():
        raise ValueError(
            f"{func}: no transactions dated on or before {as_of_name}={as_of.date()}; "
            f"the first date is {dates.min().date()}"
        )
    if not keep.all():
        frame = frame.loc[keep]
    return frame, as_of


def purchases(frame: pd.DataFrame, amount_col: str | None) -> np.ndarray:
    """Boolean mask of the rows that are purchases (not returns)."""
    if amount_col is None:
        return np.ones(len(frame), dtype=bool)
    return frame[amount_col].to_numpy() >= 0


def window_start(as_of: pd.Timestamp, months: int | None) -> pd.Timestamp | None:
    """First moment of the ``months`` calendar months that end with the day ``as_of``."""
    if months is None:
        return None
    return as_of + _DAY - pd.DateOffset(months=months)


def end_of(as_of: pd.Timestamp) -> pd.Timestamp:
    """The first moment after the day ``as_of`` (windows are half-open)."""
    return as_of + _DAY


def sorted_index(keys) -> np.ndarray:
    """Positions that sort customer ids; mixed types sort by their text."""
    keys = np.asarray(keys, dtype=object)
    kinds = {type(k) for k in keys[:1000]}
    if kinds == {str} and all(isinstance(k, str) for k in keys):
        # fixed-width text sorts in C, many times faster than Python objects
        return np.argsort(keys.astype(str), kind="stable")
    try:
        return np.argsort(keys, kind="stable")
    except TypeError:
        return np.argsort(keys.astype(str), kind="stable")


def check_int(value, *, func: str, name: str, lower: int = 1, allow_none: bool = False):
    """Return ``value`` as an int >= ``lower`` (or None when allowed)."""
    if value is None and allow_none:
        return None
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        raise TypeError(f"{func}: {name} must be a whole number; found {value!r}")
    if value < lower:
        raise ValueError(f"{func}: {name} must be >= {lower}; found {value!r}")
    return int(value)


def check_number(value, *, func: str, name: str, low=None, high=None, open_low=False):
    """Return ``value`` as a float within the bounds, else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{func}: {name} must be a number; found {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{func}: {name} must be finite; found {value!r}")
    if low is not None and (value <= low if open_low else value < low):
        raise ValueError(f"{func}: {name} must be {'>' if open_low else '>='} {low}; found {value}")
    if high is not None and value > high:
        raise ValueError(f"{func}: {name} must be <= {high}; found {value}")
    return value


def customer_codes(ids: pd.Series, name: str) -> tuple[np.ndarray, pd.Index]:
    """Integer codes that follow the sorted customer ids, and those sorted ids."""
    codes, uniques = pd.factorize(ids, sort=False)
    order = sorted_index(uniques)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    index = pd.Index(np.asarray(uniques, dtype=object)[order].tolist(), name=name)
    return rank[codes], index


def month_edges(as_of: pd.Timestamp, months: int) -> np.ndarray:
    """Ascending edges of the ``months`` monthly slices that end with the day ``as_of``."""
    end = end_of(as_of)
    return np.array(
        [(end - pd.DateOffset(months=k)).to_datetime64() for k in range(months, -1, -1)],
        dtype="datetime64[ns]",
    )
