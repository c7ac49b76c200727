"""RFM scoring after Arthur Hughes: exact quintiles, cell codes, segments, break-even."""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from casekit._duckdb_input import is_duckdb_input, rfm_in_duckdb
from casekit._transactions import (
    check_int,
    check_months,
    check_number,
    check_transactions,
    day_numbers,
    distinct_sorted,
    last_months,
    purchases,
)

#: The ten segments of the R package ``rfm`` (its documented example), as
#: inclusive score ranges.  Here the first matching segment wins, so the list
#: runs from the most specific segment to the broadest.
RFM_SEGMENTS = {
    "Champions": {"r": (4, 5), "f": (4, 5), "m": (4, 5)},
    "Can't Lose Them": {"r": (1, 1), "f": (4, 5), "m": (4, 5)},
    "Loyal Customers": {"r": (2, 5), "f": (3, 5), "m": (3, 5)},
    "New Customers": {"r": (4, 5), "f": (1, 1), "m": (1, 1)},
    "Promising": {"r": (3, 4), "f": (1, 1), "m": (1, 1)},
    "Potential Loyalist": {"r": (3, 5), "f": (1, 3), "m": (1, 3)},
    "Need Attention": {"r": (2, 3), "f": (2, 3), "m": (2, 3)},
    "About To Sleep": {"r": (2, 3), "f": (1, 2), "m": (1, 2)},
    "Lost": {"r": (1, 2), "f": (1, 2), "m": (1, 2)},
    "At Risk": {"r": (1, 2), "f": (2, 5), "m": (2, 5)},
}


#: Monetary values that agree to this many decimals tie when they are scored.
MONEY_DECIMALS = 6


