"""The case as a DuckDB database: same content as the files, keys enforced, safe writes."""

from __future__ import annotations

import os

import duckdb
import pandas as pd
import pytest

import casekit
from casekit import _cases, _database
from casekit.cli import main


@pytest.fixture(scope="module", params=casekit.list_cases())
def written(request, tmp_path_factory):
    case = casekit.generate_case(request.param, n_customers=120, seed=5, dirty=True)
    path = case.to_duckdb(tmp_path_factory.mktemp("db") / f"{request.param}.duckdb")
    return case, path


def _read(path, table):
    schema = "truth" if table in _database.TRUTH_TABLES else "main"
    with duckdb.connect(str(path), read_only=True) as con:
        return con.sql(f'SELECT * FROM {schema}."{table}"').df()


def test_every_table_reads_back_with_the_content_hash_of_the_files(written):
    case, path = written
    for table, frame in _cases.case_frames(case).items():
        back = _read(path, table)
        assert list(back.columns) == list(frame.columns), table
        assert _cases.content_hash(back) == _cases.content_hash(frame), table


def test_the_parquet_write_has_the_same_hashes(written, tmp_path):
    case, path = written
    _cases.write_case(case, tmp_path, formats=("parquet",))
    for table in _cases.case_frames(case):
        from_parquet = pd.read_parquet(tmp_path / f"{table}.parquet")
        assert _cases.content_hash(_read(path, table)) == _cases.content_hash(from_parquet)


