"""Every public function that reads dates or money gets the same bad inputs, through one contract.

The rules are in ``casekit._validation``: a date with a zone is read as the
wall-clock time in that zone; mixing zones, years outside 1900-2200 and
ambiguous numeric text dates are refused; numbers must be finite and at most
1e15; the row index is never used; ids of different types never join.
"""

import datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import casekit
from casekit._validation import check_date, check_frame

TX = pd.DataFrame({
    "order_id": [1, 2, 3, 4, 5, 6, 7, 8],
    "customer_id": ["a", "b", "a", "c", "b", "a", "d", "c"],
    "date": ["2024-01-03 09:30", "2024-01-10", "2024-02-01", "2024-02-20", "2024-03-05",
             "2024-03-28 23:00", "2024-03-30", "2024-03-31"],
    "amount": [100.0, 40.0, 60.0, 25.0, -10.0, 80.0, 15.0, 30.0],
    "gross_margin": [30.0, 12.0, 18.0, 8.0, -3.0, 24.0, 4.0, 9.0],
    "category": ["x", "y", "x", "z", "y", "y", "x", "z"],
})
SURVEYS = pd.DataFrame({"customer_id": ["a", "b", "a", "c"], "satisfaction": [9, 4, 7, 5],
                        "date": ["2023-03-01", "2023-06-01", "2024-02-01", "2023-09-01"]})
RENEWALS = pd.DataFrame({"customer_id": ["a", "a", "b", "c"],
                         "renewed": [True, False, True, False],
                         "renewal_date": ["2024-01-01", "2025-01-01", "2024-01-01",
                                          "2024-01-01"]})
TRUTH = pd.DataFrame({"customer_id": ["a", "b", "c", "d"],
                      "acquisition_date": ["2022-01-05", "2022-06-01", "2023-02-01",
                                           "2023-08-01"],
                      "churn_date": [None, "2023-05-01", "2023-09-15", None]})
ACCOUNTS = pd.DataFrame({"customer_id": ["a", "b", "c", "d"],
                         "start_date": ["2022-01-05", "2022-06-01", "2023-02-01", "2023-08-01"],
                         "end_date": ["2023-05-01", "2023-09-15", None, None]})


def _tx_call(name, **fixed):
    return lambda tables, **kw: getattr(casekit, name)(tables["transactions"], **fixed, **kw)


# name -> (call, tables, date columns per table, date parameters, money columns per table)
_TX = {"transactions": ["date"]}
_MONEY = {"transactions": ["amount"]}
_MARGIN = {"transactions": ["amount", "gross_margin"]}
ENTRIES = {
    "customer_summary": (_tx_call("customer_summary", amount_col="amount"),
                         {"transactions": TX}, _TX, {"observation_end": "2024-03-31"}, _MONEY),
    "calibration_holdout": (
        lambda t, **kw: casekit.calibration_holdout(t["transactions"], amount_col="amount",
                                                    calibration_end=kw.pop("calibration_end",
                                                                           "2024-02-15"), **kw),
        {"transactions": TX}, _TX, {"calibration_end": "2024-02-15",
                                    "observation_end": "2024-03-31"}, _MONEY),
    "abc_activity": (_tx_call("abc_activity"), {"transactions": TX}, _TX,
                     {"as_of": "2024-03-31"}, _MONEY),
    "abc_pareto": (_tx_call("abc_pareto"), {"transactions": TX}, _TX, {"as_of": "2024-03-31"},
                   _MONEY),
    "rfm_scores": (_tx_call("rfm_scores"), {"transactions": TX}, _TX, {"as_of": "2024-03-31"},
                   _MONEY),
    "rfm_segments": (_tx_call("rfm_segments"), {"transactions": TX}, _TX,
                     {"as_of": "2024-03-31"}, _MONEY),
    "customer_pyramid": (_tx_call("customer_pyramid", profit_col="gross_margin"),
                         {"transactions": TX}, _TX, {"as_of": "2024-03-31"}, _MARGIN),
    "pyramid_migration": (_tx_call("pyramid_migration"), {"transactions": TX}, _TX,
                          {"before": "2024-01-31", "as_of": "2024-03-31"}, _MONEY),
    "pyramid_what_if": (_tx_call("pyramid_what_if"), {"transactions": TX}, _TX,
                        {"as_of": "2024-03-31"}, _MONEY),
    "customer_profitability": (_tx_call("customer_profitability"), {"transactions": TX}, _TX,
                               {"as_of": "2024-03-31"}, _MARGIN),
    "lifecycle_stages": (_tx_call("lifecycle_stages"), {"transactions": TX}, _TX,
                         {"as_of": "2024-03-31"}, _MONEY),
    "lifecycle_transitions": (_tx_call("lifecycle_transitions"), {"transactions": TX}, _TX,
                              {"before": "2024-01-31", "as_of": "2024-03-31"}, _MONEY),
    "next_best_offer": (_tx_call("next_best_offer"), {"transactions": TX}, _TX,
                        {"as_of": "2024-03-31"}, {}),
    "activity_counts": (
        lambda t, **kw: casekit.activity_counts({"visit": t["visits"]}, **kw),
        {"visits": TX[["customer_id", "date"]]}, {"visits": ["date"]}, {"as_of": "2024-03-31"},
        {}),
    "contact_regularity": (lambda t, **kw: casekit.contact_regularity(t["contacts"], **kw),
                           {"contacts": TX[["customer_id", "date"]]}, {"contacts": ["date"]},
                           {}, {}),
    "next_outcome": (lambda t, **kw: casekit.next_outcome(t["events"], t["outcomes"], **kw),
                     {"events": SURVEYS, "outcomes": RENEWALS},
                     {"events": ["date"], "outcomes": ["renewal_date"]}, {}, {}),
    "churn_in_period": (lambda t, **kw: casekit.churn_in_period(t["truth"], **kw),
                        {"truth": TRUTH}, {"truth": ["acquisition_date", "churn_date"]},
                        {"start": "2023-01-01", "end": "2024-01-01"}, {}),
    "account_durations": (lambda t, **kw: casekit.account_durations(t["accounts"], **kw),
                          {"accounts": ACCOUNTS}, {"accounts": ["start_date", "end_date"]},
                          {"as_of": "2024-03-31"}, {}),
}
NAMES = sorted(ENTRIES)
WITH_DATE_PARAMS = [n for n in NAMES if ENTRIES[n][3]]
WITH_MONEY = [n for n in NAMES if ENTRIES[n][4]]


