"""The readings' facts hold in the default datasets, the ones the notebooks use.

Each fact has its tolerance stated in the test. The default cases are loaded once per
module (``load_case`` generates them on first use and checks them against the manifest).
"""

import numpy as np
import pandas as pd
import pytest

import casekit
from casekit._specs import CATERING, OFFICE_SUPPLIES

AS_OF = pd.Timestamp("2024-12-31")


@pytest.fixture(scope="module")
def office():
    return casekit.load_case("office_supplies")


@pytest.fixture(scope="module")
def catering():
    return casekit.load_case("catering")


def yearly_churn(truth, year):
    """Churn as the office-supplies notebook computes it."""
    period = casekit.churn_in_period(truth, start=f"{year}-01-01", end=f"{year + 1}-01-01")
    return period["lost"].mean()


# --- office_supplies ---------------------------------------------------------------


def test_office_churn_rises_by_at_least_20_points_after_the_competitor(office):
    before, after = yearly_churn(office.truth, 2023), yearly_churn(office.truth, 2024)
    assert after - before >= 0.20, (before, after)
    stated = OFFICE_SUPPLIES["stated_churn"]
    # the card's population values, within sampling error of 4,000 accounts
    assert before == pytest.approx(stated["2023"], abs=0.02)
    assert after == pytest.approx(stated["2024"], abs=0.02)


def test_office_active_60_percent_bring_80_percent_of_revenue(office):
    abc = casekit.abc_activity(office.transactions, as_of=AS_OF)
    shares = casekit.segment_shares(abc, by="abc_class")
    accounts = shares.loc[["A", "B"], "customer_share"].sum()
    revenue = shares.loc[["A", "B"], "revenue_share"].sum()
    assert accounts == pytest.approx(0.60, abs=0.05)
    assert revenue == pytest.approx(0.80, abs=0.05)


def test_office_one_order_accounts_are_not_all_alive(office):
    counts = office.orders.groupby("customer_id").size()
    alive = office.truth.set_index("customer_id")["alive"]
    one = counts.index[counts == 1]
    assert len(one) > 20
    assert alive[one].mean() < 0.75
    # a customer can leave before a second order: some died with a single order
    assert (~alive[one]).sum() > 10


def test_office_shock_acts_on_the_dropout_rate(office):
    truth = office.truth
    ratio = truth["mu_after_shock"] / truth["mu"]
    expected = np.where(truth["irregular_contact"], OFFICE_SUPPLIES["shock_multiplier_irregular"],
                        OFFICE_SUPPLIES["shock_multiplier_regular"])
    np.testing.assert_allclose(ratio, expected)
    year = casekit.churn_in_period(truth, start="2024-01-01", end="2025-01-01")
    irregular = truth.set_index("customer_id")["irregular_contact"].reindex(year.index)
    by = year["lost"].groupby(irregular).mean()
    assert by[True] > by[False] + 0.05


def test_latent_values_stay_out_of_the_tables(office, catering):
    for case, latent in [(office, {"lambda_", "mu", "mu_after_shock", "alive", "churn_date",
                                   "irregular_contact", "mean_order_value"}),
                         (catering, {"lambda_", "mu", "alive", "churn_date", "mean_party",
                                     "delivery_propensity"})]:
        for name, frame in case.tables.items():
            assert not latent & set(frame.columns), (name, latent & set(frame.columns))
            assert not any(c.startswith("taste_") for c in frame.columns), name


# --- catering ----------------------------------------------------------------------


def test_catering_top_20_percent_bring_80_percent_of_profit(catering):
    profit = catering.visits.groupby("customer_id")["gross_margin"].sum()
    profit = profit.sort_values(ascending=False)
    top = profit.iloc[: round(0.2 * len(profit))].sum() / profit.sum()
    assert top == pytest.approx(0.80, abs=0.05)


def regulars(case):
    """Members with at least ``regular_visits`` visits in the 12 months before the decision."""
    decision = pd.Timestamp(CATERING["credit_decision"])
    visits = case.visits
    recent = visits[(visits["date"] >= decision - pd.Timedelta(days=365))
                    & (visits["date"] < decision)]
    counts = recent.groupby("customer_id").size()
    counts = counts.reindex(case.members["customer_id"], fill_value=0)
    return counts >= CATERING["regular_visits"]


def test_catering_credit_goes_to_regulars(catering):
    regular = regulars(catering)
    credit = catering.members.set_index("customer_id")["credit_limit"] > 0
    assert credit.sum() > 50
    assert not (credit & ~regular).any(), "a credit line went to a member who is no regular"
    # most regulars take it; the regulars are a minority of the members
    assert credit[regular].mean() == pytest.approx(CATERING["credit_take_up"], abs=0.08)
    assert regular.mean() < 0.25
    # credit is paid only by holders, and only from the decision date on
    paid = catering.visits[catering.visits["payment"] == "credit"]
    assert paid["customer_id"].isin(credit.index[credit]).all()
    assert paid["date"].min() >= pd.Timestamp(CATERING["credit_decision"])


def category_shares(case, min_dishes=20):
    items = case.visit_items.merge(case.menu[["dish_id", "category"]]).merge(
        case.visits[["order_id", "customer_id", "channel"]])
    items = items[items["channel"] != "banquet"]
    counts = items.groupby(["customer_id", "category"])["quantity"].sum().unstack(fill_value=0)
    counts = counts[counts.sum(axis=1) >= min_dishes]
    return counts.div(counts.sum(axis=1), axis=0)


def test_catering_tastes_are_correlated_across_categories(catering):
    shares = category_shares(catering)
    assert len(shares) > 300
    corr = shares.corr().to_numpy()
    off = corr[~np.eye(len(corr), dtype=bool)]
    # Independent Dirichlet tastes give about -1 / (K - 1) = -0.125 for every pair; the
    # taste factors give clearly positive pairs and clearly negative ones.
    assert off.max() > 0.3
    assert off.min() < -0.35


def test_catering_similar_members_predict_a_held_out_category(catering):
    """Nearest neighbours on the other categories beat the popularity baseline.

    For each category in turn, the share a member orders from it is predicted from the
    members most similar on the other eight shares (10 nearest neighbours, half of the
    members as the reference set) or by the overall share (popularity). Similar members
    cut the mean squared error by at least 15 %.
    """
    shares = category_shares(catering).to_numpy()
    rng = np.random.default_rng(0)
    order = rng.permutation(len(shares))
    ref, test = shares[order[::2]], shares[order[1::2]]
    gains = []
    for k in range(shares.shape[1]):
        others = [j for j in range(shares.shape[1]) if j != k]
        dist = ((test[:, None, others] - ref[None, :, others]) ** 2).sum(axis=2)
        nearest = np.argsort(dist, axis=1)[:, :10]
        knn = ref[nearest, k].mean(axis=1)
        popular = ref[:, k].mean()
        gains.append(1 - ((test[:, k] - knn) ** 2).mean() / ((test[:, k] - popular) ** 2).mean())
    assert np.mean(gains) >= 0.15, np.round(gains, 3)


def test_catering_one_visit_members_are_not_all_alive(catering):
    counts = catering.visits.groupby("customer_id").size()
    alive = catering.truth.set_index("customer_id")["alive"]
    one = counts.index[counts == 1]
    assert len(one) > 500
    assert alive[one].mean() < 0.75
