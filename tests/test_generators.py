"""Generators: the Case contract, determinism, manifest, dirty variant and errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import casekit
from casekit import _cards, _cases
from casekit._specs import DEFAULTS

ROOT = Path(__file__).resolve().parent.parent
CASES = ["office_supplies", "insurance", "utility", "catering"]
SMALL = 300


@pytest.fixture(scope="module")
def small():
    return {name: casekit.generate_case(name, n_customers=SMALL, seed=11, dirty=True)
            for name in CASES}


def _hashes(case) -> dict:
    return {k: _cases.content_hash(v) for k, v in _cases.case_frames(case).items()}


def test_list_cases():
    assert casekit.list_cases() == CASES


@pytest.mark.parametrize("name", CASES)
def test_case_contract(small, name):
    case = small[name]
    assert case.name == name
    assert isinstance(case, casekit.Case)
    tx = case.transactions
    assert list(tx.columns) == ["order_id", "customer_id", "date", "amount", "gross_margin",
                                "channel"]
    assert tx["order_id"].is_unique
    assert tx["date"].dtype == "datetime64[ns]"
    assert tx["amount"].dtype == float and tx["gross_margin"].dtype == float
    assert tx["customer_id"].map(type).eq(str).all()
    assert tx["date"].min() >= case.start and tx["date"].max() < case.end
    truth = case.truth
    assert len(truth) == SMALL and truth["customer_id"].is_unique
    assert truth["alive"].dtype == bool
    assert truth["churn_date"].dtype == "datetime64[ns]"
    assert (truth["churn_date"].isna() == truth["alive"]).all()
    assert set(tx["customer_id"]) <= set(truth["customer_id"])
    assert {"model", "time_unit"} <= set(case.population)
    for table, frame in case.tables.items():
        assert getattr(case, table) is frame
        assert isinstance(frame, pd.DataFrame) and len(frame) > 0, table


@pytest.mark.parametrize("name", CASES)
def test_latent_values_only_in_truth(small, name):
    case = small[name]
    latent = set(case.truth.columns) - {"customer_id", "alive", "churn_date"}
    for table, frame in case.tables.items():
        assert not latent & set(frame.columns), table
        assert "alive" not in frame.columns


@pytest.mark.parametrize("name", CASES)
def test_card_documents_every_column(small, name):
    case = small[name]
    for table, frame in case.tables.items():
        if table == "records":
            continue
        documented = [c for c, _ in _cards.COLUMNS[name][table][1]]
        assert list(frame.columns) == documented, table
        for column in documented:
            assert f"| {column} |" in case.card
    for column in case.truth.columns:
        if not column.startswith("taste_"):
            assert f"| {column} |" in case.card


@pytest.mark.parametrize("name", CASES)
def test_committed_cards_match_the_generator(name):
    params = json.loads((ROOT / "datasets" / "manifest.json").read_text())["cases"][name]
    card = _cards.render(name, locale=params["locale"], options=params["options"])
    assert (ROOT / "datasets" / f"{name}.md").read_text(encoding="utf-8") == card


def test_manifest_matches_the_defaults():
    manifest = json.loads((ROOT / "datasets" / "manifest.json").read_text())
    assert manifest["casekit_version"] == casekit.__version__
    for name in CASES:
        entry = manifest["cases"][name]
        assert {k: entry[k] for k in DEFAULTS[name]} == DEFAULTS[name]


@pytest.mark.parametrize("name", CASES)
def test_manifest_hashes_match_a_fresh_generation(name):
    manifest = json.loads((ROOT / "datasets" / "manifest.json").read_text())
    entry = manifest["cases"][name]
    case = _cases._generate_default(name, {k: entry[k] for k in
                                           ("n_customers", "seed", "locale", "options")})
    assert _cases.check_against_manifest(case, entry) == []
    assert {t: len(f) for t, f in _cases.case_frames(case).items()} == {
        t: e["rows"] for t, e in entry["tables"].items()}


_SCRIPT = """
import json, casekit
from casekit import _cases
out = {}
for name in casekit.list_cases():
    case = casekit.generate_case(name, n_customers=300, seed=11, dirty=True, locale="{locale}")
    out[name] = {k: _cases.content_hash(v) for k, v in _cases.case_frames(case).items()}
