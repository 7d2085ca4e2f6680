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

Coverage is decided as the audit does (:mod:`layers.analysis.coverage`): the
straight-line ground distance from the community (its boundary when drawn, else its
point) to the site, times the detour factor, within the walk; or the walking
distance along roads. :func:`walk_costs` builds that matrix in one place.

Residents come from the communities' ``population``. A community whose population
is unknown is never counted as 0: MCLP cannot weight it, so it only breaks ties
(among plans covering the same residents, the one reaching more such communities
wins: each weighs less than one resident all together) and is listed apart; LSCP
covers it like any other community with residents, since its residents exist.
A community with a population of 0 has nobody to cover.

Before the model is built, candidates that reach nobody still uncovered and those
whose reach is contained in another's are dropped (neither changes the optimum),
and an unreachable pair gets a finite cost beyond the radius: a NaN or an infinity
in the matrix breaks CBC (spopt issue 396).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.ops

from layers.analysis.coverage import community_shapes
from layers.geo.geodesy import GEOD, metric_groups, metric_transformers, polygon_distance_m
from layers.geo.walking import WalkSettings
from layers.model.layer import has_geometry
from layers.model.schema import PROPOSALS, STORAGE_CRS

#: ``progress(done, total)``; returning False cancels. ``total == 0``: busy, no count.
Progress = Callable[[int, int], bool]

#: Above this many community × candidate pairs the matrix (8 bytes a pair) is refused.
MAX_PAIRS = 25_000_000
#: A generated grid or road sampling is thinned to at most this many candidates.
MAX_GENERATED = 20_000
#: CBC stops after this long and keeps its best plan (said as "not proven best").
SOLVE_SECONDS = 600
METHODS = ("mclp", "lscp")
#: Up to this many community × site pairs, spopt's ``from_cost_matrix`` builds the model.
DENSE_PAIRS = 50_000


class SitingError(ValueError):
    """A siting request that cannot be answered, with a one-line reason."""


@dataclass(frozen=True)
class Candidates:
    """Candidate sites and where they came from.

    Attributes
    ----------
    lon, lat : ndarray
        Degrees (EPSG:4326).
    source : str
        One line for the planner: the file, the project layer, the grid or the roads.
    skipped : int
        Features of the source left out (no position, or not a point).
    """

    lon: np.ndarray
    lat: np.ndarray
    source: str
    skipped: int = 0

    def __len__(self) -> int:
        return len(self.lon)


@dataclass(frozen=True)
class WalkCosts:
    """Walking metres from each community to each site, and the walk's reach.

    Attributes
    ----------
    metres : ndarray
        Shape (communities, sites); ``inf`` where the site is beyond the walk.
    reach_m : float
        Walking metres a site may be away and still serve the community.
    method : str
        ``"straight line × detour"`` or ``"along roads"``.
    """

    metres: np.ndarray
    reach_m: float
    method: str

    def covers(self) -> np.ndarray:
        """Return which site serves which community (bool, same shape)."""
        return self.metres <= self.reach_m


@dataclass
class ProposedSite:
    """One proposed site, in the order the plan adds residents."""

    rank: int
    lon: float
    lat: float
    #: residents newly covered; None when all its communities' residents are unknown
    gain: int | None
    #: communities it brings into the walk (residents known or unknown)
    communities: list[str] = field(default_factory=list)
    #: of those, the ones whose residents are unknown
    unknown: list[str] = field(default_factory=list)


