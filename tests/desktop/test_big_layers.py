"""The paths a million facilities take, checked on small data: crowded drawing,
identify and box selection without an index, the full extent, the table filter."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from desktop.canvas import point_drawing
from desktop.canvas.canvas import MapCanvas
from desktop.canvas.geometry_cache import LayerGeometryCache
from desktop.docks.feature_table import FeatureTableModel, filter_mask
from layers.geo.map_view import lonlat_to_mercator
from layers.model.layer import FeatureLayer, conform
from layers.model.project import Project
from layers.model.schema import FACILITIES


def _facilities(lons, lats, categories=None, names=None) -> FeatureLayer:
    n = len(lons)
    frame = gpd.GeoDataFrame(
        {"id": [f"f{i}" for i in range(n)],
         "name": names or [f"设施{i}" for i in range(n)],
         "category": categories or ["canteen"] * n},
        geometry=[None if x is None else shapely.Point(x, y)
                  for x, y in zip(lons, lats, strict=True)],
        crs=4326)
    return FeatureLayer("facilities", conform(frame, FACILITIES))


def _sequential_discs(h, w, px, py, colours, size):
    """Every disc stamped one after another: the picture a crowded view must match."""
    out = np.zeros((h, w), np.uint32)
    r = size / 2
    span = int(np.ceil(r))
    for x, y, c in zip(np.rint(px).astype(int), np.rint(py).astype(int), colours,
                         strict=True):
        for dy in range(-span, span + 1):
            for dx in range(-span, span + 1):
                if dx * dx + dy * dy <= r * r + 0.5 and 0 <= y + dy < h and 0 <= x + dx < w:
                    out[y + dy, x + dx] = c
    return out


def test_a_crowded_view_shows_the_later_facility_on_top_at_every_pixel():
    rng = np.random.default_rng(3)
    h, w, n = 30, 40, 3000  # ten points a pixel or so: the per-pixel path
    px, py = rng.uniform(-6, w + 6, n), rng.uniform(-6, h + 6, n)
    colours = rng.integers(1, 2**31, n).astype(np.uint32)
    for size in (3, 6):
        buf = np.zeros((h, w), np.uint32)
        point_drawing._stamp_discs(buf, px, py, colours, size)
        assert (buf == _sequential_discs(h, w, px, py, colours, size)).all()


def test_identify_finds_the_nearest_facility_within_the_tolerance_only(qapp):
    layer = _facilities([120.0, 120.001, None, 120.01], [30.0, 30.0, None, 30.0])
    cache = LayerGeometryCache(layer)
    x, y = cache.points()
    assert cache.pick(float(x[1]) - 10, float(y[1]), 30) == 1
    assert cache.pick(float(x[0]) + 10, float(y[0]), 30) == 0
    assert cache.pick(float(x[0]) + 50, float(y[0]) + 50, 30) is None  # nothing that near
    # the box selection finds what is inside, never the facility with no position
    rows = cache.in_rect(float(x[0]) - 1, float(y[0]) - 1, float(x[1]) + 1, float(y[1]) + 1)
    assert rows.tolist() == [0, 1]
    # a moved facility is found at its new place, and no longer at its old one
    old_x, old_y = float(x[1]), float(y[1])
    layer.move_feature("f1", shapely.Point(120.02, 30.0))
    x, y = cache.points()
    assert cache.pick(float(x[1]), float(y[1]), 30) == 1
    assert cache.pick(old_x, old_y, 30) is None
    cache.close()


def test_picking_follows_deletes_adds_undo_and_a_line_among_the_points(qapp):
    layer = _facilities([120.0, 120.001, 120.002, 120.003], [30.0] * 4)
    cache = LayerGeometryCache(layer)
    x, y = (a.copy() for a in cache.points())
    removed = layer.remove_features(["f1"])  # rows after it move up by one
    assert cache.pick(float(x[2]), float(y[2]), 30) == 1 == layer.row_of("f2")
    assert cache.pick(float(x[1]), float(y[1]), 30) is None
    layer.update_attributes("f2", {"name": "改名"})
    layer.restore_features(removed)
    assert cache.pick(float(x[1]), float(y[1]), 30) == 1 == layer.row_of("f1")
    layer.add_features({"id": "road", "name": "路", "category": "canteen",
                        "geometry": shapely.LineString([(120.004, 29.999), (120.004, 30.001)])})
    fresh = LayerGeometryCache(layer)
    assert np.array_equal(cache.points()[0], fresh.points()[0])
    assert cache.pick(float(x[3]), float(y[3]), 30) == 3
    # no longer points only: the path is found along its length, not at one point
    assert cache.pick(*lonlat_to_mercator(120.004, 30.0009), 30) == 4
    cache.close()
    fresh.close()


def test_the_canvas_identifies_through_the_tool_and_fits_every_layer(qtbot):
    layer = _facilities([120.0, 120.2, None], [30.0, 30.3, None])
    project = Project([layer])
    canvas = MapCanvas(project)
    qtbot.addWidget(canvas)
    canvas.resize(400, 300)
    canvas.zoom_to_full_extent()
    # both placed facilities are in view; the one without a position changes nothing
    for lon, lat in ((120.0, 30.0), (120.2, 30.3)):
        p = canvas.pixel_of(lon, lat)
        assert 0 <= p.x() <= 400 and 0 <= p.y() <= 300
        assert canvas.feature_at(p.x() + 2, p.y() - 1) == ("facilities", "f0" if lon == 120.0
                                                           else "f1")
    p = canvas.pixel_of(120.1, 30.15)
    assert canvas.feature_at(p.x(), p.y()) is None


def test_the_table_filter_matches_categories_by_their_shown_name(qapp):
    layer = _facilities([120.0] * 4, [30.0] * 4,
                        categories=["canteen", "pocket_park", "canteen", None],
                        names=["东食堂", "口袋公园", None, "西站"])
    frame = layer.frame
    canteen = filter_mask(frame, "canteen")
    assert canteen.tolist() == [True, False, True, False]
    assert filter_mask(frame, "西").tolist() == [False, False, False, True]
    model = FeatureTableModel(layer)
    model.set_filter("食堂")  # the category's Chinese name and the first facility's own name
    assert [model.feature_id(r) for r in range(model.rowCount())] == ["f0", "f2"]


def test_a_big_project_is_drawn_off_the_gui_thread_for_the_view_it_ends_at(qtbot):
    from desktop.canvas.renderer import BACKGROUND

    project = Project([_facilities([120.0, 120.2], [30.0, 30.3])])
    canvas = MapCanvas(project)
    qtbot.addWidget(canvas)
    canvas.BACKGROUND_FEATURES = 1  # as a million facilities would
    canvas.resize(400, 300)
    canvas.show()
    shown_from_the_background = []
    canvas.rendered.connect(lambda: shown_from_the_background.append(canvas.rendering()))
    canvas.zoom_to_full_extent()
    canvas._render_due()
    assert canvas.rendering()  # the render runs, the window answers
    canvas.pan_pixels(60, 0)  # the planner moves on meanwhile
    canvas.zoom_at(200, 150, 0.8)
    qtbot.waitUntil(lambda: not canvas.rendering() and not canvas._timer.isActive()
                    and canvas._image_view == canvas.view, timeout=10000)
    assert shown_from_the_background and all(shown_from_the_background)
    image = canvas.grab().toImage()
    for lon, lat in ((120.0, 30.0), (120.2, 30.3)):
        p = canvas.pixel_of(lon, lat)
        assert image.pixelColor(round(p.x()), round(p.y())) != BACKGROUND
