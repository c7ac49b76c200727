"""Widgets for the notebooks: what-if explorers whose callbacks call casekit's analytics.

Each function returns an :class:`Explorer`. Display it in a notebook to get the
controls; in a test or a script, set ``explorer.controls[name].value`` and read
``explorer.result``. ipywidgets is imported only when a widget is built.
"""

from ._explorer import Explorer
from ._widgets_catering import pareto_explorer, regulars_explorer, wait_explorer
from ._widgets_clv import clv_formula_explorer, clv_segment_explorer
from ._widgets_customize import budget_explorer, offer_explorer
from ._widgets_differentiate import cost_to_serve_explorer, loss_line, rfm_explorer
from ._widgets_identify import match_threshold_explorer
from ._widgets_insurance import retention_what_if_explorer
from ._widgets_interact import band_rate_explorer, campaign_lift_explorer
from ._widgets_lifecycle import lifecycle_explorer, winback_explorer
from ._widgets_office import churn_value_explorer, tier_move_explorer
from ._widgets_simulate import simulator_explorer
from ._widgets_utility import arrears_explorer, survival_explorer

__all__ = [
    "Explorer",
    "budget_explorer",
    "offer_explorer",
    "clv_formula_explorer",
    "clv_segment_explorer",
    "match_threshold_explorer",
    "band_rate_explorer",
    "campaign_lift_explorer",
    "retention_what_if_explorer",
    "cost_to_serve_explorer",
    "loss_line",
    "rfm_explorer",
    "churn_value_explorer",
    "tier_move_explorer",
    "pareto_explorer",
    "regulars_explorer",
    "wait_explorer",
    "lifecycle_explorer",
    "winback_explorer",
    "arrears_explorer",
    "survival_explorer",
    "simulator_explorer",
]
