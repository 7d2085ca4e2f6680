"""Walking along the streets: walking areas and distances to the nearest facility.

The road or footpath layer becomes a networkx graph in a metric CRS (a transverse
Mercator centred on each city, see :func:`layers.geo.geodesy.metric_groups`),
built once for all the points of that city from the roads within reach. Dijkstra
(networkx, not our own search) with a distance cutoff gives the walking distance to
every nearby node; the reachable parts of the paths, buffered by a kerb width, form
the walking area, and facilities hung on their nearest path give walking distances
for the audit. Walking along paths needs no detour factor.
"""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import networkx as nx
import numpy as np
import shapely

from layers.geo.geodesy import metric_groups, metric_transformers
from layers.model.layer import has_geometry

KERB_M = 30.0
SNAP_M = 0.01  # path ends closer than this are one junction
JOIN_M = 2.0  # a path ending this close to another path meets it


class NetworkError(ValueError):
    """A road layer that cannot be walked, with a one-line reason."""


class WalkNetwork:
    """The walking graph of a road layer in one metric CRS.

    Streets that cross without a shared vertex are noded at the crossing, so
    they meet in the graph. Nodes are numbered; ``xy`` holds their coordinates.

    Parameters
    ----------
    roads : GeoDataFrame
        Line features in EPSG:4326.
    crs : int or str
        Metric CRS: an EPSG code (a UTM zone) or a local transverse Mercator
        PROJ string, as :func:`layers.geo.geodesy.metric_groups` gives.

    Raises
    ------
    NetworkError
        When the layer holds no lines.
    """

    def __init__(self, roads: gpd.GeoDataFrame, crs: int | str) -> None:
        self.crs = crs
        self._fwd, self._back = metric_transformers(crs)
        geoms = roads.geometry.to_numpy()
        geoms = geoms[has_geometry(geoms)]
        lines = shapely.get_parts(geoms)
        lines = lines[np.isin(shapely.get_type_id(lines), (1, 2))]
        if len(lines) == 0:
            raise NetworkError("the road layer has no lines")
        fwd = self._fwd
        lines = shapely.transform(lines, lambda c: np.column_stack(
            fwd.transform(c[:, 0], c[:, 1])))
        noded = shapely.get_parts(shapely.node(shapely.multilinestrings(lines)))
        coords, which = shapely.get_coordinates(noded, return_index=True)
        same_line = which[1:] == which[:-1]
        a, b = coords[:-1][same_line], coords[1:][same_line]
        length = np.hypot(*(b - a).T)
        a, b, length = a[length > 0], b[length > 0], length[length > 0]
        ends = np.round(np.concatenate([a, b]) / SNAP_M).astype(np.int64)
        nodes, node_of = np.unique(ends, axis=0, return_inverse=True)
        node_of = node_of.ravel()
        self.xy = nodes * SNAP_M
        u, v = node_of[: len(a)], node_of[len(a):]
        loop = u == v  # both ends snapped to one junction
        self.u, self.v, self.length = u[~loop], v[~loop], length[~loop]
        if len(self.u) == 0:
            raise NetworkError("the road layer has no paths longer than 1 cm")
        self._join_near_misses()
        # edges at each node, as compressed rows: edges_at[ptr[n]:ptr[n + 1]]
        ends = np.concatenate([self.u, self.v])
        order = np.argsort(ends, kind="stable")
        self._edges_at = np.concatenate([np.arange(len(self.u))] * 2)[order]
        self._ptr = np.searchsorted(ends[order], np.arange(len(self.xy) + 1))
        self.graph = nx.Graph()
        self.graph.add_weighted_edges_from(
            zip(self.u.tolist(), self.v.tolist(), self.length.tolist(), strict=True),
            weight="length")
        self.tree = shapely.STRtree(shapely.linestrings(
            np.stack([self.xy[self.u], self.xy[self.v]], axis=1)))

    def _join_near_misses(self) -> None:
        """Join a path that ends within ``JOIN_M`` of another path to that path.

        Hand-drawn or converted street files often stop a street a hair short of
        (or past) the one it meets; without a shared point the two would not meet
        in the graph. The nearer path is split there and a short link added.
        """
        degree = np.bincount(np.concatenate([self.u, self.v]), minlength=len(self.xy))
        loose = np.nonzero(degree == 1)[0]
        if len(loose) == 0:
            return
        segments = shapely.linestrings(np.stack([self.xy[self.u], self.xy[self.v]], axis=1))
        pts = shapely.points(self.xy[loose])
        q, e = shapely.STRtree(segments).query(pts, predicate="dwithin", distance=JOIN_M)
        own = (self.u[e] == loose[q]) | (self.v[e] == loose[q])
        q, e = q[~own], e[~own]
        if len(q) == 0:
            return
        gap = shapely.distance(pts[q], segments[e])
        order = np.lexsort((gap, q))
        first = np.ones(len(order), dtype=bool)
        first[1:] = q[order][1:] != q[order][:-1]
        q, e, gap = q[order][first], e[order][first], gap[order][first]
        at = shapely.line_locate_point(segments[e], pts[q])
        xy = [self.xy]
        u, v, length = [self.u], [self.v], [self.length]
        drop = np.zeros(len(self.u), dtype=bool)
        next_node = len(self.xy)
        for edge in np.unique(e).tolist():
            here = np.nonzero(e == edge)[0]
            here = here[np.argsort(at[here])]
            a, b, ln = int(self.u[edge]), int(self.v[edge]), float(self.length[edge])
            pa, pb = self.xy[a], self.xy[b]
            ends = loose[q[here]]
            # where each loose end meets this path: its end node, itself (it lies on the
            # path), or a new node that splits the path
            meet = np.where(at[here] < 1e-6, a, np.where(at[here] > ln - 1e-6, b, -1))
            meet = np.where((meet < 0) & (gap[here] < 1e-6), ends, meet)
            split = np.nonzero(meet < 0)[0]
            meet[split] = next_node + np.arange(len(split))
            next_node += len(split)
            xy.append(pa + (pb - pa) * (at[here[split]] / ln)[:, None])
            inner = np.nonzero((meet != a) & (meet != b))[0]
            if len(inner):
                chain = np.concatenate([[a], meet[inner], [b]])
                u.append(chain[:-1])
                v.append(chain[1:])
                length.append(np.diff(np.concatenate([[0.0], at[here[inner]], [ln]])))
                drop[edge] = True
            link = np.nonzero(meet != ends)[0]  # a short link from a loose end to the path
            u.append(ends[link])
            v.append(meet[link])
            length.append(gap[here[link]])
        self.xy = np.concatenate(xy)
        extra = sum(len(x) for x in u[1:])
        keep = np.concatenate([~drop, np.ones(extra, dtype=bool)])
        self.u = np.concatenate(u)[keep]
        self.v = np.concatenate(v)[keep]
        self.length = np.concatenate(length)[keep]

    def snap(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Join points (metric CRS) to the network at the nearest point of a path.

        Parameters
        ----------
        x, y : ndarray
            Points in this network's metric CRS.

        Returns
        -------
        (ndarray, ndarray, ndarray)
            Edge index, distance along the edge from its ``u`` end, and the
            straight distance from the point to the path (the way to the door).
        """
        pts = shapely.points(x, y)
        k = self.tree.query_nearest(pts, all_matches=False)[1]
        edges = self.tree.geometries[k]
        along = shapely.line_locate_point(edges, pts)
        return k, along, shapely.distance(pts, edges)

    def reach(self, edge: int, along: float, budget: float) -> dict[int, float]:
        """Return the walking distance to every node within ``budget`` (networkx Dijkstra).

        Parameters
        ----------
        edge : int
            Edge the walk starts on.
        along : float
            Start position along it, from its ``u`` end.
        budget : float
            Longest walk, metres.

        Returns
        -------
        dict
            Node to metres.
        """
        a, b, length = int(self.u[edge]), int(self.v[edge]), float(self.length[edge])
        graph = self.graph
        graph.add_edge("start", a, length=along)
        graph.add_edge("start", b, length=length - along)
        try:
            dist = nx.single_source_dijkstra_path_length(graph, "start", cutoff=budget,
                                                         weight="length")
        finally:
            graph.remove_node("start")
        dist.pop("start", None)
        return dist

    def walk_area(self, lon: float, lat: float, distance_m: float,
                  kerb_m: float = KERB_M) -> shapely.Geometry:
        """Return the area reachable on foot along the paths from one point.

        Parameters
        ----------
        lon, lat : float
            Start (a facility); it joins the network at the nearest point of a path.
        distance_m : float
            Walking distance along the paths, including the way to the path.
        kerb_m : float
            Half-width of the reachable strip around each path.

        Returns
        -------
        shapely.Geometry
            (Multi)polygon in EPSG:4326; empty when the network is out of reach.
        """
        sx, sy = self._fwd.transform(lon, lat)
        k, along, access = self.snap(np.array([sx]), np.array([sy]))
        k, along = int(k[0]), float(along[0])
        a, b, length = int(self.u[k]), int(self.v[k]), float(self.length[k])
        pa, pb = self.xy[a], self.xy[b]
        door = pa + (pb - pa) * (along / length if length > 0 else 0.0)
        budget = distance_m - float(access[0])  # the way from the door to the path
        if budget <= 0:
            return shapely.Polygon()
        dist = self.reach(k, along, budget)
        # every edge with a reached end: walked whole, or in from each reached end
        starts, stops = [np.array([sx, sy]), pa + (pb - pa) * max(along - budget, 0) / length], \
            [door, pa + (pb - pa) * min(along + budget, length) / length]
        reached = np.fromiter(dist.keys(), dtype=np.int64, count=len(dist))
        if len(reached):
            counts = self._ptr[reached + 1] - self._ptr[reached]
            first = np.repeat(self._ptr[reached] - np.cumsum(counts) + counts, counts)
            near = np.unique(self._edges_at[first + np.arange(int(counts.sum()))])
            walked = np.full(len(self.xy), np.inf)
            walked[reached] = np.fromiter(dist.values(), dtype=float, count=len(dist))
            du, dv = walked[self.u[near]], walked[self.v[near]]
            u_xy, v_xy, ln = self.xy[self.u[near]], self.xy[self.v[near]], self.length[near]
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
        back = self._back
        return shapely.transform(area, lambda c: np.column_stack(
            back.transform(c[:, 0], c[:, 1])))


def _has_lines(roads: gpd.GeoDataFrame) -> bool:
    geoms = roads.geometry.to_numpy()
    kinds = shapely.get_type_id(shapely.get_parts(geoms[~shapely.is_missing(geoms)]))
    return bool(np.isin(kinds, (1, 2)).any())


def _check_has_lines(roads: gpd.GeoDataFrame) -> None:
    if not _has_lines(roads):
        raise NetworkError("the road layer has no lines")


def _roads_near(roads: gpd.GeoDataFrame, lon: np.ndarray, lat: np.ndarray,
                reach_m: float) -> gpd.GeoDataFrame:
    """Keep the roads within walking reach of a group of points (by bounding box)."""
    margin = 1.5 * reach_m / 111_000 + 0.01  # degrees, generous at Chinese latitudes
    cos = max(np.cos(np.radians(np.abs(lat).max())), 0.2)
    b = shapely.bounds(roads.geometry.to_numpy())
    near = ((b[:, 2] >= lon.min() - margin / cos) & (b[:, 0] <= lon.max() + margin / cos)
            & (b[:, 3] >= lat.min() - margin) & (b[:, 1] <= lat.max() + margin))
    return roads[near]


def network_walk_areas(roads: gpd.GeoDataFrame, lon: np.ndarray, lat: np.ndarray,
                       distance_m: float, kerb_m: float = KERB_M,
                       progress: Callable[[int, int], bool] | None = None
                       ) -> list[shapely.Geometry] | None:
    """Return the walking area of each facility, building each zone's graph once.

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
    _check_has_lines(roads)
    done = 0
    for group, crs in metric_groups(lon, lat):
        if progress is not None and progress(done, len(lon)) is False:
            return None
        near = _roads_near(roads, lon[group], lat[group], distance_m)
        if not _has_lines(near):  # no street within reach of this city: nothing to walk
            done += len(group)
            continue
        network = WalkNetwork(near, crs)
        for i in group:
            out[i] = network.walk_area(lon[i], lat[i], distance_m, kerb_m)
            done += 1
            if progress is not None and progress(done, len(lon)) is False:
                return None
    return out


def nearest_along_roads(roads: gpd.GeoDataFrame, lon: np.ndarray, lat: np.ndarray,
                        to_lon: np.ndarray, to_lat: np.ndarray, to_group: np.ndarray,
                        n_groups: int, cutoff_m: float,
                        progress: Callable[[int, int], bool] | None = None
                        ) -> tuple[np.ndarray, np.ndarray] | None:
    """Walk from each start to the nearest target of each group, along the roads.

    Every start and target joins the network at the nearest point of a path (the
    way there counts). One networkx Dijkstra per start, cut off at ``cutoff_m``.

    Parameters
    ----------
    roads : GeoDataFrame
        Road and footpath lines in EPSG:4326.
    lon, lat : ndarray
        Starts (communities), degrees.
    to_lon, to_lat : ndarray
        Targets (facilities), degrees.
    to_group : ndarray of int
        Group (checklist item) of each target, ``0 <= g < n_groups``.
    n_groups : int
        Number of groups.
    cutoff_m : float
        Longest walk searched.
    progress : callable, optional
        ``progress(done, total)``; returning False cancels.

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
    best = np.full((len(lon), n_groups), np.inf)
    which = np.full((len(lon), n_groups), -1, dtype=np.int64)
    _check_has_lines(roads)
    done = 0
    for starts, crs in metric_groups(lon, lat):
        if progress is not None and progress(done, len(lon)) is False:
            return None
        near = _roads_near(roads, lon[starts], lat[starts], cutoff_m)
        if not _has_lines(near):  # no street within reach of this city: nothing reached
            done += len(starts)
            continue
        network = WalkNetwork(near, crs)
        tx, ty = network._fwd.transform(to_lon, to_lat)
        t_edge, t_along, t_access = network.snap(np.asarray(tx), np.asarray(ty))
        # each target hangs off both ends of its edge
        node = np.concatenate([network.u[t_edge], network.v[t_edge]])
        cost = np.concatenate([t_along, network.length[t_edge] - t_along]) + np.tile(t_access, 2)
        target = np.tile(np.arange(len(to_lon)), 2)
        order = np.argsort(node, kind="stable")
        node, cost, target = node[order], cost[order], target[order]
        ptr = np.searchsorted(node, np.arange(len(network.xy) + 1))
        by_edge = np.argsort(t_edge, kind="stable")  # the targets on each street segment
        edge_sorted = t_edge[by_edge]
        sx, sy = network._fwd.transform(lon[starts], lat[starts])
        s_edge, s_along, s_access = network.snap(np.asarray(sx), np.asarray(sy))
        for i, k, along, access in zip(starts.tolist(), s_edge.tolist(), s_along.tolist(),
                                       s_access.tolist(), strict=True):
            budget = cutoff_m - access
            if budget > 0:
                dist = network.reach(k, along, budget)
                reached = np.fromiter(dist.keys(), dtype=np.int64, count=len(dist))
                walked = np.fromiter(dist.values(), dtype=float, count=len(dist))
                counts = ptr[reached + 1] - ptr[reached]
                at = np.repeat(ptr[reached] - np.cumsum(counts) + counts, counts) \
                    + np.arange(int(counts.sum()))
                metres = np.repeat(walked, counts) + cost[at] + access
                found = target[at]
                # targets on the start's own edge: straight along it
                same = by_edge[np.searchsorted(edge_sorted, k, side="left"):
                               np.searchsorted(edge_sorted, k, side="right")]
                metres = np.concatenate([metres, np.abs(t_along[same] - along)
                                         + t_access[same] + access])
                found = np.concatenate([found, same])
                keep = metres <= cutoff_m
                metres, found = metres[keep], found[keep]
                if len(found):
                    group = to_group[found]
                    rank = np.lexsort((metres, group))
                    first = np.ones(len(rank), dtype=bool)
                    first[1:] = group[rank][1:] != group[rank][:-1]
                    pick = rank[first]
                    best[i, group[pick]] = metres[pick]
                    which[i, group[pick]] = found[pick]
            done += 1
            if progress is not None and progress(done, len(lon)) is False:
                return None
    return best, which


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


__all__ = ["KERB_M", "NetworkError", "WalkNetwork", "nearest_along_roads", "network_walk_area",
           "network_walk_areas"]
