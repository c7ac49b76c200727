"""Re-execute notebooks in place, each in a fresh kernel (``make notebooks``).

Usage: python scripts/run_notebooks.py [PATH ...]   (files or folders; default: notebooks)
"""

import os
import sys
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ExecutePreprocessor

TIMEOUT_SECONDS = 600


def notebooks_under(paths):
    for path in map(Path, paths):
        if path.is_dir():
            found = path.rglob("*.ipynb")
            yield from sorted(p for p in found if ".ipynb_checkpoints" not in p.parts)
        else:
            yield path


def run(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    # A fixed hash seed keeps any set/dict ordering in outputs identical between runs.
    os.environ.setdefault("PYTHONHASHSEED", "0")
    # No timing metadata: it would change every cell on every run.
    executor = ExecutePreprocessor(
        timeout=TIMEOUT_SECONDS, kernel_name="python3", record_timing=False
    )
    executor.preprocess(notebook, {"metadata": {"path": str(path.parent)}})
    # Stored widget state is large and useless without a live kernel, so drop it.
    notebook.metadata.pop("widgets", None)
    nbformat.write(notebook, path)


def main(argv):
    for path in notebooks_under(argv or ["notebooks"]):
        print(f"running {path}", flush=True)
        run(path)


if __name__ == "__main__":
    main(sys.argv[1:])
