"""Numpy work on both cores: numpy's loops release the interpreter lock, so two threads
each working through half of the rows run side by side."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor


def in_halves(work, n: int, *, min_rows: int = 1 << 20) -> None:
    """Run ``work(rows)`` on the two halves of ``n`` rows side by side, or on all of them at
    once below ``min_rows`` (where starting a thread costs more than it saves).

    Examples
    --------
    >>> seen = []
    >>> in_halves(seen.append, 6, min_rows=4)
    >>> sorted((rows.start, rows.stop) for rows in seen)
    [(0, 3), (3, 6)]
    """
    if n < min_rows:
        work(slice(0, n))
        return
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(work, (slice(0, n // 2), slice(n // 2, n))))
