"""office_supplies: a B2B office-supplies reseller (Reading 2)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from casekit import _engine as en
from casekit import _names
from casekit._specs import CURRENCY, OFFICE_SUPPLIES

_ITEMS = {
    "en_US": {
        "paper": ["Copy paper", "Notepad", "Sticky notes", "Envelopes", "Card stock"],
        "writing": ["Ballpoint pen", "Gel pen", "Marker", "Highlighter", "Pencil"],
        "filing": ["Ring binder", "File folder", "Archive box", "Divider set", "Clipboard"],
        "desk accessories": [
            "Stapler", "Tape dispenser", "Desk organiser", "Scissors", "Hole punch",
        ],
        "ink and toner": ["Toner cartridge", "Ink cartridge", "Drum unit", "Ribbon", "Ink bottle"],
        "computer accessories": ["Mouse", "Keyboard", "USB drive", "Cable", "Headset"],
        "breakroom": ["Coffee", "Tea", "Paper cups", "Sugar sticks", "Water bottles"],
        "cleaning": ["Hand soap", "Paper towels", "Disinfectant", "Bin liners", "Wipes"],
        "furniture": ["Office chair", "Desk", "Filing cabinet", "Shelf", "Monitor arm"],
        "packaging": ["Shipping box", "Packing tape", "Bubble wrap", "Label roll", "Mailer"],
    },
    "zh_CN": {
        "paper": ["复印纸", "记事本", "便利贴", "信封", "卡纸"],
        "writing": ["圆珠笔", "中性笔", "记号笔", "荧光笔", "铅笔"],
        "filing": ["文件夹", "档案袋", "档案盒", "分类索引", "写字板"],
        "desk accessories": ["订书机", "胶带座", "桌面收纳", "剪刀", "打孔机"],
        "ink and toner": ["硒鼓", "墨盒", "鼓组件", "色带", "墨水"],
        "computer accessories": ["鼠标", "键盘", "U盘", "数据线", "耳机"],
        "breakroom": ["咖啡", "茶叶", "纸杯", "糖包", "瓶装水"],
        "cleaning": ["洗手液", "擦手纸", "消毒液", "垃圾袋", "湿巾"],
        "furniture": ["办公椅", "办公桌", "文件柜", "置物架", "显示器支架"],
        "packaging": ["纸箱", "封箱胶带", "气泡膜", "标签纸", "快递袋"],
    },
}


def _products(rng, spec, locale):
    rows = []
    for name, (count, median, sigma, margin, weight) in spec["categories"].items():
        price = np.round(median * np.exp(sigma * rng.standard_normal(count)), 2)
        price = np.maximum(price, 0.5)
        item_margin = np.clip(margin + 0.05 * rng.standard_normal(count), 0.03, 0.7)
        items = _ITEMS[locale][name]
        kind = rng.integers(0, len(items), count)
        # Zipf-like popularity inside a category (assumption: a few best sellers).
        popularity = 1.0 / np.arange(1, count + 1) ** 0.8
        popularity = rng.permutation(popularity)
        rows.append(
            pd.DataFrame(
                {
                    "category": name,
                    "item": [items[k] for k in kind],
                    "list_price": price,
                    "unit_cost": np.round(price * (1 - item_margin), 2),
                    "weight": weight * popularity / popularity.sum(),
                }
            )
        )
    products = pd.concat(rows, ignore_index=True)
    products.insert(0, "product_id", en.ids("SKU", len(products)))
    products["name"] = [
        f"{item} {pid[-4:]}"
        for item, pid in zip(products["item"], products["product_id"], strict=True)
    ]
    weight = products.pop("weight").to_numpy()
    products = products[["product_id", "name", "category", "list_price", "unit_cost"]]
    return products, weight / weight.sum()


OPTIONS: dict = {}


def horizon(options: dict) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Start and end of the observation horizon."""
    return pd.Timestamp(OFFICE_SUPPLIES["start"]), pd.Timestamp(OFFICE_SUPPLIES["end"])


