"""Data cards: what each table and column means, the model behind it and its quirks.

The card is rendered from the specs, so the numbers it states are the numbers
the generator uses.  ``datasets/<case>.md`` holds the card of the default
dataset; a test checks that the file matches :func:`render`.  The ``zh_CN``
card is this English card translated line by line (``casekit._cards_zh``), so
that both state the same numbers.
"""

from __future__ import annotations

from casekit import _cards_zh, _sim_catering, _sim_insurance
from casekit._specs import CATERING, CURRENCY, DEFAULTS, INSURANCE, OFFICE_SUPPLIES, UTILITY

_TX = "Also the unified `case.transactions` view (order_id, customer_id, date, amount, " \
      "gross_margin, channel)."

# Column documentation: table -> (description, [(column, meaning)]).
COLUMNS = {
    "office_supplies": {
        "companies": ("One row per business customer (account).", [
            ("customer_id", "account id, `OS-00001`, in order of first order"),
            ("company", "company name (a repeated name gets its branch city)"),
            ("industry", "industry of the customer"),
            ("size_band", "small / medium / large; the campaign segment"),
            ("employees", "head count"),
            ("contact_name", "purchasing contact"),
            ("phone", "phone in the locale's format"),
            ("email", "contact e-mail"),
            ("address", "street address"),
            ("city", "city"),
            ("manager_id", "account manager in charge"),
            ("first_order_date", "date of the first order (the account's start)"),
        ]),
        "account_managers": ("The sales force.", [
            ("manager_id", "account manager id, `AM-00001`"),
            ("name", "name"),
            ("team", "sales team"),
        ]),
        "products": ("The catalogue.", [
            ("product_id", "SKU id"),
            ("name", "product name"),
            ("category", "product category"),
            ("list_price", "list price per unit, {cur}"),
            ("unit_cost", "cost of goods per unit, {cur}"),
        ]),
        "orders": ("One row per order. " + _TX, [
            ("order_id", "order number (integer)"),
            ("customer_id", "account"),
            ("date", "order time, to the second, business hours"),
            ("amount", "revenue net of discount, {cur}"),
            ("gross_margin", "amount minus cost of goods of the lines, {cur}"),
            ("channel", "account manager / web shop / phone / EDI"),
            ("discount_rate", "discount in force for the account when ordering (0.05 = 5%)"),
            ("n_lines", "number of order lines"),
        ]),
        "order_lines": ("Order lines.", [
            ("order_id", "order"),
            ("line_no", "line number within the order"),
            ("product_id", "SKU"),
            ("quantity", "units"),
            ("net_amount", "revenue of the line after discount, {cur}; lines sum to the "
             "order amount; list price and unit cost are in `products`"),
        ]),
        "discounts": ("Discounts granted by account managers (invisible to the service desk "
                      "in the firm of the office-supplies article, Reading 2).", [
            ("discount_id", "grant number"),
            ("customer_id", "account"),
            ("manager_id", "who granted it"),
            ("date", "when it took effect"),
            ("rate", "discount on list price (0.05 = 5%)"),
            ("reason", "signup / volume / retention / price match"),
        ]),
        "contacts": ("Contact history of the sales force (by the account's manager).", [
            ("contact_id", "contact number"),
            ("customer_id", "account"),
            ("date", "time of contact"),
            ("type", "visit / phone / email"),
        ]),
        "tickets": ("Service tickets, each about an order.", [
            ("ticket_id", "ticket number"),
            ("customer_id", "account"),
            ("order_id", "order concerned"),
            ("date", "time opened"),
            ("type", "stock-out / broken delivery promise / billing query / damaged delivery "
             "/ wrong item"),
            ("handling_hours", "staff time spent, hours"),
            ("resolved", "closed to the customer's satisfaction"),
        ]),
        "opportunities": ("The sales pipeline.", [
            ("opportunity_id", "opportunity number"),
            ("customer_id", "account"),
            ("manager_id", "account manager"),
            ("created", "when it was logged"),
            ("expected_close", "expected or actual close date"),
            ("stage", "prospect / qualified / proposal (open), won, lost"),
            ("expected_value", "value if won, {cur}"),
        ]),
        "campaigns": ("Marketing campaigns with a random control group; join `companies` "
                      "for the segment.", [
            ("campaign_id", "campaign"),
            ("customer_id", "targeted account"),
            ("group", "treatment (got the offer) or control (held out at random)"),
            ("date", "campaign date"),
            ("responded", "responded within the campaign window"),
        ]),
    },
    "insurance": {
        "holders": ("One row per policyholder.", [
            ("customer_id", "holder id, `PH-00001`, in order of joining"),
            ("name", "name"),
            ("birth_year", "year of birth"),
            ("phone", "phone in the locale's format"),
            ("email", "e-mail"),
            ("address", "street address"),
            ("city", "city"),
            ("branch", "branch that settles the holder's claims"),
            ("channel", "agent / bank / online"),
            ("since", "date of the first policy"),
            ("cohort", "year of the first policy (acquisition cohort)"),
        ]),
        "policies": ("One row per policy; a holder can own several.", [
            ("policy_id", "policy id"),
            ("customer_id", "holder"),
            ("product", "auto / health / life / property"),
            ("channel", "channel that sold it"),
            ("start_date", "first day of cover"),
            ("end_date", "lapse date (NaT while in force)"),
            ("annual_premium", "premium in the first year, {cur}"),
            ("status", "active / lapsed"),
        ]),
        "premiums": ("One row per annual premium payment. " + _TX, [
            ("order_id", "payment number (integer)"),
            ("customer_id", "holder"),
            ("policy_id", "policy"),
            ("date", "date paid (start of the policy year)"),
            ("amount", "premium, {cur}"),
            ("gross_margin", "premium minus expected claims and expenses, {cur}"),
            ("channel", "channel of the holder"),
            ("policy_year", "1 for the first year of the policy, 2 for the first renewal, ..."),
        ]),
        "renewals": ("One row per renewal date reached: renewals and lapses.", [
            ("customer_id", "holder"),
            ("renewal_date", "anniversary of the holder's first policy"),
            ("renewal_number", "1 for the first renewal date, ..."),
            ("renewed", "True if the holder renewed, False if all policies lapsed"),
        ]),
        "claims": ("Claims with their settlement.", [
            ("claim_id", "claim number"),
            ("policy_id", "policy"),
            ("customer_id", "holder"),
            ("date", "date reported"),
            ("claimed_amount", "amount claimed, {cur}"),
            ("paid_amount", "amount paid, {cur} (NaN if denied or open)"),
            ("settlement_days", "days from report to settlement (NaN while open)"),
            ("status", "paid / denied / open"),
            ("disputed", "the holder disputed the settlement"),
        ]),
        "complaints": ("Complaints and disputes.", [
            ("complaint_id", "complaint number"),
            ("customer_id", "holder"),
            ("date", "date received"),
            ("type", "claim delay / pricing / service attitude / mis-selling / billing"),
            ("escalated", "escalated to a formal dispute"),
            ("days_to_resolve", "days until closed"),
        ]),
        "reminders": ("Renewal reminders.", [
            ("reminder_id", "reminder number"),
            ("customer_id", "holder"),
            ("date", "date sent"),
            ("renewal_date", "renewal it announces"),
            ("channel", "agent call / sms / letter / app"),
        ]),
        "surveys": ("Satisfaction surveys of a quarter of holders a year.", [
            ("survey_id", "survey number"),
            ("customer_id", "holder"),
            ("date", "date answered"),
            ("satisfaction", "score 0-10"),
        ]),
    },
    "utility": {
        "accounts": ("One row per electricity account.", [
            ("customer_id", "account id, `EL-00001`, in order of opening"),
            ("name", "person (residential) or company name"),
            ("segment", "residential / commercial / industrial"),
            ("tariff_id", "tariff (see `tariffs`)"),
            ("area", "supply area (feeder); outages are per area"),
            ("address", "supply address"),
            ("city", "city"),
            ("phone", "phone in the locale's format"),
            ("email", "e-mail"),
            ("bill_delivery", "e-bill / paper"),
            ("payment_method", "direct debit / bank transfer / app / counter"),
            ("start_date", "account opened"),
            ("end_date", "account closed (NaT while open)"),
            ("end_reason", "move-out / switch (to another supplier); None while open"),
        ]),
        "tariffs": ("Tariffs.", [
            ("tariff_id", "tariff id"),
            ("segment", "account type it applies to"),
            ("plan", "standard / fixed price / green"),
            ("price_per_kwh", "energy price, {cur} per kWh"),
            ("fixed_monthly", "fixed charge, {cur} per month"),
        ]),
        "bills": ("One row per monthly bill. " + _TX, [
            ("order_id", "bill number (integer)"),
            ("customer_id", "account"),
            ("date", "bill date: the last day of the month, or the closing date"),
            ("amount", "amount billed, {cur}"),
            ("gross_margin", "amount minus energy and network cost, {cur}"),
            ("channel", "e-bill / paper"),
            ("kwh", "consumption billed, kWh"),
            ("previous_balance", "unpaid arrears carried into the bill, {cur}"),
            ("final_bill", "the closing bill of the account"),
        ]),
        "payments": ("Payments.", [
            ("payment_id", "payment number"),
            ("customer_id", "account"),
            ("bill_id", "bill paid (order_id in `bills`); missing for a payment that "
             "clears arrears"),
            ("date", "date paid"),
            ("amount", "amount paid, {cur}"),
            ("method", "payment method"),
            ("clears_arrears", "pays off the whole arrears balance"),
        ]),
        "meter_reads": ("Monthly meter reads.", [
            ("read_id", "read number"),
            ("customer_id", "account"),
            ("date", "read date"),
            ("meter_reading", "meter index, kWh"),
            ("read_type", "actual / estimated"),
        ]),
        "arrears_notices": ("Notices to accounts in arrears.", [
            ("notice_id", "notice number"),
            ("customer_id", "account"),
            ("date", "date sent"),
            ("kind", "reminder (small arrears, handled leniently) / disconnection warning"),
        ]),
        "outages": ("Power outages by supply area.", [
            ("outage_id", "outage number"),
            ("area", "supply area"),
            ("start", "start time"),
            ("duration_minutes", "duration, minutes"),
            ("cause", "weather / equipment failure / planned work / third-party damage"),
        ]),
        "complaints": ("Complaints.", [
            ("complaint_id", "complaint number"),
            ("customer_id", "account"),
            ("date", "time received"),
            ("type", "outage / billing / meter reading / customer service"),
        ]),
        "surveys": ("June satisfaction surveys of a fifth of open accounts.", [
            ("survey_id", "survey number"),
            ("customer_id", "account"),
            ("date", "date answered"),
            ("satisfaction", "score 1-10"),
        ]),
    },
    "catering": {
        "members": ("One row per member of the restaurant's programme.", [
            ("customer_id", "member id, `CM-00001`, in order of joining"),
            ("name", "name"),
            ("phone", "phone in the locale's format"),
            ("email", "e-mail"),
            ("address", "address"),
            ("city", "city"),
            ("join_date", "time of the first visit"),
            ("credit_limit", "credit line for regulars, {cur} (0 if none)"),
        ]),
        "menu": ("The menu.", [
            ("dish_id", "dish id"),
            ("name", "dish"),
            ("category", "dish category (the taste dimensions)"),
            ("price", "menu price, {cur}"),
            ("food_cost", "ingredient cost per portion, {cur}"),
        ]),
        "visits": ("One row per visit or order. " + _TX, [
            ("order_id", "visit number (integer)"),
            ("customer_id", "member"),
            ("date", "time of the visit, opening hours"),
            ("amount", "bill, the sum of the dishes, {cur}"),
            ("gross_margin", "bill minus food cost, {cur}"),
            ("channel", "dine-in / delivery / banquet"),
            ("party_size", "guests"),
            ("wait_minutes", "minutes waited for a table and first dish (dine-in) or for "
             "the rider (delivery); NaN for banquets"),
            ("rating", "stars 1-5 if the member rated the visit, else NaN"),
            ("payment", "card / mobile / cash / stored value / credit"),
        ]),
        "visit_items": ("Dishes ordered.", [
            ("order_id", "visit"),
            ("dish_id", "dish"),
            ("quantity", "portions (for a banquet: one per table of ten)"),
            ("price", "menu price, {cur}"),
            ("amount", "price times quantity, {cur}"),
        ]),
        "stored_value": ("Stored-value top-ups and monthly credit settlements of regulars.", [
            ("entry_id", "entry number"),
            ("customer_id", "member"),
            ("date", "time"),
            ("kind", "top-up / credit settlement"),
            ("amount", "{cur}"),
        ]),
    },
}

