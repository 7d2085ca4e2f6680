"""Service circles: the ground a walk of N minutes covers around each facility.

Each facility's circle is laid off in its own local east/north plane on the WGS 84
ellipsoid (what an azimuthal equidistant projection centred on the facility gives at
walking distances): sub-millimetre agreement with geodesic distance anywhere in China. Merged
("dissolved") circles are built in a local metric projection: a transverse Mercator
centred on each cluster of nearby facilities (a city), or the UTM zone for data spread
wider than 6° of longitude, with the radius corrected by the projection's local scale
factor (the bundled data alone spans three UTM zones). Nothing is buffered in degrees.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import geopandas as gpd
import numpy as np
import shapely

from layers.analysis.circle_union import union_of_circles
from layers.geo.geodesy import metric_groups, metric_transformers, scale_factors
from layers.geo.network import network_walk_areas
from layers.model.layer import has_geometry
from layers.model.schema import STORAGE_CRS

QUAD_SEGS = 16  # 64 vertices: the chord sags at most 0.12% inside the circle


WGS84_A = 6378137.0
WGS84_E2 = 6.69437999014e-3  # first eccentricity squared


def circle_polygons(lon: np.ndarray, lat: np.ndarray, radius_m: np.ndarray | float,
                    quad_segs: int = QUAD_SEGS) -> np.ndarray:
    """Return one lon/lat polygon per centre, of the given ground radius.

    Each vertex is laid off from its centre on the WGS 84 ellipsoid: north by the
    meridian radius of curvature and east by the parallel's, both taken at the
    mid-latitude of the step. For walking distances this matches the geodesic
    distance to well under a millimetre, with no projection per vertex.

    Parameters
    ----------
    lon, lat : ndarray
        Centres in degrees.
    radius_m : ndarray or float
        Ground radius in metres.
    quad_segs : int
        Segments per quarter circle.

    Returns
    -------
    ndarray of shapely.Polygon
        In EPSG:4326.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    radius = np.broadcast_to(np.asarray(radius_m, dtype=float), lon.shape)
    n = 4 * quad_segs
    angle = np.arange(n + 1) * (2 * np.pi / n)
    angle[-1] = 0.0  # the ring closes on its first vertex exactly
    east = radius[:, None] * np.cos(angle)[None, :]
    north = radius[:, None] * np.sin(angle)[None, :]
    phi0 = np.radians(lat)[:, None]

    def meridian(phi: np.ndarray) -> np.ndarray:
        return WGS84_A * (1 - WGS84_E2) / (1 - WGS84_E2 * np.sin(phi) ** 2) ** 1.5

    dphi = north / meridian(phi0)
    dphi = north / meridian(phi0 + dphi / 2)  # the meridian radius at the mid-latitude
    mid = phi0 + dphi / 2
    parallel = WGS84_A * np.cos(mid) / np.sqrt(1 - WGS84_E2 * np.sin(mid) ** 2)
    vlon = lon[:, None] + np.degrees(east / parallel)
    vlat = lat[:, None] + np.degrees(dphi)
    coords = np.stack([vlon, vlat], axis=-1)
    return shapely.polygons(coords)


