"""Identify: record linkage and its quality against a known mapping."""

import numpy as np
import pandas as pd
import pytest
from rapidfuzz import fuzz

from casekit import (
    _identify,
    generate_case,
    match_quality,
    match_records,
    normalize_records,
    record_pairs,
)


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
    with pytest.raises(ValueError, match="record_pairs: column 'record_id' not found"):
        record_pairs(records.drop(columns="record_id"))
    with pytest.raises(ValueError, match=r"match_records: records need at least one of the "
                                         r"columns \['name', 'company', 'phone', 'email', "
                                         r"'address'\] to compare; columns are \['record_id', "
                                         r"'source'\]"):
        match_records(records[["record_id", "source"]])
    with pytest.raises(ValueError, match=r"match_quality: record_id is numbers in matches "
                                         r"\(e.g. \[1, 2\]\) but text in record_map"):
        match_quality(pd.DataFrame({"record_id": [1, 2], "match_id": [0, 0]}),
                      pd.DataFrame({"record_id": ["1", "2"], "customer_id": ["a", "a"]}))
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


def test_phone_numbers_stored_as_numbers_are_compared(records):
    as_text = records.assign(phone=["4155550100", "14155550100", None, "2125550199",
                                    "6465550142"])
    as_numbers = records.assign(phone=[4155550100, 14155550100, np.nan, 2125550199,
                                       6465550142])
    assert normalize_records(as_numbers)["phone"].tolist() == [
        "4155550100", "4155550100", "", "2125550199", "6465550142"]
    pd.testing.assert_frame_equal(record_pairs(as_numbers), record_pairs(as_text))


def test_a_huge_block_gives_a_bounded_number_of_pairs():
    n = 3000
    same_name = pd.DataFrame({"record_id": [f"r{i}" for i in range(n)],
                              "name": ["John Smith"] * n,
                              "phone": [f"415555{i:04d}" for i in range(n)]})
    keys = normalize_records(same_name)
    pairs = _identify._candidates(keys)
    # all pairs would be n * (n - 1) / 2 = 4.5 million; the window keeps each record's neighbours
    assert len(pairs) <= n * _identify.WINDOW
    assert (pairs[:, 0] < pairs[:, 1]).all() and len(np.unique(pairs, axis=0)) == len(pairs)
    # the same phone twice within the block is still found, wherever the records sit
    twins = same_name.assign(phone=same_name["phone"].where(same_name.index != n - 1,
                                                            same_name["phone"][0]))
    matches = match_records(twins, threshold=0.99)
    assert matches["match_id"][0] == matches["match_id"][n - 1]
    assert matches["match_id"].nunique() == n - 1


def test_blocks_up_to_the_cap_keep_every_pair():
    n = _identify.BLOCK_CAP
    block = pd.DataFrame({"record_id": [f"r{i}" for i in range(n)], "name": ["Ann Lee"] * n})
    assert len(_identify._candidates(normalize_records(block))) == n * (n - 1) // 2


def test_pairs_are_sorted_by_score_then_ids_and_scored_field_by_field():
    case = generate_case("catering", n_customers=300, seed=5, dirty=True)
    records = case.records.sample(frac=1, random_state=1)  # row order unlike id order
    records["record_id"] = [f"x{i}" for i in range(len(records))]  # 'x10' sorts before 'x2'
    pairs = record_pairs(records)
    expected = pairs.sort_values(["score", "record_a", "record_b"],
                                 ascending=[False, True, True], ignore_index=True)
    pd.testing.assert_frame_equal(pairs, expected)
    keys = normalize_records(records).set_index("record_id")
    for row in pairs.sample(200, random_state=2).itertuples():
        total = weight = 0.0
        for field, w in _identify.FIELD_WEIGHTS.items():
            if field not in keys:
                continue
            a, b = keys.loc[row.record_a, field], keys.loc[row.record_b, field]
            if a and b:
                scorer = fuzz.token_sort_ratio if field == "name" else fuzz.ratio
                similarity = scorer(a, b) / 100
                assert getattr(row, field) == pytest.approx(similarity, abs=1e-6)
                total, weight = total + w * similarity, weight + w
            else:
                assert np.isnan(getattr(row, field))
        assert row.score == pytest.approx(total / weight, abs=1e-4)
