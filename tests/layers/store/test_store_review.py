"""A review of the in-place store: undo/redo and save, other programs' rows, odd files."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import geopandas as gpd
import pyogrio
import pytest
import shapely

from layers.io.project_file import read_project_file
from layers.model.changes import ConflictError
from layers.model.layer import FeatureLayer, empty_frame
from layers.model.schema import SCHEMAS
from layers.store import open_project
from layers.store.geometry_blobs import from_blob, register_functions
from tests.conftest import REPO


def _facility(name: str, lon: float = 120.13, lat: float = 30.28) -> dict:
    return {"name": name, "category": "canteen", "geometry": shapely.Point(lon, lat)}


def _roads(*names: str) -> gpd.GeoDataFrame:
    lines = [shapely.LineString([(120.1 + i * 0.01, 30.2), (120.1 + i * 0.01, 30.21)])
             for i in range(len(names))]
    return gpd.GeoDataFrame({"name": list(names)}, geometry=lines, crs=4326)


def _sound(path, layer: str) -> int:
    """Check the file as GDAL and SQLite see it; return the layer's row count."""
    with sqlite3.connect(path) as con:
        register_functions(con)
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        geom = con.execute("SELECT column_name FROM gpkg_geometry_columns "
                           "WHERE table_name = ?", (layer,)).fetchone()[0]
        rows = dict(con.execute(f'SELECT fid, "{geom}" FROM "{layer}"'))
        rtree = {r[0]: r[1:] for r in con.execute(
            f'SELECT id, minx, maxx, miny, maxy FROM "rtree_{layer}_{geom}"')}
    drawn = {fid for fid, blob in rows.items() if blob is not None}
    assert set(rtree) == drawn  # the spatial index holds exactly the rows with a position
    for fid in drawn:
        x0, y0, x1, y1 = from_blob(rows[fid]).bounds
        minx, maxx, miny, maxy = rtree[fid]
        assert minx <= x0 + 1e-4 and maxx >= x1 - 1e-4 and miny <= y0 + 1e-4
        assert maxy >= y1 - 1e-4
    assert pyogrio.read_info(path, layer=layer)["features"] == len(rows)
    assert len(pyogrio.read_dataframe(path, layer=layer)) == len(rows)
    return len(rows)


def _versioned(project) -> None:
    """Save one edit so the file carries row versions and the triggers."""
    project.facilities.update_attributes(project.facilities.ids[1], {"address": "先存一次"})
    project.save()


# ----- undo, redo and save ---------------------------------------------------
def test_undoing_an_import_that_made_a_layer_after_saving_empties_it_in_the_file(bundled_copy):
    # import roads (the layer is made by the import), save, undo the import, save
    project = open_project(bundled_copy)
    project.add_layer(FeatureLayer("roads", empty_frame(SCHEMAS["roads"])))
    roads = project.layer("roads")
    ids = roads.add_features(_roads("一路", "二路"))
    project.save()
    assert _sound(bundled_copy, "roads") == 2
    roads.remove_features(ids)  # AddFeaturesCommand.undo
    project.remove_layer("roads")
    project.save()
    assert _sound(bundled_copy, "roads") == 0
    again = open_project(bundled_copy)
    assert not again.has_layer("roads") or len(again.layer("roads")) == 0


def test_a_layer_added_and_undone_before_any_save_is_not_created(bundled_copy):
    project = open_project(bundled_copy)
    project.add_layer(FeatureLayer("roads", empty_frame(SCHEMAS["roads"])))
    ids = project.layer("roads").add_features(_roads("一路"))
    project.layer("roads").remove_features(ids)
    project.remove_layer("roads")
    project.save()
    assert "roads" not in pyogrio.list_layers(bundled_copy)[:, 0]


