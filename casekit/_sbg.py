"""The shifted-beta-geometric (sBG) model of contractual retention.

Each customer renews at the end of every period with a constant probability
``1 - theta`` and ``theta`` is beta(``alpha``, ``beta``) across customers
(Fader & Hardie 2007, "How to Project Customer Retention", Journal of
Interactive Marketing 21(1)). Because the churn-prone leave first, the
cohort's retention rate rises over time even though nobody's own rate does.
DERL follows Fader & Hardie (2010), "Customer-Base Valuation in a Contractual
Setting: The Perils of Ignoring Heterogeneity", Marketing Science 29(1).
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy.special import betaln

from ._btyd import _MaximumLikelihoodModel
from ._hypergeometric import hyp2f1_one
from ._validation import check_array


class ShiftedBetaGeometric(_MaximumLikelihoodModel):
    """Fit and project a cohort's survival with the sBG model.

    Attributes
    ----------
    params_ : dict
        ``alpha`` and ``beta`` of the beta distribution of churn probabilities.
    log_likelihood_ : float
        The maximised log-likelihood.

    Examples
    --------
    >>> model = ShiftedBetaGeometric().fit([1000, 631, 468, 382, 326, 289, 262, 241])
    >>> {k: round(v, 3) for k, v in model.params_.items()}
    {'alpha': 0.704, 'beta': 1.182}
    >>> round(model.log_likelihood_, 1)
    -1680.3
    >>> model.survival([0, 1, 12]).round(3)
    array([1.   , 0.627, 0.17 ])
    """

    _param_names = ("alpha", "beta")

    @staticmethod
    def _loglik(params, periods):
        """Log P(churn at the end of each period), then log S(last period).

        The weights are the customers lost in each period and the survivors.
        ``S(t) = prod_{i<t} (beta + i) / (alpha + beta + i)`` is summed as
        ``log1p(-alpha / (alpha + beta + i))``: the difference of two ``betaln``
        loses every digit once alpha and beta reach 1e15 or so, and the fit
        of a cohort that empties walks there.
        """
        alpha, beta = params
        m = int(periods[-1])
        log_s = np.concatenate([[0.0], np.cumsum(np.log1p(-alpha / (alpha + beta + np.arange(m))))])
        idx = periods.astype(int)
        log_churn = np.log(alpha) - np.log(alpha + beta + periods - 1) + log_s[idx - 1]
        return np.append(log_churn, log_s[m])

    def fit(self, alive):
        """Fit to one cohort's survivor counts.

        Parameters
        ----------
        alive : array-like
            ``alive[0]`` is the cohort size and ``alive[t]`` the number still
            customers at the start of period ``t`` (after ``t`` renewal
            decisions). Must not increase.

        Returns
        -------
        ShiftedBetaGeometric
            The fitted model (``self``).
        """
        func = "ShiftedBetaGeometric.fit"
        counts = check_array(alive, func=func, name="alive", lower=0)
        if counts.size < 2:
            raise ValueError(
                f"{func}: alive needs the cohort size and at least one later count; found "
                f"{counts.size} value"
            )
        if counts[0] <= 0:
            raise ValueError(f"{func}: alive[0] is the cohort size and must be > 0; found "
                             f"{counts[0]:g}")
        rises = np.flatnonzero(np.diff(counts) > 0)
        if rises.size:
            t = int(rises[0]) + 1
            raise ValueError(
                f"{func}: alive must not increase (customers who left cannot come back); it "
                f"rises from {counts[t - 1]:g} to {counts[t]:g} at period {t}"
            )
        periods = np.arange(1, counts.size, dtype=float)
        churned = -np.diff(counts)
        weights = np.append(churned, counts[-1])
        if np.count_nonzero(weights) < 2:
            raise ValueError(
                f"{func}: the counts {counts.tolist()} lose customers in one period only "
                "(or never); alpha and beta cannot be estimated from a single observed "
                "outcome, so give a cohort observed over more periods"
            )
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            self._maximise((periods,), weights)
        unidentified = [w for w in caught if "do not identify" in str(w.message)]
        for w in caught:
            if w not in unidentified:
                warnings.warn(w.message, w.category, stacklevel=2)
        alpha, beta = self._params()
        if unidentified or alpha + beta > 1e6:
            warnings.warn(
                f"{func}: the counts {counts.tolist()[:8]} show no sign of heterogeneity "
                f"(alpha and beta ran off to {alpha:.3g} and {beta:.3g}); the data identify "
                f"only the churn rate alpha / (alpha + beta) = {alpha / (alpha + beta):.4f}, "
                "not the two parameters, and summary gives them no standard error",
                RuntimeWarning,
                stacklevel=2,
            )
        return self

    def _periods(self, t, method, name="t"):
        self._check_fitted(method)
        return check_array(t, func=f"ShiftedBetaGeometric.{method}", name=name, lower=0,
                           integer=True)

    def survival(self, t):
        """Share of the cohort still customers after ``t`` periods, S(t).

        Examples
        --------
        >>> model = ShiftedBetaGeometric()
        >>> model.params_ = {"alpha": 0.668, "beta": 3.806}
        >>> model.survival([1, 2, 7]).round(3)
        array([0.851, 0.747, 0.489])
        >>> round(model.survival(9), 3)
        0.436
        """
        periods = self._periods(t, "survival")
        return _same_shape(t, np.exp(self._log_survival(periods)))

    def _log_survival(self, periods):
        alpha, beta = self._params()
        top = int(periods.max())
        if top <= _DIRECT_SUM:
            log_s = np.concatenate(
                [[0.0], np.cumsum(np.log1p(-alpha / (alpha + beta + np.arange(top))))])
            return log_s[periods.astype(int)]
        return betaln(alpha, beta + periods) - betaln(alpha, beta)

    def retention(self, t):
        """Retention rate from period ``t - 1`` to ``t``: S(t) / S(t - 1), t >= 1.

        Examples
        --------
        >>> model = ShiftedBetaGeometric()
        >>> model.params_ = {"alpha": 0.704, "beta": 1.182}
        >>> model.retention([1, 2, 10]).round(3)
        array([0.627, 0.756, 0.935])
        """
        periods = self._periods(t, "retention")
        if (periods < 1).any():
            raise ValueError("ShiftedBetaGeometric.retention: t must be >= 1 (the first "
                             "renewal is at the end of period 1)")
        alpha, beta = self._params()
        return _same_shape(t, (beta + periods - 1) / (alpha + beta + periods - 1))

    def survival_curve(self, n_periods):
        """S(0), S(1), ..., S(n_periods): the projected survival curve of the cohort.

        Examples
        --------
        >>> model = ShiftedBetaGeometric()
        >>> model.params_ = {"alpha": 0.704, "beta": 1.182}
        >>> model.survival_curve(3).round(3)
        array([1.   , 0.627, 0.474, 0.388])
        """
        n = self._periods(n_periods, "survival_curve", "n_periods")
        return self.survival(np.arange(int(n[0]) + 1))

    def retention_curve(self, n_periods):
        """Retention rates r(1), ..., r(n_periods) of the cohort.

        Examples
        --------
        >>> model = ShiftedBetaGeometric()
        >>> model.params_ = {"alpha": 0.704, "beta": 1.182}
        >>> model.retention_curve(3).round(3)
        array([0.627, 0.756, 0.819])
        """
        n = self._periods(n_periods, "retention_curve", "n_periods")
        if n[0] < 1:
            raise ValueError("ShiftedBetaGeometric.retention_curve: n_periods must be >= 1")
        return self.retention(np.arange(1, int(n[0]) + 1))

    def churn_probability(self, t):
        """Probability of leaving exactly at the end of period ``t`` (t >= 1).

        Examples
        --------
        >>> model = ShiftedBetaGeometric()
        >>> model.params_ = {"alpha": 0.704, "beta": 1.182}
        >>> model.churn_probability([1, 2]).round(3)
        array([0.373, 0.153])
        """
        periods = self._periods(t, "churn_probability")
        if (periods < 1).any():
            raise ValueError("ShiftedBetaGeometric.churn_probability: t must be >= 1")
        alpha, beta = self._params()
        log_churn = np.log(alpha) - np.log(alpha + beta + periods - 1)
        return _same_shape(t, np.exp(log_churn + self._log_survival(periods - 1)))

    def derl(self, discount, renewals=0):
        """Discounted expected residual lifetime of a customer (Fader & Hardie 2010).

        A customer has made ``renewals`` renewals and has reached the end of
        period ``renewals + 1``, just before the next renewal decision. DERL is
        the expected number of payments still to come, the one due now (if the
        contract is renewed) undiscounted and each later one discounted at
        ``discount`` per period. Multiply by the margin per period for the
        residual lifetime value. At acquisition, the discounted expected
        lifetime including the first payment is ``1 + derl(d, 0) / (1 + d)``.

        Parameters
        ----------
        discount : float
            Discount rate per period, > 0 (0.1 is 10 %).
        renewals : int or array-like
            Renewals the customer has already made.

        Examples
        --------
        >>> model = ShiftedBetaGeometric()
        >>> model.params_ = {"alpha": 0.704, "beta": 1.182}
        >>> model.derl(0.1, renewals=[0, 4]).round(3)
        array([2.965, 5.894])
        """
        self._check_fitted("derl")
        func = "ShiftedBetaGeometric.derl"
        d = check_array(discount, func=func, name="discount", lower=0, strict=True)
        if d.size != 1:
            raise ValueError(f"{func}: discount must be one number; found {d.size} values")
        n = check_array(renewals, func=func, name="renewals", lower=0, integer=True) + 1
        alpha, beta = self._params()
        ratio = (beta + n - 1) / (alpha + beta + n - 1)
        return _same_shape(renewals, ratio * hyp2f1_one(beta + n, alpha + beta + n,
                                                        1.0 / (1.0 + d[0])))


#: Longest horizon for which S(t) is summed term by term (exact at any alpha, beta).
_DIRECT_SUM = 100_000


def _same_shape(given, values):
    """A float for a scalar argument, else the array."""
    return float(values[0]) if np.ndim(given) == 0 else values
