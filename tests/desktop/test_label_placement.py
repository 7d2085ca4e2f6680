"""Map labels keep clear of symbols and of each other (issue 15)."""

import numpy as np
import pytest

from desktop.canvas.export_image import view_for
from desktop.canvas.image_arrays import new_argb_image
from desktop.canvas.label_placement import (
    LabelRequest,
    Occupancy,
    draw_canvas_labels,
    mark_symbols,
    place_labels,
    point_symbols,
)
from desktop.canvas.renderer import MapRenderer, cjk_font
from layers.store import open_project


def _overlap(a, b, slack=1.5):
    return (a[0] + slack < b[2] and b[0] + slack < a[2]
            and a[1] + slack < b[3] and b[1] + slack < a[3])


def _fixed(w=40, h=12):
    return lambda req: (w, h)


def test_a_label_blocked_on_the_right_moves_left_then_is_left_out():
    occ = Occupancy(300, 200)
    # three symbols in a row, 30 px apart: the middle one's right side is taken
    xs, ys = np.array([100.0, 130.0, 160.0]), np.array([100.0, 100.0, 100.0])
    mark_symbols(occ, xs, ys, 6)
    placed = place_labels([LabelRequest(130, 100, 6, "middle", "facility")], occ, _fixed())
    (req, box), = placed
    assert box[2] < 130 - 6 and box[1] < 100 < box[3] or box[3] < 100 or box[1] > 100
    assert not _overlap(box, (154, 94, 166, 106)) and not _overlap(box, (94, 94, 106, 106))
    # a second label on the same symbol finds every side taken or blocked: left out
    again = place_labels([LabelRequest(130, 100, 6, "twin", "facility")] * 4, occ, _fixed())
    assert len(again) < 4


def test_bigger_names_win_and_nothing_overlaps_in_a_crowd():
    occ = Occupancy(200, 120)
    rng = np.random.default_rng(7)
    xs, ys = rng.uniform(20, 180, 60), rng.uniform(15, 105, 60)
    mark_symbols(occ, xs, ys, 5)
    wanted = [LabelRequest(float(x), float(y), 5, f"设施{i}", "facility")
              for i, (x, y) in enumerate(zip(xs, ys, strict=True))]
    placed = place_labels(wanted, occ, _fixed(36, 11))
    assert 0 < len(placed) < len(wanted)  # crowded: some names wait for a closer zoom
    boxes = [box for _, box in placed]
    for i, a in enumerate(boxes):
        assert all(not _overlap(a, b) for b in boxes[i + 1:])
        assert all(not _overlap(a, (x - 5, y - 5, x + 5, y + 5))
                   for x, y in zip(xs, ys, strict=True))
        assert a[0] >= 0 and a[1] >= 0 and a[2] <= 200 and a[3] <= 120


def test_a_community_name_wins_its_place_over_a_facility_name():
    occ = Occupancy(300, 200)
    placed = place_labels([LabelRequest(100, 100, 6, "设施", "facility"),
                           LabelRequest(100, 100, 6, "社区", "community")], occ, _fixed())
    assert [(req.kind, box[0] > 100) for req, box in placed] == [("community", True),
                                                                 ("facility", False)]


@pytest.mark.parametrize("size", [(260, 180), (1600, 1100)])
def test_canvas_labels_avoid_every_symbol(bundled_copy, qapp, size):
    project = open_project(bundled_copy)
    view = view_for(project, *size, community="翠苑一区")
    renderer = MapRenderer(project)
    image, buf = new_argb_image(view.width, view.height)
    from PySide6.QtGui import QPainter

    painter = QPainter(image)
    labels = []
    ctx = renderer._context(view, image, buf, painter, labels)
    for layer in project.layers:
        if layer.visible and len(layer):
            renderer._draw_layer(layer, ctx)
    placed = draw_canvas_labels(painter, labels, view, project.layers,
                                lambda layer: renderer.cache(layer).points(), cjk_font)
    painter.end()
    assert labels and placed
    symbols = [(x - r, y - r, x + r, y + r)
               for px, py, r in point_symbols(project.layers,
                                              lambda layer: renderer.cache(layer).points(), view)
               for x, y in zip(px.tolist(), py.tolist(), strict=True)]
    boxes = [box for _, box in placed]
    for i, a in enumerate(boxes):
        assert all(not _overlap(a, b) for b in boxes[i + 1:])
        assert all(not _overlap(a, s) for s in symbols)
    if size[0] > 1000:  # room for every name once zoomed in
        assert len(placed) == len(labels)
    else:
        assert len(placed) < len(labels)


def test_export_png_legend_leaves_the_district_names_and_features_visible(bundled_copy, qapp):
    from desktop.canvas.export_image import _legend_box
    from layers.export.layout.furniture import corner_rect, map_obstacles
    from layers.export.layout.page import Rect

    project = open_project(bundled_copy)
    view = view_for(project, 900, 600, community="翠苑一区")
    cats = sorted(set(project.facilities.frame["category"]))
    box = _legend_box(project, view, cats)
    points = map_obstacles(project, view.extent, Rect(0, 0, view.width, view.height))

    def covered(r):
        return int(np.count_nonzero((points[:, 0] >= r.x) & (points[:, 0] <= r.right)
                                    & (points[:, 1] >= r.y) & (points[:, 1] <= r.bottom)))

    # the usual top-right corner would hide 拱墅区's name here: the legend goes elsewhere
    assert covered(corner_rect(Rect(0, 0, 900, 584), box.w, box.h, "top_right", 12)) > 0
    assert covered(box) == 0


def test_area_names_give_way_to_the_labels_of_the_map(qapp):
    from PySide6.QtCore import QPointF

    from desktop.canvas.admin_drawing import STYLES, draw_area_names
    from desktop.qt_runtime import ensure_gui_application

    ensure_gui_application(headless=True)
    image, _buf = new_argb_image(400, 200)
    from PySide6.QtGui import QPainter
    painter = QPainter(image)
    try:
        city = next(s for s in STYLES if s.level == "city")
        names = [(QPointF(200, 100), "随州市", city), (QPointF(60, 40), "孝感市", city)]
        # a facility label over 随州市 and the lines above and below it: 随州市 is left out
        label = (150.0, 60.0, 250.0, 140.0)
        assert draw_area_names(painter, names, cjk_font, avoid=[label]) == 1
        # with only its own line taken, it moves up or down a line and stays
        assert draw_area_names(painter, names, cjk_font, avoid=[(170.0, 94.0, 230.0, 106.0)]) == 0
        assert draw_area_names(painter, names, cjk_font) == 0
    finally:
        painter.end()


def test_export_png_legend_lists_communities_when_they_are_drawn(bundled_copy, qapp):
    from PySide6.QtGui import QColor

    from desktop.canvas.draw_context import single_colour
    from desktop.canvas.export_image import _categories_in_view, _legend_box, render_map_image
    from desktop.canvas.renderer import legend_labels
    from layers.model.categories import category_ids

    assert legend_labels(["canteen"], communities=True) == ["社区", "社区/老年食堂"]
    project = open_project(bundled_copy)
    view = view_for(project, 900, 600, community="翠光社区")
    present = _categories_in_view(project, view)
    cats = [c for c in category_ids() if c in present]
    box = _legend_box(project, view, cats, True)
    image = render_map_image(project, 900, 600, community="翠光社区")
    # the first row's marker is the community's, in the communities layer's colour
    marker = QColor(image.pixel(int(box.right - box.w + 24), int(box.y + 34)))  # the ring
    assert marker.name() == QColor(single_colour(project.communities.style)).name()
    assert box.h == _legend_box(project, view, cats, False).h + 20
