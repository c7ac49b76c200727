"""Account durations, exit rates by arrears and the arrears-policy what-if."""

import numpy as np
import pandas as pd
import pytest

from casekit import (
    account_durations,
    arrears_churn,
    arrears_policy,
    generate_case,
    kaplan_meier,
)


@pytest.fixture(scope="module")
def utility():
    return generate_case("utility", n_customers=300, seed=11)


def _bills():
    return pd.DataFrame({
        "customer_id": ["a", "a", "a", "b", "b", "c", "c"],
        "amount": [100.0, 100, 100, 40, 40, 60, 60],
        "gross_margin": [30.0, 30, 30, 10, 10, 20, 20],
        "previous_balance": [0.0, 50, 250, 0, 100, 0, 0],
        "final_bill": [False, False, True, False, False, False, True],
    })


# account_durations

def test_durations_censor_open_accounts_and_ignore_later_ends():
    acc = pd.DataFrame({"customer_id": ["z", "y", "x", "w"],
                        "start_date": ["2024-01-01", "2024-01-01", "2024-02-01", "2025-01-01"],
                        "end_date": ["2024-01-11", "2024-12-01", None, None]})
    out = account_durations(acc, as_of="2024-03-01", unit="day")
    assert out.index.tolist() == ["x", "y", "z"]  # w opened after as_of
    assert out["duration"].tolist() == [29.0, 60.0, 10.0]
    assert out["observed"].tolist() == [False, False, True]
    months = account_durations(acc, as_of="2024-03-01")
    assert months.loc["z", "duration"] == pytest.approx(10 / (365.25 / 12))
    assert acc["end_date"].iloc[2] is None  # input untouched


def test_durations_agree_with_the_truth(utility):
    out = account_durations(utility.accounts, as_of=utility.end)
    truth = utility.truth.set_index("customer_id")
    assert (out["observed"] == ~truth.loc[out.index, "alive"]).all()
    km = kaplan_meier(out["duration"], out["observed"])
    assert km["survival"].is_monotonic_decreasing


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"unit": "year"}, r"account_durations: unit must be one of \['month', 'day'\]"),
        ({"as_of": "soon"}, "account_durations: as_of must be a date"),
        ({"as_of": "1999-01-01"}, "account_durations: no account started on or before as_of"),
        ({"end_col": "closed"}, "account_durations: column 'closed' not found in accounts"),
    ],
)
def test_durations_bad_arguments(kwargs, match):
    acc = pd.DataFrame({"customer_id": ["a"], "start_date": ["2024-01-01"],
                        "end_date": [None]})
    with pytest.raises(ValueError, match=match):
        account_durations(acc, **{"as_of": "2024-06-30", **kwargs})


def test_durations_bad_tables():
    acc = pd.DataFrame({"customer_id": ["a", "b"], "start_date": ["2024-01-01", "2024-02-01"],
                        "end_date": ["later", "2023-01-01"]})
    with pytest.raises(ValueError, match=r"account_durations: column 'end_date' has 1 values "
                                         r"that are not dates, e.g. \['later'\]"):
        account_durations(acc, as_of="2024-06-30")
    acc.loc[0, "end_date"] = None
    with pytest.raises(ValueError, match=r"1 accounts end before they start, e.g. \['b'\]"):
        account_durations(acc, as_of="2024-06-30")
    with pytest.raises(ValueError, match="column 'customer_id' must be unique in accounts"):
        account_durations(pd.concat([acc, acc]), as_of="2024-06-30")
    with pytest.raises(TypeError, match="account_durations: accounts must be a pandas DataFrame"):
        account_durations([1, 2], as_of="2024-06-30")


# arrears_churn

def test_churn_by_band_counts_account_months():
    out = arrears_churn(_bills(), bands=(1.0,))
    assert out.index.tolist() == ["none", "0-1", ">1"]
    # a: 0.5 and 2.5 bills in arrears; b: 2.5 bills
    assert out["account_months"].tolist() == [4, 1, 2]
    assert out["exits"].tolist() == [1, 0, 1]
    assert out.loc[">1", "exit_rate"] == 0.5
    assert out.loc[">1", "rate_ratio"] == 2.0
    assert out["account_months"].sum() == len(_bills())


def test_churn_leaves_out_empty_bands_and_says_so():
    with pytest.warns(UserWarning, match=r"arrears_churn: no bill falls in the arrears bands "
                                         r"\['1-2', '>4'\], so they have no exit rate and are "
                                         r"left out"):
        out = arrears_churn(_bills(), bands=(1.0, 2.0, 4.0))
    assert out.index.tolist() == ["none", "0-1", "2-4"]
    assert out["account_months"].tolist() == [4, 1, 2]
    assert np.isfinite(out.to_numpy(float)).all()


