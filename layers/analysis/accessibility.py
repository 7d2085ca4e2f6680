"""Two-step floating catchment (2SFCA): how much of a facility's capacity each community can reach.

Where a facility's capacity is known (a canteen's seats, a shed's charging ports),
"is there one within 10 minutes?" becomes "how many seats per thousand residents
are within 10 minutes?" (Luo & Wang 2003):

1. each facility *j*: its capacity ÷ the residents of every community within the walk,
   ``R_j = S_j / Σ_{d_ij ≤ r} P_i``;
2. each community *i*: the sum of ``R_j`` over the facilities within the walk.

The sums are PySAL ``access``'s ``two_stage_fca``; this module decides what may go in
and what cannot be known, so no figure is invented:

- a facility without a capacity is left out and counted, never taken as 0 or 1;
- a facility whose catchment holds a community of unknown residents has an unknown
  ratio, and so has every community that reaches it ("unknown", with the reason);
- a 小区 whose parent community is in the layer with its residents known is counted
  in its parent, not twice.

Distances are great-circle (:func:`layers.geo.geodesy.haversine_m`, within 0.5 % of
the geodesic) between points; the walk's straight-line radius comes from
:mod:`layers.geo.walking`.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers.geo.geodesy import MEAN_EARTH_RADIUS, haversine_m
from layers.model.layer import has_geometry

#: Who a figure is per: all residents, or residents aged 60 and over.
PER = ("residents", "elderly")


@dataclass(frozen=True)
class CommunityAccess:
    """One community's reachable capacity.

    Attributes
    ----------
    name : str
        The community.
    demand : float or None
        Its residents (or elderly residents); None when unknown.
    per_thousand : float or None
        Capacity within the walk per thousand residents (2SFCA); None when unknown.
    reachable : int
        Facilities with a known capacity within the walk.
    reason : str
        Why the figure is unknown (``""`` when known).
    without_capacity : int
        Facilities of the category within the walk whose capacity is unknown: when
        any, :attr:`per_thousand` is a lower bound.
    """

    name: str
    demand: float | None
    per_thousand: float | None
    reachable: int
    reason: str = ""
    without_capacity: int = 0


@dataclass
class AccessResult:
    """2SFCA figures for every community, and what was left out."""

    category: str
    minutes: float
    radius_m: float
    per: str
    communities: list[CommunityAccess] = field(default_factory=list)
    facilities: int = 0
    #: facilities of the category without a capacity: left out
    unknown_capacity: list[str] = field(default_factory=list)
    #: facilities or communities without a position: left out
    no_position: int = 0
    #: communities counted in their parent's residents
    in_parent: list[str] = field(default_factory=list)
    #: facilities whose catchment has a community of unknown residents
    unknown_ratio: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """Return the result as plain data for ``--format json``.

        Returns
        -------
        dict
            Parameters, counts and per-community figures (None for unknown).
        """
        return {
            "category": self.category, "minutes": self.minutes, "radius_m": self.radius_m,
            "per": self.per, "facilities": self.facilities,
            "unknown_capacity": list(self.unknown_capacity), "no_position": self.no_position,
            "counted_in_parent": list(self.in_parent),
            "facilities_with_unknown_ratio": list(self.unknown_ratio),
            "communities": [
                {"name": c.name, "demand": c.demand, "per_thousand": c.per_thousand,
                 "reachable": c.reachable, "unknown_because": c.reason or None,
                 "without_capacity_in_reach": c.without_capacity,
                 "lower_bound": c.per_thousand is not None and c.without_capacity > 0}
                for c in self.communities],
        }


def _demand(frame: pd.DataFrame, per: str) -> np.ndarray:
    population = pd.to_numeric(frame["population"], errors="coerce").to_numpy(dtype=float)
    if per == "residents":
        return population
    share = pd.to_numeric(frame["elderly_share"], errors="coerce").to_numpy(dtype=float)
    return population * share / 100.0


def pairs_within(lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray,
                 radius_m: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Find every pair of points of two sets within a great-circle distance.

    A k-d tree over unit-sphere coordinates finds candidates (a city's communities ×
    facilities is never built as a full matrix).

    Parameters
    ----------
    lon1, lat1 : ndarray
        First set, degrees.
    lon2, lat2 : ndarray
        Second set, degrees.
    radius_m : float
        Greatest distance, metres.

    Returns
    -------
    (ndarray, ndarray, ndarray)
        Index into the first set, index into the second set, distance in metres.
    """
    from scipy.spatial import cKDTree

    def xyz(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        lon, lat = np.radians(lon), np.radians(lat)
        return np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon),
                                np.sin(lat)])

    lon1, lat1, lon2, lat2 = (np.asarray(v, dtype=float) for v in (lon1, lat1, lon2, lat2))
    empty = (np.zeros(0, int), np.zeros(0, int), np.zeros(0))
    if not len(lon1) or not len(lon2):
        return empty
    chord = 2 * math.sin(min(radius_m / MEAN_EARTH_RADIUS, math.pi) / 2) * (1 + 1e-9)
    tree = cKDTree(xyz(lon2, lat2))
    hits = tree.query_ball_point(xyz(lon1, lat1), chord)
    i = np.repeat(np.arange(len(lon1)), [len(h) for h in hits])
    j = np.fromiter((k for h in hits for k in h), dtype=int, count=len(i))
    if not len(i):
        return empty
    d = haversine_m(lon1[i], lat1[i], lon2[j], lat2[j])
    keep = d <= radius_m
    return i[keep], j[keep], d[keep]


