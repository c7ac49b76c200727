"""The Chinese edition cannot drift from the English one.

Every English notebook with a catalog in i18n/zh/ has a complete, current
catalog (no missing, fuzzy, stale or obsolete entry), and its built copy in
notebooks-zh/ is what scripts/translate.py makes from the two: translated
markdown, the same code cells except for the declared edition cell and the
catalog's declared changes inside strings and comments.
"""

import copy
import sys

import nbformat
import polib
import pytest
from conftest import ROOT
from notebook_rules import SECTIONS_ZH, TEACHING_SECTIONS_ZH, notebook_problems
from test_student_voice import problems as voice_problems

sys.path.insert(0, str(ROOT / "scripts"))
import translate  # noqa: E402

TRANSLATED = translate.translated_notebooks()
NOTEBOOKS_ZH = [p for p in TRANSLATED if p.suffix == ".ipynb"]
DOCUMENTS_ZH = [p for p in TRANSLATED if p.suffix == ".md"]


def _rel(path):
    return str(path.relative_to(ROOT / "notebooks"))


def _pair(path):
    rel = path.relative_to(translate.SOURCE)
    english = nbformat.read(path, as_version=4)
    chinese = nbformat.read(translate.target_path(rel), as_version=4)
    return rel, english, chinese


def test_the_first_notebook_and_the_reading_list_are_translated():
    assert ROOT / "notebooks" / "00-start-here.ipynb" in NOTEBOOKS_ZH
    assert ROOT / "notebooks" / "readings.md" in DOCUMENTS_ZH


@pytest.mark.parametrize("path", TRANSLATED, ids=_rel)
def test_catalog_is_complete_and_current(path):
    rel = path.relative_to(translate.SOURCE)
    assert translate.catalog_problems(translate.read_source(path),
                                      translate.read_catalog(rel)) == []


@pytest.mark.parametrize("path", DOCUMENTS_ZH, ids=_rel)
def test_built_document_is_up_to_date_and_speaks_to_students(path):
    rel = path.relative_to(translate.SOURCE)
    expected = translate.document_edition(translate.read_source(path),
                                          translate.read_catalog(rel))
    built = translate.target_path(rel).read_text(encoding="utf-8")
    assert built == expected, "notebooks-zh is out of date: run make notebooks-zh"
    assert voice_problems(built) == []


def test_make_test_runs_strict_nbval_over_both_editions():
    makefile = (ROOT / "Makefile").read_text()
    target = makefile.split("\nnotebook-tests:", 1)[1].split("\n\n", 1)[0]
    assert "$(NBVAL)" in target and " notebooks notebooks-zh " in target


def test_a_long_heading_gives_a_short_section_key():
    text = "# " + "word " * 30 + "\nand a second line\n\nOne.\n"
    cells = translate.document_cells(text).cells
    assert all(len(c.id) <= 64 for c in cells) and cells[1].id.startswith("word-word")


def test_a_document_splits_into_keyed_paragraphs_and_back():
    text = "# Title\n\nOne.\n\n## Part two\n\n- a\n- b\n\nEnd.\n"
    cells = translate.document_cells(text).cells
    assert [c.id for c in cells] == ["title_0", "title_1", "part-two_0", "part-two_1",
                                     "part-two_2"]
    assert "\n\n".join(c.source for c in cells) + "\n" == text


@pytest.mark.parametrize("path", NOTEBOOKS_ZH, ids=_rel)
def test_built_edition_is_up_to_date(path):
    rel, english, chinese = _pair(path)
    expected = translate.edition(english, translate.read_catalog(rel), rel)
    assert [c.source for c in chinese.cells] == [c.source for c in expected.cells], (
        "notebooks-zh is older than its English notebook or catalog: run make notebooks-zh")
    assert [c.id for c in chinese.cells] == [c.id for c in expected.cells]


@pytest.mark.parametrize("path", NOTEBOOKS_ZH, ids=_rel)
def test_code_cells_differ_only_by_the_declared_setting(path):
    _, english, chinese = _pair(path)
    code_en = [c for c in english.cells if c.cell_type == "code"]
    code_zh = [c for c in chinese.cells if c.cell_type == "code"]
    assert code_zh[0].id == translate.EDITION_ID
    assert code_zh[0].source == translate.EDITION_SOURCE
    assert [c.id for c in code_zh[1:]] == [c.id for c in code_en]
    for en, zh in zip(code_en, code_zh[1:], strict=True):
        assert translate.code_skeleton(zh.source) == translate.code_skeleton(en.source), en.id
        assert zh.metadata.get("tags", []) == en.metadata.get("tags", []), en.id
    # the same number of markdown cells, in the same places
    assert [c.cell_type for c in chinese.cells if c.id != translate.EDITION_ID] == [
        c.cell_type for c in english.cells]


@pytest.mark.parametrize("path", NOTEBOOKS_ZH, ids=_rel)
def test_edition_follows_the_notebook_rules(path):
    rel = path.relative_to(translate.SOURCE)
    target = translate.target_path(rel)
    assert notebook_problems(target) == []
    cells = nbformat.read(target, as_version=4).cells
    text = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    assert voice_problems(text) == []
    names = (TEACHING_SECTIONS_ZH if "teaching-notes" in rel.parts else SECTIONS_ZH)
    for english, chinese in names.items():  # headings are translated, not left in English
        assert f"## {english}\n" not in text
        assert f"## {chinese}" in text


