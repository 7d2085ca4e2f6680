"""export-html --basemap: named sources, keys, and AMap's GCJ-02 tiles lined up with the data."""

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from layers.export.html import export_html
from layers.geo.basemaps import AMAP, OSM, TIANDITU_VEC, with_template
from layers.geo.gcj02 import wgs84_to_gcj02
from layers.store import open_project
from tests.browser import file_url, offline_page

REPO = Path(__file__).resolve().parents[3]
MAGENTA = (255, 0, 255)


def _run(*args, env=None):
    return subprocess.run([sys.executable, str(REPO / "main.py"), *map(str, args)],
                          capture_output=True, text=True, check=False, env=env)


def test_cli_basemap_names_sources_and_keeps_the_default(bundled_copy, tmp_path):
    default = tmp_path / "default.html"
    assert _run("export-html", "--project", bundled_copy, "--out", default).returncode == 0
    assert "tile.openstreetmap.org" in default.read_text(encoding="utf-8")  # as before
    amap = tmp_path / "amap.html"
    done = _run("export-html", "--project", bundled_copy, "--out", amap, "--basemap", "amap")
    assert done.returncode == 0, done.stderr
    page = amap.read_text(encoding="utf-8")
    assert "autonavi.com" in page and "new L.TileLayer.Gcj02(" in page and "AutoNavi" in page
    none = tmp_path / "none.html"
    assert _run("export-html", "--project", bundled_copy, "--out", none,
                "--basemap", "none").returncode == 0
    assert "L.tileLayer(" not in none.read_text(encoding="utf-8")
    env = {k: v for k, v in __import__("os").environ.items() if k != "TIANDITU_KEY"}
    refused = _run("export-html", "--project", bundled_copy, "--out", tmp_path / "t.html",
                   "--basemap", "tianditu-vec", env=env)
    assert refused.returncode != 0 and refused.stderr.count("\n") == 1
    assert "TIANDITU_KEY" in refused.stderr and "Traceback" not in refused.stderr


def test_tianditu_brings_its_key_subdomains_and_names_layer(bundled_copy, tmp_path,
                                                            monkeypatch):
    monkeypatch.setenv("TIANDITU_KEY", "k123")
    page = export_html(open_project(bundled_copy), tmp_path / "t.html",
                       tiles=TIANDITU_VEC).read_text(encoding="utf-8")
    assert "tk=k123" in page and "{key}" not in page
    assert "LAYER=vec" in page and "LAYER=cva" in page  # the names drawn over the map
    assert '"01234567"' in page and "天地图" in page


def _mark_tiles(folder: Path, lon: float, lat: float, z: int) -> None:
    """Blank tiles around a point, with a magenta ring drawn where the point is."""
    n = 2 ** z
    gx = (lon + 180) / 360 * n * 256
    gy = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n * 256
    tx, ty = int(gx // 256), int(gy // 256)
    for x in range(tx - 4, tx + 5):
        for y in range(ty - 4, ty + 5):
            tile = np.full((256, 256, 3), 235, dtype=np.uint8)
            cx, cy = gx - x * 256, gy - y * 256
            yy, xx = np.mgrid[0:256, 0:256]
            ring = np.abs(np.hypot(xx + 0.5 - cx, yy + 0.5 - cy) - 16) < 2.5
            tile[ring] = MAGENTA
            (folder / str(z) / str(x)).mkdir(parents=True, exist_ok=True)
            Image.fromarray(tile).save(folder / str(z) / str(x) / f"{y}.png")


def _ring_offset(page, tmp_path, name, px, py):
    page.add_style_tag(content=".leaflet-pane:not(.leaflet-tile-pane):not(.leaflet-map-pane)"
                       "{display:none !important}")
    page.wait_for_timeout(500)
    shot = tmp_path / f"{name}.png"
    page.screenshot(path=str(shot))
    pixels = np.asarray(Image.open(shot).convert("RGB")).astype(int)
    ys, xs = np.nonzero(np.abs(pixels - MAGENTA).sum(axis=2) < 60)
    assert len(xs) > 50, "the marked tile was drawn"
    return float(xs.mean()) - px, float(ys.mean()) - py


@pytest.mark.browser
def test_amap_tiles_put_a_facility_on_its_street(bundled_copy, tmp_path):
    """A GCJ-02 tile marks a facility where AMap has it; the page draws the mark on the point."""
    project = open_project(bundled_copy)
    row = project.facilities.frame.iloc[0]
    lon, lat = row.geometry.x, row.geometry.y
    glon, glat = (float(v[0]) for v in wgs84_to_gcj02([lon], [lat]))
    z = 17
    _mark_tiles(tmp_path / "tiles", glon, glat, z)
    template = (tmp_path / "tiles").resolve().as_uri() + "/{z}/{x}/{y}.png"
    offsets = {}
    for name, source in (("amap", with_template(AMAP, template)),
                         ("plain", with_template(OSM, template))):
        out = export_html(project, tmp_path / f"{name}.html", tiles=source)
        with offline_page() as (page, errors, blocked):
            page.goto(file_url(out))
            page.wait_for_function("typeof window.facilityMapStats === 'function'",
                                   timeout=15000)
            page.evaluate(f"window.facilityMapView({lat}, {lon}, {z})")
            page.wait_for_timeout(300)
            px, py = page.evaluate(f"window.facilityMapPoint('facilities', '{row['id']}')")
            offsets[name] = _ring_offset(page, tmp_path, name, px, py)
            assert blocked == []
    # drawn as GCJ-02 over WGS-84 data, the mark would sit ~500 m (hundreds of pixels) away
    assert math.hypot(*offsets["plain"]) > 100
    assert math.hypot(*offsets["amap"]) < 3, offsets
