"""The scenario simulator: plans played forward against the truth, the baseline, the leaderboard."""

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casekit import (
    Plan,
    generate_case,
    leaderboard,
    list_cases,
    read_plan,
    simulate,
    simulator_card,
    simulator_decisions,
)
from casekit.cli import main

SIMULATED = list_cases()


@pytest.fixture(scope="module")
def cases():
    return {name: generate_case(name, n_customers=1500, seed=11) for name in SIMULATED}


def _value(decision):
    """A hypothesis strategy for one decision's allowed values."""
    if decision["kind"] == "choice":
        return st.sampled_from(decision["allowed"])
    if decision["kind"] == "number":
        low, high = (float(x) for x in decision["allowed"].split(" to "))
        return st.floats(low, high)
    return st.lists(st.sampled_from(decision["allowed"]), unique=True)


def _plans(name):
    table = simulator_decisions(name)
    return st.fixed_dictionaries({}, optional={d: _value(row) for d, row in table.iterrows()})


MONEY = ["revenue", "gross_margin", "decision_cost", "write_offs", "net"]


# --- properties -----------------------------------------------------------------------

@pytest.mark.parametrize("name", SIMULATED)
def test_doing_nothing_costs_nothing_and_changes_nothing(cases, name):
    defaults = simulator_decisions(name)["default"].to_dict()
    for plan in ({}, defaults, Plan(defaults, name="as now")):
        out = simulate(cases[name], plan, seed=3)
        pd.testing.assert_series_equal(out.loc["plan"], out.loc["baseline"], check_names=False)
        assert (out.loc["difference"] == 0).all()
        assert out.loc["plan", "decision_cost"] == 0


@pytest.mark.parametrize("name", SIMULATED)
def test_random_plans_are_deterministic_and_share_the_baseline(cases, name):
    case = cases[name]
    reference = simulate(case, {}, seed=5).loc["baseline"]

    @settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(plan=_plans(name))
    def check(plan):
        out = simulate(case, plan, seed=5)
        pd.testing.assert_frame_equal(out, simulate(case, plan, seed=5))
        pd.testing.assert_series_equal(out.loc["baseline"], reference)
        row = out.loc["plan"]
        assert row["net"] == pytest.approx(row["gross_margin"] - row["decision_cost"]
                                           - row["write_offs"], abs=0.02)
        assert row["customers_kept"] + row["customers_lost"] == row["customers_start"]
        assert np.isfinite(out[MONEY].to_numpy()).all()
        assert out.loc["difference"].to_numpy() == pytest.approx(
            (out.loc["plan"] - out.loc["baseline"]).to_numpy(), abs=0.006)

    check()


@pytest.mark.parametrize("name", SIMULATED)
def test_starts_from_the_customers_alive_in_truth_and_leaves_the_case_alone(cases, name):
    case = cases[name]
    truth = case.truth.copy()
    out = simulate(case, {}, seed=1)
    assert out.loc["baseline", "customers_start"] == truth["alive"].sum()
    pd.testing.assert_frame_equal(case.truth, truth)


def test_a_generator_seed_gives_the_same_draws_as_its_int(cases):
    case = cases["insurance"]
    plan = {"reminders": "sms"}
    pd.testing.assert_frame_equal(simulate(case, plan, seed=np.random.default_rng(4)),
                                  simulate(case, plan, seed=4), check_like=True,
                                  check_exact=True, obj="outcome")


def test_seeds_change_the_draws_but_not_the_customers(cases):
    case = cases["insurance"]
    a, b = simulate(case, {}, seed=1), simulate(case, {}, seed=2)
    assert a.loc["baseline", "customers_start"] == b.loc["baseline", "customers_start"]
    assert a.loc["baseline", "customers_kept"] != b.loc["baseline", "customers_kept"]


def test_insurance_baseline_renews_at_the_true_rate(cases):
    case = cases["insurance"]
    alive = case.truth[case.truth["alive"]]
    expected = float((1 - alive["theta"]).sum())
    sd = float(np.sqrt((alive["theta"] * (1 - alive["theta"])).sum()))
    kept = np.mean([simulate(case, {}, seed=s).loc["baseline", "customers_kept"]
                    for s in range(10)])
    assert abs(kept - expected) < 4 * sd / np.sqrt(10)


