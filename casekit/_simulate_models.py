"""The simulator's behaviour models: one per case, each with its decisions.

Each model has three functions. ``state(case)`` reads the customers alive at
the end of the horizon from the case's truth and tables; ``draws(rng, state,
years)`` draws every uniform the years need, before any decision is known;
``play(state, decisions, draws)`` turns them into an outcome. Baseline and
plan call ``play`` with the same draws and every comparison of a draw with a
probability is monotone (an event happens when ``u < p``), so a decision that
lowers a churn probability keeps every customer the baseline keeps, and more.

Effect sizes come from the case spec that generated the data (the generators'
own constants are imported, not copied). Decision costs and the few effects
the generators do not have are simulator assumptions, each defined once below
with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from casekit._profitability import ACTIVITY_COSTS
from casekit._specs import CATERING, INSURANCE, OFFICE_SUPPLIES, UTILITY

YEAR_DAYS = 365.25


@dataclass(frozen=True)
class Decision:
    """One decision: its kind, default ("as now") and the card's text."""

    name: str
    kind: str  # "choice", "number" or "tiers"
    default: object
    what: str
    cost: str
    effect: str
    choices: tuple = ()
    bounds: tuple = ()

    def allowed_text(self) -> str:
        if self.kind == "choice":
            return ", ".join(f"`{c}`" for c in self.choices)
        if self.kind == "number":
            return f"{self.bounds[0]:g} to {self.bounds[1]:g}"
        return "a list of tiers from " + ", ".join(f"`{c}`" for c in self.choices)

    def default_text(self) -> str:
        if self.kind == "tiers":
            return "none (`[]`)"
        return f"`{self.default:g}`" if self.kind == "number" else f"`{self.default}`"


def _alive(case) -> pd.DataFrame:
    truth = case.truth
    return truth.loc[truth["alive"].to_numpy(dtype=bool)].reset_index(drop=True)


def _per_customer(frame: pd.DataFrame, ids: pd.Series, column: str) -> np.ndarray:
    """``frame[column]`` summed per customer, in the order of ``ids`` (0 if none)."""
    sums = frame.groupby("customer_id", sort=False)[column].sum()
    return sums.reindex(ids.to_numpy(), fill_value=0.0).to_numpy(dtype=float)


def _outcome(revenue, margin, cost, write_offs, start, kept) -> dict:
    return {"revenue": float(revenue), "gross_margin": float(margin),
            "decision_cost": float(cost), "write_offs": float(write_offs),
            "customers_start": int(start), "customers_kept": int(kept),
            "customers_lost": int(start - kept)}


# --- insurance ----------------------------------------------------------------------

_MODS = INSURANCE["modifiers"]
_SLOW, _PRONE, _UNREMINDED = (_MODS[k]["effect"] for k in
                              ("slow_branch", "complaint_prone", "unreminded"))
_FAST_DAYS, _SLOW_DAYS = INSURANCE["settlement_fast"], INSURANCE["settlement_slow"]

#: Cost of one renewal reminder by channel, in dollars. Assumption: an agent's
#: call takes about 15 minutes of a $24-an-hour agent; a letter is print and
#: post; an SMS and an app push are bulk-message prices.
REMINDER_COST = {"agent call": 6.0, "letter": 0.8, "sms": 0.05, "app": 0.02}
#: Share of holders a reminder by each channel reaches. Assumption: a call is
#: answered or returned nine times in ten; an app push reaches only holders
#: with the app. The generator's channels do not differ in effect, so these
#: shares are the simulator's own.
REMINDER_REACH = {"agent call": 0.9, "letter": 0.6, "sms": 0.7, "app": 0.3}
#: Cost of settling one claim a day sooner at a slow branch, in dollars.
#: Assumption: an adjuster costs about $60,000 a year and handles about 1,000
#: claims; cutting each claim by 20 days takes about a fifth more adjusters,
#: which is $12 a claim, or about $3 a claim per day.
SETTLEMENT_COST_PER_CLAIM_DAY = 3.0
#: Cost of one cross-sell offer made at a renewal, in dollars. Assumption:
#: a mailing plus a few minutes of an agent's or bank clerk's time.
CROSS_SELL_OFFER_COST = 10.0
#: How much a cross-sell offer raises the yearly chance of buying a new policy:
#: by the spec's base rate, doubled for bank holders (spec's bank factor).
#: Assumption: the offer doubles each holder's usual chance.
CROSS_SELL_UPLIFT = INSURANCE["cross_sell"]
# The generator's premiums are base * exp(0.3 z): their mean is base * exp(0.045).
_PREMIUM_SPREAD = float(np.exp(0.3**2 / 2))

