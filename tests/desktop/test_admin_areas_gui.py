"""The offline context: bundled boundaries on the canvas, in export-png, and in the navigator."""

import numpy as np
import pytest
import shapely
from PySide6.QtGui import QColor

from desktop.canvas import admin_drawing
from desktop.canvas.admin_drawing import STYLES, admin_loader
from desktop.canvas.export_image import render_map_image
from desktop.canvas.renderer import BACKGROUND, MapRenderer
from desktop.dialogs.article_review import KeptItem
from layers.geo.admin_areas import admin_level, area_rows
from layers.geo.map_view import MapView
from layers.model.project import Project
from layers.store import open_project

pytestmark = pytest.mark.gui

DISTRICT_INK = QColor(next(s.colour for s in STYLES if s.level == "district"))


def _pixels(image):
    ptr = image.constBits()
    return np.frombuffer(ptr, dtype=np.uint32, count=image.width() * image.height()).reshape(
        image.height(), image.width())


def _near(image, colour, x0, y0, x1, y1, tolerance=40):
    """How many pixels of a box are close to a colour."""
    count = 0
    for x in range(max(0, x0), min(image.width(), x1)):
        for y in range(max(0, y0), min(image.height(), y1)):
            c = image.pixelColor(x, y)
            if (abs(c.red() - colour.red()) + abs(c.green() - colour.green())
                    + abs(c.blue() - colour.blue())) < tolerance:
                count += 1
    return count


def test_district_outlines_and_names_are_drawn_with_no_network(qapp):
    view = MapView(width=500, height=400)
    view.fit_lonlat(120.05, 30.20, 120.25, 30.34)  # 西湖区 and its neighbours, ~50 m/px
    plain = MapRenderer(Project()).render(view)
    image = MapRenderer(Project(), admin_areas=True).render(view)
    assert set(np.unique(_pixels(plain))) == {BACKGROUND.rgba()}
    # the 西湖区/拱墅区 line: a vertex of it is drawn in the district colour
    districts = admin_level("district")
    xihu = districts.geometries[area_rows(districts, [120.13], [30.28])[0]]
    line = shapely.intersection(xihu.boundary, shapely.box(120.10, 30.27, 120.16, 30.32))
    lon, lat = shapely.get_coordinates(line)[len(shapely.get_coordinates(line)) // 2]
    x, y = (round(v) for v in view.lonlat_to_pixel(lon, lat))
    assert _near(image, DISTRICT_INK, x - 3, y - 3, x + 4, y + 4) > 0
    assert _near(plain, DISTRICT_INK, x - 3, y - 3, x + 4, y + 4) == 0
    # names: the part of the picture inside 西湖区 holds dark text pixels, the plain one none
    changed = _pixels(image) != _pixels(plain)
    assert changed.sum() > 2000
    # the credit sits at the bottom-right
    assert (_pixels(image)[-10:, -60:] != BACKGROUND.rgba()).any()
    assert (_pixels(plain)[-10:, -60:] == BACKGROUND.rgba()).all()


def test_a_map_of_china_draws_provinces_fast_enough_to_pan(qapp):
    view = MapView(width=800, height=600)
    view.fit_lonlat(73.5, 18.0, 135.0, 53.5)
    image = MapRenderer(Project(), admin_areas=True).render(view)
    assert (_pixels(image) != BACKGROUND.rgba()).sum() > 5000


def test_export_png_shows_the_boundaries_unless_asked_not_to(qapp, bundled_copy):
    project = open_project(bundled_copy)
    with_areas = render_map_image(project, 600, 400, community="翠苑一区")
    without = render_map_image(project, 600, 400, community="翠苑一区", admin_areas=False)
    assert (_pixels(with_areas) != _pixels(without)).sum() > 300
    assert (_pixels(with_areas)[-10:, -60:] != _pixels(without)[-10:, -60:]).any()  # credit


def test_view_menu_switches_the_boundaries(window, qtbot):
    action = window.menus.admin_areas_action
    assert action.isChecked() and window.canvas.renderer.admin_areas
    window.canvas.zoom_to_lonlat_bounds((120.05, 30.20, 120.25, 30.34))
    window.canvas.render_now()
    qtbot.waitUntil(lambda: not admin_loader().busy, timeout=30000)  # read off the GUI thread
    window.canvas.render_now()
    shown = window.canvas.map_image()
    action.setChecked(False)
    assert not window.canvas.renderer.admin_areas
    window.canvas.render_now()
    assert window.canvas.map_image() != shown
    from desktop.canvas.canvas import admin_areas_wanted

    assert admin_areas_wanted() is False  # remembered
    action.setChecked(True)


def test_an_article_community_joins_the_one_xihu_group(window, qtbot):
    comms = window.project.communities.frame
    cuiyuan = comms.set_index("name").loc["翠苑一区"]
    assert (cuiyuan["province"], cuiyuan["city"], cuiyuan["district"]) == (
        "浙江省", "杭州市", "西湖区")
    items = [KeptItem("community", "文新社区", None, None, "西湖区文新社区……", district="西湖区")]
    anchor = (cuiyuan.geometry.x + 0.004, cuiyuan.geometry.y + 0.002)
    assert window.place_article_items(items, "t 《x》", anchor=anchor) == 1
    new = window.project.communities.frame.set_index("name").loc["文新社区"]
    assert (new["province"], new["city"], new["district"]) == ("浙江省", "杭州市", "西湖区")
    assert "filled city/province for 1 community" in window.statusBar().currentMessage()
    paths = window.navigator.area_paths()
    assert [p for p in paths if p[-1] == "西湖区"] == [("浙江省", "杭州市", "西湖区")]
    assert "文新社区" in window.navigator.community_items()


def test_the_navigator_places_a_community_missing_its_city(window, qtbot):
    import geopandas as gpd

    row = gpd.GeoDataFrame({"name": ["旧数据社区"], "district": ["西湖区"]},
                           geometry=[shapely.Point(120.12, 30.27)], crs="EPSG:4326")
    window.project.communities.add_features(row)
    window.navigator.rebuild()
    paths = window.navigator.area_paths()
    assert [p for p in paths if p[-1] == "西湖区"] == [("浙江省", "杭州市", "西湖区")]
    assert ("西湖区",) not in paths


def test_the_canvas_reads_boundaries_off_the_gui_thread_then_draws_them(window, qtbot):
    """The first read of a level is slow: the canvas keeps drawing and adds them when ready."""
    canvas = window.canvas
    canvas.zoom_to_lonlat_bounds((120.05, 30.20, 120.25, 30.34))
    admin_drawing._READY.clear()  # as on the app's first start: nothing read yet
    canvas.render_now()
    assert admin_loader().busy  # asked for on a worker thread; this render went on without
    without = canvas.map_image()
    with qtbot.waitSignal(canvas.rendered, timeout=30000):  # ``loaded`` schedules a redraw
        qtbot.waitUntil(lambda: not admin_loader().busy, timeout=30000)
    qtbot.waitUntil(lambda: canvas.map_image() != without, timeout=5000)
    image = canvas.map_image()
    assert _near(image, DISTRICT_INK, 0, 0, image.width(), image.height()) > 100
