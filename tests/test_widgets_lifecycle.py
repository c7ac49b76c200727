"""Lifecycle widgets: stage rules and the win-back list, driven without a browser."""

import pandas as pd
import pytest

from casekit import BetaGeo, customer_summary, generate_case, lifecycle_stages
from casekit.widgets import lifecycle_explorer, winback_explorer


@pytest.fixture(scope="module")
def catering():
    return generate_case("catering", n_customers=300, seed=8)


def test_lifecycle_explorer_follows_lifecycle_stages(catering):
    explorer = lifecycle_explorer(catering, as_of="2024-06-30")
    explorer.controls["churn_days"].value = 200
    explorer.controls["explore_days"].value = 60
    explorer.controls["decline_ratio"].value = 0.3
    stages = lifecycle_stages(catering.transactions, as_of="2024-06-30",
                              rules={"churn_days": 200, "explore_days": 60,
                                     "decline_ratio": 0.3})
    result = explorer.result
    counts = stages["stage"].value_counts().reindex(result.index)
    assert (result["customers"] == counts).all()
    lost = ~catering.truth.set_index("customer_id")["alive"]
    churned = stages.index[stages["stage"] == "churned"]
    assert result.loc["churned", "truly_lost"] == pytest.approx(lost[churned].mean())
    assert result["share"].sum() == pytest.approx(1)
    assert result["margin_share"].sum() == pytest.approx(1)


def test_winback_explorer_against_a_hand_count(catering):
    explorer = winback_explorer(catering)
    explorer.controls["churn_p"].value = 0.5
    explorer.controls["top_share"].value = 0.3
    tx = catering.transactions
    summary = customer_summary(tx, freq="W")
    model = BetaGeo().fit(summary["frequency"], summary["recency"], summary["T"])
    p = pd.Series(model.probability_alive(summary["frequency"], summary["recency"],
                                          summary["T"]), index=summary.index)
    stages = lifecycle_stages(tx, p_alive=p, rules={"churn_p": 0.5})
    margin = tx.groupby("customer_id")["gross_margin"].sum().sort_values(ascending=False,
                                                                         kind="stable")
    valuable = margin.index[:round(0.3 * len(margin))]
    listed = valuable.intersection(stages.index[stages["stage"] == "churned"])
    lost = ~catering.truth.set_index("customer_id")["alive"]
    result = explorer.result
    assert result["valuable"] == len(valuable)
    assert result["win_back_list"] == len(listed)
    assert result["truly_lost"] == lost[listed].sum()
    assert result["recall"] == pytest.approx(lost[listed].sum() / lost[valuable].sum())
    assert result["list_past_margin"] == pytest.approx(margin[listed].sum())


def test_errors():
    with pytest.raises(TypeError, match="lifecycle_explorer: case must be a casekit Case"):
        lifecycle_explorer(pd.DataFrame())
    with pytest.raises(TypeError, match="winback_explorer: case must be a casekit Case"):
        winback_explorer("catering")


def test_bad_as_of(catering):
    with pytest.raises(ValueError, match="lifecycle_explorer: as_of must be a date"):
        lifecycle_explorer(catering, as_of="someday")
    with pytest.raises(ValueError, match="winback_explorer: as_of must be a date"):
        winback_explorer(catering, as_of="someday")


def test_lifecycle_explorer_draws_the_shares(catering):
    explorer = lifecycle_explorer(catering)
    assert explorer.display.value.startswith('<img class="casekit-figure"')
    assert '<th class="num">share</th>' in explorer.display.value
