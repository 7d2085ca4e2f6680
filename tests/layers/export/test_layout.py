import datetime as dt

import pytest

from layers.export.errors import ExportError
from layers.export.layout.build import build_layout
from layers.export.layout.extent import parse_extent
from layers.export.layout.page import LayoutOptions, page_size
from layers.export.layout.scale_bar import metres_per_degree_longitude, scale_bar_for
from layers.geo.geodesy import geodesic_m
from layers.store import open_project


def test_page_sizes_are_exact_points():
    assert page_size("A4", landscape=True) == (842, 595)
    assert page_size("A4", landscape=False) == (595, 842)
    assert page_size("a3", landscape=True) == (1191, 842)
    with pytest.raises(ExportError):
        page_size("Letter", landscape=False)


def test_scale_bar_is_true_at_the_maps_latitude():
    # a frame 500 pt wide showing 0.05° of longitude at 30°N
    bar = scale_bar_for(120.0, 120.05, 30.0, 500.0)
    ground_width = geodesic_m(120.0, 30.0, 120.05, 30.0)
    assert bar.length_m == 1000  # a quarter of the 4.8 km frame, rounded down
    assert bar.length_pt == pytest.approx(bar.length_m / ground_width * 500.0, rel=1e-3)
    assert bar.label == "1 km"
    # the same degrees are shorter on the ground further north: the bar gets longer on paper
    north = scale_bar_for(120.0, 120.05, 45.0, 500.0)
    assert north.length_m / north.length_pt < bar.length_m / bar.length_pt
    assert metres_per_degree_longitude(30.0) == pytest.approx(96_486, rel=1e-3)


def test_scale_bar_in_metres():
    bar = scale_bar_for(120.0, 120.01, 30.0, 500.0)
    assert bar.label == "200 m"


def test_legend_lists_only_categories_in_the_extent_with_counts(bundled_copy):
    project = open_project(bundled_copy)
    page = build_layout(project, LayoutOptions(community="翠苑一区", landscape=True))
    frame = project.facilities.frame
    inside = frame[frame["community"] == "翠苑一区"]
    labels = {e.label: e.count for e in page.legend if e.kind == "category"}
    assert sum(labels.values()) == len(inside)
    assert "社区/老年食堂" in labels
    all_categories = set(frame["category"])
    assert len(labels) < len(all_categories)  # other communities' categories are left out
    assert page.area_name == "浙江省杭州市西湖区"
    assert any("西湖区翠苑一区" in s for s in page.sources)
    w, s, e, n = page.bounds
    assert 119.9 < w < e < 120.4 and 30.0 < s < n < 30.5  # 翠苑, Hangzhou


def test_minutes_adds_the_walks_circles_to_the_legend(bundled_copy):
    project = open_project(bundled_copy)
    page = build_layout(project, LayoutOptions(community="翠苑一区", minutes=10))
    circles = [e for e in page.legend if e.kind == "circles"]
    assert circles and circles[0].label == "10分钟步行服务圈"
    assert circles[0].count == len(page.circles)


def test_footer_names_imported_files_and_the_date(bundled_copy):
    project = open_project(bundled_copy)
    frame = project.facilities.frame
    frame.loc[frame["community"] == "翠苑一区", "source"] = "my_facilities.csv"
    page = build_layout(project, LayoutOptions(community="翠苑一区", author="规划科",
                                               date=dt.date(2026, 5, 4)))
    text = "\n".join(page.footer_lines)
    assert "导入自 my_facilities.csv" in text
    assert "2026年5月4日" in text and "制图：规划科" in text


def test_extent_and_errors(bundled_copy):
    project = open_project(bundled_copy)
    assert parse_extent("120.1,30.2,120.2,30.3") == (120.1, 30.2, 120.2, 30.3)
    with pytest.raises(ExportError):
        parse_extent("120.2,30.2,120.1,30.3")
    with pytest.raises(ExportError):
        build_layout(project, LayoutOptions(community="没有这个社区"))
    page = build_layout(project, LayoutOptions(extent=(120.1, 30.2, 120.2, 30.3)))
    assert page.bounds[0] <= 120.1 and page.bounds[2] >= 120.2


def test_other_layers_are_named_in_chinese_on_the_printed_legend(bundled_copy):
    import geopandas as gpd
    import shapely

    from layers.model.layer import FeatureLayer, conform
    from layers.model.schema import ROADS

    project = open_project(bundled_copy)
    point = project.communities.frame.geometry.iloc[0]
    road = conform(gpd.GeoDataFrame(
        {"id": ["r1"], "name": ["翠苑路"]},
        geometry=[shapely.LineString([(point.x - 0.001, point.y), (point.x + 0.001, point.y)])],
        crs=4326), ROADS)
    project.add_layer(FeatureLayer("roads", road))
    page = build_layout(project, LayoutOptions(landscape=True))
    labels = [e.label for e in page.legend if e.kind == "layer"]
    assert "道路与步行道" in labels and "roads" not in labels


def test_north_arrow_and_scale_bar_keep_off_the_features_and_names(bundled_copy):
    import numpy as np

    from layers.export.layout.furniture import corner_rect, map_obstacles

    project = open_project(bundled_copy)
    fac = project.facilities.frame
    here = fac[fac["community"] == "翠苑一区"].geometry
    e, n = float(here.x.max()), float(here.y.max())
    # the community's facilities crowd the map's top-right corner, where the arrow goes
    options = LayoutOptions(landscape=True, extent=(e - 0.02, n - 0.012, e - 0.001, n - 0.0008))
    layout = build_layout(project, options)
    points = map_obstacles(project, layout.mercator, layout.frames["map"])
    arrow = layout.frames["north_arrow"]

    def covered(rect):
        return int(np.count_nonzero((points[:, 0] >= rect.x) & (points[:, 0] <= rect.right)
                                    & (points[:, 1] >= rect.y) & (points[:, 1] <= rect.bottom)))

    assert covered(corner_rect(layout.frames["map"], arrow.w, arrow.h, "top_right", 10)) > 0
    assert layout.corners["north_arrow"] != "top_right"
    assert covered(layout.frames["north_arrow"]) == 0
    assert covered(layout.frames["scale_bar"]) == 0
    arrow, bar = layout.frames["north_arrow"], layout.frames["scale_bar"]
    assert not (arrow.x < bar.right and bar.x < arrow.right
                and arrow.y < bar.bottom and bar.y < arrow.bottom)
    # an empty corner where it always was: nothing moves
    plain = build_layout(project, LayoutOptions(landscape=True, community="翠苑一区"))
    assert plain.corners == {"north_arrow": "top_right", "scale_bar": "bottom_left"}


@pytest.mark.parametrize("typed", ["浙S(2026)001号", "审图号：浙S(2026)001号",
                                   "审图号:浙S(2026)001号", " 审图号 浙S(2026)001号 "])
def test_the_review_number_is_printed_once_with_its_word(typed):
    from layers.export.layout.texts import review_number_text

    assert review_number_text(typed) == "审图号：浙S(2026)001号"
    assert review_number_text("  ") == ""
