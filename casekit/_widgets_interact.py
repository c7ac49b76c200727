"""Widgets for Interact (客户互动): campaign lift by segment, and outcome rates by band."""

from __future__ import annotations

import pandas as pd

from ._explorer import Explorer, table_html
from ._i18n import _choices, _t
from ._interact import ab_lift, rate_by_band
from ._validation import check_frame

ALL_CAMPAIGNS = "all campaigns"


_COUNTS = {"n": "{:,.0f}", "n_treatment": "{:,.0f}", "n_control": "{:,.0f}"}


def campaign_lift_explorer(
    campaigns: pd.DataFrame,
    customers: pd.DataFrame,
    *,
    segment_col: str = "size_band",
    confidence: float = 0.95,
    campaign_col: str = "campaign_id",
    customer_col: str = "customer_id",
) -> Explorer:
    """Pick a campaign and a confidence level; see the lift per segment with its interval.

    Parameters
    ----------
    campaigns : DataFrame
        One row per targeted customer and campaign, with ``group`` (treatment or
        control) and ``responded`` (the office-supplies ``campaigns`` table).
    customers : DataFrame
        ``customer_col`` and ``segment_col`` for every customer (``companies``).
    segment_col : str
        The segment to compare.
    confidence : float
        Where the confidence slider starts (0.80 to 0.99).

    Returns
    -------
    Explorer
        Controls ``campaign`` (one campaign or all of them) and ``confidence``;
        ``result`` is :func:`casekit.ab_lift` by segment.

    Examples
    --------
    >>> campaigns = pd.DataFrame({"campaign_id": ["C1"] * 4 + ["C2"] * 4,
    ...                           "customer_id": ["a", "b", "c", "d"] * 2,
    ...                           "group": ["treatment", "control"] * 4,
    ...                           "responded": [1, 0, 0, 0, 1, 1, 1, 0]})
    >>> customers = pd.DataFrame({"customer_id": ["a", "b", "c", "d"], "size_band": "small"})
    >>> explorer = campaign_lift_explorer(campaigns, customers)
    >>> explorer.controls["campaign"].value = "C2"
    >>> float(explorer.result.loc["small", "lift"])
    0.5
    """
    func = "campaign_lift_explorer"
    if isinstance(confidence, bool) or not isinstance(confidence, int | float) or not (
        0.8 <= confidence <= 0.99
    ):
        raise ValueError(f"{func}: confidence must be a number from 0.8 to 0.99; "
                         f"found {confidence!r}")
    check_frame(campaigns, func=func, name="campaigns",
                columns={campaign_col: "key", customer_col: "key"})
    segments = check_frame(customers, func=func, name="customers",
                           columns={customer_col: "key", segment_col: "key"}, unique=customer_col)
    data = campaigns.merge(segments, on=customer_col, how="left")
    unknown = data.loc[data[segment_col].isna(), customer_col]
    if len(unknown):
        raise ValueError(f"{func}: {len(unknown)} campaign rows name customers missing from "
                         f"customers, e.g. {unknown.head(5).tolist()!r}")
    by_campaign = {name: part for name, part in data.groupby(campaign_col)}
    options = [ALL_CAMPAIGNS, *sorted(by_campaign)]

    def compute(campaign, confidence):
        part = data if campaign == ALL_CAMPAIGNS else by_campaign[campaign]
        return ab_lift(part, by=segment_col, confidence=confidence)

    return Explorer(
        compute,
        {"campaign": ("dropdown", ALL_CAMPAIGNS,
                      _choices(options, {ALL_CAMPAIGNS: _t("all campaigns")})),
         "confidence": ("slider", float(confidence), 0.8, 0.99, 0.01)},
        render=lambda result: table_html(result, _COUNTS),
        title=_t("Response lift over the control group, by segment"),
    ).relabel({"confidence": _t("confidence level"), "campaign": _t("campaign")},
                                              percent=["confidence"])


def band_rate_explorer(
    data: pd.DataFrame,
    *,
    outcome_col: str,
    value_cols,
    bands: int = 4,
) -> Explorer:
    """Pick a column and a number of bands; see the outcome rate in each band.

    Numeric columns are cut into ``bands`` quantile bands (0 bands: one per
    distinct value); other columns (yes/no, text) always get one band per value.

    Parameters
    ----------
    data : DataFrame
        One row per customer or decision, with the outcome and the columns.
    outcome_col : str
        The yes/no outcome, such as churned or renewed.
    value_cols : list of str
        The columns offered in the drop-down.
    bands : int
        Where the bands slider starts (0 to 10).

    Returns
    -------
    Explorer
        Controls ``column`` and ``bands``; ``result`` is :func:`casekit.rate_by_band`.

    Examples
    --------
    >>> data = pd.DataFrame({"tickets": [0, 0, 1, 2, 3, 5], "vip": [1, 0, 1, 0, 1, 0],
    ...                      "churned": [0, 0, 1, 0, 1, 1]})
    >>> explorer = band_rate_explorer(data, outcome_col="churned", value_cols=["tickets", "vip"],
    ...                               bands=2)
    >>> explorer.result["rate"].round(2).tolist()
    [0.33, 0.67]
    """
    func = "band_rate_explorer"
    if isinstance(value_cols, str):
        value_cols = [value_cols]
    value_cols = list(value_cols)
    if not value_cols:
        raise ValueError(f"{func}: value_cols is empty; name at least one column")
    if isinstance(bands, bool) or not isinstance(bands, int) or not 0 <= bands <= 10:
        raise ValueError(f"{func}: bands must be an int from 0 to 10; found {bands!r}")
    clean = check_frame(data, func=func, name="data",
                        columns={outcome_col: "any", **{c: "any" for c in value_cols}})
    numeric = {c: pd.api.types.is_numeric_dtype(clean[c])
               and not pd.api.types.is_bool_dtype(clean[c]) for c in value_cols}

    def compute(column, bands):
        bins = bands if numeric[column] and bands > 0 else None
        return rate_by_band(clean, value_col=column, outcome_col=outcome_col, bins=bins)

    return Explorer(
        compute,
        {"column": ("dropdown", value_cols[0], value_cols),
         "bands": ("slider", bands, 0, 10, 1)},
        render=lambda result: table_html(result, _COUNTS),
        title=_t("Share {outcome}, by band").format(outcome=outcome_col),
    ).relabel(
        {"column": _t("signal"), "bands": _t("quantile bands (0: one per value)")})
