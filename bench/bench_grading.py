"""Autograding one submission per assignment, end to end, as the instructor runs it.

Usage: ``.venv/bin/python bench/bench_grading.py [assignment ...]``

For each assignment a temporary course folder gets the release, one honest
submission (the model solution under a student id), and is graded with
``python -m casekit.grading autograde`` in a fresh process: nbgrader's run of the
notebook plus the checks in the instructor's process. Prints the wall time of
that command, the CPU time it and its kernel used (on an idle two-core machine
the wall time is about that, since the kernel and the grading process mostly take
turns), the checking step alone, and the points.
"""

import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "tests"))
from test_assignments import course_copy  # noqa: E402

STUDENT = "s2024001"


def _submission(course, name):
    source = json.loads((course / "source" / name / f"{name}.ipynb").read_text())
    answers = {}
    for cell in source["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if cell["cell_type"] == "code" and meta.get("solution"):
            answers[meta["grade_id"]] = re.sub(r"[ \t]*### (BEGIN|END) SOLUTION\n?", "",
                                               "".join(cell["source"]))
    release = json.loads((course / "release" / name / f"{name}.ipynb").read_text())
    for cell in release["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if "".join(cell["source"]).startswith("STUDENT_ID ="):
            cell["source"] = f'STUDENT_ID = "{STUDENT}"'
        elif grade_id in answers:
            cell["source"] = answers[grade_id]
    folder = course / "submitted" / STUDENT / name
    folder.mkdir(parents=True)
    (folder / f"{name}.ipynb").write_text(json.dumps(release))


def main(names):
    env = {"PATH": f"{BIN}:/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    print("| assignment | autograde command (s) | its CPU time (s) | checks alone (s) | points |")
    print("|---|---|---|---|---|")
    for name in names:
        with tempfile.TemporaryDirectory() as tmp:
            course = Path(tmp)
            course_copy(ROOT / "assignments", course, [name])
            _submission(course, name)
            used = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "casekit.grading", "autograde", name,
                                   "--student", STUDENT, "--out", "points.csv"], cwd=course,
                                  env={**env, "HOME": tmp}, capture_output=True, text=True)
            total = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - used.ru_utime) + (after.ru_stime - used.ru_stime)
            if done.returncode != 0:
                raise SystemExit(done.stderr)
            check = ("import time; from casekit.grading import read_answers, grade_answers;"
                     "from casekit._grading_autograde import export_cell_id, source_notebook;"
                     f"s = source_notebook('.', {name!r}); t = time.perf_counter();"
                     f"a, u, i = read_answers('autograded/{STUDENT}/{name}/{name}.ipynb',"
                     " export_cell_id(s));"
                     f"grade_answers('.', {name!r}, {STUDENT!r}, a, u, i);"
                     "print(time.perf_counter() - t)")
            alone = subprocess.run([sys.executable, "-c", check], cwd=course, env=env,
                                   capture_output=True, text=True, check=True).stdout.strip()
            points = pd.read_csv(course / "points.csv")
            earned, full = points["points"].sum(), points["max_points"].sum()
            print(f"| {name} | {total:.1f} | {cpu:.1f} | {float(alone):.1f} "
                  f"| {earned:g}/{full:g} |")


if __name__ == "__main__":
    main(sys.argv[1:] or sorted(p.name for p in (ROOT / "assignments" / "source").iterdir()
                                if p.is_dir()))
