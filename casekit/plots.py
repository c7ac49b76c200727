"""Figures for the course: each takes ``ax=None`` and returns the matplotlib Axes.

This module only re-exports the figure functions that live beside the
analytics they draw.
"""

from casekit._plots_clv import (
    plot_clv_distribution,
    plot_expected_vs_actual,
    plot_kaplan_meier,
    plot_probability_alive_matrix,
    plot_sbg_curves,
)
from casekit._plots_segments import (
    plot_lifecycle_flow,
    plot_migration,
    plot_pareto,
    plot_pyramid,
    plot_rfm_heatmap,
)

__all__ = [
    "plot_clv_distribution",
    "plot_expected_vs_actual",
    "plot_kaplan_meier",
    "plot_probability_alive_matrix",
    "plot_sbg_curves",
    "plot_lifecycle_flow",
    "plot_migration",
    "plot_pareto",
    "plot_pyramid",
    "plot_rfm_heatmap",
]
