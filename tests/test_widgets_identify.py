"""The Identify widget: set the threshold, read the same numbers as the analytics."""

import pandas as pd
import pytest

from casekit import generate_case, match_quality, match_records, record_pairs
from casekit.widgets import match_threshold_explorer


@pytest.fixture(scope="module")
def dirty():
    case = generate_case("office_supplies", n_customers=150, seed=3, dirty=True)
    return case.tables["records"], case.record_map


@pytest.mark.parametrize("threshold", [0.6, 0.8, 0.95])
def test_result_matches_the_analytics(dirty, threshold):
    records, record_map = dirty
    explorer = match_threshold_explorer(records, record_map)
    explorer.controls["threshold"].value = threshold
    expected = match_quality(match_records(records, threshold=threshold), record_map)
    pd.testing.assert_series_equal(explorer.result, expected)


def test_lower_threshold_trades_precision_for_recall(dirty):
    records, record_map = dirty
    explorer = match_threshold_explorer(records, record_map, threshold=0.95)
    strict = explorer.result
    explorer.controls["threshold"].value = 0.6
    loose = explorer.result
    assert loose["recall"] >= strict["recall"]
    assert loose["precision"] <= strict["precision"]
    assert loose["customers_found"] < strict["customers_found"]


def test_pairs_are_scored_once(dirty, monkeypatch):
    records, record_map = dirty
    explorer = match_threshold_explorer(records, record_map)
    expected = match_quality(
        match_records(records, threshold=0.7, pairs=record_pairs(records)), record_map)
    calls = []
    for module in ("casekit._identify", "casekit._widgets_identify"):
        monkeypatch.setattr(f"{module}.record_pairs", lambda *a, **k: calls.append(1))
    explorer.controls["threshold"].value = 0.7
    assert calls == []
    pd.testing.assert_series_equal(explorer.result, expected)


def test_the_display_shows_the_result(dirty):
    records, record_map = dirty
    explorer = match_threshold_explorer(records, record_map)
    assert "precision" in explorer.display.value


@pytest.mark.parametrize("threshold", [0.3, 1.5, "high"])
def test_bad_threshold(dirty, threshold):
    records, record_map = dirty
    with pytest.raises(ValueError, match="match_threshold_explorer: threshold must be"):
        match_threshold_explorer(records, record_map, threshold=threshold)


def test_bad_record_map(dirty):
    records, record_map = dirty
    with pytest.raises(ValueError, match="match_threshold_explorer: column 'customer_id' not "
                                         "found in record_map"):
        match_threshold_explorer(records, record_map.rename(columns={"customer_id": "x"}))


def test_bad_records(dirty):
    records, record_map = dirty
    with pytest.raises(ValueError, match="match_threshold_explorer: column 'record_id' must be "
                                         "unique in records"):
        match_threshold_explorer(pd.concat([records, records.head(2)]), record_map)


def test_display_shows_whole_customer_counts(dirty):
    records, record_map = dirty
    explorer = match_threshold_explorer(records, record_map)
    found = int(explorer.result["customers_found"])
    assert f'<td class="num">{found:,}</td>' in explorer.display.value
