"""The graded assignments: per-student data, the answer export, grading, integrity, final grades.

The course grades 20/40/40 as the course essays (Reading 5) describe it:
attendance and participation, practice (one case-analysis report, two scenario
defences, one individual assignment, each a quarter of the practice part), and
a final paper.

Students use :func:`student_case` (their own data) and, in the last cell of
each assignment, :func:`export_answers`. The instructor grades outside the
students' kernels (see ``assignments/README.md``)::

    python -m casekit.grading integrity submitted --source source
    python -m casekit.grading autograde a1-case-report
    python -m casekit.grading similarity submitted --source source
    python -m casekit.grading final --practice grades.csv --participation participation.csv \\
        --paper paper.csv --out final.csv
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import pandas as pd

from ._cases import generate_case
from ._grading_autograde import autograde, grade_answers, read_answers
from ._grading_export import ANSWERS, ANSWERS_MIME, dumps, export_payload
from ._grading_integrity import (
    ANALYTICS_NAMES,
    OWN_WORK_TAG,
    integrity_report,
    similarity_report,
)
from ._i18n import DATA_LOCALE, get_language
from ._names import SUPPORTED_LOCALES
from ._validation import check_choice

__all__ = ["ANALYTICS_NAMES", "ANSWERS", "ASSIGNMENTS", "OWN_WORK_TAG", "PLACEHOLDER_ID",
           "WEIGHTS", "autograde", "export_answers", "final_grades", "grade_answers",
           "integrity_report", "read_answers", "similarity_report", "student_case",
           "student_seed"]

#: Each practice assignment, the case it uses and the size of every student's copy.
ASSIGNMENTS = {
    "a1-case-report": ("office_supplies", 1500),
    "a2-insurance-defence": ("insurance", 4000),
    "a3-catering-defence": ("catering", 1500),
    "a4-clv": ("catering", 2000),
}

#: The final grade's parts and weights.
WEIGHTS = {"participation": 0.2, "practice": 0.4, "paper": 0.4}

#: The id the released notebooks carry until a student puts in their own.
PLACEHOLDER_ID = "s0000000"


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


def student_case(student_id: str, assignment: str, locale=None):
    """One student's own copy of the assignment's case.

    Parameters
    ----------
    student_id, assignment : the student (as on the class list) and the assignment
    locale : {None, "en_US", "zh_CN"}
        The language of names, companies, addresses and dish names. None takes
        ``zh_CN`` after ``casekit.set_language("zh")`` (the Chinese edition of
        the assignments) and ``en_US`` otherwise. Both locales give the same
        customers, ids, dates, amounts and category labels from the same seed,
        so a student's answers and grade do not depend on the edition.

    Examples
    --------
    >>> case = student_case("s2024001", "a1-case-report")
    >>> case.name, len(case.truth)
    ('office_supplies', 1500)
    """
    name, size = _check_assignment(assignment, "student_case")
    if _check_student(student_id, "student_case") == PLACEHOLDER_ID:
        raise ValueError(f"student_case: STUDENT_ID is still the placeholder {PLACEHOLDER_ID!r}. "
                         f"Put your own student id, exactly as on the class list, in the first "
                         f"code cell, then run every cell again")
    if locale is None:
        locale = DATA_LOCALE.get(get_language(), "en_US")
    check_choice(locale, func="student_case", name="locale", choices=SUPPORTED_LOCALES)
    return generate_case(name, n_customers=size, seed=student_seed(student_id, assignment),
                         locale=locale)


def export_answers(assignment: str, namespace: dict) -> dict:
    """Hand a notebook's answers to the grader as plain data (the last cell of every assignment).

    The answers named in ``ANSWERS[assignment]`` are taken from ``namespace``
    (the notebook's ``globals()``), turned into numbers, strings, lists and
    small tables, and shown as the cell's output. The grader reads that output
    from the notebook file; it never runs the notebook's code itself.

    Returns
    -------
    dict
        What was exported: ``assignment``, ``student_id``, ``answers``, ``missing``.

    Examples
    --------
    >>> out = export_answers("a1-case-report", {"STUDENT_ID": "s2024001", "share_ab": 0.7})
    answers for the grader: share_ab; not defined: abc_class, rfm, champions_share, top5_share
    >>> out["answers"]["share_ab"]
    {'kind': 'value', 'value': 0.7}
    """
    payload = export_payload(assignment, namespace.get("STUDENT_ID"), namespace)
    summary = "answers for the grader: " + (", ".join(payload["answers"]) or "none")
    if payload["missing"]:
        summary += "; not defined: " + ", ".join(payload["missing"])
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython comes with the course environment
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        display({ANSWERS_MIME: dumps(payload), "text/plain": summary}, raw=True)
    else:
        print(summary)
    return payload


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
    # Ids are matched without regard to case or surrounding spaces, as the seeds are.
    frame["student_id"] = frame["student_id"].str.strip().str.lower()
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


def _write_csv(table: pd.DataFrame, out) -> Path:
    out = Path(out)
    partial = out.with_name(out.name + ".partial")
    table.to_csv(partial, index=False)
    partial.replace(out)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m casekit.grading", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("integrity", help="flag casekit use and tampering in submissions")
    check.add_argument("path")
    check.add_argument("--source", default="source", help="the source notebooks (source/)")
    similar = commands.add_parser("similarity", help="rank pairs of submissions by shared code")
    similar.add_argument("path")
    similar.add_argument("--source", default="source")
    similar.add_argument("--threshold", type=float, default=0.6)
    similar.add_argument("--top", type=int, default=20, help="pairs to show")
    grade = commands.add_parser("autograde", help="nbgrader autograde, then grade the answers "
                                                  "outside the students' kernels")
    grade.add_argument("assignment")
    grade.add_argument("--student", action="append", help="only these students (repeatable)")
    grade.add_argument("--course", default=".", help="the course folder (default: here)")
    grade.add_argument("--out", help="also write the points per cell to this CSV")
    final = commands.add_parser("final", help="combine grades into the 20/40/40 final grade")
    for option in ("practice", "participation", "paper", "out"):
        final.add_argument(f"--{option}", required=True)
    args = parser.parse_args(argv)
    try:
        if args.command == "integrity":
            report = integrity_report(args.path, args.source)
            print(report.to_string(index=False) if len(report) else "no flagged cells")
            return 1 if len(report) else 0
        if args.command == "similarity":
            table = similarity_report(args.path, args.source, threshold=args.threshold)
            print(table.head(args.top).to_string(index=False) if len(table)
                  else "fewer than two submissions")
            return 1 if table["look"].any() else 0
        if args.command == "autograde":
            table = autograde(args.assignment, args.course, students=args.student)
            totals = table.groupby("student_id")[["points", "max_points"]].sum()
            print(totals.to_string())
            if args.out:
                _write_csv(table, args.out)
            return 0
        table = final_grades(args.practice, args.participation, args.paper)
        out = _write_csv(table, args.out)
        print(f"wrote {len(table)} final grades to {out}")
        return 0
    except (ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
