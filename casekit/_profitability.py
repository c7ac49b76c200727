"""Customer profitability after cost to serve: the customer version of activity costing."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from casekit._transactions import (
    check_months,
    check_number,
    check_transactions,
    end_of,
    last_months,
    purchases,
    window_start,
)
from casekit._validation import check_date, check_frame, check_same_ids

#: Illustrative cost per activity in the case currency, for the office_supplies
#: story of Reading 2: taking an order, delivering it, a sales visit and a
#: service ticket.  They are teaching assumptions, not figures from the seed;
#: replace them with the firm's own activity costs.
ACTIVITY_COSTS = {"order": 12.0, "delivery": 8.0, "visit": 60.0, "ticket": 25.0}

#: Activities counted from ``transactions`` when ``activities`` has no column for them.
_FROM_ORDERS = ("order", "delivery")


def customer_profitability(
    transactions,
    *,
    customer_col="customer_id",
    date_col="date",
    amount_col="amount",
    margin_col="gross_margin",
    as_of=None,
    window_months=None,
    costs=None,
    activities=None,
    order_col=None,
) -> pd.DataFrame:
    """Profit after cost to serve for each customer (customer-based activity costing).

    Reading 2's five steps, as they apply to one customer: the gross margin of
    the goods bought, minus the cost of each activity the customer caused
    (orders taken, deliveries, sales visits, service tickets), each counted
    and priced by the activity-cost table.

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per order; returns net revenue and margin but are not orders.
    customer_col, date_col, amount_col, order_col : str
        Column names.
    margin_col : str
        Gross margin per row (revenue minus cost of goods).
    as_of : date-like, optional
        Later rows are left out; defaults to the last date.
    window_months : int, optional
        Count only the last so many months of transactions; all history by
        default.  ``activities`` counts are taken as given for the same period.
    costs : mapping, optional
        Activity name to cost per occurrence; default :data:`ACTIVITY_COSTS`.
    activities : pandas.DataFrame, optional
        Activity counts, one row per customer: ``customer_col`` and one column
        per activity in ``costs`` (e.g. ``visit``, ``ticket``).  ``order`` and
        ``delivery`` are counted from ``transactions`` (one delivery per
        order) unless a column gives them.  Without this table the other
        activities count zero.  Customers who appear only here (visited but
        never bought) get a row with negative profit.

    Returns
    -------
    pandas.DataFrame
        One row per customer (sorted ids): ``revenue``, ``gross_margin``,
        ``n_<activity>`` counts, ``cost_to_serve``, ``profit`` (margin minus
        cost to serve) and ``profit_rank`` (1 = most profitable, ties by id).

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"],
    ...                    "date": ["2024-01-05", "2024-02-05", "2024-01-20"],
    ...                    "amount": [500.0, 300.0, 90.0],
    ...                    "gross_margin": [150.0, 90.0, 30.0]})
    >>> visits = pd.DataFrame({"customer_id": ["a", "b"], "visit": [1, 2], "ticket": [0, 1]})
    >>> customer_profitability(tx, activities=visits)[["gross_margin", "cost_to_serve", "profit"]]
                 gross_margin  cost_to_serve  profit
    customer_id
    a                   240.0          100.0   140.0
    b                    30.0          165.0  -135.0
    """
    func = "customer_profitability"
    costs = _check_costs(costs, func)
    window = check_months(window_months, func=func, allow_none=True)
    if not isinstance(margin_col, str):
        raise TypeError(f"{func}: margin_col must be a column name (str); found {margin_col!r}")
    frame, as_of, tx_codes, index = check_transactions(
        transactions, func=func, customer_col=customer_col, date_col=date_col,
        amount_col=amount_col, amount_required=True, order_col=order_col,
        extra={margin_col: "number"}, as_of=as_of,
    )
    frame, tx_codes, index = last_months(frame, tx_codes, index, date_col=date_col,
                                         as_of=as_of, months=window)
    table = None
    needed: list[str] = []
    if activities is not None:
        given = getattr(activities, "columns", ())
        needed = [a for a in costs if a not in _FROM_ORDERS or a in given]
        table = check_frame(
            activities, func=func, name="activities", unique=customer_col,
            columns={customer_col: "key", **{a: "nonnegative" for a in needed}},
        )
        check_same_ids(index, table[customer_col], func=func, left_name="transactions",
                       right_name="activities", column=customer_col)
        union = index.union(pd.Index(table[customer_col]))
        tx_codes = union.get_indexer(index)[tx_codes]
        table_codes = union.get_indexer(table[customer_col])
        index = union.rename(customer_col)
    n = len(index)
    out = pd.DataFrame(index=index)
    out["revenue"] = np.bincount(tx_codes, weights=frame[amount_col].to_numpy(), minlength=n)
    out["gross_margin"] = np.bincount(tx_codes, weights=frame[margin_col].to_numpy(),
                                      minlength=n)
    orders = np.bincount(tx_codes[purchases(frame, amount_col)], minlength=n).astype(float)
    cost = np.zeros(n)
    for activity, unit_cost in costs.items():
        if activity in needed:
            count = np.zeros(n)
            count[table_codes] = table[activity].to_numpy()
        elif activity in _FROM_ORDERS:
            count = orders
        else:
            count = np.zeros(n)
        out[f"n_{activity}"] = count
        cost += count * unit_cost
    out["cost_to_serve"] = cost
    out["profit"] = out["gross_margin"] - cost
    order = np.lexsort((np.arange(n), -out["profit"].to_numpy()))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(1, n + 1)
    out["profit_rank"] = rank
    return out


def _check_costs(costs, func: str) -> dict:
    if costs is None:
        return dict(ACTIVITY_COSTS)
    if not isinstance(costs, Mapping) or not costs:
        raise TypeError(
            f"{func}: costs must be a mapping of activity to cost per occurrence, such as "
            f"{ACTIVITY_COSTS!r}; found {costs!r}"
        )
    checked = {}
    for activity, value in costs.items():
        if not isinstance(activity, str):
            raise TypeError(f"{func}: activity names in costs must be text; found {activity!r}")
        checked[activity] = check_number(value, func=func, name=f"costs[{activity!r}]", low=0)
    return checked


def activity_counts(
    events,
    *,
    customer_col="customer_id",
    date_col="date",
    as_of=None,
    window_months=None,
) -> pd.DataFrame:
    """Count activity events per customer, as ``customer_profitability(activities=...)`` wants.

    Parameters
    ----------
    events : mapping of activity name to pandas.DataFrame
        One table of events per activity, one row per event, such as
        ``{"visit": visits, "ticket": case.tickets}``.
    customer_col, date_col : str
        Columns of every event table.
    as_of : date-like, optional
        Events after this day are left out; defaults to the last event date.
    window_months : int, optional
        Count only the last so many months up to ``as_of``, matching the
        ``window_months`` given to :func:`customer_profitability`.

    Returns
    -------
    pandas.DataFrame
        ``customer_col`` and one count column per activity; customers without
        events of an activity count zero.

    Examples
    --------
    >>> visits = pd.DataFrame({"customer_id": ["a", "b", "a"],
    ...                        "date": ["2024-01-03", "2024-02-01", "2024-03-01"]})
    >>> tickets = pd.DataFrame({"customer_id": ["b"], "date": ["2024-02-10"]})
    >>> activity_counts({"visit": visits, "ticket": tickets}, as_of="2024-02-29")
      customer_id  visit  ticket
    0           a      1       0
    1           b      1       1
    """
    func = "activity_counts"
    if not isinstance(events, Mapping) or not events:
        raise TypeError(
            f"{func}: events must be a non-empty mapping of activity name to a table of "
            f"events, such as {{'visit': visits}}; found {type(events).__name__}"
        )
    window = check_months(window_months, func=func, allow_none=True)
    frames = {}
    for activity, table in events.items():
        if not isinstance(activity, str):
            raise TypeError(f"{func}: activity names must be text; found {activity!r}")
        frames[activity] = check_frame(
            table, func=func, name=f"events[{activity!r}]", allow_empty=True,
            columns={customer_col: "key", date_col: "date"},
        )
    if as_of is None:
        dates = [f[date_col].max() for f in frames.values() if len(f)]
        if not dates:
            raise ValueError(f"{func}: every events table is empty; nothing to count")
        as_of = max(dates).normalize()
    else:
        as_of = check_date(as_of, func=func, name="as_of").normalize()
    end = end_of(as_of)
    start = window_start(as_of, window)
    counts = {}
    for activity, frame in frames.items():
        when = frame[date_col]
        keep = when < end if start is None else (when < end) & (when >= start)
        counts[activity] = frame.loc[keep, customer_col].value_counts()
    out = pd.DataFrame(counts).fillna(0).astype(np.int64)
    out = out.sort_index().rename_axis(customer_col).reset_index()
    return out
