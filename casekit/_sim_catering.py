"""catering: a restaurant's member programme (Reading 5, essay 6)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special

from casekit import _engine as en
from casekit import _names
from casekit._specs import CATERING
from casekit._streams import Draws, case_key

# Eight dishes per category, English and Chinese names.
_DISHES = {
    "cold dishes": [
        ("Smashed cucumber", "拍黄瓜"), ("Sliced beef in chili oil", "夫妻肺片"),
        ("Drunken chicken", "醉鸡"), ("Century egg tofu", "皮蛋豆腐"),
        ("Wood-ear salad", "凉拌木耳"), ("Marinated duck tongue", "卤鸭舌"),
        ("Jellyfish salad", "凉拌海蜇"), ("Saliva chicken", "口水鸡"),
    ],
    "stir-fries": [
        ("Kung pao chicken", "宫保鸡丁"), ("Yu-xiang pork", "鱼香肉丝"),
        ("Twice-cooked pork", "回锅肉"), ("Tomato and egg", "番茄炒蛋"),
        ("Beef with peppers", "青椒牛肉"), ("Mapo tofu", "麻婆豆腐"),
        ("Sweet and sour pork", "糖醋里脊"), ("Cumin lamb", "孜然羊肉"),
    ],
    "braised and stewed": [
        ("Red-braised pork belly", "红烧肉"), ("Dongpo pork", "东坡肉"),
        ("Braised beef brisket", "红烧牛腩"), ("Three-cup chicken", "三杯鸡"),
        ("Braised pork ribs", "红烧排骨"), ("Lion's head meatballs", "狮子头"),
        ("Stewed chicken with mushrooms", "小鸡炖蘑菇"), ("Braised eggplant", "红烧茄子"),
    ],
    "seafood": [
        ("Steamed sea bass", "清蒸鲈鱼"), ("Boiled fish in chili", "水煮鱼"),
        ("Salt and pepper shrimp", "椒盐虾"), ("Garlic scallops", "蒜蓉扇贝"),
        ("Squirrel fish", "松鼠鳜鱼"), ("Crab with ginger", "姜葱炒蟹"),
        ("Braised yellow croaker", "红烧黄鱼"), ("Clams in broth", "花甲汤"),
    ],
    "meat and grill": [
        ("Peking duck", "北京烤鸭"), ("Char siu", "叉烧"),
        ("Roast lamb leg", "烤羊腿"), ("Cantonese roast goose", "烧鹅"),
        ("Grilled skewers", "烤串"), ("Crispy chicken", "脆皮鸡"),
        ("Black pepper steak", "黑椒牛排"), ("Spare ribs", "烤排骨"),
    ],
    "vegetables": [
        ("Garlic bok choy", "蒜蓉小白菜"), ("Dry-fried green beans", "干煸四季豆"),
        ("Stir-fried lettuce", "清炒生菜"), ("Hot and sour potato", "酸辣土豆丝"),
        ("Broccoli with garlic", "蒜蓉西兰花"), ("Di san xian", "地三鲜"),
        ("Water spinach", "炒空心菜"), ("Stir-fried cabbage", "手撕包菜"),
    ],
    "soups": [
        ("Hot and sour soup", "酸辣汤"), ("Corn and pork rib soup", "玉米排骨汤"),
        ("Seaweed egg soup", "紫菜蛋花汤"), ("Winter melon soup", "冬瓜汤"),
        ("Fish head tofu soup", "鱼头豆腐汤"), ("West Lake beef soup", "西湖牛肉羹"),
        ("Chicken soup", "老母鸡汤"), ("Tomato egg soup", "番茄蛋汤"),
    ],
    "noodles and rice": [
        ("Yangzhou fried rice", "扬州炒饭"), ("Dan dan noodles", "担担面"),
        ("Beef noodle soup", "牛肉面"), ("Pork dumplings", "猪肉水饺"),
        ("Scallion pancake", "葱油饼"), ("Steamed buns", "小笼包"),
        ("Chow mein", "炒面"), ("Steamed rice", "米饭"),
    ],
    "desserts and drinks": [
        ("Mango pomelo sago", "杨枝甘露"), ("Sesame balls", "芝麻球"),
        ("Red bean soup", "红豆沙"), ("Egg tarts", "蛋挞"),
        ("Jasmine tea", "茉莉花茶"), ("Soy milk", "豆浆"),
        ("Plum juice", "酸梅汤"), ("Almond jelly", "杏仁豆腐"),
    ],
}

OPTIONS: dict = {}


def horizon(options: dict) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Start and end of the observation horizon."""
    return pd.Timestamp(CATERING["start"]), pd.Timestamp(CATERING["end"])


