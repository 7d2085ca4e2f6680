"""Issue 3 targets: full redraw of 100,000 facilities at 1600x1000, pan frame rate,
identify latency and startup time. QGIS 3.22 renders the same GeoPackage side by
side when Debian's python3-qgis is installed.

Run: .venv/bin/python benchmarks/bench_canvas.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from benchmarks.synthetic import write_project  # noqa: E402

N = 100_000
W, H = 1600, 1000

QGIS_SCRIPT = r"""
import sys, time
from qgis.core import (QgsApplication, QgsVectorLayer, QgsMapSettings,
                       QgsMapRendererSequentialJob, QgsCategorizedSymbolRenderer,
                       QgsRendererCategory, QgsMarkerSymbol, QgsCoordinateReferenceSystem)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor
app = QgsApplication([], False); app.initQgis()
layer = QgsVectorLayer(sys.argv[1] + "|layername=facilities", "f", "ogr")
cats = []
for cid, color in [c.split("=") for c in sys.argv[2].split(",")]:
    sym = QgsMarkerSymbol.createSimple({"name": "circle", "color": color, "size": "2.6",
                                        "outline_color": "white"})
    cats.append(QgsRendererCategory(cid, sym, cid))
layer.setRenderer(QgsCategorizedSymbolRenderer("category", cats))
s = QgsMapSettings(); s.setLayers([layer]); s.setOutputSize(QSize(1600, 1000))
s.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
from qgis.core import QgsCoordinateTransform, QgsProject
tr = QgsCoordinateTransform(layer.crs(), s.destinationCrs(), QgsProject.instance())
ext = tr.transform(layer.extent())
s.setExtent(ext)
times = []
for i in range(6):
    job = QgsMapRendererSequentialJob(s)
    t = time.perf_counter(); job.start(); job.waitForFinished()
    times.append(time.perf_counter() - t)
print(times[0], sorted(times[1:])[len(times[1:]) // 2])
"""


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from desktop.canvas.canvas import MapCanvas
    from desktop.canvas.renderer import MapRenderer
    from layers.geo.map_view import MapView
    from layers.model.categories import CATEGORIES
    from layers.store import open_project

    app = QApplication.instance() or QApplication([])
    tmp = Path(tempfile.mkdtemp())
    path = write_project(tmp / "city.gpkg", N, 5000)
    print(f"data: {N:,} facilities, 5,000 communities in {path}")

    t = time.perf_counter()
    project = open_project(path)
    print(f"open project: {time.perf_counter() - t:.2f} s")
    renderer = MapRenderer(project)
    view = MapView(width=W, height=H)
    view.fit_lonlat(*project.facilities.frame.total_bounds)
    project.communities.set_visible(False)  # same content as the QGIS run: facilities only

    t = time.perf_counter()
    renderer.render(view)
    cold = time.perf_counter() - t
    warm = []
    for _ in range(7):
        t = time.perf_counter()
        renderer.render(view)
        warm.append(time.perf_counter() - t)
    print(f"full redraw {N:,} points {W}x{H} (auto-shrunk symbols): first {cold:.3f} s, "
          f"then median {statistics.median(warm):.3f} s")
    renderer.auto_shrink = False
    full = []
    for _ in range(5):
        t = time.perf_counter()
        renderer.render(view)
        full.append(time.perf_counter() - t)
    renderer.auto_shrink = True
    print(f"full redraw with full-size category symbols: median {statistics.median(full):.3f} s")

    canvas = MapCanvas(project)
    canvas.resize(W, H)
    canvas.show()
    app.processEvents()
    canvas.view.fit_lonlat(*project.facilities.frame.total_bounds)
    canvas.render_now()
    frames = 120
    t = time.perf_counter()
    for _ in range(frames):
        canvas.pan_pixels(3, 2)
        canvas.repaint()
    fps = frames / (time.perf_counter() - t)
    print(f"panning (last render reused): {fps:.0f} frames/s")

    cache = renderer.cache(project.facilities)
    t = time.perf_counter()
    cache.tree()
    build = time.perf_counter() - t
    rng = np.random.default_rng(0)
    xs, ys = cache.points()
    picks = rng.integers(0, len(xs), 2000)
    t = time.perf_counter()
    for i in picks:
        cache.pick(float(xs[i]) + 3, float(ys[i]) - 2, 7 * view.resolution)
    per = (time.perf_counter() - t) / len(picks) * 1000
    print(f"identify: {per:.3f} ms per click (index built once in {build * 1000:.0f} ms)")

    starts = []
    env = {**os.environ, "FACILITY_MAPPER_EXIT_AFTER_PAINT": "1",
           "FACILITY_MAPPER_NO_BASEMAP": "1"}
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run([sys.executable, "main.py"], env=env, check=True,
                       cwd=Path(__file__).resolve().parent.parent, capture_output=True)
        starts.append(time.perf_counter() - t)
    print(f"startup to first painted map (bundled data): median {statistics.median(starts):.2f} s")

    qgis_python = "/usr/bin/python3"
    probe = subprocess.run([qgis_python, "-c", "import qgis.core"], capture_output=True)
    if probe.returncode != 0:
        print("QGIS: python3-qgis not installed; skipped (apt-get install python3-qgis)")
        return
    colours = ",".join(f"{c.id}={c.color}" for c in CATEGORIES)
    out = subprocess.run([qgis_python, "-c", QGIS_SCRIPT, str(path), colours],
                         capture_output=True, text=True,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    if out.returncode != 0:
        print("QGIS run failed:", out.stderr.strip().splitlines()[-1:])
        return
    q_first, q_median = (float(v) for v in out.stdout.split())
    ours = statistics.median(full)
    print(f"QGIS 3.22 same GeoPackage {W}x{H}: first {q_first:.3f} s, "
          f"then median {q_median:.3f} s -> ours (full-size symbols)/QGIS = {ours / q_median:.2f}")


if __name__ == "__main__":
    main()
