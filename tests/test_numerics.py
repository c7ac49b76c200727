"""Numerical edge cases of the CLV models, checked against mpmath at 30 digits.

Every reference here is computed independently of the code under test: a
hypergeometric function by mpmath's own ``hyp2f1``, a model quantity by
mpmath's quadrature of the integral that defines it (never by the closed form
the code uses).
"""

import itertools
import warnings

import mpmath as mp
import numpy as np
import pandas as pd
import pytest
from mp_references import mp_bgnbd_alive

from casekit import (
    BetaGeo,
    BetaGeoBetaBinom,
    GammaGamma,
    ParetoNBD,
    ShiftedBetaGeometric,
    clv_formula,
    clv_segments,
    cohort_clv,
    customer_equity,
    kaplan_meier,
)
from casekit._hypergeometric import (
    _bgnbd_integral,
    _euler_integral_one,
    _quad,
    bgnbd_expected_alive,
    hyp2f1_one,
    power_series,
)

mp.mp.dps = 30
RTOL = 1e-11


def _mp_pnbd_alive(r, alpha, s, beta, x, t_x, big_t):
    """P(alive) from the two parts of the likelihood, the dropout part as an integral over tau."""
    with mp.workdps(20):
        return _mp_pnbd_alive_at(r, alpha, s, beta, x, t_x, big_t)


def _mp_pnbd_alive_at(r, alpha, s, beta, x, t_x, big_t):
    r, alpha, s, beta, x, t_x, big_t = map(mp.mpf, (r, alpha, s, beta, x, t_x, big_t))
    head = mp.gamma(r + x) / mp.gamma(r) * alpha**r * beta**s
    alive = head / ((alpha + big_t) ** (r + x) * (beta + big_t) ** s)
    if t_x == big_t:
        return mp.mpf(1)
    dropped = mp.quad(lambda tau: head * s / ((alpha + tau) ** (r + x) * (beta + tau) ** (s + 1)),
                      mp.linspace(t_x, big_t, 30))
    return alive / (alive + dropped)


def _mp_derl(alpha, beta, d, renewals):
    """DERL as the posterior mean of (1 - theta)(1 + d) / (d + theta), theta ~ beta(a, b+n-1)."""
    alpha, beta, d = map(mp.mpf, (alpha, beta, d))
    n = renewals + 1

    def f(th):
        return (1 - th) * (1 + d) / (d + th) * th ** (alpha - 1) * (1 - th) ** (beta + n - 2)

    return mp.quad(f, [0, d, 1]) / mp.beta(alpha, beta + n - 1)


def _relative_error(got, want):
    return abs(float(got) / float(want) - 1)


# --- the stable hypergeometric sums ---------------------------------------------------------

def test_scipy_fails_where_the_models_need_it():
    from scipy.special import hyp2f1

    assert np.isnan(hyp2f1(22, 4, 124, 0.963))  # the reported case; if scipy fixes it, fine
    values, ok = power_series(0.963, 1.0, [(22, 124), (4, 1)])
    assert ok[0]
    assert _relative_error(values[0], mp.hyp2f1(22, 4, 124, 0.963)) < 1e-14


GRID_ONE = [(b, b + dc, z)
            for b, dc, z in itertools.product(
                [0.5, 4.0, 22.0, 300.0],  # whole numbers: c - 1 - b whole below
                [0.5, 1.0, 100.0],
                [0.3, 0.9, 0.963, 0.999, 1 - 1e-8])
            if b + dc > 1]


def test_hyp2f1_one_matches_mpmath_on_a_grid_with_whole_parameters_and_z_near_1():
    b, c, z = (np.array(v) for v in zip(*GRID_ONE, strict=True))
    got = hyp2f1_one(b, c, z)
    errors = [_relative_error(g, mp.hyp2f1(1, bi, ci, zi))
              for g, bi, ci, zi in zip(got, b, c, z, strict=True)]
    assert max(errors) < RTOL


