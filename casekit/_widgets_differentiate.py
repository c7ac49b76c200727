"""Widgets for Differentiate (客户区分): RFM bins and segment maps, cost to serve."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
from matplotlib.ticker import PercentFormatter

from ._abc import segment_shares
from ._cases import Case
from ._explorer import Explorer, table_html
from ._i18n import _choices, _t
from ._profitability import ACTIVITY_COSTS, customer_profitability
from ._pyramid import customer_pyramid
from ._rfm import RFM_SEGMENTS, rfm_segments
from ._transactions import check_int
from ._validation import check_choice, check_date

#: Segment maps written on the 1-5 scale; :func:`_segment_map` rescales them.
SEGMENT_MAPS = {
    "rfm package (10 segments)": RFM_SEGMENTS,
    "recency x frequency (4 boxes)": {
        "Best": {"r": (4, 5), "f": (4, 5)},
        "Slipping away": {"r": (1, 3), "f": (4, 5)},
        "New or occasional": {"r": (4, 5), "f": (1, 3)},
        "Rare or gone": {"r": (1, 3), "f": (1, 3)},
    },
    "recency only (3 groups)": {
        "Recent": {"r": (4, 5)},
        "Cooling": {"r": (2, 3)},
        "Dormant": {"r": (1, 1)},
    },
}


def _segment_map(name: str, bins: int) -> dict:
    """The segment map ``name`` with its 1-5 score ranges carried over to ``bins`` scores.

    Score ``t`` of ``bins`` stands for the point ``(t - 0.5) * 5 / bins + 0.5`` of the
    1-5 scale; it belongs to a range ``(low, high)`` when that point lies within
    ``low - 0.5`` and ``high + 0.5``.  A segment left with an empty range is dropped.

    Examples
    --------
    >>> _segment_map("recency only (3 groups)", 3)
    {'Recent': {'r': (3, 3)}, 'Cooling': {'r': (2, 2)}, 'Dormant': {'r': (1, 1)}}
    """
    name = check_choice(name, func="rfm_explorer", name="segment_map",
                        choices=list(SEGMENT_MAPS))
    centres = {t: (t - 0.5) * 5 / bins + 0.5 for t in range(1, bins + 1)}
    out = {}
    for segment, ranges in SEGMENT_MAPS[name].items():
        scaled = {}
        for key, (low, high) in ranges.items():
            inside = [t for t, c in centres.items() if low - 0.5 <= c < high + 0.5]
            if not inside:
                break
            scaled[key] = (min(inside), max(inside))
        else:
            out[segment] = scaled
    return out


def _headers(frame: pd.DataFrame) -> dict:
    """The widgets' table headers in the current language, by column."""
    shown = {
        "rule": _t("rule"),
        "customers": _t("customers"),
        "share of customers": _t("share of customers"),
        "share of revenue": _t("share of revenue"),
        "mean recency (days)": _t("mean recency (days)"),
        "truly alive": _t("truly alive"),
        "at a loss": _t("at a loss"),
        "crossed to loss": _t("crossed to loss"),
        "profit": _t("profit"),
    }
    return {column: shown[column] for column in frame.columns if column in shown}


def _activity(name: str) -> str:
    """An activity of the cost-to-serve widget, in the current language."""
    return {"order": _t("order"), "delivery": _t("delivery"), "visit": _t("visit"),
            "ticket": _t("ticket")}.get(name, name)


def _rules(ranges: dict) -> str:
    return " · ".join(f"{k.upper()} {lo}-{hi}" for k, (lo, hi) in ranges.items()) or "rest"


