"""The one input contract every segmentation function applies to ``transactions``."""

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import casekit
from casekit._transactions import _object_groups, check_transactions, number_ids

# every public entry point that takes transactions, with the extra arguments it needs
ENTRY_POINTS = {
    "customer_summary": {"amount_col": "amount"},
    "calibration_holdout": {"amount_col": "amount", "calibration_end": "2024-02-15"},
    "abc_activity": {},
    "abc_pareto": {},
    "rfm_scores": {},
    "rfm_segments": {},
    "customer_pyramid": {"profit_col": "gross_margin"},
    "pyramid_migration": {"before": "2024-01-31"},
    "pyramid_what_if": {},
    "customer_profitability": {},
    "lifecycle_stages": {},
    "lifecycle_transitions": {"before": "2024-01-31"},
}
NAMES = sorted(ENTRY_POINTS)


def _tx():
    return pd.DataFrame({
        "order_id": [1, 2, 3, 4, 5, 6],
        "customer_id": ["a", "b", "a", "c", "b", "a"],
        "date": ["2024-01-03", "2024-01-10", "2024-02-01", "2024-02-20", "2024-03-05",
                 "2024-03-28"],
        "amount": [100.0, 40.0, 60.0, 25.0, -10.0, 80.0],
        "gross_margin": [30.0, 12.0, 18.0, 8.0, -3.0, 24.0],
    })


def _call(name, tx, **kwargs):
    return getattr(casekit, name)(tx, **{**ENTRY_POINTS[name], **kwargs})


def _date_word(name):
    return "observation_end" if name in ("customer_summary", "calibration_holdout") else "as_of"


@pytest.mark.parametrize("name", NAMES)
def test_valid_input_is_not_mutated(name):
    tx = _tx()
    before = tx.copy()
    _call(name, tx, as_of="2024-03-31")
    pd.testing.assert_frame_equal(tx, before)


@pytest.mark.parametrize("name", NAMES)
def test_not_a_frame(name):
    with pytest.raises(TypeError, match=f"{name}: transactions must be a pandas DataFrame; "
                                        f"found list"):
        _call(name, [1, 2])


@pytest.mark.parametrize("name", NAMES)
def test_missing_column(name):
    tx = _tx().drop(columns="customer_id")
    with pytest.raises(ValueError, match=rf"{name}: column 'customer_id' not found in "
                                         rf"transactions; columns are \['order_id', 'date'"):
        _call(name, tx)


@pytest.mark.parametrize("name", NAMES)
def test_column_names_are_keywords(name):
    tx = _tx().rename(columns={"customer_id": "cust", "date": "day", "amount": "value"})
    out = _call(name, tx, customer_col="cust", date_col="day", amount_col="value",
                as_of="2024-03-31")
    assert isinstance(out, pd.DataFrame) and len(out) > 0


@pytest.mark.parametrize("name", NAMES)
def test_empty_frame(name):
    with pytest.raises(ValueError, match=f"{name}: transactions is empty; expected at least"):
        _call(name, _tx().iloc[:0])


@pytest.mark.parametrize("name", NAMES)
def test_missing_customer_id(name):
    tx = _tx()
    tx.loc[[1, 4], "customer_id"] = None
    with pytest.raises(ValueError, match=rf"{name}: column 'customer_id' has 2 missing values "
                                         rf"\(rows \[1, 4\]\)"):
        _call(name, tx)


@pytest.mark.parametrize("name", NAMES)
def test_dates_must_parse(name):
    tx = _tx()
    tx.loc[2, "date"] = "soon"
    with pytest.raises(ValueError, match=rf"{name}: column 'date' has 1 values that are not "
                                         rf"dates, e.g. \['soon'\]"):
        _call(name, tx)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("bad", ["x", np.inf, np.nan])
def test_amounts_numeric_and_finite(name, bad):
    tx = _tx().astype({"amount": object})
    tx.loc[3, "amount"] = bad
    with pytest.raises(ValueError, match=f"{name}: column 'amount' must be numeric and finite; "
                                        f"found 1 bad values"):
        _call(name, tx)


@pytest.mark.parametrize("name", NAMES)
def test_duplicate_order_ids(name):
    tx = _tx()
    tx.loc[5, "order_id"] = 2
    with pytest.raises(ValueError, match=rf"{name}: column 'order_id' must be unique in "
                                         rf"transactions; found 2 rows with repeated values, "
                                         rf"e.g. \[2\]"):
        _call(name, tx, order_col="order_id")


@pytest.mark.parametrize("name", NAMES)
def test_bad_as_of(name):
    word = _date_word(name)
    with pytest.raises(ValueError, match=f"{name}: {word} must be a date such as"):
        _call(name, _tx(), **{word: "next year"})
    with pytest.raises(ValueError, match=f"{name}: no transactions dated on or before "
                                        f"{word}=2023-12-31; the first date is 2024-01-03"):
        _call(name, _tx(), **{word: "2023-12-31"})