def test_fast_settlement_renews_at_the_rate_the_model_gives(cases):
    case = cases["insurance"]
    alive = case.truth[case.truth["alive"]]
    from casekit._specs import INSURANCE

    mods = INSURANCE["modifiers"]
    # At the fast branches' speed the slow-branch effect is gone.
    effect = (np.where(alive["complaint_prone"], mods["complaint_prone"]["effect"], 1.0)
              * np.where(alive["unreminded"], mods["unreminded"]["effect"], 1.0))
    theta = 1 - (1 - alive["theta_base"]) ** effect
    expected = float((1 - theta).sum())
    sd = float(np.sqrt((theta * (1 - theta)).sum()))
    kept = np.mean([simulate(case, {"settlement_days": 10}, seed=s).loc["plan", "customers_kept"]
                    for s in range(10)])
    assert abs(kept - expected) < 4 * sd / np.sqrt(10)


def test_costs_are_the_same_numbers_in_both_locales():
    # The zh_CN data keep the English amounts and call them yuan, so do the decision costs.
    outs = []
    for locale in ("en_US", "zh_CN"):
        case = generate_case("insurance", n_customers=800, seed=5, locale=locale)
        alive = case.truth[case.truth["alive"]]
        out = simulate(case, {"reminders": "sms"}, seed=0)
        assert out.loc["plan", "decision_cost"] == pytest.approx(
            0.05 * alive["unreminded"].sum(), abs=0.01)
        outs.append(out)
    pd.testing.assert_frame_equal(*outs)


def test_without_switching_outages_lose_no_one():
    case = generate_case("utility", n_customers=1500, seed=4, market="regulated")
    out = simulate(case, {"outage_response": "apology credit"}, seed=0).loc["difference"]
    assert out["customers_kept"] == 0 and out["gross_margin"] == 0 and out["decision_cost"] > 0


# --- harmful below, helpful above ------------------------------------------------------

@pytest.fixture(scope="module")
def insurance():
    return generate_case("insurance", n_customers=6000, seed=2)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_stopping_reminders_is_harmful_and_calling_is_helpful(insurance, seed):
    none = simulate(insurance, {"reminders": "none"}, seed=seed).loc["difference"]
    assert none["customers_kept"] < 0 and none["net"] < 0 and none["decision_cost"] < 0
    sms = simulate(insurance, {"reminders": "sms"}, seed=seed).loc["difference"]
    assert sms["customers_kept"] > 0 and sms["net"] > 0 and sms["decision_cost"] > 0
    # A call reaches more holders than an SMS but costs far more: more kept, more margin.
    calls = simulate(insurance, {"reminders": "agent call"}, seed=seed).loc["difference"]
    assert calls["customers_kept"] >= sms["customers_kept"]
    assert calls["gross_margin"] > 0 and calls["decision_cost"] > 20 * sms["decision_cost"]


def test_faster_settlement_keeps_more_the_faster_it_is(insurance):
    kept = [simulate(insurance, {"settlement_days": d}, seed=0).loc["plan", "customers_kept"]
            for d in (32, 25, 18, 10)]
    cost = [simulate(insurance, {"settlement_days": d}, seed=0).loc["plan", "decision_cost"]
            for d in (32, 25, 18, 10)]
    assert kept == sorted(kept) and kept[-1] > kept[0]
    assert cost == sorted(cost) and cost[0] == 0


def test_cross_sell_offers_sell_more_through_banks_per_offer(insurance):
    bank = simulate(insurance, {"cross_sell": "bank"}, seed=0).loc["difference"]
    every = simulate(insurance, {"cross_sell": "all"}, seed=0).loc["difference"]
    assert bank["revenue"] > 0 and every["revenue"] > bank["revenue"]
    assert bank["gross_margin"] / bank["decision_cost"] > every["gross_margin"] / every[
        "decision_cost"]
    assert bank["customers_kept"] == 0  # the model has no effect of a second policy on lapsing


@pytest.fixture(scope="module")
def utility():
    return generate_case("utility", n_customers=4000, seed=4)