@dataclass
class SitingResult:
    """A siting plan and the figures around it."""

    method: str
    category: str
    minutes: float
    walk: str
    candidate_source: str
    candidates: int
    sites: list[ProposedSite] = field(default_factory=list)
    #: residents (known populations) within the walk of an existing facility
    covered_before: int = 0
    #: ... and after the proposed sites are built
    covered_after: int = 0
    #: residents (known populations) of all placed communities
    residents: int = 0
    #: communities with residents unknown: their names, and how many are covered
    unknown: list[str] = field(default_factory=list)
    unknown_covered_before: int = 0
    unknown_covered_after: int = 0
    #: communities with residents (known or unknown) within the walk, before and after
    communities_covered_before: int = 0
    communities_covered_after: int = 0
    #: communities with residents (or unknown) that no candidate and no facility reaches
    unreachable: list[str] = field(default_factory=list)
    #: communities with no position (not measured), facilities of the category without one
    communities_without_position: int = 0
    facilities_without_position: int = 0
    #: communities recorded with 0 residents (nothing to cover)
    empty_communities: int = 0
    existing: int = 0
    requested: int | None = None
    #: False when CBC stopped at its time limit with a good but unproven plan
    optimal: bool = True

    def as_json(self) -> dict:
        """Return the plan as plain JSON values (what ``site --format json`` prints).

        Returns
        -------
        dict
            ``covered_before``, ``covered_after``, ``sites`` (lon, lat, gain,
            communities, rank, unknown) and the other figures.
        """
        out = asdict(self)
        out["sites"] = [{"rank": s.rank, "lon": round(s.lon, 7), "lat": round(s.lat, 7),
                         "gain": s.gain, "communities": s.communities, "unknown": s.unknown}
                        for s in self.sites]
        return out

    def summary(self) -> list[str]:
        """Return the plan's figures and notes as lines (without the site list).

        Returns
        -------
        list of str
            What was sited and how, candidates, residents and communities covered
            before and after, then :meth:`notes`.
        """
        from layers.model.categories import get_category

        label = get_category(self.category).label_zh
        what = ("MCLP (maximal covering)" if self.method == "mclp"
                else "LSCP (fewest sites covering everyone)")
        lines = [f"{label} · {what} · {self.walk}",
                 f"candidates: {self.candidates} from {self.candidate_source}",
                 f"existing {label}: {self.existing}"]
        if self.residents:
            def share(n: int) -> str:
                return f" ({100 * n / self.residents:.1f}%)"

            lines.append(f"residents covered before: {self.covered_before}"
                         f"{share(self.covered_before)}; after: {self.covered_after}"
                         f"{share(self.covered_after)}; of {self.residents} known")
        else:
            lines.append("residents covered: unknown (no community has a known population)")
        lines.append(f"communities covered before: {self.communities_covered_before}; "
                     f"after: {self.communities_covered_after}")
        if not self.sites:
            lines.append("no new site is needed or possible")
        return lines + self.notes()

    def notes(self) -> list[str]:
        """Return the lines that say what was left out, skipped or unknown.

        Returns
        -------
        list of str
            One line each; empty when there is nothing to say.
        """
        lines = []
        if self.communities_without_position:
            lines.append(f"{self.communities_without_position} communities with no position: "
                         "not measured")
        if self.facilities_without_position:
            lines.append(f"{self.facilities_without_position} existing facilities with no "
                         "position: not counted as covering")
        if self.unknown:
            how = ("only break ties" if self.method == "mclp"
                   else "covered like the others")
            lines.append(f"{len(self.unknown)} communities with residents unknown: not weighted "
                         f"({how}; {self.unknown_covered_before} covered before, "
                         f"{self.unknown_covered_after} after): " + "、".join(self.unknown))
        if self.empty_communities:
            lines.append(f"{self.empty_communities} communities with 0 residents: "
                         "nothing to cover")
        if self.unreachable:
            lines.append(f"{len(self.unreachable)} communities no candidate can reach: "
                         + "、".join(self.unreachable))
        if self.requested is not None and len(self.sites) < self.requested:
            lines.append(f"{len(self.sites)} of the {self.requested} sites asked for add "
                         "anyone: every reachable community is then covered")
        if not self.optimal:
            lines.append(f"the solver stopped after {SOLVE_SECONDS} s: a good plan, not "
                         "proven the best")
        return lines


