"""Siting with spopt and CBC: the plans equal a brute-force search on small instances."""

from __future__ import annotations

import itertools
import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from layers.analysis.siting.candidates import Candidates
from layers.analysis.siting.proposals import proposals_frame
from layers.analysis.siting.suggest import suggest_sites
from layers.cli import run
from layers.geo.geodesy import GEOD, from_metric, to_metric, utm_epsg
from layers.geo.walking import PRESETS
from layers.io.project_file import write_project_layers
from layers.model.layer import conform
from layers.model.schema import COMMUNITIES, FACILITIES, PROPOSALS
from layers.store import open_project

LON0, LAT0 = 120.15, 30.27
EPSG = utm_epsg(LON0, LAT0)
X0, Y0 = to_metric(EPSG).transform(LON0, LAT0)
BACK = from_metric(EPSG)
WALK = PRESETS["gb50180"]  # 10 minutes: 500 m in a straight line
RADIUS = 500.0


def _at(dx, dy):
    return BACK.transform(X0 + dx, Y0 + dy)


def _communities(xy, population, names=None):
    names = names or [f"社区{i + 1}" for i in range(len(xy))]
    return conform(gpd.GeoDataFrame(
        {"id": [f"c{i}" for i in range(len(xy))], "name": names,
         "population": pd.array(population, dtype="Int64")},
        geometry=[shapely.Point(*_at(x, y)) for x, y in xy], crs=4326), COMMUNITIES)


def _facilities(xy, category="canteen"):
    return conform(gpd.GeoDataFrame(
        {"id": [f"f{i}" for i in range(len(xy))], "name": [f"食堂{i}" for i in range(len(xy))],
         "category": [category] * len(xy)},
        geometry=[shapely.Point(*_at(x, y)) for x, y in xy], crs=4326), FACILITIES)


def _candidates(xy):
    lon, lat = np.array([_at(x, y) for x, y in xy]).T
    return Candidates(lon, lat, "test sites")


def _instance(seed):
    """8 communities and 7 candidate sites over 3 km, with populations."""
    rng = np.random.default_rng(seed)
    comm_xy = rng.uniform(0, 3000, (8, 2))
    site_xy = rng.uniform(0, 3000, (7, 2))
    population = rng.integers(100, 5000, 8)
    return comm_xy, site_xy, population


def _covers(comm_xy, site_xy):
    """Brute force's own reach: geodesic distance within the 500 m radius."""
    c = np.array([_at(x, y) for x, y in comm_xy])
    s = np.array([_at(x, y) for x, y in site_xy])
    d = GEOD.inv(np.repeat(c[:, 0], len(s)), np.repeat(c[:, 1], len(s)),
                 np.tile(s[:, 0], len(c)), np.tile(s[:, 1], len(c)))[2]
    return d.reshape(len(c), len(s)) <= RADIUS


def _covered_residents(cover, population, chosen, already=None):
    hit = cover[:, list(chosen)].any(axis=1) if chosen else np.zeros(len(population), bool)
    if already is not None:
        hit |= already
    return int(population[hit].sum())


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("k", [2, 3])
def test_mclp_covers_as_many_residents_as_the_best_of_all_k_subsets(seed, k):
    comm_xy, site_xy, population = _instance(seed)
    cover = _covers(comm_xy, site_xy)
    best = max(_covered_residents(cover, population, subset)
               for subset in itertools.combinations(range(7), k))
    result = suggest_sites(_communities(comm_xy, population), _facilities([]), "canteen", 10,
                           WALK, _candidates(site_xy), "mclp", k)
    assert result.covered_before == 0
    assert result.covered_after == best
    assert sum(s.gain for s in result.sites) == best
    assert len(result.sites) <= k
    # the sites are real candidates, and each brings in the communities it names
    names = [f"社区{i + 1}" for i in range(8)]
    for site in result.sites:
        j = int(np.argmin(np.hypot(*(np.array(_candidates(site_xy).lon) - site.lon,
                                     np.array(_candidates(site_xy).lat) - site.lat))))
        assert set(site.communities) <= {names[i] for i in np.nonzero(cover[:, j])[0]}
    gains = [s.gain for s in result.sites]
    assert gains == sorted(gains, reverse=True)


