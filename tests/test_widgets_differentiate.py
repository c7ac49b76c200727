"""Widgets of 03-differentiate: set a control, then compare with the public analytics."""

import pandas as pd
import pytest

import casekit
from casekit._widgets_differentiate import SEGMENT_MAPS, _segment_map
from casekit.widgets import cost_to_serve_explorer, loss_line, rfm_explorer

AS_OF = pd.Timestamp("2024-12-31")


@pytest.fixture(scope="module")
def case():
    return casekit.generate_case("office_supplies", n_customers=300, seed=5)


def test_rfm_explorer_follows_bins_and_map(case):
    explorer = rfm_explorer(case.transactions, truth=case.truth)
    expected = casekit.rfm_segments(case.transactions)
    pd.testing.assert_frame_equal(explorer.result, expected)

    explorer.controls["segment_map"].value = "recency x frequency (4 boxes)"
    explorer.controls["bins"].value = 4
    segments = _segment_map("recency x frequency (4 boxes)", 4)
    assert segments == {
        "Best": {"r": (3, 4), "f": (3, 4)},
        "Slipping away": {"r": (1, 2), "f": (3, 4)},
        "New or occasional": {"r": (3, 4), "f": (1, 2)},
        "Rare or gone": {"r": (1, 2), "f": (1, 2)},
    }
    expected = casekit.rfm_segments(case.transactions, bins=4, segments=segments)
    pd.testing.assert_frame_equal(explorer.result, expected)
    shown = explorer.display.value
    assert "R 3-4 · F 3-4" in shown and "truly alive" in shown
    # the display's alive shares are the truth's, segment by segment
    alive = case.truth.set_index("customer_id")["alive"]
    best = expected.index[expected["segment"] == "Best"]
    assert f">{alive.reindex(best).mean():.1%}<" in shown
    assert shown.startswith("<img")  # the shares, drawn


def test_rfm_explorer_as_of_and_without_truth(case):
    explorer = rfm_explorer(case.transactions, as_of="2023-12-31", bins=3,
                            segment_map="recency only (3 groups)")
    expected = casekit.rfm_segments(case.transactions, as_of="2023-12-31", bins=3,
                                    segments=_segment_map("recency only (3 groups)", 3))
    pd.testing.assert_frame_equal(explorer.result, expected)
    assert "truly alive" not in explorer.display.value


@pytest.mark.parametrize("name", list(SEGMENT_MAPS))
def test_segment_maps_keep_their_ranges_at_five_bins(name):
    expected = {s: {k: tuple(v) for k, v in r.items()} for s, r in SEGMENT_MAPS[name].items()}
    assert _segment_map(name, 5) == expected


@pytest.mark.parametrize("bins", range(3, 10))
def test_recency_groups_still_cover_every_score(bins):
    scores = [r["r"] for r in _segment_map("recency only (3 groups)", bins).values()]
    covered = sorted(t for low, high in scores for t in range(low, high + 1))
    assert covered == list(range(1, bins + 1))


def test_segment_map_unknown_name():
    with pytest.raises(ValueError, match="rfm_explorer: segment_map must be one of"):
        _segment_map("deciles", 5)


def test_rfm_explorer_bad_as_of(case):
    with pytest.raises(ValueError, match="rfm_explorer: as_of must be a date"):
        rfm_explorer(case.transactions, as_of="soon")


def _activities(case, start, end):
    contacts, tickets = case.tables["contacts"], case.tables["tickets"]
    visits = contacts[(contacts["type"] == "visit") & (contacts["date"] >= start)
                      & (contacts["date"] < end)].groupby("customer_id").size()
    issued = tickets[(tickets["date"] >= start) & (tickets["date"] < end)]
    counts = pd.DataFrame({"visit": visits, "ticket": issued.groupby("customer_id").size()})
    return counts.fillna(0).astype(int).rename_axis("customer_id").reset_index()


def test_cost_to_serve_matches_customer_profitability(case):
    explorer = cost_to_serve_explorer(case)
    assert {n: c.description for n, c in explorer.controls.items()} == {
        name: f"{name} cost (currency units per {name})"
        for name in ("order", "delivery", "visit", "ticket")}
    assert explorer.values == {"order": 12, "delivery": 8, "visit": 60, "ticket": 25}
    activities = _activities(case, pd.Timestamp("2024-01-01"), pd.Timestamp("2025-01-01"))
    pd.testing.assert_frame_equal(explorer.activities, activities)

    explorer.controls["visit"].value = 150
    costs = {"order": 12.0, "delivery": 8.0, "visit": 150.0, "ticket": 25.0}
    expected = casekit.customer_profitability(case.transactions, as_of=AS_OF,
                                              window_months=12, activities=activities,
                                              costs=costs)
    pd.testing.assert_frame_equal(explorer.result, expected)
    line = loss_line(expected)
    assert line == f"Customers at a loss: {(expected['profit'] < 0).sum():,} of {len(expected):,}"
    assert line in explorer.display.value

    before = explorer.baseline["profit"] < 0
    after = expected["profit"] < 0
    crossed = int((after & ~before).sum())
    assert crossed > 0
    assert f"{crossed:,} crossed from profit to loss, 0 from loss to profit" in (
        explorer.display.value)


def test_cost_to_serve_window_and_costs(case):
    costs = {"order": 5, "delivery": 5, "visit": 40, "ticket": 10}
    explorer = cost_to_serve_explorer(case, as_of="2023-12-31", window_months=6, costs=costs)
    assert explorer.values == costs
    activities = _activities(case, pd.Timestamp("2023-07-01"), pd.Timestamp("2024-01-01"))
    expected = casekit.customer_profitability(
        case.transactions, as_of="2023-12-31", window_months=6, activities=activities,
        costs={k: float(v) for k, v in costs.items()})
    pd.testing.assert_frame_equal(explorer.result, expected)
    assert "6 months up to 2023-12-31" in explorer.widget.children[0].value


def test_cost_to_serve_needs_a_case():
    with pytest.raises(TypeError, match="cost_to_serve_explorer: case must be a casekit Case"):
        cost_to_serve_explorer(pd.DataFrame())


def test_cost_to_serve_needs_contacts_and_tickets():
    insurance = casekit.generate_case("insurance", n_customers=30, seed=1)
    with pytest.raises(ValueError, match="needs the tables 'contacts' and 'tickets'"):
        cost_to_serve_explorer(insurance)


def test_cost_to_serve_needs_every_activity(case):
    with pytest.raises(ValueError, match=r"costs must give exactly \['delivery', 'order'"):
        cost_to_serve_explorer(case, costs={"visit": 60})


def test_cost_to_serve_needs_a_whole_number_of_months(case):
    with pytest.raises(TypeError, match="cost_to_serve_explorer: window_months must be a whole"):
        cost_to_serve_explorer(case, window_months=None)