@pytest.mark.parametrize("name", NAMES)
def test_rows_after_as_of_are_left_out(name):
    tx = _tx()
    future = pd.DataFrame({"order_id": [7, 8], "customer_id": ["a", "z"],
                           "date": ["2024-04-01", "2024-05-01"], "amount": [500.0, 70.0],
                           "gross_margin": [100.0, 20.0]})
    longer = pd.concat([tx, future], ignore_index=True)
    word = _date_word(name)
    expected = _call(name, tx, **{word: "2024-03-31"})
    found = _call(name, longer, **{word: "2024-03-31"})
    pd.testing.assert_frame_equal(found, expected)


def test_negative_amounts_are_returns():
    tx = _tx()
    out = casekit.rfm_scores(tx, as_of="2024-03-31")
    assert out.loc["b", "frequency"] == 1  # the return on 5 March is not a purchase
    assert out.loc["b", "monetary"] == 30.0  # but its money is netted
    assert out.loc["b", "recency"] == (pd.Timestamp("2024-03-31")
                                       - pd.Timestamp("2024-01-10")).days


def test_timezones_and_times_are_accepted():
    tx = _tx()
    tx["date"] = pd.to_datetime(tx["date"]).dt.tz_localize("Asia/Shanghai") + pd.Timedelta(
        hours=23)
    frame, as_of, codes, customers = check_transactions(
        tx, func="demo", customer_col="customer_id", date_col="date", amount_col="amount",
        as_of="2024-03-28")
    assert len(frame) == 6 and as_of == pd.Timestamp("2024-03-28")
    assert list(customers[codes]) == tx["customer_id"].tolist()


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"customer_col": "date"}, ValueError, "date_col='date' names a column already used"),
        ({"amount_col": 5}, TypeError, "demo: amount_col must be a column name"),
        ({"extra": {"customer_id": "number"}}, ValueError,
         "demo: column 'customer_id' is asked for twice"),
    ],
)
def test_helper_errors(kwargs, error, match):
    base = {"customer_col": "customer_id", "date_col": "date", "amount_col": "amount"}
    with pytest.raises(error, match=match):
        check_transactions(_tx(), func="demo", **{**base, **kwargs})


def _big_ids(shared: bool):
    names = [f"C-{i:05d}" for i in range(300)]
    rng = np.random.default_rng(1)
    picks = rng.integers(0, 300, 5000)
    if shared:
        return np.array(names, dtype=object)[picks]
    # new str objects for every row, as read_csv makes them
    return np.array(["".join(["C-", names[p][2:]]) for p in picks], dtype=object)


def _groups_agree(codes, uniques, ids):
    expected_codes, expected_uniques = pd.factorize(ids)
    assert len(uniques) == len(expected_uniques)
    assert (np.asarray(uniques, dtype=object)[codes] == ids).all()
    # the same rows share a code
    pairs = pd.DataFrame({"a": codes, "b": expected_codes}).drop_duplicates()
    assert len(pairs) == len(expected_uniques)


@pytest.mark.parametrize("shared", [True, False])
@pytest.mark.parametrize("width", ["one", "varied", "mixed types"])
def test_number_ids_groups_as_pandas_does(shared, width):
    ids = _big_ids(shared)
    if width == "varied":
        ids[::7] = [x + "-b" for x in ids[::7]]
    elif width == "mixed types":
        ids[::11] = 42
    codes, uniques = number_ids(pd.Series(ids))
    _groups_agree(codes, uniques, ids)
    if width == "one":  # ids of one length come out sorted
        assert list(uniques) == sorted(uniques)


@pytest.mark.parametrize("shared", [True, False])
def test_number_ids_finds_missing_ids(shared):
    ids = _big_ids(shared)
    ids[[5, 77]] = [None, np.nan]
    assert number_ids(pd.Series(ids)) is None


def test_equal_ids_in_different_objects_are_one_customer():
    ids = _big_ids(True)
    copies = np.array(["".join(["C-", x[2:]]) for x in ids[:500]], dtype=object)
    mixed = np.concatenate([ids, copies])
    for column in (mixed, np.where(np.arange(len(mixed)) % 9 == 0, mixed + "x", mixed)):
        codes, uniques = number_ids(pd.Series(column))
        assert len(uniques) == len(set(column.tolist()))
        assert (np.asarray(uniques, dtype=object)[codes] == column).all()