INSURANCE_DECISIONS = {
    "reminders": Decision(
        "reminders", "choice", "as now",
        what="renewal reminders to the holders who today get none (about one in five)",
        cost=(f"per reminder: agent call ${REMINDER_COST['agent call']:g}, letter "
              f"${REMINDER_COST['letter']:g}, sms ${REMINDER_COST['sms']:g}, app "
              f"${REMINDER_COST['app']:g}; `none` stops every reminder and saves what "
              "today's reminders cost"),
        effect=(f"a holder not reminded lapses as if theta were 1 - (1 - theta) ** "
                f"{_UNREMINDED:g} (the model's effect); a reminder reaches a holder with "
                f"chance agent call {REMINDER_REACH['agent call']:g}, sms "
                f"{REMINDER_REACH['sms']:g}, letter {REMINDER_REACH['letter']:g}, app "
                f"{REMINDER_REACH['app']:g} (assumption) and removes that effect; `none` "
                "gives every holder the effect"),
        choices=("as now", "none", "sms", "letter", "agent call", "app"),
    ),
    "settlement_days": Decision(
        "settlement_days", "number", _SLOW_DAYS,
        what="median days to settle a claim at the slow branches (fast ones take "
             f"{_FAST_DAYS:g})",
        cost=(f"${SETTLEMENT_COST_PER_CLAIM_DAY:g} per expected claim per day faster than "
              f"{_SLOW_DAYS:g}"),
        effect=(f"the slow-branch effect {_SLOW:g} on theta shrinks geometrically to 1 as the "
                f"days fall from {_SLOW_DAYS:g} to {_FAST_DAYS:g}: "
                f"{_SLOW:g} ** ((days - {_FAST_DAYS:g}) / {_SLOW_DAYS - _FAST_DAYS:g})"),
        bounds=(_FAST_DAYS, _SLOW_DAYS),
    ),
    "cross_sell": Decision(
        "cross_sell", "choice", "none",
        what="offer a second policy at renewal to bank-channel holders or to all",
        cost=f"${CROSS_SELL_OFFER_COST:g} per offer to a renewing holder",
        effect=(f"the yearly chance of a new policy ({INSURANCE['cross_sell']:g}, doubled "
                f"through banks) rises by {CROSS_SELL_UPLIFT:g}, doubled through banks "
                "(assumption: the offer doubles it); a new policy brings its premium and "
                "margin at once and renews with the holder. The model has no effect of a second "
                "policy on lapsing"),
        choices=("none", "bank", "all"),
    ),
}


def _insurance_state(case) -> dict:
    spec = INSURANCE
    truth = _alive(case)
    ids = truth["customer_id"]
    holders = case.tables["holders"].set_index("customer_id")
    bank = (holders["channel"].reindex(ids.to_numpy()) == "bank").to_numpy()
    prod = spec["products"]
    policies = case.tables["policies"]
    active = policies.loc[policies["status"] == "active"]
    keep_share = {p: 1.0 - v["loss_ratio"] - spec["expense_ratio"] for p, v in prod.items()}
    active = active.assign(
        margin=active["annual_premium"] * active["product"].map(keep_share),
        claims=active["product"].map({p: v["claims"] for p, v in prod.items()}),
    )
    names = list(prod)
    new_premium = np.asarray([prod[p]["premium"] for p in names]) * _PREMIUM_SPREAD
    return {
        "n": len(truth),
        "theta0": truth["theta_base"].to_numpy(dtype=float),
        "slow": truth["slow_branch"].to_numpy(dtype=bool),
        "prone": truth["complaint_prone"].to_numpy(dtype=bool),
        "unreminded": truth["unreminded"].to_numpy(dtype=bool),
        "bank": bank,
        "premium": _per_customer(active, ids, "annual_premium"),
        "margin": _per_customer(active, ids, "margin"),
        "claims": _per_customer(active, ids, "claims"),
        "product_cdf": np.cumsum([prod[p]["share"] for p in names]),
        "new_premium": new_premium,
        "new_margin": new_premium * np.asarray([keep_share[p] for p in names]),
    }


def _insurance_draws(rng, state, years) -> dict:
    n = state["n"]
    return {"lapse": rng.random((years, n)), "reach": rng.random(n),
            "sell": rng.random((years, n)), "product": rng.random((years, n))}


