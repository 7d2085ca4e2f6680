"""Walking along the streets: walking areas and walking distances.

The road or footpath layer becomes a graph per city in a metric CRS
(:mod:`layers.geo.road_graph`), built once per version of the roads and kept.
Every point (facility, community) joins the graph at the nearest point of a
path; the way there counts as walking. Distances come from scipy's Dijkstra
(:func:`scipy.sparse.csgraph.dijkstra`) with a distance limit:

- :func:`nearest_along_roads` (the audit) walks *once per category* from all
  its facilities together and reads the distance at every community;
- :func:`distances_along_roads` (siting) gives the full origins × destinations
  matrix within a cutoff;
- :func:`network_walk_areas` (service circles) walks from each facility and
  buffers the reachable parts of the paths by a kerb width.

Walking along paths needs no detour factor.
"""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import numpy as np
import shapely
from scipy.sparse.csgraph import dijkstra

from layers.geo.road_graph import NetworkError, Placed, WalkNetwork, road_graph

KERB_M = 30.0
#: at most this many distances (8 bytes each) in one Dijkstra result block
MAX_BLOCK_CELLS = 4_000_000


def walk_area(network: WalkNetwork, x: float, y: float, edge: int, along: float,
              access: float, distance_m: float, kerb_m: float = KERB_M) -> shapely.Geometry:
    """Return the area reachable on foot along the paths from one joined point.

    Parameters
    ----------
    network : WalkNetwork
        The city's graph.
    x, y : float
        The start (a facility) in the network's metric CRS.
    edge, along, access : int, float, float
        Where it joins the network (:meth:`WalkNetwork.snap`).
    distance_m : float
        Walking distance along the paths, including the way to the path.
    kerb_m : float
        Half-width of the reachable strip around each path.

    Returns
    -------
    shapely.Geometry
        (Multi)polygon in EPSG:4326; empty when the network is out of reach.
    """
    a, b, length = int(network.u[edge]), int(network.v[edge]), float(network.length[edge])
    xy = network.xy
    pa, pb = xy[a], xy[b]
    door = pa + (pb - pa) * (along / length if length > 0 else 0.0)
    budget = distance_m - access  # the way from the door to the path
    if budget <= 0:
        return shapely.Polygon()
    reached, metres = network.reach(edge, along, budget)
    # every edge with a reached end: walked whole, or in from each reached end
    starts, stops = [np.array([x, y]), pa + (pb - pa) * max(along - budget, 0) / length], \
        [door, pa + (pb - pa) * min(along + budget, length) / length]
    if len(reached):
        ptr, edges_at = network._ptr, network._edges_at
        counts = ptr[reached + 1] - ptr[reached]
        first = np.repeat(ptr[reached] - np.cumsum(counts) + counts, counts)
        near = np.unique(edges_at[first + np.arange(int(counts.sum()))])
        walked = np.full(len(xy), np.inf)
        walked[reached] = metres
        du, dv = walked[network.u[near]], walked[network.v[near]]
        u_xy, v_xy, ln = xy[network.u[near]], xy[network.v[near]], network.length[near]
        whole = (du + ln <= budget) | (dv + ln <= budget)
        starts.append(u_xy[whole])
        stops.append(v_xy[whole])
        part_u = ~whole & (du < budget)
        t = ((budget - du[part_u]) / ln[part_u])[:, None]
        starts.append(u_xy[part_u])
        stops.append(u_xy[part_u] + (v_xy[part_u] - u_xy[part_u]) * t)
        part_v = ~whole & (dv < budget)
        t = ((budget - dv[part_v]) / ln[part_v])[:, None]
        starts.append(v_xy[part_v])
        stops.append(v_xy[part_v] + (u_xy[part_v] - v_xy[part_v]) * t)
    p0 = np.vstack([np.atleast_2d(s) for s in starts])
    p1 = np.vstack([np.atleast_2d(s) for s in stops])
    pieces = shapely.linestrings(np.stack([p0, p1], axis=1))
    # square-ended strips (2x faster than round ones), each piece buffered alone and
    # then merged: faster than buffering the pieces as one multi-line
    strips = shapely.buffer(pieces, kerb_m, cap_style="square", join_style="mitre",
                            mitre_limit=2.0)
    area = shapely.union_all(strips)
    back = network._back
    return shapely.transform(area, lambda c: np.column_stack(back.transform(c[:, 0], c[:, 1])))


