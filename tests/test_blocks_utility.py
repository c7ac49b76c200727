"""The utility case comes out the same whatever the size of its blocks of accounts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from casekit import _sim_utility
from casekit._cases import _generate, collect
from casekit._random import check_rng
from casekit._specs import UTILITY


def _case(n, locale, market, block_size, seed=12):
    return _generate("utility", n_customers=n, seed=seed, locale=locale, dirty=False,
                     options={"market": market}, block_size=block_size)


def _simulated(n, locale, market, block_size, seed=12):
    return collect(_sim_utility.simulate(check_rng(seed), n, locale, {"market": market},
                                         block_size=block_size))


@pytest.mark.parametrize("locale,market,n,sizes", [
    ("en_US", "deregulated", 300, (1000, 37, 1)),
    ("zh_CN", "regulated", 1200, (1000, 37)),
])
def test_every_block_size_gives_the_same_case(locale, market, n, sizes):
    whole = _case(n, locale, market, n)
    assert len(whole.bills) > 20 * n  # a real case: months of bills per account
    for size in sizes:
        part = _case(n, locale, market, size)
        assert list(part.tables) == list(whole.tables)
        for name, frame in whole.tables.items():
            pd.testing.assert_frame_equal(part.tables[name], frame, obj=f"{name} ({size})")
        pd.testing.assert_frame_equal(part.truth, whole.truth, obj=f"truth ({size})")


def test_identity_is_the_same_in_any_blocks():
    whole = _simulated(250, "en_US", "deregulated", 250)
    part = _simulated(250, "en_US", "deregulated", 16)
    pd.testing.assert_frame_equal(part["identity"], whole["identity"])
    assert list(whole["tables"]) == ["accounts", "tariffs", "bills", "payments", "meter_reads",
                                     "arrears_notices", "outages", "complaints", "surveys"]


def test_blocks_yield_their_rows_with_the_final_columns():
    blocks = list(_sim_utility.simulate(check_rng(3), 90, "en_US", {"market": "deregulated"},
                                        block_size=40))
    assert [b[0] for b in blocks] == ["rows", "rows", "rows", "end"]
    assert [b[2] for b in blocks[:-1]] == [40, 80, 90]
    result = blocks[-1][1]
    dtypes = {name: [list(rows[name].dtypes) for _, rows, _ in blocks[:-1]]
              for name in _sim_utility.STREAMED}
    whole = collect(iter(blocks))  # (takes the blocks' columns)
    for name, per_block in dtypes.items():
        assert per_block == [list(whole["tables"][name].dtypes)] * 3, name
    assert set(result["tables"]) == {"accounts", "tariffs", "outages"}


def test_running_ids_and_order_by_account():
    case = _case(500, "en_US", "deregulated", 37)
    ids = {"bills": "order_id", "payments": "payment_id", "meter_reads": "read_id",
           "arrears_notices": "notice_id", "complaints": "complaint_id", "surveys": "survey_id"}
    for table, column in ids.items():
        frame = case.tables[table]
        assert len(frame) > 0, table
        assert np.array_equal(frame[column], np.arange(1, len(frame) + 1)), table
        owner = frame["customer_id"].to_numpy()
        assert (owner[1:] >= owner[:-1]).all(), table
        same = owner[1:] == owner[:-1]
        dates = frame["date"].to_numpy()
        assert (dates[1:][same] >= dates[:-1][same]).all(), table


def test_payments_name_their_own_bill_across_blocks():
    case = _case(500, "en_US", "deregulated", 37)
    pays = case.payments
    for_bills = pays[pays["bill_id"].notna()]
    assert (pays["bill_id"].isna() == pays["clears_arrears"]).all()
    joined = for_bills.merge(case.bills, left_on="bill_id", right_on="order_id",
                             suffixes=("", "_bill"), validate="one_to_one")
    assert len(joined) == len(for_bills) > 0
    assert (joined["customer_id"] == joined["customer_id_bill"]).all()
    assert (joined["amount"] == joined["amount_bill"]).all()
    low, high = UTILITY["pay_days"]
    lag = (joined["date"] - joined["date_bill"]).dt.days
    assert lag.between(low, high).all()
    # The meter reads go with the bills, row for row.
    assert (case.meter_reads["customer_id"] == case.bills["customer_id"]).all()
    assert (case.meter_reads["date"] == case.bills["date"]).all()
    rise = case.meter_reads.groupby("customer_id")["meter_reading"].diff().dropna()
    assert np.array_equal(rise.to_numpy(), case.bills["kwh"].to_numpy()[rise.index])
