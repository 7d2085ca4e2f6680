"""``export-png --basemap``: tiles from a local server under the exported map, and its errors."""

import subprocess
import sys

from PySide6.QtGui import QColor, QImage

from tests.conftest import REPO
from tests.desktop.tile_server import TileServer, png

TILE = "#3366cc"


def _export(tmp_path, bundled_copy, *extra):
    import os

    out = tmp_path / "map.png"
    env = {k: v for k, v in os.environ.items() if k != "TIANDITU_KEY"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    res = subprocess.run([sys.executable, "main.py", "export-png", "--project", str(bundled_copy),
                          "--out", str(out), "--width", "640", "--height", "480", *extra],
                         capture_output=True, text=True, cwd=REPO, env=env)
    return res, out


def test_export_png_draws_tiles_from_a_url_template_with_their_attribution(tmp_path,
                                                                         bundled_copy):
    server = TileServer(lambda *_: png(TILE))
    try:
        res, out = _export(tmp_path, bundled_copy, "--basemap", server.url())
    finally:
        server.stop()
    assert res.returncode == 0, res.stderr
    assert server.hits and all(h["User-Agent"].startswith("facility-mapper/")
                               for h in server.headers)
    image = QImage(str(out))
    assert image.pixelColor(320, 240 - 200) == QColor(TILE)  # tiles under the map
    # the attribution box at the bottom-right corner covers the tiles there
    assert image.pixelColor(637, 477) != QColor(TILE)
    assert list((tmp_path / "cache" / "facility-mapper" / "tiles").rglob("*.tile"))


def test_export_png_without_basemap_asks_no_server(tmp_path, bundled_copy):
    res, out = _export(tmp_path, bundled_copy)
    assert res.returncode == 0, res.stderr
    assert not (tmp_path / "cache").exists()


def test_export_png_with_a_failing_server_says_so_in_one_line_and_draws_the_map(
        tmp_path, bundled_copy):
    server = TileServer(lambda *_: b"", status=500)
    try:
        res, out = _export(tmp_path, bundled_copy, "--basemap", server.url())
    finally:
        server.stop()
    assert res.returncode == 0, res.stderr
    lines = [ln for ln in res.stdout.splitlines() if ln.startswith("basemap:")]
    assert len(lines) == 1 and "HTTP 500" in lines[0]
    assert out.is_file()


def test_bad_basemap_values_are_one_line_errors(tmp_path, bundled_copy):
    for value, says in (("google", "unknown basemap"), ("http://x/{z}/{x}.png", "{y}"),
                        ("tianditu-img", "TIANDITU_KEY")):
        res, out = _export(tmp_path, bundled_copy, "--basemap", value)
        assert res.returncode == 2
        assert res.stderr.count("\n") == 1 and says in res.stderr, res.stderr
        assert not out.exists()


def test_export_map_prints_the_page_over_tiles_from_a_local_server(tmp_path, bundled_copy):
    import os

    out = tmp_path / "page.png"
    env = {k: v for k, v in os.environ.items() if k != "TIANDITU_KEY"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    server = TileServer(lambda *_: png(TILE))
    try:
        res = subprocess.run([sys.executable, "main.py", "export-map", "--project",
                              str(bundled_copy), "--out", str(out), "--dpi", "60",
                              "--community", "翠苑一区", "--basemap", server.url()],
                             capture_output=True, text=True, cwd=REPO, env=env)
    finally:
        server.stop()
    assert res.returncode == 0, res.stderr
    assert server.hits
    image = QImage(str(out))
    colors = {image.pixelColor(x, y).name() for x in range(0, image.width(), 7)
              for y in range(0, image.height(), 7)}
    assert TILE in colors  # the map frame shows the tiles


def test_export_map_with_an_unknown_basemap_is_one_line(tmp_path, bundled_copy):
    res = subprocess.run([sys.executable, "main.py", "export-map", "--project",
                          str(bundled_copy), "--out", str(tmp_path / "p.pdf"), "--basemap",
                          "nowhere"], capture_output=True, text=True, cwd=REPO)
    assert res.returncode != 0
    assert len(res.stderr.strip().splitlines()) == 1 and "nowhere" in res.stderr
