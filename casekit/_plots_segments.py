"""Figures for the segmentation results: Pareto/whale curve, RFM heatmap, pyramid, flows."""

from __future__ import annotations

import numpy as np
import pandas as pd

from casekit._i18n import _t
from casekit._validation import check_frame

_FIGSIZE = (6.0, 4.0)


def _axes(ax):
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=_FIGSIZE)
    return ax


def _check_matrix(matrix, func: str) -> pd.DataFrame:
    if not isinstance(matrix, pd.DataFrame):
        raise TypeError(f"{func}: matrix must be a pandas DataFrame; found "
                        f"{type(matrix).__name__}")
    if matrix.empty:
        raise ValueError(f"{func}: matrix is empty; expected at least one row and column")
    values = matrix.apply(pd.to_numeric, errors="coerce")
    bad = ~np.isfinite(values.to_numpy(dtype=float))
    if bad.any():
        raise ValueError(f"{func}: matrix must hold finite numbers; found {int(bad.sum())} "
                         f"values that are not")
    return values.astype(float)


def plot_pareto(pareto, *, ax=None):
    """Draw the Pareto curve (or the whale curve) from :func:`abc_pareto`'s result.

    Parameters
    ----------
    pareto : pandas.DataFrame
        The result of :func:`casekit.abc_pareto`, in rank order.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from casekit import abc_pareto
    >>> tx = pd.DataFrame({"customer_id": list("abcde"), "date": "2024-03-01",
    ...                    "amount": [70.0, 15.0, 8.0, 5.0, 2.0]})
    >>> plot_pareto(abc_pareto(tx)).get_ylabel()
    'cumulative share of value'
    """
    func = "plot_pareto"
    frame = check_frame(pareto, func=func, name="pareto", columns={
        "customer_share": "number", "cum_share": "number", "pareto_class": "key"})
    ax = _axes(ax)
    x = np.concatenate(([0.0], frame["customer_share"].to_numpy()))
    y = np.concatenate(([0.0], frame["cum_share"].to_numpy()))
    ax.plot(x, y, color="0.2", linewidth=1.5)
    classes = frame["pareto_class"].astype(str).to_numpy()
    palette = ["#2a9d8f", "#e9c46a", "#e76f51", "#8d99ae", "#6d597a"]
    for i, name in enumerate(dict.fromkeys(classes)):
        rows = np.flatnonzero(classes == name) + 1
        span = np.r_[rows[0] - 1, rows]
        ax.fill_between(x[span], 0, y[span], color=palette[i % len(palette)], alpha=0.5,
                        label=_t("class {name}: {n} customers").format(name=name, n=len(rows)))
    ax.axhline(1.0, color="0.5", linestyle=":", linewidth=1)
    whale = y.max() > 1 + 1e-9
    ax.set_title(_t("Whale curve") if whale else _t("Pareto curve"))
    ax.set_xlabel(_t("share of customers, best first"))
    ax.set_ylabel(_t("cumulative share of value"))
    ax.set_xlim(0, 1)
    ax.legend(loc="lower right", fontsize="small")
    return ax


def plot_rfm_heatmap(scores, *, value="monetary", ax=None):
    """Heatmap of customers by recency and frequency score.

    Parameters
    ----------
    scores : pandas.DataFrame
        The result of :func:`casekit.rfm_scores` (or ``rfm_segments``).
    value : str or None
        Column averaged in each cell (default ``"monetary"``); None counts
        the customers.
    ax : matplotlib.axes.Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from casekit import rfm_scores
    >>> tx = pd.DataFrame({"customer_id": list("abcdef"), "amount": [5.0, 8, 1, 9, 3, 4],
    ...                    "date": pd.date_range("2024-01-01", periods=6, freq="W")})
    >>> plot_rfm_heatmap(rfm_scores(tx)).get_xlabel()
    'frequency score'
    """
    import seaborn as sns

    func = "plot_rfm_heatmap"
    columns = {"r_score": "number", "f_score": "number"}
    if value is not None:
        columns[value] = "number"
    frame = check_frame(scores, func=func, name="scores", columns=columns)
    bins = int(max(frame["r_score"].max(), frame["f_score"].max()))
    levels = range(1, bins + 1)
    grouped = frame.groupby(["r_score", "f_score"])
    table = grouped.size() if value is None else grouped[value].mean()
    table = table.unstack("f_score").reindex(index=levels, columns=levels)
    table.index = table.index.astype(int)
    table.columns = table.columns.astype(int)
    ax = _axes(ax)
    sns.heatmap(table.iloc[::-1], ax=ax, annot=True, fmt=".0f", cmap="YlGnBu",
                cbar_kws={"label": "customers" if value is None else f"mean {value}"})
    ax.set_xlabel(_t("frequency score"))
    ax.set_ylabel(_t("recency score"))
    ax.tick_params(axis="y", rotation=0)
    ax.set_title(_t("RFM: customers") if value is None
                 else _t("RFM: mean {value}").format(value=value))
    return ax


