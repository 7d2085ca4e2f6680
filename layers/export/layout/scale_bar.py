"""The scale bar of a print layout: a round length, true at the map's centre latitude."""

from __future__ import annotations

import math
from dataclasses import dataclass

from layers.geo.geodesy import geodesic_m
from layers.geo.map_view import nice_scale_length

#: Metres in one point (1/72 inch), for the 1:N scale of the printed page.
METRES_PER_POINT = 0.0254 / 72


@dataclass(frozen=True)
class ScaleBar:
    """A scale bar of a round length, true at the map's centre latitude.

    Attributes
    ----------
    length_m : float
        Ground length the bar stands for.
    length_pt : float
        The bar's length on paper, in points.
    label : str
        ``"500 m"`` or ``"2 km"``.
    denominator : int
        N of the 1:N scale, rounded to two significant digits.
    """

    length_m: float
    length_pt: float
    label: str
    denominator: int


def metres_per_degree_longitude(lat: float) -> float:
    """Return the ground length of one degree of longitude at a latitude.

    Parameters
    ----------
    lat : float
        Latitude in degrees.

    Returns
    -------
    float
        Metres on the WGS 84 ellipsoid (about 96,500 m at 30°N).
    """
    return geodesic_m(0.0, lat, 1.0, lat)


def scale_bar_for(west: float, east: float, lat: float, frame_width_pt: float) -> ScaleBar:
    """Choose a round scale bar for a map frame, true at ``lat``.

    Parameters
    ----------
    west, east : float
        Longitudes at the frame's left and right edges.
    lat : float
        The map's centre latitude (where the bar is true).
    frame_width_pt : float
        The map frame's width on paper.

    Returns
    -------
    ScaleBar
        At most a third of the frame long.
    """
    metres_per_pt = (east - west) * metres_per_degree_longitude(lat) / frame_width_pt
    length_m = nice_scale_length(metres_per_pt * frame_width_pt / 4)
    label = f"{length_m / 1000:g} km" if length_m >= 1000 else f"{length_m:g} m"
    return ScaleBar(length_m, length_m / metres_per_pt, label,
                    _two_digits(metres_per_pt / METRES_PER_POINT))


def _two_digits(n: float) -> int:
    if n <= 0 or not math.isfinite(n):
        return 0
    digits = max(0, int(math.log10(n)) - 1)
    return int(round(n / 10**digits) * 10**digits)
