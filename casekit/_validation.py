"""Input checks shared by every public entry point.

Each check raises an error a student can act on: it names the function, the
column or parameter, what was expected and what was found, with a few examples
of the bad values.  No pandas traceback from deep inside casekit reaches the user.

The rules, applied once here for every table and date parameter
---------------------------------------------------------------
Time zones
    A date with a time zone is read as the wall-clock time in its own zone,
    and the zone is dropped: ``2024-03-31 23:00+08:00`` is 31 March.  This
    holds for columns and for parameters such as ``as_of``.  A column that
    mixes dates with and without a zone, or text dates with different UTC
    offsets, is refused: convert it to one zone first.
Years
    Dates must lie in the years 1900 to 2200; anything else is a typo
    (and pandas cannot hold most of it).
Text dates
    Year-first text (``2024-04-03``, ISO 8601 with a time or an offset) and
    dates with a month name (``3 April 2024``) are read.  Numeric text that
    does not start with the year, such as ``03/04/2024``, is refused: it could
    be 3 April or 4 March.  Parse it with an explicit format first.
Numbers
    Amounts and other numbers must be finite and at most 1e15 in size, so
    that totals over millions of rows stay finite.
Row index
    The user's row index is not used: a repeated index, as left by
    ``pd.concat``, cannot pair rows with the wrong values.
"""

from __future__ import annotations

import datetime
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

#: The kinds of column :func:`check_frame` knows.
COLUMN_KINDS = ("any", "key", "date", "number", "nonnegative", "positive")

_N_EXAMPLES = 5
# dateutil happily reads "June" as 1 June of year 1; dates outside this window are typos.
_FIRST_YEAR, _LAST_YEAR = 1900, 2200
_EARLIEST, _AFTER_LATEST = pd.Timestamp(_FIRST_YEAR, 1, 1), pd.Timestamp(_LAST_YEAR + 1, 1, 1)
_YEARS = f"between the years {_FIRST_YEAR} and {_LAST_YEAR}"
#: Largest size of a number accepted in a column; 1e15 x 1e6 rows is still far from overflow.
MAX_NUMBER = 1e15
# Numeric text whose first field is not a four-digit year: day and month order is a guess.
_AMBIGUOUS = re.compile(r"^\s*\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}(\D|$)")
_AMBIGUOUS_HELP = (
    "a numeric date that does not start with the year is ambiguous ('03/04/2024' could be "
    "3 April or 4 March); write dates as 'YYYY-MM-DD', or parse them first with "
    "pd.to_datetime(..., format='%d/%m/%Y')"
)


def _examples(values: Iterable) -> str:
    shown = list(values)[:_N_EXAMPLES]
    return repr([v.item() if isinstance(v, np.generic) else v for v in shown])


def check_choice(value, *, func: str, name: str, choices: Sequence):
    """Return ``value`` if it is one of ``choices``, else raise a ValueError.

    Examples
    --------
    >>> check_choice("W", func="customer_summary", name="freq", choices=["D", "W", "M"])
    'W'
    >>> check_choice("Q", func="customer_summary", name="freq", choices=["D", "W", "M"])
    Traceback (most recent call last):
    ...
    ValueError: customer_summary: freq must be one of ['D', 'W', 'M']; found 'Q'
    """
    if value not in choices:
        raise ValueError(f"{func}: {name} must be one of {list(choices)!r}; found {value!r}")
    return value


def check_date(value, *, func: str, name: str) -> pd.Timestamp:
    """Parse one date parameter such as ``as_of`` into a naive Timestamp.

    The rules of the module apply: a time zone is dropped after reading the
    wall-clock time in it, ambiguous numeric text is refused, and the year
    must lie between 1900 and 2200.

    Examples
    --------
    >>> check_date("2024-06-30", func="abc_activity", name="as_of")
    Timestamp('2024-06-30 00:00:00')
    >>> check_date("2024-06-30T23:00+08:00", func="abc_activity", name="as_of")
    Timestamp('2024-06-30 23:00:00')
    >>> check_date("June", func="abc_activity", name="as_of")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: abc_activity: as_of must be a date such as '2024-06-30', ...; found 'June'
    """
    if isinstance(value, str) and _AMBIGUOUS.match(value):
        raise ValueError(f"{func}: {name}={value!r} is ambiguous; {_AMBIGUOUS_HELP}")
    stamp = _timestamp(value)
    if pd.isna(stamp) or not _FIRST_YEAR <= stamp.year <= _LAST_YEAR:
        raise ValueError(
            f"{func}: {name} must be a date such as '2024-06-30', {_YEARS}; found {value!r}"
        )
    if stamp.tzinfo is not None:
        stamp = stamp.tz_localize(None)
    return stamp.as_unit("ns")