# ----- the matrix ---------------------------------------------------------------
def walk_costs(shapes: np.ndarray, site_lon: np.ndarray, site_lat: np.ndarray,
               walk: WalkSettings, minutes: float, roads: gpd.GeoDataFrame | None = None,
               progress: Progress | None = None) -> WalkCosts | None:
    """Return the walking metres from each community to each site, inf beyond the walk.

    Straight line (no ``roads``): the ground distance on the WGS 84 ellipsoid from
    the community's boundary (0 inside it) or point to the site, times the detour
    factor; the reach is the walk's straight-line radius times the detour, so a
    site serves a community exactly when the audit would say so. Pairs are found
    with an STRtree in a local metric CRS and measured on the ellipsoid.

    Along roads (``roads`` given): the walking distance along the streets from the
    community's point (or a point inside its boundary), reach ``speed × minutes``,
    from :func:`layers.geo.network.distances_along_roads`.

    Parameters
    ----------
    shapes : ndarray of shapely.Geometry
        Community points or boundary polygons (EPSG:4326), all with a position.
    site_lon, site_lat : ndarray
        Sites, degrees.
    walk : WalkSettings
        Walk time to distance.
    minutes : float
        Walk time.
    roads : GeoDataFrame, optional
        Streets and footpaths: walk along them instead.
    progress : callable, optional
        ``progress(done, total)`` over the communities; returning False cancels.

    Returns
    -------
    WalkCosts or None
        None when cancelled.

    Raises
    ------
    SitingError
        When the matrix would be too large, or walking along roads is not available.
    """
    n, m = len(shapes), len(site_lon)
    if n * m > MAX_PAIRS:
        raise SitingError(f"{n} communities × {m} candidate sites is too many pairs "
                          f"(limit {MAX_PAIRS:,}): give fewer candidates")
    site_lon = np.asarray(site_lon, dtype=float)
    site_lat = np.asarray(site_lat, dtype=float)
    if roads is not None:
        from layers.geo.network import NetworkError, distances_along_roads

        reps = shapely.point_on_surface(shapes)
        reach = walk.speed_m_per_min * minutes
        try:
            metres = distances_along_roads(roads, shapely.get_x(reps), shapely.get_y(reps),
                                           site_lon, site_lat, reach)
        except NetworkError as exc:  # a roads layer with no lines
            raise SitingError(str(exc)) from None
        return WalkCosts(np.asarray(metres, dtype=float), reach, "along roads")
    radius = walk.radius_m(minutes)
    metres = np.full((n, m), np.inf)
    if n == 0 or m == 0:
        return WalkCosts(metres, radius * walk.detour, "straight line × detour")
    reps = shapely.point_on_surface(shapes)
    rlon, rlat = shapely.get_x(reps), shapely.get_y(reps)
    is_point = shapely.get_type_id(shapes) == 0
    both_lon = np.concatenate([rlon, site_lon])
    both_lat = np.concatenate([rlat, site_lat])
    done = 0
    for idx, crs in metric_groups(both_lon, both_lat):
        comm = idx[idx < n]
        site = idx[idx >= n] - n
        if len(comm) == 0 or len(site) == 0:
            done += len(comm)
            continue
        fwd, _ = metric_transformers(crs)
        sx, sy = fwd.transform(site_lon[site], site_lat[site])
        tree = shapely.STRtree(shapely.points(sx, sy))
        # the projection's scale is within 1% of true in a city: look a little wider
        look = radius * 1.01 + 10.0
        for start in range(0, len(comm), 500):
            chunk = comm[start:start + 500]
            local = shapely.transform(shapes[chunk], lambda c, t=fwd: np.column_stack(
                t.transform(c[:, 0], c[:, 1])))
            qi, ti = tree.query(local, predicate="dwithin", distance=look)
            ci, sj = chunk[qi], site[ti]
            d = np.empty(len(ci))
            pts = is_point[ci]
            if pts.any():
                d[pts] = GEOD.inv(rlon[ci[pts]], rlat[ci[pts]], site_lon[sj[pts]],
                                  site_lat[sj[pts]])[2]
            for k in np.nonzero(~pts)[0]:
                d[k] = polygon_distance_m(shapes[ci[k]], site_lon[sj[k]], site_lat[sj[k]])
            metres[ci, sj] = d * walk.detour
            done += len(chunk)
            if progress is not None and not progress(done, n):
                return None
    return WalkCosts(metres, radius * walk.detour, "straight line × detour")


# ----- candidates ---------------------------------------------------------------
def points_candidates(frame: gpd.GeoDataFrame, source: str) -> Candidates:
    """Return the point features of a layer or file as candidate sites.

    Parameters
    ----------
    frame : GeoDataFrame
        Features in EPSG:4326; only points (and the parts of multipoints) are used.
    source : str
        What to call them, e.g. ``"file sites.csv"``.

    Returns
    -------
    Candidates
        The points, with the features left out counted.
    """
    geoms = frame.geometry.to_numpy() if len(frame) else np.array([], dtype=object)
    ok = has_geometry(geoms)
    if ok.any():
        ok[ok] = np.isin(shapely.get_type_id(geoms[ok]), (0, 4))
    parts = shapely.get_parts(geoms[ok])
    return Candidates(shapely.get_x(parts), shapely.get_y(parts), source,
                      int((~ok).sum()))


