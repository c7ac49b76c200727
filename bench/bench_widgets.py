"""Median callback time of every widget in ``casekit.widgets``, built as the notebooks build them.

Run: .venv/bin/python bench/bench_widgets.py

Each ``*_explorer`` factory exported by ``casekit.widgets`` is built once on its default case,
then one or two controls are moved through about 10 values; the median time of one move (the
callback plus the HTML shown) is compared with the course's 250 ms budget.  Where a student
would otherwise write the table with plain pandas, scipy or lifelines, that alternative is
timed in the same run on the same values and the ratio alternative / move is printed.

Exits non-zero when an exported factory has no entry below (so a new widget cannot be
missed) or when a median is over the budget.
"""

import functools
import statistics
import sys
import time

import numpy as np
import pandas as pd
from lifelines import KaplanMeierFitter
from scipy import stats

import casekit
from casekit import widgets

BUDGET_MS = 250.0
AS_OF = pd.Timestamp("2024-12-31")
MONTHS = (12, 24, 36, 48)


@functools.cache
def case(name, dirty=False):
    return casekit.load_case(name, dirty=dirty)


@functools.cache
def regulated():
    return casekit.generate_case("utility", n_customers=4000, seed=4, market="regulated")


# --- inputs prepared as in the notebooks -------------------------------------------------

def per_account():  # 04-interact
    office = case("office_supplies")
    tickets = office.tables["tickets"]
    per = pd.DataFrame({"orders": office.tables["orders"].groupby("customer_id").size()})
    per = per.join(tickets.groupby("customer_id").agg(
        tickets=("ticket_id", "size"), mean_hours=("handling_hours", "mean"))).fillna(
        {"tickets": 0})
    per["tickets_per_order"] = per["tickets"] / per["orders"]
    per["churned"] = ~office.truth.set_index("customer_id")["alive"]
    return per


def dishes():  # 05-customize
    catering = case("catering")
    return (catering.tables["visit_items"]
            .merge(catering.tables["menu"][["dish_id", "category"]], on="dish_id")
            .merge(catering.tables["visits"][["order_id", "customer_id", "date"]],
                   on="order_id"))


def clv():  # 06-clv
    catering = case("catering")
    rfm = casekit.customer_summary(catering.transactions, amount_col="amount",
                                   observation_end=catering.end - pd.Timedelta(days=1))
    rfm[["recency", "T"]] /= 7
    bgnbd = casekit.BetaGeo().fit(rfm["frequency"], rfm["recency"], rfm["T"])
    repeat = rfm[rfm["frequency"] > 0]
    gamma_gamma = casekit.GammaGamma().fit(repeat["frequency"], repeat["monetary_value"])
    tx = catering.transactions
    return pd.Series(gamma_gamma.clv(bgnbd, rfm["frequency"], rfm["recency"], rfm["T"],
                                     rfm["monetary_value"], time_unit="week",
                                     discount_rate=0.008, months=36,
                                     margin=tx["gross_margin"].sum() / tx["amount"].sum()),
                     index=rfm.index)


@functools.cache
def signals():  # cases/insurance and 04-interact
    return casekit.renewal_signals(case("insurance"))


def retention_what_if():  # cases/insurance
    insurance = case("insurance")
    premiums, policies = insurance.tables["premiums"], insurance.tables["policies"]
    margin = premiums.groupby(["customer_id", premiums["date"].dt.year])["gross_margin"].sum()
    in_force = policies.loc[policies["status"] == "active", "customer_id"].nunique()
    return widgets.retention_what_if_explorer(signals(), margin=float(margin.mean()),
                                              n_customers=in_force, discount=0.1)


def churn_value():  # cases/office-supplies
    office = case("office_supplies")
    profit = widgets.cost_to_serve_explorer(office).baseline
    buyers = profit["n_order"] > 0
    churn = {year: casekit.churn_in_period(office.truth, start=f"{year}-01-01",
                                           end=f"{year + 1}-01-01")["lost"].mean()
             for year in (2023, 2024)}
    return widgets.churn_value_explorer(
        profit["profit"].sum() / buyers.sum(), customers=int(buyers.sum()),
        churn=round(churn[2024] / 0.05) * 0.05,
        reference={str(year): value for year, value in churn.items()})


# --- what a student would otherwise write ------------------------------------------------