def _insurance_play(state, decisions, draws) -> dict:
    n = state["n"]
    unreminded = state["unreminded"]
    channel = decisions["reminders"]
    today_mix = sum(share * REMINDER_COST[c] for c, share in
                    INSURANCE["reminder_channels"].items())
    if channel == "none":
        not_reminded = np.ones(n, dtype=bool)
        # Saved: today's reminders, sent to most holders and to a few unreminded ones.
        reminder_cost = -today_mix * np.where(unreminded, INSURANCE["unreminded_reminder_share"],
                                              1.0)
    elif channel == "as now":
        not_reminded = unreminded
        reminder_cost = np.zeros(n)
    else:
        not_reminded = unreminded & ~(draws["reach"] < REMINDER_REACH[channel])
        reminder_cost = np.where(unreminded, REMINDER_COST[channel], 0.0)
    days = decisions["settlement_days"]
    slow_effect = _SLOW ** ((days - _FAST_DAYS) / (_SLOW_DAYS - _FAST_DAYS))
    effect = (np.where(state["slow"], slow_effect, 1.0) * np.where(state["prone"], _PRONE, 1.0)
              * np.where(not_reminded, _UNREMINDED, 1.0))
    theta = 1.0 - (1.0 - state["theta0"]) ** effect
    settle_cost = np.where(state["slow"], (_SLOW_DAYS - days) * SETTLEMENT_COST_PER_CLAIM_DAY
                           * state["claims"], 0.0)
    target = {"none": np.zeros(n, dtype=bool), "bank": state["bank"],
              "all": np.ones(n, dtype=bool)}[decisions["cross_sell"]]
    bank_factor = np.where(state["bank"], INSURANCE["cross_sell_bank_factor"], 1.0)
    p_sell = bank_factor * (INSURANCE["cross_sell"] + CROSS_SELL_UPLIFT * target)

    premium, margin = state["premium"].copy(), state["margin"].copy()
    alive = np.ones(n, dtype=bool)
    revenue = gross = cost = 0.0
    for y in range(draws["lapse"].shape[0]):
        # Every holder alive today meets one renewal date a year.
        cost += float((reminder_cost + settle_cost)[alive].sum())
        renew = alive & (draws["lapse"][y] >= theta)
        revenue += float(premium[renew].sum())
        gross += float(margin[renew].sum())
        cost += float((renew & target).sum()) * CROSS_SELL_OFFER_COST
        sold = renew & (draws["sell"][y] < p_sell)
        kind = np.minimum(np.searchsorted(state["product_cdf"], draws["product"][y][sold]
                                          * state["product_cdf"][-1], side="right"),
                          len(state["new_premium"]) - 1)
        # A new policy pays its first premium when it is sold, then renews with the holder.
        revenue += float(state["new_premium"][kind].sum())
        gross += float(state["new_margin"][kind].sum())
        premium[sold] += state["new_premium"][kind]
        margin[sold] += state["new_margin"][kind]
        alive = renew
    return _outcome(revenue, gross, cost, 0.0, n, alive.sum())


# --- utility ------------------------------------------------------------------------

#: Monthly chance that an account in arrears clears them, by policy. "as now"
#: is the generator's; the others are assumptions: an instalment plan helps
#: large debts clear, a strict policy scares payers into paying, leniency lets
#: debts linger.
CLEAR_ARREARS = {"as now": UTILITY["clear_arrears"], "payment plan": 0.6, "strict": 0.55,
                 "lenient": 0.3}
#: Log hazard ratio of arrears on switching, by policy. "as now" is the
#: generator's; the others are assumptions (Reading 5: harsh collection drives
#: customers away, lenient handling of small arrears keeps them).
ARREARS_SWITCH = {"as now": UTILITY["arrears_switch"], "payment plan": UTILITY["arrears_switch"],
                  "strict": 1.0, "lenient": 0.5}
#: Monthly cost per account in arrears, in dollars, over today's letters.
#: Assumption: a payment plan takes an agent's time to set up and follow
#: ($3 a month, accounts over the lenient threshold only); strict collection
#: adds calls and warnings ($2); leniency saves the warning letters ($0.5).
ARREARS_COST = {"as now": 0.0, "payment plan": 3.0, "strict": 2.0, "lenient": -0.5}
#: Share of the arrears of a leaving account that is never paid. Assumption.
WRITE_OFF_SHARE = 0.5
#: Bill credit to each account hit by an outage, in dollars, and how much it
#: takes off the outage's log hazard ratio on switching. Assumption.
OUTAGE_CREDIT = 5.0
OUTAGE_CREDIT_EFFECT = 0.5
#: Extra grid maintenance: outages per area and month fall to this rate, at
#: this cost per area and year. Assumption (an area is about 200 accounts).
MAINTENANCE_OUTAGES = 0.08
MAINTENANCE_COST_PER_AREA = 600.0

