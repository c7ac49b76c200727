"""What-if widgets for the electricity utility (Reading 5): arrears policy and survival."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.ticker import PercentFormatter

from ._arrears import account_durations, arrears_policy
from ._cases import Case
from ._explorer import Explorer
from ._i18n import _t
from ._survival import kaplan_meier

#: Account attributes :func:`survival_explorer` can split the curves by.
SURVIVAL_GROUPS = ("segment", "plan", "bill_delivery", "payment_method")
#: Months at which :func:`survival_explorer` reads the survival curves.
SURVIVAL_MONTHS = (12, 24, 36, 48)


def _check_utility(case, func: str) -> Case:
    if not isinstance(case, Case) or case.name != "utility":
        found = case.name if isinstance(case, Case) else type(case).__name__
        raise TypeError(f"{func}: expected the utility Case (casekit.load_case('utility')); "
                        f"found {found!r}")
    return case


def arrears_explorer(case, *, threshold=1.5, churn_ratio=1.3, recovery=0.9,
                     value_months=12) -> Explorer:
    """Sliders for the arrears threshold at which the utility acts, and the model's assumptions.

    Each move calls :func:`casekit.arrears_policy` on ``case.bills``; its
    docstring states the model (lenient below the threshold; above it the
    firm collects ``recovery`` of the balance but the account leaves
    ``churn_ratio`` times as often, and a lost account costs ``value_months``
    months of margin).

    Parameters
    ----------
    case : Case
        The utility case.
    threshold, churn_ratio, recovery, value_months : float
        Where the sliders start.

    Returns
    -------
    Explorer
        Controls ``threshold`` (0 to 5 typical bills), ``churn_ratio`` (1 to
        3), ``recovery`` (0 to 1) and ``value_months`` (0 to 60); ``result``
        is the Series of :func:`casekit.arrears_policy`.

    Examples
    --------
    >>> import casekit
    >>> case = casekit.generate_case("utility", n_customers=60, seed=3)
    >>> explorer = arrears_explorer(case)
    >>> explorer.controls["threshold"].value = 5.0
    >>> explorer.result.equals(casekit.arrears_policy(case.bills, threshold=5.0))
    True
    """
    case = _check_utility(case, "arrears_explorer")
    bills = case.bills

    def compute(threshold, churn_ratio, recovery, value_months):
        return arrears_policy(bills, threshold=threshold, churn_ratio=churn_ratio,
                              recovery=recovery, value_months=value_months)

    explorer = Explorer(compute, {
        "threshold": ("slider", float(threshold), 0.0, 5.0, 0.25),
        "churn_ratio": ("slider", float(churn_ratio), 1.0, 3.0, 0.1),
        "recovery": ("slider", float(recovery), 0.0, 1.0, 0.05),
        "value_months": ("slider", int(value_months), 0, 60, 3),
    }, title=_t("Act on arrears above how many typical bills? ({market} market)").format(
        market=case.population.get("market", "default")))
    explorer.controls["threshold"].description = _t("act above (typical bills)")
    explorer.controls["churn_ratio"].description = _t("exit rate when acting (times lenient)")
    explorer.controls["recovery"].description = _t("share of the balance collected when acting")
    explorer.controls["recovery"].readout_format = ".0%"
    explorer.controls["value_months"].description = _t("months of margin a lost account costs")
    return explorer


def survival_explorer(cases, *, by="segment") -> Explorer:
    """Kaplan-Meier survival of utility accounts by an account attribute.

    The durations come from :func:`casekit.account_durations` once; each move
    calls :func:`casekit.kaplan_meier` per group and reads the curves at
    12, 24, 36 and 48 months.

    Parameters
    ----------
    cases : Case or mapping of str to Case
        One utility case, or several by label (e.g. ``{"deregulated": ...,
        "regulated": ...}``) to choose from.
    by : str
        Where the drop-down starts, one of :data:`SURVIVAL_GROUPS` (``plan``
        is the tariff plan).

    Returns
    -------
    Explorer
        Controls ``market`` (the labels of ``cases``) and ``by``; ``result``
        has one row per group: ``accounts``, ``closed`` and the share still
        open at each month of :data:`SURVIVAL_MONTHS` (``S_12`` ...).

    Examples
    --------
    >>> from casekit import generate_case
    >>> case = generate_case("utility", n_customers=60, seed=3)
    >>> explorer = survival_explorer(case)
    >>> explorer.controls["by"].value = "bill_delivery"
    >>> explorer.result.index.tolist()
    ['e-bill', 'paper']
    """
    func = "survival_explorer"
    if isinstance(cases, Mapping):
        if not cases:
            raise ValueError(f"{func}: cases is empty; give at least one utility Case")
        cases = {str(label): _check_utility(c, func) for label, c in cases.items()}
    else:
        cases = {"default": _check_utility(cases, func)}
    if by not in SURVIVAL_GROUPS:
        raise ValueError(f"{func}: by must be one of {list(SURVIVAL_GROUPS)!r}; found {by!r}")
    frames = {}
    for label, case in cases.items():
        accounts = case.accounts
        plans = case.tariffs.set_index("tariff_id")["plan"]
        durations = account_durations(accounts, as_of=case.end)
        groups = accounts.set_index("customer_id").assign(
            plan=lambda a, plans=plans: a["tariff_id"].map(plans))
        frames[label] = durations.join(groups[list(SURVIVAL_GROUPS)])

    curves = {}  # the Kaplan-Meier curve of each group, for the figure

    def compute(market, by):
        frame = frames[market]
        rows = {}
        curves.clear()
        for group, part in frame.groupby(by, sort=True):
            km = kaplan_meier(part["duration"], part["observed"])
            curves[group] = km
            times = km.index.to_numpy()
            at = np.searchsorted(times, SURVIVAL_MONTHS, side="right") - 1
            # a curve is not read beyond the longest duration it has seen
            known = np.asarray(SURVIVAL_MONTHS) <= times[-1]
            survival = np.where(known, km["survival"].to_numpy()[at], np.nan)
            rows[group] = {"accounts": len(part), "closed": int(part["observed"].sum()),
                           **{f"S_{m}": s for m, s in zip(SURVIVAL_MONTHS, survival,
                                                          strict=True)}}
        return pd.DataFrame.from_dict(rows, orient="index").rename_axis(by)

    def figure(result, fig):
        ax = fig.add_subplot()
        for group, km in curves.items():
            ax.step(km.index, km["survival"], where="post", label=str(group))
        for month in SURVIVAL_MONTHS:
            ax.axvline(month, color="0.85", linewidth=0.8, zorder=0)
        ax.set_xlabel(_t("months since the account opened"))
        ax.set_ylabel(_t("share still open"))
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_ylim(0, 1.02)
        ax.legend(title=result.index.name, frameon=False, fontsize="small")

    labels = list(frames)
    return Explorer(compute, {"market": ("dropdown", labels[0], labels),
                              "by": ("dropdown", by, list(SURVIVAL_GROUPS))},
                    figure=figure,
                    title=_t("Share of accounts still open after 12, 24, 36, 48 months"),
                    ).relabel({"market": _t("market"), "by": _t("split by")})
