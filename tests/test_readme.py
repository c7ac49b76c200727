"""The README's Python example runs as written, and its course map lists every notebook."""

import re

import pytest
from conftest import NOTEBOOKS, ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_python_example_runs():
    (example,) = re.findall(r"```python\n(.*?)```", README, flags=re.S)
    namespace = {}
    exec(compile(example, "README.md", "exec"), namespace)
    fitted, truth = namespace["model"].params_, namespace["case"].population
    assert set(fitted) == {"r", "alpha", "s", "beta"}
    # the comparison the comment promises: the mean purchase rate r / alpha is recovered
    assert fitted["r"] / fitted["alpha"] == pytest.approx(truth["r"] / truth["alpha"], rel=0.1)
    assert namespace["small"].name == "catering"


def test_function_table_names_public_api():
    import casekit

    table = README[README.index("What casekit offers"):README.index("Bad input gets")]
    for name in re.findall(r"`([a-z_A-Z]+)`", table):
        if "." not in name and not name.startswith("casekit"):
            assert name in casekit.__all__, name


def test_course_map_lists_every_course_notebook():
    course_map = README[README.index("## Course map"):README.index("## Using casekit")]
    for path in NOTEBOOKS:
        if path.parent.name == "notebooks":
            assert f"`{path.stem}`" in course_map, path.stem
