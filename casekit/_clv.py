"""Customer lifetime value from retention: the textbook formulas, cohorts and equity.

Three closed forms of the simple retention model circulate in textbooks and
they differ only in *when* the margin is received (Fader & Hardie, 2012,
"Reconciling and Clarifying CLV Formulas", http://brucehardie.com/notes/024/;
Gupta & Lehmann, 2003, "Customers as Assets", Journal of Interactive
Marketing 17(1); Gupta & Lehmann, 2005, *Managing Customers as Investments*).
:func:`clv_formula` names each of them; :func:`cohort_clv` drops the constant
retention assumption and discounts an observed (or fitted) survival curve;
:func:`customer_equity` adds the value of a customer base and of the cohorts
still to be acquired.
"""

from __future__ import annotations

import numpy as np

from ._validation import check_array, check_choice

#: The conventions of :func:`clv_formula`, with the cash-flow timing each assumes.
CLV_CONVENTIONS = {
    "immediate": "margin now (period 0) and at the start of every period survived",
    "gupta_lehmann": "margin at the end of every period the customer is retained into",
    "end_of_period": "first margin at the end of period 1 for sure, then while retained",
}


def _scalar_or_array(values, *, func: str, name: str, lower=None, strict=False,
                     bounded=False):
    array = check_array(values, func=func, name=name, lower=lower, strict=strict,
                        bounded=bounded)
    return array, np.ndim(values) == 0


def clv_formula(margin, retention, discount, *, convention="gupta_lehmann"):
    """Lifetime value under a constant retention rate, in one of three timings.

    With margin ``m`` per period, retention rate ``r`` and discount rate ``d``
    per period, the infinite-horizon present value is

    ======================  =====================  ========================================
    ``convention``          formula                cash-flow timing
    ======================  =====================  ========================================
    ``"immediate"``         ``m(1+d)/(1+d-r)``     a just-acquired customer pays ``m`` now
                                                   and at the start of every later period
                                                   while retained (Fader & Hardie 2012,
                                                   the "expected CLV at acquisition")
    ``"gupta_lehmann"``     ``m*r/(1+d-r)``        margins at the end of each period the
                                                   customer is retained into; the value of
                                                   a customer just after a payment
                                                   (Gupta & Lehmann 2003, 2005)
    ``"end_of_period"``     ``m/(1+d-r)``          the first margin arrives at the end of
                                                   period 1 for sure, later ones while
                                                   retained (the "expected residual value"
                                                   of a customer who renews now)
    ======================  =====================  ========================================

    The three differ by timing only: ``immediate = m + gupta_lehmann`` and
    ``end_of_period = immediate / (1 + d)``.

    Parameters
    ----------
    margin : float or array-like
        Margin per period (may be negative).
    retention : float or array-like
        Retention rate per period, between 0 and 1.
    discount : float or array-like
        Discount rate per period, >= 0 (0.1 means 10 %).
    convention : {"immediate", "gupta_lehmann", "end_of_period"}
        Which timing to use; see the table.

    Returns
    -------
    float or numpy.ndarray
        A float when every argument is a scalar, else an array (broadcast).

    Examples
    --------
    >>> round(clv_formula(100, 0.8, 0.1, convention="immediate"), 2)
    366.67
    >>> round(clv_formula(100, 0.8, 0.1, convention="gupta_lehmann"), 2)
    266.67
    >>> round(clv_formula(100, 0.8, 0.1, convention="end_of_period"), 2)
    333.33
    """
    func = "clv_formula"
    check_choice(convention, func=func, name="convention", choices=list(CLV_CONVENTIONS))
    m, m_scalar = _scalar_or_array(margin, func=func, name="margin", bounded=True)
    r, r_scalar = _scalar_or_array(retention, func=func, name="retention", lower=0)
    if (r > 1).any():
        raise ValueError(
            f"{func}: retention must be a rate between 0 and 1; found {r[r > 1][:5].tolist()}"
        )
    d, d_scalar = _scalar_or_array(discount, func=func, name="discount", lower=0)
    try:
        m, r, d = np.broadcast_arrays(m, r, d)
    except ValueError:
        raise ValueError(
            f"{func}: margin, retention and discount must have matching lengths; found "
            f"{m.size}, {r.size} and {d.size}"
        ) from None
    denominator = 1 + d - r
    if (denominator <= 0).any():
        raise ValueError(
            f"{func}: retention 1 with discount 0 never ends and has no finite value; "
            "use a discount > 0 or a retention < 1"
        )
    if convention == "immediate":
        value = m * (1 + d) / denominator
    elif convention == "gupta_lehmann":
        value = m * r / denominator
    else:
        value = m / denominator
    if m_scalar and r_scalar and d_scalar:
        return float(value[0])
    return value