def _run(name, change_table=None, change_params=None):
    call, tables, dates, params, _ = ENTRIES[name]
    tables = {k: v.copy() for k, v in tables.items()}
    params = dict(params)
    if change_table is not None:
        for table, columns in dates.items():
            for column in columns:
                tables[table][column] = change_table(tables[table][column])
    if change_params is not None:
        params = {k: change_params(v) for k, v in params.items()}
    return call(tables, **params)


def _dates(values):
    return pd.to_datetime(values, format="ISO8601")


def _same(found, expected):
    if isinstance(expected, pd.Series):
        pd.testing.assert_series_equal(found, expected)
    else:
        pd.testing.assert_frame_equal(found, expected)


@pytest.mark.parametrize("zone", ["UTC", "Asia/Shanghai", "America/New_York"])
@pytest.mark.parametrize("name", NAMES)
def test_zoned_columns_read_as_wall_clock_time(name, zone):
    expected = _run(name, change_table=_dates)
    found = _run(name, change_table=lambda v: _dates(v).dt.tz_localize(zone))
    _same(found, expected)


@pytest.mark.parametrize("form", ["timestamp", "iso text"])
@pytest.mark.parametrize("name", WITH_DATE_PARAMS)
def test_zoned_date_parameters_read_as_wall_clock_time(name, form):
    def zoned(value):
        stamp = pd.Timestamp(value).tz_localize("Asia/Shanghai")
        return stamp if form == "timestamp" else stamp.isoformat()

    _same(_run(name, change_params=zoned), _run(name))


@pytest.mark.parametrize("name", NAMES)
def test_zoned_and_naive_dates_mixed_are_refused(name):
    def mixed(values):
        stamps = list(_dates(values))
        stamps[0] = stamps[0].tz_localize("UTC")
        return pd.Series(stamps, dtype=object)

    with pytest.raises(ValueError, match=f"{name}: column '.*' mixes dates with and without a "
                                         f"time zone"):
        _run(name, change_table=mixed)


@pytest.mark.parametrize("name", NAMES)
def test_text_dates_with_different_offsets_are_refused(name):
    def offsets(values):
        text = [None if pd.isna(s) else f"{s:%Y-%m-%dT%H:%M}+08:00" for s in _dates(values)]
        text[1] = text[1].replace("+08:00", "+00:00")
        return pd.Series(text)

    with pytest.raises(ValueError, match=f"{name}: column '.*' holds dates with different UTC "
                                         f"offsets"):
        _run(name, change_table=offsets)


@pytest.mark.parametrize("year", [1500, 2500])
@pytest.mark.parametrize("kind", ["text", "datetime64[s]", "date objects"])
@pytest.mark.parametrize("name", NAMES)
def test_years_outside_the_range_are_refused(name, year, kind):
    def far(values):
        stamps = _dates(values)
        first = f"{year}-01-05"
        if kind == "text":
            return pd.Series([first, *map(str, stamps[1:])])
        if kind == "date objects":
            return pd.Series([datetime.date(year, 1, 5), *(s.date() for s in stamps[1:])])
        array = stamps.to_numpy().astype("datetime64[s]")
        array[0] = np.datetime64(first, "s")
        return pd.Series(array)

    with pytest.raises(ValueError, match=f"{name}: column '.*' must hold dates between the "
                                         f"years 1900 and 2200"):
        _run(name, change_table=far)