def return_rate(spec=CATERING) -> float:
    """Share of new members who visit again within ``return_weeks`` weeks.

    A member with rates lambda and mu comes back within t weeks with
    probability lambda / (lambda + mu) * (1 - exp(-(lambda + mu) t)); the
    mean over the two gamma distributions is taken by generalised
    Gauss-Laguerre quadrature.
    """
    t = spec["return_weeks"]
    y, wy = special.roots_genlaguerre(80, spec["r"] - 1.0)
    z, wz = special.roots_genlaguerre(80, spec["s"] - 1.0)
    lam = y[:, None] / spec["alpha"]
    mu = z[None, :] / spec["beta"]
    both = lam + mu
    inner = lam / both * -np.expm1(-both * t)
    weights = np.outer(wy, wz) / (special.gamma(spec["r"]) * special.gamma(spec["s"]))
    return float((weights * inner).sum())


def taste_covariance(spec=CATERING) -> np.ndarray:
    """Covariance of the members' taste log-odds across the dish categories."""
    loadings = np.asarray(list(spec["taste_loadings"].values()), dtype=float)
    return loadings @ loadings.T + spec["taste_noise"] ** 2 * np.eye(len(loadings))


def population(locale: str, options: dict) -> dict:
    """The true population parameters of catering."""
    spec = CATERING
    cats = spec["categories"]
    return {
        "model": "Pareto/NBD",
        "time_unit": "week",
        "r": spec["r"],
        "alpha": spec["alpha"],
        "s": spec["s"],
        "beta": spec["beta"],
        "taste": {
            "model": "logistic-normal",
            "categories": list(cats),
            "mean_log_odds": [float(np.log(v[0])) for v in cats.values()],
            "loadings": [list(v) for v in spec["taste_loadings"].values()],
            "noise_sd": spec["taste_noise"],
        },
        "first_visit_return_rate": round(return_rate(spec), 4),
        "return_weeks": spec["return_weeks"],
        "note": (
            "Visits follow Pareto/NBD exactly from each member's first visit (the join date) "
            "to the end of the horizon; first visits are spread uniformly over the horizon. "
            "The bill is the sum of the dishes ordered, so it is not Gamma-Gamma. Taste "
            "shares are the softmax of mean_log_odds + loadings @ z + noise_sd * e with z "
            "and e standard normal."
        ),
    }


def _menu(rng, locale):
    spec = CATERING
    rows = []
    for name, (_, median, food_cost) in spec["categories"].items():
        dishes = _DISHES[name]
        price = np.round(median * np.exp(0.3 * rng.standard_normal(len(dishes))), 0)
        price = np.maximum(price, 1.0)
        ratio = np.clip(food_cost + 0.04 * rng.standard_normal(len(dishes)), 0.15, 0.6)
        rows.append(pd.DataFrame({
            "name": [d[1] if locale == "zh_CN" else d[0] for d in dishes],
            "category": name,
            "price": price,
            "food_cost": en.money(price * ratio),
        }))
    menu = pd.concat(rows, ignore_index=True)
    menu.insert(0, "dish_id", [f"D{i:02d}" for i in range(1, len(menu) + 1)])
    return menu


