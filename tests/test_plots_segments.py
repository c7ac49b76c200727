"""The segmentation figures draw what they are given and return their Axes."""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from casekit import (
    abc_pareto,
    customer_pyramid,
    lifecycle_transitions,
    plots,
    pyramid_migration,
    rfm_scores,
)

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def tx():
    rng = np.random.default_rng(7)
    n = 600
    frame = pd.DataFrame({
        "customer_id": [f"C{c:03d}" for c in rng.integers(0, 80, n)],
        "date": pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 720, n), unit="D"),
        "amount": rng.gamma(2.0, 40.0, n),
    })
    frame["gross_margin"] = frame["amount"] * rng.uniform(-0.3, 0.4, n)
    return frame


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_plots_module_is_a_thin_reexport():
    assert set(plots.__all__) >= {"plot_pareto", "plot_rfm_heatmap", "plot_pyramid",
                                  "plot_migration", "plot_lifecycle_flow"}
    for name in plots.__all__:
        assert callable(getattr(plots, name))


def test_pareto_and_whale_curves(tx):
    ax = plots.plot_pareto(abc_pareto(tx))
    assert ax.get_title() == "Pareto curve"
    line = ax.get_lines()[0]
    assert line.get_xdata()[0] == 0 and np.isclose(line.get_ydata()[-1], 1.0)
    whale = plots.plot_pareto(abc_pareto(tx, value_col="gross_margin"))
    assert whale.get_title() == "Whale curve"
    assert max(whale.get_lines()[0].get_ydata()) > 1
    width, height = whale.figure.get_size_inches()
    assert width <= 8 and height <= 6


def test_given_axes_are_used(tx):
    _, ax = plt.subplots()
    assert plots.plot_pareto(abc_pareto(tx), ax=ax) is ax


def test_rfm_heatmap_counts_customers(tx):
    scores = rfm_scores(tx)
    ax = plots.plot_rfm_heatmap(scores, value=None)
    cells = [t.get_text() for t in ax.texts]
    assert sum(int(c) for c in cells if c) == len(scores)
    assert plots.plot_rfm_heatmap(scores).get_title() == "RFM: mean monetary"


def test_pyramid_labels_shares(tx):
    pyramid = customer_pyramid(tx, profit_col="gross_margin", as_of="2024-12-31")
    ax = plots.plot_pyramid(pyramid, value="profit")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["inactive", "small", "medium", "big", "top"]
    assert all("of profit" in t.get_text() for t in ax.texts)
    assert len(ax.patches) == 5


def test_pyramid_labels_do_not_overlap_the_bars(tx):
    pyramid = customer_pyramid(tx, profit_col="gross_margin", as_of="2024-12-31")
    ax = plots.plot_pyramid(pyramid)
    renderer = ax.figure.canvas.get_renderer()
    bars = [bar.get_window_extent(renderer) for bar in ax.patches]
    frame = ax.get_window_extent(renderer)
    for text in ax.texts:
        box = text.get_window_extent(renderer)
        assert not any(box.overlaps(bar) for bar in bars), text.get_text()
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1, f"{text.get_text()!r} leaves the axes"


def test_migration_heatmap_and_flows(tx):
    counts = pyramid_migration(tx, before="2023-12-31")
    ax = plots.plot_migration(counts)
    assert sum(int(t.get_text()) for t in ax.texts) == counts.to_numpy().sum()
    shares = lifecycle_transitions(tx, before="2023-12-31", normalize=True)
    assert plots.plot_migration(shares).texts[0].get_text().endswith("%")
    flows = plots.plot_lifecycle_flow(lifecycle_transitions(tx, before="2023-12-31"))
    assert len(flows.patches) == 6 * 5
    assert flows.get_legend().get_title().get_text() == "to"


@pytest.mark.parametrize(
    ("func", "arg", "error", "match"),
    [
        (plots.plot_pareto, pd.DataFrame({"x": [1]}), ValueError,
         "plot_pareto: column 'customer_share' not found in pareto"),
        (plots.plot_rfm_heatmap, pd.DataFrame({"r_score": [1], "f_score": [1]}), ValueError,
         "plot_rfm_heatmap: column 'monetary' not found in scores"),
        (plots.plot_pyramid, pd.DataFrame({"tier": ["top"], "revenue": [1.0]}), ValueError,
         "plot_pyramid: column 'tier' must be categorical"),
        (plots.plot_migration, [[1, 2]], TypeError, "plot_migration: matrix must be a pandas"),
        (plots.plot_migration, pd.DataFrame(), ValueError, "plot_migration: matrix is empty"),
        (plots.plot_lifecycle_flow, pd.DataFrame({"a": ["x"]}), ValueError,
         "plot_lifecycle_flow: matrix must hold finite numbers; found 1"),
    ],
)
def test_plot_errors(func, arg, error, match):
    with pytest.raises(error, match=match):
        func(arg)
