"""customer_summary, rfm_scores and abc_activity against polars and DuckDB native SQL, in one run.

Usage::

    .venv/bin/python bench/bench_peers.py                    # 10M rows, every id form
    .venv/bin/python bench/bench_peers.py --rows 1e6 --repeat 5 --forms int category
    .venv/bin/python bench/bench_peers.py --rows 5e7 --repeat 1 --tasks rfm_scores

The data are the synthetic frames of ``bench_analytics.py`` (``rows`` transactions of
``rows / 10`` customers over three years).  The customer id comes in five forms: shared
str objects (ids drawn from a customer list), one str object per row (as ``read_csv``
makes them), ``string[pyarrow]`` (a Parquet or Arrow read), int64 and category.  Each
peer gets its data in its own native form, loaded before the clock starts: a polars
DataFrame, a DuckDB table.  Every result is checked to give the same numbers as casekit
before a ratio is printed; ratio = peer's median time / casekit's median time, so above 1
means casekit is faster.  The input check's share of casekit's time is printed as well,
and the shares of its two parts, each timed alone: numbering the customer ids (the
grouping a peer's ``GROUP BY`` does too) and validating the dates and amounts.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time

import duckdb
import numpy as np
import pandas as pd
import polars as pl

sys.path.insert(0, os.path.dirname(__file__))
from bench_analytics import END, make_transactions  # noqa: E402

from casekit import abc_activity, customer_summary, rfm_scores  # noqa: E402
from casekit._transactions import check_transactions, number_ids  # noqa: E402
from casekit._validation import check_frame  # noqa: E402

FORMS = ("shared str", "str per row", "string[pyarrow]", "int", "category")

SUMMARY_SQL = f"""
WITH days AS (
    SELECT customer_id, date::DATE AS day, sum(amount) AS net
    FROM tx WHERE amount >= 0 GROUP BY ALL
), firsts AS (
    SELECT customer_id, day, net, min(day) OVER (PARTITION BY customer_id) AS first_day
    FROM days
)
SELECT customer_id, (count(*) - 1)::DOUBLE AS frequency,
       (max(day) - min(day))::DOUBLE AS recency,
       (DATE '{END}' - min(day))::DOUBLE AS T,
       coalesce(sum(net) FILTER (WHERE day > first_day) / nullif(count(*) - 1, 0), 0)
           AS monetary_value
FROM firsts GROUP BY customer_id ORDER BY customer_id
"""

# ties: the smaller id ranks lower; money ties when equal to a millionth (casekit's rule)
RFM_SQL = f"""
WITH per AS (
    SELECT customer_id, DATE '{END}' - max(date)::DATE AS recency, count(*) AS frequency,
           sum(amount) AS monetary
    FROM tx GROUP BY customer_id
)
SELECT customer_id, recency, frequency, monetary,
    (row_number() OVER (ORDER BY recency DESC, customer_id) - 1) * 5 // count(*) OVER () + 1
        AS r_score,
    (row_number() OVER (ORDER BY frequency, customer_id) - 1) * 5 // count(*) OVER () + 1
        AS f_score,
    (row_number() OVER (ORDER BY round(monetary, 6), customer_id) - 1) * 5
        // count(*) OVER () + 1 AS m_score
