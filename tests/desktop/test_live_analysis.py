"""The audit, its “缺” labels and the service circles follow every edit, or say they are stale."""

import pytest
import shapely
from PySide6.QtCore import QPoint, QSettings, Qt

from desktop.docks.checklist_panel import LIVE_AUDIT_SETTING
from desktop.window.circle_upkeep import LIVE_CIRCLES_SETTING
from layers.geo.geodesy import geodesic_m
from layers.geo.walking import PRESETS
from tests.desktop.test_editing import CUIYUAN, _add_by_click, _zoom

CANTEEN = "翠苑一区社区老年食堂"


@pytest.fixture
def small_limits():
    """Force the "too large to follow every edit" path with tiny limits."""
    settings = QSettings()
    settings.setValue(LIVE_AUDIT_SETTING, 10)
    settings.setValue(LIVE_CIRCLES_SETTING, 0)
    yield
    settings.remove(LIVE_AUDIT_SETTING)
    settings.remove(LIVE_CIRCLES_SETTING)


def _cuiyuan_id(window):
    comms = window.project.communities.frame
    return comms[comms["name"] == "翠苑一区"]["id"].iloc[0]


def _missing_on_map(window):
    """What the map labels 翠苑一区 as missing (“缺 …”)."""
    return window.canvas.renderer.community_warnings.get(_cuiyuan_id(window), [])


def _audited(window, category):
    return window.checklist.status_of("翠苑一区", category)


def test_adding_the_missing_facility_clears_its_label_and_undo_brings_it_back(window, qtbot):
    window.analysis.run_audit()
    assert _audited(window, "charging_shed") is False
    assert "charging_shed" in _missing_on_map(window)
    _add_by_click(qtbot, window, "翠苑一区充电棚", *CUIYUAN, category="charging_shed")
    qtbot.waitUntil(lambda: _audited(window, "charging_shed") is True, timeout=5000)
    assert "charging_shed" not in _missing_on_map(window)
    assert not window.checklist.stale_bar.isVisible()
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: _audited(window, "charging_shed") is False, timeout=5000)
    assert "charging_shed" in _missing_on_map(window)
    window.redo_action.trigger()
    qtbot.waitUntil(lambda: "charging_shed" not in _missing_on_map(window), timeout=5000)


def test_dragging_a_facility_out_of_the_walk_updates_the_audit(window, qtbot):
    window.analysis.run_audit()
    assert _audited(window, "canteen") is True
    fac = window.project.facilities.frame
    canteen = fac[fac["name"] == CANTEEN].iloc[0].geometry
    _zoom(window, canteen.x, canteen.y)
    window.set_tool("move_feature")
    start = window.canvas.pixel_of(canteen.x, canteen.y)
    a = QPoint(round(start.x()), round(start.y()))
    end = window.canvas.pixel_of(canteen.x + 0.009, canteen.y)  # about 870 m east
    b = QPoint(round(end.x()), round(end.y()))
    qtbot.mousePress(window.canvas, Qt.MouseButton.LeftButton, pos=a)
    for k in range(1, 6):  # a drag: several moves, one edit
        qtbot.mouseMove(window.canvas, pos=a + (b - a) * k / 5)
    qtbot.mouseRelease(window.canvas, Qt.MouseButton.LeftButton, pos=b)
    qtbot.waitUntil(lambda: _audited(window, "canteen") is False, timeout=5000)
    assert "canteen" in _missing_on_map(window)
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: _audited(window, "canteen") is True, timeout=5000)


def test_many_edits_at_once_audit_once(window, qtbot):
    window.analysis.run_audit()
    audits = []
    window.checklist.warnings_changed.connect(audits.append)
    lon, lat = CUIYUAN
    for k in range(5):  # five edits in one go, as a script or a paste would make them
        window.editor.add_facility({"name": f"充电棚{k}", "category": "charging_shed"},
                                   lon + 0.001 * k, lat)
    qtbot.waitUntil(lambda: _audited(window, "charging_shed") is True, timeout=5000)
    qtbot.wait(300)  # let a second audit show itself, if there were one
    assert len(audits) == 1


def test_a_large_project_says_out_of_date_at_once_and_refresh_fixes_it(window, qtbot,
                                                                       small_limits):
    window.analysis.run_audit()
    panel = window.checklist
    banner = window.analysis.banner
    assert not panel.stale_bar.isVisible() and not banner.isVisible()
    window.editor.add_facility({"name": "翠苑一区充电棚", "category": "charging_shed"}, *CUIYUAN)
    # at once, before any event is processed: the dock and the map say so
    assert panel.stale and panel.stale_bar.isVisible()
    assert "Out of date" in panel.stale_label.text()
    assert banner.isVisible() and "“缺”" in banner.label.text()
    assert _audited(window, "charging_shed") is False  # the old result, marked stale
    qtbot.mouseClick(panel.refresh_button, Qt.MouseButton.LeftButton)
    assert _audited(window, "charging_shed") is True
    assert "charging_shed" not in _missing_on_map(window)
    assert not panel.stale_bar.isVisible() and not banner.isVisible()
    # the Refresh button on the map does the same
    window.undo_action.trigger()
    assert banner.isVisible()
    qtbot.mouseClick(banner.refresh_button, Qt.MouseButton.LeftButton)
    assert _audited(window, "charging_shed") is False and not banner.isVisible()


