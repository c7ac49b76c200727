"""Widgets for Customize (客户定制): next best offer rules and the budget split by tier."""

from __future__ import annotations

import pandas as pd

from ._customize import (
    BUDGET_RULES,
    OFFER_METHODS,
    allocate_budget,
    evaluate_offers,
    next_best_offer,
)
from ._explorer import Explorer
from ._i18n import _choices, _t
from ._transactions import check_number
from ._validation import check_choice, check_frame

_CUSTOM = "custom (sliders)"


def offer_explorer(
    purchases: pd.DataFrame,
    truth: pd.DataFrame,
    *,
    method: str = "history",
    prior_strength: float = 1.0,
    customer_col: str = "customer_id",
    item_col: str = "category",
    date_col: str = "date",
) -> Explorer:
    """Pick an offer rule and a prior strength; see how well the offers hit the true tastes.

    Each change calls :func:`casekit.next_best_offer` on ``purchases`` and
    scores the offers with :func:`casekit.evaluate_offers` against ``truth``.

    Parameters
    ----------
    purchases : DataFrame
        One row per item bought, as :func:`casekit.next_best_offer` takes it.
    truth : DataFrame
        The case's truth with the ``taste_`` columns (``case.truth``).
    method : {"popular", "history", "co-purchase"}
        Where the drop-down starts.
    prior_strength : float
        Where the slider starts, from 0 to 50.
    customer_col, item_col, date_col : str
        Column names of ``purchases``.

    Returns
    -------
    Explorer
        Controls ``method`` and ``prior_strength``; ``result`` is the Series of
        :func:`casekit.evaluate_offers`.

    Examples
    --------
    >>> bought = pd.DataFrame({"customer_id": ["a", "a", "b"], "category": ["soup", "soup", "fish"],
    ...                        "date": "2024-05-01"})
    >>> truth = pd.DataFrame({"customer_id": ["a", "b"], "taste_soup": [0.8, 0.3],
    ...                       "taste_fish": [0.2, 0.7]})
    >>> explorer = offer_explorer(bought, truth)
    >>> float(explorer.result["hit_rate"])
    1.0
    >>> explorer.controls["method"].value = "popular"
    >>> float(explorer.result["hit_rate"])
    0.5
    """
    func = "offer_explorer"
    check_choice(method, func=func, name="method", choices=OFFER_METHODS)
    strength = check_number(prior_strength, func=func, name="prior_strength", low=0, high=50)
    check_frame(purchases, func=func, name="purchases",
                columns={customer_col: "key", item_col: "key", date_col: "date"})

    def compute(method, prior_strength):
        offers = next_best_offer(purchases, method=method, prior_strength=prior_strength,
                                 customer_col=customer_col, item_col=item_col,
                                 date_col=date_col)
        return evaluate_offers(offers, truth, customer_col=customer_col)

    return Explorer(
        compute,
        {
            "method": ("dropdown", method, _choices(OFFER_METHODS, {
                "popular": _t("popular (most bought)"),
                "history": _t("history (own purchases)"),
                "co-purchase": _t("co-purchase (bought together)")})),
            "prior_strength": ("slider", strength, 0.0, 50.0, 0.5),
        },
        title=_t("Next best offer: how often is it the customer's true favourite?"),
    ).relabel(
        {"method": _t("ranking method"), "prior_strength": _t("prior strength (pseudo-orders)")})


def budget_explorer(
    tiers: pd.DataFrame,
    *,
    budget: float = 35_000.0,
    max_budget: float | None = None,
    rule: str = "optimal",
    tier_col: str = "tier",
    value_col: str = "profit",
    max_uplift: float = 0.2,
    saturation: float = 10.0,
) -> Explorer:
    """Split a budget across tiers with sliders and see the expected profit.

    Each change calls :func:`casekit.allocate_budget`. With the rule
    ``"custom (sliders)"`` the tier sliders are weights (scaled to add up to
    1); the other rules ignore them.

    Parameters
    ----------
    tiers : DataFrame
        One row per customer with a tier and a value, such as
        :func:`casekit.customer_pyramid`'s result with ``profit_col``.
    budget : float
        Where the budget slider starts.
    max_budget : float, optional
        The slider's end; four times ``budget`` by default.
    rule : {"custom (sliders)", "optimal", "customers", "value"}
        Where the rule drop-down starts.
    tier_col, value_col : str
        Column names.
    max_uplift, saturation : float
        The response model of :func:`casekit.allocate_budget`.

    Returns
    -------
    Explorer
        Controls ``budget``, ``rule`` and one weight slider ``weight_<tier>``
        per tier; ``result`` is the table of :func:`casekit.allocate_budget`.

    Examples
    --------
    >>> pyramid = pd.DataFrame({"tier": ["top"] * 2 + ["small"] * 8,
    ...                         "profit": [500.0] * 2 + [50.0] * 8})
    >>> explorer = budget_explorer(pyramid, budget=100.0, rule="custom (sliders)")
    >>> float(explorer.result.loc["top", "share"])
    0.5
    >>> explorer.controls["weight_small"].value = 0
    >>> float(explorer.result.loc["top", "share"])
    1.0
    """
    func = "budget_explorer"
    start = check_number(budget, func=func, name="budget", low=0)
    end = check_number(4 * start if max_budget is None else max_budget, func=func,
                       name="max_budget", low=start)
    if end <= 0:
        raise ValueError(f"{func}: max_budget must be > 0; found {end}")
    check_choice(rule, func=func, name="rule", choices=[_CUSTOM, *BUDGET_RULES])
    # the table computed once up front names the tiers that get a slider
    first = allocate_budget(tiers, start, tier_col=tier_col, value_col=value_col,
                            max_uplift=max_uplift, saturation=saturation)
    names = first.index[:-1].tolist()

    def compute(budget, rule, **weights):
        shares = {name: weights[f"weight_{name}"] for name in names} if rule == _CUSTOM else rule
        if rule == _CUSTOM and not any(shares.values()):
            return _t("Set at least one tier weight above 0.")
        return allocate_budget(tiers, budget, shares, tier_col=tier_col, value_col=value_col,
                               max_uplift=max_uplift, saturation=saturation)

    controls = {
        "budget": ("slider", start, 0.0, end, end / 100),
        "rule": ("dropdown", rule, _choices([_CUSTOM, *BUDGET_RULES], {
            _CUSTOM: _t("custom (sliders)"), "optimal": _t("optimal (the best split)"),
            "customers": _t("customers (by number of customers)"),
            "value": _t("value (by value)")})),
    }
    controls.update({f"weight_{name}": ("slider", 10, 0, 100, 1) for name in names})
    return Explorer(compute, controls,
                    title=_t("Split the budget across tiers: expected profit after the spend")
                    ).relabel({"budget": _t("budget (currency units)"), "rule": _t("split rule"),
                               **{f"weight_{name}": _t("weight of tier {name} (points)")
                                  .format(name=name) for name in names}})
