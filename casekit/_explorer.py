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

import base64
import html
import io
import math
import re
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from casekit._i18n import _t


def _ipywidgets():
    try:
        import ipywidgets
    except ImportError:  # pragma: no cover - ipywidgets is a dependency, but can be removed
        raise ImportError(
            "casekit.widgets needs ipywidgets; install it with `pip install ipywidgets` "
            "or run `make lab`"
        ) from None
    return ipywidgets


#: The narrowest a slider's track may be, in CSS pixels: narrower, and a small move of
#: the mouse jumps across the whole range.
MIN_TRACK_PX = 240

# ipywidgets gives every control a fixed width of about 300 px, label included, so a long
# description leaves the track a few pixels.  Inside an explorer a control takes the full
# width, its label keeps its natural width, and the track keeps MIN_TRACK_PX: when the row
# is too narrow for both, the track wraps onto its own line below the label.
_STYLE = f"""<style>
.casekit-explorer {{ width: 100%; max-width: 60em; }}
.casekit-explorer .widget-hslider {{ width: 100%; height: auto; flex-wrap: wrap; }}
.casekit-explorer .widget-hslider > .widget-label {{ width: auto; max-width: 100%; }}
.casekit-explorer .widget-hslider .slider-container {{
  flex: 1 1 {MIN_TRACK_PX}px; min-width: {MIN_TRACK_PX}px; }}
.casekit-explorer .widget-dropdown {{ width: auto; max-width: 100%; }}
.casekit-explorer .widget-dropdown > select {{ flex: 0 1 auto; width: auto; min-width: 10em; }}
.casekit-table {{ border-collapse: collapse; font-variant-numeric: tabular-nums; }}
.casekit-table th, .casekit-table td {{ padding: 2px 10px; border-bottom: 1px solid #ddd; }}
.casekit-table thead th {{ border-bottom: 2px solid #999; vertical-align: bottom; }}
.casekit-table .num {{ text-align: right; }}
.casekit-table .text {{ text-align: left; }}
</style>"""


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


# Names of quantities that are shares of a whole (or differences of shares), shown as
# percentages when every value lies in [-1, 1].
_PERCENT = re.compile(
    r"share|rate|precision|recall|retention|truly|alive|prob|lift|churn|^S_\d+$|^p_|_p$",
    re.IGNORECASE,
)


def column_format(name, values) -> str:
    """The one format for a column of numbers called ``name``.

    Shares (by name) as percentages, whole numbers with thousands separators, other
    numbers with the decimals that give the smallest of them three significant digits
    (at most four decimals).

    Examples
    --------
    >>> column_format("share of customers", [0.545, 0.0728, 0.000913])
    '{:.1%}'
    >>> column_format("customers", [4013.0, 12.0])
    '{:,.0f}'
    >>> column_format("mean spend", [1250.5, 12.5])
    '{:,.1f}'
    """
    values = np.asarray(values, dtype=float)
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return "{:,.0f}"
    if _PERCENT.search(str(name)) and np.all(np.abs(finite) <= 1.0):
        return "{:.1%}"
    if np.all(finite == np.round(finite)):
        return "{:,.0f}"
    # three significant digits for the smallest number, so that no value shows as 0
    smallest = float(np.abs(finite[finite != 0]).min())
    decimals = min(4, max(0, 2 - math.floor(math.log10(smallest))))
    return f"{{:,.{decimals}f}}"


def _formatter(fmt) -> Callable:
    return fmt if callable(fmt) else fmt.format


def _cell(value, fmt) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, bool | np.bool_):
        return _t("yes") if value else _t("no")
    return html.escape(_formatter(fmt)(value))


