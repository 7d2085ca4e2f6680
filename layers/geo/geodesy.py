"""Ground distances on the WGS 84 ellipsoid, and the one place that picks a metric CRS.

Distances and areas are computed in a metric CRS, never in degrees. Which one:

- :func:`metric_groups` for a set of points: a transverse Mercator centred on each
  cluster of nearby points (a city), or the UTM zone for data spread wider than 6°
  of longitude. Service circles and walks along roads use it.
- :func:`utm_zones` / :func:`utm_epsg` where one UTM zone per point is wanted (the
  coverage audit).

:func:`metric_transformers` gives the cached transformers for either kind of CRS,
and :func:`scale_factors` the projection's scale, to lay off true ground radii.
"""

from __future__ import annotations

import functools

import numpy as np
import pyproj
import shapely
import shapely.ops

GEOD = pyproj.Geod(ellps="WGS84")
MEAN_EARTH_RADIUS = 6_371_008.8


def haversine_m(lon1: np.ndarray | float, lat1: np.ndarray | float,
                lon2: np.ndarray | float, lat2: np.ndarray | float) -> np.ndarray:
    """Great-circle distance in metres (sphere of mean radius; within 0.5% of geodesic).

    Parameters
    ----------
    lon1, lat1, lon2, lat2 : array-like
        Degrees.

    Returns
    -------
    ndarray
        Metres.
    """
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(v, dtype=float))
                              for v in (lon1, lat1, lon2, lat2))
    a = (np.sin((lat2 - lat1) / 2) ** 2
         + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2)
    return 2 * MEAN_EARTH_RADIUS * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def geodesic_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Geodesic distance in metres on the WGS 84 ellipsoid.

    Parameters
    ----------
    lon1, lat1, lon2, lat2 : float
        Degrees.

    Returns
    -------
    float
        Metres.
    """
    return float(GEOD.inv(lon1, lat1, lon2, lat2)[2])


def utm_zones(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Return the EPSG code of the WGS 84 UTM zone of every point.

    Parameters
    ----------
    lon, lat : ndarray
        Degrees.

    Returns
    -------
    ndarray of int
        EPSG codes (326xx north, 327xx south).
    """
    zone = (np.floor((np.asarray(lon) + 180) / 6).astype(int) % 60) + 1
    return np.where(np.asarray(lat) >= 0, 32600, 32700) + zone


def utm_epsg(lon: float, lat: float) -> int:
    """Return the EPSG code of the WGS 84 UTM zone containing a point.

    Parameters
    ----------
    lon, lat : float
        Degrees.

    Returns
    -------
    int
        EPSG code (326xx north, 327xx south).
    """
    return int(utm_zones(lon, lat))


@functools.lru_cache(maxsize=128)
def to_metric(epsg: int) -> pyproj.Transformer:
    """Return a cached lon/lat → metric transformer for an EPSG code.

    Parameters
    ----------
    epsg : int
        Target projected CRS.

    Returns
    -------
    pyproj.Transformer
        ``always_xy`` transformer from EPSG:4326.
    """
    return pyproj.Transformer.from_crs(4326, epsg, always_xy=True)


@functools.lru_cache(maxsize=128)
def from_metric(epsg: int) -> pyproj.Transformer:
    """Return a cached metric → lon/lat transformer for an EPSG code.

    Parameters
    ----------
    epsg : int
        Source projected CRS.

    Returns
    -------
    pyproj.Transformer
        ``always_xy`` transformer to EPSG:4326.
    """
    return pyproj.Transformer.from_crs(epsg, 4326, always_xy=True)


CLUSTER_CELL_DEG = 1.0
MAX_LOCAL_SPAN_DEG = 6.0