def test_redoing_an_add_after_saving_does_not_overwrite_their_edit(bundled_copy):
    mine = open_project(bundled_copy)
    [fid] = mine.facilities.add_features(_facility("我的新食堂"))
    added = mine.facilities.frame.iloc[[mine.facilities.row_of(fid)]].copy()
    mine.save()
    theirs = open_project(bundled_copy)
    theirs.facilities.update_attributes(fid, {"address": "他们补的地址"})
    theirs.save()
    mine.facilities.remove_features([fid])  # undo the add
    mine.facilities.add_features(added)  # and redo it
    with pytest.raises(ConflictError) as info:
        mine.save()
    [conflict] = info.value.conflicts
    assert conflict.id == fid and conflict.theirs["address"] == "他们补的地址"
    with sqlite3.connect(bundled_copy) as con:
        assert con.execute("SELECT address FROM facilities WHERE id = ?",
                           (fid,)).fetchone() == ("他们补的地址",)


def test_add_save_undo_save_and_delete_save_undo_save_keep_the_file_sound(bundled_copy):
    project = open_project(bundled_copy)
    facilities = project.facilities
    [fid] = facilities.add_features(_facility("新"))
    project.save()
    facilities.remove_features([fid])
    project.save()
    assert _sound(bundled_copy, "facilities") == 23
    gone = facilities.ids[0]
    removed = facilities.remove_features([gone])
    project.save()
    facilities.restore_features(removed)
    project.save()
    facilities.move_feature(gone, shapely.Point(121.0, 31.0))
    facilities.update_attributes(gone, {"name": "挪过又改名"})
    project.save()
    assert _sound(bundled_copy, "facilities") == 23
    again = open_project(bundled_copy).facilities.feature(gone)
    assert again["name"] == "挪过又改名" and again["geometry"].equals(shapely.Point(121, 31))


# ----- rows other programs write -------------------------------------------------
def test_a_point_another_program_adds_without_an_id_is_not_doubled(bundled_copy):
    mine = open_project(bundled_copy)
    _versioned(mine)
    # QGIS adds a point and leaves the id field empty
    drawn = gpd.GeoDataFrame({"name": ["QGIS画的点"], "category": ["canteen"]},
                             geometry=[shapely.Point(120.3, 30.3)], crs=4326)
    pyogrio.write_dataframe(drawn, bundled_copy, layer="facilities", append=True)
    mine.facilities.update_attributes(mine.facilities.ids[2], {"address": "再存一次"})
    mine.save()  # takes in their point
    [fid] = mine.facilities.frame.loc[mine.facilities.frame["name"] == "QGIS画的点", "id"]
    mine.facilities.update_attributes(fid, {"address": "补上地址"})
    mine.save()
    with sqlite3.connect(bundled_copy) as con:
        rows = con.execute("SELECT id, address FROM facilities WHERE name = 'QGIS画的点'")
        assert rows.fetchall() == [(fid, "补上地址")]
    assert _sound(bundled_copy, "facilities") == 24


def test_a_copy_pasted_row_is_not_overwritten_by_an_edit_of_the_original(bundled_copy):
    mine = open_project(bundled_copy)
    original = mine.facilities.ids[3]
    mine.facilities.update_attributes(original, {"address": "原来的地址"})
    mine.save()  # the original now carries a row version
    # QGIS copies the facility and pastes it as a new branch: same id, same row_version
    frame = pyogrio.read_dataframe(bundled_copy, layer="facilities", use_arrow=True)
    branch = frame[frame["id"] == original].copy()
    branch["name"] = "QGIS新分店"
    branch = branch.set_geometry(gpd.GeoSeries([shapely.Point(120.5, 30.5)], crs=4326,
                                               index=branch.index))
    pyogrio.write_dataframe(branch, bundled_copy, layer="facilities", append=True,
                            use_arrow=True)
    mine.facilities.update_attributes(original, {"address": "我改的地址"})
    mine.save()
    with sqlite3.connect(bundled_copy) as con:
        rows = con.execute("SELECT id, address FROM facilities WHERE name = 'QGIS新分店'")
        [(branch_id, address)] = rows.fetchall()
    assert address == "原来的地址" and branch_id != original
    assert "QGIS新分店" in set(mine.facilities.frame["name"])  # merged in, with its own id
    assert _sound(bundled_copy, "facilities") == 24


