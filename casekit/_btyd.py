"""Buy-till-you-die models for non-contractual customers, fitted by maximum likelihood.

* :class:`BetaGeo`: BG/NBD (Fader, Hardie & Lee 2005, "Counting Your Customers
  the Easy Way", Marketing Science 24(2)).
* :class:`ParetoNBD`: Pareto/NBD (Schmittlein, Morrison & Colombo 1987), with
  the likelihood as written in Fader & Hardie (2005), "A Note on Deriving the
  Pareto/NBD Model and Related Expressions", http://brucehardie.com/notes/009/.
* :class:`GammaGamma`: average order value (Fader, Hardie & Lee 2005, "RFM and
  CLV", JMR 42(4); Fader & Hardie 2013, http://brucehardie.com/notes/025/).
* :class:`BetaGeoBetaBinom`: BG/BB for discrete opportunities (Fader, Hardie &
  Shang 2010, "Customer-Base Analysis in a Discrete-Time Noncontractual
  Setting", Marketing Science 29(6)).

Every likelihood is evaluated in log space (``gammaln``, ``betaln``,
log-sum-exp) and every parameter is optimised as its logarithm, so the fits
start from all ones and need no tuning. Time is in whatever unit the user's
``recency`` and ``T`` are in (weeks for CDNOW). :class:`ParetoNBD` divides time
by its mean while it optimises, so minutes and weeks give the same fit, and
reports ``log_likelihood_`` on the user's scale, the published one.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import optimize, special
from scipy.special import betaln, digamma, expit, gammaln

from ._hypergeometric import _CANCELLATION, RTOL, bgnbd_expected_alive, hyp2f1_one
from ._parallel import in_halves
from ._validation import check_array, check_choice

#: Days in one time unit, for :meth:`GammaGamma.clv`. A month is a twelfth of a
#: Julian year, 30.4375 days (lifetimes counts 30).
DAYS_PER_UNIT = {"day": 1.0, "week": 7.0, "month": 365.25 / 12}
#: Longest horizon of :meth:`GammaGamma.clv`, and the most periods :class:`BetaGeoBetaBinom`
#: sums over (its likelihood and forecast cost grow with the number of periods).
MAX_CLV_MONTHS = 1200
MAX_BGBB_PERIODS = 10_000


#: ParetoNBD's optimiser searches the (rescaled) parameters within [1e-8, 1e8]: beyond,
#: an estimate has run off to a boundary the data cannot pin (see ``_RUNAWAY``), and its
#: likelihood there only costs time.
_BOX = np.log(1e8)
#: Where the likelihood is flat along the optimiser's path (a ridge: Pareto/NBD's ``s`` and
#: ``beta`` grow together when few customers have left), the fit stops once the last
#: ``_RIDGE_STEPS`` steps moved a parameter by more than a factor of 2 while raising the
#: log-likelihood by less than ``_RIDGE_GAIN``, statistically nothing; going on costs minutes.
_RIDGE_STEPS = 3
_RIDGE_GAIN = 0.05


class _RidgeStop:
    """A BFGS callback that ends the search on a ridge and remembers what moved along it."""

    def __init__(self, total_weight: float):
        self.total_weight = total_weight
        self.path: list[tuple[np.ndarray, float]] = []
        self.moved: np.ndarray | None = None

    def __call__(self, intermediate_result) -> None:
        x, fun = intermediate_result.x.copy(), float(intermediate_result.fun)
        self.path.append((x, fun))
        if len(self.path) > _RIDGE_STEPS:
            before, fun_before = self.path[-1 - _RIDGE_STEPS]
            moved = np.abs(x - before) > np.log(2)
            if moved.any() and (fun_before - fun) * self.total_weight < _RIDGE_GAIN:
                self.moved = moved
                raise StopIteration


class _MaximumLikelihoodModel:
    """Shared estimator plumbing: fit, params_, log_likelihood_, summary."""

    _param_names: tuple[str, ...] = ()

    def __repr__(self) -> str:
        if not hasattr(self, "params_"):
            return f"{type(self).__name__}()"
        shown = ", ".join(f"{k}={v:.4g}" for k, v in self.params_.items())
        return f"{type(self).__name__}({shown})"

    def _check_fitted(self, method: str) -> None:
        if not hasattr(self, "params_"):
            raise RuntimeError(
                f"{type(self).__name__}.{method}: the model is not fitted; call fit first"
            )

    def _negative_ll(self, log_params: np.ndarray) -> float:
        """Minus the total log-likelihood of the stored data, per unit weight."""
        if self._box and np.any(np.abs(log_params - self._centre) > self._box):
            return np.inf
        with np.errstate(all="ignore"):
            value = -np.sum(self._weights * self._loglik(np.exp(log_params), *self._data))
        return value / self._weights.sum() if np.isfinite(value) else np.inf

    def _negative_ll_and_gradient(self, log_params: np.ndarray):
        """Minus the log-likelihood per unit weight and its gradient in the log parameters."""
        if self._box and np.any(np.abs(log_params - self._centre) > self._box):
            return np.inf, np.zeros_like(log_params)
        params = np.exp(log_params)
        total = self._weights.sum()
        with np.errstate(all="ignore"):
            values, grads = self._loglik_and_gradient(params, *self._data)
            value = -np.sum(self._weights * values) / total
            grad = -(grads @ self._weights) * params / total
        if not np.isfinite(value) or not np.all(np.isfinite(grad)):
            return np.inf, np.zeros_like(log_params)
        return value, grad

    #: Columns of the fitted data measured in the model's unit (time, money), and the
    #: parameters that carry that unit.  Whether a parameter ran off (``_RUNAWAY``) is
    #: judged on the data's own scale, so weeks or seconds, yuan or fen, give the same
    #: verdict.  With ``_rescale`` the optimiser also sees the data divided by that scale
    #: (Pareto/NBD needs it); the models with an analytic gradient reach the optimum in
    #: any unit, and rescaling them made some degenerate fits far slower.
    _unit_columns: tuple[int, ...] = ()
    _unit_params: tuple[str, ...] = ()
    _rescale: bool = False
    _box: float | None = None
    #: Stop on a ridge of the likelihood (see ``_RidgeStop``): for models whose likelihood
    #: costs more the further out the ridge goes.
    _stops_on_ridge: bool = False

    def _maximise(self, data, weights) -> None:
        weights = np.asarray(weights, dtype=float)
        scale = 1.0
        if self._unit_columns:
            unit = np.concatenate([data[i] for i in self._unit_columns])
            unit_w = np.concatenate([weights] * len(self._unit_columns))
            scale = float(np.average(unit[unit > 0], weights=unit_w[unit > 0]))
        data_unit = np.log(scale) * np.array(
            [name in self._unit_params for name in self._param_names], dtype=float)
        if not self._rescale:
            scale = 1.0
        scaled = tuple(c / scale if i in self._unit_columns else c for i, c in enumerate(data))
        self._data = scaled
        self._weights = weights
        self._centre = np.zeros(len(self._param_names))
        x0 = np.zeros(len(self._param_names))  # every parameter starts at 1
        analytic = hasattr(self, "_loglik_and_gradient")
        ridge = _RidgeStop(weights.sum())
        # Steps into regions where the likelihood underflows give inf; both
        # optimisers step back from those, so the floating-point noise is muted.
        with np.errstate(all="ignore"):
            if analytic:
                result = optimize.minimize(self._negative_ll_and_gradient, x0, jac=True,
                                           method="BFGS", options={"gtol": 1e-7})
            else:
                # Central differences: forward ones stall BFGS on flat optima (precision loss).
                result = optimize.minimize(self._negative_ll, x0, jac="3-point", method="BFGS",
                                           options={"gtol": 1e-7},
                                           callback=ridge if self._stops_on_ridge else None)
            on_ridge = ridge.moved is not None and np.isfinite(result.fun)
            if not on_ridge and (not result.success or not np.isfinite(result.fun)):
                # BFGS stops on precision loss near a flat optimum; polish with a simplex.
                polished = optimize.minimize(
                    self._negative_ll,
                    result.x if np.isfinite(result.fun) else x0,
                    method="Nelder-Mead",
                    options={"xatol": 1e-8, "fatol": 1e-12, "maxiter": 4000},
                )
                if polished.fun <= result.fun or not np.isfinite(result.fun):
                    result = polished
        if not np.isfinite(result.fun):
            raise RuntimeError(
                f"{type(self).__name__}.fit: the likelihood is not finite at any tried "
                "parameters; check the data"
            )
        if not result.success and not on_ridge:
            warnings.warn(
                f"{type(self).__name__}.fit: the optimiser reports {result.message!r}; "
                "the estimates may be imprecise",
                RuntimeWarning,
                stacklevel=3,
            )
        log_params = result.x + np.log(scale) * np.array(
            [name in self._unit_params for name in self._param_names], dtype=float)
        self._log_unit = data_unit
        self._centre = data_unit
        # From here on everything is on the user's scale: the summary's Hessian in the log
        # parameters is the same on either scale, and log_likelihood_ is the published one.
        self._data = data
        self._log_params = log_params
        values = np.exp(log_params)
        self.params_ = {k: float(v) for k, v in zip(self._param_names, values, strict=True)}
        with np.errstate(all="ignore"):
            total = np.sum(weights * self._loglik(values, *data))
        self.log_likelihood_ = float(total)
        self.n_observations_ = float(weights.sum())
        self._on_ridge = ridge.moved if on_ridge else np.zeros(len(self._param_names), bool)
        self._warn_unidentified(log_params - data_unit)

    #: Beyond this many e-folds from 1 (on the rescaled data) an estimate has run off to
    #: 0 or infinity: the data do not pin it down.
    _RUNAWAY = np.log(1e6)

    def _warn_unidentified(self, scaled_log_params) -> None:
        if self._on_ridge.any():
            names = ", ".join(np.array(self._param_names)[self._on_ridge])
            warnings.warn(
                f"{type(self).__name__}.fit: the likelihood is flat along a ridge in {names}: "
                f"over the last {_RIDGE_STEPS} steps {names} changed by more than a factor of 2 "
                f"while the log-likelihood rose by less than {_RIDGE_GAIN}; the data do not "
                f"identify {names}, so the fit stops there and summary gives {names} no "
                "standard error",
                RuntimeWarning,
                stacklevel=3,
            )
        runaway = [name for name, v in zip(self._param_names, scaled_log_params, strict=True)
                   if abs(v) > self._RUNAWAY]
        if runaway:
            shown = ", ".join(f"{k} = {self.params_[k]:.3g}" for k in runaway)
            warnings.warn(
                f"{type(self).__name__}.fit: the data do not identify {', '.join(runaway)} "
                f"(the estimate ran off to {shown}); the fit describes these data but the "
                f"parameter itself is not estimated, and summary gives it no standard error",
                RuntimeWarning,
                stacklevel=3,
            )

    def _params(self) -> tuple[float, ...]:
        missing = [k for k in self._param_names if k not in self.params_]
        if missing:
            raise ValueError(
                f"{type(self).__name__}: params_ lacks {missing}; it needs "
                f"{list(self._param_names)}, found {sorted(self.params_)}"
            )
        return tuple(float(self.params_[k]) for k in self._param_names)

    @property
    def summary(self) -> pd.DataFrame:
        """Estimates with standard errors from the observed information.

        The Hessian of the log-likelihood in the log parameters is taken by
        central differences and mapped back with the delta method. A parameter
        the data do not identify (its estimate ran off to 0 or infinity, or it
        moves along a direction of zero curvature, or along a ridge where the fit
        stopped) gets ``std_error`` inf and the
        interval (0, inf), with a RuntimeWarning that names it: its precision is
        unknown, not perfect.
        """
        self._check_fitted("summary")
        if not hasattr(self, "_log_params"):
            raise RuntimeError(
                f"{type(self).__name__}.summary: standard errors need the data the model was "
                "fitted on; the parameters were set by hand, so call fit first"
            )
        theta = self._log_params
        k = theta.size
        h = 1e-4
        total = self._weights.sum()

        def f(x):
            return self._negative_ll(x) * total

        hess = np.empty((k, k))
        for i in range(k):
            for j in range(i, k):
                ei = np.eye(k)[i] * h
                ej = np.eye(k)[j] * h
                hess[i, j] = hess[j, i] = (
                    f(theta + ei + ej) - f(theta + ei - ej) - f(theta - ei + ej)
                    + f(theta - ei - ej)
                ) / (4 * h * h)
        se = np.full(k, np.inf)
        if np.all(np.isfinite(hess)):
            eigenvalues, vectors = np.linalg.eigh(hess)
            # A direction of (almost) zero curvature is one the data cannot pin down;
            # every parameter that moves along it gets no standard error.
            flat = eigenvalues <= 1e-8 * max(eigenvalues.max(), 1e-300)
            unidentified = np.any(np.abs(vectors[:, flat]) > 1e-3, axis=1)
            if not flat.all():
                keep = ~flat
                cov_log = (vectors[:, keep] / eigenvalues[keep]) @ vectors[:, keep].T
                se = np.where(unidentified, np.inf, np.exp(theta) * np.sqrt(np.diag(cov_log)))
        se = np.where(np.abs(theta - self._log_unit) > self._RUNAWAY, np.inf, se)
        se = np.where(self._on_ridge, np.inf, se)
        if np.isinf(se).any():
            names = [n for n, v in zip(self._param_names, se, strict=True) if np.isinf(v)]
            warnings.warn(
                f"{type(self).__name__}.summary: the data do not identify {', '.join(names)}; "
                "their std_error is shown as inf and their interval as (0, inf)",
                RuntimeWarning,
                stacklevel=2,
            )
        estimate = np.exp(theta)
        return pd.DataFrame(
            {
                "estimate": estimate,
                "std_error": se,
                "lower_95": np.where(np.isinf(se), 0.0, estimate * np.exp(-1.96 * se / estimate)),
                "upper_95": np.where(np.isinf(se), np.inf,
                                     estimate * np.exp(1.96 * se / estimate)),
            },
            index=pd.Index(self._param_names, name="parameter"),
        )


def _same_length(func: str, **arrays: np.ndarray) -> None:
    sizes = {name: a.size for name, a in arrays.items()}
    if len(set(sizes.values())) > 1:
        shown = ", ".join(f"{name} has {n}" for name, n in sizes.items())
        raise ValueError(f"{func}: the arrays must have the same length; {shown}")


def _horizon(func: str, t, n: int) -> np.ndarray:
    """``t`` as one value for all customers (an array of one) or exactly ``n`` values."""
    horizon = check_array(t, func=func, name="t", lower=0)
    if horizon.size == 1:
        return horizon  # broadcasts against the customers
    if horizon.size != n:
        raise ValueError(
            f"{func}: t must be one horizon for every customer or one per customer ({n}); "
            f"found {horizon.size} values"
        )
    return horizon


def _check_rft(func: str, frequency, recency, T):
    """Check frequency / recency / T in the BTYD convention (recency = t_x)."""
    x = check_array(frequency, func=func, name="frequency", lower=0, integer=True)
    t_x = check_array(recency, func=func, name="recency", lower=0)
    big_t = check_array(T, func=func, name="T", lower=0)
    _same_length(func, frequency=x, recency=t_x, T=big_t)
    bad = t_x > big_t
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"{func}: recency must be <= T (the last purchase falls inside the observation "
            f"window); found {int(bad.sum())} customers with recency > T, e.g. recency "
            f"{t_x[i]} with T {big_t[i]} at position {i}"
        )
    bad = (x == 0) & (t_x > 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"{func}: recency must be 0 where frequency is 0 (recency is the time of the last "
            f"repeat purchase); found {int(bad.sum())} customers with frequency 0 and recency "
            f"> 0, e.g. recency {t_x[i]} at position {i}"
        )
    return x, t_x, big_t


def _check_fit_data(func: str, x, t_x, big_t, weights, *, counts_purchases=True) -> None:
    """Refuse impossible histories and data that cannot identify the model at all."""
    used = weights > 0
    if counts_purchases:
        bad = (x > 0) & (t_x == 0) & used
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"{func}: a customer with frequency > 0 must have recency > 0 (repeat "
                f"purchases come after the first one); found {int(bad.sum())} customers with "
                f"frequency > 0 and recency 0, e.g. frequency {x[i]:g} at position {i}"
            )
        if not (big_t[used] > 0).any():
            raise ValueError(
                f"{func}: T is 0 for every customer, so nobody was observed for any time "
                "and the data say nothing about purchase or dropout rates"
            )
    if not (t_x[used] < big_t[used]).any():
        window = "T" if counts_purchases else "n_periods"
        raise ValueError(
            f"{func}: every customer's last purchase is at the end of the window (recency == "
            f"{window}), so nobody was seen to go quiet and the data say nothing about how "
            "soon customers leave; the dropout parameters cannot be estimated"
        )
    if not (x[used] > 0).any():
        raise ValueError(
            f"{func}: frequency is 0 for every customer (nobody made a repeat purchase); "
            "the data cannot separate how often customers buy from how soon they leave, "
            "so the model's parameters cannot be estimated"
        )
    if _one_row(used, x, t_x, big_t):
        i = int(np.argmax(used))
        raise ValueError(
            f"{func}: every customer has the same history (frequency {x[i]:g}, recency "
            f"{t_x[i]:g}, T {big_t[i]:g}); one history cannot show how customers differ, "
            "so the model's parameters cannot be estimated"
        )


def _one_row(used: np.ndarray, *columns: np.ndarray) -> bool:
    """Whether every used row equals the first used one (there is at least one)."""
    i = int(np.argmax(used))
    return all(bool(np.all((c == c[i]) | ~used)) for c in columns)


def _check_weights(func: str, weights, n: int) -> np.ndarray:
    if weights is None:
        return np.ones(n)
    w = check_array(weights, func=func, name="weights", lower=0)
    if w.size != n:
        raise ValueError(f"{func}: weights must have one value per customer ({n}); found {w.size}")
    if w.sum() <= 0:
        raise ValueError(f"{func}: weights must not all be 0")
    return w


def _compress(*columns: np.ndarray, weights: np.ndarray):
    """Collapse identical rows into one row with the summed weight (like FHL's tables).

    The distinct rows come out in lexicographic order with the weights summed by
    ``np.bincount``, exactly as ``np.unique(axis=0, return_inverse=True)`` gives
    them (the fits' sums depend on that order to the last bit). Sorting rows that
    way costs seconds at a million customers, most of them distinct; sorting one
    integer key per row (:func:`_monotone_key`) costs a tenth of that. Where the key
    puts two distinct values of a column in the same field, the rows sharing that
    field are sorted again among themselves.
    """
    key, shifts, exact = _monotone_key(columns)
    order = np.argsort(key)
    sorted_key = key[order]
    ordered = [c[order] for c in columns]
    changed = sorted_key[1:] ^ sorted_key[:-1]
    equal = np.ones(order.size - 1, dtype=bool)  # neighbours equal in the columns so far
    runs = []
    for c, shift, whole in zip(ordered, shifts, exact, strict=True):
        differ = c[1:] != c[:-1]
        if not whole:
            # The first difference falls in this column, yet the fields agree: the later
            # fields may then order the rows wrongly, so every row with this prefix is
            # sorted again.
            collided = np.flatnonzero(equal & differ & (changed >> np.uint64(shift) == 0))
            if collided.size:
                low = sorted_key[collided] >> np.uint64(shift) << np.uint64(shift)
                high = low | np.uint64((1 << shift) - 1)
                runs.append(np.column_stack([np.searchsorted(sorted_key, low, side="left"),
                                             np.searchsorted(sorted_key, high, side="right")]))
        equal &= ~differ
    if runs:
        rows, run_of = _rows_of_runs(np.concatenate(runs))
        within = np.lexsort([c[rows] for c in reversed(ordered)] + [run_of])
        order[rows] = order[rows][within]
        for c, o in zip(columns, ordered, strict=True):
            o[rows] = c[order[rows]]
        pairs = np.union1d(rows - 1, rows)
        pairs = pairs[(pairs >= 0) & (pairs < order.size - 1)]
        equal[pairs], descending = _compare_pairs(ordered, pairs)
        if descending:  # the repair above leaves none; this keeps the result exact regardless
            order = np.lexsort(columns[::-1])
            ordered = [c[order] for c in columns]
            equal, _ = _compare_pairs(ordered, np.arange(order.size - 1))
    first = np.concatenate([[True], ~equal])
    inverse = np.empty(order.size, dtype=np.intp)
    inverse[order] = np.cumsum(first) - 1
    summed = np.bincount(inverse, weights=weights)
    return tuple(c[first] for c in ordered), summed


def _compare_pairs(ordered, pairs):
    """For rows ``pairs`` and ``pairs + 1``: whether they are equal, and whether any of
    those pairs is in descending lexicographic order."""
    equal = np.ones(pairs.size, dtype=bool)
    descending = False
    for c in ordered:
        before, after = c[pairs], c[pairs + 1]
        descending = descending or bool(np.any(equal & (before > after)))
        equal &= before == after
    return equal, descending


def _rows_of_runs(runs: np.ndarray):
    """The positions inside [start, end) runs, each nested in or apart from the others,
    and the start of the outermost run holding each."""
    runs = runs[np.lexsort((-runs[:, 1], runs[:, 0]))]
    reach = np.maximum.accumulate(runs[:, 1])
    outer = runs[np.concatenate([[True], runs[1:, 0] >= reach[:-1]])]
    lengths = outer[:, 1] - outer[:, 0]
    run_of = np.repeat(outer[:, 0], lengths)
    rows = run_of + np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return rows, run_of


#: Whole-number columns spanning fewer values than this get exact fields in the key.
_EXACT_SPAN = 2**16


def _monotone_key(columns):
    """A uint64 per row, ordered as the rows are lexicographically up to collisions.

    Each column takes a field of the 64 bits, the first column the highest: a
    whole-number column of short range its exact offset from its minimum, any
    other column its value scaled from its range onto the field and floored
    (every floating-point step of that is monotone, so a larger value never gets
    a smaller field). Two rows can share a field with different values (a
    collision); then the fields after it may disagree with the rows' order.
    Returns the key, each field's lowest bit and whether each field is exact.
    """
    ranges = [(float(c.min()), float(c.max())) for c in columns]
    exact = [hi - lo < _EXACT_SPAN and bool(np.all(c == np.floor(c)))
             for c, (lo, hi) in zip(columns, ranges, strict=True)]
    if sum(exact) * _EXACT_SPAN.bit_length() > 64:  # more columns than the models have
        exact = [False] * len(columns)
    bits = [int(hi - lo).bit_length() if whole else 0
            for whole, (lo, hi) in zip(exact, ranges, strict=True)]
    scaled = [i for i, (whole, (lo, hi)) in enumerate(zip(exact, ranges, strict=True))
              if not whole and hi > lo]
    if scaled:
        share = min((64 - sum(bits)) // len(scaled), 52)
        for i in scaled:
            bits[i] = share
    key = np.zeros(columns[0].size, dtype=np.uint64)
    for c, (lo, hi), whole, m in zip(columns, ranges, exact, bits, strict=True):
        if m == 0:
            continue
        if whole:
            field = c - lo
        else:
            top = float(2**m - 1)
            # Divided first: top / (hi - lo) overflows when the range is subnormal.
            field = np.minimum(np.floor((c - lo) / (hi - lo) * top), top)
        key = (key << np.uint64(m)) | field.astype(np.uint64)
    shifts = np.cumsum(bits[::-1])[::-1] - np.array(bits)
    return key, [int(v) for v in shifts], exact


def _log_diff_exp(a, b):
    """log(exp(a) - exp(b)) for a >= b, without overflow."""
    return a + np.log(-np.expm1(b - a))


def _levels(x: np.ndarray):
    """The distinct frequencies (whole numbers >= 0) and a function spreading one value per
    frequency to the customers (or to a slice of them): a lookup table, or ``np.unique``
    for huge frequencies."""
    if x.max() < _EXACT_SPAN:
        codes = x.astype(np.intp)
        levels = np.arange(codes.max() + 1, dtype=float)
    else:
        levels, codes = np.unique(x, return_inverse=True)

    def spread(per_level: np.ndarray, rows: slice = slice(None)) -> np.ndarray:
        return per_level[codes[rows]]

    return levels, spread


class BetaGeo(_MaximumLikelihoodModel):
    """The BG/NBD model: Poisson purchasing, geometric dropout after a purchase.

    Purchase rates are gamma(``r``, ``alpha``) across customers, and after each
    purchase a customer drops out with a probability drawn from beta(``a``,
    ``b``) (Fader, Hardie & Lee 2005).

    Attributes
    ----------
    params_ : dict
        ``r``, ``alpha`` (in the time unit of ``recency`` and ``T``), ``a``, ``b``.
    log_likelihood_ : float
        The maximised log-likelihood, on the user's time scale.

    Examples
    --------
    >>> model = BetaGeo().fit(frequency=[0, 2, 5, 1, 0, 3], recency=[0, 20, 30, 5, 0, 36],
    ...                       T=[38, 38, 36, 30, 32, 38])
    >>> sorted(model.params_)
    ['a', 'alpha', 'b', 'r']
    >>> model.probability_alive([2], [20], [38]).round(3).tolist()
    [1.0]
    """

    _param_names = ("r", "alpha", "a", "b")
    _unit_columns = (1, 2)
    _unit_params = ("alpha",)

    @staticmethod
    def _terms(params, x, t_x, big_t):
        """The per-customer pieces of the likelihood, what depends on ``x`` alone worked
        out once per distinct frequency (a fit has a few hundred of them at most).

        Each piece is the same expression, in the same order, as written per customer,
        so the values are the same to the last bit.
        """
        r, alpha, a, b = params
        levels, spread = _levels(x)
        rx = r + x
        log_t = np.log(alpha + big_t)
        log_tx = np.log(alpha + t_x)
        survived = -rx * log_t
        before_drop = np.maximum(b + levels - 1, 1e-300)
        drop = np.where(levels > 0, np.log(a) - np.log(before_drop), -np.inf)
        dropped = spread(drop) - rx * log_tx
        head = (gammaln(r + levels) - gammaln(r) + r * np.log(alpha)
                + betaln(a, b + levels) - betaln(a, b))
        return head, levels, spread, rx, log_t, log_tx, survived, dropped, before_drop

    @classmethod
    def _loglik(cls, params, x, t_x, big_t):
        head, _, spread, _, _, _, survived, dropped, _ = cls._terms(params, x, t_x, big_t)
        return spread(head) + np.logaddexp(survived, dropped)

    @classmethod
    def _loglik_and_gradient(cls, params, x, t_x, big_t):
        r, alpha, a, b = params
        head, levels, spread, rx, log_t, log_tx, survived, dropped, before_drop = cls._terms(
            params, x, t_x, big_t)
        mix = np.logaddexp(survived, dropped)
        w_survived, w_dropped = np.exp(survived - mix), np.exp(dropped - mix)
        out = np.empty((4, x.size))
        out[0] = (spread(digamma(r + levels) - digamma(r) + np.log(alpha))
                  - w_survived * log_t - w_dropped * log_tx)
        out[1] = (r / alpha - w_survived * rx / (alpha + big_t)
                  - w_dropped * rx / (alpha + t_x))
        out[2] = spread(digamma(a + b) - digamma(a + b + levels)) + w_dropped / a
        out[3] = (spread(digamma(b + levels) - digamma(a + b + levels) - digamma(b)
                         + digamma(a + b))
                  - w_dropped / spread(before_drop))
        return spread(head) + mix, out

    def fit(self, frequency, recency, T, *, weights=None):
        """Fit by maximum likelihood.

        Parameters
        ----------
        frequency : array-like
            Repeat purchases in the calibration window (``x``).
        recency : array-like
            Time of the last repeat purchase since the first one (``t_x``, 0 when
            ``frequency`` is 0).
        T : array-like
            Time from the first purchase to the end of the window (customers
            with ``T`` 0 carry no information and add 0 to the log-likelihood).
        weights : array-like, optional
            How many customers each row stands for.

        Returns
        -------
        BetaGeo
            The fitted model (``self``).
        """
        func = "BetaGeo.fit"
        x, t_x, big_t = _check_rft(func, frequency, recency, T)
        w = _check_weights(func, weights, x.size)
        _check_fit_data(func, x, t_x, big_t, w)
        data, w = _compress(x, t_x, big_t, weights=w)
        self._maximise(data, w)
        return self

    def _alive(self, x, t_x, big_t):
        """P(alive) of checked histories: expit of minus the log odds of having dropped out,
        ``log(a / (b + x - 1)) + (r + x) log((alpha + T) / (alpha + t_x))`` (-inf at x = 0),
        worked out on both cores from a quarter of a million customers on."""
        r, alpha, a, b = self._params()
        levels, spread = _levels(x)
        with np.errstate(divide="ignore"):
            per_level = np.where(levels > 0, np.log(a) - np.log(b + levels - 1), -np.inf)
        alive = np.empty(x.size)

        def work(rows: slice) -> None:
            odds = np.add(alpha, big_t[rows], out=alive[rows])
            odds /= alpha + t_x[rows]
            np.log(odds, out=odds)
            odds *= r + x[rows]
            odds += spread(per_level, rows)
            with np.errstate(over="ignore"):
                np.exp(odds, out=odds)  # overflows to inf, alive 0, only beyond odds of e^709
            odds += 1
            np.reciprocal(odds, out=odds)

        in_halves(work, x.size, min_rows=1 << 18)
        return alive

    def probability_alive(self, frequency, recency, T):
        """P(still alive at T | frequency, recency, T).

        Examples
        --------
        >>> model = BetaGeo()
        >>> model.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
        >>> model.probability_alive([0, 2, 2], [0, 30.43, 5.0], [38.86, 38.86, 38.86]).round(3)
        array([1.   , 0.727, 0.124])
        """
        self._check_fitted("probability_alive")
        x, t_x, big_t = _check_rft("BetaGeo.probability_alive", frequency, recency, T)
        return self._alive(x, t_x, big_t)

    def expected_purchases(self, t, frequency, recency, T):
        """Expected purchases in the next ``t`` time units, given each history.

        Parameters
        ----------
        t : float or array-like
            Length of the future horizon, in the time unit of ``T``: one value
            for every customer, or one per customer.
        frequency, recency, T : array-like
            As in :meth:`fit`.

        Examples
        --------
        >>> model = BetaGeo()
        >>> model.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
        >>> model.expected_purchases(39, [0, 2], [0, 30.43], [38.86, 38.86]).round(3)
        array([0.195, 1.226])
        """
        self._check_fitted("expected_purchases")
        func = "BetaGeo.expected_purchases"
        x, t_x, big_t = _check_rft(func, frequency, recency, T)
        horizon = _horizon(func, t, x.size)
        r, alpha, a, b = self._params()
        u = horizon / (alpha + big_t)
        if x.size >= _BY_LEVEL_ROWS:
            numerator = _bgnbd_alive_by_frequency(r, a, b, x, u)
        else:
            numerator = bgnbd_expected_alive(r, a, b, x, u)
        numerator *= self._alive(x, t_x, big_t)
        return numerator

    def expected_purchases_new(self, t):
        """Expected repeat purchases of a new customer in ``t`` time units, E[X(t)].

        Examples
        --------
        >>> model = BetaGeo()
        >>> model.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
        >>> model.expected_purchases_new([39, 78]).round(3)
        array([1.197, 1.861])
        """
        self._check_fitted("expected_purchases_new")
        horizon = check_array(t, func="BetaGeo.expected_purchases_new", name="t", lower=0)
        r, alpha, a, b = self._params()
        return bgnbd_expected_alive(r, a, b, 0.0, horizon / alpha)


#: Fewest customers for which the per-frequency series pays for its loop over frequencies
#: (below, the general block-wise sum is faster).
_BY_LEVEL_ROWS = 20_000
#: Terms a per-frequency series may take (see :func:`_series_by_level`); a customer whose
#: series needs more (``z`` near 1) goes to the general functions of ``_hypergeometric``.
_HORNER_TERMS = (8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096)


def _series_by_level(codes, z, pairs):
    """``P(z) = sum_j c_j z^j`` per row, with coefficients that depend on the row's level.

    ``c_0 = 1`` and ``c_(j+1) = c_j prod_i (j + n_i) / (j + d_i)``, where ``pairs`` gives, per
    pair, ``n_i`` and ``d_i`` as arrays over the levels (or scalars), all ``n_i >= 0`` and
    ``d_i > 0``, so every coefficient is >= 0 and ``P >= 1``: the sum cannot cancel. The
    coefficients are worked out once per level, and each row's polynomial is evaluated by
    Horner's rule with as many terms as its ``z`` needs for the truncation bound of
    ``power_series``: from term ``J`` on every ratio is at most ``q = z prod_i max(1, (J +
    n_i) / (J + d_i))``, so the tail is below ``RTOL * P`` once ``c_J z^J / (1 - q)`` is.
    Rows that need more than the most terms are nan, for the caller to compute otherwise.
    """
    values = np.full(z.size, np.nan)
    order = np.argsort(codes.astype(np.uint16), kind="stable")
    counts = np.bincount(codes)
    ends = np.cumsum(counts)
    j = np.arange(_HORNER_TERMS[-1], dtype=float)
    with np.errstate(divide="ignore"):  # z = 0 (a horizon of 0) gives -inf: one term will do
        log_z = np.log(z)
    for level in np.flatnonzero(counts):
        rows = order[ends[level] - counts[level]:ends[level]]
        level_pairs = [tuple(float(v if np.ndim(v) == 0 else v[level]) for v in pair)
                       for pair in pairs]
        ratio = np.ones(j.size)
        for n, d in level_pairs:
            ratio *= (j + n) / (j + d)
        coef = np.concatenate([[1.0], np.cumprod(ratio)])
        zz, lz = z[rows], log_z[rows]
        terms = np.zeros(rows.size, dtype=np.intp)
        undecided = np.arange(rows.size)
        with np.errstate(divide="ignore", invalid="ignore"):
            for n_terms in _HORNER_TERMS:
                factor = 1.0
                for n, d in level_pairs:
                    factor *= max(1.0, (n_terms + n) / (n_terms + d))
                q = zz[undecided] * factor
                enough = (q < 1) & (np.log(coef[n_terms]) + n_terms * lz[undecided]
                                    - np.log1p(-q) <= np.log(RTOL))
                terms[undecided[enough]] = n_terms
                undecided = undecided[~enough]
                if not undecided.size:
                    break
        for n_terms in _HORNER_TERMS:
            mine = terms == n_terms
            if not mine.any():
                continue
            zm = zz[mine]
            acc = np.full(zm.size, coef[n_terms - 1])
            for k in range(n_terms - 2, -1, -1):
                acc *= zm
                acc += coef[k]
            values[rows[mine]] = acc
    return values


def _bgnbd_alive_by_frequency(r, a, b, x, u):
    """:func:`bgnbd_expected_alive` for one parameter set and many customers.

    The reduced series there is ``T = z P(z)`` with ratio pairs ``(a + b - r, a + b +
    x)`` and ``(a, 2)``, evaluated by :func:`_series_by_level`; with ``a + b >= r`` every
    coefficient is positive, so the sum cannot cancel. Otherwise, and for a customer
    whose series is too long or whose result cancels, the general function takes over.
    """
    big_a = a + b - r
    if big_a < 0 or x.max() >= _EXACT_SPAN:
        return bgnbd_expected_alive(r, a, b, x, u)
    z = u / (1 + u)
    log_1mz = -np.log1p(u)
    e = a - 1
    with np.errstate(invalid="ignore", divide="ignore"):
        phi = np.where(np.abs(e * log_1mz) < 1e-300, -log_1mz, -np.expm1(e * log_1mz) / e)
    if e == 0:
        phi = -log_1mz
    codes = x.astype(np.intp)
    levels = np.arange(codes.max() + 1, dtype=float)
    series = z * _series_by_level(codes, z, [(big_a, a + b + levels), (a, 2.0)])
    first = (a + b + x - 1) * phi
    second = np.exp(e * log_1mz) * (a + b - 1 - r) * series
    value = first - second
    with np.errstate(invalid="ignore"):
        ok = np.abs(first) + np.abs(second) <= _CANCELLATION * np.abs(value)
    rest = np.flatnonzero(~ok)
    if rest.size:
        value[rest] = bgnbd_expected_alive(r, a, b, x[rest], u[rest])
    return value


def _hyp2f1_one_by_frequency(x, b, c, z, *, fallback):
    """:func:`hyp2f1_one` where ``b`` and ``c`` are arrays over the frequencies ``0 ..
    max(x)`` and ``x`` indexes them: scipy's value for ``z <= 0.5`` as there, the series by
    :func:`_series_by_level` above (positive terms: ``0 < b < c``), and ``hyp2f1_one`` for
    the rows whose series is too long."""
    codes = x.astype(np.intp)
    values = np.empty(z.size)
    low = z <= 0.5
    values[low] = special.hyp2f1(1.0, b[codes[low]], c[codes[low]], z[low])
    high = np.flatnonzero(~low)
    if high.size:
        values[high] = _series_by_level(codes[high], z[high], [(b, c)])
        rest = high[np.isnan(values[high])]
        if rest.size:
            values[rest] = hyp2f1_one(b[codes[rest]], c[codes[rest]], z[rest], fallback=fallback)
    return values


class ParetoNBD(_MaximumLikelihoodModel):
    """The Pareto/NBD model: Poisson purchasing, exponential lifetimes.

    Purchase rates are gamma(``r``, ``alpha``) and dropout rates gamma(``s``,
    ``beta``) across customers (Schmittlein, Morrison & Colombo 1987).

    Examples
    --------
    >>> model = ParetoNBD().fit(frequency=[0, 2, 5, 1, 0, 3], recency=[0, 20, 30, 5, 0, 36],
    ...                         T=[38, 38, 36, 30, 32, 38])
    >>> sorted(model.params_)
    ['alpha', 'beta', 'r', 's']
    """

    _param_names = ("r", "alpha", "s", "beta")
    _unit_columns = (1, 2)
    _unit_params = ("alpha", "beta")
    _rescale = True
    _box = _BOX
    _stops_on_ridge = True  # each step out along s and beta sums a longer series

    @staticmethod
    def _log_a0(params, x, t_x, big_t, fallback="integral"):
        """log of A0 in Fader & Hardie's note, choosing the convergent 2F1 branch.

        ``2F1(r+s+x, b; r+s+x+1; z)`` overflows for large ``x`` with ``z`` near 1;
        Euler's transformation turns it into ``(1-z)^(1-b) 2F1(1, r+s+x+1-b;
        r+s+x+1; z)``, whose series is bounded by ``1 / (1 - z)``.
        """
        r, alpha, s, beta = params
        rsx = r + s + x
        if alpha >= beta:
            big, small, second = alpha, beta, s + 1
        else:
            big, small, second = beta, alpha, r + x

        both = np.concatenate([t_x, big_t])  # one series call for both ends: half the overhead
        rsx2 = np.concatenate([rsx, rsx])
        second2 = np.broadcast_to(second, rsx.shape)
        second2 = np.concatenate([second2, second2])
        log_big = np.log(big + both)
        log_one_minus_z = np.log(small + both) - log_big
        z = (big - small) / (big + both)
        if x.size >= _BY_LEVEL_ROWS and x.max() < _EXACT_SPAN:  # see _series_by_level
            levels = np.arange(int(x.max()) + 1, dtype=float)
            rsx_levels = r + s + levels
            second_levels = s + 1 if alpha >= beta else r + levels
            series = _hyp2f1_one_by_frequency(
                np.concatenate([x, x]), rsx_levels + 1 - second_levels, rsx_levels + 1, z,
                fallback=fallback)
        else:
            series = hyp2f1_one(rsx2 + 1 - second2, rsx2 + 1, z, fallback=fallback)
        term = (1 - second2) * log_one_minus_z + np.log(series) - rsx2 * log_big
        return _log_diff_exp(term[: t_x.size], term[t_x.size:])

    @classmethod
    def _loglik(cls, params, x, t_x, big_t):
        r, alpha, s, beta = params
        head = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + s * np.log(beta)
        survived = -(r + x) * np.log(alpha + big_t) - s * np.log(beta + big_t)
        # When t_x == T the dropout term is 0 (log -inf); _log_diff_exp gives -inf there.
        with np.errstate(divide="ignore", invalid="ignore"):
            # While fitting, the rare series too long to sum takes scipy's value; a nan there
            # is an infinite cost the optimiser steps away from, where an integral per row
            # would cost seconds. Predictions always integrate.
            dropped = np.log(s) - np.log(r + s + x) + cls._log_a0(params, x, t_x, big_t,
                                                                  fallback="scipy")
        dropped = np.where(t_x < big_t, dropped, -np.inf)
        return head + np.logaddexp(survived, dropped)

    def fit(self, frequency, recency, T, *, weights=None):
        """Fit by maximum likelihood; arguments as in :meth:`BetaGeo.fit`.

        Returns
        -------
        ParetoNBD
            The fitted model (``self``).
        """
        func = "ParetoNBD.fit"
        x, t_x, big_t = _check_rft(func, frequency, recency, T)
        w = _check_weights(func, weights, x.size)
        _check_fit_data(func, x, t_x, big_t, w)
        data, w = _compress(x, t_x, big_t, weights=w)
        self._maximise(data, w)
        return self

    def probability_alive(self, frequency, recency, T):
        """P(still alive at T | frequency, recency, T).

        Examples
        --------
        >>> model = ParetoNBD()
        >>> model.params_ = {"r": 0.553, "alpha": 10.58, "s": 0.606, "beta": 11.67}
        >>> model.probability_alive([0, 2], [0, 30.43], [38.86, 38.86]).round(3)
        array([0.295, 0.869])
        """
        self._check_fitted("probability_alive")
        x, t_x, big_t = _check_rft("ParetoNBD.probability_alive", frequency, recency, T)
        return self._alive(x, t_x, big_t)

    def _alive(self, x, t_x, big_t):
        r, alpha, s, beta = params = self._params()
        with np.errstate(divide="ignore", invalid="ignore"):
            log_odds = (
                np.log(s) - np.log(r + s + x)
                + (r + x) * np.log(alpha + big_t) + s * np.log(beta + big_t)
                + self._log_a0(params, x, t_x, big_t)
            )
        log_odds = np.where(t_x < big_t, log_odds, -np.inf)
        return expit(-log_odds)

    def expected_purchases(self, t, frequency, recency, T):
        """Expected purchases in the next ``t`` time units, given each history.

        Examples
        --------
        >>> model = ParetoNBD()
        >>> model.params_ = {"r": 0.553, "alpha": 10.58, "s": 0.606, "beta": 11.67}
        >>> model.expected_purchases(39, [0, 2], [0, 30.43], [38.86, 38.86]).round(3)
        array([0.107, 1.455])
        """
        self._check_fitted("expected_purchases")
        func = "ParetoNBD.expected_purchases"
        x, t_x, big_t = _check_rft(func, frequency, recency, T)
        horizon = _horizon(func, t, x.size)
        r, alpha, s, beta = self._params()
        log_ratio = np.log(beta + big_t) - np.log(beta + big_t + horizon)
        if abs(s - 1) < 1e-10:
            lifetime = -log_ratio
        else:
            lifetime = -np.expm1((s - 1) * log_ratio) / (s - 1)
        rate = (r + x) * (beta + big_t) / (alpha + big_t)
        return rate * lifetime * self._alive(x, t_x, big_t)


class GammaGamma(_MaximumLikelihoodModel):
    """The Gamma-Gamma model of average order value.

    Each order of a customer is gamma(``p``, ``nu``) with ``nu`` itself
    gamma(``q``, ``v``) across customers, so the average of ``x`` orders is
    informative about the customer's mean ``p / nu`` (Fader, Hardie & Lee 2005;
    Fader & Hardie 2013). Fit on customers with at least one repeat order.

    Examples
    --------
    >>> model = GammaGamma().fit(frequency=[2, 1, 3, 3, 3, 4, 1, 5],
    ...                          monetary_value=[37, 12, 91, 32, 18, 139, 31, 60])
    >>> {k: round(v, 2) for k, v in model.params_.items()}
    {'p': 3.26, 'q': 2.95, 'v': 34.57}
    """

    _param_names = ("p", "q", "v")
    _unit_columns = (1,)
    _unit_params = ("v",)

    @staticmethod
    def _terms(params, x, m):
        """What depends on the frequency alone, once per distinct frequency (see BetaGeo)."""
        p, q, v = params
        levels, spread = _levels(x)
        px = p * x
        log_m = np.log(m)
        log_vxm = np.log(v + x * m)
        with np.errstate(divide="ignore", invalid="ignore"):  # unused levels (0) are nan
            head = (gammaln(p * levels + q) - gammaln(p * levels) - gammaln(q) + q * np.log(v)
                    + p * levels * np.log(levels))
        return levels, spread, px, log_m, log_vxm, head

    @classmethod
    def _loglik(cls, params, x, m):
        p, q, v = params
        _, spread, px, log_m, log_vxm, head = cls._terms(params, x, m)
        return spread(head) + (px - 1) * log_m - (px + q) * log_vxm

    @classmethod
    def _loglik_and_gradient(cls, params, x, m):
        p, q, v = params
        levels, spread, px, log_m, log_vxm, head = cls._terms(params, x, m)
        with np.errstate(divide="ignore", invalid="ignore"):
            dg_pq = digamma(p * levels + q)
            d_p = x * (spread(dg_pq - digamma(p * levels) + np.log(levels)) + log_m - log_vxm)
            d_q = spread(dg_pq - digamma(q) + np.log(v)) - log_vxm
        d_v = q / v - (px + q) / (v + x * m)
        value = spread(head) + (px - 1) * log_m - (px + q) * log_vxm
        return value, np.vstack([d_p, d_q, d_v])

    @staticmethod
    def _check(func, frequency, monetary_value, *, fitting):
        x = check_array(frequency, func=func, name="frequency", lower=0, integer=True)
        m = check_array(monetary_value, func=func, name="monetary_value", lower=0, strict=fitting,
                        bounded=True)
        _same_length(func, frequency=x, monetary_value=m)
        if fitting and (x < 1).any():
            raise ValueError(
                f"{func}: frequency must be >= 1 (fit on customers with repeat orders only); "
                f"found {int((x < 1).sum())} customers with frequency 0"
            )
        return x, m

    def fit(self, frequency, monetary_value, *, weights=None):
        """Fit by maximum likelihood.

        Parameters
        ----------
        frequency : array-like
            Repeat orders per customer, each >= 1.
        monetary_value : array-like
            Average value of those orders, each > 0.
        weights : array-like, optional
            How many customers each row stands for.

        Returns
        -------
        GammaGamma
            The fitted model (``self``).
        """
        func = "GammaGamma.fit"
        x, m = self._check(func, frequency, monetary_value, fitting=True)
        w = _check_weights(func, weights, x.size)
        if _one_row(w > 0, x, m):
            raise ValueError(
                f"{func}: every customer has the same frequency and monetary_value; the "
                "spread of order values across customers cannot be estimated from one value"
            )
        self._maximise((x, m), w)
        orders = np.unique(x[w > 0])
        if orders.size == 1:
            warnings.warn(
                f"{func}: every customer has frequency {orders[0]:g}, so the data cannot show how "
                "a customer's average order value steadies as orders accumulate; p (the spread "
                "of one customer's orders) is told apart from q and v (the spread between "
                "customers) only by the assumed gamma shapes, so treat the estimates as "
                "resting on that assumption",
                RuntimeWarning,
                stacklevel=2,
            )
        return self

    def expected_spend(self, frequency, monetary_value):
        """Conditional expected average order value of each customer.

        Customers with frequency 0 get the population mean ``p v / (q - 1)``.

        Examples
        --------
        >>> model = GammaGamma()
        >>> model.params_ = {"p": 6.25, "q": 3.74, "v": 15.44}
        >>> model.expected_spend([0, 1, 10], [0, 20.0, 20.0]).round(2)
        array([35.22, 24.64, 20.64])
        """
        self._check_fitted("expected_spend")
        x, m = self._check("GammaGamma.expected_spend", frequency, monetary_value, fitting=False)
        p, q, v = self._params()
        if q <= 1:
            raise ValueError(
                f"GammaGamma.expected_spend: the fitted q is {q:.3g}; the mean order value is "
                "infinite when q <= 1"
            )
        return p * (v + x * m) / (p * x + q - 1)

    def clv(
        self,
        transaction_model,
        frequency,
        recency,
        T,
        monetary_value,
        *,
        time_unit,
        discount_rate,
        months=12,
        margin=1.0,
        days_per_month=DAYS_PER_UNIT["month"],
    ):
        """Discounted expected value of each customer over the next ``months`` months.

        ``CLV = margin * spend * sum_{i=1..months} (E[X(i)] - E[X(i-1)]) / (1 + d)^i``,
        where ``E[X(i)]`` is the transaction model's expected purchases in the
        first ``i`` months, ``spend`` this model's expected order value and
        ``d`` the discount rate *per month* (each month's purchases are
        discounted from its end).

        Parameters
        ----------
        transaction_model : BetaGeo or ParetoNBD
            A fitted model giving ``expected_purchases``.
        frequency, recency, T, monetary_value : array-like
            Per customer, ``recency`` and ``T`` in ``time_unit``.
        time_unit : {"day", "week", "month"}
            The unit of ``recency`` and ``T`` (and of the transaction model);
            required, so that the horizon in months is converted knowingly.
        discount_rate : float
            Discount rate per month (0.01 is 1 % a month, about 12.7 % a year);
            required.
        months : int
            Horizon in months.
        margin : float
            Share of order value kept as margin (1 gives revenue CLV).
        days_per_month : float
            Days in a month: 30.4375 (365.25 / 12) by default; pass 30 to match
            lifetimes' ``customer_lifetime_value``.

        Examples
        --------
        >>> bg = BetaGeo()
        >>> bg.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
        >>> gg = GammaGamma()
        >>> gg.params_ = {"p": 6.25, "q": 3.74, "v": 15.44}
        >>> gg.clv(bg, [2], [30.43], [38.86], [22.35], time_unit="week",
        ...        discount_rate=0.01).round(2)
        array([36.31])
        """
        self._check_fitted("clv")
        func = "GammaGamma.clv"
        if not isinstance(transaction_model, BetaGeo | ParetoNBD):
            raise TypeError(
                f"{func}: transaction_model must be a fitted BetaGeo or ParetoNBD; found "
                f"{type(transaction_model).__name__}"
            )
        check_choice(time_unit, func=func, name="time_unit", choices=list(DAYS_PER_UNIT))
        n_months = int(check_array(months, func=func, name="months", lower=1, integer=True)[0])
        if n_months > MAX_CLV_MONTHS:
            raise ValueError(
                f"{func}: months must be at most {MAX_CLV_MONTHS} (100 years; later months "
                f"add nothing once discounted); found {n_months}"
            )
        d = check_array(discount_rate, func=func, name="discount_rate", lower=0)[0]
        share = check_array(margin, func=func, name="margin")[0]
        month = check_array(days_per_month, func=func, name="days_per_month", lower=0,
                            strict=True)[0]
        x, t_x, big_t = _check_rft(func, frequency, recency, T)
        money = check_array(monetary_value, func=func, name="monetary_value", lower=0,
                            bounded=True)
        _same_length(func, frequency=x, monetary_value=money)
        spend = self.expected_spend(x, money)
        units_per_month = month / DAYS_PER_UNIT[time_unit]
        value = np.zeros(x.size)
        previous = np.zeros(x.size)
        for i in range(1, n_months + 1):
            cumulative = transaction_model.expected_purchases(i * units_per_month, x, t_x, big_t)
            value += (cumulative - previous) / (1 + d) ** i
            previous = cumulative
        return share * spend * value


class BetaGeoBetaBinom(_MaximumLikelihoodModel):
    """The BG/BB model for discrete transaction opportunities (yes/no per period).

    While alive a customer transacts in each period with probability
    beta(``alpha``, ``beta``) across customers, and dies between periods
    with probability beta(``gamma``, ``delta``) (Fader, Hardie & Shang 2010).

    Examples
    --------
    >>> model = BetaGeoBetaBinom().fit(frequency=[0, 1, 3, 6, 2], recency=[0, 1, 5, 6, 4],
    ...                                n_periods=[6, 6, 6, 6, 6], weights=[40, 10, 8, 5, 9])
    >>> sorted(model.params_)
    ['alpha', 'beta', 'delta', 'gamma']
    """

    _param_names = ("alpha", "beta", "gamma", "delta")

    @staticmethod
    def _check(func, frequency, recency, n_periods):
        x = check_array(frequency, func=func, name="frequency", lower=0, integer=True)
        t_x = check_array(recency, func=func, name="recency", lower=0, integer=True)
        n = check_array(n_periods, func=func, name="n_periods", lower=1, integer=True)
        if n.max() > MAX_BGBB_PERIODS:
            raise ValueError(
                f"{func}: n_periods must be at most {MAX_BGBB_PERIODS} transaction opportunities; "
                f"found {n.max():g}"
            )
        _same_length(func, frequency=x, recency=t_x, n_periods=n)
        for bad, wanted in ((t_x > n, "recency must be <= n_periods"),
                            (x > t_x, "frequency must be <= recency (a purchase in period "
                                      "t_x is the last of x)")):
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise ValueError(
                    f"{func}: {wanted}; found {int(bad.sum())} rows that break it, e.g. "
                    f"frequency {x[i]:g}, recency {t_x[i]:g}, n_periods {n[i]:g} at position {i}"
                )
        bad = (x == 0) & (t_x > 0)
        if bad.any():
            raise ValueError(
                f"{func}: recency must be 0 where frequency is 0; found {int(bad.sum())} rows "
                "with frequency 0 and recency > 0"
            )
        return x, t_x, n

    @staticmethod
    def _loglik(params, x, t_x, n):
        alpha, beta, gamma, delta = params
        base_ab = betaln(alpha, beta)
        base_gd = betaln(gamma, delta)
        alive = betaln(alpha + x, beta + n - x) - base_ab + betaln(gamma, delta + n) - base_gd
        # Died after period t_x + i (i = 0 .. n - t_x - 1) without buying again.
        i = np.arange(int(np.max(n - t_x)))[None, :]
        terms = (
            betaln(alpha + x[:, None], beta + t_x[:, None] - x[:, None] + i) - base_ab
            + betaln(gamma + 1, delta + t_x[:, None] + i) - base_gd
        )
        terms = np.where(i < (n - t_x)[:, None], terms, -np.inf)
        all_terms = np.column_stack([alive, terms])
        top = all_terms.max(axis=1)
        return top + np.log(np.exp(all_terms - top[:, None]).sum(axis=1))

    def fit(self, frequency, recency, n_periods, weights=None):
        """Fit by maximum likelihood.

        Parameters
        ----------
        frequency : array-like
            Periods with a transaction, out of ``n_periods`` (``x``).
        recency : array-like
            The last period with a transaction (``t_x``, 0 if none).
        n_periods : array-like
            Transaction opportunities observed (``n``).
        weights : array-like, optional
            How many customers each row stands for (the donations file is
            stored this way).

        Returns
        -------
        BetaGeoBetaBinom
            The fitted model (``self``).
        """
        func = "BetaGeoBetaBinom.fit"
        x, t_x, n = self._check(func, frequency, recency, n_periods)
        w = _check_weights(func, weights, x.size)
        _check_fit_data(func, x, t_x, n, w, counts_purchases=False)
        data, w = _compress(x, t_x, n, weights=w)
        self._maximise(data, w)
        return self

    def probability_alive(self, frequency, recency, n_periods):
        """P(alive at the start of period n + 1 | history).

        Examples
        --------
        >>> model = BetaGeoBetaBinom()
        >>> model.params_ = {"alpha": 1.204, "beta": 0.750, "gamma": 0.657, "delta": 2.783}
        >>> model.probability_alive([6, 3, 0], [6, 3, 0], [6, 6, 6]).round(3)
        array([0.93 , 0.095, 0.108])
        """
        self._check_fitted("probability_alive")
        x, t_x, n = self._check("BetaGeoBetaBinom.probability_alive", frequency, recency,
                                n_periods)
        alpha, beta, gamma, delta = params = self._params()
        alive_next = (
            betaln(alpha + x, beta + n - x) - betaln(alpha, beta)
            + betaln(gamma, delta + n + 1) - betaln(gamma, delta)
        )
        return np.exp(alive_next - self._loglik(params, x, t_x, n))

    def expected_purchases(self, t, frequency, recency, n_periods):
        """Expected transactions in the next ``t`` periods, given each history.

        Examples
        --------
        >>> model = BetaGeoBetaBinom()
        >>> model.params_ = {"alpha": 1.204, "beta": 0.750, "gamma": 0.657, "delta": 2.783}
        >>> model.expected_purchases(5, [6, 0], [6, 0], [6, 6]).round(3)
        array([3.752, 0.073])
        """
        self._check_fitted("expected_purchases")
        func = "BetaGeoBetaBinom.expected_purchases"
        x, t_x, n = self._check(func, frequency, recency, n_periods)
        horizon = check_array(t, func=func, name="t", lower=0, integer=True)
        if horizon.max() > MAX_BGBB_PERIODS:
            raise ValueError(
                f"{func}: t must be at most {MAX_BGBB_PERIODS} periods; found {horizon.max():g}"
            )
        horizon = _horizon(func, horizon, x.size)
        alpha, beta, gamma, delta = params = self._params()
        log_first = (
            betaln(alpha + x + 1, beta + n - x) - betaln(alpha, beta)
            - self._loglik(params, x, t_x, n)
        )
        # Alive in period n + k with k = 1 .. t (the sum in FHS 2010, eq. 13).
        k = np.arange(1, int(horizon.max()) + 1)[None, :]
        alive = np.exp(betaln(gamma, delta + n[:, None] + k) - betaln(gamma, delta))
        survival_sum = np.where(k <= horizon[:, None], alive, 0.0).sum(axis=1)
        return np.exp(log_first) * survival_sum