def rfm_explorer(transactions, *, truth=None, as_of=None, bins=5,
                 segment_map="rfm package (10 segments)") -> Explorer:
    """RFM segments with a slider for the number of score bins and a segment-map menu.

    Each move calls :func:`casekit.rfm_segments` with ``bins`` and the chosen map,
    its 1-5 ranges carried over to the chosen number of bins.  The table shows
    each segment's rule, size, share of revenue, mean recency and, with
    ``truth``, the share of its customers who are truly still customers.

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per order, with ``customer_id``, ``date`` and ``amount``.
    truth : pandas.DataFrame, optional
        ``case.truth``: ``customer_id`` and ``alive``.
    as_of : date-like, optional
        The day recency is counted from; defaults to the last date.
    bins, segment_map
        Where the controls start: ``bins`` from 3 to 9, ``segment_map`` one of
        :data:`SEGMENT_MAPS`.

    Returns
    -------
    Explorer
        Controls ``bins`` and ``segment_map``; ``result`` is the frame of
        :func:`casekit.rfm_segments` for that setting.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": list("aabcdde"),
    ...                    "date": ["2024-01-02", "2024-06-20", "2024-05-01", "2024-03-10",
    ...                             "2024-06-01", "2024-06-25", "2024-02-14"],
    ...                    "amount": [20.0, 30.0, 15.0, 80.0, 5.0, 5.0, 40.0]})
    >>> explorer = rfm_explorer(tx, segment_map="recency only (3 groups)")
    >>> explorer.result["segment"].tolist()
    ['Recent', 'Cooling', 'Cooling', 'Recent', 'Dormant']
    >>> explorer.controls["bins"].value = 3
    >>> explorer.result["r_score"].tolist()
    [2, 2, 1, 3, 1]
    """
    as_of = None if as_of is None else check_date(as_of, func="rfm_explorer", name="as_of")
    alive = None
    if truth is not None:
        alive = truth.set_index("customer_id")["alive"].astype(float)
    used = {}

    def compute(bins, segment_map):
        used["map"] = _segment_map(segment_map, bins)
        return rfm_segments(transactions, as_of=as_of, bins=bins, segments=used["map"])

    def render(result):
        table = segment_shares(result, by="segment", values=["monetary"])
        shown = pd.DataFrame({
            "rule": [_rules(used["map"].get(s, {})) for s in table.index],
            "customers": table["customers"],
            "share of customers": table["customer_share"],
            "share of revenue": table["monetary_share"],
            "mean recency (days)": result.groupby("segment", observed=False)["recency"]
            .mean().round(0),
        })
        if alive is not None:
            status = result.index.to_series().map(alive)
            shown["truly alive"] = status.groupby(result["segment"], observed=False).mean()
        return table_html(shown, {"mean recency (days)": "{:,.0f}"}, headers=_headers(shown))

    def figure(result, fig):
        table = segment_shares(result, by="segment", values=["monetary"])
        ax = fig.add_subplot()
        rows = np.arange(len(table))
        ax.barh(rows - 0.2, table["customer_share"], height=0.4, label=_t("customers"))
        ax.barh(rows + 0.2, table["monetary_share"], height=0.4, label=_t("revenue"))
        ax.set_yticks(rows, [str(s) for s in table.index])
        ax.invert_yaxis()
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlabel(_t("share of all customers / of all revenue"))
        ax.legend(loc="lower right", frameon=False)

    controls = {
        "bins": ("slider", int(bins), 3, 9, 1),
        "segment_map": ("dropdown", segment_map, _choices(SEGMENT_MAPS, {
            "rfm package (10 segments)": _t("rfm package (10 segments)"),
            "recency x frequency (4 boxes)": _t("recency x frequency (4 boxes)"),
            "recency only (3 groups)": _t("recency only (3 groups)"),
        })),
    }
    return Explorer(compute, controls, render=render, figure=figure,
                    title=_t("RFM segments: choose the bins and the segment map")).relabel(
        {"bins": _t("score levels (bins) for R, F and M"), "segment_map": _t("segment map")})


