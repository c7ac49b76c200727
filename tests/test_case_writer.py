"""A case written while it is simulated: the same files as from memory, for any block size."""

import errno
import hashlib

import duckdb
import numpy as np
import pandas as pd
import pytest

import casekit
from casekit import _case_writer, _cases
from casekit._case_writer import open_sink, stream_case


def _digests(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def _frame(n=3500):
    k = np.arange(n)
    return pd.DataFrame({
        "id": k,
        "text": np.where(k % 7 == 0, None, "x").astype(object),
        "when": pd.date_range("2020-01-01", periods=n, freq="h"),
        "flag": k % 2 == 0,
        "small": k.astype(np.int32),
        "value": np.r_[np.nan, np.ones(n - 1)],
    })


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_table_has_the_same_bytes_in_any_pieces(tmp_path, monkeypatch, fmt):
    monkeypatch.setattr(_case_writer, "ROW_GROUP_ROWS", 1000)
    frame = _frame()
    digests = set()
    for k, sizes in enumerate([[3500], [1, 0, 999, 1200, 1300], [0, 3500]]):
        out = open_sink(tmp_path / f"{k}.{fmt}", fmt)
        lo = 0
        for size in sizes:
            out.append(frame.iloc[lo:lo + size])
            lo += size
        out.close()
        digests.add(hashlib.sha256((tmp_path / f"{k}.{fmt}").read_bytes()).hexdigest())
    assert len(digests) == 1


def test_parquet_pieces_read_back_as_the_frame_even_when_the_first_holds_no_text(tmp_path):
    frame = _frame(50)
    frame.loc[:9, "text"] = None
    out = open_sink(tmp_path / "t.parquet", "parquet")
    out.append(frame.iloc[:10])
    out.append(frame.iloc[10:])
    out.close()
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "t.parquet"), frame)
    empty = open_sink(tmp_path / "e.parquet", "parquet")
    empty.append(frame.iloc[:0])
    empty.close()
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "e.parquet"), frame.iloc[:0])


@pytest.mark.parametrize("name", casekit.list_cases())
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_streamed_files_are_those_written_from_memory(tmp_path, name, fmt):
    case = _cases._generate(name, n_customers=300, seed=4, locale="en_US", dirty=True,
                            options={}, block_size=300)
    _cases.write_case(case, tmp_path / "memory", formats=(fmt,))
    done = []
    written = stream_case(name, n_customers=300, seed=4, out=tmp_path / "stream", fmt=fmt,
                          dirty=True, block_size=37, progress=done.append)
    assert _digests(tmp_path / "stream") == _digests(tmp_path / "memory")
    assert [p.name for p in written] == [p.name for p in
                                         _cases.write_case(case, tmp_path / "again",
                                                           formats=(fmt,))]
    assert done == [min(k, 300) for k in range(37, 337, 37)]


def test_a_streamed_database_holds_the_case(tmp_path):
    case = casekit.generate_case("insurance", n_customers=200, seed=2)
    memory = case.to_duckdb(tmp_path / "memory.duckdb")
    [path] = stream_case("insurance", n_customers=200, seed=2, out=tmp_path, fmt="duckdb",
                         block_size=30)
    assert path == tmp_path / "insurance.duckdb"
    with duckdb.connect(str(memory), read_only=True) as a, \
            duckdb.connect(str(path), read_only=True) as b:
        listing = "SELECT table_schema, table_name FROM information_schema.tables ORDER BY 1, 2"
        tables = a.sql(listing).fetchall()
        assert tables == b.sql(listing).fetchall()
        for schema, table in tables:
            query = f'SELECT * FROM {schema}."{table}"'
            left, right = a.sql(query).df(), b.sql(query).df()
            if table == "info":
                continue
            assert _cases.content_hash(left) == _cases.content_hash(right), table
    assert sorted(p.name for p in tmp_path.iterdir()) == ["insurance.duckdb", "memory.duckdb"]
    with pytest.raises(FileExistsError, match="casekit generate: .*insurance.duckdb.* already "
                                              "exists; pass overwrite=True"):
        stream_case("insurance", n_customers=200, seed=2, out=tmp_path, fmt="duckdb")


def test_a_failed_stream_leaves_the_folder_as_it_was(tmp_path, monkeypatch):
    stream_case("catering", n_customers=50, seed=1, out=tmp_path, fmt="csv")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    appended = []

    class Full:
        def __init__(self, path, fmt):
            self.path = path

        def append(self, frame):
            appended.append(self.path)
            if len(appended) > 3:
                raise OSError(errno.ENOSPC, "No space left on device")
            self.path.write_bytes(b"half")

        def close(self):
            pass

    monkeypatch.setattr(_case_writer, "open_sink", Full)
    with pytest.raises(OSError, match="casekit generate: cannot write the files to .*; free "
                                      "some disk space and try again; nothing was changed"):
        stream_case("catering", n_customers=50, seed=2, out=tmp_path, fmt="csv",
                    overwrite=True, block_size=10)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
