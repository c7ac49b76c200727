"""Interact (客户互动): campaigns, contacts, service and renewals, read with uncertainty.

- :func:`ab_lift` compares a treatment group with a random control group, by
  segment, with a confidence interval for the difference in response rates;
- :func:`rate_by_band` gives the rate of a yes/no outcome (churned, renewed)
  in bands of another column, with Wilson intervals;
- :func:`contact_regularity` measures how evenly the sales force contacts
  each customer;
- :func:`next_outcome` attaches to each event (a survey, say) the customer's
  next outcome (the next renewal decision);
- :func:`renewal_signals` lays out, for the insurance case, each renewal
  decision next to what the firm could have seen before it;
- :func:`churn_in_period` marks, from a truth table, which customers at the
  start of a period were lost during it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from ._validation import check_date, check_frame, check_optional_dates, check_same_ids

_YEAR = pd.Timedelta(days=365)


def _check_confidence(confidence, func: str) -> float:
    if isinstance(confidence, bool) or not isinstance(confidence, int | float) or not (
        0 < confidence < 1
    ):
        raise ValueError(f"{func}: confidence must be a number between 0 and 1, such as 0.95; "
                         f"found {confidence!r}")
    return float(confidence)


def _yes_no(values: pd.Series, *, func: str, column: str, name: str) -> pd.Series:
    """A yes/no column as floats 0 and 1, or a clear error."""
    missing = values.isna().to_numpy()
    if missing.any():
        raise ValueError(f"{func}: column {column!r} in {name} has {int(missing.sum())} missing "
                         f"values; every row needs True/False or 0/1")
    if pd.api.types.is_bool_dtype(values):
        return values.astype(float)
    numbers = pd.to_numeric(values, errors="coerce")
    bad = ~numbers.isin([0, 1])
    if bad.any():
        examples = values[bad].head(5).tolist()
        raise ValueError(f"{func}: column {column!r} in {name} must hold True/False or 0/1; "
                         f"found {int(bad.sum())} other values, e.g. {examples!r}")
    return numbers.astype(float)


def ab_lift(
    data: pd.DataFrame,
    *,
    by: str | None = None,
    group_col: str = "group",
    outcome_col: str = "responded",
    treatment: str = "treatment",
    control: str = "control",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Lift of the response rate over a random control group, with a confidence interval.

    For each segment the lift is ``rate_treatment - rate_control``. The
    interval is the normal (Wald) interval of a difference of two
    proportions; ``p_value`` is the two-sided z test of no difference with
    the pooled rate.

    Parameters
    ----------
    data : DataFrame
        One row per targeted customer (and campaign), with the group and a
        yes/no outcome.
    by : str, optional
        Column with the segment; without it, one row ``"all"``.
    group_col, outcome_col : str
        Column names of the group label and the outcome (True/False or 0/1).
    treatment, control : str
        The labels of the two groups in ``group_col``.
    confidence : float
        Confidence level of the interval, between 0 and 1.

    Returns
    -------
    DataFrame
        Indexed by segment: ``n_treatment``, ``n_control``,
        ``rate_treatment``, ``rate_control``, ``lift``, ``ci_low``,
        ``ci_high`` and ``p_value``.

    Examples
    --------
    >>> data = pd.DataFrame({"group": ["treatment"] * 200 + ["control"] * 200,
    ...                      "responded": [1] * 30 + [0] * 170 + [1] * 10 + [0] * 190})
    >>> ab_lift(data)[["lift", "ci_low", "ci_high", "p_value"]].round(3)
             lift  ci_low  ci_high  p_value
    segment
    all       0.1   0.042    0.158    0.001
    """
    func = "ab_lift"
    columns = {group_col: "key", outcome_col: "any"}
    if by is not None:
        columns[by] = "key"
    clean = check_frame(data, func=func, columns=columns, name="data")
    confidence = _check_confidence(confidence, func)
    clean[outcome_col] = _yes_no(clean[outcome_col], func=func, column=outcome_col, name="data")
    labels = set(clean[group_col].unique())
    unknown = labels - {treatment, control}
    if unknown:
        raise ValueError(f"{func}: column {group_col!r} must hold only {treatment!r} and "
                         f"{control!r}; found {sorted(map(str, unknown))!r}")
    if by is None:
        codes, segments = np.zeros(len(clean), dtype=np.int64), pd.Index(["all"])
    else:
        codes, segments = pd.factorize(clean[by], sort=True)
    treated = (clean[group_col] == treatment).to_numpy()
    responded = clean[outcome_col].to_numpy()
    counts = {}
    for label, rows in ((treatment, treated), (control, ~treated)):
        n = np.bincount(codes[rows], minlength=len(segments)).astype(float)
        if (n == 0).any():
            raise ValueError(f"{func}: segment(s) {segments[n == 0].tolist()!r} have no "
                             f"{label!r} rows; every segment needs both groups")
        counts[label] = (n, np.bincount(codes[rows], weights=responded[rows],
                                        minlength=len(segments)))
    (n_t, x_t), (n_c, x_c) = counts[treatment], counts[control]
    p_t, p_c = x_t / n_t, x_c / n_c
    lift = p_t - p_c
    z = stats.norm.ppf(0.5 + confidence / 2)
    se = np.sqrt(p_t * (1 - p_t) / n_t + p_c * (1 - p_c) / n_c)
    pooled = (x_t + x_c) / (n_t + n_c)
    se0 = np.sqrt(pooled * (1 - pooled) * (1 / n_t + 1 / n_c))
    z0 = np.divide(lift, se0, out=np.zeros(len(lift)), where=se0 > 0)
    out = pd.DataFrame({
        "n_treatment": n_t.astype(int),
        "n_control": n_c.astype(int),
        "rate_treatment": p_t,
        "rate_control": p_c,
        "lift": lift,
        "ci_low": lift - z * se,
        "ci_high": lift + z * se,
        "p_value": 2 * stats.norm.sf(np.abs(z0)),
    }, index=pd.Index(segments, name=by if by is not None else "segment"))
    return out


