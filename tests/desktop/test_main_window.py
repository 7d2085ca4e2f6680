import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor

from desktop.canvas.renderer import BACKGROUND
from layers.model.categories import get_category


def _facility(win, name):
    frame = win.project.facilities.frame
    row = frame[frame["name"] == name].iloc[0]
    return row


def _show_facility(win, name):
    row = _facility(win, name)
    win.canvas.zoom_to_features(win.project.facilities, [row["id"]], min_span=800)
    win.canvas.render_now()
    p = win.canvas.pixel_of(row.geometry.x, row.geometry.y)
    return row, QPoint(round(p.x()), round(p.y()))


def test_window_lists_the_layers(window):
    tree = window.layer_panel.tree
    titles = [tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole + 1)
              for i in range(tree.topLevelItemCount())]
    assert titles == ["facilities", "communities"]
    legend = window.layer_panel.legend_entries("facilities")
    present = set(window.project.facilities.frame["category"])
    assert set(legend) == present
    assert "翠苑一区" in window.navigator.community_items()


def test_toggling_visibility_changes_the_map(window, qtbot):
    window.canvas.renderer.admin_areas = False  # the plain paper shows where the layer was
    row, pos = _show_facility(window, "翠苑一区社区老年食堂")
    before = window.canvas.map_image().pixelColor(pos)
    assert before != BACKGROUND
    item = window.layer_panel.tree.topLevelItem(0)
    item.setCheckState(0, Qt.CheckState.Unchecked)
    assert window.project.facilities.visible is False
    after = window.canvas.map_image().pixelColor(pos)
    assert after == BACKGROUND
    item.setCheckState(0, Qt.CheckState.Checked)
    assert window.canvas.map_image().pixelColor(pos) == before


def test_identify_click_shows_the_quote(window, qtbot):
    row, pos = _show_facility(window, "“人人坞”党群服务站")
    window.set_tool("identify")
    assert window.tool_actions["identify"].isChecked()
    qtbot.mouseClick(window.canvas, Qt.MouseButton.LeftButton, pos=pos)
    assert window.attributes.feature_id == row["id"]
    assert "党群服务站正式面对群众开放" in window.attributes.quote_text()
    assert window.attributes.value_of("category").startswith("党群服务站")
    assert window.attributes.value_of("community") == "耐火小区"


def test_table_and_map_share_the_selection(window, qtbot):
    table = window.table
    table.show_layer("facilities")
    model = table.model
    view_row = 3
    fid = model.feature_id(view_row)
    table.view.selectRow(view_row)
    assert window.project.facilities.selected_ids == {fid}
    assert window.selection_label.text().endswith("1")
    # the other way: select on the map with the select tool
    row, pos = _show_facility(window, "翠屏社区智慧型停车场")
    window.set_tool("select")
    qtbot.mouseClick(window.canvas, Qt.MouseButton.LeftButton, pos=pos)
    assert window.project.facilities.selected_ids == {row["id"]}
    selected = [model.feature_id(i.row()) for i in table.view.selectionModel().selectedRows()]
    assert selected == [row["id"]]


def test_selection_is_drawn_on_the_map(window):
    row, pos = _show_facility(window, "翠屏社区智慧型停车场")
    plain = window.canvas.map_image()
    window.project.facilities.set_selection([row["id"]])
    chosen = window.canvas.map_image()
    ring = [chosen.pixelColor(pos + QPoint(dx, 0)) for dx in range(-14, 15)]
    assert any(c.red() > 200 and c.green() > 180 and c.blue() < 80 for c in ring)
    assert plain.pixelColor(pos) is not None


def test_search_flies_to_a_community(window):
    assert window.search("翠屏社区")
    lon, lat = window.canvas.view.pixel_to_lonlat(window.canvas.width() / 2,
                                                  window.canvas.height() / 2)
    assert abs(lon - 117.0255) < 0.01 and abs(lat - 25.065) < 0.01
    assert window.canvas.view.scale_denominator() < 20000
    assert window.attributes.value_of("name") == "翠屏社区"
    assert not window.search("不存在的地方")


