"""Checks and defaults a planner expects while digitising: no Qt here."""

from __future__ import annotations

import numpy as np
import shapely

from layers.geo.geodesy import haversine_m
from layers.model.project import Project

DUPLICATE_RADIUS_M = 50.0


def community_for_point(project: Project, lon: float, lat: float) -> str | None:
    """Return the community a new facility most likely belongs to.

    The community whose boundary contains the point wins; otherwise the nearest
    community point.

    Parameters
    ----------
    project : Project
        The project.
    lon, lat : float
        Degrees.

    Returns
    -------
    str or None
        Community name, or None when the project has no communities.
    """
    point = shapely.Point(lon, lat)
    if project.has_layer("boundaries"):
        bounds = project.layer("boundaries").frame
        if len(bounds):
            inside = bounds[bounds.geometry.contains(point)]
            if len(inside):
                return str(inside["community"].iloc[0])
    comms = project.communities.frame
    if len(comms) == 0:
        return None
    pts = comms.geometry
    dist = haversine_m(lon, lat, shapely.get_x(pts.to_numpy()), shapely.get_y(pts.to_numpy()))
    dist = np.where(np.isnan(dist), np.inf, dist)
    return str(comms["name"].iloc[int(np.argmin(dist))])


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