@pytest.mark.parametrize("value", ["1500-01-01", "2500-06-30", "31/12/2024"])
@pytest.mark.parametrize("name", WITH_DATE_PARAMS)
def test_bad_date_parameters_are_refused(name, value):
    match = "is ambiguous" if "/" in value else "between the years 1900 and 2200"
    with pytest.raises(ValueError, match=f"{name}: .*{match}"):
        _run(name, change_params=lambda _: value)


@pytest.mark.parametrize("name", NAMES)
def test_ambiguous_day_month_text_is_refused(name):
    def day_first(values):
        return pd.Series([None if pd.isna(s) else f"{s:%d/%m/%Y}" for s in _dates(values)])

    with pytest.raises(ValueError, match=rf"{name}: column '.*' holds text dates such as "
                                         rf"\['\d\d/\d\d/\d{{4}}'.*could be 3 April or 4 March"):
        _run(name, change_table=day_first)


@pytest.mark.parametrize(("value", "match"), [
    (1e308, r"must hold numbers of size at most 1e\+15; found 1 larger values, e.g. \[1e\+308\]"),
    (np.inf, r"must be numeric and finite; found 1 bad values, e.g. \[inf\]"),
    (-np.inf, r"must be numeric and finite"),
])
@pytest.mark.parametrize("name", WITH_MONEY)
def test_overflowing_amounts_are_refused(name, value, match):
    call, tables, _, params, money = ENTRIES[name]
    for table, columns in money.items():
        for column in columns:
            bad = {**tables, table: tables[table].assign(**{column: tables[table][column]})}
            bad[table].loc[0, column] = value
            with pytest.raises(ValueError, match=f"{name}: column '{column}' {match}"):
                call(bad, **params)


@pytest.mark.parametrize("name", NAMES)
def test_a_repeated_row_index_changes_nothing(name):
    call, tables, _, params, _ = ENTRIES[name]
    repeated = {}
    for key, table in tables.items():
        half = len(table) // 2
        repeated[key] = pd.concat([table.iloc[:half], table.iloc[half:]]).set_axis(
            [*range(half), *range(len(table) - half)])
        assert repeated[key].index.has_duplicates
    _same(call(repeated, **params), call(tables, **params))


def test_next_outcome_pairs_rows_right_after_concat():
    events = pd.concat([SURVEYS.iloc[:2], SURVEYS.iloc[2:]])  # index 0, 1, 2, 3 -> 0, 1, 0, 1
    events.index = [0, 1, 0, 1]
    out = casekit.next_outcome(events, RENEWALS)
    assert len(out) == 4
    keys = zip(out["customer_id"], out["satisfaction"], strict=True)
    pairs = dict(zip(keys, out["renewal_date"], strict=True))
    assert pairs[("a", 9)] == pd.Timestamp("2024-01-01")
    assert pairs[("a", 7)] == pd.Timestamp("2025-01-01")


# --- ids of different types ---------------------------------------------------------------

NUMERIC_TX = TX.assign(customer_id=TX["customer_id"].map({"a": 1, "b": 2, "c": 3, "d": 4}))


@pytest.mark.parametrize(("call", "match"), [
    (lambda: casekit.customer_profitability(
        TX.assign(customer_id=TX["customer_id"].map({"a": "0001", "b": "0002", "c": "0003",
                                                     "d": "0004"})),
        activities=pd.DataFrame({"customer_id": [1, 2], "visit": [3, 1]}),
        costs={"visit": 10.0}),
     r"customer_profitability: customer_id is text in transactions \(e.g. \['0001'"),
    (lambda: casekit.lifecycle_stages(TX, p_alive=pd.Series([0.1, 0.9], index=[1, 2])),
     r"lifecycle_stages: customer_id is text in transactions .* but numbers in the index of "
     r"p_alive \(e.g. \[1, 2\]\)"),
    (lambda: casekit.lifecycle_stages(NUMERIC_TX, contract_end=pd.Series(
        ["2025-01-01"], index=["1"])),
     r"lifecycle_stages: customer_id is numbers in transactions .* but text in the index of "
     r"contract_end"),
    (lambda: casekit.next_outcome(SURVEYS.assign(customer_id=[1, 2, 1, 3]), RENEWALS),
     r"next_outcome: customer_id is numbers in events \(e.g. \[1, 2, 3\]\) but text in "
     r"outcomes \(e.g. \['a', 'b', 'c'\]\)"),
    (lambda: casekit.match_quality(
        pd.DataFrame({"record_id": [1, 2], "match_id": [0, 0]}),
        pd.DataFrame({"record_id": ["1", "2"], "customer_id": ["a", "a"]})),
     r"match_quality: record_id is numbers in matches"),
], ids=["profitability", "p_alive", "contract_end", "next_outcome", "match_quality"])
def test_ids_of_different_types_are_refused(call, match):
    with pytest.raises(ValueError, match=match + ".*convert one side, e.g. with .astype"):
        call()


