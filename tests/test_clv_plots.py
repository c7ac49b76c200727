"""The CLV figures draw what they claim, on a given Axes, and reject bad input."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from casekit import BetaGeo, ShiftedBetaGeometric, kaplan_meier, plots


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def bg():
    model = BetaGeo()
    model.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    return model


def test_probability_alive_matrix_values(bg):
    fig, ax = plt.subplots()
    out = plots.plot_probability_alive_matrix(bg, T=30, max_frequency=5, ax=ax)
    assert out is ax
    image = ax.get_images()[0].get_array()
    assert image.shape == (6, 60)
    assert np.allclose(image[0], 1.0)  # no repeat purchase: BG/NBD says alive
    # the corner (frequency 5, recency 30 = T) is alive; frequency 5 with recency 0 is not
    assert image[5, -1] == pytest.approx(1 / (1 + 0.793 / (2.426 + 4)))
    assert image[5, 0] < 0.2


def test_expected_vs_actual_groups_by_frequency(bg):
    frequency = [0, 0, 1, 2, 9, 12]
    recency = [0, 0, 10, 20, 25, 28]
    T = [30] * 6
    holdout = [0, 2, 1, 3, 6, 10]
    ax = plots.plot_expected_vs_actual(bg, frequency, recency, T, holdout, t=39, max_frequency=7)
    actual, model = ax.get_lines()
    assert actual.get_xdata().tolist() == [0, 1, 2, 7]
    assert actual.get_ydata().tolist() == [1.0, 1.0, 3.0, 8.0]
    expected = bg.expected_purchases(39, frequency, recency, T)
    assert model.get_ydata()[-1] == pytest.approx(expected[4:].mean())
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "1", "2", "7+"]


def test_sbg_curves_survival_and_retention():
    alive = [1000, 631, 468, 382, 326]
    model = ShiftedBetaGeometric().fit(alive)
    ax = plots.plot_sbg_curves(model, 10, observed=alive)
    fitted, observed = ax.get_lines()
    assert fitted.get_ydata()[0] == 1.0 and len(fitted.get_ydata()) == 11
    assert observed.get_ydata().tolist() == pytest.approx([1.0, 0.631, 0.468, 0.382, 0.326])
    ax = plots.plot_sbg_curves(model, 10, observed=alive, curve="retention")
    assert ax.get_lines()[1].get_ydata()[0] == pytest.approx(0.631)


def test_kaplan_meier_plot_and_clv_histogram():
    km = kaplan_meier([2, 3, 5, 8], [1, 0, 1, 1])
    ax = plots.plot_kaplan_meier(km, band=False)
    assert ax.get_lines()[0].get_ydata().tolist() == km["survival"].tolist()
    assert ax.get_legend() is None
    ax = plots.plot_clv_distribution(np.arange(100.0), bins=10)
    assert len(ax.patches) == 10
    assert ax.get_lines()[0].get_xdata()[0] == pytest.approx(49.5)


def test_plot_errors(bg):
    with pytest.raises(TypeError, match=r"plot_probability_alive_matrix: model must be a fitted "
                                        r"BetaGeo or ParetoNBD; found str"):
        plots.plot_probability_alive_matrix("bg", T=30)
    with pytest.raises(RuntimeError, match=r"call fit first"):
        plots.plot_probability_alive_matrix(BetaGeo(), T=30)
    with pytest.raises(ValueError, match=r"plot_probability_alive_matrix: max_recency must be "
                                         r"<= T \(30\); found 40"):
        plots.plot_probability_alive_matrix(bg, T=30, max_recency=40)
    with pytest.raises(ValueError, match=r"plot_expected_vs_actual: holdout_frequency must have "
                                         r"one value per customer \(2\); found 1"):
        plots.plot_expected_vs_actual(bg, [0, 1], [0, 3], [10, 10], [1], t=10)
    model = ShiftedBetaGeometric().fit([100, 60, 40])
    with pytest.raises(ValueError, match=r"plot_sbg_curves: curve must be one of"):
        plots.plot_sbg_curves(model, 5, curve="hazard")
    with pytest.raises(ValueError, match=r"plot_sbg_curves: observed must start with a positive"):
        plots.plot_sbg_curves(model, 5, observed=[0, 0])
    with pytest.raises(TypeError, match=r"plot_kaplan_meier: curves must be a kaplan_meier "
                                        r"DataFrame or a dict of them; found list"):
        plots.plot_kaplan_meier([1, 2])
    with pytest.raises(ValueError, match=r"plot_kaplan_meier: curve 'x' is not a kaplan_meier "
                                         r"table"):
        plots.plot_kaplan_meier({"x": pd.DataFrame({"survival": [1.0]})})
    with pytest.raises(ValueError, match=r"plot_clv_distribution: clv must be finite"):
        plots.plot_clv_distribution([1.0, np.inf])