def test_navigator_click_flies_to_community(window):
    fid = window.project.communities.frame.set_index("name").loc["孔家坡社区", "id"]
    window.navigator.community_chosen.emit(fid)
    lon, lat = window.canvas.view.pixel_to_lonlat(window.canvas.width() / 2,
                                                  window.canvas.height() / 2)
    assert abs(lon - 113.38) < 0.01 and abs(lat - 31.725) < 0.01


def test_wheel_zoom_keeps_the_point_under_the_cursor(window):
    canvas = window.canvas
    before = canvas.view.pixel_to_lonlat(200, 150)
    res = canvas.view.resolution
    canvas.zoom_at(200, 150, 1.5)
    assert canvas.view.resolution == pytest.approx(res / 1.5)
    after = canvas.view.pixel_to_lonlat(200, 150)
    assert after == pytest.approx(before, abs=1e-9)


def test_measure_tool_is_geodesic(window, qtbot):
    canvas = window.canvas
    canvas.zoom_to_lonlat_bounds((120.12, 30.28, 120.14, 30.29))
    canvas.render_now()
    window.set_tool("measure")
    tool = window.tools["measure"]
    a = canvas.pixel_of(120.125, 30.285)
    b = canvas.pixel_of(120.135, 30.285)
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(round(a.x()), round(a.y())))
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(round(b.x()), round(b.y())))
    import pyproj

    from desktop.cli import has_display  # noqa: F401 - importable without Qt side effects

    lon0, lat0 = tool.points[0]
    lon1, lat1 = tool.points[1]
    expected = pyproj.Geod(ellps="WGS84").inv(lon0, lat0, lon1, lat1)[2]
    assert tool.total_length(include_hover=False) == pytest.approx(expected, rel=1e-9)
    assert 900 < expected < 1020


def test_language_switch_translates_the_ui(window):
    window.set_language("zh_CN")
    assert window.tool_actions["identify"].text() == "识别要素"
    assert window.layers_dock.windowTitle() == "图层"
    window.set_language("en")
    assert window.tool_actions["identify"].text() == "Identify Features"


def test_window_remembers_its_layout(make_window, bundled_copy):
    win = make_window(bundled_copy)
    win.table_dock.hide()
    win.save_layout()
    win.close()
    again = make_window(bundled_copy)
    assert again.table_dock.isHidden()
    again.table_dock.show()
    again.save_layout()