UTILITY_DECISIONS = {
    "arrears_policy": Decision(
        "arrears_policy", "choice", "as now",
        what=("how accounts in arrears are handled: as now (a reminder up to "
              f"{UTILITY['lenient_bills']:g} monthly bills, a disconnection warning above), an "
              "instalment plan for large arrears, strict warnings from the first missed bill, "
              "or lenient (no warnings)"),
        cost=("per account in arrears a month: payment plan $3 (large arrears only), strict "
              "$2, lenient saves $0.5; unpaid arrears of leaving accounts are written off at "
              f"{WRITE_OFF_SHARE:.0%}"),
        effect=(f"arrears multiply the move-out hazard by exp({UTILITY['arrears_move']:g}) and "
                f"the switching hazard by exp({UTILITY['arrears_switch']:g}) (the model's); "
                "monthly chance to clear arrears: as now "
                f"{CLEAR_ARREARS['as now']:g}, payment plan {CLEAR_ARREARS['payment plan']:g} "
                f"(large arrears), strict {CLEAR_ARREARS['strict']:g}, lenient "
                f"{CLEAR_ARREARS['lenient']:g}; the arrears log hazard ratio on switching "
                f"becomes {ARREARS_SWITCH['strict']:g} when strict and "
                f"{ARREARS_SWITCH['lenient']:g} when lenient (assumptions)"),
        choices=("as now", "payment plan", "strict", "lenient"),
    ),
    "outage_response": Decision(
        "outage_response", "choice", "as now",
        what="an apology credit to accounts hit by an outage, or extra grid maintenance",
        cost=(f"credit ${OUTAGE_CREDIT:g} per account per outage; maintenance "
              f"${MAINTENANCE_COST_PER_AREA:g} per area (about "
              f"{UTILITY['accounts_per_area']} accounts) a year"),
        effect=(f"each outage in the last three months multiplies the switching hazard by "
                f"exp({UTILITY['outage_switch']:g}) (the model's); a credit cuts that log "
                f"hazard ratio by {OUTAGE_CREDIT_EFFECT:.0%}, maintenance cuts outages from "
                f"{UTILITY['outages_per_month']:g} to {MAINTENANCE_OUTAGES:g} per area a "
                "month (assumptions)"),
        choices=("as now", "apology credit", "grid maintenance"),
    ),
}


def _utility_state(case) -> dict:
    spec = UTILITY
    truth = _alive(case)
    ids = truth["customer_id"]
    accounts = case.tables["accounts"].set_index("customer_id").reindex(ids.to_numpy())
    tariffs = case.tables["tariffs"].set_index("tariff_id")
    price = tariffs["price_per_kwh"].reindex(accounts["tariff_id"]).to_numpy(dtype=float)
    fixed = tariffs["fixed_monthly"].reindex(accounts["tariff_id"]).to_numpy(dtype=float)
    segment = accounts["segment"].to_numpy()
    cost = pd.Series(spec["cost_per_kwh"]).reindex(segment).to_numpy(dtype=float)
    start = pd.Timestamp(case.end)
    months = pd.date_range(start, periods=5 * 12, freq="MS").month.to_numpy() - 1
    season = np.stack([np.asarray(spec["season"][s])[months] for s in spec["segments"]])
    seg_index = pd.Series(range(len(spec["segments"])), index=list(spec["segments"]))
    areas = sorted(case.tables["accounts"]["area"].unique())
    area = pd.Series(range(len(areas)), index=areas).reindex(accounts["area"]).to_numpy()
    # Outages of the last three months before the start, by area and month.
    outages = case.tables["outages"]
    history = np.zeros((len(areas), 3), dtype=np.int64)
    since = start - pd.DateOffset(months=3)
    recent = outages.loc[outages["start"] >= since]
    month_k = ((recent["start"].dt.year - since.year) * 12
               + recent["start"].dt.month - since.month).to_numpy()
    np.add.at(history, (pd.Series(range(len(areas)), index=areas)
                        .reindex(recent["area"]).to_numpy(), month_k), 1)
    # An account open at the end got its last bill in the last month.
    bills = case.tables["bills"]
    bills = bills.loc[bills["date"].to_numpy() >= (start - pd.DateOffset(months=1)).asm8]
    last = bills.drop_duplicates("customer_id", keep="last").set_index("customer_id")
    last = last.reindex(ids.to_numpy())
    base_kwh = truth["base_kwh"].to_numpy(dtype=float)
    return {
        "n": len(truth),
        "move": truth["move_out_hazard"].to_numpy(dtype=float),
        "switch": truth["switch_hazard"].to_numpy(dtype=float),
        "satisfaction": truth["satisfaction_latent"].to_numpy(dtype=float),
        "late": truth["late_payer"].to_numpy(dtype=float),
        "kwh": base_kwh[None, :] * season[seg_index.reindex(segment).to_numpy()].T,
        "price": price, "fixed": fixed, "cost": cost,
        "mean_bill": fixed + base_kwh * price,
        "area": area, "n_areas": len(areas), "history": history,
        "last_balance": last["previous_balance"].fillna(0.0).to_numpy(dtype=float),
        "last_amount": last["amount"].fillna(0.0).to_numpy(dtype=float),
    }


def _utility_draws(rng, state, years) -> dict:
    n, months = state["n"], 12 * years
    return {"missed_last": rng.random(n), "leave": rng.random((months, n)),
            "clear": rng.random((months, n)), "miss": rng.random((months, n)),
            "outage": rng.random((state["n_areas"], months))}


