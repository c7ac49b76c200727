"""Cases: generate one, load the default one, list them, and keep the manifest."""

from __future__ import annotations

import errno
import hashlib
import json
import numbers
import os
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from casekit import _cards, _dirty, _names, _sim_catering, _sim_insurance, _sim_office, _sim_utility
from casekit._random import check_rng
from casekit._specs import DEFAULTS
from casekit._validation import check_choice

_MODULES = {
    "office_supplies": _sim_office,
    "insurance": _sim_insurance,
    "utility": _sim_utility,
    "catering": _sim_catering,
}
#: The table that the unified transaction view is taken from, per case.
_TRANSACTION_TABLE = {
    "office_supplies": "orders",
    "insurance": "premiums",
    "utility": "bills",
    "catering": "visits",
}
TRANSACTION_COLUMNS = ["order_id", "customer_id", "date", "amount", "gross_margin", "channel"]
FORMATS = ("csv", "parquet")


def list_cases() -> list[str]:
    """Names of the cases casekit can generate.

    Examples
    --------
    >>> list_cases()
    ['office_supplies', 'insurance', 'utility', 'catering']
    """
    return list(_MODULES)


class Case:
    """One generated case: the firm's tables, the truth behind them and the data card.

    Build one with :func:`load_case` or :func:`generate_case`.

    Attributes
    ----------
    name : str
        The case name, one of :func:`list_cases`.
    tables : dict of str to pandas.DataFrame
        What the firm's systems record; each table is also an attribute
        (``case.orders``).
    transactions : pandas.DataFrame
        One row per purchase or payment with ``order_id``, ``customer_id``,
        ``date``, ``amount``, ``gross_margin`` and ``channel``.
    truth : pandas.DataFrame
        One row per customer: the latent parameters, ``alive`` and ``churn_date``.
    population : dict
        The true population parameters of the behaviour model, with the time unit.
    start, end : pandas.Timestamp
        The observation horizon; ``end`` is the first moment after it.
    card : str
        The data card in markdown; in Simplified Chinese for the ``zh_CN``
        locale, with the same numbers as the English card.
    record_map : pandas.DataFrame or None
        With ``dirty=True``: ``record_id`` to ``customer_id`` for the
        department records in ``tables["records"]``.
    params : dict
        ``n_customers``, ``seed``, ``locale``, ``dirty`` and the case options.

    Examples
    --------
    >>> case = generate_case("catering", n_customers=50, seed=1)
    >>> case.visits is case.tables["visits"]
    True
    >>> list(case.transactions.columns)
    ['order_id', 'customer_id', 'date', 'amount', 'gross_margin', 'channel']
    """

    def __init__(self, *, name, tables, truth, population, start, end, card, params,
                 record_map=None):
        self.name = name
        self.tables = tables
        self.truth = truth
        self.population = population
        self.start = start
        self.end = end
        self.card = card
        self.params = params
        self.record_map = record_map
        self._transactions = None

    @property
    def transactions(self) -> pd.DataFrame:
        if self._transactions is None:
            source = self.tables[_TRANSACTION_TABLE[self.name]]
            self._transactions = source[TRANSACTION_COLUMNS].copy()
        return self._transactions

    def to_duckdb(self, path, *, overwrite=False) -> Path:
        """Write the case into one DuckDB database file, with primary and foreign keys.

        The firm's tables go into the ``main`` schema, one table per case
        table; the answer key goes into the ``truth`` schema
        (``truth.truth`` and, for a dirty case, ``truth.record_map``), and a
        one-row description into ``casekit.info``.  The file is written under
        a temporary name in the same folder and renamed at the end, so a
        failed write leaves no partial database.

        Parameters
        ----------
        path : str or Path
            The database file to write, such as ``"case.duckdb"``.
        overwrite : bool
            Replace an existing file.

        Returns
        -------
        Path
            The file written.

        Examples
        --------
        >>> import duckdb, tempfile
        >>> case = generate_case("insurance", n_customers=30, seed=3)
        >>> folder = tempfile.mkdtemp()
        >>> db = case.to_duckdb(f"{folder}/insurance.duckdb")
        >>> with duckdb.connect(str(db), read_only=True) as con:
        ...     con.sql("SELECT count(*) FROM holders").fetchall()
        [(30,)]
        >>> case.to_duckdb(db)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        FileExistsError: to_duckdb: '...insurance.duckdb' already exists; pass overwrite=True ...
        """
        from casekit._database import write_duckdb

        return write_duckdb(self, path, overwrite=overwrite)

    def __getattr__(self, attr):
        tables = self.__dict__.get("tables", {})
        if attr in tables:
            return tables[attr]
        raise AttributeError(
            f"Case {self.__dict__.get('name')!r} has no table or attribute {attr!r}; "
            f"tables are {list(tables)!r}"
        )

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self.tables))

    def __repr__(self) -> str:
        return (
            f"Case({self.name!r}, {self.params['n_customers']} customers, "
            f"{self.start.date()} to {self.end.date()}, tables={list(self.tables)!r})"
        )