@pytest.mark.parametrize("seed", range(6))
def test_lscp_uses_as_few_sites_as_brute_force(seed):
    comm_xy, site_xy, population = _instance(seed)
    cover = _covers(comm_xy, site_xy)
    reachable = cover.any(axis=1)
    smallest = next(k for k in range(8) for subset in itertools.combinations(range(7), k)
                    if (cover[:, list(subset)].any(axis=1) if subset else
                        np.zeros(8, bool))[reachable].all())
    result = suggest_sites(_communities(comm_xy, population), _facilities([]), "canteen", 10,
                           WALK, _candidates(site_xy), "lscp")
    assert len(result.sites) == smallest
    assert result.covered_after == int(population[reachable].sum())
    names = np.array([f"社区{i + 1}" for i in range(8)])
    assert result.unreachable == list(names[~reachable])


def test_existing_facilities_already_cover_their_communities():
    # 社区1 sits by an existing canteen; a site beside it would bring nobody new
    comm_xy = [(0, 0), (2000, 0), (4000, 0)]
    population = [9000, 1000, 500]
    sites = [(100, 0), (2000, 100), (4000, 100)]
    result = suggest_sites(_communities(comm_xy, population), _facilities([(0, 50)]),
                           "canteen", 10, WALK, _candidates(sites), "mclp", 1)
    assert result.covered_before == 9000
    assert result.existing == 1
    assert [s.communities for s in result.sites] == [["社区2"]]
    assert result.sites[0].gain == 1000
    assert result.covered_after == 10000
    # a canteen of another category covers nothing here
    other = suggest_sites(_communities(comm_xy, population), _facilities([(0, 50)], "parking"),
                          "canteen", 10, WALK, _candidates(sites), "mclp", 1)
    assert other.covered_before == 0 and other.sites[0].communities == ["社区1"]
    # LSCP leaves the covered community alone too
    lscp = suggest_sites(_communities(comm_xy, population), _facilities([(0, 50)]),
                         "canteen", 10, WALK, _candidates(sites), "lscp")
    assert sorted(c for s in lscp.sites for c in s.communities) == ["社区2", "社区3"]


def test_unknown_populations_are_reported_never_counted_as_zero():
    comm_xy = [(0, 0), (2000, 0), (4000, 0)]
    sites = [(0, 100), (2000, 100), (4000, 100)]
    population = [3000, None, None]
    result = suggest_sites(_communities(comm_xy, population), _facilities([]), "canteen", 10,
                           WALK, _candidates(sites), "mclp", 2)
    # the known residents win; the unknown ones break the tie for the second site
    assert result.sites[0].communities == ["社区1"] and result.sites[0].gain == 3000
    assert result.sites[1].gain is None
    assert result.sites[1].unknown == result.sites[1].communities
    assert result.covered_after == 3000
    assert result.unknown == ["社区2", "社区3"]
    assert result.unknown_covered_after == 1
    assert any(n.startswith("2 communities with residents unknown: not weighted")
               for n in result.notes())
    frame = proposals_frame(result)
    assert frame["gain"].isna().tolist() == [False, True]
    # LSCP covers every community with residents, known or not
    lscp = suggest_sites(_communities(comm_xy, population), _facilities([]), "canteen", 10,
                         WALK, _candidates(sites), "lscp")
    assert len(lscp.sites) == 3 and lscp.unknown_covered_after == 2
    # a community of 0 residents needs nobody
    empty = suggest_sites(_communities(comm_xy, [3000, 0, 0]), _facilities([]), "canteen", 10,
                          WALK, _candidates(sites), "lscp")
    assert len(empty.sites) == 1 and empty.empty_communities == 2


def test_more_sites_than_needed_are_not_proposed():
    comm_xy = [(0, 0), (2000, 0)]
    result = suggest_sites(_communities(comm_xy, [10, 20]), _facilities([]), "canteen", 10,
                           WALK, _candidates([(0, 10), (2000, 10), (5000, 0)]), "mclp", 3)
    assert len(result.sites) == 2 and result.covered_after == 30
    assert any("2 of the 3 sites asked for" in n for n in result.notes())