# b and c - b as in the office case's Pareto/NBD (z within 2e-4 of 1), very peaked or flat
# betas, and powers below 1 at either end
GRID_EULER = list(itertools.product([0.3, 3.0, 150.57, 2000.0], [0.3, 7.7, 1000.0],
                                    [0.5, 0.9998513, 1 - 1e-10]))
# b <= 0 (a polynomial-like integrand) up to c = 5000, where the algebraic weight gave nan
GRID_EULER += list(itertools.product([-30.0, -0.5, 0.0], [32.0, 300.0, 5000.0],
                                     [0.5, 0.99, 1 - 1e-8]))


@pytest.mark.filterwarnings("error")
def test_euler_integral_matches_mpmath_without_a_warning_for_any_beta_shape():
    errors = [_relative_error(_euler_integral_one(b, b + dc, z), mp.hyp2f1(1, b, b + dc, z))
              for b, dc, z in GRID_EULER]
    assert max(errors) < RTOL


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("a, b_x", [(30.0, 350.0), (0.5, 2.5), (2.0, 0.5)])
def test_bgnbd_integral_holds_for_a_peaked_dropout_posterior(a, b_x):
    r, x, u = 5.0, b_x - 0.5, 1e4
    want = mp_bgnbd_alive(r, a, 0.5, x, u)
    assert _relative_error(_bgnbd_integral(r, a, 0.5, x, u), want) < RTOL


def test_an_integral_that_cannot_reach_its_tolerance_raises_instead_of_returning():
    with pytest.raises(ArithmeticError, match=r"demo: the integral over \[0, 1\] reached a "
                                              r"relative error of .*, expected at most 1e-10"):
        _quad(lambda v: 1 / v, 0, 1, (0, 0), "demo")  # diverges at 0


def test_power_series_refuses_a_cancelling_series():
    # 2F1(-40.5, 1; 1.5; 0.99): alternating terms of size 1e11 cancel to about 1e-3
    _, ok = power_series(0.99, 1.0, [(-40.5, 1.5), (1.0, 1.0)])
    assert not ok[0]


GRID_BG = list(itertools.product([0.25, 42.0], [0.5, 1.0, 1 + 1e-12, 2.0],
                                 [2.0], [0, 100], [0.1, 1e4]))


def test_bgnbd_expectation_matches_the_integral_on_a_grid():
    r, a, b, x, u = (np.array(v) for v in zip(*GRID_BG, strict=True))
    got = bgnbd_expected_alive(r, a, b, x, u)
    errors = [_relative_error(g, mp_bgnbd_alive(*args))
              for g, args in zip(got, GRID_BG, strict=True)]
    assert max(errors) < RTOL


# --- BG/NBD ---------------------------------------------------------------------------------

def test_bgnbd_at_a_equal_to_one_is_finite_and_continuous():
    model = BetaGeo()
    model.params_ = {"r": 0.243, "alpha": 4.414, "a": 1.0, "b": 2.426}
    at_one = model.expected_purchases(39, [0, 2], [0, 30.43], [38.86, 38.86])
    new = model.expected_purchases_new([39, 78])
    assert np.all(np.isfinite(at_one)) and np.all(np.isfinite(new))
    for t, value in zip([39, 78], new, strict=True):
        assert _relative_error(value, mp_bgnbd_alive(0.243, 1, 2.426, 0, t / 4.414)) < RTOL
    model.params_["a"] = 1 + 1e-12
    near = model.expected_purchases(39, [0, 2], [0, 30.43], [38.86, 38.86])
    np.testing.assert_allclose(near, at_one, rtol=1e-10)