def check_frame(
    data,
    *,
    func: str,
    columns: Mapping[str, str],
    name: str = "transactions",
    unique: str | Sequence[str] | None = None,
    allow_empty: bool = False,
) -> pd.DataFrame:
    """Check a DataFrame against an input contract and return a clean copy.

    Parameters
    ----------
    data : pandas.DataFrame
        The user's table; it is never modified.
    func : str
        Name of the public function asking, used in every message.
    columns : mapping of column name to kind
        ``"key"``: no missing values (ids); ``"date"``: parses as a date, no
        missing values; ``"number"``: numeric and finite; ``"nonnegative"`` and
        ``"positive"``: numbers with a bound; ``"any"``: only has to exist.
    name : str
        What the table is called in messages.
    unique : str or list of str, optional
        Column(s) whose values must not repeat, such as an order id.
    allow_empty : bool
        Whether a table without rows is acceptable.

    Returns
    -------
    pandas.DataFrame
        A copy holding only ``columns``, with dates as ``datetime64[ns]`` and
        numbers as float.

    Examples
    --------
    >>> tx = pd.DataFrame({"id": [1, 2], "date": ["2024-01-05", "2024-02-01"],
    ...                    "amount": [10, 12.5]})
    >>> check_frame(tx, func="demo", columns={"id": "key", "date": "date",
    ...                                       "amount": "number"}).dtypes.tolist()
    [dtype('int64'), dtype('<M8[ns]'), dtype('float64')]
    >>> check_frame(tx, func="rfm_scores", columns={"order_date": "date"})
    Traceback (most recent call last):
    ...
    ValueError: rfm_scores: column 'order_date' not found in transactions; columns are [...]
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError(
            f"{func}: {name} must be a pandas DataFrame; found {type(data).__name__}"
        )
    for column, kind in columns.items():
        if kind not in COLUMN_KINDS:  # a programming error inside casekit
            raise ValueError(f"check_frame: unknown column kind {kind!r} for {column!r}")
        if column not in data.columns:
            raise ValueError(
                f"{func}: column {column!r} not found in {name}; "
                f"columns are {list(map(str, data.columns))!r}"
            )
    if data.empty and not allow_empty:
        raise ValueError(f"{func}: {name} is empty; expected at least one row")

    # A fresh index: a repeated one (after pd.concat) must not pair rows wrongly.
    out = pd.DataFrame(index=pd.RangeIndex(len(data)))
    for column, kind in columns.items():
        values = data[column]
        if isinstance(values, pd.DataFrame):
            raise ValueError(f"{func}: column {column!r} appears more than once in {name}")
        if kind == "any":
            checked = values
        elif kind == "key":
            checked = _check_key(values, func=func, column=column)
        elif kind == "date":
            checked = _check_dates(values, func=func, column=column)
        else:
            checked = _check_numbers(values, func=func, column=column, kind=kind)
        out[column] = checked.array  # by position: the index may repeat

    if unique is not None:
        keys = [unique] if isinstance(unique, str) else list(unique)
        for key in keys:
            if key not in data.columns:
                raise ValueError(
                    f"{func}: column {key!r} not found in {name}; "
                    f"columns are {list(map(str, data.columns))!r}"
                )
        dupes = data.loc[data.duplicated(keys, keep=False), keys]
        if len(dupes):
            shown = dupes.drop_duplicates().head(_N_EXAMPLES)
            examples = shown.iloc[:, 0].tolist() if len(keys) == 1 else shown.to_dict("records")
            raise ValueError(
                f"{func}: column {keys[0] if len(keys) == 1 else keys!r} must be unique in "
                f"{name}; found {len(dupes)} rows with repeated values, e.g. {_examples(examples)}"
            )
    return out


def _check_key(values: pd.Series, *, func: str, column: str) -> pd.Series:
    missing = values.isna()
    if missing.any():
        rows = values.index[missing]
        raise ValueError(
            f"{func}: column {column!r} has {int(missing.sum())} missing values "
            f"(rows {_examples(rows)}); every row needs a {column}"
        )
    return values.copy()


def _check_dates(values: pd.Series, *, func: str, column: str) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        parsed = values
        if getattr(values.dt, "tz", None) is not None:
            parsed = values.dt.tz_localize(None)
    elif pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        raise ValueError(
            f"{func}: column {column!r} must hold dates; found numbers of dtype {values.dtype}, "
            f"e.g. {_examples(values)}"
        )
    else:
        parsed = _parse_dates(values, func=func, column=column)
    if parsed.dtype == "datetime64[ns]":
        # two reductions settle the bounds and NaT (the smallest int64) at once; only a
        # column that fails them is searched for the values to name
        ticks = parsed.to_numpy().view("i8")
        if len(ticks) and _EARLIEST.value <= ticks.min() and ticks.max() < _AFTER_LATEST.value:
            return parsed
    # Bounds first: a year-2500 value in a datetime64[s] column cannot become nanoseconds.
    # Comparisons with bounds stay cheap on millions of rows (no per-row year fields).
    outside = ((parsed < _EARLIEST) | (parsed >= _AFTER_LATEST)).to_numpy()
    if outside.any():
        raise ValueError(
            f"{func}: column {column!r} must hold dates {_YEARS}; found {int(outside.sum())} "
            f"values outside, e.g. {_examples(values[outside])}"
        )
    if parsed.dtype != "datetime64[ns]":  # the frame takes a copy anyway
        parsed = parsed.astype("datetime64[ns]")
    bad = parsed.isna().to_numpy()
    if bad.any():
        # a real date in the wrong century, not text dateutil reads as year 1 ('June')
        dated = [v for v in pd.unique(values[bad].to_numpy(dtype=object))
                 if not pd.isna(_timestamp(v))
                 and (not isinstance(v, str) or re.search(r"\d{4}", v))]
        if dated:
            raise ValueError(
                f"{func}: column {column!r} must hold dates {_YEARS}; found values outside, "
                f"e.g. {_examples(dated)}"
            )
        raise ValueError(
            f"{func}: column {column!r} has {int(bad.sum())} values that are not dates, "
            f"e.g. {_examples(values[bad])}"
        )
    return parsed


def _parse_dates(values: pd.Series, *, func: str, column: str) -> pd.Series:
    """Text or date objects to datetimes, by the rules of the module."""
    values = values.reset_index(drop=True)
    distinct = pd.Series(pd.unique(values.to_numpy(dtype=object)))
    text = distinct[[isinstance(v, str) for v in distinct]]
    if len(text):
        ambiguous = text[text.str.match(_AMBIGUOUS)]
        if len(ambiguous):
            raise ValueError(
                f"{func}: column {column!r} holds text dates such as "
                f"{_examples(ambiguous)}; {_AMBIGUOUS_HELP}"
            )
    objects = [v for v in distinct if isinstance(v, datetime.datetime)]
    aware = {v.tzinfo is not None for v in objects}
    if len(aware) > 1:
        naive = next(v for v in objects if v.tzinfo is None)
        _refuse_mixed_zones(func, column, naive, next(v for v in objects if v.tzinfo))
    with warnings.catch_warnings():
        # pandas warns about mixed offsets, which are refused below.
        warnings.simplefilter("ignore")
        try:
            parsed = pd.to_datetime(values, errors="coerce", format="mixed")
        except (TypeError, ValueError, OverflowError):
            # e.g. aware and naive datetime objects mixed, or an out-of-range datetime.date
            parsed = values.map(_one_date)
    if pd.api.types.is_datetime64_any_dtype(parsed):
        if getattr(parsed.dt, "tz", None) is not None:
            parsed = parsed.dt.tz_localize(None)
        return parsed
    # Object dtype: the values carry different offsets, or some have none.
    stamps = parsed.map(_one_date)
    zones = stamps.map(lambda v: None if pd.isna(v) else v.utcoffset())
    known = zones[stamps.notna()]
    if known.isna().any() and known.notna().any():
        _refuse_mixed_zones(func, column, values[known.isna().idxmax()],
                            values[known.notna().idxmax()])
    if known.nunique() > 1:
        examples = values[known.drop_duplicates().index]
        raise ValueError(
            f"{func}: column {column!r} holds dates with different UTC offsets, e.g. "
            f"{_examples(examples)}; convert them to one zone first, "
            f"e.g. pd.to_datetime(column, utc=True).dt.tz_convert('Asia/Shanghai')"
        )
    return pd.to_datetime(
        stamps.map(lambda v: v if pd.isna(v) else v.tz_localize(None) if v.tzinfo else v)
    )


def _refuse_mixed_zones(func: str, column: str, naive, aware):
    raise ValueError(
        f"{func}: column {column!r} mixes dates with and without a time zone, e.g. "
        f"{_examples([naive, aware])}; give them all one zone, or none"
    )


def _timestamp(value):
    """``pd.Timestamp(value)``, or NaT when it is no date."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return pd.Timestamp(value)
    except (TypeError, ValueError, OverflowError):
        return pd.NaT


