"""RFM after Hughes: exact quintiles, cells, segments and the break-even response rate."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from casekit import RFM_SEGMENTS, rfm_breakeven, rfm_scores, rfm_segments
from casekit._rfm import MONEY_DECIMALS, exact_scores


def _tx(rows):
    return pd.DataFrame(rows, columns=["customer_id", "date", "amount"])


@pytest.fixture
def tx():
    return _tx([("a", "2024-01-02", 20.0), ("a", "2024-06-20", 30.0), ("b", "2024-05-01", 15.0),
                ("c", "2024-03-10", 80.0), ("d", "2024-06-01", 5.0), ("d", "2024-06-25", 5.0),
                ("e", "2024-02-14", 40.0), ("e", "2024-02-20", -40.0)])


def test_scores_by_hand(tx):
    out = rfm_scores(tx, as_of="2024-06-30")
    assert out.loc["a"].tolist() == [10, 2, 50.0, 4, 4, 4, "444"]
    assert out.loc["e", "monetary"] == 0.0 and out.loc["e", "frequency"] == 1
    assert out.loc["e", "recency"] == 137  # the return is not a purchase


def test_ties_go_to_the_smaller_id_first():
    rows = [(f"c{i}", "2024-01-01", 10.0) for i in range(10)]
    out = rfm_scores(_tx(rows), as_of="2024-01-31")
    assert out["m_score"].tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert out["r_score"].tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


def test_window_and_many_bins():
    rows = [(f"c{i:02d}", f"2024-01-{i + 1:02d}", float(i)) for i in range(12)]
    rows.append(("old", "2020-01-01", 999.0))
    out = rfm_scores(_tx(rows), as_of="2024-01-31", window_months=1, bins=12)
    assert "old" not in out.index
    assert out["m_score"].tolist() == list(range(1, 13))
    assert out.loc["c11", "rfm_cell"] == "12-12-12"  # equal frequencies: ties by id


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 300), st.floats(0, 1000)),
                min_size=1, max_size=80),
       st.integers(2, 7))
@example(rows=[(0, 0, 2.3374874451035363e-74), (1, 0, 0.0)], bins=2)  # tie at a millionth
def test_property_scores_balanced_in_range_and_monotone(rows, bins):
    tx = pd.DataFrame(rows, columns=["customer_id", "day", "amount"])
    tx["customer_id"] = "c" + tx["customer_id"].astype(str).str.zfill(2)
    tx["date"] = pd.Timestamp("2024-01-01") + pd.to_timedelta(tx["day"], unit="D")
    out = rfm_scores(tx, as_of="2024-12-31", bins=bins)
    n = len(out)
    assert n == tx["customer_id"].nunique()
    assert np.isclose(out["monetary"].sum(), tx["amount"].sum())
    for score, value, sign in [("r_score", "recency", -1), ("f_score", "frequency", 1),
                               ("m_score", "monetary", 1)]:
        scores = out[score].to_numpy()
        assert scores.min() >= 1 and scores.max() <= bins
        sizes = np.bincount(scores, minlength=bins + 1)[1:]
        if n >= bins:
            assert sizes.max() - sizes.min() <= 1
        else:
            assert sizes.max() <= 1
        # scores rise with the underlying value (recency: with how recent)
        values = sign * out[value].to_numpy()
        if value == "monetary":  # sums are ranked to a millionth, so float noise ties
            values = np.round(values, MONEY_DECIMALS)
        order = np.lexsort((np.arange(n), values))
        assert (np.diff(scores[order]) >= 0).all()
    assert out["rfm_cell"].str.len().eq(3).all()


@given(st.one_of(
    st.lists(st.sampled_from([0.0, -0.0, 1.5, 2.0, 1e-7]), max_size=60),
    st.lists(st.floats(-1e6, 1e6), max_size=60),
    st.lists(st.integers(-(2**40), 2**40), max_size=60),
    st.lists(st.integers(0, 9), max_size=60)),
    st.integers(2, 12))
def test_property_exact_scores_follow_the_ranks_ties_by_position(values, bins):
    values = np.array(values)
    n = len(values)
    rank = np.empty(n, dtype=np.int64)
    rank[np.lexsort((np.arange(n), values))] = np.arange(n)  # ties: the earlier one first
    if n >= bins:
        expected = rank * bins // n + 1
    else:
        expected = np.full(n, bins) if n == 1 else rank * (bins - 1) // (n - 1) + 1
    np.testing.assert_array_equal(exact_scores(values, bins), expected)


def test_cells_without_a_table_of_every_cell():
    tx = _tx([("a", "2024-01-02", 20.0), ("b", "2024-05-01", 15.0), ("c", "2024-03-10", 80.0)])
    out = rfm_scores(tx, as_of="2024-06-30", bins=41)  # 41**3 cells, more than a table holds
    assert out["rfm_cell"].tolist() == ["1-1-21", "41-21-1", "21-41-41"]


def test_default_segments(tx):
    out = rfm_segments(tx, as_of="2024-06-30")
    assert out.loc["a", "segment"] == "Champions"
    assert list(out["segment"].cat.categories) == [*RFM_SEGMENTS, "Others"]
    assert len(RFM_SEGMENTS) == 10


def test_custom_segments_first_match_wins(tx):
    segments = {"recent": {"r": (4, 5)}, "big": {"m": (4, 5)}}
    out = rfm_segments(tx, as_of="2024-06-30", segments=segments, other="rest")
    assert out["segment"].astype(str).to_dict() == {
        "a": "recent", "b": "rest", "c": "big", "d": "recent", "e": "rest"}


def test_breakeven():
    assert rfm_breakeven(1.0, 40.0) == 0.025
    cells = rfm_breakeven(1.0, 40.0, pd.Series({"555": 0.05, "311": 0.025, "111": 0.0}))
    assert cells["contact"].tolist() == [True, False, False]
    assert cells["profit_per_contact"].tolist() == [1.0, 0.0, -1.0]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"bins": 1}, ValueError, "rfm_scores: bins must be >= 2"),
        ({"bins": "5"}, TypeError, "rfm_scores: bins must be a whole number"),
        ({"amount_col": "value"}, ValueError, "rfm_scores: column 'value' not found"),
        ({"window_months": 1, "as_of": "2024-04-30"}, ValueError,
         "rfm_scores: no purchases to score on or before as_of=2024-04-30 in the last 1 months"),
    ],
)
def test_scores_errors(tx, kwargs, error, match):
    with pytest.raises(error, match=match):
        rfm_scores(tx, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"bins": 4}, ValueError, "rfm_segments: the default segments are defined for bins=5"),
        ({"segments": []}, TypeError, "rfm_segments: segments must be a non-empty mapping"),
        ({"segments": {"x": {"q": (1, 2)}}}, ValueError, "segment 'x' must map some of"),
        ({"segments": {"x": {"r": (4, 2)}}}, ValueError,
         r"segment 'x' range for 'r' must be two whole scores low <= high within 1..5"),
        ({"segments": {"x": {"r": (1, 6)}}}, ValueError, "range for 'r'"),
        ({"segments": {"x": {"r": (1, 2)}}, "other": "x"}, ValueError,
         "other must be a name"),
    ],
)
def test_segments_errors(tx, kwargs, error, match):
    with pytest.raises(error, match=match):
        rfm_segments(tx, **kwargs)


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((0.0, 10.0), ValueError, "rfm_breakeven: cost_per_contact must be > 0"),
        ((1.0, -1.0), ValueError, "rfm_breakeven: margin_per_response must be > 0"),
        (("1", 10.0), TypeError, "rfm_breakeven: cost_per_contact must be a number"),
        ((1.0, float("nan")), ValueError, "margin_per_response must be finite"),
        ((1.0, 10.0, [0.1]), TypeError, "response_rates must be a pandas Series"),
        ((1.0, 10.0, pd.Series({"555": 1.5})), ValueError,
         r"response_rates must lie in \[0, 1\]; found 1 values that do not, e.g. \[1.5\]"),
    ],
)
def test_breakeven_errors(args, error, match):
    with pytest.raises(error, match=match):
        rfm_breakeven(*args)


def _tied_totals():
    """200 customers whose totals tie exactly but whose float sums differ in the last bit."""
    rng = np.random.default_rng(8)
    parts = [0.1, 0.2, 0.3, 0.4, 0.07]
    rows = []
    for i in range(200):
        order = rng.permutation(parts) if i % 3 else parts[::-1]
        rows += [(f"c{i:03d}", f"2024-0{1 + k}-1{i % 9}", a) for k, a in enumerate(order)]
    tx = pd.DataFrame(rows, columns=["customer_id", "date", "amount"])
    tx.loc[tx.index % 7 == 0, "amount"] += 1.0  # several tied groups, not one
    return tx


def test_monetary_ties_go_to_the_smaller_id_as_in_duckdb_and_polars():
    import duckdb

    tx = _tied_totals()
    ours = rfm_scores(tx, as_of="2024-06-30")
    cents = (tx["amount"] * 100).round().astype(int).groupby(tx["customer_id"]).sum()
    sums = tx.groupby("customer_id")["amount"].agg(lambda s: sum(s.tolist()))  # row order
    assert sums.nunique() > sums.round(9).nunique()  # equal totals, unequal float sums
    expected = exact_scores(cents.sort_index().to_numpy(), 5)
    np.testing.assert_array_equal(ours["m_score"].to_numpy(), expected)

    sql = duckdb.sql(
        "SELECT customer_id, (row_number() OVER (ORDER BY round(sum(amount), 6), customer_id)"
        " - 1) * 5 // count(*) OVER () + 1 AS m FROM tx GROUP BY customer_id ORDER BY 1"
    ).df()
    np.testing.assert_array_equal(sql["m"].to_numpy(), expected)
    pl = pytest.importorskip("polars")
    peer = (pl.from_pandas(tx).group_by("customer_id").agg(pl.col("amount").sum())
            .sort([pl.col("amount").round(6), pl.col("customer_id")])
            .with_columns(m=pl.int_range(pl.len()) * 5 // pl.len() + 1).sort("customer_id"))
    np.testing.assert_array_equal(peer["m"].to_numpy(), expected)