def dissolved_circles(lon: np.ndarray, lat: np.ndarray, radius_m: float,
                      quad_segs: int = QUAD_SEGS) -> shapely.Geometry:
    """Return the union of circles of one radius, as one lon/lat (multi)polygon.

    The union is computed in the local metric projection of each group of
    facilities (see :func:`layers.geo.geodesy.metric_groups`). Its outline is traced along the
    circles' exposed arcs (:mod:`layers.analysis.circle_union`), with corners on the true
    crossing points of the circles; circles that a coarse grid shows to lie deep
    inside the union are not traced. Degenerate layouts (three circles through
    one point, circles that just touch) fall back to the GEOS polygon union.

    Parameters
    ----------
    lon, lat : ndarray
        Centres in degrees.
    radius_m : float
        Ground radius in metres.
    quad_segs : int
        Segments per quarter circle.

    Returns
    -------
    shapely.Geometry
        Polygon or MultiPolygon in EPSG:4326 (empty for no centres).
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    parts = []
    for sel, crs in metric_groups(lon, lat):
        fwd, back = metric_transformers(crs)
        x, y = fwd.transform(lon[sel], lat[sel])
        k = scale_factors(crs, lon[sel], lat[sel])
        merged = union_in_metres(np.asarray(x), np.asarray(y), radius_m * k, quad_segs)
        parts.append(shapely.transform(merged, lambda c, b=back: np.column_stack(
            b.transform(c[:, 0], c[:, 1]))))
    if not parts:
        return shapely.MultiPolygon()
    return parts[0] if len(parts) == 1 else shapely.union_all(parts)


def union_in_metres(x: np.ndarray, y: np.ndarray, radius: np.ndarray,
                    quad_segs: int = QUAD_SEGS) -> shapely.Geometry:
    """Return the union of discs in a metric CRS, traced along their arcs.

    Parameters
    ----------
    x, y : ndarray
        Centres, metres.
    radius : ndarray
        Radius of each disc, metres.
    quad_segs : int
        Segments per quarter circle.

    Returns
    -------
    shapely.Geometry
        Polygon or MultiPolygon in the same CRS.
    """
    covered = _inner_circles(x, y, radius)
    traced = union_of_circles(x, y, radius, segments=4 * quad_segs, candidates=~covered)
    if traced is not None and shapely.is_valid(traced):
        return traced
    # degenerate input (three circles through one point): the general polygon union
    circles = shapely.buffer(shapely.points(x, y), radius, quad_segs=quad_segs)
    return shapely.union_all(circles)


def _inner_circles(x: np.ndarray, y: np.ndarray, radius: np.ndarray) -> np.ndarray:
    """Flag circles that lie wholly inside the union of the others.

    Cells of a grid (a quarter radius wide) that lie wholly inside some circle
    are marked; a circle whose surrounding cells are all marked cannot reach
    the outline of the union. Sparse data skip the grid (nothing is flagged).
    """
    none = np.zeros(len(x), dtype=bool)
    if len(x) < 2000:
        return none
    area = max((x.max() - x.min() + 2 * radius.max()) * (y.max() - y.min() + 2 * radius.max()), 1)
    overlap = len(x) * np.pi * float(np.mean(radius)) ** 2 / area
    if overlap < 8:  # too sparse for the grid to flag many circles
        return none
    r_min = float(radius.min())
    cell = r_min / 4
    x0, y0 = x.min() - r_min, y.min() - r_min
    nx = int(np.ceil((x.max() + r_min - x0) / cell)) + 1
    ny = int(np.ceil((y.max() + r_min - y0) / cell)) + 1
    if nx * ny > 60_000_000:
        return none
    # a cell is inside a circle when its centre is within r - half its diagonal
    inner = (radius - cell * np.sqrt(2) / 2) / cell
    reach = int(np.ceil(inner.max()))
    cx = (x - x0) / cell - 0.5
    cy = (y - y0) / cell - 0.5
    ix0 = np.floor(cx).astype(np.int64)
    iy0 = np.floor(cy).astype(np.int64)
    inside = np.zeros((ny, nx), dtype=bool)
    for dy in range(-reach, reach + 2):
        for dx in range(-reach, reach + 2):
            gx, gy = ix0 + dx, iy0 + dy
            ok = ((gx - cx) ** 2 + (gy - cy) ** 2 <= inner**2) & (gx >= 0) & (gx < nx) \
                & (gy >= 0) & (gy < ny)
            inside[gy[ok], gx[ok]] = True
    span = int(np.ceil(radius.max() / cell)) + 1
    covered = np.ones(len(x), dtype=bool)
    for dy in range(-span, span + 1):
        for dx in range(-span, span + 1):
            gx = np.clip(ix0 + dx, 0, nx - 1)
            gy = np.clip(iy0 + dy, 0, ny - 1)
            near = ((gx - cx) ** 2 + (gy - cy) ** 2) * cell**2 <= (radius + cell * 1.5) ** 2
            covered &= ~near | inside[gy, gx]
    return covered


def service_circles_frame(facilities: gpd.GeoDataFrame, minutes: float, radius_m: float,
                          method_label: str = "circle") -> gpd.GeoDataFrame:
    """Return one circle per facility, keeping its id, name and category.

    Parameters
    ----------
    facilities : GeoDataFrame
        Facility points in EPSG:4326.
    minutes : float
        Walk time.
    radius_m : float
        Ground radius.
    method_label : str
        Value of the ``method`` field.

    Returns
    -------
    GeoDataFrame
        The ``service_circles`` layer schema.
    """
    pts = facilities.geometry.to_numpy()
    ok = has_geometry(pts)
    geoms = circle_polygons(shapely.get_x(pts[ok]), shapely.get_y(pts[ok]), radius_m)
    return service_layer_frame(facilities[ok], geoms, minutes, radius_m, method_label)


def service_layer_frame(facilities: gpd.GeoDataFrame, geoms: np.ndarray, minutes: float,
                        radius_m: float, method_label: str) -> gpd.GeoDataFrame:
    """Return the ``service_circles`` layer: one area per facility, with its walk.

    Parameters
    ----------
    facilities : GeoDataFrame
        The facilities the areas belong to, in the same order.
    geoms : ndarray of shapely.Geometry
        One circle or walking area per facility, EPSG:4326.
    minutes : float
        Walk time.
    radius_m : float
        Radius, or walking distance along roads.
    method_label : str
        Value of the ``method`` field.

    Returns
    -------
    GeoDataFrame
        The ``service_circles`` layer schema.
    """
    return gpd.GeoDataFrame(
        {
            "facility_id": facilities["id"].to_numpy(),
            "name": facilities["name"].to_numpy(),
            "category": facilities["category"].to_numpy(),
            "minutes": float(minutes),
            "radius_m": float(radius_m),
            "method": method_label,
        },
        geometry=geoms,
        crs=STORAGE_CRS,
    )


def dissolved_frame(facilities: gpd.GeoDataFrame, minutes: float,
                    radius_m: float) -> gpd.GeoDataFrame:
    """Return one merged (multi)polygon per category.

    Parameters
    ----------
    facilities : GeoDataFrame
        Facility points in EPSG:4326.
    minutes : float
        Walk time.
    radius_m : float
        Ground radius.

    Returns
    -------
    GeoDataFrame
        Columns ``category``, ``count``, ``minutes``, ``radius_m``, ``method``.
    """
    from concurrent.futures import ThreadPoolExecutor

    groups = []
    for category, group in facilities.groupby("category", sort=True):
        pts = group.geometry.to_numpy()
        groups.append((category, pts[has_geometry(pts)]))
    # GEOS releases the GIL, so categories merge in parallel
    with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
        geoms = list(pool.map(
            lambda g: dissolved_circles(shapely.get_x(g[1]), shapely.get_y(g[1]), radius_m),
            groups))
    rows = [{"category": c, "count": len(p), "minutes": float(minutes),
             "radius_m": float(radius_m), "method": "circle-dissolved"} for c, p in groups]
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=STORAGE_CRS)


__all__ = ["circle_polygons", "dissolved_circles", "dissolved_frame", "service_circles_frame",
           "walking_areas_frame"]


def walking_areas_frame(facilities: gpd.GeoDataFrame, roads: gpd.GeoDataFrame, minutes: float,
                        distance_m: float, progress: Callable[[int, int], bool] | None = None
                        ) -> gpd.GeoDataFrame | None:
    """Return the ``service_circles`` layer made of walking areas along the roads.

    Parameters
    ----------
    facilities : GeoDataFrame
        Facility points in EPSG:4326 (those without a position are left out).
    roads : GeoDataFrame
        Road and footpath lines.
    minutes : float
        Walk time.
    distance_m : float
        Walking distance along the roads.
    progress : callable, optional
        ``progress(done, total)``; returning False cancels.

    Returns
    -------
    GeoDataFrame or None
        One area per facility, ``method`` "network"; None when cancelled.

    Raises
    ------
    NetworkError
        When the road layer holds no lines.
    """
    placed = facilities[has_geometry(facilities.geometry.to_numpy())]
    pts = placed.geometry.to_numpy()
    areas = network_walk_areas(roads, shapely.get_x(pts), shapely.get_y(pts), distance_m,
                               progress=progress)
    if areas is None:
        return None
    return service_layer_frame(placed, np.asarray(areas, dtype=object), minutes, distance_m,
                               "network")
