"""A slow render off the GUI thread shows what it has drawn so far, then the whole map;
a newer view or edit wins over a render begun before it."""

from __future__ import annotations

import time

import geopandas as gpd
import shapely

from desktop.canvas.canvas import MapCanvas
from desktop.canvas.renderer import BACKGROUND
from layers.model.layer import FeatureLayer, conform
from layers.model.project import Project
from layers.model.schema import FACILITIES


def _canvas(qtbot, slow_s: float) -> MapCanvas:
    frame = gpd.GeoDataFrame({"id": ["f0", "f1"], "name": ["东", "西"],
                              "category": ["canteen", "canteen"]},
                             geometry=[shapely.Point(120.0, 30.0), shapely.Point(120.2, 30.3)],
                             crs=4326)
    canvas = MapCanvas(Project([FeatureLayer("facilities", conform(frame, FACILITIES))]))
    qtbot.addWidget(canvas)
    canvas.BACKGROUND_FEATURES = 1  # as a million facilities would
    canvas.resize(400, 300)
    canvas.show()
    canvas.zoom_to_full_extent()
    qtbot.waitUntil(lambda: canvas._image is not None and not canvas.rendering()
                    and not canvas._timer.isActive(), timeout=10000)
    # a slow last step of every render from now on (a basemap, far boundaries…),
    # drawn after the layers, on the worker thread
    canvas.renderer.extra_painters.append(lambda _painter, _view: time.sleep(slow_s))
    return canvas


def _drawn_at(canvas: MapCanvas, lon: float, lat: float) -> bool:
    p = canvas.pixel_of(lon, lat)
    return canvas.grab().toImage().pixelColor(round(p.x()), round(p.y())) != BACKGROUND


def test_a_slow_render_shows_the_layers_drawn_so_far_before_the_whole_map(qtbot):
    canvas = _canvas(qtbot, slow_s=0.8)
    assert not _drawn_at(canvas, 120.1, 30.15)
    shown: list[tuple[str, bool, bool]] = []

    def look(kind: str) -> None:
        shown.append((kind, _drawn_at(canvas, 120.1, 30.15), _drawn_at(canvas, 120.2, 30.3)))

    canvas.partly_rendered.connect(lambda: look("part"))
    canvas.rendered.connect(lambda: look("whole"))
    canvas.project.facilities.add_features(
        {"id": "new", "name": "中", "category": "canteen",
         "geometry": shapely.Point(120.1, 30.15)})
    qtbot.waitUntil(lambda: bool(shown) and shown[-1][0] == "whole", timeout=10000)
    parts = [s for s in shown if s[0] == "part"]
    # before the render ended, the new facility was on screen, over the old picture
    assert parts and shown[0][0] == "part"
    assert all(new and old for _kind, new, old in parts)
    assert shown[-1] == ("whole", True, True)


def test_a_newer_view_and_edit_win_over_the_render_begun_before_them(qtbot):
    canvas = _canvas(qtbot, slow_s=0.4)
    events: list[str] = []
    canvas.partly_rendered.connect(lambda: events.append("part"))
    canvas.rendered.connect(lambda: events.append("whole"))
    canvas.refresh(immediate=True)
    qtbot.waitUntil(canvas.rendering, timeout=5000)
    qtbot.waitUntil(lambda: "part" in events, timeout=5000)
    canvas.pan_pixels(-80, 30)  # the planner moves on while it renders
    canvas.refresh()
    canvas.project.facilities.remove_features(["f1"])
    qtbot.waitUntil(lambda: not canvas.rendering() and not canvas._timer.isActive()
                    and canvas._image_view == canvas.view, timeout=15000)
    qtbot.wait(2 * canvas.PROGRESS_MS)  # no late part of an older render comes after
    assert events[-1] == "whole"
    assert _drawn_at(canvas, 120.0, 30.0)
    assert not _drawn_at(canvas, 120.2, 30.3)  # the removed facility is gone for good
