"""insurance: a CPIC-like insurer with annual renewal (Readings 3 and 5)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, fields
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import optimize, special

from casekit import _engine as en
from casekit import _names
from casekit._specs import INSURANCE
from casekit._streams import Draws, case_key

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


_ROW_IDS = ("policy", "premium", "claim", "complaint", "reminder", "survey")


@dataclass(frozen=True)
class _Holders:
    """Per-holder values drawn for the whole book, sliced for one block."""

    acq: np.ndarray
    lapse_at: np.ndarray
    due_count: np.ndarray
    churn: np.ndarray
    paid_years: np.ndarray
    channel: np.ndarray
    extra: np.ndarray
    primary: np.ndarray
    slow: np.ndarray
    prone: np.ndarray
    unreminded: np.ndarray
    latent: np.ndarray

    def part(self, lo: int, hi: int) -> _Holders:
        return _Holders(**{f.name: getattr(self, f.name)[lo:hi] for f in fields(self)})


def _renewals(h: _Holders):
    """One row per due date reached: owner, renewal number, due day, renewed."""
    r_count = np.minimum(h.lapse_at, h.due_count)
    r_owner = en.owners(r_count)
    r_k = np.arange(len(r_owner)) - np.repeat(np.cumsum(r_count) - r_count, r_count) + 1
    r_due = h.acq[r_owner] + r_k * YEAR
    renewed = r_k < h.lapse_at[r_owner]
    return r_owner, r_k, r_due, renewed


def _policies(d: Draws, h: _Holders, r_owner, r_k, renewed):
    """Policies: the first product, extra ones at signup, cross-sales at renewals."""
    spec = INSURANCE
    prod = spec["products"]
    share = np.asarray([p["share"] for p in prod.values()])
    s_owner = en.owners(h.extra)
    bank = list(spec["channels"]).index("bank")
    cs_p = spec["cross_sell"] * np.where(h.channel == bank, spec["cross_sell_bank_factor"], 1.0)
    sold = renewed & (d.random("cross sell", r_owner) < cs_p[r_owner])
    added = np.concatenate([s_owner, r_owner[sold]])
    p_owner = np.concatenate([np.arange(d.n), added])
    p_start_k = np.concatenate([np.zeros(d.n + len(s_owner), dtype=np.int64), r_k[sold]])
    p_product = np.concatenate([h.primary, d.choice("added product", share, added)])
    order = np.lexsort((p_start_k, p_owner))
    return p_owner[order], p_start_k[order], p_product[order]


def _block(d: Draws, h: _Holders, lo: int, running: dict, *, n_customers: int,
           n_policies: int, start: pd.Timestamp, horizon_days: float,
           year_start: np.ndarray) -> dict:
    """The event tables' rows of one block of holders; ``running`` holds the ids used so far."""
    spec = INSURANCE
    prod = spec["products"]
    products = list(prod)
    channels = list(spec["channels"])

    def column(field):
        return np.asarray([prod[p][field] for p in products])

    def next_ids(name, count):
        first = running[name]
        running[name] += count
        return np.arange(first + 1, first + count + 1, dtype=np.int64)

    customer_id = en.ids_between(spec["prefix"], lo, lo + d.n, n_customers)
    r_owner, r_k, r_due, renewed = _renewals(h)
    p_owner, p_start_k, p_product = _policies(d, h, r_owner, r_k, renewed)
    n_pol = len(p_owner)
    base_premium = column("premium")[p_product] * np.exp(0.3 * d.normal("premium level",
                                                                         p_owner))
    p_years = h.paid_years[p_owner] - p_start_k
    policy_id = en.ids_between("POL", running["policy"], running["policy"] + n_pol, n_policies)
    running["policy"] += n_pol

    # Premiums: one payment per policy year, at the holder's anniversary.
    pay_pol = en.owners(p_years)
    pay_k = (np.arange(len(pay_pol)) - np.repeat(np.cumsum(p_years) - p_years, p_years)
             + p_start_k[pay_pol])
    pay_owner = p_owner[pay_pol]
    drift = np.exp(spec["premium_drift"] * d.normal("premium drift", pay_owner))
    pay_amount = en.money(base_premium[pay_pol] * drift)
    pay_time = h.acq[pay_owner] + pay_k * YEAR
    loss = column("loss_ratio")[p_product[pay_pol]]
    pay_margin = en.money(pay_amount * (1 - loss - spec["expense_ratio"]))
    order = np.lexsort((pay_time, pay_owner))
    premiums = pd.DataFrame({
        "order_id": next_ids("premium", len(order)),
        "customer_id": customer_id[pay_owner[order]],
        "policy_id": policy_id[pay_pol[order]],
        "date": _day(start, pay_time[order]),
        "amount": pay_amount[order],
        "gross_margin": pay_margin[order],
        "channel": en.pick(channels, h.channel[pay_owner[order]]),
        "policy_year": (pay_k - p_start_k[pay_pol] + 1)[order],
    })

    p_end = h.churn[p_owner]
    policies = pd.DataFrame({
        "policy_id": policy_id,
        "customer_id": customer_id[p_owner],
        "product": en.pick(products, p_product),
        "channel": en.pick(channels, h.channel[p_owner]),
        "start_date": _day(start, h.acq[p_owner] + p_start_k * YEAR),
        "end_date": pd.to_datetime(np.where(np.isnan(p_end), np.datetime64("NaT"),
                                            _day(start, np.nan_to_num(p_end)))),
        "annual_premium": en.money(base_premium),
        "status": np.where(np.isnan(p_end), "active", "lapsed"),
    })

    # Claims within each paid policy year, before the holder leaves.
    c_count = d.poisson("claims", column("claims")[p_product[pay_pol]], pay_owner)
    c_pay = en.owners(c_count)
    c_holder = pay_owner[c_pay]
    c_time = pay_time[c_pay] + d.random("claim time", c_holder) * YEAR
    keep = (c_time < horizon_days) & ~(c_time >= np.nan_to_num(h.churn[c_holder], nan=np.inf))
    c_pay, c_time, c_holder = c_pay[keep], c_time[keep], c_holder[keep]
    size = column("claim_size")[p_product[pay_pol[c_pay]]]
    claimed = en.money(size * np.exp(1.0 * d.normal("claim size", c_holder) - 0.5))
    median_days = np.where(h.slow[c_holder], spec["settlement_slow"], spec["settlement_fast"])
    days = np.maximum(1, np.round(median_days * np.exp(spec["settlement_sigma"]
                                                       * d.normal("settlement", c_holder))))
    denied = d.random("claim denied", c_holder) < spec["claim_denied_share"]
    settled = c_time + days < horizon_days
    status = np.where(~settled, "open", np.where(denied, "denied", "paid"))
    paid = np.where(status == "paid",
                    en.money(claimed * d.uniform("paid share", 0.7, 1.0, c_holder)), np.nan)
    disputed = settled & (
        (denied & (d.random("dispute if denied", c_holder) < spec["dispute_if_denied"]))
        | ((days > 30) & (d.random("dispute if slow", c_holder) < spec["dispute_if_slow"]))
    )
    order = np.lexsort((c_time, c_holder))
    claims = pd.DataFrame({
        "claim_id": next_ids("claim", len(order)),
        "policy_id": policy_id[pay_pol[c_pay]][order],
        "customer_id": customer_id[c_holder][order],
        "date": _day(start, c_time[order]),
        "claimed_amount": claimed[order],
        "paid_amount": paid[order],
        "settlement_days": np.where(settled, days, np.nan)[order],
        "status": status[order],
        "disputed": disputed[order],
    })

    # Complaints: a background rate, and after slow settlements.
    last = np.where(np.isnan(h.churn), horizon_days, h.churn)
    k_owner, k_time = en.poisson_events(
        d, "complaints",
        np.where(h.prone, spec["complaints_prone"], spec["complaints_base"]) / YEAR, h.acq, last
    )
    types = spec["complaint_types"]
    k_type = d.integers("complaint type", 1, len(types), k_owner)
    slow_claim = settled & (days > 30) & (d.random("complaint after slow claim", c_holder)
                                          < spec["complaint_after_slow_claim"])
    k_owner = np.concatenate([k_owner, c_holder[slow_claim]])
    k_time = np.concatenate([k_time, (c_time + days)[slow_claim]])
    k_type = np.concatenate([k_type, np.zeros(int(slow_claim.sum()), dtype=np.int64)])
    keep = k_time < horizon_days
    k_owner, k_time, k_type = k_owner[keep], k_time[keep], k_type[keep]
    order = np.lexsort((k_time, k_owner))
    k_who = k_owner[order]
    complaints = pd.DataFrame({
        "complaint_id": next_ids("complaint", len(order)),
        "customer_id": customer_id[k_who],
        "date": _day(start, k_time[order]),
        "type": en.pick(types, k_type[order]),
        "escalated": d.random("escalated", k_who) < spec["complaint_escalated_share"],
        "days_to_resolve": np.round(np.exp(2.0 + 0.7 * d.normal("days to resolve", k_who))),
    })

    # Renewal reminders before each due date reached.
    sent = ~h.unreminded[r_owner] | (d.random("reminder anyway", r_owner)
                                     < spec["unreminded_reminder_share"])
    rem_time = r_due - np.maximum(1.0, d.normal("reminder days", r_owner,
                                                *spec["reminder_days"]))
    rem_names = list(spec["reminder_channels"])
    rem_channel = d.choice("reminder channel", list(spec["reminder_channels"].values()),
                           r_owner)
    idx = np.flatnonzero(sent)
    order = idx[np.lexsort((rem_time[idx], r_owner[idx]))]
    reminders = pd.DataFrame({
        "reminder_id": next_ids("reminder", len(order)),
        "customer_id": customer_id[r_owner[order]],
        "date": _day(start, rem_time[order]),
        "renewal_date": _day(start, r_due[order]),
        "channel": en.pick(rem_names, rem_channel[order]),
    })
    # A holder's due dates come in order already.
    renewals = pd.DataFrame({
        "customer_id": customer_id[r_owner],
        "renewal_date": _day(start, r_due),
        "renewal_number": r_k,
        "renewed": renewed,
    })

    # Satisfaction surveys, on a random day of each year, of a share of the live holders.
    s_rows = []
    for k in range(len(year_start) - 1):
        t = year_start[k] + d.random(f"survey day {k}") * (year_start[k + 1] - year_start[k])
        live = (h.acq < t) & (np.isnan(h.churn) | (h.churn > t))
        pick = np.flatnonzero(live & (d.random(f"surveyed {k}") < spec["survey_share"]))
        s_rows.append((pick, t[pick]))
    s_owner = np.concatenate([r[0] for r in s_rows])
    s_time = np.concatenate([r[1] for r in s_rows])
    order = np.lexsort((s_time, s_owner))
    s_owner, s_time = s_owner[order], s_time[order]
    score = np.clip(np.round(spec["satisfaction_mean"] + spec["satisfaction_sd"] * h.latent[s_owner]
                             + spec["survey_noise"] * d.normal("survey noise", s_owner)), 0, 10)
    surveys = pd.DataFrame({
        "survey_id": next_ids("survey", len(order)),
        "customer_id": customer_id[s_owner],
        "date": _day(start, s_time),
        "satisfaction": score.astype(np.int64),
    })
    return {"policies": policies, "premiums": premiums, "renewals": renewals, "claims": claims,
            "complaints": complaints, "reminders": reminders, "surveys": surveys}


