"""The bilingual glossary (notebooks/glossary.md) names every Chinese term the notebooks use."""

import json
import re

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
