"""Random numbers keyed by customer, so that a case comes out the same in any blocks.

A case is generated a block of customers at a time. If the block drew from
one sequential generator, a customer's numbers would depend on how many
customers came before it in its block, and so on the block size. Here every
number is a hash of four things: the case's key (drawn once from the case's
generator), the customer's position in the whole case, a tag naming what is
drawn ("order times", "basket size") and a counter (the customer's first,
second, ... value under that tag). The same customer gets the same numbers
whatever block it falls in.

The hash is the SplitMix64 finaliser, applied twice; uniforms keep its top 53
bits. Every distribution is drawn from those uniforms by an exact method:
inversion where it is cheap, Marsaglia and Tsang's rejection for the gamma,
with each retry under its own counter.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

import numpy as np
from scipy import special

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_S30, _S27, _S31, _S11 = (np.uint64(k) for k in (30, 27, 31, 11))
_POISSON_PART = 30.0  # a Poisson mean above this is drawn as a sum of smaller ones


def _mix(z: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser, in place on a uint64 array."""
    z ^= z >> _S30
    z *= _M1
    z ^= z >> _S27
    z *= _M2
    z ^= z >> _S31
    return z


@lru_cache(maxsize=4096)
def _tag_key(tag: str) -> np.uint64:
    return np.uint64(int.from_bytes(hashlib.blake2b(tag.encode(), digest_size=8).digest(),
                                    "little"))


def counters(who: np.ndarray) -> np.ndarray:
    """Each value's number among the values of the same customer, in array order.

    >>> counters(np.array([0, 0, 1, 0, 2, 2])).tolist()
    [0, 1, 0, 2, 0, 1]
    """
    who = np.asarray(who, dtype=np.int64)
    if len(who) == 0:
        return np.zeros(0, dtype=np.int64)
    if np.all(who[1:] >= who[:-1]):
        order = None
        grouped = who
    else:
        order = np.argsort(who, kind="stable")
        grouped = who[order]
    start = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
    runs = np.diff(np.r_[start, len(grouped)])
    rank = np.arange(len(grouped)) - np.repeat(start, runs)
    if order is None:
        return rank
    out = np.empty_like(rank)
    out[order] = rank
    return out


