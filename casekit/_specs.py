"""The four industries as data.

Each constant says where it comes from: a seed article in
``shared/seeds`` (001 office supplies, 002 business process reengineering,
004 ten essays on CRM: utility, insurance, catering), a textbook model, or a
stated assumption chosen to make the case plausible and teachable.  The
cards cite the articles as readings: 000 is Reading 1, 001 Reading 2, 002
Reading 3, 003 Reading 4 and 004 Reading 5.
Prices are in US dollars; the ``zh_CN`` locale keeps the same amounts and
calls them yuan (:data:`CURRENCY`).
"""

from __future__ import annotations

#: Currency per locale. Assumption: the Chinese edition keeps the English
#: edition's amounts and calls them yuan, so that every number in the course is
#: the same in both editions and one student id gives one dataset; only names
#: and text are localised.  The price levels are therefore not Chinese ones.
CURRENCY = {
    "en_US": {"code": "USD"},
    "zh_CN": {"code": "CNY"},
}

#: Default size, seed and locale of the committed datasets.  Sizes are chosen
#: so that each default case generates in about a second or two and the
#: notebooks stay fast; datasets/manifest.json repeats them with the hashes.
DEFAULTS = {
    "office_supplies": {"n_customers": 4000, "seed": 1, "locale": "en_US"},
    "insurance": {"n_customers": 6000, "seed": 2, "locale": "en_US"},
    "utility": {"n_customers": 4000, "seed": 4, "locale": "en_US"},
    "catering": {"n_customers": 5000, "seed": 4, "locale": "en_US"},
}