@pytest.mark.parametrize(
    ("convert", "back"),
    [
        (lambda s: s.astype("category"), str),
        (lambda s: s.astype("string"), str),
        (lambda s: s.str.slice(2).astype(int), lambda i: f"C-{i:05d}"),
    ],
    ids=["category", "string", "int"],
)
def test_every_id_dtype_gives_the_same_result(convert, back):
    tx = pd.DataFrame({"customer_id": _big_ids(True), "amount": 1.0,
                       "date": pd.Timestamp("2024-01-01")
                       + pd.to_timedelta(np.arange(5000) % 300, unit="D")})
    plain = casekit.rfm_scores(tx)
    found = casekit.rfm_scores(tx.assign(customer_id=convert(tx["customer_id"])))
    assert [back(i) for i in found.index] == plain.index.tolist()
    pd.testing.assert_frame_equal(found.reset_index(drop=True), plain.reset_index(drop=True))


def test_string_dates_and_integer_amounts_take_the_full_check():
    tx = _tx()
    fast = casekit.customer_summary(tx.assign(date=pd.to_datetime(tx["date"])),
                                    amount_col="amount")
    slow = casekit.customer_summary(tx.assign(amount=tx["amount"].astype(object)),
                                    amount_col="amount")
    pd.testing.assert_frame_equal(fast, slow)


_ID_FORMS = {
    "shared str": lambda ids: ids,
    "str per row": lambda ids: np.array(["".join(["C-", x[2:]]) for x in ids], dtype=object),
    "string[pyarrow]": lambda ids: pd.Series(ids).astype("string[pyarrow]"),
    "large_string": lambda ids: pd.Series(ids).astype(pd.ArrowDtype(pa.large_string())),
    "string[python]": lambda ids: pd.Series(ids).astype("string[python]"),
    "category": lambda ids: pd.Series(ids).astype("category"),
    "varying length": lambda ids: np.array([x.replace("C-00", "K") if x < "C-00150" else x
                                            for x in ids], dtype=object),
    "non-ascii": lambda ids: np.array([x.replace("C", "客") for x in ids], dtype=object),
}


@pytest.mark.parametrize("form", sorted(_ID_FORMS))
def test_every_id_form_numbers_customers_as_sorted_text(form):
    ids = pd.Series(_ID_FORMS[form](_big_ids(True)))
    tx = pd.DataFrame({"customer_id": ids, "date": "2024-01-01", "amount": 1.0})
    checked = check_transactions(tx, func="demo", customer_col="customer_id", date_col="date")
    text = ids.astype(object).to_numpy()
    assert list(checked.customers) == sorted(set(text))
    assert (checked.customers.to_numpy()[checked.codes] == text).all()


@pytest.mark.parametrize("scale", [1, 10**9])
def test_integer_ids_dense_or_sparse_number_in_order(scale):
    ids = np.random.default_rng(2).integers(-50, 250, 3000) * scale
    tx = pd.DataFrame({"customer_id": ids, "date": "2024-01-01"})
    checked = check_transactions(tx, func="demo", customer_col="customer_id", date_col="date")
    assert checked.customers.tolist() == sorted(set(ids.tolist()))
    assert (checked.customers.to_numpy()[checked.codes] == ids).all()


@pytest.mark.parametrize("form", ["string[pyarrow]", "category", "str per row"])
def test_missing_id_in_any_form_is_refused(form):
    ids = pd.Series(_ID_FORMS[form](_big_ids(True)))
    ids[17] = None
    tx = pd.DataFrame({"customer_id": ids, "date": "2024-01-01"})
    with pytest.raises(ValueError, match=r"demo: column 'customer_id' has 1 missing values"):
        check_transactions(tx, func="demo", customer_col="customer_id", date_col="date")


def test_rows_sharing_str_objects_are_grouped_by_object():
    names = np.array([f"C-{i:05d}" for i in range(3000)], dtype=object)
    ids = names[np.random.default_rng(2).integers(0, 3000, 200_000)]
    groups = _object_groups(ids)
    assert groups is not None and len(groups.first) == len(set(ids.tolist()))
    objects = np.full(groups.n_slots, None, dtype=object)
    objects[groups.occupied] = ids[groups.first]
    assert (objects[groups.slot] == ids).all()
    codes, uniques = number_ids(pd.Series(ids))
    _groups_agree(codes, uniques, ids)
    assert list(uniques) == sorted(uniques)
    # one object per row: nothing to group
    assert _object_groups(np.array(["".join(["C-", x[2:]]) for x in ids], dtype=object)) is None


