"""Speed and memory of the case generators, as ratios measured in one run.

    .venv/bin/python bench/bench_generate.py [--customers 100000] [--skip-1m]

1. office_supplies at ``--customers`` against an honest per-row loop (Faker for
   every name, ``random`` for every draw, one Python row at a time) that
   produces the same tables.  The loop is timed on a sample of customers and
   scaled linearly, since its cost is linear in rows.
2. The same run against a numpy lower bound: as many random draws as the
   generator makes (counted), in bulk, plus the same Parquet writes.
3. Peak memory of a 1,000,000-customer office_supplies case, in a fresh process.
4. Generation time of each default case.
"""

from __future__ import annotations

import argparse
import bisect
import math
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import casekit
from casekit import _cases
from casekit._specs import DEFAULTS, OFFICE_SUPPLIES

_COUNTED = ("random", "integers", "normal", "standard_normal", "gamma", "beta", "poisson",
            "geometric", "choice", "exponential", "uniform", "dirichlet", "permutation")


class CountingGenerator(np.random.Generator):
    """A Generator that counts the random values it hands out."""

    draws = 0

    def __init__(self, seed):
        super().__init__(np.random.PCG64(seed))


def _counting(name):
    def method(self, *args, **kwargs):
        out = getattr(np.random.Generator, name)(self, *args, **kwargs)
        self.draws += int(np.size(out))
        return out

    return method


for _name in _COUNTED:
    setattr(CountingGenerator, _name, _counting(_name))


def _write_all(case, folder: Path) -> None:
    _cases.write_case(case, folder, formats=("parquet",), overwrite=True)


