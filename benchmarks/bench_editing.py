"""Issue 4 targets: save a 100,000-facility project in under 2 s; add one facility to it
and update the map and the table in under 50 ms. geopandas ``to_file`` runs beside the
save as the peer.

Run: .venv/bin/python benchmarks/bench_editing.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["FACILITY_MAPPER_NO_BASEMAP"] = "1"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synthetic import write_project  # noqa: E402
from layers.store import open_project, save_as  # noqa: E402

N = 100_000


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from desktop.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    tmp = Path(tempfile.mkdtemp())
    path = write_project(tmp / "city.gpkg", N, 5000)
    project = open_project(path)

    ours, peer = [], []
    for k in range(3):
        t = time.perf_counter()
        save_as(project, tmp / f"saved{k}.gpkg")  # a whole new file each time
        ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        for name, frame in project.frames().items():
            frame.to_file(tmp / "peer.gpkg", layer=name, driver="GPKG")
        peer.append(time.perf_counter() - t)
    print(f"save {N:,} facilities + 5,000 communities (atomic): median "
          f"{statistics.median(ours):.2f} s; geopandas to_file (not atomic): "
          f"{statistics.median(peer):.2f} s")

    window = MainWindow(project, basemap=False)
    window.resize(1600, 1000)
    window.show()
    app.processEvents()
    canvas = window.canvas
    lon, lat = 120.15, 30.27
    for label, span in (("digitising zoom (1:5,000)", 0.004), ("whole city in view", None)):
        if span is None:
            canvas.zoom_to_full_extent()
        else:
            canvas.zoom_to_lonlat_bounds((lon - span, lat - span, lon + span, lat + span))
        canvas.render_now()
        app.processEvents()
        times = []
        for i in range(7):
            t = time.perf_counter()
            window.editor.add_facility({"name": f"新设施{i}", "category": "canteen"},
                                       lon + i * 1e-4, lat)
            canvas.render_now()  # the map redraw the add triggers
            app.processEvents()  # table rows, legend counts, navigator
            times.append(time.perf_counter() - t)
        rows = window.table.model.rowCount()
        print(f"add one facility, map + table updated, {label}: median "
              f"{statistics.median(times) * 1000:.0f} ms (table now {rows:,} rows)")
    window.project.set_modified(False)
    window.close()


if __name__ == "__main__":
    main()
