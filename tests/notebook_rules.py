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
MAX_BYTES = 1_000_000

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
    found = [h for h in headings if h in SECTIONS]
    if found != list(SECTIONS):
        problems.append(f"template sections {found} differ from {list(SECTIONS)}")

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
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                problems.append(f"{where} stores an error: {output.get('ename')}")
            if output.get("name") == "stderr":
                problems.append(f"{where} shows warnings or errors on stderr")
            if _ABS_PATH_IN_OUTPUT.search(_output_text(output)):
                problems.append(f"{where} shows an absolute path in its output")
    return problems
