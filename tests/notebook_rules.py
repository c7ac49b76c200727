"""The rules every course notebook follows, as one function the tests call.

Kept apart from the tests so that the rules themselves can be tested on
notebooks that break them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

#: The template of shared/CONVENTIONS.md, in order.
SECTIONS = (
    "Learning goals",
    "The case",
    "Concepts",
    "Hands-on",
    "Try it",
    "Discussion",
    "Exercises",
    "Summary",
)
#: A teaching note (notebooks/teaching-notes/) is written for the instructor and follows the
#: structure of published case teaching notes (HBS, Ivey) instead.
TEACHING_NOTES = "teaching-notes"
TEACHING_SECTIONS = (
    "Synopsis",
    "Learning objectives",
    "Assignment questions",
    "Analysis",
    "Teaching plan",
    "Board plan",
    "Scenario defence",
    "Epilogue",
)
MAX_BYTES = 1_000_000


#: The Chinese edition (notebooks-zh/, built by scripts/translate.py) names the sections so.
EDITION_ZH = "notebooks-zh"
SECTIONS_ZH = dict(zip(SECTIONS, ("学习目标", "案例", "概念", "动手实践", "试一试", "讨论",
                                  "练习", "小结"), strict=True))
TEACHING_SECTIONS_ZH = dict(zip(TEACHING_SECTIONS, ("案例概要", "教学目标", "思考题", "案例分析",
                                                    "教学计划", "板书计划", "情景答辩", "后记"),
                                strict=True))


def sections_for(path: Path) -> tuple[str, ...]:
    """The template a notebook at ``path`` follows: a teaching note's, or the course's."""
    parts = Path(path).parts
    zh = EDITION_ZH in parts
    if TEACHING_NOTES in parts:
        return tuple(TEACHING_SECTIONS_ZH.values()) if zh else TEACHING_SECTIONS
    return tuple(SECTIONS_ZH.values()) if zh else SECTIONS

#: A claim-check cell: assertions of the prose claims beside it. Its source is collapsed in
#: JupyterLab and it prints a line starting with CHECK_MARK so that the reader sees a check.
CHECK_TAG = "check"
CHECK_MARK = "\u2713 checked:"
CHECK_MARK_ZH = "\u2713 已核对："
#: On the static site the check's source sits behind a closed toggle; its printed line shows.
CHECK_SITE_TAG = "hide-input"
#: An exercise's solution: source and output collapsed in JupyterLab, and behind a closed
#: "show solution" toggle on the static site (myst-nb's hide-cell tag).
SOLUTION_TAG = "solution"
SOLUTION_JUPYTER = {"source_hidden": True, "outputs_hidden": True}
SITE_HIDE_TAG = "hide-cell"
SOLUTION_PROMPT = {"code_prompt_show": "show solution", "code_prompt_hide": "hide solution"}

_NETWORK = re.compile(
    r"https?://|\bimport\s+(requests|urllib|httpx|socket)\b|\bfrom\s+(requests|urllib|httpx)\b"
    r"|urlopen|read_csv\(\s*['\"]https?"
)
# A quoted absolute path (POSIX or Windows) in code, or a home/work/tmp path anywhere in outputs.
_ABS_PATH_IN_CODE = re.compile(r"""['"](/[A-Za-z]|[A-Za-z]:\\)""")
_ABS_PATH_IN_OUTPUT = re.compile(r"(/home/|/root/|/work/|/tmp/|/Users/|[A-Z]:\\\\Users)")


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _output_text(output: dict) -> str:
    parts = [_text(output.get("text", ""))]
    parts += [_text(v) for k, v in output.get("data", {}).items() if k.startswith("text/")]
    parts += [_text(output.get("traceback", ""))]
    return "".join(parts)


def notebook_problems(path: Path) -> list[str]:
    """Return every rule ``path`` breaks, as readable sentences (empty when it is fine)."""
    problems = []
    if path.stat().st_size >= MAX_BYTES:
        problems.append(f"{path.stat().st_size} bytes, over the {MAX_BYTES}-byte budget")
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]

    headings = [
        line[3:].strip()
        for cell in cells
        if cell["cell_type"] == "markdown"
        for line in _text(cell["source"]).splitlines()
        if line.startswith("## ")
    ]
    sections = sections_for(path)
    found = [h for h in headings if h in sections]
    if found != list(sections):
        problems.append(f"template sections {found} differ from {list(sections)}")

    for number, cell in enumerate(cells):
        if cell["cell_type"] != "code" or not _text(cell["source"]).strip():
            continue
        source = _text(cell["source"])
        where = f"code cell {number}"
        if cell.get("execution_count") is None:
            problems.append(f"{where} was never executed, so strict nbval checks nothing in it")
        if "execution" in cell.get("metadata", {}):
            problems.append(f"{where} stores execution timestamps (run it with make notebooks)")
        if re.search(r"\bcasekit\._|from\s+casekit\._|from\s+casekit\s+import\s+_", source):
            problems.append(f"{where} uses a private casekit module")
        if _NETWORK.search(source):
            problems.append(f"{where} uses the network")
        if _ABS_PATH_IN_CODE.search(source):
            problems.append(f"{where} uses an absolute path")
        problems += _check_problems(cell, source, where, EDITION_ZH in Path(path).parts)
        problems += _solution_problems(cell, where)
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                problems.append(f"{where} stores an error: {output.get('ename')}")
            if output.get("name") == "stderr":
                problems.append(f"{where} shows warnings or errors on stderr")
            if _ABS_PATH_IN_OUTPUT.search(_output_text(output)):
                problems.append(f"{where} shows an absolute path in its output")
    return problems


