import os
from pathlib import Path

import matplotlib
from hypothesis import settings

# The same examples on every run, so that a CI run is reproducible; a new search is
# `pytest --hypothesis-profile=explore`.
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore", max_examples=1000)
settings.load_profile("repeatable")

matplotlib.use("Agg")
os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(
    p for p in (ROOT / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
)