def test_a_file_saved_by_the_first_in_place_store_gets_the_current_triggers(bundled_copy):
    mine = open_project(bundled_copy)
    _versioned(mine)
    with sqlite3.connect(bundled_copy) as con:  # the insert trigger as first released
        con.execute('DROP TRIGGER "fm_facilities_inserted"')
        con.execute(
            'CREATE TRIGGER "fm_facilities_inserted" AFTER INSERT ON "facilities" '
            "WHEN NEW.row_version = 0 BEGIN UPDATE facility_mapper_meta SET value = value + 1 "
            "WHERE key = 'revision'; UPDATE \"facilities\" SET row_version = (SELECT value "
            "FROM facility_mapper_meta WHERE key = 'revision') WHERE \"fid\" = NEW.\"fid\"; END")
    again = open_project(bundled_copy)
    _versioned(again)
    drawn = gpd.GeoDataFrame({"name": ["QGIS画的点"], "category": ["canteen"]},
                             geometry=[shapely.Point(120.3, 30.3)], crs=4326)
    pyogrio.write_dataframe(drawn, bundled_copy, layer="facilities", append=True)
    with sqlite3.connect(bundled_copy) as con:
        [(fid,)] = con.execute("SELECT id FROM facilities WHERE name = 'QGIS画的点'")
    assert fid and open_project(bundled_copy).notes == []


def test_two_windows_repairing_the_same_row_without_an_id_show_it_once(bundled_copy):
    with sqlite3.connect(bundled_copy) as con:  # a point QGIS added without an id
        register_functions(con)
        con.execute("UPDATE facilities SET id = NULL WHERE fid = 3")
    first, second = open_project(bundled_copy), open_project(bundled_copy)
    first.save()
    second.facilities.update_attributes(second.facilities.ids[0], {"address": "第二个窗口"})
    second.save()
    first.facilities.update_attributes(first.facilities.ids[1], {"address": "第一个窗口"})
    first.save()  # takes in what the second window saved
    assert len(first.facilities) == len(open_project(bundled_copy).facilities) == 23


def test_a_row_both_windows_gave_an_id_and_one_edited_is_a_conflict(bundled_copy):
    with sqlite3.connect(bundled_copy) as con:
        register_functions(con)
        con.execute("UPDATE facilities SET id = NULL WHERE fid = 3")
    first, second = open_project(bundled_copy), open_project(bundled_copy)
    first.save()
    [row] = second.facilities.frame.index[second.facilities.frame["name"]
                                          == first.facilities.frame["name"].iat[2]]
    mine = second.facilities.ids[row]
    second.facilities.update_attributes(mine, {"address": "第二个窗口写的"})
    with pytest.raises(ConflictError) as info:
        second.save()
    [conflict] = info.value.conflicts
    assert conflict.mine["address"] == "第二个窗口写的"
    second.keep_mine(conflict)
    second.save()
    saved = open_project(bundled_copy).facilities
    assert len(saved) == 23 and saved.feature(mine)["address"] == "第二个窗口写的"


# ----- files other tools wrote ------------------------------------------------------
def test_a_new_layer_saves_into_a_file_without_gpkg_ogr_contents(bundled_copy):
    with sqlite3.connect(bundled_copy) as con:  # as tools other than GDAL write GeoPackages
        for table in ("facilities", "communities"):
            con.execute(f"DROP TRIGGER trigger_insert_feature_count_{table}")
            con.execute(f"DROP TRIGGER trigger_delete_feature_count_{table}")
        con.execute("DROP TABLE gpkg_ogr_contents")
    project = open_project(bundled_copy)
    project.add_layer(FeatureLayer("roads", empty_frame(SCHEMAS["roads"])))
    project.layer("roads").add_features(_roads("一路"))
    project.save()
    assert _sound(bundled_copy, "roads") == 1


def test_a_new_layer_saves_into_a_file_with_the_crs_wkt_extension(bundled_copy):
    with sqlite3.connect(bundled_copy) as con:  # GDAL adds this column for WKT2 CRSs
        con.execute("ALTER TABLE gpkg_spatial_ref_sys ADD COLUMN definition_12_063 TEXT "
                    "NOT NULL DEFAULT 'undefined'")
    project = open_project(bundled_copy)
    project.add_layer(FeatureLayer("roads", empty_frame(SCHEMAS["roads"])))
    project.layer("roads").add_features(_roads("一路"))
    project.save()
    assert _sound(bundled_copy, "roads") == 1