def pandas_profit(explorer, visit):
    """Profit after cost to serve with a groupby (other unit costs at their defaults)."""
    tx = case("office_supplies").transactions
    per = tx[tx["date"] >= "2024-01-01"].groupby("customer_id").agg(
        gross_margin=("gross_margin", "sum"), orders=("amount", "size"))
    per = per.join(explorer.activities.set_index("customer_id"), how="outer").fillna(0)
    return per["gross_margin"] - per["orders"] * (12 + 8) - per["visit"] * visit \
        - per["ticket"] * 25


def rescore_pairs(explorer, threshold):
    """Link the department records from scratch on every move."""
    office = case("office_supplies", dirty=True)
    matches = casekit.match_records(office.tables["records"], threshold=threshold)
    return casekit.match_quality(matches, office.record_map)


def scipy_lift(explorer, confidence):
    """Lift, Wald interval and chi-square p-value per size band with scipy."""
    office = case("office_supplies")
    data = office.tables["campaigns"].merge(office.tables["companies"][["customer_id",
                                                                         "size_band"]])
    z = stats.norm.ppf(0.5 + confidence / 2)
    rows = {}
    for band, part in data.groupby("size_band"):
        t = part.loc[part["group"] == "treatment", "responded"]
        c = part.loc[part["group"] == "control", "responded"]
        table = [[t.sum(), len(t) - t.sum()], [c.sum(), len(c) - c.sum()]]
        lift = t.mean() - c.mean()
        se = np.sqrt(t.mean() * (1 - t.mean()) / len(t) + c.mean() * (1 - c.mean()) / len(c))
        rows[band] = {"lift": lift, "ci_low": lift - z * se, "ci_high": lift + z * se,
                      "p_value": stats.chi2_contingency(table, correction=False).pvalue}
    return pd.DataFrame(rows).T


@functools.cache
def durations():
    utility = case("utility")
    accounts = utility.accounts.set_index("customer_id")
    accounts["plan"] = accounts["tariff_id"].map(utility.tariffs.set_index("tariff_id")["plan"])
    return casekit.account_durations(utility.accounts, as_of=utility.end).join(
        accounts[["segment", "plan", "bill_delivery", "payment_method"]])


def lifelines_table(explorer, by):
    """The survival table of the deregulated market with lifelines' KaplanMeierFitter."""
    return {group: KaplanMeierFitter().fit(part["duration"], part["observed"])
            .survival_function_at_times(list(MONTHS)).to_numpy()
            for group, part in durations().groupby(by, sort=True)}


# --- (factory, how to build, {control: values}); None cycles through a dropdown's options ---

def steps(low, high, n=10):
    return [round(float(v), 4) for v in np.linspace(low, high, n)]


def office():
    return case("office_supplies")


def utility_markets():
    return {"deregulated": case("utility"), "regulated": regulated()}