def network_walk_areas(roads: gpd.GeoDataFrame, lon: np.ndarray, lat: np.ndarray,
                       distance_m: float, kerb_m: float = KERB_M,
                       progress: Callable[[int, int], bool] | None = None
                       ) -> list[shapely.Geometry] | None:
    """Return the walking area of each facility, on the (cached) graph of the roads.

    Parameters
    ----------
    roads : GeoDataFrame
        Road and footpath lines in EPSG:4326.
    lon, lat : ndarray
        Facilities, degrees.
    distance_m : float
        Walking distance along the paths.
    kerb_m : float
        Half-width of the reachable strip around each path.
    progress : callable, optional
        Called as ``progress(done, total)``; returning False cancels.

    Returns
    -------
    list of shapely.Geometry or None
        One area per facility (EPSG:4326), or None when cancelled.

    Raises
    ------
    NetworkError
        When the road layer holds no lines.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    out: list[shapely.Geometry] = [shapely.Polygon()] * len(lon)
    if progress is not None and progress(0, len(lon)) is False:
        return None
    graph = road_graph(roads)
    placed = graph.place(lon, lat, distance_m)
    for i in range(len(lon)):
        k = int(placed.network[i])
        if k >= 0:  # else no street within reach: nothing to walk
            out[i] = walk_area(graph.networks[k], float(placed.x[i]), float(placed.y[i]),
                               int(placed.edge[i]), float(placed.along[i]),
                               float(placed.access[i]), distance_m, kerb_m)
        if progress is not None and progress(i + 1, len(lon)) is False:
            return None
    return out


def network_walk_area(roads: gpd.GeoDataFrame, lon: float, lat: float, distance_m: float,
                      kerb_m: float = KERB_M) -> shapely.Geometry:
    """Return the area reachable on foot along the roads from one point.

    Parameters
    ----------
    roads : GeoDataFrame
        Road and footpath lines in EPSG:4326.
    lon, lat : float
        Start (a facility); it joins the network at the nearest point of a path.
    distance_m : float
        Walking distance along the paths.
    kerb_m : float
        Half-width of the reachable strip around each path.

    Returns
    -------
    shapely.Geometry
        (Multi)polygon in EPSG:4326; empty when the network is out of reach.
    """
    areas = network_walk_areas(roads, np.array([lon]), np.array([lat]), distance_m, kerb_m)
    return areas[0]


def _same_edge_pairs(network: WalkNetwork, at: Placed, sources: Placed
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the pairs of points on one path, and the walk straight along it.

    Returns
    -------
    (ndarray, ndarray, ndarray)
        Position in ``at``, position in ``sources``, metres.
    """
    by_edge = np.argsort(sources.edge, kind="stable")
    edge_sorted = sources.edge[by_edge]
    lo = np.searchsorted(edge_sorted, at.edge, side="left")
    counts = np.searchsorted(edge_sorted, at.edge, side="right") - lo
    p = np.repeat(np.arange(len(at.edge)), counts)
    q = by_edge[np.repeat(lo - np.cumsum(counts) + counts, counts) + np.arange(int(counts.sum()))]
    metres = np.abs(sources.along[q] - at.along[p]) + sources.access[q] + at.access[p]
    return p, q, metres


def _read_at(network: WalkNetwork, dist: np.ndarray, at: Placed
             ) -> tuple[np.ndarray, np.ndarray]:
    """Return the walking metres to each point from a Dijkstra result over the nodes.

    Parameters
    ----------
    dist : ndarray
        ``(..., n)`` metres to each node (n at least ``network.n_nodes``).

    Returns
    -------
    (ndarray, ndarray)
        ``(..., len(at))`` metres, and whether the way in was from the ``v`` end.
    """
    u, v = network.u[at.edge], network.v[at.edge]
    via_u = dist[..., u] + at.along
    via_v = dist[..., v] + (network.length[at.edge] - at.along)
    from_v = via_v < via_u
    return np.where(from_v, via_v, via_u) + at.access, from_v


