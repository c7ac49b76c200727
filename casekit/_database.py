"""Write a case into one DuckDB database file: embedded, no server, with keys.

Layout of the database:

- schema ``main``: one table per case table (``orders``, ``tickets``, ...),
  each with its primary key and its foreign keys to the other tables, so a
  student can query ``SELECT * FROM orders`` at once;
- schema ``truth``: the answer key, ``truth.truth`` (the latent customer
  parameters, ``alive`` and ``churn_date``) and, for a dirty case,
  ``truth.record_map``.  It is kept in its own schema, clearly named, so a
  query on the firm's tables never touches it by accident; an instructor can
  drop it (``DROP SCHEMA truth CASCADE``) before handing the file out;
- ``casekit.info``: one row describing the case (name, size, seed, locale,
  horizon, casekit version).

Every column and row is written as it is in the case, in the same order, so
the tables read back from the file have the content hashes of the CSV and
Parquet writes.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

#: Primary key and foreign keys of each table, per case.  A foreign key is
#: ``(column, parent table, parent column)``.
KEYS: dict[str, dict[str, dict]] = {
    "office_supplies": {
        "account_managers": {"pk": ["manager_id"]},
        "companies": {"pk": ["customer_id"],
                      "fk": [("manager_id", "account_managers", "manager_id")]},
        "products": {"pk": ["product_id"]},
        "orders": {"pk": ["order_id"], "fk": [("customer_id", "companies", "customer_id")]},
        "order_lines": {"pk": ["order_id", "line_no"],
                        "fk": [("order_id", "orders", "order_id"),
                               ("product_id", "products", "product_id")]},
        "discounts": {"pk": ["discount_id"],
                      "fk": [("customer_id", "companies", "customer_id"),
                             ("manager_id", "account_managers", "manager_id")]},
        "contacts": {"pk": ["contact_id"], "fk": [("customer_id", "companies", "customer_id")]},
        "tickets": {"pk": ["ticket_id"],
                    "fk": [("customer_id", "companies", "customer_id"),
                           ("order_id", "orders", "order_id")]},
        "opportunities": {"pk": ["opportunity_id"],
                          "fk": [("customer_id", "companies", "customer_id"),
                                 ("manager_id", "account_managers", "manager_id")]},
        "campaigns": {"pk": ["campaign_id", "customer_id"],
                      "fk": [("customer_id", "companies", "customer_id")]},
    },
    "insurance": {
        "holders": {"pk": ["customer_id"]},
        "policies": {"pk": ["policy_id"], "fk": [("customer_id", "holders", "customer_id")]},
        "premiums": {"pk": ["order_id"],
                     "fk": [("customer_id", "holders", "customer_id"),
                            ("policy_id", "policies", "policy_id")]},
        "renewals": {"pk": ["customer_id", "renewal_number"],
                     "fk": [("customer_id", "holders", "customer_id")]},
        "claims": {"pk": ["claim_id"],
                   "fk": [("policy_id", "policies", "policy_id"),
                          ("customer_id", "holders", "customer_id")]},
        "complaints": {"pk": ["complaint_id"],
                       "fk": [("customer_id", "holders", "customer_id")]},
        "reminders": {"pk": ["reminder_id"], "fk": [("customer_id", "holders", "customer_id")]},
        "surveys": {"pk": ["survey_id"], "fk": [("customer_id", "holders", "customer_id")]},
    },
    "utility": {
        "tariffs": {"pk": ["tariff_id"]},
        "accounts": {"pk": ["customer_id"], "fk": [("tariff_id", "tariffs", "tariff_id")]},
        "bills": {"pk": ["order_id"], "fk": [("customer_id", "accounts", "customer_id")]},
        "payments": {"pk": ["payment_id"],
                     "fk": [("customer_id", "accounts", "customer_id"),
                            ("bill_id", "bills", "order_id")]},
        "meter_reads": {"pk": ["read_id"], "fk": [("customer_id", "accounts", "customer_id")]},
        "arrears_notices": {"pk": ["notice_id"],
                            "fk": [("customer_id", "accounts", "customer_id")]},
        "outages": {"pk": ["outage_id"]},
        "complaints": {"pk": ["complaint_id"],
                       "fk": [("customer_id", "accounts", "customer_id")]},
        "surveys": {"pk": ["survey_id"], "fk": [("customer_id", "accounts", "customer_id")]},
    },
    "catering": {
        "members": {"pk": ["customer_id"]},
        "menu": {"pk": ["dish_id"]},
        "visits": {"pk": ["order_id"], "fk": [("customer_id", "members", "customer_id")]},
        "visit_items": {"pk": ["order_id", "dish_id"],
                        "fk": [("order_id", "visits", "order_id"),
                               ("dish_id", "menu", "dish_id")]},
        "stored_value": {"pk": ["entry_id"], "fk": [("customer_id", "members", "customer_id")]},
    },
}
#: Keys shared by every case: the department records and the answer key.
COMMON_KEYS = {
    "records": {"pk": ["record_id"]},
    "truth": {"pk": ["customer_id"]},
    "record_map": {"pk": ["record_id"], "fk": [("record_id", "records", "record_id")]},
}
TRUTH_SCHEMA = "truth"
TRUTH_TABLES = ("truth", "record_map")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_keys(case_name: str, table: str) -> dict:
    """The primary and foreign keys of ``table`` in case ``case_name``."""
    keys = KEYS[case_name].get(table) or COMMON_KEYS.get(table)
    if keys is None:  # a new table in a simulator: it needs its keys here
        raise KeyError(f"to_duckdb: no keys declared for table {table!r} of case "
                       f"{case_name!r}; add them to casekit._database.KEYS")
    return {"pk": list(keys["pk"]), "fk": list(keys.get("fk", []))}


def _ordered(case_name: str, frames: dict) -> list[str]:
    """Table names with every parent before its children (foreign keys are checked on insert)."""
    done: list[str] = []
    pending = list(frames)
    while pending:
        for table in pending:
            parents = {p for _, p, _ in table_keys(case_name, table)["fk"]} - {table}
            if parents <= set(done) or not parents & set(pending):
                done.append(table)
                pending.remove(table)
                break
        else:  # pragma: no cover - the declared keys have a cycle
            raise ValueError(f"to_duckdb: the foreign keys of {pending!r} form a cycle")
    return done


def _create(con, case_name: str, table: str, frame: pd.DataFrame, present: set,
            types: dict) -> None:
    schema = TRUTH_SCHEMA if table in TRUTH_TABLES else "main"
    keys = table_keys(case_name, table)
    if isinstance(frame, pd.DataFrame):
        con.register("_frame", frame)
    else:  # a Parquet file written block by block
        path = str(frame).replace("'", "''")
        con.execute(f"CREATE TEMP VIEW _frame AS SELECT * FROM read_parquet('{path}')")
    kinds = {name: kind for name, kind, *_ in con.sql("DESCRIBE SELECT * FROM _frame").fetchall()}
    missing = [c for c in keys["pk"] + [fk[0] for fk in keys["fk"]] if c not in kinds]
    if missing:
        raise KeyError(f"to_duckdb: table {table!r} of case {case_name!r} has no column(s) "
                       f"{missing!r} named in its keys; columns are {list(kinds)!r}")
    # A key must have its parent's type (order_lines.order_id is int32, orders.order_id
    # int64); the values, and so the content hash, are unchanged.
    for column, parent, parent_col in keys["fk"]:
        if (parent, parent_col) in types:
            kinds[column] = types[parent, parent_col]
    types.update({(table, name): kind for name, kind in kinds.items()})
    parts = [f"{_quote(name)} {kind}" for name, kind in kinds.items()]
    parts.append("PRIMARY KEY (" + ", ".join(map(_quote, keys["pk"])) + ")")
    for column, parent, parent_col in keys["fk"]:
        # DuckDB's foreign keys stay inside one schema; record_map's link to
        # records (another schema) is documented rather than enforced.
        if parent in present and (parent in TRUTH_TABLES) == (table in TRUTH_TABLES):
            parts.append(f"FOREIGN KEY ({_quote(column)}) REFERENCES "
                         f"{_quote(parent)} ({_quote(parent_col)})")
    target = f"{schema}.{_quote(table)}"
    con.execute(f"CREATE TABLE {target} ({', '.join(parts)})")
    con.execute(f"INSERT INTO {target} SELECT * FROM _frame")
    if isinstance(frame, pd.DataFrame):
        con.unregister("_frame")
    else:
        con.execute("DROP VIEW _frame")


def case_info(name: str, params: dict, start, end) -> pd.DataFrame:
    """The one row of ``casekit.info``."""
    from casekit import __version__

    return pd.DataFrame({
        "case": [name],
        "n_customers": [int(params["n_customers"])],
        "seed": pd.array([params.get("seed")], dtype="Int64"),
        "locale": [params["locale"]],
        "dirty": [bool(params["dirty"])],
        "start": [start],
        "end": [end],
        "casekit_version": [__version__],
    })


def write_duckdb(case, path, *, overwrite=False, func="to_duckdb") -> Path:
    """Write ``case`` to the DuckDB file ``path``; see :meth:`casekit.Case.to_duckdb`."""
    from casekit._cases import case_frames

    return write_database(case.name, case_frames(case),
                          case_info(case.name, case.params, case.start, case.end), path,
                          overwrite=overwrite, func=func)


def write_database(name: str, frames: dict, info: pd.DataFrame, path, *, overwrite=False,
                   func="to_duckdb") -> Path:
    """Write tables (frames, or Parquet files of the same tables) to the DuckDB file ``path``."""
    import duckdb

    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"{func}: path must be a file name (str or Path); found "
                        f"{type(path).__name__} {path!r}")
    if not isinstance(overwrite, bool):
        raise TypeError(f"{func}: overwrite must be True or False; found {overwrite!r}")
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"{func}: {str(path)!r} is a folder; give a file name such "
                                "as 'case.duckdb'")
    if path.exists() and not overwrite:
        raise FileExistsError(f"{func}: {str(path)!r} already exists; pass overwrite=True "
                              "(--overwrite) to replace it")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".casekit-tmp-", dir=path.parent))
    except OSError as err:
        raise PermissionError(f"{func}: cannot write to {str(path.parent)!r} "
                              f"({err.strerror or err}); choose a folder you can write to"
                              ) from None
    try:
        db = tmp / path.name
        # DuckDB would draw its own progress widget into a notebook on a long write.
        con = duckdb.connect(str(db))
        try:
            con.execute("SET enable_progress_bar = false")
            con.execute(f"CREATE SCHEMA {TRUTH_SCHEMA}")
            con.execute("CREATE SCHEMA casekit")
            order = _ordered(name, frames)
            types: dict = {}
            for table in order:
                _create(con, name, table, frames[table], set(order), types)
            con.register("_info", info)
            con.execute("CREATE TABLE casekit.info AS SELECT * FROM _info")
            con.unregister("_info")
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(db, path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return path