#: Customers simulated at a time. Events of one block are built and packed
#: before the next block starts, which bounds the memory of a large case; the
#: value is part of the random stream, so changing it changes the data.
CHUNK = 100_000


def simulate(rng: np.random.Generator, n: int, locale: str, options: dict,
             progress=None) -> dict:
    """The tables, truth and identity of ``n`` accounts.

    ``progress``, if given, is called with a short stage label after each
    block of customers and after the tables are assembled.
    """
    spec = OFFICE_SUPPLIES
    start, end, shock = (pd.Timestamp(spec[k]) for k in ("start", "end", "shock"))
    horizon = float((end - start).days)
    pools = _names.draw_pools(rng, locale)

    def when(days):
        return en.to_dates(start, days, hours=spec["hours"])

    # Who the customers are: acquisition (piecewise uniform by year with the
    # spec's weights), size band, account manager and usual channel.
    weights = np.asarray(spec["acquisition_weights"], dtype=float)
    year_edges = np.linspace(0.0, horizon, len(weights) + 1)
    year = rng.choice(len(weights), size=n, p=weights / weights.sum())
    acq = np.sort(year_edges[year] + rng.random(n) * np.diff(year_edges)[year])
    size_names = list(spec["size_bands"])
    size = rng.choice(len(size_names), n, p=list(spec["size_bands"].values()))
    n_managers = max(3, int(np.ceil(n / spec["customers_per_manager"])))
    manager_irregular = rng.random(n_managers) < spec["irregular_manager_share"]
    manager_rate = rng.uniform(*spec["discount_range"], n_managers)
    manager = rng.integers(0, n_managers, n)
    channels = list(spec["channels"])
    usual = rng.choice(len(channels), n, p=list(spec["channels"].values()))
    products, weight = _products(rng, spec, locale)
    shared = {
        "acq": acq, "size": size, "size_names": size_names, "manager": manager,
        "irregular": manager_irregular[manager], "manager_rate": manager_rate, "usual": usual,
        "n_channels": len(channels), "weight": weight, "horizon": horizon,
        "shock": float((shock - start).days),
        "price": products["list_price"].to_numpy(), "cost": products["unit_cost"].to_numpy(),
    }
    parts = []
    for lo in range(0, n, CHUNK):
        parts.append(_block(rng, np.arange(lo, min(lo + CHUNK, n)), shared))
        if progress is not None:
            progress(f"accounts {min(lo + CHUNK, n):,} of {n:,}")

    customer_id = en.ids(spec["prefix"], n)
    manager_id = en.ids("AM", n_managers)
    order_offsets = np.cumsum([0] + [len(p["orders"]["owner"]) for p in parts])

    def column(table, name, offset=False):
        pieces = []
        for k, part in enumerate(parts):
            piece = part[table].pop(name)
            pieces.append(piece + order_offsets[k] if offset else piece)
        return np.concatenate(pieces)

    n_orders = int(order_offsets[-1])
    owner = column("orders", "owner")
    orders = pd.DataFrame({
        "order_id": np.arange(1, n_orders + 1, dtype=np.int64),
        "customer_id": customer_id[owner],
        "date": when(column("orders", "time")),
        "amount": column("orders", "amount"),
        "gross_margin": column("orders", "margin"),
        "channel": en.pick(channels, column("orders", "channel")),
        "discount_rate": column("orders", "discount"),
        "n_lines": column("orders", "n_lines"),
    }, copy=False)
    order_lines = pd.DataFrame({
        # int32 halves the largest column; it merges with the int64 order ids as usual.
        "order_id": (column("lines", "order", offset=True) + 1).astype(np.int32),
        "line_no": column("lines", "line_no"),
        "product_id": products["product_id"].to_numpy()[column("lines", "sku")],
        "quantity": column("lines", "qty"),
        "net_amount": column("lines", "net"),
    }, copy=False)
    g_owner = column("grants", "owner")
    reasons = spec["discount_reasons"]
    discounts = pd.DataFrame({
        "discount_id": np.arange(1, len(g_owner) + 1, dtype=np.int64),
        "customer_id": customer_id[g_owner],
        "manager_id": manager_id[manager[g_owner]],
        "date": when(column("grants", "time")),
        "rate": column("grants", "rate"),
        "reason": en.pick(reasons, column("grants", "reason")),
    }, copy=False)
    c_owner = column("contacts", "owner")
    kinds = list(spec["contact_types"])
    contacts = pd.DataFrame({
        "contact_id": np.arange(1, len(c_owner) + 1, dtype=np.int32),
        "customer_id": customer_id[c_owner],
        "date": when(column("contacts", "time")),
        "type": en.pick(kinds, column("contacts", "kind")),
    }, copy=False)
    t_order = column("tickets", "order", offset=True)
    t_types = list(spec["tickets"])
    tickets = pd.DataFrame({
        "ticket_id": np.arange(1, len(t_order) + 1, dtype=np.int64),
        "customer_id": customer_id[owner[t_order]],
        "order_id": t_order + 1,
        "date": when(column("tickets", "time")),
        "type": en.pick(t_types, column("tickets", "kind")),
        "handling_hours": column("tickets", "hours"),
        "resolved": column("tickets", "resolved"),
    }, copy=False)
    del owner
    p_owner = column("pipeline", "owner")
    stage_names = ["won", "lost", *spec["open_stages"]]
    opportunities = pd.DataFrame({
        "opportunity_id": np.arange(1, len(p_owner) + 1, dtype=np.int64),
        "customer_id": customer_id[p_owner],
        "manager_id": manager_id[manager[p_owner]],
        "created": when(column("pipeline", "time")),
        "expected_close": when(column("pipeline", "close")),
        "stage": en.pick(stage_names, column("pipeline", "stage")),
        "expected_value": column("pipeline", "value"),
    }, copy=False)
    k_campaign = column("campaigns", "campaign")
    k_owner = column("campaigns", "owner")
    order = np.lexsort((k_owner, k_campaign))
    k_owner = k_owner[order]
    days = np.asarray([pd.Timestamp(d) for d in spec["campaigns"]], dtype="datetime64[ns]")
    campaigns = pd.DataFrame({
        "campaign_id": en.pick([f"CMP-{k + 1:02d}" for k in range(len(days))],
                               k_campaign[order]),
        "customer_id": customer_id[k_owner],
        "group": np.where(column("campaigns", "treated")[order], "treatment", "control"),
        "date": days[k_campaign[order]],
        "responded": column("campaigns", "responded")[order],
    }, copy=False)

    if progress is not None:
        progress("event tables")
    names = _names.person_names(pools, rng, n)
    street, city = _names.addresses(pools, rng, n)
    company = _names.company_names(pools, rng, n)
    phone = _names.phones(pools, rng, n)
    email = _names.emails(pools, rng, n)
    industries = spec["industries"]
    employees = np.round(
        np.exp(np.asarray([2.5, 4.2, 6.3])[size] + 0.5 * rng.standard_normal(n))
    ).astype(np.int64)
    companies = pd.DataFrame({
        "customer_id": customer_id,
        "company": company,
        "industry": en.pick(industries, rng.integers(0, len(industries), n)),
        "size_band": en.pick(size_names, size),
        "employees": np.maximum(employees, 1),
        "contact_name": names,
        "phone": phone,
        "email": email,
        "address": street,
        "city": city,
        "manager_id": manager_id[manager],
        "first_order_date": when(acq),
    })
    managers = pd.DataFrame({
        "manager_id": manager_id,
        "name": _names.person_names(pools, rng, n_managers),
        "team": en.pick(["north", "south", "east", "west"], rng.integers(0, 4, n_managers)),
    })
    died = column("customers", "died")
    death = column("customers", "death")
    truth = pd.DataFrame({
        "customer_id": customer_id,
        "acquisition_date": when(acq),
        "lambda_": column("customers", "lam"),
        "mu": column("customers", "mu"),
        "mu_after_shock": column("customers", "mu_post"),
        "mean_order_value": spec["gg_p"] / column("customers", "nu"),
        "irregular_contact": shared["irregular"],
        "alive": ~died,
        "churn_date": pd.to_datetime(
            np.where(died, when(np.nan_to_num(death)), np.datetime64("NaT"))
        ),
    })
    tables = {
        "companies": companies,
        "account_managers": managers,
        "products": products,
        "orders": orders,
        "order_lines": order_lines,
        "discounts": discounts,
        "contacts": contacts,
        "tickets": tickets,
        "opportunities": opportunities,
        "campaigns": campaigns,
    }
    identity = pd.DataFrame({
        "customer_id": customer_id,
        "name": names,
        "company": company,
        "phone": phone,
        "email": email,
        "address": street,
        "city": city,
    })
    if progress is not None:
        progress("accounts and truth")
    return {"tables": tables, "truth": truth, "identity": identity, "start": start, "end": end}


