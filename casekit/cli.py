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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="casekit", description="Synthetic CRM cases with ground truth."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="list the cases")
    gen = sub.add_parser("generate", help="generate a case and write its tables")
    gen.add_argument("name", help="case name, see 'casekit list'")
    gen.add_argument("--customers", required=True, help="number of customers")
    gen.add_argument("--seed", required=True, help="non-negative integer seed")
    gen.add_argument("--locale", default="en_US",
                     help=f"one of {', '.join(_names.SUPPORTED_LOCALES)} (default en_US)")
    gen.add_argument("--format", default="csv", help="csv (default) or parquet")
    gen.add_argument("--out", required=True, help="output folder")
    gen.add_argument("--dirty", action="store_true",
                     help="add the department records and their true mapping")
    gen.add_argument("--overwrite", action="store_true", help="replace existing files")
    gen.add_argument("--market", default=None,
                     help="utility only: deregulated (default) or regulated")
    data = sub.add_parser("datasets", help="write the default datasets into datasets/")
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


def _progress(total: int, enabled: bool, desc: str):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="step", disable=None if enabled else True,
                file=sys.stderr)


def _generate(args) -> int:
    n = _int_option(args.customers, "--customers", minimum=1)
    seed = _int_option(args.seed, "--seed", minimum=0)
    options = {} if args.market is None else {"market": args.market}
    formats = (args.format,)
    if args.format not in _cases.FORMATS:
        raise CommandError(f"--format must be one of {list(_cases.FORMATS)!r}; "
                           f"found {args.format!r}")
    out = Path(args.out)
    # Fail on an unwritable folder before spending time on the simulation.
    probe = out if out.exists() else next((p for p in out.parents if p.exists()), Path("."))
    if not os.access(probe, os.W_OK) or (out.exists() and not out.is_dir()):
        raise CommandError(f"cannot write to {str(out)!r}; choose a folder you can write to")
    with _progress(1, n >= _PROGRESS_FROM, f"casekit {args.name}") as bar:
        case = _cases._generate(args.name, n_customers=n, seed=seed, locale=args.locale,
                                dirty=args.dirty, options=options, func="casekit generate",
                                progress=bar)
        bar.total = 1 + len(_cases.case_frames(case))
        bar.refresh()
        written = _cases.write_case(case, out, formats=formats, overwrite=args.overwrite,
                                    func="casekit generate", progress=bar)
    print(f"wrote {len(written)} files to {out}")
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
        raise CommandError(f"no manifest at {str(manifest_path)!r}; --check needs the "
                           "repository's datasets/manifest.json")
    failures = 0
    for name in _cases.list_cases():
        folder, _ = _cases.ensure_default(name)
        status = "ready"
        if args.check:
            import pandas as pd

            expected = manifest["cases"][name]["tables"]
            bad = []
            for table, entry in expected.items():
                path = folder / f"{table}.parquet"
                if not path.is_file() or _cases.content_hash(pd.read_parquet(path)) != entry[
                        "sha256"]:
                    bad.append(table)
            status = "matches the manifest" if not bad else f"DIFFERS in {bad}"
            failures += bool(bad)
        print(f"{name}: {folder} {status}")
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
