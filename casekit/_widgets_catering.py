"""What-if widgets for the restaurant case discussion (Reading 5, the catering essay)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import PercentFormatter

from ._abc import abc_pareto
from ._cases import Case
from ._explorer import Explorer
from ._i18n import _t
from ._summary import customer_summary


def _check_catering(case, func: str) -> Case:
    if not isinstance(case, Case) or case.name != "catering":
        found = case.name if isinstance(case, Case) else type(case).__name__
        raise TypeError(f"{func}: expected the catering Case (casekit.load_case('catering')); "
                        f"found {found!r}")
    return case


def pareto_explorer(case, *, top_share=0.2, value="gross_margin") -> Explorer:
    """How much of the profit the best guests bring, and whether they are truly loyal.

    Reading 5 says a restaurant earns 80 % of its profit from 20 % of its
    guests.  Each move calls :func:`casekit.abc_pareto` on
    ``case.transactions`` ranked by ``value``, and sets the top guests'
    true visit rate and true status (``case.truth``) against the rest.

    Parameters
    ----------
    case : Case
        The catering case.
    top_share : float
        Where the slider starts: the share of members counted as the top.
    value : {"gross_margin", "amount"}
        Rank by profit (gross margin) or by revenue.

    Returns
    -------
    Explorer
        Controls ``top_share`` (0.05 to 0.5) and ``value``; ``result`` is a
        Series: ``members`` in the top, their ``value_share``, ``visit_share``,
        and for top and rest the mean true weekly visit rate
        (``lambda_top``, ``lambda_rest``) and the share truly still a guest
        (``alive_top``, ``alive_rest``).

    Examples
    --------
    >>> import casekit
    >>> case = casekit.generate_case("catering", n_customers=80, seed=2)
    >>> explorer = pareto_explorer(case)
    >>> explorer.controls["top_share"].value = 0.5
    >>> ranked = casekit.abc_pareto(case.transactions, value_col="gross_margin")
    >>> bool(explorer.result["value_share"] == ranked["share"].iloc[:40].sum())
    True
    """
    func = "pareto_explorer"
    case = _check_catering(case, func)
    if value not in ("gross_margin", "amount"):
        raise ValueError(f"{func}: value must be one of ['gross_margin', 'amount']; "
                         f"found {value!r}")
    transactions = case.transactions
    truth = case.truth.set_index("customer_id")
    visits = transactions.groupby("customer_id").size()

    curve = {}  # the last ranking, for the figure

    def compute(top_share, value):
        ranked = abc_pareto(transactions, value_col=value)
        curve["ranked"] = ranked
        n_top = max(1, round(top_share * len(ranked)))
        top, rest = ranked.index[:n_top], ranked.index[n_top:]
        return pd.Series({
            "members": float(n_top),
            "value_share": float(ranked["share"].iloc[:n_top].sum()),
            "visit_share": float(visits.reindex(top).sum() / visits.sum()),
            "lambda_top": float(truth.loc[top, "lambda_"].mean()),
            "lambda_rest": float(truth.loc[rest, "lambda_"].mean()),
            "alive_top": float(truth.loc[top, "alive"].mean()),
            "alive_rest": float(truth.loc[rest, "alive"].mean()),
        }, name=_t("top members"))

    def figure(result, fig):
        ranked = curve["ranked"]
        members = np.arange(1, len(ranked) + 1) / len(ranked)
        ax = fig.add_subplot()
        ax.plot(np.r_[0, members], np.r_[0, ranked["share"].cumsum()], color="#264653")
        top = result["members"] / len(ranked)
        ax.plot([top, top, 0], [0, result["value_share"], result["value_share"]],
                color="#e76f51", linestyle="--")
        ax.annotate(_t("top {top} bring {share}").format(
                        top=f"{top:.0%}", share=f"{result['value_share']:.0%}"),
                    (top, result["value_share"]), xytext=(8, -14),
                    textcoords="offset points")
        ax.plot([0, 1], [0, 1], color="0.8", linewidth=0.8)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlabel(_t("members, best first"))
        ax.set_ylabel(_t("share of the total"))

    explorer = Explorer(compute, {
        "top_share": ("slider", float(top_share), 0.05, 0.5, 0.05),
        "value": ("dropdown", value, ["gross_margin", "amount"]),
    }, figure=figure, title=_t("What share of the profit do the top guests bring?"))
    explorer.relabel({"top_share": _t("top share of members"), "value": _t("rank by")},
                     percent=["top_share"])
    return explorer


def regulars_explorer(case, *, min_visits=5, credit_limit=2000) -> Explorer:
    """Who counts as a regular (and may get credit), checked against the truth.

    Reading 5 suggests knowing guests well enough to grant credit to regulars
    on the spot.  Visits per member come once from
    :func:`casekit.customer_summary` (daily: repeat visit days + 1); each move
    counts the members with at least ``min_visits`` visits and asks the truth
    how many of them are really still guests, i.e. how much credit would go to
    members who are in fact gone.

    Parameters
    ----------
    case : Case
        The catering case.
    min_visits, credit_limit : int
        Where the sliders start.

    Returns
    -------
    Explorer
        Controls ``min_visits`` (2 to 20) and ``credit_limit`` (0 to 5000);
        ``result`` is a Series: ``regulars``, ``member_share``,
        ``margin_share``, true ``dropout_rate_regulars`` /
        ``dropout_rate_others`` (the Pareto/NBD dropout rate ``mu``, per week),
        ``alive_regulars`` and
        ``credit_to_lost`` (credit lines of ``credit_limit`` held by regulars
        the truth says are gone).

    Examples
    --------
    >>> import casekit
    >>> case = casekit.generate_case("catering", n_customers=80, seed=2)
    >>> explorer = regulars_explorer(case)
    >>> explorer.controls["min_visits"].value = 2
    >>> summary = casekit.customer_summary(case.transactions, freq="D")
    >>> int(explorer.result["regulars"]) == int((summary["frequency"] >= 1).sum())
    True
    """
    func = "regulars_explorer"
    case = _check_catering(case, func)
    transactions = case.transactions
    summary = customer_summary(transactions, freq="D")
    visits = summary["frequency"] + 1
    margin = transactions.groupby("customer_id")["gross_margin"].sum().reindex(summary.index)
    truth = case.truth.set_index("customer_id").reindex(summary.index)

    def compute(min_visits, credit_limit):
        regular = (visits >= min_visits).to_numpy()
        lost_regulars = int((~truth["alive"].to_numpy() & regular).sum())
        return pd.Series({
            "regulars": float(regular.sum()),
            "member_share": float(regular.mean()),
            "margin_share": float(margin[regular].sum() / margin.sum()),
            "dropout_rate_regulars": float(truth.loc[regular, "mu"].mean()),
            "dropout_rate_others": float(truth.loc[~regular, "mu"].mean()),
            "alive_regulars": float(truth.loc[regular, "alive"].mean()),
            "credit_to_lost": float(lost_regulars * credit_limit),
        }, name=_t("regulars"))

    explorer = Explorer(compute, {
        "min_visits": ("slider", int(min_visits), 2, 20, 1),
        "credit_limit": ("slider", int(credit_limit), 0, 5000, 250),
    }, title=_t("Regulars: who they are, what they bring, and the credit at risk"))
    explorer.controls["min_visits"].description = _t("regular from visit number")
    explorer.controls["credit_limit"].description = _t("credit line per regular (USD)")
    return explorer


def wait_explorer(case, *, promise=30, channel="dine-in") -> Explorer:
    """The waiting time the restaurant promises, and the ratings of visits that break it.

    Reading 5 counts waiting and slow dishes as a *customer cost*.  Each move
    splits ``case.visits`` of one channel at the promised wait and compares
    the ratings on either side.

    Parameters
    ----------
    case : Case
        The catering case.
    promise : int
        Where the slider starts: the promised wait in minutes.
    channel : {"dine-in", "delivery"}
        Where the drop-down starts (banquets have no waiting time).

    Returns
    -------
    Explorer
        Controls ``promise`` (5 to 90 minutes) and ``channel``; ``result`` is
        a Series: ``visits``, ``share_late`` (waits over the promise),
        ``rating_on_time``, ``rating_late`` (mean stars of rated visits) and
        ``rating_gap``.

    Examples
    --------
    >>> import casekit
    >>> case = casekit.generate_case("catering", n_customers=80, seed=2)
    >>> explorer = wait_explorer(case, promise=90)
    >>> float(explorer.result["share_late"]) < 0.05
    True
    """
    func = "wait_explorer"
    case = _check_catering(case, func)
    if channel not in ("dine-in", "delivery"):
        raise ValueError(f"{func}: channel must be one of ['dine-in', 'delivery']; "
                         f"found {channel!r}")
    visits = case.visits[["channel", "wait_minutes", "rating"]]
    by_channel = {name: part for name, part in visits.groupby("channel")
                  if name in ("dine-in", "delivery")}

    def compute(promise, channel):
        part = by_channel[channel]
        late = part["wait_minutes"] > promise
        on_time_rating = part.loc[~late, "rating"].mean()
        late_rating = part.loc[late, "rating"].mean()
        return pd.Series({
            "visits": float(len(part)),
            "share_late": float(late.mean()),
            "rating_on_time": float(on_time_rating),
            "rating_late": float(late_rating),
            "rating_gap": float(on_time_rating - late_rating),
        }, name=channel)

    explorer = Explorer(compute, {
        "promise": ("slider", int(promise), 5, 90, 5),
        "channel": ("dropdown", channel, ["dine-in", "delivery"]),
    }, title=_t("Promised wait: how many visits break it, and what it costs in stars"))
    explorer.controls["promise"].description = _t("promised wait (minutes)")
    explorer.controls["channel"].description = _t("channel")
    return explorer
