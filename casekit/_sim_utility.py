"""utility: an electricity retailer with monthly bills (Reading 5, essay 2)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from casekit import _engine as en
from casekit import _names
from casekit._specs import UTILITY

#: ``market`` option: default and allowed values.
OPTIONS = {"market": ("deregulated", ("deregulated", "regulated"))}
REASONS = ["move-out", "switch"]


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


def simulate(rng: np.random.Generator, n: int, locale: str, options: dict,
             progress=None) -> dict:
    step = progress or (lambda label: None)  # called with a short label at each stage
    step("accounts")
    spec = UTILITY
    dereg = options["market"] == "deregulated"
    start, end = horizon(options)
    months = pd.date_range(start, end, freq="MS")
    edges = np.asarray([(m - start).days for m in months], dtype=float)
    n_months = len(edges) - 1
    cal_month = months[:-1].month.to_numpy() - 1
    pools = _names.draw_pools(rng, locale)

    segs = list(spec["segments"])
    seg = rng.choice(len(segs), n, p=[v[0] for v in spec["segments"].values()])
    median = np.asarray([v[1] for v in spec["segments"].values()])[seg]
    sigma = np.asarray([v[2] for v in spec["segments"].values()])[seg]
    base_kwh = median * np.exp(sigma * rng.standard_normal(n))
    season = np.asarray([spec["season"][s] for s in segs])  # segment x month
    opened = np.sort(rng.random(n) * edges[-1])

    plans = list(spec["plans"]) if dereg else ["standard"]
    plan_probs = np.asarray([spec["plans"][p][1] for p in plans])
    plan = rng.choice(len(plans), n, p=plan_probs / plan_probs.sum())
    t_price = np.asarray([spec["tariffs"][s][0] for s in segs])
    t_fixed = np.asarray([spec["tariffs"][s][1] for s in segs])
    plan_extra = np.asarray([spec["plans"][p][0] for p in plans])
    price = t_price[seg] + plan_extra[plan]
    fixed = t_fixed[seg]
    cost = np.asarray([spec["cost_per_kwh"][s] for s in segs])[seg]
    tariff_index = seg * len(plans) + plan
    e_bill = rng.random(n) < spec["e_bill_share"]
    methods = list(spec["payment_methods"])
    method = rng.choice(len(methods), n, p=list(spec["payment_methods"].values()))
    late = rng.beta(*spec["late_beta"], n)
    satisfaction = rng.standard_normal(n)
    move_base = np.asarray([spec["move_out"][s] for s in segs])[seg]
    switch_base = np.asarray([spec["switch"][s] for s in segs])[seg] * dereg
    mean_bill = fixed + base_kwh * price

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

    churned = np.zeros(n, dtype=bool)
    churn_time = np.full(n, np.nan)
    reason = np.full(n, -1)
    arrears = np.zeros(n)
    meter = np.round(rng.uniform(1000, 50000, n))
    bills, pays, notices, complaints, reads = [], [], [], [], []
    n_billed = 0
    for m in range(n_months):
        if m % 12 == 0:
            step(f"bills, year {m // 12 + 1}")
        lo, hi = edges[m], edges[m + 1]
        days_in = hi - lo
        open_now = (opened < hi) & ~churned
        # Leaving: accounts open since before this month face the hazard.
        at_risk = open_now & (opened < lo)
        recent = outage_count[area, max(0, m - 3):m].sum(axis=1)
        in_arrears = arrears > 0
        h_move = move_base * np.exp(spec["arrears_move"] * in_arrears)
        h_switch = switch_base * np.exp(spec["arrears_switch"] * in_arrears
                                        + spec["outage_switch"] * recent
                                        + spec["satisfaction_switch"] * satisfaction)
        u = rng.random(n)
        leaves = at_risk & (u < h_move + h_switch)
        leave_time = lo + rng.random(n) * days_in
        churned |= leaves
        churn_time = np.where(leaves, leave_time, churn_time)
        reason = np.where(leaves, np.where(u < h_move, 0, 1), reason)

        # Clearing old arrears.
        clears = open_now & in_arrears & (rng.random(n) < spec["clear_arrears"])
        idx = np.flatnonzero(clears)
        pays.append((idx, lo + rng.random(len(idx)) * days_in, arrears[idx].copy(),
                     np.zeros(len(idx), dtype=np.int64)))
        arrears[idx] = 0.0

        # This month's bill, prorated for opening and leaving.
        billed = open_now
        idx = np.flatnonzero(billed)
        from_t = np.maximum(opened[idx], lo)
        to_t = np.where(leaves[idx], leave_time[idx], hi)
        share = np.clip((to_t - from_t) / days_in, 0.0, 1.0)
        kwh = np.round(base_kwh[idx] * season[seg[idx], cal_month[m]] * share
                       * np.exp(spec["consumption_noise"] * rng.standard_normal(len(idx))))
        amount = en.money(fixed[idx] * share + kwh * price[idx])
        margin = en.money(amount - kwh * cost[idx])
        bill_time = np.where(leaves[idx], leave_time[idx], hi - 1.0)
        meter[idx] += kwh
        estimated = rng.random(len(idx)) < spec["estimated_read_share"]
        bills.append((idx, bill_time, kwh, amount, margin, arrears[idx].copy(), leaves[idx]))
        reads.append((idx, bill_time, meter[idx].copy(), estimated))
        missed = rng.random(len(idx)) < late[idx]
        on_time = np.flatnonzero(~missed)
        pays.append((idx[on_time], bill_time[on_time] + rng.uniform(*spec["pay_days"],
                                                                     len(on_time)),
                     amount[on_time], n_billed + on_time + 1))
        n_billed += len(idx)
        arrears[idx[missed]] += amount[missed]
        owing = idx[arrears[idx] > 0]
        notices.append((owing, bill_time[arrears[idx] > 0],
                        arrears[owing] > spec["lenient_bills"] * mean_bill[owing]))
        lam = (spec["complaint_base"] + spec["complaint_per_outage"] * outage_count[area[idx], m]
               + spec["complaint_arrears"] * in_arrears[idx])
        c = rng.poisson(lam)
        c_idx = np.repeat(idx, c)
        complaints.append((c_idx, lo + rng.random(len(c_idx)) * days_in,
                           np.repeat(outage_count[area[idx], m] > 0, c)))

    step("tables")
    customer_id = en.ids(spec["prefix"], n)

    def cat(parts, k):
        return np.concatenate([p[k] for p in parts]) if parts else np.empty(0)

    b_owner = cat(bills, 0).astype(np.int64)
    b_time = cat(bills, 1)
    nb = len(b_owner)
    bill_table = pd.DataFrame({
        "order_id": np.arange(1, nb + 1, dtype=np.int64),
        "customer_id": customer_id[b_owner],
        "date": en.to_dates(start, np.floor(b_time)),
        "amount": cat(bills, 3),
        "gross_margin": cat(bills, 4),
        "channel": np.where(e_bill[b_owner], "e-bill", "paper"),
        "kwh": cat(bills, 2),
        "previous_balance": en.money(cat(bills, 5)),
        "final_bill": cat(bills, 6).astype(bool),
    })
    p_owner = cat(pays, 0).astype(np.int64)
    p_time = cat(pays, 1)
    p_bill = cat(pays, 3).astype(np.int64)
    keep = p_time < edges[-1]
    p_owner, p_time, p_amount, p_bill = p_owner[keep], p_time[keep], cat(pays, 2)[keep], \
        p_bill[keep]
    order = np.argsort(p_time, kind="stable")
    payments = pd.DataFrame({
        "payment_id": np.arange(1, len(order) + 1, dtype=np.int64),
        "customer_id": customer_id[p_owner[order]],
        "bill_id": pd.array(np.where(p_bill[order] > 0, p_bill[order], None), dtype="Int64"),
        "date": en.to_dates(start, np.floor(p_time[order])),
        "amount": en.money(p_amount[order]),
        "method": en.pick(methods, method[p_owner[order]]),
        "clears_arrears": p_bill[order] == 0,
    })
    r_owner = cat(reads, 0).astype(np.int64)
    meter_reads = pd.DataFrame({
        "read_id": np.arange(1, len(r_owner) + 1, dtype=np.int64),
        "customer_id": customer_id[r_owner],
        "date": en.to_dates(start, np.floor(cat(reads, 1))),
        "meter_reading": cat(reads, 2),
        "read_type": np.where(cat(reads, 3).astype(bool), "estimated", "actual"),
    })
    n_owner = cat(notices, 0).astype(np.int64)
    arrears_notices = pd.DataFrame({
        "notice_id": np.arange(1, len(n_owner) + 1, dtype=np.int64),
        "customer_id": customer_id[n_owner],
        "date": en.to_dates(start, np.floor(cat(notices, 1))),
        "kind": np.where(cat(notices, 2).astype(bool), "disconnection warning", "reminder"),
    })
    c_owner = cat(complaints, 0).astype(np.int64)
    c_time = cat(complaints, 1)
    order = np.argsort(c_time, kind="stable")
    types = spec["complaint_types"]
    c_type = np.where(cat(complaints, 2).astype(bool)[order] & (rng.random(len(order)) < 0.7), 0,
                      rng.integers(1, len(types), len(order)))
    complaint_table = pd.DataFrame({
        "complaint_id": np.arange(1, len(order) + 1, dtype=np.int64),
        "customer_id": customer_id[c_owner[order]],
        "date": en.to_dates(start, c_time[order]),
        "type": en.pick(types, c_type),
    })
    area_ids = np.asarray([f"AREA-{k + 1:03d}" for k in range(n_areas)], dtype=object)
    order = np.argsort(o_time, kind="stable")
    outages = pd.DataFrame({
        "outage_id": np.arange(1, len(order) + 1, dtype=np.int64),
        "area": area_ids[o_area[order]],
        "start": en.to_dates(start, o_time[order]),
        "duration_minutes": np.maximum(o_minutes[order], 1.0),
        "cause": en.pick(causes, o_cause[order]),
    })

    # June surveys, with the outages of the past twelve months.
    cum_outages = np.concatenate([np.zeros((n_areas, 1), dtype=np.int64),
                                  np.cumsum(outage_count, axis=1)], axis=1)
    s_parts = []
    for year in range(start.year, end.year):
        t = float((pd.Timestamp(f"{year}-06-01") - start).days) + rng.random(n) * 29
        live = (opened < t) & ~(churned & (churn_time <= t))
        pick = np.flatnonzero(live & (rng.random(n) < spec["survey_share"]))
        m_now = np.searchsorted(edges, t[pick], side="right") - 1
        past = (cum_outages[area[pick], m_now]
                - cum_outages[area[pick], np.maximum(0, m_now - 12)]).astype(float)
        score = (spec["survey_mean"] + spec["survey_sd"] * satisfaction[pick]
                 - spec["survey_outage"] * past
                 + spec["survey_noise"] * rng.standard_normal(len(pick)))
        s_parts.append((pick, t[pick], np.clip(np.round(score), 1, 10)))
    s_owner = cat(s_parts, 0).astype(np.int64)
    surveys = pd.DataFrame({
        "survey_id": np.arange(1, len(s_owner) + 1, dtype=np.int64),
        "customer_id": customer_id[s_owner],
        "date": en.to_dates(start, np.floor(cat(s_parts, 1))),
        "satisfaction": cat(s_parts, 2).astype(np.int64),
    })

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
    person = _names.person_names(pools, rng, n)
    company = _names.company_names(pools, rng, n)
    names = np.where(seg == 0, person, company)
    street, city = _names.addresses(pools, rng, n)
    phone = _names.phones(pools, rng, n)
    email = _names.emails(pools, rng, n)
    end_time = np.where(churned, churn_time, np.nan)
    end_dates = pd.to_datetime(np.where(churned, en.to_dates(start, np.floor(np.nan_to_num(
        end_time))), np.datetime64("NaT")))
    reason_label = np.where(churned, en.pick(REASONS, np.maximum(reason, 0)), None)
    accounts = pd.DataFrame({
        "customer_id": customer_id,
        "name": names,
        "segment": en.pick(segs, seg),
        "tariff_id": tariff_ids[tariff_index],
        "area": area_ids[area],
        "address": street,
        "city": city,
        "phone": phone,
        "email": email,
        "bill_delivery": np.where(e_bill, "e-bill", "paper"),
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
        "move_out_hazard": move_base,
        "switch_hazard": switch_base,
        "alive": ~churned,
        "churn_date": end_dates,
        "churn_reason": reason_label,
    })
    identity = accounts[["customer_id", "name", "phone", "email", "address", "city"]]
    return {
        "tables": {"accounts": accounts, "tariffs": tariffs, "bills": bill_table,
                   "payments": payments, "meter_reads": meter_reads,
                   "arrears_notices": arrears_notices, "outages": outages,
                   "complaints": complaint_table, "surveys": surveys},
        "truth": truth,
        "identity": identity,
        "start": start,
        "end": end,
    }
