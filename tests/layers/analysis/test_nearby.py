"""Prefilling a new facility's community: only what the click shows, never a guess."""

import geopandas as gpd
import shapely

from layers.analysis.nearby import community_for_point
from layers.model.layer import FeatureLayer, conform
from layers.model.schema import BOUNDARIES
from layers.store import open_project
from tests.conftest import BUNDLED

CUIYUAN = (120.133, 30.286)  # 翠苑一区's point in the bundled project


def test_a_click_far_from_every_community_prefills_nothing():
    project = open_project(BUNDLED)
    # about 120 km from 翠苑一区, the nearest community: today it was prefilled anyway
    assert community_for_point(project, 121.2, 30.9) is None
    # 1 km away is past the 10-minute walk (500 m), so the planner chooses
    assert community_for_point(project, CUIYUAN[0] + 0.0104, CUIYUAN[1]) is None


def test_a_click_within_the_walk_of_a_community_point_prefills_it():
    project = open_project(BUNDLED)
    lon, lat = CUIYUAN[0] + 0.003, CUIYUAN[1]  # about 290 m east
    assert community_for_point(project, lon, lat) == "翠苑一区"
    # the planner's chosen walk decides: a 5-minute GB 50180 walk reaches 300 m only
    assert community_for_point(project, CUIYUAN[0] + 0.004, lat, walk_m=300) is None
    assert community_for_point(project, CUIYUAN[0] + 0.004, lat, walk_m=500) == "翠苑一区"


def test_a_click_inside_a_boundary_prefills_its_community_however_far_the_point():
    project = open_project(BUNDLED)
    lon, lat = 121.0, 31.0  # a boundary drawn far from any community point
    square = shapely.box(lon - 0.02, lat - 0.02, lon + 0.02, lat + 0.02)
    empty = shapely.Polygon()
    frame = conform(gpd.GeoDataFrame(
        {"community": ["金耐社区", "翠屏社区", None]}, geometry=[square, empty, square],
        crs="EPSG:4326"), BOUNDARIES)
    project.add_layer(FeatureLayer("boundaries", frame))
    assert community_for_point(project, lon + 0.015, lat) == "金耐社区"
    assert community_for_point(project, lon + 0.03, lat) is None
