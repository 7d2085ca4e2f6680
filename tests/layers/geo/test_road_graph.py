"""Walking distances along the roads in one pass, checked against networkx on random streets.

The reference splits every street segment at the points that join it and walks
networkx's Dijkstra from each community separately: the straightforward answer
the one-pass search (scipy, from all facilities of a category at once) must equal.
"""

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
import shapely

from layers.geo.geodesy import from_metric, to_metric, utm_epsg
from layers.geo.network import distances_along_roads, nearest_along_roads
from layers.geo.road_graph import RoadGraph, road_graph, roads_key
from layers.model.layer import FeatureLayer

LON0, LAT0 = 120.15, 30.27
EPSG = utm_epsg(LON0, LAT0)
X0, Y0 = to_metric(EPSG).transform(LON0, LAT0)
BACK = from_metric(EPSG)
CUTOFF = 700.0


def _at(dx, dy):
    return BACK.transform(X0 + np.asarray(dx, dtype=float), Y0 + np.asarray(dy, dtype=float))


def _streets(rng: np.random.Generator) -> gpd.GeoDataFrame:
    """A crooked grid with streets missing, a few bent ways, and an island of streets."""
    lines = []
    for k in range(9):
        for horizontal in (True, False):
            if rng.random() < 0.2:
                continue
            a = rng.uniform(-25, 25, 3)
            if horizontal:
                pts = [(0, k * 150 + a[0]), (600, k * 150 + a[1]), (1200, k * 150 + a[2])]
            else:
                pts = [(k * 150 + a[0], 0), (k * 150 + a[1], 600), (k * 150 + a[2], 1200)]
            lines.append(shapely.LineString(list(zip(*_at(*np.array(pts).T), strict=True))))
    # an island: streets 150 m east of the grid that meet each other but nothing else
    for k in range(3):
        lines.append(shapely.LineString(list(zip(*_at([1350 + k * 100] * 2, [100, 500]),
                                                 strict=True))))
    lines.append(shapely.LineString(list(zip(*_at([1350, 1550], [300, 300]), strict=True))))
    return gpd.GeoDataFrame({"name": [f"路{i}" for i in range(len(lines))]}, geometry=lines,
                            crs=4326)