class Draws:
    """The random numbers of one block of customers.

    Parameters
    ----------
    key : int
        The case's key, from :func:`case_key`.
    first, stop : int
        The block holds the customers ``first`` to ``stop - 1`` of the case.

    Every method takes a ``tag`` and, optionally, ``who``: the block's
    customer (0 to ``n - 1``) of each value wanted. Without ``who`` there is
    one value per customer. Values of one customer under one tag are numbered
    in array order, so an event array must list each customer's events in an
    order that does not depend on the block (by time, say).

    Examples
    --------
    >>> whole = Draws(7, 0, 10)
    >>> part = Draws(7, 6, 10)
    >>> bool(np.array_equal(whole.random("t")[6:], part.random("t")))
    True
    >>> who = np.array([0, 0, 3])
    >>> bool(np.array_equal(whole.normal("x", who)[2], part.normal("x", np.array([3]))[0]))
    False
    >>> bool(np.array_equal(whole.normal("x", np.array([9])), part.normal("x", np.array([3]))))
    True
    """

    def __init__(self, key: int, first: int, stop: int):
        self.first, self.n = int(first), int(stop) - int(first)
        z = np.arange(first, stop, dtype=np.uint64) * _GOLDEN
        z ^= np.uint64(key)
        self._keys = _mix(_mix(z))

    def bits(self, tag: str, who=None) -> np.ndarray:
        """64 random bits per value."""
        if who is None:
            z = self._keys.copy()
            count = np.zeros(self.n, dtype=np.uint64)
        else:
            who = np.asarray(who, dtype=np.int64)
            z = self._keys[who]
            count = counters(who).astype(np.uint64)
        z ^= _tag_key(tag)
        count += np.uint64(1)
        count *= _GOLDEN
        z += count
        return _mix(_mix(z))

    def random(self, tag: str, who=None) -> np.ndarray:
        """Uniform on the open interval (0, 1)."""
        z = self.bits(tag, who) >> _S11
        u = z.astype(np.float64)
        u += 0.5
        u *= 2.0**-53
        return u

    def uniform(self, tag: str, low, high, who=None) -> np.ndarray:
        return low + (np.asarray(high) - low) * self.random(tag, who)

    def integers(self, tag: str, low: int, high, who=None) -> np.ndarray:
        """Whole numbers from ``low`` to ``high - 1``, each equally likely."""
        span = np.asarray(high) - low
        return low + np.minimum(np.floor(self.random(tag, who) * span).astype(np.int64),
                                span - 1)

    def normal(self, tag: str, who=None, loc=0.0, scale=1.0) -> np.ndarray:
        return loc + scale * special.ndtri(self.random(tag, who))

    def exponential(self, tag: str, who=None, scale=1.0) -> np.ndarray:
        return -np.log(self.random(tag, who)) * scale

    def choice(self, tag: str, p, who=None) -> np.ndarray:
        """Index of a category drawn with probabilities ``p``."""
        edges = np.cumsum(np.asarray(p, dtype=float))
        edges /= edges[-1]
        out = np.searchsorted(edges, self.random(tag, who), side="right")
        return np.minimum(out, len(edges) - 1)

    def choose_rows(self, tag: str, probs: np.ndarray, who) -> np.ndarray:
        """One category per value, each from its own customer's row of ``probs``."""
        cumulative = np.cumsum(probs, axis=1)
        cumulative /= cumulative[:, -1:]
        u = self.random(tag, who)
        who = np.asarray(who, dtype=np.int64)
        out = np.empty(len(who), dtype=np.int64)
        chunk = 1_000_000  # bounds the temporary values x categories matrix
        for lo in range(0, len(who), chunk):
            sl = slice(lo, lo + chunk)
            out[sl] = (u[sl, None] > cumulative[who[sl]]).sum(axis=1)
        return np.minimum(out, probs.shape[1] - 1)

    def geometric(self, tag: str, p, who=None) -> np.ndarray:
        """Trials up to the first success, at least 1."""
        u = self.random(tag, who)
        p = np.asarray(p, dtype=float)
        with np.errstate(divide="ignore"):
            trials = np.ceil(np.log(u) / np.log1p(-p))
        return np.where(p >= 1.0, 1, np.maximum(trials, 1)).astype(np.int64)

    def poisson(self, tag: str, lam, who=None) -> np.ndarray:
        """Poisson counts by inversion; a large mean is split into parts of at most 30."""
        size = self.n if who is None else len(who)
        lam = np.broadcast_to(np.asarray(lam, dtype=float), (size,))
        if np.any(~np.isfinite(lam)) or np.any(lam < 0):
            raise ValueError("Draws.poisson: lam must be finite and >= 0")
        owner = np.arange(self.n) if who is None else np.asarray(who, dtype=np.int64)
        parts = np.maximum(np.ceil(lam / _POISSON_PART), 1).astype(np.int64)
        # Each part is one value of the customer under the tag, numbered in order.
        value = np.repeat(np.arange(size), parts)
        part_lam = np.repeat(lam / parts, parts)
        u = self.random(tag, owner[value])
        count = np.zeros(len(u), dtype=np.int64)
        pmf = np.exp(-part_lam)
        cdf = pmf.copy()
        active = np.flatnonzero(u > cdf)
        k = 0
        while len(active):
            k += 1
            pmf_a = pmf[active] * part_lam[active] / k
            cdf_a = cdf[active] + pmf_a
            count[active] = k
            # A cdf that stops growing in floating point ends the search (u within 1e-16 of 1).
            more = (u[active] > cdf_a) & (pmf_a > 0)
            pmf[active], cdf[active] = pmf_a, cdf_a
            active = active[more]
        return np.bincount(value, weights=count, minlength=size).astype(np.int64)

    def gamma(self, tag: str, shape, scale=1.0, who=None) -> np.ndarray:
        """Gamma by Marsaglia and Tsang (2000); shape below 1 by the boost U**(1/shape)."""
        size = self.n if who is None else len(who)
        shape = np.broadcast_to(np.asarray(shape, dtype=float), (size,))
        owner = np.arange(self.n) if who is None else np.asarray(who, dtype=np.int64)
        small = shape < 1.0
        a = np.where(small, shape + 1.0, shape)
        d = a - 1.0 / 3.0
        c = 1.0 / np.sqrt(9.0 * d)
        out = np.empty(size)
        todo = np.arange(size)
        attempt = 0
        while len(todo):
            x = self.normal(f"{tag}#z{attempt}", owner[todo])
            u = self.random(f"{tag}#u{attempt}", owner[todo])
            v = (1.0 + c[todo] * x) ** 3
            with np.errstate(invalid="ignore", divide="ignore"):
                ok = (v > 0) & (np.log(u) < 0.5 * x * x + d[todo] - d[todo] * v
                                + d[todo] * np.log(v))
            out[todo[ok]] = d[todo[ok]] * v[ok]
            todo = todo[~ok]
            attempt += 1
        if np.any(small):
            boost = self.random(f"{tag}#boost", owner)
            out[small] *= boost[small] ** (1.0 / shape[small])
        return out * scale

    def beta(self, tag: str, a, b, who=None) -> np.ndarray:
        x = self.gamma(f"{tag}#a", a, 1.0, who)
        y = self.gamma(f"{tag}#b", b, 1.0, who)
        return x / (x + y)


def case_key(rng: np.random.Generator) -> int:
    """The key of a case's streams: one draw from the case's generator."""
    return int(rng.integers(0, 2**63))
