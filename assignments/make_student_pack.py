"""Build the student pack: what an instructor hands out, without the answer key.

Usage (from the repository root; ``make student-pack`` runs it)::

    .venv/bin/python assignments/make_student_pack.py [--out student-pack] [--edition both]

The pack holds casekit as a wheel, the course notebooks, the release of every
assignment (nbgrader generate_assignment, made here from ``assignments/source``
in a temporary folder), the final-paper template and rubric, and a README with
the two set-up steps.

``--edition`` chooses the language: ``en`` (``notebooks/``, ``assignments/``),
``zh`` (the Chinese edition: ``notebooks-zh/``, the bilingual glossary,
``assignments-zh/`` released from the Chinese course folder ``assignments-zh/``,
the Chinese final-paper documents, a Chinese README) or ``both`` (the default:
everything, with ``README.md`` in English and ``README.zh.md`` in Chinese), so
that each student can work in either language. It never holds
``assignments/source``, ``assignments/checks``, hidden tests, model answers or
solution outputs; the build stops if the wheel holds anything but the casekit
package. ``<out>.zip`` is the same pack as one file.
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
COURSE_ZH = ROOT / "assignments-zh"
EDITIONS = ("en", "zh", "both")
PAPER = ("template", "rubric")

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

#: What the English README adds when the pack holds both editions.
BOTH_NOTE = """
## 中文版 (the Chinese edition)

The same course in Simplified Chinese is in `notebooks-zh/` and `assignments-zh/`; its README
is `README.zh.md`. 本课程的中文版在 `notebooks-zh/` 和 `assignments-zh/`，说明见 `README.zh.md`。
Submit each assignment in one edition only; both give you the same data and the same grade.
"""

STUDENT_README_ZH = """\
# 客户关系管理课程：学生资料包

这个文件夹包含课程笔记本和计分作业所需的全部内容（中文版）：

- `{wheel}`：课程的 Python 包 casekit；
- `notebooks-zh/`：中文版课程笔记本，按顺序排列（先看 `00-start-here.ipynb`），四个案例在
  `notebooks-zh/cases/`，还有阅读材料和教学大纲；术语表（中英对照）是 `notebooks/glossary.md`；
- `assignments-zh/<name>/<name>.ipynb`：四次计分作业；
- `final-paper/`：期末论文的模板和评分标准。

## 安装（两步）

你需要 Python 3.11 或 3.12（python.org，或系统自带的软件包管理器）。

1. 在终端中进入这个文件夹，创建一个虚拟环境，并安装带 JupyterLab 的 casekit：

   ```bash
   python3 -m venv .venv
   .venv/bin/python -m pip install "{wheel}[lab]"
   ```

   （Windows 上：`py -m venv .venv`，然后 `.venv\\Scripts\\python -m pip install "{wheel}[lab]"`。）

2. 在这个文件夹中启动 JupyterLab，打开一个笔记本：

   ```bash
   .venv/bin/jupyter lab
   ```

笔记本在你的电脑上生成数据，不需要下载任何东西。图表中的中文需要一种中文字体（CJK 字体），例如
Noto Sans CJK SC；如果图中的中文显示为方框，请安装一种（Debian 或 Ubuntu：`apt-get install
fonts-noto-cjk`），然后重启内核。

## 计分作业

在每次作业的第一个代码单元格里填入你的学号，与班级名单上的写法完全一致：你的数据由学号生成，所以你的
数字和同学的不同；中文版和英文版用同一个学号得到的数据完全相同，只有姓名、公司和地址等文字是中文。
从头运行所有单元格，在每道题下面的单元格里作答，最后运行最后一个单元格，它会把你的答案交给评分程序。
然后按任课教师的要求提交笔记本文件（课程的学习平台，或 *Assignments* 标签页）。每次作业只提交
一个版本。
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


def build_release(work: Path, origin: Path = COURSE) -> Path:
    """nbgrader's release of every assignment of ``origin``, made in a temporary course folder."""
    course = work / f"course-{origin.name}"
    course.mkdir()
    shutil.copy(origin / "nbgrader_config.py", course)
    shutil.copytree(origin / "source", course / "source")
    nbgrader = str(Path(sys.executable).with_name("nbgrader"))
    env_path = f"{Path(sys.executable).parent}"
    for folder in sorted((course / "source").iterdir()):
        if folder.is_dir():
            _run(["env", f"PATH={env_path}:/usr/bin:/bin", nbgrader, "generate_assignment",
                  folder.name, "--force"], course, f"releasing {folder.name}")
    return course / "release"


def _paper_zh(name: str) -> Path:
    """The Chinese final-paper document, or the English one while it has no translation."""
    chinese = COURSE / "final-paper" / f"{name}.zh.md"
    return chinese if chinese.is_file() else COURSE / "final-paper" / f"{name}.md"


def build(out: Path, edition: str = "both") -> Path:
    if edition not in EDITIONS:
        raise SystemExit(f"make_student_pack: edition must be one of {list(EDITIONS)}; "
                         f"found {edition!r}")
    english, chinese = edition in ("en", "both"), edition in ("zh", "both")
    if chinese and not any((COURSE_ZH / "source").glob("*/*.ipynb")):
        raise SystemExit(f"make_student_pack: {COURSE_ZH}/source holds no assignment; build "
                         f"the Chinese edition first (scripts/translate.py build)")
    out = out.resolve()
    skip = shutil.ignore_patterns(".ipynb_checkpoints", "teaching-notes")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        pack = work / out.name
        pack.mkdir()
        wheel = build_wheel(work)
        shutil.copy(wheel, pack / wheel.name)
        (pack / "final-paper").mkdir()
        # Everything under notebooks/ but the teaching notes, which hold the expected answers.
        if english:
            shutil.copytree(build_release(work), pack / "assignments", ignore=skip)
            shutil.copytree(ROOT / "notebooks", pack / "notebooks", ignore=skip)
            for name in PAPER:
                shutil.copy(COURSE / "final-paper" / f"{name}.md",
                            pack / "final-paper" / f"{name}.md")
        if chinese:
            shutil.copytree(build_release(work, COURSE_ZH), pack / "assignments-zh", ignore=skip)
            shutil.copytree(ROOT / "notebooks-zh", pack / "notebooks-zh", ignore=skip)
            # the Chinese notebooks link the bilingual glossary in notebooks/
            (pack / "notebooks").mkdir(exist_ok=True)
            shutil.copy(ROOT / "notebooks" / "glossary.md", pack / "notebooks" / "glossary.md")
            for name in PAPER:
                shutil.copy(_paper_zh(name), pack / "final-paper" / _paper_zh(name).name)
        readme = STUDENT_README_ZH if edition == "zh" else STUDENT_README
        if edition == "both":
            readme += BOTH_NOTE
            (pack / "README.zh.md").write_text(STUDENT_README_ZH.format(wheel=wheel.name),
                                               encoding="utf-8")
        (pack / "README.md").write_text(readme.format(wheel=wheel.name), encoding="utf-8")
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
    parser.add_argument("--edition", choices=EDITIONS, default="both",
                        help="en, zh (the Chinese edition) or both (default)")
    args = parser.parse_args(argv)
    out = build(Path(args.out), args.edition)
    print(f"student pack in {out} and {out.name}.zip")
    return 0


if __name__ == "__main__":
    sys.exit(main())
