"""utility: an electricity retailer with monthly bills (Reading 5, essay 2)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from casekit import _engine as en
from casekit import _names
from casekit._specs import UTILITY
from casekit._streams import Draws, case_key

#: ``market`` option: default and allowed values.
OPTIONS = {"market": ("deregulated", ("deregulated", "regulated"))}
REASONS = ["move-out", "switch"]
DELIVERY = ["paper", "e-bill"]
#: The tables simulated a block of accounts at a time, each with its running id.
STREAMED = ("bills", "payments", "meter_reads", "arrears_notices", "complaints", "surveys")


def horizon(options: dict) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Start and end of the observation horizon."""
    return pd.Timestamp(UTILITY["start"]), pd.Timestamp(UTILITY["end"])


def population(locale: str, options: dict) -> dict:
    """The true population parameters of utility."""
    spec = UTILITY
    market = options["market"]
    switch = {k: (v if market == "deregulated" else 0.0) for k, v in spec["switch"].items()}
    return {
        "model": "monthly hazard",
        "time_unit": "month",
        "market": market,
        "move_out": dict(spec["move_out"]),
        "switch": switch,
        "log_hazard_ratios": {
            "move_out": {"in_arrears": spec["arrears_move"]},
            "switch": {
                "in_arrears": spec["arrears_switch"],
                "outages_last_3_months": spec["outage_switch"],
                "satisfaction_latent": spec["satisfaction_switch"],
            },
        },
        "note": (
            "Each month an open account leaves by moving out with probability "
            "move_out[segment] * exp(0.5 * in_arrears) and, in a deregulated market, by "
            "switching with probability switch[segment] * exp(sum of the switch log hazard "
            "ratios times the covariates). satisfaction_latent is standard normal and in "
            "truth; surveys measure it with noise."
        ),
    }