def test_without_candidates_a_grid_near_the_communities_reaches_everyone():
    comm_xy = [(0, 0), (1500, 0), (0, 1500), (9000, 9000)]
    result = suggest_sites(_communities(comm_xy, [100, 200, 300, 400]), _facilities([]),
                           "canteen", 10, WALK, None, "lscp")
    assert result.candidate_source == "a grid every 250 m near the communities"
    assert result.candidates > 0
    assert result.unreachable == []
    assert result.covered_after == 1000
    assert len(result.sites) == 4


def test_a_boundary_is_reached_at_its_edge_as_in_the_audit():
    from layers.model.schema import BOUNDARIES

    # the community's point is 800 m from the site, its boundary only 300 m
    comms = _communities([(0, 0)], [1000])
    square = shapely.Polygon([_at(-600, -600), _at(600, -600), _at(600, 600), _at(-600, 600)])
    boundaries = conform(gpd.GeoDataFrame({"community": ["社区1"]}, geometry=[square], crs=4326),
                         BOUNDARIES)
    site = _candidates([(800, 0)])
    without = suggest_sites(comms, _facilities([]), "canteen", 10, WALK, site, "mclp", 1)
    assert without.unreachable == ["社区1"]
    with_boundary = suggest_sites(comms, _facilities([]), "canteen", 10, WALK, site, "mclp", 1,
                                  boundaries=boundaries)
    assert with_boundary.covered_after == 1000


# ----- the command line -----------------------------------------------------------
@pytest.fixture
def siting_project(tmp_path):
    comm_xy = [(0, 0), (2000, 0), (4000, 0), (20000, 0)]
    communities = _communities(comm_xy, [3000, 2000, None, 700],
                               ["东园社区", "西园社区", "南园社区", "远山村"])
    path = tmp_path / "project.gpkg"
    write_project_layers(path, {"communities": communities,
                                "facilities": _facilities([(0, 50)])})
    sites = tmp_path / "sites.csv"
    rows = ["name,lon,lat"] + [f"site{i},{lon:.7f},{lat:.7f}" for i, (lon, lat) in
                               enumerate(_at(x, y) for x, y in [(2000, 100), (4000, 100),
                                                                (0, 100)])]
    sites.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path, sites


