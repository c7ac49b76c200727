"""Transactions that live in DuckDB: a relation, a table of a connection, or Parquet files.

The analytics that accept them (``customer_summary``, ``rfm_scores``,
``abc_activity``, ``customer_pyramid``) check the input contract of
:mod:`casekit._transactions` in SQL and let DuckDB reduce the rows, out of
core, to one row per customer, day and kind (purchases and returns apart):
the last timestamp of the day, the summed money columns and the number of
rows.  Nothing the analyses compute changes under that reduction: purchase
periods, recency, windows and monthly slices are made of whole days, and
counts of orders add the row numbers back.  The reduced table, a few rows per
customer and day, then takes the pandas path.
"""

from __future__ import annotations

import os

import pandas as pd

from casekit._transactions import ROWS
from casekit._validation import MAX_NUMBER


def is_duckdb_input(transactions, con) -> bool:
    """Whether ``transactions`` (with ``con``) names data in DuckDB rather than a DataFrame."""
    if con is not None:
        return True
    if isinstance(transactions, str | os.PathLike):
        return True
    return type(transactions).__module__.startswith("duckdb")


def _relation(transactions, con, func):
    import duckdb

    if con is not None:
        if not isinstance(con, duckdb.DuckDBPyConnection):
            raise TypeError(f"{func}: con must be a DuckDB connection; found "
                            f"{type(con).__name__}")
        if not isinstance(transactions, str):
            raise TypeError(f"{func}: with con, transactions must be a table name (str); found "
                            f"{type(transactions).__name__}")
        try:
            return con.table(transactions)
        except duckdb.Error:
            raise ValueError(f"{func}: table {transactions!r} not found in the DuckDB "
                             f"connection") from None
    if isinstance(transactions, str | os.PathLike):
        path = os.fspath(transactions)
        pattern = os.path.join(path, "**", "*.parquet") if os.path.isdir(path) else path
        try:
            return duckdb.read_parquet(pattern, hive_partitioning=os.path.isdir(path))
        except duckdb.Error as error:
            raise ValueError(f"{func}: transactions={path!r} is no readable Parquet file or "
                             f"dataset ({str(error).splitlines()[0]})") from None
    if isinstance(transactions, duckdb.DuckDBPyRelation):
        return transactions
    raise TypeError(f"{func}: transactions must be a pandas DataFrame, a DuckDB relation, a "
                    f"Parquet path or a table name with con=; found {type(transactions).__name__}")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def checked_relation(transactions, *, con, func, customer_col, date_col, amount_col,
                     order_col=None, extra=()):
    """The DuckDB relation of ``transactions``, checked against the input contract."""
    rel = _relation(transactions, con, func)
    types = dict(zip(rel.columns, map(str, rel.types), strict=True))
    money = [c for c in (amount_col, *extra) if c is not None]
    for column in [customer_col, date_col, *money, *([order_col] if order_col else [])]:
        if column not in types:
            raise ValueError(f"{func}: column {column!r} not found in transactions; columns "
                             f"are {list(types)!r}")
    if not (types[date_col].startswith("TIMESTAMP") or types[date_col] == "DATE"):
        raise ValueError(f"{func}: column {date_col!r} must hold dates; found DuckDB type "
                         f"{types[date_col]} (cast it to DATE or TIMESTAMP in the query)")
    numeric = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "FLOAT", "DOUBLE",
               "DECIMAL", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT")
    for column in money:
        if not types[column].startswith(numeric):
            raise ValueError(f"{func}: column {column!r} must be numeric and finite; found "
                             f"DuckDB type {types[column]}")
    c, d = _q(customer_col), _q(date_col)
    checks = ["count(*) AS n", f"count(*) FILTER (WHERE {c} IS NULL) AS missing_ids",
              f"count(*) FILTER (WHERE {d} IS NULL) AS missing_dates",
              f"count(*) FILTER (WHERE {d} < DATE '1900-01-01' OR {d} >= DATE '2201-01-01')"
              " AS outside"]
    for i, column in enumerate(money):
        m = _q(column)
        checks.append(f"count(*) FILTER (WHERE {m} IS NULL OR NOT isfinite({m}::DOUBLE)) "
                      f"AS bad{i}")
        checks.append(f"count(*) FILTER (WHERE abs({m}::DOUBLE) > {MAX_NUMBER}) AS big{i}")
    found = rel.aggregate(", ".join(checks)).fetchall()[0]
    if found[0] == 0:
        raise ValueError(f"{func}: transactions is empty; expected at least one row")
    if found[1]:
        raise ValueError(f"{func}: column {customer_col!r} has {found[1]} missing values; "
                         f"every row needs a {customer_col}")
    if found[2]:
        raise ValueError(f"{func}: column {date_col!r} has {found[2]} values that are not "
                         f"dates")
    if found[3]:
        raise ValueError(f"{func}: column {date_col!r} must hold dates between the years 1900 "
                         f"and 2200; found {found[3]} values outside")
    for i, column in enumerate(money):
        bad, big = found[4 + 2 * i], found[5 + 2 * i]
        if bad:
            raise ValueError(f"{func}: column {column!r} must be numeric and finite; found "
                             f"{bad} bad values")
        if big:
            raise ValueError(f"{func}: column {column!r} must hold numbers of size at most "
                             f"{MAX_NUMBER:g}; found {big} larger values")
    if order_col is not None:
        o = _q(order_col)
        dupes = rel.aggregate(f"{o}, count(*) AS k", o).filter("k > 1")
        shown = dupes.limit(5).fetchall()
        if shown:
            total = dupes.aggregate("sum(k)").fetchall()[0][0]
            raise ValueError(f"{func}: column {order_col!r} must be unique in transactions; "
                             f"found {total} rows with repeated values, e.g. "
                             f"{[row[0] for row in shown]!r}")
    return rel


