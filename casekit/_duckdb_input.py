"""Transactions that live in DuckDB: a relation, a table of a connection, or Parquet files.

The analytics that accept them (``customer_summary``, ``rfm_scores``,
``abc_activity``, ``customer_pyramid``) check the input contract of
:mod:`casekit._transactions` in SQL and let DuckDB aggregate the rows, out of
core, to one row per customer; only that per-customer table comes into
Python, where the scores, classes and tiers are given exactly as on the
pandas path (the same ranking code, the same tie rules).  Memory on the
Python side therefore follows the number of customers, not of rows.

Text dates are read by the rules of :mod:`casekit._validation`: year-first
ISO text (``2024-04-03``, with a time to the microsecond) is cast in SQL;
any other distinct text value (a month name, an offset, a typo) is read in
Python by the pandas path's parser and joined back, so that the same values
are accepted, and the same ones refused with the same messages.
"""

from __future__ import annotations

import os
import re

import numpy as np
import pandas as pd

from casekit._transactions import column_roles, end_of, month_edges, window_start
from casekit._validation import MAX_NUMBER, check_date


def is_duckdb_input(transactions, con) -> bool:
    """Whether ``transactions`` (with ``con``) names data in DuckDB rather than a DataFrame.

    Examples
    --------
    >>> is_duckdb_input("orders.parquet", None), is_duckdb_input(pd.DataFrame(), None)
    (True, False)
    """
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


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def checked_relation(transactions, *, con, func, customer_col, date_col, amount_col,
                     order_col=None, extra=()):
    """The DuckDB relation of ``transactions``, checked against the input contract.

    In the relation returned, ``date_col`` is a TIMESTAMP (or TIMESTAMP_NS):
    dates and text dates are converted as the pandas path converts them.
    """
    column_roles(func, customer_col=customer_col, date_col=date_col, amount_col=amount_col,
                 order_col=order_col, extra=dict.fromkeys(extra, "number"))
    rel = _relation(transactions, con, func)
    types = dict(zip(rel.columns, map(str, rel.types), strict=True))
    money = [c for c in (amount_col, *extra) if c is not None]
    for column in [customer_col, date_col, *money, *([order_col] if order_col else [])]:
        if column not in types:
            raise ValueError(f"{func}: column {column!r} not found in transactions; columns "
                             f"are {list(types)!r}")
    # text compares byte by byte, as in pandas, whatever the connection's default_collation
    # (with 'nocase', "a" and "A" would be one customer)
    text = [_q(col) for col in dict.fromkeys([customer_col, date_col, order_col])
            if col is not None and types[col] == "VARCHAR"]
    if text:
        binary = ", ".join(f'{col} COLLATE "binary" AS {col}' for col in text)
        rel = rel.query("rel", f"SELECT * REPLACE ({binary}) FROM rel")
    d = _q(date_col)
    if types[date_col] == "VARCHAR":
        rel = _parse_text_dates(rel, func=func, column=date_col)
    elif types[date_col] not in ("TIMESTAMP", "TIMESTAMP_NS"):
        if not (types[date_col].startswith("TIMESTAMP") or types[date_col] == "DATE"):
            raise ValueError(f"{func}: column {date_col!r} must hold dates; found DuckDB type "
                             f"{types[date_col]} (cast it to DATE or TIMESTAMP in the query)")
        # an instant becomes its UTC time, as pandas reads it from Parquet, not the time in
        # the connection's TimeZone, which changes from machine to machine
        zoned = "TIME ZONE" in types[date_col] or types[date_col].startswith("TIMESTAMPTZ")
        stamp = f"timezone('UTC', {d})" if zoned else f"{d}::TIMESTAMP"
        rel = rel.query("rel", f"SELECT * REPLACE ({stamp} AS {d}) FROM rel")
    numeric = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "FLOAT", "DOUBLE",
               "DECIMAL", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT")
    for column in money:
        if not types[column].startswith(numeric):
            raise ValueError(f"{func}: column {column!r} must be numeric and finite; found "
                             f"DuckDB type {types[column]}")
    c = _q(customer_col)
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


#: Year-first text DuckDB casts exactly as pandas reads it (microseconds at most).
_ISO = r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?"


