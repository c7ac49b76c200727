"""CLV segments: equal rank groups and one-dimensional k-means, both deterministic."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casekit import clv_segments


def test_quantile_groups_are_equal_and_ordered():
    clv = pd.Series(np.arange(12, dtype=float), index=[f"c{i:02d}" for i in range(12)])
    out = clv_segments(clv, groups=3, method="quantile")
    assert out.index.equals(clv.index) and out["clv"].tolist() == clv.tolist()
    assert out["segment"].value_counts(sort=False).tolist() == [4, 4, 4]
    assert out.loc["c11", "segment"] == "C1" and out.loc["c00", "segment"] == "C3"
    assert out["segment"].cat.ordered and list(out["segment"].cat.categories) == ["C1", "C2", "C3"]


def test_kmeans_finds_separated_clusters_whatever_their_sizes():
    rng = np.random.default_rng(0)
    values = np.concatenate([rng.normal(1000, 10, 3), rng.normal(200, 10, 20),
                             rng.normal(20, 5, 200)])
    out = clv_segments(values, groups=3, labels=["high", "middle", "low"])
    assert isinstance(out.index, pd.RangeIndex)
    assert out["segment"].value_counts(sort=False).to_dict() == {"high": 3, "middle": 20,
                                                                 "low": 200}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-1e4, 1e6, allow_nan=False), min_size=2, max_size=80),
       st.integers(2, 6))
def test_property_kmeans_is_a_fixed_point_of_intervals(values, k):
    values = np.array(values)
    k = min(k, values.size)
    out = clv_segments(values, groups=k)
    group = out["segment"].cat.codes.to_numpy()
    present = np.unique(group)
    # the groups used are the first ones, each an interval, highest values first
    assert present.tolist() == list(range(present.size))
    for g in present[:-1]:
        assert values[group == g].min() >= values[group == g + 1].max()
    # every value is at least as close to its own group's mean as to any other
    centres = np.array([values[group == g].mean() for g in present])
    distance = np.abs(values[:, None] - centres[None, :])
    own = distance[np.arange(values.size), group]
    assert np.all(own <= distance.min(axis=1) + 1e-9 * (1 + np.abs(values)))


def test_same_input_same_groups_and_input_untouched():
    clv = pd.Series([3.0, 1.0, 50.0, 7.0, 49.0])
    copy = clv.copy()
    first = clv_segments(clv, groups=2)
    pd.testing.assert_frame_equal(first, clv_segments(clv, groups=2))
    pd.testing.assert_series_equal(clv, copy)
    assert first["segment"].tolist() == ["C2", "C2", "C1", "C2", "C1"]


def test_ties_all_equal_values_leave_groups_empty():
    out = clv_segments([5.0] * 6, groups=3)
    assert out["segment"].value_counts(sort=False).tolist() == [6, 0, 0]


@pytest.mark.parametrize(
    ("clv", "kwargs", "error", "match"),
    [
        ([1.0, 2.0], {"method": "jenks"}, ValueError, "clv_segments: method must be one of"),
        ([1.0, 2.0], {"groups": 1}, ValueError, "clv_segments: groups must be >= 2"),
        ([1.0, 2.0], {"groups": 2.5}, TypeError, "clv_segments: groups must be"),
        ([1.0, 2.0], {"groups": 3}, ValueError, r"groups must be at most the number of "
                                                r"customers \(2\); found 3"),
        ([1.0, 2.0], {"groups": 2, "labels": ["a"]}, ValueError, "labels must be 2 distinct names"),
        ([1.0, 2.0], {"groups": 2, "labels": ["a", "a"]}, ValueError,
         "labels must be 2 distinct names"),
        ([1.0, np.nan], {}, ValueError, "clv_segments: clv must be finite"),
        ([], {}, ValueError, "clv_segments: clv is empty"),
        ([[1.0, 2.0]], {}, ValueError, "clv_segments: clv must be one-dimensional"),
        (["a", "b"], {}, TypeError, "clv_segments: clv must be numeric"),
    ],
)
def test_clv_segments_errors(clv, kwargs, error, match):
    with pytest.raises(error, match=match):
        clv_segments(clv, **kwargs)
