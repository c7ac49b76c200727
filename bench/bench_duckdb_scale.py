"""customer_summary on a Parquet file through DuckDB, and through pandas, at 10M to 300M rows.

Usage::

    .venv/bin/python bench/bench_duckdb_scale.py --rows 1e7 1e8 [--pandas-up-to 1e7]

For each size a Parquet file of ``rows`` transactions (``rows / 10`` customers with
text ids such as ``"C-0004711"``, daily dates over three years, amounts in cents) is
written by DuckDB into a temporary folder (``--tmp``, /tmp by default) and deleted
afterwards.  Each path then runs in a fresh process, so that its peak memory (the
maximum resident set size) is its own: ``duckdb`` is ``customer_summary(path)``,
``pandas`` is ``pd.read_parquet`` followed by ``customer_summary(frame)``.  Both
results are checked to be equal where both run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

import duckdb

RUN = r"""
import resource, sys, time
import duckdb
duckdb.execute("SET enable_progress_bar = false")
import pandas as pd
from casekit import customer_summary
path, how, out = sys.argv[1:4]
t = time.perf_counter()
if how == "duckdb":
    result = customer_summary(path, amount_col="amount")
else:
    result = customer_summary(pd.read_parquet(path), amount_col="amount")
seconds = time.perf_counter() - t
result.to_parquet(out)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
print(f"{seconds:.1f} {peak:.2f} {len(result)}")
"""


def write_parquet(rows: int, path: str) -> float:
    start = time.perf_counter()
    customers = max(rows // 10, 1)
    duckdb.sql("SELECT setseed(0.5)")
    duckdb.sql(f"""
        COPY (
            SELECT 'C-' || lpad((floor({customers} * pow(random(), 1.5)))::BIGINT::VARCHAR,
                                7, '0') AS customer_id,
                   (DATE '2021-01-01' + floor(random() * 1095)::INTEGER)::TIMESTAMP AS date,
                   round(random() * 200 - 5, 2) AS amount
            FROM range({rows})
        ) TO '{path}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)
    """)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, nargs="+", default=[1e7, 1e8])
    parser.add_argument("--pandas-up-to", type=float, default=1e7,
                        help="largest size the pandas path is run at")
    parser.add_argument("--tmp", default=tempfile.gettempdir())
    args = parser.parse_args()
    print(f"duckdb {duckdb.__version__}; load average {os.getloadavg()[0]:.1f}", flush=True)
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        for rows in (int(r) for r in args.rows):
            path = os.path.join(tmp, f"tx{rows}.parquet")
            made = write_parquet(rows, path)
            size = os.path.getsize(path) / 2**30
            print(f"\n{rows:,} rows: Parquet {size:.2f} GiB written in {made:.0f} s", flush=True)
            results = {}
            for how in ("duckdb", "pandas"):
                if how == "pandas" and rows > args.pandas_up_to:
                    print(f"  {how:7s} not run (above --pandas-up-to)")
                    continue
                out = os.path.join(tmp, f"{how}.parquet")
                done = subprocess.run([sys.executable, "-c", RUN, path, how, out], env=env,
                                      capture_output=True, text=True)
                if done.returncode:
                    print(f"  {how:7s} failed: {done.stderr.strip().splitlines()[-1]}")
                    continue
                seconds, peak, customers = done.stdout.strip().splitlines()[-1].split()
                print(f"  {how:7s} {float(seconds):7.1f} s  peak RSS {float(peak):6.2f} GiB  "
                      f"{int(customers):,} customers; load {os.getloadavg()[0]:.1f}", flush=True)
                results[how] = out
            if len(results) == 2:
                import pandas as pd

                a, b = (pd.read_parquet(results[k]) for k in ("duckdb", "pandas"))
                pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-9)
                print("  the same summary from both paths")
            os.remove(path)


if __name__ == "__main__":
    main()