def _check_name(name, func: str) -> str:
    if not isinstance(name, str) or name not in _MODULES:
        raise ValueError(f"{func}: unknown case {name!r}; choose one of {list_cases()!r}")
    return name


def _check_options(name: str, options: dict, func: str) -> dict:
    allowed = _MODULES[name].OPTIONS
    for key in options:
        if key not in allowed:
            raise TypeError(
                f"{func}: unknown option {key!r} for case {name!r}; "
                f"options are {sorted(allowed)!r}"
            )
    out = {}
    for key, (default, choices) in allowed.items():
        out[key] = check_choice(options.get(key, default), func=func, name=key, choices=choices)
    return out


def _check_size(n_customers, func: str) -> int:
    if isinstance(n_customers, bool) or not isinstance(n_customers, numbers.Integral):
        raise TypeError(
            f"{func}: n_customers must be a positive integer; found "
            f"{type(n_customers).__name__} {n_customers!r}"
        )
    if n_customers < 1:
        raise ValueError(f"{func}: n_customers must be a positive integer; found {n_customers}")
    return int(n_customers)


def generate_case(name, *, n_customers, seed, locale="en_US", dirty=False, **options) -> Case:
    """Simulate one case with a chosen size, seed and locale.

    Parameters
    ----------
    name : str
        One of :func:`list_cases`.
    n_customers : int
        Number of customers (accounts, policyholders, members) to simulate.
    seed : int, numpy.random.Generator or None
        The same int gives the same tables in every process.
    locale : {"en_US", "zh_CN"}
        Language of names, companies, addresses and phone formats; ``zh_CN``
        also states amounts in yuan and writes the data card in Chinese.
    dirty : bool
        Also produce ``tables["records"]``: the customers as sales, service
        and billing recorded them, with duplicates, typos and missing values,
        and ``case.record_map``, the true record-to-customer mapping.
    **options
        Case options. ``utility`` takes ``market="deregulated"`` (customers
        may switch supplier) or ``"regulated"`` (they can only move out).

    Returns
    -------
    Case

    Examples
    --------
    >>> case = generate_case("office_supplies", n_customers=100, seed=7)
    >>> case.truth["customer_id"].iloc[0]
    'OS-00001'
    >>> generate_case("bakery", n_customers=10, seed=1)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: generate_case: unknown case 'bakery'; choose one of ['office_supplies', ...]
    """
    return _generate(name, n_customers=n_customers, seed=seed, locale=locale, dirty=dirty,
                     options=options)


#: Customers simulated at a time. Each customer's numbers are keyed by the customer, so the
#: size changes only the memory a generation needs, never the data.
BLOCK_SIZE = 50_000


def collect(blocks, progress=None) -> dict:
    """A simulation's blocks gathered into whole tables, column by column.

    A case module's ``simulate`` yields ``("rows", {table: frame}, done)``
    once a block of customers is simulated, then ``("end", result)``, whose
    ``result["tables"]`` holds the tables made once for all customers and
    ``result["order"]`` the order of every table. ``progress``, if given, is
    called with the number of customers done after each block.
    """
    pieces: dict[str, list[pd.DataFrame]] = {}
    for kind, *payload in blocks:
        if kind == "end":
            result = payload[0]
            break
        rows, done = payload
        for table, frame in rows.items():
            pieces.setdefault(table, []).append(frame)
        if progress is not None:
            progress(done)
    tables = {name: result["tables"][name] if name in result["tables"]
              else concat_pieces(pieces.pop(name)) for name in result["order"]}
    return {**result, "tables": tables}


