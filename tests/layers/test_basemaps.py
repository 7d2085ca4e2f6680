"""The basemap registry, without Qt: names, URLs, keys, attribution, GCJ-02 placement."""

import argparse

import pytest

from layers.geo import basemaps
from layers.geo.gcj02 import wgs84_to_gcj02
from layers.geo.map_view import lonlat_to_mercator


def _args(*argv):
    parser = argparse.ArgumentParser(exit_on_error=False)
    basemaps.add_basemap_option(parser)
    return parser.parse_args(list(argv))


def test_the_default_is_no_basemap_so_nothing_touches_the_network():
    assert basemaps.basemap_from_args(_args()) is None


def test_names_and_url_templates(monkeypatch):
    monkeypatch.setenv("TIANDITU_KEY", "abc")
    assert basemaps.basemap_from_args(_args("--basemap", "osm")) is basemaps.OSM
    img = basemaps.basemap_from_args(_args("--basemap", "tianditu-img"))
    assert img.overlay_template and "LAYER=cia" in img.overlay_template
    assert "LAYER=cva" in basemaps.TIANDITU_VEC.overlay_template
    custom = basemaps.basemap_from_args(_args("--basemap", "https://{s}.t.example/{z}/{x}/{y}.png"))
    assert custom.name == "custom" and custom.attribution == "Basemap: {s}.t.example"
    assert custom.tile_url(custom.url_template, 3, 1, 2) == "https://a.t.example/3/1/2.png"


def test_tianditu_urls_carry_the_key_and_spread_over_servers():
    url = basemaps.TIANDITU_VEC.tile_url(basemaps.TIANDITU_VEC.url_template, 12, 3412, 1673, "K")
    assert url.startswith("https://t5.tianditu.gov.cn/vec_w/wmts?")
    assert "TILEMATRIX=12&TILEROW=1673&TILECOL=3412&tk=K" in url
    assert basemaps.TIANDITU_VEC.headers()["Referer"]


@pytest.mark.parametrize("spec, says", [
    ("google", "unknown basemap"), ("http://x/{z}/{x}.png", "{y}"),
    ("ftp://x/{z}/{x}/{y}", "http"), ("http://x/{z}/{x}/{y}/{q}", "unknown"),
])
def test_bad_basemaps_say_why(spec, says):
    with pytest.raises(basemaps.BasemapError) as err:
        basemaps.checked_basemap(spec)
    assert says in str(err.value)


def test_tianditu_without_a_key_is_refused(monkeypatch):
    monkeypatch.delenv("TIANDITU_KEY", raising=False)
    with pytest.raises(basemaps.BasemapError, match="TIANDITU_KEY"):
        basemaps.checked_basemap("tianditu-vec")
    assert basemaps.tianditu_key("from-settings") == "from-settings"
    monkeypatch.setenv("TIANDITU_KEY", "env")
    assert basemaps.tianditu_key("from-settings") == "env"


def test_attribution_for_each_basemap():
    assert "OpenStreetMap" in basemaps.attribution_for("osm")
    assert "天地图" in basemaps.attribution_for("tianditu-vec")
    assert "高德" in basemaps.attribution_for("amap")
    assert basemaps.attribution_for("none") == basemaps.attribution_for(None) == ""
    assert basemaps.attribution_for_url("https://tile.openstreetmap.org/{z}/{x}/{y}.png") \
        == basemaps.OSM.attribution


def test_amap_tiles_move_by_the_gcj02_offset_and_others_do_not():
    lon, lat = 120.1551, 30.2741
    x, y = lonlat_to_mercator(lon, lat)
    gx, gy = lonlat_to_mercator(*wgs84_to_gcj02(lon, lat))
    dx, dy = basemaps.datum_shift(basemaps.AMAP, float(gx), float(gy))
    # the tile spot where GCJ-02 puts the point is moved back onto its WGS-84 place
    assert abs(float(gx) + dx - float(x)) < 0.05 and abs(float(gy) + dy - float(y)) < 0.05
    assert basemaps.datum_shift(basemaps.OSM, float(gx), float(gy)) == (0.0, 0.0)


def test_only_the_tiles_on_screen_are_asked_for_centre_first():
    x, y = lonlat_to_mercator(120.1551, 30.2741)
    x, y = float(x), float(y)
    tiles = basemaps.visible_tiles(basemaps.OSM, (x - 500, y - 400, x + 500, y + 400), 16)
    assert 1 <= len(tiles) <= 16
    assert basemaps.visible_tiles(basemaps.OSM, (-2e7, -2e7, 2e7, 2e7), 18) == []
