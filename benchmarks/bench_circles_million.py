"""Issue 17 targets: ``circles`` at 1,000,000 facilities, undissolved in ≤ 2 GB, dissolved ≤ 10 s.

The command builds and writes the circles 50,000 at a time, so only one chunk of
polygons is ever in memory. Whole processes are measured (time and peak memory),
beside the obvious geopandas script: read, project, buffer, write.

Run: .venv/bin/python benchmarks/bench_circles_million.py [--sizes 1000000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_info import timed_process  # noqa: E402
from benchmarks.synthetic import write_project  # noqa: E402

PEER = ("import sys, geopandas as gpd; f = gpd.read_file(sys.argv[1], layer='facilities', "
        "engine='pyogrio', use_arrow=True); m = f.to_crs(32650); "
        "m['geometry'] = m.buffer(500, 16); "
        "m.to_crs(4326).to_file(sys.argv[2], layer='service_circles', engine='pyogrio')")
#: the peer of ``--dissolve``: one area per category
PEER_DISSOLVED = (
    "import sys, geopandas as gpd; f = gpd.read_file(sys.argv[1], layer='facilities', "
    "engine='pyogrio', use_arrow=True, columns=['category']); m = f.to_crs(32650); "
    "m['geometry'] = m.buffer(500, 16); d = m.dissolve('category').reset_index(); "
    "d.to_crs(4326).to_file(sys.argv[2], layer='service_areas', engine='pyogrio')")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--no-peer", action="store_true", help="skip the geopandas script")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            path = write_project(Path(tmp) / f"city{n}.gpkg", n, 5000)
            out = Path(tmp) / "circles.gpkg"
            ours = timed_process([sys.executable, "main.py", "--project", str(path), "--quiet",
                                  "circles", "--minutes", "10", "--out", str(out)])
            line = (f"circles undissolved, {n:,} facilities: {ours[0]:.1f} s, "
                    f"{ours[1]:,.0f} MB peak (target ≤ 2,048 MB)")
            if not args.no_peer:
                peer = timed_process([sys.executable, "-c", PEER, str(path),
                                      str(Path(tmp) / "peer.gpkg")])
                line += (f"; geopandas read + buffer + write {peer[0]:.1f} s, "
                         f"{peer[1]:,.0f} MB ({peer[1] / ours[1]:.1f}x our memory)")
            print(line)
            out.unlink(missing_ok=True)
            dissolved = timed_process([sys.executable, "main.py", "--project", str(path),
                                       "--quiet", "circles", "--minutes", "10", "--dissolve",
                                       "--out", str(out)])
            line = (f"circles --dissolve, {n:,} facilities: {dissolved[0]:.1f} s, "
                    f"{dissolved[1]:,.0f} MB peak (target ≤ 10 s)")
            if not args.no_peer:
                peer = timed_process([sys.executable, "-c", PEER_DISSOLVED, str(path),
                                      str(Path(tmp) / "peer_dissolved.gpkg")])
                line += (f"; geopandas read + buffer + dissolve(category) + write "
                         f"{peer[0]:.1f} s, {peer[1]:,.0f} MB ({peer[0] / dissolved[0]:.1f}x "
                         f"our time)")
            print(line)


if __name__ == "__main__":
    main()
