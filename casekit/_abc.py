"""ABC classes: by buying activity (Reading 2) and by share of revenue or profit (Pareto)."""

from __future__ import annotations

import string
from collections.abc import Sequence

import numpy as np
import pandas as pd

from casekit._duckdb_input import abc_in_duckdb, is_duckdb_input
from casekit._engine import DAY_NS
from casekit._parallel import in_halves
from casekit._transactions import (
    check_int,
    check_months,
    check_transactions,
    day_numbers,
    distinct_sorted,
    end_of,
    month_edges,
    purchases,
    window_start,
)
from casekit._validation import check_choice, check_frame

#: What each activity class means; "D" holds the customers Reading 2's rule leaves out.
ABC_LABELS = {"A": "active", "B": "semi-active", "C": "inactive", "D": "irregular"}


def _distinct_count(codes: np.ndarray, slots: np.ndarray, n: int, n_slots: int) -> np.ndarray:
    """How many different slots each customer code occupies."""
    if len(codes) == 0:
        return np.zeros(n, dtype=np.int64)
    keys = codes * n_slots + slots
    if n * n_slots > 16 * len(keys) + 2**22:  # a table of flags would dwarf the rows
        return np.bincount(distinct_sorted(keys) // n_slots, minlength=n)
    present = np.zeros(n * n_slots, dtype=bool)

    def flag(part: slice) -> None:
        present[keys[part]] = True  # both halves may set a flag: the same value

    in_halves(flag, len(keys))
    return np.count_nonzero(present.reshape(n, n_slots), axis=1)


def _months_ago(days: np.ndarray, first_day: int, as_of: pd.Timestamp, window: int):
    """Each row's monthly slice counted back from ``as_of`` (0 = the last), or ``window``
    before the first slice, from its day numbered from ``first_day``.

    The slices start at midnight, so a table with an entry per day gives the same answer
    as comparing every row's time with the edges, at a fraction of the cost.
    """
    edges = day_numbers(month_edges(as_of, window)) - first_day
    table = window - np.searchsorted(edges, np.arange(int(days.max()) + 1), side="right")
    return table.astype(np.int16)[days]  # window_months is at most MAX_MONTHS (1200)


def _last_stamps(ticks: np.ndarray, days: np.ndarray, first_day: int, codes: np.ndarray,
                 buy: np.ndarray, n: int) -> np.ndarray:
    """Each customer's last purchase as datetime64[ns] ticks, the int64 minimum (NaT) for
    none.  The last day is found in 32 bits, which is several times faster over millions of
    rows; only that day's rows are then compared by time, and none if all are midnights."""
    none = np.iinfo(np.int32).min
    last_day = np.full(n, none, dtype=np.int32)
    np.maximum.at(last_day, codes, np.where(buy, days, none))  # a return is no purchase
    if (ticks % DAY_NS).any():
        on_last = buy & (days == last_day[codes])
        last = np.full(n, np.iinfo(np.int64).min)
        np.maximum.at(last, codes[on_last], ticks[on_last])
        return last
    never = last_day == none
    last = last_day.astype(np.int64)
    last += first_day
    last *= DAY_NS
    last[never] = np.iinfo(np.int64).min
    return last


def abc_activity(
    transactions,
    *,
    customer_col="customer_id",
    date_col="date",
    amount_col="amount",
    as_of=None,
    window_months=12,
    a_every=1,
    b_every=3,
    c_after=6,
    gap="D",
    order_col=None,
    con=None,
) -> pd.DataFrame:
    """Activity classes from Reading 2 (the office-supplies article): active, semi-active, inactive.

    The rule, looking back from ``as_of`` over ``window_months`` months cut
    into monthly slices that end with the day ``as_of``:

    - **A, active**: at least one order in every slice of ``a_every`` months
      (every month);
    - **B, semi-active**: at least one order in every slice of ``b_every``
      months (every quarter), but not A;
    - **C, inactive**: no order in the last ``c_after`` months (6 or more).

    As written the rule leaves some customers in no class: those whose last
    order is 3 to 6 months old, and those who ordered recently but skipped a
    quarter earlier in the window (including customers newer than the
    window).  ``gap`` decides where they go: their own class ``"D"``
    (irregular, the default, so that the gap stays visible), or folded into
    ``"B"`` or ``"C"``.  Customers with only returns count as C.

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per order.  A negative amount is a return: its money is
        netted, but it is not an order.  Rows dated after ``as_of`` are left out.
    customer_col, date_col, amount_col, order_col : str
        Column names; ``amount_col=None`` leaves out ``revenue``.
    as_of : date-like, optional
        The day the classes are taken; defaults to the last date.
    window_months, a_every, b_every, c_after : int
        The rule's months; ``a_every`` and ``b_every`` must divide the window.
    gap : {"D", "B", "C"}
        The class given to customers the rule leaves out.
    con : duckdb.DuckDBPyConnection, optional
        With ``con``, ``transactions`` names a table in that connection.
        ``transactions`` may also be a DuckDB relation or the path of a
        Parquet file or folder; the rows are then checked and reduced inside
        DuckDB, out of core, and the result is the same.

    Returns
    -------
    pandas.DataFrame
        One row per customer (sorted ids): ``abc_class``, ``label``,
        ``months_active`` (monthly slices with an order in the window),
        ``orders`` and ``revenue`` (in the window, returns netted),
        ``last_order`` and ``days_since_last``.

    Examples
    --------
    >>> days = pd.date_range("2024-01-01", periods=12, freq="MS") + pd.Timedelta(days=14)
    >>> tx = pd.DataFrame({"customer_id": ["a"] * 12 + ["b"] * 4 + ["c", "d"],
    ...                    "date": list(days) + list(days[::3]) + ["2024-02-01", "2024-08-20"],
    ...                    "amount": 10.0})
    >>> abc_activity(tx, as_of="2024-12-31")[["abc_class", "label", "months_active"]]
                abc_class        label  months_active
    customer_id
    a                   A       active             12
    b                   B  semi-active              4
    c                   C     inactive              1
    d                   D    irregular              1
    """
    func = "abc_activity"
    window = check_months(window_months, func=func)
    a_every = check_int(a_every, func=func, name="a_every")
    b_every = check_int(b_every, func=func, name="b_every")
    c_after = check_int(c_after, func=func, name="c_after")
    if not a_every < b_every <= window or window % a_every or window % b_every:
        raise ValueError(
            f"{func}: a_every < b_every <= window_months is needed, with both dividing the "
            f"window; found a_every={a_every}, b_every={b_every}, window_months={window}"
        )
    gap = check_choice(gap, func=func, name="gap", choices=("D", "B", "C"))
    if is_duckdb_input(transactions, con):
        return abc_in_duckdb(transactions, con=con, func=func, customer_col=customer_col,
                             date_col=date_col, amount_col=amount_col, order_col=order_col,
                             as_of=as_of, window=window, a_every=a_every, b_every=b_every,
                             c_after=c_after, gap=gap)
    frame, as_of, codes, index = check_transactions(
        transactions, func=func, customer_col=customer_col, date_col=date_col,
        amount_col=amount_col, order_col=order_col, as_of=as_of,
    )
    n = len(index)
    # days since 1970 fit 32 bits, in which the lookups below miss cache less
    days = day_numbers(frame[date_col].to_numpy()).astype(np.int32)
    first_day = int(days.min())
    days -= first_day
    months_ago = _months_ago(days, first_day, as_of, window)
    buy = purchases(frame, amount_col)
    in_window = months_ago < window
    sel = buy & in_window
    c, m = codes[sel], months_ago[sel]
    months_active = _distinct_count(c, m, n, window)
    is_a = _distinct_count(c, m // a_every, n, window // a_every) == window // a_every
    is_b = _distinct_count(c, m // b_every, n, window // b_every) == window // b_every

    last = _last_stamps(frame[date_col].to_numpy().view(np.int64), days, first_day, codes,
                        buy, n)
    never = last == np.iinfo(np.int64).min
    c_edge = (end_of(as_of) - pd.DateOffset(months=c_after)).value
    is_c = never | (last < c_edge)

    classes = np.where(is_a, "A", np.where(is_b, "B", np.where(is_c, "C", gap)))
    last_order = pd.to_datetime(last)
    out = pd.DataFrame(index=index)
    out["abc_class"] = pd.Categorical(classes, categories=sorted({"A", "B", "C", gap}))
    out["label"] = out["abc_class"].map(ABC_LABELS).astype(str)
    out["months_active"] = months_active
    out["orders"] = np.bincount(codes[sel], minlength=n)
    if amount_col is not None:
        amounts = np.where(in_window, frame[amount_col].to_numpy(), 0.0)
        out["revenue"] = np.bincount(codes, weights=amounts, minlength=n)
    out["last_order"] = last_order
    out["days_since_last"] = (as_of - out["last_order"].dt.normalize()).dt.days
    return out


_LETTERS = string.ascii_uppercase


def _check_cuts(cuts, func: str) -> np.ndarray:
    if isinstance(cuts, str) or not isinstance(cuts, Sequence) or len(cuts) == 0:
        raise ValueError(f"{func}: cuts must be a list of shares such as (0.8, 0.95); "
                         f"found {cuts!r}")
    try:
        values = np.asarray(cuts, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{func}: cuts must hold numbers; found {cuts!r}") from None
    if values.ndim != 1 or len(values) >= len(_LETTERS):
        raise ValueError(f"{func}: cuts must be a flat list of at most {len(_LETTERS) - 1} "
                         f"shares (classes A to Z); found {len(cuts)} items")
    if (
        not np.isfinite(values).all() or values[0] <= 0 or values[-1] >= 1
        or (np.diff(values) <= 0).any()
    ):
        raise ValueError(
            f"{func}: cuts must rise strictly between 0 and 1, such as (0.8, 0.95); "
            f"found {list(cuts)!r}"
        )
    return values


def abc_pareto(
    transactions,
    *,
    customer_col="customer_id",
    date_col="date",
    amount_col="amount",
    value_col=None,
    as_of=None,
    window_months=None,
    cuts=(0.8, 0.95),
    order_col=None,
) -> pd.DataFrame:
    """Pareto ABC classes by cumulative share of revenue or profit, with the curve data.

    Customers are ranked by their value (highest first; equal values in
    customer-id order).  Walking down the ranking, a customer is A while the
    customers ranked above hold less than ``cuts[0]`` of the total, so the
    customer who crosses the cut is still A; B up to ``cuts[1]``; C for the
    rest.  More cuts give more classes (D, E, ...).

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per order.
    customer_col, date_col, amount_col, order_col : str
        Column names.
    value_col : str, optional
        The column to rank by, such as ``"gross_margin"`` for profit (the
        whale curve); defaults to ``amount_col`` (revenue).
    as_of : date-like, optional
        Rows after this day are left out; defaults to the last date.
    window_months : int, optional
        Count only the last so many months; all history by default.
        Customers without rows in the window get value 0.
    cuts : sequence of float
        Cumulative shares where classes change; default 80 % and 95 %.

    Returns
    -------
    pandas.DataFrame
        One row per customer **in rank order**: ``value``, ``share`` (of the
        total), ``cum_share``, ``rank`` (1 = best), ``customer_share``
        (rank / number of customers) and ``pareto_class``.  Plotting
        ``cum_share`` against ``customer_share`` draws the Pareto curve; with
        profit it is the whale curve (it rises above 1 and falls back when
        some customers lose money).

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": list("abcde"), "date": "2024-03-01",
    ...                    "amount": [70.0, 15.0, 8.0, 5.0, 2.0]})
    >>> abc_pareto(tx)[["value", "cum_share", "pareto_class"]]
                 value  cum_share pareto_class
    customer_id
    a             70.0       0.70            A
    b             15.0       0.85            A
    c              8.0       0.93            B
    d              5.0       0.98            B
    e              2.0       1.00            C
    """
    func = "abc_pareto"
    cut_values = _check_cuts(cuts, func)
    window = check_months(window_months, func=func, allow_none=True)
    value_col = amount_col if value_col is None else value_col
    extra = {value_col: "number"} if value_col != amount_col else None
    frame, as_of, codes, index = check_transactions(
        transactions, func=func, customer_col=customer_col, date_col=date_col,
        amount_col=amount_col, amount_required=True, order_col=order_col, extra=extra,
        as_of=as_of,
    )
    values = frame[value_col].to_numpy()
    start = window_start(as_of, window)
    if start is not None:
        values = np.where(frame[date_col].to_numpy() >= start.to_datetime64(), values, 0.0)
    value = np.bincount(codes, weights=values, minlength=len(index))
    total = value.sum()
    if not total > 0:
        raise ValueError(
            f"{func}: the total of {value_col!r} is {total:g}; shares of a total need it "
            f"to be positive"
        )
    order = np.lexsort((np.arange(len(value)), -value))
    ranked = value[order]
    cum = np.cumsum(ranked)
    before = np.concatenate(([0.0], cum[:-1])) / total
    letters = np.array(list(_LETTERS[: len(cut_values) + 1]))
    out = pd.DataFrame(index=index[order])
    out["value"] = ranked
    out["share"] = ranked / total
    out["cum_share"] = cum / total
    out["rank"] = np.arange(1, len(ranked) + 1)
    out["customer_share"] = out["rank"] / len(ranked)
    out["pareto_class"] = pd.Categorical(
        letters[np.searchsorted(cut_values, before, side="right")], categories=letters
    )
    return out


def segment_shares(segments, *, by, values=("revenue",)) -> pd.DataFrame:
    """Customers and value of each segment, as counts and as shares of the total.

    Parameters
    ----------
    segments : pandas.DataFrame
        One row per customer, such as the result of :func:`abc_activity`,
        :func:`customer_pyramid` or :func:`lifecycle_stages`.
    by : str
        The segment column (``"abc_class"``, ``"tier"``, ``"stage"``).
    values : sequence of str
        Numeric columns to total, such as ``("revenue", "profit")``.

    Returns
    -------
    pandas.DataFrame
        One row per segment (in category order): ``customers``,
        ``customer_share`` and, for each value, its total and ``<value>_share``.

    Examples
    --------
    >>> seg = pd.DataFrame({"tier": ["top", "small", "small"], "revenue": [80.0, 15.0, 5.0]})
    >>> segment_shares(seg, by="tier")
           customers  customer_share  revenue  revenue_share
    tier
    small          2        0.666667     20.0            0.2
    top            1        0.333333     80.0            0.8
    """
    func = "segment_shares"
    if isinstance(values, str):
        values = (values,)
    if not isinstance(by, str):
        raise TypeError(f"{func}: by must be a column name (str); found {by!r}")
    columns = {by: "key", **{v: "number" for v in values}}
    frame = check_frame(segments, func=func, columns=columns, name="segments")
    grouped = frame.groupby(by, observed=False, sort=True)
    out = pd.DataFrame({"customers": grouped.size()})
    out["customer_share"] = out["customers"] / out["customers"].sum()
    for value in values:
        out[value] = grouped[value].sum()
        total = out[value].sum()
        out[f"{value}_share"] = out[value] / total if total != 0 else np.nan
    return out
