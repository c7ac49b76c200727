"""A claim made false fails the notebook under nbval, at the check cell beside the claim.

cases/insurance.ipynb says that health is the only product whose true first-renewal rate lies
outside its printed interval, and a collapsed ``check`` cell asserts it. The notebook as it
is passes strict nbval (the Makefile's notebook check). Here a temporary copy, cut after that
check, is run under nbval with the true health rate moved inside the interval, as a
regenerated dataset might do: it fails, at the check cell and nowhere else.
"""

import os
import subprocess
import sys

import nbformat
import pytest
from conftest import ROOT
from notebook_rules import CHECK_TAG

NOTEBOOK = ROOT / "notebooks" / "cases" / "insurance.ipynb"
CLAIM = "only health's true rate"


def _copy_up_to_the_check(tmp_path, change=None):
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    checks = [
        i
        for i, cell in enumerate(notebook.cells)
        if CHECK_TAG in cell.metadata.get("tags", []) and CLAIM in cell.source
    ]
    assert len(checks) == 1, "the health-interval check cell is missing from cases/insurance"
    notebook.cells = notebook.cells[: checks[0] + 1]
    if change:
        loading = next(i for i, c in enumerate(notebook.cells) if "load_case" in c.source)
        notebook.cells[loading].source += "\n" + change
    path = tmp_path / "cases" / "insurance.ipynb"
    path.parent.mkdir()
    nbformat.write(notebook, path)
    code_cells = [c for c in notebook.cells if c.cell_type == "code"]
    return path, len(code_cells) - 1


def _nbval(path):
    # --nbval-lax: only errors fail, so the check cell is what decides. Run from the copy's
    # folder so that the case data are read from this worktree's datasets/ as usual.
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-q",
         "-p", "no:cacheprovider", "--color=no", str(path)],
        cwd=path.parent, capture_output=True, text=True, timeout=180,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return result.returncode, result.stdout + result.stderr


@pytest.mark.slow
def test_a_claim_made_false_fails_at_its_check_cell(tmp_path):
    # Move health's true rate inside its interval: the prose would now be false.
    change = 'case.population["by_product"]["health"]["retention_first_year"] = 0.77'
    path, check_cell = _copy_up_to_the_check(tmp_path, change)
    code, log = _nbval(path)
    assert code != 0, log[-3000:]
    failed = [line for line in log.splitlines() if line.startswith("FAILED")]
    assert len(failed) == 1, log[-3000:]
    assert failed[0].startswith(f"FAILED insurance.ipynb::Cell {check_cell} "), failed
    assert "AssertionError" in log
