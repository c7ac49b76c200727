"""The figures of the course, re-exported from the modules that draw them.

Every function takes ``ax=None`` (a new figure when None) and returns the Axes.

>>> from casekit import plots
>>> "plot_sbg_curves" in plots.__all__
True
"""

from ._plots_clv import (
    plot_clv_distribution,
    plot_expected_vs_actual,
    plot_kaplan_meier,
    plot_probability_alive_matrix,
    plot_sbg_curves,
)

__all__ = [
    "plot_clv_distribution",
    "plot_expected_vs_actual",
    "plot_kaplan_meier",
    "plot_probability_alive_matrix",
    "plot_sbg_curves",
]