def _utility_play(state, decisions, draws) -> dict:
    spec = UTILITY
    policy, response = decisions["arrears_policy"], decisions["outage_response"]
    months = draws["leave"].shape[0]
    outage_rate = MAINTENANCE_OUTAGES if response == "grid maintenance" \
        else spec["outages_per_month"]
    outages = np.concatenate([state["history"], stats.poisson.ppf(
        draws["outage"], outage_rate).astype(np.int64)], axis=1)
    outage_hr = spec["outage_switch"] * (1 - OUTAGE_CREDIT_EFFECT * (response == "apology credit"))
    arrears_switch = ARREARS_SWITCH[policy]
    arrears = state["last_balance"] + state["last_amount"] * (draws["missed_last"] < state["late"])
    alive = np.ones(state["n"], dtype=bool)
    large_only = policy == "payment plan"
    revenue = gross = cost = write_offs = 0.0
    area = state["area"]
    for m in range(months):
        in_arrears = arrears > 0
        recent = outages[area, m:m + 3].sum(axis=1)
        hazard = (state["move"] * np.exp(spec["arrears_move"] * in_arrears)
                  + state["switch"] * np.exp(arrears_switch * in_arrears + outage_hr * recent
                                             + spec["satisfaction_switch"]
                                             * state["satisfaction"]))
        leaves = alive & (draws["leave"][m] < hazard)
        large = arrears > spec["lenient_bills"] * state["mean_bill"]
        treated = alive & in_arrears & (large if large_only else True)
        cost += ARREARS_COST[policy] * float(treated.sum())
        p_clear = np.where(treated, CLEAR_ARREARS[policy], CLEAR_ARREARS["as now"])
        arrears = np.where(alive & in_arrears & (draws["clear"][m] < p_clear), 0.0, arrears)
        write_offs += WRITE_OFF_SHARE * float(arrears[leaves].sum())
        arrears = np.where(leaves, 0.0, arrears)
        # Leavers are billed for half a month on average, as the generator prorates.
        share = np.where(leaves, 0.5, 1.0) * alive
        kwh = state["kwh"][m % state["kwh"].shape[0]] * share
        bill = state["fixed"] * share + kwh * state["price"]
        revenue += float(bill.sum())
        gross += float((bill - kwh * state["cost"]).sum())
        stays = alive & ~leaves
        missed = stays & (draws["miss"][m] < state["late"])
        arrears = np.where(missed, arrears + bill, arrears)
        hit = outages[area, m + 3]
        if response == "apology credit":
            cost += OUTAGE_CREDIT * float((hit * stays).sum())
        alive = stays
    if response == "grid maintenance":
        cost += MAINTENANCE_COST_PER_AREA * state["n_areas"] * months / 12
    return _outcome(revenue, gross, cost, write_offs, state["n"], alive.sum())


# --- office supplies and catering: Pareto/NBD customers ------------------------------

#: Truth columns of each non-contractual case's latent Pareto/NBD parameters
#: (rates per week): the one place to rename them if the generator does.
LATENT = {
    "office_supplies": {"purchase_rate": "lambda_", "dropout_rate": "mu_after_shock",
                        "order_value": "mean_order_value", "irregular": "irregular_contact"},
    "catering": {"purchase_rate": "lambda_", "dropout_rate": "mu"},
}
WEEKS_A_YEAR = YEAR_DAYS / 7.0


def _latent(case, truth: pd.DataFrame) -> dict:
    """Purchase and dropout rates per week of the alive customers, by role."""
    names = LATENT[case.name]
    out = {}
    for role, column in names.items():
        if column in truth:
            out[role] = truth[column].to_numpy()
        else:
            raise ValueError(f"simulate: the truth of case {case.name!r} has no column "
                             f"{column!r}; columns are {list(truth.columns)!r}")
    return out


def _pnbd_draws(rng, state, years) -> dict:
    n = state["n"]
    return {"life": rng.exponential(1.0, n), "count": rng.random(n), "take_up": rng.random(n)}


def _pnbd_year(state, lam, mu, draws, years):
    """Weeks alive in the years played, orders and who is alive at the end."""
    horizon = WEEKS_A_YEAR * years
    with np.errstate(divide="ignore"):
        life = np.where(mu > 0, draws["life"] / mu, np.inf)
    weeks = np.minimum(life, horizon)
    # One uniform per customer: the Poisson quantile grows with the mean, so a
    # customer who lives longer or buys faster under a plan never buys less.
    orders = stats.poisson.ppf(np.clip(draws["count"], 1e-12, 1 - 1e-12), lam * weeks)
    return weeks, orders, life > horizon


def _tier_mask(tiers_of_customers, chosen) -> np.ndarray:
    return np.isin(tiers_of_customers, list(chosen))


OFFICE_TIERS = ("A", "B", "C", "D")
_REG, _IRR = (OFFICE_SUPPLIES[k] for k in ("shock_multiplier_regular",
                                          "shock_multiplier_irregular"))
