"""A team's project in PostGIS beside the same project in a GeoPackage, at city scale.

Times whole commands (start-up included) on 100,000 facilities and 5,000
communities: ``copy-project`` into a PostGIS schema, then ``info``, ``audit`` and
``export-html`` from the database and from the GeoPackage. Then, in one process,
what live refresh costs: one planner saves one edit, and the other window
hears the announcement and loads the row.

The server is a throwaway cluster started the way the tests start it
(``tests/postgres.py``: ``initdb``/``pg_ctl`` in a temporary folder, Unix socket,
``fsync=off``), so the figures are the database's work, not the disk's.

Run: .venv/bin/python benchmarks/bench_postgis.py [--facilities 100000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synthetic import write_project  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def _timed(*args: str) -> float:
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, capture_output=True,
                          text=True)
    if done.returncode:
        raise SystemExit(f"main.py {' '.join(args)} failed: {done.stderr.strip()}")
    return time.perf_counter() - t


def _live(url: str) -> tuple[float, float, float]:
    """One planner saves one edit; the other hears it and loads it: seconds for each step."""
    from layers.store import open_project
    from layers.store.live import catch_up

    mine, theirs = open_project(url), open_project(url)
    listener = mine.store.listen()
    try:
        fid = theirs.facilities.ids[12345 % len(theirs.facilities)]
        theirs.facilities.update_attributes(fid, {"name": "同事改的"})
        t = time.perf_counter()
        theirs.save()
        saved = time.perf_counter() - t
        heard = listener.poll(timeout=10)
        notified = time.perf_counter() - t  # from the start of the save
        t = time.perf_counter()
        result = catch_up(mine)
        loaded = time.perf_counter() - t
    finally:
        listener.close()
    assert heard and result.loaded == 1 and mine.facilities.feature(fid)["name"] == "同事改的"
    return saved, notified, loaded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facilities", type=int, default=100_000)
    parser.add_argument("--communities", type=int, default=5_000)
    args = parser.parse_args()
    from tests.postgres import Cluster

    root = Path(tempfile.mkdtemp(prefix="fm-bench-postgres-"))
    os.chmod(root, 0o755)
    cluster = Cluster(root)
    lines = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            n = args.facilities
            gpkg = write_project(Path(tmp) / "city.gpkg", n, args.communities)
            url = cluster.new_database() + "&schema=city"
            copy = _timed("copy-project", str(gpkg), url)
            lines.append(f"copy-project, {n:,} facilities + {args.communities:,} communities "
                         f"GeoPackage → PostGIS: {copy:.2f} s")
            for name, command in (("info", ["info"]),
                                  ("audit", ["audit", "--minutes", "10", "--format", "csv",
                                             "--out", str(Path(tmp) / "audit.csv")]),
                                  ("export-html", ["export-html", "--minutes", "10", "--out",
                                                   str(Path(tmp) / "map.html")])):
                db = _timed(*command, "--project", url)
                file = _timed(*command, "--project", str(gpkg))
                lines.append(f"{name}, {n:,} facilities: PostGIS {db:.2f} s; "
                             f"GeoPackage {file:.2f} s ({db / file:.1f}x)")
            saved, notified, loaded = _live(url)
            lines.append(f"live refresh at {n:,}: one edit saved in {saved * 1000:.0f} ms, "
                         f"heard by the other window {notified * 1000:.0f} ms after the save "
                         f"began, its row loaded there in {loaded * 1000:.0f} ms")
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)
    text = "\n".join(lines)
    print(text)
    (ROOT / "benchmarks" / "last_postgis.txt").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