def test_bgnbd_with_whole_r_minus_a_and_a_long_horizon():
    model = BetaGeo()
    model.params_ = {"r": 1.0, "alpha": 1.0, "a": 2.0, "b": 3.0}
    t, x, t_x, big_t = 100.0, 100, 9.0, 10.0
    got = model.expected_purchases(t, [x], [t_x], [big_t])[0]
    p_alive = model.probability_alive([x], [t_x], [big_t])[0]
    want = mp_bgnbd_alive(1, 2, 3, x, t / (1 + big_t)) * p_alive
    assert t / (1 + big_t + t) > 0.9
    assert _relative_error(got, want) < RTOL


def test_bgnbd_refuses_data_without_repeat_purchases():
    with pytest.raises(ValueError, match="BetaGeo.fit: frequency is 0 for every customer"):
        BetaGeo().fit([0, 0, 0], [0, 0, 0], [5, 8, 9])


@pytest.mark.parametrize("model", [BetaGeo, ParetoNBD])
def test_degenerate_transaction_data_are_refused(model):
    name = model.__name__
    with pytest.raises(ValueError, match=f"{name}.fit: T is 0 for every customer"):
        model().fit([0, 0], [0, 0], [0, 0])
    with pytest.raises(ValueError, match=f"{name}.fit: every customer has the same history"):
        model().fit([2, 2, 2], [5, 5, 5], [10, 10, 10])
    with pytest.raises(ValueError, match=f"{name}.fit: every customer has the same history"):
        model().fit([2], [5], [10])
    with pytest.raises(ValueError, match=f"{name}.fit: a customer with frequency > 0 must "
                                         "have recency > 0"):
        model().fit([0, 3, 1], [0, 0, 4], [10, 10, 10])


def test_gamma_gamma_with_one_frequency_for_all_says_what_identifies_p():
    rng = np.random.default_rng(1)
    spend = rng.gamma(6.25, 1 / rng.gamma(3.74, 1 / 15.44, 300))
    with pytest.warns(RuntimeWarning, match=r"GammaGamma.fit: every customer has frequency 1, "
                                            r"so the data cannot show how a customer's average "
                                            r"order value steadies .* only by the assumed gamma "
                                            r"shapes"):
        GammaGamma().fit(np.ones(300, int), spend)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        GammaGamma().fit(np.r_[np.ones(299, int), 2], spend)
    with pytest.raises(ValueError, match="GammaGamma.fit: every customer has the same frequency "
                                         "and monetary_value"):
        GammaGamma().fit([1], [20.0])


@pytest.mark.parametrize("model", [BetaGeo, ParetoNBD, BetaGeoBetaBinom])
def test_data_where_everyone_bought_at_the_end_are_refused(model):
    """Nobody went quiet, so dropout is not identified (Pareto/NBD took over a minute on it)."""
    window = "n_periods" if model is BetaGeoBetaBinom else "T"
    with pytest.raises(ValueError, match=rf"{model.__name__}.fit: every customer's last purchase "
                                         rf"is at the end of the window \(recency == {window}\)"):
        model().fit([1, 2, 3], [10, 10, 10], [10, 10, 10])


def test_unidentified_parameters_are_named_and_get_no_standard_error():
    x, t_x, big_t = [0, 1, 2, 3, 0, 1], [0, 3, 5, 7, 0, 2], [10] * 6
    with pytest.warns(RuntimeWarning, match=r"BetaGeo.fit: the data do not identify a, b"):
        model = BetaGeo().fit(x, t_x, big_t)
    with pytest.warns(RuntimeWarning, match=r"BetaGeo.summary: the data do not identify a, b"):
        table = model.summary
    assert np.isinf(table.loc[["a", "b"], "std_error"]).all()
    assert (table["std_error"] > 0).all()
    assert (table.loc[["a", "b"], "lower_95"] == 0).all()


def test_identified_fit_has_finite_positive_standard_errors():
    model = ShiftedBetaGeometric().fit([1000, 631, 468, 382, 326, 289, 262, 241])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = model.summary
    assert np.all(np.isfinite(table["std_error"])) and (table["std_error"] > 0).all()


