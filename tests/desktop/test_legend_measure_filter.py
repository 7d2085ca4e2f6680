"""Legend check boxes hide a category; Measure Area; the table filter reads labels."""

import geopandas as gpd
import numpy as np
import pytest
import shapely
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage

from desktop.canvas.image_arrays import pixel_view
from layers.geo.geodesy import GEOD
from layers.model.categories import get_category
from layers.model.layer import FeatureLayer


def _canteen(window):
    fac = window.project.facilities
    row = fac.frame[fac.frame["category"] == "canteen"].iloc[0]
    return row["id"], row.geometry


def _colour_pixels_near(window, lon, lat, colour, radius=8):
    image = window.canvas.map_image().convertToFormat(QImage.Format.Format_ARGB32)
    rgb = pixel_view(image)
    p = window.canvas.pixel_of(lon, lat)
    x, y = round(p.x()), round(p.y())
    patch = rgb[y - radius:y + radius, x - radius:x + radius]
    c = QColor(colour)
    want = np.array([c.red(), c.green(), c.blue()])
    got = np.stack([(patch >> 16) & 255, (patch >> 8) & 255, patch & 255], axis=-1)
    return int((np.abs(got.astype(int) - want).sum(axis=-1) < 30).sum())


def test_unticking_a_category_hides_its_facilities_and_ticking_brings_them_back(window, qtbot,
                                                                                 tmp_path):
    fid, point = _canteen(window)
    window.navigation.zoom_to_feature("facilities", fid)
    window.project.facilities.set_selection([])
    colour = get_category("canteen").color
    assert _colour_pixels_near(window, point.x, point.y, colour) > 10

    item = window.layer_panel.legend_item("facilities", "canteen")
    assert item is not None and item.checkState(0) == Qt.CheckState.Checked
    item.setCheckState(0, Qt.CheckState.Unchecked)
    assert window.project.facilities.style.hidden_categories == {"canteen"}
    assert _colour_pixels_near(window, point.x, point.y, colour) == 0
    # not picked either, and the exported image is the map as shown
    p = window.canvas.pixel_of(point.x, point.y)
    assert window.canvas.feature_at(p.x(), p.y()) != ("facilities", fid)
    window.exporting.export_png_to(tmp_path / "map.png")
    # the legend was rebuilt by the style change: the box stays unticked
    item = window.layer_panel.legend_item("facilities", "canteen")
    assert item.checkState(0) == Qt.CheckState.Unchecked

    item.setCheckState(0, Qt.CheckState.Checked)
    assert window.project.facilities.style.hidden_categories == frozenset()
    assert _colour_pixels_near(window, point.x, point.y, colour) > 10
    assert window.project.facilities.has_feature(fid)  # only its drawing ever changed


def test_measure_area_of_a_clicked_boundary_matches_pyproj(window, qtbot):
    ring = [(120.120, 30.280), (120.131, 30.280), (120.133, 30.289), (120.121, 30.291)]
    polygon = shapely.Polygon(ring)
    frame = gpd.GeoDataFrame({"id": ["b1"], "community": ["翠苑一区"]}, geometry=[polygon],
                             crs="EPSG:4326")
    window.project.add_layer(FeatureLayer("boundaries", frame))
    window.canvas.zoom_to_lonlat_bounds(polygon.bounds, min_span=100)
    window.canvas.render_now()
    window.set_tool("measure_area")
    centre = window.canvas.pixel_of(polygon.centroid.x, polygon.centroid.y)
    tool = window.tools["measure_area"]
    with qtbot.waitSignal(tool.measured) as blocker:
        qtbot.mouseClick(window.canvas, Qt.MouseButton.LeftButton, pos=centre.toPoint())
    lons, lats = zip(*ring, strict=True)
    expected, _ = GEOD.polygon_area_perimeter(lons, lats)
    assert blocker.args[:2] == ["boundaries", "b1"]
    assert blocker.args[2] == pytest.approx(abs(expected), rel=1e-3)
    message = window.statusBar().currentMessage()
    hectares = abs(expected) / 10_000
    assert "m²" in message and f"{hectares:,.2f} 公顷" in message

    qtbot.mouseClick(window.canvas, Qt.MouseButton.LeftButton, pos=QPoint(3, 3))
    assert tool.geometry is None


def test_table_filter_by_shown_category_name_finds_canteens(window, qtbot):
    table = window.table
    table.show_layer("facilities")
    qtbot.keyClicks(table.filter_edit, "x")  # an ASCII key first: the box takes typing
    table.filter_edit.setText("食堂")
    ids = {table.model.feature_id(r) for r in range(table.model.rowCount())}
    frame = window.project.facilities.frame
    canteens = set(frame.loc[frame["category"] == "canteen", "id"])
    assert canteens and canteens <= ids
    # "社区/老年食堂" is the category's label: only canteens (and names with 食堂) match
    assert all("食堂" in frame.loc[frame["id"] == i, "name"].iloc[0]
               or i in canteens for i in ids)
    table.filter_edit.setText("大致")
    assert table.model.rowCount() == len(frame)  # every bundled facility is approximate


def test_show_only_filtered_on_map(window, qtbot):
    table = window.table
    table.show_layer("facilities")
    fid, point = _canteen(window)
    frame = window.project.facilities.frame
    other = frame[frame["category"] == "parking"].iloc[0]
    window.canvas.zoom_to_lonlat_bounds(
        tuple(shapely.total_bounds([point, other.geometry])), min_span=400)
    parking = get_category("parking").color
    assert _colour_pixels_near(window, other.geometry.x, other.geometry.y, parking) > 10
    table.filter_edit.setText("食堂")
    qtbot.mouseClick(table.map_filter_box, Qt.MouseButton.LeftButton)
    assert table.map_filter_box.isChecked()
    assert _colour_pixels_near(window, other.geometry.x, other.geometry.y, parking) == 0
    canteen = get_category("canteen").color
    assert _colour_pixels_near(window, point.x, point.y, canteen) > 10
    qtbot.mouseClick(table.map_filter_box, Qt.MouseButton.LeftButton)
    assert _colour_pixels_near(window, other.geometry.x, other.geometry.y, parking) > 10


def test_article_viewer_opens_at_the_highlighted_quote(window, qtbot):
    from desktop.dialogs.article_dialog import ArticleDialog

    frame = window.project.facilities.frame
    row = frame[frame["name"] == "翠苑一区休闲小公园（3处）"].iloc[0]
    dialog = ArticleDialog(row["source"], row["quote"], window)
    dialog.show()
    bar = dialog.browser.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.value() > 0, timeout=3000)
    # the first highlighted passage is in sight
    cursor = dialog.browser.document().find(row["quote"].split("\n")[0][:12])
    rect = dialog.browser.cursorRect(cursor)
    assert 0 <= rect.top() < dialog.browser.viewport().height()
    dialog.close()
