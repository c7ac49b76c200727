"""The simulation engine: vectorised building blocks shared by every case.

The functions that draw take a block's :class:`casekit._streams.Draws` and a
tag, so a customer's events are the same in any block, and work on whole
arrays of customers or events at once; no function loops over customers in
Python.  Times are floats in days from the start of the horizon until
:func:`to_dates` turns them into timestamps.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DAY_NS = 86_400 * 10**9


def ids(prefix: str, n: int, *, start: int = 1, min_width: int = 5) -> np.ndarray:
    """Zero-padded identifiers such as ``OS-00042`` as an object array.

    The width grows with ``n`` so that ids sort in creation order.

    >>> ids("AREA", 1000, min_width=3)[[0, -1]].tolist()
    ['AREA-0001', 'AREA-1000']
    """
    width = max(min_width, len(str(start + n - 1)))
    out = np.empty(n, dtype=object)
    out[:] = [f"{prefix}-{i:0{width}d}" for i in range(start, start + n)]
    return out


def to_dates(start: pd.Timestamp, days, hours: tuple[float, float] | None = None) -> np.ndarray:
    """Offsets in days from ``start`` to ``datetime64[ns]``, to the second.

    With ``hours=(open, close)`` each day's fraction is squeezed into opening
    hours; the order of events and their calendar day do not change.  Works
    in place on one copy, since event arrays can hold tens of millions of values.
    """
    work = np.array(days, dtype=float)
    if hours is not None:
        whole = np.floor(work)
        work -= whole
        work *= (hours[1] - hours[0]) / 24.0
        work += hours[0] / 24.0
        work += whole
        del whole
    work *= 86_400.0
    np.floor(work, out=work)
    ns = work.astype(np.int64)
    del work
    ns *= 10**9
    ns += pd.Timestamp(start).value
    return ns.view("datetime64[ns]")


def owners(counts: np.ndarray) -> np.ndarray:
    """For per-customer event counts, the customer index of every event."""
    return np.repeat(np.arange(len(counts)), counts)


def pick(values, index: np.ndarray) -> np.ndarray:
    """``values[index]`` as an object array that shares the value objects.

    Indexing an object array copies pointers only, which keeps tables with
    millions of repeated labels small.
    """
    array = np.empty(len(values), dtype=object)
    array[:] = list(values)
    return array[index]


def money(values: np.ndarray) -> np.ndarray:
    """Round to cents."""
    return np.round(np.asarray(values, dtype=float), 2)


def ids_between(prefix: str, first: int, stop: int, total: int) -> np.ndarray:
    """The ids ``first + 1`` to ``stop`` of ``ids(prefix, total)``, without making the rest.

    A block of customers gets its slice of the whole case's ids, as wide as
    the whole case needs.

    >>> ids_between("PH", 3, 5, 123_456).tolist()
    ['PH-000004', 'PH-000005']
    >>> bool((ids_between("PH", 3, 5, 9) == ids("PH", 9)[3:5]).all())
    True
    """
    width = max(5, len(str(total)))
    out = np.empty(stop - first, dtype=object)
    out[:] = [f"{prefix}-{i:0{width}d}" for i in range(first + 1, stop + 1)]
    return out


def sort_events(owner: np.ndarray, times: np.ndarray) -> np.ndarray:
    """The stable order that sorts events by customer, then their exact time.

    One float key ``owner * span + time`` sorts both at once, several times
    faster than a two-key lexsort, but it rounds by the customer's position
    in the block, so two events a few microseconds apart could tie in one
    block and not in another. Rounding keeps the order of distinct keys, so
    only runs of equal keys are sorted again, on the exact times.

    >>> t = np.array([3.0, 1.0 + 1e-13, 1.0, 0.5])
    >>> sort_events(np.array([7_000_000, 7_000_000, 7_000_000, 2]), t).tolist()
    [3, 2, 1, 0]
    """
    owner = np.asarray(owner)
    if len(times) == 0:
        return np.zeros(0, dtype=np.int64)
    span = float(np.max(times)) + 1.0
    key = owner * span + times
    order = np.argsort(key, kind="stable")
    key = key[order]
    tie = np.flatnonzero(key[1:] == key[:-1])
    if len(tie):
        pos = np.unique(np.r_[tie, tie + 1])
        run = np.cumsum(np.r_[True, np.diff(pos) > 1])
        sub = order[pos]
        order[pos] = sub[np.lexsort((sub, times[sub], owner[sub], run))]
    return order


def exponential_lifetimes(
    d, tag: str, t0: np.ndarray, rate: np.ndarray, change: np.ndarray, rate_after: np.ndarray,
) -> np.ndarray:
    """Time of dropout of customers with a piecewise-constant hazard.

    Each customer is alive from ``t0`` and leaves at ``rate`` per day until
    the time ``change`` (``inf`` for none), at ``rate_after`` from then on.
    The dropout time inverts the cumulative hazard at one Exp(1) draw (from
    ``d`` under ``tag``), so a customer can leave at any moment, before any
    repeat purchase too (the lifetime of the Pareto/NBD model of Schmittlein,
    Morrison and Colombo 1987). The arrays hold one value per customer of the
    block; the result is the dropout time in days from the start of the horizon.
    """
    t0, rate = np.asarray(t0, dtype=float), np.asarray(rate, dtype=float)
    target = d.exponential(tag)
    before = np.maximum(np.asarray(change, dtype=float) - t0, 0.0)
    with np.errstate(invalid="ignore"):  # inf * 0 when a customer has no change and no hazard
        used = np.nan_to_num(rate * before, nan=0.0)
    early = target < used
    death = np.empty(len(t0))
    death[early] = t0[early] + target[early] / rate[early]
    late = ~early
    death[late] = (t0[late] + before[late]
                   + (target[late] - used[late]) / np.asarray(rate_after, dtype=float)[late])
    return death


def poisson_events(d, tag: str, rate, t0, t1) -> tuple[np.ndarray, np.ndarray]:
    """Events of a Poisson process at ``rate`` per day on ``[t0, t1)`` per customer.

    Returns the block-local customer of every event and its time, sorted by
    customer, then time; the draws are tagged ``f"{tag} count"`` and
    ``f"{tag} time"``.
    """
    length = np.maximum(np.asarray(t1, dtype=float) - t0, 0.0)
    counts = d.poisson(f"{tag} count", np.asarray(rate) * length)
    owner = owners(counts)
    times = t0[owner] + d.random(f"{tag} time", owner) * length[owner]
    order = sort_events(owner, times)
    return owner[order], times[order]


def regular_events(d, tag: str, gap, jitter, t0, t1) -> tuple[np.ndarray, np.ndarray]:
    """Events every ``gap`` days (plus normal noise ``jitter``) on ``[t0, t1)``, by customer."""
    gap, jitter = np.asarray(gap, dtype=float), np.asarray(jitter, dtype=float)
    length = np.maximum(np.asarray(t1, dtype=float) - t0, 0.0)
    phase = d.random(f"{tag} phase") * gap
    counts = np.floor(np.maximum(length - phase, 0.0) / gap).astype(np.int64) + (length > phase)
    owner = owners(counts)
    step = np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts)
    times = t0[owner] + phase[owner] + step * gap[owner]
    times = times + d.normal(f"{tag} jitter", owner) * jitter[owner]
    keep = (times >= t0[owner]) & (times < t1[owner])
    owner, times = owner[keep], times[keep]
    order = sort_events(owner, times)
    return owner[order], times[order]


def last_at_or_before(owner: np.ndarray, times: np.ndarray, at_owner: np.ndarray,
                      at_times: np.ndarray) -> np.ndarray:
    """For each ``(at_owner, at_times)``, the index of its customer's last event at or before it.

    ``owner``/``times`` are sorted by customer, then time; the index is into
    them, -1 when the customer has no event until then. The comparison is on
    the exact times: a search on float keys, stepped back where rounding tied.

    >>> last_at_or_before(np.array([0, 0, 1]), np.array([1.0, 5.0, 2.0]),
    ...                   np.array([0, 0, 1, 1, 2]), np.array([5.0, 4.0, 1.0, 3.0, 9.0])).tolist()
    [1, 0, -1, 2, -1]
    """
    owner, at_owner = np.asarray(owner), np.asarray(at_owner)
    if len(owner) == 0:
        return np.full(len(at_owner), -1, dtype=np.int64)
    span = float(max(np.max(times), np.max(at_times, initial=0.0))) + 1.0
    out = np.searchsorted(owner * span + times, at_owner * span + at_times, side="right") - 1
    check = np.flatnonzero(out >= 0)
    while len(check):
        i = out[check]
        after = (owner[i] > at_owner[check]) | ((owner[i] == at_owner[check])
                                                 & (times[i] > at_times[check]))
        check = check[after]
        out[check] -= 1
        check = check[out[check] >= 0]
    found = out >= 0
    found[found] = owner[out[found]] == at_owner[found]
    out[~found] = -1
    return out
