"""Issue 17 §2 target: ``audit`` at 1,000,000 facilities × 5,000 communities in ≤ 5 s.

Whole processes are timed (wall time and peak memory): the ``audit`` command
with CSV output, which reads only the facility fields it needs (id, name,
category and position), beside the obvious geopandas script on the same file:
read both layers, project to UTM and ``sjoin_nearest`` each checklist category.

Run: .venv/bin/python benchmarks/bench_audit_million.py [--sizes 1000000] [--project FILE]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_info import timed_process  # noqa: E402
from benchmarks.synthetic import write_project  # noqa: E402

PEER = ("import sys, geopandas as gpd; from layers.analysis.checklist import load_checklist; "
        "f = gpd.read_file(sys.argv[1], layer='facilities', engine='pyogrio', use_arrow=True); "
        "c = gpd.read_file(sys.argv[1], layer='communities', engine='pyogrio', use_arrow=True); "
        "f = f.to_crs(32651); c = c.to_crs(32651); "
        "[gpd.sjoin_nearest(c, f[f['category'] == i.category], distance_col='d') "
        "for i in load_checklist().items]")
#: The same audit on the whole project, as the command read it before: every field of
#: every facility into the project model (timed in the same run, so load is shared).
WHOLE = ("import sys; from layers.cli import build_parser; "
         "from layers.commands.base import walk_from_args; "
         "from layers.analysis.checklist import load_checklist; "
         "from layers.analysis.coverage import audit_csv, run_audit; "
         "from layers.store import open_project; "
         "args = build_parser().parse_args(['--project', sys.argv[1], 'audit']); "
         "p = open_project(sys.argv[1]); c = load_checklist(None).with_minutes(None); "
         "open(sys.argv[2], 'w').write(audit_csv(run_audit(p.communities.frame, "
         "p.facilities.frame, c, walk_from_args(args)), c))")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--project", type=Path, help="an existing generated project (one size)")
    args = parser.parse_args()
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            path = args.project or write_project(Path(tmp) / f"city{n}.gpkg", n, 5000)
            out = Path(tmp) / "audit.csv"
            ours = timed_process([sys.executable, "main.py", "--project", str(path), "--quiet",
                                  "audit", "--format", "csv", "--out", str(out)])
            peer = timed_process([sys.executable, "-c", PEER, str(path)])
            whole = timed_process([sys.executable, "-c", WHOLE, str(path),
                                   str(Path(tmp) / "whole.csv")])
            line = (f"audit, {n:,} facilities x 5,000 communities (whole command, CSV out): "
                    f"{ours[0]:.2f} s, {ours[1]:,.0f} MB peak (target ≤ 5 s); the same audit "
                    f"over the whole project read {whole[0]:.2f} s, {whole[1]:,.0f} MB; "
                    f"geopandas read + to_crs + sjoin_nearest per category {peer[0]:.2f} s, "
                    f"{peer[1]:,.0f} MB ({peer[0] / ours[0]:.1f}x our time)")
            print(line, flush=True)
            lines.append(line)
    lines.append(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(lines[-1])
    target = Path(__file__).resolve().parent / "last_audit_million.txt"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
