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
