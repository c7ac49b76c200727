"""The student pack: what an instructor hands out holds no answer key.

The pack is built once (assignments/make_student_pack.py, what `make student-pack`
runs) into a temporary folder, and every file in it, the files inside the wheel
included, is searched for the lines of the sources' solutions and model answers
and of the instructor's checks. The default pack holds both editions; the
Chinese model answers (assignments-zh/source) are searched for as well, and a
pack of the Chinese edition alone is built and searched the same way.
"""

import json
import re
import subprocess
import sys
import zipfile

import pytest
from conftest import ROOT

COURSE = ROOT / "assignments"
COURSES = (COURSE, ROOT / "assignments-zh")
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
    for notebook in (n for course in COURSES for n in (course / "source").glob("*/*.ipynb")):
        s, p = _source_lines(notebook)
        secret |= s
        public |= p
    # casekit's own code and the course notebooks are public teaching material: a line they
    # share with a solution (AS_OF = ..., a call the notebooks teach) gives nothing away.
    for path in (ROOT / "casekit").rglob("*.py"):
        public |= {line.strip() for line in path.read_text(encoding="utf-8").splitlines()}
    for path in [*(ROOT / "notebooks").rglob("*.ipynb"), *(ROOT / "notebooks-zh").rglob("*.ipynb")]:
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


def _build(tmp_path_factory, *options):
    out = tmp_path_factory.mktemp("handout") / "student-pack"
    subprocess.run([sys.executable, str(COURSE / "make_student_pack.py"), "--out", str(out),
                    *options], check=True, capture_output=True)
    return out


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    return _build(tmp_path_factory)


@pytest.fixture(scope="module")
def pack_zh(tmp_path_factory):
    return _build(tmp_path_factory, "--edition", "zh")


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


def _zh_notebooks():
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "notebooks-zh").rglob("*.ipynb")
                  if "teaching-notes" not in p.parts and ".ipynb_checkpoints" not in p.parts)


def test_the_default_pack_holds_both_editions(pack):
    names = {str(p.relative_to(pack)) for p in pack.rglob("*") if p.is_file()}
    for folder in (COURSE / "source").iterdir():
        assert f"assignments-zh/{folder.name}/{folder.name}.ipynb" in names
        release = json.loads((pack / "assignments-zh" / folder.name / f"{folder.name}.ipynb")
                             .read_text(encoding="utf-8"))
        text = "".join("".join(c["source"]) for c in release["cells"])
        assert 'casekit.set_language("zh")' in text and "作业" in text
    assert _zh_notebooks() and all(n in names for n in _zh_notebooks())
    assert "notebooks/glossary.md" in names  # the Chinese notebooks link it
    assert "中文版" in (pack / "README.md").read_text(encoding="utf-8")
    assert "安装（两步）" in (pack / "README.zh.md").read_text(encoding="utf-8")


def test_the_chinese_pack_holds_the_chinese_edition_only(pack_zh):
    names = {str(p.relative_to(pack_zh)) for p in pack_zh.rglob("*") if p.is_file()}
    assert any(re.fullmatch(r"casekit-[^/]+\.whl", n) for n in names)
    for folder in (COURSE / "source").iterdir():
        assert f"assignments-zh/{folder.name}/{folder.name}.ipynb" in names
    assert not any(n.startswith("assignments/") for n in names)
    assert all(n in names for n in _zh_notebooks())
    assert [n for n in names if n.startswith("notebooks/")] == ["notebooks/glossary.md"]
    assert not any("teaching-notes" in n for n in names)
    readme = (pack_zh / "README.md").read_text(encoding="utf-8")
    assert "安装（两步）" in readme and "pip install" in readme and "jupyter lab" in readme
    assert {p.name for p in (pack_zh / "final-paper").iterdir()} and \
        pack_zh.with_name("student-pack.zip").is_file()
    _no_answer_key(pack_zh)


def test_pack_holds_no_answer_key(pack):
    _no_answer_key(pack)


def _no_answer_key(pack):
    key, checks = _answer_key()
    assert key and checks, "the sources have solutions and the course has checks"
    assert any("\u4e00" <= ch <= "\u9fff" for line in key for ch in line), \
        "the Chinese model answers are searched for too"
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
