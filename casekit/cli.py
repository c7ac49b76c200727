"""The ``casekit`` command: list, generate and prepare the case datasets.

``--lang zh`` (or a Chinese ``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES`` or ``LANG``
environment, read in that order as gettext does) shows the help in Simplified
Chinese; ``--lang en`` forces English.  What the commands print and their error
messages stay in English.

Examples
--------
>>> main(["list"])
office_supplies  B2B office supplies, non-contractual (Reading 2)
insurance        insurer with annual renewal, contractual (Readings 3 and 5)
utility          electricity retailer, monthly bills (Reading 5)
catering         restaurant members, non-contractual (Reading 5)
0
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from casekit import _cards, _cases, _i18n, _names
from casekit._case_writer import stream_case
from casekit._i18n import _t
from casekit._specs import DEFAULTS

_SUMMARY = {
    "office_supplies": "B2B office supplies, non-contractual (Reading 2)",
    "insurance": "insurer with annual renewal, contractual (Readings 3 and 5)",
    "utility": "electricity retailer, monthly bills (Reading 5)",
    "catering": "restaurant members, non-contractual (Reading 5)",
}
# Sizes from which the command shows a progress bar (on a terminal).
_PROGRESS_FROM = 10_000


class CommandError(Exception):
    """A user error the command reports in one line."""


def _data_folder(translated: bool = False) -> str:
    """Where ``casekit datasets`` writes, as the help (``translated``) and the messages say it."""
    root, _ = _cases.data_root()
    if root == _cases._repo_datasets():
        return _t("datasets/ in the repository") if translated else "datasets/ in the repository"
    if translated:
        return _t("the user cache {root} (outside the repository; XDG_CACHE_HOME moves it)"
                  ).format(root=root)
    return f"the user cache {root} (outside the repository; XDG_CACHE_HOME moves it)"


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix=_t("usage: ") if prefix is None
                          else prefix)


def _localised(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """argparse's own words (usage, the group titles, -h) in the current language."""
    parser.formatter_class = _Formatter
    parser._positionals.title = _t("positional arguments")
    parser._optionals.title = _t("options")
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            action.help = _t("show this help message and exit")
    return parser


def _parser() -> argparse.ArgumentParser:
    from casekit import __version__

    parser = _localised(argparse.ArgumentParser(
        prog="casekit", description=_t("Synthetic CRM cases with ground truth.")
    ))
    parser.add_argument("--version", action="version", version=f"casekit {__version__}",
                        help=_t("show program's version number and exit"))
    parser.add_argument("--lang", choices=_i18n.LANGUAGES, default=None,
                        help=_t("language of the help: en or zh (default: from LANGUAGE, "
                                "LC_ALL, LC_MESSAGES or LANG; English unless it is Chinese)"))
    sub = parser.add_subparsers(dest="command", required=True,
                                title=_t("commands"), metavar="{list,generate,datasets,"
                                                              "leaderboard}")

    def command(name, **kwargs):
        return _localised(sub.add_parser(name, **kwargs))

    command("list", help=_t("list the cases"))
    gen = command("generate", help=_t("generate a case and write its tables"))
    gen.add_argument("name", help=_t("case name, see 'casekit list'"))
    sizes = ", ".join(f"{name} {d['n_customers']:,}" for name, d in DEFAULTS.items())
    seeds = ", ".join(f"{name} {d['seed']}" for name, d in DEFAULTS.items())
    gen.add_argument("--customers", default=None,
                     help=_t("number of customers (default: the course's size: {sizes})")
                     .format(sizes=sizes))
    gen.add_argument("--seed", default=None,
                     help=_t("non-negative integer seed (default: the course's seed: {seeds})")
                     .format(seeds=seeds))
    gen.add_argument("--locale", default="en_US",
                     help=_t("one of {locales} (default en_US)")
                     .format(locales=", ".join(_names.SUPPORTED_LOCALES)))
    gen.add_argument("--format", default="csv",
                     help=_t("csv (default), parquet, or duckdb (one database file "
                             "<out>/<name>.duckdb with keys)"))
    gen.add_argument("--out", required=True, help=_t("output folder"))
    gen.add_argument("--dirty", action="store_true",
                     help=_t("add the department records and their true mapping"))
    gen.add_argument("--overwrite", action="store_true", help=_t("replace existing files"))
    gen.add_argument("--market", default=None,
                     help=_t("utility only: deregulated (default) or regulated"))
    folder = _data_folder(translated=True)
    data = command(
        "datasets",
        help=_t("write the default datasets (the ones load_case reads) to {folder}")
        .format(folder=folder),
        description=_t("Write the default datasets, the ones load_case reads, to {folder}.")
        .format(folder=folder))
    data.add_argument("--check", action="store_true",
                      help=_t("verify every table against datasets/manifest.json"))
    data.add_argument("--update-manifest", action="store_true",
                      help=_t("maintainers: regenerate datasets/manifest.json and the cards"))
    board = command("leaderboard", help=_t("rank teams' plan files with the simulator"))
    board.add_argument("plans", nargs="+",
                       help=_t("plan files (.json or .toml), one per team"))
    board.add_argument("--case", required=True, help=_t("case name, see 'casekit list'"))
    board.add_argument("--seed", required=True,
                       help=_t("non-negative integer seed for every plan"))
    board.add_argument("--years", default="1",
                       help=_t("years to play forward, 1 to 5 (default 1)"))
    return parser


def _language(argv: list[str]) -> str:
    """The language of the help: ``--lang``, else the gettext environment, else English."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1] if argv[i + 1] in _i18n.LANGUAGES else "en"
        if arg.startswith("--lang="):
            value = arg.removeprefix("--lang=")
            return value if value in _i18n.LANGUAGES else "en"
    for key in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(key, "")
        if value:
            return "zh" if value.split(":")[0].lower().startswith("zh") else "en"
    return "en"


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
    if args.format not in (*_cases.FORMATS, "duckdb"):
        raise CommandError(f"--format must be one of {[*_cases.FORMATS, 'duckdb']!r}; "
                           f"found {args.format!r}")
    out = Path(args.out)
    # Fail on an unwritable folder before spending time on the simulation.
    probe = out if out.exists() else next((p for p in out.parents if p.exists()), Path("."))
    if not os.access(probe, os.W_OK) or (out.exists() and not out.is_dir()):
        raise CommandError(f"cannot write to {str(out)!r}; choose a folder you can write to")
    show = n >= _PROGRESS_FROM
    with _progress(n, show, f"simulating {args.name}", unit="customer") as bar:
        written = stream_case(args.name, n_customers=n, seed=seed, out=out, fmt=args.format,
                              locale=args.locale, dirty=args.dirty, options=options,
                              overwrite=args.overwrite, func="casekit generate",
                              progress=lambda done: bar.update(done - bar.n))
    if args.format == "duckdb":
        print(f"wrote {written[0].resolve()} ({args.name}, {n:,} customers, seed {seed})")
    else:
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
    argv = sys.argv[1:] if argv is None else list(argv)
    with _i18n._text_language(_language(argv)):
        args = _parser().parse_args(argv)
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
