"""Catering widgets: the 80/20 of profit, regulars and waiting, driven without a browser."""

import pytest

from casekit import abc_pareto, customer_summary, generate_case
from casekit.widgets import pareto_explorer, regulars_explorer, wait_explorer


@pytest.fixture(scope="module")
def catering():
    return generate_case("catering", n_customers=300, seed=8)


def test_pareto_explorer_follows_abc_pareto(catering):
    explorer = pareto_explorer(catering)
    explorer.controls["value"].value = "amount"
    explorer.controls["top_share"].value = 0.1
    ranked = abc_pareto(catering.transactions, value_col="amount")
    top = ranked.index[:30]
    result = explorer.result
    assert result["members"] == 30
    assert result["value_share"] == pytest.approx(ranked["share"].iloc[:30].sum())
    truth = catering.truth.set_index("customer_id")
    assert result["lambda_top"] == pytest.approx(truth.loc[top, "lambda_"].mean())
    assert result["alive_rest"] == pytest.approx(truth.drop(top)["alive"].mean())


def test_regulars_explorer_against_customer_summary(catering):
    explorer = regulars_explorer(catering)
    explorer.controls["min_visits"].value = 4
    explorer.controls["credit_limit"].value = 1000
    summary = customer_summary(catering.transactions, freq="D")
    regulars = summary.index[summary["frequency"] + 1 >= 4]
    truth = catering.truth.set_index("customer_id")
    result = explorer.result
    assert result["regulars"] == len(regulars)
    assert result["alive_regulars"] == pytest.approx(truth.loc[regulars, "alive"].mean())
    assert result["credit_to_lost"] == 1000 * (~truth.loc[regulars, "alive"]).sum()


def test_wait_explorer_splits_at_the_promise(catering):
    explorer = wait_explorer(catering)
    explorer.controls["channel"].value = "delivery"
    explorer.controls["promise"].value = 40
    visits = catering.visits[catering.visits["channel"] == "delivery"]
    late = visits["wait_minutes"] > 40
    result = explorer.result
    assert result["visits"] == len(visits)
    assert result["share_late"] == pytest.approx(late.mean())
    assert result["rating_late"] == pytest.approx(visits.loc[late, "rating"].mean())
    # longer waits cost stars in this case
    assert result["rating_gap"] > 0


def test_errors(catering):
    utility = generate_case("utility", n_customers=30, seed=1)
    for factory in (pareto_explorer, regulars_explorer, wait_explorer):
        with pytest.raises(TypeError, match=f"{factory.__name__}: expected the catering Case"):
            factory(utility)
    with pytest.raises(ValueError, match="pareto_explorer: value must be one of"):
        pareto_explorer(catering, value="visits")
    with pytest.raises(ValueError, match="wait_explorer: channel must be one of"):
        wait_explorer(catering, channel="banquet")


def test_pareto_explorer_draws_the_curve(catering):
    explorer = pareto_explorer(catering)
    first = explorer.display.value
    assert first.startswith('<img class="casekit-figure"')
    explorer.controls["top_share"].value = 0.4
    assert explorer.display.value.startswith("<img") and explorer.display.value != first
    assert explorer.controls["top_share"].readout_format == ".0%"
