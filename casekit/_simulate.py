"""The scenario simulator: play next year forward from the case's latent customers.

A plan names decisions (what the firm does next year). :func:`simulate`
starts from the customers the case's truth says are alive at the end of the
observation horizon and plays the behaviour model forward twice on the same
random draws: once with the plan and once with the do-nothing baseline
(every decision at its default, "as now"). Differences between the two come
from the decisions only. The models and their constants live in
``_simulate_models``; this module holds the plan, its checks, the outcome
table, the card text and the class leaderboard.
"""

from __future__ import annotations

import json
import numbers
import os
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from casekit import _simulate_models as models
from casekit._random import check_rng

#: Columns of the outcome table, in order; money is in the case's currency.
OUTCOME_COLUMNS = [
    "revenue", "gross_margin", "decision_cost", "write_offs", "net",
    "customers_start", "customers_kept", "customers_lost",
]
_MAX_YEARS = 5


@dataclass(frozen=True)
class Plan:
    """What the firm does next year: decisions by name, and who proposes them.

    Parameters
    ----------
    decisions : mapping of str to value
        Decision name to its value; decisions left out stay "as now". See
        :func:`simulator_decisions` for the names and allowed values of a case.
    name : str
        The team or plan name shown in the outcome and on the leaderboard.

    Examples
    --------
    >>> plan = Plan({"reminders": "sms"}, name="team 1")
    >>> plan.decisions["reminders"]
    'sms'
    >>> plan.decisions["reminders"] = "letter"
    Traceback (most recent call last):
    ...
    TypeError: 'mappingproxy' object does not support item assignment
    """

    decisions: Mapping = field(default_factory=dict)
    name: str = "plan"

    def __post_init__(self):
        if not isinstance(self.decisions, Mapping):
            raise TypeError(f"Plan: decisions must be a mapping of decision name to value; "
                            f"found {type(self.decisions).__name__}")
        if not isinstance(self.name, str) or not self.name:
            raise TypeError(f"Plan: name must be a non-empty str; found {self.name!r}")
        frozen = {k: tuple(v) if isinstance(v, list) else v for k, v in self.decisions.items()}
        object.__setattr__(self, "decisions", MappingProxyType(frozen))


def _case_name(case, func: str) -> str:
    name = getattr(case, "name", None)
    if not hasattr(case, "truth") or name not in models.DECISIONS:
        raise TypeError(f"{func}: case must be a casekit Case (from load_case or generate_case); "
                        f"found {type(case).__name__}")
    return name


def _check_value(decision: models.Decision, value, case_name: str, func: str):
    where = f"{func}: decision {decision.name!r} of case {case_name!r}"
    if decision.kind == "choice":
        if not isinstance(value, str) or value not in decision.choices:
            raise ValueError(f"{where} must be one of {list(decision.choices)!r}; "
                             f"found {value!r}")
        return value
    if decision.kind == "number":
        low, high = decision.bounds
        ok = (isinstance(value, numbers.Real) and not isinstance(value, bool)
              and np.isfinite(value) and low <= value <= high)
        if not ok:
            raise ValueError(f"{where} must be a number from {low:g} to {high:g}; found {value!r}")
        return float(value)
    # "tiers": a list of some of the allowed tiers, each at most once.
    if isinstance(value, str) or not isinstance(value, Sequence | set | frozenset):
        raise ValueError(f"{where} must be a list of tiers from {list(decision.choices)!r}; "
                         f"found {value!r}")
    bad = [v for v in value if v not in decision.choices]
    if bad:
        raise ValueError(f"{where}: unknown tier(s) {bad!r}; tiers are "
                         f"{list(decision.choices)!r}")
    return tuple(t for t in decision.choices if t in set(value))