def simulate(rng: np.random.Generator, n: int, locale: str, options: dict, *,
             block_size: int):
    """The tables, truth and identity of ``n`` members, a block of members at a time.

    A generator: the menu, the join dates and the members' names are drawn
    for everyone from ``rng``; then every block of ``block_size`` members
    draws its visits from numbers keyed by the member (:class:`Draws`), so
    the rows do not depend on the block size. Yields
    ``("rows", {table: frame}, members_done)`` per block and finally
    ``("end", result)``.
    """
    spec = CATERING
    start, end = horizon(options)
    horizon_days = float((end - start).days)
    pools = _names.draw_pools(rng, locale)
    cats = list(spec["categories"])
    first = np.sort(rng.random(n) * horizon_days)
    menu = _menu(rng, locale)
    customer_id = en.ids(spec["prefix"], n)
    names = _names.person_names(pools, rng, n)
    street, city = _names.addresses(pools, rng, n)
    phone = _names.phones(pools, rng, n)
    email = _names.emails(pools, rng, n)
    key = case_key(rng)

    kept = {
        "lambda_": np.empty(n), "mu": np.empty(n), "mean_party": np.empty(n),
        "delivery_propensity": np.empty(n), "death": np.empty(n),
        "taste": np.empty((n, len(cats))), "has_credit": np.zeros(n, dtype=bool),
    }
    order_id = entry_id = 0
    for lo in range(0, n, block_size):
        hi = min(lo + block_size, n)
        rows, block = _block(Draws(key, lo, hi), first[lo:hi], customer_id[lo:hi], menu,
                             horizon_days, start, end)
        for name, values in block.items():
            kept[name][lo:hi] = values
        rows["visits"]["order_id"] += order_id
        rows["visit_items"]["order_id"] += order_id
        rows["stored_value"]["entry_id"] += entry_id
        order_id += len(rows["visits"])
        entry_id += len(rows["stored_value"])
        yield ("rows", rows, hi)

    members = pd.DataFrame({
        "customer_id": customer_id,
        "name": names,
        "phone": phone,
        "email": email,
        "address": street,
        "city": city,
        "join_date": en.to_dates(start, first, hours=spec["hours"]),
        "credit_limit": np.where(kept["has_credit"], spec["credit_limit"], 0.0),
    })
    death = kept["death"]
    died = death < horizon_days
    truth = pd.DataFrame({
        "customer_id": customer_id,
        **{name: kept[name] for name in ("lambda_", "mu", "mean_party", "delivery_propensity")},
        **{f"taste_{c.replace(' ', '_').replace('-', '_')}": kept["taste"][:, k]
           for k, c in enumerate(cats)},
        "alive": ~died,
        "churn_date": pd.to_datetime(np.where(
            died, en.to_dates(start, np.where(died, death, 0.0), hours=spec["hours"]),
            np.datetime64("NaT"))),
    })
    identity = members[["customer_id", "name", "phone", "email", "address", "city"]]
    yield ("end", {
        "tables": {"members": members, "menu": menu},
        "order": ["members", "menu", "visits", "visit_items", "stored_value"],
        "truth": truth,
        "identity": identity,
        "start": start,
        "end": end,
    })


