"""Network walking areas: the ground reachable along footpaths within a walk.

The road or footpath layer becomes a networkx graph in a metric CRS (the UTM zone
of the facilities), built once for all facilities of that zone. Dijkstra
(networkx, not our own search) with a distance cutoff gives the walking distance
to every nearby node; the reachable parts of the paths, buffered by a kerb
width, form the walking area. Walking along paths needs no detour factor.
"""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import networkx as nx
import numpy as np
import shapely

from layers.geodesy import from_metric, to_metric, utm_epsg

KERB_M = 30.0
SNAP_M = 0.01  # path ends closer than this are one junction


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
    epsg : int
        Metric CRS (a UTM zone).

    Raises
    ------
    NetworkError
        When the layer holds no lines.
    """

    def __init__(self, roads: gpd.GeoDataFrame, epsg: int) -> None:
        self.epsg = epsg
        self._fwd = to_metric(epsg)
        self._back = from_metric(epsg)
        geoms = roads.geometry.to_numpy()
        geoms = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
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
        start = shapely.Point(sx, sy)
        k = int(self.tree.nearest(start))
        a, b, length = int(self.u[k]), int(self.v[k]), float(self.length[k])
        pa, pb = self.xy[a], self.xy[b]
        seg = shapely.LineString([pa, pb])
        along = seg.project(start)
        door = np.asarray(seg.interpolate(along).coords[0])
        budget = distance_m - start.distance(seg)  # the way from the door to the path
        if budget <= 0:
            return shapely.Polygon()
        graph = self.graph
        graph.add_edge("start", a, length=along)
        graph.add_edge("start", b, length=length - along)
        try:
            dist = nx.single_source_dijkstra_path_length(graph, "start", cutoff=budget,
                                                         weight="length")
        finally:
            graph.remove_node("start")
        dist.pop("start", None)
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
    zones = np.array([utm_epsg(x, y) for x, y in zip(lon, lat, strict=True)], dtype=np.int64)
    out: list[shapely.Geometry] = [shapely.Polygon()] * len(lon)
    done = 0
    for zone in np.unique(zones):
        if progress is not None and progress(done, len(lon)) is False:
            return None
        network = WalkNetwork(roads, int(zone))
        for i in np.nonzero(zones == zone)[0]:
            out[i] = network.walk_area(lon[i], lat[i], distance_m, kerb_m)
            done += 1
            if progress is not None and progress(done, len(lon)) is False:
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
    return WalkNetwork(roads, utm_epsg(lon, lat)).walk_area(lon, lat, distance_m, kerb_m)


__all__ = ["KERB_M", "NetworkError", "WalkNetwork", "network_walk_area", "network_walk_areas"]
