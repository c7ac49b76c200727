"""Widgets for the CRM-systems notebook: how big a hold-out group a campaign needs."""

from __future__ import annotations

import pandas as pd

from ._explorer import Explorer
from ._i18n import _t
from ._systems import holdout_power
from ._transactions import check_int, check_number


def holdout_explorer(n_targeted, *, base_rate, lift, value_per_response=0.0,
                     holdout=0.2) -> Explorer:
    """Move the hold-out share and the expected lift; see precision, power and what it costs.

    A bigger hold-out group measures the lift more precisely, but the
    customers held out do not get the campaign, so their incremental
    responses are forgone.  The callback is :func:`casekit.holdout_power`.

    Parameters
    ----------
    n_targeted : int
        Customers on the target list.
    base_rate : float
        Response rate without the campaign (the control group's rate).
    lift : float
        Where the lift slider starts (0 to 0.2).
    value_per_response : float
        Gross margin of one response; the forgone value is the forgone
        responses times this.
    holdout : float
        Where the hold-out slider starts (0.05 to 0.5).

    Returns
    -------
    Explorer
        Controls ``holdout`` and ``lift``; ``result`` is a one-row table with
        ``n_treatment``, ``n_control``, ``half_width``, ``power``,
        ``forgone_responses`` and ``forgone_value``.

    Examples
    --------
    >>> explorer = holdout_explorer(2000, base_rate=0.04, lift=0.04, value_per_response=100.0)
    >>> explorer.controls["holdout"].value = 0.5
    >>> explorer.result.loc["plan", ["n_control", "forgone_responses", "forgone_value"]].tolist()
    [1000.0, 40.0, 4000.0]
    >>> holdout_explorer(2000, base_rate=0.04, lift=0.5)
    Traceback (most recent call last):
    ...
    ValueError: holdout_explorer: lift must be <= 0.2; found 0.5
    """
    func = "holdout_explorer"
    n = check_int(n_targeted, func=func, name="n_targeted", lower=40)
    lift = check_number(lift, func=func, name="lift", low=0.0, high=0.2)
    holdout = check_number(holdout, func=func, name="holdout", low=0.05, high=0.5)
    value = check_number(value_per_response, func=func, name="value_per_response", low=0.0)
    base = check_number(base_rate, func=func, name="base_rate", low=0.0, high=0.75,
                        open_low=True)

    def compute(holdout, lift):
        plan = holdout_power(n, holdout=holdout, base_rate=base, lift=lift)
        plan["forgone_value"] = plan["forgone_responses"] * value
        row = {k: plan[k] for k in ("n_treatment", "n_control", "half_width", "power",
                                    "forgone_responses", "forgone_value")}
        return pd.DataFrame(row, index=["plan"]).astype(float)

    return Explorer(compute, {"holdout": ("slider", round(holdout, 2), 0.05, 0.5, 0.05),
                              "lift": ("slider", round(lift, 3), 0.0, 0.2, 0.005)},
                    title=_t("Hold-out plan for {n} targeted customers "
                             "(base response rate {base})").format(n=f"{n:,}", base=f"{base:.1%}")
                    ).relabel({"holdout": _t("holdout"), "lift": _t("lift")})