def _wilson(successes, n, confidence):
    z = stats.norm.ppf(0.5 + confidence / 2)
    p = successes / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    # Rounding can push a bound a hair past 0 or 1 when the rate is 0 or 1.
    return np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)


def rate_by_band(
    data: pd.DataFrame,
    *,
    value_col: str,
    outcome_col: str,
    bins=None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Rate of a yes/no outcome in bands of another column, with Wilson intervals.

    Parameters
    ----------
    data : DataFrame
        One row per customer (or per decision).
    value_col : str
        The column to band, such as handling hours or a satisfaction score.
        Rows where it is missing are left out.
    outcome_col : str
        The yes/no outcome (True/False or 0/1), such as churned or renewed.
    bins : None, int or list of numbers
        None: one band per distinct value; an int ``k``: ``k`` bands with about
        equal numbers of rows (quantiles; fewer if values repeat); a list:
        the band edges, the lowest edge included.
    confidence : float
        Confidence level of the interval, between 0 and 1.

    Returns
    -------
    DataFrame
        Indexed by band: ``n``, ``rate``, ``ci_low`` and ``ci_high``.

    Examples
    --------
    >>> data = pd.DataFrame({"tickets": [0, 0, 0, 1, 1, 2, 2, 2],
    ...                      "churned": [0, 0, 1, 0, 1, 1, 1, 0]})
    >>> rate_by_band(data, value_col="tickets", outcome_col="churned").round(3)
             n   rate  ci_low  ci_high
    tickets
    0        3  0.333   0.061    0.792
    1        2  0.500   0.095    0.905
    2        3  0.667   0.208    0.939
    """
    func = "rate_by_band"
    clean = check_frame(data, func=func, columns={value_col: "any", outcome_col: "any"},
                        name="data")
    confidence = _check_confidence(confidence, func)
    clean = clean.loc[clean[value_col].notna()]
    if clean.empty:
        raise ValueError(f"{func}: column {value_col!r} has no values; expected at least one")
    outcome = _yes_no(clean[outcome_col], func=func, column=outcome_col, name="data")
    values = clean[value_col]
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        infinite = np.isinf(values.to_numpy(dtype=float))
        if infinite.any():
            raise ValueError(f"{func}: column {value_col!r} must be finite; found "
                             f"{int(infinite.sum())} infinite values")
    if bins is None:
        band = values
    else:
        if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            raise ValueError(f"{func}: bins needs numbers in column {value_col!r}; found dtype "
                             f"{values.dtype}; use bins=None to group by value")
        if isinstance(bins, int | np.integer) and not isinstance(bins, bool):
            if bins < 1:
                raise ValueError(f"{func}: bins must be at least 1; found {bins}")
            band = pd.qcut(values, int(bins), duplicates="drop")
        else:
            try:
                edges = np.asarray(bins, dtype=float)
            except (TypeError, ValueError):
                edges = np.array([])
            if edges.ndim != 1 or len(edges) < 2 or not np.all(np.diff(edges) > 0):
                raise ValueError(f"{func}: bins must be None, an int or at least two increasing "
                                 f"edges; found {bins!r}")
            band = pd.cut(values, edges, include_lowest=True)
            outside = band.isna()
            if outside.any():
                raise ValueError(f"{func}: {int(outside.sum())} values of {value_col!r} fall "
                                 f"outside the edges {edges.tolist()!r}, e.g. "
                                 f"{values[outside].head(5).tolist()!r}")
    grouped = outcome.groupby(band, observed=True)
    out = pd.DataFrame({"n": grouped.size(), "rate": grouped.mean()})
    low, high = _wilson(grouped.sum(), out["n"], confidence)
    out["ci_low"], out["ci_high"] = low, high
    out.index.name = value_col
    return out


def contact_regularity(
    contacts: pd.DataFrame,
    *,
    customer_col: str = "customer_id",
    date_col: str = "date",
) -> pd.DataFrame:
    """How many contacts each customer had, and how evenly they were spaced.

    ``gap_cv`` is the standard deviation of the days between contacts over
    their mean (the coefficient of variation): near 0 for a steady rhythm,
    near 1 or above for contacts at random. It needs at least three contacts.

    Returns
    -------
    DataFrame
        Indexed by customer: ``n_contacts``, ``first_contact``,
        ``last_contact``, ``mean_gap_days`` and ``gap_cv``.

    Examples
    --------
    >>> contacts = pd.DataFrame({"customer_id": ["a"] * 4 + ["b"] * 4,
    ...     "date": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01",
    ...                             "2024-01-01", "2024-01-05", "2024-03-20", "2024-04-01"])})
    >>> contact_regularity(contacts)[["n_contacts", "mean_gap_days", "gap_cv"]].round(2)
                 n_contacts  mean_gap_days  gap_cv
    customer_id
    a                     4          30.33    0.04
    b                     4          30.33    1.28
    """
    clean = check_frame(contacts, func="contact_regularity", name="contacts",
                        columns={customer_col: "key", date_col: "date"})
    clean = clean.sort_values([customer_col, date_col])
    gaps = clean.groupby(customer_col)[date_col].diff().dt.total_seconds() / 86400
    by = clean.groupby(customer_col)
    out = pd.DataFrame({
        "n_contacts": by.size(),
        "first_contact": by[date_col].min(),
        "last_contact": by[date_col].max(),
    })
    gap_stats = gaps.groupby(clean[customer_col]).agg(["mean", "std", "count"])
    out["mean_gap_days"] = gap_stats["mean"]
    cv = gap_stats["std"] / gap_stats["mean"]
    out["gap_cv"] = cv.where((gap_stats["count"] >= 2) & (gap_stats["mean"] > 0))
    return out


def next_outcome(
    events: pd.DataFrame,
    outcomes: pd.DataFrame,
    *,
    customer_col: str = "customer_id",
    date_col: str = "date",
    outcome_date_col: str = "renewal_date",
    outcome_col: str = "renewed",
) -> pd.DataFrame:
    """Attach to each event the same customer's next outcome on or after its date.

    Typical use: which survey answers were followed by a renewal, and which
    by a lapse. Events with no later outcome are left out.

    Returns
    -------
    DataFrame
        The events' columns plus ``outcome_date_col`` and ``outcome_col``,
        sorted by customer and date.

    Examples
    --------
    >>> surveys = pd.DataFrame({"customer_id": ["a", "a", "b"], "satisfaction": [9, 4, 7],
    ...     "date": pd.to_datetime(["2020-03-01", "2021-02-01", "2020-06-01"])})
    >>> renewals = pd.DataFrame({"customer_id": ["a", "a", "b"], "renewed": [True, False, True],
    ...     "renewal_date": pd.to_datetime(["2021-01-01", "2022-01-01", "2021-01-01"])})
    >>> next_outcome(surveys, renewals)[["customer_id", "satisfaction", "renewed"]]
      customer_id  satisfaction  renewed
    0           a             9     True
    1           a             4    False
    2           b             7     True
    """
    func = "next_outcome"
    left = check_frame(events, func=func, name="events",
                       columns={customer_col: "key", date_col: "date"})
    right = check_frame(outcomes, func=func, name="outcomes",
                        columns={customer_col: "key", outcome_date_col: "date",
                                 outcome_col: "any"})
    check_same_ids(left[customer_col], right[customer_col], func=func, left_name="events",
                   right_name="outcomes", column=customer_col)
    extra = [c for c in events.columns if c not in left.columns]
    left = left.join(events[extra].reset_index(drop=True)).sort_values(date_col, kind="stable")
    right = right.sort_values(outcome_date_col, kind="stable")
    joined = pd.merge_asof(left, right, left_on=date_col, right_on=outcome_date_col,
                           by=customer_col, direction="forward")
    joined = joined.dropna(subset=[outcome_date_col])
    joined[outcome_col] = joined[outcome_col].astype(outcomes[outcome_col].dtype)
    ordered = [*events.columns, outcome_date_col, outcome_col]
    return joined.sort_values([customer_col, date_col], kind="stable", ignore_index=True)[ordered]


def renewal_signals(case) -> pd.DataFrame:
    """Each insurance renewal decision next to what the firm knew before it.

    Parameters
    ----------
    case : Case
        The insurance case (``casekit.load_case("insurance")``).

    Returns
    -------
    DataFrame
        One row per renewal date reached: ``customer_id``, ``renewal_date``,
        ``renewal_number``, ``renewed``, the holder's ``channel`` and
        ``first_product``, ``reminded`` (a reminder announced this renewal),
        ``branch_settlement_days`` (median days the holder's branch takes to
        settle a claim), ``satisfaction`` (the last survey score in the year
        before, missing if none), ``complaints_year`` (complaints in the
        year before) and ``complaint_days`` (their mean days to resolve,
        missing if none).

    Examples
    --------
    >>> from casekit import generate_case
    >>> signals = renewal_signals(generate_case("insurance", n_customers=300, seed=5))
    >>> signals.columns.tolist()[:4]
    ['customer_id', 'renewal_date', 'renewal_number', 'renewed']
    >>> renewal_signals(generate_case("catering", n_customers=20, seed=5))
    Traceback (most recent call last):
    ...
    ValueError: renewal_signals: needs the insurance case; found case 'catering'
    """
    func = "renewal_signals"
    name = getattr(case, "name", None)
    if name != "insurance":
        raise ValueError(f"{func}: needs the insurance case; found "
                         f"{'case ' + repr(name) if name else type(case).__name__}")
    tables = case.tables
    renewals = check_frame(tables["renewals"], func=func, name="renewals",
                           columns={"customer_id": "key", "renewal_date": "date",
                                    "renewal_number": "number", "renewed": "any"})
    holders = tables["holders"].set_index("customer_id")
    policies = tables["policies"].sort_values(["customer_id", "start_date"], kind="stable")
    out = renewals.reset_index(drop=True)
    out["renewal_number"] = out["renewal_number"].astype(int)
    out["renewed"] = out["renewed"].astype(bool)
    out["channel"] = out["customer_id"].map(holders["channel"])
    out["first_product"] = out["customer_id"].map(
        policies.drop_duplicates("customer_id").set_index("customer_id")["product"])
    announced = tables["reminders"][["customer_id", "renewal_date"]].drop_duplicates()
    key = pd.MultiIndex.from_frame(out[["customer_id", "renewal_date"]])
    out["reminded"] = key.isin(pd.MultiIndex.from_frame(announced))
    claims = tables["claims"].dropna(subset=["settlement_days"])
    branch_days = claims["settlement_days"].groupby(
        claims["customer_id"].map(holders["branch"])).median()
    out["branch_settlement_days"] = out["customer_id"].map(holders["branch"]).map(branch_days)

    surveys = tables["surveys"][["customer_id", "date", "satisfaction"]].sort_values("date")
    last = pd.merge_asof(out.reset_index().sort_values("renewal_date"), surveys,
                         left_on="renewal_date", right_on="date", by="customer_id",
                         direction="backward", tolerance=_YEAR, allow_exact_matches=False)
    out["satisfaction"] = last.set_index("index")["satisfaction"].sort_index()

    complaints = tables["complaints"][["customer_id", "date", "days_to_resolve"]]
    pairs = out.reset_index()[["index", "customer_id", "renewal_date"]].merge(
        complaints, on="customer_id")
    within = (pairs["date"] < pairs["renewal_date"]) & (
        pairs["date"] >= pairs["renewal_date"] - _YEAR)
    recent = pairs.loc[within].groupby("index")
    out["complaints_year"] = recent.size().reindex(out.index, fill_value=0).astype(int)
    out["complaint_days"] = recent["days_to_resolve"].mean().reindex(out.index)
    return out


def churn_in_period(
    truth: pd.DataFrame,
    *,
    start,
    end,
    customer_col: str = "customer_id",
    since_col: str = "acquisition_date",
    churn_col: str = "churn_date",
) -> pd.DataFrame:
    """Customers at the start of a period, and whether each was lost before its end.

    A customer counts when it joined before ``start`` and had not churned by
    then; ``lost`` is True when its churn date falls before ``end``. The mean
    of ``lost`` is the period's churn rate.

    Parameters
    ----------
    truth : DataFrame
        One row per customer with the date joined and the churn date (NaT
        while a customer), such as ``case.truth``.
    start, end : date-like
        The period, ``end`` excluded.

    Returns
    -------
    DataFrame
        Indexed by customer: ``since``, ``churn_date`` and ``lost``.

    Examples
    --------
    >>> truth = pd.DataFrame({"customer_id": ["a", "b", "c", "d"],
    ...     "acquisition_date": pd.to_datetime(["2022-03-01", "2022-05-01", "2023-02-01",
    ...                                         "2022-01-01"]),
    ...     "churn_date": pd.to_datetime([None, "2023-06-01", None, "2022-08-01"])})
    >>> churn_in_period(truth, start="2023-01-01", end="2024-01-01")["lost"]
    customer_id
    a    False
    b     True
    Name: lost, dtype: bool
    """
    func = "churn_in_period"
    clean = check_frame(truth, func=func, name="truth", unique=customer_col,
                        columns={customer_col: "key", since_col: "date", churn_col: "any"})
    first, last = check_date(start, func=func, name="start"), check_date(end, func=func,
                                                                         name="end")
    if last <= first:
        raise ValueError(f"{func}: end must come after start; found start {first.date()} and "
                         f"end {last.date()}")
    churned = check_optional_dates(clean[churn_col], func=func, column=churn_col)
    at_start = (clean[since_col] < first) & ~(churned < first)
    out = pd.DataFrame({"since": clean[since_col], "churn_date": churned,
                        "lost": churned < last}).loc[at_start.to_numpy()]
    out.index = clean.loc[at_start, customer_col].to_numpy()
    out.index.name = customer_col
    return out
