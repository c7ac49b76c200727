"""Re-execute notebooks in place, each in a fresh kernel (``make notebooks``).

Usage: python scripts/run_notebooks.py [PATH ...]   (files or folders; default: notebooks)
       python scripts/run_notebooks.py --fold-only [PATH ...]   (collapse solutions, no run)
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


#: How a solution and a claim check are shown (tests/notebook_rules.py enforces the same).
SOLUTION_METADATA = {
    "jupyter": {"source_hidden": True, "outputs_hidden": True},
    "mystnb": {"code_prompt_show": "show solution", "code_prompt_hide": "hide solution"},
}
SITE_HIDE_TAG = "hide-cell"
CHECK_METADATA = {
    "mystnb": {"code_prompt_show": "show the check", "code_prompt_hide": "hide the check"},
}
CHECK_SITE_TAG = "hide-input"


def fold(notebook) -> None:
    """Collapse every solution (source and output) and every claim check (source).

    Applied on every run so that opening and re-running a notebook cannot leave an answer
    in plain sight.
    """
    for cell in notebook.cells:
        tags = cell.metadata.get("tags", [])
        if "solution" in tags:
            for key, value in SOLUTION_METADATA.items():
                cell.metadata[key] = dict(value)
            if SITE_HIDE_TAG not in tags:
                cell.metadata["tags"] = [*tags, SITE_HIDE_TAG]
        if "check" in tags:
            cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
            cell.metadata.update({key: dict(value) for key, value in CHECK_METADATA.items()})
            if CHECK_SITE_TAG not in tags:
                cell.metadata["tags"] = [*cell.metadata["tags"], CHECK_SITE_TAG]


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
    fold(notebook)
    nbformat.write(notebook, path)


def main(argv):
    if argv and argv[0] == "--fold-only":
        # Metadata only: collapse solutions and checks without executing anything.
        for path in notebooks_under(argv[1:] or ["notebooks"]):
            notebook = nbformat.read(path, as_version=4)
            fold(notebook)
            nbformat.write(notebook, path)
        return
    for path in notebooks_under(argv or ["notebooks"]):
        print(f"running {path}", flush=True)
        run(path)


if __name__ == "__main__":
    main(sys.argv[1:])
