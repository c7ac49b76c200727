"""Gauss hypergeometric sums for the CLV models, with a guaranteed error bound.

scipy's ``hyp2f1(a, b; c; z)`` switches to the ``1 - z`` transformation for
``z`` near 1, and that transformation is degenerate when ``c - a - b`` is a
whole number: ``hyp2f1(22, 4, 124, 0.963)`` is nan. The models meet exactly
that case (whole-number parameters, long histories, z > 0.9), so they do not
call scipy's ``hyp2f1``. Each sum here is the plain power series in ``z``,
whose term ratio is

    rho_j = z * prod_i (j + n_i) / (j + d_i)

for pairs ``(n_i, d_i)``. Once every ``j + n_i`` and ``j + d_i`` is positive,
each factor ``(j + n)/(j + d)`` moves monotonically towards 1 as ``j`` grows,
so for all ``j >= J``

    rho_j <= q_J = z * prod_i max(1, (J + n_i) / (J + d_i)),

and when ``q_J < 1`` the terms from ``J`` on sum to at most
``|term_J| / (1 - q_J)``. The series stops when that bound is below
``1e-16`` of the partial sum, so the truncation error is known, not hoped for.
Rounding error is at most about ``1e-16`` times the sum of the absolute terms;
where that sum exceeds the result a thousandfold (alternating terms that
cancel, as when a numerator parameter is very negative) the series is not
trusted either. Where the bound is not reached within the term budget (``z`` extremely close
to 1) the callers integrate an equivalent integral with ``scipy.integrate.quad``.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy import integrate, special, stats

#: Relative truncation error allowed by :func:`power_series`.
RTOL = 1e-16
#: Terms summed in the first block (later blocks double, up to the last size), and the
#: most terms before the caller's integral takes over.
_BLOCKS = (8, 16, 32, 64, 128)
MAX_TERMS = 20_000
#: The term budget inside a likelihood being maximised (see ``hyp2f1_one``).
_FIT_TERMS = 200
#: Most loss of significance accepted: sum of absolute terms over the absolute result.
_CANCELLATION = 1e3


def power_series(z, first, pairs, *, max_terms=MAX_TERMS):
    """Sum ``first * prod`` terms of a hypergeometric-type power series.

    Parameters
    ----------
    z : array-like
        The argument, ``0 <= z < 1``.
    first : array-like
        The term of index 0.
    pairs : list of (array-like, array-like)
        The ``(n_i, d_i)`` of the term ratio above; ``2F1(a, b; c; z)`` is
        ``first=1, pairs=[(a, c), (b, 1)]``.

    Returns
    -------
    values, converged : numpy.ndarray, numpy.ndarray of bool
        The sums (broadcast shape, flattened to 1-D) and where the error bound
        was met without cancellation; elsewhere the value must be replaced.
    """
    arrays = np.broadcast_arrays(np.asarray(z, float), np.asarray(first, float),
                                 *[np.asarray(v, float) for pair in pairs for v in pair])
    z, term, *flat = (a.ravel().copy() for a in arrays)
    nums, dens = flat[0::2], flat[1::2]
    total = np.zeros(z.size)
    absolute = np.zeros(z.size)
    converged = (term == 0) | (z == 0)
    total[converged] = term[converged]
    absolute[converged] = np.abs(term[converged])
    active = np.flatnonzero(~converged)
    j0 = 0
    n_block = 0
    while active.size and j0 < max_terms:
        size = _BLOCKS[min(n_block, len(_BLOCKS) - 1)]
        n_block += 1
        j = j0 + np.arange(size, dtype=float)[None, :]
        ratio = np.repeat(z[active, None], size, axis=1)
        for n, d in zip(nums, dens, strict=True):
            ratio *= (j + n[active, None]) / (j + d[active, None])
        with np.errstate(over="ignore", invalid="ignore"):
            products = np.cumprod(ratio, axis=1)
            t0 = term[active, None]
            block = t0 * np.concatenate([np.ones((active.size, 1)), products[:, :-1]], axis=1)
            total[active] += block.sum(axis=1)
            absolute[active] += np.abs(block).sum(axis=1)
            term[active] = t0[:, 0] * products[:, -1]
        j0 += size
        bound = np.ones(active.size) * z[active]
        valid = np.ones(active.size, dtype=bool)
        for n, d in zip(nums, dens, strict=True):
            jn, jd = j0 + n[active], j0 + d[active]
            valid &= (jn > 0) & (jd > 0)
            bound *= np.maximum(1.0, jn / jd)
        tail = np.abs(term[active]) / (1 - bound)
        done = (term[active] == 0) | (
            valid & (bound < 1) & (tail <= RTOL * np.abs(total[active]))
        )
        converged[active[done]] = True
        active = active[~done]
    converged &= absolute <= _CANCELLATION * np.abs(total)
    return total, converged


def hyp2f1_one(b, c, z, *, fallback="integral"):
    """``2F1(1, b; c; z)`` for ``c > max(b, 1)`` and ``0 <= z < 1``.

    For ``z <= 0.5`` scipy's ``hyp2f1``, which sums the same Gauss series
    there (it only changes method above 0.9) and is ten times faster than a
    numpy loop; the likelihood of :class:`ParetoNBD` is evaluated there in
    almost every fit. Above 0.5, :func:`power_series`, and where it would need
    more than ``MAX_TERMS`` terms Euler's integral (``fallback="integral"``) or,
    where speed matters more than those few rows (inside a likelihood being
    maximised), scipy's value (``fallback="scipy"``).

    Examples
    --------
    >>> round(float(hyp2f1_one(4.0, 124.0, 0.963)[0]), 12)  # scipy gives nan here
    1.032319094797
    """
    shape = np.broadcast(np.asarray(b), np.asarray(c), np.asarray(z)).shape
    b, c, z = (np.broadcast_to(np.asarray(v, float), shape).ravel() for v in (b, c, z))
    values = special.hyp2f1(1.0, b, c, z)
    high = np.flatnonzero(z > 0.5)
    if high.size:
        ones = np.ones(high.size)
        budget = MAX_TERMS if fallback == "integral" else _FIT_TERMS
        values[high], ok = power_series(z[high], 1.0, [(b[high], c[high]), (ones, ones)],
                                        max_terms=budget)
        if fallback == "integral":
            for i in high[~ok]:
                values[i] = _euler_integral_one(b[i], c[i], z[i])
        else:
            values[high[~ok]] = special.hyp2f1(1.0, b[high[~ok]], c[high[~ok]], z[high[~ok]])
    return values.reshape(shape) if shape else values


def _euler_integral_one(b, c, z):
    """``2F1(1, b; c; z) = E[1 / (1 - z + z V)]`` for ``V`` beta(c - b, b) (Euler's integral).

    ``V = 1 - U`` keeps ``1 - z`` exact for ``z >= 0.5`` (``1 - z U`` would lose it);
    ``1 / (1 - z + z v)`` turns from flat to falling at ``v = (1 - z) / z``.
    """
    if b <= 0:
        return _euler_integral_small(b, c, z)
    one_minus_z = 1 - z
    return _beta_mean(lambda v: 1 / (one_minus_z + z * v), c - b, b, one_minus_z / z,
                      what=f"2F1(1, {b}; {c}; {z})")


def _beta_mean(g, p, q, knee, *, what):
    """``E[g(V)]`` for ``V`` beta(p, q), where ``g`` bends at ``knee`` and falls like a power of
    ``v`` beyond it.

    The integral runs from 0 to where all but 1e-17 of the beta mass lies, cut at the mode,
    at the knee and at every tenfold of it. A negative power of ``v`` or ``1 - v`` at an end
    is QUADPACK's algebraic weight there; every other power is in the integrand as a
    log-density, since the weight's moments lose all precision for large powers. ``what``
    names the value in the error raised where the integral cannot reach its tolerance.
    """
    log_norm = special.betaln(p, q)
    top = 1.0 if q < 1 else min(1.0, float(stats.beta.isf(1e-17, p, q)))
    mode = (p - 1) / (p + q - 2) if p > 1 and q > 1 else 0.0
    decades = knee * 10.0 ** np.arange(17)
    cuts = sorted({0.0, top, *(v for v in (mode, *decades) if 0 < v < top)})
    total = 0.0
    for lo, hi in zip(cuts[:-1], cuts[1:], strict=True):
        power_v = p - 1 if lo == 0 and p < 1 else 0.0
        power_w = q - 1 if hi == 1 and q < 1 else 0.0

        def integrand(v, power_v=power_v, power_w=power_w):
            log_density = ((p - 1 - power_v) * np.log(v) if v > 0 else 0.0) + (
                (q - 1 - power_w) * np.log1p(-v) if v < 1 else 0.0) - log_norm
            return np.exp(log_density) * g(v)

        total += _quad(integrand, lo, hi, (power_v, power_w), what)
    return total


def _quad(f, lo, hi, powers, what):
    """``int_lo^hi f(v) (v - lo)^a (hi - v)^b dv`` to 1e-12, or an error where it cannot be."""
    weight = {"weight": "alg", "wvar": powers} if any(powers) else {}
    with warnings.catch_warnings():
        # QUADPACK warns of roundoff where it cannot reach 1e-12; its error estimate decides
        warnings.simplefilter("ignore", integrate.IntegrationWarning)
        value, error = integrate.quad(f, lo, hi, limit=200, epsabs=0, epsrel=1e-12, **weight)[:2]
    if not error <= 1e-10 * abs(value):
        raise ArithmeticError(f"{what}: the integral over [{lo}, {hi}] reached a relative "
                              f"error of {error / abs(value):.1e}, expected at most 1e-10")
    return value


def _euler_integral_small(b, c, z):
    """The same sum for ``b <= 0``: ``(c-1) int v^(c-2) (1-z+zv)^-b dv``, the mean of
    ``(1-z+zV)^-b`` for ``V`` beta(c - 1, 1)."""
    one_minus_z = 1 - z
    return _beta_mean(lambda v: np.exp(-b * np.log(one_minus_z + z * v)), c - 1, 1.0,
                      one_minus_z / z, what=f"2F1(1, {b}; {c}; {z})")


def bgnbd_expected_alive(r, a, b, x, u):
    """BG/NBD expected purchases in a horizon for a customer alive now.

    With ``u = t / (alpha + T)`` this is Fader, Hardie & Lee's (2005)
    ``(a+b+x-1)/(a-1) [1 - (1+u)^-(r+x) 2F1(r+x, b+x; a+b+x-1; z)]``,
    ``z = u / (1 + u)``. Euler's transformation turns the 2F1 into
    ``(1-z)^(a-1-r-x) F`` with ``F = 2F1(a+b-1-r, a-1; a+b+x-1; z)``, and since
    every term of ``F - 1`` carries the factor ``(a+b-1-r)(a-1)/(a+b+x-1)``,

        value = C phi - (1-z)^(a-1) (a+b-1-r) T,

    where ``C = a+b+x-1``, ``phi = (1 - (1-z)^(a-1)) / (a-1)`` (``-log(1-z)``
    at ``a = 1``, so the removable singularity costs nothing) and ``T`` is the
    reduced series with ratio pairs ``(a+b-r, a+b+x)`` and ``(a, 2)``. Where
    the series is too long, the value is the integral over the dropout
    probability ``p`` of the alive customer's posterior beta(a, b+x):
    ``int (1 - (1 + p u)^-(r+x)) / p  dBeta(p)``.
    """
    r, a, b, x, u = np.broadcast_arrays(*(np.asarray(v, float) for v in (r, a, b, x, u)))
    shape = u.shape
    r, a, b, x, u = (v.ravel() for v in (r, a, b, x, u))
    z = u / (1 + u)
    log_1mz = -np.log1p(u)
    e = a - 1
    with np.errstate(invalid="ignore", divide="ignore"):
        phi = np.where(np.abs(e * log_1mz) < 1e-300, -log_1mz, -np.expm1(e * log_1mz) / e)
    phi = np.where(e == 0, -log_1mz, phi)
    series, ok = power_series(z, z, [(a + b - r, a + b + x), (a, np.full_like(a, 2.0))])
    first = (a + b + x - 1) * phi
    second = np.exp(e * log_1mz) * (a + b - 1 - r) * series
    value = first - second
    ok &= np.abs(first) + np.abs(second) <= _CANCELLATION * np.abs(value)
    for i in np.flatnonzero(~ok):
        value[i] = _bgnbd_integral(r[i], a[i], b[i], x[i], u[i])
    return value.reshape(shape)


def _bgnbd_integral(r, a, b, x, u):
    """``E[(1 - (1 + p u)^-(r+x)) / p]`` over the alive customer's dropout probability ``p``,
    beta(a, b + x); the integrand bends where ``p u`` reaches 1."""
    k = r + x

    def g(p):
        return -np.expm1(-k * np.log1p(p * u)) / p if p > 0 else k * u

    return _beta_mean(g, a, b + x, 1 / u, what=f"BG/NBD expected purchases at r={r}, a={a}, "
                                                f"b={b}, x={x}, u={u}")
