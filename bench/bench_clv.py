"""Fit times of casekit's CLV models against lifetimes 0.11 (and Kaplan-Meier against lifelines).

Run: .venv/bin/python bench/bench_clv.py

Each model is fitted on the same data by both libraries in this one run (best of
several repeats); the script checks that the estimates agree and prints
lifetimes' time divided by casekit's (above 1 means casekit is faster).
"""

import importlib.resources
import time
import warnings

import numpy as np
import pandas as pd
from lifelines import KaplanMeierFitter
from lifetimes import BetaGeoBetaBinomFitter, BetaGeoFitter, GammaGammaFitter, ParetoNBDFitter

from casekit import BetaGeo, BetaGeoBetaBinom, GammaGamma, ParetoNBD, kaplan_meier

warnings.filterwarnings("ignore")
REPEATS = 5


def load(name):
    return pd.read_csv(importlib.resources.files("lifetimes.datasets") / name)


def best_time(fit):
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        model = fit()
        times.append(time.perf_counter() - start)
    return min(times), model


def main():
    cdnow = load("cdnow_customers_summary_with_transactions.csv")
    repeat = cdnow[cdnow["x"] > 0]
    donations = load("donations.csv")
    rft = (cdnow["x"], cdnow["t_x"], cdnow["T"])
    bgbb = (donations["frequency"], donations["recency"], donations["periods"])
    cases = [
        ("BG/NBD, CDNOW (2,357)", lambda: BetaGeo().fit(*rft),
         lambda: BetaGeoFitter().fit(*rft)),
        ("Pareto/NBD, CDNOW (2,357)", lambda: ParetoNBD().fit(*rft),
         lambda: ParetoNBDFitter().fit(*rft)),
        ("Gamma-Gamma, CDNOW repeat buyers (946)",
         lambda: GammaGamma().fit(repeat["x"], repeat["zbar"]),
         lambda: GammaGammaFitter().fit(repeat["x"], repeat["zbar"])),
        ("BG/BB, donations (11,104 in 22 rows)",
         lambda: BetaGeoBetaBinom().fit(*bgbb, weights=donations["weights"]),
         lambda: BetaGeoBetaBinomFitter().fit(*bgbb, weights=donations["weights"])),
    ]
    print(f"{'model':42s} {'casekit s':>10s} {'lifetimes s':>12s} {'ratio':>7s}  max rel. "
          "param diff")
    for label, ours, theirs in cases:
        t_ours, model = best_time(ours)
        t_theirs, reference = best_time(theirs)
        diff = max(abs(model.params_[k] / v - 1) for k, v in reference.params_.items())
        print(f"{label:42s} {t_ours:10.4f} {t_theirs:12.4f} {t_theirs / t_ours:6.1f}x  "
              f"{diff:.1e}")
        assert diff < 2e-3, f"{label}: the estimates differ by {diff:.1e}"

    # Predictions for every CDNOW customer, same parameters.
    reference = BetaGeoFitter().fit(*rft)
    model = BetaGeo()
    model.params_ = dict(reference.params_)
    x, t_x, big_t = (np.asarray(a, dtype=float) for a in rft)
    for label, ours, theirs in [
        ("P(alive), 2,357 customers", lambda: model.probability_alive(x, t_x, big_t),
         lambda: reference.conditional_probability_alive(x, t_x, big_t)),
        ("expected purchases in 39 weeks", lambda: model.expected_purchases(39, x, t_x, big_t),
         lambda: reference.conditional_expected_number_of_purchases_up_to_time(39, x, t_x,
                                                                               big_t)),
    ]:
        t_ours, a = best_time(ours)
        t_theirs, b = best_time(theirs)
        assert np.allclose(a, b)
        print(f"{label:42s} {t_ours:10.4f} {t_theirs:12.4f} {t_theirs / t_ours:6.1f}x")

    # Kaplan-Meier against lifelines on 50,000 contracts (durations in days, half censored).
    rng = np.random.default_rng(0)
    durations = rng.integers(0, 3000, 50_000)
    observed = rng.random(50_000) < 0.5
    t_ours, ours = best_time(lambda: kaplan_meier(durations, observed))
    t_theirs, theirs = best_time(lambda: KaplanMeierFitter().fit(durations, observed))
    assert np.allclose(ours["survival"], theirs.survival_function_["KM_estimate"])
    print(f"{'Kaplan-Meier vs lifelines, 50,000 contracts':42s} {t_ours:10.4f} {t_theirs:12.4f} "
          f"{t_theirs / t_ours:6.1f}x")


if __name__ == "__main__":
    main()