#: Contacts a year on a regular and an irregular schedule: the generator's mean gaps.
_CONTACTS_REGULAR = YEAR_DAYS / OFFICE_SUPPLIES["contact_gap_regular"]
_CONTACTS_IRREGULAR = YEAR_DAYS / OFFICE_SUPPLIES["contact_gap_irregular"]
#: Cost of one extra contact, in dollars: casekit's activity-costing default
#: for a sales visit (:data:`casekit.ACTIVITY_COSTS`).
CONTACT_COST = ACTIVITY_COSTS["visit"]
#: Premium service (reserved stock, kept delivery promises): its cost as a
#: share of the account's revenue and its factor on the dropout hazard.
#: Assumption: the generator has no effect of service on leaving, so this
#: effect is the simulator's own (the reading on the office-supplies firm
#: names misreported stock and broken delivery promises as reasons to leave).
PREMIUM_SERVICE_COST = 0.015
PREMIUM_SERVICE_EFFECT = 0.85
#: Retention offer: a discount on every order of the year, and its factor on
#: the dropout hazard. Assumption.
RETENTION_DISCOUNT = 0.05
RETENTION_EFFECT = 0.7

OFFICE_DECISIONS = {
    "regular_visits": Decision(
        "regular_visits", "tiers", (),
        what=("activity tiers (A active, B semi-active, C inactive, D irregular, from "
              "`abc_activity` on the last day of the data) whose irregularly visited accounts "
              "move to a regular visit schedule"),
        cost=(f"{_CONTACTS_REGULAR - _CONTACTS_IRREGULAR:.1f} extra contacts a year (every "
              f"{OFFICE_SUPPLIES['contact_gap_regular']:g} days instead of about every "
              f"{OFFICE_SUPPLIES['contact_gap_irregular']:g}) at ${CONTACT_COST:g} each, "
              "per account moved, while it stays"),
        effect=(f"the competitor multiplies the dropout rate by {_REG:g} for regularly and "
                f"{_IRR:g} for irregularly visited accounts (the model's); a moved account's "
                f"dropout rate is multiplied by {_REG:g}/{_IRR:g}"),
        choices=OFFICE_TIERS,
    ),
    "premium_service": Decision(
        "premium_service", "tiers", (),
        what="activity tiers given premium service: reserved stock and kept delivery promises",
        cost=f"{PREMIUM_SERVICE_COST:.1%} of the tier's revenue",
        effect=(f"dropout rate x {PREMIUM_SERVICE_EFFECT:g} (assumption; in the model that "
                "generated the data, service does not change leaving)"),
        choices=OFFICE_TIERS,
    ),
    "retention_offer": Decision(
        "retention_offer", "tiers", (),
        what=f"activity tiers offered a {RETENTION_DISCOUNT:.0%} discount for the year",
        cost=f"the discount: {RETENTION_DISCOUNT:.0%} off the tier's revenue and margin",
        effect=f"dropout rate x {RETENTION_EFFECT:g} (assumption)",
        choices=OFFICE_TIERS,
    ),
}


def _margin_rate(frame: pd.DataFrame, ids: pd.Series) -> np.ndarray:
    """Each customer's gross margin over revenue; the firm's own for those with none."""
    sums = frame.groupby("customer_id", sort=False)[["amount", "gross_margin"]].sum()
    overall = float(sums["gross_margin"].sum() / sums["amount"].sum())
    sums = sums.reindex(ids.to_numpy())
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = (sums["gross_margin"] / sums["amount"]).to_numpy(dtype=float)
    return np.where(np.isfinite(rate), rate, overall)


def _office_state(case) -> dict:
    from casekit._abc import abc_activity

    truth = _alive(case)
    ids = truth["customer_id"]
    latent = _latent(case, truth)
    tx = case.tables["orders"]
    # The classes look back twelve months; an account silent for longer is C.
    as_of = case.end - pd.Timedelta(days=1)
    recent = tx.loc[tx["date"].to_numpy() >= (as_of - pd.DateOffset(months=13)).asm8]
    tiers = abc_activity(recent, as_of=as_of)["abc_class"]
    return {
        "n": len(truth),
        "lam": latent["purchase_rate"].astype(float),
        "mu": latent["dropout_rate"].astype(float),
        "value": latent["order_value"].astype(float),
        "irregular": latent["irregular"].astype(bool),
        "margin_rate": _margin_rate(tx, ids),
        "tier": tiers.reindex(ids.to_numpy()).fillna("C").to_numpy(),
    }


def _office_play(state, decisions, draws) -> dict:
    tier = state["tier"]
    moved = state["irregular"] & _tier_mask(tier, decisions["regular_visits"])
    premium = _tier_mask(tier, decisions["premium_service"])
    offered = _tier_mask(tier, decisions["retention_offer"])
    mu = (state["mu"] * np.where(moved, _REG / _IRR, 1.0)
          * np.where(premium, PREMIUM_SERVICE_EFFECT, 1.0)
          * np.where(offered, RETENTION_EFFECT, 1.0))
    years = draws["years"]
    weeks, orders, alive = _pnbd_year(state, state["lam"], mu, draws, years)
    revenue = orders * state["value"]
    margin = revenue * state["margin_rate"]
    cost = (moved * (weeks / WEEKS_A_YEAR) * (_CONTACTS_REGULAR - _CONTACTS_IRREGULAR)
            * CONTACT_COST
            + premium * PREMIUM_SERVICE_COST * revenue)
    # The discount is a price cut: it comes off revenue and margin, not on top.
    discount = offered * RETENTION_DISCOUNT * revenue
    return _outcome(revenue.sum() - discount.sum(), margin.sum() - discount.sum(), cost.sum(),
                    0.0, state["n"], alive.sum())