def _one_date(value):
    stamp = _timestamp(value)
    if pd.isna(stamp) or not _FIRST_YEAR <= stamp.year <= _LAST_YEAR:
        return pd.NaT
    return stamp


def check_optional_dates(values: pd.Series, *, func: str, column: str) -> pd.Series:
    """Dates that may be missing (a churn date, a contract end), by the rules of the module.

    Examples
    --------
    >>> check_optional_dates(pd.Series(["2024-01-31", None]), func="demo", column="end")
    0   2024-01-31
    1          NaT
    dtype: datetime64[ns]
    """
    values = values.reset_index(drop=True)
    known = values.notna().to_numpy()
    dates = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    if known.any():
        dates[known] = _check_dates(values[known], func=func, column=column).to_numpy()
    return dates


def _check_numbers(values: pd.Series, *, func: str, column: str, kind: str) -> pd.Series:
    if pd.api.types.is_bool_dtype(values):
        numbers = pd.Series(np.nan, index=values.index)
    elif pd.api.types.is_numeric_dtype(values):
        numbers = values.astype(float, copy=False)  # check_frame copies it into its frame
    else:
        numbers = pd.to_numeric(values, errors="coerce").astype(float)
    array = numbers.to_numpy()
    # two reductions and no temporary array; a nan makes min and max nan, failing the test
    if len(array) and not (-MAX_NUMBER <= array.min() and array.max() <= MAX_NUMBER):
        bad = ~np.isfinite(array)
        if bad.any():
            raise ValueError(
                f"{func}: column {column!r} must be numeric and finite; found {int(bad.sum())} "
                f"bad values, e.g. {_examples(values[bad])}"
            )
        bad = np.abs(array) > MAX_NUMBER
        raise ValueError(
            f"{func}: column {column!r} must hold numbers of size at most {MAX_NUMBER:g}; "
            f"found {int(bad.sum())} larger values, e.g. {_examples(values[bad])}"
        )
    if kind == "nonnegative":
        bad = numbers < 0
        wanted = ">= 0"
    elif kind == "positive":
        bad = numbers <= 0
        wanted = "> 0"
    else:
        return numbers
    if bad.any():
        raise ValueError(
            f"{func}: column {column!r} must be {wanted}; found {int(bad.sum())} values that are "
            f"not, e.g. {_examples(values[bad])}"
        )
    return numbers