def test_export_png_uses_category_colours(tmp_path, bundled_copy):
    import subprocess
    import sys

    from PySide6.QtGui import QImage

    out = tmp_path / "map.png"
    res = subprocess.run([sys.executable, "main.py", "export-png", "--project", str(bundled_copy),
                          "--out", str(out), "--community", "翠苑一区", "--width", "900",
                          "--height", "700"], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    image = QImage(str(out))
    assert image.width() == 900 and image.height() == 700
    arr = _rgb(image)
    for category in ("canteen", "parking", "pocket_park", "disability_home"):
        color = QColor(get_category(category).color)
        target = np.array([color.red(), color.green(), color.blue()])
        hits = (np.abs(arr - target).sum(axis=2) < 12).sum()
        assert hits > 15, category
    # the legend lists what the picture shows: no charging shed near 翠苑一区
    color = QColor(get_category("charging_shed").color)
    target = np.array([color.red(), color.green(), color.blue()])
    assert (np.abs(arr - target).sum(axis=2) < 12).sum() == 0


def test_export_png_bad_community_is_one_line(tmp_path):
    import subprocess
    import sys

    res = subprocess.run([sys.executable, "main.py", "export-png", "--out",
                          str(tmp_path / "x.png"), "--community", "不存在"],
                         capture_output=True, text=True)
    assert res.returncode == 2
    assert res.stderr.count("\n") == 1 and "不存在" in res.stderr


def _rgb(image):
    from PySide6.QtGui import QImage

    img = image.convertToFormat(QImage.Format.Format_RGB32)
    ptr = img.constBits()
    arr = np.frombuffer(ptr, dtype=np.uint8, count=img.height() * img.bytesPerLine())
    arr = arr.reshape(img.height(), img.bytesPerLine() // 4, 4)[:, : img.width(), :3]
    return arr[:, :, ::-1].astype(int)


def test_dragging_a_layer_changes_draw_order(window):
    tree = window.layer_panel.tree
    item = tree.takeTopLevelItem(0)  # facilities, on top
    tree.addTopLevelItem(item)  # now at the bottom
    tree.order_changed.emit()
    assert [layer.name for layer in window.project.layers] == ["facilities", "communities"]


def test_opacity_setting_reaches_the_map(window):
    row, pos = _show_facility(window, "翠苑一区社区老年食堂")
    window.layer_panel.tree.setCurrentItem(window.layer_panel.tree.topLevelItem(0))
    opaque = window.canvas.map_image().pixelColor(pos)
    window.layer_panel.opacity.setValue(30)
    assert window.project.facilities.style.opacity == pytest.approx(0.3)
    faded = window.canvas.map_image().pixelColor(pos)
    assert faded != opaque
    assert abs(faded.red() - BACKGROUND.red()) < abs(opaque.red() - BACKGROUND.red())


STRAY_TAB_BARS = """
from PySide6.QtWidgets import QTabBar
from desktop.app import create_application
from desktop.main_window import MainWindow
from layers.store import open_project
app = create_application()
w = MainWindow(open_project(BUNDLED), basemap=False)
w.set_language("zh_CN"); w.resize(1500, 920); w.show(); app.processEvents()
w.search("翠苑一区"); w.set_tool("identify"); app.processEvents()
w.canvas.render_now(); app.processEvents()
docks = [w.layers_dock, w.navigator_dock, w.attributes_dock]
bars = [b for b in w.findChildren(QTabBar) if b.isVisible()]
print(sum(any(b.geometry().intersects(d.geometry()) for d in docks) for b in bars), len(bars))
w.project.set_modified(False); w.close()
"""


def test_no_stray_tab_bar_covers_the_docks(tmp_path):
    """The window as `main.py screenshot` opens it: Qt 6 left a stray dock tab bar there."""
    import os
    import subprocess
    import sys

    from tests.conftest import BUNDLED, REPO

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)}
    res = subprocess.run([sys.executable, "-c", f"BUNDLED = {str(BUNDLED)!r}\n" + STRAY_TAB_BARS],
                         cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    over_docks, shown = map(int, res.stdout.split())
    assert over_docks == 0
    assert shown == 2  # attributes/history and table/checklist keep their tabs


def test_undo_button_keeps_a_short_label_in_either_language(window):
    window.editor.add_facility({"name": "新食堂", "category": "canteen"}, 120.13, 30.28)
    assert window.undo_action.isEnabled() and not window.redo_action.isEnabled()
    assert window.undo_action.text() == "Undo"
    tip = window.undo_action.toolTip()
    assert tip.startswith("Undo: ") and len(tip) > len("Undo: ")
    window.set_language("zh_CN")
    assert window.undo_action.text() == "撤销"
    assert window.undo_action.toolTip().startswith("撤销: ")
    window.undo_action.trigger()
    assert window.redo_action.isEnabled() and window.redo_action.text() == "重做"
    window.set_language("en")


def test_empty_attribute_panel_follows_the_language(window):
    window.attributes.clear()
    assert "Identify" in window.attributes.title.text()
    window.set_language("zh_CN")
    assert window.attributes.title.text() == "用“识别要素”工具点击地图上的要素。"
    window.set_language("en")


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_every_tool_shows_on_a_1280_pixel_screen(window, qtbot, language):
    window.set_language(language)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    bars = window.toolbars

    def hidden():
        return [action.text() for bar in (bars.map_toolbar, bars.edit_toolbar)
                for action in bar.actions() if not action.isSeparator()
                and not bar.widgetForAction(action).isVisible()]

    qtbot.waitUntil(lambda: hidden() == [])  # nothing folded behind a » button
    assert window.toolBarBreak(bars.edit_toolbar)  # two rows
    assert bars.search_box.isVisible() and bars.search_box.width() >= 200
    window.resize(2400, 1000)  # wide again: one row
    qtbot.waitUntil(lambda: not window.toolBarBreak(bars.edit_toolbar))
    qtbot.waitUntil(lambda: hidden() == [])
