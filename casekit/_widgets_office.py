"""What-if widgets for the office-supplies case discussion (Reading 2)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ._clv import clv_formula
from ._explorer import Explorer
from ._i18n import _t
from ._pyramid import pyramid_what_if
from ._validation import check_date


def tier_move_explorer(transactions, *, as_of=None, profit_col="gross_margin",
                       window_months: int = 12, share: float = 0.1) -> Explorer:
    """A slider for the share of each pyramid tier that moves up one tier.

    Reading 2's first CRM goal is to move customers up the pyramid (small to
    medium, medium to big).  Each move calls :func:`casekit.pyramid_what_if`.

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per order, with ``customer_id``, ``date``, ``amount`` and
        ``profit_col``.
    as_of : date-like, optional
        The day the pyramid is taken; defaults to the last date.
    profit_col : str or None
        Margin column to carry along with revenue.
    window_months : int
        The period that ranks the customers.
    share : float
        Where the slider starts (0 to 0.5 in steps of 0.05).

    Returns
    -------
    Explorer
        Control ``share`` (described as "share of every tier moving up"); ``result`` is the
        table of :func:`casekit.pyramid_what_if`.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": [f"c{i:02d}" for i in range(20)],
    ...                    "date": "2024-05-01", "amount": [100.0] * 2 + [10.0] * 18,
    ...                    "gross_margin": [30.0] * 2 + [2.0] * 18})
    >>> explorer = tier_move_explorer(tx, share=0.2)
    >>> explorer.controls["share"].value = 0.0
    >>> float(explorer.result.loc["total", "revenue_change"])
    0.0
    """
    as_of = None if as_of is None else check_date(as_of, func="tier_move_explorer",
                                                  name="as_of")

    def compute(share):
        return pyramid_what_if(transactions, share=share, as_of=as_of, profit_col=profit_col,
                               window_months=window_months)

    explorer = Explorer(compute, {"share": ("slider", float(share), 0.0, 0.5, 0.05)},
                        title=_t("What if a share of every tier moved up one tier?"))
    explorer.relabel({"share": _t("share of every tier moving up")}, percent=["share"])
    return explorer


def churn_value_explorer(margin: float, *, customers: int = 1, churn: float = 0.3,
                         discount: float = 0.1, reference: Mapping | None = None) -> Explorer:
    """Sliders for yearly churn and the discount rate, showing what a customer is worth.

    Each move calls :func:`casekit.clv_formula` (the ``"immediate"`` timing: a
    new customer pays ``margin`` now and every later year while retained) for
    the chosen churn and for each reference churn rate, and multiplies by
    ``customers`` for the value of the whole base.

    Parameters
    ----------
    margin : float
        Yearly profit per customer (after cost to serve).
    customers : int
        Customers in the base.
    churn, discount : float
        Where the sliders start: yearly churn 0.05 to 0.6, discount rate 0 to 0.2.
    reference : mapping, optional
        Label to yearly churn rate, shown as fixed rows, such as
        ``{"2023": 0.1, "2024": 0.3}``.

    Returns
    -------
    Explorer
        Controls ``churn`` ("yearly churn") and ``discount`` ("discount rate");
        ``result`` has one row per reference and one for the sliders:
        ``churn``, ``expected_years`` (1 / churn), ``clv`` and ``base_value``.

    Examples
    --------
    >>> explorer = churn_value_explorer(100.0, customers=10, reference={"before": 0.1})
    >>> explorer.controls["churn"].value = 0.2
    >>> explorer.result.round(1)
                churn  expected_years    clv  base_value
    before        0.1            10.0  550.0      5500.0
    chosen        0.2             5.0  366.7      3666.7
    """
    reference = dict(reference or {})

    def compute(churn, discount):
        rates = {**reference, "chosen": churn}
        out = pd.DataFrame({"churn": pd.Series(rates, dtype=float)})
        out["expected_years"] = 1 / out["churn"]
        out["clv"] = clv_formula(margin, 1 - out["churn"].to_numpy(), discount,
                                 convention="immediate")
        out["base_value"] = out["clv"] * customers
        return out

    explorer = Explorer(
        compute,
        {"churn": ("slider", float(churn), 0.05, 0.6, 0.05),
         "discount": ("slider", float(discount), 0.0, 0.2, 0.01)},
        title=_t("What is a customer worth at this churn?"),
    )
    explorer.relabel({"churn": _t("yearly churn"), "discount": _t("discount rate per year")},
                     percent=["churn", "discount"])
    return explorer