def check_array(
    values,
    *,
    func: str,
    name: str,
    lower: float | None = None,
    strict: bool = False,
    integer: bool = False,
    bounded: bool = False,
) -> np.ndarray:
    """Return ``values`` as a finite 1-D float array, or raise a clear error.

    Parameters
    ----------
    values : array-like
        A list, numpy array or pandas Series.
    func, name : str
        The public function and its argument, for the message.
    lower : float, optional
        Smallest allowed value; with ``strict=True`` the bound itself is excluded.
    integer : bool
        Whether the values must be whole numbers (counts).
    bounded : bool
        Whether the values must be at most :data:`MAX_NUMBER` in size, as
        amounts of money and counts must, so that products and sums of them
        stay finite.

    Examples
    --------
    >>> check_array([0, 2, 5], func="BetaGeo.fit", name="frequency", lower=0, integer=True)
    array([0., 2., 5.])
    >>> check_array([1, -2], func="BetaGeo.fit", name="frequency", lower=0)
    Traceback (most recent call last):
    ...
    ValueError: BetaGeo.fit: frequency must be >= 0; found 1 values that are not, e.g. [-2.0]
    """
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(
            f"{func}: {name} must be numeric; found {type(values).__name__} that does not "
            f"convert to numbers"
        ) from None
    if array.ndim == 0:
        array = array.reshape(1)
    if array.ndim != 1:
        raise ValueError(f"{func}: {name} must be one-dimensional; found shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{func}: {name} is empty; expected at least one value")
    # Two reductions settle every bound at once (nan propagates through both); only an
    # array that fails them is searched for the values to name.
    low, high = array.min(), array.max()
    if (np.isfinite(low) and np.isfinite(high)
            and (not bounded or max(-low, high) <= MAX_NUMBER)
            and (lower is None or (low > lower if strict else low >= lower))):
        if not integer or getattr(getattr(values, "dtype", None), "kind", None) in ("b", "i", "u"):
            return array
        if np.array_equal(array, np.rint(array)):
            return array
    bad = ~np.isfinite(array)
    if bad.any():
        raise ValueError(
            f"{func}: {name} must be finite; found {int(bad.sum())} bad values, "
            f"e.g. {_examples(array[bad])}"
        )
    if bounded:
        bad = np.abs(array) > MAX_NUMBER
        if bad.any():
            raise ValueError(
                f"{func}: {name} must hold numbers of size at most {MAX_NUMBER:g}; found "
                f"{int(bad.sum())} larger values, e.g. {_examples(array[bad])}"
            )
    if lower is not None:
        bad = array <= lower if strict else array < lower
        if bad.any():
            wanted = f"> {lower}" if strict else f">= {lower}"
            raise ValueError(
                f"{func}: {name} must be {wanted}; found {int(bad.sum())} values that are not, "
                f"e.g. {_examples(array[bad])}"
            )
    if integer:
        bad = array != np.round(array)
        if bad.any():
            raise ValueError(
                f"{func}: {name} must hold whole numbers; found {int(bad.sum())} values that "
                f"are not, e.g. {_examples(array[bad])}"
            )
    return array


