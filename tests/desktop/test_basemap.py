"""The online basemap in the window, against a local tile server on 127.0.0.1 (no internet)."""

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QDialog, QInputDialog

from layers.geo import basemaps
from tests.desktop.tile_server import TileServer, png

TILE_COLOR = QColor("#3366cc")


@pytest.fixture(autouse=True)
def cache_home(tmp_path, monkeypatch):
    """Tiles are cached under a fresh XDG_CACHE_HOME, never in the user's cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.delenv("TIANDITU_KEY", raising=False)
    QSettings().remove("map/tianditu_key")
    return tmp_path / "xdg-cache"


@pytest.fixture
def tile_server():
    server = TileServer(lambda *_: png(TILE_COLOR.name()))
    yield server
    server.stop()


def _corner_color(win):
    return win.canvas.map_image().pixelColor(5, 5)


def _dialogs_open():
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]


def test_tiles_are_drawn_cached_under_xdg_cache_home_and_served_offline(
        window, qtbot, tile_server, cache_home):
    window.enable_basemap(tile_server.url())
    qtbot.waitUntil(lambda: _corner_color(window) == TILE_COLOR, timeout=5000)
    qtbot.waitUntil(lambda: not window.basemap.loading, timeout=5000)
    asked = len(tile_server.hits)
    assert asked and all(h.endswith(".png") for h in tile_server.hits)
    # every request names the app (OpenStreetMap's tile usage policy)
    assert all(h["User-Agent"].startswith("facility-mapper/") for h in tile_server.headers)
    cached = list((cache_home / "facility-mapper" / "tiles").rglob("*.tile"))
    assert len(cached) == asked
    assert "offline" not in window.basemap_label.text()
    # the attribution sits small at the bottom-right corner, over the tiles
    image = window.canvas.map_image()
    assert image.pixelColor(image.width() - 3, image.height() - 3) != TILE_COLOR

    # server gone, memory cleared: the tiles come from disk, nothing is asked for
    tile_server.stop()
    window.basemap.set_url(tile_server.url())
    window.canvas.render_now()
    assert _corner_color(window) == TILE_COLOR
    assert len(tile_server.hits) == asked
    assert not window.basemap.offline


def test_failing_server_is_one_quiet_status_line_and_the_data_still_draws(window, qtbot):
    server = TileServer(lambda *_: b"", status=500)
    try:
        window.enable_basemap(server.url())
        statuses = []
        window.basemap.status_changed.connect(statuses.append)
        window.canvas.render_now()
        qtbot.waitUntil(lambda: window.basemap.offline and not window.basemap.loading,
                        timeout=5000)
        window.canvas.zoom_at(300, 300, 2.0)  # other tiles, failing too
        window.canvas.render_now()
        qtbot.waitUntil(lambda: not window.basemap.loading, timeout=5000)
        assert len(server.hits) > 1  # several tiles failed…
    finally:
        server.stop()
    assert statuses.count("HTTP 500") <= 1 and window.basemap.error == "HTTP 500"
    assert window.basemap_label.text().count("HTTP 500") == 1  # …one line says so
    assert _dialogs_open() == []
    frame = window.project.facilities.frame
    row = frame.iloc[0]
    window.canvas.zoom_to_features(window.project.facilities, [row["id"]], min_span=800)
    window.canvas.render_now()
    p = window.canvas.pixel_of(row.geometry.x, row.geometry.y)
    from desktop.canvas.renderer import BACKGROUND

    assert window.canvas.map_image().pixelColor(round(p.x()), round(p.y())) != BACKGROUND


def test_unreachable_server_says_basemap_offline(window, qtbot):
    # a port nobody listens on: connection refused at once
    window.enable_basemap("http://127.0.0.1:9/{z}/{x}/{y}.png")
    window.canvas.render_now()
    qtbot.waitUntil(lambda: window.basemap.offline, timeout=5000)
    assert window.basemap_label.text().startswith(("basemap offline", "底图离线"))
    assert _dialogs_open() == []


def test_tianditu_without_a_key_says_so_in_one_line_and_fetches_nothing(window):
    window.enable_basemap("tianditu-vec")
    text = window.basemap_label.text()
    assert "TIANDITU_KEY" in text and "\n" not in text
    assert not window.basemap.loading  # no request went out without a key
    assert _dialogs_open() == []


def test_view_menu_tianditu_asks_for_the_key_and_draws_both_layers(window, qtbot, monkeypatch):
    server = TileServer(lambda layer, *_: png("#88aa55" if layer == "vec" else "#00000000"))
    local = basemaps.with_template(basemaps.TIANDITU_VEC, server.url("vec", "?tk={key}"),
                                   server.url("cva", "?tk={key}"))
    monkeypatch.setitem(basemaps.SOURCES, "tianditu-vec", local)
    asked = []

    def answer(*args, **kwargs):
        asked.append(args[1])
        return "my-key", True

    monkeypatch.setattr(QInputDialog, "getText", answer)
    try:
        window.basemap_control.actions["tianditu-vec"].trigger()
        qtbot.waitUntil(lambda: _corner_color(window) == QColor("#88aa55"), timeout=5000)
        qtbot.waitUntil(lambda: any("/cva/" in h for h in server.hits), timeout=5000)
    finally:
        server.stop()
    assert len(asked) == 1  # the key was asked for once
    assert QSettings().value("map/tianditu_key") == "my-key"
    assert all(h.endswith("tk=my-key") for h in server.hits)
    assert all(h.get("Referer") for h in server.headers)
    assert window.basemap_control.actions["tianditu-vec"].isChecked()
    assert "天地图" in window.basemap_label.text() or "Tianditu" in window.basemap_label.text()


def test_view_menu_none_turns_the_basemap_off(window, tile_server, qtbot):
    window.enable_basemap(tile_server.url())
    qtbot.waitUntil(lambda: _corner_color(window) == TILE_COLOR, timeout=5000)
    window.basemap_control.actions["none"].trigger()
    window.canvas.render_now()
    assert _corner_color(window) != TILE_COLOR
    assert window.basemap_label.text() == ""
    assert QSettings().value("map/basemap") == "none"


def test_view_menu_lists_the_basemaps_in_chinese(window):
    window.set_language("zh_CN")
    try:
        texts = [a.text() for a in window.basemap_control.menu.actions()]
        assert window.basemap_control.menu.title() == "底图"
        assert {"天地图矢量", "天地图影像", "高德地图"} <= set(texts)
    finally:
        window.set_language("en")