def reduce_in_duckdb(transactions, *, con, func, customer_col, date_col, amount_col,
                     order_col=None, extra=()) -> pd.DataFrame:
    """Check the contract in DuckDB and reduce to one row per customer, day and kind.

    Returns a DataFrame with ``customer_col``, ``date_col`` (the last
    timestamp of the day), ``amount_col`` and the ``extra`` money columns
    summed, and :data:`ROWS`; the pandas path takes it from there.
    """
    rel = checked_relation(transactions, con=con, func=func, customer_col=customer_col,
                           date_col=date_col, amount_col=amount_col, order_col=order_col,
                           extra=extra)
    c, d = _q(customer_col), _q(date_col)
    money = [c for c in (amount_col, *extra) if c is not None]
    sums = ", ".join(f"sum({_q(m)})::DOUBLE AS {_q(m)}" for m in money)
    kind = f"{_q(amount_col)} >= 0" if amount_col is not None else "true"
    # grouping by day and kind: every analysis works in whole days and tells returns apart
    query = (f"SELECT {c}, max({d})::TIMESTAMP AS {d}{', ' + sums if sums else ''}, "
             f"count(*) AS {_q(ROWS)} FROM rel GROUP BY {c}, {d}::DATE, {kind}")
    return rel.query("rel", query).df()


def from_duckdb(transactions, con, *, func, customer_col, date_col, amount_col, order_col,
                extra=None):
    """``transactions``, ``order_col`` and ``extra`` for check_transactions.

    DuckDB input is checked and reduced (the reduction checked ``order_col``
    already); a DataFrame passes unchanged.
    """
    if not is_duckdb_input(transactions, con):
        return transactions, order_col, extra
    frame = reduce_in_duckdb(transactions, con=con, func=func, customer_col=customer_col,
                             date_col=date_col, amount_col=amount_col, order_col=order_col,
                             extra=tuple(extra or ()))
    return frame, None, {**(extra or {}), ROWS: "number"}


_PERIOD = {
    "D": "(({d})::DATE - DATE '1970-01-01')",
    # as casekit._summary._periods: weeks from Monday, months as numpy's datetime64[M]
    "W": "floor((({d})::DATE - DATE '1970-01-01' + 3) / 7)::BIGINT",
    "M": "((year({d}) - 1970) * 12 + month({d}) - 1)",
}


def summary_in_duckdb(transactions, *, con, func, customer_col, date_col, amount_col,
                      order_col, end, freq):
    """Per-customer purchase periods aggregated in DuckDB, for customer_summary.

    Returns the sorted customers, frequency, recency, the first purchase
    period, the repeat amount (or None) and the end date used.
    """
    import numpy as np

    from casekit._transactions import end_of
    from casekit._validation import check_date

    rel = checked_relation(transactions, con=con, func=func, customer_col=customer_col,
                           date_col=date_col, amount_col=amount_col, order_col=order_col)
    c, d = _q(customer_col), _q(date_col)
    first_day, last_day = rel.aggregate(f"min({d})::TIMESTAMP, max({d})::TIMESTAMP").fetchall()[0]
    if end is None:
        end = pd.Timestamp(last_day).normalize()
    else:
        end = check_date(end, func=func, name="observation_end").normalize()
    stop = end_of(end)
    if pd.Timestamp(first_day) >= stop:
        raise ValueError(f"{func}: no transactions dated on or before observation_end="
                         f"{end.date()}; the first date is {pd.Timestamp(first_day).date()}")
    period = _PERIOD[freq].format(d=d)
    buy = f"{_q(amount_col)} >= 0" if amount_col is not None else "true"
    amount = _q(amount_col) if amount_col is not None else "0.0"
    query = f"""
        WITH rows AS (
            SELECT {c} AS cid, {period} AS p, {amount}::DOUBLE AS a, {buy} AS buy
            FROM rel WHERE {d} < TIMESTAMP '{stop}'
        ), per AS (
            SELECT cid, min(p) FILTER (WHERE buy) AS first, max(p) FILTER (WHERE buy) AS last,
                   count(DISTINCT p) FILTER (WHERE buy) AS k
            FROM rows GROUP BY cid
        )
        SELECT per.cid, any_value(k) AS k, any_value(last - first) AS recency,
               any_value(first) AS first, coalesce(sum(a) FILTER (WHERE p > first), 0) AS repeat
        FROM per JOIN rows USING (cid) WHERE k > 0 GROUP BY per.cid ORDER BY per.cid
    """
    out = rel.query("rel", query).df()
    if len(out) == 0:
        raise ValueError(f"{func}: no purchases on or before observation_end={end.date()}; all "
                         f"rows have a negative {amount_col!r} (returns)")
    customers = pd.Index(out["cid"].to_numpy(), name=customer_col)
    return (customers, out["k"].to_numpy(np.int64), out["recency"].to_numpy(np.int64),
            out["first"].to_numpy(np.int64), out["repeat"].to_numpy(float), end)
