"""The graded assignments: release, autograding, and no answer key in the release.

The course folder is copied to a temporary directory, the release is made with
`make assignments` (nbgrader generate_assignment), and submissions are
autograded with `python -m casekit.grading autograde` (nbgrader runs the
notebooks; the answers are checked outside them): the solutions for several
student ids, a blank release, and a solution with one deliberately wrong answer.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

SOURCE = ROOT / "assignments" / "source"
ASSIGNMENTS = sorted(p.name for p in SOURCE.iterdir() if p.is_dir())
STUDENTS = ["s2024001", "s2024002"]
# One answer per assignment replaced by a wrong one: (grade id of the answer cell, new code).
WRONG = {
    "a1-case-report": ("a1_q2", "share_ab = 0.5"),
    "a2-insurance-defence": ("a2_q7", "by_channel = pd.DataFrame({'first_renewal_rate': 0.5, "
                             "'policies_per_holder': 1.0}, index=['agent', 'bank', 'online'])"),
    "a3-catering-defence": ("a3_q2", "top20_margin_share = 0.8"),
    "a4-clv": ("a4_q2", "clv_conventions = {'immediate': 1.0, 'gupta_lehmann': 1.0, "
               "'end_of_period': 1.0}"),
}
BIN = ROOT / ".venv" / "bin"
pytestmark = pytest.mark.slow


def course_copy(base: Path, dest: Path, release=()) -> Path:
    """A throwaway copy of the nbgrader course at ``base`` in ``dest``, ``release`` released."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(base / "nbgrader_config.py", dest)
    shutil.copytree(base / "source", dest / "source")
    shutil.copytree(base / "checks", dest / "checks")  # the Chinese course's link is followed
    for name in release:
        subprocess.run([str(BIN / "nbgrader"), "generate_assignment", name, "--force"],
                       cwd=dest, env={"PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(dest)},
                       check=True, capture_output=True)
    return dest


def _cells(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))["cells"]


def _source(cell):
    return "".join(cell["source"])


def _grade_id(cell):
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _secret_lines(notebook):
    """Lines of solutions, hidden tests and model answers that appear nowhere else."""
    secret, public = set(), set()
    for cell in _cells(notebook):
        nbgrader = cell.get("metadata", {}).get("nbgrader", {})
        if cell["cell_type"] == "markdown" and nbgrader.get("solution"):
            secret |= {line.strip() for line in _source(cell).splitlines()}
            continue
        inside = False
        for line in _source(cell).splitlines():
            if re.match(r"\s*### BEGIN (SOLUTION|HIDDEN TESTS)", line):
                inside = True
            elif re.match(r"\s*### END (SOLUTION|HIDDEN TESTS)", line):
                inside = False
            else:
                (secret if inside else public).add(line.strip())
    return {line for line in secret - public if len(line) >= 4}


def _release_lines(path):
    """Every stripped line of a released file (a notebook's cell sources and outputs)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".ipynb":
        texts = []
        for cell in json.loads(text)["cells"]:
            texts.append(_source(cell))
            texts += [json.dumps(output) for output in cell.get("outputs", [])]
        text = "\n".join(texts)
    return {line.strip() for line in text.splitlines()}


def _student_notebook(release_nb, source_nb, student, *, answer=True, wrong=None):
    """The release notebook with the student's id and, if ``answer``, the source's answers."""
    answers = {}
    for cell in _cells(source_nb) if answer else []:
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            text = _source(cell)
            text = re.sub(r"[ \t]*### (BEGIN|END) SOLUTION\n?", "", text)
            answers[_grade_id(cell)] = text
    if wrong is not None:
        answers[wrong[0]] = wrong[1]
    notebook = json.loads(Path(release_nb).read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if _source(cell).startswith("STUDENT_ID ="):
            cell["source"] = f'STUDENT_ID = "{student}"'
        elif _grade_id(cell) in answers:
            cell["source"] = answers[_grade_id(cell)]
    return notebook


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = course_copy(ROOT / "assignments", tmp_path_factory.mktemp("course"))
    subprocess.run(["make", "-s", "-C", str(ROOT), "assignments", f"ASSIGNMENTS_DIR={course}"],
                   check=True, capture_output=True)
    return course


def test_every_assignment_is_released(course):
    assert ASSIGNMENTS, "assignments/source holds no assignment"
    for name in ASSIGNMENTS:
        released = sorted(p.name for p in (course / "release" / name).glob("*.ipynb"))
        assert released == sorted(p.name for p in (SOURCE / name).glob("*.ipynb"))


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_release_holds_no_answer_key(course, name):
    secrets = set()
    for notebook in (SOURCE / name).glob("*.ipynb"):
        secrets |= _secret_lines(notebook)
    assert secrets, "the source has solution regions"
    for path in (course / "release").rglob("*"):
        if path.is_file():
            leaked = secrets & _release_lines(path)
            assert not leaked, f"{path.name} leaks {sorted(leaked)[:3]}"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_mixes_autograded_code_and_written_answers_with_rubrics(name):
    for notebook in (SOURCE / name).glob("*.ipynb"):
        cells = _cells(notebook)
        graded = [c for c in cells if c.get("metadata", {}).get("nbgrader", {}).get("grade")]
        assert any(c["cell_type"] == "code" for c in graded)
        written = [i for i, c in enumerate(cells)
                   if c["cell_type"] == "markdown" and c in graded]
        assert written
        for i in written:
            assert "*Marking" in _source(cells[i - 1]), f"no rubric before {_grade_id(cells[i])}"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_autograding(course, name):
    """Solutions score full marks for every student, a blank release 0, a wrong answer part."""
    submissions = {student: None for student in STUDENTS}
    submissions["blank"] = "blank"
    submissions["wrong"] = WRONG[name]
    for student, variant in submissions.items():
        folder = course / "submitted" / student / name
        folder.mkdir(parents=True)
        for source_nb in (SOURCE / name).glob("*.ipynb"):
            release_nb = course / "release" / name / source_nb.name
            notebook = _student_notebook(release_nb, source_nb, student,
                                         answer=variant != "blank",
                                         wrong=variant if student == "wrong" else None)
            (folder / source_nb.name).write_text(json.dumps(notebook))
    done = autograde(course, name)
    assert "hecksum" not in done.stdout + done.stderr, "an untampered submission warns"

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        scores = {s: gradebook.find_submission(name, s) for s in submissions}
        full = scores[STUDENTS[0]].max_code_score
        assert full > 0
        for student in STUDENTS:
            assert scores[student].code_score == full, student
        assert scores["blank"].code_score == 0
        assert 0 < scores["wrong"].code_score < full


def autograde(course, name, *students):
    """`python -m casekit.grading autograde` in a fresh process, as an instructor runs it."""
    env = {"PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(course),
           "PYTHONPATH": os.environ.get("PYTHONPATH", str(ROOT))}
    command = [sys.executable, "-m", "casekit.grading", "autograde", name, "--course", str(course)]
    for student in students:
        command += ["--student", student]
    done = subprocess.run(command, cwd=course, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done
