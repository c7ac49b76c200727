"""Bad input to the CLV functions gets an error that names the function and the argument."""

import importlib.resources

import numpy as np
import pandas as pd
import pytest

from casekit import (
    BetaGeo,
    BetaGeoBetaBinom,
    GammaGamma,
    ParetoNBD,
    ShiftedBetaGeometric,
    clv_formula,
    cohort_clv,
    customer_equity,
    kaplan_meier,
)

GOOD = {"frequency": [0, 2, 1], "recency": [0.0, 10.0, 3.0], "T": [20.0, 20.0, 15.0]}


@pytest.mark.parametrize("model", [BetaGeo, ParetoNBD], ids=["bgnbd", "pareto_nbd"])
@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"recency": [0.0, 25.0, 3.0]}, r"\.fit: recency must be <= T .* recency 25\.0 with T 20"),
        ({"frequency": [0, -2, 1]}, r"\.fit: frequency must be >= 0; found 1 .* \[-2\.0\]"),
        ({"frequency": [0, 2.5, 1]}, r"\.fit: frequency must hold whole numbers"),
        ({"recency": [4.0, 10.0, 3.0]}, r"\.fit: recency must be 0 where frequency is 0"),
        ({"T": [20.0, -1.0, 15.0]}, r"\.fit: T must be >= 0"),
        ({"T": [20.0, 20.0]}, r"\.fit: the arrays must have the same length; frequency has 3"),
        ({"recency": [0.0, np.nan, 3.0]}, r"\.fit: recency must be finite"),
        ({"frequency": ["a", "b", "c"]}, r"\.fit: frequency must be numeric"),
    ],
)
def test_transaction_model_input_errors(model, change, match):
    with pytest.raises((ValueError, TypeError), match=model.__name__ + match):
        model().fit(**{**GOOD, **change})


def test_weights_errors():
    with pytest.raises(ValueError, match=r"BetaGeo\.fit: weights must have one value per "
                                         r"customer \(3\); found 2"):
        BetaGeo().fit(**GOOD, weights=[1, 2])
    with pytest.raises(ValueError, match=r"BetaGeo\.fit: weights must be >= 0"):
        BetaGeo().fit(**GOOD, weights=[1, -1, 1])
    with pytest.raises(ValueError, match=r"BetaGeo\.fit: weights must not all be 0"):
        BetaGeo().fit(**GOOD, weights=[0, 0, 0])


@pytest.mark.parametrize(
    ("model", "call"),
    [
        (BetaGeo, lambda m: m.probability_alive([1], [1], [2])),
        (BetaGeo, lambda m: m.expected_purchases(10, [1], [1], [2])),
        (BetaGeo, lambda m: m.expected_purchases_new(10)),
        (ParetoNBD, lambda m: m.probability_alive([1], [1], [2])),
        (GammaGamma, lambda m: m.expected_spend([1], [10.0])),
        (BetaGeoBetaBinom, lambda m: m.probability_alive([1], [1], [2])),
        (ShiftedBetaGeometric, lambda m: m.survival([1])),
        (ShiftedBetaGeometric, lambda m: m.derl(0.1)),
        (BetaGeo, lambda m: m.summary),
    ],
)
def test_unfitted_models_say_call_fit_first(model, call):
    with pytest.raises(RuntimeError, match=rf"{model.__name__}\.\w+: the model is not fitted; "
                                           r"call fit first"):
        call(model())


def test_summary_of_hand_set_parameters_says_call_fit():
    model = BetaGeo()
    model.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    with pytest.raises(RuntimeError, match=r"BetaGeo\.summary: standard errors need the data .* "
                                           r"call fit first"):
        assert model.summary is None  # not reached


def test_hand_set_parameters_must_have_the_model_keys():
    model = ParetoNBD()
    model.params_ = {"r": 0.5, "alpha": 10.0, "a": 0.8, "b": 2.0}
    with pytest.raises(ValueError, match=r"ParetoNBD: params_ lacks \['s', 'beta'\]; it needs "
                                         r"\['r', 'alpha', 's', 'beta'\]"):
        model.probability_alive([1], [2], [10])


def test_prediction_checks_name_the_method():
    model = BetaGeo()
    model.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    with pytest.raises(ValueError, match=r"BetaGeo\.probability_alive: recency must be <= T"):
        model.probability_alive([1], [30], [20])
    with pytest.raises(ValueError, match=r"BetaGeo\.expected_purchases: t must be >= 0"):
        model.expected_purchases(-1, [1], [3], [20])


