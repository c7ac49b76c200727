"""Autograding outside the student's kernel.

nbgrader executes each submission (its kernel restores the locked cells first,
so the last cell, which exports the answers, is always the instructor's). This
module then works in the instructor's own process, which never imports or runs
any of the student's code:

1. it reads the exported answers from the executed notebook file, as JSON data;
2. it regenerates the submitter's case from the submitter's id (the folder
   nbgrader filed the notebook under, never the notebook's ``STUDENT_ID``);
3. it recomputes every expected value with the course's checks
   (``<course>/checks/<assignment>.py``, instructor only) and compares;
4. it writes the points into nbgrader's gradebook, and a comment per answer.

Every file the grading depends on (casekit itself, the course's ``source/`` and
``checks/``, ``nbgrader_config.py``) is hashed before nbgrader runs and after:
if a notebook changed one of them, the run stops and writes no score.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd

from ._grading_export import ANSWERS, ANSWERS_MIME, decode, read_payload

COLUMNS = ["student_id", "assignment", "cell", "points", "max_points", "comment"]


def _fail(func, message):
    raise ValueError(f"{func}: {message}")


def load_checks(course, assignment: str):
    """The module ``<course>/checks/<assignment>.py``: ``reference`` and ``CHECKS``."""
    path = Path(course) / "checks" / f"{assignment}.py"
    if not path.is_file():
        _fail("load_checks", f"no checks for {assignment!r}: '{path}' does not exist")
    spec = importlib.util.spec_from_file_location(f"_casekit_checks_{assignment.replace('-', '_')}",
                                                  path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name in ("reference", "CHECKS"):
        if not hasattr(module, name):
            _fail("load_checks", f"'{path}' lacks {name}")
    return module


def source_notebook(course, assignment: str) -> Path:
    """The assignment's one source notebook."""
    folder = Path(course) / "source" / assignment
    found = sorted(folder.glob("*.ipynb"))
    if len(found) != 1:
        _fail("source_notebook", f"expected one notebook in '{folder}', found {len(found)}")
    return found[0]


def _nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def graded_cells(source) -> list[dict]:
    """The source's autograded test cells: grade id, points and the answer cell before it."""
    cells = json.loads(Path(source).read_text(encoding="utf-8"))["cells"]
    found, answer = [], None
    for cell in cells:
        meta = _nbgrader(cell)
        if cell["cell_type"] == "code" and meta.get("solution"):
            answer = meta.get("grade_id")
        if cell["cell_type"] == "code" and meta.get("grade") and not meta.get("solution"):
            found.append({"cell": meta["grade_id"], "points": float(meta.get("points", 0)),
                          "answer_cell": answer})
    return found


