"""Median callback time of the 02-identify, 04-interact and cases/insurance explorers.

Run: .venv/bin/python bench/bench_widgets_interact.py

Each explorer is built once on a default case (office_supplies with its department
records, insurance), then a control is moved through a fixed list of values; the median
time per move (callback plus the HTML shown) is compared with the course's 250 ms budget.
Two comparisons with what a student would otherwise write are timed in the same run: the
threshold move against scoring the pairs again on every move, and the campaign move
against the same lift table from scipy's two-proportion tests, segment by segment.
"""

import statistics
import time

import numpy as np
import pandas as pd
from scipy import stats

import casekit
from casekit.widgets import (
    band_rate_explorer,
    campaign_lift_explorer,
    match_threshold_explorer,
    retention_what_if_explorer,
)

BUDGET_MS = 250.0


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


def scipy_lift(data, confidence):
    """Lift and Wald interval per segment with scipy, as a student would write it."""
    z = stats.norm.ppf(0.5 + confidence / 2)
    rows = {}
    for band, part in data.groupby("size_band"):
        t = part.loc[part["group"] == "treatment", "responded"]
        c = part.loc[part["group"] == "control", "responded"]
        table = [[t.sum(), len(t) - t.sum()], [c.sum(), len(c) - c.sum()]]
        p_value = stats.chi2_contingency(table, correction=False).pvalue
        lift = t.mean() - c.mean()
        se = np.sqrt(t.mean() * (1 - t.mean()) / len(t) + c.mean() * (1 - c.mean()) / len(c))
        rows[band] = {"lift": lift, "ci_low": lift - z * se, "ci_high": lift + z * se,
                      "p_value": p_value}
    return pd.DataFrame(rows).T


def main():
    office = casekit.load_case("office_supplies", dirty=True)
    insurance = casekit.load_case("insurance")
    records, record_map = office.tables["records"], office.record_map
    rows = []
    thresholds = [0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.7, 0.8, 0.9]

    explorer = match_threshold_explorer(records, record_map)
    ms = median_ms(move(explorer, "threshold"), thresholds)
    rows.append(("match_threshold_explorer: threshold", ms))

    def rescore(threshold):
        matches = casekit.match_records(records, threshold=threshold)
        casekit.match_quality(matches, record_map)

    naive = median_ms(rescore, thresholds[:3])

    campaigns, companies = office.tables["campaigns"], office.tables["companies"]
    explorer = campaign_lift_explorer(campaigns, companies)
    levels = [0.8, 0.85, 0.9, 0.95, 0.99, 0.9, 0.8, 0.95, 0.85, 0.99, 0.9]
    lift_ms = median_ms(move(explorer, "confidence"), levels)
    rows.append(("campaign_lift_explorer: confidence", lift_ms))
    ids = ["all campaigns", *sorted(campaigns["campaign_id"].unique())]
    rows.append(("campaign_lift_explorer: campaign", median_ms(
        move(explorer, "campaign"), (ids * 3)[:11])))

    data = campaigns.merge(companies[["customer_id", "size_band"]])
    ours = casekit.ab_lift(data, by="size_band", confidence=0.9)
    theirs = scipy_lift(data, 0.9)
    assert np.allclose(ours[theirs.columns].to_numpy(dtype=float),
                       theirs.to_numpy(dtype=float))
    ab_ms = median_ms(lambda c: casekit.ab_lift(data, by="size_band", confidence=c), levels)
    scipy_ms = median_ms(lambda c: scipy_lift(data, c), levels)

    tickets = office.tables["tickets"]
    per = pd.DataFrame({"orders": office.tables["orders"].groupby("customer_id").size()})
    per = per.join(tickets.groupby("customer_id").agg(
        tickets=("ticket_id", "size"), mean_hours=("handling_hours", "mean"))).fillna(
        {"tickets": 0})
    per["churned"] = ~office.truth.set_index("customer_id")["alive"]
    explorer = band_rate_explorer(per, outcome_col="churned",
                                  value_cols=["tickets", "orders", "mean_hours"])
    rows.append(("band_rate_explorer (04): bands", median_ms(
        move(explorer, "bands"), [2, 3, 4, 5, 6, 7, 8, 9, 10, 0, 4])))

    start = time.perf_counter()
    signals = casekit.renewal_signals(insurance)
    signals_s = time.perf_counter() - start
    explorer = band_rate_explorer(signals, outcome_col="renewed",
                                  value_cols=["satisfaction", "branch_settlement_days",
                                              "complaints_year", "reminded", "channel"],
                                  bands=0)
    columns = ["satisfaction", "branch_settlement_days", "complaints_year", "reminded",
               "channel"]
    rows.append(("band_rate_explorer (insurance): column", median_ms(
        move(explorer, "column"), (columns * 3)[:11])))
    explorer = retention_what_if_explorer(signals, margin=350.0, n_customers=3363)
    rows.append(("retention_what_if_explorer: moved_to_fast", median_ms(
        move(explorer, "moved_to_fast"), [i / 10 for i in range(11)])))

    print(f"{'explorer: control':45} {'median ms':>10} {'/ budget':>9}")
    for name, ms in rows:
        print(f"{name:45} {ms:10.1f} {ms / BUDGET_MS:9.2f}")
    print(f"\nthreshold move with pairs scored once: {rows[0][1]:.0f} ms; scoring again on "
          f"every move: {naive:.0f} ms (ratio {naive / rows[0][1]:.1f}x)")
    print(f"ab_lift by segment: {ab_ms:.1f} ms; scipy chi2_contingency per segment: "
          f"{scipy_ms:.1f} ms (ratio {scipy_ms / ab_ms:.2f}x)")
    print(f"renewal_signals on the default insurance case: {signals_s * 1000:.0f} ms")


if __name__ == "__main__":
    main()
