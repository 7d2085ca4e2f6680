"""Walking areas along streets: a 10 x 10 km street grid (100 m blocks, ~20,000 edges)
and 500 facilities, 10 minutes at 80 m/min (800 m along the streets).

The issue sets no target here; the figures show what a planner waits for. The peer is
the straightforward use of the same libraries: build the networkx graph for every
facility (what the first version did), timed on 20 facilities. Last, redrawing 200,000
road lines (about a city's OpenStreetMap extract); the first version took 1.6 s per redraw
whatever the zoom.

Run: .venv/bin/python benchmarks/bench_network.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import geopandas as gpd  # noqa: E402
import numpy as np  # noqa: E402
import shapely  # noqa: E402

from layers.geo.geodesy import from_metric, to_metric, utm_epsg  # noqa: E402
from layers.geo.network import WalkNetwork, network_walk_areas  # noqa: E402
from layers.store import open_project

SIDE, BLOCK, N = 10_000.0, 100.0, 500


def main() -> None:
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
    t = time.perf_counter()
    areas = network_walk_areas(roads, lon, lat, 800.0)
    t_all = time.perf_counter() - t
    print(f"street grid: {len(lines)} lines, {len(network.u):,} edges after noding; "
          f"graph built in {t_graph:.2f} s")
    print(f"{N} walking areas of 800 m: {t_all:.2f} s including the graph "
          f"({(t_all - t_graph) / N * 1000:.1f} ms per facility); all valid: "
          f"{bool(shapely.is_valid(np.array(areas)).all())}")
    t = time.perf_counter()
    for i in range(20):
        WalkNetwork(roads, epsg).walk_area(lon[i], lat[i], 800.0)
    t_peer = (time.perf_counter() - t) / 20
    print(f"  peer: graph rebuilt for every facility: {t_peer * 1000:.0f} ms per facility "
          f"-> {t_peer * N:.0f} s for {N}")
    audit_along_city_streets()
    draw_many_roads()


def audit_along_city_streets(n_facilities: int = 100_000, n_communities: int = 5_000) -> None:
    """The audit along the streets of a whole city: ~390,000 street segments."""
    from layers.geo.network import nearest_along_roads

    xs, ys = np.arange(119.95, 120.40, 0.0009), np.arange(30.10, 30.45, 0.0009)  # ~90 m
    lines = []
    for x in xs:  # north-south streets, as ways of four blocks
        pts = np.column_stack([np.full(len(ys), x), ys])
        lines += [shapely.LineString(pts[k:k + 5]) for k in range(0, len(ys) - 1, 4)]
    for y in ys:
        pts = np.column_stack([xs, np.full(len(xs), y)])
        lines += [shapely.LineString(pts[k:k + 5]) for k in range(0, len(xs) - 1, 4)]
    roads = gpd.GeoDataFrame(geometry=lines, crs=4326)
    rng = np.random.default_rng(0)
    flon, flat = rng.uniform(119.95, 120.40, n_facilities), rng.uniform(30.10, 30.45,
                                                                          n_facilities)
    clon, clat = rng.uniform(119.95, 120.40, n_communities), rng.uniform(30.10, 30.45,
                                                                           n_communities)
    t = time.perf_counter()
    nearest_along_roads(roads, clon, clat, flon, flat, rng.integers(0, 5, n_facilities), 5,
                        1600.0)
    print(f"audit along roads: {n_communities:,} communities x {n_facilities:,} facilities in "
          f"5 categories on {len(lines):,} ways: {time.perf_counter() - t:.1f} s "
          "(one graph for the city, one Dijkstra per community)")


def draw_many_roads(n: int = 200_000) -> None:
    """Redraw a city's worth of road lines (an OpenStreetMap extract is this size)."""
    import os

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
    print(f"{n:,} road lines, 1600x1000: first draw {t_first:.2f} s (building the cache); "
          + ", ".join(f"{k} {v:.3f} s" for k, v in times.items()))


if __name__ == "__main__":
    main()
