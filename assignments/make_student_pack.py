"""Build the student pack: what an instructor hands out, without the answer key.

Usage (from the repository root; ``make student-pack`` runs it)::

    .venv/bin/python assignments/make_student_pack.py [--out student-pack]

The pack holds casekit as a wheel, the course notebooks, the release of every
assignment (nbgrader generate_assignment, made here from ``assignments/source``
in a temporary folder), the final-paper template and rubric, and a README with
the two set-up steps. It never holds ``assignments/source``, ``assignments/checks``,
hidden tests, model answers or solution outputs; the build stops if the wheel
holds anything but the casekit package. ``<out>.zip`` is the same pack as one file.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "assignments"

STUDENT_README = """\
# CRM course: the student pack

This folder holds everything for the course's notebooks and graded assignments:

- `{wheel}`: the course's Python package, casekit;
- `notebooks/`: the course notebooks, in order (`00-start-here.ipynb` first), the four
  cases in `notebooks/cases/`, the reading list and the syllabus;
- `assignments/<name>/<name>.ipynb`: the four graded assignments;
- `final-paper/`: the template and marking rubric of the final paper.

## Set-up (two steps)

You need Python 3.11 or 3.12 (python.org, or your system's package manager).

1. In a terminal, in this folder, make a virtual environment and install casekit with
   JupyterLab:

   ```bash
   python3 -m venv .venv
   .venv/bin/python -m pip install "{wheel}[lab]"
   ```

   (On Windows: `py -m venv .venv` and `.venv\\Scripts\\python -m pip install "{wheel}[lab]"`.)

2. Start JupyterLab in this folder and open a notebook:

   ```bash
   .venv/bin/jupyter lab
   ```

The notebooks make their data on your machine; nothing is downloaded.

## The graded assignments

Put your student id, exactly as on the class list, in the first code cell of each
assignment: your data are generated from it, so your numbers differ from your classmates'.
Run every cell from the top, answer each question in the cell below it, and run the last
cell, which hands your answers to the grader. Then submit the notebook file as your
instructor tells you (the course's learning platform or the *Assignments* tab).
"""


def _run(command, cwd, what):
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"make_student_pack: {what} failed:\n{done.stdout[-2000:]}"
                         f"{done.stderr[-2000:]}")


def build_wheel(work: Path) -> Path:
    """casekit's wheel, built from a copy that holds only the package."""
    tree = work / "casekit-src"
    tree.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, tree / name)
    shutil.copytree(ROOT / "casekit", tree / "casekit",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps",
          "--quiet", "-w", str(work / "dist"), str(tree)], work, "building the wheel")
    wheel = next((work / "dist").glob("casekit-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        stray = [n for n in archive.namelist()
                 if not (n.startswith("casekit/") or n.split("/")[0].endswith(".dist-info"))]
    if stray:
        raise SystemExit(f"make_student_pack: the wheel holds more than casekit: {stray[:5]}")
    return wheel


def build_release(work: Path) -> Path:
    """nbgrader's release of every assignment, made in a temporary course folder."""
    course = work / "course"
    course.mkdir()
    shutil.copy(COURSE / "nbgrader_config.py", course)
    shutil.copytree(COURSE / "source", course / "source")
    nbgrader = str(Path(sys.executable).with_name("nbgrader"))
    env_path = f"{Path(sys.executable).parent}"
    for folder in sorted((course / "source").iterdir()):
        if folder.is_dir():
            _run(["env", f"PATH={env_path}:/usr/bin:/bin", nbgrader, "generate_assignment",
                  folder.name, "--force"], course, f"releasing {folder.name}")
    return course / "release"


def build(out: Path) -> Path:
    out = out.resolve()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        pack = work / out.name
        pack.mkdir()
        wheel = build_wheel(work)
        shutil.copy(wheel, pack / wheel.name)
        shutil.copytree(build_release(work), pack / "assignments",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        # Everything under notebooks/ but the teaching notes, which hold the expected answers.
        shutil.copytree(ROOT / "notebooks", pack / "notebooks",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "teaching-notes"))
        (pack / "final-paper").mkdir()
        for name in ("template.md", "rubric.md"):
            shutil.copy(COURSE / "final-paper" / name, pack / "final-paper" / name)
        (pack / "README.md").write_text(STUDENT_README.format(wheel=wheel.name),
                                        encoding="utf-8")
        archive = shutil.make_archive(str(work / "archive"), "zip", root_dir=work,
                                      base_dir=out.name)
        if out.exists():
            shutil.rmtree(out)
        shutil.move(str(pack), out)
        shutil.move(archive, out.with_name(out.name + ".zip"))
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(ROOT / "student-pack"),
                        help="the pack's folder; <out>.zip is written beside it")
    out = build(Path(parser.parse_args(argv).out))
    print(f"student pack in {out} and {out.name}.zip")
    return 0


if __name__ == "__main__":
    sys.exit(main())
