"""Instructor tools for the graded assignments: per-student data, integrity, final grades.

Seed 004 grades the course 20/40/40: attendance and participation, practice
(one case-analysis report, two scenario defences, one individual assignment,
each worth a quarter of the practice part), and a final paper.

Command line (see ``assignments/README.md``)::

    python -m casekit.grading integrity assignments/submitted
    python -m casekit.grading final --practice grades.csv --participation participation.csv \\
        --paper paper.csv --out final.csv
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import sys
from pathlib import Path

import pandas as pd

from ._cases import generate_case

#: Each practice assignment, the case it uses and the size of every student's copy.
ASSIGNMENTS = {
    "a1-case-report": ("office_supplies", 1500),
    "a2-insurance-defence": ("insurance", 4000),
    "a3-catering-defence": ("catering", 1500),
    "a4-clv": ("catering", 2000),
}

#: The final grade's parts and weights (seed 004).
WEIGHTS = {"participation": 0.2, "practice": 0.4, "paper": 0.4}

#: casekit functions a student must not call where a question says "compute it yourself".
ANALYTICS_NAMES = frozenset({
    "abc_activity", "abc_pareto", "rfm_scores", "rfm_segments", "customer_pyramid",
    "pyramid_migration", "customer_profitability", "customer_summary", "lifecycle_stages",
    "clv_formula", "cohort_clv", "customer_equity", "BetaGeo", "GammaGamma", "ParetoNBD",
    "ShiftedBetaGeometric", "BetaGeoBetaBinom", "kaplan_meier", "segment_shares",
    "renewal_signals", "rate_by_band", "next_best_offer", "evaluate_offers",
    "probability_alive",
})
#: The cell tag that marks an answer the student must compute without casekit's analytics.
OWN_WORK_TAG = "implement-yourself"


def _check_assignment(assignment: str, func: str) -> tuple[str, int]:
    if assignment not in ASSIGNMENTS:
        raise ValueError(f"{func}: unknown assignment {assignment!r}; assignments are "
                         f"{sorted(ASSIGNMENTS)}")
    return ASSIGNMENTS[assignment]


def _check_student(student_id, func: str) -> str:
    if not isinstance(student_id, str) or not student_id.strip():
        raise ValueError(f"{func}: student_id must be a non-empty string such as 's2024001'; "
                         f"found {student_id!r}")
    return student_id.strip().lower()


def student_seed(student_id: str, assignment: str) -> int:
    """The seed of one student's dataset for one assignment.

    The seed is the first eight bytes of SHA-256 over
    ``"casekit:<assignment>:<student id, trimmed and lower-cased>"``, read as a
    big-endian integer and reduced modulo 2**32. It is the same on every machine
    and Python version, differs between students and between assignments, and
    cannot be guessed from a classmate's.

    Examples
    --------
    >>> student_seed("s2024001", "a1-case-report") == student_seed(" S2024001 ", "a1-case-report")
    True
    >>> student_seed("s2024001", "a1-case-report") != student_seed("s2024002", "a1-case-report")
    True
    """
    _check_assignment(assignment, "student_seed")
    key = f"casekit:{assignment}:{_check_student(student_id, 'student_seed')}"
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big") % 2**32


def student_case(student_id: str, assignment: str):
    """One student's own copy of the assignment's case.

    Examples
    --------
    >>> case = student_case("s2024001", "a1-case-report")
    >>> case.name, len(case.truth)
    ('office_supplies', 1500)
    """
    name, size = _check_assignment(assignment, "student_case")
    return generate_case(name, n_customers=size, seed=student_seed(student_id, assignment))


def submission_student(path=None) -> str | None:
    """The student id that nbgrader's folder layout gives a notebook, or None.

    nbgrader keeps submissions in ``submitted/<student>/<assignment>/`` and
    grades them in ``autograded/<student>/<assignment>/``; the hidden tests use
    this to check that a notebook's ``STUDENT_ID`` is its submitter's.

    Examples
    --------
    >>> submission_student("course/autograded/s2024001/a1-case-report")
    's2024001'
    >>> submission_student("home/me/a1-case-report") is None
    True
    """
    parts = Path(path if path is not None else Path.cwd()).parts
    for folder in ("autograded", "submitted"):
        if folder in parts[:-2]:
            return parts[parts.index(folder) + 1].strip().lower()
    return None


def _cell_calls(source: str) -> set[str]:
    """Names of casekit analytics a cell calls or refers to."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        # IPython magics or broken code: fall back to a plain word search.
        return {name for name in ANALYTICS_NAMES if name in source}
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ANALYTICS_NAMES:
            found.add(node.attr)
        elif isinstance(node, ast.Name) and node.id in ANALYTICS_NAMES:
            found.add(node.id)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("casekit"):
            found |= {alias.name for alias in node.names if alias.name in ANALYTICS_NAMES}
    return found


