"""Siting: where the next facilities of a category should go, and how few cover everyone.

Two covering models from PySAL's spopt, solved with CBC through pulp:

- **MCLP** (maximal covering): choose K sites that bring the most residents within
  the walk. Existing facilities of the category already cover their communities;
  those communities carry no gain and are left out of the model, which is the same
  optimum as pre-placing the existing facilities (spopt's
  ``predefined_facilities_arr``, with K plus their number as ``p``), only smaller:
  the covered residents are a constant of the objective.
- **LSCP** (set covering): the fewest sites that bring every community with
  residents (known or merely unknown) that some candidate can reach into the walk.

One module per step, in the order a siting takes them:

- :mod:`~layers.analysis.siting.candidates`: where candidate sites come from (the
  planner's points, else points along the roads and a grid near the communities).
- :mod:`~layers.analysis.siting.matrix`: which candidate serves which community,
  straight line × detour as in the audit, or along roads.
- :mod:`~layers.analysis.siting.solver`: spopt's MCLP or LSCP over that matrix, with CBC.
- :mod:`~layers.analysis.siting.proposals`: the ranked plan, its figures and the
  features of the ``proposals`` layer.
- :mod:`~layers.analysis.siting.suggest`: :func:`suggest_sites`, the siting from the
  project's layers to the plan (how residents weigh, what is left out).
"""

from layers.analysis.siting.candidates import (
    MAX_GENERATED,
    Candidates,
    generated_candidates,
    grid_candidates,
    points_candidates,
    road_candidates,
)
from layers.analysis.siting.errors import Progress, SitingError
from layers.analysis.siting.matrix import MAX_PAIRS, WalkCosts, walk_costs
from layers.analysis.siting.proposals import ProposedSite, SitingResult, proposals_frame
from layers.analysis.siting.solver import DENSE_PAIRS, SOLVE_SECONDS
from layers.analysis.siting.suggest import METHODS, suggest_sites

__all__ = [
    "DENSE_PAIRS",
    "MAX_GENERATED",
    "MAX_PAIRS",
    "METHODS",
    "SOLVE_SECONDS",
    "Candidates",
    "Progress",
    "ProposedSite",
    "SitingError",
    "SitingResult",
    "WalkCosts",
    "generated_candidates",
    "grid_candidates",
    "points_candidates",
    "proposals_frame",
    "road_candidates",
    "suggest_sites",
    "walk_costs",
]
