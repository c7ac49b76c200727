"""Customer lifecycle stages (Reading 5): exploration, formation, stability, decline, churned."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from casekit._pyramid import _crosstab, check_normalize
from casekit._transactions import (
    Checked,
    check_before,
    check_number,
    check_transactions,
    day_numbers,
    end_of,
    purchases,
    subset,
)
from casekit._validation import check_optional_dates, check_same_ids

#: The stages in the order a relationship goes through them.
LIFECYCLE_STAGES = ("exploration", "formation", "stability", "decline", "churned")

#: What to do with the customers in each stage, after Reading 5's essay on the lifecycle.
LIFECYCLE_STRATEGIES = {
    "exploration": "Response analysis: find the prospects and new customers who respond, "
    "and help them learn quickly what the product does for them.",
    "formation": "Development: raise the customer's value, satisfaction and trust while "
    "buying grows; watch for early churn and repair shaky relationships.",
    "stability": "Retention and cross-sell: keep the relationship with repeat and "
    "cross-selling, and use churn analysis to spot who starts to slip.",
    "decline": "Churn analysis and win-back: find out why valuable customers buy less, "
    "then invest to recover them or stop spending on those not worth it.",
    "churned": "Win-back: approach lost customers of high past value with an offer, and "
    "learn from their reasons how to acquire better customers.",
}

#: Default thresholds of :func:`lifecycle_stages` (days, ratios and probabilities).
LIFECYCLE_RULES = {
    "explore_days": 90,
    "stable_days": 365,
    "trend_days": 180,
    "decline_ratio": 0.5,
    "churn_days": 365,
    "decline_p": 0.5,
    "churn_p": 0.1,
}


def _check_rules(rules, func: str) -> dict:
    if rules is None:
        return dict(LIFECYCLE_RULES)
    if not isinstance(rules, Mapping):
        raise TypeError(f"{func}: rules must be a mapping such as {{'churn_days': 270}}; "
                        f"found {rules!r}")
    unknown = sorted(set(rules) - set(LIFECYCLE_RULES), key=str)
    if unknown:
        raise ValueError(
            f"{func}: unknown rules {unknown!r}; the rules are {list(LIFECYCLE_RULES)!r}"
        )
    checked = dict(LIFECYCLE_RULES)
    for name, value in rules.items():
        if name.endswith("_days"):
            checked[name] = check_number(value, func=func, name=f"rules[{name!r}]", low=0,
                                         open_low=True)
        else:
            checked[name] = check_number(value, func=func, name=f"rules[{name!r}]", low=0,
                                         high=1)
    if checked["explore_days"] > checked["stable_days"]:
        raise ValueError(
            f"{func}: rules['explore_days'] must not exceed rules['stable_days']; found "
            f"{checked['explore_days']:g} and {checked['stable_days']:g}"
        )
    return checked


def _check_series(values, func: str, name: str, kind: str) -> pd.Series | None:
    if values is None:
        return None
    if not isinstance(values, pd.Series):
        raise TypeError(
            f"{func}: {name} must be a pandas Series indexed by customer id; found "
            f"{type(values).__name__}"
        )
    if values.index.has_duplicates:
        dupes = values.index[values.index.duplicated()].unique()[:5].tolist()
        raise ValueError(f"{func}: {name} has repeated customer ids, e.g. {dupes!r}")
    if kind == "probability":
        numbers = pd.to_numeric(values, errors="coerce").astype(float)
        bad = ~numbers.between(0, 1)
        if bad.any():
            raise ValueError(
                f"{func}: {name} must hold probabilities in [0, 1]; found {int(bad.sum())} "
                f"values that do not, e.g. {values[bad].head(5).tolist()!r}"
            )
        return numbers
    dates = check_optional_dates(values, func=func, column=name)
    dates.index = values.index
    return dates


def _require_purchases(checked: Checked, amount_col, func: str) -> None:
    if not purchases(checked.frame, amount_col).any():
        raise ValueError(
            f"{func}: no purchases on or before as_of={checked.as_of.date()}; every row has a "
            f"negative {amount_col} (a return), and stages need at least one purchase"
        )


def _stages(checked: Checked, as_of, *, date_col, amount_col, rules, p_alive,
            contract_end, func) -> pd.DataFrame:
    """Stages at ``as_of`` of the customers of checked transactions."""
    frame, _, codes, index = checked
    keep = purchases(frame, amount_col) & (
        frame[date_col] < end_of(as_of)).to_numpy()
    frame = frame.loc[keep]
    codes, index = subset(codes, index, keep)
    n = len(index)
    days = day_numbers(frame[date_col].to_numpy())
    today = day_numbers(as_of.to_datetime64())
    first = np.full(n, np.iinfo(np.int64).max)
    last = np.full(n, np.iinfo(np.int64).min)
    np.minimum.at(first, codes, days)
    np.maximum.at(last, codes, days)
    age = today - days
    trend = rules["trend_days"]
    recent = np.bincount(codes[age < trend], minlength=n)
    previous = np.bincount(codes[(age >= trend) & (age < 2 * trend)], minlength=n)

    out = pd.DataFrame(index=index)
    out["first_purchase"] = first.astype("datetime64[D]").astype("datetime64[ns]")
    out["last_purchase"] = last.astype("datetime64[D]").astype("datetime64[ns]")
    out["tenure_days"] = today - first
    out["days_since_last"] = today - last
    out["recent_orders"] = recent
    out["previous_orders"] = previous

    for name, values in (("contract_end", contract_end), ("p_alive", p_alive)):
        if values is not None:
            check_same_ids(index, values.index, func=func, left_name="transactions",
                           right_name=f"the index of {name}", column=index.name)
            if n and len(values) and not index.isin(values.index).any():
                raise ValueError(
                    f"{func}: the index of {name} shares no customer id with the transactions "
                    f"(e.g. {values.index[:3].tolist()!r} against {index[:3].tolist()!r}); "
                    f"index {name} by the transactions' {index.name}"
                )
    if contract_end is not None:
        ends = contract_end.reindex(index)
        out["contract_end"] = ends
        churned = (ends <= as_of).to_numpy()
    else:
        churned = out["days_since_last"].to_numpy() >= rules["churn_days"]
    silent = (recent == 0) & (previous == 0)
    declining = silent | (recent < rules["decline_ratio"] * previous)
    if p_alive is not None:
        alive = p_alive.reindex(index)
        out["p_alive"] = alive
        churned |= (alive < rules["churn_p"]).to_numpy()
        declining |= (alive < rules["decline_p"]).to_numpy()
    tenure = out["tenure_days"].to_numpy()
    stage = np.select(
        [churned, tenure < rules["explore_days"], declining, tenure < rules["stable_days"]],
        ["churned", "exploration", "decline", "formation"],
        default="stability",
    )
    out["stage"] = pd.Categorical(stage, categories=list(LIFECYCLE_STAGES))
    return out


def lifecycle_stages(
    transactions,
    *,
    customer_col="customer_id",
    date_col="date",
    amount_col="amount",
    as_of=None,
    rules=None,
    p_alive=None,
    contract_end=None,
    order_col=None,
) -> pd.DataFrame:
    """Place each customer at ``as_of`` in a lifecycle stage.

    The rules are applied in this order, the first that fits wins (thresholds
    from ``rules``, defaults in :data:`LIFECYCLE_RULES`):

    1. **churned**: no purchase for ``churn_days`` (365) days; with
       ``contract_end`` (contractual cases) instead: the contract ended on
       or before ``as_of``; with ``p_alive`` also: P(alive) < ``churn_p``
       (0.1).
    2. **exploration**: first purchase less than ``explore_days`` (90) ago.
    3. **decline**: the frequency trend falls: fewer orders in the last
       ``trend_days`` (180) days than ``decline_ratio`` (0.5) times the
       orders in the ``trend_days`` before, or no order in either window;
       with ``p_alive`` also: P(alive) < ``decline_p`` (0.5).
    4. **formation**: first purchase less than ``stable_days`` (365) ago.
    5. **stability**: everyone else.

    :data:`LIFECYCLE_STRATEGIES` gives each stage's strategy (Reading 5).

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per order; only purchases count (returns are not orders).
    customer_col, date_col, amount_col, order_col : str
        Column names; ``amount_col=None`` counts every row as a purchase.
    as_of : date-like, optional
        The day the stages are taken; later rows are left out.
    rules : mapping, optional
        Thresholds to change, e.g. ``{"churn_days": 270}``.
    p_alive : pandas.Series, optional
        P(alive) per customer id, e.g. from :class:`casekit.BetaGeo`. A
        customer it leaves out gets ``p_alive`` NaN and a stage from the
        rules alone; a Series that shares no id with the transactions is an
        error.
    contract_end : pandas.Series, optional
        Contract end date per customer id, missing while the contract runs
        (and for a customer it leaves out); it must share ids with the
        transactions.

    Returns
    -------
    pandas.DataFrame
        One row per customer with a purchase (sorted ids): ``first_purchase``,
        ``last_purchase``, ``tenure_days``, ``days_since_last``,
        ``recent_orders``, ``previous_orders`` (the two trend windows), the
        given ``contract_end``/``p_alive``, and ``stage`` (categorical in
        :data:`LIFECYCLE_STAGES` order).

    Examples
    --------
    >>> tx = pd.DataFrame({
    ...     "customer_id": ["new"] + ["grow"] * 3 + ["steady"] * 6 + ["fade"] * 5 + ["gone"],
    ...     "date": ["2024-11-20", "2024-04-01", "2024-08-01", "2024-11-01",
    ...              "2023-01-10", "2023-06-10", "2024-01-10", "2024-05-10", "2024-09-10",
    ...              "2024-12-10", "2023-03-01", "2024-04-05", "2024-02-05", "2024-03-05",
    ...              "2024-10-01", "2023-05-01"]})
    >>> lifecycle_stages(tx, amount_col=None, as_of="2024-12-31")[["tenure_days", "stage"]]
                 tenure_days        stage
    customer_id
    fade                 671      decline
    gone                 610      churned
    grow                 274    formation
    new                   41  exploration
    steady               721    stability
    """
    func = "lifecycle_stages"
    rules = _check_rules(rules, func)
    p_alive = _check_series(p_alive, func, "p_alive", "probability")
    contract_end = _check_series(contract_end, func, "contract_end", "date")
    checked = check_transactions(
        transactions, func=func, customer_col=customer_col, date_col=date_col,
        amount_col=amount_col, order_col=order_col, as_of=as_of,
    )
    _require_purchases(checked, amount_col, func)
    return _stages(checked, checked.as_of, func=func, date_col=date_col, amount_col=amount_col,
                   rules=rules, p_alive=p_alive, contract_end=contract_end)


def lifecycle_transitions(
    transactions,
    *,
    before,
    customer_col="customer_id",
    date_col="date",
    amount_col="amount",
    as_of=None,
    rules=None,
    contract_end=None,
    normalize=False,
    order_col=None,
) -> pd.DataFrame:
    """Transition matrix between the lifecycle stages at two dates.

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per order.
    before : date-like
        The earlier day (rows of the matrix).
    as_of : date-like, optional
        The later day (columns); defaults to the last date.
    customer_col, date_col, amount_col, rules, contract_end, order_col
        As in :func:`lifecycle_stages`.
    normalize : bool
        Give each row as shares of its customers instead of counts.

    Returns
    -------
    pandas.DataFrame
        Rows: stages at ``before`` plus ``prospect`` (no purchase yet);
        columns: stages at ``as_of``.  Index name ``from``, columns ``to``.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b", "c"],
    ...                    "date": ["2023-01-05", "2023-11-20", "2023-02-01", "2024-11-01"]})
    >>> m = lifecycle_transitions(tx, amount_col=None, before="2023-12-31", as_of="2024-12-31")
    >>> m.loc[["formation", "decline", "prospect"], ["exploration", "churned"]]
    to         exploration  churned
    from
    formation            0        1
    decline              0        1
    prospect             1        0
    """
    func = "lifecycle_transitions"
    rules = _check_rules(rules, func)
    normalize = check_normalize(normalize, func)
    contract_end = _check_series(contract_end, func, "contract_end", "date")
    checked = check_transactions(
        transactions, func=func, customer_col=customer_col, date_col=date_col,
        amount_col=amount_col, order_col=order_col, as_of=as_of,
    )
    _require_purchases(checked, amount_col, func)
    as_of = checked.as_of
    before = check_before(before, as_of, func=func)
    kwargs = dict(func=func, date_col=date_col, amount_col=amount_col, rules=rules, p_alive=None,
                  contract_end=contract_end)
    after = _stages(checked, as_of, **kwargs)["stage"]
    earlier = _stages(checked, before, **kwargs)["stage"]
    return _crosstab(earlier, after, normalize)
