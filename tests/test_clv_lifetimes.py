"""On the same data and parameters, casekit's predictions equal lifetimes'."""

import importlib.resources
import warnings

import numpy as np
import pandas as pd
import pytest

from casekit import BetaGeo, BetaGeoBetaBinom, GammaGamma, ParetoNBD

lifetimes = pytest.importorskip("lifetimes")


def _dataset(name):
    return pd.read_csv(importlib.resources.files("lifetimes.datasets") / name)


@pytest.fixture(scope="module")
def cdnow():
    data = _dataset("cdnow_customers_summary_with_transactions.csv")
    return data["x"].to_numpy(), data["t_x"].to_numpy(), data["T"].to_numpy(), data


def _fitted(fitter, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fitter.fit(*args, **kwargs)


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [(BetaGeo, "BetaGeoFitter"), (ParetoNBD, "ParetoNBDFitter")],
    ids=["bgnbd", "pareto_nbd"],
)
def test_transaction_models_match_lifetimes(cdnow, ours, theirs):
    x, t_x, big_t, _ = cdnow
    reference = _fitted(getattr(lifetimes, theirs)(), x, t_x, big_t)
    model = ours().fit(x, t_x, big_t)
    for key, value in reference.params_.items():
        assert model.params_[key] == pytest.approx(value, rel=2e-3)
    model.params_ = dict(reference.params_)
    np.testing.assert_allclose(
        model.probability_alive(x, t_x, big_t),
        reference.conditional_probability_alive(x, t_x, big_t), rtol=1e-9, atol=1e-12,
    )
    for horizon in (1, 39, 104):
        np.testing.assert_allclose(
            model.expected_purchases(horizon, x, t_x, big_t),
            reference.conditional_expected_number_of_purchases_up_to_time(horizon, x, t_x,
                                                                          big_t),
            rtol=1e-8,
        )


def test_bgnbd_unconditional_expectation_matches_lifetimes(cdnow):
    x, t_x, big_t, _ = cdnow
    reference = _fitted(lifetimes.BetaGeoFitter(), x, t_x, big_t)
    model = BetaGeo()
    model.params_ = dict(reference.params_)
    horizons = np.array([1.0, 39.0, 78.0])
    np.testing.assert_allclose(model.expected_purchases_new(horizons),
                               reference.expected_number_of_purchases_up_to_time(horizons),
                               rtol=1e-9)


def test_gamma_gamma_and_clv_match_lifetimes(cdnow):
    x, t_x, big_t, data = cdnow
    repeat = data[data["x"] > 0]
    reference = _fitted(lifetimes.GammaGammaFitter(), repeat["x"], repeat["zbar"])
    spend = GammaGamma().fit(repeat["x"], repeat["zbar"])
    for key, value in reference.params_.items():
        assert spend.params_[key] == pytest.approx(value, rel=2e-3)
    spend.params_ = dict(reference.params_)
    np.testing.assert_allclose(
        spend.expected_spend(data["x"], data["zbar"]),
        reference.conditional_expected_average_profit(data["x"], data["zbar"]), rtol=1e-10,
    )
    bg_reference = _fitted(lifetimes.BetaGeoFitter(), x, t_x, big_t)
    bg = BetaGeo()
    bg.params_ = dict(bg_reference.params_)
    # lifetimes counts 4.345 weeks to its month when freq="W".
    expected = reference.customer_lifetime_value(bg_reference, data["x"], data["t_x"], data["T"],
                                                 data["zbar"], time=12, discount_rate=0.01,
                                                 freq="W")
    ours = spend.clv(bg, x, t_x, big_t, data["zbar"], time_unit="week", months=12,
                     discount_rate=0.01, days_per_month=4.345 * 7)
    np.testing.assert_allclose(ours, expected, rtol=1e-8)
    # With the default Julian month the value is a little higher (longer months).
    default = spend.clv(bg, x, t_x, big_t, data["zbar"], time_unit="week", discount_rate=0.01)
    assert np.all(default >= ours - 1e-12)


def test_bgbb_matches_lifetimes():
    data = _dataset("donations.csv")
    args = (data["frequency"], data["recency"], data["periods"])
    reference = _fitted(lifetimes.BetaGeoBetaBinomFitter(), *args, weights=data["weights"])
    model = BetaGeoBetaBinom().fit(*args, weights=data["weights"])
    for key, value in reference.params_.items():
        assert model.params_[key] == pytest.approx(value, rel=2e-3)
    model.params_ = dict(reference.params_)
    np.testing.assert_allclose(model.probability_alive(*args),
                               reference.conditional_probability_alive(1, *args), rtol=1e-9)
    for horizon in (1, 5, 10):
        np.testing.assert_allclose(
            model.expected_purchases(horizon, *args),
            reference.conditional_expected_number_of_purchases_up_to_time(horizon, *args),
            rtol=1e-9,
        )


def test_clv_with_pareto_nbd_matches_lifetimes(cdnow):
    x, t_x, big_t, data = cdnow
    params = {"r": 0.553, "alpha": 10.58, "s": 0.606, "beta": 11.67}
    reference = lifetimes.ParetoNBDFitter()
    reference.params_ = pd.Series(params)
    reference.predict = reference.conditional_expected_number_of_purchases_up_to_time
    model = ParetoNBD()
    model.params_ = params
    spend = GammaGamma()
    spend.params_ = {"p": 6.25, "q": 3.74, "v": 15.44}
    spend_reference = lifetimes.GammaGammaFitter()
    spend_reference.params_ = pd.Series(spend.params_)
    # With freq="W" lifetimes counts 4.345 weeks to its month.
    with np.errstate(divide="ignore"):  # lifetimes takes log(0) for customers with t_x = T
        expected = spend_reference.customer_lifetime_value(
            reference, data["x"], data["t_x"], data["T"], data["zbar"], time=6,
            discount_rate=0.02, freq="W")
    ours = spend.clv(model, x, t_x, big_t, data["zbar"], time_unit="week", months=6,
                     discount_rate=0.02, days_per_month=4.345 * 7)
    np.testing.assert_allclose(ours, expected, rtol=1e-8)
