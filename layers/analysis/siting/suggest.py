"""Suggest sites: the siting from the project's layers to the ranked plan.

Residents come from the communities' ``population``. A community whose population
is unknown is never counted as 0: MCLP cannot weight it, so it only breaks ties
(among plans covering the same residents, the one reaching more such communities
wins: each weighs less than one resident all together) and is listed apart; LSCP
covers it like any other community with residents, since its residents exist.
A community with a population of 0 has nobody to cover.

Before the model is built, candidates that reach nobody still uncovered and those
whose reach is contained in another's are dropped (neither changes the optimum).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers.analysis.coverage import community_shapes
from layers.analysis.siting.candidates import MAX_GENERATED, Candidates, generated_candidates
from layers.analysis.siting.errors import Progress, SitingError
from layers.analysis.siting.matrix import MAX_PAIRS, undominated, walk_costs
from layers.analysis.siting.proposals import SitingResult, ranked_sites
from layers.analysis.siting.solver import solve_lscp, solve_mclp
from layers.geo.walking import WalkSettings
from layers.model.layer import has_geometry

METHODS = ("mclp", "lscp")


def suggest_sites(communities: gpd.GeoDataFrame, facilities: gpd.GeoDataFrame, category: str,
                  minutes: float, walk: WalkSettings, candidates: Candidates | None = None,
                  method: str = "mclp", count: int | None = None,
                  boundaries: gpd.GeoDataFrame | None = None,
                  roads: gpd.GeoDataFrame | None = None, along_roads: bool = False,
                  progress: Progress | None = None) -> SitingResult | None:
    """Propose sites for new facilities of a category.

    Parameters
    ----------
    communities : GeoDataFrame
        Community points with ``name`` and ``population``.
    facilities : GeoDataFrame
        All facilities; those of ``category`` with a position already cover.
    category : str
        Category id.
    minutes : float
        Walk time.
    walk : WalkSettings
        Walk time to distance.
    candidates : Candidates, optional
        Where a facility could go; by default points along ``roads`` when given,
        else a grid over the communities.
    method : str
        ``"mclp"`` (needs ``count``) or ``"lscp"``.
    count : int, optional
        MCLP: how many new facilities.
    boundaries : GeoDataFrame, optional
        Community boundaries: a community is then reached at its edge, as in the audit.
    roads : GeoDataFrame, optional
        Streets and footpaths: candidates along them when none are given.
    along_roads : bool
        Measure walks along ``roads`` instead of straight line × detour.
    progress : callable, optional
        ``progress(done, total)``; returning False cancels.

    Returns
    -------
    SitingResult or None
        The plan; None when cancelled.

    Raises
    ------
    SitingError
        For a bad request (no count, unknown method, no roads for ``along_roads``).
    """
    if method not in METHODS:
        raise SitingError(f"unknown method {method!r}: choose mclp or lscp")
    if method == "mclp" and (count is None or count < 1):
        raise SitingError("MCLP needs the number of new sites (--count, at least 1)")
    if minutes <= 0:
        raise SitingError("the walk time must be positive")
    if along_roads and roads is None:
        raise SitingError("the project has no roads layer to walk along")
    shapes = community_shapes(communities, boundaries)
    placed = has_geometry(shapes)
    comms = communities[placed].reset_index(drop=True)
    shapes = shapes[placed]
    names = comms["name"].astype(object).where(comms["name"].notna(), "?").astype(str).to_numpy()
    population = pd.to_numeric(comms["population"], errors="coerce")
    unknown = population.isna().to_numpy()
    residents = population.fillna(0).to_numpy(dtype=np.int64)
    has_residents = unknown | (residents > 0)
    mine = facilities[facilities["category"] == category]
    fac_geoms = mine.geometry.to_numpy() if len(mine) else np.array([], dtype=object)
    fac_ok = has_geometry(fac_geoms)
    result = SitingResult(method, category, float(minutes),
                          _describe_walk(walk, minutes, along_roads), "", 0,
                          residents=int(residents.sum()), unknown=list(names[unknown]),
                          communities_without_position=int((~placed).sum()),
                          facilities_without_position=int((~fac_ok).sum()),
                          empty_communities=int((~has_residents).sum()),
                          existing=int(fac_ok.sum()),
                          requested=count if method == "mclp" else None)
    walk_roads = roads if along_roads else None
    n = len(comms)
    # who is already within the walk of an existing facility
    covered = np.zeros(n, dtype=bool)
    if fac_ok.any():
        pts = fac_geoms[fac_ok]
        before = walk_costs(shapes, shapely.get_x(pts), shapely.get_y(pts), walk, minutes,
                            walk_roads, _stage(progress, 0, 2))
        if before is None:
            return None
        covered = before.covers().any(axis=1)
    need = has_residents & ~covered
    if candidates is None:
        # as many as the matrix can hold for the communities to serve
        limit = max(1, min(MAX_GENERATED, MAX_PAIRS // max(1, int(need.sum()))))
        candidates = generated_candidates(shapes[need], walk, minutes, roads, limit)
    result.candidate_source = candidates.source
    result.candidates = len(candidates)
    result.covered_before = result.covered_after = int(residents[covered].sum())
    result.unknown_covered_before = result.unknown_covered_after = int((unknown & covered).sum())
    result.communities_covered_before = result.communities_covered_after = int(
        (has_residents & covered).sum())
    clients = np.nonzero(need)[0]
    costs = walk_costs(shapes[clients], candidates.lon, candidates.lat, walk, minutes,
                       walk_roads, _stage(progress, 1, 2))
    if costs is None:
        return None
    reach = costs.covers()
    reachable = reach.any(axis=1)
    result.unreachable = list(names[clients[~reachable]])
    clients, reach = clients[reachable], reach[reachable]
    if len(clients) == 0:
        return result
    useful = np.nonzero(reach.any(axis=0))[0]
    columns = useful[undominated(reach[:, useful])]
    cover = reach[:, columns]
    if method == "mclp":
        weights = residents[clients].astype(float)
        weights[unknown[clients]] = 1.0 / (unknown[clients].sum() + 1)
        solved = solve_mclp(cover, weights, min(count, len(columns)), costs.reach_m, progress)
    else:
        solved = solve_lscp(cover, costs.reach_m, progress)
    if solved is None:
        return None
    chosen, result.optimal = solved
    picked = columns[chosen]
    result.sites = ranked_sites(cover[:, chosen], candidates.lon[picked],
                                candidates.lat[picked], names[clients], residents[clients],
                                unknown[clients])
    result.covered_after = result.covered_before + sum(s.gain or 0 for s in result.sites)
    result.unknown_covered_after = result.unknown_covered_before + sum(
        len(s.unknown) for s in result.sites)
    result.communities_covered_after = result.communities_covered_before + sum(
        len(s.communities) for s in result.sites)
    return result


def _describe_walk(walk: WalkSettings, minutes: float, along_roads: bool) -> str:
    if along_roads:
        return f"{minutes:g} min · {walk.speed_m_per_min * minutes:.0f} m along roads"
    return walk.describe(minutes)


def _stage(progress: Progress | None, stage: int, stages: int) -> Progress | None:
    """Report one stage of the work as its share of the whole (in per mille)."""
    if progress is None:
        return None

    def report(done: int, total: int) -> bool:
        share = (stage + (done / total if total else 0)) / stages
        return progress(int(share * 1000), 1000)

    return report
