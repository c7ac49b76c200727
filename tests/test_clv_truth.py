"""The CLV models recover what the case generators know (their ``population`` and ``truth``).

Each case is generated once per module with 20,000 customers. Tolerances, stated here and
used below:

* BG/NBD parameters (catering over the whole horizon; office_supplies on the orders before
  its competitor shock, where the population parameters hold): every estimate within
  4 standard errors of the true value, and relative error at most 10 % for ``r`` and
  ``alpha`` and 25 % for ``a`` and ``b`` (the dropout parameters are estimated less
  precisely: their standard errors are 5-10 % at this size). These fits use each
  customer's exact order times in weeks. ``customer_summary`` counts purchase *days*
  and merges orders placed on the same day, which biases ``alpha`` by about 10 % on
  office_supplies, so it is not the instrument for a recovery test.
* P(alive) at the end of the horizon, from a BG/NBD fitted on ``customer_summary`` (days,
  converted to weeks) as a student would, separates truly alive from churned customers
  with AUC >= 0.8 (measured 0.93 on catering and 0.94 on office_supplies).
* sBG on the first insurance cohort's renewals 1-9: alpha and beta within 3 standard errors
  and 15 % of the population's effective sBG parameters.
"""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import mannwhitneyu

import casekit

pytestmark = pytest.mark.slow
N_CUSTOMERS = 20_000
WEEK = pd.Timedelta(weeks=1)


@pytest.fixture(scope="module")
def catering():
    return casekit.generate_case("catering", n_customers=N_CUSTOMERS, seed=4)


@pytest.fixture(scope="module")
def office():
    return casekit.generate_case("office_supplies", n_customers=N_CUSTOMERS, seed=1)


@pytest.fixture(scope="module")
def insurance():
    return casekit.generate_case("insurance", n_customers=N_CUSTOMERS, seed=2)


def exact_summary(transactions, end):
    """frequency, recency and T in weeks from each customer's exact order times."""
    dates = transactions.loc[transactions["date"] < end].groupby("customer_id")["date"]
    first, last = dates.min(), dates.max()
    return ((dates.size() - 1).to_numpy(), ((last - first) / WEEK).to_numpy(),
            ((end - first) / WEEK).to_numpy())


def assert_recovered(model, population, relative):
    table = model.summary
    for name, tolerance in relative.items():
        estimate, se = table.loc[name, "estimate"], table.loc[name, "std_error"]
        true = population[name]
        assert abs(estimate - true) < 4 * se, f"{name}: {estimate:.4g} vs {true} (se {se:.3g})"
        assert abs(estimate / true - 1) <= tolerance, f"{name}: {estimate:.4g} vs {true}"


def auc(score, label):
    """P(score of a truly alive customer > score of a churned one), ties counting half."""
    u = mannwhitneyu(score[label], score[~label]).statistic
    return u / (label.sum() * (~label).sum())


BGNBD_TOLERANCE = {"r": 0.10, "alpha": 0.10, "a": 0.25, "b": 0.25}


def test_bgnbd_recovers_catering_population(catering):
    population = catering.population
    assert population["model"] == "BG/NBD" and population["time_unit"] == "week"
    model = casekit.BetaGeo().fit(*exact_summary(catering.transactions, catering.end))
    assert_recovered(model, population, BGNBD_TOLERANCE)


def test_bgnbd_recovers_office_supplies_population_before_the_shock(office):
    population = office.population
    assert population["model"] == "BG/NBD" and population["time_unit"] == "week"
    end = pd.Timestamp(population["calibration_end"])
    model = casekit.BetaGeo().fit(*exact_summary(office.transactions, end))
    assert_recovered(model, population, BGNBD_TOLERANCE)


@pytest.mark.parametrize("name", ["catering", "office"])
def test_probability_alive_separates_alive_from_churned(name, request):
    case = request.getfixturevalue(name)
    summary = casekit.customer_summary(case.transactions, freq="D", observation_end=case.end)
    x, t_x, big_t = summary["frequency"], summary["recency"] / 7, summary["T"] / 7
    model = casekit.BetaGeo().fit(x, t_x, big_t)
    alive = case.truth.set_index("customer_id").loc[summary.index, "alive"].to_numpy(bool)
    assert 0.1 < alive.mean() < 0.9
    assert auc(model.probability_alive(x, t_x, big_t), alive) >= 0.8


def test_sbg_recovers_insurance_population(insurance):
    population = insurance.population
    assert population["model"] == "sBG" and population["time_unit"] == "year"
    holders, renewals = insurance.tables["holders"], insurance.tables["renewals"]
    cohort = holders.loc[holders["cohort"] == holders["cohort"].min(), "customer_id"]
    # Renewals 1-9 are observed for the whole first cohort before the horizon ends.
    seen = renewals[renewals["customer_id"].isin(cohort) & (renewals["renewal_number"] <= 9)]
    renewed = seen[seen["renewed"]].groupby("renewal_number").size().sort_index()
    assert renewed.index.tolist() == list(range(1, 10))
    model = casekit.ShiftedBetaGeometric().fit([len(cohort), *renewed.tolist()])
    table = model.summary
    for name in ("alpha", "beta"):
        estimate, se = table.loc[name, "estimate"], table.loc[name, "std_error"]
        assert abs(estimate - population[name]) < 3 * se
        assert abs(estimate / population[name] - 1) <= 0.15
    assert np.isclose(model.survival([1])[0], population["retention_first_year"], atol=0.02)
