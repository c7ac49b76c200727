"""The Explorer pattern: controls drive a callback whose last result is kept."""

import ipywidgets
import pandas as pd
import pytest

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
    table = pd.DataFrame({"n": [4013.0, 0.01234]})
    explorer = Explorer(lambda x: table * x, {"x": ("slider", 1, 0, 2, 1)})
    assert ">4,013<" in explorer.display.value and ">0.0123<" in explorer.display.value


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
