"""Identify: record linkage and its quality against a known mapping."""

import pandas as pd
import pytest

from casekit import match_quality, match_records, normalize_records, record_pairs


@pytest.fixture
def records():
    return pd.DataFrame({
        "record_id": ["r1", "r2", "r3", "r4", "r5"],
        "source": ["sales", "billing", "service", "sales", "billing"],
        "name": ["Smith, John", "JOHN SMITH", "Jon Smith", "Mary Jones", "Mary Jones"],
        "company": ["Acme Inc", "Acme Incorporated", "ACME", "Globex LLC", "Initech Ltd"],
        "phone": ["415-555-0100", "+1 415 555 0100", None, "212-555-0199", "646-555-0142"],
        "email": ["john@acme.test", None, "john@acme.test", "mary@globex.test", None],
        "address": ["1 Main Street", "1 Main St.", "1 Main St", "9 Elm Road", "4 Oak Avenue"],
    })


@pytest.fixture
def record_map():
    return pd.DataFrame({"record_id": ["r1", "r2", "r3", "r4", "r5"],
                         "customer_id": ["a", "a", "a", "b", "c"]})


def test_normalize_records_makes_variants_agree(records):
    keys = normalize_records(records)
    assert keys.loc[0, "name"] == keys.loc[1, "name"] == "john smith"
    assert keys.loc[0, "phone"] == keys.loc[1, "phone"] == "4155550100"
    assert keys.loc[0, "company"] == keys.loc[1, "company"] == keys.loc[2, "company"] == "acme"
    assert keys.loc[0, "address"] == keys.loc[1, "address"] == "1 main street"


def test_chinese_names_ignore_spaces_and_titles():
    records = pd.DataFrame({"record_id": ["a", "b", "c"], "name": ["黄萍", "黄 萍", "黄女士"]})
    assert normalize_records(records)["name"].tolist() == ["黄萍", "黄萍", "黄"]


def test_pairs_are_scored_between_zero_and_one(records):
    pairs = record_pairs(records)
    assert pairs["score"].between(0, 1).all()
    top = pairs.iloc[0]
    assert {top["record_a"], top["record_b"]} == {"r1", "r2"}
    same_name_other_firm = pairs.query("record_a == 'r4' and record_b == 'r5'")["score"]
    assert same_name_other_firm.iloc[0] < top["score"]


def test_threshold_trades_precision_for_recall(records, record_map):
    pairs = record_pairs(records)
    strict = match_quality(match_records(records, threshold=0.95, pairs=pairs), record_map)
    loose = match_quality(match_records(records, threshold=0.3, pairs=pairs), record_map)
    assert strict["precision"] == 1.0
    assert loose["recall"] == 1.0
    assert loose["recall"] >= strict["recall"]
    assert loose["precision"] <= strict["precision"]


def test_perfect_matching_scores_one(record_map):
    matches = record_map.rename(columns={"customer_id": "match_id"})
    quality = match_quality(matches, record_map)
    assert quality[["precision", "recall", "f1"]].tolist() == [1.0, 1.0, 1.0]
    assert quality["customers_found"] == quality["customers_true"] == 3


def test_inputs_are_not_mutated(records):
    before = records.copy()
    match_records(records)
    pd.testing.assert_frame_equal(records, before)


def test_errors(records, record_map):
    with pytest.raises(ValueError, match="match_records: threshold must be a number from 0 to 1"):
        match_records(records, threshold=80)
    with pytest.raises(ValueError, match="normalize_records: column 'record_id' not found"):
        record_pairs(records.drop(columns="record_id"))
    with pytest.raises(ValueError, match="match_records: column 'record_id' must be unique"):
        match_records(records.assign(record_id="r1"))
    other = pd.DataFrame({"record_a": ["x"], "record_b": ["y"], "score": [1.0]})
    with pytest.raises(ValueError, match="match_records: pairs name records that are not in"):
        match_records(records, pairs=other)
    matches = match_records(records)
    with pytest.raises(ValueError, match=r"match_quality: 1 records appear in only one of"):
        match_quality(matches.iloc[1:], record_map)
    with pytest.raises(ValueError, match="match_quality: column 'customer_id' not found in "
                                         "record_map"):
        match_quality(matches, record_map.rename(columns={"customer_id": "cust"}))