def nearest_along_roads(roads: gpd.GeoDataFrame, lon: np.ndarray, lat: np.ndarray,
                        to_lon: np.ndarray, to_lat: np.ndarray, to_group: np.ndarray,
                        n_groups: int, cutoff_m: float,
                        progress: Callable[[int, int], bool] | None = None
                        ) -> tuple[np.ndarray, np.ndarray] | None:
    """Walk from each start to the nearest target of each group, along the roads.

    Every start and target joins the network at the nearest point of a path (the
    way there counts); a start and a target on the same path may also walk
    straight along it. One Dijkstra per group and city, from all the group's
    targets at once (``min_only``), cut off at ``cutoff_m``; the graph of the
    roads is built once and kept (:func:`layers.geo.road_graph.road_graph`).

    Parameters
    ----------
    roads : GeoDataFrame
        Road and footpath lines in EPSG:4326.
    lon, lat : ndarray
        Starts (communities), degrees.
    to_lon, to_lat : ndarray
        Targets (facilities), degrees.
    to_group : ndarray of int
        Group (checklist item) of each target, ``0 <= g < n_groups``; other
        values are ignored.
    n_groups : int
        Number of groups.
    cutoff_m : float
        Longest walk searched.
    progress : callable, optional
        ``progress(done, total)`` in starts (it moves on once per group);
        returning False cancels.

    Returns
    -------
    (ndarray, ndarray) or None
        Metres ``(n_starts, n_groups)`` (inf beyond the cutoff) and the index of
        the nearest target (-1 for none); None when cancelled.

    Raises
    ------
    NetworkError
        When the road layer holds no lines.
    """
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    to_lon, to_lat = np.asarray(to_lon, dtype=float), np.asarray(to_lat, dtype=float)
    to_group = np.asarray(to_group, dtype=np.int64)
    n = len(lon)
    best = np.full((n, n_groups), np.inf)
    which = np.full((n, n_groups), -1, dtype=np.int64)
    if progress is not None and progress(0, n) is False:
        return None
    graph = road_graph(roads)
    starts, targets = graph.place(lon, lat, cutoff_m), graph.place(to_lon, to_lat, cutoff_m)
    steps, done = max(len(graph.networks) * n_groups, 1), 0
    for k, network in enumerate(graph.networks):
        si = np.nonzero(starts.network == k)[0]
        ti = np.nonzero((targets.network == k) & (to_group >= 0) & (to_group < n_groups))[0]
        if len(si) and len(ti):
            at, src = starts.subset(si), targets.subset(ti)
            matrix = network.with_doors(src.edge, src.along, src.access)
            pair_at, pair_src, pair_m = _same_edge_pairs(network, at, src)
            pair_group = to_group[ti[pair_src]]
            for g in range(n_groups):
                mine = np.nonzero(to_group[ti] == g)[0]
                if len(mine):
                    dist, _, origin = dijkstra(matrix, directed=True,
                                               indices=network.n_nodes + mine, min_only=True,
                                               return_predecessors=True, limit=cutoff_m)
                    metres, from_v = _read_at(network, dist, at)
                    nodes = np.where(from_v, network.v[at.edge], network.u[at.edge])
                    found = np.where(np.isfinite(metres), origin[nodes] - network.n_nodes, -1)
                    # straight along a shared path, when that is shorter
                    here = pair_group == g
                    p, q, m = pair_at[here], pair_src[here], pair_m[here]
                    order = np.lexsort((m, p))
                    p, q, m = p[order], q[order], m[order]
                    first = np.ones(len(p), dtype=bool)
                    first[1:] = p[1:] != p[:-1]
                    p, q, m = p[first], q[first], m[first]
                    shorter = m < metres[p]
                    metres[p[shorter]], found[p[shorter]] = m[shorter], q[shorter]
                    ok = metres <= cutoff_m
                    best[si[ok], g] = metres[ok]
                    which[si[ok], g] = ti[found[ok]]
                done += 1
                if progress is not None and progress(n * done // steps, n) is False:
                    return None
        else:
            done += n_groups
    return best, which


def _walk_matrix(network: WalkNetwork, at: Placed, sources: Placed, cutoff_m: float,
                 progress: Callable[[int], bool] | None = None) -> np.ndarray | None:
    """Return metres ``(len(at), len(sources))`` along one city's paths, inf beyond the cutoff."""
    out = np.full((len(at.edge), len(sources.edge)), np.inf)
    if len(at.edge) == 0 or len(sources.edge) == 0:
        return out
    matrix = network.with_doors(sources.edge, sources.along, sources.access)
    size = matrix.shape[0]
    chunk = max(1, MAX_BLOCK_CELLS // size)
    for lo in range(0, len(sources.edge), chunk):
        rows = np.arange(lo, min(lo + chunk, len(sources.edge)))
        dist = dijkstra(matrix, directed=True, indices=network.n_nodes + rows, limit=cutoff_m)
        out[:, rows] = _read_at(network, dist, at)[0].T
        if progress is not None and progress(len(rows)) is False:
            return None
    p, q, metres = _same_edge_pairs(network, at, sources)
    np.minimum.at(out, (p, q), metres)
    out[out > cutoff_m] = np.inf
    return out


def distances_along_roads(roads: gpd.GeoDataFrame, from_lon: np.ndarray, from_lat: np.ndarray,
                          to_lon: np.ndarray, to_lat: np.ndarray, cutoff_m: float,
                          progress: Callable[[int, int], bool] | None = None
                          ) -> np.ndarray | None:
    """Return the walking distance along the roads between many origins and destinations.

    Each point joins the road network at the nearest point of a path, and the
    straight way from the point to that path counts as walking (at both ends).
    Two points on the same path may walk straight along it. Roads are two-way
    and walked without a detour factor. A pair farther apart than ``cutoff_m``
    along the roads, a point farther than ``cutoff_m`` from every path, and
    points on road pieces that do not connect, get ``np.inf``, never NaN (give
    the solver a finite cost beyond the radius, or leave such pairs out).

    The graph of the roads is built on the first call and kept for the same
    road geometries (:func:`layers.geo.road_graph.road_graph`). The search runs
    scipy's Dijkstra, limited to ``cutoff_m``, from every point of the smaller
    side (walking is symmetric), in blocks of at most :data:`MAX_BLOCK_CELLS`
    node distances. The time grows with the points of the smaller side times
    the streets within ``cutoff_m`` of each; the answer is a dense
    ``n_from × n_to`` array of float64 (10,000 × 10,000 is 800 MB).

    Parameters
    ----------
    roads : GeoDataFrame
        Road and footpath lines in EPSG:4326.
    from_lon, from_lat : ndarray
        Origins (e.g. demand points: communities), degrees.
    to_lon, to_lat : ndarray
        Destinations (e.g. candidate facility sites), degrees.
    cutoff_m : float
        Longest walk, metres (``np.inf`` for no limit, slow on a city).
    progress : callable, optional
        ``progress(done, total)`` in points of the smaller side; returning
        False cancels.

    Returns
    -------
    ndarray or None
        Metres, shape ``(n_from, n_to)``, ``np.inf`` beyond the cutoff or out
        of reach; None when cancelled.

    Raises
    ------
    NetworkError
        When the road layer holds no lines.

    Examples
    --------
    >>> metres = distances_along_roads(roads, demand_lon, demand_lat,
    ...                                site_lon, site_lat, 800.0)  # doctest: +SKIP
    >>> covered = metres <= 500.0  # doctest: +SKIP
    """
    graph = road_graph(roads)
    origins = graph.place(from_lon, from_lat, cutoff_m)
    targets = graph.place(to_lon, to_lat, cutoff_m)
    flip = len(origins.edge) < len(targets.edge)  # walk from the smaller side
    at, sources = (targets, origins) if flip else (origins, targets)
    out = np.full((len(at.edge), len(sources.edge)), np.inf)
    total, done = len(sources.edge), 0

    def step(count: int) -> bool:
        nonlocal done
        done += count
        return progress is None or progress(done, total) is not False

    if progress is not None and progress(0, total) is False:
        return None
    for k, network in enumerate(graph.networks):
        ai = np.nonzero(at.network == k)[0]
        si = np.nonzero(sources.network == k)[0]
        if len(ai) == 0 or len(si) == 0:
            if not step(len(si)):
                return None
            continue
        block = _walk_matrix(network, at.subset(ai), sources.subset(si), cutoff_m, step)
        if block is None:
            return None
        out[np.ix_(ai, si)] = block
    return out.T if flip else out


__all__ = ["KERB_M", "NetworkError", "WalkNetwork", "distances_along_roads",
           "nearest_along_roads", "network_walk_area", "network_walk_areas", "road_graph",
           "walk_area"]
