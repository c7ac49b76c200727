"""Each case reproduces the population facts its card states, within tolerance.

Cases are generated once per module at 10,000-20,000 customers, with seeds
other than the default ones, so the facts hold for the population and not
only for the committed dataset.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, special

import casekit
from casekit import _sim_catering, _sim_insurance
from casekit._specs import CATERING, INSURANCE, OFFICE_SUPPLIES

WEEK = pd.Timedelta(weeks=1)


@pytest.fixture(scope="module")
def office():
    return casekit.generate_case("office_supplies", n_customers=20_000, seed=5)


@pytest.fixture(scope="module")
def insurance():
    return casekit.generate_case("insurance", n_customers=20_000, seed=6)


@pytest.fixture(scope="module")
def catering():
    return casekit.generate_case("catering", n_customers=20_000, seed=7)


@pytest.fixture(scope="module")
def utility():
    return {market: casekit.generate_case("utility", n_customers=10_000, seed=8, market=market)
            for market in ("deregulated", "regulated")}


def _check_pareto_nbd(truth, population, start_col, start, end):
    """Latent rates are the population's gammas; lifetimes are exponential at mu.

    Customers are followed from ``start_col`` to ``end`` (days from ``start``); the
    number lost in that window must match the sum of each one's chance
    1 - exp(-mu * exposure) within 4 standard deviations.
    """
    lam, mu = truth["lambda_"].to_numpy(), truth["mu"].to_numpy()
    r, alpha, s, beta = (population[k] for k in ("r", "alpha", "s", "beta"))
    assert lam.mean() == pytest.approx(r / alpha, rel=0.03)
    assert lam.var() == pytest.approx(r / alpha**2, rel=0.1)
    assert mu.mean() == pytest.approx(s / beta, rel=0.03)
    assert mu.var() == pytest.approx(s / beta**2, rel=0.1)
    since = truth[start_col]
    keep = (since < end).to_numpy()
    weeks = ((end - since[keep]) / WEEK).to_numpy()
    p = -np.expm1(-mu[keep] * weeks)
    lost = (truth["churn_date"][keep] < end).to_numpy()
    assert abs(lost.sum() - p.sum()) < 4 * np.sqrt((p * (1 - p)).sum())


def _yearly_churn(truth: pd.DataFrame, start_col: str, year: int) -> float:
    s, e = pd.Timestamp(f"{year}-01-01"), pd.Timestamp(f"{year + 1}-01-01")
    alive = (truth[start_col] < s) & (truth["churn_date"].isna() | (truth["churn_date"] >= s))
    return float(((truth["churn_date"] < e) & alive).sum() / alive.sum())


def _activity_classes(orders: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """Seed 001's rule in plain pandas: twelve monthly slices ending on ``as_of``."""
    stop = as_of + pd.Timedelta(days=1)
    edges = [stop - pd.DateOffset(months=k) for k in range(13)]
    month = pd.Series(-1, index=orders.index)
    for k in range(12):
        month[(orders["date"] >= edges[k + 1]) & (orders["date"] < edges[k])] = k
    seen = (orders[month >= 0].assign(m=month[month >= 0])
            .groupby(["customer_id", "m"]).size().unstack(fill_value=0)
            .reindex(columns=range(12), fill_value=0) > 0)
    seen = seen.reindex(orders["customer_id"].unique(), fill_value=False)
    every_month = seen.all(axis=1)
    every_quarter = pd.concat([seen[[3 * q, 3 * q + 1, 3 * q + 2]].any(axis=1)
                               for q in range(4)], axis=1).all(axis=1)
    quiet = ~seen[list(range(6))].any(axis=1)
    out = pd.Series("D", index=seen.index)
    out[every_quarter] = "B"
    out[every_month] = "A"
    out[quiet] = "C"
    return out


# --- office_supplies -----------------------------------------------------------------


def test_office_catalogue_and_tables(office):
    assert len(office.products) >= 1000
    assert office.products["category"].nunique() >= 8
    assert (office.products["unit_cost"] < office.products["list_price"]).all()
    assert {"stock-out", "broken delivery promise"} <= set(office.tickets["type"])
    assert office.tickets["handling_hours"].gt(0).all()
    assert set(office.campaigns["group"]) == {"treatment", "control"}
    assert {"won", "lost", "prospect"} <= set(office.opportunities["stage"])
    lines = office.order_lines.groupby("order_id")["net_amount"].sum()
    np.testing.assert_allclose(lines.to_numpy(),
                               office.orders.set_index("order_id").loc[lines.index, "amount"],
                               atol=0.011)
    assert office.orders["discount_rate"].between(0, 0.3).all()
    assert office.discounts.groupby("customer_id").size().max() > 1


