"""The Chinese edition of the graded assignments grades exactly as the English one.

``assignments-zh/`` is a course folder of its own, built by scripts/translate.py from
``assignments/source`` and the catalogs in ``i18n/zh/assignments/``: the same assignment
and file names, cell ids and nbgrader metadata, one locked edition cell more, and the
same checks. The fast tests below prove that the build is current and that only text
differs; the slow one grades the same class of honest and dishonest students of a1 in
both editions, with ``python -m casekit.grading autograde`` (nbgrader runs each
notebook), and compares every score and every integrity finding.
"""

import json
import re
import sys

import nbformat
import pandas as pd
import pytest
from conftest import ROOT
from test_assignments import autograde, course_copy
from test_dishonest import TRANSFORMER, _submission
from test_student_voice import problems as voice_problems

import casekit
from casekit.grading import integrity_report, similarity_report, student_case

sys.path.insert(0, str(ROOT / "scripts"))
import translate  # noqa: E402

EN = ROOT / "assignments"
ZH = translate.COURSE_ZH
SOURCES = sorted((EN / "source").glob("*/*.ipynb"))
NAME = "a1-case-report"


def _rel(path):
    return path.relative_to(ROOT)


def _nbgrader(cell):
    return cell.metadata.get("nbgrader")


# --- the build --------------------------------------------------------------------------

def test_every_assignment_has_a_chinese_edition():
    notebooks = [p for p in translate.translated_assignments() if p.suffix == ".ipynb"]
    assert SOURCES and notebooks == SOURCES
    for source in SOURCES:
        assert translate.target_path(_rel(source)) == ZH / source.relative_to(EN)
        assert translate.target_path(_rel(source)).is_file(), source.name


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_chinese_source_is_current_and_differs_only_in_text(source):
    rel = _rel(source)
    english = nbformat.read(source, as_version=4)
    po = translate.read_catalog(rel)
    assert translate.catalog_problems(english, po) == []
    chinese = nbformat.read(translate.target_path(rel), as_version=4)
    expected = translate.edition(english, po, rel)
    assert [c.source for c in chinese.cells] == [c.source for c in expected.cells], (
        "assignments-zh is older than its English source or catalog: run make notebooks-zh")
    cells = chinese.cells
    edition = next(c for c in cells if c.id == translate.EDITION_ID)
    assert edition.source == translate.ASSIGNMENT_EDITION_SOURCE
    assert _nbgrader(edition) == translate.EDITION_NBGRADER
    cells = [c for c in cells if c.id != translate.EDITION_ID]
    assert [(c.id, c.cell_type) for c in cells] == [(c.id, c.cell_type) for c in english.cells]
    for en, zh in zip(english.cells, cells, strict=True):
        # the grading reads these: grade ids, points, locks, solution regions, tags
        assert _nbgrader(zh) == _nbgrader(en), en.id
        assert zh.metadata.get("tags", []) == en.metadata.get("tags", []), en.id
        if en.cell_type == "code":
            assert translate.code_skeleton(zh.source) == translate.code_skeleton(en.source), en.id
            assert zh.source.count("### BEGIN SOLUTION") == en.source.count("### BEGIN SOLUTION")
        else:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in zh.source), en.id
            assert ("*Marking" in en.source) == ("*评分标准" in zh.source), en.id
    text = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    assert voice_problems(text) == []
    assert chinese.metadata["casekit"] == {"edition": "zh", "source": str(rel)}


DOCUMENTS = [p for p in translate.translated_assignments() if p.suffix == ".md"]


def test_documents_are_built_next_to_the_english():
    rel = translate.relative(EN / "final-paper" / "template.md")
    assert rel == translate.Path("assignments/final-paper/template.md")
    assert translate.catalog_path(rel) == ROOT / "i18n/zh/assignments/final-paper/template.po"
    assert translate.target_path(rel) == EN / "final-paper" / "template.zh.md"
    with pytest.raises(SystemExit, match="is not under"):
        translate.relative(ROOT / "casekit" / "grading.py")