TRUTH = {
    "office_supplies": [
        ("acquisition_date", "time of the first order"),
        ("lambda_", "order rate per week while alive"),
        ("mu", "dropout rate per week before the competitor shock (mean lifetime 1 / mu "
         "weeks)"),
        ("mu_after_shock", "dropout rate per week from the competitor shock on"),
        ("mean_order_value", "expected order amount, {cur} (Gamma-Gamma p / nu)"),
        ("irregular_contact", "the account manager visits irregularly"),
    ],
    "insurance": [
        ("primary_product", "product of the first policy"),
        ("theta_base", "yearly lapse probability before service effects"),
        ("theta", "yearly lapse probability after them"),
        ("slow_branch", "the holder's branch settles claims slowly"),
        ("complaint_prone", "the holder complains readily"),
        ("unreminded", "the agent usually sends no renewal reminder"),
        ("satisfaction_latent", "standard-normal satisfaction behind the survey scores"),
    ],
    "utility": [
        ("base_kwh", "typical monthly consumption, kWh"),
        ("late_payer", "chance of missing a bill"),
        ("satisfaction_latent", "standard-normal satisfaction"),
        ("move_out_hazard", "base monthly hazard of moving out"),
        ("switch_hazard", "base monthly hazard of switching (0 when regulated)"),
        ("churn_reason", "move-out / switch"),
    ],
    "catering": [
        ("lambda_", "visit rate per week while alive"),
        ("mu", "dropout rate per week (mean lifetime 1 / mu weeks)"),
        ("mean_party", "typical dine-in party size"),
        ("delivery_propensity", "chance a visit is a delivery order (outside banquets)"),
        ("taste_<category>", "share of dishes the member picks from each category "
         "(sums to 1); drives which dishes are ordered"),
    ],
}

