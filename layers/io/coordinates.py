"""Coordinates as files hold them: which CRS they look like, and lon/lat swapped."""

from __future__ import annotations

import numpy as np

#: CGCS2000 3-degree Gauss-Krüger zones 25–45 with the zone number in the easting.
GK3_ZONES = range(25, 46)
#: CGCS2000 6-degree Gauss-Krüger zones 13–23 with the zone number in the easting.
GK6_ZONES = range(13, 24)


def looks_like(x: np.ndarray, y: np.ndarray) -> str:
    """Say which CRS coordinates look like, in words for an error message.

    Recognises longitude/latitude, CGCS2000 Gauss-Krüger eastings with a zone
    number (``40500000``), Web Mercator and Gauss-Krüger or UTM metres without
    a zone number: what planners' files in China hold.

    Parameters
    ----------
    x, y : array of float
        Coordinates as written in the file (eastings and northings, or lon and lat).

    Returns
    -------
    str
        For example ``"metres in CGCS2000 3-degree Gauss-Krüger zone 40 (EPSG:4528)"``.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    if not ok.any():
        return "no numbers at all"
    mx, my = float(np.median(x[ok])), float(np.median(y[ok]))
    if abs(mx) <= 180 and abs(my) <= 90:
        return "longitude/latitude (EPSG:4326)"
    if abs(my) <= 180 and abs(mx) <= 90:
        return "latitude/longitude, swapped (EPSG:4326)"
    guesses = []
    zone, easting = divmod(mx, 1_000_000)
    if 100_000 <= easting <= 900_000 and 1_500_000 <= my <= 6_000_000:
        if int(zone) in GK3_ZONES:
            guesses.append(f"CGCS2000 3-degree Gauss-Krüger zone {int(zone)} "
                           f"(EPSG:{4513 + int(zone) - GK3_ZONES[0]})")
        elif int(zone) in GK6_ZONES:
            guesses.append(f"CGCS2000 6-degree Gauss-Krüger zone {int(zone)} "
                           f"(EPSG:{4491 + int(zone) - GK6_ZONES[0]})")
        elif zone == 0:
            guesses.append("a Gauss-Krüger or UTM zone without its zone number, e.g. "
                           "EPSG:4547 (CGCS2000 3-degree, 114°E)")
    if 7_500_000 <= mx <= 15_200_000 and 1_900_000 <= my <= 7_300_000:
        guesses.append("Web Mercator (EPSG:3857)")
    if guesses:
        return "metres in " + " or ".join(guesses)
    return f"no CRS we recognise (e.g. {mx:g}, {my:g})"


def swapped_mask(minx: np.ndarray, miny: np.ndarray, maxx: np.ndarray,
                 maxy: np.ndarray) -> np.ndarray:
    """Tell which features have longitude and latitude the other way round.

    A feature is swapped when its "latitudes" are beyond ±90 but would be legal
    longitudes. A file of Chinese data is swapped as a whole when most of it
    reads as latitude 70–140 and longitude 15–56, even where each value alone
    would be a legal longitude/latitude.

    Parameters
    ----------
    minx, miny, maxx, maxy : array of float
        Each feature's bounds (for points, ``minx == maxx`` and ``miny == maxy``).

    Returns
    -------
    array of bool
        True for the features to swap.
    """
    ax = np.maximum(np.abs(minx), np.abs(maxx))
    ay = np.maximum(np.abs(miny), np.abs(maxy))
    finite = np.isfinite(ax) & np.isfinite(ay)
    swapped = finite & (ay > 90) & (ay <= 180) & (ax <= 90)
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    if finite.any():
        china_lonlat = ((cx > 70) & (cx < 140) & (cy > 15) & (cy < 56))[finite].mean()
        china_swapped = ((cy > 70) & (cy < 140) & (cx > 15) & (cx < 56))[finite].mean()
        if china_swapped > 0.5 and china_swapped > china_lonlat:
            swapped = finite & (ax <= 90) & (ay <= 180)
    return swapped
