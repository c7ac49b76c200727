"""The Explorer pattern: controls drive a callback whose last result is kept."""

import ipywidgets
import pandas as pd
import pytest

from casekit._explorer import MIN_TRACK_PX, table_html
from casekit.widgets import Explorer


def test_slider_and_dropdown_drive_the_callback():
    calls = []

    def compute(rate, label):
        calls.append((rate, label))
        return pd.DataFrame({"label": [label], "rate": [rate]})

    explorer = Explorer(
        compute,
        {"rate": ("slider", 0.5, 0.0, 1.0, 0.1), "label": ("dropdown", "a", ["a", "b"])},
        title="Demo",
    )
    assert isinstance(explorer.controls["rate"], ipywidgets.FloatSlider)
    assert isinstance(explorer.controls["label"], ipywidgets.Dropdown)
    explorer.controls["label"].value = "b"
    assert explorer.result.loc[0, "label"] == "b"
    assert "<table" in explorer.display.value and ">b<" in explorer.display.value
    assert calls == [(0.5, "a"), (0.5, "b")]
    assert explorer.values == {"rate": 0.5, "label": "b"}


def test_tables_show_large_numbers_in_full():
    table = pd.DataFrame({"n": [4013.0, 12.0], "spend": [1250.5, 12.75]})
    explorer = Explorer(lambda x: table * x, {"x": ("slider", 1, 0, 2, 1)})
    shown = explorer.display.value
    assert '<td class="num">4,013</td>' in shown and '<td class="num">12</td>' in shown
    # one precision per column: enough for the smallest number
    assert ">1,250.5<" in shown and ">12.8<" in shown


def test_tables_show_shares_as_percentages_and_right_align_numbers():
    table = pd.DataFrame({"segment": ["a", "b", "c"], "share": [0.545, 0.0728, 0.000913],
                          "rate": [0.5, float("nan"), 1.0]}).set_index("segment")
    shown = table_html(table)
    assert ">54.5%<" in shown and ">7.3%<" in shown and ">0.1%<" in shown
    assert ">50.0%<" in shown and ">–<" in shown and ">100.0%<" in shown
    assert '<th class="num">share</th>' in shown and '<th class="text">segment</th>' in shown
    assert '<th class="text">a</th>' in shown and "e-0" not in shown


def test_series_rows_are_formatted_each_by_its_name():
    result = pd.Series({"members": 40.0, "value_share": 0.81, "margin": 12345.678,
                        "rate per week": 1.5}, name="top")
    shown = table_html(result)
    assert ">40<" in shown and ">81.0%<" in shown and ">12,346<" in shown
    assert ">1.50<" in shown and '<th class="num">top</th>' in shown


def test_explicit_formats_win():
    shown = table_html(pd.DataFrame({"clv": [1234.5]}), {"clv": "{:,.0f} EUR"})
    assert ">1,234 EUR<" in shown or ">1,235 EUR<" in shown


def test_figure_is_redrawn_on_every_move():
    drawn = []

    def draw(result, fig):
        drawn.append(result)
        fig.add_subplot().bar(["a"], [result])

    explorer = Explorer(lambda x: x, {"x": ("slider", 1, 0, 2, 1)}, figure=draw)
    explorer.controls["x"].value = 2
    assert drawn == [1, 2]
    assert explorer.display.value.startswith('<img class="casekit-figure"')
    assert explorer.display.value.endswith("<pre>2</pre>")


def test_sliders_take_the_full_width_with_a_minimum_track():
    explorer = Explorer(lambda x: x, {"x": ("slider", 1, 0, 2, 1)}, title="T")
    assert explorer.controls["x"].layout.width == "100%"
    assert "casekit-explorer" in explorer.widget._dom_classes
    assert f"min-width: {MIN_TRACK_PX}px" in explorer.header.value


def test_int_slider_and_ready_made_widgets():
    box = ipywidgets.Text(value="x")
    explorer = Explorer(lambda n, text: text * n, {"n": ("slider", 2, 1, 5, 1), "text": box})
    assert isinstance(explorer.controls["n"], ipywidgets.IntSlider)
    box.value = "ab"
    assert explorer.result == "abab"
    assert explorer.display.value == "<pre>abab</pre>"


def test_renders_in_a_notebook():
    bundle = Explorer(lambda x: x, {"x": ("slider", 1, 0, 2, 1)})._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_unknown_control_kind():
    with pytest.raises(ValueError, match="Explorer: control kind must be 'slider' or 'dropdown'"):
        Explorer(lambda x: x, {"x": ("knob", 1)})
