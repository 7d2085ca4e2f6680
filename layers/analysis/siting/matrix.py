"""The coverage matrix of a siting: which site serves which community, and how far it walks.

Coverage is decided as the audit does (:mod:`layers.analysis.coverage`): the
straight-line ground distance from the community (its boundary when drawn, else its
point) to the site, times the detour factor, within the walk; or the walking
distance along roads. :func:`walk_costs` builds that matrix in one place, and
:func:`undominated` drops the sites whose reach another site's contains.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

from layers.analysis.siting.errors import Progress, SitingError
from layers.geo.geodesy import GEOD, metric_groups, metric_transformers, polygon_distance_m
from layers.geo.walking import WalkSettings

#: Above this many community × candidate pairs the matrix (8 bytes a pair) is refused.
MAX_PAIRS = 25_000_000


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


def undominated(cover: np.ndarray) -> np.ndarray:
    """Return the columns whose reach no other column contains (one of equal ones kept).

    Dropping a column whose set of communities is inside another's never changes
    the best plan of a covering model: the other column does at least as well.

    Parameters
    ----------
    cover : ndarray of bool
        Shape (communities, sites): which site serves which community.

    Returns
    -------
    ndarray of int
        The columns to keep, in order.
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
