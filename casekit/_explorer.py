"""The one pattern behind every widget in the course.

Every explorer is an :class:`Explorer`: named controls, a callback that calls
public casekit analytics and nothing else, and a ``result`` holding what the
callback computed last.  That makes each one testable without a browser: set a
control's ``.value``, then read ``.result``.

>>> from casekit.widgets import Explorer
>>> square = Explorer(lambda x: x * x, {"x": ("slider", 3, 0, 10, 1)})
>>> square.result
9
>>> square.controls["x"].value = 4
>>> square.result
16
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping

import pandas as pd


def _ipywidgets():
    try:
        import ipywidgets
    except ImportError:  # pragma: no cover - ipywidgets is a dependency, but can be removed
        raise ImportError(
            "casekit.widgets needs ipywidgets; install it with `pip install ipywidgets` "
            "or run `make lab`"
        ) from None
    return ipywidgets


def _control(spec):
    """Build a control from a short spec, or pass a ready-made widget through.

    ``("slider", value, min, max, step)`` gives a FloatSlider (an IntSlider when
    all numbers are ints); ``("dropdown", value, options)`` gives a Dropdown.
    """
    widgets = _ipywidgets()
    if isinstance(spec, widgets.Widget):
        return spec
    kind, value, *rest = spec
    if kind == "slider":
        low, high, step = rest
        numbers = (value, low, high, step)
        cls = widgets.IntSlider if all(isinstance(n, int) for n in numbers) else widgets.FloatSlider
        return cls(value=value, min=low, max=high, step=step, continuous_update=False)
    if kind == "dropdown":
        (options,) = rest
        return widgets.Dropdown(value=value, options=options)
    raise ValueError(f"Explorer: control kind must be 'slider' or 'dropdown'; found {kind!r}")


def _number(value: float) -> str:
    """Large numbers in full with separators (4,013), small ones to 3 significant digits."""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def _to_html(result) -> str:
    if isinstance(result, pd.DataFrame | pd.Series):
        frame = result.to_frame() if isinstance(result, pd.Series) else result
        return frame.to_html(float_format=_number, border=0)
    return f"<pre>{html.escape(str(result))}</pre>"


class Explorer:
    """Controls, one callback, and the last result, shown as an HTML block.

    Parameters
    ----------
    compute : callable
        Called with the controls' values as keyword arguments; it returns the
        result to show (a DataFrame, a Series, a number or text).
    controls : mapping of name to control spec or ipywidgets widget
        See ``_control`` for the short specs.
    render : callable, optional
        Turns the result into HTML; by default tables become HTML tables and
        anything else is shown as text.
    title : str, optional
        A line of text above the controls.
    """

    def __init__(
        self,
        compute: Callable,
        controls: Mapping,
        render: Callable | None = None,
        title: str | None = None,
    ):
        widgets = _ipywidgets()
        self._compute = compute
        self._render = render or _to_html
        self.controls = {name: _control(spec) for name, spec in controls.items()}
        for name, control in self.controls.items():
            if not control.description:
                control.description = name.replace("_", " ")
            control.style = {"description_width": "initial"}
            control.observe(self._update, names="value")
        self.display = widgets.HTML()
        header = [widgets.HTML(f"<b>{html.escape(title)}</b>")] if title else []
        self.widget = widgets.VBox([*header, *self.controls.values(), self.display])
        self.result = None
        self._update()

    @property
    def values(self) -> dict:
        """The controls' current values, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def _update(self, change=None):
        self.result = self._compute(**self.values)
        self.display.value = self._render(self.result)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)