def export_cell_id(source) -> str:
    """The grade id of the source's export cell (the last code cell, locked)."""
    cells = json.loads(Path(source).read_text(encoding="utf-8"))["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    meta = _nbgrader(code[-1]) if code else {}
    if not (meta.get("locked") and "export_answers" in "".join(code[-1]["source"])):
        _fail("export_cell_id", f"the last code cell of '{source}' must be the locked cell that "
                                f"calls export_answers")
    return meta["grade_id"]


def read_answers(notebook, export_id: str) -> tuple[dict, dict, str | None]:
    """Decoded answers, the ones that could not be read (name: why), and the notebook's id.

    Only the stored output of the cell with grade id ``export_id`` is read, as JSON.
    """
    try:
        cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    except (OSError, json.JSONDecodeError, KeyError) as error:
        return {}, {"*": f"the notebook could not be read ({error})"}, None
    cell = next((c for c in cells if _nbgrader(c).get("grade_id") == export_id), None)
    if cell is None:
        return {}, {"*": "the notebook has no export cell"}, None
    texts = [o.get("data", {}).get(ANSWERS_MIME) for o in cell.get("outputs", [])
             if o.get("output_type") in ("display_data", "execute_result")]
    texts = [t if isinstance(t, str) else "".join(t) for t in texts if t is not None]
    if not texts:
        return {}, {"*": "the export cell did not run (an error above it, or it was not run)"}, None
    try:
        payload = read_payload(texts[-1])
    except ValueError as error:
        return {}, {"*": str(error)}, None
    answers, unreadable = {}, {}
    for name, data in payload["answers"].items():
        try:
            answers[name] = decode(data)
        except (ValueError, KeyError, TypeError) as error:
            unreadable[name] = str(error)
    for name in payload.get("missing", []):
        unreadable.setdefault(str(name), "not defined when the notebook ran")
    return answers, unreadable, payload.get("student_id")


def grade_answers(course, assignment: str, student_id: str, answers: dict,
                  unreadable: dict | None = None, notebook_id=None,
                  reference=None) -> pd.DataFrame:
    """Points per test cell for one student's answers, in the caller's process.

    Parameters
    ----------
    course : path of the course folder (holding ``source/`` and ``checks/``)
    assignment, student_id : the assignment and the submitter's id
    answers : dict of decoded answers (see :func:`read_answers`)
    unreadable : answers that could not be read, with the reason
    notebook_id : the ``STUDENT_ID`` the notebook ran with, if known
    reference : the checks' ``reference(student_id)``, if already computed

    Returns
    -------
    DataFrame with columns ``student_id``, ``assignment``, ``cell``, ``points``,
    ``max_points`` and ``comment``, one row per autograded test cell.
    """
    if assignment not in ANSWERS:
        _fail("grade_answers", f"unknown assignment {assignment!r}; assignments are "
                               f"{sorted(ANSWERS)}")
    from .grading import _check_student

    key = _check_student(student_id, "grade_answers")
    student = student_id.strip()
    unreadable = dict(unreadable or {})
    checks = load_checks(course, assignment)
    if reference is None:
        reference = checks.reference(key)
    note = ""
    if notebook_id is not None and str(notebook_id).strip().lower() != key:
        note = (f" The notebook ran with STUDENT_ID {str(notebook_id)!r}, not yours "
                f"({student!r}): the answers were checked against your own data.")
    rows = []
    for graded in graded_cells(source_notebook(course, assignment)):
        check = checks.CHECKS.get(graded["cell"])
        if check is None:
            _fail("grade_answers", f"checks/{assignment}.py has no check for test cell "
                                   f"{graded['cell']!r}")
        try:
            check(answers, reference)
            points, comment = graded["points"], "Correct."
        except KeyError as error:
            name = error.args[0] if error.args else "?"
            if name in ANSWERS[assignment] and name not in answers:
                why = unreadable.get(name, unreadable.get("*", "not exported"))
                comment = f"No points: `{name}` could not be graded ({why})."
            else:
                comment = f"No points: {name!r} is missing from your answer."
            points = 0.0
        except Exception as error:  # noqa: BLE001 - any failure of a check costs the points
            message = str(error) or type(error).__name__
            points, comment = 0.0, f"No points: {message}."
        rows.append({"student_id": student, "assignment": assignment, "cell": graded["cell"],
                     "points": points, "max_points": graded["points"],
                     "comment": comment + note})
    return pd.DataFrame(rows, columns=COLUMNS)


def _fingerprint(paths) -> dict:
    digest = {}
    for root in paths:
        root = Path(root)
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            if "__pycache__" in path.parts or path.suffix == ".pyc":
                continue
            digest[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digest


def _guarded(course) -> list[Path]:
    course = Path(course)
    return [Path(__file__).resolve().parent, course / "source", course / "checks",
            course / "nbgrader_config.py"]


def write_gradebook(course, assignment: str, table: pd.DataFrame) -> None:
    """Put the points (and comments on the answer cells) into nbgrader's gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    notebook = source_notebook(course, assignment).stem
    answer_of = {g["cell"]: g["answer_cell"] for g in
                 graded_cells(source_notebook(course, assignment))}
    with Gradebook(f"sqlite:///{Path(course).resolve() / 'gradebook.db'}") as gradebook:
        for row in table.itertuples():
            try:
                grade = gradebook.find_grade(row.cell, notebook, assignment, row.student_id)
            except MissingEntry:
                _fail("write_gradebook", f"the gradebook has no cell {row.cell!r} of "
                                         f"{assignment} for {row.student_id!r}; autograde first")
            grade.auto_score = float(row.points)
            grade.needs_manual_grade = False
            if answer_of.get(row.cell):
                try:
                    comment = gradebook.find_comment(answer_of[row.cell], notebook, assignment,
                                                     row.student_id)
                    comment.auto_comment = row.comment
                except MissingEntry:
                    pass
        gradebook.db.commit()


def _nbgrader_api(course: Path):
    """nbgrader's own API on ``course``, configured by its ``nbgrader_config.py``.

    It runs in this process (one start-up instead of two); nbgrader still runs each
    notebook in a kernel of its own, so no student code runs here.
    """
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    config.CourseDirectory.root = str(course.resolve())
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def autograde(assignment: str, course=".", students=None) -> pd.DataFrame:
    """Autograde submissions with nbgrader, then grade their answers in this process.

    Parameters
    ----------
    assignment : the assignment (a folder of ``<course>/source``)
    course : the course folder (where ``nbgrader_config.py`` is)
    students : ids to grade; all in ``<course>/submitted`` if None

    Returns
    -------
    DataFrame of :func:`grade_answers`' rows for every student graded.
    """
    from .grading import _check_student

    func = "autograde"
    course = Path(course)
    if assignment not in ANSWERS:
        _fail(func, f"unknown assignment {assignment!r}; assignments are {sorted(ANSWERS)}")
    source = source_notebook(course, assignment)
    export_id = export_cell_id(source)
    submitted = course / "submitted"
    if students is None:
        students = sorted(p.parent.name for p in submitted.glob(f"*/{assignment}") if p.is_dir())
    if not students:
        _fail(func, f"no submissions of {assignment!r} in '{submitted}'")
    if not (course / "nbgrader_config.py").is_file():
        _fail(func, f"no nbgrader_config.py in the course folder '{course}'")
    api = _nbgrader_api(course)
    checks = load_checks(course, assignment)
    tables = []
    for student in students:
        before = _fingerprint(_guarded(course))
        # The expected values are computed while the kernel runs the notebook: the kernel
        # is another process, so on two cores the two overlap.
        with ThreadPoolExecutor(max_workers=1) as pool:
            expected = pool.submit(checks.reference, _check_student(student, func))
            with warnings.catch_warnings():  # nbgrader's SQLAlchemy chatter, not the instructor's
                warnings.simplefilter("ignore", category=Warning)
                done = api.autograde(assignment, student, force=True, create=True)
            reference = expected.result()
        after = _fingerprint(_guarded(course))
        changed = sorted(set(before.items()) ^ set(after.items()))
        if changed:
            _fail(func, f"tampering: files changed while {student!r}'s notebook ran: "
                        f"{sorted({path for path, _ in changed})[:5]}; no score was written. "
                        f"Restore them (git checkout, reinstall casekit) before grading again")
        log = done.get("log", "")
        if not done["success"]:
            _fail(func, f"nbgrader autograde failed for {student!r}: "
                        f"{(log + done.get('error', '')).strip()[-1000:]}")
        # nbgrader's own warnings (a changed cell, a late submission) are the instructor's to see.
        for line in log.splitlines():
            if line.startswith(("[WARNING]", "[ERROR]")):
                print(f"{student}: {line}", file=sys.stderr)
        executed = course / "autograded" / student / assignment / source.name
        answers, unreadable, notebook_id = read_answers(executed, export_id)
        table = grade_answers(course, assignment, student, answers, unreadable, notebook_id,
                              reference=reference)
        write_gradebook(course, assignment, table)
        tables.append(table)
    return pd.concat(tables, ignore_index=True)