FROM per ORDER BY customer_id
"""

# as_of is a month end, so the twelve monthly slices start on the first of a month
ABC_SQL = f"""
WITH rows AS (
    SELECT customer_id, amount, date,
           date_diff('month', date::DATE, DATE '{END}') AS months_ago
    FROM tx
), per AS (
    SELECT customer_id,
        count(DISTINCT months_ago) FILTER (WHERE months_ago < 12) AS months_active,
        count(DISTINCT months_ago // 3) FILTER (WHERE months_ago < 12) AS quarters,
        count(*) FILTER (WHERE months_ago < 12) AS orders,
        coalesce(sum(amount) FILTER (WHERE months_ago < 12), 0) AS revenue,
        max(date) AS last_order
    FROM rows GROUP BY customer_id
)
SELECT customer_id,
    CASE WHEN months_active = 12 THEN 'A' WHEN quarters = 4 THEN 'B'
         WHEN last_order < DATE '{END}' + INTERVAL 1 DAY - INTERVAL 6 MONTH THEN 'C'
         ELSE 'D' END AS abc_class,
    months_active, orders, revenue
FROM per ORDER BY customer_id
"""


def polars_summary(df: pl.DataFrame) -> pl.DataFrame:
    end = pl.lit(pd.Timestamp(END).date())
    days = (df.filter(pl.col("amount") >= 0)
            .group_by("customer_id", pl.col("date").dt.date().alias("day"))
            .agg(pl.col("amount").sum().alias("net")))
    first = pl.col("day").min()
    return (days.group_by("customer_id").agg(
        frequency=(pl.len() - 1).cast(pl.Float64),
        recency=(pl.col("day").max() - first).dt.total_days().cast(pl.Float64),
        T=(end - first).dt.total_days().cast(pl.Float64),
        repeat=pl.col("net").filter(pl.col("day") > first).sum(),
    ).with_columns(monetary_value=pl.when(pl.col("frequency") > 0)
                   .then(pl.col("repeat") / pl.col("frequency")).otherwise(0.0))
        .drop("repeat").sort("customer_id"))


def polars_rfm(df: pl.DataFrame) -> pl.DataFrame:
    end = pl.lit(pd.Timestamp(END).date())
    per = df.group_by("customer_id").agg(
        recency=(end - pl.col("date").max().dt.date()).dt.total_days(),
        frequency=pl.len(), monetary=pl.col("amount").sum())
    n = pl.len()

    def score(*keys):
        rank = pl.int_range(n).sort_by([*keys, pl.col("customer_id")])
        return pl.int_range(n).gather(rank.arg_sort()) * 5 // n + 1

    return per.with_columns(
        r_score=score(-pl.col("recency")), f_score=score(pl.col("frequency")),
        m_score=score(pl.col("monetary").round(6)),
    ).sort("customer_id")


def polars_abc(df: pl.DataFrame) -> pl.DataFrame:
    end = pd.Timestamp(END)
    months_ago = (end.year * 12 + end.month) - (pl.col("date").dt.year() * 12
                                                  + pl.col("date").dt.month())
    recent = pl.col("months_ago") < 12
    per = df.with_columns(months_ago=months_ago).group_by("customer_id").agg(
        months_active=pl.col("months_ago").filter(recent).n_unique(),
        quarters=(pl.col("months_ago").filter(recent) // 3).n_unique(),
        orders=recent.sum(),
        revenue=pl.col("amount").filter(recent).sum(),
        last_order=pl.col("date").max(),
    )
    c_edge = (end + pd.Timedelta(days=1) - pd.DateOffset(months=6)).to_pydatetime()
    return per.with_columns(abc_class=pl.when(pl.col("months_active") == 12).then(pl.lit("A"))
                            .when(pl.col("quarters") == 4).then(pl.lit("B"))
                            .when(pl.col("last_order") < c_edge).then(pl.lit("C"))
                            .otherwise(pl.lit("D"))).sort("customer_id")


def id_forms(tx: pd.DataFrame, names) -> dict:
    ids = tx["customer_id"]
    make = {
        "shared str": lambda: ids,
        "str per row": lambda: np.array(["".join(["C-", s[2:]]) for s in ids], dtype=object),
        "string[pyarrow]": lambda: ids.astype("string[pyarrow]"),
        "int": lambda: ids.str.slice(2).astype(np.int64).to_numpy(),
        "category": lambda: ids.astype("category"),
    }
    out = {}
    for name in names:
        frame = tx.copy(deep=False)
        frame["customer_id"] = make[name]()
        out[name] = frame
    return out


def median_time(func, repeat: int):
    times, result = [], None
    for _ in range(repeat):
        result = None
        gc.collect()
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return float(np.median(times)), result


def same(ours: pd.DataFrame, theirs: pd.DataFrame, exact, close, name: str) -> None:
    theirs = theirs.set_index("customer_id")
    assert len(theirs) == len(ours), (name, len(theirs), len(ours))
    assert (theirs.index.astype(str) == ours.index.astype(str)).all(), name
    for column in exact:
        assert (theirs[column].astype(str).to_numpy()
                == ours[column].astype(str).to_numpy()).all(), (name, column)
    for column in close:
        np.testing.assert_allclose(theirs[column].to_numpy(float), ours[column].to_numpy(float),
                                   rtol=1e-9, atol=1e-9, err_msg=f"{name} {column}")


TASKS = {
    "customer_summary": (
        lambda tx: customer_summary(tx, amount_col="amount", observation_end=END),
        SUMMARY_SQL, polars_summary, [], ["frequency", "recency", "T", "monetary_value"]),
    "rfm_scores": (
        lambda tx: rfm_scores(tx, as_of=END), RFM_SQL, polars_rfm,
        ["recency", "frequency", "r_score", "f_score", "m_score"], ["monetary"]),
    "abc_activity": (
        lambda tx: abc_activity(tx, as_of=END), ABC_SQL, polars_abc,
        ["abc_class", "months_active", "orders"], ["revenue"]),
}


def run(rows: int, repeat: int, forms, tasks) -> None:
    tx = make_transactions(rows)
    print(f"\n{rows:,} transactions, {tx['customer_id'].nunique():,} customers, "
          f"median of {repeat}; load average {os.getloadavg()[0]:.1f}", flush=True)
    print(f"{'task':18s} {'id form':16s} {'casekit':>9s} {'check':>6s} {'ids':>6s} "
          f"{'valid':>6s} {'polars':>9s} {'ratio':>6s} {'duckdb':>9s} {'ratio':>6s}")
    for form, frame in id_forms(tx, forms).items():
        con = duckdb.connect()
        con.execute("CREATE TABLE tx AS SELECT * FROM frame")
        pdf = pl.from_pandas(frame)
        check, _ = median_time(lambda frame=frame: check_transactions(
            frame, func="bench", customer_col="customer_id", date_col="date",
            amount_col="amount", as_of=END), repeat)
        ids, _ = median_time(lambda frame=frame: number_ids(frame["customer_id"]), repeat)
        valid, _ = median_time(lambda frame=frame: check_frame(
            frame, func="bench", columns={"date": "date", "amount": "number"}), repeat)
        for task in tasks:
            ours_func, sql, polars_func, exact, close = TASKS[task]
            ours_t, ours = median_time(lambda frame=frame, f=ours_func: f(frame), repeat)
            pl_t, theirs = median_time(lambda pdf=pdf, f=polars_func: f(pdf), repeat)
            same(ours, theirs.to_pandas(), exact, close, f"polars {task} {form}")
            db_t, theirs = median_time(lambda con=con, sql=sql: con.sql(sql).df(), repeat)
            same(ours, theirs, exact, close, f"duckdb {task} {form}")
            print(f"{task:18s} {form:16s} {ours_t:8.2f}s {check / ours_t:6.2f} "
                  f"{ids / ours_t:6.2f} {valid / ours_t:6.2f} {pl_t:8.2f}s "
                  f"{pl_t / ours_t:6.2f} {db_t:8.2f}s {db_t / ours_t:6.2f}", flush=True)
        con.close()
        del pdf, con


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, nargs="+", default=[1e7])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--forms", nargs="+", default=list(FORMS), choices=FORMS)
    parser.add_argument("--tasks", nargs="+", default=list(TASKS), choices=list(TASKS))
    args = parser.parse_args()
    print(f"pandas {pd.__version__}, numpy {np.__version__}, polars {pl.__version__}, "
          f"duckdb {duckdb.__version__}; the same numbers checked for every result")
    for rows in args.rows:
        run(int(rows), args.repeat, args.forms, args.tasks)


if __name__ == "__main__":
    main()
