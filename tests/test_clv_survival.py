"""Kaplan-Meier written plainly, checked against lifelines."""

import numpy as np
import pytest

from casekit import kaplan_meier

lifelines = pytest.importorskip("lifelines")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_kaplan_meier_matches_lifelines(seed):
    rng = np.random.default_rng(seed)
    durations = rng.integers(0, 40, size=300).astype(float)
    observed = rng.random(300) < 0.7
    ours = kaplan_meier(durations, observed)
    reference = lifelines.KaplanMeierFitter().fit(durations, observed)
    survival = reference.survival_function_["KM_estimate"]
    np.testing.assert_allclose(ours["survival"], survival.loc[ours.index], rtol=1e-12)
    table = reference.event_table
    np.testing.assert_array_equal(ours["at_risk"], table.loc[ours.index, "at_risk"])
    np.testing.assert_array_equal(ours["churned"], table.loc[ours.index, "observed"])
    band = reference.confidence_interval_survival_function_
    np.testing.assert_allclose(ours["lower"], band.iloc[:, 0].loc[ours.index], atol=1e-9)
    np.testing.assert_allclose(ours["upper"], band.iloc[:, 1].loc[ours.index], atol=1e-9)


def test_kaplan_meier_without_censoring_is_the_empirical_survival():
    durations = [1, 2, 2, 4]
    km = kaplan_meier(durations)
    assert km["survival"].tolist() == [1.0, 0.75, 0.25, 0.0]


def test_kaplan_meier_accepts_booleans_and_does_not_mutate():
    durations = np.array([3.0, 1.0, 2.0])
    observed = np.array([True, False, True])
    kaplan_meier(durations, observed)
    assert durations.tolist() == [3.0, 1.0, 2.0]
    assert observed.tolist() == [True, False, True]