@pytest.mark.parametrize("response", ["apology credit", "grid maintenance"])
def test_outage_responses_never_lose_a_customer_the_baseline_keeps(utility, response):
    for seed in range(3):
        out = simulate(utility, {"outage_response": response}, seed=seed)
        assert out.loc["difference", "customers_kept"] >= 0
        assert out.loc["difference", "decision_cost"] > 0


def test_strict_arrears_lose_customers_over_three_years(utility):
    lost = [simulate(utility, {"arrears_policy": "strict"}, seed=s, years=3)
            .loc["difference", "customers_lost"] for s in range(3)]
    assert sum(lost) > 0


def test_more_years_keep_fewer_customers(utility):
    kept = [simulate(utility, {}, seed=0, years=y).loc["baseline", "customers_kept"]
            for y in (1, 2, 3)]
    assert kept[0] > kept[1] > kept[2]


@pytest.fixture(scope="module")
def office():
    return generate_case("office_supplies", n_customers=4000, seed=1)


@pytest.fixture(scope="module")
def catering():
    return generate_case("catering", n_customers=5000, seed=4)


def test_regular_visits_keep_every_account_the_baseline_keeps(office):
    for seed in range(3):
        out = simulate(office, {"regular_visits": ["A", "B", "C", "D"]}, seed=seed)
        assert out.loc["difference", "customers_kept"] > 0
        assert out.loc["difference", "decision_cost"] > 0


def test_a_discount_to_active_accounts_costs_more_margin_than_it_keeps(office):
    out = simulate(office, {"retention_offer": ["A"]}, seed=0).loc["difference"]
    assert out["customers_kept"] >= 0 and out["gross_margin"] < 0 and out["net"] < 0


def test_tier_lists_ignore_order_and_repeats_of_a_set(office):
    a = simulate(office, {"premium_service": ["B", "A"]}, seed=0)
    b = simulate(office, {"premium_service": ("A", "B")}, seed=0)
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs["plan"]["premium_service"] == ("A", "B")


@pytest.mark.parametrize("seed", [0, 1])
def test_longer_waits_lose_members_and_shorter_ones_keep_them(catering, seed):
    slow = simulate(catering, {"wait_target": 20}, seed=seed).loc["difference"]
    assert slow["customers_kept"] < 0 and slow["gross_margin"] < 0 and slow["decision_cost"] < 0
    fast = simulate(catering, {"wait_target": 8}, seed=seed).loc["difference"]
    assert fast["customers_kept"] > 0 and fast["decision_cost"] > 0


def test_offers_to_regulars_pay_more_than_offers_to_lapsing_members(catering):
    regular = simulate(catering, {"one_to_one_offers": ["regular"]}, seed=0).loc["difference"]
    lapsing = simulate(catering, {"one_to_one_offers": ["lapsing"]}, seed=0).loc["difference"]
    assert regular["revenue"] > lapsing["revenue"] > 0
    assert regular["net"] > lapsing["net"]


def test_credit_offer_and_withdrawal_move_members_both_ways(catering):
    offer = simulate(catering, {"credit_for_regulars": "offer to all regulars"}, seed=0)
    withdraw = simulate(catering, {"credit_for_regulars": "withdraw"}, seed=0)
    assert offer.loc["difference", "customers_kept"] >= 0
    assert withdraw.loc["difference", "customers_kept"] <= 0
    assert withdraw.loc["difference", "decision_cost"] <= 0


def test_a_truth_without_latent_rates_is_reported(catering):
    import copy

    broken = copy.copy(catering)
    broken.truth = catering.truth.drop(columns=["mu"])
    with pytest.raises(ValueError, match=r"simulate: the truth of case 'catering' has no "
                                         r"column 'mu'; columns are"):
        simulate(broken, {})


# --- the card and the decision table ----------------------------------------------------

@pytest.mark.parametrize("name", SIMULATED)
def test_card_states_every_decision_with_its_values(name):
    card = simulator_card(name)
    table = simulator_decisions(name)
    for decision, row in table.iterrows():
        assert f"`{decision}`" in card
        if row["kind"] != "number":
            for value in row["allowed"]:
                assert f"`{value}`" in card
    assert "What it cannot tell" in card