def concat_pieces(pieces: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate frames with the same columns, freeing each column's pieces as it goes."""
    if len(pieces) == 1:
        return pieces[0].reset_index(drop=True)
    columns = {}
    for column in list(pieces[0].columns):
        parts = [piece.pop(column) for piece in pieces]
        columns[column] = pd.concat(parts, ignore_index=True)
        del parts
        _give_back_freed_memory()
    return pd.DataFrame(columns, copy=False)


def _give_back_freed_memory() -> None:
    # glibc keeps the freed pieces (each below its mmap threshold) inside the process, so
    # the joined columns would be allocated on top of them; malloc_trim returns them.
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None).malloc_trim(0)
        except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
            pass


def _setup(name, n_customers, seed, locale, dirty, options, func):
    """The checked arguments of a generation, its generator and its parameters."""
    name = _check_name(name, func)
    n = _check_size(n_customers, func)
    check_choice(locale, func=func, name="locale", choices=_names.SUPPORTED_LOCALES)
    if not isinstance(dirty, bool | np.bool_):
        raise TypeError(f"{func}: dirty must be True or False; found {dirty!r}")
    options = _check_options(name, options, func)
    rng = check_rng(seed, func=func)
    params = {"n_customers": n, "seed": seed if isinstance(seed, int) else None,
              "locale": locale, "dirty": bool(dirty), **options}
    return name, n, rng, params


def _generate(name, *, n_customers, seed, locale, dirty, options, func="generate_case",
              progress=None, block_size=BLOCK_SIZE) -> Case:
    name, n, rng, params = _setup(name, n_customers, seed, locale, dirty, options, func)
    module = _MODULES[name]
    options = {k: params[k] for k in module.OPTIONS}
    sim = collect(module.simulate(rng, n, locale, options, block_size=block_size),
                  progress=progress)
    record_map = None
    tables = sim["tables"]
    if dirty:
        records, record_map = _dirty.make_records(sim["identity"], rng, locale)
        tables = {**tables, "records": records}
    return Case(
        name=name,
        tables=tables,
        truth=sim["truth"],
        population=module.population(locale, options),
        start=sim["start"],
        end=sim["end"],
        card=_cards.render(name, locale=locale, options=options),
        params=params,
        record_map=record_map,
    )


# --- files, hashes and the manifest ------------------------------------------------

def content_hash(frame: pd.DataFrame) -> str:
    """SHA-256 of a canonical CSV text of ``frame``, stable across platforms.

    Floats are written with 10 significant digits, timestamps as ISO text and
    line ends as ``\\n``; Parquet bytes are not used since they depend on the
    writer's version.

    Examples
    --------
    >>> content_hash(pd.DataFrame({"a": [1.0, 2.5]}))[:12]
    '85c8b8ad129c'
    """
    text = frame.to_csv(index=False, lineterminator="\n", float_format="%.10g",
                        date_format="%Y-%m-%dT%H:%M:%S")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def case_frames(case: Case) -> dict[str, pd.DataFrame]:
    """The frames written to disk: every table, then ``truth`` and ``record_map``."""
    frames = dict(case.tables)
    frames["truth"] = case.truth
    if case.record_map is not None:
        frames["record_map"] = case.record_map
    return frames


def write_frame(frame: pd.DataFrame, path: Path, fmt: str) -> None:
    """One table as CSV or Parquet: the same bytes as when it is written block by block."""
    from casekit._case_writer import open_sink

    out = open_sink(path, fmt)
    out.append(frame)
    out.close()


def _targets(case: Case, formats, card: bool = True) -> list[str]:
    names = [f"{table}.{fmt}" for table in case_frames(case) for fmt in formats]
    return [*names, *(["card.md"] if card else []), "population.json"]


def _population_json(population: dict) -> str:
    return json.dumps(population, indent=2, default=str, ensure_ascii=False) + "\n"


