"""Saving edits the GeoPackage in place: only changed rows, nothing else touched."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys

import pyogrio
import pytest
import shapely

from layers.io.project_file import ProjectFileError
from layers.model.changes import StoreBusyError
from layers.store import GeoPackageStore, open_project, save_as
from layers.store.geometry_blobs import register_functions
from tests.conftest import REPO


def _facility(name: str, lon: float = 120.13, lat: float = 30.28) -> dict:
    return {"name": name, "category": "canteen", "geometry": shapely.Point(lon, lat)}


def _names(path) -> list[str]:
    frame = pyogrio.read_dataframe(path, layer="facilities")
    return sorted(frame["name"])


def _run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "main.py"), *args], cwd=REPO,
                          capture_output=True, text=True, timeout=timeout)


def test_attribute_table_named_facilities_is_refused_and_left_alone(bundled_copy, tmp_path):
    # a tool rewrote 'facilities' as a plain table: 23 rows, no geometry
    with sqlite3.connect(bundled_copy) as con:
        con.execute("ALTER TABLE facilities RENAME TO facilities_old")
        con.execute("CREATE TABLE facilities AS SELECT fid, id, name, category "
                    "FROM facilities_old")
        con.execute("UPDATE gpkg_contents SET data_type = 'attributes' "
                    "WHERE table_name = 'facilities'")
        con.execute("DELETE FROM gpkg_geometry_columns WHERE table_name = 'facilities'")
    before = bundled_copy.read_bytes()
    with pytest.raises(ProjectFileError, match="'facilities'.*without geometry"):
        open_project(bundled_copy)
    csv = tmp_path / "one.csv"
    csv.write_text("name,category,lon,lat\n新食堂,食堂,120.13,30.28\n", encoding="utf-8")
    done = _run("import", "--project", str(bundled_copy), str(csv))
    assert done.returncode != 0
    assert len(done.stderr.strip().splitlines()) == 1
    assert "without geometry" in done.stderr
    assert bundled_copy.read_bytes() == before
    with sqlite3.connect(bundled_copy) as con:
        assert con.execute("SELECT count(*) FROM facilities").fetchone()[0] == 23


def test_saving_keeps_foreign_tables_views_and_styles(bundled_copy):
    with sqlite3.connect(bundled_copy) as con:
        con.execute("CREATE TABLE layer_styles (id INTEGER PRIMARY KEY, f_table_name TEXT, "
                    "styleQML TEXT)")
        con.execute("INSERT INTO layer_styles VALUES (1, 'facilities', '<qgis/>')")
        con.execute("CREATE TABLE my_notes (note TEXT)")
        con.execute("INSERT INTO my_notes VALUES ('call the street office')")
        con.execute("CREATE VIEW canteens AS SELECT * FROM facilities WHERE category='canteen'")
    project = open_project(bundled_copy)
    project.facilities.add_features(_facility("新食堂"))
    project.save()
    with sqlite3.connect(bundled_copy) as con:
        assert con.execute("SELECT styleQML FROM layer_styles").fetchall() == [("<qgis/>",)]
        assert con.execute("SELECT note FROM my_notes").fetchall() == [
            ("call the street office",)]
        assert con.execute("SELECT count(*) FROM canteens").fetchone()[0] >= 1
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert "新食堂" in _names(bundled_copy)


def test_symlink_mode_and_inode_survive_a_save(bundled_copy, tmp_path):
    os.chmod(bundled_copy, 0o640)
    link = tmp_path / "shared.gpkg"
    link.symlink_to(bundled_copy)
    inode = bundled_copy.stat().st_ino
    project = open_project(link)
    project.facilities.add_features(_facility("新食堂"))
    project.save()
    assert link.is_symlink()
    assert stat.S_IMODE(bundled_copy.stat().st_mode) == 0o640
    assert bundled_copy.stat().st_ino == inode
    assert "新食堂" in _names(bundled_copy)


def test_a_save_writes_only_the_changed_rows(bundled_copy):
    project = open_project(bundled_copy)
    fid = project.facilities.ids[3]
    project.facilities.update_attributes(fid, {"name": "改名"})
    project.save()
    with sqlite3.connect(bundled_copy) as con:
        versions = dict(con.execute("SELECT id, row_version FROM facilities"))
    assert versions[fid] >= 1
    assert all(v == 0 for k, v in versions.items() if k != fid)
    again = open_project(bundled_copy)
    assert again.facilities.feature(fid)["name"] == "改名"
    assert len(again.facilities) == 23


def test_undo_and_delete_reach_the_file(bundled_copy):
    project = open_project(bundled_copy)
    gone = project.facilities.ids[0]
    removed = project.facilities.remove_features([gone])
    project.save()
    assert len(open_project(bundled_copy).facilities) == 22
    project.facilities.restore_features(removed)
    project.save()
    again = open_project(bundled_copy)
    assert len(again.facilities) == 23 and again.facilities.has_feature(gone)


def test_a_new_layer_is_created_in_place_and_gdal_reads_it(bundled_copy):
    from layers.model.layer import FeatureLayer

    project = open_project(bundled_copy)
    circle = shapely.Point(120.13, 30.28).buffer(0.01)
    layer = FeatureLayer("service_circles", __import__("geopandas").GeoDataFrame(
        {"name": ["圈"], "minutes": [10.0]}, geometry=[circle], crs=4326))
    project.add_layer(layer)
    project.save()
    info = pyogrio.read_info(bundled_copy, layer="service_circles")
    assert info["features"] == 1 and info["geometry_type"] == "MultiPolygon"
    frame = pyogrio.read_dataframe(bundled_copy, layer="service_circles",
                                   bbox=(120.12, 30.27, 120.14, 30.29))
    assert list(frame["name"]) == ["圈"]  # found through the spatial index
    with sqlite3.connect(bundled_copy) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_second_writer_gets_one_line_not_a_lost_row(bundled_copy):
    holder = sqlite3.connect(bundled_copy, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        project = open_project(bundled_copy)
        project.store.busy_timeout = 0.2
        project.facilities.add_features(_facility("新食堂"))
        with pytest.raises(StoreBusyError, match="being written by another program"):
            project.save()
        assert project.modified
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    project.save()
    assert "新食堂" in _names(bundled_copy)


def test_rows_without_an_id_get_one_and_are_not_doubled(bundled_copy):
    with sqlite3.connect(bundled_copy) as con:  # as another tool would add a point
        register_functions(con)
        con.execute("UPDATE facilities SET id = NULL WHERE fid = 2")
        dup = con.execute("SELECT id FROM facilities WHERE fid = 3").fetchone()[0]
        con.execute("UPDATE facilities SET id = ? WHERE fid = 4", (dup,))
    project = open_project(bundled_copy)
    assert any("no id" in n for n in project.notes)
    assert project.modified
    assert len(set(project.facilities.ids)) == 23
    project.save()
    again = open_project(bundled_copy)
    assert len(again.facilities) == 23 and len(set(again.facilities.ids)) == 23
    assert again.notes == []


def test_a_recursive_view_is_never_read(bundled_copy):
    with sqlite3.connect(bundled_copy) as con:
        con.execute("CREATE VIEW forever AS WITH RECURSIVE r(n) AS "
                    "(SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n, NULL AS geom FROM r")
        con.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
                    "VALUES ('forever', 'features', 'forever', 4326)")
        con.execute("INSERT INTO gpkg_geometry_columns VALUES "
                    "('forever', 'geom', 'POINT', 4326, 0, 0)")
    script = (f"from layers.store import open_project; p = open_project({str(bundled_copy)!r}); "
              "print(len(p.facilities), p.notes)")
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "23" in done.stdout and "forever" in done.stdout


def test_save_as_then_save_in_place(tmp_path):
    from layers.model.project import Project

    project = Project()
    project.facilities.add_features(_facility("一"))
    path = save_as(project, tmp_path / "new.gpkg")
    assert isinstance(project.store, GeoPackageStore) and not project.modified
    project.facilities.add_features(_facility("二"))
    project.save()
    assert _names(path) == ["一", "二"]


def test_info_refuses_a_wrong_kind_layer_in_one_line_without_reading_features(bundled_copy):
    with sqlite3.connect(bundled_copy) as con:
        con.execute("UPDATE gpkg_contents SET data_type = 'attributes' "
                    "WHERE table_name = 'facilities'")
        con.execute("DELETE FROM gpkg_geometry_columns WHERE table_name = 'facilities'")
    done = _run("info", "--project", str(bundled_copy))
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [
        "error: layer 'facilities' in project.gpkg is a table without geometry (attributes); "
        "it must be a Point layer"]