def test_site_json_gives_the_figures_and_the_sites(siting_project, tmp_path, capsys):
    path, sites = siting_project
    out = tmp_path / "proposals.gpkg"
    assert run(["site", "--project", str(path), "--category", "食堂", "--count", "2",
                "--candidates", str(sites), "--format", "json", "--out", str(out)]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["covered_before"] == 3000 and data["covered_after"] == 5000
    assert [(s["gain"], s["communities"]) for s in data["sites"]] == [
        (2000, ["西园社区"]), (None, ["南园社区"])]
    assert {"lon", "lat"} <= set(data["sites"][0])
    assert data["unreachable"] == ["远山村"]
    assert data["candidate_source"] == "file sites.csv" and data["candidates"] == 3
    assert "1 communities no candidate can reach: 远山村" in captured.err
    assert "1 communities with residents unknown: not weighted" in captured.err
    layer = pyogrio.read_dataframe(out, layer="proposals")
    assert list(layer.columns) == [*PROPOSALS.fields, "geometry"]
    assert layer["rank"].tolist() == [1, 2]
    assert layer["communities"].tolist() == ["西园社区", "南园社区"]
    assert set(layer["method"]) == {"mclp"} and set(layer["category"]) == {"canteen"}
    assert pyogrio.list_layers(out)[:, 0].tolist() == ["proposals"]  # never mixed in


def test_site_table_lscp_and_save_replace_that_category(siting_project, capsys):
    path, sites = siting_project
    assert run(["site", "--project", str(path), "--category", "canteen", "--method", "lscp",
                "--candidates", str(sites), "--save"]) == 0
    out = capsys.readouterr().out
    assert "residents covered before: 3000" in out and "after: 5000" in out
    assert "1 communities no candidate can reach: 远山村" in out
    project = open_project(path)
    proposals = project.layer("proposals").frame
    assert len(proposals) == 2 and set(proposals["method"]) == {"lscp"}
    assert len(project.facilities) == 1  # proposals are not facilities
    assert run(["site", "--project", str(path), "--category", "canteen", "--count", "1",
                "--candidates", str(sites), "--save"]) == 0
    proposals = open_project(path).layer("proposals").frame
    assert proposals["method"].tolist() == ["mclp"]


def test_site_errors_are_one_line(siting_project, capsys):
    path, _sites = siting_project
    assert run(["site", "--project", str(path), "--category", "食堂"]) == 2
    assert "--count is needed for MCLP" in capsys.readouterr().err
    assert run(["site", "--project", str(path), "--category", "火箭发射场", "--count", "1"]) == 2
    assert "unknown category" in capsys.readouterr().err
    assert run(["site", "--project", str(path), "--category", "食堂", "--count", "1",
                "--network"]) == 2
    assert "no roads layer" in capsys.readouterr().err


@pytest.mark.parametrize("seed", range(4))
def test_large_models_built_from_the_pairs_in_reach_match_spopts_own(seed):
    import pulp

    from layers.analysis.siting.solver import _lscp_model, _mclp_model, _solver

    rng = np.random.default_rng(seed)
    cover = rng.random((30, 12)) < 0.15
    cover[:, 0] |= ~cover.any(axis=1)  # every community reachable
    weights = rng.integers(1, 1000, 30).astype(float)
    dense = _mclp_model(cover, weights, 3, 500.0).solve(_solver(), results=False)
    sparse = _mclp_model(cover, weights, 3, 500.0, dense_pairs=0).solve(_solver(),
                                                                        results=False)
    assert type(dense) is type(sparse)
    assert pulp.value(sparse.problem.objective) == pulp.value(dense.problem.objective)
    dense = _lscp_model(cover, 500.0).solve(_solver(), results=False)
    sparse = _lscp_model(cover, 500.0, dense_pairs=0).solve(_solver(), results=False)
    assert pulp.value(sparse.problem.objective) == pulp.value(dense.problem.objective)


def test_candidates_along_the_roads_when_the_project_has_them():
    from layers.analysis.siting.candidates import road_candidates

    roads = gpd.GeoDataFrame(geometry=[shapely.LineString([_at(-3000, 300), _at(3000, 300)]),
                                       shapely.LineString([_at(0, 50000), _at(100, 50000)])],
                             crs=4326)
    comms = _communities([(0, 0), (2500, 0)], [100, 200])
    found = road_candidates(roads, comms.geometry.to_numpy(), RADIUS)
    assert found.source == "points every 250 m along the roads near the communities"
    x, y = to_metric(EPSG).transform(found.lon, found.lat)
    assert np.allclose(y - Y0, 300, atol=1)  # on the road, none on the far one
    result = suggest_sites(comms, _facilities([]), "canteen", 10, WALK, None, "lscp",
                           roads=roads)
    assert result.candidate_source == found.source and result.covered_after == 300
    # a community far from every road gets grid points near it as well
    far = _communities([(0, 0), (2500, 0), (0, 9000)], [100, 200, 400])
    result = suggest_sites(far, _facilities([]), "canteen", 10, WALK, None, "lscp",
                           roads=roads)
    assert result.candidate_source == (
        "points every 250 m along the roads near the communities, and a grid every 250 m "
        "near the 1 communities far from the roads")
    assert result.unreachable == [] and result.covered_after == 700


def test_cancelling_stops_with_no_plan():
    comm_xy, site_xy, population = _instance(0)
    calls = []

    def progress(done, total):
        calls.append((done, total))
        return False

    assert suggest_sites(_communities(comm_xy, population), _facilities([]), "canteen", 10,
                         WALK, _candidates(site_xy), "mclp", 2, progress=progress) is None
    assert len(calls) == 1


def test_candidate_features_that_are_not_points_are_counted(siting_project, tmp_path, capsys):
    path, _sites = siting_project
    features = gpd.GeoDataFrame(
        {"name": ["a", "b", "area"]},
        geometry=[shapely.Point(*_at(2000, 100)), shapely.Point(*_at(4000, 100)),
                  shapely.Polygon([_at(0, 0), _at(10, 0), _at(10, 10)])], crs=4326)
    file = tmp_path / "sites.geojson"
    file.write_text(features.to_json(), encoding="utf-8")
    assert run(["site", "--project", str(path), "--category", "食堂", "--method", "lscp",
                "--candidates", str(file)]) == 0
    out = capsys.readouterr().out
    assert "candidates: 2 from file sites.geojson" in out
    assert "1 features of file sites.geojson are not points with a position" in out
