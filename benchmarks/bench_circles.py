"""Issue 5 targets, generated data (100,000 facilities, 5,000 communities, one city):
- audit 100,000 x 5,000 in under 1 s;
- the circle layer for 100,000 facilities draws in under 1 s;
- `circles --dissolve` to a GeoPackage at least 3x faster than the peers.
Peers: geopandas (same process) and QGIS 3.22 native:buffer with DISSOLVE (Debian's
python3-qgis, separate process), when installed.

Run: .venv/bin/python benchmarks/bench_circles.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synthetic import write_project  # noqa: E402

N = 100_000
REPO = Path(__file__).resolve().parent.parent

QGIS_SCRIPT = r"""
import sys, time
sys.path.append("/usr/share/qgis/python/plugins")
from qgis.core import QgsApplication
app = QgsApplication([], False); app.initQgis()
import processing
from processing.core.Processing import Processing
Processing.initialize()
src, out = sys.argv[1], sys.argv[2]
t = time.perf_counter()
proj = processing.run("native:reprojectlayer", {"INPUT": src + "|layername=facilities",
       "TARGET_CRS": "EPSG:32651", "OUTPUT": "TEMPORARY_OUTPUT"})["OUTPUT"]
processing.run("native:buffer", {"INPUT": proj, "DISTANCE": 500, "SEGMENTS": 16,
               "DISSOLVE": True, "OUTPUT": out})
print(time.perf_counter() - t)
"""


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def main() -> None:
    import geopandas as gpd
    import shapely

    from layers.checklist import load_checklist
    from layers.coverage import run_audit
    from layers.project import Project
    from layers.service_circles import service_circles_frame
    from layers.walking import PRESETS

    tmp = Path(tempfile.mkdtemp())
    path = write_project(tmp / "city.gpkg", N, 5000)
    project = Project.open(path)
    fac, comm = project.facilities.frame, project.communities.frame
    checklist = load_checklist().with_minutes(10)
    walk = PRESETS["gb50180"]
    print(f"data: {N:,} facilities, {len(comm):,} communities, checklist of "
          f"{len(checklist.items)} categories")

    t, _ = timed(lambda: run_audit(comm, fac, checklist, walk))
    print(f"audit (STRtree nearest + geodesic distance): {t:.2f} s")

    def geopandas_audit():
        f = fac.to_crs(32651)
        c = comm.to_crs(32651)
        for item in checklist.items:
            sub = f[f["category"] == item.category]
            gpd.sjoin_nearest(c, sub, distance_col="d")
    t_peer, _ = timed(geopandas_audit)
    print(f"  peer geopandas to_crs + sjoin_nearest per category: {t_peer:.2f} s")

    from PySide6.QtWidgets import QApplication

    from desktop.renderer import MapRenderer
    from layers.layer import FeatureLayer
    from layers.map_view import MapView

    app = QApplication.instance() or QApplication([])  # noqa: F841
    t_make, circles = timed(lambda: service_circles_frame(fac, 10, 500.0))
    project.add_layer(FeatureLayer("service_circles", circles))
    project.facilities.set_visible(False)
    project.communities.set_visible(False)
    renderer = MapRenderer(project)
    view = MapView(width=1600, height=1000)
    view.fit_lonlat(*fac.total_bounds)
    t_first, _ = timed(lambda: renderer.render(view))
    t_again, _ = timed(lambda: renderer.render(view))
    print(f"circle layer for {N:,} facilities: built in {t_make:.2f} s; drawn at 1600x1000 "
          f"in {t_first:.2f} s (first), {t_again:.2f} s (again)")

    out = tmp / "dissolved.gpkg"
    t_ours, _ = timed(lambda: subprocess.run(
        [sys.executable, "main.py", "circles", "--project", str(path), "--minutes", "10",
         "--dissolve", "--out", str(out)], cwd=REPO, check=True, capture_output=True))
    print(f"circles --dissolve (one area per category) to GeoPackage, whole command: "
          f"{t_ours:.2f} s")

    def peer_by_category():
        g = fac.to_crs(32651)
        g["geometry"] = g.buffer(500, quad_segs=16)
        g.dissolve("category").to_crs(4326).to_file(tmp / "peer1.gpkg", driver="GPKG")
    t1, _ = timed(peer_by_category)

    def peer_union_all():
        g = fac.to_crs(32651)
        merged = shapely.union_all(g.buffer(500, quad_segs=16).to_numpy())
        gpd.GeoDataFrame(geometry=[merged], crs=32651).to_crs(4326).to_file(
            tmp / "peer2.gpkg", driver="GPKG")
    t2, _ = timed(peer_union_all)
    print(f"  peer geopandas to_crs + buffer + dissolve(category) + to_file: {t1:.2f} s "
          f"-> ours is {t1 / t_ours:.1f}x faster")
    print(f"  peer geopandas to_crs + buffer + union_all (one area) + to_file: {t2:.2f} s "
          f"-> ours is {t2 / t_ours:.1f}x faster")

    from layers.service_circles import dissolved_circles
    lon = shapely.get_x(fac.geometry.to_numpy())
    lat = shapely.get_y(fac.geometry.to_numpy())
    t_one, _ = timed(lambda: dissolved_circles(lon, lat, 500.0))
    print(f"  ours, the same single area as union_all (no file): {t_one:.2f} s")

    probe = subprocess.run(["/usr/bin/python3", "-c", "import qgis.core"], capture_output=True)
    if probe.returncode != 0:
        print("  QGIS: python3-qgis not installed; skipped")
        return
    res = subprocess.run(["/usr/bin/python3", "-c", QGIS_SCRIPT, str(path),
                          str(tmp / "qgis.gpkg")], capture_output=True, text=True,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, timeout=600)
    if res.returncode != 0:
        print("  QGIS run failed:", (res.stderr.strip().splitlines() or ["?"])[-1])
        return
    t_q = float(res.stdout.strip().splitlines()[-1])
    print(f"  peer QGIS 3.22 reproject + native:buffer DISSOLVE (one area): {t_q:.2f} s "
          f"-> ours is {t_q / t_ours:.1f}x faster")


if __name__ == "__main__":
    main()
