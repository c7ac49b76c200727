"""The four analytics on a Parquet file through DuckDB, and through pandas, at 10M to 100M rows.

Usage::

    .venv/bin/python bench/bench_duckdb_scale.py --rows 1e7 1e8 [--pandas-up-to 1e7]
        [--customers 1e6] [--functions customer_summary rfm_scores abc_activity ...]
        [--memory-limit 2GB]

For each size a Parquet file of ``rows`` transactions (``rows / 10`` customers, or
``--customers``, with text ids such as ``"C-0004711"``, daily dates over three years,
amounts in cents, about 2.5 % of them negative: returns) is written by DuckDB into a
temporary folder (``--tmp``, /tmp by default) and deleted afterwards.  Each function and
path then runs in a fresh process, so that its peak memory (the maximum resident set
size) is its own: ``duckdb`` is ``func(path)``, ``pandas`` is ``pd.read_parquet``
followed by ``func(frame)`` (the time of the read is shown apart, and included in the
total).  Where both paths run, their results are checked to be equal.  ``--memory-limit``
sets DuckDB's ``memory_limit`` (by default 80 % of the machine's memory), past which it
spills to disk.
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
import casekit
path, how, name, out, limit = sys.argv[1:6]
if limit:  # path inputs are read through DuckDB's default connection
    duckdb.execute(f"SET memory_limit = '{limit}'")
func = getattr(casekit, name)
kwargs = {"amount_col": "amount"} if name == "customer_summary" else {}
t = time.perf_counter()
read = 0.0
if how == "duckdb":
    result = func(path, **kwargs)
else:
    frame = pd.read_parquet(path)
    read = time.perf_counter() - t
    result = func(frame, **kwargs)
seconds = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # before the result is written
result.to_parquet(out)
print(f"{seconds:.1f} {read:.1f} {peak:.2f} {len(result)}")
"""

FUNCTIONS = ("customer_summary", "rfm_scores", "abc_activity", "customer_pyramid")


def write_parquet(rows: int, path: str, customers: int | None = None) -> float:
    start = time.perf_counter()
    customers = max(rows // 10, 1) if customers is None else customers
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
    parser.add_argument("--functions", nargs="+", default=list(FUNCTIONS), choices=FUNCTIONS)
    parser.add_argument("--customers", type=float, default=None,
                        help="customer ids to draw from (rows / 10 by default)")
    parser.add_argument("--memory-limit", default="",
                        help="DuckDB's memory_limit for the DuckDB path, such as 2GB")
    parser.add_argument("--tmp", default=tempfile.gettempdir())
    args = parser.parse_args()
    limit = f"; memory_limit {args.memory_limit}" if args.memory_limit else ""
    print(f"duckdb {duckdb.__version__}; load average {os.getloadavg()[0]:.1f}{limit}",
          flush=True)
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        for rows in (int(r) for r in args.rows):
            path = os.path.join(tmp, f"tx{rows}.parquet")
            made = write_parquet(rows, path,
                                 None if args.customers is None else int(args.customers))
            size = os.path.getsize(path) / 2**30
            print(f"\n{rows:,} rows: Parquet {size:.2f} GiB written in {made:.0f} s", flush=True)
            for name in args.functions:
                results = {}
                for how in ("duckdb", "pandas"):
                    if how == "pandas" and rows > args.pandas_up_to:
                        print(f"  {name:17s} {how:7s} not run (above --pandas-up-to)")
                        continue
                    out = os.path.join(tmp, f"{name}-{how}.parquet")
                    done = subprocess.run([sys.executable, "-c", RUN, path, how, name, out,
                                           args.memory_limit],
                                          env=env, capture_output=True, text=True)
                    if done.returncode:
                        said = done.stderr.strip().splitlines() or [f"exit {done.returncode}"]
                        print(f"  {name:17s} {how:7s} failed: {said[-1]}", flush=True)
                        continue
                    seconds, read, peak, customers = done.stdout.strip().splitlines()[-1].split()
                    reading = f" (read {float(read):.1f} s)" if how == "pandas" else ""
                    print(f"  {name:17s} {how:7s} {float(seconds):7.1f} s{reading}  peak RSS "
                          f"{float(peak):6.2f} GiB  {int(customers):,} customers; "
                          f"load {os.getloadavg()[0]:.1f}", flush=True)
                    results[how] = out
                if len(results) == 2:
                    import pandas as pd

                    a, b = (pd.read_parquet(results[k]) for k in ("duckdb", "pandas"))
                    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-9)
                    print(f"  {name:17s} the same result from both paths", flush=True)
                for out in results.values():
                    os.remove(out)
            os.remove(path)


if __name__ == "__main__":
    main()