ENTRIES = [
    ("match_threshold_explorer", lambda: widgets.match_threshold_explorer(
        case("office_supplies", True).tables["records"], case("office_supplies", True).record_map,
        threshold=0.8), {"threshold": steps(0.6, 0.95, 8) + [0.7, 0.9]}),
    ("rfm_explorer", lambda: widgets.rfm_explorer(office().transactions, truth=office().truth,
                                                  as_of=AS_OF),
     {"bins": [3, 4, 6, 7, 8, 9, 5, 4, 6, 3]}),
    ("cost_to_serve_explorer", lambda: widgets.cost_to_serve_explorer(office()),
     {"visit": [65, 70, 75, 80, 85, 90, 95, 100, 105, 110]}),
    ("campaign_lift_explorer", lambda: widgets.campaign_lift_explorer(
        office().tables["campaigns"], office().tables["companies"]),
     {"confidence": [0.8, 0.85, 0.9, 0.99, 0.8, 0.9, 0.85, 0.99, 0.9, 0.8], "campaign": None}),
    ("band_rate_explorer", lambda: widgets.band_rate_explorer(
        per_account(), outcome_col="churned",
        value_cols=["tickets", "orders", "tickets_per_order", "mean_hours"]),
     {"bands": [2, 3, 4, 5, 6, 7, 8, 9, 10, 0]}),
    ("band_rate_explorer", lambda: widgets.band_rate_explorer(
        signals(), outcome_col="renewed",
        value_cols=["satisfaction", "branch_settlement_days", "complaints_year",
                    "complaint_days", "reminded", "channel", "first_product", "renewal_number"],
        bands=0), {"column": None}),
    ("offer_explorer", lambda: widgets.offer_explorer(dishes(), case("catering").truth),
     {"prior_strength": [0.5, 2.0, 5.0, 10.0, 20.0, 3.0, 1.0, 8.0, 15.0, 30.0]}),
    ("budget_explorer", lambda: widgets.budget_explorer(casekit.customer_pyramid(
        case("catering").transactions, profit_col="gross_margin"), budget=35_000),
     {"budget": steps(10_000, 100_000)}),
    ("clv_formula_explorer", widgets.clv_formula_explorer,
     {"retention": [0.5, 0.6, 0.7, 0.85, 0.9, 0.95, 0.3, 0.4, 0.75, 0.65]}),
    ("clv_segment_explorer", lambda: widgets.clv_segment_explorer(clv()),
     {"groups": [2, 3, 5, 6, 7, 8, 3, 4, 6, 2]}),
    ("lifecycle_explorer", lambda: widgets.lifecycle_explorer(case("catering")),
     {"churn_days": [180, 200, 250, 300, 330, 400, 450, 500, 600, 700]}),
    ("winback_explorer", lambda: widgets.winback_explorer(case("catering")),
     {"churn_p": steps(0.1, 0.8, 8) + [0.5, 0.3]}),
    ("arrears_explorer", lambda: widgets.arrears_explorer(case("utility")),
     {"threshold": [0.0, 0.5, 1.0, 1.25, 1.75, 2.0, 2.5, 3.0, 4.0, 5.0]}),
    ("survival_explorer", lambda: widgets.survival_explorer(utility_markets()),
     {"by": (["plan", "bill_delivery", "payment_method", "segment"] * 3)[:10],
      "market": None}),
    ("pareto_explorer", lambda: widgets.pareto_explorer(case("catering")),
     {"top_share": [0.05, 0.1, 0.15, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.3]}),
    ("regulars_explorer", lambda: widgets.regulars_explorer(case("catering")),
     {"min_visits": [2, 3, 4, 6, 8, 10, 12, 15, 20, 7]}),
    ("wait_explorer", lambda: widgets.wait_explorer(case("catering")),
     {"promise": [10, 15, 20, 25, 35, 40, 45, 50, 60, 90]}),
    ("retention_what_if_explorer", retention_what_if, {"moved_to_fast": steps(0.1, 1.0)}),
    ("churn_value_explorer", churn_value,
     {"churn": [0.1, 0.15, 0.2, 0.25, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6]}),
    ("tier_move_explorer", lambda: widgets.tier_move_explorer(office().transactions, as_of=AS_OF),
     {"share": [0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.05, 0.0]}),
]
# the same moves done the way a student would otherwise write them, with how many values
ALTERNATIVES = {
    ("match_threshold_explorer", "threshold"): (rescore_pairs, 3),  # seconds per call
    ("cost_to_serve_explorer", "visit"): (pandas_profit, 10),
    ("campaign_lift_explorer", "confidence"): (scipy_lift, 10),
    ("survival_explorer", "by"): (lifelines_table, 10),
}


def median_ms(action, values):
    times = []
    for value in values:
        start = time.perf_counter()
        action(value)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main():
    factories = {name for name in widgets.__all__ if name.endswith("_explorer")}
    missing = factories - {factory for factory, _, _ in ENTRIES}
    if missing:
        sys.exit(f"bench_widgets: no entry for {sorted(missing)}; add one to ENTRIES")

    print(f"{'factory':27} {'control':15} {'median ms':>9} {'/ budget':>8}  alternative")
    over = []
    for factory, build, moves in ENTRIES:
        explorer = build()
        for control, values in moves.items():
            widget = explorer.controls[control]
            if values is None:
                options = list(widget.options)
                values = ((options[1:] + options[:1]) * 10)[:max(10, len(options))]

            def move(value, widget=widget, name=f"{factory}: {control}"):
                if widget.value == value:
                    raise ValueError(f"{name} is already {value!r}; nothing would run")
                widget.value = value

            ms = median_ms(move, values)
            compared = ""
            if (factory, control) in ALTERNATIVES:
                alternative, n = ALTERNATIVES[factory, control]
                theirs = median_ms(functools.partial(alternative, explorer), values[:n])
                compared = f"{alternative.__name__} {theirs:.1f} ms = {theirs / ms:.2f}x"
            print(f"{factory:27} {control:15} {ms:9.1f} {ms / BUDGET_MS:8.2f}  {compared}",
                  flush=True)
            if ms > BUDGET_MS:
                over.append(f"{factory} {control} {ms:.0f} ms")
    if over:
        sys.exit(f"bench_widgets: median over the {BUDGET_MS:.0f} ms budget: {', '.join(over)}")


if __name__ == "__main__":
    main()
