"""The bilingual glossary (notebooks/glossary.md) names every Chinese term the notebooks use."""

import json
import re

import polib
from conftest import NOTEBOOKS, ROOT

GLOSSARY = ROOT / "notebooks" / "glossary.md"
_HAN = re.compile(r"[\u4e00-\u9fff]")
# A bracket with Chinese in it: "Identify (客户识别)", "(MA, 营销自动化: plan, run...)".
_BRACKET = re.compile(r"[(（]([^()（）]*[\u4e00-\u9fff][^()（）]*)[)）]")


def glossary() -> dict[str, str]:
    """Each Chinese name in the glossary's tables (alternatives split), to its English."""
    names = {}
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("| ") or len(cells) != 2 or cells[0] in ("English", "---"):
            continue
        english, chinese = cells
        for name in re.split(r"[；：、，（）]", chinese):
            if _HAN.search(name):
                names[name.strip()] = english
    return names


def bracketed_terms(text: str) -> set[str]:
    """The Chinese terms written in brackets in ``text``, split at commas and colons."""
    terms = set()
    for match in _BRACKET.finditer(text):
        for part in re.split(r"[,，:：]", match.group(1)):
            part = " ".join(part.split())
            if _HAN.search(part):
                terms.add(part)
    return terms


def _markdown(path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def test_the_glossary_is_large_enough():
    table_rows = [line for line in GLOSSARY.read_text(encoding="utf-8").splitlines()
                  if line.startswith("| ") and not line.startswith("| English")]
    assert len(table_rows) >= 60
    for term in ("客户识别", "客户区分", "客户互动", "客户定制", "客户终身价值", "记录链接",
                 "精确率", "召回率", "对照组", "提升度", "置信区间", "混杂因素", "删失",
                 "交叉销售", "客户体验", "麦肯锡7S模型", "客户流失", "客户保留", "业务流程再造"):
        assert term in glossary(), term


def test_every_bracketed_term_in_the_notebooks_is_in_the_glossary():
    names = glossary()
    missing = {}
    for path in NOTEBOOKS:
        for term in bracketed_terms(_markdown(path)) - set(names):
            missing.setdefault(term, path.name)
    assert missing == {}, f"add these to notebooks/glossary.md: {missing}"


def test_the_term_finder_finds_terms():
    text = "Identify (客户识别), MA (MA, 营销自动化: plan, run) and (no Chinese) and (新词)"
    assert bracketed_terms(text) == {"客户识别", "营销自动化", "新词"}
    assert "新词" not in glossary()


def test_the_glossary_is_linked_from_the_readme_and_the_chinese_edition():
    assert "notebooks/glossary.md" in (ROOT / "README.md").read_text(encoding="utf-8")
    zh = (ROOT / "notebooks-zh" / "00-start-here.ipynb").read_text(encoding="utf-8")
    assert "glossary.md" in zh


# Names the Chinese edition rejected for a concept, with the glossary's choice. Each rule is
# (rejected, chosen, English word that must be in the source for the rule to apply, or None,
# English word whose presence exempts the entry, or None).
REJECTED = [
    ("保户", "投保人", None, None),
    ("退保", "不续保", "laps", None),          # lapse is not renewing; 退保 is surrender
    ("数据说明卡", "数据卡片", None, None),
    ("销售漏斗", "销售管道", None, "funnel"),  # a pipeline is not a funnel
    ("受管制", "管制市场", None, None),
    ("搬离", "迁出", None, None),
    ("接触历史", "接触记录", None, None),
    ("课后总结", "复盘", None, None),
    ("中等客户", "中客户", None, None),
    ("中型客户", "中客户", None, None),
    ("顶级客户", "顶层客户", None, None),
    ("催缴", "催收", None, None),
    ("调查评分", "调查得分", None, None),
]
CATALOGS = sorted((ROOT / "i18n" / "zh").rglob("*.po"))


def rejected_variants(english: str, chinese: str) -> list[tuple[str, str]]:
    """The (rejected, chosen) names of ``REJECTED`` that a translation ``chinese`` uses."""
    found = []
    for rejected, chosen, needs, exempt in REJECTED:
        if rejected not in chinese:
            continue
        if needs and needs not in english.lower():
            continue
        if exempt and exempt in english.lower():
            continue
        found.append((rejected, chosen))
    return found


def test_each_chosen_name_comes_first_in_its_glossary_row():
    firsts = set()
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| ") and len(cells) == 2:
            firsts.add(re.split(r"[；]", cells[1])[0].strip())
    chosen = {c for _, c, _, _ in REJECTED} - {"管制市场"}
    assert chosen - firsts == set()
    assert "管制市场" in firsts and "开放市场" in firsts and "销售漏斗" in firsts


def test_the_variant_finder_finds_rejected_names():
    assert rejected_variants("Holders renew.", "保户每年续保。") == [("保户", "投保人")]
    assert rejected_variants("lapse probability", "退保概率") == [("退保", "不续保")]
    assert rejected_variants("surrender value", "退保价值") == []
    assert rejected_variants("no pipeline", "没有销售漏斗") == [("销售漏斗", "销售管道")]
    assert rejected_variants("a real funnel", "真正的销售漏斗") == []
    assert rejected_variants("Holders renew.", "投保人每年续保。") == []


def test_the_chinese_catalogs_use_the_glossarys_chosen_names():
    assert len(CATALOGS) >= 15
    found = {}
    for path in CATALOGS:
        for entry in polib.pofile(str(path), wrapwidth=0):
            for rejected, chosen in rejected_variants(entry.msgid, entry.msgstr):
                where = f"{path.relative_to(ROOT)} [{entry.msgctxt}]"
                found.setdefault(where, []).append(f"{rejected} -> {chosen}")
    assert found == {}, f"use the glossary's names (notebooks/glossary.md): {found}"