def test_built_documents_are_current_and_speak_to_students():
    # final-paper/*.zh.md and rubrics/*.zh.md, once their catalogs are in i18n/zh/assignments/
    for path in DOCUMENTS:
        rel = _rel(path)
        assert translate.catalog_problems(translate.read_source(path),
                                          translate.read_catalog(rel)) == [], path.name
        expected = translate.document_edition(translate.read_source(path),
                                              translate.read_catalog(rel))
        built = translate.target_path(rel).read_text(encoding="utf-8")
        assert built == expected, f"{translate.target_path(rel).name} is out of date: build it"
        assert voice_problems(built) == [], path.name


def test_the_chinese_course_has_its_own_id_and_the_same_checks():
    config = (ZH / "nbgrader_config.py").read_text(encoding="utf-8")
    assert config == translate.course_config()
    assert 'c.CourseDirectory.course_id = "casekit-crm-zh"' in config
    english = (EN / "nbgrader_config.py").read_text(encoding="utf-8")
    assert [line for line in config.splitlines() if "course_id" not in line][2:] == [
        line for line in english.splitlines() if "course_id" not in line][2:]
    assert (ZH / "checks").is_symlink()
    assert (ZH / "checks").resolve() == (EN / "checks").resolve()


def test_a_student_gets_the_same_numbers_in_both_editions():
    english = student_case("s2024001", NAME)
    casekit.set_language("zh")
    try:
        chinese = student_case("s2024001", NAME)
    finally:
        casekit.set_language("en")
    assert chinese.params["locale"] == "zh_CN" and english.params["locale"] == "en_US"
    companies = chinese.tables["companies"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in "".join(companies["company"]))
    assert chinese.transactions.equals(english.transactions)
    assert chinese.truth.equals(english.truth)
    with pytest.raises(ValueError, match="student_case: locale must be one of"):
        student_case("s2024001", NAME, locale="fr_FR")


# --- grading parity ---------------------------------------------------------------------