def check_plan(case_name: str, plan, *, func: str = "simulate") -> dict:
    """Every decision of the case with its value: the plan's, or the default."""
    if isinstance(plan, Plan):
        decisions = plan.decisions
    elif isinstance(plan, Mapping):
        decisions = plan
    else:
        raise TypeError(f"{func}: plan must be a dict of decisions or a casekit.Plan; "
                        f"found {type(plan).__name__}")
    allowed = models.DECISIONS[case_name]
    unknown = [k for k in decisions if k not in allowed]
    if unknown:
        raise ValueError(f"{func}: unknown decision(s) {unknown!r} for case {case_name!r}; "
                         f"decisions are {list(allowed)!r}")
    return {name: _check_value(d, decisions.get(name, d.default), case_name, func)
            for name, d in allowed.items()}


def _check_years(years, func: str) -> int:
    if isinstance(years, bool) or not isinstance(years, numbers.Integral) \
            or not 1 <= years <= _MAX_YEARS:
        raise ValueError(f"{func}: years must be a whole number from 1 to {_MAX_YEARS}; "
                         f"found {years!r}")
    return int(years)


def simulate(case, plan, *, seed=0, years: int = 1) -> pd.DataFrame:
    """Play the next ``years`` years forward under a plan and under the baseline.

    The customers are the case's own: those alive at the end of the
    observation horizon with their latent parameters from ``case.truth``.
    The plan and the do-nothing baseline share every random draw, so the
    difference comes from the decisions alone, and every team facing the
    same case and seed meets the same customers. No new customers are
    acquired. :func:`simulator_card` states each decision's cost and effect.

    Parameters
    ----------
    case : Case
        From :func:`casekit.load_case` or :func:`casekit.generate_case`.
    plan : dict or Plan
        Decision name to value; decisions left out stay as now.
    seed : int, numpy.random.Generator or None
        The same case, plan and seed give the same outcome.
    years : int
        Years to play forward, 1 to 5.

    Returns
    -------
    pandas.DataFrame
        Rows ``baseline``, ``plan`` and ``difference`` (plan minus baseline);
        columns ``revenue``, ``gross_margin`` (after claims or energy cost),
        ``decision_cost`` (the plan's cost over today's way of working; a
        saving is negative), ``write_offs`` (unpaid debt of customers who
        leave), ``net`` (gross margin less decision cost and write-offs),
        ``customers_start``, ``customers_kept`` and ``customers_lost``.
        ``attrs`` holds the case, the full plan, the seed and the years.

    Examples
    --------
    >>> from casekit import generate_case
    >>> case = generate_case("insurance", n_customers=500, seed=3)
    >>> out = simulate(case, {"reminders": "agent call"}, seed=1)
    >>> list(out.index)
    ['baseline', 'plan', 'difference']
    >>> bool(out.loc["difference", "customers_kept"] >= 0)
    True
    >>> simulate(case, {"reminders": "fax"})
    Traceback (most recent call last):
    ...
    ValueError: simulate: decision 'reminders' of case 'insurance' must be one of [...]; found 'fax'
    """
    func = "simulate"
    name = _case_name(case, func)
    decisions = check_plan(name, plan, func=func)
    years = _check_years(years, func)
    rng = check_rng(seed, func=func)
    model = models.MODELS[name]
    state = model.state(case)
    draws = model.draws(rng, state, years)
    baseline = {k: d.default for k, d in models.DECISIONS[name].items()}
    rows = [model.play(state, baseline, draws), model.play(state, decisions, draws)]
    out = pd.DataFrame(rows, index=["baseline", "plan"]).round(2)
    out["net"] = (out["gross_margin"] - out["decision_cost"] - out["write_offs"]).round(2)
    out.loc["difference"] = (out.loc["plan"] - out.loc["baseline"]).round(2)
    out = out[OUTCOME_COLUMNS]
    out[OUTCOME_COLUMNS[5:]] = out[OUTCOME_COLUMNS[5:]].astype(np.int64)
    out.attrs = {"case": name, "plan": decisions, "seed": seed if isinstance(seed, int) else None,
                 "years": years}
    return out


