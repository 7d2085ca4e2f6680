"""Generated city-scale data for the benchmarks: facilities and communities over Hangzhou."""

from __future__ import annotations

import uuid
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from layers.io.project_file import write_project_layers
from layers.model.categories import category_ids
from layers.model.layer import conform
from layers.model.schema import COMMUNITIES, FACILITIES

CITY = (119.95, 30.10, 120.40, 30.45)  # about 43 x 39 km around Hangzhou


def facilities(n: int, seed: int = 1) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    lon = rng.uniform(CITY[0], CITY[2], n)
    lat = rng.uniform(CITY[1], CITY[3], n)
    cats = np.array(category_ids())[rng.integers(0, len(category_ids()), n)]
    frame = gpd.GeoDataFrame(
        {
            "id": [str(uuid.UUID(int=int(i) + 1)) for i in range(n)],
            "name": [f"设施{i}" for i in range(n)],
            "category": cats,
            "community": [f"社区{i % 5000}" for i in range(n)],
            "location_precision": "surveyed",
        },
        geometry=shapely.points(lon, lat),
        crs=4326,
    )
    return conform(frame, FACILITIES)


def communities(n: int, seed: int = 2) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    lon = rng.uniform(CITY[0], CITY[2], n)
    lat = rng.uniform(CITY[1], CITY[3], n)
    frame = gpd.GeoDataFrame(
        {"name": [f"社区{i}" for i in range(n)], "level": "社区", "city": "杭州市"},
        geometry=shapely.points(lon, lat),
        crs=4326,
    )
    return conform(frame, COMMUNITIES)


def write_project(path: Path, n_facilities: int, n_communities: int) -> Path:
    write_project_layers(path, {"communities": communities(n_communities),
                                "facilities": facilities(n_facilities)})
    return path
