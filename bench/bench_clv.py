"""Fit and prediction times of casekit's CLV models against lifetimes 0.11 (and others).

Run: .venv/bin/python bench/bench_clv.py                     (published data)
     .venv/bin/python bench/bench_clv.py --customers 1e6     (synthetic, at scale)

On the published data (CDNOW, donations) each model is fitted by both libraries in this
one run (best of several repeats) and Kaplan-Meier is compared with lifelines. With
``--customers N`` the histories of N customers are drawn from a BG/NBD with CDNOW's
parameters, once with continuous times (nearly every history distinct) and once on a
daily grid (many customers share a history), with Gamma-Gamma order values for the repeat
buyers; casekit, lifetimes and, when the running interpreter can import it,
pymc-marketing (MAP) fit and predict on the same arrays. Every comparison first checks
that the estimates or predictions agree, then prints the best and median of the repeats
and the ratio other time / casekit time (above 1 means casekit is faster).
"""

import argparse
import importlib.resources
import os
import time
import warnings

import numpy as np
import pandas as pd
from lifetimes import BetaGeoBetaBinomFitter, BetaGeoFitter, GammaGammaFitter, ParetoNBDFitter

from casekit import BetaGeo, BetaGeoBetaBinom, GammaGamma, ParetoNBD, kaplan_meier

warnings.filterwarnings("ignore")
REPEATS = 5
#: CDNOW's published estimates (Fader, Hardie & Lee 2005), the population the histories
#: are drawn from, and Gamma-Gamma's (Fader & Hardie 2013) for the order values.
BGNBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
GAMMA_GAMMA = {"p": 6.25, "q": 3.74, "v": 15.44}
#: Pareto/NBD fits are timed on at most this many customers: at a million, lifetimes' fit
#: (a hypergeometric function per customer at every Nelder-Mead step) runs for hours.
PARETO_CUSTOMERS = 100_000


def load(name):
    return pd.read_csv(importlib.resources.files("lifetimes.datasets") / name)


def best_time(fit, repeats=REPEATS):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        model = fit()
        times.append(time.perf_counter() - start)
    return min(times), model