def simulator_decisions(case_name: str) -> pd.DataFrame:
    """The decisions of a case: allowed values, default, cost and effect.

    Parameters
    ----------
    case_name : str
        One of :func:`casekit.list_cases`.

    Returns
    -------
    pandas.DataFrame
        One row per decision, indexed by name, with ``kind`` (``choice``: one
        of the allowed values; ``number``: a number in the range; ``tiers``: a
        list of some of the allowed tiers), ``allowed``, ``default``,
        ``what``, ``cost`` and ``effect``.

    Examples
    --------
    >>> table = simulator_decisions("utility")
    >>> list(table.index)
    ['arrears_policy', 'outage_response']
    >>> table.loc["arrears_policy", "default"]
    'as now'
    """
    decisions = _decisions_of(case_name, "simulator_decisions")
    return pd.DataFrame(
        [{"decision": d.name, "kind": d.kind,
          "allowed": list(d.choices) if d.choices else f"{d.bounds[0]:g} to {d.bounds[1]:g}",
          "default": list(d.default) if d.kind == "tiers" else d.default,
          "what": d.what, "cost": d.cost, "effect": d.effect} for d in decisions.values()]
    ).set_index("decision")


def _decisions_of(case_name, func):
    if not isinstance(case_name, str) or case_name not in models.DECISIONS:
        raise ValueError(f"{func}: unknown case {case_name!r}; choose one of "
                         f"{list(models.DECISIONS)!r}")
    return models.DECISIONS[case_name]


def simulator_card(case_name: str) -> str:
    """The simulator's section of a case card, in markdown.

    It lists every decision with its allowed values, its cost and its effect
    size in the behaviour model, and says what the simulator can and cannot
    tell.

    Parameters
    ----------
    case_name : str
        One of :func:`casekit.list_cases`.

    Returns
    -------
    str

    Examples
    --------
    >>> text = simulator_card("insurance")
    >>> text.splitlines()[0]
    '## The scenario simulator'
    >>> "reminders" in text
    True
    """
    decisions = _decisions_of(case_name, "simulator_card")
    lines = [
        "## The scenario simulator",
        "",
        "`simulate(case, plan, seed=...)` plays the next year (or up to five) forward from "
        "the customers who are alive at the end of the data, with their true latent "
        "parameters. It plays the year twice on the same random draws: once with your plan "
        "and once with the baseline, where every decision stays as now. The difference "
        "between the two rows comes from your decisions alone, and every team with the same "
        "case and seed faces the same customers.",
        "",
        models.MODEL_TEXT[case_name],
        "",
        "| decision | allowed values | default | cost | effect in the model |",
        "|---|---|---|---|---|",
    ]
    for d in decisions.values():
        lines.append(f"| `{d.name}`: {d.what} | {d.allowed_text()} | {d.default_text()} | "
                     f"{d.cost} | {d.effect} |")
    lines += [
        "",
        "Costs are in US dollars and scale with the case's currency. Every cost and every "
        "effect size not taken from the behaviour model that generated the data is a stated "
        "assumption.",
        "",
        "**What the simulator can tell.** What this behaviour model says would happen to "
        "these customers: revenue, gross margin, the cost of the plan, customers kept and "
        "lost, against the same year without the plan.",
        "",
        "**What it cannot tell.** Whether the real firm's customers follow this model; the "
        "effect of anything the model leaves out (competitors' replies, new customers, "
        "price changes, staff limits); and the value that kept customers bring after the "
        "simulated years, which `net` does not include: compare `customers_kept` too, or "
        "play more years. A result from one seed has sampling noise: try several seeds "
        "before calling a small difference real.",
    ]
    return "\n".join(lines) + "\n"


# --- the class leaderboard --------------------------------------------------------

