"""The input contract of every analytics function that takes ``transactions``.

One helper, :func:`check_transactions`, runs at each public entry point.  It
builds on :func:`casekit._validation.check_frame` and adds the rules that are
about transactions rather than tables in general.

The rules
---------
Required columns
    ``customer_col`` and ``date_col`` always, ``amount_col`` when the function
    uses money, and any extra column it names (such as ``gross_margin``).
Values
    Customer ids may not be missing; dates must parse; amounts must be numeric
    and finite; the table may not be empty; when ``order_col`` is given its
    values must be unique (one row per order).
Negative amounts are returns
    A row with a negative amount is a return or a credit note.  Its money is
    netted into the customer's totals (revenue, margin, monetary value), but it
    is not a purchase: it never counts as an order, a visit or a purchase date
    (recency, frequency, activity classes, tenure).  A zero amount is a
    purchase (a free order is still an order).
Dates after ``as_of``
    Every analysis looks at history as it was known at the end of the day
    ``as_of``: rows dated later are left out, so the same table can be analysed
    at several dates.  Without ``as_of`` the last date in the data is used.  If
    no row is dated on or before ``as_of`` the function raises an error.
"""

from __future__ import annotations

import ctypes
import numbers
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from casekit._engine import DAY_NS
from casekit._parallel import in_halves
from casekit._validation import check_date, check_frame

_DAY = pd.Timedelta(days=1)
_MANY_TEXTS = 100_000  # from here on DuckDB converts str objects to Arrow faster
_BLOCK = 1 << 16  # rows per block in _text_keys: a block's bytes stay in cache


class Checked(NamedTuple):
    """What :func:`check_transactions` hands to the analytics."""

    #: the checked columns other than the customer id, rows up to ``as_of``
    frame: pd.DataFrame
    #: the day the analysis looks from, at midnight
    as_of: pd.Timestamp
    #: position of each row's customer in ``customers``
    codes: np.ndarray
    #: the customers with rows up to ``as_of``, sorted
    customers: pd.Index


def column_roles(func: str, *, customer_col, date_col, amount_col=None, amount_required=False,
                 order_col=None, extra=None) -> dict[str, str]:
    """Each named column and its kind ("key", "date" or "number"), one column per role.

    >>> column_roles("demo", customer_col="id", date_col="id")
    Traceback (most recent call last):
    ...
    ValueError: demo: date_col='id' names a column already used for another role; ...
    """
    columns: dict[str, str] = {}
    for param, column, kind in (
        ("customer_col", customer_col, "key"),
        ("date_col", date_col, "date"),
        ("amount_col", amount_col, "number"),
        ("order_col", order_col, "key"),
    ):
        if column is None and (
            param == "order_col" or (param == "amount_col" and not amount_required)
        ):
            continue
        if not isinstance(column, str):
            raise TypeError(
                f"{func}: {param} must be a column name (str); found "
                f"{type(column).__name__} {column!r}"
            )
        if column in columns:
            raise ValueError(
                f"{func}: {param}={column!r} names a column already used for another role; "
                f"each role needs its own column"
            )
        columns[column] = kind
    for column, kind in (extra or {}).items():
        if column in columns:
            raise ValueError(
                f"{func}: column {column!r} is asked for twice; each role needs its own column"
            )
        columns[column] = kind
    return columns


