import time

import pytest
import shapely
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QInputDialog, QMessageBox

from desktop.dialogs.facility_form import FacilityForm
from layers.geo.geodesy import geodesic_m
from layers.io.recovery import recovery_path
from layers.store import open_project
from tests.conftest import kill_while_saving

CUIYUAN = (120.1331, 30.2850)  # an empty spot south of 翠苑一区


MODAL_ERRORS = []


@pytest.fixture(autouse=True)
def _modal_errors():
    """Re-raise a failure that happened inside a modal dialog's handler."""
    MODAL_ERRORS.clear()
    yield
    if MODAL_ERRORS:
        raise MODAL_ERRORS[0]


def when_modal(action, timeout_ms=5000):
    """Run ``action(dialog)`` on the next modal dialog, as a user answering it.

    If the action fails, the dialog is closed (so nothing hangs) and the error is
    raised at the end of the test.
    """
    deadline = time.monotonic() + timeout_ms / 1000

    def poll():
        w = QApplication.activeModalWidget()
        if w is None:
            if time.monotonic() < deadline:
                QTimer.singleShot(10, poll)
            return
        try:
            action(w)
        except BaseException as exc:  # noqa: BLE001
            MODAL_ERRORS.append(exc)
            w.close()

    QTimer.singleShot(0, poll)


def _fill_form(name, category=None):
    def action(form):
        assert isinstance(form, FacilityForm)
        assert form.focusWidget() is form.name
        if category:
            form.category.setCurrentIndex(form.category.findData(category))
        form.name.setText(name)
        form.name.returnPressed.emit()  # Enter in the name field
        form.accept()
    return action


