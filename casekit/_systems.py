"""The operational CRM subsystems, measured: campaigns, the sales pipeline, service, cross-buying.

- :func:`holdout_split` draws a random hold-out (control) group from a
  campaign's target list, and :func:`holdout_power` tells how precise the
  lift will be for a given hold-out size;
- :func:`campaign_roi` turns the responses of a campaign and its control
  group into lift, incremental responses and return on investment, each with
  an interval (marketing automation);
- :func:`pipeline_summary` counts the opportunities by stage, with win rates
  and the value-weighted open pipeline, and :func:`pipeline_forecast`
  compares, period by period, the forecast a sales manager could have made
  from the pipeline with what was won (sales force automation);
- :func:`service_levels` gives handling times, the share within a target and
  the resolution rate (customer service and support);
- :func:`cross_buying` counts each customer's distinct products, a factor of
  customer lifetime value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from ._interact import _check_confidence, _wilson, _yes_no, ab_lift
from ._random import check_rng
from ._transactions import check_int, check_number
from ._validation import check_choice, check_date, check_frame


def holdout_split(customers, *, holdout=0.2, seed=None, customer_col="customer_id"):
    """Split a campaign's target list at random into treatment and a hold-out control group.

    Exactly ``round(holdout * n)`` customers, drawn at random, are held out
    (``"control"``: they get nothing); the rest get the campaign
    (``"treatment"``).  Customers who are held out say what would have
    happened without the campaign, so the difference in response rates is
    the campaign's effect.

    Parameters
    ----------
    customers : DataFrame
        One row per targeted customer; other columns are kept.
    holdout : float
        Share of the list held out, strictly between 0 and 1.
    seed : int, numpy.random.Generator or None
        The same int gives the same split.
    customer_col : str
        Column with the customer id; ids must not repeat.

    Returns
    -------
    DataFrame
        ``customers`` in the same order with a new column ``group``.

    Examples
    --------
    >>> target = pd.DataFrame({"customer_id": [f"c{k}" for k in range(10)]})
    >>> split = holdout_split(target, holdout=0.3, seed=1)
    >>> split["group"].value_counts().to_dict()
    {'treatment': 7, 'control': 3}
    >>> holdout_split(target, holdout=1.5, seed=1)
    Traceback (most recent call last):
    ...
    ValueError: holdout_split: holdout must be a share strictly between 0 and 1; found 1.5
    """
    func = "holdout_split"
    check_frame(customers, func=func, columns={customer_col: "key"}, name="customers",
                unique=customer_col)
    holdout = _share(holdout, func=func, name="holdout")
    n = len(customers)
    n_control = int(round(holdout * n))
    if not 0 < n_control < n:
        raise ValueError(f"{func}: a hold-out of {holdout} of {n} customers leaves "
                         f"{n_control} in control and {n - n_control} in treatment; "
                         "both groups need at least one customer")
    rng = check_rng(seed, func=func)
    control = np.zeros(n, dtype=bool)
    control[rng.permutation(n)[:n_control]] = True
    out = customers.copy()
    out["group"] = np.where(control, "control", "treatment")
    return out


def _share(value, *, func: str, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1:
        raise ValueError(f"{func}: {name} must be a share strictly between 0 and 1; "
                         f"found {value!r}")
    return float(value)


def holdout_power(n_targeted, *, holdout, base_rate, lift, confidence=0.95):
    """How precisely a campaign with a hold-out group will measure its lift.

    With ``n_targeted`` customers of whom a share ``holdout`` is held out,
    a response rate ``base_rate`` without the campaign and ``base_rate +
    lift`` with it, this gives the expected standard error of the measured
    lift, the half-width of its interval and the power of the two-sided z
    test (the chance that the interval excludes zero).  A bigger hold-out
    measures better but forgoes the responses of the customers held out.

    Parameters
    ----------
    n_targeted : int
        Customers on the target list (at least 2).
    holdout : float
        Share held out, strictly between 0 and 1.
    base_rate : float
        Response rate without the campaign, strictly between 0 and 1.
    lift : float
        Expected difference in response rates; ``base_rate + lift`` must
        stay between 0 and 1.
    confidence : float
        Confidence level of the interval.

    Returns
    -------
    dict
        ``n_treatment``, ``n_control``, ``se``, ``half_width``, ``power`` and
        ``forgone_responses`` (``lift`` times the customers held out).

    Examples
    --------
    >>> plan = holdout_power(2000, holdout=0.2, base_rate=0.04, lift=0.04)
    >>> plan["n_control"], round(plan["half_width"], 4), round(plan["power"], 3)
    (400, 0.0234, 0.919)
    >>> holdout_power(2000, holdout=0.2, base_rate=0.9, lift=0.2)
    Traceback (most recent call last):
    ...
    ValueError: holdout_power: base_rate + lift must lie between 0 and 1; found 1.1
    """
    func = "holdout_power"
    n = check_int(n_targeted, func=func, name="n_targeted", lower=2)
    holdout = _share(holdout, func=func, name="holdout")
    base = _share(base_rate, func=func, name="base_rate")
    lift = check_number(lift, func=func, name="lift")
    confidence = _check_confidence(confidence, func)
    treated_rate = base + lift
    if not 0 < treated_rate < 1:
        raise ValueError(f"{func}: base_rate + lift must lie between 0 and 1; "
                         f"found {treated_rate:g}")
    n_control = int(round(holdout * n))
    if not 0 < n_control < n:
        raise ValueError(f"{func}: a hold-out of {holdout} of {n} customers leaves an empty "
                         "group; both groups need at least one customer")
    n_treat = n - n_control
    se = float(np.sqrt(treated_rate * (1 - treated_rate) / n_treat
                       + base * (1 - base) / n_control))
    z = stats.norm.ppf(0.5 + confidence / 2)
    shift = abs(lift) / se
    power = float(stats.norm.sf(z - shift) + stats.norm.cdf(-z - shift))
    return {"n_treatment": n_treat, "n_control": n_control, "se": se,
            "half_width": float(z * se), "power": power,
            "forgone_responses": float(lift * n_control)}


def campaign_roi(data, *, cost_per_contact, value_per_response, by=None, group_col="group",
                 outcome_col="responded", treatment="treatment", control="control",
                 confidence=0.95):
    """Lift, incremental responses and return on investment of a campaign with a control group.

    The lift and its interval come from :func:`casekit.ab_lift`.  The
    treated customers' incremental responses are ``lift * n_treatment``;
    the campaign cost ``cost_per_contact * n_treatment``; the incremental
    value ``value_per_response`` per incremental response; and
    ``roi = (incremental_value - cost) / cost``.  The interval bounds of
    the lift carry over to incremental responses, value and ROI.

    Parameters
    ----------
    data : DataFrame
        One row per targeted customer (and campaign) with the group and a
        yes/no response.
    cost_per_contact : float
        What one treated customer costs (mailing, discount, staff time); > 0.
    value_per_response : float
        Gross margin one response brings; >= 0.
    by, group_col, outcome_col, treatment, control, confidence
        As in :func:`casekit.ab_lift`.

    Returns
    -------
    DataFrame
        The columns of :func:`casekit.ab_lift`, then ``incremental``,
        ``incremental_low``, ``incremental_high``, ``cost``,
        ``incremental_value``, ``roi``, ``roi_low`` and ``roi_high``.

    Examples
    --------
    >>> data = pd.DataFrame({"group": ["treatment"] * 400 + ["control"] * 100,
    ...                      "responded": [1] * 40 + [0] * 360 + [1] * 4 + [0] * 96})
    >>> out = campaign_roi(data, cost_per_contact=2.0, value_per_response=80.0)
    >>> out[["lift", "incremental", "cost", "incremental_value", "roi"]].round(2)
             lift  incremental   cost  incremental_value  roi
    segment
    all      0.06         24.0  800.0             1920.0  1.4
    >>> campaign_roi(data, cost_per_contact=0, value_per_response=80.0)
    Traceback (most recent call last):
    ...
    ValueError: campaign_roi: cost_per_contact must be > 0; found 0.0
    """
    func = "campaign_roi"
    cost_per = check_number(cost_per_contact, func=func, name="cost_per_contact", low=0,
                            open_low=True)
    value_per = check_number(value_per_response, func=func, name="value_per_response", low=0)
    try:
        out = ab_lift(data, by=by, group_col=group_col, outcome_col=outcome_col,
                      treatment=treatment, control=control, confidence=confidence)
    except (TypeError, ValueError) as err:
        raise type(err)(str(err).replace("ab_lift:", f"{func}:", 1)) from None
    n = out["n_treatment"].astype(float)
    out["incremental"] = out["lift"] * n
    out["incremental_low"] = out["ci_low"] * n
    out["incremental_high"] = out["ci_high"] * n
    out["cost"] = cost_per * n
    out["incremental_value"] = out["incremental"] * value_per
    for suffix, column in (("", "incremental"), ("_low", "incremental_low"),
                           ("_high", "incremental_high")):
        out[f"roi{suffix}"] = (out[column] * value_per - out["cost"]) / out["cost"]
    return out


def pipeline_summary(opportunities, *, by=None, stage_col="stage", value_col="expected_value",
                     won="won", lost="lost", confidence=0.95):
    """The opportunity pipeline: deals by stage, win rates and the weighted open pipeline.

    A deal is closed when its stage is ``won`` or ``lost`` and open
    otherwise.  The win rate is ``won / (won + lost)`` with a Wilson
    interval; the weighted pipeline is the open value times the win rate,
    the simplest forecast of what the open deals will bring.

    Parameters
    ----------
    opportunities : DataFrame
        One row per opportunity with its current stage and value.
    by : str, optional
        Column to group by (the account manager, say); one row ``"all"``
        without it.
    stage_col, value_col : str
        Column names.
    won, lost : str
        The stage labels of closed deals.
    confidence : float
        Confidence level of the win-rate interval.

    Returns
    -------
    DataFrame
        Indexed by group: ``deals``, one count column per stage (closed
        stages first, then the open stages in name order), ``win_rate``,
        ``win_low``, ``win_high``, ``won_value``, ``open_value`` and
        ``weighted_pipeline``.

    Examples
    --------
    >>> opp = pd.DataFrame({"stage": ["won", "lost", "lost", "won", "proposal", "prospect"],
    ...                     "expected_value": [100.0, 50.0, 80.0, 120.0, 200.0, 60.0]})
    >>> pipeline_summary(opp)[["deals", "won", "lost", "proposal", "win_rate",
    ...                        "open_value", "weighted_pipeline"]]
             deals  won  lost  proposal  win_rate  open_value  weighted_pipeline
    segment
    all          6    2     2         1       0.5       260.0              130.0
    """
    func = "pipeline_summary"
    columns = {stage_col: "key", value_col: "nonnegative"}
    if by is not None:
        columns[by] = "key"
    clean = check_frame(opportunities, func=func, columns=columns, name="opportunities")
    confidence = _check_confidence(confidence, func)
    stages = clean[stage_col].astype(str)
    for label in (won, lost):
        if not (stages == label).any():
            raise ValueError(f"{func}: no deals in stage {label!r} in column {stage_col!r}; "
                             f"stages are {sorted(stages.unique())!r}")
    open_stages = sorted(set(stages) - {won, lost})
    key = clean[by] if by is not None else pd.Series("all", index=clean.index)
    counts = pd.crosstab(key, stages).reindex(columns=[won, lost, *open_stages], fill_value=0)
    counts.columns.name = None
    counts.index.name = by if by is not None else "segment"
    out = pd.DataFrame({"deals": counts.sum(axis=1)}, index=counts.index)
    out = out.join(counts)
    closed = (out[won] + out[lost]).to_numpy(dtype=float)
    rate = np.divide(out[won].to_numpy(dtype=float), closed, out=np.full(len(out), np.nan),
                     where=closed > 0)
    low, high = _wilson(out[won].to_numpy(dtype=float), np.where(closed > 0, closed, 1.0),
                        confidence)
    out["win_rate"] = rate
    out["win_low"] = np.where(closed > 0, low, np.nan)
    out["win_high"] = np.where(closed > 0, high, np.nan)
    values = clean[value_col].to_numpy(dtype=float)
    is_open = ~stages.isin([won, lost]).to_numpy()
    grouped = pd.DataFrame({"key": key.to_numpy(), "won": np.where(stages == won, values, 0.0),
                            "open": np.where(is_open, values, 0.0)}).groupby("key").sum()
    out["won_value"] = grouped["won"].reindex(out.index).to_numpy()
    out["open_value"] = grouped["open"].reindex(out.index).to_numpy()
    out["weighted_pipeline"] = out["open_value"] * out["win_rate"]
    return out


def pipeline_forecast(opportunities, *, end, freq="QS", created_col="created",
                      close_col="expected_close", stage_col="stage",
                      value_col="expected_value", won="won", lost="lost"):
    """Forecast against actual: what the pipeline promised each period, and what was won.

    At the start ``t`` of each period the deals then open are those created
    before ``t`` that close on or after ``t``.  The forecast for the period
    is the value of the open deals due to close in it, times the win rate of
    every deal closed before ``t`` (all the manager could know then).  The
    actual is the value of those same deals that were won.  Periods are
    reported only when they end on or before ``end``, so that every deal
    due in them has closed.

    Parameters
    ----------
    opportunities : DataFrame
        One row per deal: created, close date (for closed deals, the day
        they closed), stage and value.
    end : date-like
        The end of the data (the first day without data); later periods are
        left out.
    freq : {"MS", "QS", "YS"}
        Period length: month, quarter or year.
    created_col, close_col, stage_col, value_col : str
        Column names.
    won, lost : str
        Stage labels of closed deals.

    Returns
    -------
    DataFrame
        Indexed by period start: ``due_deals``, ``due_value``,
        ``win_rate_to_date``, ``forecast``, ``won_value``, ``error``
        (won minus forecast) and ``ratio`` (won over forecast).

    Examples
    --------
    >>> opp = pd.DataFrame({
    ...     "created": ["2024-01-05", "2024-02-01", "2024-03-10", "2024-03-20", "2024-03-25"],
    ...     "expected_close": ["2024-02-20", "2024-03-01", "2024-04-15", "2024-05-02",
    ...                        "2024-06-10"],
    ...     "stage": ["won", "lost", "won", "lost", "won"],
    ...     "expected_value": [100.0, 80.0, 200.0, 50.0, 120.0]})
    >>> pipeline_forecast(opp, end="2024-07-01")[["due_deals", "win_rate_to_date", "forecast",
    ...                                           "won_value", "ratio"]]
                due_deals  win_rate_to_date  forecast  won_value  ratio
    period
    2024-04-01          3               0.5     185.0      320.0   1.73
    """
    func = "pipeline_forecast"
    clean = check_frame(opportunities, func=func, name="opportunities", columns={
        created_col: "date", close_col: "date", stage_col: "key", value_col: "nonnegative"})
    end = check_date(end, func=func, name="end")
    freq = check_choice(freq, func=func, name="freq", choices=("MS", "QS", "YS"))
    created, close = clean[created_col], clean[close_col]
    stage = clean[stage_col].astype(str)
    value = clean[value_col].astype(float)
    bad = close < created
    if bad.any():
        raise ValueError(f"{func}: {int(bad.sum())} deals close before they are created "
                         f"(column {close_col!r} before {created_col!r})")
    is_won, is_closed = stage == won, stage.isin([won, lost])
    starts = pd.date_range(created.min().to_period(freq[0]).start_time, end, freq=freq)
    offset = pd.tseries.frequencies.to_offset(freq)
    rows = []
    for t in starts:
        t_end = t + offset
        if t_end > end:
            break
        known = is_closed & (close < t)
        if not known.any():
            continue
        rate = float(is_won[known].sum() / known.sum())
        due = (created < t) & (close >= t) & (close < t_end)
        if due.any() and not is_closed[due].all():
            raise ValueError(f"{func}: deals due between {t.date()} and {t_end.date()} are "
                             f"still open; end={end.date()} must be the end of the data")
        if not due.any():
            continue
        forecast = float(value[due].sum() * rate)
        actual = float(value[due & is_won].sum())
        rows.append({"period": t, "due_deals": int(due.sum()), "due_value": float(value[due].sum()),
                     "win_rate_to_date": rate, "forecast": forecast, "won_value": actual,
                     "error": actual - forecast,
                     "ratio": round(actual / forecast, 2) if forecast > 0 else np.nan})
    if not rows:
        raise ValueError(f"{func}: no period before end={end.date()} has both closed deals "
                         "before it and deals due in it")
    return pd.DataFrame(rows).set_index("period")


def service_levels(data, *, time_col, target, by=None, resolved_col=None, confidence=0.95):
    """Service levels: handling times, the share within a target and the resolution rate.

    Parameters
    ----------
    data : DataFrame
        One row per service case (a ticket, a complaint, a claim).
    time_col : str
        Column with the time the case took (hours or days); >= 0.
    target : float
        The service-level target in the unit of ``time_col``: a case is
        within target when it took at most this long.
    by : str, optional
        Column to group by (the customer's tier, say).
    resolved_col : str, optional
        Yes/no column: the case was resolved.  When it records resolution
        at the first contact, ``resolved_share`` is the first-contact
        resolution rate; when it records resolution at any point (the
        office-supplies tickets), it is the plain resolution rate.
    confidence : float
        Confidence level of the Wilson intervals of the two shares.

    Returns
    -------
    DataFrame
        Indexed by group: ``cases``, ``mean``, ``median``, ``p90``,
        ``within_target`` (share) with ``within_low`` and ``within_high``,
        and, with ``resolved_col``, ``resolved_share`` with ``resolved_low``
        and ``resolved_high``.

    Examples
    --------
    >>> tickets = pd.DataFrame({"hours": [1.0, 2.0, 5.0, 9.0, 30.0],
    ...                         "resolved": [True, True, True, False, False]})
    >>> service_levels(tickets, time_col="hours", target=8, resolved_col="resolved")[
    ...     ["cases", "median", "within_target", "resolved_share"]]
             cases  median  within_target  resolved_share
    segment
    all          5     5.0            0.6            0.6
    >>> service_levels(tickets, time_col="hours", target=-1)
    Traceback (most recent call last):
    ...
    ValueError: service_levels: target must be > 0; found -1.0
    """
    func = "service_levels"
    columns = {time_col: "nonnegative"}
    if by is not None:
        columns[by] = "key"
    if resolved_col is not None:
        columns[resolved_col] = "any"
    clean = check_frame(data, func=func, columns=columns, name="data")
    target = check_number(target, func=func, name="target", low=0, open_low=True)
    confidence = _check_confidence(confidence, func)
    if resolved_col is not None:
        clean[resolved_col] = _yes_no(clean[resolved_col], func=func, column=resolved_col,
                                      name="data")
    key = clean[by] if by is not None else pd.Series("all", index=clean.index)
    clean["_within"] = (clean[time_col] <= target).astype(float)
    groups = clean.groupby(key.rename(by or "segment"), observed=True, sort=True)
    times = groups[time_col]
    out = pd.DataFrame({"cases": times.size(), "mean": times.mean(), "median": times.median(),
                        "p90": times.quantile(0.9)})
    n = out["cases"].to_numpy(dtype=float)
    within = groups["_within"].sum().to_numpy()
    out["within_target"] = within / n
    out["within_low"], out["within_high"] = _wilson(within, n, confidence)
    if resolved_col is not None:
        first = groups[resolved_col].sum().to_numpy()
        out["resolved_share"] = first / n
        out["resolved_low"], out["resolved_high"] = _wilson(first, n, confidence)
    return out


def cross_buying(holdings, *, customer_col="customer_id", product_col="product"):
    """Each customer's distinct products: the cross-buying factor of customer lifetime value.

    Parameters
    ----------
    holdings : DataFrame
        One row per product a customer holds or bought (a policy, an order
        line), possibly repeated.
    customer_col, product_col : str
        Column names.

    Returns
    -------
    DataFrame
        One row per customer (sorted ids): ``n_products`` (distinct
        products), ``products`` (their names joined by ``+`` in name order)
        and ``first_product`` (the product of the customer's first row).

    Examples
    --------
    >>> policies = pd.DataFrame({"customer_id": ["a", "a", "b", "a", "c", "c"],
    ...                          "product": ["auto", "life", "auto", "auto", "health", "auto"]})
    >>> cross_buying(policies)
                 n_products      products first_product
    customer_id
    a                     2     auto+life          auto
    b                     1          auto          auto
    c                     2  auto+health        health
    """
    func = "cross_buying"
    clean = check_frame(holdings, func=func, name="holdings",
                        columns={customer_col: "key", product_col: "key"})
    clean[product_col] = clean[product_col].astype(str)
    groups = clean.groupby(customer_col, sort=True)[product_col]
    distinct = groups.unique()
    return pd.DataFrame({
        "n_products": distinct.map(len).astype(int),
        "products": distinct.map(lambda p: "+".join(sorted(p))),
        "first_product": groups.first(),
    })
