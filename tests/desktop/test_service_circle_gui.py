import numpy as np
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor

from desktop.canvas.draw_context import WARNING
from layers.geo.walking import PRESETS
from layers.model.categories import get_category
from layers.store import open_project


def test_circle_tool_makes_a_layer_that_is_saved(window, bundled_copy):
    assert window.make_service_circles("category:canteen", 10, PRESETS["gb50180"])
    layer = window.project.layer("service_circles")
    assert len(layer) == 1 and (layer.frame["radius_m"] == 500).all()
    tree = window.layer_panel.tree
    titles = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert any("500 m" in t and "10 min" in t for t in titles)
    # the circle is drawn translucent in the canteen colour around the canteen
    fac = window.project.facilities.frame
    canteen = fac[fac["category"] == "canteen"].iloc[0].geometry
    window.canvas.zoom_to_lonlat_bounds((canteen.x - 0.008, canteen.y - 0.008,
                                         canteen.x + 0.008, canteen.y + 0.008))
    # no labels: with another restored dock layout a label's halo can land on the samples
    window.canvas.renderer.show_labels = False
    image = window.canvas.map_image()
    p = window.canvas.pixel_of(canteen.x + 0.003, canteen.y)  # ~290 m east: inside
    inside = image.pixelColor(round(p.x()), round(p.y()))
    q = window.canvas.pixel_of(canteen.x + 0.007, canteen.y)  # ~670 m east: outside
    outside = image.pixelColor(round(q.x()), round(q.y()))
    brown = QColor(get_category("canteen").color)
    assert inside != outside
    assert abs(inside.red() - brown.red()) < abs(outside.red() - brown.red())
    window.save()
    again = open_project(bundled_copy)
    assert len(again.layer("service_circles")) == 1
    window.undo_action.trigger()  # the layer was one undoable edit
    assert not window.project.has_layer("service_circles")


def test_overlapping_circles_look_dissolved(window):
    lon, lat = 120.10, 30.20  # an empty area: only these two canteens
    window.editor.add_facility({"name": "甲食堂", "category": "canteen"}, lon, lat)
    window.editor.add_facility({"name": "乙食堂", "category": "canteen"}, lon + 0.0062, lat)
    window.make_service_circles("category:canteen", 10, PRESETS["gb50180"])
    window.project.facilities.set_visible(False)
    window.canvas.zoom_to_lonlat_bounds((lon - 0.01, lat - 0.01, lon + 0.016, lat + 0.01))
    image = window.canvas.map_image()

    def colour(x, y):
        p = window.canvas.pixel_of(x, y)
        return image.pixelColor(round(p.x()), round(p.y()))

    overlap = colour(lon + 0.0031, lat)   # about 300 m from both
    single = colour(lon - 0.0025, lat)    # about 240 m from one only
    outside = colour(lon - 0.008, lat)
    assert overlap == single != outside


def test_checklist_marks_missing_on_the_map(window):
    window.analysis.run_audit()
    panel = window.checklist
    assert panel.status_of("翠苑一区", "canteen") is True
    assert panel.status_of("翠苑一区", "charging_shed") is False
    assert panel.status_of("耐火小区", "charging_shed") is True
    comms = window.project.communities.frame
    row = comms[comms["name"] == "孔家坡社区"].iloc[0]
    assert row["id"] in window.canvas.renderer.community_warnings
    window.canvas.zoom_to_lonlat_bounds((row.geometry.x - 0.003, row.geometry.y - 0.003,
                                         row.geometry.x + 0.003, row.geometry.y + 0.003))
    image = window.canvas.map_image()
    p = window.canvas.pixel_of(row.geometry.x, row.geometry.y)
    ring = [image.pixelColor(round(p.x()) + dx, round(p.y())) for dx in range(-6, 7)]
    warn = QColor(WARNING)
    assert any(abs(c.red() - warn.red()) + abs(c.green() - warn.green())
               + abs(c.blue() - warn.blue()) < 30 for c in ring)
    panel.show_on_map.setChecked(False)
    assert window.canvas.renderer.community_warnings == {}


def test_checklist_exports(window, tmp_path):
    import json

    window.checklist.run()
    window.checklist.export(tmp_path / "a.json", "json")
    window.checklist.export(tmp_path / "a.csv", "csv")
    data = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert {d["community"] for d in data} >= {"翠苑一区", "翠屏社区"}
    assert "翠苑一区" in (tmp_path / "a.csv").read_text(encoding="utf-8-sig")


_ = (np, QPoint)


def test_the_dialog_makes_the_layer_the_planner_asked_for(window):
    """Tools → Service Circles…: one category, 15 minutes, elderly pace, custom detour."""
    from desktop.dialogs.service_circle_dialog import ServiceCircleDialog
    from tests.desktop.test_editing import MODAL_ERRORS, when_modal

    MODAL_ERRORS.clear()
    offered = {}

    def answer(dialog):
        assert isinstance(dialog, ServiceCircleDialog)
        offered["methods"] = [dialog.method.itemData(i) for i in range(dialog.method.count())]
        dialog.scope.setCurrentIndex(dialog.scope.findData("category:pocket_park"))
        dialog.minutes.setValue(15)
        dialog.preset.setCurrentIndex(dialog.preset.findData("elderly"))
        dialog.detour.setValue(1.5)  # this neighbourhood's paths wind more
        offered["radius"] = dialog.radius_label.text()
        dialog.accept()

    when_modal(answer)
    window.circles_action.trigger()
    assert not MODAL_ERRORS, MODAL_ERRORS
    assert offered["methods"] == ["circle"]  # no road layer: no walking areas offered
    assert "600 m" in offered["radius"]  # 60 m/min × 15 min ÷ 1.5
    layer = window.project.layer("service_circles")
    parks = window.project.facilities.frame["category"].eq("pocket_park").sum()
    assert len(layer) == parks and set(layer.frame["category"]) == {"pocket_park"}
    assert (layer.frame["radius_m"] == 600).all() and (layer.frame["minutes"] == 15).all()
    tree = window.layer_panel.tree
    titles = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert any("15 min" in t and "600 m" in t and "1.5" in t for t in titles), titles