def test_card_gives_the_generators_effect_sizes():
    from casekit._specs import INSURANCE, UTILITY

    insurance = simulator_card("insurance")
    for key in ("slow_branch", "unreminded", "complaint_prone"):
        assert f"{INSURANCE['modifiers'][key]['effect']:g}" in insurance
    utility = simulator_card("utility")
    for key in ("arrears_move", "arrears_switch", "outage_switch"):
        assert f"exp({UTILITY[key]:g})" in utility


# --- errors ------------------------------------------------------------------------------

def test_errors_name_the_decision_and_its_allowed_values(cases):
    case = cases["insurance"]
    with pytest.raises(ValueError, match=r"simulate: decision 'reminders' of case 'insurance' "
                                         r"must be one of \['as now', 'none', 'sms'"):
        simulate(case, {"reminders": "fax"})
    with pytest.raises(ValueError, match=r"decision 'settlement_days' .* must be a number "
                                         r"from 10 to 32; found 5"):
        simulate(case, {"settlement_days": 5})
    with pytest.raises(ValueError, match=r"must be a number from 10 to 32; found True"):
        simulate(case, {"settlement_days": True})
    with pytest.raises(ValueError, match=r"must be a number from 10 to 32; found nan"):
        simulate(case, {"settlement_days": float("nan")})
    with pytest.raises(ValueError, match=r"unknown decision\(s\) \['arrears_policy'\] for case "
                                         r"'insurance'; decisions are \['reminders'"):
        simulate(case, {"arrears_policy": "strict"})
    with pytest.raises(TypeError, match=r"simulate: plan must be a dict of decisions or a "
                                        r"casekit.Plan; found list"):
        simulate(case, ["reminders"])
    with pytest.raises(TypeError, match=r"simulate: case must be a casekit Case .*found str"):
        simulate("insurance", {})
    with pytest.raises(ValueError, match=r"simulate: years must be a whole number from 1 to 5; "
                                         r"found 0"):
        simulate(case, {}, years=0)
    with pytest.raises(ValueError, match=r"years must be a whole number from 1 to 5; found 1.5"):
        simulate(case, {}, years=1.5)
    with pytest.raises(TypeError, match=r"simulate: seed must be a non-negative int"):
        simulate(case, {}, seed="1")


def test_tier_errors_list_the_tiers(cases):
    case = cases["office_supplies"]
    with pytest.raises(ValueError, match=r"decision 'regular_visits' of case 'office_supplies': "
                                         r"unknown tier\(s\) \['E'\]; tiers are \['A', 'B'"):
        simulate(case, {"regular_visits": ["A", "E"]})
    with pytest.raises(ValueError, match=r"decision 'regular_visits' .* must be a list of tiers "
                                         r"from \['A', 'B', 'C', 'D'\]; found 'A'"):
        simulate(case, {"regular_visits": "A"})


def test_plan_checks_its_fields():
    with pytest.raises(TypeError, match=r"Plan: decisions must be a mapping .* found list"):
        Plan(["sms"])
    with pytest.raises(TypeError, match=r"Plan: name must be a non-empty str; found ''"):
        Plan({}, name="")


def test_card_and_table_reject_unknown_cases():
    with pytest.raises(ValueError, match=r"simulator_card: unknown case 'bakery'; choose one"):
        simulator_card("bakery")
    with pytest.raises(ValueError, match=r"simulator_decisions: unknown case 'bakery'"):
        simulator_decisions("bakery")


# --- plan files and the leaderboard -----------------------------------------------------

def test_read_plan_reads_json_and_toml(tmp_path):
    (tmp_path / "red.json").write_text(json.dumps({"team": "Red", "reminders": "sms"}))
    (tmp_path / "blue.toml").write_text('[decisions]\nreminders = "letter"\n'
                                        'settlement_days = 20\n')
    assert read_plan(tmp_path / "red.json") == Plan({"reminders": "sms"}, name="Red")
    blue = read_plan(tmp_path / "blue.toml")
    assert blue.name == "blue" and dict(blue.decisions) == {"reminders": "letter",
                                                            "settlement_days": 20}


