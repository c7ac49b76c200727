"""Customize: next best offer against the true tastes, and the budget split across tiers."""

import numpy as np
import pandas as pd
import pytest
from scipy import optimize

import casekit
from casekit import allocate_budget, evaluate_offers, next_best_offer


def _bought():
    return pd.DataFrame({
        "customer_id": ["a", "a", "a", "b", "c", "c", "d"],
        "category": ["soup", "soup", "fish", "fish", "fish", "rice", "rice"],
        "dish": ["s1", "s2", "f1", "f1", "f2", "r1", "r1"],
        "date": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04",
                                "2024-01-05", "2024-02-01", "2024-03-01"]),
    })


def test_popular_offers_the_same_category_to_everyone():
    out = next_best_offer(_bought(), method="popular")
    assert out["offer"].tolist() == ["fish"] * 4
    assert np.allclose(out["score"], 3 / 7)
    assert out["n_items"].tolist() == [3, 1, 2, 1]


def test_history_follows_own_purchases_and_prior_pulls_to_popular():
    raw = next_best_offer(_bought(), method="history", prior_strength=0)
    assert raw["offer"].to_dict() == {"a": "soup", "b": "fish", "c": "fish", "d": "rice"}
    assert raw.loc["a", "score"] == pytest.approx(2 / 3)
    # with a strong prior, d's single rice order no longer outweighs fish's popularity
    strong = next_best_offer(_bought(), method="history", prior_strength=100)
    assert strong["offer"].tolist() == ["fish"] * 4


def test_co_purchase_scores_similar_categories():
    bought = pd.DataFrame({
        "customer_id": ["a", "a", "b", "b", "c"],
        "category": ["soup", "rice", "soup", "rice", "soup"],
        "date": "2024-01-01",
    })
    out = next_best_offer(bought, method="co-purchase", prior_strength=0)
    # soup and rice are bought by the same customers: c, who only had soup, is offered soup
    # (its own purchase has similarity 1) and the scores stay shares
    assert out.loc["c", "offer"] == "soup"
    counts = np.array([[1, 1], [1, 1], [0, 1.0]])  # columns rice, soup
    sim = counts.T @ counts / np.outer(*(2 * [np.sqrt((counts**2).sum(0))]))
    evidence = counts[2] @ sim
    assert out.loc["c", "score"] == pytest.approx(evidence[1] / evidence.sum())


def test_dish_is_the_most_popular_untried_one_in_the_offered_category():
    out = next_best_offer(_bought(), method="history", prior_strength=0, dish_col="dish")
    assert out["dish"].to_dict() == {"a": "s1", "b": "f2", "c": "f1", "d": "r1"}
    # a tried both soups, so gets the more popular one (a tie, broken by id); d tried r1, the
    # only rice dish


def test_as_of_leaves_later_rows_out():
    out = next_best_offer(_bought(), method="history", as_of="2024-01-31")
    assert out.index.tolist() == ["a", "b", "c"] and out["n_items"].tolist() == [3, 1, 1]


def test_input_is_not_mutated():
    bought = _bought()
    copy = bought.copy()
    next_best_offer(bought, dish_col="dish", method="co-purchase")
    pd.testing.assert_frame_equal(bought, copy)


def test_evaluate_offers_against_truth():
    truth = pd.DataFrame({"customer_id": ["a", "b", "c"], "taste_soup": [0.6, 0.1, 0.5],
                          "taste_fish": [0.4, 0.9, 0.5], "alive": True})
    offers = pd.DataFrame({"customer_id": ["a", "b", "c"], "offer": ["fish", "fish", "soup"]})
    out = evaluate_offers(offers, truth)
    # c's tie counts as a hit
    assert out["hit_rate"] == pytest.approx(2 / 3)
    assert out["taste_share"] == pytest.approx((0.4 + 0.9 + 0.5) / 3)
    assert out["best_taste_share"] == pytest.approx((0.6 + 0.9 + 0.5) / 3)


def test_category_names_map_to_taste_columns():
    truth = pd.DataFrame({"customer_id": ["a"], "taste_stir_fries": [1.0]})
    offers = pd.DataFrame({"offer": ["Stir-fries"]}, index=pd.Index(["a"], name="customer_id"))
    assert evaluate_offers(offers, truth)["hit_rate"] == 1.0