def metric_groups(lon: np.ndarray, lat: np.ndarray) -> list[tuple[np.ndarray, int | str]]:
    """Split points into groups that each get one local metric projection.

    Points within one cluster of occupied 1° cells (a city, a county) share a
    transverse Mercator centred on the cluster, so a city on a UTM zone edge
    (Hangzhou at 120°E) is not cut in two. Clusters wider than 6° of longitude
    fall back to their UTM zones.

    Parameters
    ----------
    lon, lat : ndarray
        Degrees.

    Returns
    -------
    list of (ndarray, int or str)
        Point indices and a CRS (EPSG code or PROJ string) per group.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    if len(lon) == 0:
        return []
    cx = np.floor(lon / CLUSTER_CELL_DEG).astype(np.int64)
    cy = np.floor(lat / CLUSTER_CELL_DEG).astype(np.int64)
    cells, cell_of = np.unique(np.column_stack([cx, cy]), axis=0, return_inverse=True)
    cell_of = cell_of.ravel()
    parent = list(range(len(cells)))  # union-find over the few occupied cells

    def find(c: int) -> int:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    index = {(int(a), int(b)): k for k, (a, b) in enumerate(cells)}
    for k, (a, b) in enumerate(cells):
        for da in (-1, 0, 1):
            for db in (-1, 0, 1):
                n = index.get((int(a) + da, int(b) + db))
                if n is not None:
                    parent[find(n)] = find(k)
    roots = np.array([find(k) for k in range(len(cells))])[cell_of]
    groups: list[tuple[np.ndarray, int | str]] = []
    for root in np.unique(roots):
        idx = np.nonzero(roots == root)[0]
        span = lon[idx].max() - lon[idx].min()
        if span > MAX_LOCAL_SPAN_DEG:
            zones = utm_zones(lon[idx], lat[idx])
            groups += [(idx[zones == z], int(z)) for z in np.unique(zones)]
        else:
            lon0 = round(float((lon[idx].max() + lon[idx].min()) / 2), 4)
            groups.append((idx, f"+proj=tmerc +lat_0=0 +lon_0={lon0} +k=1 +x_0=0 +y_0=0 "
                                "+ellps=WGS84 +units=m +no_defs"))
    return groups


def metric_transformers(crs: int | str) -> tuple[pyproj.Transformer, pyproj.Transformer]:
    """Return lon/lat → metric and metric → lon/lat transformers for a group's CRS.

    Parameters
    ----------
    crs : int or str
        EPSG code or PROJ string, as :func:`metric_groups` gives.

    Returns
    -------
    (pyproj.Transformer, pyproj.Transformer)
        Forward and back, ``always_xy``, cached.
    """
    if isinstance(crs, int | np.integer):
        return to_metric(int(crs)), from_metric(int(crs))
    return _local_transformers(crs)


@functools.lru_cache(maxsize=64)
def _local_transformers(proj: str) -> tuple[pyproj.Transformer, pyproj.Transformer]:
    return (pyproj.Transformer.from_crs(4326, proj, always_xy=True),
            pyproj.Transformer.from_crs(proj, 4326, always_xy=True))


def scale_factors(crs: int | str, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Return the scale of a metric CRS (projected metres per ground metre) at points.

    Parameters
    ----------
    crs : int or str
        EPSG code or PROJ string, as :func:`metric_groups` gives.
    lon, lat : ndarray
        Degrees.

    Returns
    -------
    ndarray
        Meridional scale factor per point.
    """
    proj = pyproj.Proj(f"EPSG:{crs}" if isinstance(crs, int | np.integer) else crs)
    return np.asarray(proj.get_factors(lon, lat).meridional_scale, dtype=float)


def polygon_distance_m(poly: shapely.Geometry, lon: float, lat: float) -> float:
    """Return the ground distance in metres from a lon/lat polygon to a point (0 inside).

    Parameters
    ----------
    poly : shapely.Geometry
        A polygon in EPSG:4326, such as a community's boundary.
    lon, lat : float
        The point, degrees.

    Returns
    -------
    float
        Metres on the WGS 84 ellipsoid from the polygon's nearest point.
    """
    point = shapely.Point(lon, lat)
    if poly.covers(point):
        return 0.0
    near = shapely.ops.nearest_points(poly, point)[0]
    return float(GEOD.inv(near.x, near.y, lon, lat)[2])
