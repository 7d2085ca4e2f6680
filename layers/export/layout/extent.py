"""The map's extent on a print layout: what part of the world the map frame shows.

The planner's ``--extent``, else a community and its facilities, else the whole
project, grown to the map frame's shape; and the larger square the overview
inset shows.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import shapely

from layers.export.errors import ExportError
from layers.geo.map_view import lonlat_to_mercator, mercator_to_lonlat
from layers.model.layer import has_geometry
from layers.model.project import Project

if TYPE_CHECKING:
    from layers.export.layout.page import LayoutOptions, Rect

#: Ground area a map shows at least, so one facility is not drawn at street-sign scale.
MIN_SPAN_M = 600.0


def parse_extent(text: str) -> tuple[float, float, float, float]:
    """Read ``W,S,E,N`` in degrees.

    Parameters
    ----------
    text : str
        Four comma-separated numbers.

    Returns
    -------
    tuple of float
        West, south, east, north.

    Raises
    ------
    ExportError
        When it is not four numbers with west < east and south < north in range.
    """
    try:
        w, s, e, n = (float(v) for v in text.split(","))
    except ValueError:
        raise ExportError(f"--extent must be W,S,E,N in degrees, not {text!r}") from None
    if not (-180 <= w < e <= 180 and -85 <= s < n <= 85):
        raise ExportError(f"--extent {text!r}: need west < east and south < north, in degrees")
    return w, s, e, n


def wanted_bounds(project: Project, options: LayoutOptions
                  ) -> tuple[float, float, float, float]:
    """Return what the planner asked to see, before it is fitted to the map frame.

    Parameters
    ----------
    project : Project
        The project.
    options : LayoutOptions
        Its ``extent``, else its ``community`` (with its facilities), else every feature.

    Returns
    -------
    tuple of float
        West, south, east, north in degrees.

    Raises
    ------
    ExportError
        For an unknown community, or when no feature has a position.
    """
    if options.extent is not None:
        return options.extent
    if options.community:
        comms = project.communities.frame
        match = comms[(comms["name"] == options.community)
                      | (comms["parent"] == options.community)]
        if match.empty:
            raise ExportError(f"no community named {options.community!r}")
        fac = project.facilities.frame
        geoms = list(match.geometry) + list(fac[fac["community"].isin(set(match["name"]))]
                                            .geometry)
    else:
        geoms = [g for layer in project.layers for g in layer.frame.geometry]
    arr = np.asarray(geoms, dtype=object)
    arr = arr[has_geometry(arr)] if len(arr) else arr
    if not len(arr):
        raise ExportError("nothing to map: no feature has a position")
    w, s, e, n = (float(v) for v in shapely.total_bounds(arr))
    return w, s, e, n


def fitted_extent(bounds: tuple[float, float, float, float], frame: Rect
                  ) -> tuple[float, float, float, float]:
    """Grow the bounds (in Mercator) to the frame's shape, with a 6% margin.

    Parameters
    ----------
    bounds : tuple of float
        West, south, east, north in degrees.
    frame : Rect
        The map frame on the page.

    Returns
    -------
    tuple of float
        The map's extent in Web Mercator metres, at least :data:`MIN_SPAN_M` across.
    """
    x0, y0 = (float(v) for v in lonlat_to_mercator(bounds[0], bounds[1]))
    x1, y1 = (float(v) for v in lonlat_to_mercator(bounds[2], bounds[3]))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    lat = float(mercator_to_lonlat(cx, cy)[1])
    min_span = MIN_SPAN_M / math.cos(math.radians(lat))  # mercator metres for MIN_SPAN_M
    span_x = max(x1 - x0, min_span) * 1.12
    span_y = max(y1 - y0, min_span) * 1.12
    aspect = frame.w / frame.h
    if span_x / span_y < aspect:
        span_x = span_y * aspect
    else:
        span_y = span_x / aspect
    return cx - span_x / 2, cy - span_y / 2, cx + span_x / 2, cy + span_y / 2


def features_inside(frame, bounds: tuple[float, float, float, float]):  # noqa: ANN001, ANN202
    """Return the rows of a layer frame whose geometry meets the bounds.

    Parameters
    ----------
    frame : GeoDataFrame
        A layer's features.
    bounds : tuple of float
        West, south, east, north in degrees.

    Returns
    -------
    GeoDataFrame
        Those rows (features without a position left out).
    """
    geoms = frame.geometry.to_numpy()
    if not len(geoms):
        return frame
    keep = has_geometry(geoms)
    keep[keep] = shapely.intersects(shapely.box(*bounds), geoms[keep])
    return frame[keep]


def overview_bounds(project: Project, bounds: tuple[float, float, float, float]
                    ) -> tuple[float, float, float, float]:
    """Return the whole project's extent, and at least a few times the map's, as a square.

    Parameters
    ----------
    project : Project
        The project.
    bounds : tuple of float
        The map's west, south, east, north in degrees.

    Returns
    -------
    tuple of float
        What the overview inset shows, in degrees.
    """
    geoms = np.asarray([g for layer in project.layers for g in layer.frame.geometry],
                       dtype=object)
    geoms = geoms[has_geometry(geoms)] if len(geoms) else geoms
    w, s, e, n = bounds
    if len(geoms):
        pw, ps, pe, pn = (float(v) for v in shapely.total_bounds(geoms))
        w, s, e, n = min(w, pw), min(s, ps), max(e, pe), max(n, pn)
    cx, cy = (w + e) / 2, (s + n) / 2
    half = max(e - w, n - s, 4 * (bounds[2] - bounds[0])) / 2 * 1.1
    return cx - half, max(-85.0, cy - half), cx + half, min(85.0, cy + half)
