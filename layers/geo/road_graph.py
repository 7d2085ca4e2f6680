"""The walking graph of a road layer, built once per version of the roads.

A road or footpath layer becomes one graph per city (a cluster of the roads'
1° cells, see :func:`layers.geo.geodesy.metric_groups`), each in a transverse
Mercator centred on it. Streets are noded where they cross and near misses are
joined. Edges are kept as a compressed sparse row matrix, so scipy's Dijkstra
(:func:`scipy.sparse.csgraph.dijkstra`) walks it; a point (community, facility)
joins the graph at the nearest point of a path.

:func:`road_graph` keeps the graphs of the last two road layers it saw, keyed on
the road geometries themselves (a hash of their coordinates), so an audit or a
walking area run again after an edit to the facilities reuses the graph, and an
edit to the roads (a moved vertex, a new street) builds a fresh one.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import scipy.sparse
import shapely
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from layers.geo.geodesy import metric_groups, metric_transformers
from layers.model.layer import has_geometry

SNAP_M = 0.01  # path ends closer than this are one junction
JOIN_M = 2.0  # a path ending this close to another path meets it
CACHED_GRAPHS = 2  # road layers whose graphs are kept (the project's, and one more)
SNAP_PIECE_M = 100.0  # paths are indexed for snapping in pieces no longer than this
SNAP_CANDIDATES = 6  # nearest pieces looked at before asking GEOS


class NetworkError(ValueError):
    """A road layer that cannot be walked, with a one-line reason."""


def _line_parts(geoms: np.ndarray) -> np.ndarray:
    """Return the (multi)line parts of a geometry array as single lines."""
    geoms = np.asarray(geoms, dtype=object)
    kinds = shapely.get_type_id(geoms)
    if np.all(kinds == 1) and not shapely.is_empty(geoms).any():
        return geoms  # plain lines, the usual road layer: no copy into parts
    parts = shapely.get_parts(geoms[has_geometry(geoms)])
    parts = parts[np.isin(shapely.get_type_id(parts), (1, 2))]
    return parts[~shapely.is_empty(parts)]


def _nearby_first(xy: np.ndarray, cell_m: float = 200.0) -> np.ndarray:
    """Return an order that puts nearby points next to each other (rows of 200 m).

    A k-d tree built or queried in this order reads memory in sequence: about
    twice as fast as in random order on a city's streets.
    """
    return np.lexsort((xy[:, 0], np.floor(xy[:, 1] / cell_m)))


class WalkNetwork:
    """The walking graph of some road lines in one metric CRS.

    Streets that cross without a shared vertex are noded at the crossing, so
    they meet in the graph. Nodes are numbered; ``xy`` holds their coordinates,
    and edge ``e`` joins ``u[e]`` and ``v[e]`` with ``length[e]`` metres.

    Parameters
    ----------
    roads : GeoDataFrame or ndarray of shapely.Geometry
        Line features in EPSG:4326.
    crs : int or str
        Metric CRS: an EPSG code (a UTM zone) or a local transverse Mercator
        PROJ string, as :func:`layers.geo.geodesy.metric_groups` gives.

    Raises
    ------
    NetworkError
        When the layer holds no lines.
    """

    def __init__(self, roads: gpd.GeoDataFrame | np.ndarray, crs: int | str) -> None:
        self.crs = crs
        self._fwd, self._back = metric_transformers(crs)
        geoms = roads.geometry.to_numpy() if isinstance(roads, gpd.GeoDataFrame) else roads
        lines = _line_parts(geoms)
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
        low = ends.min(axis=0)
        ends -= low
        rows = int(ends[:, 1].max()) + 1
        # one integer per grid point: sorting one column is faster than unique rows
        cells, node_of = np.unique(ends[:, 0] * rows + ends[:, 1], return_inverse=True)
        node_of = node_of.ravel()
        self.xy = (np.column_stack([cells // rows, cells % rows]) + low) * SNAP_M
        u, v = node_of[: len(a)], node_of[len(a):]
        loop = u == v  # both ends snapped to one junction
        self.u, self.v, self.length = u[~loop], v[~loop], length[~loop]
        if len(self.u) == 0:
            raise NetworkError("the road layer has no paths longer than 1 cm")
        self._join_near_misses()
        keep = self.u != self.v
        self.u, self.v, self.length = self.u[keep], self.v[keep], self.length[keep]
        # edges at each node, as compressed rows: edges_at[ptr[n]:ptr[n + 1]]
        ends = np.concatenate([self.u, self.v])
        order = np.argsort(ends, kind="stable")
        self._edges_at = np.concatenate([np.arange(len(self.u))] * 2)[order]
        self._ptr = np.searchsorted(ends[order], np.arange(len(self.xy) + 1))
        self._csr_arrays()
        self.tree = shapely.STRtree(shapely.linestrings(
            np.stack([self.xy[self.u], self.xy[self.v]], axis=1)))
        self._snap_index()

    @property
    def n_nodes(self) -> int:
        """Number of junctions (and path ends) in the graph."""
        return len(self.xy)

    def _csr_arrays(self) -> None:
        """Keep the edges as a symmetric CSR matrix (the shorter of parallel paths)."""
        rows = np.concatenate([self.u, self.v])
        cols = np.concatenate([self.v, self.u])
        data = np.concatenate([self.length, self.length])
        order = np.lexsort((data, cols, rows))  # the shortest first in each (row, col)
        rows, cols, data = rows[order], cols[order], data[order]
        first = np.ones(len(rows), dtype=bool)
        first[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
        rows, cols, data = rows[first], cols[first], data[first]
        self._indptr = np.searchsorted(rows, np.arange(self.n_nodes + 1)).astype(np.int32)
        self._indices = cols.astype(np.int32)
        self._data = data.astype(np.float64)
        self.matrix = scipy.sparse.csr_matrix((self._data, self._indices, self._indptr),
                                              shape=(self.n_nodes, self.n_nodes))

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

    def to_metric(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Project lon/lat degrees into this network's metric CRS.

        Parameters
        ----------
        lon, lat : ndarray
            Degrees.

        Returns
        -------
        (ndarray, ndarray)
            Metres.
        """
        x, y = self._fwd.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
        return np.asarray(x, dtype=float), np.asarray(y, dtype=float)

    def _snap_index(self) -> None:
        """Index the paths for :meth:`snap`: a k-d tree of piece midpoints.

        Each edge is cut into pieces of at most ``SNAP_PIECE_M``; a path whose
        pieces' midpoints are all farther than ``m`` from a point is at least
        ``m`` minus half the longest piece away, which proves a nearest path.
        """
        pieces = np.maximum(np.ceil(self.length / SNAP_PIECE_M), 1).astype(np.int64)
        edge = np.repeat(np.arange(len(self.u)), pieces)
        first = np.repeat(np.cumsum(pieces) - pieces, pieces)
        t = (np.arange(len(edge)) - first + 0.5) / pieces[edge]
        a, b = self.xy[self.u[edge]], self.xy[self.v[edge]]
        mid = a + (b - a) * t[:, None]
        # each edge's drawn segment as flat columns, read by _on_edge without indirection
        start, step = self.xy[self.u], self.xy[self.v] - self.xy[self.u]
        self._seg = (start[:, 0].copy(), start[:, 1].copy(), step[:, 0].copy(),
                     step[:, 1].copy(), 1.0 / np.maximum((step * step).sum(axis=1), 1e-12))
        order = _nearby_first(mid)
        self._piece_edge = edge[order]
        self._piece_half = float((self.length / pieces).max()) / 2
        self._kdtree = cKDTree(mid[order])

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
        p = np.column_stack([np.asarray(x, dtype=float), np.asarray(y, dtype=float)])
        n = len(p)
        if n == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0)
        k = min(SNAP_CANDIDATES, len(self._piece_edge))
        order = _nearby_first(p)
        mid_d, piece = np.empty((n, k)), np.empty((n, k), dtype=np.int64)
        found_d, found = self._kdtree.query(p[order], k=k)
        mid_d[order], piece[order] = found_d.reshape(n, k), found.reshape(n, k)
        edge = self._piece_edge[piece]
        along, access = self._on_edge(p[:, None, :], edge)
        pick = np.argmin(access, axis=1)
        rows = np.arange(n)
        edge, along, access = edge[rows, pick], along[rows, pick], access[rows, pick]
        # any path not among the candidates is at least this far away
        unsure = np.nonzero((mid_d[:, -1] - self._piece_half < access)
                            & (k < len(self._piece_edge)))[0]
        if len(unsure):  # far from the streets, or among many short paths: ask GEOS
            exact = self.tree.query_nearest(shapely.points(p[unsure]), all_matches=False)[1]
            a2, d2 = self._on_edge(p[unsure], exact)
            edge[unsure], along[unsure], access[unsure] = exact, a2, d2
        return edge, along, access

    def _on_edge(self, p: np.ndarray, edge: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return the nearest point of each edge to each point: metres along, and away."""
        ax, ay, dx, dy, inv = (column[edge] for column in self._seg)
        px, py = p[..., 0] - ax, p[..., 1] - ay
        # the drawn segment (its ends snapped to the centimetre) for the foot; the
        # edge's own length for the walk along it
        t = np.clip((px * dx + py * dy) * inv, 0.0, 1.0)
        return t * self.length[edge], np.hypot(px - t * dx, py - t * dy)

    def reach(self, edge: int, along: float, budget: float) -> tuple[np.ndarray, np.ndarray]:
        """Return the walking distance to every node within ``budget`` of a point on a path.

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
        (ndarray, ndarray)
            The nodes reached and their metres.
        """
        a, b = int(self.u[edge]), int(self.v[edge])
        ends = dijkstra(self.matrix, directed=True, indices=[a, b], limit=budget)
        walked = np.minimum(ends[0] + along, ends[1] + (float(self.length[edge]) - along))
        reached = np.nonzero(walked <= budget)[0]
        return reached, walked[reached]

    def with_doors(self, edge: np.ndarray, along: np.ndarray,
                   access: np.ndarray) -> scipy.sparse.csr_matrix:
        """Return the graph with one extra node per point, its way onto the path.

        Point ``i`` becomes node ``n_nodes + i`` with one-way edges to both ends
        of its path: the way to the door plus the walk along the path to each
        end. Walks may start at these nodes but never pass through them.

        Parameters
        ----------
        edge, along, access : ndarray
            The points as :meth:`snap` joined them.

        Returns
        -------
        scipy.sparse.csr_matrix
            ``(n_nodes + n, n_nodes + n)`` edge lengths, metres.
        """
        n = len(edge)
        ends = np.column_stack([self.u[edge], self.v[edge]]).ravel().astype(np.int32)
        ln = self.length[edge]
        cost = np.column_stack([along + access, ln - along + access]).ravel()
        indptr = np.concatenate([self._indptr, self._indptr[-1] + 2 * np.arange(
            1, n + 1, dtype=np.int32)])
        size = self.n_nodes + n
        return scipy.sparse.csr_matrix((np.concatenate([self._data, cost]),
                                        np.concatenate([self._indices, ends]), indptr),
                                       shape=(size, size))


@dataclass(frozen=True)
class Placed:
    """Points joined to a road graph: which city's network, and where on it.

    Attributes
    ----------
    network : ndarray of int
        Index into :attr:`RoadGraph.networks`; -1 when no path is within reach.
    edge, along, access : ndarray
        As :meth:`WalkNetwork.snap` gives, in that network (meaningless at -1).
    x, y : ndarray
        The points in that network's metric CRS.
    """

    network: np.ndarray
    edge: np.ndarray
    along: np.ndarray
    access: np.ndarray
    x: np.ndarray
    y: np.ndarray

    def subset(self, rows: np.ndarray) -> Placed:
        """Return the placement of some of the points.

        Parameters
        ----------
        rows : ndarray of int
            Point positions.

        Returns
        -------
        Placed
            Those points only.
        """
        return Placed(self.network[rows], self.edge[rows], self.along[rows],
                      self.access[rows], self.x[rows], self.y[rows])


class RoadGraph:
    """The walking graphs of a road layer: one :class:`WalkNetwork` per city.

    Parameters
    ----------
    roads : GeoDataFrame
        Road and footpath lines in EPSG:4326.

    Raises
    ------
    NetworkError
        When the layer holds no lines.
    """

    def __init__(self, roads: gpd.GeoDataFrame) -> None:
        lines = _line_parts(roads.geometry.to_numpy())
        if len(lines) == 0:
            raise NetworkError("the road layer has no lines")
        coords, line_of = shapely.get_coordinates(lines, return_index=True)
        self.networks: list[WalkNetwork] = []
        bounds = []
        for vertices, crs in metric_groups(coords[:, 0], coords[:, 1]):
            # a line with vertices in two groups (a zone edge) goes into both
            mine = lines[np.unique(line_of[vertices])]
            try:
                self.networks.append(WalkNetwork(mine, crs))
            except NetworkError:
                continue  # only paths shorter than a centimetre in this city
            bounds.append(shapely.total_bounds(mine))
        if not self.networks:
            raise NetworkError("the road layer has no paths longer than 1 cm")
        self.bounds = np.array(bounds)  # lon/lat box of each network's lines

    def place(self, lon: np.ndarray, lat: np.ndarray, reach_m: float) -> Placed:
        """Join points to the nearest path within ``reach_m`` (straight line).

        Parameters
        ----------
        lon, lat : ndarray
            Points, degrees.
        reach_m : float
            Farther from every path than this, a point stays off the graph.

        Returns
        -------
        Placed
            Where each point joins.
        """
        lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
        n = len(lon)
        network = np.full(n, -1, dtype=np.int64)
        edge = np.zeros(n, dtype=np.int64)
        along, access = np.zeros(n), np.full(n, np.inf)
        x, y = np.full(n, np.nan), np.full(n, np.nan)
        bounded = bool(np.isfinite(reach_m))
        margin = 1.5 * reach_m / 111_000 + 0.01 if bounded else 0.0  # degrees, generous
        for k, (net, (x0, y0, x1, y1)) in enumerate(zip(self.networks, self.bounds,
                                                         strict=True)):
            if bounded:
                cos = max(float(np.cos(np.radians(min(max(abs(y0), abs(y1)) + margin,
                                                      90.0)))), 0.05)
                near = np.nonzero((lon >= x0 - margin / cos) & (lon <= x1 + margin / cos)
                                  & (lat >= y0 - margin) & (lat <= y1 + margin))[0]
            else:
                near = np.nonzero(np.isfinite(lon) & np.isfinite(lat))[0]
            if len(near) == 0:
                continue
            px, py = net.to_metric(lon[near], lat[near])
            k_edge, k_along, d = net.snap(px, py)
            got = np.nonzero((d < access[near]) & (d <= reach_m))[0]
            rows = near[got]
            network[rows], edge[rows], along[rows] = k, k_edge[got], k_along[got]
            access[rows], x[rows], y[rows] = d[got], px[got], py[got]
        return Placed(network, edge, along, access, x, y)


def roads_key(roads: gpd.GeoDataFrame) -> str:
    """Return a hash of a road layer's line geometries (what the graph is built from).

    Attributes do not count, and neither do points or polygons in the layer;
    any moved vertex, added or removed street does.

    Parameters
    ----------
    roads : GeoDataFrame
        Road lines in EPSG:4326.

    Returns
    -------
    str
        Hex digest.
    """
    lines = _line_parts(roads.geometry.to_numpy())
    coords, part = shapely.get_coordinates(lines, return_index=True)
    digest = hashlib.blake2b(digest_size=20)
    digest.update(np.ascontiguousarray(coords).tobytes())
    digest.update(np.bincount(part, minlength=len(lines)).astype(np.int64).tobytes())
    return digest.hexdigest()


_CACHE: OrderedDict[str, RoadGraph] = OrderedDict()
_CACHE_LOCK = threading.Lock()


def road_graph(roads: gpd.GeoDataFrame) -> RoadGraph:
    """Return the walking graph of a road layer, built once per version of its lines.

    The graphs of the last :data:`CACHED_GRAPHS` road layers are kept, keyed on
    :func:`roads_key`; an edit to the roads gives a new key and a new graph.
    Safe to call from a worker thread (the graph itself is never changed).

    Parameters
    ----------
    roads : GeoDataFrame
        Road and footpath lines in EPSG:4326.

    Returns
    -------
    RoadGraph
        The graph.

    Raises
    ------
    NetworkError
        When the layer holds no lines.
    """
    key = roads_key(roads)
    with _CACHE_LOCK:
        graph = _CACHE.get(key)
        if graph is not None:
            _CACHE.move_to_end(key)
            return graph
        graph = RoadGraph(roads)
        _CACHE[key] = graph
        while len(_CACHE) > CACHED_GRAPHS:
            _CACHE.popitem(last=False)
        return graph


__all__ = ["CACHED_GRAPHS", "NetworkError", "Placed", "RoadGraph", "WalkNetwork", "road_graph",
           "roads_key"]
