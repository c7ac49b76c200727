"""CLV widgets: each setting shows what the public analytics return for it."""

import numpy as np
import pandas as pd
import pytest

from casekit import clv_formula, clv_segments, segment_shares
from casekit.widgets import clv_formula_explorer, clv_segment_explorer


def test_clv_formula_explorer_matches_clv_formula():
    explorer = clv_formula_explorer(margin=50.0, retention=0.7, discount=0.05)
    for margin, retention, discount in [(50.0, 0.7, 0.05), (120.0, 0.9, 0.0), (0.0, 0.3, 0.3)]:
        explorer.controls["margin"].value = margin
        explorer.controls["retention"].value = retention
        explorer.controls["discount"].value = discount
        for convention in ["immediate", "gupta_lehmann", "end_of_period"]:
            expected = clv_formula(margin, retention, discount, convention=convention)
            assert explorer.result.loc[convention, "clv"] == pytest.approx(expected)
    assert explorer.result.index.tolist() == ["immediate", "gupta_lehmann", "end_of_period"]
    assert "gupta_lehmann" in explorer.display.value


def test_clv_segment_explorer_matches_the_analytics():
    clv = pd.Series(np.random.default_rng(3).lognormal(3, 1.5, 300),
                    index=[f"c{i:03d}" for i in range(300)])
    explorer = clv_segment_explorer(clv)
    for groups in [2, 5, 8]:
        for method in ["quantile", "kmeans"]:
            explorer.controls["groups"].value = groups
            explorer.controls["method"].value = method
            expected = segment_shares(clv_segments(clv, groups=groups, method=method),
                                      by="segment", values=["clv"])
            pd.testing.assert_frame_equal(explorer.result, expected)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"retention": 1.0}, ValueError, "clv_formula_explorer: retention must be <= 0.99"),
        ({"margin": -1.0}, ValueError, "clv_formula_explorer: margin must be >= 0"),
        ({"discount": 0.5}, ValueError, "clv_formula_explorer: discount must be <= 0.3"),
    ],
)
def test_clv_formula_explorer_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        clv_formula_explorer(**kwargs)


def test_clv_segment_explorer_errors():
    with pytest.raises(ValueError, match=r"clv_segment_explorer: groups must be at most 3"):
        clv_segment_explorer([1.0, 2.0, 3.0], groups=4)
    with pytest.raises(ValueError, match=r"groups must be at most 8"):
        clv_segment_explorer(np.arange(20.0), groups=9)
    with pytest.raises(ValueError, match="clv_segment_explorer: method must be one of"):
        clv_segment_explorer(np.arange(20.0), method="jenks")
    with pytest.raises(ValueError, match="clv_segment_explorer: clv must be finite"):
        clv_segment_explorer([1.0, np.nan])