def integrity_report(path) -> pd.DataFrame:
    """Answer cells tagged ``implement-yourself`` that call casekit's analytics.

    Parameters
    ----------
    path : str or Path
        A notebook, or a folder searched recursively (e.g. nbgrader's ``submitted/``).

    Returns
    -------
    DataFrame
        One row per flagged cell: ``notebook``, ``cell`` (the nbgrader grade id
        or the cell number) and ``calls``.

    Examples
    --------
    >>> integrity_report("no/such/folder")
    Traceback (most recent call last):
    ...
    ValueError: integrity_report: path 'no/such/folder' does not exist
    """
    path = Path(path)
    if not path.exists():
        raise ValueError(f"integrity_report: path '{path}' does not exist")
    notebooks = [path] if path.is_file() else sorted(path.rglob("*.ipynb"))
    rows = []
    for notebook in notebooks:
        if ".ipynb_checkpoints" in notebook.parts:
            continue
        try:
            cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        except (json.JSONDecodeError, KeyError, UnicodeDecodeError):
            raise ValueError(f"integrity_report: {notebook} is not a notebook") from None
        for number, cell in enumerate(cells):
            if cell.get("cell_type") != "code":
                continue
            if OWN_WORK_TAG not in cell.get("metadata", {}).get("tags", []):
                continue
            calls = _cell_calls("".join(cell.get("source", "")))
            if calls:
                grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id", str(number))
                rows.append({"notebook": str(notebook), "cell": grade_id,
                             "calls": ", ".join(sorted(calls))})
    return pd.DataFrame(rows, columns=["notebook", "cell", "calls"])


def _read_marks(path, func: str, name: str, columns: list[str]) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype={"student_id": str})
    except FileNotFoundError:
        raise ValueError(f"{func}: {name} file '{path}' not found") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise ValueError(f"{func}: {name} file '{path}' is not a readable CSV ({error})") from None
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{func}: {name} file '{path}' lacks column(s) {missing}; columns are "
                         f"{list(frame.columns)}")
    frame = frame[columns].copy()
    if frame["student_id"].isna().any():
        raise ValueError(f"{func}: {name} file '{path}' has rows without a student_id")
    frame["student_id"] = frame["student_id"].str.strip()
    for column in columns[1:]:
        if column == "assignment":
            continue
        values = pd.to_numeric(frame[column], errors="coerce")
        bad = frame.loc[values.isna(), "student_id"].tolist()
        if bad:
            raise ValueError(f"{func}: {name} column '{column}' is not a number for students "
                             f"{bad[:5]}")
        frame[column] = values
    return frame


def _check_range(frame, column, low, high, func, name):
    bad = frame.loc[~frame[column].between(low, high), ["student_id", column]]
    if len(bad):
        shown = bad.head(5).to_dict("records")
        raise ValueError(f"{func}: {name} marks must lie between {low} and {high}; found "
                         f"{len(bad)} outside, e.g. {shown}")


def _check_unique(frame, keys, func, name):
    dupes = frame.loc[frame.duplicated(keys, keep=False), keys].drop_duplicates()
    if len(dupes):
        raise ValueError(f"{func}: {name} lists {keys} more than once for "
                         f"{dupes.head(5).to_dict('records')}")