def check_transactions(
    transactions,
    *,
    func: str,
    customer_col: str,
    date_col: str,
    amount_col: str | None = None,
    amount_required: bool = False,
    order_col: str | None = None,
    extra: Mapping[str, str] | None = None,
    as_of=None,
    as_of_name: str = "as_of",
) -> Checked:
    """Validate ``transactions``, cut them at ``as_of`` and number the customers.

    Parameters
    ----------
    transactions : pandas.DataFrame
        The user's table; it is never modified.
    func : str
        Name of the public function, used in every message.
    customer_col, date_col, amount_col, order_col : str
        Column names; ``order_col`` may be None, and so may ``amount_col``
        unless ``amount_required``.
    extra : mapping of column name to kind, optional
        More columns to check, with the kinds of ``check_frame``.
    as_of : date-like, optional
        Rows dated after this day are dropped; defaults to the last date.
    as_of_name : str
        What the date parameter is called in messages.

    Returns
    -------
    Checked
        ``frame`` (the checked columns except the customer id, as float and
        datetime64[ns], rows up to ``as_of``), ``as_of`` (a Timestamp at
        midnight), ``codes`` (each row's position in ``customers``) and
        ``customers`` (sorted ids of the customers with rows up to ``as_of``).

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "b", "a"],
    ...                    "date": ["2024-01-05", "2024-02-01", "2024-03-09"],
    ...                    "amount": [10.0, -2.0, 7.5]})
    >>> checked = check_transactions(tx, func="demo", customer_col="customer_id",
    ...                              date_col="date", amount_col="amount", as_of="2024-02-29")
    >>> len(checked.frame), checked.as_of, checked.codes.tolist(), list(checked.customers)
    (2, Timestamp('2024-02-29 00:00:00'), [0, 1], ['a', 'b'])
    >>> check_transactions(tx, func="demo", customer_col="customer_id", date_col="date",
    ...                    as_of="2023-12-31")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: demo: no transactions dated on or before as_of=2023-12-31; ...
    """
    columns = column_roles(func, customer_col=customer_col, date_col=date_col,
                           amount_col=amount_col, amount_required=amount_required,
                           order_col=order_col, extra=extra)
    numbering = None
    with ThreadPoolExecutor(max_workers=1) as pool:
        if (isinstance(transactions, pd.DataFrame) and len(transactions) > 0
                and customer_col in transactions.columns
                and isinstance(transactions[customer_col], pd.Series)):
            # The ids are numbered on a second core while the other columns are checked.
            # number_ids finds any missing id, which is all the key check tests.
            numbering = pool.submit(number_ids, transactions[customer_col])
        try:
            frame = check_frame(transactions, func=func, unique=order_col, columns={
                c: k for c, k in columns.items() if c != customer_col or numbering is None})
        except (TypeError, ValueError):
            if numbering is not None and numbering.result() is None:
                # the whole check, so that the error named is the first in column order
                check_frame(transactions, func=func, unique=order_col, columns=columns)
            raise
        ids = None if numbering is None else numbering.result()
    if ids is None:  # a missing id, or ids of a kind number_ids leaves to pandas
        key = check_frame(transactions, func=func, columns={customer_col: "key"})[customer_col]
        ids = pd.factorize(key.to_numpy())

    ticks = frame[date_col].to_numpy().view(np.int64)  # checked: datetime64[ns], no NaT
    last = int(ticks.max())
    if as_of is None:
        as_of = pd.Timestamp(last).normalize()
    else:
        as_of = check_date(as_of, func=func, name=as_of_name).normalize()
    end = (as_of + _DAY).value
    keep = None if last < end else ticks < end  # None: every row is kept
    if keep is not None and not keep.any():
        raise ValueError(
            f"{func}: no transactions dated on or before {as_of_name}={as_of.date()}; "
            f"the first date is {pd.Timestamp(int(ticks.min())).date()}"
        )
    codes, uniques = ids
    # Every id numbered occurs in some row, except an unused category.
    all_occur = not isinstance(transactions[customer_col].dtype, pd.CategoricalDtype)
    if keep is not None:
        frame = frame.loc[keep]
        codes = codes[keep]
        all_occur = False
    if not all_occur:
        present = np.bincount(codes, minlength=len(uniques)) > 0
        if not present.all():
            codes = _gather(_ranks(present), codes)
            uniques = uniques[present]
    if isinstance(uniques, _Sorted) or _increasing(uniques):
        return Checked(frame, as_of, codes, pd.Index(np.asarray(uniques), name=customer_col))
    order = sorted_index(uniques)
    customers = pd.Index(uniques[order], name=customer_col)
    return Checked(frame, as_of, _gather(_inverse(order), codes), customers)


class _Sorted(np.ndarray):
    """Distinct ids already in sorted order, with codes that are their ranks."""