def test_truth_is_kept_in_its_own_schema(written):
    case, path = written
    with duckdb.connect(str(path), read_only=True) as con:
        main_tables = {r[0] for r in con.sql(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'main'").fetchall()}
        truth_tables = {r[0] for r in con.sql(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'truth'").fetchall()}
        info = con.sql("SELECT * FROM casekit.info").df()
    assert main_tables == set(case.tables)
    assert truth_tables == {"truth", "record_map"}
    assert info.loc[0, "case"] == case.name
    assert info.loc[0, "n_customers"] == 120 and info.loc[0, "seed"] == 5


def test_every_table_has_a_primary_key_and_the_declared_foreign_keys(written):
    case, path = written
    with duckdb.connect(str(path), read_only=True) as con:
        constraints = con.sql(
            "SELECT table_name, constraint_type, constraint_column_names "
            "FROM duckdb_constraints() WHERE constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY')"
        ).df()
    for table in _cases.case_frames(case):
        keys = _database.table_keys(case.name, table)
        mine = constraints[constraints["table_name"] == table]
        pks = mine.loc[mine["constraint_type"] == "PRIMARY KEY", "constraint_column_names"]
        assert [list(v) for v in pks] == [keys["pk"]], table
        fks = sorted(v[0] for v in mine.loc[mine["constraint_type"] == "FOREIGN KEY",
                                            "constraint_column_names"])
        expected = sorted(c for c, parent, _ in keys["fk"]
                          if (parent in _database.TRUTH_TABLES)
                          == (table in _database.TRUTH_TABLES))
        assert fks == expected, table


def test_the_keys_are_enforced(written):
    case, path = written
    child = {"office_supplies": "orders", "insurance": "policies", "utility": "bills",
             "catering": "visits"}[case.name]
    with duckdb.connect(str(path)) as con:
        first = con.sql(f"SELECT * FROM {child} LIMIT 1").df()
        with pytest.raises(duckdb.ConstraintException, match="(?i)primary key|duplicate"):
            con.execute(f"INSERT INTO {child} SELECT * FROM first")
        first.iloc[0, 0] = 10**9 if first.dtypes.iloc[0].kind in "iu" else "NEW-1"
        first["customer_id"] = "NOBODY"
        with pytest.raises(duckdb.ConstraintException, match="(?i)foreign key"):
            con.execute(f"INSERT INTO {child} SELECT * FROM first")


def test_the_same_seed_gives_the_same_database(tmp_path):
    one = casekit.generate_case("utility", n_customers=60, seed=9).to_duckdb(tmp_path / "a.db")
    two = casekit.generate_case("utility", n_customers=60, seed=9).to_duckdb(tmp_path / "b.db")
    with duckdb.connect(str(one), read_only=True) as a, \
            duckdb.connect(str(two), read_only=True) as b:
        for (table,) in a.sql("SELECT table_name FROM information_schema.tables "
                              "WHERE table_schema = 'main'").fetchall():
            assert _cases.content_hash(a.sql(f"SELECT * FROM {table}").df()) == \
                _cases.content_hash(b.sql(f"SELECT * FROM {table}").df())


def test_every_table_of_every_case_has_keys():
    for name in casekit.list_cases():
        case = casekit.generate_case(name, n_customers=20, seed=1, dirty=True)
        for table in _cases.case_frames(case):
            assert _database.table_keys(name, table)["pk"], (name, table)


def test_existing_file_needs_overwrite(tmp_path):
    case = casekit.generate_case("catering", n_customers=20, seed=1)
    path = case.to_duckdb(tmp_path / "c.duckdb")
    with pytest.raises(FileExistsError, match=r"to_duckdb: '.*c\.duckdb' already exists; "
                                              r"pass overwrite=True"):
        case.to_duckdb(path)
    bigger = casekit.generate_case("catering", n_customers=30, seed=1)
    bigger.to_duckdb(path, overwrite=True)
    assert len(_read(path, "members")) == 30


def test_a_folder_is_not_a_file_name(tmp_path):
    case = casekit.generate_case("catering", n_customers=20, seed=1)
    with pytest.raises(IsADirectoryError, match="to_duckdb: .* is a folder; give a file name"):
        case.to_duckdb(tmp_path)


def test_bad_parameters(tmp_path):
    case = casekit.generate_case("catering", n_customers=20, seed=1)
    with pytest.raises(TypeError, match="to_duckdb: path must be a file name .*found int 3"):
        case.to_duckdb(3)
    with pytest.raises(TypeError, match="to_duckdb: overwrite must be True or False; found 'y'"):
        case.to_duckdb(tmp_path / "x.duckdb", overwrite="y")


def test_unwritable_path(tmp_path):
    (tmp_path / "file.txt").write_text("x")
    case = casekit.generate_case("catering", n_customers=20, seed=1)
    with pytest.raises(PermissionError, match="to_duckdb: cannot write to .*file.txt"):
        case.to_duckdb(tmp_path / "file.txt" / "case.duckdb")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into a read-only folder")
def test_read_only_folder(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    case = casekit.generate_case("catering", n_customers=20, seed=1)
    try:
        with pytest.raises(PermissionError, match="to_duckdb: cannot write to"):
            case.to_duckdb(folder / "case.duckdb")
    finally:
        folder.chmod(0o700)


def test_a_failed_write_leaves_nothing_behind(tmp_path, monkeypatch):
    case = casekit.generate_case("catering", n_customers=20, seed=1)
    old = case.to_duckdb(tmp_path / "c.duckdb")
    before = old.read_bytes()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(_database, "_create", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        case.to_duckdb(old, overwrite=True)
    assert old.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.duckdb"]
    with pytest.raises(RuntimeError, match="disk full"):
        case.to_duckdb(tmp_path / "new.duckdb")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.duckdb"]


def test_a_table_without_declared_keys_is_an_error(monkeypatch, tmp_path):
    case = casekit.generate_case("catering", n_customers=20, seed=1)
    case.tables["extra"] = pd.DataFrame({"a": [1]})
    with pytest.raises(KeyError, match="no keys declared for table 'extra' of case 'catering'"):
        case.to_duckdb(tmp_path / "c.duckdb")
    assert list(tmp_path.iterdir()) == []


def test_cli_duckdb(capsys, tmp_path):
    status = main(["generate", "insurance", "--customers", "40", "--seed", "2",
                   "--format", "duckdb", "--out", str(tmp_path), "--dirty"])
    out, err = capsys.readouterr()
    assert status == 0, err
    assert "insurance.duckdb" in out
    assert [p.name for p in tmp_path.iterdir()] == ["insurance.duckdb"]
    case = casekit.generate_case("insurance", n_customers=40, seed=2, dirty=True)
    assert _cases.content_hash(_read(tmp_path / "insurance.duckdb", "claims")) == \
        _cases.content_hash(case.claims)
    status = main(["generate", "insurance", "--customers", "40", "--seed", "2",
                   "--format", "duckdb", "--out", str(tmp_path)])
    _, err = capsys.readouterr()
    assert status == 2
    assert "already exists; pass overwrite=True (--overwrite)" in err
