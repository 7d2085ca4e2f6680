"""Importing a file twice does not double the project: duplicates are skipped and counted."""

from __future__ import annotations

import json

import geopandas as gpd
import pyproj
import pytest
import shapely

from benchmarks.synthetic import facilities as synthetic_facilities
from layers.cli import run
from layers.io.duplicates import drop_duplicates, find_duplicates
from layers.io.importing import read_import, to_layer_frame
from layers.model.project import Project
from layers.store import open_project, save_as
from tests.conftest import REPO

CORPUS = REPO / "tests" / "import_corpus"
GEOD = pyproj.Geod(ellps="WGS84")


def _empty_project(tmp_path):
    path = tmp_path / "empty.gpkg"
    save_as(Project(), path)
    return path


def _import(project, path, *options):
    return run(["import", str(path), "--project", str(project), *options])


def _csv(path, rows):
    lines = ["name,category,lon,lat"] + [f"{n},{c},{x!r},{y!r}" for n, c, x, y in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _moved(lon, lat, metres, azimuth=45.0):
    x, y, _ = GEOD.fwd(lon, lat, azimuth, metres)
    return float(x), float(y)


def test_importing_the_same_file_twice_adds_its_rows_once(tmp_path, capsys):
    project = _empty_project(tmp_path)
    assert _import(project, CORPUS / "unknown_categories.csv") == 0
    capsys.readouterr()
    assert _import(project, CORPUS / "unknown_categories.csv") == 0
    out = capsys.readouterr().out
    assert len(open_project(project).facilities) == 3
    lines = [line for line in out.splitlines() if "already in the project" in line]
    assert len(lines) == 1
    assert "skipped 3 rows already in the project" in lines[0]
    assert "--allow-duplicates" in lines[0]
    # asked for, they are imported, and the line still says so
    assert _import(project, CORPUS / "unknown_categories.csv", "--allow-duplicates") == 0
    out = capsys.readouterr().out
    assert len(open_project(project).facilities) == 6
    assert sum("already in the project" in line for line in out.splitlines()) == 1


def test_same_name_and_category_within_30_m_is_the_same_facility(tmp_path, capsys):
    project = _empty_project(tmp_path)
    _import(project, _csv(tmp_path / "first.csv", [("社区食堂", "食堂", 120.15, 30.28)]))
    near, far = _moved(120.15, 30.28, 20), _moved(120.15, 30.28, 40, azimuth=-135.0)
    second = _csv(tmp_path / "second.csv", [
        ("社区食堂", "食堂", *near),  # 20 m away: the same canteen
        ("社区食堂", "食堂", *far),  # 40 m away: another one
        ("社区食堂", "咖啡馆", 120.15, 30.28),  # same place, another category
        ("另一个食堂", "食堂", 120.15, 30.28),  # same place, another name
    ])
    capsys.readouterr()
    assert _import(project, second) == 0
    out = capsys.readouterr().out
    assert "skipped 1 row already in the project" in out
    frame = open_project(project).facilities.frame
    assert len(frame) == 4
    assert sorted(frame["category"]) == ["cafe", "canteen", "canteen", "canteen"]


def test_same_source_and_name_is_the_same_facility_even_when_moved(tmp_path, capsys):
    """The same file imported again after its positions were corrected by 500 m."""
    project = _empty_project(tmp_path)
    folder = tmp_path / "again"
    folder.mkdir()
    _import(project, _csv(tmp_path / "canteens.csv", [("社区食堂", "食堂", 120.15, 30.28)]))
    moved = _csv(folder / "canteens.csv", [("社区食堂", "食堂", *_moved(120.15, 30.28, 500))])
    capsys.readouterr()
    assert _import(project, moved) == 0
    assert "skipped 1 row already in the project" in capsys.readouterr().out
    frame = open_project(project).facilities.frame
    assert len(frame) == 1 and list(frame["source"]) == ["canteens.csv"]


def test_rows_repeated_within_the_file_are_skipped_and_counted(tmp_path, capsys):
    project = _empty_project(tmp_path)
    assert _import(project, CORPUS / "duplicates.csv") == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if "repeated in the file" in line]
    assert len(lines) == 1 and "skipped 1 row repeated in the file" in lines[0]
    assert len(open_project(project).facilities) == 3
    assert _import(project, CORPUS / "duplicates.csv", "--allow-duplicates") == 0
    assert len(open_project(project).facilities) == 7


def test_communities_are_matched_by_name_and_place(tmp_path, capsys):
    project = _empty_project(tmp_path)
    rows = [("翠苑一区", "", 120.1336, 30.2866), ("耐火小区", "", 112.9541, 27.8625)]
    _import(project, _csv(tmp_path / "a.csv", rows), "--layer", "communities")
    _import(project, _csv(tmp_path / "b.csv", rows), "--layer", "communities")
    assert "skipped 2 rows already in the project" in capsys.readouterr().out
    assert len(open_project(project).communities) == 2


def test_matching_scales_to_a_city_of_existing_facilities():
    existing = synthetic_facilities(100_000)
    again = existing.iloc[::100].copy()  # 1,000 of them, imported again from another source
    again["source"] = "another.csv"
    moved = again.copy()
    moved["geometry"] = moved.geometry.translate(xoff=0.001)  # about 96 m east
    found = find_duplicates(again, existing, "facilities")
    assert found.in_project.all() and not found.in_file.any()
    found = find_duplicates(moved, existing, "facilities")
    assert not found.in_project.any()