OFFICE_SUPPLIES = {
    "prefix": "OS",
    # Three years of history; the seed compares churn "with the same period of
    # last year", so the competitor shock starts the third year (assumption).
    "start": "2022-01-01",
    "end": "2025-01-01",
    "shock": "2024-01-01",
    # Business hours used for event times (assumption).
    "hours": (8.0, 18.0),
    # New accounts per year relative to the second year: the first year of
    # the records also brings in the firm's existing book (assumption) and
    # growth falls "below plan" in the shock year (Reading 2); the levels are
    # assumptions.
    "acquisition_weights": [1.6, 1.0, 0.5],
    # Pareto/NBD population (rates per week): an account orders as a Poisson
    # process at lambda ~ Gamma(r, alpha) and leaves after an exponential
    # lifetime at dropout rate mu ~ Gamma(s, beta), independently of its
    # orders, so it can leave before any repeat order. Calibrated to Reading 2:
    # most accounts restock every few weeks, so that the firm's active and
    # semi-active classes hold about 60% of the accounts and 80% of revenue,
    # and about one live account in ten is lost a year before the shock.
    "r": 5.0,
    "alpha": 10.0,
    "s": 1.0,
    "beta": 700.0,
    # The competitor shock multiplies the dropout rate; irregularly visited
    # accounts are poached more (Reading 2: irregular sales visits). Calibrated
    # so that yearly churn rises by more than 20 points (Reading 2: "20 多个百分点").
    "shock_multiplier_regular": 5.0,
    "shock_multiplier_irregular": 8.0,
    # Share of account managers who visit irregularly (assumption).
    "irregular_manager_share": 0.4,
    # Customers per account manager (assumption for a B2B reseller).
    "customers_per_manager": 120,
    # Contact cadence in days: regular managers every 8 weeks +- 3 days,
    # irregular ones at random with a mean gap of 13 weeks (assumption).
    "contact_gap_regular": 56.0,
    "contact_jitter_regular": 3.0,
    "contact_gap_irregular": 91.0,
    # Contacts go on for two months after an account silently leaves (assumption).
    "contact_after_dropout_days": 60.0,
    "contact_types": {"visit": 0.35, "phone": 0.45, "email": 0.20},
    # Gamma-Gamma order value, net of discount, in dollars (Fader, Hardie and
    # Lee 2005 parametrisation: value ~ Gamma(p, nu), nu ~ Gamma(q, gamma)).
    # Mean order p * gamma / (q - 1) = $300 (assumption).
    "gg_p": 4.0,
    "gg_q": 3.5,
    "gg_gamma": 187.5,
    # Order lines: 1 + Poisson(0.6) lines per order (assumption).
    "extra_lines_mean": 0.6,
    # Categories: SKU count, median list price ($), price spread (lognormal
    # sigma), gross margin on list price and popularity. Reading 2 says
    # "thousands of products"; the split and prices are assumptions.
    "categories": {
        "paper": (120, 9.0, 0.5, 0.18, 0.22),
        "writing": (160, 4.0, 0.6, 0.35, 0.14),
        "filing": (140, 6.0, 0.6, 0.32, 0.10),
        "desk accessories": (130, 12.0, 0.7, 0.38, 0.07),
        "ink and toner": (160, 45.0, 0.6, 0.22, 0.16),
        "computer accessories": (140, 25.0, 0.8, 0.28, 0.08),
        "breakroom": (120, 8.0, 0.6, 0.25, 0.10),
        "cleaning": (100, 7.0, 0.5, 0.27, 0.06),
        "furniture": (80, 180.0, 0.6, 0.35, 0.03),
        "packaging": (90, 15.0, 0.6, 0.30, 0.04),
    },
    # Order channels and how often a customer's usual channel is used (assumption).
    "channels": {"account manager": 0.35, "web shop": 0.35, "phone": 0.20, "EDI": 0.10},
    "channel_loyalty": 0.85,
    # Company size bands (assumption) with their share of accounts.
    "size_bands": {"small": 0.55, "medium": 0.33, "large": 0.12},
    "industries": [
        "manufacturing", "professional services", "education", "health care",
        "retail", "public sector", "logistics", "finance",
    ],
    # Discounts (Reading 2: account managers grant discounts the service desk
    # cannot see). Each manager has a usual rate drawn uniformly in this range;
    # each account gets it at signup and may get new grants later.
    "discount_range": (0.0, 0.12),
    "discount_size_bonus": {"small": 0.0, "medium": 0.02, "large": 0.05},
    "discount_regrants_per_year": 0.4,
    "discount_reasons": ["signup", "volume", "retention", "price match"],
    # Service tickets per order by type, and lognormal handling time (hours):
    # Reading 2 names misreported stock and broken delivery promises.
    "tickets": {
        "stock-out": (0.030, 6.0, 0.7),
        "broken delivery promise": (0.025, 8.0, 0.8),
        "billing query": (0.015, 3.0, 0.6),
        "damaged delivery": (0.010, 5.0, 0.6),
        "wrong item": (0.010, 4.0, 0.6),
    },
    "ticket_resolved_share": 0.92,
    # Opportunities (Reading 2: no pipeline for potential orders): per account
    # per year while it buys; stages and outcomes are assumptions.
    "opportunities_per_year": 1.2,
    "opportunity_stages": {"won": 0.35, "lost": 0.45},
    "open_stages": ["prospect", "qualified", "proposal"],
    "opportunity_days_to_close": 60.0,
    # Marketing campaigns (Reading 3: plan, run, track and evaluate campaigns).
    # Each targets a share of live accounts, split into treatment and control.
    "campaigns": ["2022-09-15", "2023-03-15", "2023-10-02", "2024-05-13"],
    "campaign_target_share": 0.4,
    "campaign_treated_share": 0.5,
    # Response probability without the campaign and the true uplift, by size
    # band: small firms react, large ones buy on contract (assumption).
    "campaign_base_response": {"small": 0.04, "medium": 0.05, "large": 0.06},
    "campaign_uplift": {"small": 0.06, "medium": 0.03, "large": 0.00},
    # Activity classes as Reading 2 defines them (the card gives the rule) and
    # their shares of accounts and of last-12-month revenue in the population,
    # measured on 100,000 simulated accounts (random seed 11). Reading 2: the
    # active 60% of customers bring 80% of revenue; here A + B = 58% and 82%.
    "stated_activity": {
        "A": {"customers": 0.15, "revenue": 0.32},
        "B": {"customers": 0.43, "revenue": 0.50},
        "C": {"customers": 0.22, "revenue": 0.05},
        "D": {"customers": 0.20, "revenue": 0.13},
    },
    # Yearly churn of accounts alive on 1 January (from truth), measured the
    # same way: a rise of 23 points (Reading 2: "20 多个百分点").
    "stated_churn": {"2023": 0.07, "2024": 0.29},
}

