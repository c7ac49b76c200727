"""Recency-frequency summaries in the convention of the BTYD models (lifetimes)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from casekit._duckdb_input import is_duckdb_input, summary_in_duckdb
from casekit._transactions import (
    check_transactions,
    day_numbers,
    distinct_sorted,
    end_of,
    purchases,
)
from casekit._validation import check_choice, check_date

FREQS = ("D", "W", "M")


def _periods(dates: np.ndarray, freq: str) -> np.ndarray:
    """Integer period numbers: days, Monday-to-Sunday weeks or calendar months."""
    if freq == "M":
        return dates.astype("datetime64[M]").astype(np.int64)
    days = day_numbers(dates)
    if freq == "D":
        return days
    # 1970-01-01 was a Thursday: shifting by 3 days makes weeks start on Monday,
    # the weeks pandas' to_period("W") (and so lifetimes) uses.
    return (days + 3) // 7


def _summarise(codes, periods, amounts, is_purchase, n_customers, end_period):
    """Per-customer frequency, recency, T and monetary value from integer codes."""
    if is_purchase.all():
        pc, pp = codes, periods
    else:
        pc, pp = codes[is_purchase], periods[is_purchase]
    low = int(pp.min()) if len(pp) else 0
    span = int(pp.max()) - low + 1 if len(pp) else 1
    keys = distinct_sorted(pc * span + (pp - low))
    cust, per = np.divmod(keys, span)
    per += low
    count = np.bincount(cust, minlength=n_customers)
    has = count > 0
    stop = np.cumsum(count)
    start = stop - count
    first = np.full(n_customers, np.iinfo(np.int64).max)
    last = np.zeros(n_customers, dtype=np.int64)
    first[has] = per[start[has]]
    last[has] = per[stop[has] - 1]
    out = {
        "frequency": (count - 1)[has].astype(float),
        "recency": (last - first)[has].astype(float),
        "T": (end_period - first[has]).astype(float),
    }
    if amounts is not None:
        repeat = np.bincount(
            codes, weights=np.where(periods > first[codes], amounts, 0.0), minlength=n_customers
        )[has]
        freq = out["frequency"]
        out["monetary_value"] = np.divide(
            repeat, freq, out=np.zeros_like(repeat), where=freq > 0
        )
    return has, out


def _frame(customers: pd.Index, has: np.ndarray, columns: dict) -> pd.DataFrame:
    return pd.DataFrame(columns, index=customers[has])


def _resolve_end(observation_end, as_of, func):
    if observation_end is not None and as_of is not None:
        a = check_date(observation_end, func=func, name="observation_end")
        b = check_date(as_of, func=func, name="as_of")
        if a != b:
            raise ValueError(
                f"{func}: observation_end and as_of name the same date; give one, "
                f"found {a.date()} and {b.date()}"
            )
    return observation_end if observation_end is not None else as_of


def customer_summary(
    transactions,
    *,
    customer_col="customer_id",
    date_col="date",
    amount_col=None,
    observation_end=None,
    freq="D",
    order_col=None,
    as_of=None,
    con=None,
) -> pd.DataFrame:
    """Frequency, recency, T and monetary value per customer (BTYD inputs).

    The result matches ``lifetimes.utils.summary_data_from_transaction_data``
    with the same arguments, and is computed with vectorised numpy.

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per purchase.  Negative amounts are returns: their money is
        netted, but they never count as a purchase period.
    customer_col, date_col : str
        Columns holding the customer id and the purchase date.
    amount_col : str, optional
        Column holding the purchase amount; adds ``monetary_value``.
    observation_end : date-like, optional
        End of the observation period (the day is included); later rows are
        dropped.  Defaults to the last date in ``transactions``.  ``as_of`` is
        accepted as another name for it.
    freq : {"D", "W", "M"}
        The time unit.  Purchases in the same period count once.  ``"D"`` is a
        calendar day, ``"W"`` a Monday-to-Sunday week (7 days), ``"M"`` a
        calendar month: a month counts as many days as the calendar gives it
        (28 to 31), and recency and T are whole numbers of months between the
        months' starts.  (lifetimes cannot use ``"M"``: numpy months have no
        fixed length.)
    order_col : str, optional
        Order id column, checked for duplicates.
    con : duckdb.DuckDBPyConnection, optional
        With ``con``, ``transactions`` names a table in that connection.
        ``transactions`` may also be a DuckDB relation or the path of a
        Parquet file or folder; the rows are then checked and reduced inside
        DuckDB, out of core, and the result is the same.

    Returns
    -------
    pandas.DataFrame
        Indexed by customer id (sorted), with float columns ``frequency``
        (number of repeat purchase periods), ``recency`` (periods from the
        first to the last purchase), ``T`` (periods from the first purchase
        to ``observation_end``) and, with ``amount_col``, ``monetary_value``:
        the mean net amount of the repeat periods (0 without repeats).  A
        return is netted into the period it falls in; only periods after the
        first purchase period count.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "a", "b"],
    ...                    "date": ["2024-01-01", "2024-01-01", "2024-01-15", "2024-01-10"],
    ...                    "amount": [5.0, 5.0, 20.0, 8.0]})
    >>> customer_summary(tx, amount_col="amount", observation_end="2024-01-31")
                 frequency  recency     T  monetary_value
    customer_id
    a                  1.0     14.0  30.0            20.0
    b                  0.0      0.0  21.0             0.0
    """
    func = "customer_summary"
    freq = check_choice(freq, func=func, name="freq", choices=FREQS)
    end = _resolve_end(observation_end, as_of, func)
    if is_duckdb_input(transactions, con):
        customers, k, recency, first, repeat, end = summary_in_duckdb(
            transactions, con=con, func=func, customer_col=customer_col, date_col=date_col,
            amount_col=amount_col, order_col=order_col, end=end, freq=freq)
        end_period = int(_periods(np.array([end.to_datetime64()]), freq)[0])
        columns = {"frequency": (k - 1).astype(float), "recency": recency.astype(float),
                   "T": (end_period - first).astype(float)}
        if amount_col is not None:
            freq_ = columns["frequency"]
            columns["monetary_value"] = np.divide(repeat, freq_, out=np.zeros_like(repeat),
                                                  where=freq_ > 0)
        return pd.DataFrame(columns, index=customers)
    frame, end, codes, customers = check_transactions(
        transactions, func=func, customer_col=customer_col, date_col=date_col,
        amount_col=amount_col, order_col=order_col, as_of=end, as_of_name="observation_end",
    )
    is_purchase = purchases(frame, amount_col)
    if not is_purchase.any():
        raise ValueError(
            f"{func}: no purchases on or before observation_end={end.date()}; all "
            f"{len(frame)} rows have a negative {amount_col!r} (returns)"
        )
    periods = _periods(frame[date_col].to_numpy(), freq)
    end_period = int(_periods(np.array([end.to_datetime64()]), freq)[0])
    amounts = None if amount_col is None else frame[amount_col].to_numpy()
    has, columns = _summarise(codes, periods, amounts, is_purchase, len(customers), end_period)
    return _frame(customers, has, columns)


def calibration_holdout(
    transactions,
    *,
    customer_col="customer_id",
    date_col="date",
    amount_col=None,
    calibration_end,
    observation_end=None,
    freq="D",
    order_col=None,
    as_of=None,
) -> pd.DataFrame:
    """Split transactions into a calibration and a holdout period and summarise both.

    The calibration part is :func:`customer_summary` up to ``calibration_end``
    (columns get the suffix ``_cal``); the holdout part counts what the same
    customers did afterwards, up to ``observation_end``.  The layout follows
    ``lifetimes.utils.calibration_and_holdout_data``.

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per purchase.
    customer_col, date_col, amount_col, freq, order_col
        As in :func:`customer_summary`.
    calibration_end : date-like
        Last day of the calibration period.
    observation_end : date-like, optional
        Last day of the holdout period; defaults to the last date.  ``as_of``
        is another name for it.

    Returns
    -------
    pandas.DataFrame
        ``frequency_cal``, ``recency_cal``, ``T_cal`` (and
        ``monetary_value_cal``), then ``frequency_holdout`` (purchase periods
        in the holdout), ``monetary_value_holdout`` with ``amount_col`` (net
        holdout amount per holdout purchase period, 0 without purchases;
        lifetimes averages rows instead of periods), and
        ``duration_holdout`` (holdout length in periods).  Customers first
        seen in the holdout are not included: the models cannot score them.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "a", "b"],
    ...                    "date": ["2024-01-01", "2024-01-15", "2024-02-10", "2024-02-05"]})
    >>> out = calibration_holdout(tx, calibration_end="2024-01-31", observation_end="2024-02-29")
    >>> out.columns.tolist()
    ['frequency_cal', 'recency_cal', 'T_cal', 'frequency_holdout', 'duration_holdout']
    >>> out.loc["a"].tolist()  # b arrived in the holdout, so only a is scored
    [1.0, 14.0, 30.0, 1.0, 29.0]
    """
    func = "calibration_holdout"
    freq = check_choice(freq, func=func, name="freq", choices=FREQS)
    cal_end = check_date(calibration_end, func=func, name="calibration_end").normalize()
    end = _resolve_end(observation_end, as_of, func)
    frame, end, codes, customers = check_transactions(
        transactions, func=func, customer_col=customer_col, date_col=date_col,
        amount_col=amount_col, order_col=order_col, as_of=end, as_of_name="observation_end",
    )
    if cal_end >= end:
        raise ValueError(
            f"{func}: calibration_end must be before observation_end; found "
            f"calibration_end={cal_end.date()} and observation_end={end.date()}"
        )
    dates = frame[date_col].to_numpy()
    in_cal = dates < end_of(cal_end).to_datetime64()
    if not (in_cal & purchases(frame, amount_col)).any():
        raise ValueError(
            f"{func}: no purchases on or before calibration_end={cal_end.date()}; "
            f"the first date is {frame[date_col].min().date()}"
        )
    periods = _periods(dates, freq)
    cal_period = int(_periods(np.array([cal_end.to_datetime64()]), freq)[0])
    end_period = int(_periods(np.array([end.to_datetime64()]), freq)[0])
    amounts = None if amount_col is None else frame[amount_col].to_numpy()
    is_purchase = purchases(frame, amount_col)
    n = len(customers)
    has, cal = _summarise(
        codes[in_cal], periods[in_cal], None if amounts is None else amounts[in_cal],
        is_purchase[in_cal], n, cal_period,
    )
    columns = {f"{k}_cal": v for k, v in cal.items()}

    hold = ~in_cal
    hold_buy = hold & is_purchase
    span = end_period - cal_period + 2
    keys = distinct_sorted(codes[hold_buy] * span + (periods[hold_buy] - cal_period + 1))
    freq_hold = np.bincount(keys // span, minlength=n).astype(float)
    columns["frequency_holdout"] = freq_hold[has]
    if amounts is not None:
        net = np.bincount(codes[hold], weights=amounts[hold], minlength=n)
        value = np.divide(net, freq_hold, out=np.zeros(n), where=freq_hold > 0)
        columns["monetary_value_holdout"] = value[has]
    columns["duration_holdout"] = np.full(int(has.sum()), float(end_period - cal_period))
    return _frame(customers, has, columns)