# --- Pareto/NBD -----------------------------------------------------------------------------

GRID_PNBD = [
    (r, s, alpha, beta, x, (0.0 if x == 0 else t_x))
    for r, s, (alpha, beta), x, t_x in itertools.product(
        [1.0, 0.55], [2.0, 0.6], [(1.0, 100.0), (100.0, 1.0)], [100, 300], [0.1, 9.9])
]


def test_pareto_probability_alive_matches_the_integral_on_a_grid():
    model = ParetoNBD()
    errors = []
    for r, s, alpha, beta, x, t_x in dict.fromkeys(GRID_PNBD):
        model.params_ = {"r": r, "alpha": alpha, "s": s, "beta": beta}
        got = model.probability_alive([x], [t_x], [10.0])[0]
        want = _mp_pnbd_alive(r, alpha, s, beta, x, t_x, 10.0)
        assert np.isfinite(got)
        errors.append(_relative_error(got, want))
    assert max(errors) < 1e-9


def test_pareto_probability_alive_of_the_reported_extreme_history():
    model = ParetoNBD()
    model.params_ = {"r": 42.0, "alpha": 0.5, "s": 2.0, "beta": 6.0}
    got = model.probability_alive([60], [0.1], [1.0])[0]
    assert _relative_error(got, _mp_pnbd_alive(42, 0.5, 2, 6, 60, 0.1, 1)) < 1e-9


@pytest.fixture(scope="module")
def cdnow():
    from lifetimes.datasets import load_cdnow_summary

    data = load_cdnow_summary()
    return data["frequency"].to_numpy(), data["recency"].to_numpy(), data["T"].to_numpy()


def test_pareto_fit_does_not_depend_on_the_time_unit(cdnow):
    x, t_x, big_t = cdnow
    weeks = ParetoNBD().fit(x, t_x, big_t)
    minutes = 7 * 24 * 60
    fine = ParetoNBD().fit(x, t_x * minutes, big_t * minutes)
    assert fine.params_["s"] == pytest.approx(weeks.params_["s"], rel=1e-4)
    assert fine.params_["r"] == pytest.approx(weeks.params_["r"], rel=1e-4)
    assert fine.params_["beta"] == pytest.approx(weeks.params_["beta"] * minutes, rel=1e-4)
    # the density of purchase times changes by minutes^-x: the log-likelihood moves by that
    shift = -np.sum(x) * np.log(minutes)
    assert fine.log_likelihood_ == pytest.approx(weeks.log_likelihood_ + shift, abs=1e-3)
    assert weeks.log_likelihood_ == pytest.approx(-9594.98, abs=0.01)  # Fader & Hardie's value


def test_bgnbd_and_gamma_gamma_in_fine_units_fit_the_same_and_warn_of_nothing(cdnow):
    x, t_x, big_t = cdnow
    weeks = BetaGeo().fit(x, t_x, big_t)
    seconds = 7 * 24 * 3600
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # alpha = 2.7e6 seconds is an estimate, not a runaway
        fine = BetaGeo().fit(x, t_x * seconds, big_t * seconds)
    assert fine.params_["alpha"] == pytest.approx(weeks.params_["alpha"] * seconds, rel=1e-4)
    assert fine.params_["a"] == pytest.approx(weeks.params_["a"], rel=1e-4)
    from lifetimes.datasets import load_cdnow_summary_data_with_monetary_value

    buyers = load_cdnow_summary_data_with_monetary_value().query("frequency > 0")
    frequency, value = buyers["frequency"].to_numpy(), buyers["monetary_value"].to_numpy()
    yuan = GammaGamma().fit(frequency, value)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fen = GammaGamma().fit(frequency, value * 1e6)
    assert fen.params_["v"] == pytest.approx(yuan.params_["v"] * 1e6, rel=1e-4)
    assert fen.params_["q"] == pytest.approx(yuan.params_["q"], rel=1e-4)