def test_churn_needs_exits_without_arrears():
    bills = _bills()
    with pytest.raises(ValueError, match=r"arrears_churn: rate_ratio compares .* there is no "
                                         r"bill without arrears"):
        arrears_churn(bills.loc[bills["previous_balance"] > 0])
    with pytest.raises(ValueError, match=r"arrears_churn: rate_ratio compares .* there is no "
                                         r"exit in the 2 account-months without arrears"):
        arrears_churn(bills.loc[bills["customer_id"] != "c"])


def test_churn_is_higher_in_arrears(utility):
    out = arrears_churn(utility.bills, bands=(2.0,))
    in_arrears = out.iloc[1:]
    rate = in_arrears["exits"].sum() / in_arrears["account_months"].sum()
    assert rate > out.loc["none", "exit_rate"]


@pytest.mark.parametrize("bands", [(), (1.5, 0.5), (0, 1), (np.inf,), "1.5", [[1, 2]]])
def test_churn_bad_bands(bands):
    with pytest.raises(ValueError, match="arrears_churn: bands must be increasing positive"):
        arrears_churn(_bills(), bands=bands)


def test_churn_bad_bills():
    bills = _bills()
    with pytest.raises(ValueError, match="arrears_churn: column 'previous_balance' not found"):
        arrears_churn(bills.drop(columns="previous_balance"))
    with pytest.raises(ValueError, match="column 'final_bill' must hold True/False"):
        arrears_churn(bills.assign(final_bill="no"))
    with pytest.raises(ValueError, match="column 'previous_balance' must be >= 0"):
        arrears_churn(bills.assign(previous_balance=-1.0))
    with pytest.raises(ValueError, match=r"positive median bill in 'amount'.*\['b'\]"):
        arrears_churn(bills.assign(amount=np.where(bills["customer_id"] == "b", 0.0, 5.0)))


# arrears_policy

def test_policy_by_hand():
    bills = _bills()
    before = bills.copy()
    # in arrears: a 0.5 bills (stays), a 2.5 bills (leaves), b 2.5 bills (stays): h = 1/3
    out = arrears_policy(bills, threshold=1.0, churn_ratio=1.5, recovery=0.5, value_months=10)
    h = 1 / 3
    assert out["exit_rate_in_arrears"] == pytest.approx(h)
    assert out[["months_in_arrears", "months_acted_on", "accounts_acted_on"]].tolist() == [3, 2, 2]
    assert out["extra_exits"] == pytest.approx(2 * 0.5 * h)
    assert out["margin_lost"] == pytest.approx(0.5 * h * 10 * (30 + 10))
    assert out["bad_debt_lenient"] == pytest.approx(h * 400)
    assert out["bad_debt_avoided"] == pytest.approx((h - 1.5 * h * 0.5) * 350)
    assert out["net_effect"] == pytest.approx(out["bad_debt_avoided"] - out["margin_lost"])
    pd.testing.assert_frame_equal(bills, before)


def test_policy_limits():
    lenient = arrears_policy(_bills(), threshold=10.0)
    assert lenient[["months_acted_on", "extra_exits", "net_effect"]].tolist() == [0, 0, 0]
    # acting changes nothing when it neither recovers money nor scares anyone away
    idle = arrears_policy(_bills(), threshold=0.0, churn_ratio=1.0, recovery=0.0)
    assert idle["net_effect"] == 0
    capped = arrears_policy(_bills(), threshold=0.0, churn_ratio=10.0)
    assert capped["extra_exits"] == pytest.approx(3 * (1 - 1 / 3))


def test_policy_on_a_case(utility):
    values = [arrears_policy(utility.bills, threshold=t)["months_acted_on"]
              for t in (0.0, 1.0, 2.0, 5.0)]
    assert values == sorted(values, reverse=True)
    assert values[0] == (utility.bills["previous_balance"] > 0).sum()


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"threshold": -1}, ValueError, "arrears_policy: threshold must be >= 0"),
        ({"threshold": "1.5"}, TypeError, "arrears_policy: threshold must be a number"),
        ({"churn_ratio": 0.5}, ValueError, "arrears_policy: churn_ratio must be >= 1"),
        ({"recovery": 1.2}, ValueError, "arrears_policy: recovery must be <= 1"),
        ({"value_months": -3}, ValueError, "arrears_policy: value_months must be >= 0"),
        ({"amount_col": "bill"}, ValueError, "arrears_policy: column 'bill' not found in bills"),
    ],
)
def test_policy_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        arrears_policy(_bills(), **kwargs)


def test_policy_without_arrears():
    with pytest.raises(ValueError, match="arrears_policy: no bill carries arrears"):
        arrears_policy(_bills().assign(previous_balance=0.0))
