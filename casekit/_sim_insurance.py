"""insurance: a CPIC-like insurer with annual renewal (Readings 3 and 5)."""

from __future__ import annotations

import itertools
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import optimize, special

from casekit import _engine as en
from casekit import _names
from casekit._specs import INSURANCE

YEAR = 365.25
OPTIONS: dict = {}


def _day(start, days):
    # Policy events are recorded by date, without a time of day.
    return en.to_dates(start, np.floor(days))


def horizon(options: dict) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Start and end of the observation horizon."""
    return pd.Timestamp(INSURANCE["start"]), pd.Timestamp(INSURANCE["end"])


def _modifier_classes(spec=INSURANCE):
    """Every combination of the service modifiers: (probability, effect)."""
    mods = list(spec["modifiers"].values())
    out = []
    for flags in itertools.product([False, True], repeat=len(mods)):
        prob = np.prod([m["share"] if f else 1 - m["share"] for m, f in zip(mods, flags,
                                                                            strict=True)])
        effect = np.prod([m["effect"] if f else 1.0 for m, f in zip(mods, flags, strict=True)])
        out.append((float(prob), float(effect)))
    return out


def _survival(years, product: str | None = None, spec=INSURANCE) -> np.ndarray:
    """Share of a cohort still insured after each number of renewals.

    With theta = 1 - (1 - theta0) ** m and theta0 ~ Beta(a, b),
    E[(1 - theta) ** t] = B(a, b + m t) / B(a, b).
    """
    years = np.asarray(years, dtype=float)
    products = spec["products"] if product is None else {product: spec["products"][product]}
    total = sum(p["share"] for p in products.values())
    out = np.zeros_like(years)
    for p in products.values():
        for prob, effect in _modifier_classes(spec):
            out += (p["share"] / total) * prob * np.exp(
                special.betaln(p["alpha"], p["beta"] + effect * years)
                - special.betaln(p["alpha"], p["beta"])
            )
    return out


@lru_cache(maxsize=8)
def effective_beta(product: str | None = None, periods: int = 9) -> tuple[float, float]:
    """The sBG Beta(alpha, beta) whose survival curve matches the true one.

    Fitted by least squares on log survival over ``periods`` renewals: this
    is what an sBG fit on a large cohort's alive counts should recover.
    """
    t = np.arange(1, periods + 1, dtype=float)
    target = np.log(_survival(t, product))

    def loss(log_ab):
        a, b = np.exp(log_ab)
        fit = special.betaln(a, b + t) - special.betaln(a, b)
        return float(np.sum((fit - target) ** 2))

    res = optimize.minimize(loss, x0=np.log([1.0, 6.0]), method="Nelder-Mead",
                            options={"xatol": 1e-8, "fatol": 1e-12, "maxiter": 4000})
    a, b = np.exp(res.x)
    return round(float(a), 4), round(float(b), 4)


def first_year_retention(product: str | None = None) -> float:
    """Expected share renewing at the first renewal date."""
    return float(_survival([1.0], product)[0])


def population(locale: str, options: dict) -> dict:
    """The true population parameters of insurance."""
    spec = INSURANCE
    alpha, beta = effective_beta()
    return {
        "model": "sBG",
        "time_unit": "year",
        "alpha": alpha,
        "beta": beta,
        "retention_first_year": round(first_year_retention(), 4),
        "by_product": {
            name: {
                "alpha": p["alpha"],
                "beta": p["beta"],
                "retention_first_year": round(first_year_retention(name), 4),
            }
            for name, p in spec["products"].items()
        },
        "modifiers": {k: dict(v) for k, v in spec["modifiers"].items()},
        "note": (
            "A holder's yearly lapse probability is theta = 1 - (1 - theta0) ** m with theta0 "
            "~ Beta(by_product alpha, beta) for the holder's first product and m the product "
            "of the effects of the holder's fixed modifiers. alpha and beta above are the sBG "
            "Beta whose survival curve over nine renewals matches this mixture (least squares "
            "on log survival): an sBG fit on one cohort's alive counts should recover them. "
            "All of a holder's policies renew or lapse together."
        ),
    }


def simulate(rng: np.random.Generator, n: int, locale: str, options: dict,
             progress=None) -> dict:
    step = progress or (lambda label: None)  # called with a short label at each stage
    step("holders")
    spec = INSURANCE
    start, end = horizon(options)
    horizon_days = float((end - start).days)
    pools = _names.draw_pools(rng, locale)
    products = list(spec["products"])
    prod = spec["products"]

    weights = np.asarray(spec["cohort_weights"], dtype=float)
    year_start = np.asarray([(pd.Timestamp(f"{start.year + k}-01-01") - start).days
                             for k in range(len(weights) + 1)], dtype=float)
    cohort = rng.choice(len(weights), n, p=weights / weights.sum())
    acq = np.sort(year_start[cohort] + rng.random(n) * np.diff(year_start)[cohort])
    cohort = np.searchsorted(year_start, acq, side="right") - 1

    primary = rng.choice(len(products), n, p=[prod[p]["share"] for p in products])
    a = np.asarray([prod[p]["alpha"] for p in products])[primary]
    b = np.asarray([prod[p]["beta"] for p in products])[primary]
    theta0 = rng.beta(a, b)
    n_branches = max(2, int(np.ceil(n / spec["holders_per_branch"])))
    mods = spec["modifiers"]
    branch_slow = rng.random(n_branches) < mods["slow_branch"]["share"]
    branch = rng.integers(0, n_branches, n)
    slow = branch_slow[branch]
    prone = rng.random(n) < mods["complaint_prone"]["share"]
    unreminded = rng.random(n) < mods["unreminded"]["share"]
    effect = (np.where(slow, mods["slow_branch"]["effect"], 1.0)
              * np.where(prone, mods["complaint_prone"]["effect"], 1.0)
              * np.where(unreminded, mods["unreminded"]["effect"], 1.0))
    theta = 1.0 - (1.0 - theta0) ** effect
    lapse_at = rng.geometric(theta)  # the renewal date at which the holder leaves
    due_count = np.floor((horizon_days - acq) / YEAR).astype(np.int64)
    died = lapse_at <= due_count
    churn = np.where(died, acq + lapse_at * YEAR, np.nan)
    paid_years = np.where(died, lapse_at, due_count + 1)  # premiums paid, first year included

    channels = list(spec["channels"])
    channel = rng.choice(len(channels), n, p=list(spec["channels"].values()))

    step("renewals")
    # Renewal decisions: one row per due date reached.
    r_count = np.minimum(lapse_at, due_count)
    r_owner = en.owners(r_count)
    r_k = np.arange(len(r_owner)) - np.repeat(np.cumsum(r_count) - r_count, r_count) + 1
    r_due = acq[r_owner] + r_k * YEAR
    renewed = r_k < lapse_at[r_owner]

    step("policies")
    # Policies: the first product, extra ones at signup, cross-sales at renewals.
    extra = rng.poisson(spec["extra_products_mean"], n)
    share = np.asarray([prod[p]["share"] for p in products])
    s_owner = en.owners(extra)
    cs_p = spec["cross_sell"] * np.where(channel == 1, spec["cross_sell_bank_factor"], 1.0)
    sold = renewed & (rng.random(len(r_owner)) < cs_p[r_owner])
    p_owner = np.concatenate([np.arange(n), s_owner, r_owner[sold]])
    p_start_k = np.concatenate([np.zeros(n + len(s_owner), dtype=np.int64), r_k[sold]])
    p_product = np.concatenate([primary, rng.choice(len(products), len(s_owner) + int(sold.sum()),
                                                    p=share)])
    order = np.lexsort((p_start_k, p_owner))
    p_owner, p_start_k, p_product = p_owner[order], p_start_k[order], p_product[order]
    n_pol = len(p_owner)
    base_premium = (np.asarray([prod[p]["premium"] for p in products])[p_product]
                    * np.exp(0.3 * rng.standard_normal(n_pol)))
    p_years = paid_years[p_owner] - p_start_k
    policy_id = en.ids("POL", n_pol)

    step("premiums")
    # Premiums: one payment per policy year, at the holder's anniversary.
    pay_pol = en.owners(p_years)
    pay_k = (np.arange(len(pay_pol)) - np.repeat(np.cumsum(p_years) - p_years, p_years)
             + p_start_k[pay_pol])
    drift = np.exp(spec["premium_drift"] * rng.standard_normal(len(pay_pol)))
    pay_amount = en.money(base_premium[pay_pol] * drift)
    pay_time = acq[p_owner[pay_pol]] + pay_k * YEAR
    loss = np.asarray([prod[p]["loss_ratio"] for p in products])[p_product[pay_pol]]
    pay_margin = en.money(pay_amount * (1 - loss - spec["expense_ratio"]))
    order = np.argsort(pay_time, kind="stable")
    customer_id = en.ids(spec["prefix"], n)
    pay_owner = p_owner[pay_pol]
    premiums = pd.DataFrame({
        "order_id": np.arange(1, len(order) + 1, dtype=np.int64),
        "customer_id": customer_id[pay_owner[order]],
        "policy_id": policy_id[pay_pol[order]],
        "date": _day(start, pay_time[order]),
        "amount": pay_amount[order],
        "gross_margin": pay_margin[order],
        "channel": en.pick(channels, channel[pay_owner[order]]),
        "policy_year": (pay_k - p_start_k[pay_pol] + 1)[order],
    })

    p_end = churn[p_owner]
    policies = pd.DataFrame({
        "policy_id": policy_id,
        "customer_id": customer_id[p_owner],
        "product": en.pick(products, p_product),
        "channel": en.pick(channels, channel[p_owner]),
        "start_date": _day(start, acq[p_owner] + p_start_k * YEAR),
        "end_date": pd.to_datetime(np.where(np.isnan(p_end), np.datetime64("NaT"),
                                            _day(start, np.nan_to_num(p_end)))),
        "annual_premium": en.money(base_premium),
        "status": np.where(np.isnan(p_end), "active", "lapsed"),
    })

    step("claims")
    # Claims within each paid policy year, before the holder leaves.
    claim_rate = np.asarray([prod[p]["claims"] for p in products])[p_product[pay_pol]]
    c_count = rng.poisson(claim_rate)
    c_pay = en.owners(c_count)
    c_time = pay_time[c_pay] + rng.random(len(c_pay)) * YEAR
    c_holder = pay_owner[c_pay]
    keep = (c_time < horizon_days) & ~(c_time >= np.nan_to_num(churn[c_holder], nan=np.inf))
    c_pay, c_time, c_holder = c_pay[keep], c_time[keep], c_holder[keep]
    nc = len(c_pay)
    size = np.asarray([prod[p]["claim_size"] for p in products])[p_product[pay_pol[c_pay]]]
    claimed = en.money(size * np.exp(1.0 * rng.standard_normal(nc) - 0.5))
    median_days = np.where(slow[c_holder], spec["settlement_slow"], spec["settlement_fast"])
    days = np.maximum(1, np.round(median_days * np.exp(spec["settlement_sigma"]
                                                       * rng.standard_normal(nc))))
    denied = rng.random(nc) < spec["claim_denied_share"]
    settled = c_time + days < horizon_days
    status = np.where(~settled, "open", np.where(denied, "denied", "paid"))
    paid = np.where(status == "paid", en.money(claimed * rng.uniform(0.7, 1.0, nc)), np.nan)
    disputed = settled & (
        (denied & (rng.random(nc) < spec["dispute_if_denied"]))
        | ((days > 30) & (rng.random(nc) < spec["dispute_if_slow"]))
    )
    order = np.argsort(c_time, kind="stable")
    claims = pd.DataFrame({
        "claim_id": np.arange(1, nc + 1, dtype=np.int64),
        "policy_id": policy_id[pay_pol[c_pay]][order],
        "customer_id": customer_id[c_holder][order],
        "date": _day(start, c_time[order]),
        "claimed_amount": claimed[order],
        "paid_amount": paid[order],
        "settlement_days": np.where(settled, days, np.nan)[order],
        "status": status[order],
        "disputed": disputed[order],
    })

    step("complaints")
    # Complaints: a background rate, and after slow settlements.
    last = np.where(died, churn, horizon_days)
    k_owner, k_time = en.poisson_events(
        rng, np.where(prone, spec["complaints_prone"], spec["complaints_base"]) / YEAR, acq, last
    )
    types = spec["complaint_types"]
    k_type = rng.integers(1, len(types), len(k_owner))
    slow_claim = settled & (days > 30) & (rng.random(nc) < spec["complaint_after_slow_claim"])
    k_owner = np.concatenate([k_owner, c_holder[slow_claim]])
    k_time = np.concatenate([k_time, (c_time + days)[slow_claim]])
    k_type = np.concatenate([k_type, np.zeros(int(slow_claim.sum()), dtype=np.int64)])
    keep = k_time < horizon_days
    k_owner, k_time, k_type = k_owner[keep], k_time[keep], k_type[keep]
    order = np.argsort(k_time, kind="stable")
    nk = len(order)
    complaints = pd.DataFrame({
        "complaint_id": np.arange(1, nk + 1, dtype=np.int64),
        "customer_id": customer_id[k_owner[order]],
        "date": _day(start, k_time[order]),
        "type": en.pick(types, k_type[order]),
        "escalated": rng.random(nk) < spec["complaint_escalated_share"],
        "days_to_resolve": np.round(np.exp(2.0 + 0.7 * rng.standard_normal(nk))),
    })

    step("reminders")
    # Renewal reminders before each due date reached.
    sent = ~unreminded[r_owner] | (rng.random(len(r_owner)) < spec["unreminded_reminder_share"])
    rem_time = r_due - np.maximum(1.0, rng.normal(*spec["reminder_days"], len(r_owner)))
    rem_names = list(spec["reminder_channels"])
    rem_channel = rng.choice(len(rem_names), len(r_owner), p=list(spec["reminder_channels"]
                                                                 .values()))
    idx = np.flatnonzero(sent)
    order = idx[np.argsort(rem_time[idx], kind="stable")]
    reminders = pd.DataFrame({
        "reminder_id": np.arange(1, len(order) + 1, dtype=np.int64),
        "customer_id": customer_id[r_owner[order]],
        "date": _day(start, rem_time[order]),
        "renewal_date": _day(start, r_due[order]),
        "channel": en.pick(rem_names, rem_channel[order]),
    })
    order = np.argsort(r_due, kind="stable")
    renewals = pd.DataFrame({
        "customer_id": customer_id[r_owner[order]],
        "renewal_date": _day(start, r_due[order]),
        "renewal_number": r_k[order],
        "renewed": renewed[order],
    })

    step("surveys")
    # Satisfaction surveys: the score tracks lapse propensity only weakly.
    z = -(theta - theta.mean()) / max(theta.std(), 1e-12)
    w = spec["satisfaction_weight"]
    latent = w * z + np.sqrt(1 - w**2) * rng.standard_normal(n)
    s_rows = []
    for k in range(len(weights)):
        t = year_start[k] + rng.random(n) * (year_start[k + 1] - year_start[k])
        live = (acq < t) & (np.isnan(churn) | (churn > t))
        pick = np.flatnonzero(live & (rng.random(n) < spec["survey_share"]))
        s_rows.append((pick, t[pick]))
    s_owner = np.concatenate([r[0] for r in s_rows])
    s_time = np.concatenate([r[1] for r in s_rows])
    score = np.clip(np.round(spec["satisfaction_mean"] + spec["satisfaction_sd"] * latent[s_owner]
                             + spec["survey_noise"] * rng.standard_normal(len(s_owner))), 0, 10)
    order = np.argsort(s_time, kind="stable")
    surveys = pd.DataFrame({
        "survey_id": np.arange(1, len(order) + 1, dtype=np.int64),
        "customer_id": customer_id[s_owner[order]],
        "date": _day(start, s_time[order]),
        "satisfaction": score[order].astype(np.int64),
    })

    names = _names.person_names(pools, rng, n)
    street, city = _names.addresses(pools, rng, n)
    phone = _names.phones(pools, rng, n)
    email = _names.emails(pools, rng, n)
    holders = pd.DataFrame({
        "customer_id": customer_id,
        "name": names,
        "birth_year": rng.integers(1950, 2000, n),
        "phone": phone,
        "email": email,
        "address": street,
        "city": city,
        "branch": en.pick([f"BR-{k + 1:03d}" for k in range(n_branches)], branch),
        "channel": en.pick(channels, channel),
        "since": _day(start, acq),
        "cohort": start.year + cohort,
    })
    truth = pd.DataFrame({
        "customer_id": customer_id,
        "primary_product": en.pick(products, primary),
        "theta_base": theta0,
        "theta": theta,
        "slow_branch": slow,
        "complaint_prone": prone,
        "unreminded": unreminded,
        "satisfaction_latent": latent,
        "alive": ~died,
        "churn_date": pd.to_datetime(np.where(died, _day(start, np.nan_to_num(churn)),
                                              np.datetime64("NaT"))),
    })
    identity = holders[["customer_id", "name", "phone", "email", "address", "city"]]
    return {
        "tables": {"holders": holders, "policies": policies, "premiums": premiums,
                   "renewals": renewals, "claims": claims, "complaints": complaints,
                   "reminders": reminders, "surveys": surveys},
        "truth": truth,
        "identity": identity,
        "start": start,
        "end": end,
    }
