"""Customize (客户定制): one-to-one offers and the budget split across customer tiers.

:func:`next_best_offer` picks, for every customer, the item category to offer
next, by one of three rules: the most popular category (the same offer for
everyone), the customer's own purchase history, or co-purchases ("customers
who buy X also buy Y"). :func:`evaluate_offers` scores the offers against the
true tastes that a case's ``truth`` table holds.

:func:`allocate_budget` splits a service or marketing budget across tiers
(Curry's pyramid, CLV groups) and returns the expected profit under a stated
response model with diminishing returns per tier:

    uplift_t = max_uplift * value_t * (1 - exp(-budget_t / (saturation * customers_t)))

A tier can at most gain ``max_uplift`` of its current ``value`` (usually its
profit): one cannot lift what a customer does not buy. Money reaches customers
one by one, so the spend that matters is spend per customer; ``saturation`` is
the spend per customer that gets ``1 - 1/e`` (63 %) of the possible uplift,
and each further unit of money buys less than the one before. The same spend
per head is worth more in a tier whose customers bring more profit, so the
best split favours the top tiers, but not without limit. This is an assumption
for teaching, not an estimate: ``max_uplift`` and ``saturation`` are meant to
be varied.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from casekit._transactions import check_number
from casekit._validation import check_choice, check_date, check_frame

#: The rules of :func:`next_best_offer`.
OFFER_METHODS = ("popular", "history", "co-purchase")
#: The named splits of :func:`allocate_budget`.
BUDGET_RULES = ("optimal", "customers", "value")


def _taste_column(category: str, prefix: str) -> str:
    """``"stir-fries"`` -> ``"taste_stir_fries"``: the truth table's column for a category."""
    return prefix + re.sub(r"[^0-9a-z]+", "_", str(category).lower()).strip("_")


def next_best_offer(
    purchases,
    *,
    method="history",
    customer_col="customer_id",
    item_col="category",
    date_col="date",
    dish_col=None,
    as_of=None,
    prior_strength=1.0,
):
    """The category to offer each customer next, from purchases alone.

    Each row of ``purchases`` is one item bought (a dish ordered, an order
    line) and counts once. Three rules:

    ``"popular"``
        Everyone gets the category bought most often overall.
    ``"history"``
        The customer's own most bought category. ``prior_strength`` adds that
        many pseudo-purchases spread over the categories in proportion to
        their overall popularity: it breaks ties and pulls customers with few
        purchases towards what is popular (the posterior mean of a
        Dirichlet-multinomial model).
    ``"co-purchase"``
        Item-to-item collaborative filtering: two categories are similar when
        the same customers buy both (cosine similarity of their columns in the
        customer-by-category count table); a category scores the sum of its
        similarities to everything the customer bought, own purchases
        included, plus the same pseudo-purchases as ``"history"``.

    Parameters
    ----------
    purchases : pandas.DataFrame
        One row per item bought, with customer, category and date columns.
    method : {"popular", "history", "co-purchase"}
        The rule.
    customer_col, item_col, date_col : str
        Column names; ``item_col`` holds the categories offered.
    dish_col : str, optional
        A finer item column (a dish inside a category). When given, the result
        also names ``dish``: the most bought item of the offered category that
        the customer has not bought yet (the most bought one if they tried all).
    as_of : date-like, optional
        Rows after this day are left out.
    prior_strength : float
        Pseudo-purchases added per customer, >= 0 (ignored by ``"popular"``).

    Returns
    -------
    pandas.DataFrame
        One row per customer (sorted ids): ``offer`` (the category), ``score``
        (the estimated share of the customer's purchases in that category;
        for co-purchase, the normalised similarity score), ``n_items`` and,
        with ``dish_col``, ``dish``.

    Examples
    --------
    >>> bought = pd.DataFrame({
    ...     "customer_id": ["a", "a", "a", "b", "c", "c"],
    ...     "category": ["soup", "soup", "fish", "fish", "fish", "rice"],
    ...     "date": "2024-05-01"})
    >>> next_best_offer(bought, method="history").round(3)
                offer  score  n_items
    customer_id
    a            soup  0.583        3
    b            fish  0.750        1
    c            fish  0.500        2
    >>> next_best_offer(bought, method="popular")["offer"].tolist()
    ['fish', 'fish', 'fish']
    """
    func = "next_best_offer"
    check_choice(method, func=func, name="method", choices=OFFER_METHODS)
    strength = check_number(prior_strength, func=func, name="prior_strength", low=0)
    columns = {customer_col: "key", item_col: "key", date_col: "date"}
    if dish_col is not None:
        columns[dish_col] = "key"
    frame = check_frame(purchases, func=func, columns=columns, name="purchases")
    if as_of is not None:
        cutoff = check_date(as_of, func=func, name="as_of") + pd.Timedelta(days=1)
        frame = frame.loc[frame[date_col] < cutoff]
        if frame.empty:
            raise ValueError(f"{func}: purchases has no rows on or before as_of {as_of!r}")

    customer_codes, customers = pd.factorize(frame[customer_col], sort=True)
    item_codes, items = pd.factorize(frame[item_col], sort=True)
    counts = np.zeros((len(customers), len(items)))
    np.add.at(counts, (customer_codes, item_codes), 1.0)
    n_items = counts.sum(axis=1)
    popularity = counts.sum(axis=0) / counts.sum()

    if method == "popular":
        scores = np.broadcast_to(popularity, counts.shape)
    else:
        evidence = counts
        if method == "co-purchase":
            norms = np.sqrt((counts**2).sum(axis=0))
            similarity = (counts.T @ counts) / np.outer(norms, norms)
            evidence = counts @ similarity
            # rescale so that each customer's evidence still weighs n_items purchases
            evidence = evidence * (n_items / evidence.sum(axis=1))[:, None]
        scores = (evidence + strength * popularity) / (n_items + strength)[:, None]
    best = scores.argmax(axis=1)
    out = pd.DataFrame(
        {
            "offer": items.to_numpy()[best],
            "score": scores[np.arange(len(customers)), best],
            "n_items": n_items.astype(np.int64),
        },
        index=pd.Index(customers, name=customer_col),
    )
    if dish_col is not None:
        out["dish"] = _untried_dish(frame, customer_codes, best, items, item_col, dish_col)
    return out


