"""Median callback time of the 07-lifecycle, utility-case and catering-case explorers.

Run: .venv/bin/python bench/bench_widgets_lifecycle.py

Each explorer is built once on its default case (catering: 5,000 members; utility: 4,000
accounts), then a control is moved through a fixed list of values; the median time per move
(callback plus the HTML shown) is compared with the course's 250 ms budget.  In the same run,
the survival table is also computed with lifelines' KaplanMeierFitter (what a student would
otherwise pick) and the ratio printed.
"""

import statistics
import time

import numpy as np
from lifelines import KaplanMeierFitter

import casekit
from casekit.widgets import (
    arrears_explorer,
    lifecycle_explorer,
    pareto_explorer,
    regulars_explorer,
    survival_explorer,
    wait_explorer,
    winback_explorer,
)

BUDGET_MS = 250.0
MONTHS = (12, 24, 36, 48)


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


def lifelines_table(frame, by):
    """The survival explorer's table with lifelines, as a student would write it."""
    rows = {}
    for group, part in frame.groupby(by, sort=True):
        fitter = KaplanMeierFitter().fit(part["duration"], part["observed"])
        rows[group] = fitter.survival_function_at_times(list(MONTHS)).to_numpy()
    return rows


def main():
    catering = casekit.load_case("catering")
    utility = casekit.load_case("utility")
    rows = []

    explorer = lifecycle_explorer(catering)
    rows.append(("lifecycle_explorer: churn_days",
                 median_ms(move(explorer, "churn_days"),
                           [180, 200, 250, 300, 330, 400, 450, 500, 600, 700, 365])))
    explorer = winback_explorer(catering)
    rows.append(("winback_explorer: churn_p",
                 median_ms(move(explorer, "churn_p"),
                           [0.1, 0.15, 0.2, 0.25, 0.35, 0.4, 0.5, 0.6, 0.7, 0.8, 0.3])))
    explorer = arrears_explorer(utility)
    rows.append(("arrears_explorer: threshold",
                 median_ms(move(explorer, "threshold"),
                           [0.0, 0.5, 1.0, 1.25, 1.75, 2.0, 2.5, 3.0, 4.0, 5.0, 1.5])))
    explorer = survival_explorer(utility)
    groups = ["plan", "bill_delivery", "payment_method", "segment"] * 3
    survival_ms = median_ms(move(explorer, "by"), groups[1:])
    rows.append(("survival_explorer: by", survival_ms))
    frame = casekit.account_durations(utility.accounts, as_of=utility.end).join(
        utility.accounts.set_index("customer_id")[["segment", "bill_delivery",
                                                   "payment_method"]])
    check = lifelines_table(frame, "segment")
    for group, values in check.items():
        ours = explorer.result.loc[group, [f"S_{m}" for m in MONTHS]].to_numpy(float)
        assert np.allclose(ours, values), group
    lifelines_ms = median_ms(lambda by: lifelines_table(frame, by),
                             ["segment", "bill_delivery", "payment_method"] * 3 + ["segment"] * 2)
    explorer = pareto_explorer(catering)
    rows.append(("pareto_explorer: top_share",
                 median_ms(move(explorer, "top_share"),
                           [0.05, 0.1, 0.15, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.3, 0.2])))
    explorer = regulars_explorer(catering)
    rows.append(("regulars_explorer: min_visits",
                 median_ms(move(explorer, "min_visits"), [2, 3, 4, 6, 8, 10, 12, 15, 20, 7, 5])))
    explorer = wait_explorer(catering)
    rows.append(("wait_explorer: promise",
                 median_ms(move(explorer, "promise"),
                           [10, 15, 20, 25, 35, 40, 45, 50, 60, 90, 30])))

    print(f"{'explorer: control':36s} {'median ms':>10s} {'/ budget':>9s}")
    for name, ms in rows:
        print(f"{name:36s} {ms:10.1f} {ms / BUDGET_MS:9.2f}")
    print(f"survival table, survival_explorer move (incl. display) / lifelines "
          f"KaplanMeierFitter: {survival_ms:.1f} / {lifelines_ms:.1f} ms = "
          f"{survival_ms / lifelines_ms:.2f}")


if __name__ == "__main__":
    main()