def test_office_churn_rises_about_20_points(office):
    stated = OFFICE_SUPPLIES["stated_churn"]
    before = _yearly_churn(office.truth, "acquisition_date", 2023)
    after = _yearly_churn(office.truth, "acquisition_date", 2024)
    assert before == pytest.approx(stated["2023"], abs=0.02)
    assert after == pytest.approx(stated["2024"], abs=0.03)
    assert 0.20 <= after - before <= 0.27


def test_office_irregular_contact_raises_dropout(office):
    truth = office.truth
    s = pd.Timestamp("2024-01-01")
    alive = truth["churn_date"].isna() | (truth["churn_date"] >= s)
    at_risk = truth[(truth["acquisition_date"] < s) & alive]
    lost = at_risk["churn_date"].notna()
    by_style = lost.groupby(at_risk["irregular_contact"]).mean()
    assert by_style[True] > by_style[False] + 0.025
    # Visible in the contact history: irregular managers leave longer, more variable gaps.
    gaps = office.contacts.groupby("customer_id")["date"].diff().dt.days
    spread = gaps.groupby(office.contacts["customer_id"]).std()
    irregular = truth.set_index("customer_id")["irregular_contact"].reindex(spread.index)
    assert spread[irregular].median() > 2 * spread[~irregular].median()


def test_office_activity_shares_as_stated(office):
    stated = OFFICE_SUPPLIES["stated_activity"]
    as_of = pd.Timestamp("2024-12-31")
    classes = _activity_classes(office.orders, as_of)
    recent = office.orders[office.orders["date"] > as_of + pd.Timedelta(days=1)
                           - pd.DateOffset(months=12)]
    revenue = recent.groupby("customer_id")["amount"].sum().reindex(classes.index, fill_value=0)
    customers = classes.value_counts(normalize=True)
    shares = revenue.groupby(classes).sum() / revenue.sum()
    for label, facts in stated.items():
        assert customers[label] == pytest.approx(facts["customers"], abs=0.02), label
        assert shares[label] == pytest.approx(facts["revenue"], abs=0.05), label
    # the office-supplies reading: the active 60% of customers bring 80% of revenue
    assert customers["A"] + customers["B"] == pytest.approx(0.60, abs=0.05)
    assert shares["A"] + shares["B"] == pytest.approx(0.80, abs=0.05)


def test_office_pre_shock_lifetimes_are_pareto_nbd(office):
    pop = office.population
    assert pop["model"] == "Pareto/NBD" and pop["time_unit"] == "week"
    _check_pareto_nbd(office.truth, pop, "acquisition_date", office.start,
                      pd.Timestamp(pop["calibration_end"]))


def test_office_orders_are_poisson_while_alive(office):
    truth = office.truth.set_index("customer_id")
    last = truth["churn_date"].fillna(office.end)
    weeks = (last - truth["acquisition_date"]) / WEEK
    repeats = office.orders.groupby("customer_id").size().reindex(truth.index) - 1
    expected = truth["lambda_"] * weeks
    assert repeats.sum() == pytest.approx(expected.sum(), rel=0.02)
    assert (repeats[truth["churn_date"].notna()] >= 0).all()


def test_office_gamma_gamma_order_value(office):
    gg = office.population["gamma_gamma"]
    expected = gg["p"] * gg["gamma"] / (gg["q"] - 1)
    assert office.orders["amount"].mean() == pytest.approx(expected, rel=0.05)
    per_customer = office.orders.groupby("customer_id")["amount"].mean()
    truth = office.truth.set_index("customer_id")["mean_order_value"]
    busy = office.orders.groupby("customer_id").size() >= 20
    assert np.corrcoef(per_customer[busy], truth[busy.index[busy]])[0, 1] > 0.8


def test_office_campaign_uplift_by_segment(office):
    joined = office.campaigns.merge(office.companies[["customer_id", "size_band"]])
    rates = joined.groupby(["size_band", "group"])["responded"].mean().unstack()
    uplift = rates["treatment"] - rates["control"]
    for band, true in office.population["campaign_uplift"].items():
        assert uplift[band] == pytest.approx(true, abs=0.035), band


