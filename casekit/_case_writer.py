"""A case written while it is simulated: each table's file grows block by block.

Memory then follows the block of customers, not the case, and the files are
the same bytes for every block size: a CSV is the same text in pieces, and a
Parquet file cuts its row groups every :data:`ROW_GROUP_ROWS` rows, wherever
the blocks end. A DuckDB database is filled from those Parquet files at the
end, out of core.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

#: Rows per Parquet row group, whatever the blocks.
ROW_GROUP_ROWS = 1 << 17


class _CsvSink:
    def __init__(self, path: Path):
        self.path, self.started = path, False

    def append(self, frame: pd.DataFrame) -> None:
        frame.to_csv(self.path, mode="a" if self.started else "w", header=not self.started,
                     index=False, lineterminator="\n", date_format="%Y-%m-%d %H:%M:%S")
        self.started = True

    def close(self) -> None:
        if not self.started:  # pragma: no cover - every table gets at least its header
            raise RuntimeError(f"no rows or columns were written to {self.path}")


def _schema(frame: pd.DataFrame):
    """The Arrow schema of a frame's columns, the same for every block of a table.

    Object columns hold text (or nothing), so they are strings even in a block
    where every value is missing; pandas' own metadata is left out, since it
    records what the first block happened to hold.
    """
    import pyarrow as pa

    fields = []
    for name, dtype in frame.dtypes.items():
        if pd.api.types.is_object_dtype(dtype):
            kind = pa.string()
        else:
            kind = pa.Schema.from_pandas(frame[[name]].iloc[:0], preserve_index=False).field(
                name).type
        fields.append(pa.field(name, kind))
    return pa.schema(fields)


class _ParquetSink:
    def __init__(self, path: Path):
        self.path, self.writer, self.schema = path, None, None
        self.pending: list = []
        self.rows = 0

    def append(self, frame: pd.DataFrame) -> None:
        import pyarrow as pa

        if self.schema is None:
            self.schema = _schema(frame)
        self.pending.append(pa.Table.from_pandas(frame, schema=self.schema,
                                                 preserve_index=False).replace_schema_metadata())
        self.rows += len(frame)
        while self.rows >= ROW_GROUP_ROWS:
            self._flush(ROW_GROUP_ROWS)

    def _flush(self, rows: int) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.concat_tables(self.pending)
        if self.writer is None:
            self.writer = pq.ParquetWriter(self.path, self.schema)
        self.writer.write_table(table.slice(0, rows), row_group_size=rows)
        rest = table.slice(rows)
        self.pending, self.rows = [rest], len(rest)

    def close(self) -> None:
        import pyarrow.parquet as pq

        if self.rows:
            self._flush(self.rows)
        if self.writer is None:  # a table without rows: its schema alone
            self.writer = pq.ParquetWriter(self.path, self.schema)
        self.writer.close()


def open_sink(path: Path, fmt: str):
    """A table's file, open for appending frames with the same columns; ``close()`` it."""
    return _CsvSink(path) if fmt == "csv" else _ParquetSink(path)


def _table_order(module, locale: str, options: dict) -> list[str]:
    # The tables a case has, from a simulation of one customer.
    from casekit._cases import collect
    from casekit._random import check_rng

    return collect(module.simulate(check_rng(0), 1, locale, options, block_size=1))["order"]


def _simulate_into(folder: Path, fmt: str, module, rng, n: int, params: dict, options: dict,
                   progress, block_size: int) -> dict:
    """Simulate a case into ``folder``, one file per table; return the simulation's end."""
    from casekit import _dirty
    from casekit._cases import _pause_for_tests, write_frame

    sinks: dict = {}
    result = None
    for kind, *payload in module.simulate(rng, n, params["locale"], options,
                                          block_size=block_size):
        if kind == "end":
            result = payload[0]
            break
        rows, done = payload
        for table, frame in rows.items():
            if table not in sinks:
                sinks[table] = open_sink(folder / f"{table}.{fmt}", fmt)
            sinks[table].append(frame)
        _pause_for_tests("write")
        if progress is not None:
            progress(done)
    for out in sinks.values():
        out.close()
    for table, frame in result["tables"].items():
        write_frame(frame, folder / f"{table}.{fmt}", fmt)
    if params["dirty"]:
        records, record_map = _dirty.make_records(result["identity"], rng, params["locale"])
        write_frame(records, folder / f"records.{fmt}", fmt)
        write_frame(record_map, folder / f"record_map.{fmt}", fmt)
    write_frame(result["truth"], folder / f"truth.{fmt}", fmt)
    return result


def stream_case(name, *, n_customers, seed, out, fmt="csv", locale="en_US", dirty=False,
                options=None, overwrite=False, func="casekit generate", progress=None,
                block_size=None) -> list[Path]:
    """Simulate a case and write it as it goes: CSV or Parquet files, or one DuckDB file.

    The files are those of :func:`casekit._cases.write_case` (or, for
    ``fmt="duckdb"``, of :meth:`casekit.Case.to_duckdb` in ``out/<name>.duckdb``),
    with the same bytes, but memory follows ``block_size`` customers, not the
    case. ``progress``, if given, is called with the customers simulated so far.
    Nothing is left in ``out`` if the run fails.
    """
    import shutil
    import tempfile

    from casekit import _cards, _cases, _database

    name, n, rng, params = _cases._setup(name, n_customers, seed, locale, dirty,
                                         options or {}, func)
    module = _cases._MODULES[name]
    options = {k: params[k] for k in module.OPTIONS}
    block_size = block_size or _cases.BLOCK_SIZE
    tables = _table_order(module, locale, options)
    if dirty:
        tables = [*tables, "records", "truth", "record_map"]
    else:
        tables = [*tables, "truth"]
    if fmt == "duckdb":
        path = Path(out) / f"{name}.duckdb"
        if path.exists() and not overwrite:  # before the simulation, not after it
            raise FileExistsError(f"{func}: {str(path)!r} already exists; pass overwrite=True "
                                  "(--overwrite) to replace it")
        Path(out).mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".casekit-tmp-", dir=out))
        try:
            end = _simulate_into(staging, "parquet", module, rng, n, params, options,
                                 progress, block_size)
            files = {table: staging / f"{table}.parquet" for table in tables}
            info = _database.case_info(name, params, end["start"], end["end"])
            return [_database.write_database(name, files, info, path, overwrite=overwrite,
                                             func=func)]
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    _cases.check_choice(fmt, func=func, name="format", choices=_cases.FORMATS)
    targets = [*(f"{table}.{fmt}" for table in tables), "card.md", "population.json"]

    def fill(tmp: Path) -> None:
        _simulate_into(tmp, fmt, module, rng, n, params, options, progress, block_size)
        _cases.write_case_texts(name, _cards.render(name, locale=locale, options=options),
                                module.population(locale, options), tmp)

    return _cases.write_folder(out, targets, name, params, fill, overwrite=overwrite,
                               func=func)
