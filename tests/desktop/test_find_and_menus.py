"""Ctrl+F finds any feature by name; right-click menus on the map and on a layer."""

import geopandas as gpd
import pytest
import shapely
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMenu

from desktop.docks.layer_panel import layer_title
from layers.store import open_project


def _pixel(window, layer_name, name):
    layer = window.project.layer(layer_name)
    row = layer.frame[layer.frame["name"] == name].iloc[0]
    point = window.canvas.pixel_of(row.geometry.x, row.geometry.y)
    return row["id"], QPoint(round(point.x()), round(point.y()))


def _type_chinese(widget, text):
    """Type as a Chinese input method does: the chosen characters are committed at once."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def _right_click(qtbot, canvas, pos):
    """Click the right button; Qt then sends the context-menu event a real click brings."""
    qtbot.mouseClick(canvas, Qt.MouseButton.RightButton, pos=pos)
    QApplication.sendEvent(canvas, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos,
                                                     canvas.mapToGlobal(pos)))


def _actions(menu: QMenu) -> dict:
    return {a.objectName(): a for a in menu.actions() if a.objectName()}


def test_ctrl_f_finds_cuiyuan_facilities_then_zooms_and_selects(window, qtbot):
    assert window.navigation.find_dialog is None
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    dialog = window.navigation.find_dialog
    assert dialog is not None and dialog.isVisible()
    _type_chinese(dialog.box, "翠苑一区")
    rows = [[dialog.results.topLevelItem(i).text(c) for c in range(3)]
            for i in range(dialog.results.topLevelItemCount())]
    names = {r[0] for r in rows}
    # the community itself and its six facilities, each with its layer and category
    assert "翠苑一区" in names and "翠苑一区社区老年食堂" in names and len(rows) == 7
    canteen = next(r for r in rows if r[0] == "翠苑一区社区老年食堂")
    assert canteen[1] == layer_title(window.project.facilities)
    assert canteen[2] == "社区/老年食堂"
    assert rows[0][0] == "翠苑一区"  # the exact name first
    assert "7" in dialog.count_label.text()

    _type_chinese(dialog.box, "社区老年食堂")
    assert dialog.results.topLevelItemCount() == 1
    before = window.canvas.view.resolution
    qtbot.keyClick(dialog.box, Qt.Key.Key_Return)
    fac = window.project.facilities
    fid = fac.frame.loc[fac.frame["name"] == "翠苑一区社区老年食堂", "id"].iloc[0]
    assert fac.selected_ids == {fid}
    assert window.canvas.view.resolution < before  # zoomed in on it
    window.canvas.render_now()
    point = window.canvas.pixel_of(*fac.feature(fid)["geometry"].coords[0])
    assert window.canvas.rect().contains(point.toPoint())
    assert window.attributes.table.rowCount() > 0
    assert "翠苑一区社区老年食堂" in window.statusBar().currentMessage()
    dialog.close()


def test_find_box_lists_a_boundary_and_says_how_many(window, qtbot):
    dialog = window.navigation.open_find()
    assert dialog.search("") == 0 and dialog.results.topLevelItemCount() == 0
    assert dialog.search("没有这个名字") == 0
    assert dialog.search("食堂") >= 1
    layers = {dialog.results.topLevelItem(i).text(1)
              for i in range(dialog.results.topLevelItemCount())}
    assert layers == {layer_title(window.project.facilities)}
    dialog.close()


def test_right_click_on_a_facility_offers_its_menu(window, qtbot):
    fid, pos = _pixel(window, "facilities", "翠苑一区社区老年食堂")
    window.navigation.go_to_feature("facilities", fid)
    window.canvas.render_now()
    fid, pos = _pixel(window, "facilities", "翠苑一区社区老年食堂")
    menu = window.context_menus.map_menu(pos.x(), pos.y())
    actions = _actions(menu)
    assert {"identify", "edit", "move", "delete", "zoom_to", "circle"} <= set(actions)
    assert menu.actions()[0].text() == "翠苑一区社区老年食堂"

    actions["identify"].trigger()
    assert window.attributes.table.rowCount() > 0

    actions["circle"].trigger()
    circles = window.project.layer("service_circles")
    assert list(circles.frame["facility_id"]) == [fid]
    assert circles.frame["radius_m"].iloc[0] == pytest.approx(500)  # GB 50180, 10 minutes

    actions["move"].trigger()
    assert window.canvas.tool.tool_id == "move_feature"
    assert window.project.facilities.selected_ids == {fid}

    n = len(window.project.facilities)
    actions["delete"].trigger()
    assert len(window.project.facilities) == n - 1
    window.editor.stack.undo()
    assert len(window.project.facilities) == n


def test_a_real_right_click_opens_the_menu(window, qtbot):
    fid, _ = _pixel(window, "facilities", "翠苑一区社区老年食堂")
    window.navigation.go_to_feature("facilities", fid)
    window.canvas.render_now()
    _, pos = _pixel(window, "facilities", "翠苑一区社区老年食堂")
    window.set_tool("pan")
    _right_click(qtbot, window.canvas, pos)
    qtbot.waitUntil(lambda: window.context_menus.last_menu is not None, timeout=2000)
    menu = window.context_menus.last_menu
    assert "delete" in _actions(menu)
    menu.close()


def test_measuring_keeps_the_right_click_for_itself(window, qtbot):
    window.set_tool("measure")
    _right_click(qtbot, window.canvas, QPoint(300, 300))
    assert window.context_menus.last_menu is None


def test_layer_menu_zooms_toggles_labels_exports_and_removes(window, tmp_path):
    project = window.project
    facilities = window.context_menus.layer_menu("facilities")
    actions = _actions(facilities)
    assert {"zoom_layer", "style", "labels", "export"} <= set(actions)
    assert "remove" not in actions  # a required layer stays

    assert actions["labels"].isChecked()
    actions["labels"].trigger()
    assert project.facilities.style.show_labels is False

    out = window.context_menus.export_layer_to("facilities", tmp_path / "fac.geojson")
    back = gpd.read_file(out)
    assert len(back) == len(project.facilities)
    assert "翠苑一区社区老年食堂" in set(back["name"])
    out = window.context_menus.export_layer_to("facilities", tmp_path / "fac.gpkg")
    assert len(gpd.read_file(out, layer="facilities")) == len(project.facilities)

    from layers.model.layer import FeatureLayer

    roads = gpd.GeoDataFrame({"id": ["r1"], "name": ["文一路"], "kind": ["primary"]},
                             geometry=[shapely.LineString([(120.12, 30.28), (120.13, 30.28)])],
                             crs="EPSG:4326")
    project.add_layer(FeatureLayer("roads", roads))
    menu = window.context_menus.layer_menu("roads")
    _actions(menu)["remove"].trigger()
    assert not project.has_layer("roads")
    window.editor.stack.undo()
    assert project.has_layer("roads") and len(project.layer("roads")) == 1


def test_right_click_in_the_layer_list_asks_for_that_layer(window, qtbot):
    tree = window.layer_panel.tree
    item = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
                if tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole + 1) == "communities")
    pos = tree.visualItemRect(item).center()
    with qtbot.waitSignal(window.layer_panel.context_menu_requested) as blocker:
        tree.customContextMenuRequested.emit(pos)
    assert blocker.args[0] == "communities"
    menu = window.context_menus.last_menu
    assert menu is not None and "zoom_layer" in _actions(menu)
    menu.close()


def test_find_follows_an_opened_project(window, bundled_copy, tmp_path):
    window.navigation.open_find()
    other = open_project(bundled_copy)
    window.set_project(other)
    dialog = window.navigation.open_find()
    assert dialog.project is other
    dialog.close()