def _timed(func, *args, repeats=1):
    """Median wall time of ``repeats`` calls, and the last call's result."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = func(*args)
        times.append(time.perf_counter() - t0)
    return float(np.median(times)), out


def _poisson(rnd: random.Random, mean: float) -> int:
    # Knuth's method, one uniform at a time.
    limit, k, prod = math.exp(-mean), 0, rnd.random()
    while prod > limit:
        k += 1
        prod *= rnd.random()
    return k


def faker_loop(n: int, seed: int = 1) -> dict[str, pd.DataFrame]:
    """office_supplies one row at a time, as one would write it without numpy."""
    from faker import Faker

    spec = OFFICE_SUPPLIES
    fake = Faker("en_US")
    fake.seed_instance(seed)
    rnd = random.Random(seed)
    start = pd.Timestamp(spec["start"])
    horizon = float((pd.Timestamp(spec["end"]) - start).days)
    shock = float((pd.Timestamp(spec["shock"]) - start).days)
    cats = spec["categories"]
    skus, cum, total = [], [], 0.0
    for name, (count, median, sigma, margin, weight) in cats.items():
        for k in range(count):
            price = max(0.5, round(median * math.exp(sigma * rnd.gauss(0, 1)), 2))
            skus.append((f"{name}-{k}", price, round(price * (1 - margin), 2)))
            total += weight / count
            cum.append(total)
    rows = {k: [] for k in ("companies", "orders", "order_lines", "discounts", "contacts",
                            "tickets", "opportunities", "campaigns")}
    campaign_days = [float((pd.Timestamp(d) - start).days) for d in spec["campaigns"]]
    for i in range(n):
        cid = f"OS-{i + 1:07d}"
        acq = rnd.random() * horizon
        irregular = rnd.random() < spec["irregular_manager_share"]
        rows["companies"].append((cid, fake.company(), fake.name(), fake.phone_number(),
                                  fake.email(), fake.street_address(), fake.city(),
                                  rnd.choice(list(spec["size_bands"]))))
        lam = rnd.gammavariate(spec["r"], 1 / spec["alpha"]) / 7
        mu = rnd.gammavariate(spec["s"], 1 / spec["beta"]) / 7
        mu_after = mu * (spec["shock_multiplier_irregular"] if irregular else
                         spec["shock_multiplier_regular"])
        # Pareto/NBD lifetime with the shock on the hazard: invert the cumulative hazard.
        target, used = rnd.expovariate(1.0), max(shock - acq, 0.0) * mu
        death = (acq + target / mu if target < used
                 else max(acq, shock) + (target - used) / mu_after)
        nu = rnd.gammavariate(spec["gg_q"], 1 / spec["gg_gamma"])
        rate = rnd.uniform(*spec["discount_range"])
        rows["discounts"].append((cid, acq, rate))
        t = acq
        while True:
            amount = round(rnd.gammavariate(spec["gg_p"], 1 / nu), 2)
            order_id = len(rows["orders"]) + 1
            rows["orders"].append((order_id, cid, start + pd.Timedelta(days=t), amount,
                                   rnd.choice(list(spec["channels"])), rate))
            for line in range(1 + _poisson(rnd, spec["extra_lines_mean"])):
                j = bisect.bisect(cum, rnd.random() * total)
                sku, price, cost = skus[min(j, len(skus) - 1)]
                qty = max(1, round(amount / price * rnd.random()))
                rows["order_lines"].append((order_id, line + 1, sku, qty, qty * price))
            if rnd.random() < 0.09:
                rows["tickets"].append((cid, order_id, t + rnd.expovariate(0.5),
                                        rnd.lognormvariate(1.7, 0.7)))
            t += rnd.expovariate(lam) if lam > 0 else horizon
            if t >= min(death, horizon):
                break
        last = min(death, horizon)
        c = acq
        while c < min(horizon, last + 60):
            rows["contacts"].append((cid, c, rnd.choice(list(spec["contact_types"]))))
            c += (rnd.expovariate(1 / spec["contact_gap_irregular"]) if irregular else
                  spec["contact_gap_regular"] + rnd.gauss(0, spec["contact_jitter_regular"]))
        o = acq + rnd.expovariate(1.2 / 365.25)
        while o < last:
            rows["opportunities"].append((cid, o, rnd.expovariate(1 / 60),
                                          rnd.lognormvariate(8, 0.5)))
            o += rnd.expovariate(1.2 / 365.25)
        g = acq + rnd.expovariate(0.4 / 365.25)
        while g < last:
            rows["discounts"].append((cid, g, rate + rnd.gauss(0, 0.01)))
            g += rnd.expovariate(0.4 / 365.25)
        for k, day in enumerate(campaign_days):
            if acq <= day < last and rnd.random() < spec["campaign_target_share"]:
                rows["campaigns"].append((k, cid, rnd.random() < 0.5, rnd.random() < 0.07))
    return {k: pd.DataFrame(v) for k, v in rows.items()}


def _peak_memory_1m() -> tuple[float, float]:
    code = ("import resource, time, casekit\n"
            "t = time.perf_counter()\n"
            "casekit.generate_case('office_supplies', n_customers=1_000_000, seed=1)\n"
            "print(time.perf_counter() - t)\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    seconds, kib = done.stdout.split()
    return float(seconds), int(kib) / 1024**2


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=1_000,
                        help="customers in the timed sample of the per-row loop")
    parser.add_argument("--repeats", type=int, default=3,
                        help="timed runs of each side; the medians are compared")
    parser.add_argument("--skip-1m", action="store_true")
    args = parser.parse_args(argv)
    n = args.customers

    counter = CountingGenerator(1)
    casekit.generate_case("office_supplies", n_customers=n, seed=counter)
    draws = counter.draws
    reps = args.repeats
    gen_s, case = _timed(lambda: casekit.generate_case("office_supplies", n_customers=n,
                                                       seed=1), repeats=reps)
    rows = sum(len(f) for f in _cases.case_frames(case).values())
    with tempfile.TemporaryDirectory() as tmp:
        write_s, _ = _timed(_write_all, case, Path(tmp) / "ours", repeats=reps)

        def lower_bound():
            rng = np.random.default_rng(1)
            left = draws
            while left:
                chunk = min(left, 10_000_000)
                rng.random(chunk)
                left -= chunk
            _write_all(case, Path(tmp) / "bound")

        bound_s, _ = _timed(lower_bound, repeats=reps)
    loop_s, loop = _timed(faker_loop, args.sample, repeats=reps)
    loop_rows = sum(len(f) for f in loop.values())
    # Scale by rows produced, so that the estimate does not depend on the sample's luck.
    loop_full_s = loop_s * rows / loop_rows
    print(f"office_supplies, {n:,} customers: {rows:,} rows, {draws:,} random draws; "
          f"medians of {reps} runs")
    print(f"  casekit generate           {gen_s:8.2f} s")
    print(f"  casekit generate + parquet {gen_s + write_s:8.2f} s")
    print(f"  per-row Faker loop         {loop_full_s:8.1f} s  (timed on {args.sample:,} "
          f"customers, {loop_rows:,} rows, scaled to {rows:,} rows)")
    print(f"  numpy lower bound          {bound_s:8.2f} s  (same draws in bulk + same writes)")
    print(f"  ratio Faker loop / casekit:           {loop_full_s / gen_s:6.1f}x faster "
          "(need >= 50)")
    print(f"  ratio casekit / numpy lower bound:    {(gen_s + write_s) / bound_s:6.2f}x "
          "(need <= 3)")
    if not args.skip_1m:
        seconds, gib = _peak_memory_1m()
        print(f"office_supplies, 1,000,000 customers: {seconds:.1f} s, peak memory "
              f"{gib:.2f} GiB (need <= 4)")
    for name, params in DEFAULTS.items():
        t, _ = _timed(lambda name=name, params=params: casekit.generate_case(
            name, n_customers=params["n_customers"], seed=params["seed"]), repeats=reps)
        print(f"default {name:<16} {params['n_customers']:>6,} customers {t:6.2f} s")


if __name__ == "__main__":
    main()
