"""Contract accounts: durations for survival curves, and the arrears policy (Reading 5).

Reading 5's essay on the electricity utility recommends handling small arrears
leniently to keep customers satisfied.  :func:`arrears_churn` measures how much
more often accounts in arrears leave; :func:`arrears_policy` is a stated what-if
model of the threshold above which the utility stops being lenient.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from casekit._transactions import check_number
from casekit._validation import check_choice, check_date, check_frame, check_optional_dates

#: Days in an average calendar month, to state durations in months.
DAYS_PER_MONTH = 365.25 / 12


def account_durations(
    accounts,
    *,
    as_of,
    customer_col="customer_id",
    start_col="start_date",
    end_col="end_date",
    unit="month",
) -> pd.DataFrame:
    """Time each account stayed, and whether its end was seen, for survival curves.

    An account closed on or before ``as_of`` has ``observed`` True and lasted
    from its start to its end; an account still open (no end date, or an end
    after ``as_of``) is *censored*: it lasted at least until ``as_of``.
    Accounts opened after ``as_of`` are left out.

    Parameters
    ----------
    accounts : pandas.DataFrame
        One row per account, e.g. ``case.accounts`` of the utility case.
    as_of : date-like
        End of observation, e.g. ``case.end``.
    customer_col, start_col, end_col : str
        Column names; a missing end date means the account is open.
    unit : {"month", "day"}
        Unit of ``duration`` (a month is 365.25 / 12 days).

    Returns
    -------
    pandas.DataFrame
        Indexed by customer id: ``duration`` (>= 0) and ``observed`` (bool),
        ready for :func:`casekit.kaplan_meier`.

    Examples
    --------
    >>> acc = pd.DataFrame({"customer_id": ["a", "b"],
    ...                     "start_date": ["2024-01-01", "2024-03-01"],
    ...                     "end_date": ["2024-01-31", None]})
    >>> account_durations(acc, as_of="2024-03-31", unit="day")
                 duration  observed
    customer_id
    a                30.0      True
    b                30.0     False
    """
    func = "account_durations"
    check_choice(unit, func=func, name="unit", choices=("month", "day"))
    as_of = check_date(as_of, func=func, name="as_of")
    frame = check_frame(accounts, func=func, name="accounts", unique=customer_col,
                        columns={customer_col: "key", start_col: "date", end_col: "any"})
    ends = check_optional_dates(frame[end_col], func=func, column=end_col)
    started = frame[start_col] <= as_of
    if not started.any():
        raise ValueError(f"{func}: no account started on or before as_of={as_of.date()}")
    early = (ends < frame[start_col]).fillna(False)
    if early.any():
        raise ValueError(
            f"{func}: {int(early.sum())} accounts end before they start, e.g. "
            f"{frame.loc[early, customer_col].head(5).tolist()!r}"
        )
    frame, ends = frame.loc[started], ends.loc[started]
    observed = (ends <= as_of).fillna(False)
    stop = ends.where(observed, as_of)
    days = (stop - frame[start_col]).dt.total_seconds() / 86400
    duration = days / DAYS_PER_MONTH if unit == "month" else days
    out = pd.DataFrame({"duration": duration.to_numpy(), "observed": observed.to_numpy(bool)},
                       index=pd.Index(frame[customer_col].to_numpy(), name=customer_col))
    return out.sort_index()


def _account_months(bills, func, *, customer_col, amount_col, margin_col, balance_col,
                    final_col) -> pd.DataFrame:
    """Each bill as an account-month: arrears carried in, in typical bills, and the exit."""
    frame = check_frame(bills, func=func, name="bills",
                        columns={customer_col: "key", amount_col: "number",
                                 margin_col: "number", balance_col: "nonnegative",
                                 final_col: "any"})
    final = frame[final_col]
    if not pd.api.types.is_bool_dtype(final):
        raise ValueError(
            f"{func}: column {final_col!r} must hold True/False (the account's closing bill); "
            f"found dtype {final.dtype}"
        )
    groups = frame.groupby(customer_col, sort=False)
    typical = groups[amount_col].transform("median")
    if (typical <= 0).any():
        bad = frame.loc[typical <= 0, customer_col].unique()[:5].tolist()
        raise ValueError(
            f"{func}: every account needs a positive median bill in {amount_col!r}; found "
            f"accounts without one, e.g. {bad!r}"
        )
    return pd.DataFrame({
        "customer_id": frame[customer_col].to_numpy(),
        "balance": frame[balance_col].to_numpy(),
        "in_bills": (frame[balance_col] / typical).to_numpy(),
        "monthly_margin": groups[margin_col].transform("median").to_numpy(),
        "left": final.to_numpy(bool),
    })


def arrears_churn(
    bills,
    *,
    bands=(0.5, 1.5, 3.0),
    customer_col="customer_id",
    amount_col="amount",
    margin_col="gross_margin",
    balance_col="previous_balance",
    final_col="final_bill",
) -> pd.DataFrame:
    """Monthly exit rate of accounts by the arrears they carry into the month.

    Each bill is one account-month.  Its arrears are the unpaid balance carried
    into it, measured in *typical bills* (the account's median bill), and the
    account left that month when the bill is its closing bill.

    Parameters
    ----------
    bills : pandas.DataFrame
        One row per monthly bill, e.g. ``case.bills`` of the utility case.
    bands : sequence of float
        Increasing upper edges of the arrears bands, in typical bills; the
        last band is open-ended.
    customer_col, amount_col, margin_col, balance_col, final_col : str
        Column names (``final_col`` holds True on an account's closing bill).

    Returns
    -------
    pandas.DataFrame
        One row per band (``none`` first, for no arrears): ``account_months``,
        ``exits``, ``exit_rate`` (exits per account-month) and ``rate_ratio``
        (exit rate over that of ``none``).  A band that no bill falls into has
        no exit rate, so it is left out, with a warning that names it.

    Raises
    ------
    ValueError
        When no bill is without arrears, or no account without arrears left:
        ``rate_ratio`` then has nothing to divide by.

    Examples
    --------
    >>> bills = pd.DataFrame({"customer_id": ["a", "a", "b", "b", "c", "c"],
    ...                       "amount": [50.0, 50, 80, 80, 60, 60],
    ...                       "gross_margin": [15.0, 15, 20, 20, 18, 18],
    ...                       "previous_balance": [0.0, 0, 0, 80, 0, 120],
    ...                       "final_bill": [False, True, False, True, False, False]})
    >>> arrears_churn(bills, bands=(1.5,))
             account_months  exits  exit_rate  rate_ratio
    arrears
    none                  4      1       0.25         1.0
    0-1.5                 1      1       1.00         4.0
    >1.5                  1      0       0.00         0.0
    """
    func = "arrears_churn"
    try:
        edges = np.asarray(bands, dtype=float) if np.ndim(bands) == 1 else np.array([])
    except (TypeError, ValueError):  # text such as ("low", "high")
        edges = np.array([])
    if edges.size == 0 or not np.all(np.isfinite(edges)) or edges[0] <= 0 \
            or np.any(np.diff(edges) <= 0):
        raise ValueError(
            f"{func}: bands must be increasing positive numbers of typical bills such as "
            f"(0.5, 1.5, 3.0); found {bands!r}"
        )
    months = _account_months(bills, func, customer_col=customer_col, amount_col=amount_col,
                             margin_col=margin_col, balance_col=balance_col, final_col=final_col)
    labels = ["none"] + [f"{lo:g}-{hi:g}" for lo, hi in zip(np.r_[0, edges[:-1]], edges,
                                                            strict=True)]
    labels.append(f">{edges[-1]:g}")
    band = np.where(months["balance"] > 0,
                    1 + np.searchsorted(edges, months["in_bills"].to_numpy(), side="left"), 0)
    account_months = np.bincount(band, minlength=len(labels))
    exits = np.bincount(band, weights=months["left"].to_numpy(float), minlength=len(labels))
    if account_months[0] == 0 or exits[0] == 0:
        found = ("no bill without arrears" if account_months[0] == 0 else
                 f"no exit in the {account_months[0]} account-months without arrears")
        raise ValueError(
            f"{func}: rate_ratio compares each band with the exit rate of accounts without "
            f"arrears, and there is {found}; pass bills that include account-months without "
            f"arrears and closing bills among them"
        )
    empty = account_months == 0
    if empty.any():
        left_out = [label for label, e in zip(labels, empty, strict=True) if e]
        warnings.warn(
            f"{func}: no bill falls in the arrears bands {left_out!r}, so they have no exit "
            "rate and are left out; choose fewer or wider bands",
            UserWarning, stacklevel=2)
    keep = ~empty
    rate = exits[keep] / account_months[keep]
    return pd.DataFrame({"account_months": account_months[keep],
                         "exits": exits[keep].astype(int),
                         "exit_rate": rate, "rate_ratio": rate / rate[0]},
                        index=pd.Index([label for label, k in zip(labels, keep, strict=True)
                                        if k], name="arrears"))


def arrears_policy(
    bills,
    *,
    threshold=1.5,
    churn_ratio=1.3,
    recovery=0.9,
    value_months=12,
    customer_col="customer_id",
    amount_col="amount",
    margin_col="gross_margin",
    balance_col="previous_balance",
    final_col="final_bill",
) -> pd.Series:
    """What-if: act on arrears above ``threshold`` typical bills, be lenient below.

    The model, stated so it can be argued with:

    - Every account-month that carries arrears is at risk of the account
      leaving with the exit rate ``h`` observed in ``bills`` for account-months
      in arrears.  When an account leaves, its arrears become bad debt.
    - **Lenient** (arrears up to ``threshold`` typical bills): nothing changes;
      the expected bad debt of the month is ``h * balance``.
    - **Act** (arrears above it: a firm demand and the threat of
      disconnection): the firm collects the share ``recovery`` of the balance,
      but the account leaves with rate ``h * churn_ratio``.  Expected bad debt
      ``h * churn_ratio * (1 - recovery) * balance``; each extra exit costs
      ``value_months`` months of the account's median margin.
    - ``net_effect`` = bad debt avoided minus margin lost, over the bills given.

    The assumptions (``churn_ratio``, ``recovery``, ``value_months``) are not
    in the data; change them and see whether the best threshold moves.

    Parameters
    ----------
    bills : pandas.DataFrame
        One row per monthly bill, e.g. ``case.bills`` of the utility case.
    threshold : float
        Arrears, in typical bills (the account's median bill), above which
        the firm acts; 0 acts on any arrears.
    churn_ratio : float
        Factor (>= 1) by which acting multiplies the exit rate.
    recovery : float
        Share of the balance collected when the firm acts, in [0, 1].
    value_months : float
        Months of margin an account that leaves would still have brought.
    customer_col, amount_col, margin_col, balance_col, final_col : str
        Column names, as in :func:`arrears_churn`.

    Returns
    -------
    pandas.Series
        ``threshold``, ``exit_rate_in_arrears`` (``h``), ``months_in_arrears``,
        ``months_acted_on``, ``accounts_acted_on``, ``extra_exits``,
        ``margin_lost``, ``bad_debt_lenient`` (expected bad debt if the firm
        never acts), ``bad_debt_avoided`` and ``net_effect``.

    Examples
    --------
    >>> bills = pd.DataFrame({"customer_id": ["a", "a", "b", "b", "c", "c"],
    ...                       "amount": [50.0, 50, 80, 80, 60, 60],
    ...                       "gross_margin": [15.0, 15, 20, 20, 18, 18],
    ...                       "previous_balance": [0.0, 25, 0, 160, 0, 0],
    ...                       "final_bill": [False, False, False, True, False, True]})
    >>> policy = arrears_policy(bills, threshold=1.0)
    >>> policy[["exit_rate_in_arrears", "months_acted_on", "extra_exits"]].round(2).tolist()
    [0.5, 1.0, 0.15]
    >>> print(round(policy["net_effect"], 2))
    33.6
    """
    func = "arrears_policy"
    threshold = check_number(threshold, func=func, name="threshold", low=0)
    churn_ratio = check_number(churn_ratio, func=func, name="churn_ratio", low=1)
    recovery = check_number(recovery, func=func, name="recovery", low=0, high=1)
    value_months = check_number(value_months, func=func, name="value_months", low=0)
    months = _account_months(bills, func, customer_col=customer_col, amount_col=amount_col,
                             margin_col=margin_col, balance_col=balance_col, final_col=final_col)
    owing = months.loc[months["balance"] > 0]
    if owing.empty:
        raise ValueError(f"{func}: no bill carries arrears in {balance_col!r}, so there is "
                         "nothing to decide")
    h = float(owing["left"].mean())
    acted = owing.loc[owing["in_bills"] > threshold]
    strict_h = min(1.0, h * churn_ratio)
    extra = (strict_h - h) * len(acted)
    lost = float((strict_h - h) * value_months * acted["monthly_margin"].sum())
    avoided = float((h - strict_h * (1 - recovery)) * acted["balance"].sum())
    return pd.Series({
        "threshold": threshold,
        "exit_rate_in_arrears": h,
        "months_in_arrears": float(len(owing)),
        "months_acted_on": float(len(acted)),
        "accounts_acted_on": float(acted["customer_id"].nunique()),
        "extra_exits": extra,
        "margin_lost": lost,
        "bad_debt_lenient": float(h * owing["balance"].sum()),
        "bad_debt_avoided": avoided,
        "net_effect": avoided - lost,
    }, name="arrears_policy")