def test_the_filter_reports_into_the_import_report():
    raw, report = read_import(CORPUS / "duplicates.csv")
    frame = to_layer_frame(raw, "facilities", report)
    kept = drop_duplicates(frame, None, "facilities", report)
    assert len(kept) == 3 and report.imported == 3 and report.duplicates == 1
    assert sum("repeated in the file" in w for w in report.warnings) == 1
    assert "duplicates 1" in report.summary()


@pytest.mark.parametrize("layer", ["roads", "boundaries"])
def test_importing_the_same_roads_or_boundaries_twice_adds_them_once(tmp_path, capsys, layer):
    project = _empty_project(tmp_path)
    source = CORPUS / f"{layer}.geojson"
    assert _import(project, source, "--layer", layer) == 0
    assert len(open_project(project).layer(layer)) == 2
    capsys.readouterr()
    assert _import(project, source, "--layer", layer) == 0
    out = capsys.readouterr().out
    assert len(open_project(project).layer(layer)) == 2
    assert "imported 0," in out.splitlines()[0]
    lines = [line for line in out.splitlines() if "already in the project" in line]
    assert len(lines) == 1
    assert "skipped 2 rows already in the project" in lines[0]
    assert "--allow-duplicates" in lines[0]
    assert _import(project, source, "--layer", layer, "--allow-duplicates") == 0
    assert len(open_project(project).layer(layer)) == 4


def _roads(*rows):
    return gpd.GeoDataFrame({"name": [name for name, _ in rows]},
                            geometry=[shapely.from_wkt(wkt) for _, wkt in rows], crs=4326)


def test_a_road_is_matched_by_name_and_shape_whichever_way_it_is_drawn():
    existing = _roads(("文二路", "LINESTRING (120.13 30.28, 120.135 30.28, 120.14 30.281)"))
    nudge = 0.3 / 111_320  # 0.3 m: a coordinate rounded by another tool
    new = _roads(
        ("文二路", "LINESTRING (120.14 30.281, 120.135 30.28, 120.13 30.28)"),  # backwards
        ("文二路", "MULTILINESTRING ((120.13 30.28, 120.135 30.28), "
                   "(120.135 30.28, 120.14 30.281))"),  # in two parts
        ("文二路", f"LINESTRING (120.13 {30.28 + nudge}, 120.135 30.28, 120.14 30.281)"),
        ("文二路", "LINESTRING (120.13 30.28, 120.135 30.28)"),  # only half of it
        ("文二路", "LINESTRING (120.13 30.2801, 120.135 30.2801, 120.14 30.2811)"),  # 11 m off
        ("学院路", "LINESTRING (120.13 30.28, 120.135 30.28, 120.14 30.281)"),  # other name
    )
    found = find_duplicates(new, existing, "roads")
    assert found.in_project.tolist() == [True, True, True, False, False, False]


def test_a_boundary_repeated_in_the_file_is_imported_once(tmp_path, capsys):
    square = [[120.13, 30.28], [120.14, 30.28], [120.14, 30.29], [120.13, 30.29], [120.13, 30.28]]
    from_another_corner = square[1:] + square[1:2]
    features = [{"type": "Feature", "properties": {"社区": name},
                 "geometry": {"type": "Polygon", "coordinates": [ring]}}
                for name, ring in (("翠苑一区", square), ("翠苑一区", from_another_corner),
                                   ("翠苑二区", square))]
    path = tmp_path / "areas.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}),
                    encoding="utf-8")
    project = _empty_project(tmp_path)
    assert _import(project, path, "--layer", "boundaries") == 0
    out = capsys.readouterr().out
    assert "skipped 1 row repeated in the file" in out
    assert sorted(open_project(project).layer("boundaries").frame["community"]) == [
        "翠苑一区", "翠苑二区"]


def test_unknown_categories_are_counted_over_the_rows_imported_only(tmp_path, capsys):
    project = _empty_project(tmp_path)
    barber = _csv(tmp_path / "barber.csv", [("理发店", "理发", 120.13, 30.28)])
    assert _import(project, barber) == 0
    assert "unknown categories (imported as other): 理发 ×1" in capsys.readouterr().out
    # the barber is skipped as a duplicate: only the other unknown label was imported
    assert _import(project, CORPUS / "unknown_categories.csv") == 0
    out = capsys.readouterr().out
    assert "skipped 1 row already in the project" in out
    lines = [line for line in out.splitlines() if "unknown categories" in line]
    assert lines == ["unknown categories (imported as other): ??? ×1"]
    # all skipped: nothing was imported as other, so no line says so
    assert _import(project, CORPUS / "unknown_categories.csv") == 0
    assert "unknown categories" not in capsys.readouterr().out
    notes = open_project(project).facilities.frame.set_index("name")["notes"]
    assert notes["理发店"] == "原类别: 理发" and notes["奇怪设施"] == "原类别: ???"


def test_report_counts_unknown_categories_of_the_kept_rows():
    raw, report = read_import(CORPUS / "unknown_categories.csv")
    frame = to_layer_frame(raw, "facilities", report)
    existing = frame.iloc[[0]]  # the barber is in the project already
    kept = drop_duplicates(frame, existing, "facilities", report)
    assert len(kept) == 2 and report.imported == 2
    assert report.unknown_categories == {"???": 1}
