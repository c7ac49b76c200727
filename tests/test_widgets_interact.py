"""Interact widgets: set the controls, read what the public analytics return."""

import pandas as pd
import pytest

from casekit import ab_lift, generate_case, rate_by_band
from casekit.widgets import band_rate_explorer, campaign_lift_explorer


@pytest.fixture(scope="module")
def office():
    return generate_case("office_supplies", n_customers=600, seed=4)


def test_campaign_explorer_matches_ab_lift(office):
    explorer = campaign_lift_explorer(office.campaigns, office.companies)
    data = office.campaigns.merge(office.companies[["customer_id", "size_band"]])
    pd.testing.assert_frame_equal(explorer.result, ab_lift(data, by="size_band"))
    explorer.controls["campaign"].value = "CMP-02"
    explorer.controls["confidence"].value = 0.9
    part = data[data["campaign_id"] == "CMP-02"]
    expected = ab_lift(part, by="size_band", confidence=0.9)
    pd.testing.assert_frame_equal(explorer.result, expected, check_like=False)
    assert "lift" in explorer.display.value


def test_campaign_explorer_lists_every_campaign(office):
    explorer = campaign_lift_explorer(office.campaigns, office.companies)
    options = list(explorer.controls["campaign"].options)
    assert options[1:] == sorted(office.campaigns["campaign_id"].unique())


def test_campaign_explorer_errors(office):
    with pytest.raises(ValueError, match="campaign_lift_explorer: confidence must be a number "
                                         "from 0.8 to 0.99"):
        campaign_lift_explorer(office.campaigns, office.companies, confidence=0.5)
    with pytest.raises(ValueError, match="campaign_lift_explorer: column 'tier' not found in "
                                         "customers"):
        campaign_lift_explorer(office.campaigns, office.companies, segment_col="tier")
    with pytest.raises(ValueError, match="campaign_lift_explorer: .* campaign rows name "
                                         "customers missing from customers"):
        campaign_lift_explorer(office.campaigns, office.companies.iloc[:10])


@pytest.fixture(scope="module")
def tickets(office):
    per = office.tickets.groupby("customer_id").agg(
        tickets=("ticket_id", "size"), hours=("handling_hours", "mean"))
    data = office.truth.set_index("customer_id")[["alive", "irregular_contact"]].join(per)
    return data.assign(churned=~data["alive"], tickets=data["tickets"].fillna(0))


@pytest.mark.parametrize(("column", "bands", "bins"),
                         [("hours", 4, 4), ("tickets", 0, None), ("irregular_contact", 5, None)])
def test_band_explorer_matches_rate_by_band(tickets, column, bands, bins):
    explorer = band_rate_explorer(tickets, outcome_col="churned",
                                  value_cols=["hours", "tickets", "irregular_contact"])
    explorer.controls["column"].value = column
    explorer.controls["bands"].value = bands
    expected = rate_by_band(tickets, value_col=column, outcome_col="churned", bins=bins)
    pd.testing.assert_frame_equal(explorer.result, expected)


def test_band_explorer_errors(tickets):
    with pytest.raises(ValueError, match="band_rate_explorer: value_cols is empty"):
        band_rate_explorer(tickets, outcome_col="churned", value_cols=[])
    with pytest.raises(ValueError, match="band_rate_explorer: bands must be an int from 0 to 10"):
        band_rate_explorer(tickets, outcome_col="churned", value_cols="hours", bands=20)
    with pytest.raises(ValueError, match="band_rate_explorer: column 'nps' not found in data"):
        band_rate_explorer(tickets, outcome_col="churned", value_cols=["nps"])


def test_tables_show_counts_with_separators_not_exponents():
    from casekit._explorer import table_html

    html = table_html(pd.DataFrame({"n": [12345], "rate": [0.12345], "label": ["a"]}),
                      {"n": "{:,.0f}"})
    assert ">12,345<" in html and ">12.3%<" in html and "e+" not in html


def test_band_explorer_display_formats_counts(tickets):
    explorer = band_rate_explorer(tickets, outcome_col="churned", value_cols=["tickets"],
                                  bands=0)
    assert f"{int(explorer.result['n'].iloc[0]):,}" in explorer.display.value
