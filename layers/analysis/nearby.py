"""Checks and defaults a planner expects while digitising: no Qt here."""

from __future__ import annotations

import numpy as np
import shapely

from layers.geo.geodesy import haversine_m
from layers.geo.walking import PRESETS
from layers.model.layer import has_geometry
from layers.model.project import Project

DUPLICATE_RADIUS_M = 50.0
#: The walk a prefill reaches when none is chosen: GB 50180's 10 minutes, 500 m.
DEFAULT_WALK_M = PRESETS["gb50180"].radius_m(10)


def community_for_point(project: Project, lon: float, lat: float,
                        walk_m: float = DEFAULT_WALK_M) -> str | None:
    """Return the community a new facility at a point belongs to, when that is clear.

    The community whose boundary polygon covers the point wins. Otherwise the
    nearest community point, but only when it lies within ``walk_m`` of the click
    (the chosen walk). Anything farther is a guess, so no community is returned
    and the planner chooses.

    Parameters
    ----------
    project : Project
        The project.
    lon, lat : float
        Degrees.
    walk_m : float
        Straight-line reach of the chosen walk, metres (e.g. 500 m for GB 50180's
        10 minutes).

    Returns
    -------
    str or None
        Community name, or None when no boundary covers the point and no
        community point is within the walk.
    """
    point = shapely.Point(lon, lat)
    if project.has_layer("boundaries"):
        bounds = project.layer("boundaries").frame
        geoms = bounds.geometry.to_numpy()
        inside = has_geometry(geoms)
        inside[inside] = shapely.covers(geoms[inside], point)
        names = bounds["community"].to_numpy()[inside]
        named = [str(n) for n in names if isinstance(n, str) and n.strip()]
        if named:
            return named[0]
    comms = project.communities.frame
    pts = comms.geometry.to_numpy()
    placed = has_geometry(pts)
    if not placed.any():
        return None
    dist = np.full(len(pts), np.inf)
    dist[placed] = haversine_m(lon, lat, shapely.get_x(pts[placed]), shapely.get_y(pts[placed]))
    nearest = int(np.argmin(dist))
    if not dist[nearest] <= walk_m:
        return None
    return str(comms["name"].iloc[nearest])


def nearby_duplicates(project: Project, name: str, lon: float, lat: float,
                      radius_m: float = DUPLICATE_RADIUS_M,
                      exclude_id: str | None = None) -> list[tuple[str, float]]:
    """Return facilities with the same name within ``radius_m`` of a point.

    Parameters
    ----------
    project : Project
        The project.
    name : str
        Name to compare (surrounding white space ignored).
    lon, lat : float
        Degrees.
    radius_m : float
        Search radius in metres.
    exclude_id : str, optional
        A facility to ignore (the one being moved).

    Returns
    -------
    list of (str, float)
        Ids and distances in metres, nearest first.
    """
    frame = project.facilities.frame
    same = frame[frame["name"].fillna("").str.strip() == name.strip()]
    if exclude_id is not None:
        same = same[same["id"] != exclude_id]
    if same.empty:
        return []
    geoms = same.geometry.to_numpy()
    dist = haversine_m(lon, lat, shapely.get_x(geoms), shapely.get_y(geoms))
    hits = [(str(i), float(d)) for i, d in zip(same["id"], dist, strict=True) if d <= radius_m]
    return sorted(hits, key=lambda t: t[1])