def simulate(rng: np.random.Generator, n: int, locale: str, options: dict, *,
             block_size: int):
    """Simulate ``n`` accounts, yielding the event rows of one block of accounts at a time.

    Accounts, areas and outages are drawn for the whole case from ``rng``;
    each account's months (leaving, bills, payments, reads, notices,
    complaints) and its June surveys come from streams keyed by the account
    and the month, so every block size gives the same tables.

    Yields
    ------
    ("rows", {table: frame}, done)
        The rows of the tables in :data:`STREAMED` for the accounts up to
        ``done``, ordered by account, then time; ids run on across blocks.
    ("end", result)
        Accounts, tariffs and outages, the order of all tables, truth,
        identity and the horizon.
    """
    spec = UTILITY
    dereg = options["market"] == "deregulated"
    start, end = horizon(options)
    months = pd.date_range(start, end, freq="MS")
    edges = np.asarray([(m - start).days for m in months], dtype=float)
    n_months = len(edges) - 1

    # --- population: every account's fixed traits, the areas and their outages ---
    segs = list(spec["segments"])
    seg = rng.choice(len(segs), n, p=[v[0] for v in spec["segments"].values()])
    median = np.asarray([v[1] for v in spec["segments"].values()])[seg]
    sigma = np.asarray([v[2] for v in spec["segments"].values()])[seg]
    base_kwh = median * np.exp(sigma * rng.standard_normal(n))
    del median, sigma
    opened = np.sort(rng.random(n) * edges[-1])
    plans = list(spec["plans"]) if dereg else ["standard"]
    plan_probs = np.asarray([spec["plans"][p][1] for p in plans])
    plan = rng.choice(len(plans), n, p=plan_probs / plan_probs.sum())
    e_bill = rng.random(n) < spec["e_bill_share"]
    methods = list(spec["payment_methods"])
    method = rng.choice(len(methods), n, p=list(spec["payment_methods"].values()))
    late = rng.beta(*spec["late_beta"], n)
    satisfaction = rng.standard_normal(n)
    meter_start = np.round(rng.uniform(1000, 50000, n))

    n_areas = max(2, int(np.ceil(n / spec["accounts_per_area"])))
    area = rng.integers(0, n_areas, n)
    outage_count = rng.poisson(spec["outages_per_month"], (n_areas, n_months))
    o_area = np.repeat(np.arange(n_areas), outage_count.sum(axis=1))
    o_month = np.concatenate([np.repeat(np.arange(n_months), row) for row in outage_count])
    o_time = edges[o_month] + rng.random(len(o_month)) * np.diff(edges)[o_month]
    o_minutes = np.round(spec["outage_minutes"][0]
                         * np.exp(spec["outage_minutes"][1] * rng.standard_normal(len(o_month))))
    causes = spec["outage_causes"]
    o_cause = rng.integers(0, len(causes), len(o_month))
    area_ids = en.ids("AREA", n_areas, min_width=3)
    order = np.argsort(o_time, kind="stable")
    outages = pd.DataFrame({
        "outage_id": np.arange(1, len(order) + 1, dtype=np.int64),
        "area": area_ids[o_area[order]],
        "start": en.to_dates(start, o_time[order]),
        "duration_minutes": np.maximum(o_minutes[order], 1.0),
        "cause": en.pick(causes, o_cause[order]),
    })
    del o_area, o_month, o_time, o_minutes, o_cause, order
    # Outages of each area in the months before month m (cum[:, m]: months 0..m-1).
    cum_outages = np.concatenate([np.zeros((n_areas, 1), dtype=np.int64),
                                  np.cumsum(outage_count, axis=1)], axis=1)
    key = case_key(rng)

    customer_id = en.ids(spec["prefix"], n)
    traits = {"customer_id": customer_id, "seg": seg, "plan": plan, "base_kwh": base_kwh,
              "opened": opened, "e_bill": e_bill, "method": method, "late": late,
              "satisfaction": satisfaction, "meter": meter_start, "area": area}
    churned = np.zeros(n, dtype=bool)
    churn_time = np.full(n, np.nan)
    reason = np.full(n, -1, dtype=np.int8)
    first_id = dict.fromkeys(STREAMED, 1)
    for lo in range(0, n, block_size):
        hi = min(n, lo + block_size)
        rows, left = _block(Draws(key, lo, hi), {k: v[lo:hi] for k, v in traits.items()},
                            first_id, edges, plans, methods, outage_count, cum_outages, dereg)
        churned[lo:hi], churn_time[lo:hi], reason[lo:hi] = left
        first_id = {t: first_id[t] + len(f) for t, f in rows.items()}
        yield ("rows", rows, hi)
        del rows  # not held while the next block is simulated
    del traits, meter_start

    # --- the tables made once: tariffs, accounts, truth ---
    t_price = np.asarray([spec["tariffs"][s][0] for s in segs])
    t_fixed = np.asarray([spec["tariffs"][s][1] for s in segs])
    plan_extra = np.asarray([spec["plans"][p][0] for p in plans])
    tariff_ids = np.asarray([f"T-{s[:3].upper()}-{p.split()[0].upper()}"
                             for s in segs for p in plans], dtype=object)
    tariffs = pd.DataFrame({
        "tariff_id": tariff_ids,
        "segment": np.repeat(segs, len(plans)),
        "plan": np.tile(plans, len(segs)),
        "price_per_kwh": np.round(np.repeat(t_price, len(plans))
                                  + np.tile(plan_extra, len(segs)), 4),
        "fixed_monthly": np.repeat(t_fixed, len(plans)),
    })
    pools = _names.draw_pools(rng, locale)
    person = _names.person_names(pools, rng, n)
    company = _names.company_names(pools, rng, n)
    names = np.where(seg == 0, person, company)
    del person, company
    street, city = _names.addresses(pools, rng, n)
    phone = _names.phones(pools, rng, n)
    email = _names.emails(pools, rng, n)
    end_dates = pd.to_datetime(np.where(churned, en.to_dates(start, np.floor(np.nan_to_num(
        churn_time))), np.datetime64("NaT")))
    reason_label = np.where(churned, en.pick(REASONS, np.maximum(reason, 0)), None)
    accounts = pd.DataFrame({
        "customer_id": customer_id,
        "name": names,
        "segment": en.pick(segs, seg),
        "tariff_id": tariff_ids[seg * len(plans) + plan],
        "area": area_ids[area],
        "address": street,
        "city": city,
        "phone": phone,
        "email": email,
        "bill_delivery": en.pick(DELIVERY, e_bill.astype(np.int64)),
        "payment_method": en.pick(methods, method),
        "start_date": en.to_dates(start, np.floor(opened)),
        "end_date": end_dates,
        "end_reason": reason_label,
    })
    truth = pd.DataFrame({
        "customer_id": customer_id,
        "base_kwh": base_kwh,
        "late_payer": late,
        "satisfaction_latent": satisfaction,
        "move_out_hazard": np.asarray([spec["move_out"][s] for s in segs])[seg],
        "switch_hazard": np.asarray([spec["switch"][s] for s in segs])[seg] * dereg,
        "alive": ~churned,
        "churn_date": end_dates,
        "churn_reason": reason_label,
    })
    identity = accounts[["customer_id", "name", "phone", "email", "address", "city"]]
    yield ("end", {
        "tables": {"accounts": accounts, "tariffs": tariffs, "outages": outages},
        "order": ["accounts", "tariffs", "bills", "payments", "meter_reads", "arrears_notices",
                  "outages", "complaints", "surveys"],
        "truth": truth,
        "identity": identity,
        "start": start,
        "end": end,
    })


