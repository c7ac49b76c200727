"""The ``casekit`` command: list, generate and prepare the case datasets.

Examples
--------
>>> main(["list"])
office_supplies  B2B office supplies, non-contractual (seed 001)
insurance        insurer with annual renewal, contractual (seeds 002, 004)
utility          electricity retailer, monthly bills (seed 004)
catering         restaurant members, non-contractual (seed 004)
0
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from casekit import _cards, _cases, _names
from casekit._specs import DEFAULTS

_SUMMARY = {
    "office_supplies": "B2B office supplies, non-contractual (seed 001)",
    "insurance": "insurer with annual renewal, contractual (seeds 002, 004)",
    "utility": "electricity retailer, monthly bills (seed 004)",
    "catering": "restaurant members, non-contractual (seed 004)",
}
# Sizes from which the command shows a progress bar (on a terminal).
_PROGRESS_FROM = 10_000


class CommandError(Exception):
    """A user error the command reports in one line."""


def _data_folder() -> str:
    """Where ``casekit datasets`` writes, as the help and the messages say it."""
    root, _ = _cases.data_root()
    if root == _cases._repo_datasets():
        return "datasets/ in the repository"
    return f"the user cache {root} (outside the repository; XDG_CACHE_HOME moves it)"


def _parser() -> argparse.ArgumentParser:
    from casekit import __version__

    parser = argparse.ArgumentParser(
        prog="casekit", description="Synthetic CRM cases with ground truth."
    )
    parser.add_argument("--version", action="version", version=f"casekit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="list the cases")
    gen = sub.add_parser("generate", help="generate a case and write its tables")
    gen.add_argument("name", help="case name, see 'casekit list'")
    sizes = ", ".join(f"{name} {d['n_customers']:,}" for name, d in DEFAULTS.items())
    seeds = ", ".join(f"{name} {d['seed']}" for name, d in DEFAULTS.items())
    gen.add_argument("--customers", default=None,
                     help=f"number of customers (default: the course's size: {sizes})")
    gen.add_argument("--seed", default=None,
                     help=f"non-negative integer seed (default: the course's seed: {seeds})")
    gen.add_argument("--locale", default="en_US",
                     help=f"one of {', '.join(_names.SUPPORTED_LOCALES)} (default en_US)")
    gen.add_argument("--format", default="csv",
                     help="csv (default), parquet, or duckdb (one database file "
                          "<out>/<name>.duckdb with keys)")
    gen.add_argument("--out", required=True, help="output folder")
    gen.add_argument("--dirty", action="store_true",
                     help="add the department records and their true mapping")
    gen.add_argument("--overwrite", action="store_true", help="replace existing files")
    gen.add_argument("--market", default=None,
                     help="utility only: deregulated (default) or regulated")
    folder = _data_folder()
    data = sub.add_parser(
        "datasets", help=f"write the default datasets (the ones load_case reads) to {folder}",
        description=f"Write the default datasets, the ones load_case reads, to {folder}.")
    data.add_argument("--check", action="store_true",
                      help="verify every table against datasets/manifest.json")
    data.add_argument("--update-manifest", action="store_true",
                      help="maintainers: regenerate datasets/manifest.json and the cards")
    board = sub.add_parser("leaderboard", help="rank teams' plan files with the simulator")
    board.add_argument("plans", nargs="+", help="plan files (.json or .toml), one per team")
    board.add_argument("--case", required=True, help="case name, see 'casekit list'")
    board.add_argument("--seed", required=True, help="non-negative integer seed for every plan")
    board.add_argument("--years", default="1", help="years to play forward, 1 to 5 (default 1)")
    return parser


def _int_option(text: str, option: str, *, minimum: int) -> int:
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or value < minimum:
        kind = "a positive integer" if minimum > 0 else "a non-negative integer"
        raise CommandError(f"{option} must be {kind}; found {text!r}")
    return value


def _progress(total: int | None, enabled: bool, desc: str, unit: str = "step"):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit=unit, disable=None if enabled else True,
                file=sys.stderr)


def _generate(args) -> int:
    default = DEFAULTS.get(args.name, {"n_customers": 1, "seed": 0})  # else _generate says
    customers = str(default["n_customers"]) if args.customers is None else args.customers
    n = _int_option(customers, "--customers", minimum=1)
    seed = _int_option(str(default["seed"]) if args.seed is None else args.seed, "--seed",
                       minimum=0)
    if args.market is not None and args.name in DEFAULTS:
        allowed = _cases._MODULES[args.name].OPTIONS
        if "market" not in allowed:
            with_market = [name for name, module in _cases._MODULES.items()
                           if "market" in module.OPTIONS]
            raise CommandError(f"--market is for {' and '.join(with_market)} only; the "
                               f"{args.name} case has no options")
    options = {} if args.market is None else {"market": args.market}
    formats = (args.format,)
    if args.format not in (*_cases.FORMATS, "duckdb"):
        raise CommandError(f"--format must be one of {[*_cases.FORMATS, 'duckdb']!r}; "
                           f"found {args.format!r}")
    out = Path(args.out)
    # Fail on an unwritable folder before spending time on the simulation.
    probe = out if out.exists() else next((p for p in out.parents if p.exists()), Path("."))
    if not os.access(probe, os.W_OK) or (out.exists() and not out.is_dir()):
        raise CommandError(f"cannot write to {str(out)!r}; choose a folder you can write to")
    show = n >= _PROGRESS_FROM
    # The simulation reports its stages (a count of unknown total), then each file written.
    with _progress(None, show, f"simulating {args.name}", unit="stage") as bar:
        def stage(label: str) -> None:
            bar.set_postfix_str(label, refresh=False)
            bar.update(1)

        case = _cases._generate(args.name, n_customers=n, seed=seed, locale=args.locale,
                                dirty=args.dirty, options=options, func="casekit generate",
                                progress=stage)
    if args.format == "duckdb":
        from casekit._database import write_duckdb

        db = write_duckdb(case, out / f"{args.name}.duckdb", overwrite=args.overwrite,
                          func="casekit generate")
        print(f"wrote {db.resolve()} ({args.name}, {n:,} customers, seed {seed})")
        return 0
    with _progress(len(_cases.case_frames(case)), show, "writing", unit="table") as bar:
        written = _cases.write_case(case, out, formats=formats, overwrite=args.overwrite,
                                    func="casekit generate", progress=bar)
    print(f"wrote {len(written)} files for {args.name} ({n:,} customers, seed {seed}) "
          f"to {out.resolve()}")
    return 0


def _datasets(args) -> int:
    repo = _cases._repo_datasets()
    manifest_path = repo / "manifest.json"
    if args.update_manifest:
        if not repo.is_dir():
            raise CommandError(f"no datasets/ folder at {str(repo)!r}; run in the repository")
        with _progress(len(_cases.list_cases()), True, "manifest") as bar:
            manifest = _cases.build_manifest(progress=bar)
        _write_text(manifest_path, json.dumps(manifest, indent=2) + "\n")
        for name in _cases.list_cases():
            params = manifest["cases"][name]
            card = _cards.render(name, locale=params["locale"], options=params["options"])
            _write_text(repo / f"{name}.md", card)
        print(f"wrote {manifest_path} and the cards")
    root, manifest = _cases.data_root()
    if args.check and manifest is None:
        raise CommandError("--check needs the repository's datasets/manifest.json, and this "
                           "casekit is installed outside a clone of the repository; run it "
                           "in the repository")
    failures = 0
    for name in _cases.list_cases():
        # without --check, damaged CSV copies are written again; --check reports them
        folder, _ = _cases.ensure_default(name, check_csv=not args.check)
        status = "ready"
        if args.check:
            problems = _check_folder(folder, manifest["cases"][name]["tables"])
            status = "matches the manifest" if not problems else "DIFFERS: " + "; ".join(problems)
            failures += bool(problems)
        print(f"{name}: {folder} {status}")
    print(f"the default datasets are in {_data_folder()}")
    if failures:
        print("run `casekit datasets` (without --check) to write the damaged files again",
              file=sys.stderr)
    return 1 if failures else 0


def _leaderboard(args) -> int:
    from casekit import _simulate

    seed = _int_option(args.seed, "--seed", minimum=0)
    years = _int_option(args.years, "--years", minimum=1)
    plans = [_simulate.read_plan(path) for path in args.plans]
    case = _cases.load_case(_cases._check_name(args.case, "casekit leaderboard"))
    board = _simulate.leaderboard(case, plans, seed=seed, years=years)
    print(f"{args.case}, seed {seed}, {years} year(s); gains over the baseline")
    print(board.to_string(float_format=lambda v: f"{v:,.2f}"))
    return 0


def _check_folder(folder: Path, expected: dict) -> list[str]:
    """What is wrong in a dataset folder: tables against the manifest, CSVs against the stamp."""
    import pandas as pd

    problems = []
    for table, entry in expected.items():
        path = folder / f"{table}.parquet"
        if not path.is_file() or _cases.content_hash(pd.read_parquet(path)) != entry["sha256"]:
            problems.append(f"{table}.parquet differs from the manifest")
    stamp = _cases._read_stamp(folder / "stamp.json") or {}
    csv = stamp.get("csv", {})
    missing = [t for t in expected if f"{t}.csv" not in csv]
    if missing:
        problems.append(f"stamp.json has no digest of the CSV copies of {missing}")
    for file in _cases.changed_files(folder, csv):
        state = "is missing" if not (folder / file).is_file() else (
            "was changed or truncated after it was written (its sha256 differs from "
            "stamp.json)")
        problems.append(f"{file} {state}")
    return problems


def _write_text(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def main(argv=None) -> int:
    """Run the command line; return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "list":
            width = max(map(len, _cases.list_cases()))
            for name in _cases.list_cases():
                print(f"{name:<{width}}  {_SUMMARY[name]}")
            return 0
        if args.command == "generate":
            return _generate(args)
        if args.command == "leaderboard":
            return _leaderboard(args)
        return _datasets(args)
    except (CommandError, ValueError, TypeError, OSError) as err:
        message = str(err)
        prefix = f"casekit {args.command}: "
        print(f"casekit: error: {message.removeprefix(prefix)}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
