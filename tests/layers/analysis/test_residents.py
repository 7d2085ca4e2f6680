"""Residents within 5, 10 and 15 minutes: the figures equal a brute-force count."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod

from layers.analysis.checklist import Checklist, ChecklistItem
from layers.analysis.residents import (
    ALL_COMMUNITIES,
    STREET_UNKNOWN,
    TIERS,
    audit_tiers,
    residents_coverage,
)
from layers.geo.walking import walk_settings
from layers.model.layer import conform
from layers.model.schema import COMMUNITIES, FACILITIES

CATEGORIES = ("canteen", "service_station", "pocket_park")
CHECKLIST = Checklist("test", tuple(ChecklistItem(c, 10) for c in CATEGORIES))
STREETS = ("翠苑街道", "西溪街道", None, "")


def _city(seed):
    """A random 4 × 4 km town: 80 communities (some without residents or a position)."""
    rng = np.random.default_rng(seed)
    n, m = 80, 30
    lon = 120.10 + rng.uniform(0, 0.04, n)
    lat = 30.25 + rng.uniform(0, 0.036, n)
    population = rng.integers(500, 12000, n).astype(object)
    population[rng.random(n) < 0.25] = None  # not known
    geoms = list(shapely.points(lon, lat))
    geoms[3] = None
    geoms[7] = shapely.Point()
    communities = conform(gpd.GeoDataFrame(
        {"name": [f"社区{i}" for i in range(n)],
         "street": [STREETS[i % len(STREETS)] for i in range(n)],
         "population": population},
        geometry=gpd.GeoSeries(geoms, crs=4326), crs=4326), COMMUNITIES)
    facilities = conform(gpd.GeoDataFrame(
        {"name": [f"设施{i}" for i in range(m)],
         "category": [CATEGORIES[i % 3] for i in range(m)]},
        geometry=shapely.points(120.10 + rng.uniform(0, 0.04, m),
                                30.25 + rng.uniform(0, 0.036, m)), crs=4326), FACILITIES)
    return communities, facilities


def _brute_force(communities, facilities, walk):
    """Residents covered per (street, category, tier) by a plain loop over Geod distances."""
    geod = Geod(ellps="WGS84")
    out = {}
    for _, c in communities.iterrows():
        if c.geometry is None or c.geometry.is_empty:
            continue
        street = c["street"] or STREET_UNKNOWN
        for cat in CATEGORIES:
            nearest = min(geod.inv(c.geometry.x, c.geometry.y, f.geometry.x, f.geometry.y)[2]
                          for _, f in facilities.iterrows() if f["category"] == cat)
            for minutes in TIERS:
                hit = nearest <= walk.radius_m(minutes)
                for group in (street, ALL_COMMUNITIES):
                    key = (group, cat, minutes)
                    fig = out.setdefault(key, [0, 0, 0, 0, 0, 0])
                    fig[0] += 1
                    fig[1] += hit
                    if pd.isna(c["population"]):
                        fig[4] += 1
                        fig[5] += hit
                    else:
                        fig[2] += int(c["population"])
                        fig[3] += int(c["population"]) * hit
    return out



@pytest.mark.parametrize("preset", ["gb50180", "walk"])
@pytest.mark.parametrize("seed", [1, 2])
def test_residents_covered_equal_a_brute_force_count(seed, preset):
    communities, facilities = _city(seed)
    walk = walk_settings(preset)
    audits = audit_tiers(communities, facilities, CHECKLIST, walk)
    figures = residents_coverage(communities, audits, CHECKLIST)
    expected = _brute_force(communities, facilities, walk)
    assert figures.not_placed == 2
    assert len(figures.communities) == 78
    groups = {g.name: g for g in [*figures.streets, figures.total]}
    assert set(groups) == {"翠苑街道", "西溪街道", STREET_UNKNOWN, ALL_COMMUNITIES}
    assert figures.streets[-1].name == STREET_UNKNOWN
    for (group, cat, minutes), want in expected.items():
        f = groups[group].figure(cat, minutes)
        got = [f.communities, f.communities_covered, f.residents, f.residents_covered,
               f.unknown_communities, f.unknown_covered]
        assert got == want, (group, cat, minutes)
        assert f.radius_m == walk.radius_m(minutes)
        assert f.share == (want[3] / want[2] if want[2] else None)
    # the tiers are nested: a longer walk never covers fewer residents
    for cat in CATEGORIES:
        covered = [figures.total.figure(cat, t).residents_covered for t in TIERS]
        assert covered == sorted(covered)
    # unknown residents are never counted as 0: the shares leave them out
    unknown = figures.unknown_population
    assert unknown == sum(pd.isna(c["population"]) for _, c in communities.iterrows()
                          if c.geometry is not None and not c.geometry.is_empty)
    assert unknown > 0
    assert figures.total.figure("canteen", 10).unknown_communities == unknown


def test_one_community_alone():
    communities, facilities = _city(3)
    walk = walk_settings("gb50180")
    figures = residents_coverage(communities, audit_tiers(communities, facilities, CHECKLIST,
                                                          walk), CHECKLIST)
    for c in figures.communities:
        f = c.coverage.figure("canteen", 15)
        assert f.communities == 1
        if c.population is None:
            assert (f.residents, f.residents_covered, f.unknown_communities) == (0, 0, 1)
            assert f.share is None
        else:
            assert f.residents == c.population
            assert f.residents_covered in (0, c.population)


def test_along_roads_the_tier_is_speed_times_minutes():
    """A 600 m walk along a street: covered at 10 min (800 m), not at 5 (400 m)."""
    from layers.model.schema import ROADS

    geod = Geod(ellps="WGS84")
    lon2, lat2, _ = geod.fwd(120.15, 30.27, 90, 600)
    roads = conform(gpd.GeoDataFrame({"name": ["路"]}, geometry=[shapely.LineString(
        [(120.15, 30.27), (lon2, lat2)])], crs=4326), ROADS)
    communities = conform(gpd.GeoDataFrame({"name": ["甲"], "population": [1000]},
                                           geometry=[shapely.Point(120.15, 30.27)], crs=4326),
                          COMMUNITIES)
    facilities = conform(gpd.GeoDataFrame({"name": ["食堂"], "category": ["canteen"]},
                                          geometry=[shapely.Point(lon2, lat2)], crs=4326),
                         FACILITIES)
    checklist = Checklist("t", (ChecklistItem("canteen", 10),))
    walk = walk_settings("walk")
    figures = residents_coverage(communities, audit_tiers(communities, facilities, checklist,
                                                          walk, roads=roads), checklist)
    assert figures.method == "along roads"
    assert [figures.total.figure("canteen", t).residents_covered for t in TIERS] == [0, 1000,
                                                                                     1000]
    assert [figures.total.figure("canteen", t).radius_m for t in TIERS] == [400, 800, 1200]
