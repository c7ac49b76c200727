"""Per-customer predictions at scale: the fast paths give the published and the exact values."""

import warnings

import mpmath as mp
import numpy as np
import pytest
from mp_references import mp_bgnbd_alive

from casekit._btyd import _bgnbd_alive_by_frequency
from casekit._hypergeometric import bgnbd_expected_alive

RTOL = 1e-11


PARAMS = [(0.243, 0.793, 2.426), (0.5, 3.0, 40.0), (1.0, 2.0, 3.0), (0.25, 1.0, 2.0),
          (2.0, 1.0, 0.5), (42.0, 0.5, 2.0)]


@pytest.mark.parametrize(("r", "a", "b"), PARAMS)
def test_bgnbd_by_frequency_matches_the_integral(r, a, b):
    rng = np.random.default_rng(int(r * 1000 + a * 10 + b))
    x = np.concatenate([[0, 0, 1, 100], rng.integers(0, 30, 3)]).astype(float)
    u = np.concatenate([[1e-6, 0.1, 30.0, 1e4], rng.uniform(0.01, 20, 3)])
    mp.mp.dps = 30
    got = _bgnbd_alive_by_frequency(r, a, b, x, u)
    for g, xi, ui in zip(got, x, u, strict=True):
        want = mp_bgnbd_alive(r, a, b, xi, ui)
        assert abs(g / float(want) - 1) < RTOL, (xi, ui)


def test_bgnbd_by_frequency_agrees_with_the_general_sum_on_many_customers():
    rng = np.random.default_rng(11)
    n = 4_000
    x = rng.poisson(rng.gamma(0.25, 8, n)).astype(float)
    u = 39 / (4.4 + rng.uniform(0, 39, n))
    for r, a, b in PARAMS:
        got = _bgnbd_alive_by_frequency(r, a, b, x, u)
        want = bgnbd_expected_alive(r, a, b, x, u)
        np.testing.assert_allclose(got, want, rtol=1e-13, atol=0)
    with warnings.catch_warnings():  # a horizon of 0 is no reason for a warning
        warnings.simplefilter("error")
        zero = _bgnbd_alive_by_frequency(0.2, 0.8, 2.4, x, np.zeros(n))
    assert np.array_equal(zero, np.zeros(n))


def test_bgnbd_alive_on_both_cores_equals_the_formula_and_any_split():
    """From a quarter of a million customers on, two halves are worked out side by side: the same
    values as the closed form, and bit for bit those of each half on its own."""
    from casekit import BetaGeo

    rng = np.random.default_rng(5)
    n = 600_001  # above the size that is split, with halves of unequal length
    x = rng.poisson(2, n).astype(float)
    big_t = rng.uniform(1, 78, n)
    t_x = np.where(x > 0, rng.uniform(0, 1, n) * big_t, 0.0)
    x[:3], t_x[:3], big_t[:3] = [0, 5e5, 3], [0, 1, 2], [10, 700, 2]  # 0, ~0 and alive
    model = BetaGeo()
    model.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    r, alpha, a, b = 0.243, 4.414, 0.793, 2.426
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the overflow to alive 0 is silent in every thread
        got = model.probability_alive(x, t_x, big_t)
        parts = np.concatenate([model.probability_alive(x[s], t_x[s], big_t[s])
                                for s in (slice(0, 1000), slice(1000, n))])
    with np.errstate(divide="ignore", over="ignore"):
        log_odds = (np.log(a) - np.log(np.maximum(b + x - 1, 0))
                    + (r + x) * np.log((alpha + big_t) / (alpha + t_x)))
        want = np.where(x == 0, 1.0, 1 / (1 + np.exp(log_odds)))
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=0)
    assert np.array_equal(got, parts)
    assert got[0] == 1.0 and got[1] == 0.0
