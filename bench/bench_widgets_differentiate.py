"""Median callback time of the 03-differentiate and office-case explorers at default sizes.

Run: .venv/bin/python bench/bench_widgets_differentiate.py

Each explorer is built once on the default office_supplies case, then a control is moved
through a fixed list of values; the median time per move is compared with the course's
250 ms budget.  For cost to serve, the same table written as a plain pandas groupby (what a
student would otherwise write) is timed in the same run.
"""

import statistics
import time

import pandas as pd

import casekit
from casekit.widgets import (
    churn_value_explorer,
    cost_to_serve_explorer,
    rfm_explorer,
    tier_move_explorer,
)

BUDGET_MS = 250.0
AS_OF = pd.Timestamp("2024-12-31")


def median_ms(action, values):
    times = []
    for value in values:
        start = time.perf_counter()
        action(value)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def move(explorer, name):
    def action(value):
        explorer.controls[name].value = value

    return action


def pandas_profit(tx, activities, visit):
    """Profit after cost to serve with groupby, as a student would write it."""
    year = tx[tx["date"] >= "2024-01-01"]
    per = year.groupby("customer_id").agg(revenue=("amount", "sum"),
                                          gross_margin=("gross_margin", "sum"),
                                          orders=("amount", "size"))
    per = per.join(activities.set_index("customer_id"), how="outer").fillna(0)
    cost = per["orders"] * (12 + 8) + per["visit"] * visit + per["ticket"] * 25
    return per["gross_margin"] - cost


def main():
    case = casekit.load_case("office_supplies")
    tx = case.transactions
    rows = []

    explorer = rfm_explorer(tx, truth=case.truth, as_of=AS_OF)
    rows.append(("rfm_explorer: bins", median_ms(move(explorer, "bins"),
                                                 [3, 4, 6, 7, 8, 9, 5, 4, 6, 3, 5])))

    explorer = cost_to_serve_explorer(case)
    visits = [65, 70, 75, 80, 85, 90, 95, 100, 105, 110, 60]
    cost_ms = median_ms(move(explorer, "visit"), visits)
    rows.append(("cost_to_serve_explorer: visit cost", cost_ms))
    activities = explorer.activities
    check = pandas_profit(tx, activities, 60.0).sort_index()
    pd.testing.assert_series_equal(check, explorer.result["profit"], check_names=False,
                                   check_index_type=False)
    groupby_ms = median_ms(lambda v: pandas_profit(tx, activities, float(v)), visits)

    explorer = tier_move_explorer(tx, as_of=AS_OF)
    rows.append(("tier_move_explorer: share moving up",
                 median_ms(move(explorer, "share"),
                           [0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.05, 0.0, 0.1])))

    explorer = churn_value_explorer(200.0, customers=2900, reference={"2023": 0.1, "2024": 0.3})
    rows.append(("churn_value_explorer: yearly churn",
                 median_ms(move(explorer, "churn"),
                           [0.1, 0.15, 0.2, 0.25, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.3])))

    print(f"{'explorer: control':40s} {'median ms':>10s} {'/ budget':>9s}")
    for name, ms in rows:
        print(f"{name:40s} {ms:10.1f} {ms / BUDGET_MS:9.2f}")
    print(f"cost to serve, callback (incl. display) / plain pandas groupby: "
          f"{cost_ms:.1f} / {groupby_ms:.1f} ms = {cost_ms / groupby_ms:.2f}")


if __name__ == "__main__":
    main()