# --- sBG ------------------------------------------------------------------------------------

@pytest.mark.parametrize("renewals", [0, 10, 165, 200, 1000])
@pytest.mark.parametrize("discount", [0.01, 0.05, 0.1])
def test_sbg_derl_with_whole_alpha_matches_the_integral(renewals, discount):
    model = ShiftedBetaGeometric()
    model.params_ = {"alpha": 1.0, "beta": 5.0}
    got = model.derl(discount, renewals=renewals)
    assert isinstance(got, float)
    assert _relative_error(got, _mp_derl(1, 5, discount, renewals)) < RTOL


@pytest.mark.parametrize(
    ("alive", "rate"),
    [([100, 50, 25, 0], 100 / 175), ([81, 80, 0, 0], 81 / 161)],
)
def test_sbg_on_an_emptied_cohort_is_the_geometric_fit_and_says_so(alive, rate):
    with pytest.warns(RuntimeWarning, match="ShiftedBetaGeometric.fit: the counts .* show no "
                                            "sign of heterogeneity"):
        model = ShiftedBetaGeometric().fit(alive)
    alpha, beta = model.params_["alpha"], model.params_["beta"]
    assert alpha / (alpha + beta) == pytest.approx(rate, rel=1e-3)
    churned = -np.diff(alive)
    periods = np.arange(1, len(alive))
    geometric = np.sum(churned * (np.log(rate) + (periods - 1) * np.log1p(-rate)))
    assert model.log_likelihood_ == pytest.approx(geometric, abs=1e-3)
    assert model.log_likelihood_ < 0
    survival = model.survival([1, 2, 3])
    np.testing.assert_allclose(survival, (1 - rate) ** np.array([1, 2, 3]), rtol=1e-3)


def test_sbg_with_one_observed_outcome_is_refused():
    with pytest.raises(ValueError, match="ShiftedBetaGeometric.fit: the counts .* lose "
                                         "customers in one period only"):
        ShiftedBetaGeometric().fit([100, 0])


def test_sbg_scalar_in_scalar_out():
    model = ShiftedBetaGeometric()
    model.params_ = {"alpha": 0.704, "beta": 1.182}
    assert isinstance(model.survival(9), float)
    assert isinstance(model.retention(2), float)
    assert isinstance(model.churn_probability(1), float)
    assert model.survival([9]).shape == (1,)
    assert model.survival(9) == pytest.approx(float(mp.beta(0.704, 1.182 + 9)
                                                    / mp.beta(0.704, 1.182)), rel=1e-13)


# --- long runs and overflow -----------------------------------------------------------------

def test_customer_equity_with_a_billion_periods_is_the_perpetuity():
    value = customer_equity(100.0, n_customers=10, new_customers=5, acquisition_cost=20,
                            discount=0.1, periods=10**9)
    assert value == pytest.approx(1000 + 5 * 80 / 0.1, rel=1e-12)
    assert customer_equity(1.0, n_customers=1, new_customers=1, periods=10**9) == 1 + 1e9


def test_clv_months_are_capped():
    bg = BetaGeo()
    bg.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    gg = GammaGamma()
    gg.params_ = {"p": 6.25, "q": 3.74, "v": 15.44}
    with pytest.raises(ValueError, match=r"GammaGamma.clv: months must be at most 1200"):
        gg.clv(bg, [2], [30.43], [38.86], [22.35], time_unit="week", discount_rate=0.01,
               months=10**5)


def test_bgbb_periods_are_capped():
    with pytest.raises(ValueError, match="BetaGeoBetaBinom.fit: n_periods must be at most 10000"):
        BetaGeoBetaBinom().fit([1, 2], [3, 4], [10**7, 10**7])
    model = BetaGeoBetaBinom()
    model.params_ = {"alpha": 1.204, "beta": 0.750, "gamma": 0.657, "delta": 2.783}
    with pytest.raises(ValueError, match="BetaGeoBetaBinom.expected_purchases: t must be at "
                                         "most 10000"):
        model.expected_purchases(10**7, [1], [3], [6])