def _block(d: Draws, first, customer_id, menu, horizon_days, start, end):
    """One block's visits, dish lines and stored-value entries, numbered from 1.

    Returns the rows and the members' latent values that go into the truth.
    """
    spec = CATERING
    n = d.n
    n_cat = len(spec["categories"])
    lam_week = d.gamma("lambda", spec["r"], 1.0 / spec["alpha"])
    mu_week = d.gamma("mu", spec["s"], 1.0 / spec["beta"])
    death = en.exponential_lifetimes(d, "lifetime", first, mu_week / 7.0,
                                           np.full(n, np.inf), mu_week / 7.0)
    o, t = en.poisson_events(d, "repeat visits", lam_week / 7.0, first,
                                   np.minimum(death, horizon_days))
    owner = np.concatenate([np.arange(n), o])
    times = np.concatenate([first, t])
    order = np.lexsort((times, owner))
    owner, times = owner[order], times[order]
    m = len(owner)
    visit_no = np.arange(m) - np.repeat(np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]]),
                                        np.bincount(owner, minlength=n)) + 1

    base = np.log([v[0] for v in spec["categories"].values()])
    loadings = np.asarray(list(spec["taste_loadings"].values()), dtype=float)
    factors = np.column_stack([d.normal(f"taste {j}") for j in range(loadings.shape[1])])
    noise = np.column_stack([d.normal(f"taste noise {k}") for k in range(n_cat)])
    logits = base + factors @ loadings.T + spec["taste_noise"] * noise
    taste = np.exp(logits - logits.max(axis=1, keepdims=True))
    taste /= taste.sum(axis=1, keepdims=True)
    delivery_p = d.beta("delivery propensity", *spec["delivery_beta"])
    mean_party = 1.0 + d.gamma("mean party", spec["party_gamma"][0], spec["party_gamma"][1])

    channel = np.where(d.random("banquet", owner) < spec["banquet_share"], 2,
                       np.where(d.random("delivery", owner) < delivery_p[owner], 1, 0))
    dine, deliv, banquet = (np.flatnonzero(channel == k) for k in range(3))
    party = np.empty(m, dtype=np.int64)
    party[dine] = 1 + d.poisson("party dine-in", mean_party[owner[dine]] - 1.0, owner[dine])
    party[deliv] = 1 + d.poisson("party delivery", spec["delivery_party_extra"], owner[deliv])
    party[banquet] = (spec["banquet_party"][0]
                      + d.poisson("party banquet", spec["banquet_party"][1], owner[banquet]))
    n_dishes = np.empty(m, dtype=np.int64)
    n_dishes[dine] = party[dine] + d.poisson("dishes dine-in", spec["dine_in_extra_dishes"],
                                             owner[dine])
    n_dishes[deliv] = 1 + d.poisson("dishes delivery", spec["delivery_dishes_extra"],
                                    owner[deliv])
    n_dishes[banquet] = (spec["banquet_dishes"][0]
                         + d.poisson("dishes banquet", spec["banquet_dishes"][1], owner[banquet]))
    # Each dish line: a category from the member's taste, then a dish in it.
    line_visit = en.owners(n_dishes)
    line_cat = d.choose_rows("dish category", taste, owner[line_visit])
    per_cat = len(menu) // n_cat
    popularity = 1.0 / np.arange(1, per_cat + 1) ** 0.7
    popularity /= popularity.sum()
    within = d.choice("dish in category", popularity, owner[line_visit])
    dish = line_cat * per_cat + within
    # Several guests choosing the same dish become one line with a quantity.
    tables_needed = np.ceil(party / 10.0).astype(np.int64)
    line_key, qty = np.unique(line_visit * len(menu) + dish, return_counts=True)
    line_visit, dish = line_key // len(menu), line_key % len(menu)
    qty = np.where(channel[line_visit] == 2, tables_needed[line_visit], qty)
    price = menu["price"].to_numpy()[dish]
    line_amount = en.money(price * qty)
    line_cost = en.money(menu["food_cost"].to_numpy()[dish] * qty)
    amount = en.money(np.bincount(line_visit, line_amount, minlength=m))
    margin = en.money(amount - np.bincount(line_visit, line_cost, minlength=m))

    med, sig = spec["wait_dine_in"]
    wait = np.full(m, np.nan)
    wait[dine] = np.round(med * np.exp(sig * d.normal("wait dine-in", owner[dine]))
                          + spec["wait_per_guest"] * (party[dine] - 1), 0)
    wait[deliv] = np.round(spec["wait_delivery"][0] * np.exp(
        spec["wait_delivery"][1] * d.normal("wait delivery", owner[deliv])), 0)
    over = np.nan_to_num(wait - np.where(channel == 1, spec["wait_delivery"][0], med))
    stars = (spec["rating_mean"] - spec["rating_per_10_minutes"] * over / 10.0
             + spec["rating_noise"] * d.normal("rating", owner))
    rated = d.random("rated", owner) < spec["rating_share"]
    rating = np.where(rated, np.clip(np.round(stars), 1, 5), np.nan)

    # Payments: frequent members may use stored value; regulars on the credit
    # decision date (enough visits in the 12 months before) are offered credit.
    frequent = visit_no >= spec["stored_value_after_visits"]
    decision = float((pd.Timestamp(spec["credit_decision"]) - start).days)
    recent = (times >= decision - 365.0) & (times < decision)
    regular = np.bincount(owner[recent], minlength=n) >= spec["regular_visits"]
    has_credit = regular & (d.random("credit take-up") < spec["credit_take_up"])
    topup = frequent & (d.random("top-up", owner) < spec["stored_value_topup_share"])
    ever = np.maximum.accumulate(np.where(topup, np.arange(m), -1))
    topped = (ever >= 0) & (owner[np.maximum(ever, 0)] == owner)
    pay_names = [*spec["payments"], "stored value", "credit"]
    pay = d.choice("payment", list(spec["payments"].values()), owner)
    pay = np.where(topped & (d.random("stored value pay", owner)
                             < spec["stored_value_pay_share"]), 3, pay)
    pay = np.where(has_credit[owner] & (times >= decision)
                   & (d.random("credit pay", owner) < spec["credit_pay_share"]), 4, pay)

    dates = en.to_dates(start, times, hours=spec["hours"])
    # One array per column (copy=False): collect frees each column's pieces as it joins them.
    visits = pd.DataFrame({
        "order_id": np.arange(1, m + 1, dtype=np.int64),
        "customer_id": customer_id[owner],
        "date": dates,
        "amount": amount,
        "gross_margin": margin,
        "channel": en.pick(["dine-in", "delivery", "banquet"], channel),
        "party_size": party,
        "wait_minutes": wait,
        "rating": rating,
        "payment": en.pick(pay_names, pay),
    }, copy=False)
    items = pd.DataFrame({
        "order_id": line_visit + 1,
        "dish_id": menu["dish_id"].to_numpy()[dish],
        "quantity": qty.astype(np.int64),
        "price": price,
        "amount": line_amount,
    }, copy=False)
    rows = {"visits": visits, "visit_items": items,
            "stored_value": _stored_value(d, owner, dates, amount, topup, pay == 4,
                                          customer_id, end)}
    return rows, {"lambda_": lam_week, "mu": mu_week, "mean_party": mean_party,
                  "delivery_propensity": delivery_p, "death": death, "taste": taste,
                  "has_credit": has_credit}


