"""Network walking areas: the ground reachable along footpaths within a walk.

The road or footpath layer becomes a networkx graph in the facility's UTM zone;
Dijkstra (networkx, not our own search) gives the walking distance to every
node, and the reachable parts of the paths, buffered by a kerb width, form the
walking area. Walking along paths needs no detour factor.
"""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import numpy as np
import shapely
import shapely.ops

from layers.geodesy import from_metric, to_metric, utm_epsg

KERB_M = 30.0


class NetworkError(ValueError):
    """A road layer that cannot be walked, with a one-line reason."""


def _segments(lines: list[shapely.LineString]) -> list[tuple[tuple, tuple, float]]:
    out = []
    for line in lines:
        coords = np.asarray(line.coords)
        for a, b in zip(coords[:-1], coords[1:], strict=True):
            length = float(np.hypot(*(b - a)))
            if length > 0:
                out.append((tuple(np.round(a, 2)), tuple(np.round(b, 2)), length))
    return out


def walk_graph(roads: gpd.GeoDataFrame, epsg: int) -> tuple[nx.Graph, shapely.STRtree, list]:
    """Build the walking graph of a road layer in a metric CRS.

    Parameters
    ----------
    roads : GeoDataFrame
        Line features in EPSG:4326.
    epsg : int
        Metric CRS (the facility's UTM zone).

    Returns
    -------
    (networkx.Graph, shapely.STRtree, list)
        Graph with ``length`` on edges, an index of the edges as lines, and the
        edge list in index order.
    """
    tf = to_metric(epsg)
    lines = []
    for geom in roads.geometry:
        if geom is None or geom.is_empty:
            continue
        for part in getattr(geom, "geoms", [geom]):
            if part.geom_type == "LineString":
                lines.append(shapely.transform(part, lambda c: np.column_stack(
                    tf.transform(c[:, 0], c[:, 1]))))
    if not lines:
        raise NetworkError("the road layer has no lines")
    # streets that cross without a shared vertex still meet: node them at crossings
    noded = shapely.union_all(np.array(lines, dtype=object))
    lines = [g for g in getattr(noded, "geoms", [noded]) if g.geom_type == "LineString"]
    graph = nx.Graph()
    edges = []
    for a, b, length in _segments(lines):
        graph.add_edge(a, b, length=length)
        edges.append((a, b, length))
    tree = shapely.STRtree([shapely.LineString([a, b]) for a, b, _ in edges])
    return graph, tree, edges


def network_walk_area(roads: gpd.GeoDataFrame, lon: float, lat: float, distance_m: float,
                      kerb_m: float = KERB_M) -> shapely.Geometry:
    """Return the area reachable on foot along the roads from a point.

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
    epsg = utm_epsg(lon, lat)
    graph, tree, edges = walk_graph(roads, epsg)
    sx, sy = to_metric(epsg).transform(lon, lat)
    start = shapely.Point(sx, sy)
    k = int(tree.nearest(start))
    a, b, length = edges[k]
    seg = shapely.LineString([a, b])
    along = seg.project(start)
    access = start.distance(seg)  # walking from the door to the path
    budget = distance_m - access
    if budget <= 0:
        return shapely.Polygon()
    graph.add_edge("start", a, length=along)
    graph.add_edge("start", b, length=length - along)
    dist = nx.single_source_dijkstra_path_length(graph, "start", cutoff=budget, weight="length")
    pieces = []
    for (u, v, length), line in zip(edges, tree.geometries, strict=True):
        du, dv = dist.get(u, np.inf), dist.get(v, np.inf)
        if du + length <= budget or dv + length <= budget:
            pieces.append(line)
            continue
        if du < budget:
            pieces.append(shapely.ops.substring(line, 0, budget - du))
        if dv < budget:
            pieces.append(shapely.ops.substring(line, length - (budget - dv), length))
    pieces.append(shapely.LineString([(sx, sy), seg.interpolate(along).coords[0]]))
    area = shapely.union_all(shapely.buffer(np.array(pieces, dtype=object), kerb_m,
                                            quad_segs=4))
    back = from_metric(epsg)
    return shapely.transform(area, lambda c: np.column_stack(back.transform(c[:, 0], c[:, 1])))
