"""office_supplies comes out the same for every block size."""

import numpy as np
import pandas as pd
import pytest

from casekit import _engine
from casekit._cases import _MODULES, _generate, collect
from casekit._random import check_rng

SIZES = [1, 37, 1000]


def _case(n, seed, locale, block_size):
    return _generate("office_supplies", n_customers=n, seed=seed, locale=locale, dirty=False,
                     options={}, block_size=block_size)


@pytest.mark.parametrize(("n", "seed", "locale"), [(700, 11, "en_US"), (300, 3, "zh_CN")])
def test_every_block_size_gives_the_same_case(n, seed, locale):
    whole = _case(n, seed, locale, n)
    assert not hasattr(_MODULES["office_supplies"], "CHUNK")
    assert list(whole.tables) == ["companies", "account_managers", "products", "orders",
                                  "order_lines", "discounts", "contacts", "tickets",
                                  "opportunities", "campaigns"]
    for table in ("orders", "order_lines", "discounts", "contacts", "tickets",
                  "opportunities", "campaigns"):
        assert len(whole.tables[table]) > 0, table
    for size in SIZES:
        part = _case(n, seed, locale, size)
        assert list(part.tables) == list(whole.tables)
        for name, frame in whole.tables.items():
            pd.testing.assert_frame_equal(part.tables[name], frame, obj=f"{name} @ {size}")
        pd.testing.assert_frame_equal(part.truth, whole.truth, obj=f"truth @ {size}")
        assert part.start == whole.start and part.end == whole.end


def test_identity_is_the_same_for_every_block_size():
    def run(block_size):
        blocks = _MODULES["office_supplies"].simulate(check_rng(8), 250, "en_US", {},
                                                      block_size=block_size)
        return collect(blocks)

    whole, part = run(250), run(7)
    pd.testing.assert_frame_equal(part["identity"], whole["identity"])
    pd.testing.assert_frame_equal(part["truth"], whole["truth"])


def test_blocks_yield_rows_then_the_end():
    events = list(_MODULES["office_supplies"].simulate(check_rng(1), 25, "en_US", {},
                                                       block_size=10))
    assert [e[0] for e in events] == ["rows", "rows", "rows", "end"]
    assert [e[2] for e in events[:3]] == [10, 20, 25]
    orders = pd.concat([e[1]["orders"] for e in events[:3]], ignore_index=True)
    # Running ids go on from block to block.
    assert orders["order_id"].tolist() == list(range(1, len(orders) + 1))
    # Every account's first order is at its acquisition.
    firsts = orders.groupby("customer_id", sort=True)["date"].min()
    companies = events[3][1]["tables"]["companies"].set_index("customer_id")
    pd.testing.assert_series_equal(firsts, companies.loc[firsts.index, "first_order_date"],
                                   check_names=False)


def _near_ties(seed):
    """Events of customers far into a block, some a rounding error apart."""
    rng = np.random.default_rng(seed)
    owner = np.sort(rng.integers(5_000_000, 5_000_050, 4000))
    times = rng.integers(0, 40, len(owner)) + rng.choice([0.0, 1e-12, 2e-12, 3e-10], len(owner))
    return owner, times


def test_sort_events_orders_by_the_exact_times():
    owner, times = _near_ties(0)
    got = _engine.sort_events(owner, times)
    assert got.tolist() == np.lexsort((times, owner)).tolist()
    # The float key alone ties such events, which is what the exact sort repairs.
    span = float(times.max()) + 1.0
    assert got.tolist() != np.argsort(owner * span + times, kind="stable").tolist()


def test_last_at_or_before_is_exact_and_stays_within_the_customer():
    owner, times = _near_ties(1)
    order = np.lexsort((times, owner))
    owner, times = owner[order], times[order]
    at_owner, at_times = _near_ties(2)
    got = _engine.last_at_or_before(owner, times, at_owner, at_times)
    for k in range(len(at_owner)):
        before = np.flatnonzero((owner == at_owner[k]) & (times <= at_times[k]))
        assert got[k] == (before[-1] if len(before) else -1)
    small = _engine.last_at_or_before(np.array([0, 0, 2]), np.array([1.0, 1.5, 0.5]),
                                      np.array([0, 1, 2, 2]), np.array([1.2, 9.0, 0.5, 0.4]))
    assert small.tolist() == [0, -1, 2, -1]