def timed(run, repeats):
    """Best and median seconds of ``repeats`` calls, and the last result."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), float(np.median(times)), result


def published():
    from lifelines import KaplanMeierFitter

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


def draw_histories(n, seed, daily):
    """BG/NBD histories over 27 to 39 weeks of observation (CDNOW's cohort), in weeks."""
    rng = np.random.default_rng(seed)
    rate = rng.gamma(BGNBD["r"], 1 / BGNBD["alpha"], n)
    dropout = rng.beta(BGNBD["a"], BGNBD["b"], n)
    big_t = rng.uniform(27.0, 39.0, n)
    if daily:
        big_t = np.round(big_t * 7) / 7
    x, t_x, clock = np.zeros(n), np.zeros(n), np.zeros(n)
    active = np.arange(n)
    while active.size:
        clock[active] += rng.exponential(1 / rate[active])
        active = active[clock[active] < big_t[active]]
        x[active] += 1
        t_x[active] = clock[active]
        active = active[rng.random(active.size) >= dropout[active]]
    if daily:
        t_x = np.minimum(np.round(t_x * 7) / 7, big_t)
        x = np.where(t_x == 0, 0.0, x)
    # Average order value of the repeat buyers (Gamma-Gamma).
    nu = rng.gamma(GAMMA_GAMMA["q"], 1 / GAMMA_GAMMA["v"], n)
    safe_x = np.maximum(x, 1)
    spend = rng.gamma(GAMMA_GAMMA["p"] * safe_x, 1 / (nu * safe_x))
    return x, t_x, big_t, spend


def _pymc_marketing():
    try:
        import pymc_marketing
        from pymc_marketing.clv import BetaGeoModel, GammaGammaModel, ParetoNBDModel
    except ImportError:
        return None
    return pymc_marketing.__version__, BetaGeoModel, ParetoNBDModel, GammaGammaModel


def _pm_fit(model_class, frame, names):
    """pymc-marketing's MAP fit (its default priors), as a dict of estimates."""
    model = model_class(data=frame)
    model.fit(method="map", progressbar=False)
    posterior = model.idata.posterior
    return {k: float(posterior[k].values.ravel()[0]) for k in names}


def _same_params(ours, other, tol, label):
    """The largest relative difference of the estimates, which must be below ``tol``, or,
    on a flat likelihood (Pareto/NBD), the other tool's estimates must not reach a higher
    log-likelihood than casekit's."""
    theirs = {k: float(v) for k, v in (dict(other.params_) if hasattr(other, "params_")
                                       else other).items()}
    diff = max(abs(ours.params_[k] / v - 1) for k, v in theirs.items())
    if diff >= tol:
        at_theirs = np.array([theirs[k] for k in ours._param_names])
        ll_theirs = float(ours._weights @ ours._loglik(at_theirs, *ours._data))
        assert ll_theirs <= ours.log_likelihood_ + 1e-9 * abs(ours.log_likelihood_), (
            f"{label}: the estimates differ by {diff:.1e} and the other's log-likelihood "
            f"{ll_theirs:.6f} is above casekit's {ours.log_likelihood_:.6f}")
        print(f"  ({label}: estimates differ by {diff:.1e}; log-likelihood casekit "
              f"{ours.log_likelihood_:.3f}, other {ll_theirs:.3f})")
    return diff


def _same_values(ours, other, tol, label):
    other = np.asarray(other, dtype=float).ravel()
    diff = float(np.max(np.abs(ours - other) / np.maximum(np.abs(other), 1e-12)))
    assert diff < tol, f"{label}: the predictions differ by {diff:.1e}"
    return diff


#: Repeats of pymc-marketing's MAP fits (each compiles and runs for a minute or more).
PM_FIT_REPEATS = 1


def _compare(label, ours, peers, check, repeats):
    """Time casekit and each peer (``None`` when absent); check before printing ratios."""
    best, median, result = timed(ours, repeats)
    cells = []
    for name, run, tol in peers:
        if run is None:
            cells.append(f"{name} absent")
            continue
        fit = name == "pymc-marketing" and check is _same_params
        p_best, p_median, other = timed(run, PM_FIT_REPEATS if fit else repeats)
        diff = check(result, other, tol, f"{label} / {name}")
        cells.append(f"{name} {p_best:8.3f} {p_median:8.3f} s {p_best / best:5.1f}x "
                     f"(diff {diff:.0e})")
    print(f"{label:48s} {best:8.3f} {median:8.3f} s  " + "  ".join(cells), flush=True)


def _fits(pm, x, t_x, big_t, spend, repeats, *, only_bgnbd):
    n = x.size
    distinct = len(np.unique(np.column_stack([x, t_x, big_t]), axis=0))
    frame = pd.DataFrame({"customer_id": np.arange(n), "frequency": x, "recency": t_x,
                          "T": big_t})
    names = ("r", "alpha", "a", "b")
    _compare(f"BG/NBD fit, {distinct:,} distinct histories",
             lambda: BetaGeo().fit(x, t_x, big_t),
             [("lifetimes", lambda: BetaGeoFitter().fit(x, t_x, big_t), 2e-3),
              ("pymc-marketing", pm and (lambda: _pm_fit(pm[1], frame, names)), 1e-2)],
             _same_params, repeats)
    if only_bgnbd:
        return
    m = min(n, PARETO_CUSTOMERS)
    px, pt_x, pbig_t = x[:m], t_x[:m], big_t[:m]
    names = ("r", "alpha", "s", "beta")
    _compare(f"Pareto/NBD fit, first {m:,} customers",
             lambda: ParetoNBD().fit(px, pt_x, pbig_t),
             [("lifetimes", lambda: ParetoNBDFitter().fit(px, pt_x, pbig_t), 2e-3),
              ("pymc-marketing", pm and (lambda: _pm_fit(pm[2], frame.iloc[:m], names)), 1e-2)],
             _same_params, repeats)
    buyers = x > 0
    gx, gm = x[buyers], spend[buyers]
    gg_frame = pd.DataFrame({"customer_id": np.arange(gx.size), "frequency": gx,
                             "monetary_value": gm})
    _compare(f"Gamma-Gamma fit, {gx.size:,} repeat buyers", lambda: GammaGamma().fit(gx, gm),
             [("lifetimes", lambda: GammaGammaFitter().fit(gx, gm), 2e-3),
              ("pymc-marketing", pm and (lambda: _pm_fit(pm[3], gg_frame, ("p", "q", "v"))),
               1e-2)],
             _same_params, repeats)


def _predictions(pm, x, t_x, big_t, repeats):
    """P(alive) and expected purchases with the same (published) parameters everywhere."""
    n = x.size
    model = BetaGeo()
    model.params_ = dict(BGNBD)
    reference = BetaGeoFitter()
    reference.params_ = pd.Series(BGNBD)
    pm_alive = pm_purchases = None
    if pm:
        frame = pd.DataFrame({"customer_id": np.arange(n), "frequency": x, "recency": t_x,
                              "T": big_t})
        bg_pm = pm[1](data=frame)
        bg_pm.build_model()
        bg_pm.idata = _map_idata(BGNBD)

        def pm_alive():
            return bg_pm.expected_probability_alive(data=frame).values

        def pm_purchases():
            return bg_pm.expected_purchases(data=frame, future_t=39).values

    _compare(f"P(alive), {n:,} customers", lambda: model.probability_alive(x, t_x, big_t),
             [("lifetimes", lambda: reference.conditional_probability_alive(x, t_x, big_t), 1e-9),
              ("pymc-marketing", pm_alive, 1e-6)], _same_values, repeats)
    lifetimes_purchases = reference.conditional_expected_number_of_purchases_up_to_time
    _compare(f"expected purchases in 39 weeks, {n:,} customers",
             lambda: model.expected_purchases(39, x, t_x, big_t),
             [("lifetimes", lambda: lifetimes_purchases(39, x, t_x, big_t), 1e-9),
              ("pymc-marketing", pm_purchases, 1e-6)], _same_values, repeats)


def scale(n, repeats):
    pm = _pymc_marketing()
    print(f"{n:,} customers; load average {os.getloadavg()[0]:.1f}; repeats {repeats}; "
          f"pymc-marketing {pm[0] if pm else 'absent (not importable here)'}")
    print(f"{'task':48s} {'casekit best, median':>19s}    peers: best, median, ratio (max "
          "relative difference)")
    x, t_x, big_t, spend = draw_histories(n, seed=1, daily=False)
    _fits(pm, x, t_x, big_t, spend, repeats, only_bgnbd=False)
    _predictions(pm, x, t_x, big_t, repeats)
    x, t_x, big_t, spend = draw_histories(n, seed=2, daily=True)
    _fits(pm, x, t_x, big_t, spend, repeats, only_bgnbd=True)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


def _map_idata(params):
    """An InferenceData holding one draw at ``params``, as pymc-marketing's MAP fit leaves."""
    import arviz as az
    import xarray as xr

    posterior = xr.Dataset({k: (("chain", "draw"), np.array([[v]])) for k, v in params.items()})
    return az.InferenceData(posterior=posterior)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=float, default=None,
                        help="synthetic histories of this many customers (e.g. 1e6)")
    parser.add_argument("--repeats", type=int, default=3,
                        help="repeats of each timing at scale (best and median shown)")
    args = parser.parse_args()
    if args.customers is None:
        published()
    else:
        scale(int(args.customers), args.repeats)


if __name__ == "__main__":
    main()