def exact_scores(values: np.ndarray, bins: int) -> np.ndarray:
    """Scores 1..bins from exact quantiles: bin sizes differ by at most one.

    Values are ranked from low to high; equal values keep their order in the
    array (callers pass customers sorted by id, so the smaller id gets the
    lower score).  Rank ``i`` of ``n`` gets score ``floor(i * bins / n) + 1``.
    With fewer customers than bins the ranks are spread over 1..bins instead,
    ``floor(i * (bins - 1) / (n - 1)) + 1``, so that the best customer still
    scores ``bins`` (a lone customer scores ``bins``).

    Examples
    --------
    >>> exact_scores(np.array([5.0, 1.0, 3.0, 3.0, 9.0, 2.0, 3.0]), 5).tolist()
    [4, 1, 2, 3, 5, 1, 3]
    >>> exact_scores(np.array([10.0, 100.0]), 5).tolist()
    [1, 5]
    """
    n = len(values)
    order = _ranked(values)
    if n < bins:
        rank = np.empty(n, dtype=np.int64)
        rank[order] = np.arange(n)
        return np.full(n, bins, dtype=np.int64) if n == 1 else rank * (bins - 1) // (n - 1) + 1
    scores = np.empty(n, dtype=np.int64)
    # ranks ceil(k * n / bins) up to the next edge score k + 1
    edges = -(-np.arange(bins + 1) * n // bins)
    for k in range(bins):
        scores[order[edges[k]:edges[k + 1]]] = k + 1
    return scores


def _ranked(values: np.ndarray) -> np.ndarray:
    """Positions of ``values`` from low to high, equal values in the order of their positions.

    >>> _ranked(np.array([2.0, 1.0, 2.0, 1.0, 0.5])).tolist()
    [4, 1, 3, 0, 2]
    """
    if values.dtype.kind in "iu" and len(values) and int(values.max()) - int(values.min()) < 2**16:
        # 16 bits: numpy's stable sort is a radix sort
        return np.argsort((values - values.min()).astype(np.uint16), kind="stable")
    # An unstable sort, then the ties put in order of position, is several times faster than
    # a stable sort of floats.
    order = np.argsort(values)
    ordered = values[order]
    tied = ordered[1:] == ordered[:-1]
    if not tied.any():
        return order
    n = len(values)
    group = np.concatenate(([0], np.cumsum(~tied)))  # group of equal values, low to high
    return np.sort(group * n + order) % n


def add_scores(out: pd.DataFrame, bins: int) -> pd.DataFrame:
    """Add ``r_score``, ``f_score``, ``m_score`` and ``rfm_cell`` to per-customer measures.

    ``out`` holds ``recency``, ``frequency`` and ``monetary``, one row per customer sorted
    by id.  Sums of the same amounts added in another order (a database adds in parallel)
    can differ in the last bit; rounded to a millionth they tie, and the smaller id ranks
    first.
    """
    out["r_score"] = exact_scores(-out["recency"].to_numpy(), bins)
    out["f_score"] = exact_scores(out["frequency"].to_numpy(), bins)
    out["m_score"] = exact_scores(np.round(out["monetary"].to_numpy(), MONEY_DECIMALS), bins)
    out["rfm_cell"] = _cells(out["r_score"].to_numpy(), out["f_score"].to_numpy(),
                             out["m_score"].to_numpy(), bins)
    return out


def rfm_scores(
    transactions,
    *,
    customer_col="customer_id",
    date_col="date",
    amount_col="amount",
    as_of=None,
    window_months=None,
    bins=5,
    order_col=None,
    con=None,
) -> pd.DataFrame:
    """Recency, frequency and monetary scores (1-5) and the 3-digit RFM cell.

    Every customer with at least one purchase up to ``as_of`` is scored.
    The scores are exact quantiles (Hughes' quintiles): customers are ranked
    on each measure, worst first, and cut into ``bins`` groups whose sizes
    differ by at most one.  Ties are broken by customer id: among customers
    with equal values the smaller id gets the lower score.  Monetary values
    count as equal when they agree to a millionth of the currency unit, so
    that totals added in another order (as a database does) score the same.  The best
    customers score ``bins``: most recent, most frequent, highest spend.

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per order; returns (negative amounts) lower the monetary value
        but are not purchases.
    customer_col, date_col, amount_col, order_col : str
        Column names.
    as_of : date-like, optional
        The day recency is counted from; later rows are left out.
    window_months : int, optional
        Use only the last so many months; all history by default.
    bins : int
        Number of score groups (5 for quintiles).
    con : duckdb.DuckDBPyConnection, optional
        With ``con``, ``transactions`` names a table in that connection.
        ``transactions`` may also be a DuckDB relation or the path of a
        Parquet file or folder; the rows are then checked and reduced inside
        DuckDB, out of core, and the result is the same.

    Returns
    -------
    pandas.DataFrame
        One row per customer (sorted ids): ``recency`` (days since the last
        purchase), ``frequency`` (purchases), ``monetary`` (net amount),
        ``r_score``, ``f_score``, ``m_score`` and ``rfm_cell`` such as
        ``"545"``.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": list("aabcdde"),
    ...                    "date": ["2024-01-02", "2024-06-20", "2024-05-01", "2024-03-10",
    ...                             "2024-06-01", "2024-06-25", "2024-02-14"],
    ...                    "amount": [20.0, 30.0, 15.0, 80.0, 5.0, 5.0, 40.0]})
    >>> rfm_scores(tx, as_of="2024-06-30")
                 recency  frequency  monetary  r_score  f_score  m_score rfm_cell
    customer_id
    a                 10          2      50.0        4        4        4      444
    b                 60          1      15.0        3        1        2      312
    c                112          1      80.0        2        2        5      225
    d                  5          2      10.0        5        5        1      551
    e                137          1      40.0        1        3        3      133
    """
    return _scores(transactions, customer_col=customer_col, date_col=date_col,
                   amount_col=amount_col, as_of=as_of, window_months=window_months, bins=bins,
                   order_col=order_col, func="rfm_scores", con=con)


def _scores(transactions, *, customer_col, date_col, amount_col, as_of, window_months, bins,
            order_col, func, con=None) -> pd.DataFrame:
    bins = check_int(bins, func=func, name="bins", lower=2)
    window = check_months(window_months, func=func, allow_none=True)
    if is_duckdb_input(transactions, con):
        return rfm_in_duckdb(transactions, con=con, func=func, customer_col=customer_col,
                             date_col=date_col, amount_col=amount_col, order_col=order_col,
                             as_of=as_of, window=window, bins=bins)
    frame, as_of, codes, index = check_transactions(
        transactions, func=func, customer_col=customer_col, date_col=date_col,
        amount_col=amount_col, amount_required=True, order_col=order_col,
        as_of=as_of,
    )
    frame, codes, index = last_months(frame, codes, index, date_col=date_col, as_of=as_of,
                                      months=window)
    buy = purchases(frame, amount_col)
    if not buy.any():
        raise ValueError(
            f"{func}: no purchases to score on or before as_of={as_of.date()}"
            + (f" in the last {window} months" if window else "")
        )
    n = len(index)
    # whole days since 1970 fit 32 bits, and np.maximum.at is several times faster on them
    days = day_numbers(frame[date_col].to_numpy()).astype(np.int32)
    buyers, days = (codes, days) if buy.all() else (codes[buy], days[buy])
    # The three passes over the rows wait on memory, and numpy lets them run side by side.
    with ThreadPoolExecutor(max_workers=2) as pool:
        latest = pool.submit(_last_days, buyers, days, n)
        counted = pool.submit(np.bincount, buyers, minlength=n)
        monetary = np.bincount(codes, weights=frame[amount_col].to_numpy(), minlength=n)
        last, frequency = latest.result(), counted.result()
    keep = frequency > 0
    as_of_day = day_numbers(as_of.to_datetime64())
    out = pd.DataFrame(index=index[keep])
    out["recency"] = as_of_day - last[keep].astype(np.int64)
    out["frequency"] = frequency[keep]
    out["monetary"] = monetary[keep]
    return add_scores(out, bins)


def _last_days(codes: np.ndarray, days: np.ndarray, n: int) -> np.ndarray:
    """Each of ``n`` customers' last day (int32) from the rows' codes and days."""
    last = np.full(n, np.iinfo(np.int32).min, dtype=np.int32)
    np.maximum.at(last, codes, days)
    return last


def _cells(r: np.ndarray, f: np.ndarray, m: np.ndarray, bins: int) -> np.ndarray:
    """Cell labels such as ``"451"`` (``"4-12-1"`` from 10 bins up), one per customer.

    Each label is made once per cell that occurs, not once per customer.

    >>> _cells(np.array([4, 1]), np.array([5, 1]), np.array([1, 2]), 5).tolist()
    ['451', '112']
    >>> _cells(np.array([4]), np.array([12]), np.array([1]), 12).tolist()
    ['4-12-1']
    """
    code = ((r - 1) * bins + (f - 1)) * bins + (m - 1)
    present = distinct_sorted(code)
    score = np.stack([present // bins**2, present // bins % bins, present % bins], axis=1) + 1
    sep = "" if bins < 10 else "-"
    labels = np.array([sep.join(map(str, cell)) for cell in score.tolist()], dtype=object)
    if bins**3 > max(len(code), 1 << 16):  # too many cells for a table of every cell
        return labels[np.searchsorted(present, code)]
    table = np.empty(bins**3, dtype=object)
    table[present] = labels
    return table[code]


def _check_segments(segments, bins: int, func: str) -> dict:
    if not isinstance(segments, Mapping) or not segments:
        raise TypeError(
            f"{func}: segments must be a non-empty mapping of name to score ranges such as "
            f"{{'Champions': {{'r': (4, 5), 'f': (4, 5), 'm': (4, 5)}}}}; found {segments!r}"
        )
    checked = {}
    for name, ranges in segments.items():
        if not isinstance(ranges, Mapping) or not set(ranges) <= {"r", "f", "m"}:
            raise ValueError(
                f"{func}: segment {name!r} must map some of 'r', 'f', 'm' to (low, high); "
                f"found {ranges!r}"
            )
        checked[name] = {}
        for key, pair in ranges.items():
            ok = (
                isinstance(pair, (tuple, list)) and len(pair) == 2
                and all(isinstance(v, (int, np.integer)) for v in pair)
                and 1 <= pair[0] <= pair[1] <= bins
            )
            if not ok:
                raise ValueError(
                    f"{func}: segment {name!r} range for {key!r} must be two whole scores "
                    f"low <= high within 1..{bins}; found {pair!r}"
                )
            checked[name][key] = (int(pair[0]), int(pair[1]))
    return checked


def rfm_segments(
    transactions,
    *,
    customer_col="customer_id",
    date_col="date",
    amount_col="amount",
    as_of=None,
    window_months=None,
    segments=None,
    other="Others",
    bins=5,
    order_col=None,
) -> pd.DataFrame:
    """RFM scores with a named segment per customer.

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per order.
    customer_col, date_col, amount_col, as_of, window_months, bins, order_col
        As in :func:`rfm_scores`.
    segments : mapping, optional
        Segment name to inclusive score ranges, e.g.
        ``{"Champions": {"r": (4, 5), "f": (4, 5), "m": (4, 5)}}``; a missing
        letter matches any score.  The first matching segment wins.  Default:
        :data:`RFM_SEGMENTS`, the ten segments of the R package ``rfm``
        (defined for 5 bins).
    other : str
        Segment of customers that match no range.

    Returns
    -------
    pandas.DataFrame
        :func:`rfm_scores` plus a ``segment`` column (categorical, in the
        order of ``segments`` then ``other``).

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": list("aabcdde"),
    ...                    "date": ["2024-01-02", "2024-06-20", "2024-05-01", "2024-03-10",
    ...                             "2024-06-01", "2024-06-25", "2024-02-14"],
    ...                    "amount": [20.0, 30.0, 15.0, 80.0, 5.0, 5.0, 40.0]})
    >>> rfm_segments(tx, as_of="2024-06-30")[["rfm_cell", "segment"]]
                rfm_cell             segment
    customer_id
    a                444           Champions
    b                312  Potential Loyalist
    c                225             At Risk
    d                551              Others
    e                133             At Risk
    """
    func = "rfm_segments"
    if segments is None:
        if bins != 5:
            raise ValueError(
                f"{func}: the default segments are defined for bins=5; found bins={bins!r}, "
                f"so pass segments= as well"
            )
        segments = RFM_SEGMENTS
    bins = check_int(bins, func=func, name="bins", lower=2)
    checked = _check_segments(segments, bins, func)
    if not isinstance(other, str) or other in checked:
        raise ValueError(
            f"{func}: other must be a name (str) not used by a segment; found {other!r}"
        )
    scores = _scores(
        transactions, customer_col=customer_col, date_col=date_col, amount_col=amount_col,
        as_of=as_of, window_months=window_months, bins=bins, order_col=order_col, func=func,
    )
    label = np.full(len(scores), other, dtype=object)
    free = np.ones(len(scores), dtype=bool)
    columns = {"r": "r_score", "f": "f_score", "m": "m_score"}
    for name, ranges in checked.items():
        match = free.copy()
        for key, (low, high) in ranges.items():
            values = scores[columns[key]].to_numpy()
            match &= (values >= low) & (values <= high)
        label[match] = name
        free &= ~match
    out = scores.copy()
    out["segment"] = pd.Categorical(label, categories=[*checked, other])
    return out


def rfm_breakeven(cost_per_contact, margin_per_response, response_rates=None):
    """Break-even response rate of a campaign (Hughes), and which RFM cells clear it.

    A contact pays when ``response rate x margin per response`` exceeds the
    cost of the contact, so the break-even rate is ``cost / margin``.

    Parameters
    ----------
    cost_per_contact : float
        Cost of one mailing, call or visit (> 0).
    margin_per_response : float
        Net margin a response earns (> 0).
    response_rates : pandas.Series, optional
        Response rate per RFM cell (or segment), e.g. from a test mailing.

    Returns
    -------
    float or pandas.DataFrame
        The break-even rate; with ``response_rates`` a table with
        ``response_rate``, ``breakeven``, ``profit_per_contact`` and
        ``contact`` (whether the cell clears break-even).

    Examples
    --------
    >>> rfm_breakeven(0.5, 25.0)
    0.02
    >>> rfm_breakeven(0.5, 25.0, pd.Series({"555": 0.06, "111": 0.01}))
         response_rate  breakeven  profit_per_contact  contact
    555           0.06       0.02                1.00     True
    111           0.01       0.02               -0.25    False
    """
    func = "rfm_breakeven"
    cost = check_number(cost_per_contact, func=func, name="cost_per_contact", low=0,
                        open_low=True)
    margin = check_number(margin_per_response, func=func, name="margin_per_response", low=0,
                          open_low=True)
    rate = cost / margin
    if response_rates is None:
        return rate
    if not isinstance(response_rates, pd.Series):
        raise TypeError(
            f"{func}: response_rates must be a pandas Series indexed by cell; found "
            f"{type(response_rates).__name__}"
        )
    values = pd.to_numeric(response_rates, errors="coerce")
    bad = ~values.between(0, 1)
    if bad.any():
        raise ValueError(
            f"{func}: response_rates must lie in [0, 1]; found {int(bad.sum())} values that "
            f"do not, e.g. {response_rates[bad].head(5).tolist()!r}"
        )
    out = pd.DataFrame({"response_rate": values.astype(float)})
    out["breakeven"] = rate
    out["profit_per_contact"] = out["response_rate"] * margin - cost
    out["contact"] = out["response_rate"] > rate
    return out
