"""Issue 17 target: ``info`` on 1,000,000 facilities in ≤ 2 s and ≤ 1.5 GB.

``info`` reads counts with SQL aggregates over the GeoPackage instead of loading
every feature. The peer is the obvious geopandas script: read the layer and count.

Run: .venv/bin/python benchmarks/bench_info.py [--sizes 1000000]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synthetic import write_project  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PEER = ("import sys, geopandas as gpd; f = gpd.read_file(sys.argv[1], layer='facilities', "
        "engine='pyogrio', use_arrow=True); print(len(f), f['category'].value_counts().size)")


#: runs a command and prints its peak memory (KB): the wrapper's only child is the command
PEAK = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
        "stdout=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def timed_process(cmd: list[str]) -> tuple[float, float]:
    """Wall time in seconds and peak memory in MB of a whole process."""
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PEAK, *cmd], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    wall = time.perf_counter() - t
    return wall, int(done.stdout.strip().splitlines()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            path = write_project(Path(tmp) / f"city{n}.gpkg", n, 5000)
            ours = timed_process([sys.executable, "main.py", "info", "--project", str(path)])
            peer = timed_process([sys.executable, "-c", PEER, str(path)])
            print(f"info, {n:,} facilities: {ours[0]:.2f} s, {ours[1]:,.0f} MB; geopandas "
                  f"read-and-count {peer[0]:.2f} s, {peer[1]:,.0f} MB "
                  f"({peer[0] / ours[0]:.1f}x our time)")


if __name__ == "__main__":
    main()
