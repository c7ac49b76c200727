"""What-if widget for the insurance case: faster claims and more reminders, in value."""

from __future__ import annotations

import pandas as pd

from ._clv import clv_formula, customer_equity
from ._explorer import Explorer, table_html
from ._i18n import _t
from ._interact import rate_by_band
from ._validation import check_frame


def retention_what_if_explorer(
    signals: pd.DataFrame,
    *,
    margin: float,
    n_customers: int,
    discount: float = 0.1,
    slow_days: float = 20.0,
) -> Explorer:
    """Move holders to fast claim settlement and send more reminders; see retention and value.

    The renewal rate of each cell (slow or fast branch, reminded or not) is
    measured once from ``signals`` with :func:`casekit.rate_by_band`. A plan
    changes the cells' shares (slow and reminded taken as independent); the
    retention rate is the share-weighted mean of the cells' rates, the value
    of a holder :func:`casekit.clv_formula` (``m r / (1 + d - r)``) and the
    value of the book :func:`casekit.customer_equity`.

    Parameters
    ----------
    signals : DataFrame
        The output of :func:`casekit.renewal_signals`.
    margin : float
        Yearly margin per holder.
    n_customers : int
        Holders in force today.
    discount : float
        Yearly discount rate.
    slow_days : float
        A branch settling claims in more than this many days (median) is slow.

    Returns
    -------
    Explorer
        Controls ``moved_to_fast`` (share of slow-branch holders whose claims
        are settled fast) and ``reminded`` (share of renewals announced);
        ``result`` has rows ``today``, ``plan`` and ``change`` with
        ``retention``, ``clv`` and ``customer_equity``.

    Examples
    --------
    >>> signals = pd.DataFrame({"renewed": [1, 1, 0, 0, 1, 1, 0, 1],
    ...                         "branch_settlement_days": [10, 10, 30, 30] * 2,
    ...                         "reminded": [True] * 4 + [False] * 4})
    >>> explorer = retention_what_if_explorer(signals, margin=100.0, n_customers=10)
    >>> float(explorer.result.loc["today", "retention"])
    0.625
    >>> explorer.controls["moved_to_fast"].value = 1.0
    >>> float(explorer.result.loc["plan", "retention"])
    1.0
    """
    func = "retention_what_if_explorer"
    for name, value, low in (("margin", margin, 0.0), ("discount", discount, 0.0),
                             ("slow_days", slow_days, 0.0)):
        if isinstance(value, bool) or not isinstance(value, int | float) or value < low:
            raise ValueError(f"{func}: {name} must be a number >= {low}; found {value!r}")
    if isinstance(n_customers, bool) or not isinstance(n_customers, int) or n_customers < 1:
        raise ValueError(f"{func}: n_customers must be a positive int; found {n_customers!r}")
    clean = check_frame(signals, func=func, name="signals",
                        columns={"renewed": "any", "branch_settlement_days": "number",
                                 "reminded": "any"})
    slow = clean["branch_settlement_days"] > slow_days
    reminded = clean["reminded"].astype(bool)
    clean["cell"] = (slow.map({True: "slow", False: "fast"}) + ", "
                     + reminded.map({True: "reminded", False: "not reminded"}))
    rates = rate_by_band(clean, value_col="cell", outcome_col="renewed")["rate"]
    cells = ["fast, reminded", "fast, not reminded", "slow, reminded", "slow, not reminded"]
    missing = [c for c in cells if c not in rates.index]
    if missing:
        raise ValueError(f"{func}: signals have no renewals in cell(s) {missing!r}; every "
                         f"combination of slow/fast branch and reminded/not is needed")
    slow_now, reminded_now = float(slow.mean()), float(reminded.mean())

    def retention(slow_share, reminded_share):
        shares = {"fast, reminded": (1 - slow_share) * reminded_share,
                  "fast, not reminded": (1 - slow_share) * (1 - reminded_share),
                  "slow, reminded": slow_share * reminded_share,
                  "slow, not reminded": slow_share * (1 - reminded_share)}
        return sum(shares[c] * rates[c] for c in cells)

    def value(r):
        clv = clv_formula(margin, r, discount)
        return {"retention": r, "clv": clv,
                "customer_equity": customer_equity(clv, n_customers=n_customers)}

    def compute(moved_to_fast, reminded):
        today = value(retention(slow_now, reminded_now))
        plan = value(retention(slow_now * (1 - moved_to_fast), reminded))
        out = pd.DataFrame([today, plan], index=["today", "plan"])
        out.loc["change"] = out.loc["plan"] - out.loc["today"]
        return out

    return Explorer(
        compute,
        {"moved_to_fast": ("slider", 0.0, 0.0, 1.0, 0.05),
         "reminded": ("slider", reminded_now, 0.0, 1.0, 0.01)},
        render=lambda result: table_html(result, {"retention": "{:.2%}", "clv": "{:,.0f}",
                                                  "customer_equity": "{:,.0f}"}),
        title=_t("What if slow branches settled fast and every renewal got a reminder?"),
    ).relabel(
        {"moved_to_fast": _t("share of slow-branch customers moved to fast"),
         "reminded": _t("share of renewals with a reminder")},
        percent=["moved_to_fast", "reminded"])
