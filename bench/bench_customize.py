"""Customize and CLV groups: casekit against what a student would otherwise write, in one run.

Run: .venv/bin/python bench/bench_customize.py

On the default catering case (5,000 members, 106,175 dishes):

* ``next_best_offer(method="history", prior_strength=0)`` against ``pd.crosstab`` +
  ``idxmax`` (the offers are checked to be equal first);
* ``allocate_budget(..., "optimal")`` against ``scipy.optimize.minimize`` (SLSQP on the
  shares, constrained to add up to 1) on the same response model; the expected profits are
  compared.

Times are the best of 5 runs.  The explorers of notebooks 05 and 06 are timed by
bench/bench_widgets.py.
"""

import time

import numpy as np
import pandas as pd
from scipy import optimize

import casekit


def best_of(function, repeat=5):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def scipy_split(pyramid, budget):
    """The optimal split found numerically, as one would without a closed form."""
    grouped = pyramid.groupby("tier", observed=True)["profit"].agg(["size", "sum"])
    n, value = grouped["size"].to_numpy(float), grouped["sum"].to_numpy(float)

    def loss(shares):
        spend = budget * shares
        return -np.sum(0.2 * np.clip(value, 0, None) * (1 - np.exp(-spend / (10.0 * n))))

    found = optimize.minimize(
        loss, np.full(n.size, 1 / n.size), method="SLSQP", bounds=[(0, 1)] * n.size,
        constraints=[{"type": "eq", "fun": lambda s: s.sum() - 1}],
    )
    return float(value.sum() - found.fun - budget)


def main():
    case = casekit.load_case("catering")
    menu = case.tables["menu"]
    dishes = (case.tables["visit_items"]
              .merge(menu[["dish_id", "category"]], on="dish_id")
              .merge(case.tables["visits"][["order_id", "customer_id", "date"]], on="order_id"))

    ours, offers = best_of(lambda: casekit.next_best_offer(dishes, prior_strength=0))
    theirs, by_hand = best_of(
        lambda: pd.crosstab(dishes["customer_id"], dishes["category"]).idxmax(axis=1))
    assert (offers["offer"] == by_hand).all()
    print(f"next best offer, {len(dishes):,} dishes: casekit {ours * 1000:.0f} ms, "
          f"crosstab + idxmax {theirs * 1000:.0f} ms, ratio {theirs / ours:.1f}x")

    pyramid = casekit.customer_pyramid(case.transactions, profit_col="gross_margin")
    ours, table = best_of(lambda: casekit.allocate_budget(pyramid, 35_000))
    theirs, profit = best_of(lambda: scipy_split(pyramid, 35_000))
    print(f"optimal budget split: casekit {ours * 1000:.1f} ms (profit "
          f"{table.loc['total', 'profit']:,.0f}), scipy SLSQP {theirs * 1000:.1f} ms (profit "
          f"{profit:,.0f}), ratio {theirs / ours:.1f}x")

    rfm = casekit.customer_summary(case.transactions, amount_col="amount",
                                   observation_end=case.end - pd.Timedelta(days=1))
    rfm[["recency", "T"]] /= 7
    bgnbd = casekit.BetaGeo().fit(rfm["frequency"], rfm["recency"], rfm["T"])
    repeat = rfm[rfm["frequency"] > 0]
    gamma_gamma = casekit.GammaGamma().fit(repeat["frequency"], repeat["monetary_value"])
    clv = pd.Series(gamma_gamma.clv(bgnbd, rfm["frequency"], rfm["recency"], rfm["T"],
                                    rfm["monetary_value"], time_unit="week",
                                    discount_rate=0.008, months=36, margin=0.66),
                    index=rfm.index)
    ours, _ = best_of(lambda: casekit.clv_segments(clv, groups=4))
    print(f"clv_segments k-means, {clv.size:,} members, 4 groups: {ours * 1000:.0f} ms")


if __name__ == "__main__":
    main()