TITLES = {
    "office_supplies": "office_supplies: a B2B office-supplies reseller",
    "insurance": "insurance: a multi-line insurer with annual renewal",
    "utility": "utility: an electricity retailer",
    "catering": "catering: a restaurant's member programme",
}


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _model_office(cur: str, options: dict) -> list[str]:
    s = OFFICE_SUPPLIES
    act = s["stated_activity"]
    churn = s["stated_churn"]
    ab_accounts = act["A"]["customers"] + act["B"]["customers"]
    ab_revenue = act["A"]["revenue"] + act["B"]["revenue"]
    return [
        "Non-contractual, continuous (the office-supplies article, Reading 2). Each account "
        "places its first order on its start date, then orders as a Poisson process with "
        f"rate lambda per week, lambda ~ Gamma(r={s['r']}, alpha={s['alpha']}), for as long "
        "as it stays. Its lifetime is exponential with dropout rate mu per week, mu ~ "
        f"Gamma(s={s['s']}, beta={s['beta']}), drawn independently of lambda: the Pareto/NBD "
        "model. An account can therefore leave at any moment, before its second order too, "
        "and nothing in the orders announces it. Order amounts net of discount are "
        f"Gamma-Gamma: amount ~ Gamma(p={s['gg_p']}, nu), nu ~ Gamma(q={s['gg_q']}, "
        f"gamma={s['gg_gamma']}) in USD, a mean order of about "
        f"{s['gg_p'] * s['gg_gamma'] / (s['gg_q'] - 1):.0f} USD.",
        "",
        f"A competitor arrives on {s['shock']}: from then on each live account's dropout "
        f"rate is multiplied by {s['shock_multiplier_regular']} if its account manager visits "
        f"regularly and by {s['shock_multiplier_irregular']} if visits are irregular "
        f"({_pct(s['irregular_manager_share'])} of managers). Before the shock contact "
        "regularity does not change dropout, so every order before "
        f"{s['shock']} follows plain Pareto/NBD with the parameters above "
        "(`case.population`, `calibration_end`). New accounts come at "
        f"{_pct(s['acquisition_weights'][1] / s['acquisition_weights'][0])} of the first "
        "year's pace in the second year (the first year also brings in the firm's existing "
        f"book) and at {_pct(s['acquisition_weights'][2] / s['acquisition_weights'][0])} in "
        "the third.",
        "",
        "Campaign responses are independent of ordering. True uplift of a campaign on the "
        "response rate, by size band: "
        + ", ".join(f"{k} {100 * v:+.0f} points (base {_pct(s['campaign_base_response'][k])})"
                    for k, v in s["campaign_uplift"].items()) + ".",
        "",
        "## The reading's facts in the data",
        "",
        "Population values, which a large generated case reproduces within a point or two; "
        "the default dataset is close to them.",
        "",
        "- Yearly churn (accounts alive on 1 January that leave during the year, from "
        f"`truth`; `casekit.churn_in_period`): about {_pct(churn['2023'])} in 2023 and "
        f"{_pct(churn['2024'])} in 2024, a rise of more than 20 points as in the "
        "office-supplies article (Reading 2).",
        "- Activity classes (Reading 2) as of 2024-12-31, over the 12 months up to that day "
        "cut into monthly slices: A active = an order in every month; B semi-active = not A, "
        "an order in every quarter; C inactive = no order in the last 6 months; D = the rest, "
        "whom the reading's rule leaves out (last order 3-6 months ago, or a quarter "
        "skipped, including accounts younger than a year). Every account that ever ordered "
        "is counted; revenue is that of the 12 months. This is the rule of "
        "`casekit.abc_activity` with its defaults.",
        "",
        "| class | accounts | revenue |",
        "|---|---|---|",
        *[f"| {k} | {_pct(v['customers'])} | {_pct(v['revenue'])} |" for k, v in act.items()],
        "",
        f"  Active and semi-active accounts are {_pct(ab_accounts)} of all accounts ever "
        f"served and bring {_pct(ab_revenue)} of the revenue, as the reading's firm found "
        "(80% of revenue from the active 60% of customers). Both facts hold together only "
        "because most accounts restock every few weeks: an account that orders less often "
        "than about once a month skips a quarter now and then and drops to D.",
    ]


