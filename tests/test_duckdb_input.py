"""The analytics on transactions held by DuckDB: a relation, a table, Parquet files."""

import duckdb
import numpy as np
import pandas as pd
import pytest

import casekit

CALLS = {
    "customer_summary": {"amount_col": "amount", "freq": "W"},
    "rfm_scores": {},
    "abc_activity": {},
    "customer_pyramid": {"profit_col": "gross_margin"},
}


@pytest.fixture(scope="module")
def office():
    tx = casekit.load_case("office_supplies").transactions
    # with returns, some on the day of an order: the reduction by day and kind is exercised
    returns = tx.iloc[::50].assign(amount=lambda d: -0.5 * d["amount"],
                                   gross_margin=lambda d: -0.5 * d["gross_margin"],
                                   order_id=lambda d: d["order_id"] + 10**9)
    returns.loc[returns.index[::2], "date"] += pd.Timedelta(days=3)
    return pd.concat([tx, returns], ignore_index=True)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_duckdb_inputs_give_the_pandas_result(office, name, tmp_path):
    func = getattr(casekit, name)
    expected = func(office, **CALLS[name])
    con = duckdb.connect()
    con.execute("CREATE TABLE orders AS SELECT * FROM office")
    path = tmp_path / "orders.parquet"
    office.to_parquet(path)
    for found in (func("orders", con=con, **CALLS[name]),
                  func(con.table("orders"), **CALLS[name]),
                  func(str(path), **CALLS[name])):
        pd.testing.assert_frame_equal(found, expected, check_exact=False, rtol=1e-9)


@pytest.mark.parametrize(("name", "kwargs"), [
    ("rfm_scores", {"as_of": "2024-06-30", "window_months": 12, "order_col": "order_id"}),
    ("abc_activity", {"as_of": "2024-03-31", "window_months": 6, "a_every": 2, "b_every": 3,
                      "gap": "C"}),
    ("customer_pyramid", {"as_of": "2024-09-30", "window_months": 6,
                          "tiers": {"top": 0.05, "rest": 0.95}}),
])
def test_duckdb_aggregates_on_the_case_with_windows(office, name, kwargs):
    func = getattr(casekit, name)
    found = func(duckdb.sql("SELECT * FROM office"), **kwargs)
    pd.testing.assert_frame_equal(found, func(office, **kwargs), check_exact=False, rtol=1e-12)


def test_order_ids_are_checked_in_duckdb(office):
    rel = duckdb.sql("SELECT * FROM office UNION ALL (SELECT * FROM office LIMIT 2)")
    with pytest.raises(ValueError, match=r"rfm_scores: column 'order_id' must be unique in "
                                         r"transactions; found 4 rows with repeated values"):
        casekit.rfm_scores(rel, order_col="order_id")


@pytest.mark.parametrize(("sql", "message"), [
    ("SELECT NULL::VARCHAR AS customer_id, DATE '2024-01-01' AS date, 1.0 AS amount",
     r"abc_activity: column 'customer_id' has 1 missing values"),
    ("SELECT 'a' AS customer_id, 20240101 AS date, 1.0 AS amount",
     r"abc_activity: column 'date' must hold dates; found DuckDB type INTEGER"),
    ("SELECT 'a' AS customer_id, DATE '2024-01-01' AS date, 'nan'::DOUBLE AS amount",
     r"abc_activity: column 'amount' must be numeric and finite; found 1 bad values"),
    ("SELECT 'a' AS customer_id, DATE '2024-01-01' AS day, 1.0 AS amount",
     r"abc_activity: column 'date' not found in transactions; columns are "
     r"\['customer_id', 'day', 'amount'\]"),
    ("SELECT 'a' AS customer_id, DATE '2024-01-01' AS date, 1.0 AS amount WHERE false",
     r"abc_activity: transactions is empty"),
])
def test_bad_duckdb_input_is_refused_like_a_frame(sql, message):
    with pytest.raises(ValueError, match=message):
        casekit.abc_activity(duckdb.sql(sql))