def _rank_codes(keys: np.ndarray, n_keys: int | None = None, *, rows: bool = False):
    """Ranks of integer keys among their distinct values, and the distinct keys, sorted.

    With ``rows=True`` the second item is a row holding each distinct key instead.
    """
    lo = int(keys.min())
    if n_keys is None:
        n_keys = int(keys.max()) - lo + 1
    if n_keys <= 4 * len(keys) + 1024:  # a dense range: count instead of hashing or sorting
        shifted = keys - lo if lo else keys
        if rows:
            row_of_key = np.full(n_keys, -1, dtype=_index_type(len(keys)))
            _mark_rows(row_of_key, shifted)
            present = row_of_key >= 0
        else:  # a table of flags: a quarter of the bytes to miss in cache, and no row numbers
            present = np.zeros(n_keys, dtype=bool)

            def flag(part: slice) -> None:
                present[shifted[part]] = True  # both halves may set a flag: same value

            in_halves(flag, len(keys))
        codes = _gather(_ranks(present), shifted)
        return codes, (row_of_key[present].astype(np.int64) if rows
                       else np.flatnonzero(present) + lo)
    codes, distinct = pd.factorize(keys)
    order = np.argsort(distinct, kind="stable")
    codes = _gather(_inverse(order), codes)
    if not rows:
        return codes, distinct[order]
    where = np.empty(len(distinct), dtype=_index_type(len(keys)))
    _mark_rows(where, codes)
    return codes, where.astype(np.int64)


def _index_type(n: int):
    """The smaller integer type that can number ``n`` items."""
    return np.int32 if n < 2**31 else np.int64


def _mark_rows(table: np.ndarray, slots: np.ndarray) -> None:
    """``table[slots[i]] = i`` for every row i: any row of a slot will do, as all hold one id."""
    rows = np.arange(len(slots), dtype=table.dtype)

    def mark(part: slice) -> None:
        table[slots[part]] = rows[part]

    in_halves(mark, len(slots))


def _ranks(present: np.ndarray) -> np.ndarray:
    """For each slot, how many slots before it are marked in ``present``."""
    ranks = np.cumsum(present, dtype=np.int32 if len(present) < 2**31 else np.int64)
    ranks -= 1
    return ranks


def _inverse(order: np.ndarray) -> np.ndarray:
    """The permutation that undoes ``order``: position i holds where i went."""
    inverse = np.empty(len(order), dtype=np.int32 if len(order) < 2**31 else np.int64)
    inverse[order] = np.arange(len(order), dtype=inverse.dtype)
    return inverse


def _gather(table: np.ndarray, index: np.ndarray) -> np.ndarray:
    """``table[index]`` as int64 codes.  Tables are kept in 32 bits where they fit: a lookup
    over millions of rows is bound by cache misses, and half the bytes miss far less."""
    out = np.empty(len(index), dtype=table.dtype)

    def look_up(part: slice) -> None:
        # every index is in range by construction; "clip" writes straight into out, where
        # the default mode would buffer the result and copy it
        np.take(table, index[part], out=out[part], mode="clip")

    in_halves(look_up, len(index))
    return out.astype(np.int64, copy=False)


