"""casekit speaks the language set by set_language: labels, plot text, fonts and default data."""

import ast
import doctest
import fnmatch
import importlib
import io
import re
import string
import tomllib
import warnings

import matplotlib
import numpy as np
import pandas as pd
import polib
import pytest
from conftest import ROOT

import casekit
import casekit.widgets
from casekit import _explorer, _i18n
from casekit.plots import plot_clv_distribution, plot_pareto
from casekit.widgets import Explorer

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

CATALOG = ROOT / "casekit" / "locale" / "zh" / "LC_MESSAGES" / "casekit.po"


@pytest.fixture(autouse=True)
def english_after():
    yield
    casekit.set_language("en")


def _fields(text):
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def _t_strings():
    """Every literal passed to _t in casekit's sources, with where it is."""
    found = {}
    for path in sorted((ROOT / "casekit").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "_t"):
                assert len(node.args) == 1 and isinstance(node.args[0], ast.Constant), (
                    f"{path.name}:{node.lineno}: _t takes one string literal")
                found[node.args[0].value] = f"{path.name}:{node.lineno}"
    return found


def test_set_language_switches_and_checks():
    assert casekit.get_language() == "en"
    casekit.set_language("zh")
    assert casekit.get_language() == "zh"
    with pytest.raises(ValueError, match=r"set_language: language must be one of \['en', 'zh'\]; "
                                         r"found 'zh_CN'"):
        casekit.set_language("zh_CN")
    assert casekit.get_language() == "zh"


def test_every_casekit_string_has_a_translation_and_nothing_else_is_in_the_catalog():
    used = _t_strings()
    assert len(used) >= 30
    po = polib.pofile(str(CATALOG))
    entries = {e.msgid: e for e in po}
    missing = sorted(set(used) - set(entries))
    assert missing == [], f"no Chinese for {[(m, used[m]) for m in missing]}"
    assert sorted(set(entries) - set(used)) == [], "catalog entries no code uses"
    for entry in po:
        assert entry.translated() and "fuzzy" not in entry.flags, entry.msgid
        assert _fields(entry.msgstr) == _fields(entry.msgid), entry.msgid


def test_the_catalog_ships_in_the_wheel():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    patterns = config["package-data"]["casekit"]
    rel = CATALOG.relative_to(ROOT / "casekit").as_posix()
    assert any(fnmatch.fnmatch(rel, p) for p in patterns)


def test_plot_text_follows_the_language():
    tx = pd.DataFrame({"customer_id": list("abcde"), "date": "2024-03-01",
                       "amount": [70.0, 15.0, 8.0, 5.0, 2.0]})
    pareto = casekit.abc_pareto(tx)
    assert plot_pareto(pareto).get_ylabel() == "cumulative share of value"
    casekit.set_language("zh")
    ax = plot_pareto(pareto)
    assert ax.get_ylabel() == "累计价值占比"
    assert ax.get_title() == "帕累托曲线"
    ax = plot_clv_distribution(pd.Series([10.0, 20.0, 30.0, 100.0]), bins=4)
    assert ax.get_xlabel() == "客户终身价值"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["均值 40.0", "中位数 25.0"]
    plt.close("all")


def test_explorer_tables_say_yes_and_no_in_chinese():
    casekit.set_language("zh")
    explorer = Explorer(lambda x: pd.Series({"alive": x > 0.5}), {"x": ("slider", 0.8, 0, 1, 0.1)})
    assert "是" in explorer.display.value
    explorer.controls["x"].value = 0.2
    assert "否" in explorer.display.value


def test_a_chinese_label_renders_with_no_missing_glyph():
    # The font is installed by the set-up (fonts-noto-cjk in .ci/run), so this never skips.
    casekit.set_language("zh")
    assert _i18n.cjk_font() is not None, "no CJK font: apt-get install fonts-noto-cjk"
    assert matplotlib.rcParams["font.sans-serif"][0] in _i18n.CJK_FONTS
    fig, ax = plt.subplots()
    ax.set_title("客户终身价值与客户流失")
    ax.set_xlabel("保留率")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" becomes an error
        fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)


def test_without_the_cjk_font_glyphs_are_missing():
    # The same drawing in English fonts warns, so the test above can fail.
    casekit.set_language("en")
    fig, ax = plt.subplots()
    ax.set_title("客户终身价值")
    with pytest.warns(UserWarning, match="missing from font"):
        fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)


def test_english_fonts_come_back():
    keys = ("font.family", "font.sans-serif")
    before = {key: list(matplotlib.rcParams[key]) for key in keys}
    casekit.set_language("zh")
    casekit.set_language("en")
    assert {key: list(matplotlib.rcParams[key]) for key in keys} == before


@pytest.mark.slow
def test_zh_default_data_are_the_english_ones_with_localised_names():
    english = casekit.load_case("catering")
    casekit.set_language("zh")
    chinese = casekit.load_case("catering")
    assert chinese.params["locale"] == "zh_CN"
    assert casekit.load_case("catering", locale="en_US").params["locale"] == "en_US"
    for column in english.truth:
        pd.testing.assert_series_equal(chinese.truth[column], english.truth[column])
    tx_en, tx_zh = english.transactions, chinese.transactions
    assert (tx_en["date"] == tx_zh["date"]).all()
    assert (tx_en["customer_id"] == tx_zh["customer_id"]).all()
    # the same numbers; in the Chinese edition they are called yuan
    pd.testing.assert_series_equal(tx_zh["amount"], tx_en["amount"])
    names = chinese.tables["members"]["name"]
    assert names.str.contains(r"[\u4e00-\u9fff]").all()
    assert not english.tables["members"]["name"].str.contains(r"[\u4e00-\u9fff]").any()
    assert np.array_equal(chinese.truth["alive"], english.truth["alive"])