def final_grades(practice, participation, paper) -> pd.DataFrame:
    """Combine the three parts into the 20/40/40 final grade, out of 100.

    Parameters
    ----------
    practice : path to nbgrader's ``grades.csv`` (``nbgrader export``)
        Columns ``assignment``, ``student_id``, ``score``, ``max_score``. Every
        student needs a row for each of the four practice assignments; each
        counts a quarter of the practice part. The manually graded answers must
        be graded before export, since nbgrader counts ungraded answers as 0.
    participation : path to a CSV with ``student_id`` and ``mark`` (0-100)
        Attendance and participation.
    paper : path to a CSV with ``student_id`` and ``mark`` (0-100)
        The final paper, marked with ``assignments/final-paper/rubric.md``.

    Returns
    -------
    DataFrame
        One row per student: the three parts out of 100 and ``final``.
    """
    func = "final_grades"
    scores = _read_marks(practice, func, "practice",
                         ["student_id", "assignment", "score", "max_score"])
    attend = _read_marks(participation, func, "participation", ["student_id", "mark"])
    marks = _read_marks(paper, func, "paper", ["student_id", "mark"])
    scores = scores.loc[scores["assignment"].isin(ASSIGNMENTS)]
    _check_unique(scores, ["student_id", "assignment"], func, "practice")
    _check_unique(attend, ["student_id"], func, "participation")
    _check_unique(marks, ["student_id"], func, "paper")
    if (scores["max_score"] <= 0).any():
        raise ValueError(f"{func}: practice max_score must be positive for every assignment")
    over = scores.loc[(scores["score"] < 0) | (scores["score"] > scores["max_score"])]
    if len(over):
        shown = over[["student_id", "assignment", "score", "max_score"]].head(5)
        raise ValueError(f"{func}: practice scores must lie between 0 and max_score; found "
                         f"{shown.to_dict('records')}")
    _check_range(attend, "mark", 0, 100, func, "participation")
    _check_range(marks, "mark", 0, 100, func, "paper")

    students = sorted({*scores["student_id"], *attend["student_id"], *marks["student_id"]})
    problems = []
    for name, ids in [("participation", set(attend["student_id"])),
                      ("paper", set(marks["student_id"]))]:
        absent = [s for s in students if s not in ids]
        if absent:
            problems.append(f"{name} has no mark for {absent[:10]}")
    done = scores.groupby("student_id")["assignment"].apply(set)
    lacking = [s for s in students if done.get(s, set()) != set(ASSIGNMENTS)]
    if lacking:
        problems.append(f"practice lacks some of {sorted(ASSIGNMENTS)} for {lacking[:10]}")
    if problems:
        raise ValueError(f"{func}: missing students: " + "; ".join(problems))

    share = (scores["score"] / scores["max_score"]).groupby(scores["student_id"]).mean() * 100
    table = pd.DataFrame({"student_id": students})
    table["participation"] = table["student_id"].map(attend.set_index("student_id")["mark"])
    table["practice"] = table["student_id"].map(share)
    table["paper"] = table["student_id"].map(marks.set_index("student_id")["mark"])
    table["final"] = sum(table[part] * weight for part, weight in WEIGHTS.items())
    return table.round(2)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m casekit.grading", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("integrity", help="flag answer cells that call casekit analytics")
    check.add_argument("path")
    final = commands.add_parser("final", help="combine grades into the 20/40/40 final grade")
    for option in ("practice", "participation", "paper", "out"):
        final.add_argument(f"--{option}", required=True)
    args = parser.parse_args(argv)
    try:
        if args.command == "integrity":
            report = integrity_report(args.path)
            print(report.to_string(index=False) if len(report) else "no flagged cells")
            return 1 if len(report) else 0
        table = final_grades(args.practice, args.participation, args.paper)
        out = Path(args.out)
        partial = out.with_name(out.name + ".partial")
        table.to_csv(partial, index=False)
        partial.replace(out)
        print(f"wrote {len(table)} final grades to {out}")
        return 0
    except (ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