def _model_insurance(cur: str, options: dict) -> list[str]:
    s = INSURANCE
    alpha, beta = _sim_insurance.effective_beta()
    lines = [
        "Contractual, discrete (Lecture 7 on CRM and business process reengineering, "
        "Reading 3, and the insurance essays in Reading 5; a CPIC-like insurer). Each "
        "holder decides "
        "once a year, on the anniversary of the first policy, to renew all policies or let "
        "them all lapse: a shifted-beta-geometric model. The yearly lapse probability is "
        "theta = 1 - (1 - theta0) ** m with theta0 ~ Beta(alpha, beta) for the first "
        "product and m the product of fixed service effects:",
        "",
        "| first product | share | alpha | beta | first-year retention |",
        "|---|---|---|---|---|",
        *[f"| {k} | {_pct(p['share'])} | {p['alpha']} | {p['beta']} | "
          f"{_pct(_sim_insurance.first_year_retention(k))} |" for k, p in s["products"].items()],
        "",
        "| modifier | share of holders | effect m |",
        "|---|---|---|",
        *[f"| {k} | {_pct(v['share'])} | {v['effect']} |" for k, v in s["modifiers"].items()],
        "",
        f"Overall, the cohort survival curve matches an sBG with alpha = {alpha}, beta = "
        f"{beta} (`case.population`); the first-year retention is "
        f"{_pct(_sim_insurance.first_year_retention())}, and auto stays within an 80-90% "
        "first-year retention (assumption). The 2015 cohort is three times a later year's "
        "intake.",
        "",
        "Slow branches settle claims in about "
        f"{s['settlement_slow']:.0f} days (fast: {s['settlement_fast']:.0f}), which brings "
        "complaints and disputes. Satisfaction scores track a holder's lapse propensity only "
        f"weakly (weight {s['satisfaction_weight']}): satisfaction is not loyalty "
        "(Reading 5).",
        "",
        "## Facts the data reproduce",
        "",
        "Population values, which a large generated case reproduces; the default dataset "
        "is close to them.",
        "",
        "- First-renewal rate by first product as in the table above (within a few points).",
        "- An sBG fit on the 2015 cohort's counts of holders still insured recovers the "
        "alpha and beta above.",
        "- The correlation between a survey score and renewal is weak (below 0.15).",
    ]
    return lines