def _points(rng: np.random.Generator, n: int, same_edge_with=None):
    """Random points over the streets; some off to the side, some sharing a street segment."""
    x, y = rng.uniform(-100, 1650, n), rng.uniform(-100, 1300, n)
    if same_edge_with is not None:  # a few right next to the other side's points
        k = min(n // 3, len(same_edge_with[0]))
        x[:k] = same_edge_with[0][:k] + rng.uniform(-20, 20, k)
        y[:k] = same_edge_with[1][:k] + rng.uniform(-3, 3, k)
    return x, y


def _reference(network, starts, targets) -> np.ndarray:
    """networkx: every segment cut at the points on it; one Dijkstra per start."""
    graph = nx.Graph()
    for u, v, length in zip(network.u.tolist(), network.v.tolist(), network.length.tolist(),
                            strict=True):
        if not graph.has_edge(u, v) or graph[u][v]["length"] > length:
            graph.add_edge(u, v, length=length)
    on_edge: dict[int, list] = {}
    for kind, placed in (("start", starts), ("target", targets)):
        for i in np.nonzero(placed.network >= 0)[0].tolist():
            on_edge.setdefault(int(placed.edge[i]), []).append(
                (float(placed.along[i]), (kind, i), float(placed.access[i])))
    for edge, points in on_edge.items():
        u, v, length = int(network.u[edge]), int(network.v[edge]), float(network.length[edge])
        points.sort(key=lambda p: p[0])
        chain, at = [u], [0.0]
        for along, name, access in points:
            graph.add_edge(name, ("door", name), length=access)
            chain.append(("door", name))
            at.append(along)
        chain.append(v)
        at.append(length)
        for a, b, da, db in zip(chain[:-1], chain[1:], at[:-1], at[1:], strict=True):
            graph.add_edge(a, b, length=min(db - da, graph[a][b]["length"])
                           if graph.has_edge(a, b) else db - da)
    out = np.full((len(starts.edge), len(targets.edge)), np.inf)
    for i in np.nonzero(starts.network >= 0)[0].tolist():
        reached = nx.single_source_dijkstra_path_length(graph, ("start", i), cutoff=CUTOFF,
                                                        weight="length")
        for j in range(len(targets.edge)):
            if ("target", j) in reached:
                out[i, j] = reached[("target", j)]
    return out


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_one_pass_equals_networkx_on_random_streets(seed):
    rng = np.random.default_rng(seed)
    roads = _streets(rng)
    tx, ty = _points(rng, 60)
    cx, cy = _points(rng, 25, same_edge_with=(tx, ty))
    t_lon, t_lat = _at(tx, ty)
    c_lon, c_lat = _at(cx, cy)
    groups = rng.integers(0, 3, len(tx))

    graph = road_graph(roads)
    assert len(graph.networks) == 1
    network = graph.networks[0]
    starts, targets = graph.place(c_lon, c_lat, CUTOFF), graph.place(t_lon, t_lat, CUTOFF)
    ref = _reference(network, starts, targets)
    same_edge = np.equal.outer(starts.edge, targets.edge) & np.isfinite(ref)
    assert same_edge.any()  # the walk straight along a shared segment is exercised
    assert np.isinf(ref).any() and np.isfinite(ref).any()  # and the cutoff, and the island

    metres, which = nearest_along_roads(roads, c_lon, c_lat, t_lon, t_lat, groups, 3, CUTOFF)
    for g in range(3):
        expect = np.where(groups == g, ref, np.inf).min(axis=1)
        np.testing.assert_allclose(metres[:, g], expect, rtol=1e-9, atol=1e-6)
        found = np.isfinite(expect)
        assert np.all(which[~found, g] == -1)
        # the facility named is one at that distance, of that group
        assert np.all(groups[which[found, g]] == g)
        np.testing.assert_allclose(ref[found, which[found, g]], expect[found], rtol=1e-9,
                                   atol=1e-6)

    matrix = distances_along_roads(roads, c_lon, c_lat, t_lon, t_lat, CUTOFF)
    assert matrix.shape == (len(cx), len(tx))
    np.testing.assert_allclose(matrix, ref, rtol=1e-9, atol=1e-6)
    # the other way round (walked from the other side inside): the transpose
    back = distances_along_roads(roads, t_lon, t_lat, c_lon, c_lat, CUTOFF)
    np.testing.assert_allclose(back, ref.T, rtol=1e-9, atol=1e-6)


def test_a_community_and_a_facility_on_one_street_walk_straight_along_it():
    roads = gpd.GeoDataFrame(geometry=[shapely.LineString(list(zip(*_at([0, 1000], [0, 0]),
                                                                  strict=True)))], crs=4326)
    c_lon, c_lat = _at([400], [10])
    f_lon, f_lat = _at([550, 900], [-5, 20])
    metres = distances_along_roads(roads, c_lon, c_lat, f_lon, f_lat, 800.0)
    # (laid out in UTM, walked in a projection centred on the city: 0.05% apart)
    np.testing.assert_allclose(metres, [[10 + 150 + 5, 10 + 500 + 20]], rtol=1e-3)
    near, which = nearest_along_roads(roads, c_lon, c_lat, f_lon, f_lat, np.array([0, 0]), 1,
                                      800.0)
    assert which[0, 0] == 0 and near[0, 0] == pytest.approx(165, rel=1e-3)
    # beyond the cutoff: out of reach, not a number
    assert np.isinf(distances_along_roads(roads, c_lon, c_lat, f_lon, f_lat, 300.0)[0, 1])


def test_points_far_from_every_street_and_empty_inputs():
    roads = _streets(np.random.default_rng(0))
    far_lon, far_lat = _at([5000, -4000], [5000, 0])
    near_lon, near_lat = _at([300], [300])
    metres = distances_along_roads(roads, far_lon, far_lat, near_lon, near_lat, CUTOFF)
    assert metres.shape == (2, 1) and np.isinf(metres).all()
    assert distances_along_roads(roads, [], [], near_lon, near_lat, CUTOFF).shape == (0, 1)
    best, which = nearest_along_roads(roads, near_lon, near_lat, [], [], np.array([], int), 2,
                                      CUTOFF)
    assert np.isinf(best).all() and (which == -1).all()


def test_streets_of_two_cities_are_walked_apart():
    """Beijing's streets do not change a walk in Hangzhou, and nothing crosses between them."""
    hangzhou = _streets(np.random.default_rng(7))
    beijing = hangzhou.copy()
    beijing["geometry"] = shapely.transform(hangzhou.geometry.to_numpy(),
                                            lambda c: c + [-3.75, 9.64])
    both = gpd.GeoDataFrame(pd.concat([hangzhou, beijing], ignore_index=True), crs=4326)
    assert len(RoadGraph(both).networks) == 2
    rng = np.random.default_rng(8)
    lon, lat = _at(rng.uniform(0, 1200, 20), rng.uniform(0, 1200, 20))
    alone = distances_along_roads(hangzhou, lon, lat, lon, lat, CUTOFF)
    together = distances_along_roads(both, lon, lat, lon, lat, CUTOFF)
    np.testing.assert_allclose(together, alone, rtol=1e-6, atol=0.01)
    b_lon, b_lat = lon - 3.75, lat + 9.64
    across = distances_along_roads(both, lon, lat, b_lon, b_lat, CUTOFF)
    assert np.isinf(across).all()
    # and Hangzhou's streets do not change a walk in Beijing either
    in_beijing = distances_along_roads(both, b_lon, b_lat, b_lon, b_lat, CUTOFF)
    beijing_alone = distances_along_roads(beijing, b_lon, b_lat, b_lon, b_lat, CUTOFF)
    assert np.isfinite(in_beijing).mean() > 0.3
    np.testing.assert_allclose(in_beijing, beijing_alone, rtol=1e-6, atol=0.01)


def test_the_graph_is_kept_until_the_roads_change():
    """Auditing again reuses the graph; moving a street (an edit) builds a new one."""
    roads = FeatureLayer("roads", gpd.GeoDataFrame(
        {"name": ["南岸路", "北岸路", "桥"]},
        geometry=[shapely.LineString(list(zip(*_at([-2000, 2000], [0, 0]), strict=True))),
                  shapely.LineString(list(zip(*_at([-2000, 2000], [300, 300]), strict=True))),
                  shapely.LineString(list(zip(*_at([1500, 1500], [0, 300]), strict=True)))],
        crs=4326))
    c_lon, c_lat = _at([0], [-10])
    f_lon, f_lat = _at([0], [310])
    graph = road_graph(roads.frame)
    assert road_graph(roads.frame.copy()) is graph  # same lines, same graph
    roads.update_attributes(roads.ids[2], {"name": "新桥"})
    assert road_graph(roads.frame) is graph  # a renamed street walks the same
    far = distances_along_roads(roads.frame, c_lon, c_lat, f_lon, f_lat, 5000.0)[0, 0]
    assert far == pytest.approx(10 + 1500 + 300 + 1500 + 10, rel=1e-3)
    key = roads_key(roads.frame)
    # the planner drags the bridge to the middle: the walk is 3 km shorter at once
    roads.move_feature(roads.ids[2], shapely.LineString(list(zip(*_at([0, 0], [0, 300]),
                                                                  strict=True))))
    assert roads_key(roads.frame) != key
    assert road_graph(roads.frame) is not graph
    near = distances_along_roads(roads.frame, c_lon, c_lat, f_lon, f_lat, 5000.0)[0, 0]
    assert near == pytest.approx(10 + 300 + 10, rel=1e-3)


def test_progress_moves_once_per_category_and_cancel_stops():
    rng = np.random.default_rng(3)
    roads = _streets(rng)
    c_lon, c_lat = _at(rng.uniform(0, 1200, 30), rng.uniform(0, 1200, 30))
    f_lon, f_lat = _at(rng.uniform(0, 1200, 40), rng.uniform(0, 1200, 40))
    seen = []
    result = nearest_along_roads(roads, c_lon, c_lat, f_lon, f_lat, np.arange(40) % 4, 4,
                                 CUTOFF, progress=lambda d, t: seen.append((d, t)))
    assert result is not None
    assert seen[0] == (0, 30) and seen[-1] == (30, 30) and len(seen) == 5
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    calls = []

    def cancel_after_two(done, total):
        calls.append(done)
        return len(calls) < 2

    assert nearest_along_roads(roads, c_lon, c_lat, f_lon, f_lat, np.arange(40) % 4, 4,
                               CUTOFF, progress=cancel_after_two) is None
    assert len(calls) == 2
    assert distances_along_roads(roads, c_lon, c_lat, f_lon, f_lat, CUTOFF,
                                 progress=lambda d, t: False) is None


@pytest.mark.parametrize("seed", [1, 2])
def test_points_join_the_nearest_path_as_geos_finds_it(seed):
    """The k-d tree snap finds a nearest path, even among short lanes or far from all."""
    rng = np.random.default_rng(seed)
    lanes = []  # short lanes in an old town, and a long road across it
    for _ in range(300):
        x, y = rng.uniform(0, 400, 2)
        angle, length = rng.uniform(0, np.pi), rng.uniform(3, 30)
        lanes.append(shapely.LineString(list(zip(*_at([x, x + length * np.cos(angle)],
                                                      [y, y + length * np.sin(angle)]),
                                                 strict=True))))
    lanes.append(shapely.LineString(list(zip(*_at([-3000, 3000], [200, 260]), strict=True))))
    graph = RoadGraph(gpd.GeoDataFrame(geometry=lanes, crs=4326))
    network = graph.networks[0]
    x, y = network.to_metric(*_at(rng.uniform(-2000, 2000, 400), rng.uniform(-2000, 2000, 400)))
    edge, along, access = network.snap(x, y)
    pts = shapely.points(x, y)
    nearest = network.tree.query_nearest(pts, return_distance=True, all_matches=False)[1]
    np.testing.assert_allclose(access, nearest, atol=1e-6)
    segments = network.tree.geometries[edge]
    np.testing.assert_allclose(shapely.distance(pts, segments), access, atol=1e-6)
    np.testing.assert_allclose(along / network.length[edge],
                               shapely.line_locate_point(segments, pts, normalized=True),
                               atol=1e-6)