def grid_candidates(shapes: np.ndarray, radius_m: float, spacing_m: float | None = None,
                    limit: int = MAX_GENERATED, near_what: str = "the communities"
                    ) -> Candidates:
    """Return a square grid of sites over the communities, kept near them.

    Parameters
    ----------
    shapes : ndarray of shapely.Geometry
        The communities to serve (EPSG:4326).
    radius_m : float
        The walk's straight-line radius; grid points farther from every community
        are dropped.
    spacing_m : float, optional
        Grid spacing; half the radius by default, widened when the grid would hold
        many more than ``limit`` points.
    limit : int
        At most this many points are kept (evenly thinned).
    near_what : str
        What the points are near, for the source line.

    Returns
    -------
    Candidates
        The grid points.
    """
    spacing = float(spacing_m or radius_m / 2)
    lons, lats = [], []
    if len(shapes):
        reps = shapely.point_on_surface(shapes)
        for idx, crs in metric_groups(shapely.get_x(reps), shapely.get_y(reps)):
            fwd, back = metric_transformers(crs)
            local = shapely.transform(shapes[idx], lambda c, t=fwd: np.column_stack(
                t.transform(c[:, 0], c[:, 1])))
            x0, y0, x1, y1 = shapely.total_bounds(local)
            x0, y0, x1, y1 = x0 - radius_m, y0 - radius_m, x1 + radius_m, y1 + radius_m
            step = spacing
            while ((x1 - x0) / step + 1) * ((y1 - y0) / step + 1) > 4 * limit:
                step *= 1.5
            gx, gy = np.meshgrid(np.arange(x0, x1 + step / 2, step),
                                 np.arange(y0, y1 + step / 2, step))
            grid = shapely.points(gx.ravel(), gy.ravel())
            near = np.unique(shapely.STRtree(grid).query(local, predicate="dwithin",
                                                        distance=radius_m)[1])
            lon, lat = back.transform(gx.ravel()[near], gy.ravel()[near])
            lons.append(np.asarray(lon))
            lats.append(np.asarray(lat))
            spacing = max(spacing, step)
    lon = np.concatenate(lons) if lons else np.array([])
    lat = np.concatenate(lats) if lats else np.array([])
    lon, lat, thinned = _thin(lon, lat, limit)
    return Candidates(lon, lat, f"a grid every {spacing:.0f} m near {near_what}{thinned}")


def road_candidates(roads: gpd.GeoDataFrame, shapes: np.ndarray, radius_m: float,
                    spacing_m: float | None = None, limit: int = MAX_GENERATED) -> Candidates:
    """Return sites every ``spacing_m`` along the roads, kept near the communities.

    Parameters
    ----------
    roads : GeoDataFrame
        Streets and footpaths (lines, EPSG:4326).
    shapes : ndarray of shapely.Geometry
        The communities to serve.
    radius_m : float
        The walk's straight-line radius.
    spacing_m : float, optional
        Distance between sites along a road; half the radius by default.
    limit : int
        At most this many points are kept (evenly thinned).

    Returns
    -------
    Candidates
        The points on the roads (road ends included).
    """
    spacing = float(spacing_m or radius_m / 2)
    geoms = roads.geometry.to_numpy()
    lines = shapely.get_parts(geoms[has_geometry(geoms)])
    lines = lines[np.isin(shapely.get_type_id(lines), (1, 2))]
    lons, lats = [], []
    if len(lines) and len(shapes):
        reps = shapely.point_on_surface(shapes)
        mid = shapely.point_on_surface(lines)
        for idx, crs in metric_groups(np.concatenate([shapely.get_x(reps), shapely.get_x(mid)]),
                                      np.concatenate([shapely.get_y(reps), shapely.get_y(mid)])):
            comm, road = idx[idx < len(shapes)], idx[idx >= len(shapes)] - len(shapes)
            if len(comm) == 0 or len(road) == 0:
                continue
            fwd, back = metric_transformers(crs)
            local = shapely.transform(shapes[comm], lambda c, t=fwd: np.column_stack(
                t.transform(c[:, 0], c[:, 1])))
            paths = shapely.transform(lines[road], lambda c, t=fwd: np.column_stack(
                t.transform(c[:, 0], c[:, 1])))
            near = np.unique(shapely.STRtree(paths).query(local, predicate="dwithin",
                                                          distance=radius_m)[1])
            paths = paths[near]
            if len(paths) == 0:
                continue
            total = float(shapely.length(paths).sum())
            step = max(spacing, total / (4 * limit))
            pts = shapely.get_coordinates(shapely.segmentize(paths, step))
            keep = np.unique(shapely.STRtree(shapely.points(pts)).query(
                local, predicate="dwithin", distance=radius_m)[1])
            lon, lat = back.transform(pts[keep, 0], pts[keep, 1])
            lons.append(np.asarray(lon))
            lats.append(np.asarray(lat))
            spacing = max(spacing, step)
    lon = np.concatenate(lons) if lons else np.array([])
    lat = np.concatenate(lats) if lats else np.array([])
    lon, lat, thinned = _thin(lon, lat, limit)
    return Candidates(lon, lat, f"points every {spacing:.0f} m along the roads near the "
                                f"communities{thinned}")


