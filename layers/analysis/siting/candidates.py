"""Where candidate sites come from: the planner's points, else a grid or the roads near them."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

from layers.analysis.siting.matrix import walk_costs
from layers.geo.geodesy import metric_groups, metric_transformers
from layers.geo.walking import WalkSettings
from layers.model.layer import has_geometry

#: A generated grid or road sampling is thinned to at most this many candidates.
MAX_GENERATED = 20_000


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