@pytest.mark.parametrize(("model", "params", "args"), [
    (BetaGeo, {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}, ([0, 2], [0, 30], [38, 38])),
    (ParetoNBD, {"r": 0.553, "alpha": 10.58, "s": 0.606, "beta": 11.67},
     ([0, 2], [0, 30], [38, 38])),
    (BetaGeoBetaBinom, {"alpha": 1.204, "beta": 0.750, "gamma": 0.657, "delta": 2.783},
     ([6, 0], [6, 0], [6, 6])),
], ids=["BetaGeo", "ParetoNBD", "BetaGeoBetaBinom"])
def test_horizon_t_of_the_wrong_length(model, params, args):
    fitted = model()
    fitted.params_ = params
    name = model.__name__
    with pytest.raises(ValueError, match=rf"{name}\.expected_purchases: t must be one horizon "
                                         r"for every customer or one per customer \(2\); found "
                                         r"3 values"):
        fitted.expected_purchases([1, 2, 3], *args)
    one_each = fitted.expected_purchases([5, 10], *args)
    # one horizon each, or one for all: the same sums, up to the last bit of a vector log
    np.testing.assert_allclose(one_each, [fitted.expected_purchases(5, *args)[0],
                                          fitted.expected_purchases(10, *args)[1]], rtol=1e-13)


def test_gamma_gamma_errors():
    with pytest.raises(ValueError, match=r"GammaGamma\.fit: monetary_value must be > 0; found 1 "
                                         r"values that are not, e\.g\. \[0\.0\]"):
        GammaGamma().fit([1, 2], [10.0, 0.0])
    with pytest.raises(ValueError, match=r"GammaGamma\.fit: monetary_value must be > 0"):
        GammaGamma().fit([1, 2], [10.0, -5.0])
    with pytest.raises(ValueError, match=r"GammaGamma\.fit: frequency must be >= 1 .* found 1 "
                                         r"customers with frequency 0"):
        GammaGamma().fit([0, 2], [10.0, 5.0])
    model = GammaGamma()
    model.params_ = {"p": 2.0, "q": 0.8, "v": 10.0}
    with pytest.raises(ValueError, match=r"GammaGamma\.expected_spend: the fitted q is 0\.8"):
        model.expected_spend([1], [10.0])


def test_clv_method_errors():
    spend = GammaGamma()
    spend.params_ = {"p": 6.25, "q": 3.74, "v": 15.44}
    bg = BetaGeo()
    bg.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    args = ([1], [5.0], [20.0], [30.0])
    units = {"time_unit": "week", "discount_rate": 0.01}
    with pytest.raises(TypeError, match=r"GammaGamma\.clv: transaction_model must be a fitted "
                                        r"BetaGeo or ParetoNBD; found GammaGamma"):
        spend.clv(spend, *args, **units)
    with pytest.raises(ValueError, match=r"GammaGamma\.clv: time_unit must be one of \['day', "
                                         r"'week', 'month'\]; found 'year'"):
        spend.clv(bg, *args, time_unit="year", discount_rate=0.01)
    with pytest.raises(ValueError, match=r"GammaGamma\.clv: discount_rate must be >= 0"):
        spend.clv(bg, *args, time_unit="week", discount_rate=-0.1)
    with pytest.raises(ValueError, match=r"GammaGamma\.clv: months must be >= 1"):
        spend.clv(bg, *args, **units, months=0)
    with pytest.raises(ValueError, match=r"GammaGamma\.clv: the arrays must have the same length"):
        spend.clv(bg, [1], [5.0], [20.0], [30.0, 20.0], **units)


def test_bgbb_errors():
    with pytest.raises(ValueError, match=r"BetaGeoBetaBinom\.fit: recency must be <= n_periods"):
        BetaGeoBetaBinom().fit([1], [7], [6])
    with pytest.raises(ValueError, match=r"BetaGeoBetaBinom\.fit: frequency must be <= recency"):
        BetaGeoBetaBinom().fit([4], [3], [6])
    with pytest.raises(ValueError, match=r"BetaGeoBetaBinom\.fit: recency must be 0 where "
                                         r"frequency is 0"):
        BetaGeoBetaBinom().fit([0], [3], [6])
    with pytest.raises(ValueError, match=r"BetaGeoBetaBinom\.fit: n_periods must be >= 1"):
        BetaGeoBetaBinom().fit([0], [0], [0])
    model = BetaGeoBetaBinom()
    model.params_ = {"alpha": 1.2, "beta": 0.75, "gamma": 0.66, "delta": 2.8}
    with pytest.raises(ValueError, match=r"BetaGeoBetaBinom\.expected_purchases: t must hold "
                                         r"whole numbers"):
        model.expected_purchases(2.5, [1], [1], [6])


