"""Retention formulas, cohort CLV, customer equity and the sBG projections."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from casekit import ShiftedBetaGeometric, clv_formula, cohort_clv, customer_equity

rates = st.floats(0.0, 0.99)
discounts = st.floats(0.001, 0.5)
margins = st.floats(-1000, 1000)


@given(margins, rates, discounts)
def test_conventions_differ_only_in_timing(m, r, d):
    immediate = clv_formula(m, r, d, convention="immediate")
    retained = clv_formula(m, r, d, convention="gupta_lehmann")
    end = clv_formula(m, r, d, convention="end_of_period")
    assert immediate == pytest.approx(m + retained, abs=1e-9 * (1 + abs(m)) / (1 + d - r))
    assert end == pytest.approx(immediate / (1 + d), rel=1e-12, abs=1e-12)


@given(margins, rates, discounts)
def test_closed_forms_equal_the_discounted_sums(m, r, d):
    t = np.arange(5000)
    # Retained with probability r each period, margins discounted by (1 + d)^t.
    q = r / (1 + d)
    assert clv_formula(m, r, d, convention="immediate") == pytest.approx(
        np.sum(m * q**t), rel=1e-6, abs=1e-6)
    assert clv_formula(m, r, d, convention="gupta_lehmann") == pytest.approx(
        np.sum(m * q ** (t + 1)), rel=1e-6, abs=1e-6)
    assert clv_formula(m, r, d, convention="end_of_period") == pytest.approx(
        np.sum(m * q**t) / (1 + d), rel=1e-6, abs=1e-6)


def test_clv_formula_broadcasts_arrays():
    out = clv_formula([100, 200], 0.8, [0.1, 0.2], convention="gupta_lehmann")
    np.testing.assert_allclose(out, [80 / 0.3, 160 / 0.4])
    assert isinstance(clv_formula(100, 0.8, 0.1), float)


def test_cohort_clv_equals_the_formula_for_a_constant_retention():
    survival = 0.8 ** np.arange(400)
    assert cohort_clv(survival, 50, 0.1) == pytest.approx(
        clv_formula(50, 0.8, 0.1, convention="immediate"), rel=1e-9)
    assert cohort_clv(survival * 1000, 50, 0.1, timing="end") == pytest.approx(
        clv_formula(50, 0.8, 0.1, convention="end_of_period"), rel=1e-9)


def test_cohort_clv_uses_a_margin_per_period():
    value = cohort_clv([10, 5, 2], margin=[1.0, 2.0, 3.0], discount=0.0)
    assert value == pytest.approx(1.0 + 2.0 * 0.5 + 3.0 * 0.2)


def test_customer_equity_adds_discounted_future_cohorts():
    assert customer_equity([10.0, 20.0]) == 30.0
    assert customer_equity(5.0, n_customers=4) == 20.0
    value = customer_equity(100.0, n_customers=10, new_customers=3, acquisition_cost=40,
                            discount=0.1, periods=2)
    assert value == pytest.approx(1000 + 3 * 60 / 1.1 + 3 * 60 / 1.1**2)
    assert customer_equity([10.0, 30.0], new_customers=1, periods=1) == pytest.approx(60.0)


def test_sbg_curves_and_derl_agree_with_sums():
    model = ShiftedBetaGeometric()
    model.params_ = {"alpha": 0.704, "beta": 1.182}
    t = np.arange(1, 3001)
    survival = model.survival(np.append(0, t))
    assert survival[0] == 1.0
    np.testing.assert_array_equal(model.survival_curve(t.size), survival)
    np.testing.assert_array_equal(model.retention_curve(5), model.retention(t[:5]))
    np.testing.assert_allclose(model.retention(t), survival[1:] / survival[:-1], rtol=1e-9)
    np.testing.assert_allclose(model.churn_probability(t), survival[:-1] - survival[1:],
                               rtol=1e-9, atol=1e-12)
    # DERL for a customer with n - 1 renewals: sum_{t >= n} S(t) / S(n - 1) / (1 + d)^(t - n).
    d = 0.1
    for renewals in (0, 3):
        n = renewals + 1
        direct = np.sum(survival[n:] / survival[n - 1] / (1 + d) ** np.arange(t.size + 1 - n))
        assert model.derl(d, renewals) == pytest.approx(direct, rel=1e-9)
    # Discounted expected lifetime at acquisition, two ways (see derl's docstring).
    del_direct = np.sum(survival / (1 + d) ** np.arange(survival.size))
    assert 1 + model.derl(d, 0) / (1 + d) == pytest.approx(del_direct, rel=1e-9)
    assert cohort_clv(survival, 1.0, d) == pytest.approx(del_direct, rel=1e-12)


def test_sbg_retention_rises_with_tenure():
    model = ShiftedBetaGeometric().fit([1000, 869, 743, 653, 593, 551, 517, 491])
    assert np.all(np.diff(model.retention(np.arange(1, 20))) > 0)
    assert model.survival([7])[0] == pytest.approx(0.491, abs=0.01)


def test_models_repr():
    model = ShiftedBetaGeometric()
    assert repr(model) == "ShiftedBetaGeometric()"
    model.fit([100, 60, 40, 30])
    assert repr(model).startswith("ShiftedBetaGeometric(alpha=")


def test_pareto_nbd_likelihood_stays_finite_for_heavy_buyers():
    from scipy.special import hyp2f1

    from casekit import ParetoNBD

    params = (0.49, 1.75, 1.36, 141.1)  # alpha < beta: the 2F1 that overflows directly
    x = np.array([0.0, 1.0, 50.0, 500.0, 2000.0])
    t_x = np.array([0.0, 1.0, 2.0, 990.0, 10.0])
    big_t = np.full(5, 1000.0)
    log_a0 = ParetoNBD._log_a0(params, x, t_x, big_t)
    assert np.all(np.isfinite(log_a0))
    assert np.all(np.isfinite(ParetoNBD._loglik(params, x, t_x, big_t)))
    # Where the untransformed 2F1 is finite, the two forms agree (Euler's transformation).
    r, alpha, s, beta = params
    rsx = r + s + x[:3]

    def direct(t):
        z = (beta - alpha) / (beta + t)
        return np.log(hyp2f1(rsx, r + x[:3], rsx + 1, z)) - rsx * np.log(beta + t)

    expected = direct(t_x[:3]) + np.log(-np.expm1(direct(big_t[:3]) - direct(t_x[:3])))
    np.testing.assert_allclose(log_a0[:3], expected, rtol=1e-9)
    model = ParetoNBD()
    model.params_ = dict(zip(["r", "alpha", "s", "beta"], params, strict=True))
    alive = model.probability_alive(x, t_x, big_t)
    assert np.all((alive >= 0) & (alive <= 1))


def test_bgnbd_expectation_stays_finite_for_heavy_buyers():
    from casekit import BetaGeo

    model = BetaGeo()
    model.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    x = np.array([50.0, 500.0, 5000.0])
    t_x = np.array([900.0, 990.0, 999.0])
    big_t = np.full(3, 1000.0)
    expected = model.expected_purchases(52, x, t_x, big_t)
    # Never more than the posterior mean rate times the horizon, times P(alive).
    ceiling = (0.243 + x) / (4.414 + big_t) * 52 * model.probability_alive(x, t_x, big_t)
    assert np.all(np.isfinite(expected))
    assert np.all((expected > 0.9 * ceiling) & (expected <= ceiling))
