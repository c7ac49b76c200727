"""The Chinese data cards: every line translated, the English card's numbers, English unchanged."""

from __future__ import annotations

import json
import re
import string

import pytest
from conftest import ROOT

import casekit
from casekit import _cards, _cards_zh, _cases

VARIANTS = [
    (name, options)
    for name in casekit.list_cases()
    for options in ([{"market": "deregulated"}, {"market": "regulated"}]
                    if name == "utility" else [{}])
]
IDS = [f"{n}-{o.get('market', 'default')}" for n, o in VARIANTS]
CJK = re.compile(r"[\u4e00-\u9fff]")
CODE = re.compile(r"`[^`]*`")
# Three English words in a row, outside code spans: English prose.
PROSE = re.compile(r"\b[A-Za-z]+(?: [A-Za-z]+){2}\b")


@pytest.mark.parametrize(("name", "options"), VARIANTS, ids=IDS)
def test_the_zh_card_is_chinese_line_by_line(name, options):
    english = _cards.english(name, locale="zh_CN", options=options).split("\n")
    chinese = _cards.render(name, locale="zh_CN", options=options).split("\n")
    assert len(chinese) == len(english)
    for i, (en, zh) in enumerate(zip(english, chinese, strict=True)):
        if _cards_zh.SAME.fullmatch(_cards_zh.split(en)[0]):
            assert zh == en
            continue
        assert CJK.search(zh), zh
        assert not PROSE.search(CODE.sub("", zh)), zh
        # the same values (numbers, dates, percentages, quoted names), formatted the same
        assert set(_cards_zh.split(zh)[1]) == set(_cards_zh.split(en)[1]), (en, zh)
        # the same code spans and the same table shape
        assert set(CODE.findall(en)) <= set(CODE.findall(zh)), (en, zh)
        # the same markdown structure: heading level, list item, table row and its first cell
        assert re.match(r"#*|- |  ", zh).group() == re.match(r"#*|- |  ", en).group()
        assert zh.count("|") == en.count("|")
        if not english[i + 1].startswith("|---"):
            assert zh.split("|")[1:2] == en.split("|")[1:2]  # a column name stays


@pytest.mark.parametrize(("name", "options"), VARIANTS, ids=IDS)
def test_headings_and_currency_in_chinese(name, options):
    card = _cards.render(name, locale="zh_CN", options=options)
    for heading in ["## 行为模型", "## 真实值的假设", "## 数据表", "## 真实值（`case.truth`",
                    "## 脏数据版本（`dirty=True`）", "## 已知的特殊之处", "| 列 | 含义 |"]:
        assert f"\n{heading}" in card
    assert "- 货币：CNY（人民币元" in card
    assert "Reading" not in card and "阅读材料 " in card


@pytest.mark.parametrize(("name", "options"), VARIANTS, ids=IDS)
def test_english_cards_are_untouched(name, options):
    card = _cards.render(name, locale="en_US", options=options)
    assert card == _cards.english(name, locale="en_US", options=options)
    assert not CJK.search(card)
    assert "## What the truth assumes" in card and "- Currency: USD." in card


def test_every_chinese_line_is_used_and_takes_all_its_values():
    used = set()
    for name, options in VARIANTS:
        used |= {_cards_zh.split(line)[0]
                 for line in _cards.english(name, locale="zh_CN", options=options).split("\n")}
    assert sorted(set(_cards_zh.LINES) - used) == []
    for key, text in _cards_zh.LINES.items():
        slots = key.count("{}")
        values = [f"<{i}>" for i in range(slots)]
        filled = text.format(*values)
        assert all(v in filled for v in values), key
        fields = [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]
        assert len(fields) >= slots, key


def test_a_new_english_line_without_chinese_fails():
    card = _cards.english("catering", locale="zh_CN") + "\n- A new sentence about 5 members."
    with pytest.raises(KeyError, match=r"render: the card line '- A new sentence about 5 "
                                       r"members\.' has no Chinese text"):
        _cards_zh.translate(card)


def test_generate_and_cli_write_the_chinese_card(tmp_path):
    case = casekit.generate_case("catering", n_customers=60, seed=2, locale="zh_CN")
    assert case.card == _cards.render("catering", locale="zh_CN")
    _cases.write_case(case, tmp_path / "out", formats=("csv",))
    assert (tmp_path / "out" / "card.md").read_text(encoding="utf-8") == case.card


SMALL = {"n_customers": 30, "seed": 3, "locale": "en_US", "options": {}}


def test_load_case_zh_in_the_repository_keeps_one_card(tmp_path, monkeypatch):
    """With a manifest the zh_CN folder, like the default one, holds no card.md."""
    folder = tmp_path / "datasets"
    folder.mkdir()
    manifest = {"casekit_version": casekit.__version__, "cases": {"catering": SMALL}}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    monkeypatch.setattr(_cases, "_repo_datasets", lambda: folder)
    case = casekit.load_case("catering", locale="zh_CN")
    assert (folder / "catering-zh_CN" / "stamp.json").is_file()
    assert not (folder / "catering-zh_CN" / "card.md").exists()
    assert case.card == _cards.render("catering", locale="zh_CN")
    assert "## 真实值的假设" in case.card


def test_load_case_zh_outside_the_repository_writes_the_chinese_card(tmp_path, monkeypatch):
    monkeypatch.setattr(_cases, "_repo_datasets", lambda: tmp_path / "no-repo")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setitem(_cases.DEFAULTS, "catering",
                        {"n_customers": 30, "seed": 3, "locale": "en_US"})
    case = casekit.load_case("catering", locale="zh_CN")
    written = (_cases._cache_root() / "catering-zh_CN" / "card.md").read_text(encoding="utf-8")
    assert written == case.card == _cards.render("catering", locale="zh_CN")
    assert not (_cases._cache_root() / "catering").exists()


def test_committed_english_cards_stay_english():
    manifest = json.loads((ROOT / "datasets" / "manifest.json").read_text(encoding="utf-8"))
    for name in casekit.list_cases():
        params = manifest["cases"][name]
        text = (ROOT / "datasets" / f"{name}.md").read_text(encoding="utf-8")
        assert text == _cards.english(name, locale=params["locale"], options=params["options"])
        assert not CJK.search(text)