def _model_utility(cur: str, options: dict) -> list[str]:
    s = UTILITY
    market = options["market"]
    return [
        "Contractual, continuous (the electricity essay in the ten essays on the CRM "
        "concept, Reading 5). Every month an open "
        "account may leave. Moving out happens at a base monthly hazard by segment ("
        + ", ".join(f"{k} {100 * v:.1f}%" for k, v in s["move_out"].items())
        + f"), times exp({s['arrears_move']}) while in arrears. "
        + ("In this deregulated market accounts may also switch supplier, at "
           + ", ".join(f"{k} {100 * v:.1f}%" for k, v in s["switch"].items())
           + f" a month times exp({s['arrears_switch']} * in arrears + {s['outage_switch']} * "
           f"outages in the last 3 months {s['satisfaction_switch']:+} * satisfaction)."
           if market == "deregulated" else
           "In this regulated market nobody can switch supplier: accounts only close by "
           "moving out."),
        "",
        "Consumption is seasonal by segment; arrears build up when a bill is missed (each "
        "account has its own chance of missing one) and are cleared in a month with "
        f"probability {s['clear_arrears']}. Small arrears (up to {s['lenient_bills']} monthly "
        "bills) get a friendly reminder, larger ones a disconnection warning. Surveys measure "
        "latent satisfaction with noise, lowered by the outages of the past year.",
        "",
        f"Market setting: `{market}` (generate_case(..., market='regulated' or "
        "'deregulated'); the default dataset is deregulated).",
        "",
        "## Facts the data reproduce",
        "",
        "- Accounts in arrears leave more often than the others; in a deregulated market "
        "switching makes up a large part of the closures, in a regulated market none.",
        "- Kaplan-Meier survival can be estimated from `accounts.start_date`, `end_date` and "
        "`end_reason` (open accounts are censored at the end of the horizon).",
    ]


