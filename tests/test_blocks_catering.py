"""catering comes out the same for every block size: numbers are keyed by the member."""

import numpy as np
import pandas as pd
import pytest

from casekit import _cases
from casekit._streams import Draws


def _run(n, locale, block_size):
    return _cases._generate("catering", n_customers=n, seed=23, locale=locale, dirty=False,
                            options={}, block_size=block_size)


def _assert_same(a, b):
    assert list(a.tables) == list(b.tables) == ["members", "menu", "visits", "visit_items",
                                                "stored_value"]
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name], obj=name)
    pd.testing.assert_frame_equal(a.truth, b.truth, obj="truth")


@pytest.mark.parametrize(("n", "locale", "sizes"), [
    (1500, "en_US", (1000, 37)),
    (400, "zh_CN", (150, 37, 1)),
])
def test_every_block_size_gives_the_same_case(n, locale, sizes):
    whole = _run(n, locale, n)
    for size in sizes:
        _assert_same(whole, _run(n, locale, size))


def test_the_identity_does_not_depend_on_the_blocks():
    one = _cases.collect(_cases._MODULES["catering"].simulate(
        np.random.default_rng(4), 90, "en_US", {}, block_size=90))
    many = _cases.collect(_cases._MODULES["catering"].simulate(
        np.random.default_rng(4), 90, "en_US", {}, block_size=7))
    pd.testing.assert_frame_equal(one["identity"], many["identity"])


def test_blocks_are_yielded_with_running_ids_and_the_members_done():
    blocks = list(_cases._MODULES["catering"].simulate(
        np.random.default_rng(2), 50, "en_US", {}, block_size=20))
    kinds = [b[0] for b in blocks]
    assert kinds == ["rows", "rows", "rows", "end"]
    assert [b[2] for b in blocks[:-1]] == [20, 40, 50]
    visits = [b[1]["visits"] for b in blocks[:-1]]
    ids = np.concatenate([v["order_id"].to_numpy() for v in visits])
    assert np.array_equal(ids, np.arange(1, len(ids) + 1))
    items = [b[1]["visit_items"] for b in blocks[:-1]]
    for visit, item in zip(visits, items, strict=True):
        assert set(item["order_id"]) == set(visit["order_id"])
    entries = np.concatenate([b[1]["stored_value"]["entry_id"].to_numpy() for b in blocks[:-1]])
    assert np.array_equal(entries, np.arange(1, len(entries) + 1))


def test_a_members_visits_are_sorted_and_the_first_is_the_join_date():
    case = _run(400, "en_US", 64)
    visits = case.visits
    assert visits["customer_id"].is_monotonic_increasing
    assert (visits.groupby("customer_id")["date"].diff().dropna() >= pd.Timedelta(0)).all()
    first = visits.groupby("customer_id")["date"].first()
    joined = case.members.set_index("customer_id")["join_date"]
    pd.testing.assert_series_equal(first, joined.loc[first.index], check_names=False)
    ledger = case.stored_value
    assert ledger["customer_id"].is_monotonic_increasing
    assert (ledger.groupby("customer_id")["date"].diff().dropna() >= pd.Timedelta(0)).all()


def test_a_credit_settlement_sums_the_members_credit_visits_of_the_month():
    case = _run(3000, "en_US", 500)
    credit = case.visits[case.visits["payment"] == "credit"]
    month_end = (credit["date"].dt.to_period("M").dt.to_timestamp(how="end").dt.normalize()
                 + pd.Timedelta(hours=12))
    expected = (credit.assign(date=month_end).groupby(["customer_id", "date"])["amount"].sum()
                .round(2))
    expected = expected[expected.index.get_level_values("date") < case.end]
    settled = (case.stored_value[case.stored_value["kind"] == "credit settlement"]
               .set_index(["customer_id", "date"])["amount"])
    assert len(expected) > 0
    pd.testing.assert_series_equal(settled, expected, check_names=False)


def test_poisson_events_are_the_same_in_any_block():
    from casekit import _engine as en

    rate = np.linspace(0.01, 0.5, 30)
    t0, t1 = np.linspace(0, 100, 30), np.full(30, 400.0)
    o, t = en.poisson_events(Draws(9, 0, 30), "e", rate, t0, t1)
    o2, t2 = en.poisson_events(Draws(9, 10, 30), "e", rate[10:], t0[10:], t1[10:])
    assert np.array_equal(o[o >= 10] - 10, o2) and np.array_equal(t[o >= 10], t2)
    assert np.all((t >= t0[o]) & (t < t1[o]))


def test_both_locales_give_the_same_behaviour_in_different_blocks():
    english = _run(400, "en_US", 64)
    chinese = _run(400, "zh_CN", 100)
    for name in ("visits", "visit_items", "stored_value"):
        pd.testing.assert_frame_equal(english.tables[name], chinese.tables[name], obj=name)
    pd.testing.assert_frame_equal(english.truth, chinese.truth)
    localised = ["name", "phone", "email", "address", "city"]
    pd.testing.assert_frame_equal(english.members.drop(columns=localised),
                                  chinese.members.drop(columns=localised))
    assert not english.members["name"].equals(chinese.members["name"])