def _check_problems(cell: dict, source: str, where: str, zh: bool) -> list[str]:
    metadata = cell.get("metadata", {})
    tags = metadata.get("tags", [])
    if CHECK_TAG not in tags:
        return []
    problems = []
    if not metadata.get("jupyter", {}).get("source_hidden"):
        problems.append(f"{where} is a check cell whose source is not collapsed (source_hidden)")
    if CHECK_SITE_TAG not in tags:
        problems.append(f"{where} is a check cell without the {CHECK_SITE_TAG!r} tag for the site")
    if not re.search(r"^\s*assert\b", source, re.MULTILINE):
        problems.append(f"{where} is a check cell without an assert")
    if "nbval-ignore-output" in tags or "nbval-skip" in tags:
        problems.append(f"{where} is a check cell that nbval does not compare")
    printed = "".join(
        _output_text(o) for o in cell.get("outputs", []) if o.get("output_type") == "stream"
    )
    mark = CHECK_MARK_ZH if zh else CHECK_MARK
    if mark not in printed:
        problems.append(f"{where} is a check cell that does not print '{mark} ...'")
    return problems


def _solution_problems(cell: dict, where: str) -> list[str]:
    metadata = cell.get("metadata", {})
    tags = metadata.get("tags", [])
    if SOLUTION_TAG not in tags:
        return []
    problems = []
    jupyter = metadata.get("jupyter", {})
    hidden = [key for key, value in SOLUTION_JUPYTER.items() if jupyter.get(key) is not value]
    if hidden:
        problems.append(f"{where} is a solution whose {' and '.join(hidden)} is not set")
    if SITE_HIDE_TAG not in tags:
        problems.append(f"{where} is a solution without the {SITE_HIDE_TAG!r} tag for the site")
    prompt = metadata.get("mystnb", {})
    if any(prompt.get(key) != value for key, value in SOLUTION_PROMPT.items()):
        problems.append(f"{where} is a solution whose site toggle is not labelled 'show solution'")
    if "nbval-ignore-output" in tags or "nbval-skip" in tags:
        problems.append(f"{where} is a solution that nbval does not compare")
    return problems
