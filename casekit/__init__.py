"""casekit: synthetic CRM cases with ground truth, and the analytics to study them.

The public API is what ``__all__`` names; modules whose names start with an
underscore are internal and may change without notice.

>>> import casekit
>>> casekit.__version__
'0.1.0'
"""

__version__ = "0.1.0"

from ._abc import ABC_LABELS, abc_activity, abc_pareto, segment_shares
from ._arrears import account_durations, arrears_churn, arrears_policy
from ._btyd import BetaGeo, BetaGeoBetaBinom, GammaGamma, ParetoNBD
from ._cases import Case, generate_case, list_cases, load_case
from ._clv import clv_formula, cohort_clv, customer_equity
from ._clv_segments import clv_segments
from ._customize import allocate_budget, evaluate_offers, next_best_offer
from ._i18n import get_language, set_language
from ._identify import match_quality, match_records, normalize_records, record_pairs
from ._interact import (
    ab_lift,
    churn_in_period,
    contact_regularity,
    next_outcome,
    rate_by_band,
    renewal_signals,
)
from ._lifecycle import (
    LIFECYCLE_RULES,
    LIFECYCLE_STAGES,
    LIFECYCLE_STRATEGIES,
    lifecycle_stages,
    lifecycle_transitions,
)
from ._profitability import ACTIVITY_COSTS, activity_counts, customer_profitability
from ._pyramid import (
    PYRAMID_TIERS,
    customer_pyramid,
    pyramid_migration,
    pyramid_what_if,
)
from ._rfm import RFM_SEGMENTS, rfm_breakeven, rfm_scores, rfm_segments
from ._sbg import ShiftedBetaGeometric
from ._simulate import Plan, leaderboard, read_plan, simulate, simulator_card, simulator_decisions
from ._summary import calibration_holdout, customer_summary
from ._survival import kaplan_meier
from ._systems import (
    campaign_roi,
    cross_buying,
    holdout_power,
    holdout_split,
    pipeline_forecast,
    pipeline_summary,
    service_levels,
)

__all__ = [
    # cases
    "Case",
    "generate_case",
    "list_cases",
    "load_case",
    # language of labels, plots and default data
    "get_language",
    "set_language",
    "__version__",
    "BetaGeo",
    "BetaGeoBetaBinom",
    "GammaGamma",
    "ParetoNBD",
    "ShiftedBetaGeometric",
    "clv_formula",
    "cohort_clv",
    "customer_equity",
    "clv_segments",
    "kaplan_meier",
    # segmentation analytics
    "ABC_LABELS",
    "RFM_SEGMENTS",
    "abc_activity",
    "abc_pareto",
    "ACTIVITY_COSTS",
    "LIFECYCLE_RULES",
    "LIFECYCLE_STAGES",
    "LIFECYCLE_STRATEGIES",
    "lifecycle_stages",
    "lifecycle_transitions",
    "customer_profitability",
    "activity_counts",
    "PYRAMID_TIERS",
    "customer_pyramid",
    "pyramid_migration",
    "pyramid_what_if",
    "calibration_holdout",
    "customer_summary",
    "rfm_breakeven",
    "rfm_scores",
    "rfm_segments",
    "segment_shares",
    # identify
    "match_quality",
    "match_records",
    "normalize_records",
    "record_pairs",
    # interact
    "ab_lift",
    "churn_in_period",
    "contact_regularity",
    "next_outcome",
    "rate_by_band",
    "renewal_signals",
    # contract accounts and arrears
    "account_durations",
    "arrears_churn",
    "arrears_policy",
    # customize
    "allocate_budget",
    "evaluate_offers",
    "next_best_offer",
    # the scenario simulator
    "Plan",
    "simulate",
    "simulator_card",
    "simulator_decisions",
    "read_plan",
    "leaderboard",
    # CRM systems: marketing, sales and service automation
    "campaign_roi",
    "cross_buying",
    "holdout_power",
    "holdout_split",
    "pipeline_forecast",
    "pipeline_summary",
    "service_levels",
]