@pytest.mark.parametrize("name", sorted(CALLS))
@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"customer_col": "date"}, ValueError, r"date_col='date' names a column already used"),
    ({"amount_col": "customer_id"}, ValueError,
     r"amount_col='customer_id' names a column already used"),
    ({"date_col": 3}, TypeError, r"date_col must be a column name \(str\); found int 3"),
])
def test_one_column_for_two_roles_is_refused_in_duckdb_as_in_pandas(name, kwargs, error,
                                                                    message):
    frame = pd.DataFrame({"customer_id": ["a", "b"], "date": pd.to_datetime(["2024-01-01",
                          "2024-02-01"]), "amount": [1.0, 2.0]})
    func = getattr(casekit, name)
    for transactions in (frame, duckdb.sql("SELECT * FROM frame")):
        with pytest.raises(error, match=f"{name}: {message}"):
            func(transactions, **kwargs)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_ids_that_differ_in_case_stay_apart_under_a_nocase_collation(name):
    frame = pd.DataFrame({"customer_id": ["a", "A", "b", "a"], "order_id": ["x", "X", "y", "z"],
                          "date": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01",
                                                  "2024-03-05"]),
                          "amount": [1.0, 2.0, 3.0, 4.0], "gross_margin": [1.0, 1.0, 1.0, 1.0]})
    con = duckdb.connect()
    con.execute("SET default_collation = 'nocase'")
    con.execute("CREATE TABLE tx AS SELECT * FROM frame")
    func = getattr(casekit, name)
    kwargs = {**CALLS[name], "order_col": "order_id"}
    want = func(frame, **kwargs)
    assert len(want) == 3
    pd.testing.assert_frame_equal(func("tx", con=con, **kwargs), want)


def test_instants_count_in_utc_whatever_the_connection_time_zone(tmp_path):
    # 20:00 UTC on 31 January is already 1 February in Shanghai
    frame = pd.DataFrame({"customer_id": ["a", "a", "b"],
                          "date": pd.to_datetime(["2024-01-05 09:00", "2024-01-31 20:00",
                                                  "2024-02-10 12:00"], utc=True),
                          "amount": [5.0, 7.0, 3.0]})
    path = tmp_path / "tx.parquet"
    frame.to_parquet(path)
    want = casekit.abc_activity(pd.read_parquet(path), as_of="2024-02-29")
    con = duckdb.connect()
    con.execute("SET TimeZone = 'Asia/Shanghai'")
    con.execute(f"CREATE TABLE tx AS SELECT * FROM read_parquet('{path}')")
    assert str(con.table("tx").types[1]).startswith("TIMESTAMPTZ")
    got = casekit.abc_activity("tx", con=con, as_of="2024-02-29")
    pd.testing.assert_frame_equal(got, want)


def test_as_of_before_every_row_is_refused_in_duckdb():
    rel = duckdb.sql("SELECT 'a' AS customer_id, DATE '2024-03-01' AS date, 5.0 AS amount")
    with pytest.raises(ValueError, match=r"customer_pyramid: no transactions dated on or "
                                         r"before as_of=2024-01-01"):
        casekit.customer_pyramid(rel, as_of="2024-01-01")


def test_missing_table_and_bad_path_are_named(tmp_path):
    with pytest.raises(ValueError, match=r"customer_summary: table 'nope' not found"):
        casekit.customer_summary("nope", con=duckdb.connect())
    with pytest.raises(ValueError, match=r"customer_summary: transactions=.*no readable "
                                         r"Parquet"):
        casekit.customer_summary(str(tmp_path / "none.parquet"))
    with pytest.raises(TypeError, match=r"rfm_scores: with con, transactions must be a table "
                                        r"name \(str\); found DataFrame"):
        casekit.rfm_scores(pd.DataFrame({"a": [1]}), con=duckdb.connect())


@pytest.mark.parametrize("freq", ["D", "M"])
def test_summary_in_duckdb_for_days_and_months(office, freq):
    kwargs = {"amount_col": "amount", "freq": freq, "observation_end": "2024-06-30"}
    expected = casekit.customer_summary(office, **kwargs)
    found = casekit.customer_summary(duckdb.sql("SELECT * FROM office"), **kwargs)
    pd.testing.assert_frame_equal(found, expected, check_exact=False, rtol=1e-9)


def test_summary_in_duckdb_refuses_what_the_frame_path_refuses():
    rel = duckdb.sql("SELECT 'a' AS customer_id, DATE '2024-03-01' AS date, -5.0 AS amount")
    with pytest.raises(ValueError, match=r"customer_summary: no purchases on or before "
                                         r"observation_end=2024-03-01"):
        casekit.customer_summary(rel, amount_col="amount")
    with pytest.raises(ValueError, match=r"customer_summary: no transactions dated on or "
                                         r"before observation_end=2024-01-01"):
        casekit.customer_summary(rel, observation_end="2024-01-01")


