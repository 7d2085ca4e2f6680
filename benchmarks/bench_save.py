"""Issue 14 target: saving one edit of a 1,000,000-facility project takes milliseconds.

Also the autosave of one unsaved edit (the recovery file holds the edits only).
The project is edited in place: one transaction writes the changed row. Beside it,
the whole-file atomic save the app did before (GDAL writes every layer to a new
file, which replaces the old one) at the same size, and the one-off cost of the
first in-place save of a file the app never versioned (a column and two indexes).

Run: .venv/bin/python benchmarks/bench_save.py [--sizes 100000 1000000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synthetic import write_project  # noqa: E402
from layers.io.project_file import write_project_layers  # noqa: E402
from layers.store import open_project  # noqa: E402


def _median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.1f} ms"


def bench(n: int, tmp: Path) -> None:
    path = write_project(tmp / f"city{n}.gpkg", n, 5000)
    project = open_project(path)
    ids = project.facilities.ids

    t = time.perf_counter()
    project.facilities.update_attributes(ids[0], {"name": "首次保存"})
    project.save()
    first = time.perf_counter() - t

    edits, moves = [], []
    for k in range(1, 8):
        project.facilities.update_attributes(ids[k * 1000], {"name": f"改名{k}"})
        t = time.perf_counter()
        project.save()
        edits.append(time.perf_counter() - t)
        import shapely

        project.facilities.move_feature(ids[k * 1001], shapely.Point(120.2, 30.3))
        t = time.perf_counter()
        project.save()
        moves.append(time.perf_counter() - t)

    from layers.io.recovery import recovery_path, write_recovery

    project.facilities.update_attributes(ids[2], {"name": "未保存"})
    autosaves = []
    for _ in range(5):
        t = time.perf_counter()
        write_recovery(project, recovery_path(path))
        autosaves.append(time.perf_counter() - t)

    full = []
    for k in range(2):
        t = time.perf_counter()
        write_project_layers(tmp / f"full{n}_{k}.gpkg", project.frames())
        full.append(time.perf_counter() - t)
    ratio = statistics.median(full) / statistics.median(edits)
    print(f"{n:>9,} facilities: save one attribute edit {_median_ms(edits)}, "
          f"one move {_median_ms(moves)}; autosave of one unsaved edit "
          f"{_median_ms(autosaves)}; old whole-file save {statistics.median(full):.2f} s "
          f"({ratio:,.0f}x slower); first in-place save of an unversioned file {first:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            bench(n, Path(tmp))


if __name__ == "__main__":
    main()
