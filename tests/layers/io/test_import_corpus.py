"""Every file in tests/import_corpus/ has a known outcome, from the command line."""

import shutil

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from layers.cli import run
from layers.geo.gcj02 import gcj02_to_wgs84, wgs84_to_gcj02
from layers.geo.geodesy import haversine_m
from layers.io.importing import ImportFailure, read_import, to_layer_frame
from layers.store import open_project
from tests.conftest import BUNDLED, REPO

CORPUS = REPO / "tests" / "import_corpus"

# file -> (extra CLI options, expected imported count or an error fragment)
OUTCOMES = {
    "good_utf8.csv": ([], 3),
    "good_utf8_bom.csv": ([], 3),
    "gbk_excel.csv": ([], 3),
    "chinese_headers.csv": ([], 3),
    "semicolon.csv": ([], 3),
    "tab_separated.txt": ([], 3),
    "swapped_lonlat.csv": ([], 3),
    "text_in_coords.csv": ([], 3),
    "nan_coords.csv": ([], 3),
    "out_of_range.csv": ([], 3),
    "projected_no_crs.csv": ([], "give the CRS"),
    "cgcs2000_gk_zone40.csv": (["--crs", "EPSG:4528"], 3),
    "amap_gcj02.csv": (["--gcj02"], 1),
    "empty.csv": ([], "is empty"),
    "header_only.csv": ([], "no rows"),
    "html_saved_as.csv": ([], "web page"),
    "binary_garbage.csv": ([], "binary"),
    "no_coordinate_columns.csv": ([], "no longitude column"),
    "unknown_categories.csv": ([], 3),
    "duplicates.csv": ([], 4),
    "good.geojson": ([], 3),
    "good_swapped.geojson": ([], 3),
    "truncated.geojson": ([], "not valid JSON"),
    "deeply_nested.json": ([], "nested too deeply"),
    "not_geodata.json": ([], "not readable geodata"),
    "invalid_polygon.geojson": ([], 1),
    "null_geometry.geojson": ([], 1),
    "two_layers.gpkg": ([], 3),
    "truncated.gpkg": ([], "truncated.gpkg"),
    "fake.gpkg": ([], "not a GeoPackage"),
    "shapefile_folder": ([], 3),
    "shapefile.zip": ([], 3),
    "zip_without_shapefile.zip": ([], "holds no shapefile"),
    "shapefile_projected_no_prj.zip": ([], "no CRS"),
    "good.kml": ([], 3),
    "good.kmz": ([], 3),
    "broken.kml": ([], "broken.kml"),
    "fake.xlsx": ([], "not a real Excel"),
    "good.xlsx": ([], 3),
    "report.docx": ([], "unsupported file type"),
    "polygons_as_facilities.geojson": ([], 1),
    "streets.osm": (["--layer", "roads"], 3),
    "streets.pbf": (["--layer", "roads"], 3),
    "not_osm.osm": (["--layer", "roads"], "not an OpenStreetMap XML file"),
    "fake.pbf": (["--layer", "roads"], "not an OpenStreetMap PBF file"),
    "roads.geojson": (["--layer", "roads"], 2),
    "boundaries.geojson": (["--layer", "boundaries"], 2),
}


def test_corpus_is_complete():
    files = {p.name for p in CORPUS.iterdir() if p.name != "make_corpus.py"}
    assert files == set(OUTCOMES)
    assert len(files) >= 30


@pytest.mark.parametrize("name", sorted(OUTCOMES))
def test_corpus_file_from_the_command_line(name, tmp_path, capsys):
    project = tmp_path / "p.gpkg"
    shutil.copy(BUNDLED, project)
    before = project.read_bytes()
    options, expected = OUTCOMES[name]
    # the bundled project already holds some corpus rows: duplicates have their own tests
    code = run(["import", str(CORPUS / name), "--project", str(project), "--allow-duplicates",
                *options])
    out, err = capsys.readouterr()
    layer = options[options.index("--layer") + 1] if "--layer" in options else "facilities"
    already = {"facilities": 23}.get(layer, 0)
    if isinstance(expected, int):
        assert code == 0, err
        after = open_project(project).layer(layer)
        assert len(after) == already + expected
        assert "imported" in out
    else:
        assert code == 2
        assert expected in err
        assert err.count("\n") == 1 and "Traceback" not in err
        assert project.read_bytes() == before  # the project is untouched


def _imported(name, **kwargs):
    raw, report = read_import(CORPUS / name, **kwargs)
    return to_layer_frame(raw, "facilities", report), report


def test_gbk_names_are_intact():
    frame, report = _imported("gbk_excel.csv")
    assert report.encoding == "gb18030"
    assert list(frame["name"]) == ["翠苑一区社区老年食堂", "人人坞党群服务站", "耐火小区充电棚"]
    assert list(frame["category"]) == ["canteen", "service_station", "charging_shed"]