def test_a_file_whose_key_and_geometry_columns_have_other_names(bundled_copy, tmp_path):
    # QGIS or ogr2ogr with -lco FID=objectid -lco GEOMETRY_NAME=shape
    other = tmp_path / "other.gpkg"
    for layer, frame in read_project_file(bundled_copy).frames.items():
        pyogrio.write_dataframe(frame, other, layer=layer, use_arrow=True,
                                layer_options={"FID": "objectid", "GEOMETRY_NAME": "shape"})
    mine, theirs = open_project(other), open_project(other)
    fid = mine.facilities.ids[4]
    theirs.facilities.update_attributes(fid, {"name": "他们的名字"})
    theirs.save()
    mine.facilities.move_feature(fid, shapely.Point(120.2, 30.2))
    with pytest.raises(ConflictError) as info:
        mine.save()
    [conflict] = info.value.conflicts
    assert "objectid" not in conflict.theirs  # the row key is no field to choose
    mine.keep_mine(conflict)
    mine.save()
    with sqlite3.connect(other) as con:
        register_functions(con)
        assert con.execute("SELECT count(*) FROM facilities").fetchone()[0] == 23
        [(blob,)] = con.execute("SELECT shape FROM facilities WHERE id = ?", (fid,))
    assert from_blob(blob).equals(shapely.Point(120.2, 30.2))
    assert pyogrio.read_info(other, layer="facilities")["features"] == 23


# ----- the command line -------------------------------------------------------------
def test_import_into_a_project_with_a_row_without_an_id(bundled_copy, tmp_path):
    with sqlite3.connect(bundled_copy) as con:  # a point QGIS added without an id
        register_functions(con)
        con.execute("UPDATE facilities SET id = NULL WHERE fid = 3")
    csv = tmp_path / "one.csv"
    csv.write_text("name,category,lon,lat\n新食堂,食堂,120.13,30.28\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(REPO / "main.py"), "import", "--project",
                           str(bundled_copy), str(csv)], cwd=REPO, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert len(open_project(bundled_copy).facilities) == 24


# ----- edits made while a save takes in others' rows -----------------------------------
def test_circles_kept_in_line_with_pulled_facilities_are_saved(bundled_copy):
    from layers.analysis.circle_upkeep import CircleRecipe, keep_circles

    mine = open_project(bundled_copy)
    recipe = CircleRecipe(minutes=10.0, radius_m=800.0)
    circles = FeatureLayer("service_circles", empty_frame(SCHEMAS["service_circles"]))
    mine.add_layer(circles)
    keep_circles(circles, mine.facilities.frame, recipe)
    mine.save()
    # as the desktop's circle upkeep does: every facility change remakes its circle
    mine.facilities.features_changed.connect(
        lambda event: keep_circles(circles, mine.facilities.frame, recipe,
                                   None if event.change == "reset" else event.ids))
    theirs = open_project(bundled_copy)
    [fid] = theirs.facilities.add_features(_facility("他们的新食堂"))
    theirs.save()
    mine.communities.update_attributes(mine.communities.ids[0], {"notes": "我的一笔"})
    mine.save()  # takes in their facility; its circle is made in my window
    assert fid in set(circles.frame["facility_id"])
    saved = open_project(bundled_copy).layer("service_circles").frame
    assert fid in set(saved["facility_id"]) or mine.modified


# ----- a file replaced under an open window ---------------------------------------------
def test_a_file_replaced_by_save_as_from_another_window_is_not_merged_into(bundled_copy,
                                                                            tmp_path):
    from layers.model.changes import StoreError
    from layers.store import save_as

    mine = open_project(bundled_copy)
    _versioned(mine)
    copy = tmp_path / "copy.gpkg"
    copy.write_bytes(bundled_copy.read_bytes())
    theirs = open_project(copy)
    removed = theirs.facilities.ids[5]
    theirs.facilities.remove_features([removed])
    save_as(theirs, bundled_copy)  # their copy, saved over the shared file
    mine.facilities.update_attributes(removed, {"address": "我改的"})
    with pytest.raises(StoreError, match="replaced by another program"):
        mine.save()
    assert mine.modified
    assert not open_project(bundled_copy).facilities.has_feature(removed)  # not brought back