def _model(source):
    answers = {}
    for cell in json.loads(source.read_text(encoding="utf-8"))["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if cell["cell_type"] == "code" and meta.get("solution"):
            answers[meta["grade_id"]] = re.sub(r"[ \t]*### (BEGIN|END) SOLUTION\n?", "",
                                               "".join(cell["source"]))
    return answers


def _class(course, release, model):
    """Honest and dishonest students, as in tests/test_dishonest.py (fewer, to stay fast)."""
    slip = dict(model, a1_q1=model["a1_q1"].replace("== 12]", "== 11]"))
    assert slip != model
    return {
        "s2024001": _submission(release, "s2024001", model),
        "s2024004": _submission(release, "s2024004", id_extra=TRANSFORMER),
        "s2024005": _submission(release, "s2024001", model, id_extra=(
            "import casekit.grading\n"
            "casekit.grading.submission_student = lambda path=None: None")),
        "s2024007": _submission(release, "s2024007", {
            **model,
            "a1_q1": 'abc_class = getattr(casekit, "abc_" + "activity")(tx, as_of=AS_OF)'
                     '["abc_class"].astype(str)',
            "a1_q3": 'rfm = vars(casekit)["rfm_" + "scores"](tx, as_of=AS_OF)'},
            untag=("a1_q3",)),
        "s2024009": _submission(release, "s2024009", slip),
    }


def _grade(base, course):
    course_copy(base, course, [NAME])
    release = course / "release" / NAME / f"{NAME}.ipynb"
    students = _class(course, release, _model(base / "source" / NAME / f"{NAME}.ipynb"))
    for student, notebook in students.items():
        folder = course / "submitted" / student / NAME
        folder.mkdir(parents=True)
        (folder / f"{NAME}.ipynb").write_text(json.dumps(notebook))
    done = autograde(course, NAME)
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        points = {(s, g.name): (g.score, g.max_score) for s in students
                  for g in gradebook.find_submission_notebook(NAME, NAME, s).grades
                  if g.cell_type == "code"}
        comments = {(s, c.name): c.auto_comment for s in students
                    for c in gradebook.find_submission_notebook(NAME, NAME, s).comments}
    integrity = integrity_report(course / "submitted", course / "source")
    similarity = similarity_report(course / "submitted", course / "source")
    return {"points": points, "comments": comments, "log": done.stdout + done.stderr,
            "integrity": integrity.drop(columns="notebook"),
            "similarity": similarity, "release": release, "course": course}


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    root = tmp_path_factory.mktemp("editions")
    return {"en": _grade(EN, root / "en"), "zh": _grade(ZH, root / "zh")}


@pytest.mark.slow
def test_the_zh_release_is_chinese_and_holds_no_answer_key(editions):
    release = json.loads(editions["zh"]["release"].read_text(encoding="utf-8"))
    text = "\n".join("".join(c["source"]) for c in release["cells"])
    assert "作业 1" in text and 'casekit.set_language("zh")' in text
    model = _model(ZH / "source" / NAME / f"{NAME}.ipynb")
    secret = {line.strip() for answer in model.values() for line in answer.splitlines()
              if len(line.strip()) > 20}
    answers = [c for c in json.loads((ZH / "source" / NAME / f"{NAME}.ipynb").read_text())["cells"]
               if c["cell_type"] == "markdown" and c["metadata"]["nbgrader"].get("solution")]
    secret |= {line.strip() for c in answers for line in "".join(c["source"]).splitlines()
               if line.strip()}
    assert secret and not secret & {line.strip() for line in text.splitlines()}


@pytest.mark.slow
def test_the_same_students_get_the_same_points_in_both_editions(editions):
    en, zh = editions["en"]["points"], editions["zh"]["points"]
    assert en == zh
    total = {s: sum(p for (who, _), (p, _) in en.items() if who == s)
             for s in {who for who, _ in en}}
    # honest students get everything, one slip costs once, the routes earn nothing
    assert total["s2024001"] == 9
    assert total["s2024009"] == 6
    assert total["s2024004"] == total["s2024005"] == 0
    assert editions["en"]["comments"] == editions["zh"]["comments"]
    for edition in editions.values():
        assert "hecksum" not in edition["log"]


def _english_label(label, edition_at):
    """A cell without a grade id is labelled by its place; the zh edition cell comes first."""
    found = re.fullmatch(r"(added cell|cell) (\d+)", label)
    if found and int(found[2]) > edition_at:
        return f"{found[1]} {int(found[2]) - 1}"
    return label


@pytest.mark.slow
def test_the_integrity_and_similarity_reports_are_the_same(editions):
    en, zh = (editions[e]["integrity"] for e in ("en", "zh"))
    cells = json.loads((ZH / "source" / NAME / f"{NAME}.ipynb").read_text())["cells"]
    edition_at = next(n for n, c in enumerate(cells) if c["id"] == translate.EDITION_ID)
    zh = zh.assign(cell=zh["cell"].map(lambda label: _english_label(label, edition_at)))
    key = ["student", "cell", "kind", "detail"]
    assert len(en) and en.sort_values(key).reset_index(drop=True).equals(
        zh.sort_values(key).reset_index(drop=True))
    flagged = set(zh["student"])
    assert {"s2024004", "s2024005", "s2024007"} <= flagged
    assert not flagged & {"s2024001", "s2024009"}
    assert set(zh.loc[(zh["student"] == "s2024007") & (zh["kind"] == "casekit use"), "cell"]) \
        == {"a1_q1", "a1_q3"}
    columns = ["student_a", "student_b", "similarity", "look"]
    pd.testing.assert_frame_equal(editions["en"]["similarity"][columns],
                                  editions["zh"]["similarity"][columns])


@pytest.mark.slow
def test_a_notebook_of_the_other_edition_is_flagged(editions):
    english = editions["en"]["course"] / "submitted"
    report = integrity_report(english / "s2024001", editions["zh"]["course"] / "source")
    assert (report["kind"] == "changed locked cell").any()


@pytest.mark.slow
def test_the_zh_notebooks_ran_in_chinese(editions):
    executed = editions["zh"]["course"] / "autograded" / "s2024001" / NAME / f"{NAME}.ipynb"
    cells = json.loads(executed.read_text(encoding="utf-8"))["cells"]
    setting = next(c for c in cells if c["id"] == translate.EDITION_ID)
    assert setting["execution_count"] is not None
    setup = next(c for c in cells if c["metadata"].get("nbgrader", {}).get("grade_id")
                 == "a1_setup")
    assert "位客户" in json.dumps(setup["outputs"], ensure_ascii=False)


def test_the_chinese_course_config_is_the_english_one_with_its_own_id():
    assert (ZH / "nbgrader_config.py").read_text(encoding="utf-8") == translate.course_config()