def test_ids_of_one_type_still_join():
    out = casekit.customer_profitability(
        NUMERIC_TX, activities=pd.DataFrame({"customer_id": [1, 2], "visit": [3, 1]}),
        costs={"visit": 10.0})
    assert len(out) == 4 and out.loc[1, "n_visit"] == 3.0  # no phantom customers


# --- property tests of the date rules -----------------------------------------------------

ZONES = ["UTC", "Asia/Shanghai", "Europe/London", "America/New_York", "Asia/Kolkata",
         "Pacific/Chatham"]
moments = st.datetimes(min_value=datetime.datetime(1901, 1, 2),
                       max_value=datetime.datetime(2199, 12, 30))


@settings(max_examples=60, deadline=None)
@given(values=st.lists(moments, min_size=1, max_size=8), zone=st.sampled_from(ZONES))
def test_property_zoned_column_is_its_wall_clock(values, zone):
    naive = pd.Series(pd.to_datetime(values))
    try:
        zoned = naive.dt.tz_localize(zone, ambiguous="NaT", nonexistent="NaT").dropna()
    except Exception:  # the zone database has no rule so far out
        return
    checked = check_frame(zoned.to_frame("d"), func="f", columns={"d": "date"})["d"]
    assert checked.dt.tz is None
    assert checked.tolist() == zoned.dt.tz_localize(None).tolist()


@settings(max_examples=60, deadline=None)
@given(value=moments, hours=st.integers(-12, 14), minutes=st.sampled_from([0, 30, 45]))
def test_property_date_parameter_with_an_offset_is_its_wall_clock(value, hours, minutes):
    offset = datetime.timedelta(hours=hours, minutes=minutes if hours >= 0 else -minutes)
    aware = value.replace(tzinfo=datetime.timezone(offset))
    expected = pd.Timestamp(value)
    assert check_date(aware, func="f", name="as_of") == expected
    assert check_date(aware.isoformat(), func="f", name="as_of") == expected


@settings(max_examples=40, deadline=None)
@given(values=st.lists(moments, min_size=2, max_size=6), zone=st.sampled_from(ZONES[1:]))
def test_property_zoned_and_naive_mixed_are_refused(values, zone):
    stamps = [pd.Timestamp(v) for v in values]
    stamps[0] = stamps[0].tz_localize("UTC").tz_convert(zone)
    with pytest.raises(ValueError, match="mixes dates with and without a time zone"):
        check_frame(pd.DataFrame({"d": pd.Series(stamps, dtype=object)}), func="f",
                    columns={"d": "date"})


@settings(max_examples=80, deadline=None)
@given(day=st.integers(1, 28), month=st.integers(1, 12), year=st.integers(1900, 2200),
       sep=st.sampled_from("/.-"), short_year=st.booleans())
def test_property_numeric_text_not_starting_with_the_year_is_refused(day, month, year, sep,
                                                                      short_year):
    shown_year = f"{year % 100:02d}" if short_year else str(year)
    for first, second in ((day, month), (month, day)):
        text = f"{first:02d}{sep}{second:02d}{sep}{shown_year}"
        with pytest.raises(ValueError, match="ambiguous"):
            check_frame(pd.DataFrame({"d": [text]}), func="f", columns={"d": "date"})
        with pytest.raises(ValueError, match="ambiguous"):
            check_date(text, func="f", name="as_of")
    iso = f"{year}-{month:02d}-{day:02d}"
    expected = pd.Timestamp(year, month, day)
    assert check_date(iso, func="f", name="as_of") == expected
    found = check_frame(pd.DataFrame({"d": [iso]}), func="f", columns={"d": "date"})["d"]
    assert found.tolist() == [expected]


@settings(max_examples=60, deadline=None)
@given(year=st.one_of(st.integers(1000, 1899), st.integers(2201, 9999)),
       month=st.integers(1, 12), day=st.integers(1, 28))
def test_property_years_outside_1900_2200_are_refused(year, month, day):
    text = f"{year}-{month:02d}-{day:02d}"
    with pytest.raises(ValueError, match="between the years 1900 and 2200"):
        check_frame(pd.DataFrame({"d": [text, "2024-01-01"]}), func="f", columns={"d": "date"})
    with pytest.raises(ValueError, match="between the years 1900 and 2200"):
        check_date(text, func="f", name="as_of")