def simulate(rng: np.random.Generator, n: int, locale: str, options: dict, *,
             block_size: int):
    """The insurer's tables, yielded a block of holders at a time.

    Everything that needs all holders at once (acquisition dates, branches,
    lapse probabilities and the satisfaction latent, which is standardised
    over the whole book) is drawn first from ``rng``; each block's events are
    drawn from streams keyed by the holder, so the tables do not depend on
    ``block_size``.
    """
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
    extra = rng.poisson(spec["extra_products_mean"], n)
    # Satisfaction surveys: the score tracks lapse propensity only weakly.
    z = -(theta - theta.mean()) / max(theta.std(), 1e-12)
    w = spec["satisfaction_weight"]
    latent = w * z + np.sqrt(1 - w**2) * rng.standard_normal(n)
    key = case_key(rng)

    holder = _Holders(acq=acq, lapse_at=lapse_at, due_count=due_count, churn=churn,
                      paid_years=paid_years, channel=channel, extra=extra, primary=primary,
                      slow=slow, prone=prone, unreminded=unreminded, latent=latent)
    # Policy ids are as wide as the whole book's count needs, so count them first.
    n_policies = 0
    for lo in range(0, n, block_size):
        hi = min(lo + block_size, n)
        part = holder.part(lo, hi)
        r_owner, r_k, _, renewed = _renewals(part)
        n_policies += len(_policies(Draws(key, lo, hi), part, r_owner, r_k, renewed)[0])

    running = dict.fromkeys(_ROW_IDS, 0)
    for lo in range(0, n, block_size):
        hi = min(lo + block_size, n)
        frames = _block(Draws(key, lo, hi), holder.part(lo, hi), lo, running,
                        n_customers=n, n_policies=n_policies,
                        start=start, horizon_days=horizon_days, year_start=year_start)
        yield ("rows", frames, hi)

    customer_id = en.ids(spec["prefix"], n)
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
        "branch": en.pick(en.ids("BR", n_branches, min_width=3), branch),
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
    yield ("end", {
        "tables": {"holders": holders},
        "order": ["holders", "policies", "premiums", "renewals", "claims", "complaints",
                  "reminders", "surveys"],
        "truth": truth,
        "identity": identity,
        "start": start,
        "end": end,
    })