def _shortcut(qtbot, window, key, modifiers=Qt.KeyboardModifier.ControlModifier):
    """Press a window shortcut, the window active again as after a dialog closes."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    qtbot.keyClick(window, key, modifiers)


def _click_at(qtbot, window, lon, lat, button=Qt.MouseButton.LeftButton):
    p = window.canvas.pixel_of(lon, lat)
    pos = QPoint(round(p.x()), round(p.y()))
    qtbot.mouseClick(window.canvas, button, pos=pos)
    return pos


def _zoom(window, lon, lat, span=0.01):
    window.canvas.zoom_to_lonlat_bounds((lon - span, lat - span, lon + span, lat + span))
    window.canvas.render_now()


def _add_by_click(qtbot, window, name, lon, lat, category="canteen"):
    _zoom(window, lon, lat)
    _shortcut(qtbot, window, Qt.Key.Key_Period)
    assert window.canvas.tool.tool_id == "add_facility"
    when_modal(_fill_form(name, category))
    p = window.canvas.pixel_of(lon, lat)
    pos = QPoint(round(p.x()), round(p.y()))
    clicked = window.canvas.view.pixel_to_lonlat(pos.x(), pos.y())  # before the docks move
    qtbot.mouseClick(window.canvas, Qt.MouseButton.LeftButton, pos=pos)
    return clicked


def test_click_adds_facility_that_survives_save_and_reload(window, qtbot, bundled_copy):
    before = len(window.project.facilities)
    lon, lat = _add_by_click(qtbot, window, "新社区食堂", *CUIYUAN)
    fac = window.project.facilities
    assert len(fac) == before + 1
    new = fac.frame.iloc[-1]
    assert new["name"] == "新社区食堂" and new["category"] == "canteen"
    assert new["location_precision"] == "placed-on-map"  # clicked, not surveyed
    assert new["community"] == "翠苑一区"  # 112 m from its point: within the walk
    assert fac.selected_ids == {new["id"]}
    assert window.attributes.value_of("name") == "新社区食堂"
    assert window.table.model.rowCount() == before + 1
    assert window.isWindowModified()
    _shortcut(qtbot, window, Qt.Key.Key_S)
    assert not window.isWindowModified()
    again = open_project(bundled_copy)
    row = again.facilities.frame.set_index("id").loc[new["id"]]
    assert geodesic_m(row.geometry.x, row.geometry.y, lon, lat) < 1.0


def _form_shown_at(qtbot, window, lon, lat):
    """Click with the add tool and return what the form was prefilled with (then cancel)."""
    shown = {}

    def answer(form):
        assert isinstance(form, FacilityForm)
        shown["community"] = form.community.currentText()
        shown["precision"] = form.precision.currentText()
        form.reject()

    _zoom(window, lon, lat)
    window.set_tool("add_facility")
    when_modal(answer)
    _click_at(qtbot, window, lon, lat)
    qtbot.waitUntil(lambda: "community" in shown or bool(MODAL_ERRORS), timeout=5000)
    return shown


def test_community_is_prefilled_only_where_the_click_shows_it(window, qtbot):
    before = len(window.project.facilities)
    # about 120 km from the nearest community: left empty for the planner to choose
    assert _form_shown_at(qtbot, window, 121.2, 30.9)["community"] == ""
    # 112 m from 翠苑一区's point, well within the 10-minute walk
    assert _form_shown_at(qtbot, window, *CUIYUAN)["community"] == "翠苑一区"
    # inside a boundary drawn for 金耐社区, however far its point
    lon, lat = 121.0, 31.0
    square = shapely.box(lon - 0.004, lat - 0.004, lon + 0.004, lat + 0.004)
    window.editor.add_boundary(square, "金耐社区")
    assert _form_shown_at(qtbot, window, lon + 0.002, lat)["community"] == "金耐社区"
    # the walk is the one the planner audits with: 5 minutes reach 300 m, not 450 m
    window.checklist.minutes.setValue(5)
    assert _form_shown_at(qtbot, window, CUIYUAN[0] + 0.0047, CUIYUAN[1])["community"] == ""
    window.checklist.minutes.setValue(10)
    assert _form_shown_at(qtbot, window, CUIYUAN[0] + 0.0047,
                          CUIYUAN[1])["community"] == "翠苑一区"
    assert len(window.project.facilities) == before  # every form was cancelled


def test_a_clicked_facility_is_placed_on_map_unless_the_planner_says_surveyed(window, qtbot):
    assert _form_shown_at(qtbot, window, *CUIYUAN)["precision"] == "placed-on-map"
    _add_by_click(qtbot, window, "点上的食堂", *CUIYUAN)
    assert window.project.facilities.frame.iloc[-1]["location_precision"] == "placed-on-map"

    def surveyed(form):
        form.precision.setCurrentText("surveyed")
        form.name.setText("实测的食堂")
        form.accept()

    lon, lat = CUIYUAN[0] + 0.002, CUIYUAN[1]
    _zoom(window, lon, lat)
    window.set_tool("add_facility")
    when_modal(surveyed)
    _click_at(qtbot, window, lon, lat)
    new = window.project.facilities.frame.iloc[-1]
    assert new["name"] == "实测的食堂" and new["location_precision"] == "surveyed"


def test_escape_adds_nothing(window, qtbot):
    before = len(window.project.facilities)
    _zoom(window, *CUIYUAN)
    window.set_tool("add_facility")
    when_modal(lambda form: qtbot.keyClick(form, Qt.Key.Key_Escape))
    _click_at(qtbot, window, *CUIYUAN)
    assert len(window.project.facilities) == before
    assert not window.project.modified


def test_undo_and_redo_an_added_facility(window, qtbot):
    before = len(window.project.facilities)
    _add_by_click(qtbot, window, "口袋公园甲", *CUIYUAN, category="pocket_park")
    new_id = window.project.facilities.frame["id"].iloc[-1]
    _shortcut(qtbot, window, Qt.Key.Key_Z)
    assert len(window.project.facilities) == before
    assert not window.project.facilities.has_feature(new_id)
    assert not window.isWindowModified()
    _shortcut(qtbot, window, Qt.Key.Key_Z,
              Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.project.facilities.has_feature(new_id)
    assert window.undo_view.stack().count() == 1


def test_move_is_undoable(window, qtbot):
    fac = window.project.facilities
    row = fac.frame[fac.frame["name"] == "翠苑一区社区老年食堂"].iloc[0]
    _zoom(window, row.geometry.x, row.geometry.y, 0.004)
    window.set_tool("move_feature")
    start = window.canvas.pixel_of(row.geometry.x, row.geometry.y)
    a = QPoint(round(start.x()), round(start.y()))
    b = a + QPoint(60, 40)
    qtbot.mousePress(window.canvas, Qt.MouseButton.LeftButton, pos=a)
    qtbot.mouseMove(window.canvas, pos=a + QPoint(30, 20))
    qtbot.mouseMove(window.canvas, pos=b)
    qtbot.mouseRelease(window.canvas, Qt.MouseButton.LeftButton, pos=b)
    moved = fac.feature(row["id"])["geometry"]
    want = window.canvas.view.pixel_to_lonlat(b.x(), b.y())
    assert geodesic_m(moved.x, moved.y, *want) < 1.0
    assert geodesic_m(moved.x, moved.y, row.geometry.x, row.geometry.y) > 50
    window.undo_action.trigger()
    back = fac.feature(row["id"])["geometry"]
    assert back.equals_exact(row.geometry, 1e-12)


def test_attribute_edits_are_validated_and_undoable(window, qtbot):
    comms = window.project.communities
    fid = comms.frame.set_index("name").loc["翠苑一区", "id"]
    window.show_identified("communities", fid)
    table = window.attributes.table
    row = next(r for r in range(table.rowCount())
               if table.item(r, 1).data(Qt.ItemDataRole.UserRole) == "households")
    table.item(row, 1).setText("3200")
    assert comms.feature(fid)["households"] == 3200
    assert window.attributes.value_of("households") == "3200"
    row = next(r for r in range(table.rowCount())
               if table.item(r, 1).data(Qt.ItemDataRole.UserRole) == "households")
    table.item(row, 1).setText("about three thousand")
    assert comms.feature(fid)["households"] == 3200  # refused
    assert "households" in window.statusBar().currentMessage()
    window.undo_action.trigger()
    assert comms.feature(fid)["households"] == 3146


def test_table_edit_of_category_accepts_chinese(window):
    window.table.show_layer("facilities")
    model = window.table.model
    col = model.columns.index("category")
    fid = model.feature_id(0)
    model.setData(model.index(0, col), "食堂")
    assert window.project.facilities.feature(fid)["category"] == "canteen"
    model.setData(model.index(0, col), "不是类别")
    assert window.project.facilities.feature(fid)["category"] == "canteen"


def test_delete_asks_when_more_than_one(window, qtbot):
    fac = window.project.facilities
    ids = list(fac.ids[:3])
    before = len(fac)
    fac.set_selection(ids[:1])
    assert window.delete_selected() == 1
    assert len(fac) == before - 1
    fac.set_selection(ids[1:])
    when_modal(lambda box: box.button(QMessageBox.StandardButton.No).click())
    assert window.delete_selected() == 0
    assert len(fac) == before - 1
    when_modal(lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    assert window.delete_selected() == 2
    assert len(fac) == before - 3
    window.undo_action.trigger()
    assert len(fac) == before - 1
    assert fac.has_feature(ids[1]) and fac.has_feature(ids[2])


def test_duplicate_name_nearby_warns(window, qtbot):
    fac = window.project.facilities
    row = fac.frame[fac.frame["name"] == "翠苑一区社区咖啡馆"].iloc[0]
    before = len(fac)
    lon, lat = row.geometry.x + 0.0002, row.geometry.y  # about 19 m east
    _zoom(window, lon, lat, 0.003)
    window.set_tool("add_facility")
    asked = []

    def form_then_warning(form):
        _fill_form("翠苑一区社区咖啡馆")(form)
        when_modal(lambda box: (asked.append(box.text()),
                                box.button(QMessageBox.StandardButton.No).click()))

    when_modal(form_then_warning)
    _click_at(qtbot, window, lon, lat)
    qtbot.waitUntil(lambda: bool(asked), timeout=3000)
    assert "19" in asked[0] or "20" in asked[0] or "18" in asked[0]
    assert len(fac) == before


def test_draw_boundary_with_backspace_and_double_click(window, qtbot):
    lon, lat = CUIYUAN
    _zoom(window, lon, lat, 0.006)
    window.set_tool("draw_boundary")
    corners = [(lon - 0.003, lat - 0.002), (lon + 0.003, lat - 0.002),
               (lon + 0.004, lat + 0.004), (lon + 0.003, lat + 0.003), (lon - 0.003, lat + 0.003)]
    for c in corners[:3]:
        _click_at(qtbot, window, *c)
    qtbot.keyClick(window.canvas, Qt.Key.Key_Backspace)  # drop the wrong third vertex
    assert len(window.tools["draw_boundary"].vertices) == 2
    for c in corners[3:]:
        _click_at(qtbot, window, *c)

    def choose(dialog):
        assert isinstance(dialog, QInputDialog)
        assert dialog.textValue() == "翠苑一区"
        dialog.accept()

    when_modal(choose)
    p = window.canvas.pixel_of(*corners[-1])
    qtbot.mouseDClick(window.canvas, Qt.MouseButton.LeftButton,
                      pos=QPoint(round(p.x()), round(p.y())))
    bounds = window.project.layer("boundaries")
    assert len(bounds) == 1
    poly = bounds.frame.geometry.iloc[0]
    assert len(poly.exterior.coords) == 5  # four corners, closed
    assert poly.contains(shapely.Point(lon, lat))
    assert bounds.frame["community"].iloc[0] == "翠苑一区"
    window.undo_action.trigger()
    assert not window.project.has_layer("boundaries")


def test_closing_with_unsaved_edits_prompts(window, qtbot, bundled_copy):
    _add_by_click(qtbot, window, "临时设施", *CUIYUAN)
    seen = []
    when_modal(lambda box: (seen.append(box.text()),
                            box.button(QMessageBox.StandardButton.Cancel).click()))
    window.close()
    assert seen and window.isVisible()
    when_modal(lambda box: box.button(QMessageBox.StandardButton.Discard).click())
    window.close()
    assert not window.isVisible()
    assert "临时设施" not in set(open_project(bundled_copy).facilities.frame["name"])


def test_autosave_writes_recovery_not_project(window, qtbot, bundled_copy):
    before = bundled_copy.read_bytes()
    _add_by_click(qtbot, window, "自动保存测试", *CUIYUAN)
    target = window.editor.autosave()
    assert target == recovery_path(bundled_copy)
    assert bundled_copy.read_bytes() == before
    restored = open_project(target)
    assert "自动保存测试" in set(restored.facilities.frame["name"])
    window.save()
    assert not target.exists()


def test_autosave_after_twenty_edits(window, qtbot, bundled_copy):
    fac = window.project.facilities
    fid = fac.ids[0]
    for i in range(20):
        window.editor.change_attribute("facilities", fid, "notes", f"note {i}")
    assert recovery_path(bundled_copy).exists()


def test_recovery_is_offered_after_a_crash(window, qtbot, bundled_copy, make_window):
    _add_by_click(qtbot, window, "崩溃前的编辑", *CUIYUAN)
    window.editor.autosave()
    project_bytes = bundled_copy.read_bytes()
    # a new session on the same project, as after kill -9
    second = make_window(bundled_copy)
    when_modal(lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    assert second.offer_recovery()
    assert "崩溃前的编辑" in set(second.project.facilities.frame["name"])
    assert second.project.modified
    assert bundled_copy.read_bytes() == project_bytes  # never overwritten without asking
    second.undo_action.trigger()
    assert "崩溃前的编辑" not in set(second.project.facilities.frame["name"])


def test_kill_during_autosave_leaves_both_files_readable(tmp_path, bundled_copy):
    rec = recovery_path(bundled_copy)
    script = f"""
