"""The scenario simulator: time one plan played one year forward, per case and size.

Usage::

    .venv/bin/python bench/bench_simulate.py                  # default sizes and 100k
    .venv/bin/python bench/bench_simulate.py --sizes 100000 --cases insurance --repeat 3

Each case is generated once per size with its default seed (generation is
not timed). The plan changes every decision of the case from its default
(the last allowed value, the middle of a number's range, every tier), so the
plan and the baseline both run; the best of ``repeat`` runs of
``simulate(case, plan, seed=0)`` is kept.
"""

from __future__ import annotations

import argparse
import time

from casekit import generate_case, list_cases, simulate, simulator_decisions
from casekit._specs import DEFAULTS


def full_plan(name: str) -> dict:
    plan = {}
    for decision, row in simulator_decisions(name).iterrows():
        if row["kind"] == "choice":
            plan[decision] = row["allowed"][-1]
        elif row["kind"] == "number":
            low, high = (float(x) for x in row["allowed"].split(" to "))
            plan[decision] = (low + high) / 2
        else:
            plan[decision] = list(row["allowed"])
    return plan


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", nargs="+", default=list_cases())
    parser.add_argument("--sizes", nargs="+", type=int, default=None,
                        help="customers per case (default: the case's default size and 100000)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--years", type=int, default=1)
    args = parser.parse_args(argv)
    print(f"{'case':<16}{'customers':>10}{'alive':>9}{'seconds':>10}")
    for name in args.cases:
        sizes = args.sizes or [DEFAULTS[name]["n_customers"], 100_000]
        plan = full_plan(name)
        for n in sizes:
            case = generate_case(name, n_customers=n, seed=DEFAULTS[name]["seed"])
            best = float("inf")
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                out = simulate(case, plan, seed=0, years=args.years)
                best = min(best, time.perf_counter() - t0)
            alive = int(out.loc["baseline", "customers_start"])
            print(f"{name:<16}{n:>10,}{alive:>9,}{best:>10.3f}", flush=True)
            del case


if __name__ == "__main__":
    main()
