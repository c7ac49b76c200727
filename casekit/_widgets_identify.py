"""Widget for Identify (客户识别): the match threshold against the truth."""

from __future__ import annotations

import pandas as pd

from ._explorer import Explorer, table_html
from ._i18n import _t
from ._identify import match_quality, match_records, record_pairs
from ._validation import check_frame


def match_threshold_explorer(
    records: pd.DataFrame,
    record_map: pd.DataFrame,
    *,
    threshold: float = 0.8,
    record_col: str = "record_id",
    customer_col: str = "customer_id",
) -> Explorer:
    """A slider for the match threshold, showing precision and recall against the truth.

    The candidate pairs are scored once with :func:`casekit.record_pairs`; each
    move of the slider calls :func:`casekit.match_records` with those pairs and
    :func:`casekit.match_quality` against ``record_map``.

    Parameters
    ----------
    records : DataFrame
        The department records (``case.tables["records"]`` of a dirty case).
    record_map : DataFrame
        The true mapping of records to customers (``case.record_map``).
    threshold : float
        Where the slider starts, from 0.5 to 1.

    Returns
    -------
    Explorer
        Control ``threshold``; ``result`` is the Series of :func:`casekit.match_quality`.

    Examples
    --------
    >>> import pandas as pd
    >>> records = pd.DataFrame({"record_id": ["r1", "r2", "r3"],
    ...                         "name": ["Smith, John", "John Smith", "Jon Smyth"]})
    >>> truth = pd.DataFrame({"record_id": ["r1", "r2", "r3"],
    ...                       "customer_id": ["a", "a", "b"]})
    >>> explorer = match_threshold_explorer(records, truth, threshold=0.95)
    >>> explorer.result[["precision", "recall"]].tolist()
    [1.0, 1.0]
    """
    if not isinstance(threshold, int | float) or not 0.5 <= threshold <= 1:
        raise ValueError(f"match_threshold_explorer: threshold must be a number from 0.5 to 1; "
                         f"found {threshold!r}")
    check_frame(records, func="match_threshold_explorer", name="records",
                columns={record_col: "key"}, unique=record_col)
    check_frame(record_map, func="match_threshold_explorer", name="record_map",
                columns={record_col: "key", customer_col: "key"}, unique=record_col)
    pairs = record_pairs(records, record_col=record_col)

    def compute(threshold):
        matches = match_records(records, threshold=threshold, pairs=pairs, record_col=record_col)
        return match_quality(matches, record_map, record_col=record_col,
                             customer_col=customer_col)

    return Explorer(
        compute,
        {"threshold": ("slider", float(threshold), 0.5, 1.0, 0.01)},
        render=lambda result: table_html(result.rename(_t("at this threshold"))),
        title=_t("Link record pairs scoring at least the threshold"),
    ).relabel(
        {"threshold": _t("link pairs scoring at least (0 to 1)")})
