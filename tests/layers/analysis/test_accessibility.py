"""2SFCA on a tiny case worked out by hand, and the access command on the bundled data."""

from __future__ import annotations

import json
import sqlite3

import geopandas as gpd
import pandas as pd
import pyproj
import pytest
import shapely

from layers import store
from layers.analysis.accessibility import accessibility, pairs_within
from layers.cli import run
from layers.geo.geodesy import haversine_m
from layers.model.layer import conform
from layers.model.schema import COMMUNITIES, FACILITIES

GEOD = pyproj.Geod(ellps="WGS84")
LON0, LAT0 = 120.0, 30.0


def _east(metres: float) -> shapely.Point:
    lon, lat, _ = GEOD.fwd(LON0, LAT0, 90, metres)
    return shapely.Point(lon, lat)


def _communities(rows):
    return conform(gpd.GeoDataFrame(
        [{k: v for k, v in r.items() if k != "at"} for r in rows],
        geometry=[_east(r["at"]) for r in rows], crs="EPSG:4326"), COMMUNITIES)


def _facilities(rows):
    return conform(gpd.GeoDataFrame(
        [{"name": n, "category": "canteen", "capacity": c} for n, _, c in rows],
        geometry=[_east(at) for _, at, _ in rows], crs="EPSG:4326"), FACILITIES)


# A at 0 m, B at 700 m, C far away; s1 at 300 m (A 300, B 400), s2 at 1150 m (B 450,
# A 1150), s3 beside C without a capacity. Walk: 500 m.
#   R1 = 40 / (1000 + 3000) = 0.01;  R2 = 60 / 3000 = 0.02
#   A = R1 = 10 seats per thousand;  B = R1 + R2 = 30;  C = 0, a lower bound (s3)
FACILITY_ROWS = [("s1", 300, 40.0), ("s2", 1150, 60.0), ("s3", 5050, None)]
COMMUNITY_ROWS = [
    {"name": "A", "population": 1000, "elderly_share": 20.0, "at": 0},
    {"name": "B", "population": 3000, "elderly_share": 10.0, "at": 700},
    {"name": "C", "population": 10, "at": 5000},
]


def _by_name(result):
    return {c.name: c for c in result.communities}


def test_seats_per_thousand_residents_by_hand():
    result = accessibility(_communities(COMMUNITY_ROWS), _facilities(FACILITY_ROWS),
                           "canteen", 10, 500.0)
    c = _by_name(result)
    assert c["A"].per_thousand == pytest.approx(10.0)
    assert c["B"].per_thousand == pytest.approx(30.0)
    assert c["C"].per_thousand == 0 and c["C"].without_capacity == 1  # a lower bound
    assert (c["A"].reachable, c["B"].reachable, c["C"].reachable) == (1, 2, 0)
    assert result.unknown_capacity == ["s3"] and result.facilities == 2


def test_per_elderly_uses_population_times_elderly_share():
    # elderly: A 200, B 300.  R1 = 40 / 500 = 0.08;  R2 = 60 / 300 = 0.2
    result = accessibility(_communities(COMMUNITY_ROWS), _facilities(FACILITY_ROWS),
                           "canteen", 10, 500.0, per="elderly")
    c = _by_name(result)
    assert c["A"].per_thousand == pytest.approx(80.0)
    assert c["B"].per_thousand == pytest.approx(280.0)
    assert c["C"].demand is None  # no elderly share: unknown, and no facility in reach
    assert c["C"].per_thousand == 0


def test_unknown_residents_make_the_ratio_unknown_never_guessed():
    rows = [*COMMUNITY_ROWS, {"name": "D", "at": 1300}]  # 150 m from s2, residents unknown
    result = accessibility(_communities(rows), _facilities(FACILITY_ROWS), "canteen", 10, 500.0)
    c = _by_name(result)
    assert result.unknown_ratio == ["s2"]
    assert c["B"].per_thousand is None and "D" in c["B"].reason
    assert c["D"].per_thousand is None
    assert c["A"].per_thousand == pytest.approx(10.0)  # s1 does not reach D


def test_a_xiaoqu_counted_in_its_parent_is_not_counted_twice():
    rows = [*COMMUNITY_ROWS, {"name": "A1", "parent": "A", "population": 500, "at": 100}]
    result = accessibility(_communities(rows), _facilities(FACILITY_ROWS), "canteen", 10, 500.0)
    c = _by_name(result)
    assert result.in_parent == ["A1"]
    assert c["A"].per_thousand == pytest.approx(10.0)  # R1 still 40 / 4000
    assert c["A1"].per_thousand == pytest.approx(10.0)


def test_pairs_within_agrees_with_haversine():
    lon = [LON0, _east(499).x, _east(501).x]
    lat = [LAT0, LAT0, LAT0]
    i, j, d = pairs_within(lon[:1], lat[:1], lon[1:], lat[1:], 500.0)
    assert list(j) == [0]
    assert d[0] == pytest.approx(haversine_m(lon[0], lat[0], lon[1], lat[1])[()])


def test_access_command_on_the_bundled_data(bundled_copy, capsys):
    project = store.open_project(bundled_copy)
    f = project.facilities.frame
    canteen = f.loc[f["category"] == "canteen", "id"].iat[0]
    project.facilities.update_attributes(canteen, {"capacity": 60})
    project.save()
    assert run(["access", "--category", "食堂", "--project", str(bundled_copy),
                "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    by_name = {c["name"]: c for c in out["communities"]}
    # 翠苑一区: 10000 residents (约, from the article), the canteen 60 m away
    assert by_name["翠苑一区"]["per_thousand"] == pytest.approx(6.0)
    assert out["unknown_capacity"] == [] and out["radius_m"] == 500
    assert run(["access", "--category", "食堂", "--per", "elderly",
                "--project", str(bundled_copy)]) == 0
    text = capsys.readouterr().out
    assert "seats per thousand elderly residents" in text
    assert "25.21" in text  # 60 / (10000 × 23.8 %) × 1000


def test_capacity_unknown_is_reported_not_zero(bundled_copy, capsys):
    assert run(["access", "--category", "canteen", "--project", str(bundled_copy)]) == 0
    out = capsys.readouterr().out
    assert "facilities without a capacity (left out): 1: 翠苑一区社区老年食堂" in out
    assert "≥ 0.00 (+1 within reach without a capacity)" in out
    assert run(["access", "--category", "火箭", "--project", str(bundled_copy)]) == 2


def test_a_project_saved_before_capacity_existed_opens_and_gains_it(bundled_copy, capsys):
    con = sqlite3.connect(bundled_copy)
    con.execute("ALTER TABLE facilities DROP COLUMN capacity")
    con.commit()
    con.close()
    assert run(["info", "--project", str(bundled_copy)]) == 0
    assert "layer facilities: 23 features" in capsys.readouterr().out
    project = store.open_project(bundled_copy)
    fid = project.facilities.ids[0]
    assert pd.isna(project.facilities.feature(fid)["capacity"])  # read as empty
    project.facilities.update_attributes(fid, {"capacity": "40"})
    project.save()
    assert store.open_project(bundled_copy).facilities.feature(fid)["capacity"] == 40