def _untried_dish(frame, customer_codes, best, items, item_col, dish_col):
    func = "next_best_offer"
    per_dish = frame.groupby(dish_col)[item_col].nunique()
    if (per_dish > 1).any():
        shown = per_dish.index[per_dish > 1][:5].tolist()
        raise ValueError(
            f"{func}: each {dish_col} must belong to one {item_col}; found {shown} in several"
        )
    dish_codes, dishes = pd.factorize(frame[dish_col], sort=True)
    dish_item = items.get_indexer(frame.groupby(dish_col)[item_col].first().loc[dishes])
    tried = np.zeros((customer_codes.max() + 1, len(dishes)), dtype=bool)
    tried[customer_codes, dish_codes] = True
    popularity = np.bincount(dish_codes, minlength=len(dishes)).astype(float)
    # rank by popularity (ties by id) so that one score decides: untried first, then popular
    rank = np.empty(len(dishes))
    rank[np.lexsort((np.arange(len(dishes)), -popularity))] = np.arange(len(dishes))[::-1]
    score = rank[None, :] + len(dishes) * ~tried
    score = np.where(dish_item[None, :] == best[:, None], score, -1.0)
    return dishes.to_numpy()[score.argmax(axis=1)]


def evaluate_offers(offers, truth, *, customer_col="customer_id", offer_col="offer",
                    prefix="taste_"):
    """Score offers against the true tastes of a case (``case.truth``).

    A customer's true taste for a category is the ``prefix`` column named
    after it (``"stir-fries"`` -> ``taste_stir_fries``): the share of their
    choices that fall in that category.

    Parameters
    ----------
    offers : pandas.DataFrame
        :func:`next_best_offer`'s result, or any table with the offered
        category per customer (customer ids as index or as ``customer_col``).
    truth : pandas.DataFrame
        One row per customer with ``customer_col`` and the taste columns.
    customer_col, offer_col, prefix : str
        Column names.

    Returns
    -------
    pandas.Series
        ``customers`` scored; ``hit_rate``, the share whose offer is their
        true favourite category; ``taste_share``, the mean true taste for the
        offered category (the chance that a choice of theirs falls in it); and
        ``best_taste_share``, the same for perfect offers (the ceiling).

    Examples
    --------
    >>> truth = pd.DataFrame({"customer_id": ["a", "b"], "taste_soup": [0.7, 0.2],
    ...                       "taste_fish": [0.3, 0.8]})
    >>> offers = pd.DataFrame({"offer": ["soup", "soup"]},
    ...                       index=pd.Index(["a", "b"], name="customer_id"))
    >>> evaluate_offers(offers, truth)
    customers           2.00
    hit_rate            0.50
    taste_share         0.45
    best_taste_share    0.75
    dtype: float64
    """
    func = "evaluate_offers"
    if isinstance(offers, pd.DataFrame) and customer_col not in offers.columns:
        offers = offers.rename_axis(customer_col).reset_index()
    offers = check_frame(offers, func=func, columns={customer_col: "key", offer_col: "key"},
                         name="offers", unique=customer_col)
    categories = pd.unique(offers[offer_col])
    taste_cols = [c for c in getattr(truth, "columns", []) if str(c).startswith(prefix)]
    needed = {c: _taste_column(c, prefix) for c in categories}
    columns = {customer_col: "key", **{col: "nonnegative" for col in taste_cols}}
    missing = sorted(col for col in needed.values() if col not in taste_cols)
    if isinstance(truth, pd.DataFrame) and missing:
        raise ValueError(
            f"{func}: truth has no taste column for the offered categories: {missing[:5]}; "
            f"taste columns are {taste_cols}"
        )
    truth = check_frame(truth, func=func, columns=columns, name="truth", unique=customer_col)
    truth = truth.set_index(customer_col)
    unknown = offers.loc[~offers[customer_col].isin(truth.index), customer_col]
    if len(unknown):
        raise ValueError(
            f"{func}: {len(unknown)} customers in offers are not in truth, "
            f"e.g. {unknown.head(5).tolist()}"
        )
    tastes = truth.loc[offers[customer_col], taste_cols].to_numpy()
    offered = tastes[np.arange(len(offers)), [taste_cols.index(needed[c])
                                               for c in offers[offer_col]]]
    favourite = tastes.max(axis=1)
    return pd.Series(
        {
            "customers": float(len(offers)),
            "hit_rate": float(np.mean(offered >= favourite)),
            "taste_share": float(offered.mean()),
            "best_taste_share": float(favourite.mean()),
        }
    )