@pytest.fixture(scope="module")
def catering():
    case = casekit.generate_case("catering", n_customers=400, seed=3)
    items = (case.tables["visit_items"]
             .merge(case.tables["menu"][["dish_id", "category"]], on="dish_id")
             .merge(case.tables["visits"][["order_id", "customer_id", "date"]], on="order_id"))
    return items, case.truth


def test_history_beats_popular_on_the_true_tastes(catering):
    items, truth = catering
    popular = evaluate_offers(next_best_offer(items, method="popular"), truth)
    history = evaluate_offers(next_best_offer(items, method="history"), truth)
    co = evaluate_offers(next_best_offer(items, method="co-purchase"), truth)
    # measured on this case: popular 0.28, history 0.47, co-purchase 0.46
    assert history["hit_rate"] > popular["hit_rate"] + 0.12
    assert co["hit_rate"] > popular["hit_rate"] + 0.12
    assert popular["taste_share"] < history["taste_share"] <= history["best_taste_share"]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"method": "random"}, ValueError, "next_best_offer: method must be one of"),
        ({"prior_strength": -1}, ValueError, "prior_strength must be >= 0"),
        ({"prior_strength": "a"}, TypeError, "prior_strength must be a number"),
        ({"item_col": "dish_category"}, ValueError, "column 'dish_category' not found in "
                                                    "purchases"),
        ({"as_of": "2023-01-01"}, ValueError, "no rows on or before as_of"),
        ({"as_of": "June"}, ValueError, "as_of must be a date"),
    ],
)
def test_next_best_offer_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        next_best_offer(_bought(), **kwargs)


def test_next_best_offer_rejects_a_dish_in_two_categories():
    bought = _bought()
    bought.loc[1, "dish"] = "f1"
    with pytest.raises(ValueError, match=r"each dish must belong to one category; found \['f1'\]"):
        next_best_offer(bought, dish_col="dish")


def test_next_best_offer_rejects_missing_customers_and_non_frames():
    bought = _bought()
    bought.loc[0, "customer_id"] = None
    with pytest.raises(ValueError, match="column 'customer_id' has 1 missing values"):
        next_best_offer(bought)
    with pytest.raises(TypeError, match="purchases must be a pandas DataFrame; found list"):
        next_best_offer([1, 2])


def test_evaluate_offers_errors():
    truth = pd.DataFrame({"customer_id": ["a", "b"], "taste_soup": [0.6, 0.1],
                          "taste_fish": [0.4, 0.9]})
    offers = pd.DataFrame({"customer_id": ["a", "b"], "offer": ["soup", "rice"]})
    with pytest.raises(ValueError, match=r"no taste column for the offered categories: "
                                         r"\['taste_rice'\]"):
        evaluate_offers(offers, truth)
    stranger = pd.DataFrame({"customer_id": ["a", "z"], "offer": ["soup", "soup"]})
    with pytest.raises(ValueError, match=r"1 customers in offers are not in truth, e.g. \['z'\]"):
        evaluate_offers(stranger, truth)
    twice = pd.DataFrame({"customer_id": ["a", "a"], "offer": ["soup", "fish"]})
    with pytest.raises(ValueError, match="column 'customer_id' must be unique in offers"):
        evaluate_offers(twice, truth)
    with pytest.raises(ValueError, match="column 'choice' not found in offers"):
        evaluate_offers(offers, truth, offer_col="choice")
    with pytest.raises(TypeError, match="truth must be a pandas DataFrame"):
        evaluate_offers(offers.iloc[:1], {"a": 1})


def _tiers():
    return pd.DataFrame({
        "tier": pd.Categorical(["top"] * 2 + ["big"] * 3 + ["small"] * 15 + ["inactive"] * 5,
                               categories=["top", "big", "medium", "small", "inactive"]),
        "profit": [900.0, 700.0] + [300.0] * 3 + [40.0] * 15 + [0.0] * 5,
    })


