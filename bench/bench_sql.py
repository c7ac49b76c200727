"""RFM and customer_summary in SQL (DuckDB) against casekit's pandas versions, in one run.

Usage::

    .venv/bin/python bench/bench_sql.py            # 1M and 10M transactions
    .venv/bin/python bench/bench_sql.py --rows 1e6 --repeat 3

The data are those of bench_analytics.py: ``rows`` transactions of ``rows / 10``
customers with string ids, daily dates over three years and gamma amounts,
drawn once per size from a seeded generator.  Each version gets the same
data and returns a pandas DataFrame:

- ``casekit``: ``casekit.rfm_scores`` / ``casekit.customer_summary`` on the frame;
- ``sql on frame``: the SQL query run by DuckDB directly on the pandas frame
  (DuckDB reads it in place; the conversion is part of the time);
- ``sql on table``: the same query on a DuckDB table already loaded, as in the
  case database of ``Case.to_duckdb`` (the analytical subsystem's warehouse).

The results are checked to agree before a ratio is printed (ratio = SQL time /
casekit's time, so above 1 means casekit is faster).  The best of ``repeat``
runs is kept at the first size; larger sizes run once.
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

sys.path.insert(0, os.path.dirname(__file__))
from bench_analytics import make_transactions  # noqa: E402

from casekit import customer_summary, rfm_scores  # noqa: E402

RFM_SQL = """
WITH params AS (SELECT max(date)::DATE AS as_of FROM {source}),
per_customer AS (
    SELECT customer_id,
           (SELECT as_of FROM params) - max(date) FILTER (WHERE amount >= 0)::DATE AS recency,
           count(*) FILTER (WHERE amount >= 0) AS frequency,
           sum(amount) AS monetary
    FROM {source}
    GROUP BY customer_id
    HAVING count(*) FILTER (WHERE amount >= 0) > 0
),
n AS (SELECT count(*) AS n FROM per_customer)
SELECT customer_id, recency, frequency, monetary,
       (row_number() OVER (ORDER BY recency DESC, customer_id) - 1) * 5 // n + 1 AS r_score,
       (row_number() OVER (ORDER BY frequency, customer_id) - 1) * 5 // n + 1 AS f_score,
       (row_number() OVER (ORDER BY monetary, customer_id) - 1) * 5 // n + 1 AS m_score
FROM per_customer, n
ORDER BY customer_id
"""

# Daily periods: a customer's purchase days, the first one excluded from frequency and
# monetary value, as customer_summary(freq="D") computes them.
SUMMARY_SQL = """
WITH params AS (SELECT max(date)::DATE AS stop FROM {source}),
days AS (
    SELECT customer_id, date::DATE AS day, sum(amount) AS net,
           bool_or(amount >= 0) AS bought
    FROM {source}
    GROUP BY customer_id, date::DATE
),
ranked AS (
    SELECT customer_id, day, net,
           min(day) OVER (PARTITION BY customer_id) AS first_day
    FROM days WHERE bought
)
SELECT customer_id,
       (count(*) - 1)::DOUBLE AS frequency,
       (max(day) - min(day))::DOUBLE AS recency,
       ((SELECT stop FROM params) - min(day))::DOUBLE AS T,
       coalesce(sum(net) FILTER (WHERE day > first_day) / nullif(count(*) - 1, 0), 0)
           AS monetary_value
FROM ranked
GROUP BY customer_id
ORDER BY customer_id
"""


def best_time(func, repeat: int):
    best, result = np.inf, None
    for _ in range(repeat):
        result = None
        gc.collect()
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result


def check_rfm(ours: pd.DataFrame, sql: pd.DataFrame) -> None:
    sql = sql.set_index("customer_id")
    assert sql.index.equals(ours.index)
    for column in ["recency", "frequency", "r_score", "f_score"]:
        assert (sql[column].to_numpy() == ours[column].to_numpy()).all(), column
    assert np.allclose(sql["monetary"], ours["monetary"], rtol=1e-9)
    # Totals that tie to the cent may differ in the last bit when DuckDB adds in parallel
    # in another order, which can swap two tied customers across a quintile boundary.
    differ = sql["m_score"].to_numpy() != ours["m_score"].to_numpy()
    if differ.any():
        cents = ours["monetary"].round(2)
        tied = cents.duplicated(keep=False).to_numpy()
        assert tied[differ].all(), "m_score differs for customers without a tie"
        assert (np.abs(sql["m_score"].to_numpy() - ours["m_score"].to_numpy()) <= 1).all()
    print(f"    rfm: {int(differ.sum())} customers' m_score differs, all of them tied to the "
          "cent with another customer")


def check_summary(ours: pd.DataFrame, sql: pd.DataFrame) -> None:
    sql = sql.set_index("customer_id")
    assert sql.index.equals(ours.index)
    for column in ["frequency", "recency", "T", "monetary_value"]:
        assert np.allclose(sql[column], ours[column], rtol=1e-9), column


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, nargs="+", default=[1e6, 1e7])
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs per version at the first size; larger sizes run once")
    args = parser.parse_args()
    print(f"duckdb {duckdb.__version__}, pandas {pd.__version__}, numpy {np.__version__}")
    for k, rows in enumerate(int(r) for r in args.rows):
        run_size(rows, args.repeat if k == 0 else 1)
        gc.collect()


def run_size(rows: int, repeat: int) -> None:
    tx = make_transactions(rows)
    con = duckdb.connect()
    con.register("tx_frame", tx)
    con.execute("CREATE TABLE tx AS SELECT * FROM tx_frame")
    print(f"\n{rows:,} transactions of {tx['customer_id'].nunique():,} customers "
          f"(best of {repeat})")
    cases = [
        ("rfm", lambda: rfm_scores(tx), RFM_SQL, check_rfm),
        ("customer_summary", lambda: customer_summary(tx, amount_col="amount"),
         SUMMARY_SQL, check_summary),
    ]
    for name, ours_func, query, check in cases:
        t_ours, ours = best_time(ours_func, repeat)
        t_frame, on_frame = best_time(
            lambda q=query: con.sql(q.format(source="tx_frame")).df(), repeat)
        t_table, on_table = best_time(
            lambda q=query: con.sql(q.format(source="tx")).df(), repeat)
        check(ours, on_frame)
        check(ours, on_table)
        print(f"  {name}: casekit {t_ours:.3f} s | sql on frame {t_frame:.3f} s "
              f"(ratio {t_frame / t_ours:.2f}) | sql on table {t_table:.3f} s "
              f"(ratio {t_table / t_ours:.2f}); same numbers for {len(ours):,} customers")
    con.close()

if __name__ == "__main__":
    main()