def id_kind(values) -> str:
    """``"number"``, ``"text"`` or ``"other"``: what a column or index of ids holds.

    Examples
    --------
    >>> id_kind(pd.Series([1, 2])), id_kind(pd.Index(["0001"])), id_kind([None, 1.5])
    ('number', 'text', 'number')
    """
    values = pd.Series(values) if not isinstance(values, pd.Series | pd.Index) else values
    dtype = values.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        values, dtype = values.dtype.categories, values.dtype.categories.dtype
    if dtype.kind in "iufb":
        return "number"
    if pd.api.types.is_string_dtype(dtype) and dtype.kind != "O":
        return "text"
    inferred = pd.api.types.infer_dtype(pd.unique(np.asarray(values, dtype=object)), skipna=True)
    if inferred == "string":
        return "text"
    if inferred in ("integer", "floating", "mixed-integer-float", "decimal", "boolean"):
        return "number"
    return "other"


def check_same_ids(left, right, *, func: str, left_name: str, right_name: str,
                   column: str = "customer_id") -> None:
    """Refuse ids that cannot join: numbers on one side, text on the other.

    ``"0001"`` read from a CSV and ``1`` from a spreadsheet never match, and a
    join would quietly treat them as two customers.

    Examples
    --------
    >>> check_same_ids(pd.Series(["0001"]), pd.Series([1]), func="demo",
    ...                left_name="transactions", right_name="activities")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: demo: customer_id is text in transactions (e.g. ['0001']) but numbers in ...
    """
    kinds = id_kind(left), id_kind(right)
    if "other" in kinds or kinds[0] == kinds[1] or len(left) == 0 or len(right) == 0:
        return
    left_examples = _examples(pd.unique(np.asarray(left, dtype=object)))
    right_examples = _examples(pd.unique(np.asarray(right, dtype=object)))
    noun = {"text": "text", "number": "numbers"}
    raise ValueError(
        f"{func}: {column} is {noun[kinds[0]]} in {left_name} (e.g. {left_examples}) but "
        f"{noun[kinds[1]]} in {right_name} (e.g. {right_examples}); ids of different types "
        f"never match: convert one side, e.g. with .astype(str)"
    )
