"""The coverage audit: which checklist categories each community reaches on foot.

Distances are straight-line ground distances (nearest facility found with an
STRtree in the community's UTM zone, then measured on the WGS 84 ellipsoid);
walking distance is that times the detour factor. With a road layer, walking
distance can instead be measured along the streets (one Dijkstra per checklist item
from all its facilities at once, on the road graph kept between audits; see
:func:`layers.geo.network.nearest_along_roads`). No circle is built for the audit
itself, except to measure the covered share of a boundary polygon.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import geopandas as gpd
import numpy as np
import shapely
import shapely.ops

from layers.analysis.checklist import Checklist
from layers.analysis.service_circles import union_in_metres
from layers.geo.geodesy import GEOD, polygon_distance_m, to_metric, utm_zones
from layers.geo.walking import WalkSettings
from layers.io.spreadsheet import csv_text
from layers.model.layer import has_geometry


@dataclass
class CommunityAudit:
    """The audit result of one community."""

    community: str
    community_id: str
    covered: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    #: category id -> straight-line metres to the nearest facility (None: there is none)
    nearest: dict[str, float | None] = field(default_factory=dict)
    #: category id -> walking metres (straight line × detour, or along the roads)
    nearest_walk_m: dict[str, float | None] = field(default_factory=dict)
    nearest_name: dict[str, str | None] = field(default_factory=dict)
    #: category id -> share (0–1) of the boundary polygon inside the walk; polygons only
    covered_share: dict[str, float] = field(default_factory=dict)
    radius_m: dict[str, float] = field(default_factory=dict)
    has_boundary: bool = False
    #: how walking distance is measured: "straight line × detour" or "along roads"
    method: str = "straight line × detour"


def community_shapes(communities: gpd.GeoDataFrame,
                     boundaries: gpd.GeoDataFrame | None) -> np.ndarray:
    """Return each community's boundary polygon when drawn, else its point.

    Parameters
    ----------
    communities : GeoDataFrame
        Community points.
    boundaries : GeoDataFrame or None
        Boundary polygons with a ``community`` name.

    Returns
    -------
    ndarray of shapely.Geometry
        One per community row, EPSG:4326.
    """
    shapes = communities.geometry.to_numpy().copy()
    if boundaries is not None and len(boundaries):
        by_name = {}
        for name, geom in zip(boundaries["community"], boundaries.geometry, strict=True):
            if geom is not None and not geom.is_empty:
                by_name[name] = geom if name not in by_name else by_name[name].union(geom)
        for i, name in enumerate(communities["name"]):
            if name in by_name:
                shapes[i] = by_name[name]
    return shapes


def run_audit(communities: gpd.GeoDataFrame, facilities: gpd.GeoDataFrame,
              checklist: Checklist, walk: WalkSettings,
              boundaries: gpd.GeoDataFrame | None = None,
              roads: gpd.GeoDataFrame | None = None,
              progress: Callable[[int, int], bool] | None = None
              ) -> list[CommunityAudit] | None:
    """Audit every community against the checklist.

    Parameters
    ----------
    communities : GeoDataFrame
        Community points (EPSG:4326).
    facilities : GeoDataFrame
        Facility points with ``category`` and ``name``.
    checklist : Checklist
        Required categories and walk times.
    walk : WalkSettings
        Walk time to distance.
    boundaries : GeoDataFrame, optional
        Community boundaries; measured from the polygon, with covered share.
    roads : GeoDataFrame, optional
        Streets and footpaths: walking distances are then measured along them
        (from the community's point, or a point inside its boundary), at the
        walking speed without a detour factor, and decide what is covered.
    progress : callable, optional
        ``progress(done, total)`` while walking along roads; returning False cancels.

    Returns
    -------
    list of CommunityAudit or None
        One per community, in layer order; None when cancelled. A community
        with no position (no point and no boundary) is left out: nothing can be
        measured from it, and it must not read as missing everything.
    """
    shapes = community_shapes(communities, boundaries)
    placed = has_geometry(shapes)
    if not placed.all():
        communities, shapes = communities[placed], shapes[placed]
    n = len(communities)
    results = [CommunityAudit(str(name), str(cid)) for name, cid in
               zip(communities["name"], communities["id"], strict=True)]
    if n == 0:
        return results
    reps = shapely.point_on_surface(shapes)
    lon, lat = shapely.get_x(reps), shapely.get_y(reps)
    zones = utm_zones(lon, lat)
    fac_geoms = facilities.geometry.to_numpy()
    fac_ok = has_geometry(fac_geoms)
    for item in checklist.items:
        radius = walk.radius_m(item.minutes)
        sel = fac_ok & (facilities["category"].to_numpy() == item.category)
        pts = fac_geoms[sel]
        names = facilities["name"].to_numpy()[sel]
        dist = np.full(n, np.nan)
        nearest_idx = np.full(n, -1)
        share = np.full(n, np.nan)
        if len(pts):
            flon, flat = shapely.get_x(pts), shapely.get_y(pts)
            for epsg in np.unique(zones):
                in_zone = np.nonzero(zones == epsg)[0]
                tf = to_metric(int(epsg))
                fx, fy = tf.transform(flon, flat)
                tree = shapely.STRtree(shapely.points(fx, fy))
                local = shapely.transform(shapes[in_zone], lambda c, t=tf: np.column_stack(
                    t.transform(c[:, 0], c[:, 1])))
                (qi, ti), _ = tree.query_nearest(local, return_distance=True, all_matches=False)
                nearest_idx[in_zone[qi]] = ti
                polys = np.nonzero(shapely.get_type_id(local) >= 3)[0]
                if len(polys):
                    share[in_zone[polys]] = covered_shares(local[polys], np.asarray(fx),
                                                           np.asarray(fy), radius, tree)
            has = nearest_idx >= 0
            is_point = shapely.get_type_id(shapes) == 0
            exact = has & is_point
            if exact.any():
                _, _, d = GEOD.inv(lon[exact], lat[exact], flon[nearest_idx[exact]],
                                   flat[nearest_idx[exact]])
                dist[exact] = d
            for i in np.nonzero(has & ~is_point)[0]:
                dist[i] = polygon_distance_m(shapes[i], flon[nearest_idx[i]],
                                            flat[nearest_idx[i]])
        for i, result in enumerate(results):
            d = None if np.isnan(dist[i]) else float(dist[i])
            result.nearest[item.category] = None if d is None else round(d, 1)
            result.nearest_walk_m[item.category] = (None if d is None
                                                    else round(d * walk.detour, 1))
            result.nearest_name[item.category] = (None if nearest_idx[i] < 0
                                                  else str(names[nearest_idx[i]]))
            result.radius_m[item.category] = radius
            if not np.isnan(share[i]):
                result.covered_share[item.category] = round(float(share[i]), 4)
                result.has_boundary = True
            (result.covered if d is not None and d <= radius else result.missing).append(
                item.category)
    if roads is not None and not _walk_along_roads(results, lon, lat, facilities, fac_ok,
                                                   checklist, walk, roads, progress):
        return None
    return results


def _walk_along_roads(results: list[CommunityAudit], lon: np.ndarray, lat: np.ndarray,
                      facilities: gpd.GeoDataFrame, fac_ok: np.ndarray, checklist: Checklist,
                      walk: WalkSettings, roads: gpd.GeoDataFrame,
                      progress: Callable[[int, int], bool] | None) -> bool:
    """Replace walking distances and coverage with distances along the roads.

    One walk per checklist item, from all its facilities together, reaching every
    community (:func:`layers.geo.network.nearest_along_roads`); ``progress``
    moves on once per item, counted in communities.
    """
    from layers.geo.network import nearest_along_roads

    cats = facilities["category"].to_numpy()
    group = np.full(len(facilities), -1)
    for g, item in enumerate(checklist.items):
        group[cats == item.category] = g
    use = fac_ok & (group >= 0)
    pts = facilities.geometry.to_numpy()[use]
    names = facilities["name"].to_numpy()[use]
    budgets = [walk.speed_m_per_min * item.minutes for item in checklist.items]
    found_all = nearest_along_roads(roads, lon, lat, shapely.get_x(pts), shapely.get_y(pts),
                                    group[use], len(budgets), 2 * max(budgets), progress)
    if found_all is None:
        return False
    metres, which = found_all
    for i, result in enumerate(results):
        result.method = "along roads"
        result.covered, result.missing = [], []
        for g, item in enumerate(checklist.items):
            d = metres[i, g]
            found = np.isfinite(d)
            result.nearest_walk_m[item.category] = round(float(d), 1) if found else None
            if found:
                result.nearest_name[item.category] = str(names[which[i, g]])
            result.radius_m[item.category] = budgets[g]
            (result.covered if found and d <= budgets[g] else result.missing).append(
                item.category)
    return True


def covered_shares(polygons: np.ndarray, x: np.ndarray, y: np.ndarray, radius: float,
                   tree: shapely.STRtree | None = None) -> np.ndarray:
    """Return the share of each polygon's area within ``radius`` of some point.

    The discs around the points are merged once (:func:`union_in_metres`), cut
    into tiles, and each polygon is intersected only with the tiles it meets,
    so thousands of boundaries cost about as much as one city-wide union.

    Parameters
    ----------
    polygons : ndarray of shapely.Geometry
        Community boundaries in a metric CRS.
    x, y : ndarray
        Facility points in the same CRS.
    radius : float
        Walking radius, metres.
    tree : shapely.STRtree, optional
        An index of the facility points, when the caller has one.

    Returns
    -------
    ndarray of float
        Share (0–1) per polygon.
    """
    polygons = np.asarray(polygons, dtype=object)
    area = shapely.area(polygons)
    share = np.zeros(len(polygons))
    if len(polygons) == 0 or len(x) == 0:
        return share
    tree = tree or shapely.STRtree(shapely.points(x, y))
    near = np.unique(tree.query(polygons, predicate="dwithin", distance=radius)[1])
    if len(near) == 0:
        return share
    reach = union_in_metres(x[near], y[near], np.full(len(near), float(radius)))
    parts = shapely.get_parts(reach)
    # tiles a few radii wide keep each piece small enough to intersect quickly
    x0, y0, x1, y1 = shapely.total_bounds(polygons)
    size = max(4 * radius, (x1 - x0) / 64, (y1 - y0) / 64, 1.0)
    gx, gy = np.meshgrid(np.arange(x0, x1 + size, size), np.arange(y0, y1 + size, size))
    tiles = shapely.box(gx.ravel(), gy.ravel(), gx.ravel() + size, gy.ravel() + size)
    tiles = tiles[np.unique(shapely.STRtree(polygons).query(tiles)[0])]  # tiles in use
    ti, pi = shapely.STRtree(parts).query(tiles, predicate="intersects")
    bounds = shapely.bounds(tiles[ti])
    pieces = np.array([shapely.clip_by_rect(p, *b) for p, b in zip(parts[pi], bounds,
                                                                    strict=True)], dtype=object)
    pieces = pieces[~shapely.is_empty(pieces)]
    bad = ~shapely.is_valid(pieces)  # a fast rectangle clip can leave a touching ring
    pieces[bad] = shapely.make_valid(pieces[bad])
    poly_i, piece_i = shapely.STRtree(pieces).query(polygons, predicate="intersects")
    covered = shapely.area(shapely.intersection(polygons[poly_i], pieces[piece_i]))
    total = np.bincount(poly_i, weights=covered, minlength=len(polygons))
    ok = area > 0
    share[ok] = np.clip(total[ok] / area[ok], 0.0, 1.0)
    return share


def audit_records(results: list[CommunityAudit]) -> list[dict]:
    """Return the audit as plain dicts (the JSON output).

    Parameters
    ----------
    results : list of CommunityAudit
        Audit results.

    Returns
    -------
    list of dict
        One object per community.
    """
    return [asdict(r) for r in results]


def audit_json(results: list[CommunityAudit]) -> str:
    """Return the audit as JSON text (UTF-8, Chinese kept readable).

    Parameters
    ----------
    results : list of CommunityAudit
        Audit results.

    Returns
    -------
    str
        JSON.
    """
    return json.dumps(audit_records(results), ensure_ascii=False, indent=1)


def audit_csv(results: list[CommunityAudit], checklist: Checklist) -> str:
    """Return the audit as CSV: one row per community, columns per category.

    Text cells that would start a spreadsheet formula are neutralised
    (see :func:`layers.io.spreadsheet.csv_text`).

    Parameters
    ----------
    results : list of CommunityAudit
        Audit results.
    checklist : Checklist
        The checklist audited (column order).

    Returns
    -------
    str
        CSV text; save it with :data:`layers.io.spreadsheet.CSV_ENCODING`.
    """
    cats = [i.category for i in checklist.items]
    header = (["community", "covered", "missing"]
              + [f"{c}_nearest_m" for c in cats] + [f"{c}_walk_m" for c in cats])
    return csv_text([header] + [
        [r.community, " ".join(r.covered), " ".join(r.missing)]
        + [_metres(r.nearest.get(c)) for c in cats]
        + [_metres(r.nearest_walk_m.get(c)) for c in cats]
        for r in results])


def _metres(distance: float | None) -> int | None:
    return None if distance is None or not np.isfinite(distance) else round(distance)