def test_times_of_day_survive_the_reduction():
    tx = pd.DataFrame({
        "customer_id": ["a", "a", "a", "b", "b"],
        "date": pd.to_datetime(["2024-05-02 09:00", "2024-05-02 17:30", "2024-05-02 18:00",
                                "2024-01-10 08:15", "2024-06-30 23:59"]),
        "amount": [10.0, 5.0, -3.0, 7.0, 2.0],
    })
    for name in ("abc_activity", "rfm_scores", "customer_pyramid"):
        func = getattr(casekit, name)
        pd.testing.assert_frame_equal(func(duckdb.sql("SELECT * FROM tx")), func(tx))


@pytest.fixture(scope="module")
def mixed():
    """Random orders with returns, times of day and ties, over two years."""
    rng = np.random.default_rng(7)
    n = 6000
    ids = rng.integers(0, 700, n)
    amount = np.round(rng.gamma(2.0, 30.0, n), 2)
    amount[rng.random(n) < 0.12] *= -0.5
    amount[::97] = 0.0
    day = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 730, n), unit="D")
    tx = pd.DataFrame({
        "customer_id": [f"K{i:04d}" for i in ids],
        "date": day + pd.to_timedelta(rng.integers(0, 86_400, n), unit="s"),
        "amount": amount,
        "gross_margin": np.round(amount * rng.uniform(0.1, 0.5, n), 2),
        "order_id": rng.permutation(n) + 1,
    })
    # equal totals added in another order: 0.1 + 0.2 against 0.3, on the same days
    ties = pd.DataFrame({"customer_id": ["T1", "T1", "T2", "T3", "T3", "T3"],
                         "date": pd.Timestamp("2024-12-20"),
                         "amount": [0.1, 0.2, 0.3, 0.2, 0.05, 0.05], "gross_margin": 0.0,
                         "order_id": np.arange(n + 1, n + 7)})
    return pd.concat([tx, ties], ignore_index=True)


CASES = [
    ("rfm_scores", {}),
    ("rfm_scores", {"as_of": "2024-06-15"}),
    ("rfm_scores", {"window_months": 6, "bins": 4}),
    ("rfm_scores", {"window_months": 12, "as_of": "2024-03-31", "bins": 10,
                    "order_col": "order_id"}),
    ("abc_activity", {}),
    ("abc_activity", {"as_of": "2024-05-31", "gap": "B"}),
    ("abc_activity", {"window_months": 6, "a_every": 2, "b_every": 3, "c_after": 2,
                      "gap": "C"}),
    ("abc_activity", {"window_months": 24, "amount_col": None, "order_col": "order_id"}),
    # slices that end on the 29th, 30th, 31st and 1st, in short and long months
    ("abc_activity", {"as_of": "2024-02-28", "window_months": 6, "b_every": 2}),
    ("abc_activity", {"as_of": "2024-03-29", "window_months": 12}),
    ("abc_activity", {"as_of": "2024-03-30", "window_months": 4, "b_every": 2}),
    ("abc_activity", {"as_of": "2024-01-31", "window_months": 12}),
    # 63 slices and more: counted per customer and slice
    ("abc_activity", {"as_of": "2024-11-30", "window_months": 72, "a_every": 2,
                      "b_every": 6, "c_after": 1}),
    ("customer_pyramid", {}),
    ("customer_pyramid", {"profit_col": "gross_margin", "window_months": 6,
                          "as_of": "2024-09-30"}),
    ("customer_pyramid", {"tiers": {"top": 0.1, "mid": 0.3, "low": 0.6}, "window_months": 1}),
    ("customer_summary", {"amount_col": "amount", "observation_end": "2024-08-01"}),
]


@pytest.mark.parametrize(("name", "kwargs"), CASES)
def test_duckdb_aggregates_give_the_pandas_result(mixed, name, kwargs):
    func = getattr(casekit, name)
    expected = func(mixed, **kwargs)
    found = func(duckdb.sql("SELECT * FROM mixed"), **kwargs)
    pd.testing.assert_frame_equal(found, expected, check_exact=False, rtol=1e-12)