CATERING_TIERS = ("regular", "occasional", "lapsing")
#: Visits in the 12 months before the end that make a member a regular: the
#: case's credit rule (six visits in twelve months).
REGULAR_VISITS = 6
#: One-to-one offers (a dish the member likes, on their usual day): cost per
#: member a month, and factors on the visit and dropout rates. Assumption: a
#: $6 voucher redeemed about one month in three.
OFFER_COST_PER_MONTH = 2.0
OFFER_VISIT_EFFECT = 1.10
OFFER_DROPOUT_EFFECT = 0.9
#: Credit for regulars: share of regulars who accept it, its factor on the
#: dropout rate of a credit holder, and its cost as a share of their spend.
#: Assumption: credit ties a regular to the restaurant; unpaid balances and
#: the monthly settlement cost 1% of what is spent on credit. The generator's
#: credit has no effect on leaving, so the effect is the simulator's own.
CREDIT_TAKE_UP = 0.6
CREDIT_DROPOUT_EFFECT = 0.8
CREDIT_COST_SHARE = 0.01
#: Waiting: the dine-in median wait of the case, and how each minute of it
#: moves the dropout hazard (log hazard ratio per minute) and costs (dollars
#: per dine-in visit per minute faster). Assumption: the generator links
#: waiting to ratings only (0.3 stars per 10 minutes); here each minute over
#: or under the median moves the hazard by about 4%, and a minute faster takes
#: about 15 seconds more of a $60-an-hour kitchen and floor team per table.
WAIT_MEDIAN = CATERING["wait_dine_in"][0]
WAIT_DROPOUT_PER_MINUTE = 0.04
WAIT_COST_PER_MINUTE = 0.25

CATERING_DECISIONS = {
    "one_to_one_offers": Decision(
        "one_to_one_offers", "tiers", (),
        what=(f"member tiers sent one-to-one offers: regular ({REGULAR_VISITS} or more visits "
              "in the last 12 months), occasional (1 to 5), lapsing (none)"),
        cost=f"${OFFER_COST_PER_MONTH:g} per member a month while the member stays",
        effect=(f"visit rate x {OFFER_VISIT_EFFECT:g} and dropout rate x "
                f"{OFFER_DROPOUT_EFFECT:g} (assumptions)"),
        choices=CATERING_TIERS,
    ),
    "credit_for_regulars": Decision(
        "credit_for_regulars", "choice", "as now",
        what="offer a monthly credit line to every regular, or withdraw the credit lines",
        cost=(f"{CREDIT_COST_SHARE:.0%} of a credit holder's spend; withdrawing saves it"),
        effect=(f"a credit holder's dropout rate x {CREDIT_DROPOUT_EFFECT:g}; "
                f"{CREDIT_TAKE_UP:.0%} of the regulars offered credit take it; withdrawn "
                f"holders' dropout rate x {1 / CREDIT_DROPOUT_EFFECT:g} (assumptions)"),
        choices=("as now", "offer to all regulars", "withdraw"),
    ),
    "wait_target": Decision(
        "wait_target", "number", WAIT_MEDIAN,
        what=f"median dine-in wait in minutes (today {WAIT_MEDIAN:g})",
        cost=(f"${WAIT_COST_PER_MINUTE:g} per dine-in visit per minute under "
              f"{WAIT_MEDIAN:g}; a longer wait saves as much"),
        effect=(f"dropout rate x exp({WAIT_DROPOUT_PER_MINUTE:g} x (target - {WAIT_MEDIAN:g})) "
                "(assumption; in the model that generated the data, waiting lowers only "
                "the ratings)"),
        bounds=(6.0, 20.0),
    ),
}


def _catering_state(case) -> dict:
    truth = _alive(case)
    ids = truth["customer_id"]
    latent = _latent(case, truth)
    visits = case.tables["visits"]
    per = visits[["customer_id", "amount", "gross_margin"]].assign(
        dine_in=(visits["channel"] == "dine-in").to_numpy(dtype=float),
        credit=(visits["payment"] == "credit").to_numpy(dtype=float),
    ).groupby("customer_id", sort=False).mean()
    recent = visits.loc[visits["date"] >= case.end - pd.DateOffset(months=12)]
    count = recent.groupby("customer_id").size().reindex(ids.to_numpy(), fill_value=0)
    tier = np.where(count >= REGULAR_VISITS, "regular", np.where(count > 0, "occasional",
                                                                 "lapsing"))
    per = per.reindex(ids.to_numpy())
    return {
        "n": len(truth),
        "lam": latent["purchase_rate"].astype(float),
        "mu": latent["dropout_rate"].astype(float),
        "spend": per["amount"].fillna(visits["amount"].mean()).to_numpy(dtype=float),
        "margin": per["gross_margin"].fillna(visits["gross_margin"].mean())
        .to_numpy(dtype=float),
        "dine_in": per["dine_in"].fillna(0.0).to_numpy(dtype=float),
        "credit": per["credit"].fillna(0.0).to_numpy(dtype=float) > 0,
        "tier": tier,
    }