def _stored_value(d: Draws, owner, dates, amount, topup, on_credit, customer_id, end):
    """Top-ups and monthly credit settlements, by member then date, numbered from 1.

    A month's credit visits are settled at noon on its last day, if that is
    before the end of the horizon.
    """
    values = np.asarray(CATERING["stored_value_topups"])
    top = np.flatnonzero(topup)
    top_amount = values[d.integers("top-up amount", 0, len(values), owner[top])]
    credit = np.flatnonzero(on_credit)
    month = dates[credit].astype("datetime64[M]")
    # owner and month both grow along the credit visits, so one key groups them in order.
    group = np.r_[True, (owner[credit][1:] != owner[credit][:-1])
                  | (month[1:] != month[:-1])] if len(credit) else np.zeros(0, dtype=bool)
    starts = np.flatnonzero(group)
    settle_owner = owner[credit][starts]
    settle_date = ((month[starts] + 1).astype("datetime64[D]") - np.timedelta64(1, "D")
                   + np.timedelta64(12, "h")).astype("datetime64[ns]")
    settle_amount = np.add.reduceat(amount[credit], starts) if len(starts) else np.zeros(0)
    due = settle_date < np.datetime64(end)
    who = np.concatenate([owner[top], settle_owner[due]])
    date = np.concatenate([dates[top], settle_date[due]])
    order = np.lexsort((date, who))
    kind = en.pick(["top-up", "credit settlement"],
                   np.r_[np.zeros(len(top), dtype=np.int64), np.ones(due.sum(), dtype=np.int64)])
    return pd.DataFrame({
        "entry_id": np.arange(1, len(who) + 1, dtype=np.int64),
        "customer_id": customer_id[who[order]],
        "date": date[order],
        "kind": kind[order],
        "amount": en.money(np.concatenate([top_amount, settle_amount[due]])[order]),
    }, copy=False)