# --- insurance ---------------------------------------------------------------------


def test_insurance_first_renewal_by_product(insurance):
    renewals = insurance.renewals.merge(insurance.truth[["customer_id", "primary_product"]])
    first = renewals[renewals["renewal_number"] == 1]
    rates = first.groupby("primary_product")["renewed"].mean()
    for product in INSURANCE["products"]:
        stated = _sim_insurance.first_year_retention(product)
        assert rates[product] == pytest.approx(stated, abs=0.03), product
    assert 0.80 <= _sim_insurance.first_year_retention("auto") <= 0.90


def test_insurance_sbg_fit_on_one_cohort_recovers_population(insurance):
    holders = insurance.holders
    cohort = holders.loc[holders["cohort"] == 2015, "customer_id"]
    renewals = insurance.renewals[insurance.renewals["customer_id"].isin(cohort)]
    alive = [len(cohort)] + [
        int(((renewals["renewal_number"] == k) & renewals["renewed"]).sum()) for k in range(1, 10)
    ]
    lost = -np.diff(alive)

    def nll(log_ab):
        a, b = np.exp(log_ab)
        surv = np.exp(special.betaln(a, b + np.arange(10)) - special.betaln(a, b))
        return -(np.sum(lost * np.log(-np.diff(surv))) + alive[-1] * np.log(surv[-1]))

    a, b = np.exp(optimize.minimize(nll, [0.0, 1.0], method="Nelder-Mead").x)
    assert a == pytest.approx(insurance.population["alpha"], rel=0.15)
    assert b == pytest.approx(insurance.population["beta"], rel=0.15)


def test_insurance_satisfaction_is_not_loyalty(insurance):
    surveys = insurance.surveys.merge(insurance.truth[["customer_id", "alive", "theta"]])
    corr_alive = np.corrcoef(surveys["satisfaction"], surveys["alive"])[0, 1]
    corr_theta = np.corrcoef(surveys["satisfaction"], surveys["theta"])[0, 1]
    assert 0 < corr_alive < 0.15
    assert -0.3 < corr_theta < 0


def test_insurance_service_tables(insurance):
    assert set(insurance.policies["product"]) == {"auto", "health", "life", "property"}
    assert insurance.policies.groupby("customer_id").size().max() >= 3
    assert set(insurance.holders["channel"]) == {"agent", "bank", "online"}
    claims = insurance.claims.merge(insurance.truth[["customer_id", "slow_branch"]])
    days = claims.groupby("slow_branch")["settlement_days"].median()
    assert days[True] > 2 * days[False]
    per_holder = insurance.complaints.groupby("customer_id").size().reindex(
        insurance.truth["customer_id"], fill_value=0)
    prone = insurance.truth.set_index("customer_id")["complaint_prone"]
    assert per_holder[prone].mean() > 3 * per_holder[~prone].mean()
    reminded = insurance.reminders["customer_id"].value_counts()
    unreminded = insurance.truth.set_index("customer_id")["unreminded"]
    assert reminded.reindex(unreminded.index[unreminded], fill_value=0).mean() < \
        0.3 * reminded.reindex(unreminded.index[~unreminded], fill_value=0).mean()


# --- utility -----------------------------------------------------------------------


def test_utility_accounts_support_survival(utility):
    case = utility["deregulated"]
    acc = case.accounts
    closed = acc["end_date"].notna()
    assert (acc.loc[closed, "end_date"] >= acc.loc[closed, "start_date"]).all()
    assert set(acc.loc[closed, "end_reason"]) == {"move-out", "switch"}
    assert acc.loc[~closed, "end_reason"].isna().all()
    last_bill = case.bills.groupby("customer_id")["date"].max()
    ends = acc.set_index("customer_id")["end_date"]
    both = ends.dropna().index
    assert (last_bill[both] <= ends[both]).all()
    assert set(case.accounts["segment"]) == {"residential", "commercial", "industrial"}


def test_utility_market_setting(utility):
    dereg, reg = utility["deregulated"], utility["regulated"]
    assert (reg.accounts["end_reason"] == "switch").sum() == 0
    switches = (dereg.accounts["end_reason"] == "switch").mean()
    moves = (dereg.accounts["end_reason"] == "move-out").mean()
    assert switches > 0.5 * moves
    assert dereg.truth["alive"].mean() < reg.truth["alive"].mean() - 0.1