@pytest.mark.parametrize(("call", "match"), [
    (lambda: customer_equity(1e308, n_customers=10, new_customers=5, periods=10),
     r"customer_equity: clv must hold numbers of size at most 1e\+15; found 1 larger values, "
     r"e.g. \[1e\+308\]"),
    (lambda: customer_equity(10.0, n_customers=10, new_customers=5, acquisition_cost=1e200),
     r"customer_equity: acquisition_cost must hold numbers of size at most 1e\+15"),
    (lambda: customer_equity(1.0, n_customers=1, new_customers=1, periods=10**20),
     r"customer_equity: periods must hold numbers of size at most 1e\+15"),
    (lambda: cohort_clv([1.0, 0.5, 0.25], margin=1e308, discount=0.1),
     r"cohort_clv: margin must hold numbers of size at most 1e\+15"),
    (lambda: clv_formula(1e308, 0.8, 0.1), r"clv_formula: margin must hold numbers of size"),
    (lambda: GammaGamma().fit([1, 2, 3], [10.0, 1e308, 12.0]),
     r"GammaGamma.fit: monetary_value must hold numbers of size at most 1e\+15"),
    (lambda: _fitted_gamma_gamma().clv(_fitted_bgnbd(), [2], [30.43], [38.86], [1e308],
                                       time_unit="week", discount_rate=0.01),
     r"GammaGamma.clv: monetary_value must hold numbers of size at most 1e\+15"),
], ids=["equity clv", "equity cost", "equity periods", "cohort margin", "formula margin",
        "gamma-gamma fit", "gamma-gamma clv"])
def test_overflowing_amounts_are_refused(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def _fitted_bgnbd():
    bg = BetaGeo()
    bg.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    return bg


def _fitted_gamma_gamma():
    gg = GammaGamma()
    gg.params_ = {"p": 6.25, "q": 3.74, "v": 15.44}
    return gg


def test_cohort_clv_of_a_very_long_curve_has_no_warning():
    survival = ShiftedBetaGeometric()
    survival.params_ = {"alpha": 1.0, "beta": 5.0}
    curve = survival.survival(np.arange(20_000))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = cohort_clv(curve, margin=10.0, discount=0.1)
    short = cohort_clv(curve[:2000], margin=10.0, discount=0.1)
    assert value == pytest.approx(short, rel=1e-12) and np.isfinite(value)


def test_clv_segments_of_huge_values():
    values = pd.Series([1e300, 2e300, 3e300, 1e200, 1.0])
    result = clv_segments(values, groups=2)
    assert result["segment"].tolist() == ["C2", "C1", "C1", "C2", "C2"]


# --- Kaplan-Meier ---------------------------------------------------------------------------

def test_kaplan_meier_matches_series_by_index():
    durations = pd.Series([2, 3, 3, 5, 8, 8], index=list("abcdef"))
    observed = pd.Series([1, 1, 0, 1, 0, 1], index=list("abcdef"))
    shuffled = observed.iloc[::-1]
    pd.testing.assert_frame_equal(kaplan_meier(durations, shuffled),
                                  kaplan_meier(durations, observed))
    with pytest.raises(ValueError, match="kaplan_meier: durations and observed must be indexed "
                                         "by the same customers"):
        kaplan_meier(durations, observed.set_axis(list("abcdeg")))


@pytest.mark.parametrize("alpha", [[0.05, 0.5], (0.1,), np.array([0.05])])
def test_kaplan_meier_alpha_must_be_one_number(alpha):
    with pytest.raises(ValueError, match="kaplan_meier: alpha must be one number between 0 "
                                         "and 1"):
        kaplan_meier([1, 2, 3], alpha=alpha)