def allocate_budget(
    tiers,
    budget,
    shares="optimal",
    *,
    tier_col="tier",
    value_col="profit",
    max_uplift=0.2,
    saturation=10.0,
):
    """Split a budget across customer tiers and compute the expected profit.

    The response model (see the module docstring) gives each tier
    ``uplift = max_uplift * value * (1 - exp(-budget_t / (saturation * customers)))``:
    diminishing returns to the spend per customer, up to ``max_uplift`` of the
    tier's value; a tier whose value is not positive gains nothing.

    Parameters
    ----------
    tiers : pandas.DataFrame
        One row per customer with a tier and a value, such as
        :func:`customer_pyramid`'s result with ``profit_col``. Tiers without
        customers are left out; tiers keep the order of a categorical column
        (top first in a pyramid), else their order of appearance.
    budget : float
        Money to spend, >= 0.
    shares : {"optimal", "customers", "value"} or mapping of tier to weight
        ``"optimal"``: the split with the highest expected profit (spend goes
        where the next unit of money brings most, until that return is equal
        across the funded tiers); ``"customers"``: the same spend per customer;
        ``"value"``: in proportion to each tier's value; a mapping: weights,
        scaled to add up to 1 (tiers not named get nothing).
    tier_col, value_col : str
        Column names.
    max_uplift : float
        Largest possible gain as a share of a tier's value, >= 0.
    saturation : float
        Spend per customer that brings 63 % of the possible uplift, > 0.

    Returns
    -------
    pandas.DataFrame
        One row per tier plus ``total``: ``customers``, ``value`` (before),
        ``share`` of the budget, ``budget``, ``per_customer``, ``uplift`` and
        ``profit`` (value + uplift - budget).

    Examples
    --------
    >>> pyramid = pd.DataFrame({"tier": ["top"] * 2 + ["small"] * 8,
    ...                         "profit": [500.0] * 2 + [50.0] * 8})
    >>> allocate_budget(pyramid, 100.0, "customers").round(1)
           customers   value  share  budget  per_customer  uplift   profit
    tier
    top            2  1000.0    0.2    20.0          10.0   126.4   1106.4
    small          8   400.0    0.8    80.0          10.0    50.6    370.6
    total         10  1400.0    1.0   100.0          10.0   177.0   1477.0
    >>> allocate_budget(pyramid, 100.0)["share"].round(2).tolist()
    [0.57, 0.43, 1.0]
    """
    func = "allocate_budget"
    money = check_number(budget, func=func, name="budget", low=0)
    lift = check_number(max_uplift, func=func, name="max_uplift", low=0)
    scale = check_number(saturation, func=func, name="saturation", low=0, open_low=True)
    frame = check_frame(tiers, func=func, columns={tier_col: "key", value_col: "number"},
                        name="tiers")
    # a categorical tier column keeps its order (top first); other tiers in order of appearance
    ordered = isinstance(frame[tier_col].dtype, pd.CategoricalDtype)
    grouped = frame.groupby(tier_col, observed=True, sort=ordered)[value_col].agg(["size", "sum"])
    if "total" in grouped.index:
        raise ValueError(
            f"{func}: column {tier_col!r} has a tier named 'total', which is the name of the "
            f"totals row of the result; rename that tier"
        )
    n = grouped["size"].to_numpy(dtype=float)
    value = grouped["sum"].to_numpy(dtype=float)
    weights = _budget_weights(shares, grouped.index, n, value, money, lift, scale)
    spend = money * weights
    uplift = lift * np.clip(value, 0, None) * (1 - np.exp(-spend / (scale * n)))
    out = pd.DataFrame(
        {
            "customers": grouped["size"].to_numpy(dtype=np.int64),
            "value": value,
            "share": weights,
            "budget": spend,
            "per_customer": spend / n,
            "uplift": uplift,
        },
        index=pd.Index(grouped.index.astype(object), name=tier_col),
    )
    out["profit"] = out["value"] + out["uplift"] - out["budget"]
    total = out.sum()
    total["per_customer"] = money / n.sum()
    out.loc["total"] = total
    out["customers"] = out["customers"].astype(np.int64)
    return out