def _model_catering(cur: str, options: dict) -> list[str]:
    s = CATERING
    cats = ", ".join(f"{k} {v[0]:.2f}" for k, v in s["categories"].items())
    f = s["stated_facts"]
    return [
        "Non-contractual, continuous (the catering essay in the ten essays on the CRM "
        "concept, Reading 5). A member's first visit is the join date, spread evenly over "
        "the horizon. Visits then follow Pareto/NBD exactly: Poisson at rate lambda per week, "
        f"lambda ~ Gamma(r={s['r']}, alpha={s['alpha']}), while the member stays; the "
        f"lifetime is exponential with dropout rate mu ~ Gamma(s={s['s']}, "
        f"beta={s['beta']}) per week, independent of lambda, so a member can be lost at any "
        "moment, before a second visit too.",
        "",
        "Each member has a latent taste vector over the dish categories, logistic-normal: "
        "the log-odds of each category are the log of its menu share "
        f"({cats}) plus two latent taste factors and independent noise (sd "
        f"{s['taste_noise']}). The first factor is a taste for feasting (seafood, grill, "
        "braised dishes) against everyday food (vegetables, noodles and rice, soups), the "
        "second for spicy and cold dishes and stir-fries against soups and desserts, so "
        "tastes are correlated across categories. Every dish ordered picks its category from "
        "the vector and then a dish by popularity. The bill is the sum of the dishes. Longer "
        f"waits lower the rating ({s['rating_per_10_minutes']} stars per 10 minutes over the "
        "usual wait) but, in this simulation, do not change visiting.",
        "",
        f"From their {s['stored_value_after_visits']}th visit members may top up stored value. "
        f"On {s['credit_decision']} the restaurant offers a credit line, settled monthly, to "
        f"every regular: a member with at least {s['regular_visits']} visits in the 12 "
        f"months before that day. {_pct(s['credit_take_up'])} of them accept; credit is "
        "used from that day on.",
        "",
        "## The reading's facts in the data",
        "",
        "Population values, which a large generated case reproduces within a point or two; "
        "the default dataset is close to them.",
        "",
        f"- The top 20% of members by gross margin over the horizon bring {_pct(f['top20'])} "
        "of it (the catering essay: 20% of guests bring 80% of the profit).",
        f"- Regulars are {_pct(f['regulars'])} of the members on {s['credit_decision']}; "
        f"only they hold credit lines ({_pct(f['credit'])} of all members).",
        "- Members who order much from one category order more or less from others as the "
        "taste factors say: correlations of true taste shares across categories range "
        f"from {f['taste_corr'][0]:+.2f} to {f['taste_corr'][1]:+.2f}, so what similar "
        "members order carries information.",
        f"- First-visit return rate: {_pct(_sim_catering.return_rate())} of new members "
        f"come back within {s['return_weeks']} weeks of their first visit (the mean of "
        f"lambda / (lambda + mu) * (1 - exp(-(lambda + mu) * {s['return_weeks']})) over "
        "members).",
    ]


