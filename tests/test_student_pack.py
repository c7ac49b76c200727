"""The student pack: what an instructor hands out holds no answer key.

The pack is built once (assignments/make_student_pack.py, what `make student-pack`
runs) into a temporary folder, and every file in it, the files inside the wheel
included, is searched for the lines of the sources' solutions and model answers
and of the instructor's checks.
"""

import json
import re
import subprocess
import sys
import zipfile

import pytest
from conftest import ROOT

COURSE = ROOT / "assignments"
pytestmark = pytest.mark.slow


def _source_lines(notebook):
    """(secret, public) stripped lines of a source notebook."""
    secret, public = set(), set()
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and cell["metadata"].get("nbgrader", {}).get("solution"):
            secret |= {line.strip() for line in text.splitlines()}
            continue
        inside = False
        for line in text.splitlines():
            if re.match(r"\s*### BEGIN (SOLUTION|HIDDEN TESTS)", line):
                inside = True
            elif re.match(r"\s*### END (SOLUTION|HIDDEN TESTS)", line):
                inside = False
            else:
                (secret if inside else public).add(line.strip())
    return secret, public


def _answer_key():
    secret, public = set(), set()
    for notebook in (COURSE / "source").glob("*/*.ipynb"):
        s, p = _source_lines(notebook)
        secret |= s
        public |= p
    # casekit's own code and the course notebooks are public teaching material: a line they
    # share with a solution (AS_OF = ..., a call the notebooks teach) gives nothing away.
    for path in (ROOT / "casekit").rglob("*.py"):
        public |= {line.strip() for line in path.read_text(encoding="utf-8").splitlines()}
    for path in (ROOT / "notebooks").rglob("*.ipynb"):
        if "teaching-notes" in path.parts:
            continue
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            public |= {line.strip() for line in "".join(cell["source"]).splitlines()}
    key = {line for line in secret - public if len(line) >= 4}
    checks = set()
    for path in (COURSE / "checks").glob("*.py"):
        checks |= {line.strip() for line in path.read_text().splitlines()
                   if len(line.strip()) >= 30 and not line.strip().startswith(("#", '"""'))}
    return key, checks - public


def _lines(name, data: bytes):
    text = data.decode("utf-8", errors="replace")
    if name.endswith(".ipynb"):
        texts = []
        for cell in json.loads(text)["cells"]:
            texts.append("".join(cell["source"]))
            texts += [json.dumps(output) for output in cell.get("outputs", [])]
        text = "\n".join(texts)
    return {line.strip() for line in text.splitlines()}


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    out = tmp_path_factory.mktemp("handout") / "student-pack"
    subprocess.run([sys.executable, str(COURSE / "make_student_pack.py"), "--out", str(out)],
                   check=True, capture_output=True)
    return out


def _files(pack):
    """(name, bytes) of every file in the pack and of every file inside its wheel."""
    for path in sorted(p for p in pack.rglob("*") if p.is_file()):
        yield str(path.relative_to(pack)), path.read_bytes()
        if path.suffix == ".whl":
            with zipfile.ZipFile(path) as wheel:
                for member in wheel.namelist():
                    yield f"{path.name}/{member}", wheel.read(member)


def test_pack_holds_what_students_need(pack):
    names = {str(p.relative_to(pack)) for p in pack.rglob("*") if p.is_file()}
    assert any(re.fullmatch(r"casekit-[^/]+\.whl", n) for n in names)
    for folder in (COURSE / "source").iterdir():
        assert f"assignments/{folder.name}/{folder.name}.ipynb" in names
    notebooks = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "notebooks").rglob("*.ipynb")
                       if "teaching-notes" not in p.parts and ".ipynb_checkpoints" not in p.parts)
    assert notebooks and all(n in names for n in notebooks)
    assert "notebooks/cases/insurance.ipynb" in names and "notebooks/readings.md" in names
    # the teaching notes hold the expected answers of the case discussions
    assert not any("teaching-notes" in n for n in names)
    assert {"README.md", "final-paper/template.md", "final-paper/rubric.md"} <= names
    readme = (pack / "README.md").read_text()
    assert "Set-up (two steps)" in readme and "pip install" in readme and "jupyter lab" in readme
    assert pack.with_name("student-pack.zip").is_file()


def test_pack_holds_no_answer_key(pack):
    key, checks = _answer_key()
    assert key and checks, "the sources have solutions and the course has checks"
    names = []
    for name, data in _files(pack):
        names.append(name)
        assert "source/" not in name and "checks/" not in name, name
        lines = _lines(name, data)
        leaked = (key | checks) & lines
        assert not leaked, f"{name} leaks {sorted(leaked)[:3]}"
    wheel = [n.split("/", 1)[1] for n in names if ".whl/" in n]
    assert wheel and all(n.startswith(("casekit/", "casekit-")) for n in wheel), wheel
    assert not any("assignments" in n for n in wheel)


def test_released_assignments_have_no_outputs_and_no_hidden_tests(pack):
    for notebook in (pack / "assignments").rglob("*.ipynb"):
        for cell in json.loads(notebook.read_text())["cells"]:
            assert not cell.get("outputs"), notebook.name
            assert "HIDDEN TESTS" not in "".join(cell["source"])