@pytest.mark.parametrize("path", NOTEBOOKS_ZH, ids=_rel)
def test_edition_runs_in_chinese_on_zh_cn_data(path):
    _, _, chinese = _pair(path)
    outputs = "".join(str(o) for c in chinese.cells if c.cell_type == "code"
                      for o in c.get("outputs", []))
    assert any("\u4e00" <= ch <= "\u9fff" for ch in outputs)
    assert chinese.metadata["casekit"] == {"edition": "zh",
                                           "source": f"notebooks/{_rel(path)}"}


# --- the checks can fail ----------------------------------------------------------------

def _toy():
    cells = [
        nbformat.v4.new_markdown_cell("## Learning goals\n\nRun a cell."),
        nbformat.v4.new_code_cell('print("hello")  # greet'),
        nbformat.v4.new_markdown_cell("## Summary\n\nYou ran a cell."),
    ]
    for number, cell in enumerate(cells):
        cell.id = f"cell{number}"
    return nbformat.v4.new_notebook(cells=cells)


def _catalog(notebook):
    po = translate.new_catalog(translate.Path("toy.ipynb"))
    translate.update_catalog(notebook, po)
    texts = ["## 学习目标\n\n运行一个单元格。", "## 小结\n\n你运行了一个单元格。"]
    for entry, text in zip(po, texts, strict=True):
        entry.msgstr = text
    po.append(polib.POEntry(msgctxt="cell1:code", msgid="hello", msgstr="你好"))
    return po


def test_a_complete_toy_catalog_builds():
    notebook = _toy()
    po = _catalog(notebook)
    assert translate.catalog_problems(notebook, po) == []
    out = translate.edition(notebook, po, translate.Path("toy.ipynb"))
    assert [c.source for c in out.cells] == [
        "## 学习目标\n\n运行一个单元格。", translate.EDITION_SOURCE, 'print("你好")  # greet',
        "## 小结\n\n你运行了一个单元格。"]


def test_changed_english_marks_the_translation_fuzzy():
    notebook = _toy()
    po = _catalog(notebook)
    notebook.cells[2].source = "## Summary\n\nYou ran two cells."
    notebook.cells.append(nbformat.v4.new_markdown_cell("A new cell."))
    notebook.cells[-1].id = "cell3"
    assert "the English cell changed since extraction (stale)" in "\n".join(
        translate.catalog_problems(notebook, po))
    counts = translate.update_catalog(notebook, po)
    assert counts == {"added": 1, "fuzzy": 1, "dropped": 0}
    entry = next(e for e in po if e.msgctxt == "cell2")
    assert "fuzzy" in entry.flags
    assert entry.previous_msgid == "## Summary\n\nYou ran a cell."
    assert entry.msgstr == "## 小结\n\n你运行了一个单元格。"
    found = translate.catalog_problems(notebook, po)
    assert found == ["entry 'cell2' is fuzzy: the English changed, review the translation",
                     "entry 'cell3' has no translation"]
    with pytest.raises(SystemExit, match="the catalog is not complete"):
        translate.edition(notebook, po, translate.Path("toy.ipynb"))


def test_deleted_cells_are_obsolete_then_dropped():
    notebook = _toy()
    po = _catalog(notebook)
    del notebook.cells[1:]
    assert translate.catalog_problems(notebook, po) == [
        "entry 'cell2' names no markdown cell of the notebook (obsolete)",
        "entry 'cell1:code' names no code cell of the notebook (obsolete)"]
    assert translate.update_catalog(notebook, po)["dropped"] == 2
    assert [e.msgctxt for e in po] == ["cell0"]


def test_missing_and_stale_code_entries_fail():
    notebook = _toy()
    po = _catalog(notebook)
    po.remove(next(e for e in po if e.msgctxt == "cell0"))
    notebook.cells[1].source = 'print("goodbye")'
    assert translate.catalog_problems(notebook, po) == [
        "entry 'cell1:code': its English text is no longer in the code (stale)",
        "markdown cell 'cell0' has no entry (missing)"]


def test_a_code_entry_that_changes_the_code_is_refused():
    notebook = _toy()
    po = _catalog(notebook)
    po.append(polib.POEntry(msgctxt="cell1:code", msgid="print", msgstr="len"))
    with pytest.raises(SystemExit, match="change more than the text of its strings"):
        translate.edition(notebook, po, translate.Path("toy.ipynb"))


def test_the_real_catalog_broken_fails():
    path = NOTEBOOKS_ZH[0]
    rel = path.relative_to(translate.SOURCE)
    notebook = nbformat.read(path, as_version=4)
    po = translate.read_catalog(rel)
    broken = copy.deepcopy(po)
    broken[0].msgstr = ""
    broken[1].flags.append("fuzzy")
    found = translate.catalog_problems(notebook, broken)
    assert len(found) == 2 and "no translation" in found[0] and "fuzzy" in found[1]


@pytest.mark.parametrize("english,changed", [
    ('x = f"{a:.0%} left"', 'x = f"{b:.0%} left"'),
    ('x = f"{a:.0%} left"', 'x = "{a:.0%} left"'),
    ("total = orders.sum()", "total = orders.mean()"),
    ("total = 1", "total = 2"),
])
def test_the_skeleton_sees_code_changes(english, changed):
    assert translate.code_skeleton(english) != translate.code_skeleton(changed)


def test_the_skeleton_ignores_text_and_comments():
    assert translate.code_skeleton('x = f"{a:.0%} left"  # note') == translate.code_skeleton(
        'x = f"还剩 {a:.0%}"  # 注释')