_ASSUMES = {
    "office_supplies": [
        "It can produce: accounts that leave silently at any moment, including one-order "
        "accounts; heavy and light buyers, large and small orders, independently of each "
        "other; a competitor who raises every account's dropout rate from one day on, more "
        "where the account manager visits irregularly.",
        "It cannot produce: seasonality or a trend in an account's order rate; a lost "
        "account coming back; any effect of tickets, discounts, the pipeline or campaign "
        "responses on ordering or dropout; any effect of contact regularity before the "
        "competitor arrives; a link between how often an account buys and how long it stays.",
        "Safe to draw from the truth: which accounts are still customers, how well a model "
        "or a rule (RFM, activity classes, P(alive)) tells them apart, how many more left "
        "after the competitor arrived and how much more among irregularly visited accounts, "
        "and the true campaign uplift by size band.",
        "Not safe: that tickets, discounts or campaigns cause or prevent churn (the "
        "simulation rules it out, so the data cannot show it), or anything about seasons.",
    ],
    "insurance": [
        "It can produce: holders who renew all their policies or let them all lapse on the "
        "anniversary of the first one; lapse chances that differ by first product and by "
        "three fixed traits (a slow branch, a complaint-prone holder, an agent who does not "
        "remind); satisfaction scores only weakly linked to lapsing.",
        "It cannot produce: a holder's lapse chance changing over time, except that survivors "
        "are the loyal ones; a single claim, complaint or reminder changing that chance by "
        "itself (they are signs of the fixed traits); premiums or price changes driving "
        "lapses; a lapsed holder coming back.",
        "Safe to draw from the truth: survival curves and sBG fits by cohort and product, "
        "the lapse gap between holders with and without each trait, and that satisfaction is "
        "a weak predictor of loyalty.",
        "Not safe: the effect of sending one more reminder or settling one claim faster for "
        "a given holder; the traits are fixed, so the data compare kinds of holders, not "
        "interventions.",
    ],
    "utility": [
        "It can produce: accounts that close each month at a hazard that rises while in "
        "arrears and, where the market is deregulated, with recent outages and low "
        "satisfaction; seasonal consumption; arrears that build up and are cleared.",
        "It cannot produce: a tariff or plan that changes churn; consumption that changes "
        "churn within a segment; an account that reopens; switching in the regulated "
        "market.",
        "Safe to draw from the truth: survival by segment and market, the higher churn of "
        "accounts in arrears and after outages, and move-outs against switches.",
        "Not safe: that a cheaper or greener plan keeps customers (the simulation gives "
        "plans no effect), or that heavy users of one segment are more or less loyal.",
    ],
    "catering": [
        "It can produce: members who are lost silently at any moment, including after a "
        "single visit; very uneven visit rates, so a few members bring most of the profit; "
        "tastes correlated across dish categories; credit lines offered only to regulars.",
        "It cannot produce: waiting, ratings, stored value or credit changing how often a "
        "member visits or how long they stay; tastes that change over time; a link between "
        "how often a member visits and how long they stay; a lost member coming back.",
        "Safe to draw from the truth: which members are still coming, how well P(alive) or "
        "lifecycle stages tell them apart, how concentrated profit is, and whether offers "
        "built from a member's own history or from similar members match the true taste.",
        "Not safe: that shorter waits or credit lines make members come back more often "
        "(the simulation rules it out), or that regulars were made loyal by their credit.",
    ],
}

_MODELS = {
    "office_supplies": _model_office,
    "insurance": _model_insurance,
    "utility": _model_utility,
    "catering": _model_catering,
}
_SPECS = {"office_supplies": OFFICE_SUPPLIES, "insurance": INSURANCE, "utility": UTILITY,
          "catering": CATERING}