#: Written first and removed last while files in a folder are replaced: a folder holding it
#: was left half-written by a run that was stopped, and may mix files of two runs.
INCOMPLETE = "INCOMPLETE.txt"
#: What write_case wrote: the case, its parameters and the sha256 of every file.
CONTENTS = "casekit.json"
_TMP_PREFIX = ".casekit-tmp-"
_INCOMPLETE_TEXT = (
    "casekit was stopped while it replaced the files in this folder, so some files may be\n"
    "missing or come from another run.  Write the folder again (casekit generate ...\n"
    "--overwrite, or load_case for the default datasets), or delete it.\n"
)


def _pause_for_tests(point: str) -> None:
    # tests/test_robust_cases.py kills a writer with SIGKILL at each point; unset otherwise.
    if os.environ.get("CASEKIT_TEST_PAUSE") == point:
        print(f"casekit paused at {point}", file=sys.stderr, flush=True)
        time.sleep(120)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, but belongs to someone else
        return True
    return True


def clean_stale(out: Path) -> list[Path]:
    """Remove the temporary files and folders that killed writers left in ``out``.

    Temporary names carry the writer's process id; those of a live process
    (another notebook writing at the same time) are left alone.
    """
    removed = []
    for path in out.glob(f"{_TMP_PREFIX}*"):
        parts = path.name[len(_TMP_PREFIX):].split("-")
        if parts[0].isdigit() and len(parts) > 1 and _alive(int(parts[0])):
            continue
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def _contents(folder: Path) -> dict | None:
    """The listing that write_case left in ``folder``, or None if it is missing or damaged."""
    try:
        contents = json.loads((folder / CONTENTS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(contents, dict) or not isinstance(contents.get("files"), dict):
        return None
    return contents


def _write_error(err: OSError, out: Path, func: str) -> OSError:
    reason = err.strerror or str(err)
    hint = ("free some disk space and try again" if err.errno == errno.ENOSPC
            else "choose a folder you can write to")
    return type(err)(err.errno, f"{func}: cannot write the files to {str(out)!r}: {reason}; "
                                f"{hint}; nothing was changed in the folder")


def write_case(case: Case, out, *, formats=("csv",), overwrite=False, func="write_case",
               progress=None, card=True) -> list[Path]:
    """Write a case's frames, card (unless ``card=False``) and population to ``out``.

    Everything is written to a temporary folder inside ``out`` first, so a
    failure (a full disk, say) leaves the folder as it was.  The files are
    then moved into place under the marker :data:`INCOMPLETE`, removed last:
    a run stopped during the moves leaves a folder that says it is
    incomplete.  Files of an earlier write that this one does not replace
    are removed, so the folder never mixes two cases or seeds.  The listing
    :data:`CONTENTS` records the parameters and the sha256 of every file.
    Leftovers of killed runs are removed at the start.
    """
    for fmt in formats:
        check_choice(fmt, func=func, name="format", choices=FORMATS)

    def fill(tmp: Path) -> None:
        for table, frame in case_frames(case).items():
            for fmt in formats:
                write_frame(frame, tmp / f"{table}.{fmt}", fmt)
                _pause_for_tests("write")
            if progress is not None:
                progress.update(1)
        write_case_texts(case.name, case.card if card else None, case.population, tmp)

    return write_folder(out, _targets(case, formats, card), case.name, case.params, fill,
                        overwrite=overwrite, func=func)


def write_case_texts(name: str, card: str | None, population: dict, folder: Path) -> None:
    """The card (unless None) and ``population.json`` of a case, in ``folder``."""
    if card is not None:
        (folder / "card.md").write_text(card, encoding="utf-8")
    (folder / "population.json").write_text(_population_json(population), encoding="utf-8")


def write_folder(out, targets: list[str], name: str, params: dict, fill, *, overwrite: bool,
                 func: str) -> list[Path]:
    """Write the files ``targets`` into the folder ``out`` all at once, or not at all.

    ``fill(tmp)`` writes them into a temporary folder; see :func:`write_case`.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(f"{func}: output {str(out)!r} exists and is not a folder")
    existing = [t for t in targets if (out / t).exists()]
    if existing and not overwrite:
        raise FileExistsError(
            f"{func}: {len(existing)} files already exist in {str(out)!r}, e.g. "
            f"{existing[:3]!r}; pass overwrite=True (--overwrite) to replace them"
        )
    in_the_way = [t for t in [*targets, CONTENTS] if (out / t).is_dir()]
    if in_the_way:
        raise IsADirectoryError(
            f"{func}: {in_the_way[:3]!r} in {str(out)!r} are folders where casekit writes "
            f"files; move or delete them"
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
        clean_stale(out)
        tmp = Path(tempfile.mkdtemp(prefix=f"{_TMP_PREFIX}{os.getpid()}-", dir=out))
    except OSError as err:
        raise PermissionError(
            f"{func}: cannot write to {str(out)!r} ({err.strerror or err}); "
            "choose a folder you can write to"
        ) from None
    try:
        try:
            fill(tmp)
            listing = {"case": name, **params,
                       "files": {t: _file_digest(tmp / t) for t in targets}}
            (tmp / CONTENTS).write_text(json.dumps(listing, indent=2, default=str) + "\n",
                                        encoding="utf-8")
            (tmp / INCOMPLETE).write_text(_INCOMPLETE_TEXT, encoding="utf-8")
        except OSError as err:
            raise _write_error(err, out, func) from None
        _replace(tmp, out, targets)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return [out / t for t in targets]


def _replace(tmp: Path, out: Path, targets: list[str]) -> None:
    """Move the files from ``tmp`` into ``out`` under the INCOMPLETE marker."""
    os.replace(tmp / INCOMPLETE, out / INCOMPLETE)
    old = _contents(out)
    # files of an earlier write that this one does not replace (another format, the dirty
    # tables); only those the listing names, never files casekit did not write
    for name in sorted(set(old["files"] if old else ()) - set(targets)):
        if "/" not in name and "\\" not in name and (out / name).is_file():
            (out / name).unlink()
    (out / CONTENTS).unlink(missing_ok=True)
    for i, target in enumerate(targets):
        os.replace(tmp / target, out / target)
        if i == 0:
            _pause_for_tests("rename")
    os.replace(tmp / CONTENTS, out / CONTENTS)
    (out / INCOMPLETE).unlink(missing_ok=True)  # a concurrent writer may have removed it


def _repo_datasets() -> Path:
    return Path(__file__).resolve().parent.parent / "datasets"


def _cache_root() -> Path:
    from casekit import __version__

    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "casekit" / __version__


def data_root() -> tuple[Path, dict | None]:
    """Where default datasets live, and the manifest if there is one.

    Inside the repository that is ``datasets/`` with its committed manifest;
    an installed casekit uses the user cache directory and no manifest.
    """
    repo = _repo_datasets()
    manifest = repo / "manifest.json"
    if manifest.is_file():
        return repo, json.loads(manifest.read_text(encoding="utf-8"))
    return _cache_root(), None


def _default_params(name: str, manifest: dict | None) -> dict:
    if manifest is not None and name in manifest.get("cases", {}):
        entry = manifest["cases"][name]
        return {k: entry[k] for k in ("n_customers", "seed", "locale", "options")}
    return {**DEFAULTS[name], "options": {}}


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _stamp(params: dict, entry: dict | None) -> dict:
    from casekit import __version__

    # The manifest's hashes are part of the stamp: a new manifest (say after
    # a git pull) makes the files stale even when the version is unchanged.
    expected = None if entry is None else hashlib.sha256(
        json.dumps(entry.get("tables", {}), sort_keys=True).encode()).hexdigest()
    return {"casekit_version": __version__, **params, "manifest": expected}


def _generate_default(name: str, params: dict) -> Case:
    return _generate(name, n_customers=params["n_customers"], seed=params["seed"],
                     locale=params["locale"], dirty=True, options=params["options"],
                     func="load_case")


def check_against_manifest(case: Case, entry: dict) -> list[str]:
    """Names of the frames whose content hash differs from the manifest entry."""
    frames = case_frames(case)
    expected = entry["tables"]
    bad = [t for t in expected
           if t not in frames or content_hash(frames[t]) != expected[t]["sha256"]]
    return bad + [t for t in frames if t not in expected]


def _read_stamp(path: Path) -> dict | None:
    """The stamp, or None when it is missing or damaged (empty, not JSON, a folder...)."""
    try:
        stamp = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stamp, dict):
        return None
    for key in ("files", "csv"):
        digests = stamp.get(key, {})
        if not isinstance(digests, dict) or not all(
                isinstance(f, str) and isinstance(d, str) for f, d in digests.items()):
            return None
    return stamp


def changed_files(folder: Path, digests: dict) -> list[str]:
    """The files of ``digests`` that are missing from ``folder`` or differ from their sha256."""
    return [f for f, d in digests.items()
            if not (folder / f).is_file() or _file_digest(folder / f) != d]


def _default_locale(locale, manifest_locale: str) -> str:
    """The data locale load_case uses: ``locale``, else the language's, else the manifest's."""
    from casekit._i18n import DATA_LOCALE, get_language

    if locale is None:
        return DATA_LOCALE.get(get_language(), manifest_locale)
    return check_choice(locale, func="load_case", name="locale",
                        choices=_names.SUPPORTED_LOCALES)


def ensure_default(name: str, *, locale=None,
                   check_csv=False) -> tuple[Path, dict]:
    """Make sure the default files of ``name`` exist and are intact; return folder and params.

    The Parquet files are checked against the digests in ``stamp.json`` on
    every call, the CSV copies too with ``check_csv=True``.  A folder that is
    marked incomplete, lacks a readable stamp or fails the check is written again.
    Another ``locale`` than the manifest's gives the same size and seed in
    ``<name>-<locale>/``; the manifest's hashes then do not apply.
    """
    root, manifest = data_root()
    params = _default_params(name, manifest)
    entry = None if manifest is None else manifest.get("cases", {}).get(name)
    folder = root / name
    locale = _default_locale(locale, params["locale"])
    # The default locale's hashes also date the files of another locale: a new generator
    # changes them, though they are not checked against that locale's tables.
    expected = _stamp({**params, "locale": locale}, entry)
    if locale != params["locale"]:
        params = {**params, "locale": locale}
        entry = None
        folder = root / f"{name}-{locale}"
    if manifest is not None:
        # Older versions also copied the card here; datasets/<case>.md is the one card now.
        (folder / "card.md").unlink(missing_ok=True)
    stamp_path = folder / "stamp.json"
    problem = None
    if (folder / INCOMPLETE).exists():
        problem = "were left incomplete by a run that was stopped"
    elif stamp_path.exists():
        stamp = _read_stamp(stamp_path)
        if stamp is None:
            problem = "have a damaged stamp.json"
        elif {k: stamp.get(k) for k in expected} == expected and stamp.get("csv"):
            # (a stamp without CSV digests comes from an older casekit: written again)
            digests = {**stamp["files"], **(stamp["csv"] if check_csv else {})}
            if stamp["files"] and not changed_files(folder, digests):
                return folder, params
            # same generator and manifest, yet the files changed
            problem = "do not match what casekit wrote"
    if problem is not None:
        warnings.warn(f"load_case: the files in {str(folder)!r} {problem}; generating them "
                      f"again", stacklevel=3)
    case = _generate_default(name, params)
    if entry is not None:
        bad = check_against_manifest(case, entry)
        if bad:
            warnings.warn(
                f"load_case: generated {name!r} differs from datasets/manifest.json in "
                f"{bad!r}; numbers may differ from the ones printed in the notebooks",
                stacklevel=3,
            )
    # Our own cache: clear what is in the way, and drop the old stamp first, so that if
    # this run is stopped the next one finds no stamp and writes the files again.
    for target in ["stamp.json", *_targets(case, FORMATS), CONTENTS]:
        if (folder / target).is_dir():
            shutil.rmtree(folder / target)
    stamp_path.unlink(missing_ok=True)
    # In the repository the card is datasets/<case>.md: one copy, not a second in the folder.
    written = write_case(case, folder, formats=FORMATS, overwrite=True, func="load_case",
                         card=manifest is None)
    digests = _contents(folder)["files"]
    stamp = {**expected,
             "files": {p.name: digests[p.name] for p in written if p.suffix == ".parquet"},
             "csv": {p.name: digests[p.name] for p in written if p.suffix == ".csv"}}
    # A unique temporary name: two notebooks may create the same case at once.
    handle, tmp = tempfile.mkstemp(prefix=f"{_TMP_PREFIX}{os.getpid()}-stamp-", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(stamp, stream, indent=2)
        os.replace(tmp, stamp_path)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise _write_error(err, folder, "load_case") from None
    return folder, params


def load_case(name, *, dirty=False, locale=None) -> Case:
    """The default dataset of a case, created on first use.

    The first call generates the case with the default size, seed and
    locale, checks it against ``datasets/manifest.json`` and writes CSV and
    Parquet files to ``datasets/<name>/`` (or, for an installed casekit, to
    the user cache directory, honouring ``XDG_CACHE_HOME``).  Later calls
    read the Parquet files.

    Parameters
    ----------
    name : str
        One of :func:`list_cases`.
    dirty : bool
        Include the department records and their true mapping.
    locale : {None, "en_US", "zh_CN"}
        The language of names, companies and addresses.  None takes
        ``zh_CN`` after ``casekit.set_language("zh")`` and the manifest's
        locale otherwise.  Another locale than the manifest's simulates the
        same customers from the same seed into ``datasets/<name>-<locale>/``:
        the behaviour (dates, counts, who churned) is the same, the names and
        texts are localised, and ``zh_CN`` states amounts in yuan, at the
        fixed rate of 7 yuan to the dollar.

    Returns
    -------
    Case

    Examples
    --------
    >>> case = load_case("catering")
    >>> case.params["n_customers"] == len(case.truth)
    True
    >>> load_case("catering", locale="fr_FR")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: load_case: locale must be one of ...; found 'fr_FR'
    """
    name = _check_name(name, "load_case")
    if not isinstance(dirty, bool | np.bool_):
        raise TypeError(f"load_case: dirty must be True or False; found {dirty!r}")
    folder, params = ensure_default(name, locale=locale)
    stamp = _read_stamp(folder / "stamp.json")
    if stamp is None:  # another process is rewriting the folder this very moment
        folder, params = ensure_default(name, locale=locale)
        stamp = _read_stamp(folder / "stamp.json")
    frames = {}
    for file in stamp["files"]:  # only the files casekit wrote, in their order
        try:
            frames[Path(file).stem] = pd.read_parquet(folder / file)
        except (OSError, ValueError) as err:
            raise OSError(
                f"load_case: cannot read {str(folder / file)!r} ({err}); delete the folder "
                f"{str(folder)!r} and call load_case again"
            ) from None
    truth = frames.pop("truth")
    record_map = frames.pop("record_map")
    records = frames.pop("records")
    tables = {**frames, "records": records} if dirty else frames
    module = _MODULES[name]
    locale, options = params["locale"], params["options"]
    start, end = module.horizon(options)
    return Case(
        name=name,
        tables=tables,
        truth=truth,
        population=module.population(locale, options),
        start=start,
        end=end,
        card=_cards.render(name, locale=locale, options=options),
        params={"n_customers": params["n_customers"], "seed": params["seed"],
                "locale": locale, "dirty": bool(dirty), **options},
        record_map=record_map if dirty else None,
    )


def build_manifest(progress=None) -> dict:
    """Generate every default case and describe it for ``datasets/manifest.json``."""
    from casekit import __version__

    cases = {}
    for name in list_cases():
        params = {**DEFAULTS[name], "options": _check_options(name, {}, "build_manifest")}
        case = _generate_default(name, params)
        cases[name] = {
            **params,
            "tables": {
                table: {"rows": len(frame), "sha256": content_hash(frame)}
                for table, frame in case_frames(case).items()
            },
        }
        if progress is not None:
            progress.update(1)
    return {
        "casekit_version": __version__,
        "hash": "sha256 of the table as CSV: UTF-8, '\\n' line ends, no index, floats "
                "with 10 significant digits, timestamps as YYYY-MM-DDTHH:MM:SS",
        "cases": cases,
    }