def generated_candidates(shapes: np.ndarray, walk: WalkSettings, minutes: float,
                         roads: gpd.GeoDataFrame | None = None,
                         limit: int = MAX_GENERATED) -> Candidates:
    """Return candidate sites when the planner gives none: along the roads, else a grid.

    Communities that no point along the roads reaches (streets not drawn there)
    get grid points near them as well, so no community is left without a chance.

    Parameters
    ----------
    shapes : ndarray of shapely.Geometry
        The communities to serve.
    walk : WalkSettings
        Walk time to distance.
    minutes : float
        Walk time.
    roads : GeoDataFrame, optional
        Streets and footpaths.
    limit : int
        At most this many candidates in all.

    Returns
    -------
    Candidates
        The points, with a source line that says how they were made.
    """
    radius = walk.radius_m(minutes)
    if roads is None:
        return grid_candidates(shapes, radius, limit=limit)
    on_roads = road_candidates(roads, shapes, radius, limit=limit)
    near = np.zeros(len(shapes), dtype=bool)
    if len(on_roads):
        near = walk_costs(shapes, on_roads.lon, on_roads.lat, walk, minutes).covers().any(
            axis=1)
    if near.all():
        return on_roads
    if len(on_roads) == 0:
        grid = grid_candidates(shapes, radius, limit=limit)
        return Candidates(grid.lon, grid.lat, grid.source + " (no road near them)")
    grid = grid_candidates(shapes[~near], radius, limit=max(1, limit - len(on_roads)),
                           near_what=f"the {int((~near).sum())} communities far from the roads")
    return Candidates(np.concatenate([on_roads.lon, grid.lon]),
                      np.concatenate([on_roads.lat, grid.lat]),
                      f"{on_roads.source}, and {grid.source}")


def _thin(lon: np.ndarray, lat: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray, str]:
    """Drop repeated points (to about 1 m) and keep at most ``limit``, evenly.

    The text says how many of how many were kept, when some were dropped.
    """
    if len(lon) == 0:
        return lon, lat, ""
    key = np.round(np.column_stack([lon, lat]) * 1e5).astype(np.int64)
    _, first = np.unique(key, axis=0, return_index=True)
    first = np.sort(first)
    thinned = ""
    if len(first) > limit:
        thinned = f" (thinned evenly to {limit} of {len(first)})"
        first = first[np.linspace(0, len(first) - 1, limit).astype(int)]
    return lon[first], lat[first], thinned