print(json.dumps(out))
"""


@pytest.mark.parametrize("locale", ["en_US", "zh_CN"])
def test_same_tables_across_processes_and_hash_seeds(small, locale):
    results = []
    for hash_seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run([sys.executable, "-c", _SCRIPT.replace("{locale}", locale)],
                              capture_output=True, text=True, env=env, check=True, cwd=ROOT)
        results.append(json.loads(done.stdout))
    assert results[0] == results[1]
    if locale == "en_US":
        assert results[0] == {name: _hashes(small[name]) for name in CASES}


@pytest.mark.parametrize("name", CASES)
def test_different_seeds_give_different_tables(small, name):
    other = casekit.generate_case(name, n_customers=SMALL, seed=12, dirty=True)
    mine, theirs = _hashes(small[name]), _hashes(other)
    changed = [t for t in mine if mine[t] != theirs[t]]
    # Fixed catalogues (a menu or tariff list) may coincide; customer tables may not.
    assert "truth" in changed and _cases._TRANSACTION_TABLE[name] in changed


def test_clean_tables_do_not_depend_on_dirty(small):
    clean = casekit.generate_case("catering", n_customers=SMALL, seed=11)
    assert "records" not in clean.tables and clean.record_map is None
    for table, frame in clean.tables.items():
        pd.testing.assert_frame_equal(frame, small["catering"].tables[table])


def test_generator_seed_is_accepted():
    a = casekit.generate_case("catering", n_customers=50, seed=np.random.default_rng(3))
    b = casekit.generate_case("catering", n_customers=50, seed=np.random.default_rng(3))
    pd.testing.assert_frame_equal(a.visits, b.visits)


@pytest.mark.parametrize("name", CASES)
def test_dirty_mapping_is_complete_and_consistent(small, name):
    case = small[name]
    records, mapping = case.tables["records"], case.record_map
    assert list(mapping.columns) == ["record_id", "customer_id"]
    assert records["record_id"].is_unique and mapping["record_id"].is_unique
    assert set(mapping["record_id"]) == set(records["record_id"])
    assert set(mapping["customer_id"]) == set(case.truth["customer_id"])
    assert set(records["source"]) == {"sales", "service", "billing"}
    # Records keep enough of the truth to be matched: the e-mail, when present,
    # is the customer's own.
    identity = small[name].tables[list(case.tables)[0]].set_index("customer_id")
    joined = records.merge(mapping, on="record_id")
    with_email = joined.dropna(subset=["email"])
    assert (with_email["email"].to_numpy()
            == identity.loc[with_email["customer_id"], "email"].to_numpy()).all()
    # And they are dirty: duplicates, variants and gaps.
    assert mapping["customer_id"].duplicated().any()
    assert records["phone"].isna().any() and records["address"].isna().any()
    names = identity.loc[joined["customer_id"], "contact_name" if name == "office_supplies"
                         else "name"].to_numpy()
    assert (joined["name"].to_numpy() != names).mean() > 0.05


def test_dirty_company_suffix_variants():
    case = casekit.generate_case("office_supplies", n_customers=400, seed=5, dirty=True)
    joined = case.records.merge(case.record_map, on="record_id").merge(
        case.companies[["customer_id", "company"]], on="customer_id", suffixes=("", "_true"))
    changed = joined[joined["company"] != joined["company_true"]]
    assert len(changed) > 20
    assert changed["company"].str.contains(r"Inc\.|Incorporated|L\.L\.C\.|Limited|&").any()


@pytest.mark.parametrize("locale,pattern", [("en_US", r"^\(\d{3}\) \d{3}-\d{4}$"),
                                            ("zh_CN", r"^1\d{10}$")])
def test_locales_are_real(locale, pattern):
    case = casekit.generate_case("utility", n_customers=200, seed=3, locale=locale)
    assert case.accounts["phone"].str.match(pattern).all()
    names = case.accounts.loc[case.accounts["segment"] == "residential", "name"]
    if locale == "zh_CN":
        assert names.str.match(r"^[\u4e00-\u9fff]{2,4}$").mean() > 0.95
        assert "CNY" in case.card
    else:
        assert names.str.match(r"^[A-Za-z'.-]+ [A-Za-z' .-]+$").mean() > 0.95
        assert "USD" in case.card


@pytest.mark.parametrize("name", ["office_supplies", "insurance", "utility", "catering"])
def test_one_dataset_in_both_locales_except_names_and_text(name):
    us = casekit.generate_case(name, n_customers=150, seed=3)
    cn = casekit.generate_case(name, n_customers=150, seed=3, locale="zh_CN")
    assert us.truth.equals(cn.truth)
    for table, frame in us.tables.items():
        numbers = [c for c in frame.columns if frame[c].dtype != object]
        pd.testing.assert_frame_equal(frame[numbers], cn.tables[table][numbers], obj=table)
    assert "CNY" in cn.card
    if name == "office_supplies":
        assert cn.population["gamma_gamma"]["currency"] == "CNY"


def test_utility_market_option():
    case = casekit.generate_case("utility", n_customers=50, seed=1, market="regulated")
    assert case.params["market"] == "regulated"
    assert case.population["market"] == "regulated"
    assert "regulated market" in case.card


def test_repr_and_dir(small):
    case = small["office_supplies"]
    assert repr(case).startswith("Case('office_supplies', 300 customers")
    assert "orders" in dir(case)


# --- errors ----------------------------------------------------------------------


def test_unknown_case_lists_the_valid_ones():
    with pytest.raises(ValueError, match=r"generate_case: unknown case 'bank'; choose one of "
                                         r"\['office_supplies', 'insurance', 'utility', "
                                         r"'catering'\]"):
        casekit.generate_case("bank", n_customers=10, seed=1)
    with pytest.raises(ValueError, match="load_case: unknown case 'bank'"):
        casekit.load_case("bank")


@pytest.mark.parametrize("bad", [0, -5])
def test_n_customers_must_be_positive(bad):
    with pytest.raises(ValueError, match=f"n_customers must be a positive integer; found {bad}"):
        casekit.generate_case("catering", n_customers=bad, seed=1)


@pytest.mark.parametrize("bad", [2.5, "100", True, None])
def test_n_customers_must_be_an_integer(bad):
    with pytest.raises(TypeError, match="n_customers must be a positive integer; found"):
        casekit.generate_case("catering", n_customers=bad, seed=1)


def test_unknown_locale_lists_the_supported_ones():
    with pytest.raises(ValueError, match=r"locale must be one of \['en_US', 'zh_CN'\]; "
                                         r"found 'fr_FR'"):
        casekit.generate_case("catering", n_customers=10, seed=1, locale="fr_FR")


@pytest.mark.parametrize("bad", ["7", 1.5, [1]])
def test_bad_seed_type(bad):
    with pytest.raises(TypeError, match="generate_case: seed must be a non-negative int"):
        casekit.generate_case("catering", n_customers=10, seed=bad)


def test_negative_seed():
    with pytest.raises(ValueError, match="generate_case: seed must be a non-negative int"):
        casekit.generate_case("catering", n_customers=10, seed=-1)


def test_unknown_option_and_bad_market():
    with pytest.raises(TypeError, match=r"unknown option 'market' for case 'catering'; "
                                        r"options are \[\]"):
        casekit.generate_case("catering", n_customers=10, seed=1, market="regulated")
    with pytest.raises(ValueError, match=r"market must be one of \['deregulated', 'regulated'\]"):
        casekit.generate_case("utility", n_customers=10, seed=1, market="free")


def test_dirty_must_be_bool():
    with pytest.raises(TypeError, match="dirty must be True or False; found 'yes'"):
        casekit.generate_case("catering", n_customers=10, seed=1, dirty="yes")
    with pytest.raises(TypeError, match="load_case: dirty must be True or False"):
        casekit.load_case("catering", dirty=1)


def test_missing_table_attribute_names_the_tables(small):
    with pytest.raises(AttributeError, match=r"has no table or attribute 'sales'; tables are "
                                             r"\['members'"):
        getattr(small["catering"], "sales")  # noqa: B009


# --- writing and load_case ---------------------------------------------------------


def test_write_case_refuses_existing_files(tmp_path, small):
    case = small["catering"]
    _cases.write_case(case, tmp_path, formats=("parquet",))
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(FileExistsError, match="already exist.*overwrite"):
        _cases.write_case(case, tmp_path, formats=("parquet",))
    _cases.write_case(case, tmp_path, formats=("parquet",), overwrite=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "visits.parquet"), case.visits)


def test_write_case_leaves_no_partial_files(tmp_path, small, monkeypatch):
    case = small["catering"]
    calls = []

    def failing(frame, path, fmt):
        calls.append(path)
        if len(calls) == 3:
            raise OSError("disk full")
        frame.to_csv(path)

    monkeypatch.setattr(_cases, "write_frame", failing)
    with pytest.raises(OSError, match="disk full"):
        _cases.write_case(case, tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []


def test_write_case_unwritable_folder(tmp_path, small):
    # A folder below a regular file cannot be created, even by root.
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(PermissionError, match=r"cannot write to .*file.txt/sub.*choose a "
                                              r"folder you can write to"):
        _cases.write_case(small["catering"], tmp_path / "file.txt" / "sub")


def test_write_case_rejects_a_file_as_folder(tmp_path, small):
    target = tmp_path / "file.txt"
    target.write_text("x")
    with pytest.raises(NotADirectoryError, match="exists and is not a folder"):
        _cases.write_case(small["catering"], target)


def test_load_case_outside_the_repository_uses_the_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(_cases, "_repo_datasets", lambda: tmp_path / "nowhere")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setitem(DEFAULTS, "catering", {"n_customers": 120, "seed": 9,
                                               "locale": "en_US"})
    case = casekit.load_case("catering", dirty=True)
    folder = tmp_path / "cache" / "casekit" / casekit.__version__ / "catering"
    assert (folder / "visits.parquet").is_file() and (folder / "visits.csv").is_file()
    fresh = casekit.generate_case("catering", n_customers=120, seed=9, dirty=True)
    for table in fresh.tables:
        pd.testing.assert_frame_equal(case.tables[table], fresh.tables[table])
    pd.testing.assert_frame_equal(case.truth, fresh.truth)
    pd.testing.assert_frame_equal(case.record_map, fresh.record_map)
    assert case.population == fresh.population and case.card == fresh.card
    again = casekit.load_case("catering")
    assert "records" not in again.tables and again.record_map is None
    pd.testing.assert_frame_equal(again.visits, fresh.visits)


def test_load_case_regenerates_damaged_files(tmp_path, monkeypatch):
    monkeypatch.setattr(_cases, "_repo_datasets", lambda: tmp_path / "nowhere")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setitem(DEFAULTS, "catering", {"n_customers": 60, "seed": 9, "locale": "en_US"})
    first = casekit.load_case("catering")
    folder = tmp_path / "casekit" / casekit.__version__ / "catering"
    first.visits.head(3).to_parquet(folder / "visits.parquet")
    with pytest.warns(UserWarning, match="do not match what casekit wrote; generating"):
        second = casekit.load_case("catering")
    pd.testing.assert_frame_equal(second.visits, first.visits)


def test_load_case_warns_when_the_manifest_differs(tmp_path, monkeypatch):
    repo = tmp_path / "datasets"
    repo.mkdir()
    manifest = {"casekit_version": casekit.__version__, "cases": {"catering": {
        "n_customers": 40, "seed": 2, "locale": "en_US", "options": {},
        "tables": {"visits": {"rows": 1, "sha256": "0" * 64}}}}}
    (repo / "manifest.json").write_text(json.dumps(manifest))
    monkeypatch.setattr(_cases, "_repo_datasets", lambda: repo)
    with pytest.warns(UserWarning, match=r"differs from datasets/manifest.json in \['visits'"):
        case = casekit.load_case("catering")
    assert case.params["n_customers"] == 40 and (repo / "catering" / "stamp.json").is_file()


def test_load_case_default_is_the_manifest_case():
    case = casekit.load_case("office_supplies")
    manifest = json.loads((ROOT / "datasets" / "manifest.json").read_text())
    entry = manifest["cases"]["office_supplies"]
    assert case.params["n_customers"] == entry["n_customers"] == len(case.truth)
    assert _cases.content_hash(case.orders) == entry["tables"]["orders"]["sha256"]


def test_exponential_lifetimes_follow_the_piecewise_hazard():
    from casekit import _engine
    from casekit._streams import Draws

    rng = np.random.default_rng(3)
    n = 200_000
    t0 = rng.uniform(0, 50, n)
    d = Draws(3, 0, n)
    death = _engine.exponential_lifetimes(d, "life", t0, np.full(n, 0.01), np.full(n, 100.0),
                                          np.full(n, 0.05))
    assert (death > t0).all()
    for t in (60.0, 100.0, 150.0):
        hazard = 0.01 * (np.minimum(t, 100.0) - t0) + 0.05 * max(t - 100.0, 0.0)
        expected = np.exp(-hazard).mean()
        assert (death > t).mean() == pytest.approx(expected, abs=0.005), t
    # no change point: a plain exponential lifetime
    plain = _engine.exponential_lifetimes(d, "plain", np.zeros(n), np.full(n, 0.02),
                                          np.full(n, np.inf), np.full(n, 0.5))
    assert plain.mean() == pytest.approx(50.0, rel=0.01)
