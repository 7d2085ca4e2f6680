"""The map furniture: the north arrow and the scale bar go to the corners that hide least.

Each takes the corner of the map frame where its box covers the fewest
features and names (:func:`map_obstacles`), the north arrow trying the top
right first and the scale bar the bottom left.
"""

from __future__ import annotations

import numpy as np
import shapely

from layers.export.layout.page import Rect
from layers.export.layout.scale_bar import ScaleBar
from layers.geo.map_view import lonlat_to_mercator, mercator_to_lonlat
from layers.model.layer import has_geometry
from layers.model.project import Project
from layers.model.schema import GeometryKind

#: Corners of the map frame that the north arrow and the scale bar may take.
CORNERS = ("top_right", "top_left", "bottom_right", "bottom_left")


def corner_rect(frame: Rect, w: float, h: float, corner: str, inset: float) -> Rect:
    """Return a box of ``w × h`` points in one corner of a frame.

    Parameters
    ----------
    frame : Rect
        The map frame.
    w, h : float
        The box's size.
    corner : str
        One of :data:`CORNERS`.
    inset : float
        Space between the box and the frame's edges.

    Returns
    -------
    Rect
        The box.
    """
    x = frame.x + inset if corner.endswith("left") else frame.right - inset - w
    y = frame.y + inset if corner.startswith("top") else frame.bottom - inset - h
    return Rect(x, y, w, h)


def quiet_corner(frame: Rect, w: float, h: float, points: np.ndarray,
                 prefer: tuple[str, ...], inset: float, taken: tuple[Rect, ...] = ()
                 ) -> tuple[str, Rect]:
    """Return the corner where a box covers the fewest features and names.

    Parameters
    ----------
    frame : Rect
        The map frame.
    w, h : float
        The box's size in points.
    points : ndarray
        ``(n, 2)`` page positions of what should stay visible (symbols, names).
    prefer : tuple of str
        Corners in the order tried; a tie goes to the first.
    inset : float
        Space between the box and the frame's edges.
    taken : tuple of Rect
        Boxes already placed, never overlapped.

    Returns
    -------
    (str, Rect)
        The corner and the box.
    """
    best: tuple[int, int, str, Rect] | None = None
    for rank, corner in enumerate(prefer):
        box = corner_rect(frame, w, h, corner, inset)
        if any(box.x < t.right and t.x < box.right and box.y < t.bottom and t.y < box.bottom
               for t in taken):
            continue
        covered = int(np.count_nonzero(
            (points[:, 0] >= box.x) & (points[:, 0] <= box.right)
            & (points[:, 1] >= box.y) & (points[:, 1] <= box.bottom))) if len(points) else 0
        if best is None or (covered, rank) < best[:2]:
            best = (covered, rank, corner, box)
    if best is None:  # every corner taken: the first choice
        return prefer[0], corner_rect(frame, w, h, prefer[0], inset)
    return best[2], best[3]


def map_obstacles(project: Project, mercator: tuple[float, float, float, float],
                  frame: Rect) -> np.ndarray:
    """Return page positions the map furniture should not cover: features, their names, areas.

    Each feature gives its symbol and three points along where its name is
    written (right of it); each district and city in view gives the point its
    name is written at, and the top centre (where a name filling the map goes).

    Parameters
    ----------
    project : Project
        The project.
    mercator : tuple of float
        The map's extent in Web Mercator metres.
    frame : Rect
        The map frame on the page.

    Returns
    -------
    ndarray
        ``(n, 2)`` page points.
    """
    x0, y0, x1, y1 = mercator
    lon0, lat0 = (float(v) for v in mercator_to_lonlat(x0, y0))
    lon1, lat1 = (float(v) for v in mercator_to_lonlat(x1, y1))
    bounds = (lon0, lat0, lon1, lat1)
    # longitudes and latitudes apart, so a million facilities are not copied back and forth
    lons: list[np.ndarray] = []
    lats: list[np.ndarray] = []
    for layer in project.layers:
        if not layer.visible or len(layer) == 0:
            continue
        if layer.kind is GeometryKind.POINT:
            geoms = layer.frame.geometry.to_numpy()
            geoms = geoms[has_geometry(geoms)]
            lons.append(shapely.get_x(geoms))
            lats.append(shapely.get_y(geoms))
    try:
        from layers.geo.admin_areas import admin_level

        for level in ("city", "district"):
            areas = admin_level(level)
            rows = areas.in_bounds(bounds)
            if len(rows):
                pts = shapely.point_on_surface(
                    shapely.clip_by_rect(areas.geometries[rows], *bounds))
                pts = pts[~shapely.is_empty(pts)]
                lons.append(shapely.get_x(pts))
                lats.append(shapely.get_y(pts))
    except (ImportError, OSError):  # no bundled boundaries: only the features count
        pass
    n = sum(len(lon) for lon in lons)
    steps = (0.0, 15.0, 35.0, 55.0)  # the symbol, then along its name
    out = np.empty((1 + len(steps) * n, 2))
    out[0] = (frame.x + frame.w / 2, frame.y + 14.0)
    if n:
        mx, my = lonlat_to_mercator(np.concatenate(lons), np.concatenate(lats))
        px = frame.x + (np.asarray(mx) - x0) / (x1 - x0) * frame.w
        py = frame.y + (y1 - np.asarray(my)) / (y1 - y0) * frame.h
        for k, dx in enumerate(steps):
            np.add(px, dx, out=out[1 + k * n:1 + (k + 1) * n, 0])
            out[1 + k * n:1 + (k + 1) * n, 1] = py
    return out


def place_furniture(frames: dict[str, Rect], scale_bar: ScaleBar, points: np.ndarray,
                    unit: float) -> dict[str, str]:
    """Move the north arrow and the scale bar to corners that cover the least.

    The north arrow prefers the top right, the scale bar the bottom left, as on
    most maps; either moves when its corner would hide features or names.

    Parameters
    ----------
    frames : dict of str to Rect
        The page's frames; ``north_arrow`` and ``scale_bar`` are replaced.
    scale_bar : ScaleBar
        The bar (its length sets the box's width).
    points : ndarray
        ``(n, 2)`` page positions to keep visible (:func:`map_obstacles`).
    unit : float
        Points per A4 point (1 on A4).

    Returns
    -------
    dict of str to str
        The corner each item took.
    """
    frame = frames["map"]
    arrow = frames["north_arrow"]
    north_corner, frames["north_arrow"] = quiet_corner(
        frame, arrow.w, arrow.h, points, CORNERS, 10 * unit)
    bar = frames["scale_bar"]
    width = min(frame.w / 3, scale_bar.length_pt + 70 * unit)
    scale_corner, frames["scale_bar"] = quiet_corner(
        frame, width, bar.h, points, ("bottom_left", "bottom_right", "top_left", "top_right"),
        10 * unit, taken=(frames["north_arrow"],))
    return {"north_arrow": north_corner, "scale_bar": scale_corner}