def read_plan(path) -> Plan:
    """Read a team's plan from a JSON or TOML file.

    The file holds the decisions, either at the top level or under
    ``decisions``, and optionally a ``team`` name (else the file's stem).

    Parameters
    ----------
    path : str or pathlib.Path
        A ``.json`` or ``.toml`` file.

    Returns
    -------
    Plan

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "red.json").write_text('{"team": "Red", "reminders": "sms"}')
    >>> read_plan(folder / "red.json")
    Plan(decisions=mappingproxy({'reminders': 'sms'}), name='Red')
    """
    func = "read_plan"
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".json", ".toml"):
        raise ValueError(f"{func}: plan file {str(path)!r} must end in .json or .toml")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise OSError(f"{func}: cannot read plan file {str(path)!r}: {err.strerror}") from None
    try:
        data = json.loads(text) if suffix == ".json" else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as err:
        raise ValueError(f"{func}: plan file {str(path)!r} is not valid "
                         f"{suffix[1:].upper()}: {err}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{func}: plan file {str(path)!r} must hold a table of decisions; "
                         f"found {type(data).__name__}")
    team = data.pop("team", path.stem)
    decisions = data.pop("decisions", None)
    if decisions is None:
        decisions = data
    elif data:
        raise ValueError(f"{func}: plan file {str(path)!r} has keys {sorted(data)!r} beside "
                         f"'team' and 'decisions'; put every decision under 'decisions'")
    if not isinstance(decisions, dict):
        raise ValueError(f"{func}: 'decisions' in {str(path)!r} must be a table of decisions")
    return Plan(decisions, name=str(team))


def leaderboard(case, plans, *, seed=0, years: int = 1) -> pd.DataFrame:
    """Rank teams' plans by the net gain each brings over the baseline.

    Every plan is played on the same customers and the same random draws,
    so the ranking compares decisions only.

    Parameters
    ----------
    case : Case
    plans : mapping of team to plan, or sequence of Plan or plan file paths
        Plans as dicts or :class:`Plan`; files are read with :func:`read_plan`.
    seed : int
        One seed for every plan.
    years : int
        Years to play forward, 1 to 5.

    Returns
    -------
    pandas.DataFrame
        One row per team, best first, indexed by ``rank``: ``team``,
        ``net_gain``, ``margin_gain``, ``decision_cost``, ``customers_kept``
        and ``kept_gain``. Ties in net gain keep the teams' order.

    Examples
    --------
    >>> from casekit import generate_case
    >>> case = generate_case("insurance", n_customers=400, seed=3)
    >>> board = leaderboard(case, {"calls": {"reminders": "agent call"},
    ...                            "silence": {"reminders": "none"}}, seed=1)
    >>> list(board["team"])
    ['calls', 'silence']
    """
    func = "leaderboard"
    _case_name(case, func)
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"{func}: seed must be an int so that every plan meets the same "
                        f"draws; found {type(seed).__name__} {seed!r}")
    years = _check_years(years, func)
    if isinstance(plans, Mapping):
        entries = [(str(team), p) for team, p in plans.items()]
    elif isinstance(plans, Sequence) and not isinstance(plans, str):
        entries = []
        for p in plans:
            if isinstance(p, str | os.PathLike):
                p = read_plan(p)
            if not isinstance(p, Plan):
                raise TypeError(f"{func}: a list of plans must hold Plan objects or file "
                                f"paths; found {type(p).__name__}")
            entries.append((p.name, p))
    else:
        raise TypeError(f"{func}: plans must be a dict of team to plan or a list of Plans or "
                        f"files; found {type(plans).__name__}")
    if not entries:
        raise ValueError(f"{func}: no plans to rank")
    teams = [t for t, _ in entries]
    repeated = sorted({t for t in teams if teams.count(t) > 1})
    if repeated:
        raise ValueError(f"{func}: team name(s) {repeated!r} appear more than once")
    rows = []
    for team, p in entries:
        try:
            out = simulate(case, p, seed=int(seed), years=years)
        except ValueError as err:
            raise ValueError(f"{func}: plan of team {team!r}: "
                             f"{str(err).removeprefix('simulate: ')}") from None
        diff = out.loc["difference"]
        rows.append({"team": team, "net_gain": diff["net"], "margin_gain": diff["gross_margin"],
                     "decision_cost": diff["decision_cost"],
                     "customers_kept": int(out.loc["plan", "customers_kept"]),
                     "kept_gain": int(diff["customers_kept"])})
    board = pd.DataFrame(rows).sort_values("net_gain", ascending=False, kind="stable")
    board.index = pd.RangeIndex(1, len(board) + 1, name="rank")
    return board
