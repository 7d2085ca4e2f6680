"""Basemap sources drawn from a local tile server: AMap's GCJ-02 shift, Tianditu's labels, cache."""

import numpy as np
import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QImage, QPainter

from desktop.canvas.basemap import TileBasemap
from desktop.canvas.tile_cache import TileCache, default_cache_dir
from layers.geo import basemaps
from layers.geo.gcj02 import wgs84_to_gcj02
from layers.geo.map_view import WORLD_SIZE, MapView, lonlat_to_mercator
from tests.desktop.tile_server import TileServer, png

#: 杭州, 西湖边: a known point, WGS-84
KNOWN = (120.1551, 30.2741)
Z = 17


def _global_pixel(lon, lat, z):
    """Where a lon/lat falls in the z-level tile pyramid, in tile pixels."""
    x, y = lonlat_to_mercator(lon, lat)
    scale = 256 * 2**z / WORLD_SIZE
    return (float(x) + WORLD_SIZE / 2) * scale, (WORLD_SIZE / 2 - float(y)) * scale


def _gcj02_marked_tile(_layer, z, x, y):
    """A GCJ-02 tile as AMap serves it: the known point is marked at its GCJ-02 spot."""
    glon, glat = wgs84_to_gcj02(*KNOWN)
    gx, gy = _global_pixel(glon, glat, z)
    lx, ly = round(gx - 256 * x), round(gy - 256 * y)

    def mark(pixels):
        pixels[max(ly - 3, 0):max(ly + 3, 0), max(lx - 3, 0):max(lx + 3, 0)] = (255, 0, 0, 255)

    return png("#dddddd", paint=mark)


def _draw(basemap, view):
    image = QImage(view.width, view.height, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        basemap.draw(painter, view)
    finally:
        painter.end()
    return image


def _marked_pixels(image):
    img = image.convertToFormat(QImage.Format.Format_RGB32)
    arr = np.frombuffer(img.constBits(), dtype=np.uint8).reshape(img.height(), img.width(), 4)
    red = (arr[..., 2] > 200) & (arr[..., 1] < 60) & (arr[..., 0] < 60)
    ys, xs = np.nonzero(red)
    return xs, ys


def _marked_centre(image):
    xs, ys = _marked_pixels(image)
    assert len(xs), "the marked point is not in the picture"
    return xs.mean() + 0.5, ys.mean() + 0.5


@pytest.fixture
def amap_server():
    server = TileServer(_gcj02_marked_tile)
    yield server
    server.stop()


def _street_view():
    cx, cy = lonlat_to_mercator(*KNOWN)
    return MapView(float(cx), float(cy), WORLD_SIZE / 256 / 2**Z, 600, 500)


def test_amap_tiles_are_moved_so_a_wgs84_point_sits_on_its_gcj02_mark(qapp, amap_server,
                                                                      tmp_path):
    view = _street_view()
    amap = basemaps.with_template(basemaps.AMAP, amap_server.url())
    image = _draw(TileBasemap(amap, tmp_path, wait=True), view)
    # where the canvas draws the WGS-84 facility at the known point
    px, py = (float(v) for v in view.to_pixel(*lonlat_to_mercator(*KNOWN)))
    mx, my = _marked_centre(image)
    assert abs(mx - px) <= 2 and abs(my - py) <= 2

    # the same tiles taken for WGS-84 put the mark hundreds of metres off
    unshifted = basemaps.with_template(basemaps.OSM, amap_server.url())
    image = _draw(TileBasemap(unshifted, tmp_path, wait=True), view)
    xs, ys = _marked_pixels(image)
    assert not (np.hypot(xs + 0.5 - px, ys + 0.5 - py) < 100).any()


def test_tianditu_draws_its_annotation_layer_over_the_map(qapp, tmp_path, monkeypatch):
    def tile(layer, *_):
        if layer == "vec":
            return png("#88aa55")

        def label(pixels):  # place names: a dark mark on a transparent tile
            pixels[100:140, 100:140] = (0x22, 0x22, 0x22, 255)

        return png("#00000000", paint=label)

    server = TileServer(tile)
    try:
        source = basemaps.with_template(basemaps.TIANDITU_VEC, server.url("vec", "?tk={key}"),
                                        server.url("cva", "?tk={key}"))
        view = _street_view()
        image = _draw(TileBasemap(source, tmp_path, key="k123", wait=True), view)
    finally:
        server.stop()
    arr = image.convertToFormat(QImage.Format.Format_RGB32)
    colors = {arr.pixelColor(QPoint(x, y)).name() for x in range(0, 600, 7)
              for y in range(0, 500, 7)}
    assert {"#88aa55", "#222222"} <= colors  # the map, and the names on top of it
    assert {h.split("/")[1] for h in server.hits} == {"vec", "cva"}
    assert all(h.endswith("tk=k123") for h in server.hits)


def test_export_waits_only_for_the_tiles_on_screen(qapp, tmp_path):
    server = TileServer(lambda *_: png("#3366cc"))
    try:
        view = _street_view()
        basemap = TileBasemap(server.url(), tmp_path, wait=True)
        _draw(basemap, view)
    finally:
        server.stop()
    # 600 x 500 pixels at tile scale: at most 4 x 3 tiles, nothing beyond the view
    assert 0 < len(server.hits) <= 12
    assert basemap.fetched_count == len(server.hits) and not basemap.loading


def test_the_disk_cache_keeps_to_its_size_limit_dropping_the_oldest(tmp_path):
    import os

    cache = TileCache(tmp_path, max_mb=0.05)  # about 52 kB
    tile = b"x" * 10_000
    for i in range(12):
        cache.write("http://t/{z}/{x}/{y}.png", 5, i, 0, tile)
        path = cache.path("http://t/{z}/{x}/{y}.png", 5, i, 0)
        os.utime(path, (1000 + i, 1000 + i))
    cache.prune()
    assert cache.size() <= cache.max_bytes
    assert cache.read("http://t/{z}/{x}/{y}.png", 5, 11, 0) is not None  # newest kept
    assert cache.read("http://t/{z}/{x}/{y}.png", 5, 0, 0) is None  # oldest dropped


def test_the_cache_folder_follows_xdg_cache_home(monkeypatch, tmp_path, qapp):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "c"))
    assert default_cache_dir() == tmp_path / "c" / "facility-mapper" / "tiles"


def test_a_key_never_reaches_the_cache_folder(tmp_path):
    cache = TileCache(tmp_path)
    path = cache.path(basemaps.TIANDITU_VEC.url_template, 3, 1, 2)
    assert "tk=" not in str(path) and path.is_relative_to(tmp_path)