CATERING = {
    "prefix": "CM",
    # Three years of a member programme (assumption).
    "start": "2022-01-01",
    "end": "2025-01-01",
    # Opening hours used for visit times (assumption).
    "hours": (11.0, 22.0),
    # Pareto/NBD per week, exactly: visits are Poisson at rate lambda ~
    # Gamma(r, alpha) while a member is alive, and the lifetime is exponential
    # at dropout rate mu ~ Gamma(s, beta), so a member can be lost at any time,
    # before a second visit too. Calibrated to Reading 5 (the catering essay:
    # 20% of guests bring 80% of the profit): visit rates are very uneven
    # (small r), a member visits about every eight weeks on average, and half
    # of the members are lost within about a year and a half (assumption).
    "r": 0.25,
    "alpha": 2.0,
    "s": 1.0,
    "beta": 75.0,
    # Weeks for the stated first-visit return rate.
    "return_weeks": 13,
    # Dish categories with their menu share of orders (the Dirichlet base of the
    # taste vector), median price ($) and food-cost ratio. Reading 5 speaks of
    # serving each guest from their dish preferences; numbers are assumptions
    # typical of a Chinese full-service restaurant (food cost 28-40%).
    "categories": {
        "cold dishes": (0.10, 9.0, 0.30),
        "stir-fries": (0.18, 16.0, 0.32),
        "braised and stewed": (0.12, 20.0, 0.33),
        "seafood": (0.10, 32.0, 0.40),
        "meat and grill": (0.12, 24.0, 0.36),
        "vegetables": (0.12, 11.0, 0.28),
        "soups": (0.08, 12.0, 0.28),
        "noodles and rice": (0.10, 9.0, 0.25),
        "desserts and drinks": (0.08, 7.0, 0.22),
    },
    # Tastes are logistic-normal: a member's log-odds of each category are
    # log(menu share) + loadings @ z + noise * e, with z ~ N(0, I) two latent
    # taste factors and e ~ N(0, I). Reading 5 speaks of serving each guest
    # from their dish preferences; correlated tastes (assumption) make what
    # similar members order informative. Factor 1: a taste for feasting
    # (seafood, grill, braised) against everyday food (vegetables, noodles and
    # rice, soups); factor 2: spicy and cold dishes and stir-fries against soups
    # and desserts.
    "taste_loadings": {
        "cold dishes": (0.0, 0.7),
        "stir-fries": (-0.2, 0.7),
        "braised and stewed": (0.6, 0.1),
        "seafood": (0.9, 0.0),
        "meat and grill": (0.8, 0.3),
        "vegetables": (-0.7, 0.0),
        "soups": (-0.4, -0.6),
        "noodles and rice": (-0.8, 0.2),
        "desserts and drinks": (0.1, -0.7),
    },
    "taste_noise": 0.4,
    # Channels: a member's delivery propensity ~ Beta(1, 4); banquets are 4%
    # of visits (assumption).
    "delivery_beta": (1.0, 4.0),
    "banquet_share": 0.04,
    # Party size: dine-in 1 + Poisson(mean - 1) with a member's mean party
    # 1 + Gamma(2, 0.6); delivery 1 + Poisson(0.6); banquets 8 + Poisson(12).
    "party_gamma": (2.0, 0.6),
    "delivery_party_extra": 0.8,
    "banquet_party": (8, 12.0),
    # Dishes: dine-in one per guest plus Poisson(1) shared; delivery
    # 1 + Poisson(1.5); banquets 10 + Poisson(4) dishes, one per table of ten.
    "dine_in_extra_dishes": 1.0,
    "delivery_dishes_extra": 1.5,
    "banquet_dishes": (10, 4.0),
    # Waiting in minutes, lognormal median and spread: for a table and the
    # first dish when dining in (plus 1.5 minutes a guest), for the rider on
    # delivery (assumption; Reading 5 counts waiting as a customer cost).
    "wait_dine_in": (12.0, 0.5),
    "wait_per_guest": 1.5,
    "wait_delivery": (38.0, 0.35),
    # Ratings 1-5 are left on 30% of visits; each 10 minutes over the median
    # wait costs 0.3 stars (assumption).
    "rating_share": 0.30,
    "rating_mean": 4.3,
    "rating_per_10_minutes": 0.3,
    "rating_noise": 0.7,
    # Stored value: from their fifth visit members may top up (assumption).
    "stored_value_after_visits": 5,
    "stored_value_topup_share": 0.15,
    "stored_value_topups": [100.0, 200.0, 500.0, 1000.0],
    "stored_value_pay_share": 0.35,
    # Credit for regulars (Reading 5): on the credit decision date the
    # restaurant offers a credit line, settled monthly, to every regular, a
    # member with at least `regular_visits` visits in the 12 months before;
    # this share of them accept it (assumption). Credit is used from then on.
    "credit_decision": "2024-01-01",
    "regular_visits": 6,
    "credit_take_up": 0.6,
    "credit_limit": 2000.0,
    "credit_pay_share": 0.5,
    # Facts of the population as the card states them, measured on 50,000
    # simulated members (random seed 11): the top 20% by gross margin bring
    # 81% of it (Reading 5: 80%), regulars are 11% of members and credit
    # holders 7%, and taste shares correlate across categories from -0.63 to
    # +0.58 (a Dirichlet would give about -0.1 for every pair).
    "stated_facts": {"top20": 0.81, "regulars": 0.11, "credit": 0.07,
                     "taste_corr": (-0.63, 0.58)},
    "payments": {"card": 0.45, "mobile": 0.40, "cash": 0.15},
}