def test_service_circles_follow_facilities_without_extra_undo_steps(window, qtbot):
    assert window.make_service_circles("category:canteen", 10, PRESETS["gb50180"])
    circles = window.project.layer("service_circles")
    assert len(circles) == 1
    steps = window.editor.stack.count()
    lon, lat = 120.10, 30.20
    _add_by_click(qtbot, window, "新食堂", lon, lat, category="canteen")
    _add_by_click(qtbot, window, "新公园", lon + 0.01, lat, category="pocket_park")
    assert window.editor.stack.count() == steps + 2  # the two facilities, nothing else
    assert len(circles) == 2  # the canteen layer gained the canteen, not the park
    new = circles.frame[circles.frame["name"] == "新食堂"].iloc[0]
    centre = new.geometry.centroid
    assert geodesic_m(centre.x, centre.y, lon, lat) < 15
    assert new["radius_m"] == 500 and new["minutes"] == 10
    fid = new["facility_id"]
    window.editor.move_feature("facilities", fid, shapely.Point(lon, lat + 0.01),
                               shapely.Point(lon, lat))
    centre = circles.feature(new["id"])["geometry"].centroid
    assert geodesic_m(centre.x, centre.y, lon, lat + 0.01) < 15
    window.project.facilities.set_selection([fid])
    window.delete_selected()
    assert len(circles) == 1
    for _ in range(3):  # delete, move, park
        window.undo_action.trigger()
    assert len(circles) == 2 and circles.has_feature(new["id"])
    window.undo_action.trigger()  # the canteen
    assert len(circles) == 1
    window.undo_action.trigger()  # the circles themselves: nothing left behind
    assert not window.project.has_layer("service_circles")
    window.redo_action.trigger()
    window.redo_action.trigger()
    assert len(window.project.layer("service_circles")) == 2
    assert not window.analysis.banner.isVisible()


def test_circles_too_many_to_remake_say_so_and_refresh(window, qtbot, small_limits):
    assert window.make_service_circles("all", 10, PRESETS["gb50180"])
    circles = window.project.layer("service_circles")
    before = len(circles)
    window.editor.add_facility({"name": "新食堂", "category": "canteen"}, 120.10, 30.20)
    banner = window.analysis.banner
    assert banner.isVisible() and "service circles" in banner.label.text()
    assert len(circles) == before
    qtbot.mouseClick(banner.refresh_button, Qt.MouseButton.LeftButton)
    assert len(circles) == before + 1 and not banner.isVisible()
    assert "新食堂" in set(circles.frame["name"])


def _import(window, qtbot, path):
    from desktop.dialogs.import_dialog import ImportDialog

    dialog = ImportDialog(path, window)
    qtbot.addWidget(dialog)
    dialog.start_reading()
    dialog.wait()
    assert dialog.error is None
    return window.finish_import(dialog)


def test_an_import_updates_the_audit_and_the_circles_in_one_undo_step(window, qtbot,
                                                                      tmp_path):
    assert window.make_service_circles("all", 10, PRESETS["gb50180"])
    circles = window.project.layer("service_circles")
    before = len(circles)
    window.analysis.run_audit()
    steps = window.editor.stack.count()
    csv = tmp_path / "sheds.csv"
    csv.write_text("name,category,lon,lat\n"
                   "翠苑一区充电棚,charging_shed,120.1331,30.2850\n"
                   "翠苑一区充电棚二,charging_shed,120.1345,30.2860\n"
                   "远处的食堂,canteen,120.10,30.20\n", encoding="utf-8")
    assert _import(window, qtbot, csv) == 3
    assert window.editor.stack.count() == steps + 1
    assert len(circles) == before + 3
    qtbot.waitUntil(lambda: _audited(window, "charging_shed") is True, timeout=5000)
    window.undo_action.trigger()
    assert len(circles) == before
    qtbot.waitUntil(lambda: _audited(window, "charging_shed") is False, timeout=5000)


def test_walking_areas_along_roads_are_marked_out_of_date_and_refreshed(window, qtbot):
    from tests.desktop.test_import_gui import CORPUS

    assert _import(window, qtbot, CORPUS / "streets.osm") == 3
    window.editor.add_facility({"name": "路边食堂", "category": "canteen"}, 120.1525, 30.2801)
    fac = window.project.facilities
    fid = fac.frame["id"].iloc[-1]
    fac.set_selection([fid])
    assert window.make_service_circles("selected", 5, PRESETS["walk"], method="network")
    area = window.project.layer("service_circles")
    far_east = shapely.Point(120.1545, 30.2800)  # ~190 m along 文一路
    assert area.frame.geometry.iloc[0].contains(far_east)
    banner = window.analysis.banner
    assert not banner.isVisible()
    window.editor.move_feature("facilities", fid, shapely.Point(120.1490, 30.2801),
                               shapely.Point(120.1525, 30.2801))
    assert banner.isVisible() and "service circles" in banner.label.text()
    qtbot.mouseClick(banner.refresh_button, Qt.MouseButton.LeftButton)
    assert not banner.isVisible()
    assert not area.frame.geometry.iloc[0].contains(far_east)  # walked from the new place
    assert list(area.frame["method"]) == ["network"] and list(area.frame["minutes"]) == [5]
