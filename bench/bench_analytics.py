"""customer_summary against lifetimes (and pymc-marketing when importable), in one run.

Usage::

    .venv/bin/python bench/bench_analytics.py            # 1M and 10M transactions
    .venv/bin/python bench/bench_analytics.py --rows 1e6 --repeat 3

The data are synthetic: ``rows`` transactions of ``rows / 10`` customers with
string ids such as ``"C-0004711"``, dates over three years and gamma amounts,
drawn once per size from a seeded generator.  Each tool gets the same frame,
with monetary values; the best of ``repeat`` runs is kept.  The results are
checked to agree before a ratio is printed (ratio = other tool's time /
casekit's time, so above 1 means casekit is faster).

pymc-marketing is not a casekit dependency.  The bench uses its
``pymc_marketing.clv.utils.rfm_summary`` when the running interpreter can
import it, so run the script with an interpreter that has it (see
bench/README.md); otherwise it says that it is absent.
"""

from __future__ import annotations

import argparse
import gc
import time

import numpy as np
import pandas as pd

from casekit import customer_summary

END = "2023-12-31"


def make_transactions(rows: int, seed: int = 2024) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n_customers = max(rows // 10, 1)
    ids = np.array([f"C-{i:07d}" for i in range(n_customers)], dtype=object)
    weights = rng.gamma(0.9, 1.0, n_customers)
    customer = rng.choice(n_customers, size=rows, p=weights / weights.sum())
    days = rng.integers(0, 3 * 365, size=rows)
    return pd.DataFrame({
        "customer_id": ids[customer],
        "date": pd.Timestamp("2021-01-01") + pd.to_timedelta(days, unit="D"),
        "amount": np.round(rng.gamma(2.0, 40.0, size=rows), 2),
    })


def best_time(func, repeat: int):
    best, result = np.inf, None
    for _ in range(repeat):
        result = None
        gc.collect()
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result


def check_same(ours: pd.DataFrame, theirs: pd.DataFrame, name: str) -> None:
    theirs = theirs[["frequency", "recency", "T", "monetary_value"]].astype(float)
    theirs.index = theirs.index.astype(object)
    theirs = theirs.sort_index()
    pd.testing.assert_frame_equal(ours, theirs, check_names=False, check_index_type=False,
                                  rtol=1e-9)
    print(f"    {name}: same frequency, recency, T and monetary_value for {len(ours):,} "
          f"customers")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, nargs="+", default=[1e6, 1e7])
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs per tool at 1M rows; larger sizes run once")
    args = parser.parse_args()

    from lifetimes.utils import summary_data_from_transaction_data

    try:
        from pymc_marketing.clv.utils import rfm_summary
    except ImportError:
        rfm_summary = None
        print("pymc-marketing: absent (not importable here); see bench/README.md")

    print(f"pandas {pd.__version__}, numpy {np.__version__}")
    for rows in (int(r) for r in args.rows):
        repeat = args.repeat if rows <= 1_000_000 else 1
        tx = make_transactions(rows)
        print(f"\n{rows:,} transactions, {tx['customer_id'].nunique():,} customers "
              f"(best of {repeat})")
        ours_time, ours = best_time(
            lambda tx=tx: customer_summary(tx, amount_col="amount", observation_end=END),
            repeat)
        print(f"  casekit.customer_summary            {ours_time:8.3f} s")
        lt_time, lt = best_time(
            lambda tx=tx: summary_data_from_transaction_data(
                tx, "customer_id", "date", "amount", observation_period_end=END),
            repeat)
        print(f"  lifetimes summary_data_from_...     {lt_time:8.3f} s   "
              f"ratio {lt_time / ours_time:5.1f}x")
        check_same(ours, lt, "lifetimes")
        del lt
        if rfm_summary is not None:
            pm_time, pm = best_time(
                lambda tx=tx: rfm_summary(tx, "customer_id", "date", "amount",
                                          observation_period_end=END),
                repeat)
            print(f"  pymc-marketing rfm_summary          {pm_time:8.3f} s   "
                  f"ratio {pm_time / ours_time:5.1f}x")
            check_same(ours, pm.set_index("customer_id"), "pymc-marketing")
            del pm
        del tx, ours


if __name__ == "__main__":
    main()