def _text_keys(text: pa.Array | pa.ChunkedArray):
    """Order-keeping integer keys for text ids of one byte length, else None.

    Ids such as ``"C-0004711"`` have the same length and many byte positions
    that never change.  Each byte position becomes a digit in a mixed radix
    (its range of byte values), so the key compares as the text does (UTF-8
    byte order is code point order) and the ids are numbered with integer
    work instead of hashing strings.
    """
    matrices = [_byte_matrix(chunk) for chunk in getattr(text, "chunks", [text]) if len(chunk)]
    if not matrices or any(m is None or m.shape[1] != matrices[0].shape[1] for m in matrices):
        return None
    width = matrices[0].shape[1]
    # Blocks of rows, each turned so its byte positions are contiguous: a reduction or an
    # update across a row of a few bytes is many times slower than along a column.
    blocks, start = [], 0
    for matrix in matrices:
        for first in range(0, len(matrix), _BLOCK):
            rows = matrix[first: first + _BLOCK]
            blocks.append((rows, slice(start, start + len(rows))))
            start += len(rows)
    halves = [blocks[: len(blocks) // 2], blocks[len(blocks) // 2:]]

    def byte_range(half):
        low = np.full(width, 255, dtype=np.uint8)
        high = np.zeros(width, dtype=np.uint8)
        for rows, _ in half:
            columns = np.ascontiguousarray(rows.T)
            np.minimum(low, columns.min(axis=1), out=low)
            np.maximum(high, columns.max(axis=1), out=high)
        return low, high

    with ThreadPoolExecutor(max_workers=2) as pool:  # numpy's loops run side by side
        ranges = list(pool.map(byte_range, halves))
        low = np.minimum(ranges[0][0], ranges[1][0]).astype(np.int64)
        high = np.maximum(ranges[0][1], ranges[1][1]).astype(np.int64)
        radix = high - low + 1
        if np.prod(radix.astype(float)) >= 2.0**62:
            return None
        varying = np.flatnonzero(radix > 1)
        keys = np.zeros(start, dtype=np.int64)

        def fill(half):
            for rows, where in half:
                block = keys[where]
                for j, column in zip(varying, np.ascontiguousarray(rows[:, varying].T),
                                     strict=True):
                    block *= radix[j]
                    block += column
                    block -= low[j]

        list(pool.map(fill, halves))
    return keys, int(np.prod(radix))


def _byte_matrix(text: pa.Array) -> np.ndarray | None:
    """The bytes of text ids of one length as a (rows, length) matrix, else None."""
    n = len(text)
    size = np.int64 if pa.types.is_large_string(text.type) else np.int32
    offsets = np.frombuffer(text.buffers()[1], dtype=size)[text.offset: text.offset + n + 1]
    width = int(offsets[1] - offsets[0])
    if width == 0 or width > 64 or (np.diff(offsets) != width).any():
        return None
    data = np.frombuffer(text.buffers()[2], dtype=np.uint8)[offsets[0]: offsets[-1]]
    return data.reshape(n, width)


def number_ids(column: pd.Series):
    """Codes and distinct ids of a customer-id column, or None if an id is missing.

    The fast paths: category codes are reused, integer ids in a dense range
    are counted, and text ids of one length become integer keys (see
    :func:`_text_keys`).  These give the ids already sorted.  Anything else
    is factorised by pandas.  Rows that share a str object are grouped by its
    address first, so each distinct object is converted or hashed once.

    Examples
    --------
    >>> codes, uniques = number_ids(pd.Series(["b", "a", "b"], dtype="category"))
    >>> codes.tolist(), uniques.tolist()
    ([1, 0, 1], ['a', 'b'])
    >>> number_ids(pd.Series(["b", None])) is None
    True
    """
    dtype = column.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy().astype(np.int64)
        if (codes < 0).any():
            return None
        categories = column.cat.categories  # an Index, which remembers whether it is sorted
        ids = categories.to_numpy()
        return codes, ids.view(_Sorted) if categories.is_monotonic_increasing else ids
    if dtype.kind == "i":
        codes, distinct = _rank_codes(column.to_numpy().astype(np.int64))
        return codes, distinct.view(_Sorted)
    arrow = getattr(column.array, "_pa_array", None)
    if isinstance(dtype, pd.ArrowDtype | pd.StringDtype) and arrow is not None and (
            pa.types.is_string(arrow.type) or pa.types.is_large_string(arrow.type)):
        return _number_text(arrow)
    if dtype.kind != "O":
        return None
    values = np.ascontiguousarray(column.to_numpy())
    if len(values) < 1000:
        codes, uniques = pd.factorize(values)
        return (codes, uniques) if (codes >= 0).all() else None
    # Rows that share one str object (ids drawn from a customer list) are grouped by the
    # object's address first, so that only the distinct objects are converted to text.
    groups = _object_groups(values)
    objects = values if groups is None else values[groups.first]
    text = _to_arrow(objects)
    if text is None or text.null_count or not (
            pa.types.is_string(text.type) or pa.types.is_large_string(text.type)):
        codes, uniques = pd.factorize(objects)
        if (codes < 0).any():
            return None
    else:
        codes, uniques = _number_text(text, objects)
    return (codes if groups is None else _spread(codes, groups)), uniques


def _to_arrow(objects: np.ndarray):
    """Python objects as an Arrow array, or None if Arrow refuses them (mixed types, say).

    DuckDB reads millions of str objects about three times faster than pyarrow, using
    every core, but it would turn a stray number into text, so it only gets pure str.
    """
    if len(objects) >= _MANY_TEXTS and pd.api.types.infer_dtype(objects, skipna=False) == "string":
        try:
            with duckdb.connect() as con:
                ids = con.from_df(pd.DataFrame({"id": objects}, copy=False))
                return ids.to_arrow_table().column(0)
        except duckdb.Error:  # e.g. a lone surrogate, which has no UTF-8 form
            return None
    try:
        return pa.array(objects)  # refuses mixed types; bytes become binary, not text
    except (pa.ArrowException, TypeError, ValueError):
        return None


def _number_text(text: pa.Array, objects: np.ndarray | None = None):
    """Codes and distinct ids of an Arrow text array, or None if an id is missing.

    ``objects``, when given, holds the same ids as Python objects, row for row:
    the distinct ids are then taken from it rather than converted back from Arrow.
    """
    if text.null_count:
        return None
    found = _text_keys(text)
    if found is None:
        return pd.factorize(text.to_numpy(zero_copy_only=False) if objects is None else objects)
    codes, first = _rank_codes(*found, rows=True)
    if objects is None:
        return codes, text.take(pa.array(first)).to_numpy(zero_copy_only=False).view(_Sorted)
    return codes, objects[first].view(_Sorted)


class _ObjectGroups(NamedTuple):
    """Rows grouped by the address of the Python object each holds."""

    #: each row's slot: objects at different addresses have different slots
    slot: np.ndarray
    #: how many slots there are
    n_slots: int
    #: the slots some row holds, ascending
    occupied: np.ndarray
    #: a row holding each occupied slot's object
    first: np.ndarray


def _object_groups(values: np.ndarray) -> _ObjectGroups | None:
    """Rows grouped by the address of their object, or None when that would save nothing.

    Every object takes at least 16 bytes, so address // 16 tells objects
    apart and serves as a slot in a table.  Objects made together (ids drawn
    from a customer list) lie close together, and their slots are counted in
    a dense range instead of hashed.  When they are spread out, the
    mebibyte blocks Python allocates small objects in are numbered first.
    When the objects fill much memory (over 32 bytes a row), or most rows
    hold their own object, None says the grouping would save nothing.
    """
    n = len(values)
    pointer = ctypes.cast(values.ctypes.data, ctypes.POINTER(ctypes.c_ssize_t))
    slot = np.ctypeslib.as_array(pointer, shape=(n,)) >> 4
    low = int(slot.min())
    n_slots = int(slot.max()) - low + 1
    if n_slots <= 2 * n:
        slot -= low
    else:
        limit = (2 * n >> 16) + 64  # blocks of 65,536 slots at 32 bytes a row
        if len(pd.unique(slot[::64] >> 16)) > limit:  # a sample already finds too many
            return None
        block, blocks = pd.factorize(slot >> 16)
        if len(blocks) > limit:
            return None
        slot &= 0xFFFF
        slot |= block.astype(np.int64) << 16
        n_slots = len(blocks) << 16
    row_of_slot = np.full(n_slots, -1, dtype=_index_type(n))
    _mark_rows(row_of_slot, slot)
    occupied = np.flatnonzero(row_of_slot >= 0)
    if len(occupied) > n // 2:
        return None
    return _ObjectGroups(slot, n_slots, occupied, row_of_slot[occupied].astype(np.int64))


def _spread(codes: np.ndarray, groups: _ObjectGroups) -> np.ndarray:
    """Each row's code (int64) from the codes of its group's object."""
    table = np.empty(groups.n_slots, dtype=_index_type(len(codes)))
    table[groups.occupied] = codes
    return _gather(table, groups.slot)


def distinct_sorted(keys: np.ndarray) -> np.ndarray:
    """Sorted distinct integer keys; a plain sort beats numpy 2's hash-based np.unique here.

    Examples
    --------
    >>> distinct_sorted(np.array([7, 3, 7, 1, 3])).tolist()
    [1, 3, 7]
    """
    keys = np.sort(keys)
    if len(keys) < 2:
        return keys
    return keys[np.concatenate(([True], keys[1:] != keys[:-1]))]


def subset(codes: np.ndarray, customers: pd.Index, mask: np.ndarray):
    """Codes and customers of the rows in ``mask``, dropping customers without rows."""
    codes = codes[mask]
    present = np.bincount(codes, minlength=len(customers)) > 0
    return _gather(_ranks(present), codes), customers[present]


def purchases(frame: pd.DataFrame, amount_col: str | None) -> np.ndarray:
    """Boolean mask of the rows that are purchases (not returns)."""
    if amount_col is None:
        return np.ones(len(frame), dtype=bool)
    return frame[amount_col].to_numpy() >= 0


def day_numbers(dates) -> np.ndarray:
    """Whole days since 1970-01-01 (int64) of datetime64 values, the time of day dropped.

    >>> day_numbers(np.array(["1970-01-02T18:00", "1969-12-31"], dtype="datetime64[ns]"))
    array([ 1, -1])
    """
    return np.asarray(dates).astype("datetime64[ns]", copy=False).view(np.int64) // DAY_NS


def window_start(as_of: pd.Timestamp, months: int | None) -> pd.Timestamp | None:
    """First moment of the ``months`` calendar months that end with the day ``as_of``."""
    if months is None:
        return None
    return as_of + _DAY - pd.DateOffset(months=months)


def last_months(frame: pd.DataFrame, codes: np.ndarray, customers: pd.Index, *,
                date_col: str, as_of: pd.Timestamp, months: int | None):
    """``frame``, ``codes`` and ``customers`` cut to the ``months`` ending with ``as_of``.

    With ``months=None`` all rows are kept; customers without rows in the
    window are dropped.
    """
    start = window_start(as_of, months)
    if start is None:
        return frame, codes, customers
    recent = (frame[date_col] >= start).to_numpy()
    codes, customers = subset(codes, customers, recent)
    return frame.loc[recent], codes, customers


def check_before(before, as_of: pd.Timestamp, *, func: str) -> pd.Timestamp:
    """The ``before`` day of a migration matrix, at midnight and earlier than ``as_of``."""
    before = check_date(before, func=func, name="before").normalize()
    if before >= as_of:
        raise ValueError(
            f"{func}: before must be earlier than as_of; found before={before.date()} and "
            f"as_of={as_of.date()}"
        )
    return before


def end_of(as_of: pd.Timestamp) -> pd.Timestamp:
    """The first moment after the day ``as_of`` (windows are half-open)."""
    return as_of + _DAY


def _increasing(keys: np.ndarray) -> bool:
    """Whether distinct ids are in sorted order already, as categories usually are."""
    try:
        return pd.Index(keys).is_monotonic_increasing
    except TypeError:
        return False


def sorted_index(keys: np.ndarray) -> np.ndarray:
    """Positions that sort distinct customer ids; mixed types sort by their text."""
    if keys.dtype.kind == "O" and pd.api.types.infer_dtype(keys, skipna=False) == "string":
        try:
            # Arrow sorts text in C++, many times faster than Python string comparisons
            return pc.sort_indices(pa.array(keys, type=pa.string())).to_numpy()
        except (pa.ArrowException, UnicodeError):
            return np.argsort(keys.astype(str), kind="stable")
    try:
        return np.argsort(keys, kind="stable")
    except TypeError:
        return np.argsort(keys.astype(str), kind="stable")


def check_int(value, *, func: str, name: str, lower: int = 1, allow_none: bool = False,
              upper: int | None = None):
    """Return ``value`` as an int from ``lower`` to ``upper`` (or None when allowed)."""
    if value is None and allow_none:
        return None
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        raise TypeError(f"{func}: {name} must be a whole number; found {value!r}")
    if value < lower:
        raise ValueError(f"{func}: {name} must be >= {lower}; found {value!r}")
    if upper is not None and value > upper:
        raise ValueError(f"{func}: {name} must be <= {upper}; found {value!r}")
    return int(value)


#: A century: from any date the contract accepts (1900 on) a window this long still
#: starts inside the range pandas can hold (1677 on).
MAX_MONTHS = 1200


def check_months(value, *, func: str, allow_none: bool = False):
    """``window_months``: a whole number of months from 1 to :data:`MAX_MONTHS`."""
    return check_int(value, func=func, name="window_months", allow_none=allow_none,
                     upper=MAX_MONTHS)


def check_number(value, *, func: str, name: str, low=None, high=None, open_low=False):
    """Return ``value`` as a float within the bounds, else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{func}: {name} must be a number; found {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{func}: {name} must be finite; found {value!r}")
    if low is not None and (value <= low if open_low else value < low):
        raise ValueError(f"{func}: {name} must be {'>' if open_low else '>='} {low}; found {value}")
    if high is not None and value > high:
        raise ValueError(f"{func}: {name} must be <= {high}; found {value}")
    return value


def month_edges(as_of: pd.Timestamp, months: int) -> np.ndarray:
    """Ascending edges of the ``months`` monthly slices that end with the day ``as_of``."""
    end = end_of(as_of)
    return np.array(
        [(end - pd.DateOffset(months=k)).to_datetime64() for k in range(months, -1, -1)],
        dtype="datetime64[ns]",
    )
