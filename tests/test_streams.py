"""Random numbers keyed by customer: the same in any block, and from the right distributions."""

import numpy as np
import pytest
from scipy import stats

from casekit._streams import Draws, case_key, counters

N = 200_000


def _methods(d: Draws, who=None):
    return {
        "random": d.random("r", who),
        "uniform": d.uniform("u", 2.0, 5.0, who),
        "integers": d.integers("i", 3, 9, who),
        "normal": d.normal("n", who, 1.0, 2.0),
        "exponential": d.exponential("e", who, 3.0),
        "choice": d.choice("c", [0.2, 0.5, 0.3], who),
        "geometric": d.geometric("g", 0.3, who),
        "poisson": d.poisson("p", 4.0, who),
        "gamma": d.gamma("gm", 0.7, 2.0, who),
        "beta": d.beta("b", 2.0, 5.0, who),
    }


@pytest.mark.parametrize("cut", [1, 37, 500])
def test_a_customer_gets_the_same_numbers_in_any_block(cut):
    n = 1000
    whole = _methods(Draws(11, 0, n))
    parts = [_methods(Draws(11, lo, min(lo + cut, n))) for lo in range(0, n, cut)]
    for name, values in whole.items():
        np.testing.assert_array_equal(np.concatenate([p[name] for p in parts]), values,
                                      err_msg=name)


def test_events_are_keyed_by_customer_and_their_number():
    who = np.array([0, 0, 0, 2, 2, 5])
    whole = Draws(3, 0, 6).gamma("t", 2.5, 1.0, who)
    # the block 2..5 sees customers 2 and 5 as 0 and 3
    part = Draws(3, 2, 6).gamma("t", 2.5, 1.0, np.array([0, 0, 3]))
    np.testing.assert_array_equal(part, whole[3:])
    assert len(set(whole[:3])) == 3  # a customer's events differ from one another


def test_tags_keys_and_customers_give_different_numbers():
    d = Draws(5, 0, N)
    a, b = d.random("a"), d.random("b")
    assert abs(np.corrcoef(a, b)[0, 1]) < 0.01
    assert abs(np.corrcoef(a[:-1], a[1:])[0, 1]) < 0.01
    assert not np.array_equal(a, Draws(6, 0, N).random("a"))
    assert a.min() > 0 and a.max() < 1


def test_counters_number_each_customers_values_in_array_order():
    np.testing.assert_array_equal(counters(np.array([3, 1, 3, 3, 1])), [0, 0, 1, 2, 1])
    assert counters(np.array([], dtype=np.int64)).shape == (0,)


@pytest.mark.parametrize(("name", "dist"), [
    ("random", stats.uniform()),
    ("uniform", stats.uniform(2.0, 3.0)),
    ("normal", stats.norm(1.0, 2.0)),
    ("exponential", stats.expon(scale=3.0)),
    ("gamma", stats.gamma(0.7, scale=2.0)),
    ("beta", stats.beta(2.0, 5.0)),
])
def test_continuous_draws_follow_their_distribution(name, dist):
    values = _methods(Draws(case_key(np.random.default_rng(1)), 0, N))[name]
    assert stats.kstest(values, dist.cdf).pvalue > 1e-3


@pytest.mark.parametrize(("name", "dist"), [
    ("integers", stats.randint(3, 9)),
    ("choice", stats.rv_discrete(values=([0, 1, 2], [0.2, 0.5, 0.3]))),
    ("geometric", stats.geom(0.3)),
    ("poisson", stats.poisson(4.0)),
])
def test_discrete_draws_follow_their_distribution(name, dist):
    values = _methods(Draws(case_key(np.random.default_rng(2)), 0, N))[name]
    support = np.arange(values.min(), values.max() + 1)
    observed = np.bincount(values - support[0])
    expected = dist.pmf(support) * N
    keep = expected > 5
    chi2 = ((observed[keep] - expected[keep]) ** 2 / expected[keep]).sum()
    assert stats.chi2.sf(chi2, keep.sum() - 1) > 1e-3


def test_large_poisson_means_and_large_gamma_shapes():
    d = Draws(9, 0, N)
    lam = np.repeat([0.0, 0.5, 45.0, 400.0], N // 4)
    counts = d.poisson("p", lam)
    for mean in np.unique(lam):
        part = counts[lam == mean]
        assert abs(part.mean() - mean) < 4 * np.sqrt(max(mean, 1e-9) / len(part)) + 1e-12
        assert abs(part.var() - mean) < 0.05 * mean + 1e-12
    shape = np.repeat([0.05, 1.0, 30.0], N // 4 * 4 // 3 + 1)[:N]
    g = d.gamma("g", shape)
    for a in np.unique(shape):
        assert stats.kstest(g[shape == a], stats.gamma(a).cdf).pvalue > 1e-3


def test_poisson_refuses_a_bad_mean():
    with pytest.raises(ValueError, match="Draws.poisson: lam must be finite and >= 0"):
        Draws(1, 0, 3).poisson("p", np.array([1.0, -1.0, 2.0]))
