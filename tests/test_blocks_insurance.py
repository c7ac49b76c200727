"""insurance generated block by block: the same tables for every block size."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from casekit import _cases, _engine
from casekit._streams import Draws


def _case(n, locale, block_size, seed=4):
    return _cases._generate("insurance", n_customers=n, seed=seed, locale=locale, dirty=False,
                            options={}, block_size=block_size)


def _assert_same(a, b):
    assert list(a.tables) == list(b.tables)
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name], obj=name)
    pd.testing.assert_frame_equal(a.truth, b.truth, obj="truth")


@pytest.fixture(scope="module")
def whole():
    return _case(1200, "en_US", 1200)


@pytest.mark.parametrize("block_size", [1000, 37])
def test_every_block_size_gives_the_same_case(whole, block_size):
    _assert_same(whole, _case(1200, "en_US", block_size))


def test_block_sizes_from_one_to_above_n_in_zh_locale():
    whole = _case(300, "zh_CN", 300, seed=9)
    for block_size in [1000, 37, 1]:
        _assert_same(whole, _case(300, "zh_CN", block_size, seed=9))


def test_identity_is_the_same_for_every_block_size(whole):
    sim = _cases.collect(_cases._MODULES["insurance"].simulate(
        np.random.default_rng(4), 1200, "en_US", {}, block_size=37))
    again = _cases.collect(_cases._MODULES["insurance"].simulate(
        np.random.default_rng(4), 1200, "en_US", {}, block_size=1200))
    pd.testing.assert_frame_equal(sim["identity"], again["identity"])
    pd.testing.assert_frame_equal(sim["identity"].reset_index(drop=True),
                                  whole.holders[list(sim["identity"].columns)])


def test_rows_run_by_holder_then_date_with_running_ids(whole):
    position = {c: k for k, c in enumerate(whole.holders["customer_id"])}
    for name, key in [("premiums", "order_id"), ("claims", "claim_id"),
                      ("complaints", "complaint_id"), ("reminders", "reminder_id"),
                      ("surveys", "survey_id"), ("renewals", None)]:
        table = whole.tables[name]
        assert len(table) > 0, name
        date = "renewal_date" if name == "renewals" else "date"
        frame = pd.DataFrame({"holder": table["customer_id"].map(position), "date": table[date]})
        assert frame.equals(frame.sort_values(["holder", "date"], kind="stable")), name
        if key is not None:
            assert table[key].tolist() == list(range(1, len(table) + 1)), name
    policies = whole.policies
    assert policies["policy_id"].tolist() == _engine.ids("POL", len(policies)).tolist()
    assert set(whole.premiums["policy_id"]) <= set(policies["policy_id"])
    assert set(whole.claims["policy_id"]) <= set(policies["policy_id"])


def test_a_holders_rows_do_not_depend_on_its_neighbours(whole):
    """The 600th holder's events, read from a case split just before it."""
    late = _case(1200, "en_US", 599)
    holder = whole.holders["customer_id"].iloc[599]
    for name in ["premiums", "claims", "complaints", "reminders", "surveys", "renewals"]:
        a = whole.tables[name]
        b = late.tables[name]
        pd.testing.assert_frame_equal(a[a["customer_id"] == holder].reset_index(drop=True),
                                      b[b["customer_id"] == holder].reset_index(drop=True))


def test_poisson_events_match_in_any_block():
    rate = np.linspace(0.01, 0.2, 40)
    t0 = np.linspace(0.0, 100.0, 40)
    t1 = t0 + 300.0
    owner, times = _engine.poisson_events(Draws(5, 0, 40), "x", rate, t0, t1)
    part_owner, part_times = _engine.poisson_events(Draws(5, 25, 40), "x", rate[25:],
                                                          t0[25:], t1[25:])
    tail = owner >= 25
    assert np.array_equal(owner[tail] - 25, part_owner)
    assert np.array_equal(times[tail], part_times)
    assert np.all((times >= t0[owner]) & (times < t1[owner]))
    key = owner * 1000.0 + times
    assert np.all(np.diff(key) >= 0)
    # The mean count is the rate times the length.
    many = _engine.poisson_events(Draws(1, 0, 20_000), "y", np.full(20_000, 0.01),
                                        np.zeros(20_000), np.full(20_000, 300.0))[0]
    assert len(many) / 20_000 == pytest.approx(3.0, rel=0.03)
