"""Widgets for the lifecycle notebook: stage rules and the win-back list, against the truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import PercentFormatter

from ._btyd import BetaGeo
from ._cases import Case
from ._explorer import Explorer
from ._i18n import _t
from ._lifecycle import LIFECYCLE_RULES, lifecycle_stages
from ._summary import customer_summary
from ._validation import check_date


def _check_case(case, func: str) -> Case:
    if not isinstance(case, Case):
        raise TypeError(f"{func}: case must be a casekit Case (casekit.load_case(...)); found "
                        f"{type(case).__name__}")
    return case


def lifecycle_explorer(case, *, as_of=None) -> Explorer:
    """Sliders for the lifecycle rules, with each stage checked against the truth.

    Each move calls :func:`casekit.lifecycle_stages` on ``case.transactions``
    with the chosen ``explore_days``, ``churn_days`` and ``decline_ratio``
    (the other rules keep their defaults in :data:`casekit.LIFECYCLE_RULES`).

    Parameters
    ----------
    case : Case
        A case with ``truth``; non-contractual cases (catering, office
        supplies) suit the purchase-based rules best.
    as_of : date-like, optional
        The day the stages are taken; defaults to the last transaction.

    Returns
    -------
    Explorer
        Controls ``explore_days``, ``churn_days`` and ``decline_ratio``;
        ``result`` has one row per stage: ``customers``, ``share``,
        ``truly_lost`` (share of the stage that the truth says is lost at the
        end of the horizon) and ``margin_share`` (share of all past gross
        margin).

    Examples
    --------
    >>> from casekit import generate_case
    >>> case = generate_case("catering", n_customers=80, seed=2)
    >>> explorer = lifecycle_explorer(case)
    >>> explorer.controls["churn_days"].value = 180
    >>> int(explorer.result["customers"].sum()) == case.transactions["customer_id"].nunique()
    True
    """
    func = "lifecycle_explorer"
    case = _check_case(case, func)
    as_of = None if as_of is None else check_date(as_of, func=func, name="as_of")
    transactions = case.transactions
    lost = ~case.truth.set_index("customer_id")["alive"]
    margin = transactions.groupby("customer_id")["gross_margin"].sum()

    def compute(explore_days, churn_days, decline_ratio):
        rules = {"explore_days": explore_days, "churn_days": churn_days,
                 "decline_ratio": decline_ratio}
        stages = lifecycle_stages(transactions, as_of=as_of, rules=rules)
        frame = pd.DataFrame({"stage": stages["stage"],
                              "lost": lost.reindex(stages.index).astype(float),
                              "margin": margin.reindex(stages.index)})
        out = frame.groupby("stage", observed=False).agg(
            customers=("lost", "size"), truly_lost=("lost", "mean"), margin=("margin", "sum"))
        out.insert(1, "share", out["customers"] / out["customers"].sum())
        out["margin_share"] = out.pop("margin") / frame["margin"].sum()
        return out

    def figure(result, fig):
        ax = fig.add_subplot()
        rows = np.arange(len(result))
        ax.barh(rows - 0.2, result["share"], height=0.4, label=_t("customers"))
        ax.barh(rows + 0.2, result["margin_share"], height=0.4, label=_t("past margin"))
        ax.set_yticks(rows, [str(s) for s in result.index])
        ax.invert_yaxis()
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlabel(_t("share of all customers / of all past margin"))
        ax.legend(loc="lower right", frameon=False)

    rules = LIFECYCLE_RULES
    explorer = Explorer(compute, figure=figure, controls={
        "explore_days": ("slider", rules["explore_days"], 30, 180, 15),
        "churn_days": ("slider", rules["churn_days"], 90, 730, 5),
        "decline_ratio": ("slider", rules["decline_ratio"], 0.0, 1.0, 0.05),
    }, title=_t("Lifecycle stages under your rules, checked against the truth"))
    explorer.controls["explore_days"].description = _t("exploration: first order within (days)")
    explorer.controls["churn_days"].description = _t("churned: no order for (days)")
    explorer.controls["decline_ratio"].description = _t("decline: orders fall below (ratio)")
    return explorer


def winback_explorer(case, *, as_of=None, churn_p=0.3, top_share=0.2) -> Explorer:
    """Who to win back: lost by P(alive), valuable by past margin, checked against the truth.

    A BG/NBD model (:class:`casekit.BetaGeo`, weekly) is fitted once on
    ``case.transactions``.  Each move calls :func:`casekit.lifecycle_stages`
    with that P(alive) and ``rules={"churn_p": churn_p}``: a customer is
    *churned* when P(alive) < ``churn_p`` or after a year without an order.
    The win-back list is the churned customers among the ``top_share`` of
    customers by past gross margin.

    Parameters
    ----------
    case : Case
        A non-contractual case (catering, office supplies).
    as_of : date-like, optional
        The day of the decision; defaults to the last transaction.
    churn_p, top_share : float
        Where the sliders start.

    Returns
    -------
    Explorer
        Controls ``churn_p`` (0.05 to 0.9) and ``top_share`` (0.05 to 1);
        ``result`` is a Series: ``valuable`` customers, ``win_back_list``
        (valuable and churned), ``truly_lost`` on the list, ``precision``
        (truly lost / list), ``valuable_truly_lost`` (all valuable customers
        the truth says are lost), ``recall`` and ``list_past_margin``.

    Examples
    --------
    >>> from casekit import generate_case
    >>> case = generate_case("catering", n_customers=80, seed=2)
    >>> explorer = winback_explorer(case)
    >>> explorer.controls["top_share"].value = 1.0
    >>> int(explorer.result["valuable"]) == case.transactions["customer_id"].nunique()
    True
    """
    func = "winback_explorer"
    case = _check_case(case, func)
    as_of = None if as_of is None else check_date(as_of, func=func, name="as_of")
    transactions = case.transactions
    summary = customer_summary(transactions, observation_end=as_of, freq="W")
    model = BetaGeo().fit(summary["frequency"], summary["recency"], summary["T"])
    p_alive = pd.Series(model.probability_alive(summary["frequency"], summary["recency"],
                                                summary["T"]), index=summary.index)
    frame = transactions if as_of is None else transactions[transactions["date"] <= as_of]
    margin = frame.groupby("customer_id")["gross_margin"].sum().sort_values(
        ascending=False, kind="stable")
    lost = ~case.truth.set_index("customer_id")["alive"]

    def compute(churn_p, top_share):
        stages = lifecycle_stages(transactions, as_of=as_of, p_alive=p_alive,
                                  rules={"churn_p": churn_p})
        valuable = margin.index[: max(1, round(top_share * len(margin)))]
        churned = stages.index[stages["stage"] == "churned"]
        listed = valuable.intersection(churned)
        truly = int(lost.reindex(listed).sum())
        valuable_lost = int(lost.reindex(valuable).sum())
        return pd.Series({
            "valuable": float(len(valuable)),
            "win_back_list": float(len(listed)),
            "truly_lost": float(truly),
            "precision": truly / len(listed) if len(listed) else float("nan"),
            "valuable_truly_lost": float(valuable_lost),
            "recall": truly / valuable_lost if valuable_lost else float("nan"),
            "list_past_margin": float(margin.reindex(listed).sum()),
        }, name=_t("win-back"))

    explorer = Explorer(compute, {
        "churn_p": ("slider", float(churn_p), 0.05, 0.9, 0.05),
        "top_share": ("slider", float(top_share), 0.05, 1.0, 0.05),
    }, title=_t("Win-back list: valuable customers the model thinks are lost"))
    explorer.relabel({"churn_p": _t("lost when P(alive) below"),
                      "top_share": _t("valuable: top share of customers by past margin")},
                     percent=["churn_p", "top_share"])
    return explorer
