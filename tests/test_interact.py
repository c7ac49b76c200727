"""Interact analytics: A/B lift, rates by band, contact regularity, next outcome, renewals."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from casekit import (
    ab_lift,
    churn_in_period,
    contact_regularity,
    generate_case,
    next_outcome,
    rate_by_band,
    renewal_signals,
)


def _campaign(n=400, base=0.05, lift=0.05, seed=0, segment="small"):
    rng = np.random.default_rng(seed)
    treated = rng.random(n) < 0.5
    return pd.DataFrame({
        "group": np.where(treated, "treatment", "control"),
        "responded": rng.random(n) < base + lift * treated,
        "size_band": segment,
    })


def test_ab_lift_agrees_with_a_hand_computation():
    data = pd.concat([_campaign(seed=1), _campaign(seed=2, lift=0.0, segment="large")])
    out = ab_lift(data, by="size_band", confidence=0.9)
    part = data[data["size_band"] == "small"]
    pt = part.loc[part["group"] == "treatment", "responded"].mean()
    pc = part.loc[part["group"] == "control", "responded"].mean()
    nt = (part["group"] == "treatment").sum()
    nc = (part["group"] == "control").sum()
    se = np.sqrt(pt * (1 - pt) / nt + pc * (1 - pc) / nc)
    row = out.loc["small"]
    assert row["lift"] == pytest.approx(pt - pc)
    assert row["ci_low"] == pytest.approx(pt - pc - stats.norm.ppf(0.95) * se)
    assert row["ci_high"] == pytest.approx(pt - pc + stats.norm.ppf(0.95) * se)
    assert list(out.index) == ["large", "small"]
    assert out.index.name == "size_band"


def test_ab_lift_p_value_matches_the_chi_square_test():
    data = _campaign(n=600, seed=3)
    table = pd.crosstab(data["group"], data["responded"])
    chi2 = stats.chi2_contingency(table, correction=False)
    assert ab_lift(data).loc["all", "p_value"] == pytest.approx(chi2.pvalue)


def test_ab_lift_interval_covers_the_true_lift_about_95_percent_of_the_time():
    covered = [
        (row := ab_lift(_campaign(n=2000, base=0.1, lift=0.05, seed=s)).iloc[0])["ci_low"]
        <= 0.05 <= row["ci_high"]
        for s in range(200)
    ]
    assert 0.9 <= np.mean(covered) <= 0.99


def test_ab_lift_recovers_the_office_supplies_uplift():
    case = generate_case("office_supplies", n_customers=3000, seed=11)
    data = case.campaigns.merge(case.companies[["customer_id", "size_band"]])
    out = ab_lift(data, by="size_band", confidence=0.99)
    for band, lift in case.population["campaign_uplift"].items():
        assert out.loc[band, "ci_low"] <= lift <= out.loc[band, "ci_high"]


def test_ab_lift_does_not_mutate_input():
    data = _campaign()
    copy = data.copy()
    ab_lift(data)
    pd.testing.assert_frame_equal(data, copy)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"confidence": 1.5}, "ab_lift: confidence must be a number between 0 and 1"),
        ({"confidence": True}, "ab_lift: confidence must be"),
        ({"by": "region"}, "ab_lift: column 'region' not found in data"),
        ({"outcome_col": "bought"}, "ab_lift: column 'bought' not found in data"),
        ({"treatment": "offer"}, r"ab_lift: column 'group' must hold only 'offer' and 'control'"),
    ],
)
def test_ab_lift_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ab_lift(_campaign(), **kwargs)


def test_ab_lift_bad_outcome_and_missing_group():
    data = _campaign().assign(responded="yes")
    with pytest.raises(ValueError, match="ab_lift: column 'responded' in data must hold "
                                         "True/False or 0/1; found 400 other values"):
        ab_lift(data)
    one_sided = pd.concat([_campaign(), _campaign(segment="large").query("group == 'control'")])
    with pytest.raises(ValueError, match=r"ab_lift: segment\(s\) \['large'\] have no "
                                         "'treatment' rows"):
        ab_lift(one_sided, by="size_band")
    with pytest.raises(TypeError, match="ab_lift: data must be a pandas DataFrame; found list"):
        ab_lift([1, 2])


def test_rate_by_band_wilson_interval():
    data = pd.DataFrame({"x": [1] * 10 + [2] * 10, "y": [1] * 3 + [0] * 7 + [1] * 10})
    out = rate_by_band(data, value_col="x", outcome_col="y")
    assert out["n"].tolist() == [10, 10]
    assert out.loc[1, "rate"] == pytest.approx(0.3)
    # Wilson 95% interval for 3 of 10, from the textbook formula
    assert out.loc[1, "ci_low"] == pytest.approx(0.1078, abs=1e-4)
    assert out.loc[1, "ci_high"] == pytest.approx(0.6032, abs=1e-4)
    assert out.loc[2, "ci_high"] == pytest.approx(1.0)


def test_rate_by_band_quantiles_edges_and_missing_values():
    rng = np.random.default_rng(0)
    data = pd.DataFrame({"hours": rng.gamma(2, 3, 400), "churned": rng.random(400) < 0.3})
    data.loc[:9, "hours"] = np.nan
    quart = rate_by_band(data, value_col="hours", outcome_col="churned", bins=4)
    assert quart["n"].sum() == 390 and len(quart) == 4
    edges = rate_by_band(data, value_col="hours", outcome_col="churned", bins=[0, 5, 100])
    expected = data.dropna().groupby(data["hours"] > 5)["churned"].mean()
    assert edges["rate"].tolist() == pytest.approx(expected.tolist())


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"bins": [5, 1]}, "rate_by_band: bins must be None, an int or at least two increasing"),
        ({"bins": 0}, "rate_by_band: bins must be at least 1; found 0"),
        ({"bins": [0, 1]}, r"rate_by_band: 1 values of 'x' fall outside the edges \[0.0, 1.0\]"),
        ({"confidence": 0}, "rate_by_band: confidence must be a number between 0 and 1"),
        ({"value_col": "z"}, "rate_by_band: column 'z' not found in data"),
    ],
)
def test_rate_by_band_errors(kwargs, message):
    data = pd.DataFrame({"x": [0.5, 0.7, 3.0], "y": [1, 0, 1], "t": ["a", "b", "a"]})
    with pytest.raises(ValueError, match=message):
        rate_by_band(data, **{"value_col": "x", "outcome_col": "y", **kwargs})


def test_rate_by_band_text_with_bins_and_empty_values():
    data = pd.DataFrame({"t": ["a", "b"], "e": [np.nan, np.nan], "y": [1, 0]})
    with pytest.raises(ValueError, match="rate_by_band: bins needs numbers in column 't'"):
        rate_by_band(data, value_col="t", outcome_col="y", bins=2)
    with pytest.raises(ValueError, match="rate_by_band: column 'e' has no values"):
        rate_by_band(data, value_col="e", outcome_col="y")
    with pytest.raises(ValueError, match="rate_by_band: column 't' in data must hold True/False"):
        rate_by_band(data, value_col="y", outcome_col="t")


def test_contact_regularity_tells_steady_from_random():
    case = generate_case("office_supplies", n_customers=400, seed=2)
    regularity = contact_regularity(case.contacts)
    flags = case.truth.set_index("customer_id")["irregular_contact"]
    joined = regularity.join(flags).dropna(subset=["gap_cv"])
    assert joined.groupby("irregular_contact")["gap_cv"].median().diff().iloc[-1] > 0.5
    assert regularity["n_contacts"].sum() == len(case.contacts)


def test_contact_regularity_needs_three_contacts_and_dates():
    contacts = pd.DataFrame({"customer_id": ["a", "a", "b"],
                             "date": ["2024-01-01", "2024-02-01", "2024-01-01"]})
    out = contact_regularity(contacts)
    assert out["gap_cv"].isna().all()
    assert out.loc["a", "mean_gap_days"] == 31
    with pytest.raises(ValueError, match="contact_regularity: column 'date' has 1 values that "
                                         "are not dates"):
        contact_regularity(contacts.assign(date=["2024-01-01", "soon", "2024-01-02"]))


def test_next_outcome_links_forward_only():
    events = pd.DataFrame({"customer_id": ["a", "a", "b"], "score": [1, 2, 3],
                           "date": pd.to_datetime(["2020-01-01", "2022-06-01", "2020-01-01"])})
    outcomes = pd.DataFrame({"customer_id": ["a", "b"], "renewed": [False, True],
                             "renewal_date": pd.to_datetime(["2021-01-01", "2019-01-01"])})
    out = next_outcome(events, outcomes)
    assert out[["customer_id", "score", "renewed"]].to_dict("records") == [
        {"customer_id": "a", "score": 1, "renewed": False}]
    with pytest.raises(ValueError, match="next_outcome: column 'renewed' not found in outcomes"):
        next_outcome(events, outcomes.drop(columns="renewed"))


@pytest.fixture(scope="module")
def insurance():
    return generate_case("insurance", n_customers=1500, seed=8)


def test_renewal_signals_one_row_per_decision(insurance):
    signals = renewal_signals(insurance)
    assert len(signals) == len(insurance.renewals)
    assert signals["renewed"].mean() == pytest.approx(insurance.renewals["renewed"].mean())
    assert signals["complaints_year"].sum() <= len(insurance.complaints)
    reminded = insurance.reminders.groupby(["customer_id", "renewal_date"]).size()
    assert signals["reminded"].sum() == len(reminded)
    has_complaint = signals["complaints_year"] > 0
    assert (signals["complaint_days"].notna() == has_complaint).all()
    row = signals[has_complaint].iloc[0]
    k = insurance.complaints
    mine = k[(k["customer_id"] == row["customer_id"]) & (k["date"] < row["renewal_date"])
             & (k["date"] >= row["renewal_date"] - pd.Timedelta(days=365))]
    assert row["complaint_days"] == pytest.approx(mine["days_to_resolve"].mean())
    assert row["complaints_year"] == len(mine)


def test_renewal_signals_see_the_true_service_effects(insurance):
    signals = renewal_signals(insurance)
    truth = insurance.truth.set_index("customer_id")
    slow = signals["branch_settlement_days"] > 20
    assert (slow == signals["customer_id"].map(truth["slow_branch"])).mean() > 0.95
    rates = signals.groupby(slow)["renewed"].mean()
    assert rates[False] > rates[True]


def test_renewal_signals_wrong_case():
    with pytest.raises(ValueError, match="renewal_signals: needs the insurance case; found "
                                         "DataFrame"):
        renewal_signals(pd.DataFrame())


def test_churn_in_period_reproduces_the_office_supplies_card():
    case = generate_case("office_supplies", n_customers=1500, seed=12)
    rates = {year: churn_in_period(case.truth, start=f"{year}-01-01",
                                   end=f"{year + 1}-01-01")["lost"].mean()
             for year in (2023, 2024)}
    assert rates[2024] - rates[2023] > 0.1
    at_risk = churn_in_period(case.truth, start="2024-01-01", end="2025-01-01")
    truth = case.truth.set_index("customer_id").loc[at_risk.index]
    assert (truth["acquisition_date"] < "2024-01-01").all()
    assert at_risk["lost"].sum() == truth["churn_date"].notna().sum()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"start": "2024-01-01", "end": "2023-01-01"}, "churn_in_period: end must come after "
                                                       "start; found start 2024-01-01"),
        ({"start": "soon", "end": "2023-01-01"}, "churn_in_period: start must be a date"),
        ({"start": "2023-01-01", "end": "2024-01-01", "since_col": "joined"},
         "churn_in_period: column 'joined' not found in truth"),
    ],
)
def test_churn_in_period_errors(kwargs, message):
    truth = pd.DataFrame({"customer_id": ["a"], "acquisition_date": ["2022-01-01"],
                          "churn_date": [pd.NaT]})
    with pytest.raises(ValueError, match=message):
        churn_in_period(truth, **kwargs)
    with pytest.raises(ValueError, match="churn_in_period: column 'churn_date' has 1 values "
                                         "that are not dates"):
        churn_in_period(truth.assign(churn_date="later"), start="2023-01-01", end="2024-01-01")
