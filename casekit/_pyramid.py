"""Jay Curry's customer pyramid: tiers by rank, migration between periods, what-if."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from casekit._duckdb_input import is_duckdb_input, pyramid_in_duckdb
from casekit._rfm import MONEY_DECIMALS
from casekit._transactions import (
    Checked,
    check_before,
    check_months,
    check_number,
    check_transactions,
    end_of,
    purchases,
    subset,
    window_start,
)

#: Curry's tiers, top first, as shares of the active customers.
PYRAMID_TIERS = {"top": 0.01, "big": 0.04, "medium": 0.15, "small": 0.80}
INACTIVE = "inactive"
PROSPECT = "prospect"


def _check_tiers(tiers, func: str) -> dict:
    if tiers is None:
        return dict(PYRAMID_TIERS)
    if not isinstance(tiers, Mapping) or not tiers:
        raise TypeError(
            f"{func}: tiers must be a mapping of tier name to share, top first, such as "
            f"{PYRAMID_TIERS!r}; found {tiers!r}"
        )
    checked = {}
    for name, share in tiers.items():
        if not isinstance(name, str) or name in (INACTIVE, PROSPECT, "total"):
            raise ValueError(
                f"{func}: tier names must be text other than {INACTIVE!r}, {PROSPECT!r} and "
                f"'total' (the totals row of pyramid_what_if); found {name!r}"
            )
        checked[name] = check_number(share, func=func, name=f"tiers[{name!r}]", low=0,
                                     high=1, open_low=True)
    total = sum(checked.values())
    if abs(total - 1) > 1e-9:
        raise ValueError(f"{func}: tier shares must add up to 1; found {total:g}")
    return checked


def _assign(checked: Checked, as_of, *, date_col, amount_col, profit_col, window, tiers):
    """The pyramid at ``as_of`` of checked transactions (rows up to ``as_of`` only)."""
    frame, _, codes, index = checked
    known = (frame[date_col] < end_of(as_of)).to_numpy()
    if not known.all():
        frame = frame.loc[known]
        codes, index = subset(codes, index, known)
    n = len(index)
    start = window_start(as_of, window).to_datetime64()
    in_window = frame[date_col].to_numpy() >= start
    out = pd.DataFrame(index=index)
    amounts = np.where(in_window, frame[amount_col].to_numpy(), 0.0)
    out["revenue"] = np.bincount(codes, weights=amounts, minlength=n)
    if profit_col is not None:
        profits = np.where(in_window, frame[profit_col].to_numpy(), 0.0)
        out["profit"] = np.bincount(codes, weights=profits, minlength=n)
    out["orders"] = np.bincount(codes[in_window & purchases(frame, amount_col)], minlength=n)
    return rank_tiers(out, tiers)


def rank_tiers(out: pd.DataFrame, tiers: dict) -> pd.DataFrame:
    """Add ``rank`` and ``tier`` to per-customer ``revenue`` and ``orders`` (sorted ids)."""
    n = len(out)
    active = np.flatnonzero(out["orders"].to_numpy() > 0)
    # as in rfm_scores: revenues equal to a millionth tie, whatever order they were added in
    revenue = np.round(out["revenue"].to_numpy()[active], MONEY_DECIMALS)
    order = active[np.lexsort((active, -revenue))]
    rank = np.zeros(n, dtype=np.int64)
    rank[order] = np.arange(1, len(order) + 1)
    bounds = np.ceil(np.round(np.cumsum(list(tiers.values())) * len(order), 9))
    names = np.array([*tiers, INACTIVE], dtype=object)
    label = np.full(n, INACTIVE, dtype=object)
    label[order] = names[np.searchsorted(bounds, np.arange(len(order)), side="right")]
    out["rank"] = pd.array(np.where(rank > 0, rank, None), dtype="Int64")
    out["tier"] = pd.Categorical(label, categories=list(names))
    return out


def customer_pyramid(
    transactions,
    *,
    customer_col="customer_id",
    date_col="date",
    amount_col="amount",
    profit_col=None,
    as_of=None,
    window_months=12,
    tiers=None,
    order_col=None,
    con=None,
) -> pd.DataFrame:
    """Curry's customer pyramid: tiers by revenue rank, plus the inactive customers.

    Customers who ordered in the last ``window_months`` months are active.
    They are ranked by revenue in that window (highest first, equal revenue
    in customer-id order) and cut by rank percentile: with the default tiers
    the top 1 % are ``top``, the next 4 % ``big``, the next 15 % ``medium``
    and the other 80 % ``small``.  A tier with cumulative share ``c`` ends at
    rank ``ceil(c x active customers)``, so each tier's size is within one
    customer of its share.  Customers known from earlier orders but silent in
    the window are ``inactive``.

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per order; returns are netted into revenue and profit.
    customer_col, date_col, amount_col, order_col : str
        Column names.
    profit_col : str, optional
        A margin column such as ``"gross_margin"``; adds ``profit``.
    as_of : date-like, optional
        The day the pyramid is taken; later rows are left out.
    window_months : int
        The period whose revenue ranks the customers (12 months).
    tiers : mapping, optional
        Tier name to share of the active customers, top first, adding up to 1;
        default :data:`PYRAMID_TIERS`.
    con : duckdb.DuckDBPyConnection, optional
        With ``con``, ``transactions`` names a table in that connection.
        ``transactions`` may also be a DuckDB relation or the path of a
        Parquet file or folder; the rows are then checked and reduced inside
        DuckDB, out of core, and the result is the same.

    Returns
    -------
    pandas.DataFrame
        One row per customer (sorted ids): ``revenue``, ``profit`` (with
        ``profit_col``), ``orders``, ``rank`` (1 = largest, missing for the
        inactive; equal revenues, to a millionth, rank the smaller id
        first) and ``tier`` (categorical, top tier first, ``inactive``
        last).  ``segment_shares(result, by="tier", values=["revenue",
        "profit"])`` gives each tier's share.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": [f"c{i:03d}" for i in range(100)] + ["old"],
    ...                    "date": ["2024-05-01"] * 100 + ["2022-01-01"],
    ...                    "amount": [float(i) for i in range(100)] + [50.0]})
    >>> pyramid = customer_pyramid(tx, as_of="2024-06-30")
    >>> pyramid["tier"].value_counts(sort=False).to_dict()
    {'top': 1, 'big': 4, 'medium': 15, 'small': 80, 'inactive': 1}
    >>> pyramid.loc[["c099", "old"], ["revenue", "rank", "tier"]]
                 revenue  rank      tier
    customer_id
    c099            99.0     1       top
    old              0.0  <NA>  inactive
    """
    return _pyramid(transactions, customer_col=customer_col, date_col=date_col,
                    amount_col=amount_col, profit_col=profit_col, as_of=as_of,
                    window_months=window_months, tiers=tiers, order_col=order_col,
                    func="customer_pyramid", con=con)


def _pyramid(transactions, *, customer_col, date_col, amount_col, profit_col, as_of,
             window_months, tiers, order_col, func, con=None) -> pd.DataFrame:
    tiers = _check_tiers(tiers, func)
    window = check_months(window_months, func=func)
    if is_duckdb_input(transactions, con):
        return pyramid_in_duckdb(transactions, con=con, func=func, customer_col=customer_col,
                                 date_col=date_col, amount_col=amount_col,
                                 profit_col=profit_col, order_col=order_col, as_of=as_of,
                                 window=window, tiers=tiers)
    extra = None if profit_col is None else {profit_col: "number"}
    checked = check_transactions(
        transactions, func=func, customer_col=customer_col, date_col=date_col,
        amount_col=amount_col, amount_required=True, order_col=order_col, extra=extra,
        as_of=as_of,
    )
    return _assign(checked, checked.as_of, date_col=date_col, amount_col=amount_col,
                   profit_col=profit_col, window=window, tiers=tiers)


def pyramid_migration(
    transactions,
    *,
    before,
    customer_col="customer_id",
    date_col="date",
    amount_col="amount",
    as_of=None,
    window_months=12,
    tiers=None,
    normalize=False,
    order_col=None,
) -> pd.DataFrame:
    """Migration matrix: how many customers moved from each tier to each tier.

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per order.
    before : date-like
        The earlier day; its pyramid gives the rows.
    as_of : date-like, optional
        The later day; its pyramid gives the columns.  Defaults to the last date.
    customer_col, date_col, amount_col, window_months, tiers, order_col
        As in :func:`customer_pyramid`.
    normalize : bool
        Give each row as shares of that row's customers instead of counts.

    Returns
    -------
    pandas.DataFrame
        Rows: tiers at ``before`` plus ``prospect`` (not yet a customer);
        columns: tiers at ``as_of``.  Index name ``from``, columns name ``to``.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "b", "a", "c"],
    ...                    "date": ["2023-03-01", "2023-04-01", "2024-03-01", "2024-05-01"],
    ...                    "amount": [100.0, 10.0, 20.0, 90.0]})
    >>> tiers = {"top": 0.5, "small": 0.5}
    >>> pyramid_migration(tx, before="2023-06-30", as_of="2024-06-30", tiers=tiers)
    to        top  small  inactive
    from
    top         0      1         0
    small       0      0         1
    inactive    0      0         0
    prospect    1      0         0
    """
    func = "pyramid_migration"
    tiers = _check_tiers(tiers, func)
    normalize = check_normalize(normalize, func)
    window = check_months(window_months, func=func)
    checked = check_transactions(
        transactions, func=func, customer_col=customer_col, date_col=date_col,
        amount_col=amount_col, amount_required=True, order_col=order_col, as_of=as_of,
    )
    frame, as_of = checked.frame, checked.as_of
    before = check_before(before, as_of, func=func)
    kwargs = dict(date_col=date_col, amount_col=amount_col, profit_col=None, window=window,
                  tiers=tiers)
    after = _assign(checked, as_of, **kwargs)["tier"]
    if (frame[date_col] < end_of(before)).any():
        earlier = _assign(checked, before, **kwargs)["tier"]
    else:
        earlier = pd.Series(dtype=object)
    return _crosstab(earlier, after, normalize)


def check_normalize(normalize, func: str) -> bool:
    if not isinstance(normalize, bool | np.bool_):
        raise TypeError(f"{func}: normalize must be True or False; found {normalize!r}")
    return bool(normalize)


def _crosstab(earlier: pd.Series, after: pd.Series, normalize: bool) -> pd.DataFrame:
    """Counts (or row shares) from the earlier to the later labels, all categories kept."""
    columns = list(after.cat.categories)
    rows = [*columns, PROSPECT]
    start = earlier.reindex(after.index).astype(object).fillna(PROSPECT)
    table = pd.crosstab(
        pd.Categorical(start, categories=rows), pd.Categorical(after.astype(object),
                                                               categories=columns),
        dropna=False,
    )
    # with no customers at all crosstab has no rows; a matrix of zeros is the answer
    table = table.reindex(index=rows, columns=columns, fill_value=0)
    table.index = pd.Index(rows, name="from")
    table.columns = pd.Index(columns, name="to")
    if normalize:
        sizes = table.sum(axis=1)
        table = table.div(sizes.where(sizes > 0), axis=0).fillna(0.0)
    return table


def pyramid_what_if(
    transactions,
    *,
    share=0.1,
    customer_col="customer_id",
    date_col="date",
    amount_col="amount",
    profit_col=None,
    as_of=None,
    window_months=12,
    tiers=None,
    order_col=None,
) -> pd.DataFrame:
    """What if ``share`` of each tier's customers moved up one tier?

    In every tier below the top, including ``inactive``, the ``share`` of
    customers with the highest revenue (rounded to whole customers) move up
    one tier and from then on bring that tier's average revenue (and profit).
    Nobody moves into an empty tier.

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per order.
    share : float
        Share of each tier that moves up, between 0 and 1.
    customer_col, date_col, amount_col, profit_col, as_of, window_months, tiers, order_col
        As in :func:`customer_pyramid`.

    Returns
    -------
    pandas.DataFrame
        One row per tier plus ``total``: ``customers_before``,
        ``customers_after``, ``revenue_before``, ``revenue_after``,
        ``revenue_change`` (and the same for profit with ``profit_col``).

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": [f"c{i:02d}" for i in range(20)],
    ...                    "date": "2024-05-01", "amount": [100.0] * 2 + [10.0] * 18})
    >>> tiers = {"top": 0.1, "small": 0.9}
    >>> pyramid_what_if(tx, share=0.2, tiers=tiers)[["customers_after", "revenue_change"]]
              customers_after  revenue_change
    tier
    top                     6           400.0
    small                  14           -40.0
    inactive                0             0.0
    total                  20           360.0
    """
    func = "pyramid_what_if"
    share = check_number(share, func=func, name="share", low=0, high=1)
    pyramid = _pyramid(
        transactions, customer_col=customer_col, date_col=date_col, amount_col=amount_col,
        profit_col=profit_col, as_of=as_of, window_months=window_months, tiers=tiers,
        order_col=order_col, func=func,
    )
    ladder = list(pyramid["tier"].cat.categories)
    values = ["revenue"] + (["profit"] if profit_col is not None else [])
    tier = pyramid["tier"].astype(object).to_numpy()
    new_tier = tier.copy()
    new_values = {v: pyramid[v].to_numpy().copy() for v in values}
    means = pyramid.groupby("tier", observed=False)[values].mean()
    for upper, lower in zip(ladder[:-1], ladder[1:], strict=True):
        members = np.flatnonzero(tier == lower)
        if not (tier == upper).any() or len(members) == 0:
            continue
        k = int(np.floor(share * len(members) + 0.5))
        revenue = pyramid["revenue"].to_numpy()[members]
        movers = members[np.lexsort((members, -revenue))][:k]
        new_tier[movers] = upper
        for v in values:
            new_values[v][movers] = means.loc[upper, v]
    out = pd.DataFrame(index=pd.Index(ladder, name="tier"))
    out["customers_before"] = pd.Series(tier).value_counts().reindex(ladder, fill_value=0).values
    out["customers_after"] = (
        pd.Series(new_tier).value_counts().reindex(ladder, fill_value=0).values
    )
    for v in values:
        out[f"{v}_before"] = pd.Series(pyramid[v].to_numpy()).groupby(tier).sum().reindex(
            ladder, fill_value=0.0).values
        out[f"{v}_after"] = pd.Series(new_values[v]).groupby(new_tier).sum().reindex(
            ladder, fill_value=0.0).values
        out[f"{v}_change"] = out[f"{v}_after"] - out[f"{v}_before"]
    total = out.sum().to_frame("total").T.astype(out.dtypes)
    return pd.concat([out, total]).rename_axis("tier")