def test_utility_arrears_raise_churn(utility):
    case = utility["deregulated"]
    bills = case.bills.sort_values(["customer_id", "date"])
    in_arrears = bills["previous_balance"] > 0
    rates = bills.groupby(in_arrears)["final_bill"].mean()
    assert rates[True] > 1.3 * rates[False]
    assert set(case.arrears_notices["kind"]) == {"reminder", "disconnection warning"}


def test_utility_seasonal_consumption(utility):
    bills = utility["regulated"].bills.merge(utility["regulated"].accounts[
        ["customer_id", "segment"]])
    homes = bills[(bills["segment"] == "residential") & ~bills["final_bill"]]
    by_month = homes.groupby(homes["date"].dt.month)["kwh"].mean()
    assert by_month[8] > 1.3 * by_month[5]


# --- catering ----------------------------------------------------------------------


def test_catering_first_visit_return_rate(catering):
    weeks = CATERING["return_weeks"]
    visits = catering.visits.sort_values(["customer_id", "date"])
    first = visits.groupby("customer_id")["date"].min()
    second = visits.groupby("customer_id")["date"].nth(1)
    second = pd.Series(second.to_numpy(), index=visits.loc[second.index, "customer_id"])
    eligible = first[first < catering.end - pd.Timedelta(weeks=weeks)]
    came_back = (second.reindex(eligible.index) - eligible) <= pd.Timedelta(weeks=weeks)
    stated = _sim_catering.return_rate()
    assert came_back.mean() == pytest.approx(stated, abs=0.02)
    assert f"{100 * stated:.0f}%" in catering.card


def test_catering_lifetimes_are_pareto_nbd(catering):
    pop = catering.population
    assert pop["model"] == "Pareto/NBD" and pop["time_unit"] == "week"
    truth = catering.truth.merge(catering.members[["customer_id", "join_date"]])
    _check_pareto_nbd(truth, pop, "join_date", catering.start, catering.end)


def test_catering_taste_matches_the_population_covariance(catering):
    cols = [c for c in catering.truth.columns if c.startswith("taste_")]
    logs = np.log(catering.truth[cols].to_numpy())
    centred = logs - logs.mean(axis=1, keepdims=True)  # log-ratios drop the softmax constant
    k = len(cols)
    contrast = np.eye(k) - 1.0 / k
    expected = contrast @ _sim_catering.taste_covariance() @ contrast
    np.testing.assert_allclose(np.cov(centred.T), expected, atol=0.04)


def test_catering_taste_drives_dishes(catering):
    assert len(catering.menu) >= 60
    assert {"category", "price", "food_cost"} <= set(catering.menu.columns)
    items = catering.visit_items.merge(catering.menu[["dish_id", "category"]]).merge(
        catering.visits[["order_id", "customer_id", "channel"]])
    items = items[items["channel"] != "banquet"]
    counts = items.groupby(["customer_id", "category"]).size().unstack(fill_value=0)
    counts = counts[counts.sum(axis=1) >= 30]
    observed = counts.div(counts.sum(axis=1), axis=0)
    truth = catering.truth.set_index("customer_id").loc[observed.index]
    columns = [f"taste_{c.replace(' ', '_').replace('-', '_')}" for c in observed.columns]
    corr = np.corrcoef(observed.to_numpy().ravel(), truth[columns].to_numpy().ravel())[0, 1]
    assert corr > 0.8


def test_catering_service_fields(catering):
    visits = catering.visits
    assert set(visits["channel"]) == {"dine-in", "delivery", "banquet"}
    assert visits.loc[visits["channel"] == "banquet", "party_size"].min() >= 8
    assert visits.loc[visits["channel"] == "banquet", "wait_minutes"].isna().all()
    rated = visits.dropna(subset=["rating"])
    assert rated["rating"].between(1, 5).all()
    assert np.corrcoef(rated["wait_minutes"].fillna(0), rated["rating"])[0, 1] < -0.1
    assert {"stored value", "credit"} <= set(visits["payment"])
    assert set(catering.stored_value["kind"]) == {"top-up", "credit settlement"}
    margin = visits["gross_margin"] / visits["amount"]
    assert margin.between(0.3, 0.85).all()