def _parse_text_dates(rel, *, func, column):
    """``rel`` with its text column ``column`` read as timestamps, by the pandas path's rules.

    ISO text is cast in SQL.  The other distinct values go through
    :func:`casekit._validation._parse_dates` (which refuses ambiguous day-month
    text and mixed zones) and are joined back; values it cannot read are
    refused with their number of rows and examples, as on the pandas path.
    """
    from casekit._validation import (
        _AFTER_LATEST,
        _EARLIEST,
        _YEARS,
        _examples,
        _parse_dates,
        _refuse_mixed_zones,
        _timestamp,
    )

    d = _q(column)
    fast = (f"CASE WHEN regexp_full_match({d}, '{_ISO}') THEN try_cast({d} AS TIMESTAMP) END")
    odd = rel.query("rel", f"SELECT {d} AS text, count(*) AS rows FROM rel "
                           f"WHERE {d} IS NOT NULL AND ({fast}) IS NULL GROUP BY {d}").df()
    if len(odd) == 0:
        return rel.query("rel", f"SELECT * REPLACE ({fast} AS {d}) FROM rel")
    odd = odd.sort_values("text", ignore_index=True)
    aware = [v for v in odd["text"] if getattr(_timestamp(v), "tzinfo", None) is not None]
    if aware:
        # the values cast in SQL have no zone: a mix, which the pandas path refuses
        naive = rel.query("rel", f"SELECT {d} FROM rel WHERE ({fast}) IS NOT NULL LIMIT 1")
        naive = naive.fetchall()
        if naive:
            _refuse_mixed_zones(func, column, naive[0][0], aware[0])
    parsed = _parse_dates(odd["text"], func=func, column=column)
    outside = ((parsed < _EARLIEST) | (parsed >= _AFTER_LATEST)).to_numpy()
    if outside.any():
        raise ValueError(
            f"{func}: column {column!r} must hold dates {_YEARS}; found "
            f"{int(odd['rows'][outside].sum())} values outside, e.g. "
            f"{_examples(odd['text'][outside])}")
    bad = parsed.isna().to_numpy()
    if bad.any():
        # as on the pandas path: a real date in the wrong century, not text such as 'June'
        dated = [v for v in odd["text"][bad]
                 if not pd.isna(_timestamp(v)) and re.search(r"\d{4}", v)]
        if dated:
            raise ValueError(f"{func}: column {column!r} must hold dates {_YEARS}; found values "
                             f"outside, e.g. {_examples(dated)}")
        raise ValueError(
            f"{func}: column {column!r} has {int(odd['rows'][bad].sum())} values that are not "
            f"dates, e.g. {_examples(odd['text'][bad])}")
    # read by name in the query below (DuckDB scans local DataFrames)
    mapping = pd.DataFrame({"text": odd["text"], "stamp": parsed.astype("datetime64[ns]")})  # noqa: F841
    return rel.query("rel", f"SELECT rel.* REPLACE (coalesce({fast}, mapping.stamp) AS {d}) "
                            f"FROM rel LEFT JOIN mapping ON rel.{d} = mapping.text")


def _cut(rel, *, func, date_col, as_of, name="as_of"):
    """``as_of`` (the last date by default) at midnight, and the first moment after it."""
    d = _q(date_col)
    first, last = rel.aggregate(f"min({d})::TIMESTAMP, max({d})::TIMESTAMP").fetchall()[0]
    if as_of is None:
        as_of = pd.Timestamp(last).normalize()
    else:
        as_of = check_date(as_of, func=func, name=name).normalize()
    stop = end_of(as_of)
    if pd.Timestamp(first) >= stop:
        raise ValueError(f"{func}: no transactions dated on or before {name}={as_of.date()}; "
                         f"the first date is {pd.Timestamp(first).date()}")
    return as_of, stop


def _stamp(moment: pd.Timestamp) -> str:
    return f"TIMESTAMP '{moment.isoformat(sep=' ')}'"


def _per_customer(rel, query: str, customer_col: str):
    """The per-customer table of ``query`` (``cid`` first, sorted) and its customer index."""
    out = rel.query("rel", query).df()
    ids = out.pop("cid").to_numpy()
    if ids.dtype.kind == "i":  # as the pandas path numbers integer ids
        ids = ids.astype(np.int64)
    return out, pd.Index(ids, name=customer_col)