def test_load_case_checks_the_locale():
    with pytest.raises(ValueError, match=r"load_case: locale must be one of \['en_US', 'zh_CN'\]; "
                                         r"found 'de_DE'"):
        casekit.load_case("catering", locale="de_DE")


CJK = re.compile(r"[\u4e00-\u9fff]")


def _explorers_of_the_examples(name, monkeypatch):
    """Every Explorer the docstring examples of widget ``name`` build (outputs not compared)."""
    made = []
    init = _explorer.Explorer.__init__

    def recording(self, *args, **kwargs):
        init(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(_explorer.Explorer, "__init__", recording)
    func = getattr(casekit.widgets, name)
    module = importlib.import_module(func.__module__)
    (test,) = doctest.DocTestFinder().find(func, name, globs=dict(vars(module)))
    globs = dict(test.globs)
    for example in test.examples:
        if example.exc_msg is None:  # the examples that show an error are left out
            exec(compile(example.source, name, "exec"), globs)
    return made


WIDGETS = [name for name in casekit.widgets.__all__ if name not in ("Explorer", "loss_line")]


@pytest.mark.slow
@pytest.mark.parametrize("name", WIDGETS)
def test_every_widget_speaks_chinese(name, monkeypatch):
    casekit.set_language("zh")
    explorers = _explorers_of_the_examples(name, monkeypatch)
    assert explorers, f"{name}: its examples build no widget"
    for explorer in explorers:
        for control, widget in explorer.controls.items():
            assert CJK.search(widget.description), (
                f"{name}: control {control!r} is labelled {widget.description!r}")
        title = re.sub(r"<style>.*</style>", "", explorer.header.value, flags=re.S)
        assert CJK.search(title), f"{name}: title {title!r}"
    plt.close("all")


def test_a_widget_built_in_chinese_shows_chinese_labels_and_english_ones_stay():
    english = casekit.widgets.clv_formula_explorer()
    casekit.set_language("zh")
    chinese = casekit.widgets.clv_formula_explorer()
    assert english.controls["retention"].description == "retention per period"
    assert chinese.controls["retention"].description == "每期保留率"
    assert "保留率不变时单个客户的终身价值" in chinese.header.value
    # the numbers are the same in both languages
    assert chinese.result.equals(english.result)


def test_table_headers_change_but_formats_follow_the_column():
    frame = pd.DataFrame({"share of customers": [0.25, 0.75]}, index=["a", "b"])
    shown = _explorer.table_html(frame, headers={"share of customers": "客户占比"})
    assert ">客户占比<" in shown and ">25.0%<" in shown
    assert _explorer.table_html(frame) == _explorer.table_html(
        frame, headers={"share of customers": "share of customers"})


def test_a_chinese_loss_line():
    casekit.set_language("zh")
    line = casekit.widgets.loss_line(pd.DataFrame({"profit": [-1.0, 2.0, -3.0]}))
    assert line == "亏损客户：3 位中有 2 位"


def _glossary_terms():
    """Glossary terms of two or more words (the brackets dropped), to their Chinese names."""
    text = (ROOT / "notebooks" / "glossary.md").read_text(encoding="utf-8")
    terms = {}
    for english, chinese in re.findall(r"^\| (.+?) \| (.+?) \|$", text, flags=re.M):
        english = re.sub(r"\s*\(.*?\)", "", english).strip().lower()
        if len(english.split()) >= 2:
            terms[english] = [name.strip() for name in re.split("[；;]", chinese)]
    return terms


def test_the_catalog_uses_the_glossary_terms():
    terms = _glossary_terms()
    assert {"control group", "cost to serve", "customer lifetime value"} <= set(terms)
    used = 0
    for entry in polib.pofile(str(CATALOG)):
        for english, chinese in terms.items():
            if re.search(rf"\b{re.escape(english)}\b", entry.msgid, flags=re.I):
                used += 1
                assert any(name in entry.msgstr for name in chinese), (
                    f"{entry.msgid!r} is {entry.msgstr!r}; the glossary says {chinese}")
    assert used >= 8


def test_drop_down_labels_are_chinese_and_their_values_stay():
    tx = pd.DataFrame({"customer_id": [f"c{i}" for i in range(12)],
                       "date": pd.date_range("2024-01-01", periods=12, freq="W"),
                       "amount": [float(10 + i) for i in range(12)]})
    english = casekit.widgets.rfm_explorer(tx, segment_map="recency only (3 groups)")
    casekit.set_language("zh")
    chinese = casekit.widgets.rfm_explorer(tx, segment_map="recency only (3 groups)")
    menu = chinese.controls["segment_map"]
    assert menu.label == "仅按最近度（3 组）" and menu.value == "recency only (3 groups)"
    assert english.controls["segment_map"].options == (
        "rfm package (10 segments)", "recency x frequency (4 boxes)", "recency only (3 groups)")
    assert chinese.result.equals(english.result)
    menu.value = "rfm package (10 segments)"
    assert chinese.controls["segment_map"].label == "RFM 标准方案（10 个细分）"
