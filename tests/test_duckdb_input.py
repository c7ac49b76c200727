"""The analytics on transactions held by DuckDB: a relation, a table, Parquet files."""

import duckdb
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
    return tx


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


def test_order_ids_are_checked_in_duckdb(office):
    rel = duckdb.sql("SELECT * FROM office UNION ALL (SELECT * FROM office LIMIT 2)")
    with pytest.raises(ValueError, match=r"rfm_scores: column 'order_id' must be unique in "
                                         r"transactions; found 4 rows with repeated values"):
        casekit.rfm_scores(rel, order_col="order_id")


@pytest.mark.parametrize(("sql", "message"), [
    ("SELECT NULL::VARCHAR AS customer_id, DATE '2024-01-01' AS date, 1.0 AS amount",
     r"abc_activity: column 'customer_id' has 1 missing values"),
    ("SELECT 'a' AS customer_id, '2024-01-01' AS date, 1.0 AS amount",
     r"abc_activity: column 'date' must hold dates; found DuckDB type VARCHAR"),
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