def rfm_in_duckdb(transactions, *, con, func, customer_col, date_col, amount_col, order_col,
                  as_of, window, bins) -> pd.DataFrame:
    """``rfm_scores`` of DuckDB input: recency, frequency and money summed per customer in SQL."""
    from casekit._rfm import add_scores

    rel = checked_relation(transactions, con=con, func=func, customer_col=customer_col,
                           date_col=date_col, amount_col=amount_col, order_col=order_col)
    as_of, stop = _cut(rel, func=func, date_col=date_col, as_of=as_of)
    c, d, a = _q(customer_col), _q(date_col), _q(amount_col)
    start = window_start(as_of, window)
    where = f"{d} < {_stamp(stop)}" + (f" AND {d} >= {_stamp(start)}" if window else "")
    out, index = _per_customer(rel, f"""
        SELECT {c} AS cid,
               DATE '{as_of.date()}' - max({d}::DATE) FILTER (WHERE {a} >= 0) AS recency,
               count(*) FILTER (WHERE {a} >= 0) AS frequency,
               sum({a}::DOUBLE) AS monetary
        FROM rel WHERE {where} GROUP BY {c} HAVING count(*) FILTER (WHERE {a} >= 0) > 0
        ORDER BY 1""", customer_col)
    if len(out) == 0:
        raise ValueError(
            f"{func}: no purchases to score on or before as_of={as_of.date()}"
            + (f" in the last {window} months" if window else "")
        )
    out.index = index
    out = out.astype({"recency": np.int64, "frequency": np.int64, "monetary": float})
    return add_scores(out, bins)