def _block(rng: np.random.Generator, ids: np.ndarray, shared: dict) -> dict:
    """Events of the customers ``ids``: plain arrays, customer indices global."""
    spec = OFFICE_SUPPLIES
    n = len(ids)
    horizon, shock_t = shared["horizon"], shared["shock"]
    acq = shared["acq"][ids]
    irregular = shared["irregular"][ids]

    lam_week = rng.gamma(spec["r"], 1.0 / spec["alpha"], n)
    mu_week = rng.gamma(spec["s"], 1.0 / spec["beta"], n)
    mult = np.where(irregular, spec["shock_multiplier_irregular"],
                    spec["shock_multiplier_regular"])
    mu_post = mu_week * mult
    nu = rng.gamma(spec["gg_q"], 1.0 / spec["gg_gamma"], n)

    # Purchasing (Pareto/NBD): first order at acquisition, then Poisson orders
    # while alive; the lifetime is exponential with a dropout hazard that the
    # competitor shock multiplies, so an account can leave at any time.
    death = en.exponential_lifetimes(rng, acq, mu_week / 7.0, np.full(n, shock_t),
                                     mu_post / 7.0)
    died = death < horizon
    death = np.where(died, death, np.nan)
    o, t = en.poisson_events(rng, lam_week / 7.0, acq, np.where(died, death, horizon))
    owner = np.concatenate([np.arange(n), o])
    times = np.concatenate([acq, t])
    del o, t
    order = en.sort_events(owner, times)
    owner, times = owner[order], times[order]
    del order
    n_orders = len(owner)
    amount = np.maximum(en.money(rng.gamma(spec["gg_p"], 1.0 / nu[owner])), 0.01)

    # Discount grants: one at signup, then occasional new grants; each order
    # gets the last grant at or before it.
    size = shared["size"][ids]
    bonus = np.asarray([spec["discount_size_bonus"][s] for s in shared["size_names"]])[size]
    manager = shared["manager"][ids]
    last_seen = np.where(died, death, horizon)
    g_owner, g_time = en.poisson_events(
        rng, np.full(n, spec["discount_regrants_per_year"] / 365.25), acq, last_seen
    )
    g_owner = np.concatenate([np.arange(n), g_owner])
    g_time = np.concatenate([acq, g_time])
    order = en.sort_events(g_owner, g_time)
    g_owner, g_time = g_owner[order], g_time[order]
    g_rate = np.round(np.clip(shared["manager_rate"][manager[g_owner]] + bonus[g_owner]
                              + rng.normal(0, 0.01, len(g_owner)), 0, 0.3), 3)
    first_grant = np.r_[True, g_owner[1:] != g_owner[:-1]]
    g_reason = np.where(first_grant, 0,
                        rng.integers(1, len(spec["discount_reasons"]), len(g_owner)))
    in_force = np.searchsorted(g_owner * (horizon + 1.0) + g_time,
                               owner * (horizon + 1.0) + times, side="right") - 1
    discount = g_rate[in_force]
    del in_force

    # Order lines: the net amount is split across lines in proportion to list value.
    price, cost = shared["price"], shared["cost"]
    n_lines = 1 + rng.poisson(spec["extra_lines_mean"], n_orders)
    l_order = en.owners(n_lines)
    sku = rng.choice(len(price), size=len(l_order), p=shared["weight"])
    share = rng.gamma(1.0, 1.0, len(l_order))
    share /= np.bincount(l_order, share, minlength=n_orders)[l_order]
    gross = amount / (1.0 - discount)
    qty = np.maximum(1, np.round(share * gross[l_order] / price[sku])).astype(np.int64)
    del share, gross
    list_value = qty * price[sku]
    net = en.money(amount[l_order] * list_value
                   / np.bincount(l_order, list_value, minlength=n_orders)[l_order])
    del list_value
    first_line = np.r_[0, np.cumsum(n_lines)[:-1]]
    net[first_line] += en.money(amount - np.bincount(l_order, net, minlength=n_orders))
    net = en.money(net)
    margin = en.money(amount - np.bincount(l_order, en.money(qty * cost[sku]),
                                           minlength=n_orders))
    line_no = np.arange(len(l_order)) - np.repeat(first_line, n_lines) + 1
    stray = rng.random(n_orders) > spec["channel_loyalty"]
    channel = np.where(stray, rng.integers(0, shared["n_channels"], n_orders),
                       shared["usual"][ids][owner])

    # Sales contacts: regular or irregular cadence by account manager, until
    # a while after the account silently leaves.
    c_end = np.minimum(np.where(died, death + spec["contact_after_dropout_days"], horizon),
                       horizon)
    r_owner, r_time = en.regular_events(
        rng, np.full(n, spec["contact_gap_regular"]), np.full(n, spec["contact_jitter_regular"]),
        acq, np.where(irregular, acq, c_end),
    )
    i_owner, i_time = en.poisson_events(
        rng, np.where(irregular, 1.0 / spec["contact_gap_irregular"], 0.0), acq, c_end
    )
    c_owner = np.concatenate([r_owner, i_owner])
    c_time = np.concatenate([r_time, i_time])
    order = en.sort_events(c_owner, c_time)
    c_owner, c_time = c_owner[order], c_time[order]
    c_kind = rng.choice(len(spec["contact_types"]), len(c_owner),
                        p=list(spec["contact_types"].values()))

    # Service tickets attached to orders.
    t_probs = np.asarray([v[0] for v in spec["tickets"].values()])
    t_order = np.flatnonzero(rng.random(n_orders) < t_probs.sum())
    t_kind = rng.choice(len(t_probs), len(t_order), p=t_probs / t_probs.sum())
    t_time = times[t_order] + rng.exponential(2.0, len(t_order))
    keep = t_time < horizon
    t_order, t_kind, t_time = t_order[keep], t_kind[keep], t_time[keep]
    medians = np.asarray([v[1] for v in spec["tickets"].values()])
    sigmas = np.asarray([v[2] for v in spec["tickets"].values()])
    hours = np.round(medians[t_kind] * np.exp(sigmas[t_kind]
                                              * rng.standard_normal(len(t_kind))), 1)

    # Opportunity pipeline.
    p_owner, p_time = en.poisson_events(
        rng, np.full(n, spec["opportunities_per_year"] / 365.25), acq, last_seen
    )
    close = p_time + rng.exponential(spec["opportunity_days_to_close"], len(p_owner))
    stage = np.where(rng.random(len(p_owner)) < spec["opportunity_stages"]["won"], 0, 1)
    stage = np.where(close >= horizon,
                     2 + rng.integers(0, len(spec["open_stages"]), len(p_owner)), stage)
    value = en.money(10 * spec["gg_p"] / nu[p_owner]
                     * np.exp(0.5 * rng.standard_normal(len(p_owner))))

    # Campaigns: random treatment and control among live accounts.
    k_rows = []
    for k, day in enumerate(spec["campaigns"]):
        t = float((pd.Timestamp(day) - pd.Timestamp(spec["start"])).days)
        live = (acq <= t) & ~(died & (death < t))
        target = np.flatnonzero(live & (rng.random(n) < spec["campaign_target_share"]))
        treated = rng.random(len(target)) < spec["campaign_treated_share"]
        seg = [shared["size_names"][s] for s in size[target]]
        base = np.asarray([spec["campaign_base_response"][s] for s in seg], dtype=float)
        lift = np.asarray([spec["campaign_uplift"][s] for s in seg], dtype=float)
        responded = rng.random(len(target)) < base + lift * treated
        k_rows.append((np.full(len(target), k), target, treated, responded))

    return {
        "customers": {"lam": lam_week, "mu": mu_week, "mu_post": mu_post, "nu": nu,
                      "died": died, "death": death},
        # Compact dtypes: all blocks wait here until the tables are assembled.
        "orders": {"owner": ids[owner], "time": times, "amount": amount, "margin": margin,
                   "channel": channel.astype(np.int8), "discount": discount,
                   "n_lines": n_lines.astype(np.int8)},
        "lines": {"order": l_order, "line_no": line_no.astype(np.int8),
                  "sku": sku.astype(np.int16), "qty": qty.astype(np.int32), "net": net},
        "grants": {"owner": ids[g_owner], "time": g_time, "rate": g_rate,
                   "reason": g_reason.astype(np.int8)},
        "contacts": {"owner": ids[c_owner], "time": c_time, "kind": c_kind.astype(np.int8)},
        "tickets": {"order": t_order, "time": t_time, "kind": t_kind.astype(np.int8),
                    "hours": np.maximum(hours, 0.1),
                    "resolved": rng.random(len(t_order)) < spec["ticket_resolved_share"]},
        "pipeline": {"owner": ids[p_owner], "time": p_time, "close": close, "stage": stage,
                     "value": value},
        "campaigns": {"campaign": np.concatenate([r[0] for r in k_rows]),
                      "owner": ids[np.concatenate([r[1] for r in k_rows])],
                      "treated": np.concatenate([r[2] for r in k_rows]),
                      "responded": np.concatenate([r[3] for r in k_rows])},
    }


