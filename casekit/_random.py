"""One place where seeds become random generators (Scientific Python SPEC 7)."""

from __future__ import annotations

import numbers

import numpy as np

SeedLike = int | np.random.Generator | None


def check_rng(seed: SeedLike, *, func: str = "casekit") -> np.random.Generator:
    """Turn ``seed`` into a :class:`numpy.random.Generator`.

    Parameters
    ----------
    seed : int, numpy.random.Generator or None
        An int gives a reproducible generator; a Generator is used as it is, so
        that callers can share one stream; None draws fresh entropy.
    func : str
        Name of the public function asking, used in the error message.

    Examples
    --------
    >>> rng = check_rng(42)
    >>> int(rng.integers(0, 100))
    8
    >>> check_rng(rng) is rng
    True
    >>> check_rng("42", func="generate_case")
    Traceback (most recent call last):
    ...
    TypeError: generate_case: seed must be a non-negative int, ... or None; found str '42'
    """
    if seed is None or isinstance(seed, np.random.Generator):
        return np.random.default_rng(seed)
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
        if seed < 0:
            raise ValueError(f"{func}: seed must be a non-negative int; found {seed}")
        return np.random.default_rng(int(seed))
    raise TypeError(
        f"{func}: seed must be a non-negative int, a numpy.random.Generator or None; "
        f"found {type(seed).__name__} {seed!r}"
    )