def test_sbg_errors():
    with pytest.raises(ValueError, match=r"ShiftedBetaGeometric\.fit: alive must not increase .* "
                                         r"rises from 631 to 700 at period 2"):
        ShiftedBetaGeometric().fit([1000, 631, 700])
    with pytest.raises(ValueError, match=r"ShiftedBetaGeometric\.fit: alive\[0\] is the cohort "
                                         r"size and must be > 0"):
        ShiftedBetaGeometric().fit([0, 0])
    with pytest.raises(ValueError, match=r"ShiftedBetaGeometric\.fit: alive needs the cohort "
                                         r"size and at least one later count"):
        ShiftedBetaGeometric().fit([1000])
    with pytest.raises(ValueError, match=r"ShiftedBetaGeometric\.fit: alive must be >= 0"):
        ShiftedBetaGeometric().fit([1000, -3])
    model = ShiftedBetaGeometric()
    model.params_ = {"alpha": 0.7, "beta": 1.2}
    with pytest.raises(ValueError, match=r"ShiftedBetaGeometric\.retention: t must be >= 1"):
        model.retention([0, 1])
    with pytest.raises(ValueError, match=r"ShiftedBetaGeometric\.churn_probability: t must be "
                                         r">= 1"):
        model.churn_probability([0])
    with pytest.raises(ValueError, match=r"ShiftedBetaGeometric\.derl: discount must be > 0"):
        model.derl(0.0)
    with pytest.raises(ValueError, match=r"ShiftedBetaGeometric\.derl: discount must be one "
                                         r"number"):
        model.derl([0.1, 0.2])
    with pytest.raises(ValueError, match=r"ShiftedBetaGeometric\.survival: t must hold whole"):
        model.survival([1.5])
    with pytest.raises(ValueError, match=r"ShiftedBetaGeometric\.retention_curve: n_periods must "
                                         r"be >= 1"):
        model.retention_curve(0)
    with pytest.raises(ValueError, match=r"ShiftedBetaGeometric\.survival_curve: n_periods must "
                                         r"be >= 0"):
        model.survival_curve(-1)


def test_formula_errors():
    with pytest.raises(ValueError, match=r"clv_formula: convention must be one of \['immediate', "
                                         r"'gupta_lehmann', 'end_of_period'\]; found 'simple'"):
        clv_formula(100, 0.8, 0.1, convention="simple")
    with pytest.raises(ValueError, match=r"clv_formula: retention must be a rate between 0 and "
                                         r"1; found \[1\.2\]"):
        clv_formula(100, 1.2, 0.1)
    with pytest.raises(ValueError, match=r"clv_formula: retention must be >= 0"):
        clv_formula(100, -0.1, 0.1)
    with pytest.raises(ValueError, match=r"clv_formula: discount must be >= 0"):
        clv_formula(100, 0.8, -0.1)
    with pytest.raises(ValueError, match=r"clv_formula: retention 1 with discount 0 never ends"):
        clv_formula(100, 1.0, 0.0)
    with pytest.raises(ValueError, match=r"clv_formula: margin, retention and discount must have "
                                         r"matching lengths; found 2, 3 and 1"):
        clv_formula([1, 2], [0.5, 0.6, 0.7], 0.1)
    with pytest.raises(ValueError, match=r"cohort_clv: survival must not increase; it rises from "
                                         r"5\.0 to 6\.0 at period 2"):
        cohort_clv([10, 5, 6], 1.0, 0.1)
    with pytest.raises(ValueError, match=r"cohort_clv: survival must start with a positive"):
        cohort_clv([0, 0], 1.0, 0.1)
    with pytest.raises(ValueError, match=r"cohort_clv: margin must be one value or one per "
                                         r"period \(3\); found 2"):
        cohort_clv([10, 5, 2], [1.0, 2.0], 0.1)
    with pytest.raises(ValueError, match=r"cohort_clv: timing must be one of"):
        cohort_clv([10, 5], 1.0, 0.1, timing="middle")
    with pytest.raises(ValueError, match=r"cohort_clv: discount must be one number"):
        cohort_clv([10, 5], 1.0, [0.1, 0.2])
    with pytest.raises(ValueError, match=r"customer_equity: n_customers goes with a single clv"):
        customer_equity([1.0, 2.0], n_customers=3)
    with pytest.raises(ValueError, match=r"customer_equity: periods must hold whole numbers"):
        customer_equity(1.0, periods=1.5)
    with pytest.raises(ValueError, match=r"customer_equity: acquisition_cost must be >= 0"):
        customer_equity(1.0, acquisition_cost=-1)


def test_kaplan_meier_errors():
    with pytest.raises(ValueError, match=r"kaplan_meier: durations must be >= 0"):
        kaplan_meier([1, -1])
    with pytest.raises(ValueError, match=r"kaplan_meier: observed must have one value per "
                                         r"duration \(2\); found 3"):
        kaplan_meier([1, 2], [1, 0, 1])
    with pytest.raises(ValueError, match=r"kaplan_meier: observed must hold True/False"):
        kaplan_meier([1, 2], [1, 2])
    with pytest.raises(ValueError, match=r"kaplan_meier: alpha must be between 0 and 1"):
        kaplan_meier([1, 2], alpha=1.5)


def test_inputs_are_not_mutated():
    frame = pd.read_csv(importlib.resources.files("lifetimes.datasets")
                        / "cdnow_customers_summary.csv").head(500)
    before = frame.copy()
    BetaGeo().fit(frame["frequency"], frame["recency"], frame["T"])
    pd.testing.assert_frame_equal(frame, before)