def test_read_plan_errors(tmp_path):
    with pytest.raises(ValueError, match=r"read_plan: plan file .*plan.yaml' must end in .json"):
        read_plan(tmp_path / "plan.yaml")
    with pytest.raises(OSError, match=r"read_plan: cannot read plan file .*missing.json"):
        read_plan(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text("{reminders: sms")
    with pytest.raises(ValueError, match=r"read_plan: plan file .*bad.json' is not valid JSON"):
        read_plan(tmp_path / "bad.json")
    (tmp_path / "list.json").write_text("[1, 2]")
    with pytest.raises(ValueError, match=r"must hold a table of decisions; found list"):
        read_plan(tmp_path / "list.json")
    (tmp_path / "mixed.json").write_text('{"decisions": {"reminders": "sms"}, "cross_sell": 1}')
    with pytest.raises(ValueError, match=r"has keys \['cross_sell'\] beside 'team' and "
                                         r"'decisions'"):
        read_plan(tmp_path / "mixed.json")


def test_leaderboard_ranks_by_net_gain(insurance, tmp_path):
    plans = {"calls": {"reminders": "agent call"}, "silence": {"reminders": "none"},
             "as now": {}}
    board = leaderboard(insurance, plans, seed=3)
    assert list(board["team"]) == ["calls", "as now", "silence"]
    assert list(board.index) == [1, 2, 3]
    calls = simulate(insurance, plans["calls"], seed=3).loc["difference"]
    assert board.loc[1, "net_gain"] == calls["net"]
    assert board.loc[1, "kept_gain"] == calls["customers_kept"]
    (tmp_path / "calls.json").write_text(json.dumps(plans["calls"]))
    from_files = leaderboard(insurance, [tmp_path / "calls.json", Plan({}, name="as now")],
                             seed=3)
    assert list(from_files["team"]) == ["calls", "as now"]


def test_leaderboard_errors(insurance):
    with pytest.raises(ValueError, match=r"leaderboard: plan of team 'red': decision "
                                         r"'reminders' of case 'insurance' must be one of"):
        leaderboard(insurance, {"red": {"reminders": "fax"}})
    with pytest.raises(ValueError, match=r"leaderboard: team name\(s\) \['red'\] appear more "
                                         r"than once"):
        leaderboard(insurance, [Plan({}, name="red"), Plan({}, name="red")])
    with pytest.raises(ValueError, match=r"leaderboard: years must be a whole number from 1 "
                                         r"to 5; found 9"):
        leaderboard(insurance, {"a": {}}, years=9)
    with pytest.raises(ValueError, match=r"leaderboard: no plans to rank"):
        leaderboard(insurance, {})
    with pytest.raises(TypeError, match=r"leaderboard: seed must be an int so that every plan "
                                        r"meets the same draws; found NoneType"):
        leaderboard(insurance, {"a": {}}, seed=None)
    with pytest.raises(TypeError, match=r"a list of plans must hold Plan objects or file "
                                        r"paths; found dict"):
        leaderboard(insurance, [{"reminders": "sms"}])


def test_cli_leaderboard_ranks_plan_files(tmp_path, capsys):
    (tmp_path / "calls.json").write_text(json.dumps({"team": "Calls",
                                                     "reminders": "agent call"}))
    (tmp_path / "quiet.toml").write_text('team = "Quiet"\nreminders = "none"\n')
    status = main(["leaderboard", str(tmp_path / "calls.json"), str(tmp_path / "quiet.toml"),
                   "--case", "insurance", "--seed", "7"])
    out = capsys.readouterr().out
    assert status == 0
    assert out.splitlines()[0] == "insurance, seed 7, 1 year(s); gains over the baseline"
    assert out.index("Calls") < out.index("Quiet")


def test_cli_leaderboard_errors(tmp_path, capsys):
    (tmp_path / "bad.json").write_text(json.dumps({"reminders": "fax"}))
    assert main(["leaderboard", str(tmp_path / "bad.json"), "--case", "insurance",
                 "--seed", "1"]) == 2
    assert "plan of team 'bad': decision 'reminders'" in capsys.readouterr().err
    assert main(["leaderboard", str(tmp_path / "bad.json"), "--case", "bakery",
                 "--seed", "1"]) == 2
    assert "unknown case 'bakery'" in capsys.readouterr().err
    assert main(["leaderboard", str(tmp_path / "bad.json"), "--case", "insurance",
                 "--seed", "-1"]) == 2
    assert "--seed must be a non-negative integer; found '-1'" in capsys.readouterr().err