def _frame(columns: dict) -> pd.DataFrame:
    # Each column keeps its own array, so that collect frees a block's column once gathered.
    return pd.DataFrame(columns, copy=False)


def _cat(parts: list, k: int) -> np.ndarray:
    return np.concatenate([p[k] for p in parts])


def _block(d: Draws, acc: dict, first_id: dict, edges: np.ndarray, plans: list,
           methods: list, outage_count: np.ndarray, cum_outages: np.ndarray,
           dereg: bool) -> tuple[dict, tuple]:
    """One block's months, from opening to leaving, and its June surveys.

    ``acc`` holds the block's accounts' traits; ``first_id`` the first id of
    each streamed table in this block. Returns the block's rows and, per
    account, whether it left, when and why (0 move-out, 1 switch, -1 none).
    """
    spec = UTILITY
    segs = list(spec["segments"])
    start = pd.Timestamp(spec["start"])
    n_months = len(edges) - 1
    cal_month = pd.date_range(start, periods=n_months, freq="MS").month.to_numpy() - 1
    seg, opened, area, late = acc["seg"], acc["opened"], acc["area"], acc["late"]
    base_kwh, satisfaction = acc["base_kwh"], acc["satisfaction"]
    season = np.asarray([spec["season"][s] for s in segs])  # segment x month
    price = (np.asarray([spec["tariffs"][s][0] for s in segs])[seg]
             + np.asarray([spec["plans"][p][0] for p in plans])[acc["plan"]])
    fixed = np.asarray([spec["tariffs"][s][1] for s in segs])[seg]
    cost = np.asarray([spec["cost_per_kwh"][s] for s in segs])[seg]
    move_base = np.asarray([spec["move_out"][s] for s in segs])[seg]
    switch_base = np.asarray([spec["switch"][s] for s in segs])[seg] * dereg
    mean_bill = fixed + base_kwh * price
    types = spec["complaint_types"]

    nb = d.n
    churned = np.zeros(nb, dtype=bool)
    churn_time = np.full(nb, np.nan)
    reason = np.full(nb, -1, dtype=np.int8)
    arrears = np.zeros(nb)
    meter = acc["meter"].copy()
    bills, reads, pays, notices, complaints = [], [], [], [], []
    n_billed = 0
    # Nothing happens to a block before its first account opens or after its last one left.
    first_month = int(np.searchsorted(edges, opened[0], side="right")) - 1
    for m in range(first_month, n_months):
        lo, hi = edges[m], edges[m + 1]
        days_in = hi - lo
        idx = np.flatnonzero((opened < hi) & ~churned)  # open this month
        if len(idx) == 0 and lo > opened[-1]:
            break
        in_arrears = arrears > 0

        # Leaving: accounts open since before this month face the hazard.
        risk = idx[opened[idx] < lo]
        owes = in_arrears[risk]
        recent = cum_outages[area[risk], m] - cum_outages[area[risk], max(0, m - 3)]
        h_move = move_base[risk] * np.exp(spec["arrears_move"] * owes)
        h_switch = switch_base[risk] * np.exp(spec["arrears_switch"] * owes
                                              + spec["outage_switch"] * recent
                                              + spec["satisfaction_switch"] * satisfaction[risk])
        u = d.random(f"leave {m}", risk)
        out = u < h_move + h_switch
        gone = risk[out]
        churned[gone] = True
        churn_time[gone] = lo + d.random(f"leave day {m}", gone) * days_in
        reason[gone] = np.where(u[out] < h_move[out], 0, 1)

        # Clearing old arrears.
        owing = idx[in_arrears[idx]]
        clears = owing[d.random(f"clear arrears {m}", owing) < spec["clear_arrears"]]
        pays.append((clears, lo + d.random(f"clear day {m}", clears) * days_in,
                     arrears[clears].copy(), np.full(len(clears), -1, dtype=np.int64)))
        arrears[clears] = 0.0

        # This month's bill, prorated for opening and leaving.
        leaves = churned[idx]  # the accounts left before this month are not in idx
        from_t = np.maximum(opened[idx], lo)
        to_t = np.where(leaves, churn_time[idx], hi)
        share = np.clip((to_t - from_t) / days_in, 0.0, 1.0)
        kwh = np.round(base_kwh[idx] * season[seg[idx], cal_month[m]] * share
                       * np.exp(spec["consumption_noise"] * d.normal(f"kwh {m}", idx)))
        amount = en.money(fixed[idx] * share + kwh * price[idx])
        margin = en.money(amount - kwh * cost[idx])
        bill_time = np.where(leaves, churn_time[idx], hi - 1.0)
        meter[idx] += kwh
        estimated = d.random(f"estimated read {m}", idx) < spec["estimated_read_share"]
        bills.append((idx, bill_time, kwh, amount, margin, arrears[idx], leaves))
        reads.append((meter[idx], estimated))
        missed = d.random(f"missed bill {m}", idx) < late[idx]
        on_time = np.flatnonzero(~missed)
        pays.append((idx[on_time],
                     bill_time[on_time] + d.uniform(f"pay day {m}", *spec["pay_days"],
                                                    idx[on_time]),
                     amount[on_time], n_billed + on_time))
        n_billed += len(idx)
        arrears[idx[missed]] += amount[missed]
        behind = arrears[idx] > 0
        notices.append((idx[behind], bill_time[behind],
                        arrears[idx[behind]] > spec["lenient_bills"] * mean_bill[idx[behind]]))
        outages_now = outage_count[area[idx], m]
        lam = (spec["complaint_base"] + spec["complaint_per_outage"] * outages_now
               + spec["complaint_arrears"] * in_arrears[idx])
        c = d.poisson(f"complaints {m}", lam, idx)
        c_idx = np.repeat(idx, c)
        about_outage = np.repeat(outages_now > 0, c) & (
            d.random(f"complaint about outage {m}", c_idx) < spec["complaint_outage_share"])
        complaints.append((c_idx, lo + d.random(f"complaint day {m}", c_idx) * days_in,
                           np.where(about_outage, 0,
                                    d.integers(f"complaint type {m}", 1, len(types), c_idx))))

    cid = acc["customer_id"]
    rows = {}
    b_owner = _cat(bills, 0)
    b_order = np.argsort(b_owner, kind="stable")  # by account, then month
    b_owner = b_owner[b_order]
    b_time = _cat(bills, 1)[b_order]
    b_first = first_id["bills"]
    rows["bills"] = _frame({
        "order_id": np.arange(b_first, b_first + len(b_order), dtype=np.int64),
        "customer_id": cid[b_owner],
        "date": en.to_dates(start, np.floor(b_time)),
        "amount": _cat(bills, 3)[b_order],
        "gross_margin": _cat(bills, 4)[b_order],
        "channel": en.pick(DELIVERY, acc["e_bill"][b_owner].astype(np.int64)),
        "kwh": _cat(bills, 2)[b_order],
        "previous_balance": en.money(_cat(bills, 5)[b_order]),
        "final_bill": _cat(bills, 6)[b_order].astype(bool),
    })
    del bills
    r_first = first_id["meter_reads"]
    rows["meter_reads"] = _frame({
        "read_id": np.arange(r_first, r_first + len(b_order), dtype=np.int64),
        "customer_id": cid[b_owner],
        "date": en.to_dates(start, np.floor(b_time)),
        "meter_reading": _cat(reads, 0)[b_order],
        "read_type": en.pick(["actual", "estimated"], _cat(reads, 1)[b_order].astype(np.int64)),
    })
    del reads, b_time

    # A payment names its bill by the bill's place in the month-by-month list.
    bill_rank = np.empty(len(b_order), dtype=np.int64)
    bill_rank[b_order] = np.arange(len(b_order))
    del b_order, b_owner
    p_owner, p_time, p_amount, p_bill = (_cat(pays, k) for k in range(4))
    del pays
    keep = p_time < edges[-1]
    p_owner, p_time, p_amount, p_bill = p_owner[keep], p_time[keep], p_amount[keep], p_bill[keep]
    order = np.lexsort((p_time, p_owner))  # by account, then time
    p_owner, p_bill = p_owner[order], p_bill[order]
    clears = p_bill < 0
    p_first = first_id["payments"]
    rows["payments"] = _frame({
        "payment_id": np.arange(p_first, p_first + len(order), dtype=np.int64),
        "customer_id": cid[p_owner],
        "bill_id": pd.arrays.IntegerArray(
            np.where(clears, 0, b_first + bill_rank[np.maximum(p_bill, 0)]), clears),
        "date": en.to_dates(start, np.floor(p_time[order])),
        "amount": en.money(p_amount[order]),
        "method": en.pick(methods, acc["method"][p_owner]),
        "clears_arrears": clears,
    })
    del p_owner, p_time, p_amount, p_bill, bill_rank, order

    n_owner = _cat(notices, 0)
    order = np.argsort(n_owner, kind="stable")
    n_first = first_id["arrears_notices"]
    rows["arrears_notices"] = _frame({
        "notice_id": np.arange(n_first, n_first + len(order), dtype=np.int64),
        "customer_id": cid[n_owner[order]],
        "date": en.to_dates(start, np.floor(_cat(notices, 1)[order])),
        "kind": en.pick(["reminder", "disconnection warning"],
                        _cat(notices, 2)[order].astype(np.int64)),
    })
    del notices

    c_owner, c_time = _cat(complaints, 0), _cat(complaints, 1)
    order = np.lexsort((c_time, c_owner))
    c_first = first_id["complaints"]
    rows["complaints"] = _frame({
        "complaint_id": np.arange(c_first, c_first + len(order), dtype=np.int64),
        "customer_id": cid[c_owner[order]],
        "date": en.to_dates(start, c_time[order]),
        "type": en.pick(types, _cat(complaints, 2)[order]),
    })
    del complaints

    # June surveys, with the outages of the past twelve months.
    surveys = []
    for year in range(start.year, pd.Timestamp(spec["end"]).year):
        t = (float((pd.Timestamp(f"{year}-06-01") - start).days)
             + d.random(f"survey day {year}") * 29)
        live = (opened < t) & ~(churned & (churn_time <= t))
        pick = np.flatnonzero(live & (d.random(f"surveyed {year}") < spec["survey_share"]))
        m_now = np.searchsorted(edges, t[pick], side="right") - 1
        past = (cum_outages[area[pick], m_now]
                - cum_outages[area[pick], np.maximum(0, m_now - 12)]).astype(float)
        score = (spec["survey_mean"] + spec["survey_sd"] * satisfaction[pick]
                 - spec["survey_outage"] * past
                 + spec["survey_noise"] * d.normal(f"survey score {year}", pick))
        surveys.append((pick, t[pick], np.clip(np.round(score), 1, 10)))
    s_owner = _cat(surveys, 0)
    order = np.argsort(s_owner, kind="stable")
    s_first = first_id["surveys"]
    rows["surveys"] = _frame({
        "survey_id": np.arange(s_first, s_first + len(order), dtype=np.int64),
        "customer_id": cid[s_owner[order]],
        "date": en.to_dates(start, np.floor(_cat(surveys, 1)[order])),
        "satisfaction": _cat(surveys, 2)[order].astype(np.int64),
    })
    return rows, (churned, churn_time, reason)
