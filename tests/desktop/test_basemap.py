"""The online basemap, against a local tile server on 127.0.0.1 (no internet here)."""

import http.server
import threading

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage

TILE_COLOR = QColor("#3366cc")


def _tile_png() -> bytes:
    img = QImage(256, 256, QImage.Format.Format_RGB32)
    img.fill(TILE_COLOR)
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")
    return bytes(data.data())


@pytest.fixture
def tile_server():
    png = _tile_png()
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(png)))
            self.end_headers()
            self.wfile.write(png)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{{z}}/{{x}}/{{y}}.png", hits
    server.shutdown()


def _corner_color(win):
    return win.canvas.map_image().pixelColor(5, 5)


def test_tiles_are_drawn_and_cached(window, qtbot, tile_server, tmp_path, monkeypatch):
    url, hits = tile_server
    monkeypatch.setattr("desktop.canvas.basemap.default_cache_dir", lambda: tmp_path / "tiles")
    window.enable_basemap(url)
    qtbot.waitUntil(lambda: _corner_color(window) == TILE_COLOR, timeout=5000)
    assert hits and all(h.endswith(".png") for h in hits)
    assert list((tmp_path / "tiles").rglob("*.png"))
    assert window.basemap_label.text() != ""
    assert "offline" not in window.basemap_label.text()


def test_no_network_says_basemap_offline(window, qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr("desktop.canvas.basemap.default_cache_dir", lambda: tmp_path / "tiles")
    # a port nobody listens on: connection refused at once
    window.enable_basemap("http://127.0.0.1:9/{z}/{x}/{y}.png")
    window.canvas.render_now()
    qtbot.waitUntil(lambda: window.basemap.offline, timeout=5000)
    window.basemap_control.update_label()
    assert window.basemap_label.text() in ("basemap offline", "底图离线")
    # the data is still drawn
    frame = window.project.facilities.frame
    row = frame.iloc[0]
    window.canvas.zoom_to_features(window.project.facilities, [row["id"]], min_span=800)
    window.canvas.render_now()
    p = window.canvas.pixel_of(row.geometry.x, row.geometry.y)
    from desktop.canvas.renderer import BACKGROUND

    assert window.canvas.map_image().pixelColor(round(p.x()), round(p.y())) != BACKGROUND