def abc_in_duckdb(transactions, *, con, func, customer_col, date_col, amount_col, order_col,
                  as_of, window, a_every, b_every, c_after, gap) -> pd.DataFrame:
    """``abc_activity`` of DuckDB input: slices with purchases counted per customer in SQL.

    Each row's monthly slice is reckoned from its date; with fewer than 63
    slices a customer's slices with purchases are the bits of one integer,
    otherwise the rows go to one row per customer and slice first.
    """
    from casekit._abc import ABC_LABELS

    rel = checked_relation(transactions, con=con, func=func, customer_col=customer_col,
                           date_col=date_col, amount_col=amount_col, order_col=order_col)
    as_of, stop = _cut(rel, func=func, date_col=date_col, as_of=as_of)
    c, d = _q(customer_col), _q(date_col)
    end = end_of(as_of)
    x = f"{d}::DATE"
    # slices end on the day of ``end`` in each month (the last day in a shorter month), as
    # casekit._transactions.month_edges has them: k months before the slice of ``as_of``
    k = (f"({end.year * 12 + end.month} - (year({x}) * 12 + month({x})) - CASE WHEN "
         f"day({x}) >= least({end.day}, day(last_day({x}))) THEN 1 ELSE 0 END)")
    recent = f"{d} >= {_stamp(pd.Timestamp(month_edges(as_of, window)[0]))}"
    buy = f"{_q(amount_col)} >= 0" if amount_col is not None else "true"
    amount = f"{_q(amount_col)}::DOUBLE" if amount_col is not None else "0.0"
    rows = (f"SELECT {c} AS cid, {d} AS t, {amount} AS a, {buy} AS buy, "
            f"CASE WHEN {recent} THEN {k} END AS k FROM rel WHERE {d} < {_stamp(stop)}")
    totals = ("coalesce(sum(a) FILTER (WHERE k IS NOT NULL), 0)::DOUBLE AS revenue, "
              "max(t) FILTER (WHERE buy) AS last")
    if window < 63:  # a bit per slice: one pass, no distinct counts
        out, index = _per_customer(rel, f"""
            WITH rows AS ({rows})
            SELECT cid, coalesce(bit_or(1::BIGINT << k) FILTER (WHERE buy), 0) AS mask,
                   count(k) FILTER (WHERE buy) AS orders, {totals}
            FROM rows GROUP BY cid ORDER BY cid""", customer_col)
        mask = out["mask"].to_numpy(np.int64)
        months_active = np.bitwise_count(mask).astype(np.int64)
        filled = {}
        for every in (a_every, b_every):
            group = (1 << every) - 1
            filled[every] = sum(((mask >> (g * every)) & group) != 0
                                for g in range(window // every))
    else:
        out, index = _per_customer(rel, f"""
            WITH rows AS ({rows}), slices AS (
                SELECT cid, k, count(*) FILTER (WHERE buy) AS n, sum(a) AS a,
                       max(t) FILTER (WHERE buy) AS t, true AS buy
                FROM rows GROUP BY cid, k
            )
            SELECT cid, count(k) FILTER (WHERE n > 0) AS months_active,
                   count(DISTINCT k // {a_every}) FILTER (WHERE n > 0) AS a_slices,
                   count(DISTINCT k // {b_every}) FILTER (WHERE n > 0) AS b_slices,
                   coalesce(sum(n) FILTER (WHERE k IS NOT NULL), 0)::BIGINT AS orders, {totals}
            FROM slices GROUP BY cid ORDER BY cid""", customer_col)
        months_active = out["months_active"].to_numpy(np.int64)
        filled = {a_every: out["a_slices"].to_numpy(), b_every: out["b_slices"].to_numpy()}
    last = out["last"].to_numpy().astype("datetime64[ns]").astype(np.int64)
    never = out["last"].isna().to_numpy()
    is_a = filled[a_every] == window // a_every
    is_b = filled[b_every] == window // b_every
    c_edge = (end_of(as_of) - pd.DateOffset(months=c_after)).value
    is_c = never | (last < c_edge)
    classes = np.where(is_a, "A", np.where(is_b, "B", np.where(is_c, "C", gap)))
    result = pd.DataFrame(index=index)
    result["abc_class"] = pd.Categorical(classes, categories=sorted({"A", "B", "C", gap}))
    result["label"] = result["abc_class"].map(ABC_LABELS).astype(str)
    result["months_active"] = months_active
    result["orders"] = out["orders"].to_numpy(np.int64)
    if amount_col is not None:
        result["revenue"] = out["revenue"].to_numpy(float)
    result["last_order"] = pd.to_datetime(np.where(never, np.iinfo(np.int64).min, last))
    result["days_since_last"] = (as_of - result["last_order"].dt.normalize()).dt.days
    return result


def pyramid_in_duckdb(transactions, *, con, func, customer_col, date_col, amount_col,
                      profit_col, order_col, as_of, window, tiers) -> pd.DataFrame:
    """``customer_pyramid`` of DuckDB input: revenue, profit and orders summed in SQL."""
    from casekit._pyramid import rank_tiers

    rel = checked_relation(transactions, con=con, func=func, customer_col=customer_col,
                           date_col=date_col, amount_col=amount_col, order_col=order_col,
                           extra=() if profit_col is None else (profit_col,))
    as_of, stop = _cut(rel, func=func, date_col=date_col, as_of=as_of)
    c, d, a = _q(customer_col), _q(date_col), _q(amount_col)
    recent = f"{d} >= {_stamp(window_start(as_of, window))}"
    profit = ("" if profit_col is None else
              f"coalesce(sum({_q(profit_col)}::DOUBLE) FILTER (WHERE {recent}), 0)::DOUBLE "
              f"AS profit,")
    out, index = _per_customer(rel, f"""
        SELECT {c} AS cid,
               coalesce(sum({a}::DOUBLE) FILTER (WHERE {recent}), 0)::DOUBLE AS revenue,
               {profit}
               count(*) FILTER (WHERE {recent} AND {a} >= 0) AS orders
        FROM rel WHERE {d} < {_stamp(stop)} GROUP BY {c} ORDER BY 1""", customer_col)
    out.index = index
    return rank_tiers(out.astype({"orders": np.int64}), tiers)


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
    rel = checked_relation(transactions, con=con, func=func, customer_col=customer_col,
                           date_col=date_col, amount_col=amount_col, order_col=order_col)
    c, d = _q(customer_col), _q(date_col)
    end, stop = _cut(rel, func=func, date_col=date_col, as_of=end, name="observation_end")
    period = _PERIOD[freq].format(d=d)
    buy = f"{_q(amount_col)} >= 0" if amount_col is not None else "true"
    amount = _q(amount_col) if amount_col is not None else "0.0"
    query = f"""
        WITH rows AS NOT MATERIALIZED (  -- read twice: a kept CTE would hold every row
            SELECT {c} AS cid, {period} AS p, {amount}::DOUBLE AS a, {buy} AS buy
            FROM rel WHERE {d} < {_stamp(stop)}
        ), per AS (
            SELECT cid, min(p) FILTER (WHERE buy) AS first, max(p) FILTER (WHERE buy) AS last,
                   count(DISTINCT p) FILTER (WHERE buy) AS k
            FROM rows GROUP BY cid
        )
        SELECT per.cid, any_value(k) AS k, any_value(last - first) AS recency,
               any_value(first) AS first, coalesce(sum(a) FILTER (WHERE p > first), 0) AS repeat
        FROM per JOIN rows USING (cid) WHERE k > 0 GROUP BY per.cid ORDER BY per.cid
    """
    out, customers = _per_customer(rel, query, customer_col)
    if len(out) == 0:
        raise ValueError(f"{func}: no purchases on or before observation_end={end.date()}; all "
                         f"rows have a negative {amount_col!r} (returns)")
    return (customers, out["k"].to_numpy(np.int64), out["recency"].to_numpy(np.int64),
            out["first"].to_numpy(np.int64), out["repeat"].to_numpy(float), end)