# ----- the plan -----------------------------------------------------------------
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
    columns = useful[_undominated(reach[:, useful])]
    cover = reach[:, columns]
    if method == "mclp":
        weights = residents[clients].astype(float)
        weights[unknown[clients]] = 1.0 / (unknown[clients].sum() + 1)
        chosen = _solve_mclp(cover, weights, min(count, len(columns)), costs.reach_m,
                             progress, result)
    else:
        chosen = _solve_lscp(cover, costs.reach_m, progress, result)
    if chosen is None:
        return None
    picked = columns[chosen]
    result.sites = _ranked_sites(cover[:, chosen], candidates.lon[picked],
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


def _undominated(cover: np.ndarray) -> np.ndarray:
    """Return the columns whose reach no other column contains (one of equal ones kept).

    Dropping a column whose set of communities is inside another's never changes
    the best plan of a covering model: the other column does at least as well.
    """
    from scipy import sparse

    m = cover.shape[1]
    if m <= 1:
        return np.arange(m)
    a = sparse.csc_matrix(cover.astype(np.int32))
    size = np.asarray(a.sum(axis=0)).ravel()
    overlap = (a.T @ a).tocoo()
    j, k, shared = overlap.row, overlap.col, overlap.data
    inside = (j != k) & (shared == size[j]) & (
        (size[k] > size[j]) | ((size[k] == size[j]) & (k < j)))
    dominated = np.zeros(m, dtype=bool)
    dominated[j[inside]] = True
    return np.nonzero(~dominated)[0]


def _cost_matrix(cover: np.ndarray, reach_m: float) -> np.ndarray:
    """Return a finite cost matrix for spopt: 0 within the walk, beyond the radius else.

    Pairs beyond the walk get a finite cost past the radius, never NaN or inf,
    which break CBC (spopt issue 396).
    """
    return np.where(cover, 0.0, 2.0 * reach_m + 1.0)


def _solver():  # noqa: ANN202 - a pulp solver
    import pulp

    solver = pulp.PULP_CBC_CMD(msg=False, timeLimit=SOLVE_SECONDS)
    if not solver.available():
        raise SitingError("the CBC solver bundled with pulp does not run on this machine")
    return solver


def _solve_mclp(cover: np.ndarray, weights: np.ndarray, count: int, reach_m: float,
                progress: Progress | None, result: SitingResult) -> np.ndarray | None:
    model = _mclp_model(cover, weights, count, reach_m)
    if _solve(model, progress, result) is None:
        return None
    return _chosen(model)


def _solve_lscp(cover: np.ndarray, reach_m: float, progress: Progress | None,
                result: SitingResult) -> np.ndarray | None:
    model = _lscp_model(cover, reach_m)
    if _solve(model, progress, result) is None:
        return None
    return _chosen(model)


def _chosen(model: object) -> np.ndarray:
    """Return the columns the solved model opens."""
    return np.array([j for j, v in enumerate(model.fac_vars) if (v.value() or 0) > 0.5],
                    dtype=int)


def _mclp_model(cover: np.ndarray, weights: np.ndarray, count: int, reach_m: float,
                dense_pairs: int | None = None) -> object:
    """Return spopt's MCLP for a coverage matrix.

    Up to :data:`DENSE_PAIRS` pairs it is ``MCLP.from_cost_matrix``. That method
    writes every pair into the model, zeros too (2.9 million terms and 90 s for
    1,800 communities × 1,600 sites), so a larger one is built the same way
    from the pairs within reach only: the same variables, objective and
    constraints, and the same ``MCLP`` object to solve.
    """
    import pulp
    from spopt.locate import MCLP
    from spopt.locate.base import FacilityModelBuilder

    n, m = cover.shape
    if n * m <= (DENSE_PAIRS if dense_pairs is None else dense_pairs):
        return MCLP.from_cost_matrix(_cost_matrix(cover, reach_m), weights, reach_m, count)
    model = MCLP("mclp", pulp.LpProblem("mclp", pulp.LpMaximize))
    FacilityModelBuilder.add_facility_integer_variable(model, range(m), "x[{i}]")
    FacilityModelBuilder.add_client_integer_variable(model, range(n), "y[{i}]")
    model.aij = cover.astype(float)
    x, y = model.fac_vars, model.cli_vars
    model.problem += (pulp.LpAffineExpression(
        [(y[i], float(w)) for i, w in enumerate(weights)]), "objective function")
    for i in range(n):
        model.problem += pulp.LpAffineExpression(
            [(x[j], 1) for j in np.nonzero(cover[i])[0]]) >= y[i]
    FacilityModelBuilder.add_facility_constraint(model, count)
    return model


def _lscp_model(cover: np.ndarray, reach_m: float, dense_pairs: int | None = None) -> object:
    """Return spopt's LSCP for a coverage matrix (see :func:`_mclp_model` for the size)."""
    import pulp
    from spopt.locate import LSCP
    from spopt.locate.base import FacilityModelBuilder

    n, m = cover.shape
    if n * m <= (DENSE_PAIRS if dense_pairs is None else dense_pairs):
        return LSCP.from_cost_matrix(_cost_matrix(cover, reach_m), reach_m)
    model = LSCP("lscp", pulp.LpProblem("lscp", pulp.LpMinimize))
    FacilityModelBuilder.add_facility_integer_variable(model, range(m), "y[{i}]")
    model.aij = cover.astype(float)
    x = model.fac_vars
    for i in range(n):
        model.problem += pulp.LpAffineExpression(
            [(x[j], 1) for j in np.nonzero(cover[i])[0]]) >= 1
    model.problem += pulp.lpSum(x), "objective function"
    return model


def _solve(model: object, progress: Progress | None, result: SitingResult) -> object | None:
    """Solve a spopt model with CBC, reporting while it runs; None when cancelled.

    CBC runs as a child process that cannot be interrupted midway: a cancelled
    solve is left to end on its own (within :data:`SOLVE_SECONDS`) and its plan
    is dropped.
    """
    import pulp

    solver = _solver()
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["model"] = model.solve(solver, results=False)
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            outcome["error"] = exc

    thread = threading.Thread(target=run, name="cbc-siting", daemon=True)
    thread.start()
    start = time.monotonic()
    while thread.is_alive():
        thread.join(0.1)
        if progress is not None and not progress(int(time.monotonic() - start), 0):
            return None
    if "error" in outcome:
        exc = outcome["error"]
        if isinstance(exc, RuntimeError | pulp.PulpSolverError):
            raise SitingError(f"the solver found no plan: {str(exc).splitlines()[0]}") from None
        raise exc
    result.optimal = getattr(model.problem, "sol_status", 1) == pulp.LpSolutionOptimal
    return outcome["model"]


def _ranked_sites(cover: np.ndarray, lon: np.ndarray, lat: np.ndarray, names: np.ndarray,
                  residents: np.ndarray, unknown: np.ndarray) -> list[ProposedSite]:
    """Order the chosen sites by what each adds to those before it.

    The first site is the one bringing the most residents on its own, the next
    the most of what is left, and so on; each community is credited to the first
    site that reaches it, so the gains add up to the plan's total. A site that
    adds nobody (K larger than needed) is left out.
    """
    left = np.ones(cover.shape[0], dtype=bool)
    todo = list(range(cover.shape[1]))
    sites = []
    while todo:
        worth = [(int(residents[cover[:, j] & left & ~unknown].sum()),
                  int((cover[:, j] & left & unknown).sum()), -j) for j in todo]
        best = todo[worth.index(max(worth))]
        todo.remove(best)
        new = cover[:, best] & left
        if not new.any():
            continue
        left &= ~new
        known = new & ~unknown
        gain = int(residents[known].sum()) if known.any() else None
        sites.append(ProposedSite(len(sites) + 1, float(lon[best]), float(lat[best]), gain,
                                  [str(x) for x in names[new]],
                                  [str(x) for x in names[new & unknown]]))
    return sites


def proposals_frame(result: SitingResult, today: dt.date | None = None) -> gpd.GeoDataFrame:
    """Return the plan as features of the ``proposals`` layer.

    Parameters
    ----------
    result : SitingResult
        The plan.
    today : date, optional
        The date written in the notes; today by default.

    Returns
    -------
    GeoDataFrame
        One point per proposed site, with the fields of :data:`PROPOSALS`.
    """
    from layers.model.layer import conform, new_id

    today = today or dt.date.today()
    rows = []
    for s in result.sites:
        notes = [f"proposed by {result.method.upper()} siting on {today.isoformat()}",
                 result.walk]
        if s.unknown:
            notes.append(f"{len(s.unknown)} of its communities with residents unknown")
        if not result.optimal:
            notes.append("plan not proven the best (solver time limit)")
        rows.append({"id": new_id(), "rank": s.rank, "category": result.category,
                     "method": result.method, "minutes": result.minutes,
                     "gain": s.gain, "communities": "、".join(s.communities),
                     "candidate_source": result.candidate_source,
                     "notes": "; ".join(notes)})
    frame = gpd.GeoDataFrame(
        pd.DataFrame(rows, columns=list(PROPOSALS.fields)),
        geometry=gpd.GeoSeries([shapely.Point(s.lon, s.lat) for s in result.sites],
                               crs=STORAGE_CRS), crs=STORAGE_CRS)
    return conform(frame, PROPOSALS)
