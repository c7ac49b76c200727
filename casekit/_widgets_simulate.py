"""The scenario simulator as a widget: set the decisions, read next year's outcome."""

from __future__ import annotations

import numbers

from ._explorer import Explorer, _ipywidgets
from ._i18n import _t
from ._simulate import simulate, simulator_decisions
from ._widgets_interact import table_html

_FORMATS = {"revenue": "{:,.0f}", "gross_margin": "{:,.0f}", "decision_cost": "{:,.0f}",
            "write_offs": "{:,.0f}", "net": "{:,.0f}", "customers_start": "{:,.0f}",
            "customers_kept": "{:,.0f}", "customers_lost": "{:,.0f}"}


def _label(decision: str) -> str:
    """The control's label: the decision's name, in the current language."""
    labels = {
        "reminders": _t("reminders"),
        "settlement_days": _t("settlement days"),
        "cross_sell": _t("cross sell"),
        "arrears_policy": _t("arrears policy"),
        "outage_response": _t("outage response"),
        "regular_visits": _t("regular visits"),
        "premium_service": _t("premium service"),
        "retention_offer": _t("retention offer"),
        "one_to_one_offers": _t("one to one offers"),
        "credit_for_regulars": _t("credit for regulars"),
        "wait_target": _t("wait target"),
    }
    return labels.get(decision, decision.replace("_", " "))


def _control(row):
    widgets = _ipywidgets()
    if row["kind"] == "choice":
        return widgets.Dropdown(value=row["default"], options=list(row["allowed"]))
    if row["kind"] == "number":
        low, high = (float(x) for x in row["allowed"].split(" to "))
        return widgets.FloatSlider(value=float(row["default"]), min=low, max=high, step=1.0,
                                   continuous_update=False)
    return widgets.SelectMultiple(value=tuple(row["default"]), options=list(row["allowed"]),
                                  rows=len(row["allowed"]))


def simulator_explorer(case, *, seed=0, years: int = 1) -> Explorer:
    """Build a plan with one control per decision and see what it would do.

    Every change of a control calls :func:`casekit.simulate` with the plan
    the controls describe, so the result is the plan against the do-nothing
    baseline on the same customers and draws.

    Parameters
    ----------
    case : Case
        From :func:`casekit.load_case` or :func:`casekit.generate_case`.
    seed : int
        The seed passed to :func:`casekit.simulate`; keep it fixed in class so
        that every team sees the same draws.
    years : int
        Years to play forward, 1 to 5.

    Returns
    -------
    Explorer
        One control per decision of :func:`casekit.simulator_decisions`,
        named after it; ``result`` is the outcome table of
        :func:`casekit.simulate`.

    Examples
    --------
    >>> from casekit import generate_case
    >>> case = generate_case("insurance", n_customers=300, seed=3)
    >>> explorer = simulator_explorer(case, seed=1)
    >>> sorted(explorer.controls)
    ['cross_sell', 'reminders', 'settlement_days']
    >>> float(explorer.result.loc["difference", "net"])
    0.0
    >>> explorer.controls["reminders"].value = "none"
    >>> bool(explorer.result.loc["difference", "customers_kept"] <= 0)
    True
    """
    func = "simulator_explorer"
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"{func}: seed must be an int so that the outcome repeats; found "
                        f"{type(seed).__name__} {seed!r}")
    name = getattr(case, "name", None)
    if not hasattr(case, "truth") or not isinstance(name, str):
        raise TypeError(f"{func}: case must be a casekit Case (from load_case or "
                        f"generate_case); found {type(case).__name__}")
    table = simulator_decisions(name)

    def compute(**plan):
        return simulate(case, {k: list(v) if isinstance(v, tuple) else v
                               for k, v in plan.items()}, seed=int(seed), years=years)

    return Explorer(
        compute,
        {decision: _control(row) for decision, row in table.iterrows()},
        render=lambda result: table_html(result, _FORMATS),
        title=_t("Your plan for the next {years} year(s) against doing nothing, "
                 "same customers and draws").format(years=years),
    ).relabel({decision: _label(decision) for decision in table.index})