def test_money_ties_score_alike_in_duckdb(mixed):
    scores = casekit.rfm_scores(duckdb.sql("SELECT * FROM mixed"))
    assert scores.loc["T1", "monetary"] != scores.loc["T2", "monetary"]  # the last bit differs
    # equal to a millionth: the smaller id gets the lower score or the same
    assert scores.loc["T1", "m_score"] <= scores.loc["T2", "m_score"] <= scores.loc["T3",
                                                                                   "m_score"]
    pd.testing.assert_series_equal(scores["m_score"], casekit.rfm_scores(mixed)["m_score"])


def test_integer_ids_come_back_as_on_the_pandas_path():
    rel = duckdb.sql("SELECT (i % 7)::INTEGER AS customer_id, "
                     "DATE '2024-01-01' + i::INTEGER AS date, "
                     "(i % 5)::DOUBLE AS amount FROM range(60) t(i)")
    frame = rel.df()
    for name in ("rfm_scores", "abc_activity", "customer_pyramid"):
        func = getattr(casekit, name)
        pd.testing.assert_frame_equal(func(rel), func(frame))


def test_only_returns_in_the_window_are_refused_in_duckdb():
    rel = duckdb.sql("SELECT * FROM (VALUES ('a', DATE '2023-01-05', 10.0), "
                     "('a', DATE '2024-06-01', -4.0)) t(customer_id, date, amount)")
    with pytest.raises(ValueError, match=r"rfm_scores: no purchases to score on or before "
                                         r"as_of=2024-06-01 in the last 3 months"):
        casekit.rfm_scores(rel, window_months=3)


def _text_dates(values):
    return pd.DataFrame({"customer_id": [f"c{i % 3}" for i in range(len(values))],
                         "date": values, "amount": [10.0 + i for i in range(len(values))]})


@pytest.mark.parametrize("values", [
    ["2024-01-05", "2024-02-10", "2024-03-01", "2024-03-02"],
    ["2024-01-05 08:30:00", "2024-02-10T23:59:59.250", "2024-03-01 00:00", "2024-03-02"],
    ["5 January 2024", "February 10, 2024", "2024-03-01", "2 Mar 2024"],
    ["2024-01-05T10:00+08:00", "2024-02-10T23:30+08:00", "2024-03-01T00:15+08:00",
     "2024-03-02T09:00+08:00"],
])
def test_text_dates_in_duckdb_read_as_on_the_pandas_path(values):
    tx = _text_dates(values)
    rel = duckdb.sql("SELECT * FROM tx")
    assert rel.types[1] == "VARCHAR"
    for name in ("rfm_scores", "abc_activity", "customer_pyramid"):
        func = getattr(casekit, name)
        pd.testing.assert_frame_equal(func(rel), func(tx))
    pd.testing.assert_frame_equal(casekit.customer_summary(rel), casekit.customer_summary(tx))


@pytest.mark.parametrize(("values", "message"), [
    (["2024-01-05", "soon", "2024-03-01", "soon"],
     r"abc_activity: column 'date' has 2 values that are not dates, e\.g\. \['soon'"),
    (["2024-01-05", "03/04/2024", "2024-03-01", "2024-03-02"],
     r"abc_activity: column 'date' holds text dates such as \['03/04/2024'\]; a numeric "
     r"date that does not start with the year is ambiguous"),
    (["2024-01-05", "2024-02-30", "2024-03-01", "2024-03-02"],
     r"abc_activity: column 'date' has 1 values that are not dates, e\.g\. \['2024-02-30'\]"),
    (["2024-01-05", "1 June 1850", "2024-03-01", "2024-03-02"],
     r"abc_activity: column 'date' must hold dates between the years 1900 and 2200; found 1 "
     r"values outside, e\.g\. \['1 June 1850'\]"),
    (["2024-01-05T10:00+08:00", "2024-02-10T10:00+01:00", "2024-03-01", "2024-03-02"],
     r"abc_activity: column 'date' mixes dates with and without a time zone"),
    (["2024-01-05T10:00+08:00", "2024-02-10T10:00+01:00", "2024-03-01T00:00+08:00",
      "2024-03-02T00:00+08:00"],
     r"abc_activity: column 'date' holds dates with different UTC offsets"),
])
def test_bad_text_dates_are_refused_in_duckdb_as_in_pandas(values, message):
    tx = _text_dates(values)
    with pytest.raises(ValueError, match=message):
        casekit.abc_activity(tx)
    with pytest.raises(ValueError, match=message):
        casekit.abc_activity(duckdb.sql("SELECT * FROM tx"))