@pytest.mark.parametrize("layout", ["two distant pools", "over a million rows"])
def test_rows_sharing_str_objects_group_in_any_layout(layout):
    rng = np.random.default_rng(3)
    first = np.array([f"C-{i:05d}" for i in range(3000)], dtype=object)
    if layout == "two distant pools":  # the slots between them are too many to count
        filler = [f"filler-{i:09d}" for i in range(400_000)]
        second = np.array([f"D-{i:05d}" for i in range(3000)], dtype=object)
        names, n = np.concatenate([first, second]), 200_000
    else:  # looked up in two halves side by side
        filler, names, n = [], first, (1 << 20) + 3
    ids = names[rng.integers(0, len(names), n)]
    groups = _object_groups(ids)
    assert groups is not None and len(groups.first) == len(set(ids.tolist()))
    codes, uniques = number_ids(pd.Series(ids))
    _groups_agree(codes, uniques, ids)
    assert list(uniques) == sorted(uniques) and len(filler) in (0, 400_000)


def _many_ids(n=150_000):
    """More distinct str objects than the point where DuckDB converts them to Arrow."""
    rng = np.random.default_rng(5)
    return np.array([f"C-{i:07d}" for i in rng.integers(0, 400_000, n)], dtype=object)


@pytest.mark.parametrize("odd", ["none", "number", "number as text", "surrogate", "non-ascii"])
def test_many_distinct_str_objects_group_as_pandas_does(odd):
    ids = _many_ids()
    if odd == "number":  # DuckDB would read 42 as the text '42'; it must stay its own id
        ids[::1000] = 42
        ids[1::1000] = "42"
    elif odd == "number as text":
        ids[::1000] = "42"
    elif odd == "surrogate":  # no UTF-8 form, so neither Arrow nor DuckDB takes it
        ids[3] = "C-\ud800"
    elif odd == "non-ascii":
        ids[::3] = [x.replace("C", "客") for x in ids[::3]]
    codes, uniques = number_ids(pd.Series(ids))
    _groups_agree(codes, uniques, ids)
    if odd == "number":
        assert sum(isinstance(u, int) for u in uniques) == 1 and "42" in set(uniques)
    if odd == "none":  # ids of one byte length are numbered in sorted order
        assert list(uniques) == sorted(uniques)


def test_text_keys_over_many_blocks_sort_as_text():
    ids = _many_ids(300_000)  # several blocks of rows
    tx = pd.DataFrame({"customer_id": ids, "date": "2024-01-01"})
    checked = check_transactions(tx, func="demo", customer_col="customer_id", date_col="date")
    assert list(checked.customers) == sorted(set(ids.tolist()))
    assert (checked.customers.to_numpy()[checked.codes] == ids).all()


@pytest.mark.parametrize("widths", ["one", "one per chunk", "an empty chunk"])
def test_arrow_ids_in_chunks_number_as_sorted_text(widths):
    ids = _many_ids(200_000)
    parts = [ids[:70_000], ids[70_000:]]
    if widths == "one per chunk":  # the second chunk's ids are a byte longer
        parts[1] = np.array([x + "b" for x in parts[1]], dtype=object)
    elif widths == "an empty chunk":
        parts.insert(1, np.array([], dtype=object))
    chunked = pa.chunked_array([pa.array(part, type=pa.string()) for part in parts])
    column = pd.Series(pd.arrays.ArrowExtensionArray(chunked))
    tx = pd.DataFrame({"customer_id": column, "date": "2024-01-01"})
    checked = check_transactions(tx, func="demo", customer_col="customer_id", date_col="date")
    text = np.concatenate(parts)
    assert list(checked.customers) == sorted(set(text.tolist()))
    assert (checked.customers.to_numpy()[checked.codes] == text).all()


@pytest.mark.parametrize("categories", [["a", "b", "c", "unused"], ["c", "unused", "b", "a"]])
def test_categories_unused_or_unsorted_number_as_text(categories):
    ids = pd.Categorical(list("abcab" * 300), categories=categories)
    tx = pd.DataFrame({"customer_id": ids, "date": "2024-01-01"})
    checked = check_transactions(tx, func="demo", customer_col="customer_id", date_col="date")
    assert list(checked.customers) == ["a", "b", "c"]
    assert (checked.customers.to_numpy()[checked.codes] == np.asarray(ids)).all()


@pytest.mark.parametrize(("broken", "match"), [
    ("date", r"column 'customer_id' has 1 missing values"),  # the id is checked first
    ("no amount", r"column 'amount' not found"),  # a missing column before any value
])
def test_with_two_faults_the_first_in_column_order_is_named(broken, match):
    ids = _many_ids()
    ids[9] = None
    tx = pd.DataFrame({"customer_id": ids, "date": "2024-01-01", "amount": 1.0})
    if broken == "date":
        tx.loc[4, "date"] = "not a date"
    else:
        tx = tx.drop(columns="amount")
    with pytest.raises(ValueError, match=match):
        check_transactions(tx, func="demo", customer_col="customer_id", date_col="date",
                           amount_col="amount", amount_required=True)
