"""Walking areas along streets: a 10 x 10 km street grid (100 m blocks, ~20,000 edges)
and 500 facilities, 10 minutes at 80 m/min (800 m along the streets).

The issue sets no target here; the figures show what a planner waits for. The peer is
the straightforward use of the same libraries: build the networkx graph for every
facility (what the first version did), timed on 20 facilities.

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

from layers.geodesy import from_metric, to_metric, utm_epsg  # noqa: E402
from layers.network import WalkNetwork, network_walk_areas  # noqa: E402

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
    network = WalkNetwork(roads, epsg)
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


if __name__ == "__main__":
    main()
