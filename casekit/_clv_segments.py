"""Group customers by lifetime value (Reading 5: classify customers by CLV, then plan per group).

Two documented, deterministic methods:

* ``"quantile"``: equal-sized groups by CLV rank (ties broken by position).
* ``"kmeans"``: one-dimensional k-means (Lloyd's algorithm). In one dimension each
  cluster is an interval, so the assignment step cuts the sorted values at the
  midpoints between neighbouring centres. Lloyd's algorithm only finds a local
  minimum of the within-group sum of squares, so it runs from three fixed starts
  (the ``"quantile"`` split, equal-width intervals of the value range, and cuts at
  the largest gaps between sorted values) and keeps the best result. No random
  start, no seed: the same values always give the same groups. On skewed CLVs it
  gives a small group of very valuable customers, which is often what a firm
  wants to see.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from casekit._transactions import check_int
from casekit._validation import check_array, check_choice

#: The methods of :func:`clv_segments`.
SEGMENT_METHODS = ("kmeans", "quantile")
_MAX_ITERATIONS = 300


def clv_segments(clv, *, groups=4, method="kmeans", labels=None):
    """Cluster customers into groups of similar lifetime value, highest group first.

    Parameters
    ----------
    clv : pandas.Series or array-like
        Lifetime value per customer; a Series keeps its index (customer ids).
    groups : int
        Number of groups, at least 2 and at most the number of customers.
    method : {"kmeans", "quantile"}
        One-dimensional k-means or equal-sized rank groups (see the module
        docstring); both are deterministic.
    labels : list of str, optional
        Group names, highest CLV first; ``C1``, ``C2``, ... by default.
        k-means can leave the last groups empty when the values have fewer
        distinct levels than ``groups``.

    Returns
    -------
    pandas.DataFrame
        One row per customer, in the input order: ``clv`` and ``segment``
        (ordered categorical, highest group first).

    Examples
    --------
    >>> clv = pd.Series([5.0, 7.0, 6.0, 100.0, 110.0, 40.0],
    ...                 index=pd.Index(list("abcdef"), name="customer_id"))
    >>> clv_segments(clv, groups=3)["segment"].tolist()
    ['C3', 'C3', 'C3', 'C1', 'C1', 'C2']
    >>> clv_segments(clv, groups=3, method="quantile")["segment"].tolist()
    ['C3', 'C2', 'C3', 'C1', 'C1', 'C2']
    """
    func = "clv_segments"
    check_choice(method, func=func, name="method", choices=SEGMENT_METHODS)
    values = check_array(clv, func=func, name="clv")
    index = clv.index if isinstance(clv, pd.Series) else pd.RangeIndex(values.size)
    k = check_int(groups, func=func, name="groups", lower=2)
    if k > values.size:
        raise ValueError(
            f"{func}: groups must be at most the number of customers ({values.size}); found {k}"
        )
    if labels is None:
        labels = [f"C{i}" for i in range(1, k + 1)]
    else:
        labels = [str(label) for label in labels]
        if len(labels) != k or len(set(labels)) != k:
            raise ValueError(
                f"{func}: labels must be {k} distinct names, one per group; found {labels!r}"
            )

    order = np.argsort(-values, kind="stable")
    # rank groups: position i of the descending order goes to group floor(i * k / n)
    rank_group = np.empty(values.size, dtype=np.int64)
    rank_group[order] = np.arange(values.size) * k // values.size
    group = rank_group if method == "quantile" else _best_kmeans(values, rank_group, k)
    return pd.DataFrame(
        {"clv": values, "segment": pd.Categorical.from_codes(group, categories=labels,
                                                             ordered=True)},
        index=index,
    )


def _best_kmeans(values: np.ndarray, rank_group: np.ndarray, k: int) -> np.ndarray:
    """Lloyd's algorithm from three fixed starts; the lowest within-group sum of squares wins."""
    # k-means is unchanged by scaling; scaled to [-1, 1], squares and ranges cannot overflow
    # (values beyond 1e154 would give inf sums of squares and a raw error).
    top = np.abs(values).max()
    values = values / top if top > 0 else values
    low, high = values.min(), values.max()
    width = np.floor((high - values) / (high - low) * k) if high > low else np.zeros(values.size)
    order = np.argsort(-values, kind="stable")
    gaps = -np.diff(values[order])
    cuts = np.sort(np.argsort(-gaps, kind="stable")[: k - 1]) + 1
    gap_group = np.empty(values.size, dtype=np.int64)
    gap_group[order] = np.searchsorted(cuts, np.arange(values.size), side="right")
    best, best_ss = None, np.inf
    for start in (rank_group, np.minimum(width, k - 1).astype(np.int64), gap_group):
        group = _kmeans(values, np.unique(start, return_inverse=True)[1])
        ss = np.sum((values - _means(values, group)[group]) ** 2)
        if ss < best_ss:
            best, best_ss = group, ss
    return best


def _means(values: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Mean of each group 0, 1, ... (every group has values)."""
    return np.bincount(group, weights=values) / np.bincount(group)


def _kmeans(values: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Lloyd's algorithm in one dimension from ``group``; group 0 has the highest centre."""
    for _ in range(_MAX_ITERATIONS):
        # descending centres; equal ones (ties split by the start) merge
        centres = np.unique(_means(values, group))[::-1]
        cuts = (centres[:-1] + centres[1:]) / 2
        # values above the first cut go to group 0, and so on down; a group left without
        # values disappears and the later ones move up
        _, new = np.unique(np.searchsorted(-cuts, -values, side="left"), return_inverse=True)
        if np.array_equal(new, group):
            break
        group = new
    return group
