"""GCJ-02 ("Mars coordinates", used by AMap/Gaode and Tencent) and WGS-84.

WGS-84 → GCJ-02 is the published forward formula. GCJ-02 → WGS-84 has no closed
form: it is solved by fixed-point iteration until the forward image matches to
under a millimetre. Shift only for display over a GCJ-02 basemap or when
importing GCJ-02 data; never store shifted coordinates.
"""

from __future__ import annotations

import numpy as np

_A = 6378245.0
_EE = 0.00669342162296594323

#: Outside mainland China the offset is not applied. A bounding box alone would
#: wrongly shift neighbours; these boxes of Bhutan, Nepal, the Korean peninsula,
#: Japan and the Philippines are excluded. Near a land border the test is coarse.
_CHINA_BOX = (73.5, 18.1, 135.1, 53.6)
_NOT_CHINA = (
    (88.75, 26.70, 92.12, 28.33),   # Bhutan
    (80.06, 26.35, 88.20, 30.42),   # Nepal
    (124.6, 33.0, 130.9, 42.2),     # Korean peninsula
    (129.4, 30.0, 146.0, 46.0),     # Japan
    (116.9, 4.5, 126.7, 19.0),      # Philippines, Luzon strait
)


def in_china(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Tell which points get the GCJ-02 offset (mainland China, coarsely).

    Parameters
    ----------
    lon, lat : array-like
        Degrees.

    Returns
    -------
    ndarray of bool
        True where the offset applies.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    x0, y0, x1, y1 = _CHINA_BOX
    inside = (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)
    for bx0, by0, bx1, by1 in _NOT_CHINA:
        inside &= ~((lon >= bx0) & (lon <= bx1) & (lat >= by0) & (lat <= by1))
    return inside


def _delta(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x = lon - 105.0
    y = lat - 35.0
    dlat = (-100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y
            + 0.2 * np.sqrt(np.abs(x)))
    dlat += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    dlat += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    dlat += (160.0 * np.sin(y / 12.0 * np.pi) + 320 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    dlon += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    dlon += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    dlon += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    rad = lat / 180.0 * np.pi
    magic = 1 - _EE * np.sin(rad) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrt_magic * np.cos(rad) * np.pi)
    return dlon, dlat


def wgs84_to_gcj02(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Shift WGS-84 to GCJ-02 (points outside China are returned unchanged).

    Parameters
    ----------
    lon, lat : array-like
        WGS-84 degrees.

    Returns
    -------
    (ndarray, ndarray)
        GCJ-02 degrees.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    dlon, dlat = _delta(lon, lat)
    inside = in_china(lon, lat)
    return np.where(inside, lon + dlon, lon), np.where(inside, lat + dlat, lat)


def gcj02_to_wgs84(lon: np.ndarray, lat: np.ndarray, tolerance_deg: float = 1e-9,
                   max_iter: int = 30) -> tuple[np.ndarray, np.ndarray]:
    """Recover WGS-84 from GCJ-02 by iteration (error well under 0.5 m).

    Parameters
    ----------
    lon, lat : array-like
        GCJ-02 degrees.
    tolerance_deg : float
        Stop when the forward image is this close (1e-9° ≈ 0.1 mm).
    max_iter : int
        Iteration cap.

    Returns
    -------
    (ndarray, ndarray)
        WGS-84 degrees.
    """
    glon = np.asarray(lon, dtype=float)
    glat = np.asarray(lat, dtype=float)
    wlon, wlat = glon.copy(), glat.copy()
    for _ in range(max_iter):
        flon, flat = wgs84_to_gcj02(wlon, wlat)
        elon, elat = flon - glon, flat - glat
        wlon = wlon - elon
        wlat = wlat - elat
        if np.nanmax(np.abs(np.concatenate([elon, elat])), initial=0) < tolerance_deg:
            break
    return wlon, wlat
