"""The fits recover known parameters from data simulated exactly from each model.

Independent of the case generators: each test draws customers from the model's own
story with a fixed seed. An estimate passes when it lies within 4 standard errors
(from ``summary``) of the truth; with 8 to 12 such checks, a correct fit fails by
chance with probability well below 1e-3.
"""

import numpy as np
import pytest
from scipy.stats import mannwhitneyu

from casekit import BetaGeo, BetaGeoBetaBinom, ParetoNBD, ShiftedBetaGeometric

N = 20_000


def auc(score, label):
    """Area under the ROC curve: P(score of a positive > score of a negative)."""
    label = np.asarray(label, dtype=bool)
    u = mannwhitneyu(score[label], score[~label]).statistic
    return u / (label.sum() * (~label).sum())


def within_4_se(model, truth):
    table = model.summary
    for name, value in truth.items():
        estimate, se = table.loc[name, "estimate"], table.loc[name, "std_error"]
        assert abs(estimate - value) < 4 * se, f"{name}: {estimate:.4g} vs {value} (se {se:.3g})"


def simulate_bgnbd(rng, r, alpha, a, b, n=N):
    lam = rng.gamma(r, 1 / alpha, n)
    p = rng.beta(a, b, n)
    big_t = rng.uniform(20, 60, n)
    events = rng.poisson(lam * big_t)
    until_dropout = rng.geometric(p)  # the repeat purchase after which the customer leaves
    x = np.minimum(events, until_dropout)
    # The x-th of `events` uniform times on (0, T) is T * Beta(x, events - x + 1).
    t_x = np.where(x > 0, big_t * rng.beta(np.maximum(x, 1), events - x + 1), 0.0)
    return x, t_x, big_t, until_dropout > events


def test_bgnbd_recovers_simulated_parameters():
    truth = {"r": 0.6, "alpha": 5.0, "a": 0.8, "b": 2.5}
    x, t_x, big_t, alive = simulate_bgnbd(np.random.default_rng(11), **truth)
    model = BetaGeo().fit(x, t_x, big_t)
    within_4_se(model, truth)
    assert auc(model.probability_alive(x, t_x, big_t), alive) >= 0.8


def test_pareto_nbd_recovers_simulated_parameters():
    rng = np.random.default_rng(12)
    truth = {"r": 0.7, "alpha": 6.0, "s": 0.8, "beta": 10.0}
    n = N // 2  # the Pareto/NBD likelihood is the slow one (two 2F1 per history)
    lam = rng.gamma(truth["r"], 1 / truth["alpha"], n)
    mu = rng.gamma(truth["s"], 1 / truth["beta"], n)
    big_t = rng.uniform(20, 60, n)
    lifetime = rng.exponential(1 / mu)
    active = np.minimum(lifetime, big_t)
    x = rng.poisson(lam * active)
    t_x = np.where(x > 0, active * rng.beta(np.maximum(x, 1), 1), 0.0)
    model = ParetoNBD().fit(x, t_x, big_t)
    within_4_se(model, truth)
    alive = lifetime > big_t
    p_alive = model.probability_alive(x, t_x, big_t)
    assert auc(p_alive, alive) >= 0.8
    # Customers can leave before a repeat purchase: among those with none, many are gone,
    # and P(alive), which falls with their age T, ranks them well above chance.
    one = x == 0
    assert alive[one].mean() < 0.75
    assert auc(p_alive[one], alive[one]) >= 0.6


def test_bgbb_recovers_simulated_parameters():
    rng = np.random.default_rng(13)
    truth = {"alpha": 1.2, "beta": 0.8, "gamma": 0.7, "delta": 2.5}
    n_periods = 8
    p = rng.beta(truth["alpha"], truth["beta"], N)
    theta = rng.beta(truth["gamma"], truth["delta"], N)
    periods = np.arange(1, n_periods + 1)
    # A customer may die at the start of every opportunity, the first one included (FHS 2010).
    alive = rng.random((N, n_periods)) >= theta[:, None]
    alive = np.cumprod(alive, axis=1).astype(bool)
    buys = alive & (rng.random((N, n_periods)) < p[:, None])
    x = buys.sum(axis=1)
    t_x = np.where(x > 0, (buys * periods).max(axis=1), 0)
    model = BetaGeoBetaBinom().fit(x, t_x, np.full(N, n_periods))
    within_4_se(model, truth)


@pytest.mark.parametrize("truth", [{"alpha": 0.7, "beta": 1.2}, {"alpha": 2.0, "beta": 6.0}])
def test_sbg_recovers_simulated_parameters(truth):
    rng = np.random.default_rng(14)
    theta = rng.beta(truth["alpha"], truth["beta"], N)
    lifetime = rng.geometric(theta)  # number of periods paid for
    alive = [(lifetime > t).sum() for t in range(8)]
    model = ShiftedBetaGeometric().fit(alive)
    within_4_se(model, truth)
