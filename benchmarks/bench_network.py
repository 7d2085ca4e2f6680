"""Walking along streets: walking areas, and the audit's walk to the nearest facility.

1. Walking areas on a 10 x 10 km street grid (100 m blocks, ~20,000 edges) for 500
   facilities, 10 minutes at 80 m/min (800 m along the streets). Peer: building the
   graph for every facility (what the first version did), timed on 20 facilities.
2. The audit along a whole city's streets (a 90 m grid over benchmarks/synthetic.py's
   Hangzhou box, ~390,000 street segments): 5,000 communities x 100,000 facilities in
   5 categories, walks up to 1,600 m. Graph build and query are timed apart. The goal
   (issue 16 §2) is a query within 1 s once the graph is built. Peers, each on the same
   graph: one networkx Dijkstra per community (the previous version, timed on 250
   communities), and networkx ``multi_source_dijkstra_path_length`` once per category
   (distances only: it cannot name the nearest facility).
3. The origins x destinations matrix for siting (``distances_along_roads``).
4. Redrawing 200,000 road lines (a city's OpenStreetMap extract); the first version
   took 1.6 s per redraw whatever the zoom.

The figures are written to benchmarks/last_network.txt.

Run: .venv/bin/python benchmarks/bench_network.py
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import geopandas as gpd  # noqa: E402
import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
import shapely  # noqa: E402

from benchmarks import synthetic  # noqa: E402
from layers.geo import road_graph as road_graph_module  # noqa: E402
from layers.geo.geodesy import from_metric, to_metric, utm_epsg  # noqa: E402
from layers.geo.network import (  # noqa: E402
    distances_along_roads,
    nearest_along_roads,
    network_walk_areas,
    walk_area,
)
from layers.geo.road_graph import WalkNetwork, road_graph  # noqa: E402
from layers.io.atomic import atomic_write_text  # noqa: E402
from layers.store import open_project  # noqa: E402

SIDE, BLOCK, N = 10_000.0, 100.0, 500
OUT = Path(__file__).resolve().parent / "last_network.txt"
LINES: list[str] = []


def report(line: str) -> None:
    """Print a figure and keep it for last_network.txt."""
    print(line, flush=True)
    LINES.append(line)


def main() -> None:
    walking_areas_on_a_grid()
    audit_along_city_streets()
    siting_matrix()
    draw_many_roads()
    load = os.getloadavg()[0]
    report(f"(load average {load:.1f} on {os.cpu_count()} CPUs while measuring)")
    atomic_write_text(OUT, "\n".join(LINES) + "\n")


def walking_areas_on_a_grid() -> None:
    """500 walking areas of 800 m on a 10 x 10 km grid."""
    lon0, lat0 = 120.15, 30.27
    epsg = utm_epsg(lon0, lat0)
    x0, y0 = to_metric(epsg).transform(lon0, lat0)
    back = from_metric(epsg)
    lines = []
    for k in np.arange(0, SIDE + 1, BLOCK):
        for (ax, ay), (bx, by) in (((x0 + k, y0), (x0 + k, y0 + SIDE)),
                                   ((x0, y0 + k), (x0 + SIDE, y0 + k))):
            lines.append(shapely.LineString([back.transform(ax, ay), back.transform(bx, by)]))
    roads = gpd.GeoDataFrame(geometry=lines, crs=4326)
    rng = np.random.default_rng(1)
    lon, lat = back.transform(x0 + rng.uniform(0, SIDE, N), y0 + rng.uniform(0, SIDE, N))

    t = time.perf_counter()
    network = WalkNetwork(roads, epsg)  # the grid's own UTM zone
    t_graph = time.perf_counter() - t
    road_graph_module._CACHE.clear()
    t = time.perf_counter()
    areas = network_walk_areas(roads, lon, lat, 800.0)
    t_all = time.perf_counter() - t
    report(f"street grid: {len(lines)} lines, {len(network.u):,} edges after noding; "
           f"graph built in {t_graph:.2f} s")
    report(f"{N} walking areas of 800 m: {t_all:.2f} s including the graph "
           f"({(t_all - t_graph) / N * 1000:.1f} ms per facility); all valid: "
           f"{bool(shapely.is_valid(np.array(areas)).all())}")
    t = time.perf_counter()
    for i in range(20):
        network = WalkNetwork(roads, epsg)
        x, y = network.to_metric(lon[i:i + 1], lat[i:i + 1])
        edge, along, access = network.snap(x, y)
        walk_area(network, float(x[0]), float(y[0]), int(edge[0]), float(along[0]),
                  float(access[0]), 800.0)
    t_peer = (time.perf_counter() - t) / 20
    report(f"  peer: graph rebuilt for every facility: {t_peer * 1000:.0f} ms per facility "
           f"-> {t_peer * N:.0f} s for {N}")


def city_streets() -> gpd.GeoDataFrame:
    """A 90 m street grid over synthetic.CITY, as ways of four blocks (~97,000 ways)."""
    x0, y0, x1, y1 = synthetic.CITY
    xs, ys = np.arange(x0, x1, 0.0009), np.arange(y0, y1, 0.0009)
    lines = []
    for x in xs:  # north-south streets
        pts = np.column_stack([np.full(len(ys), x), ys])
        lines += [shapely.LineString(pts[k:k + 5]) for k in range(0, len(ys) - 1, 4)]
    for y in ys:
        pts = np.column_stack([xs, np.full(len(xs), y)])
        lines += [shapely.LineString(pts[k:k + 5]) for k in range(0, len(xs) - 1, 4)]
    return gpd.GeoDataFrame(geometry=lines, crs=4326)


def audit_along_city_streets(n_facilities: int = 100_000, n_communities: int = 5_000,
                             cutoff: float = 1600.0, sample: int = 250) -> None:
    """The audit along the streets of a whole city, and its peers on the same graph."""
    roads = city_streets()
    facilities = synthetic.facilities(n_facilities)
    communities = synthetic.communities(n_communities)
    flon, flat = facilities.geometry.x.to_numpy(), facilities.geometry.y.to_numpy()
    clon, clat = communities.geometry.x.to_numpy(), communities.geometry.y.to_numpy()
    # the 12 categories folded into 5 groups, so every facility is walked to
    group = np.unique(facilities["category"].to_numpy(), return_inverse=True)[1].ravel() % 5

    road_graph_module._CACHE.clear()
    t = time.perf_counter()
    graph = road_graph(roads)
    t_build = time.perf_counter() - t
    t = time.perf_counter()
    road_graph(roads)
    t_again = time.perf_counter() - t
    network = graph.networks[0]
    report(f"audit along roads: {len(roads):,} ways -> {network.n_nodes:,} junctions, "
           f"{len(network.u):,} street segments")
    report(f"  graph build: {t_build:.2f} s (once per version of the roads; "
           f"found again in the cache: {t_again:.3f} s)")
    t = time.perf_counter()
    metres, which = nearest_along_roads(roads, clon, clat, flon, flat, group, 5, cutoff)
    t_query = time.perf_counter() - t
    report(f"  query: {n_communities:,} communities x {n_facilities:,} facilities in 5 "
           f"categories within {cutoff:.0f} m: {t_query:.2f} s (goal <= 1 s; one Dijkstra "
           "per category from all its facilities)")

    # peer 1: one networkx Dijkstra per community (the previous version), on a sample
    t = time.perf_counter()
    nx_graph = nx.Graph()
    nx_graph.add_weighted_edges_from(zip(network.u.tolist(), network.v.tolist(),
                                         network.length.tolist(), strict=True),
                                     weight="length")
    t_nx_build = time.perf_counter() - t
    starts = graph.place(clon[:sample], clat[:sample], cutoff)
    targets = graph.place(flon, flat, cutoff)
    t = time.perf_counter()
    peer = _per_community(network, nx_graph, starts, targets, group, 5, cutoff)
    t_peer = (time.perf_counter() - t) / sample * n_communities
    same = np.allclose(peer, metres[:sample], rtol=1e-9, atol=1e-6, equal_nan=False)
    report(f"  peer: one networkx Dijkstra per community: {t_peer:.1f} s for "
           f"{n_communities:,} (timed on {sample}; networkx graph {t_nx_build:.1f} s more) "
           f"-> one pass is {t_peer / t_query:.0f}x faster; same distances: {same}")
    report("  (the previous version measured 10.3 s for this audit, graph included)")

    # peer 2: networkx multi-source Dijkstra, once per category
    doors = [("door", j) for j in range(len(flon))]
    for j, door in enumerate(doors):
        e, a, d = int(targets.edge[j]), float(targets.along[j]), float(targets.access[j])
        if targets.network[j] == 0:
            nx_graph.add_edge(door, int(network.u[e]), length=a + d)
            nx_graph.add_edge(door, int(network.v[e]), length=float(network.length[e]) - a + d)
    t = time.perf_counter()
    for g in range(5):
        sources = [doors[j] for j in np.nonzero((group == g) & (targets.network == 0))[0]]
        nx.multi_source_dijkstra_path_length(nx_graph, sources, cutoff=cutoff,
                                             weight="length")
    t_multi = time.perf_counter() - t
    report(f"  peer: networkx multi_source_dijkstra_path_length per category: {t_multi:.1f} s "
           f"(distances to junctions only, no facility named) -> one pass (scipy) is "
           f"{t_multi / t_query:.1f}x faster")


def _per_community(network: WalkNetwork, nx_graph: nx.Graph, starts, targets,
                   group: np.ndarray, n_groups: int, cutoff: float) -> np.ndarray:
    """The previous search: a networkx Dijkstra from each community, targets hung on nodes."""
    node = np.concatenate([network.u[targets.edge], network.v[targets.edge]])
    cost = (np.concatenate([targets.along, network.length[targets.edge] - targets.along])
            + np.tile(targets.access, 2))
    target = np.tile(np.arange(len(targets.edge)), 2)
    ok = np.tile(targets.network == 0, 2)
    node, cost, target = node[ok], cost[ok], target[ok]
    order = np.argsort(node, kind="stable")
    node, cost, target = node[order], cost[order], target[order]
    ptr = np.searchsorted(node, np.arange(network.n_nodes + 1))
    best = np.full((len(starts.edge), n_groups), np.inf)
    for i in range(len(starts.edge)):
        k, along, access = int(starts.edge[i]), float(starts.along[i]), float(starts.access[i])
        if starts.network[i] != 0 or access >= cutoff:
            continue
        nx_graph.add_edge("start", int(network.u[k]), length=along)
        nx_graph.add_edge("start", int(network.v[k]), length=float(network.length[k]) - along)
        try:
            dist = nx.single_source_dijkstra_path_length(nx_graph, "start",
                                                         cutoff=cutoff - access, weight="length")
        finally:
            nx_graph.remove_node("start")
        dist.pop("start", None)
        reached = np.fromiter(dist.keys(), dtype=np.int64, count=len(dist))
        walked = np.fromiter(dist.values(), dtype=float, count=len(dist))
        counts = ptr[reached + 1] - ptr[reached]
        at = np.repeat(ptr[reached] - np.cumsum(counts) + counts, counts) \
            + np.arange(int(counts.sum()))
        metres = np.repeat(walked, counts) + cost[at] + access
        found = target[at]
        same = np.nonzero((targets.edge == k) & (targets.network == 0))[0]  # straight along
        metres = np.concatenate([metres, np.abs(targets.along[same] - along)
                                 + targets.access[same] + access])
        found = np.concatenate([found, same])
        keep = metres <= cutoff
        np.minimum.at(best[i], group[found[keep]], metres[keep])
    return best


def siting_matrix(n_demand: int = 2_000, n_sites: int = 500, cutoff: float = 1600.0) -> None:
    """Walking metres between demand points and candidate sites, as siting needs."""
    roads = city_streets()
    demand = synthetic.communities(n_demand, seed=5)
    sites = synthetic.facilities(n_sites, seed=6)
    road_graph(roads)  # built above: found in the cache
    t = time.perf_counter()
    metres = distances_along_roads(roads, demand.geometry.x.to_numpy(),
                                   demand.geometry.y.to_numpy(), sites.geometry.x.to_numpy(),
                                   sites.geometry.y.to_numpy(), cutoff)
    t_matrix = time.perf_counter() - t
    report(f"siting matrix: {n_demand:,} demand points x {n_sites} candidate sites within "
           f"{cutoff:.0f} m: {t_matrix:.2f} s; {np.isfinite(metres).mean():.1%} of pairs "
           "within reach")


def draw_many_roads(n: int = 200_000) -> None:
    """Redraw a city's worth of road lines (an OpenStreetMap extract is this size)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from desktop.canvas.renderer import MapRenderer
    from layers.geo.map_view import MapView
    from layers.model.layer import FeatureLayer, conform
    from layers.model.schema import ROADS

    app = QApplication.instance() or QApplication([])  # noqa: F841
    rng = np.random.default_rng(0)
    x0, y0 = rng.uniform(119.95, 120.40, n), rng.uniform(30.10, 30.45, n)
    ang, length = rng.uniform(0, np.pi, n), rng.uniform(0.0005, 0.003, n)
    x1, y1 = x0 + length * np.cos(ang), y0 + length * np.sin(ang)
    coords = np.stack([np.stack([x0, y0], 1), np.stack([x1, y1], 1),
                       np.stack([x1 + 0.001, y1], 1)], 1)
    roads = conform(gpd.GeoDataFrame({"name": ["路"] * n}, geometry=shapely.linestrings(coords),
                                     crs=4326), ROADS)
    project = open_project(Path(__file__).resolve().parent.parent / "data" / "communities.gpkg")
    project.add_layer(FeatureLayer("roads", roads))
    renderer = MapRenderer(project)
    city = MapView(width=1600, height=1000)
    city.fit_lonlat(119.95, 30.10, 120.40, 30.45)
    street = MapView(width=1600, height=1000)
    street.fit_lonlat(120.15, 30.25, 120.17, 30.26)
    t = time.perf_counter()
    renderer.render(city)
    t_first = time.perf_counter() - t
    times = {}
    for label, view in (("whole city", city), ("a few streets", street)):
        t = time.perf_counter()
        renderer.render(view)
        times[label] = time.perf_counter() - t
    report(f"{n:,} road lines, 1600x1000: first draw {t_first:.2f} s (building the cache); "
           + ", ".join(f"{k} {v:.3f} s" for k, v in times.items()))


if __name__ == "__main__":
    main()