def cohort_clv(survival, margin, discount, *, timing="start"):
    """Expected lifetime value of one acquired customer from a survival curve.

    ``CLV = sum_t m_t S(t) / (1 + d)^k`` where ``S(t)`` is the share of the
    cohort still a customer in period ``t`` (``t = 0`` is the acquisition
    period) and ``k = t`` when margins are paid at the start of a period or
    ``k = t + 1`` at its end. The sum stops where the curve stops, so pass a
    long enough (for example a fitted :class:`ShiftedBetaGeometric`) curve.

    Parameters
    ----------
    survival : array-like
        Customers of the cohort still active in periods 0, 1, 2, ..., as counts
        or as shares; it is divided by its first value, so ``S(0) = 1``. Must
        not increase.
    margin : float or array-like
        Margin per active customer and period; one value or one per period.
    discount : float
        Discount rate per period, >= 0.
    timing : {"start", "end"}
        Whether each period's margin is received at its start or its end.

    Returns
    -------
    float
        Expected discounted margin per acquired customer.

    Examples
    --------
    >>> round(cohort_clv([1000, 631, 468, 382], margin=100, discount=0.1), 2)
    224.74
    >>> round(cohort_clv([1.0, 0.8, 0.64], margin=50, discount=0.0, timing="end"), 2)
    122.0
    """
    func = "cohort_clv"
    check_choice(timing, func=func, name="timing", choices=["start", "end"])
    s = check_array(survival, func=func, name="survival", lower=0, bounded=True)
    if s[0] <= 0:
        raise ValueError(f"{func}: survival must start with a positive cohort size; found {s[0]}")
    rises = np.flatnonzero(np.diff(s) > 0)
    if rises.size:
        t = int(rises[0]) + 1
        raise ValueError(
            f"{func}: survival must not increase; it rises from {s[t - 1]} to {s[t]} at period {t}"
        )
    m = check_array(margin, func=func, name="margin", bounded=True)
    if m.size not in (1, s.size):
        raise ValueError(
            f"{func}: margin must be one value or one per period ({s.size}); found {m.size}"
        )
    d = check_array(discount, func=func, name="discount", lower=0)
    if d.size != 1:
        raise ValueError(f"{func}: discount must be one number; found {d.size} values")
    t = np.arange(s.size) + (1 if timing == "end" else 0)
    # exp(-t log(1+d)) underflows quietly to 0 where (1+d)^t would overflow with a warning.
    return float(np.sum(m * (s / s[0]) * np.exp(-t * np.log1p(d[0]))))


def customer_equity(
    clv,
    *,
    n_customers=None,
    new_customers=0.0,
    new_customer_clv=None,
    acquisition_cost=0.0,
    discount=0.0,
    periods=0,
):
    """Customer equity: the value of today's customers plus future cohorts.

    Following Gupta, Lehmann & Stuart (2004, "Valuing Customers", Journal of
    Marketing Research 41(1)), the firm's customer base is worth the lifetime
    value of its current customers plus, for each of the next ``periods``
    periods, ``new_customers`` acquired at ``acquisition_cost`` each, worth
    ``new_customer_clv`` each and discounted back to today.

    Parameters
    ----------
    clv : float or array-like
        Lifetime value of each current customer, or one value shared by
        ``n_customers`` customers.
    n_customers : int, optional
        How many customers share a scalar ``clv``; with an array, leave it
        out (each entry is one customer).
    new_customers : float
        Customers acquired at the end of each future period.
    new_customer_clv : float, optional
        Lifetime value of a newly acquired customer; defaults to the mean of
        ``clv``.
    acquisition_cost : float
        Cost of acquiring one new customer.
    discount : float
        Discount rate per period, >= 0.
    periods : int
        How many future cohorts to count.

    Returns
    -------
    float

    Examples
    --------
    >>> customer_equity([120.0, 80.0, 40.0])
    240.0
    >>> round(customer_equity(100.0, n_customers=1000, new_customers=200,
    ...                       acquisition_cost=30.0, discount=0.1, periods=3), 1)
    134815.9
    """
    func = "customer_equity"
    values = check_array(clv, func=func, name="clv", bounded=True)
    if n_customers is not None:
        if values.size != 1:
            raise ValueError(
                f"{func}: n_customers goes with a single clv value; found {values.size} values "
                "(an array already holds one value per customer)"
            )
        count = check_array(n_customers, func=func, name="n_customers", lower=0,
                            integer=True, bounded=True)
        current = float(values[0] * count[0])
    else:
        current = float(values.sum())
    new = check_array(new_customers, func=func, name="new_customers", lower=0, bounded=True)[0]
    cost = check_array(acquisition_cost, func=func, name="acquisition_cost", lower=0,
                       bounded=True)[0]
    d = check_array(discount, func=func, name="discount", lower=0)[0]
    n_periods = int(check_array(periods, func=func, name="periods", lower=0, integer=True,
                                bounded=True)[0])
    value_new = (
        float(values.mean())
        if new_customer_clv is None
        else check_array(new_customer_clv, func=func, name="new_customer_clv", bounded=True)[0]
    )
    # sum_{k=1..n} (1+d)^-k in closed form: any number of periods costs the same.
    annuity = float(n_periods) if d == 0 else -np.expm1(-n_periods * np.log1p(d)) / d
    future = float(new * (value_new - cost) * annuity)
    return current + future