def two_step_fca(demand: pd.Series, supply: pd.Series, pairs: pd.DataFrame,
                 radius_m: float) -> pd.Series:
    """Sum of supply-to-demand ratios within reach (PySAL ``access`` two_stage_fca).

    Parameters
    ----------
    demand : Series
        Demand (residents) by demand id; all known.
    supply : Series
        Capacity by supply id; all known.
    pairs : DataFrame
        ``origin`` (demand id), ``dest`` (supply id), ``cost`` (metres), within reach.
    radius_m : float
        The catchment.

    Returns
    -------
    Series
        Capacity per resident by demand id (0 where nothing is within reach).
    """
    from access import Access

    out = pd.Series(0.0, index=demand.index)
    if not len(pairs) or not len(supply) or not len(demand):
        return out
    with warnings.catch_warnings():  # access 1.1 still passes inplace= to pandas
        warnings.simplefilter("ignore")
        model = Access(
            demand_df=pd.DataFrame({"did": demand.index, "demand": demand.to_numpy()}),
            demand_index="did", demand_value="demand",
            supply_df=pd.DataFrame({"sid": supply.index, "capacity": supply.to_numpy()}),
            supply_index="sid", supply_value="capacity",
            cost_df=pairs, cost_origin="origin", cost_dest="dest", cost_name="cost")
        result = model.two_stage_fca(name="fca", max_cost=radius_m, normalize=False)
    figures = result.iloc[:, 0].astype(float)
    return out.add(figures.reindex(out.index).fillna(0.0), fill_value=0.0)