def _is_number(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def table_html(result, formats: Mapping | None = None, headers: Mapping | None = None) -> str:
    """A DataFrame or Series as a styled HTML table.

    Numbers are right-aligned under right-aligned headers, with thousands separators and
    one format per column (:func:`column_format`, or ``formats[column]``: a format string
    such as ``"{:.2%}"`` or a callable).  A Series is shown as one row per entry, each
    formatted by its own name.  Missing values show as a dash.  ``headers`` maps
    a column to the header shown for it (the format still follows the column's name).

    Examples
    --------
    >>> frame = pd.DataFrame({"customers": [4013, 12], "share": [0.997, 0.003]},
    ...                      index=pd.Index(["A", "B"], name="tier"))
    >>> shown = table_html(frame)
    >>> ">4,013<" in shown and ">99.7%<" in shown and ">0.3%<" in shown
    True
    """
    formats = dict(formats or {})
    headers = dict(headers or {})
    head = ['<table class="casekit-table">', "<thead><tr>"]
    if isinstance(result, pd.Series):
        label = html.escape(str(result.name)) if result.name is not None else ""
        index_name = result.index.name or ""
        head.append(f'<th class="text">{html.escape(str(index_name))}</th>'
                    f'<th class="num">{label}</th></tr></thead><tbody>')
        rows = []
        for key, value in result.items():
            number = isinstance(value, int | float | np.number) and not isinstance(
                value, bool | np.bool_)
            fmt = formats.get(key) or (column_format(key, [value]) if number else "{}")
            rows.append(f'<tr><th class="text">{html.escape(str(key))}</th>'
                        f'<td class="{"num" if number else "text"}">{_cell(value, fmt)}</td></tr>')
        return "".join(head + rows) + "</tbody></table>"
    frame = result
    names = [n for n in frame.index.names if n is not None]
    head.append(f'<th class="text">{html.escape(", ".join(map(str, names)))}</th>')
    kinds, fmts = {}, {}
    for column in frame.columns:
        number = _is_number(frame[column])
        kinds[column] = "num" if number else "text"
        fmts[column] = formats.get(column) or (
            column_format(column, frame[column]) if number else "{}")
        shown = headers.get(column, column)
        head.append(f'<th class="{kinds[column]}">{html.escape(str(shown))}</th>')
    head.append("</tr></thead><tbody>")
    rows = []
    for key, row in zip(frame.index, frame.itertuples(index=False, name=None), strict=True):
        key = ", ".join(map(str, key)) if isinstance(key, tuple) else str(key)
        cells = "".join(f'<td class="{kinds[c]}">{_cell(v, fmts[c])}</td>'
                        for c, v in zip(frame.columns, row, strict=True))
        rows.append(f'<tr><th class="text">{html.escape(key)}</th>{cells}</tr>')
    return "".join(head + rows) + "</tbody></table>"


def _to_html(result) -> str:
    if isinstance(result, pd.DataFrame | pd.Series):
        return table_html(result)
    return f"<pre>{html.escape(str(result))}</pre>"


def new_figure(width: float = 6.5, height: float = 2.8):
    """A matplotlib Figure outside pyplot, so that a redraw never shows up twice.

    Fixed margins leave room for tick labels of about 20 characters on the left; an
    automatic layout would double the time of a redraw.
    """
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=80)
    figure.subplots_adjust(left=0.24, right=0.97, bottom=0.19, top=0.95)
    return figure


def figure_html(figure) -> str:
    """A matplotlib Figure as an inline PNG image."""
    buffer = io.BytesIO()
    # light compression: the image is redrawn on every move and never stored for long
    figure.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img class="casekit-figure" alt="figure" src="data:image/png;base64,{data}">'


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
        Turns the result into HTML; by default tables become styled HTML tables
        (:func:`table_html`) and anything else is shown as text.
    title : str, optional
        A line of text above the controls.
    figure : callable, optional
        Draws the result: called with ``result`` and a fresh matplotlib Figure
        (see :func:`new_figure`), it draws on the figure; the picture is shown
        above the table and redrawn on every move.

    Examples
    --------
    >>> import pandas as pd
    >>> def draw(result, fig):
    ...     fig.add_subplot().bar(result.index, result)
    >>> shares = Explorer(lambda top: pd.Series({"top": top, "rest": 1 - top}),
    ...                   {"top": ("slider", 0.2, 0.0, 1.0, 0.1)}, figure=draw)
    >>> shares.display.value.startswith("<img")
    True
    """

    def __init__(
        self,
        compute: Callable,
        controls: Mapping,
        render: Callable | None = None,
        title: str | None = None,
        figure: Callable | None = None,
    ):
        widgets = _ipywidgets()
        self._compute = compute
        self._render = render or _to_html
        self._figure = figure
        self.controls = {name: _control(spec) for name, spec in controls.items()}
        for name, control in self.controls.items():
            if not control.description:
                control.description = name.replace("_", " ")
            control.style = {"description_width": "initial"}
            if isinstance(control, widgets.IntSlider | widgets.FloatSlider):
                control.layout.width = "100%"
            control.observe(self._update, names="value")
        self.display = widgets.HTML()
        heading = f"<b>{html.escape(title)}</b>" if title else ""
        self.header = widgets.HTML(_STYLE + heading)
        self.widget = widgets.VBox([self.header, *self.controls.values(), self.display])
        self.widget.add_class("casekit-explorer")
        self.result = None
        self._update()

    def relabel(self, labels: Mapping, percent=()) -> Explorer:
        """Set the controls' descriptions (with their units) and show shares as percentages.

        Examples
        --------
        >>> share = Explorer(lambda top: 1 - top, {"top": ("slider", 0.2, 0.0, 1.0, 0.05)})
        >>> share = share.relabel({"top": "top share of customers"}, percent=["top"])
        >>> share.controls["top"].description, share.controls["top"].readout_format
        ('top share of customers', '.0%')
        """
        for name, text in labels.items():
            self.controls[name].description = text
        for name in percent:
            self.controls[name].readout_format = ".0%"
        return self

    @property
    def values(self) -> dict:
        """The controls' current values, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def _update(self, change=None):
        self.result = self._compute(**self.values)
        shown = self._render(self.result)
        if self._figure is not None:
            fig = new_figure()
            self._figure(self.result, fig)
            shown = figure_html(fig) + shown
        self.display.value = shown

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)