def population(locale: str, options: dict) -> dict:
    """The true population parameters of office_supplies."""
    spec = OFFICE_SUPPLIES
    shock = pd.Timestamp(spec["shock"])
    return {
        "model": "Pareto/NBD",
        "time_unit": "week",
        "r": spec["r"],
        "alpha": spec["alpha"],
        "s": spec["s"],
        "beta": spec["beta"],
        "calibration_end": shock,
        "shock_date": shock,
        "shock_multiplier_regular": spec["shock_multiplier_regular"],
        "shock_multiplier_irregular": spec["shock_multiplier_irregular"],
        "gamma_gamma": {
            "p": spec["gg_p"],
            "q": spec["gg_q"],
            "gamma": spec["gg_gamma"],
            "currency": CURRENCY[locale]["code"],
        },
        "campaign_uplift": dict(spec["campaign_uplift"]),
        "note": (
            "r, alpha, s, beta (Pareto/NBD, rates per week) hold for every order before "
            "shock_date: fit a Pareto/NBD on the orders before calibration_end (times are "
            "to the second; several orders can fall on one day). From shock_date on, each "
            "live account's dropout rate is multiplied by the regular or irregular "
            "multiplier. Gamma-Gamma holds for every order amount (net of discount) over "
            "the whole horizon."
        ),
    }