def _budget_weights(shares, names, n, value, money, lift, scale) -> np.ndarray:
    func = "allocate_budget"
    if isinstance(shares, Mapping):
        unknown = [k for k in shares if k not in names]
        if unknown:
            raise ValueError(
                f"{func}: shares names tiers that have no customers: {unknown}; "
                f"tiers are {list(names)}"
            )
        raw = np.array([check_number(shares.get(k, 0.0), func=func, name=f"shares[{k!r}]",
                                     low=0) for k in names])
        if raw.sum() <= 0:
            raise ValueError(f"{func}: shares must not all be 0")
        return raw / raw.sum()
    if not isinstance(shares, str):
        raise TypeError(
            f"{func}: shares must be one of {list(BUDGET_RULES)} or a mapping of tier to "
            f"weight; found {type(shares).__name__}"
        )
    check_choice(shares, func=func, name="shares", choices=BUDGET_RULES)
    if shares == "customers":
        return n / n.sum()
    if shares == "value":
        positive = np.clip(value, 0, None)
        if positive.sum() <= 0:
            raise ValueError(f"{func}: shares='value' needs a tier with positive value")
        return positive / positive.sum()
    return _optimal_weights(n, value, money, lift, scale)


def _optimal_weights(n, value, money, lift, scale) -> np.ndarray:
    """Equal marginal returns: spend per customer ``scale * log(gain / (scale * lam))``."""
    # marginal return of the first unit of money spent on a tier's customers
    gain = lift * np.clip(value, 0, None) / n
    if not (gain > 0).any():  # no tier can gain: spending is a loss wherever it goes
        return n / n.sum()
    if money == 0:  # the first unit of money goes where it returns most
        return (gain == gain.max()) / (gain == gain.max()).sum()

    def spent(log_lam):
        per_customer = scale * np.clip(np.log(np.clip(gain, 1e-300, None) / scale) - log_lam,
                                       0, None)
        return per_customer * n

    # the total spent falls as the common marginal return lam rises: bisect on log(lam)
    low = np.log(gain[gain > 0].max() / scale) - money / (scale * n.min()) - 1
    high = np.log(gain.max() / scale)
    for _ in range(200):
        mid = (low + high) / 2
        if spent(mid).sum() > money:
            low = mid
        else:
            high = mid
    spend = spent((low + high) / 2)
    return spend / spend.sum()
