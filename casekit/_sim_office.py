"""office_supplies: a B2B office-supplies reseller (Reading 2)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from casekit import _engine as en
from casekit import _names
from casekit._specs import CURRENCY, OFFICE_SUPPLIES
from casekit._streams import Draws, case_key

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


_PER_CUSTOMER = ("lam", "mu", "mu_post", "nu", "died", "death")


def simulate(rng: np.random.Generator, n: int, locale: str, options: dict, *,
             block_size: int):
    """The tables, truth and identity of ``n`` accounts, a block of accounts at a time.

    A generator for :func:`casekit._cases.collect`: it yields ``("rows",
    {table: frame}, done)`` for each block of ``block_size`` accounts, then
    ``("end", result)``. Every number an account's events get comes from a
    stream keyed by the account, so the tables do not depend on ``block_size``.
    """
    spec = OFFICE_SUPPLIES
    start, end, shock = (pd.Timestamp(spec[k]) for k in ("start", "end", "shock"))
    horizon = float((end - start).days)
    pools = _names.draw_pools(rng, locale)

    # Who the customers are: acquisition (piecewise uniform by year with the
    # spec's weights), size band, account manager and usual channel.
    weights = np.asarray(spec["acquisition_weights"], dtype=float)
    year_edges = np.linspace(0.0, horizon, len(weights) + 1)
    year = rng.choice(len(weights), size=n, p=weights / weights.sum())
    acq = np.sort(year_edges[year] + rng.random(n) * np.diff(year_edges)[year])
    del year
    size_names = list(spec["size_bands"])
    size = rng.choice(len(size_names), n, p=list(spec["size_bands"].values()))
    n_managers = max(3, int(np.ceil(n / spec["customers_per_manager"])))
    manager_irregular = rng.random(n_managers) < spec["irregular_manager_share"]
    manager_rate = rng.uniform(*spec["discount_range"], n_managers)
    manager = rng.integers(0, n_managers, n)
    channels = list(spec["channels"])
    usual = rng.choice(len(channels), n, p=list(spec["channels"].values()))
    products, weight = _products(rng, spec, locale)
    key = case_key(rng)

    customer_id = en.ids(spec["prefix"], n)
    manager_id = en.ids("AM", n_managers)
    shared = {
        "acq": acq, "size": size, "size_names": size_names, "manager": manager,
        "irregular": manager_irregular[manager], "manager_rate": manager_rate, "usual": usual,
        "channels": channels, "weight": weight, "horizon": horizon,
        "shock": float((shock - start).days), "start": start,
        "customer_id": customer_id, "manager_id": manager_id,
        "product_id": products["product_id"].to_numpy(),
        "price": products["list_price"].to_numpy(), "cost": products["unit_cost"].to_numpy(),
    }
    kept: dict[str, list] = {name: [] for name in _PER_CUSTOMER}
    campaign_parts = []
    # The last id given so far in each event table: ids run on across blocks.
    last = {"orders": 0, "discounts": 0, "contacts": 0, "tickets": 0, "opportunities": 0}
    for lo in range(0, n, block_size):
        hi = min(lo + block_size, n)
        rows, customers, campaigns = _block(Draws(key, lo, hi), lo, hi, shared, last)
        for name in _PER_CUSTOMER:
            kept[name].append(customers[name])
        campaign_parts.append(campaigns)
        for table in last:
            last[table] += len(rows[table])
        yield ("rows", rows, hi)
    del shared

    def when(days):
        return en.to_dates(start, days, hours=spec["hours"])

    per_customer = {name: np.concatenate(kept.pop(name)) for name in _PER_CUSTOMER}
    k_campaign, k_owner, k_treated, k_responded = (
        np.concatenate([part[j] for part in campaign_parts]) for j in range(4))
    del campaign_parts
    order = np.lexsort((k_owner, k_campaign))
    k_campaign, k_owner = k_campaign[order], k_owner[order]
    days = np.asarray([pd.Timestamp(d) for d in spec["campaigns"]], dtype="datetime64[ns]")
    campaigns = pd.DataFrame({
        "campaign_id": en.pick([f"CMP-{k + 1:02d}" for k in range(len(days))], k_campaign),
        "customer_id": customer_id[k_owner],
        "group": np.where(k_treated[order], "treatment", "control"),
        "date": days[k_campaign],
        "responded": k_responded[order],
    }, copy=False)
    del k_campaign, k_owner, k_treated, k_responded, order

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
    died, death = per_customer["died"], per_customer["death"]
    truth = pd.DataFrame({
        "customer_id": customer_id,
        "acquisition_date": when(acq),
        "lambda_": per_customer["lam"],
        "mu": per_customer["mu"],
        "mu_after_shock": per_customer["mu_post"],
        "mean_order_value": spec["gg_p"] / per_customer["nu"],
        "irregular_contact": manager_irregular[manager],
        "alive": ~died,
        "churn_date": pd.to_datetime(
            np.where(died, when(np.nan_to_num(death)), np.datetime64("NaT"))
        ),
    })
    identity = pd.DataFrame({
        "customer_id": customer_id,
        "name": names,
        "company": company,
        "phone": phone,
        "email": email,
        "address": street,
        "city": city,
    })
    yield ("end", {
        "tables": {"companies": companies, "account_managers": managers, "products": products,
                   "campaigns": campaigns},
        "order": ["companies", "account_managers", "products", "orders", "order_lines",
                  "discounts", "contacts", "tickets", "opportunities", "campaigns"],
        "truth": truth, "identity": identity, "start": start, "end": end,
    })


def _block(d: Draws, lo: int, hi: int, shared: dict, last: dict):
    """The event rows of the customers ``lo`` to ``hi - 1``, drawn from ``d``.

    Returns the block's frames of the event tables (ids going on from
    ``last``), its per-customer values and its campaign rows (campaign,
    customer, treated, responded) as arrays.
    """
    spec = OFFICE_SUPPLIES
    n = hi - lo
    horizon, shock_t = shared["horizon"], shared["shock"]
    acq = shared["acq"][lo:hi]
    irregular = shared["irregular"][lo:hi]
    customer_id = shared["customer_id"][lo:hi]

    def when(days):
        return en.to_dates(shared["start"], days, hours=spec["hours"])

    lam_week = d.gamma("lambda", spec["r"], 1.0 / spec["alpha"])
    mu_week = d.gamma("mu", spec["s"], 1.0 / spec["beta"])
    mult = np.where(irregular, spec["shock_multiplier_irregular"],
                    spec["shock_multiplier_regular"])
    mu_post = mu_week * mult
    nu = d.gamma("nu", spec["gg_q"], 1.0 / spec["gg_gamma"])

    # Purchasing (Pareto/NBD): first order at acquisition, then Poisson orders
    # while alive; the lifetime is exponential with a dropout hazard that the
    # competitor shock multiplies, so an account can leave at any time.
    death = en.exponential_lifetimes(d, "lifetime", acq, mu_week / 7.0,
                                           np.full(n, shock_t), mu_post / 7.0)
    died = death < horizon
    death = np.where(died, death, np.nan)
    last_seen = np.where(died, death, horizon)
    o, t = en.poisson_events(d, "orders", lam_week / 7.0, acq, last_seen)
    owner = np.concatenate([np.arange(n), o])
    times = np.concatenate([acq, t])
    del o, t
    order = en.sort_events(owner, times)
    owner, times = owner[order], times[order]
    del order
    n_orders = len(owner)
    amount = np.maximum(en.money(d.gamma("amount", spec["gg_p"], 1.0 / nu[owner], owner)), 0.01)

    # Discount grants: one at signup, then occasional new grants; each order
    # gets the last grant at or before it.
    size = shared["size"][lo:hi]
    bonus = np.asarray([spec["discount_size_bonus"][s] for s in shared["size_names"]])[size]
    manager = shared["manager"][lo:hi]
    g_owner, g_time = en.poisson_events(
        d, "regrants", np.full(n, spec["discount_regrants_per_year"] / 365.25), acq, last_seen
    )
    g_owner = np.concatenate([np.arange(n), g_owner])
    g_time = np.concatenate([acq, g_time])
    order = en.sort_events(g_owner, g_time)
    g_owner, g_time = g_owner[order], g_time[order]
    g_rate = np.round(np.clip(shared["manager_rate"][manager[g_owner]] + bonus[g_owner]
                              + d.normal("grant rate", g_owner, scale=0.01), 0, 0.3), 3)
    first_grant = np.r_[True, g_owner[1:] != g_owner[:-1]]
    g_reason = np.where(first_grant, 0,
                        d.integers("grant reason", 1, len(spec["discount_reasons"]), g_owner))
    in_force = en.last_at_or_before(g_owner, g_time, owner, times)
    discount = g_rate[in_force]
    del in_force

    # Order lines: the net amount is split across lines in proportion to list value.
    price, cost = shared["price"], shared["cost"]
    n_lines = 1 + d.poisson("extra lines", spec["extra_lines_mean"], owner)
    l_order = en.owners(n_lines)
    l_owner = owner[l_order]
    sku = d.choice("sku", shared["weight"], l_owner)
    share = d.exponential("line share", l_owner)  # Gamma(1, 1)
    del l_owner
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
    stray = d.random("stray", owner) > spec["channel_loyalty"]
    channel = np.where(stray, d.integers("stray channel", 0, len(shared["channels"]), owner),
                       shared["usual"][lo:hi][owner])

    # Sales contacts: regular or irregular cadence by account manager, until
    # a while after the account silently leaves.
    c_end = np.minimum(np.where(died, death + spec["contact_after_dropout_days"], horizon),
                       horizon)
    r_owner, r_time = en.regular_events(
        d, "regular contacts", np.full(n, spec["contact_gap_regular"]),
        np.full(n, spec["contact_jitter_regular"]), acq, np.where(irregular, acq, c_end),
    )
    i_owner, i_time = en.poisson_events(
        d, "irregular contacts", np.where(irregular, 1.0 / spec["contact_gap_irregular"], 0.0),
        acq, c_end,
    )
    c_owner = np.concatenate([r_owner, i_owner])
    c_time = np.concatenate([r_time, i_time])
    order = en.sort_events(c_owner, c_time)
    c_owner, c_time = c_owner[order], c_time[order]
    c_kind = d.choice("contact type", list(spec["contact_types"].values()), c_owner)

    # Service tickets attached to orders.
    t_probs = np.asarray([v[0] for v in spec["tickets"].values()])
    t_order = np.flatnonzero(d.random("ticket", owner) < t_probs.sum())
    t_kind = d.choice("ticket type", t_probs, owner[t_order])
    t_time = times[t_order] + d.exponential("ticket delay", owner[t_order], 2.0)
    keep = t_time < horizon
    t_order, t_kind, t_time = t_order[keep], t_kind[keep], t_time[keep]
    t_owner = owner[t_order]
    medians = np.asarray([v[1] for v in spec["tickets"].values()])
    sigmas = np.asarray([v[2] for v in spec["tickets"].values()])
    hours = np.round(medians[t_kind] * np.exp(sigmas[t_kind]
                                              * d.normal("ticket hours", t_owner)), 1)
    resolved = d.random("ticket resolved", t_owner) < spec["ticket_resolved_share"]

    # Opportunity pipeline.
    p_owner, p_time = en.poisson_events(
        d, "opportunities", np.full(n, spec["opportunities_per_year"] / 365.25), acq, last_seen
    )
    close = p_time + d.exponential("days to close", p_owner, spec["opportunity_days_to_close"])
    stage = np.where(d.random("won", p_owner) < spec["opportunity_stages"]["won"], 0, 1)
    stage = np.where(close >= horizon,
                     2 + d.integers("open stage", 0, len(spec["open_stages"]), p_owner), stage)
    value = en.money(10 * spec["gg_p"] / nu[p_owner]
                     * np.exp(0.5 * d.normal("opportunity value", p_owner)))

    # Campaigns: random treatment and control among live accounts.
    k_rows = []
    for k, day in enumerate(spec["campaigns"]):
        t = float((pd.Timestamp(day) - pd.Timestamp(spec["start"])).days)
        live = (acq <= t) & ~(died & (death < t))
        target = np.flatnonzero(live & (d.random(f"campaign {k} target")
                                        < spec["campaign_target_share"]))
        treated = d.random(f"campaign {k} treated", target) < spec["campaign_treated_share"]
        seg = [shared["size_names"][s] for s in size[target]]
        base = np.asarray([spec["campaign_base_response"][s] for s in seg], dtype=float)
        lift = np.asarray([spec["campaign_uplift"][s] for s in seg], dtype=float)
        responded = d.random(f"campaign {k} response", target) < base + lift * treated
        k_rows.append((np.full(len(target), k, dtype=np.int8), lo + target, treated, responded))

    first = last["orders"]
    stage_names = ["won", "lost", *spec["open_stages"]]
    rows = {
        "orders": pd.DataFrame({
            "order_id": np.arange(first + 1, first + n_orders + 1, dtype=np.int64),
            "customer_id": customer_id[owner],
            "date": when(times),
            "amount": amount,
            "gross_margin": margin,
            "channel": en.pick(shared["channels"], channel),
            "discount_rate": discount,
            "n_lines": n_lines.astype(np.int8),
        }, copy=False),
        "order_lines": pd.DataFrame({
            # int32 halves the largest column; it merges with the int64 order ids as usual.
            "order_id": (first + l_order + 1).astype(np.int32),
            "line_no": line_no.astype(np.int8),
            "product_id": shared["product_id"][sku],
            "quantity": qty.astype(np.int32),
            "net_amount": net,
        }, copy=False),
        "discounts": pd.DataFrame({
            "discount_id": np.arange(last["discounts"] + 1,
                                     last["discounts"] + len(g_owner) + 1, dtype=np.int64),
            "customer_id": customer_id[g_owner],
            "manager_id": shared["manager_id"][manager[g_owner]],
            "date": when(g_time),
            "rate": g_rate,
            "reason": en.pick(spec["discount_reasons"], g_reason),
        }, copy=False),
        "contacts": pd.DataFrame({
            "contact_id": np.arange(last["contacts"] + 1, last["contacts"] + len(c_owner) + 1,
                                    dtype=np.int32),
            "customer_id": customer_id[c_owner],
            "date": when(c_time),
            "type": en.pick(list(spec["contact_types"]), c_kind),
        }, copy=False),
        "tickets": pd.DataFrame({
            "ticket_id": np.arange(last["tickets"] + 1, last["tickets"] + len(t_order) + 1,
                                   dtype=np.int64),
            "customer_id": customer_id[t_owner],
            "order_id": first + t_order + 1,
            "date": when(t_time),
            "type": en.pick(list(spec["tickets"]), t_kind),
            "handling_hours": np.maximum(hours, 0.1),
            "resolved": resolved,
        }, copy=False),
        "opportunities": pd.DataFrame({
            "opportunity_id": np.arange(last["opportunities"] + 1,
                                        last["opportunities"] + len(p_owner) + 1,
                                        dtype=np.int64),
            "customer_id": customer_id[p_owner],
            "manager_id": shared["manager_id"][manager[p_owner]],
            "created": when(p_time),
            "expected_close": when(close),
            "stage": en.pick(stage_names, stage),
            "expected_value": value,
        }, copy=False),
    }
    customers = {"lam": lam_week, "mu": mu_week, "mu_post": mu_post, "nu": nu,
                 "died": died, "death": death}
    campaigns = tuple(np.concatenate([r[j] for r in k_rows]) for j in range(4))
    return rows, customers, campaigns


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
