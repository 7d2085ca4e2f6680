"""Issue 7 target: import a 1,000,000-row CSV of facilities in under 15 s.
Peer, side by side: pandas.read_csv + geopandas.points_from_xy (no checks, no mapping).

Run: .venv/bin/python benchmarks/bench_import.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

N = 1_000_000


def main() -> None:
    import geopandas as gpd
    import pandas as pd

    from layers.io.importing import read_import, to_layer_frame

    tmp = Path(tempfile.mkdtemp())
    rng = np.random.default_rng(7)
    cats = np.array(["食堂", "党群服务站", "充电棚", "口袋公园", "停车场", "养老服务站"])
    table = pd.DataFrame({
        "名称": [f"设施{i}" for i in range(N)],
        "类型": cats[rng.integers(0, len(cats), N)],
        "经度": np.round(rng.uniform(119.9, 120.4, N), 6),
        "纬度": np.round(rng.uniform(30.1, 30.4, N), 6),
    })
    path = tmp / "facilities_gbk.csv"
    table.to_csv(path, index=False, encoding="gbk")
    print(f"{N:,}-row GBK CSV, {path.stat().st_size / 1e6:.0f} MB")

    t = time.perf_counter()
    raw, report = read_import(path)
    frame = to_layer_frame(raw, "facilities", report)
    ours = time.perf_counter() - t
    print(f"ours (detect encoding, find columns, check ranges, map categories, conform): "
          f"{ours:.1f} s for {len(frame):,} rows")

    t = time.perf_counter()
    df = pd.read_csv(path, encoding="gbk")
    gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["经度"], df["纬度"]), crs=4326)
    peer = time.perf_counter() - t
    print(f"peer pandas.read_csv + points_from_xy (no checks): {peer:.1f} s")


if __name__ == "__main__":
    main()
