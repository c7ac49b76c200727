"""How long the notebook suite takes under strict nbval, as `make test` runs it.

Usage: .venv/bin/python bench/bench_notebooks.py
Prints the seconds per notebook and in total; the budget is 5 minutes on 2 cores.
"""

import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUDGET_SECONDS = 300


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "nbval.xml"
        command = [
            sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env",
            "--nbval-sanitize-with", "tests/nbval_sanitize.cfg", "notebooks", "-q",
            f"--junitxml={report}",
        ]
        start = time.perf_counter()
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        total = time.perf_counter() - start
        per_notebook = defaultdict(float)
        for case in ET.parse(report).getroot().iter("testcase"):
            per_notebook[case.get("file") or case.get("classname")] += float(case.get("time"))
    for name, seconds in sorted(per_notebook.items()):
        print(f"{seconds:7.1f} s  {name}")
    print(f"{total:7.1f} s  whole suite, kernel start-up included "
          f"({total / BUDGET_SECONDS:.0%} of the {BUDGET_SECONDS} s budget)")
    if result.returncode:
        print(result.stdout[-2000:])
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