def plot_pyramid(pyramid, *, value="revenue", ax=None):
    """Draw Curry's pyramid: bar width = customers, label = share of ``value``.

    Parameters
    ----------
    pyramid : pandas.DataFrame
        The result of :func:`casekit.customer_pyramid`.
    value : str
        The column whose share each tier's label shows (``"revenue"`` or
        ``"profit"``).
    ax : matplotlib.axes.Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from casekit import customer_pyramid
    >>> tx = pd.DataFrame({"customer_id": [f"c{i}" for i in range(50)],
    ...                    "date": "2024-05-01", "amount": np.arange(50.0)})
    >>> [t.get_text() for t in plot_pyramid(customer_pyramid(tx)).get_yticklabels()]
    ['inactive', 'small', 'medium', 'big', 'top']
    """
    from casekit._abc import segment_shares

    func = "plot_pyramid"
    frame = check_frame(pyramid, func=func, name="pyramid",
                        columns={"tier": "key", value: "number"})
    if not isinstance(frame["tier"].dtype, pd.CategoricalDtype):
        raise ValueError(f"{func}: column 'tier' must be categorical as customer_pyramid "
                         f"returns it; found dtype {frame['tier'].dtype}")
    shares = segment_shares(frame, by="tier", values=[value]).iloc[::-1]
    ax = _axes(ax)
    widths = shares["customer_share"].to_numpy()
    shown = np.maximum(widths, 0.02)  # a 1 % tier must stay visible
    y = np.arange(len(shares))
    palette = ["#264653", "#2a9d8f", "#e9c46a", "#f4a261", "#e76f51"]
    colors = ["#bbbbbb"] + [palette[i % len(palette)] for i in range(len(shares) - 1)][::-1]
    ax.barh(y, shown, left=-shown / 2, color=colors, edgecolor="white")
    counts = shares["customers"].to_numpy()
    value_shares = shares[f"{value}_share"].fillna(0.0).to_numpy()
    # Each label sits just right of its own bar, never over a bar: a centred label is
    # wider than the narrow top tiers and unreadable on the dark colours.
    for yi, half, count, share in zip(y, shown / 2, counts, value_shares, strict=True):
        ax.text(half + 0.02, yi, _t("{count} customers · {share} of {value}").format(
                    count=f"{int(count):,}", share=f"{share:.0%}", value=value),
                ha="left", va="center", fontsize="small")
    ax.set_yticks(y, [str(t) for t in shares.index])
    ax.set_xticks([])
    ax.set_xlim(-shown.max() / 2 - 0.02, shown.max() / 2 + 0.8)
    ax.set_title(_t("Customer pyramid"))
    return ax


def plot_migration(matrix, *, ax=None):
    """Heatmap of a migration matrix (:func:`pyramid_migration`, ``lifecycle_transitions``).

    Parameters
    ----------
    matrix : pandas.DataFrame
        Rows = from, columns = to; counts or shares.
    ax : matplotlib.axes.Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> m = pd.DataFrame([[3, 1], [0, 2]], index=["top", "small"], columns=["top", "small"])
    >>> plot_migration(m).get_title()
    'Migration'
    """
    import seaborn as sns

    table = _check_matrix(matrix, "plot_migration")
    shares = table.to_numpy().max() <= 1
    ax = _axes(ax)
    sns.heatmap(table, ax=ax, annot=True, fmt=".0%" if shares else ".0f", cmap="Blues",
                cbar=False, linewidths=0.5)
    ax.set_xlabel(_t("to ({name})").format(name=table.columns.name)
                  if table.columns.name not in (None, "to") else _t("to"))
    ax.set_ylabel(_t("from"))
    ax.set_title(_t("Migration"))
    return ax


def plot_lifecycle_flow(transitions, *, ax=None):
    """Stage flows: for each starting stage, where its customers went (stacked shares).

    Parameters
    ----------
    transitions : pandas.DataFrame
        The result of :func:`casekit.lifecycle_transitions` (counts or shares).
    ax : matplotlib.axes.Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> m = pd.DataFrame([[2, 2], [0, 5]], index=["formation", "decline"],
    ...                  columns=["stability", "churned"])
    >>> len(plot_lifecycle_flow(m).patches)
    4
    """
    func = "plot_lifecycle_flow"
    table = _check_matrix(transitions, func)
    sizes = table.sum(axis=1)
    shares = table.div(sizes.where(sizes > 0), axis=0).fillna(0.0)
    ax = _axes(ax)
    palette = {"exploration": "#8ecae6", "formation": "#219ebc", "stability": "#2a9d8f",
               "decline": "#f4a261", "churned": "#e76f51"}
    extra = iter(["#6d597a", "#b56576", "#8d99ae", "#bbbbbb"])
    left = np.zeros(len(shares))
    y = np.arange(len(shares))[::-1]
    for stage in shares.columns:
        width = shares[stage].to_numpy()
        ax.barh(y, width, left=left, label=str(stage),
                color=palette.get(str(stage)) or next(extra, "#999999"), edgecolor="white")
        left += width
    if np.allclose(table.to_numpy(), np.round(table.to_numpy())):
        labels = [f"{stage} ({int(n):,})" for stage, n in sizes.items()]
    else:
        labels = [str(stage) for stage in sizes.index]
    ax.set_yticks(y, labels)
    ax.set_xlim(0, 1)
    ax.set_xlabel(_t("share of the stage's customers"))
    ax.set_title(_t("Lifecycle flows"))
    ax.legend(title=_t("to"), loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize="small")
    return ax