def accessibility(communities: gpd.GeoDataFrame, facilities: gpd.GeoDataFrame,
                  category: str, minutes: float, radius_m: float,
                  per: str = "residents") -> AccessResult:
    """Capacity per thousand residents within a walk, for every community (2SFCA).

    Parameters
    ----------
    communities : GeoDataFrame
        The communities layer's frame (``name``, ``population``, ``elderly_share``,
        ``parent``).
    facilities : GeoDataFrame
        The facilities layer's frame (``category``, ``capacity``).
    category : str
        Category id, e.g. ``"canteen"``.
    minutes : float
        Walk time (for the report).
    radius_m : float
        Straight-line radius of the walk.
    per : str
        ``"residents"`` or ``"elderly"`` (population × elderly_share / 100).

    Returns
    -------
    AccessResult
        Per-community figures and what was left out.
    """
    if per not in PER:
        raise ValueError(f"per must be one of {', '.join(PER)}")
    result = AccessResult(category, minutes, radius_m, per)
    fac = facilities[facilities["category"] == category]
    fac_pos = has_geometry(fac.geometry.to_numpy())
    com_pos = has_geometry(communities.geometry.to_numpy())
    result.no_position = int((~fac_pos).sum() + (~com_pos).sum())
    fac = fac[fac_pos]
    capacity = pd.to_numeric(fac["capacity"], errors="coerce").to_numpy(dtype=float) \
        if "capacity" in fac.columns else np.full(len(fac), np.nan)
    known_cap = np.isfinite(capacity) & (capacity >= 0)
    result.unknown_capacity = fac["name"].astype(str)[~known_cap].tolist()
    no_cap = fac[~known_cap]
    fac, capacity = fac[known_cap], capacity[known_cap]
    result.facilities = len(fac)

    com = communities[com_pos]
    names = com["name"].astype(str).to_numpy()
    demand = _demand(com, per)
    known = np.isfinite(demand) & (demand >= 0)
    # a 小区 inside a community whose residents are known is counted there, not twice
    known_parent = {n for n, k in zip(names, known, strict=True) if k}
    parents = com["parent"].fillna("").astype(str).to_numpy() if "parent" in com.columns \
        else np.full(len(com), "")
    in_parent = np.array([p != "" and p != n and p in known_parent
                          for p, n in zip(parents, names, strict=True)], dtype=bool)
    result.in_parent = names[in_parent].tolist()

    fx, fy = shapely.get_x(fac.geometry.to_numpy()), shapely.get_y(fac.geometry.to_numpy())
    cx, cy = shapely.get_x(com.geometry.to_numpy()), shapely.get_y(com.geometry.to_numpy())
    ci, fj, dist = pairs_within(cx, cy, fx, fy, radius_m)
    ni, _, _ = pairs_within(cx, cy, shapely.get_x(no_cap.geometry.to_numpy()),
                            shapely.get_y(no_cap.geometry.to_numpy()), radius_m)
    without = np.bincount(ni, minlength=len(com))
    counts_demand = ~in_parent
    # a facility's ratio is unknown when a community it serves has unknown residents
    unknown_ratio = np.zeros(len(fac), dtype=bool)
    blocking: dict[int, list[str]] = {}
    for i, j in zip(ci, fj, strict=True):
        if counts_demand[i] and not known[i]:
            unknown_ratio[j] = True
            blocking.setdefault(j, []).append(names[i])
    fac_names = fac["name"].astype(str).to_numpy()
    result.unknown_ratio = fac_names[unknown_ratio].tolist()

    use = counts_demand & known
    good = ~unknown_ratio[fj]
    keep = use[ci] & good
    pairs = pd.DataFrame({"origin": ci[keep], "dest": fj[keep], "cost": dist[keep]})
    ratios = two_step_fca(pd.Series(demand[use], index=np.flatnonzero(use)),
                          pd.Series(capacity[~unknown_ratio],
                                    index=np.flatnonzero(~unknown_ratio)),
                          pairs, radius_m)
    # each facility's ratio, then each community's sum over what it reaches (a 小区
    # counted in its parent reaches facilities too, and gets the same kind of sum)
    ratio_of = _facility_ratios(demand, capacity, ci, fj, use, unknown_ratio)
    for i, name in enumerate(names):
        reach = fj[ci == i]
        own = None if not known[i] else float(demand[i])
        bad = [j for j in reach if unknown_ratio[j]]
        if bad:
            who = sorted({n for j in bad for n in blocking[j]})
            reason = f"residents unknown in reach of {fac_names[bad[0]]}: {', '.join(who)}"
            result.communities.append(CommunityAccess(name, own, None, len(reach), reason,
                                                      int(without[i])))
            continue
        if use[i]:
            value = float(ratios.get(i, 0.0))
        elif any(ratio_of[j] is None for j in reach):
            reason = "counted in its parent, which is beyond the walk of a facility it reaches"
            result.communities.append(CommunityAccess(name, own, None, len(reach), reason,
                                                      int(without[i])))
            continue
        else:
            value = float(sum(ratio_of[j] for j in reach))
        result.communities.append(CommunityAccess(name, own, value * 1000.0, len(reach), "",
                                                  int(without[i])))
    return result


def _facility_ratios(demand: np.ndarray, capacity: np.ndarray, ci: np.ndarray, fj: np.ndarray,
                     use: np.ndarray, unknown_ratio: np.ndarray) -> dict[int, float | None]:
    """Step one alone: each facility's capacity ÷ the residents within its reach.

    None for a facility that reaches no counted residents (its ratio has no meaning).
    """
    served = pd.Series(np.where(use[ci], demand[ci], 0.0)).groupby(fj).sum()
    out = {}
    for j in range(len(capacity)):
        if unknown_ratio[j]:
            continue
        total = float(served.get(j, 0.0))
        out[j] = capacity[j] / total if total > 0 else None
    return out
