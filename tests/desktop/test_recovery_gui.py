"""Restoring after a crash: a bad recovery file is refused whole, in one line, before asking."""

from __future__ import annotations

import geopandas as gpd
import pyogrio
import shapely
from PySide6.QtWidgets import QMessageBox

from layers.io.recovery import recovery_path, write_recovery
from layers.store import open_project
from tests.desktop.test_editing import when_modal


def test_a_recovery_file_naming_an_unknown_layer_changes_nothing(make_window, bundled_copy):
    crashed = open_project(bundled_copy)
    crashed.facilities.add_features({"name": "崩溃前的编辑", "category": "canteen",
                                     "geometry": shapely.Point(120.133, 30.285)})
    rec = recovery_path(bundled_copy)
    write_recovery(crashed, rec)
    pyogrio.write_dataframe(gpd.GeoDataFrame({"id": ["x"]}, geometry=[
        shapely.Point(120.1, 30.2)], crs=4326), rec, layer="mystery")
    window = make_window(bundled_copy)
    seen = []

    def read_and_close(box):
        seen.append((box.windowTitle(), box.text()))
        box.button(QMessageBox.StandardButton.Ok).click()

    when_modal(read_and_close)
    assert not window.offer_recovery()
    # one warning, one line, naming the layer; no "restore?" question was asked
    assert len(seen) == 1
    title, text = seen[0]
    assert "mystery" in text and "\n" not in text
    # nothing was half-applied: the facilities are the saved ones, nothing to undo
    names = set(window.project.facilities.frame["name"])
    assert "崩溃前的编辑" not in names
    assert len(window.project.facilities) == 23
    assert not window.project.modified
    assert window.editor.stack.count() == 0


def _restore(window) -> None:
    when_modal(lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    assert window.offer_recovery()


def test_restoring_puts_each_edit_back_and_undo_takes_it_away(make_window, bundled_copy):
    crashed = open_project(bundled_copy)
    edited, gone = crashed.facilities.ids[3], crashed.facilities.ids[5]
    crashed.facilities.update_attributes(edited, {"name": "崩溃前改名"})
    crashed.facilities.move_feature(edited, shapely.Point(120.2, 30.3))
    crashed.facilities.remove_features([gone])
    crashed.facilities.add_features({"name": "崩溃前新增", "category": "canteen",
                                     "geometry": shapely.Point(120.133, 30.285)})
    write_recovery(crashed, recovery_path(bundled_copy))
    window = make_window(bundled_copy)
    _restore(window)
    layer = window.project.facilities
    assert layer.feature(edited)["name"] == "崩溃前改名"
    assert layer.feature(edited)["geometry"].equals(shapely.Point(120.2, 30.3))
    assert not layer.has_feature(gone)
    assert "崩溃前新增" in set(layer.frame["name"]) and len(layer) == 23
    window.editor.stack.undo()
    assert layer.feature(edited)["name"] != "崩溃前改名" and layer.has_feature(gone)
    assert len(layer) == 23 and "崩溃前新增" not in set(layer.frame["name"])
    window.editor.stack.redo()
    assert window.files.save()
    saved = open_project(bundled_copy).facilities
    assert saved.feature(edited)["name"] == "崩溃前改名" and not saved.has_feature(gone)
    assert len(saved) == 23


def test_a_restored_edit_of_a_row_somebody_saved_since_is_a_conflict(make_window,
                                                                      bundled_copy):
    crashed = open_project(bundled_copy)
    fid = crashed.facilities.ids[3]
    crashed.facilities.update_attributes(fid, {"name": "崩溃前改名"})
    write_recovery(crashed, recovery_path(bundled_copy))
    other = open_project(bundled_copy)
    other.facilities.update_attributes(fid, {"name": "别人后来改的"})
    other.save()
    window = make_window(bundled_copy)
    _restore(window)
    from layers.model.changes import ConflictError

    try:
        window.project.save()
    except ConflictError as exc:
        assert exc.conflicts[0].theirs["name"] == "别人后来改的"
    else:
        raise AssertionError("the restored edit overwrote a later save")
