"""Figures for the CLV chapter. Each takes ``ax=None`` and returns the Axes."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ._btyd import BetaGeo, ParetoNBD
from ._i18n import _t
from ._plots_segments import _axes
from ._sbg import ShiftedBetaGeometric
from ._validation import check_array, check_choice


def _count(value, func: str, name: str) -> int:
    """A whole-number parameter >= 1 (a length, a number of bins)."""
    return int(check_array(value, func=func, name=name, lower=1, integer=True)[0])


def _fitted(model, kinds, func):
    if not isinstance(model, kinds):
        names = " or ".join(k.__name__ for k in kinds)
        raise TypeError(f"{func}: model must be a fitted {names}; found {type(model).__name__}")
    model._check_fitted(func.split(".")[-1])


def plot_probability_alive_matrix(model, *, T, max_frequency=20, max_recency=None, ax=None):
    """Heat map of P(alive) by frequency and recency for customers observed for ``T``.

    Parameters
    ----------
    model : BetaGeo or ParetoNBD
        A fitted transaction model.
    T : float
        Length of observation of the customers shown (in the model's time unit).
    max_frequency : int
        Largest frequency on the vertical axis.
    max_recency : float, optional
        Largest recency shown; defaults to ``T``.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> model = BetaGeo()
    >>> model.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    >>> ax = plot_probability_alive_matrix(model, T=39, max_frequency=10)
    >>> ax.get_xlabel()
    'recency (time of the last purchase)'
    """
    func = "plot_probability_alive_matrix"
    _fitted(model, (BetaGeo, ParetoNBD), func)
    big_t = check_array(T, func=func, name="T", lower=0, strict=True)[0]
    top = _count(max_frequency, func, "max_frequency")
    right = big_t if max_recency is None else check_array(
        max_recency, func=func, name="max_recency", lower=0, strict=True)[0]
    if right > big_t:
        raise ValueError(f"{func}: max_recency must be <= T ({big_t:g}); found {right:g}")
    recency = np.linspace(0, right, 60)
    frequency = np.arange(top + 1)
    x, t_x = np.meshgrid(frequency, recency, indexing="ij")
    t_x = np.where(x == 0, 0.0, t_x)
    alive = model.probability_alive(x.ravel(), t_x.ravel(), np.full(x.size, big_t))
    ax = _axes(ax)
    image = ax.imshow(alive.reshape(x.shape), origin="lower", aspect="auto", vmin=0, vmax=1,
                      cmap="viridis", extent=(0, right, -0.5, top + 0.5))
    ax.figure.colorbar(image, ax=ax, label=_t("P(alive)"))
    ax.set_xlabel(_t("recency (time of the last purchase)"))
    ax.set_ylabel(_t("frequency (repeat purchases)"))
    ax.set_title(_t("Probability alive, customers observed for T = {T}").format(T=f"{big_t:g}"))
    return ax


def plot_expected_vs_actual(model, frequency, recency, T, holdout_frequency, t, *,
                            max_frequency=7, ax=None):
    """Expected versus actual purchases in a holdout period, by calibration frequency.

    The conditional-expectation check of Fader, Hardie & Lee (2005): customers
    are grouped by their calibration frequency (the last group is
    ``max_frequency`` and more) and each group's mean holdout purchases is set
    against the model's mean expectation.

    Parameters
    ----------
    model : BetaGeo or ParetoNBD
        Fitted on the calibration period.
    frequency, recency, T : array-like
        Calibration summaries.
    holdout_frequency : array-like
        Purchases each customer made in the holdout.
    t : float
        Length of the holdout period, in the model's time unit.
    max_frequency : int
        Calibration frequencies at or above this are pooled.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> model = BetaGeo()
    >>> model.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    >>> ax = plot_expected_vs_actual(model, [0, 1, 3], [0, 5, 20], [30, 30, 30], [0, 1, 2], t=39)
    >>> [line.get_label() for line in ax.get_lines()]
    ['actual', 'model']
    """
    func = "plot_expected_vs_actual"
    _fitted(model, (BetaGeo, ParetoNBD), func)
    actual = check_array(holdout_frequency, func=func, name="holdout_frequency", lower=0)
    expected = model.expected_purchases(t, frequency, recency, T)
    x = check_array(frequency, func=func, name="frequency", lower=0, integer=True)
    if actual.size != x.size:
        raise ValueError(f"{func}: holdout_frequency must have one value per customer "
                         f"({x.size}); found {actual.size}")
    top = _count(max_frequency, func, "max_frequency")
    group = np.minimum(x, top).astype(int)
    table = pd.DataFrame({"group": group, "actual": actual, "model": expected})
    means = table.groupby("group")[["actual", "model"]].mean()
    ax = _axes(ax)
    ax.plot(means.index, means["actual"], marker="o", color="black", label=_t("actual"))
    ax.plot(means.index, means["model"], marker="s", linestyle="--", label=_t("model"))
    labels = [f"{g}+" if g == top else str(g) for g in means.index]
    ax.set_xticks(means.index, labels)
    ax.set_xlabel(_t("purchases in the calibration period"))
    ax.set_ylabel(_t("mean purchases in the holdout period"))
    ax.legend()
    return ax


def plot_sbg_curves(model, n_periods, *, observed=None, curve="survival", ax=None):
    """Fitted sBG survival or retention curve, with the observed one if given.

    Parameters
    ----------
    model : ShiftedBetaGeometric
        A fitted model.
    n_periods : int
        Number of periods to project.
    observed : array-like, optional
        The ``alive`` counts the model was fitted on (cohort size first).
    curve : {"survival", "retention"}
        Share of the cohort still active, or period-to-period retention rate.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> model = ShiftedBetaGeometric().fit([1000, 631, 468, 382, 326])
    >>> ax = plot_sbg_curves(model, 12, observed=[1000, 631, 468, 382, 326], curve="retention")
    >>> ax.get_ylabel()
    'retention rate'
    """
    func = "plot_sbg_curves"
    _fitted(model, (ShiftedBetaGeometric,), func)
    check_choice(curve, func=func, name="curve", choices=["survival", "retention"])
    n = _count(n_periods, func, "n_periods")
    ax = _axes(ax)
    if curve == "survival":
        ax.plot(np.arange(n + 1), model.survival_curve(n), linestyle="--", label="sBG")
        ax.set_ylabel(_t("share of the cohort still active"))
    else:
        ax.plot(np.arange(1, n + 1), model.retention_curve(n), linestyle="--", label="sBG")
        ax.set_ylabel(_t("retention rate"))
    if observed is not None:
        alive = check_array(observed, func=func, name="observed", lower=0)
        if alive[0] <= 0:
            raise ValueError(f"{func}: observed must start with a positive cohort size")
        if curve == "survival":
            ax.plot(np.arange(alive.size), alive / alive[0], marker="o", color="black",
                    label=_t("observed"))
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                rates = alive[1:] / alive[:-1]
            ax.plot(np.arange(1, alive.size), rates, marker="o", color="black",
                    label=_t("observed"))
    ax.set_xlabel(_t("period"))
    ax.legend()
    return ax


def plot_kaplan_meier(curves, *, band=True, ax=None):
    """Step plot of one or more :func:`kaplan_meier` tables.

    Parameters
    ----------
    curves : pandas.DataFrame or mapping of label to DataFrame
        Output of :func:`kaplan_meier`, or several of them by group.
    band : bool
        Whether to shade the confidence band.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from casekit import kaplan_meier
    >>> ax = plot_kaplan_meier({"home": kaplan_meier([3, 5, 8, 8], [1, 1, 0, 1]),
    ...                         "business": kaplan_meier([6, 9, 12], [1, 0, 0])})
    >>> [text.get_text() for text in ax.get_legend().get_texts()]
    ['home', 'business']
    """
    func = "plot_kaplan_meier"
    if isinstance(curves, pd.DataFrame):
        curves = {"all": curves}
    if not isinstance(curves, Mapping) or not curves:
        raise TypeError(f"{func}: curves must be a kaplan_meier DataFrame or a dict of them; "
                        f"found {type(curves).__name__}")
    ax = _axes(ax)
    for label, table in curves.items():
        missing = [c for c in ("survival", "lower", "upper") if c not in getattr(table,
                                                                                  "columns", [])]
        if missing:
            raise ValueError(f"{func}: curve {label!r} is not a kaplan_meier table; it lacks "
                             f"{missing}")
        (line,) = ax.step(table.index, table["survival"], where="post", label=str(label))
        if band:
            ax.fill_between(table.index, table["lower"], table["upper"], step="post",
                            alpha=0.2, color=line.get_color())
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(_t("time since the contract started"))
    ax.set_ylabel(_t("share still a customer"))
    if len(curves) > 1 or "all" not in curves:
        ax.legend()
    return ax


def plot_clv_distribution(clv, *, bins=40, ax=None):
    """Histogram of customer lifetime values with the mean and the median marked.

    Parameters
    ----------
    clv : array-like
        One value per customer.
    bins : int
        Number of bars.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_clv_distribution([5.0, 12.0, 40.0, 7.5, 300.0])
    >>> ax.get_xlabel()
    'customer lifetime value'
    """
    func = "plot_clv_distribution"
    values = check_array(clv, func=func, name="clv")
    n_bins = _count(bins, func, "bins")
    ax = _axes(ax)
    ax.hist(values, bins=n_bins, color="tab:blue", alpha=0.7)
    ax.axvline(values.mean(), color="black",
               label=_t("mean {value}").format(value=f"{values.mean():,.1f}"))
    ax.axvline(np.median(values), color="black", linestyle="--",
               label=_t("median {value}").format(value=f"{np.median(values):,.1f}"))
    ax.set_xlabel(_t("customer lifetime value"))
    ax.set_ylabel(_t("customers"))
    ax.legend()
    return ax
