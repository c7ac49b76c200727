"""Distinct histories with weights: the fast sort gives exactly what np.unique(axis=0) gave."""

import numpy as np
import pytest

from casekit import BetaGeo, GammaGamma
from casekit._btyd import _compress


def _by_unique(*columns, weights):
    stacked = np.column_stack(columns)
    unique, inverse = np.unique(stacked, axis=0, return_inverse=True)
    return tuple(unique.T), np.bincount(inverse.ravel(), weights=weights)


def _assert_identical(columns, weights):
    want_rows, want_weights = _by_unique(*columns, weights=weights)
    got_rows, got_weights = _compress(*columns, weights=weights)
    assert len(got_rows) == len(want_rows)
    for got, want in zip(got_rows, want_rows, strict=True):
        assert got.tobytes() == want.tobytes()
    assert got_weights.tobytes() == want_weights.tobytes()


def _column(kind, rng, n):
    if kind == "small integers":
        return rng.integers(0, 5, n).astype(float)
    if kind == "neighbouring floats":  # distinct values that share every bin of the key
        base = rng.choice([0.0, 1.0, 3.5, 1e15], n)
        return np.where(rng.random(n) < 0.5, base, np.nextafter(base, np.inf))
    if kind == "continuous":
        return rng.random(n) * 40
    if kind == "daily grid":
        return np.round(rng.random(n) * 40 * 7) / 7
    if kind == "wide range":
        return rng.choice([0.0, 5e-324, 1e-300, 1e-10, 2.0, 1e15], n)
    return rng.choice([0.0, 2.0**52, 2.0**52 + 1, 7.0], n)  # "huge integers"


KINDS = ["small integers", "neighbouring floats", "continuous", "daily grid", "wide range",
         "huge integers"]


@pytest.mark.parametrize("kinds", [(a, b, c) for a in KINDS for b in KINDS for c in KINDS[:4]])
def test_compress_matches_np_unique_rows_order_and_weights(kinds):
    rng = np.random.default_rng(len(kinds[0]) * 7 + len(kinds[1]) * 3 + len(kinds[2]))
    for n in (1, 2, 17, 2000):
        columns = [_column(kind, rng, n) for kind in kinds]
        _assert_identical(columns, np.ones(n))
        _assert_identical(columns, rng.random(n))


def test_compress_matches_np_unique_on_bgnbd_histories():
    rng = np.random.default_rng(5)
    n = 50_000
    x = rng.poisson(rng.gamma(0.25, 8, n)).astype(float)
    big_t = rng.uniform(27, 39, n)
    t_x = np.where(x > 0, big_t * rng.random(n), 0.0)
    _assert_identical((x, t_x, big_t), rng.random(n))
    daily = [np.round(c * 7) / 7 for c in (t_x, big_t)]
    _assert_identical((x, *daily), np.ones(n))


def test_one_history_is_refused_after_zero_weights():
    with pytest.raises(ValueError, match=r"BetaGeo.fit: every customer has the same history "
                                         r"\(frequency 2, recency 5, T 10\)"):
        BetaGeo().fit([0, 2, 2], [0, 5, 5], [8, 10, 10], weights=[0, 1, 3])
    with pytest.raises(ValueError, match="GammaGamma.fit: every customer has the same "
                                         "frequency and monetary_value"):
        GammaGamma().fit([1, 2, 2], [5.0, 7.0, 7.0], weights=[0, 2, 1])