def _catering_play(state, decisions, draws) -> dict:
    offered = _tier_mask(state["tier"], decisions["one_to_one_offers"])
    credit_choice = decisions["credit_for_regulars"]
    credit = state["credit"].copy()
    mu = state["mu"].copy()
    if credit_choice == "offer to all regulars":
        new = (state["tier"] == "regular") & ~credit & (draws["take_up"] < CREDIT_TAKE_UP)
        mu = mu * np.where(new, CREDIT_DROPOUT_EFFECT, 1.0)
        credit_cost_share = np.where(new, CREDIT_COST_SHARE, 0.0)
    elif credit_choice == "withdraw":
        mu = mu * np.where(credit, 1 / CREDIT_DROPOUT_EFFECT, 1.0)
        credit_cost_share = np.where(credit, -CREDIT_COST_SHARE, 0.0)
    else:
        credit_cost_share = np.zeros(state["n"])
    wait = decisions["wait_target"]
    mu = (mu * np.exp(WAIT_DROPOUT_PER_MINUTE * (wait - WAIT_MEDIAN))
          * np.where(offered, OFFER_DROPOUT_EFFECT, 1.0))
    lam = state["lam"] * np.where(offered, OFFER_VISIT_EFFECT, 1.0)
    weeks, visits, alive = _pnbd_year(state, lam, mu, draws, draws["years"])
    revenue = visits * state["spend"]
    cost = (offered * weeks / WEEKS_A_YEAR * 12 * OFFER_COST_PER_MONTH
            + credit_cost_share * revenue
            + visits * state["dine_in"] * (WAIT_MEDIAN - wait) * WAIT_COST_PER_MINUTE)
    return _outcome(revenue.sum(), (visits * state["margin"]).sum(), cost.sum(), 0.0,
                    state["n"], alive.sum())


def _with_years(draw):
    def draws(rng, state, years):
        return {**draw(rng, state, years), "years": years}
    return draws


@dataclass(frozen=True)
class _Model:
    state: object
    draws: object
    play: object


MODELS = {
    "insurance": _Model(_insurance_state, _insurance_draws, _insurance_play),
    "utility": _Model(_utility_state, _utility_draws, _utility_play),
    "office_supplies": _Model(_office_state, _with_years(_pnbd_draws), _office_play),
    "catering": _Model(_catering_state, _with_years(_pnbd_draws), _catering_play),
}
DECISIONS = {
    "insurance": INSURANCE_DECISIONS,
    "utility": UTILITY_DECISIONS,
    "office_supplies": OFFICE_DECISIONS,
    "catering": CATERING_DECISIONS,
}
MODEL_TEXT = {
    "insurance": (
        "Each holder alive at the end of the data meets one renewal a year and lapses with "
        "their true yearly probability theta = 1 - (1 - theta_base) ** m, where m multiplies "
        f"the effects of a slow branch ({_SLOW:g}), a complaint-prone holder ({_PRONE:g}) and "
        f"a holder who is not reminded ({_UNREMINDED:g}). A holder who renews pays the "
        "premiums of their policies in force; the gross margin is what is left after the "
        "product's loss ratio and the expense ratio."
    ),
    "utility": (
        "Each account open at the end of the data is billed monthly at its tariff for its "
        "usual consumption and the season. Each month it moves out or switches supplier with "
        "its true monthly hazards, raised by arrears, by outages in its area in the last three "
        "months and lowered by its latent satisfaction, as in the model that generated the "
        "data. A late payer misses a bill with their true chance; the gross margin is the bill "
        "less the energy and network cost."
    ),
    "office_supplies": (
        "Each account alive at the end of the data orders as a Poisson process at its true "
        "purchase rate and leaves after an exponential lifetime at its true dropout rate "
        "after the competitor's arrival (Pareto/NBD), which stays for the simulated years. "
        "Each order is worth the account's true mean order value; the gross margin is the "
        "account's own margin rate in the data. Tiers are the activity classes of the last "
        "twelve months."
    ),
    "catering": (
        "Each member alive at the end of the data visits as a Poisson process at their true "
        "visit rate and is lost after an exponential lifetime at their true dropout rate "
        "(Pareto/NBD). Each visit brings the member's mean bill and margin in the data. "
        "Tiers come from the visits of the last twelve months."
    ),
}