def _activity_counts(case: Case, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Sales visits and service tickets per customer with ``start <= date < end``."""
    func = "cost_to_serve_explorer"
    missing = [t for t in ("contacts", "tickets") if t not in case.tables]
    if missing:
        raise ValueError(
            f"{func}: the case needs the tables 'contacts' and 'tickets' to count visits and "
            f"tickets; {case.name!r} has {sorted(case.tables)}"
        )
    contacts, tickets = case.tables["contacts"], case.tables["tickets"]
    visits = contacts.loc[contacts["type"].eq("visit") & contacts["date"].between(
        start, end, inclusive="left"), "customer_id"]
    tickets = tickets.loc[tickets["date"].between(start, end, inclusive="left"), "customer_id"]
    counts = pd.concat([visits.value_counts().rename("visit"),
                        tickets.value_counts().rename("ticket")], axis=1)
    counts = counts.fillna(0).astype(int).sort_index().rename_axis("customer_id")
    return counts.reset_index()


def loss_line(profitability: pd.DataFrame) -> str:
    """The widget's headline: how many customers lose money after cost to serve.

    Examples
    --------
    >>> loss_line(pd.DataFrame({"profit": [120.0, -5.0, 0.0, 3000.0]}))
    'Customers at a loss: 1 of 4'
    """
    losing = int((profitability["profit"] < 0).sum())
    return _t("Customers at a loss: {losing} of {n}").format(losing=f"{losing:,}",
                                                            n=f"{len(profitability):,}")


def cost_to_serve_explorer(case: Case, *, as_of=None, window_months: int = 12,
                           costs=None) -> Explorer:
    """Sliders for the activity costs, showing customers crossing from profit to loss.

    Sales visits (``contacts`` of type ``visit``) and service ``tickets`` in the
    last ``window_months`` months up to ``as_of`` are counted once; each move
    calls :func:`casekit.customer_profitability` with those counts and the
    costs set on the sliders.  The display opens with :func:`loss_line`, then
    how many customers crossed between profit and loss compared with the
    starting costs, then a table by tier of Curry's pyramid.

    Parameters
    ----------
    case : casekit.Case
        A case with ``transactions`` (with ``gross_margin``), ``contacts`` and
        ``tickets`` tables, such as ``load_case("office_supplies")``.
    as_of : date-like, optional
        Last day counted; defaults to the last day of the case.
    window_months : int
        Months of orders and activities counted (12).
    costs : mapping, optional
        Starting cost per ``order``, ``delivery``, ``visit`` and ``ticket``,
        rounded to whole currency units; default :data:`casekit.ACTIVITY_COSTS`.

    Returns
    -------
    Explorer
        Controls ``order``, ``delivery``, ``visit``, ``ticket`` (described as
        "order cost" etc.); ``result`` is the frame of
        :func:`casekit.customer_profitability` for those costs, ``baseline`` the
        one for the starting costs and ``activities`` the visit and ticket counts.

    Examples
    --------
    >>> from casekit import generate_case
    >>> case = generate_case("office_supplies", n_customers=60, seed=3)
    >>> explorer = cost_to_serve_explorer(case)
    >>> explorer.controls["visit"].description
    'visit cost (currency units per visit)'
    >>> explorer.controls["visit"].value = 0
    >>> int((explorer.result["profit"] < 0).sum()) <= int((explorer.baseline["profit"] < 0).sum())
    True
    """
    func = "cost_to_serve_explorer"
    if not isinstance(case, Case):
        raise TypeError(f"{func}: case must be a casekit Case such as "
                        f"load_case('office_supplies'); found {type(case).__name__}")
    start_costs = dict(ACTIVITY_COSTS if costs is None else costs)
    if set(start_costs) != set(ACTIVITY_COSTS):
        raise ValueError(f"{func}: costs must give exactly {sorted(ACTIVITY_COSTS)}; "
                         f"found {sorted(start_costs)}")
    window_months = check_int(window_months, func=func, name="window_months")
    last_day = (case.end - pd.Timedelta(days=1)).normalize() if as_of is None else as_of
    last_day = check_date(last_day, func=func, name="as_of").normalize()
    start = last_day + pd.Timedelta(days=1) - pd.DateOffset(months=window_months)
    activities = _activity_counts(case, start, last_day + pd.Timedelta(days=1))
    tx = case.transactions
    kwargs = dict(as_of=last_day, window_months=window_months, activities=activities)
    tiers = customer_pyramid(tx, as_of=last_day, window_months=window_months)["tier"]
    first = {}

    def compute(order, delivery, visit, ticket):
        chosen = {"order": order, "delivery": delivery, "visit": visit, "ticket": ticket}
        return customer_profitability(
            tx, costs={k: float(v) for k, v in chosen.items()}, **kwargs)

    def render(result):
        loss = result["profit"] < 0
        base_loss = first.setdefault("loss", loss)
        to_loss = int((loss & ~base_loss).sum())
        to_profit = int((~loss & base_loss).sum())
        tier = tiers.reindex(result.index).astype(object).fillna("inactive")
        table = pd.DataFrame({
            "customers": result.groupby(tier).size(),
            "at a loss": loss.groupby(tier).sum(),
            "crossed to loss": (loss & ~base_loss).groupby(tier).sum(),
            "profit": result["profit"].groupby(tier).sum(),
        }).reindex([t for t in tiers.cat.categories if t in set(tier)])
        return (
            f"<p><b>{html.escape(loss_line(result))}</b><br>"
            + _t("Compared with the starting costs: {to_loss} crossed from profit to loss, "
                 "{to_profit} from loss to profit. Total profit after cost to serve: {profit}.")
            .format(to_loss=f"{to_loss:,}", to_profit=f"{to_profit:,}",
                    profit=f"{result['profit'].sum():,.0f}")
            + "</p>" + table_html(table, {"profit": "{:,.0f}"}, headers=_headers(table))
        )

    explorer = Explorer(
        compute,
        {
            "order": ("slider", int(round(start_costs["order"])), 0, 40, 1),
            "delivery": ("slider", int(round(start_costs["delivery"])), 0, 40, 1),
            "visit": ("slider", int(round(start_costs["visit"])), 0, 200, 5),
            "ticket": ("slider", int(round(start_costs["ticket"])), 0, 100, 5),
        },
        render=render,
        title=_t("Cost to serve, {months} months up to {day}").format(
            months=window_months, day=last_day.date()),
    )
    for name, control in explorer.controls.items():
        control.description = _t("{name} cost (currency units per {name})").format(
            name=_activity(name))
    explorer.baseline = explorer.result
    explorer.activities = activities
    return explorer
