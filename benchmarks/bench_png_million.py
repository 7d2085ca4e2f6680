"""Issue 17 target: ``export-png`` at 1,000,000 facilities, whole process, ≤ 1.0x QGIS 3.22.

Whole processes are timed (wall time and peak memory, median of three runs, ours
and QGIS taking turns):
``main.py export-png`` of the whole project at 1600 x 1000, beside QGIS rendering
the same GeoPackage at the same size and extent with its normal renderer
(``QgsMapRendererParallelJob``, see ``benchmarks/qgis_render.py``): the
communities, then the facilities categorized by ``category`` with simple circle
markers of the size and colours ``export-png`` gives them. Ours draws more (the
bundled district boundaries, names, legend, scale bar and title), as a planner
gets it. QGIS runs on the system Python (PyQGIS); the peer is for this
benchmark only, not part of ``make``.

Run: .venv/bin/python benchmarks/bench_png_million.py [--sizes 100000 1000000]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_info import timed_process  # noqa: E402
from benchmarks.synthetic import write_project  # noqa: E402
from desktop.canvas.point_drawing import dense_symbol_size  # noqa: E402
from layers.model.categories import CATEGORIES  # noqa: E402

HERE = Path(__file__).resolve().parent
#: The Python that carries PyQGIS (Debian's python3-qgis installs it for the system one).
QGIS_PYTHON = os.environ.get("QGIS_PYTHON", "/usr/bin/python3")
INSTALL = ("apt-get install --no-install-recommends python3-qgis qgis-providers "
           "(Debian bookworm: QGIS 3.22)")
WIDTH, HEIGHT = 1600, 1000
RUNS = 3
#: export-png's marker sizes: facilities at their layer size unless crowded, communities
#: (5,000 of them, stamped) at 9/16 of theirs
FACILITY_SIZE, COMMUNITY_SIZE = 14, 9


def qgis_version() -> str | None:
    """Return the QGIS version PyQGIS reports, or None when PyQGIS is not installed.

    Returns
    -------
    str or None
        Such as ``3.22.16-Białowieża``.
    """
    try:
        done = subprocess.run([QGIS_PYTHON, "-c", "from qgis.core import Qgis; "
                               "print(Qgis.QGIS_VERSION)"], capture_output=True, text=True,
                              timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def median_runs(*cmds: list[str]) -> list[tuple[float, float]]:
    """Median wall time (s) and peak memory (MB) of :data:`RUNS` whole processes of each.

    The commands take turns, so a load that comes and goes on a shared machine
    weighs on each alike.
    """
    runs = [[timed_process(cmd) for cmd in cmds] for _ in range(RUNS)]
    return [(statistics.median(r[k][0] for r in runs), statistics.median(r[k][1] for r in runs))
            for k in range(len(cmds))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--keep", type=Path, help="copy the PNGs into this folder to look at")
    args = parser.parse_args()
    version = qgis_version()
    before = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    lines = []
    if version is None:
        lines.append(f"QGIS not found ({QGIS_PYTHON} cannot import qgis.core): only our side "
                     f"is timed; install the peer with: {INSTALL}")
        print(lines[-1], flush=True)
    colours = json.dumps({c.id: c.color for c in CATEGORIES})
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    os.environ.update(env)  # the timed processes inherit it
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            path = write_project(Path(tmp) / f"city{n}.gpkg", n, 5000)
            ours_png, peer_png = Path(tmp) / f"ours{n}.png", Path(tmp) / f"qgis{n}.png"
            ours_cmd = [sys.executable, "main.py", "--project", str(path), "--quiet",
                        "export-png", "--out", str(ours_png), "--width", str(WIDTH),
                        "--height", str(HEIGHT)]
            head = f"export-png, {n:,} facilities x 5,000 communities, {WIDTH}x{HEIGHT}"
            if version is None:
                ours, = median_runs(ours_cmd)
                lines.append(f"{head}: wall {ours[0]:.2f} s, peak {ours[1]:,.0f} MB "
                             f"(median of {RUNS})")
                print(lines[-1], flush=True)
                continue
            size = min(FACILITY_SIZE, dense_symbol_size(n, WIDTH, HEIGHT))
            ours, peer = median_runs(ours_cmd, [
                QGIS_PYTHON, str(HERE / "qgis_render.py"), str(path), str(peer_png),
                "--width", str(WIDTH), "--height", str(HEIGHT), "--facility-size", str(size),
                "--community-size", str(COMMUNITY_SIZE), "--colours", colours])
            lines.append(f"{head} (median of {RUNS}), ours vs QGIS {version} "
                         "QgsMapRendererParallelJob:")
            lines.append(f"  wall: {ours[0]:.2f} s vs {peer[0]:.2f} s = "
                         f"{ours[0] / peer[0]:.2f}x QGIS (target ≤ 1.0x)")
            lines.append(f"  peak memory: {ours[1]:,.0f} MB vs {peer[1]:,.0f} MB = "
                         f"{ours[1] / peer[1]:.2f}x QGIS")
            print("\n".join(lines[-3:]), flush=True)
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                for png in (ours_png, peer_png):
                    (args.keep / png.name).write_bytes(png.read_bytes())
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    lines.append(f"machine: {os.cpu_count()} CPUs; uptime before the run: {before}; "
                 f"after: {uptime}")
    print(lines[-1])
    (HERE / "last_png_million.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
