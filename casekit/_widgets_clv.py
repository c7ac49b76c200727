"""Widgets for customer lifetime value (客户终身价值): the formulas and the CLV groups."""

from __future__ import annotations

import pandas as pd

from ._abc import segment_shares
from ._clv import CLV_CONVENTIONS, clv_formula
from ._clv_segments import SEGMENT_METHODS, clv_segments
from ._explorer import Explorer
from ._i18n import _t
from ._transactions import check_int, check_number
from ._validation import check_array, check_choice


def clv_formula_explorer(
    *, margin: float = 100.0, retention: float = 0.8, discount: float = 0.1
) -> Explorer:
    """Sliders for margin, retention and discount; the three CLV conventions side by side.

    Each change calls :func:`casekit.clv_formula` once per convention.

    Parameters
    ----------
    margin : float
        Where the margin slider starts (0 to 500 per period).
    retention : float
        Where the retention slider starts (0 to 0.99 per period).
    discount : float
        Where the discount slider starts (0 to 0.3 per period).

    Returns
    -------
    Explorer
        Controls ``margin``, ``retention`` and ``discount``; ``result`` is a
        DataFrame with one row per convention: ``clv`` and the cash-flow
        ``timing`` it assumes.

    Examples
    --------
    >>> explorer = clv_formula_explorer()
    >>> explorer.result["clv"].round(2).tolist()
    [366.67, 266.67, 333.33]
    >>> explorer.controls["retention"].value = 0.5
    >>> explorer.result["clv"].round(2).tolist()
    [183.33, 83.33, 166.67]
    """
    func = "clv_formula_explorer"
    margin = check_number(margin, func=func, name="margin", low=0, high=500)
    retention = check_number(retention, func=func, name="retention", low=0, high=0.99)
    discount = check_number(discount, func=func, name="discount", low=0, high=0.3)

    def compute(margin, retention, discount):
        return pd.DataFrame(
            {
                "clv": [clv_formula(margin, retention, discount, convention=name)
                        for name in CLV_CONVENTIONS],
                "timing": list(CLV_CONVENTIONS.values()),
            },
            index=pd.Index(list(CLV_CONVENTIONS), name="convention"),
        )

    return Explorer(
        compute,
        {
            "margin": ("slider", margin, 0.0, 500.0, 5.0),
            "retention": ("slider", retention, 0.0, 0.99, 0.01),
            "discount": ("slider", discount, 0.0, 0.3, 0.01),
        },
        title=_t("Lifetime value of one customer under constant retention"),
    ).relabel(
        {"margin": _t("margin per period"), "retention": _t("retention per period"),
         "discount": _t("discount rate per period")}, percent=["retention", "discount"])


def clv_segment_explorer(clv, *, groups: int = 4, method: str = "kmeans") -> Explorer:
    """Group customers by CLV with a slider for the number of groups and a method drop-down.

    Each change calls :func:`casekit.clv_segments` and summarises the groups
    with :func:`casekit.segment_shares`.

    Parameters
    ----------
    clv : pandas.Series or array-like
        Lifetime value per customer.
    groups : int
        Where the slider starts, from 2 to 8.
    method : {"kmeans", "quantile"}
        Where the drop-down starts.

    Returns
    -------
    Explorer
        Controls ``groups`` and ``method``; ``result`` is the table of
        :func:`casekit.segment_shares` by ``segment`` with the ``clv`` share.

    Examples
    --------
    >>> explorer = clv_segment_explorer([1.0, 2.0, 3.0, 50.0, 60.0, 500.0], groups=3)
    >>> explorer.result["customers"].tolist()
    [1, 2, 3]
    >>> explorer.controls["method"].value = "quantile"
    >>> explorer.result["customers"].tolist()
    [2, 2, 2]
    """
    func = "clv_segment_explorer"
    size = check_array(clv, func=func, name="clv").size
    groups = check_int(groups, func=func, name="groups", lower=2)
    if groups > min(8, size):
        raise ValueError(
            f"{func}: groups must be at most {min(8, size)} (8, and no more than the "
            f"customers); found {groups}"
        )
    check_choice(method, func=func, name="method", choices=SEGMENT_METHODS)

    def compute(groups, method):
        return segment_shares(clv_segments(clv, groups=groups, method=method), by="segment",
                              values=["clv"])

    return Explorer(
        compute,
        {
            "groups": ("slider", groups, 2, min(8, size), 1),
            "method": ("dropdown", method, list(SEGMENT_METHODS)),
        },
        title=_t("Customers grouped by lifetime value"),
    ).relabel({"groups": _t("number of groups"), "method": _t("method")})