def test_allocate_budget_rules_and_table():
    out = allocate_budget(_tiers(), 500.0, "customers")
    # the empty medium tier is left out; order follows the categories
    assert out.index.tolist() == ["top", "big", "small", "inactive", "total"]
    assert np.allclose(out["per_customer"], 20.0)
    assert out.loc["total", "budget"] == pytest.approx(500.0)
    expected = 0.2 * 1600 * (1 - np.exp(-20 / 10))
    assert out.loc["top", "uplift"] == pytest.approx(expected)
    assert np.allclose(out["profit"], out["value"] + out["uplift"] - out["budget"])
    by_value = allocate_budget(_tiers(), 500.0, "value")
    assert by_value.loc["top", "share"] == pytest.approx(1600 / 3100)
    assert by_value.loc["inactive", "budget"] == 0
    custom = allocate_budget(_tiers(), 500.0, {"top": 1, "big": 3})
    assert custom["share"].tolist() == [0.25, 0.75, 0.0, 0.0, 1.0]


def test_string_tiers_keep_their_order_of_appearance():
    tiers = pd.DataFrame({"tier": ["b", "a", "b"], "profit": [1.0, 2.0, 3.0]})
    assert allocate_budget(tiers, 10.0).index.tolist() == ["b", "a", "total"]


@pytest.mark.parametrize("budget", [10.0, 200.0, 1000.0, 5000.0])
def test_optimal_split_beats_a_numerical_optimiser(budget):
    tiers = _tiers()
    best = allocate_budget(tiers, budget).loc["total", "profit"]

    def loss(z):
        weights = np.exp(z) / np.exp(z).sum()
        split = dict(zip(["top", "big", "small", "inactive"], weights, strict=True))
        return -allocate_budget(tiers, budget, split).loc["total", "profit"]

    found = optimize.minimize(loss, np.zeros(4), method="Nelder-Mead",
                              options={"xatol": 1e-6, "fatol": 1e-9, "maxiter": 4000})
    assert best >= -found.fun - 1e-6 * budget
    for rule in ["customers", "value"]:
        assert best >= allocate_budget(tiers, budget, rule).loc["total", "profit"] - 1e-9


def test_optimal_split_equalises_marginal_returns():
    out = allocate_budget(_tiers(), 1000.0, max_uplift=0.3, saturation=5.0).drop("total")
    funded = out.loc[out["budget"] > 0]
    marginal = (0.3 * funded["value"] / (5.0 * funded["customers"])
                * np.exp(-funded["per_customer"] / 5.0))
    assert np.allclose(marginal, marginal.iloc[0])
    assert out.loc["inactive", "budget"] == 0
    # a small budget goes to the top tier only
    assert allocate_budget(_tiers(), 1.0)["share"].tolist() == [1.0, 0.0, 0.0, 0.0, 1.0]
    assert allocate_budget(_tiers(), 0.0)["share"].tolist() == [1.0, 0.0, 0.0, 0.0, 1.0]


def test_without_any_gain_the_budget_is_spread_per_customer():
    tiers = pd.DataFrame({"tier": ["a", "b", "b"], "profit": [-5.0, 0.0, 0.0]})
    out = allocate_budget(tiers, 30.0)
    assert out["budget"].tolist() == [10.0, 20.0, 30.0]
    assert out.loc["total", "profit"] == -35.0


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        ((-1.0,), {}, ValueError, "allocate_budget: budget must be >= 0; found -1.0"),
        ((10.0,), {"saturation": 0}, ValueError, "saturation must be > 0"),
        ((10.0,), {"max_uplift": -0.1}, ValueError, "max_uplift must be >= 0"),
        ((10.0, "equal"), {}, ValueError, "shares must be one of"),
        ((10.0, 0.5), {}, TypeError, "shares must be one of .* or a mapping of tier to weight; "
                                     "found float"),
        ((10.0, {"gold": 1}), {}, ValueError, r"shares names tiers that have no customers: "
                                              r"\['gold'\]"),
        ((10.0, {"medium": 1}), {}, ValueError, "shares names tiers that have no customers"),
        ((10.0, {"top": -1}), {}, ValueError, r"shares\['top'\] must be >= 0"),
        ((10.0, {"top": 0}), {}, ValueError, "shares must not all be 0"),
        ((10.0,), {"value_col": "revenue"}, ValueError, "column 'revenue' not found in tiers"),
    ],
)
def test_allocate_budget_errors(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        allocate_budget(_tiers(), *args, **kwargs)


def test_value_rule_needs_a_positive_tier():
    tiers = pd.DataFrame({"tier": ["a"], "profit": [-1.0]})
    with pytest.raises(ValueError, match="shares='value' needs a tier with positive value"):
        allocate_budget(tiers, 10.0, "value")