_QUIRKS = {
    "office_supplies": [
        "Order lines split the order amount in proportion to list value, so a line's net "
        "price can differ a little from list price times (1 - discount).",
        "Several orders of one account can fall on the same day; fit BTYD models on times, "
        "or accept the small loss when aggregating by day.",
        "Contacts continue for about two months after an account has silently left.",
        "Tickets and pipeline do not change ordering in the simulation.",
        "Every closed deal in the pipeline is won with the same chance, whoever the account "
        "manager: managers' win rates differ by chance alone.",
    ],
    "insurance": [
        "All policies of a holder renew or lapse together, at the anniversary of the first "
        "policy; cross-sold policies start on a later anniversary.",
        "Claims still open at the end of the horizon have no settlement days.",
        "Premiums are paid once a year at the start of each policy year.",
    ],
    "utility": [
        "An account's first and final bills are prorated.",
        "Arrears of closed accounts stay unpaid (bad debt).",
        "Every account opened inside the horizon, so there is no left truncation.",
    ],
    "catering": [
        "Several guests choosing the same dish appear as one line with a quantity.",
        "Stored-value balances are not enforced.",
        "Banquets have no waiting time.",
    ],
}


def render(name: str, *, locale: str = "en_US", options: dict | None = None) -> str:
    """The markdown data card of case ``name`` for ``locale`` and case options.

    The ``zh_CN`` card is in Simplified Chinese: the English card of the same
    locale, translated line by line with the same numbers.
    """
    card = english(name, locale=locale, options=options)
    return _cards_zh.translate(card) if locale == "zh_CN" else card


def english(name: str, *, locale: str = "en_US", options: dict | None = None) -> str:
    """The English data card of case ``name`` (for ``zh_CN``: the text the Chinese translates)."""
    options = options or {}
    spec = _SPECS[name]
    cur = CURRENCY[locale]["code"]
    default = DEFAULTS[name]
    out = [
        f"# {TITLES[name]}",
        "",
        f"- Time span: {spec['start']} to {spec['end']} (the end is the first moment after "
        "the horizon).",
        f"- Currency: {cur}" + (
            " (yuan at the English edition's price levels: every number is the one the "
            "English edition shows, so the course's numbers hold in both; only names and "
            "text are Chinese, and category labels stay in English)." if cur == "CNY" else "."),
        f"- Default dataset: {default['n_customers']} customers, random seed "
        f"{default['seed']}, "
        f"locale {default['locale']}; `casekit.load_case({name!r})`. Any size: "
        f"`casekit.generate_case({name!r}, n_customers=..., seed=...)`.",
        "- Every constant of the simulation comes from one of the readings or is a stated "
        "assumption; the model below names both.",
        "",
        "## Behaviour model",
        "",
        *_MODELS[name](cur, options),
        "",
        "## What the truth assumes",
        "",
        *[f"- {line}" for line in _ASSUMES[name]],
        "",
        "## Tables",
        "",
    ]
    for table, (text, columns) in COLUMNS[name].items():
        out += [f"### {table}", "", text, "", "| column | meaning |", "|---|---|"]
        out += [f"| {c} | {m.format(cur=cur)} |" for c, m in columns]
        out.append("")
    out += [
        "## Truth (`case.truth`, one row per customer; never in the tables)",
        "",
        "| column | meaning |",
        "|---|---|",
        "| customer_id | customer |",
        *[f"| {c} | {m.format(cur=cur)} |" for c, m in TRUTH[name]],
        "| alive | still a customer at the end of the horizon |",
        "| churn_date | when the customer was lost (NaT if alive) |",
        "",
        "## Dirty variant (`dirty=True`)",
        "",
        "`tables['records']` holds the customers as sales, service and billing recorded "
        "them: record_id, source, name, "
        + ("company, " if name == "office_supplies" else "")
        + "phone, email, address, city, with duplicates, typos, format variants of names, "
        "phones, addresses"
        + (" and company suffixes" if name == "office_supplies" else "")
        + ", and missing values. `case.record_map` (record_id, customer_id) is the true "
        "mapping.",
        "",
        "## Known quirks",
        "",
        *[f"- {q}" for q in _QUIRKS[name]],
        "",
    ]
    return "\n".join(out)