def test_swapped_coordinates_end_up_in_the_right_place():
    frame, report = _imported("swapped_lonlat.csv")
    good, _ = _imported("good_utf8.csv")
    assert report.swapped == 3 and any("swapped" in w for w in report.warnings)
    for a, b in zip(frame.geometry, good.geometry, strict=True):
        assert a.equals_exact(b, 1e-9)


def test_cgcs2000_gauss_kruger_is_transformed():
    frame, report = _imported("cgcs2000_gk_zone40.csv", crs="EPSG:4528")
    pt = frame.geometry.iloc[0]
    assert 119.9 < pt.x < 120.1 and 30.0 < pt.y < 30.5  # zone 40 is centred on 120°E
    assert "4528" in report.crs


def test_gcj02_is_converted():
    frame, _ = _imported("amap_gcj02.csv", gcj02=True)
    raw, _ = _imported("amap_gcj02.csv")
    shift = haversine_m(frame.geometry.x, frame.geometry.y, raw.geometry.x, raw.geometry.y)
    assert 200 < shift[0] < 700


def test_unknown_categories_are_reported_as_other():
    frame, report = _imported("unknown_categories.csv")
    assert list(frame["category"]) == ["other", "other", "canteen"]
    assert report.unknown_categories == {"理发": 1, "???": 1}


def test_repairs_and_skips_are_counted():
    _, report = _imported("invalid_polygon.geojson")
    assert report.repaired == 1
    _, report = _imported("null_geometry.geojson")
    assert report.skipped == 1
    _, report = _imported("text_in_coords.csv")
    assert report.skipped == 1


def test_osm_extract_keeps_only_walkable_ways():
    raw, report = read_import(CORPUS / "streets.osm")
    roads = to_layer_frame(raw, "roads", report)
    assert sorted(roads["kind"]) == ["footway", "path", "residential"]
    assert "文一路" in set(roads["name"])
    assert report.skipped == 3  # the motorway, the river and the service road with foot=no


def test_boundaries_take_the_community_name_and_are_repaired():
    raw, report = read_import(CORPUS / "boundaries.geojson")
    frame = to_layer_frame(raw, "boundaries", report)
    assert list(frame["community"]) == ["翠苑一区", "耐火小区"]
    assert report.repaired == 1
    assert shapely.is_valid(frame.geometry.to_numpy()).all()
    assert set(frame.geom_type) <= {"Polygon", "MultiPolygon"}


def test_points_are_not_roads():
    raw, report = read_import(CORPUS / "good.geojson")
    with pytest.raises(ImportFailure, match="no lines"):
        to_layer_frame(raw, "roads", report)


@pytest.mark.parametrize("lon,lat", [(75.99, 39.47), (126.63, 45.75), (109.51, 18.25),
                                     (120.16, 30.27), (91.13, 29.65), (116.4, 39.9),
                                     (87.6, 43.8), (113.26, 23.13)])
def test_gcj02_round_trip_under_half_a_metre(lon, lat):
    g = wgs84_to_gcj02(np.array([lon]), np.array([lat]))
    assert haversine_m(lon, lat, *g)[0] > 100  # a real offset inside China
    w = gcj02_to_wgs84(*g)
    assert haversine_m(lon, lat, *w)[0] < 0.5


def test_gcj02_leaves_neighbours_alone():
    for lon, lat in [(90.5, 27.5), (85.3, 27.7), (126.98, 37.57), (139.7, 35.7)]:
        g = wgs84_to_gcj02(np.array([lon]), np.array([lat]))
        assert haversine_m(lon, lat, *g)[0] == 0  # Bhutan, Nepal, Seoul, Tokyo


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000),
       suffix=st.sampled_from([".csv", ".geojson", ".json", ".kml", ".gpkg", ".xlsx", ".zip",
                               ".txt", ".osm", ".pbf"]))
def test_random_bytes_raise_only_our_error(tmp_path, data, suffix):
    path = tmp_path / f"random{suffix}"
    path.write_bytes(data)
    try:
        raw, report = read_import(path)
        to_layer_frame(raw, "facilities", report)
    except ImportFailure as exc:
        assert "\n" not in str(exc)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=0, max_value=2000), flip=st.integers(min_value=0, max_value=255),
       where=st.integers(min_value=0, max_value=2000),
       name=st.sampled_from(["good_utf8.csv", "good.geojson", "good.kml", "gbk_excel.csv",
                             "streets.osm"]))
def test_mutated_valid_files_raise_only_our_error(tmp_path, cut, flip, where, name):
    data = bytearray((CORPUS / name).read_bytes())
    if data:
        data[where % len(data)] = flip
    data = bytes(data[: max(1, len(data) - cut)])
    path = tmp_path / f"mutated{(CORPUS / name).suffix}"
    path.write_bytes(data)
    try:
        raw, report = read_import(path)
        frame = to_layer_frame(raw, "facilities", report)
        assert shapely.is_valid(frame.geometry.to_numpy()).all()
    except ImportFailure as exc:
        assert "\n" not in str(exc)
