"""Kaplan-Meier survival for contractual customers observed in continuous time.

Written out plainly (product-limit estimator, Greenwood variance, log(-log)
confidence band) so that students can read it; the tests check it against
lifelines' ``KaplanMeierFitter``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm

from ._validation import check_array


def kaplan_meier(durations, observed=None, *, alpha=0.05):
    """Kaplan-Meier estimate of the share of customers still active.

    At each time ``t`` with ``d`` churns among ``n`` customers still at risk,
    survival is multiplied by ``1 - d / n``. Customers still active at the end
    of the data (``observed`` False) are censored: they count as at risk up to
    their duration and never as churned.

    Parameters
    ----------
    durations : array-like
        Time from the start of each customer's contract to churn or to the end
        of observation, >= 0 (any unit: days, months).
    observed : array-like of bool, optional
        True where the churn was seen, False where the customer was still
        active (censored). Default: every churn seen. When both arguments are
        Series they are matched by index label (same labels in any order);
        different labels are an error.
    alpha : float
        One minus the confidence level of the band (0.05 gives 95 %).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``time`` (0 and each distinct duration), with columns
        ``at_risk``, ``churned``, ``censored``, ``survival``, ``lower`` and
        ``upper`` (Greenwood variance on the log(-log) scale, as in lifelines).

    Examples
    --------
    >>> km = kaplan_meier([2, 3, 3, 5, 8, 8], observed=[1, 1, 0, 1, 0, 1])
    >>> km["survival"].round(3).tolist()
    [1.0, 0.833, 0.667, 0.444, 0.222]
    >>> km["at_risk"].tolist()
    [6, 6, 5, 3, 2]
    """
    func = "kaplan_meier"
    if isinstance(durations, pd.Series) and isinstance(observed, pd.Series):
        observed = _aligned(func, durations, observed)
    if np.ndim(alpha) != 0 or isinstance(alpha, bool):
        raise ValueError(
            f"{func}: alpha must be one number between 0 and 1; found {alpha!r}"
        )
    time = check_array(durations, func=func, name="durations", lower=0)
    if observed is None:
        event = np.ones(time.size, dtype=bool)
    else:
        flags = check_array(observed, func=func, name="observed", lower=0, integer=True)
        if flags.size != time.size:
            raise ValueError(
                f"{func}: observed must have one value per duration ({time.size}); found "
                f"{flags.size}"
            )
        if (flags > 1).any():
            raise ValueError(
                f"{func}: observed must hold True/False (or 1/0); found {flags[flags > 1][:5]}"
            )
        event = flags.astype(bool)
    a = check_array(alpha, func=func, name="alpha", lower=0, strict=True)[0]  # one value
    if a >= 1:
        raise ValueError(f"{func}: alpha must be between 0 and 1; found {a}")

    times, where = np.unique(np.append(time, 0.0), return_inverse=True)
    where = where[:-1]  # the appended 0 only makes sure the table starts at time 0
    churned = np.bincount(where, weights=event, minlength=times.size)
    censored = np.bincount(where, weights=~event, minlength=times.size)
    at_risk = time.size - np.concatenate([[0], np.cumsum(churned + censored)[:-1]])
    with np.errstate(divide="ignore", invalid="ignore"):
        survival = np.cumprod(1 - churned / at_risk)
        greenwood = np.cumsum(churned / (at_risk * (at_risk - churned)))
        z = norm.ppf(1 - a / 2)
        log_s = np.log(survival)
        spread = z * np.sqrt(greenwood) / np.abs(log_s)
        lower = np.exp(-np.exp(np.log(-log_s) + spread))
        upper = np.exp(-np.exp(np.log(-log_s) - spread))
    lower = np.where(survival == 1, 1.0, np.where(survival == 0, 0.0, lower))
    upper = np.where(survival == 1, 1.0, np.where(survival == 0, 0.0, upper))
    return pd.DataFrame(
        {
            "at_risk": at_risk.astype(int),
            "churned": churned.astype(int),
            "censored": censored.astype(int),
            "survival": survival,
            "lower": np.nan_to_num(lower, nan=0.0),
            "upper": np.nan_to_num(upper, nan=1.0),
        },
        index=pd.Index(times, name="time"),
    )


def _aligned(func: str, durations: pd.Series, observed: pd.Series) -> pd.Series:
    """``observed`` in the order of ``durations``, matched by index label, never by position."""
    if durations.index.equals(observed.index):
        return observed
    if not (durations.index.is_unique and observed.index.is_unique):
        raise ValueError(
            f"{func}: durations and observed are Series with different indexes, and one of them "
            "repeats labels, so they cannot be matched customer by customer; pass Series with "
            "the same index"
        )
    missing = durations.index.difference(observed.index)
    extra = observed.index.difference(durations.index)
    if len(missing) or len(extra):
        raise ValueError(
            f"{func}: durations and observed must be indexed by the same customers; "
            f"{len(missing)} labels of durations are not in observed (e.g. {list(missing[:3])}) "
            f"and {len(extra)} labels of observed are not in durations (e.g. {list(extra[:3])})"
        )
    return observed.reindex(durations.index)
