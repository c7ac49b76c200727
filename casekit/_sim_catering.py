"""catering: a restaurant's member programme (Reading 5, essay 6)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special

from casekit import _engine as en
from casekit import _names
from casekit._specs import CATERING

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


def simulate(rng: np.random.Generator, n: int, locale: str, options: dict,
             progress=None) -> dict:
    """The tables, truth and identity of ``n`` members.

    ``progress``, if given, is called with a short stage label after each
    major step.
    """
    spec = CATERING
    start, end = horizon(options)
    horizon_days = float((end - start).days)
    pools = _names.draw_pools(rng, locale)
    cats = list(spec["categories"])
    n_cat = len(cats)

    first = np.sort(rng.random(n) * horizon_days)
    lam_week = rng.gamma(spec["r"], 1.0 / spec["alpha"], n)
    mu_week = rng.gamma(spec["s"], 1.0 / spec["beta"], n)
    death = en.exponential_lifetimes(rng, first, mu_week / 7.0, np.full(n, np.inf),
                                     mu_week / 7.0)
    died = death < horizon_days
    o, t = en.poisson_events(rng, lam_week / 7.0, first, np.minimum(death, horizon_days))
    owner = np.concatenate([np.arange(n), o])
    times = np.concatenate([first, t])
    order = en.sort_events(owner, times)
    owner, times = owner[order], times[order]
    m = len(owner)
    visit_no = np.arange(m) - np.repeat(np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]]),
                                        np.bincount(owner, minlength=n)) + 1

    if progress is not None:
        progress("visits")
    base = np.log([v[0] for v in spec["categories"].values()])
    loadings = np.asarray(list(spec["taste_loadings"].values()), dtype=float)
    logits = (base + rng.standard_normal((n, loadings.shape[1])) @ loadings.T
              + spec["taste_noise"] * rng.standard_normal((n, n_cat)))
    taste = np.exp(logits - logits.max(axis=1, keepdims=True))
    taste /= taste.sum(axis=1, keepdims=True)
    delivery_p = rng.beta(*spec["delivery_beta"], n)
    mean_party = 1.0 + rng.gamma(spec["party_gamma"][0], spec["party_gamma"][1], n)

    u = rng.random(m)
    channel = np.where(u < spec["banquet_share"], 2,
                       np.where(rng.random(m) < delivery_p[owner], 1, 0))
    party = np.where(
        channel == 0,
        1 + rng.poisson(mean_party[owner] - 1.0),
        np.where(channel == 1, 1 + rng.poisson(spec["delivery_party_extra"], m),
                 spec["banquet_party"][0] + rng.poisson(spec["banquet_party"][1], m)),
    )
    n_dishes = np.where(
        channel == 0,
        party + rng.poisson(spec["dine_in_extra_dishes"], m),
        np.where(channel == 1, 1 + rng.poisson(spec["delivery_dishes_extra"], m),
                 spec["banquet_dishes"][0] + rng.poisson(spec["banquet_dishes"][1], m)),
    )
    # Each dish line: a category from the member's taste, then a dish in it.
    line_visit = en.owners(n_dishes)
    line_cat = en.choose_rows(rng, taste, owner[line_visit])
    menu = _menu(rng, locale)
    per_cat = len(menu) // n_cat
    popularity = 1.0 / np.arange(1, per_cat + 1) ** 0.7
    popularity /= popularity.sum()
    within = rng.choice(per_cat, size=len(line_visit), p=popularity)
    dish = line_cat * per_cat + within
    # Several guests choosing the same dish become one line with a quantity.
    tables_needed = np.ceil(party / 10.0).astype(np.int64)
    key = line_visit * len(menu) + dish
    key, qty = np.unique(key, return_counts=True)
    line_visit, dish = key // len(menu), key % len(menu)
    qty = np.where(channel[line_visit] == 2, tables_needed[line_visit], qty)
    price = menu["price"].to_numpy()[dish]
    line_amount = en.money(price * qty)
    line_cost = en.money(menu["food_cost"].to_numpy()[dish] * qty)
    amount = en.money(np.bincount(line_visit, line_amount, minlength=m))
    margin = en.money(amount - np.bincount(line_visit, line_cost, minlength=m))

    med, sig = spec["wait_dine_in"]
    wait = np.where(
        channel == 0,
        med * np.exp(sig * rng.standard_normal(m)) + spec["wait_per_guest"] * (party - 1),
        spec["wait_delivery"][0] * np.exp(spec["wait_delivery"][1] * rng.standard_normal(m)),
    )
    wait = np.where(channel == 2, np.nan, np.round(wait, 0))
    over = np.nan_to_num(wait - np.where(channel == 1, spec["wait_delivery"][0], med))
    stars = (spec["rating_mean"] - spec["rating_per_10_minutes"] * over / 10.0
             + spec["rating_noise"] * rng.standard_normal(m))
    rated = rng.random(m) < spec["rating_share"]
    rating = np.where(rated, np.clip(np.round(stars), 1, 5), np.nan)

    if progress is not None:
        progress("dishes")
    # Payments: frequent members may use stored value; regulars on the credit
    # decision date (enough visits in the 12 months before) are offered credit.
    frequent = visit_no >= spec["stored_value_after_visits"]
    decision = float((pd.Timestamp(spec["credit_decision"]) - start).days)
    recent = (times >= decision - 365.0) & (times < decision)
    regular = np.bincount(owner[recent], minlength=n) >= spec["regular_visits"]
    has_credit = regular & (rng.random(n) < spec["credit_take_up"])
    topup = frequent & (rng.random(m) < spec["stored_value_topup_share"])
    ever = np.maximum.accumulate(np.where(topup, np.arange(m), -1))
    topped = (ever >= 0) & (owner[np.maximum(ever, 0)] == owner)
    pay_names = [*spec["payments"], "stored value", "credit"]
    pay = rng.choice(len(spec["payments"]), m, p=list(spec["payments"].values()))
    pay = np.where(topped & (rng.random(m) < spec["stored_value_pay_share"]), 3, pay)
    pay = np.where(has_credit[owner] & (times >= decision)
                   & (rng.random(m) < spec["credit_pay_share"]), 4, pay)

    customer_id = en.ids(spec["prefix"], n)
    dates = en.to_dates(start, times, hours=spec["hours"])
    visits = pd.DataFrame({
        "order_id": np.arange(1, m + 1, dtype=np.int64),
        "customer_id": customer_id[owner],
        "date": dates,
        "amount": amount,
        "gross_margin": margin,
        "channel": en.pick(["dine-in", "delivery", "banquet"], channel),
        "party_size": party.astype(np.int64),
        "wait_minutes": wait,
        "rating": rating,
        "payment": en.pick(pay_names, pay),
    })
    items = pd.DataFrame({
        "order_id": line_visit + 1,
        "dish_id": menu["dish_id"].to_numpy()[dish],
        "quantity": qty.astype(np.int64),
        "price": price,
        "amount": line_amount,
    })
    values = np.asarray(spec["stored_value_topups"])
    topup_idx = np.flatnonzero(topup)
    sv = pd.DataFrame({
        "customer_id": customer_id[owner[topup_idx]],
        "date": dates[topup_idx],
        "kind": "top-up",
        "amount": values[rng.integers(0, len(values), len(topup_idx))],
    })
    credit = visits.loc[pay == 4, ["customer_id", "date", "amount"]]
    month_end = (credit["date"].dt.to_period("M").dt.to_timestamp(how="end").dt.normalize()
                 + pd.Timedelta(hours=12))
    settled = (credit.assign(date=month_end).groupby(["customer_id", "date"], sort=True)["amount"]
               .sum().reset_index())
    settled = settled[settled["date"] < end].assign(kind="credit settlement")
    stored_value = pd.concat([sv, settled[sv.columns]], ignore_index=True)
    stored_value = stored_value.sort_values(["date", "customer_id"], kind="stable")
    stored_value.insert(0, "entry_id", np.arange(1, len(stored_value) + 1, dtype=np.int64))
    stored_value = stored_value.reset_index(drop=True)
    stored_value["amount"] = en.money(stored_value["amount"])

    names = _names.person_names(pools, rng, n)
    street, city = _names.addresses(pools, rng, n)
    phone = _names.phones(pools, rng, n)
    email = _names.emails(pools, rng, n)
    members = pd.DataFrame({
        "customer_id": customer_id,
        "name": names,
        "phone": phone,
        "email": email,
        "address": street,
        "city": city,
        "join_date": dates[np.r_[0, np.cumsum(np.bincount(owner, minlength=n))[:-1]]],
        "credit_limit": np.where(has_credit, spec["credit_limit"], 0.0),
    })
    truth = pd.DataFrame({
        "customer_id": customer_id,
        "lambda_": lam_week,
        "mu": mu_week,
        "mean_party": mean_party,
        "delivery_propensity": delivery_p,
        **{f"taste_{c.replace(' ', '_').replace('-', '_')}": taste[:, k]
           for k, c in enumerate(cats)},
        "alive": ~died,
        "churn_date": pd.to_datetime(np.where(
            died, en.to_dates(start, np.where(died, death, 0.0), hours=spec["hours"]),
            np.datetime64("NaT"))),
    })
    identity = members[["customer_id", "name", "phone", "email", "address", "city"]]
    if progress is not None:
        progress("members and truth")
    return {
        "tables": {"members": members, "menu": menu, "visits": visits, "visit_items": items,
                   "stored_value": stored_value},
        "truth": truth,
        "identity": identity,
        "start": start,
        "end": end,
    }