import numpy as np, geopandas as gpd, shapely
from layers.store import open_project
from layers.io.recovery import write_recovery
from pathlib import Path
p = open_project({str(bundled_copy)!r})
write_recovery(p, Path({str(rec)!r}))
n = 300_000
rng = np.random.default_rng(3)
pts = shapely.points(rng.uniform(120, 121, n), rng.uniform(30, 31, n))
p.facilities.add_features(gpd.GeoDataFrame({{"name": ["x"] * n, "category": ["other"] * n}},
                                           geometry=pts, crs=4326))
print("autosaving", flush=True)
while True:
    write_recovery(p, Path({str(rec)!r}))
"""
    kill_while_saving(script, tmp_path, "autosaving")
    assert len(open_project(bundled_copy).facilities) == 23
    assert len(open_project(rec).facilities) in (0, 300_000)  # the edits: none yet, or all


def test_form_requires_a_name(qtbot):
    form = FacilityForm(["翠苑一区"], {"category": "canteen"})
    qtbot.addWidget(form)
    from PySide6.QtWidgets import QDialogButtonBox

    ok = form.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    form.name.setText("  ")
    form.accept()
    assert form.result() != QDialog.DialogCode.Accepted
    form.name.setText("食堂")
    assert ok.isEnabled()
    assert form.values()["category"] == "canteen"
    form.opened.setText("2021-13")
    assert not form.opened.hasAcceptableInput()


@pytest.mark.parametrize("lon,lat,expected", [(113.3921, 31.6647, "随州印象小区"),
                                              (117.0252, 25.0650, "翠屏社区")])
def test_community_prefill_is_nearest(lon, lat, expected):
    from layers.analysis.nearby import community_for_point
    from tests.conftest import BUNDLED

    assert community_for_point(open_project(BUNDLED), lon, lat) == expected


def test_boundary_vertex_can_be_dragged_and_undone(window, qtbot):
    lon, lat = CUIYUAN
    square = shapely.Polygon([(lon - 0.002, lat - 0.002), (lon + 0.002, lat - 0.002),
                              (lon + 0.002, lat + 0.002), (lon - 0.002, lat + 0.002)])
    window.editor.add_boundary(square, "翠苑一区")
    _zoom(window, lon, lat, 0.004)
    window.set_tool("edit_boundary")
    corner = window.canvas.pixel_of(lon + 0.002, lat + 0.002)
    a = QPoint(round(corner.x()), round(corner.y()))
    b = a + QPoint(40, -30)
    qtbot.mousePress(window.canvas, Qt.MouseButton.LeftButton, pos=a)
    qtbot.mouseMove(window.canvas, pos=b)
    qtbot.mouseRelease(window.canvas, Qt.MouseButton.LeftButton, pos=b)
    poly = window.project.layer("boundaries").frame.geometry.iloc[0]
    moved = window.canvas.view.pixel_to_lonlat(b.x(), b.y())
    assert any(geodesic_m(x, y, *moved) < 1 for x, y in poly.exterior.coords)
    assert poly.area > square.area
    window.undo_action.trigger()
    assert window.project.layer("boundaries").frame.geometry.iloc[0].equals(square)