INSURANCE = {
    "prefix": "PH",
    # Ten years so that a cohort's survival curve has nine renewals (assumption).
    "start": "2015-01-01",
    "end": "2025-01-01",
    # Holders by acquisition year: the 2015 "book" is three times a later
    # year's intake (assumption), so one cohort is large enough to fit sBG.
    "cohort_weights": [3.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
    # A holder's first product, its share and the shifted-beta-geometric
    # Beta(alpha, beta) of the yearly lapse probability theta before service
    # effects. Reading 5 (insurance essays) and the issue: auto retention is
    # about 80-90%; the other products' levels are assumptions.
    "products": {
        "auto": {"share": 0.45, "alpha": 1.2, "beta": 9.0, "premium": 900.0, "claims": 0.18,
                 "claim_size": 1500.0, "loss_ratio": 0.62},
        "health": {"share": 0.20, "alpha": 1.0, "beta": 5.0, "premium": 600.0, "claims": 0.35,
                   "claim_size": 600.0, "loss_ratio": 0.70},
        "life": {"share": 0.15, "alpha": 0.8, "beta": 10.0, "premium": 1500.0, "claims": 0.01,
                 "claim_size": 40000.0, "loss_ratio": 0.45},
        "property": {"share": 0.20, "alpha": 1.1, "beta": 6.5, "premium": 400.0, "claims": 0.06,
                     "claim_size": 4000.0, "loss_ratio": 0.55},
    },
    # Expense ratio taken off premiums for the gross margin (assumption).
    "expense_ratio": 0.15,
    # Fixed per-holder service modifiers (Reading 5: fast, accurate claims,
    # disputes and renewal reminders matter). Each holder has each with the
    # given probability; theta becomes 1 - (1 - theta) ** product of effects.
    "modifiers": {
        "slow_branch": {"share": 0.30, "effect": 1.35},
        "complaint_prone": {"share": 0.15, "effect": 1.30},
        "unreminded": {"share": 0.20, "effect": 1.45},
    },
    # Settlement days, lognormal median at a fast and a slow branch, spread (assumption).
    "settlement_fast": 10.0,
    "settlement_slow": 32.0,
    "settlement_sigma": 0.5,
    "claim_denied_share": 0.08,
    "dispute_if_denied": 0.35,
    "dispute_if_slow": 0.05,
    # Complaints a year per holder, and the chance a settlement over 30 days
    # brings one (assumption).
    "complaints_base": 0.04,
    "complaints_prone": 0.40,
    "complaint_after_slow_claim": 0.30,
    "complaint_types": ["claim delay", "pricing", "service attitude", "mis-selling", "billing"],
    "complaint_escalated_share": 0.2,
    # Channels (Reading 5: agents, bank channel cross-selling; online is an assumption).
    "channels": {"agent": 0.55, "bank": 0.25, "online": 0.20},
    # Products a holder starts with: 1 + Poisson(0.25); at each renewal a new
    # policy is sold with this chance, twice as often through banks.
    "extra_products_mean": 0.25,
    "cross_sell": 0.05,
    "cross_sell_bank_factor": 2.0,
    # Yearly premium change (lognormal spread; assumption).
    "premium_drift": 0.04,
    # Reminders sent before a renewal date: days before and channels; the
    # unreminded holders still get one with this chance (assumption).
    "reminder_days": (30.0, 8.0),
    "reminder_channels": {"agent call": 0.4, "sms": 0.35, "letter": 0.15, "app": 0.10},
    "unreminded_reminder_share": 0.10,
    # Satisfaction surveys (0-10) of a quarter of holders a year. Reading 5:
    # "satisfaction is not loyalty": the score correlates only weakly
    # (weight 0.2) with the holder's lapse propensity.
    "survey_share": 0.25,
    "satisfaction_mean": 7.4,
    "satisfaction_sd": 1.6,
    "satisfaction_weight": 0.2,
    "survey_noise": 0.8,
    # Branches (assumption).
    "holders_per_branch": 400,
}

UTILITY = {
    "prefix": "EL",
    # Five years of monthly bills; accounts open at a steady pace through the
    # horizon (assumption), so every account is observed from its start.
    "start": "2020-01-01",
    "end": "2025-01-01",
    # Account types (share, lognormal median kWh a month and spread).
    # Assumption typical of a mixed retail book.
    "segments": {
        "residential": (0.85, 300.0, 0.5),
        "commercial": (0.12, 3000.0, 0.7),
        "industrial": (0.03, 40000.0, 0.8),
    },
    # Seasonal consumption factor by calendar month, per segment (assumption:
    # winter heating and summer cooling peaks for homes and shops).
    "season": {
        "residential": [1.25, 1.15, 1.0, 0.9, 0.85, 1.0, 1.3, 1.35, 1.05, 0.9, 0.95, 1.2],
        "commercial": [1.05, 1.0, 0.95, 0.95, 1.0, 1.1, 1.2, 1.2, 1.05, 0.95, 0.95, 1.0],
        "industrial": [1.0] * 12,
    },
    "consumption_noise": 0.10,
    # Tariffs: price per kWh and monthly fixed charge ($), by segment. In a
    # regulated market every account pays the standard tariff; deregulated
    # retailers also sell fixed-price and green plans (assumption).
    "tariffs": {
        "residential": (0.15, 10.0),
        "commercial": (0.13, 30.0),
        "industrial": (0.09, 200.0),
    },
    "plans": {"standard": (0.0, 0.6), "fixed price": (0.01, 0.25), "green": (0.02, 0.15)},
    # Energy and network cost per kWh (assumption), for the gross margin.
    "cost_per_kwh": {"residential": 0.115, "commercial": 0.10, "industrial": 0.078},
    # Bills by e-mail or paper.
    "e_bill_share": 0.55,
    # Monthly churn hazards (assumption): moving out happens in both markets;
    # switching supplier only where the market is deregulated.
    "move_out": {"residential": 0.008, "commercial": 0.005, "industrial": 0.002},
    "switch": {"residential": 0.006, "commercial": 0.008, "industrial": 0.006},
    # Log hazard ratios (assumption): arrears raise both hazards (Reading 5:
    # small arrears are handled leniently), recent outages and low
    # satisfaction raise switching.
    "arrears_move": 0.5,
    "arrears_switch": 0.7,
    "outage_switch": 0.25,
    "satisfaction_switch": -0.5,
    # Paying: a late-payer propensity ~ Beta(1, 12) of missing a bill; an
    # account in arrears clears them in a month with this chance (assumption).
    "late_beta": (1.0, 12.0),
    "clear_arrears": 0.4,
    "pay_days": (5.0, 25.0),
    "payment_methods": {"direct debit": 0.45, "bank transfer": 0.30, "app": 0.15,
                        "counter": 0.10},
    # Arrears up to 1.5 monthly bills get a friendly reminder, larger ones a
    # disconnection warning (Reading 5: leniency on small arrears).
    "lenient_bills": 1.5,
    # Outages: feeders (areas) of about 200 accounts, each with Poisson(0.12)
    # outages a month; duration lognormal, median 90 minutes (assumption).
    "accounts_per_area": 200,
    "outages_per_month": 0.12,
    "outage_minutes": (90.0, 0.8),
    "outage_causes": ["weather", "equipment failure", "planned work", "third-party damage"],
    # Complaints a month: background, per outage suffered and in arrears (assumption).
    "complaint_base": 0.004,
    "complaint_per_outage": 0.03,
    "complaint_arrears": 0.01,
    "complaint_types": ["outage", "billing", "meter reading", "customer service"],
    # Share of the complaints in a month with an outage in the area that are about the
    # outage; the rest are of the other types, equally likely (assumption).
    "complaint_outage_share": 0.7,
    # Surveys each June of 20% of accounts: score 1-10 from latent satisfaction
    # (standard normal), minus 0.3 a point per outage in the past year.
    "survey_share": 0.2,
    "survey_mean": 7.0,
    "survey_sd": 1.5,
    "survey_outage": 0.3,
    "survey_noise": 0.8,
    # Share of estimated (not actual) meter reads (assumption).
    "estimated_read_share": 0.08,
}
