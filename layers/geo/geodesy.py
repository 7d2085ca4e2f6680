"""Ground distances on the WGS 84 ellipsoid and local metric projections."""

from __future__ import annotations

import functools

import numpy as np
import pyproj

GEOD = pyproj.Geod(ellps="WGS84")
MEAN_EARTH_RADIUS = 6_371_008.8


def haversine_m(lon1: np.ndarray | float, lat1: np.ndarray | float,
                lon2: np.ndarray | float, lat2: np.ndarray | float) -> np.ndarray:
    """Great-circle distance in metres (sphere of mean radius; within 0.5% of geodesic).

    Parameters
    ----------
    lon1, lat1, lon2, lat2 : array-like
        Degrees.

    Returns
    -------
    ndarray
        Metres.
    """
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(v, dtype=float))
                              for v in (lon1, lat1, lon2, lat2))
    a = (np.sin((lat2 - lat1) / 2) ** 2
         + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2)
    return 2 * MEAN_EARTH_RADIUS * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def geodesic_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Geodesic distance in metres on the WGS 84 ellipsoid.

    Parameters
    ----------
    lon1, lat1, lon2, lat2 : float
        Degrees.

    Returns
    -------
    float
        Metres.
    """
    return float(GEOD.inv(lon1, lat1, lon2, lat2)[2])


def utm_epsg(lon: float, lat: float) -> int:
    """Return the EPSG code of the WGS 84 UTM zone containing a point.

    Parameters
    ----------
    lon, lat : float
        Degrees.

    Returns
    -------
    int
        EPSG code (326xx north, 327xx south).
    """
    zone = int(np.floor((lon + 180) / 6)) % 60 + 1
    return (32600 if lat >= 0 else 32700) + zone


@functools.lru_cache(maxsize=128)
def to_metric(epsg: int) -> pyproj.Transformer:
    """Return a cached lon/lat → metric transformer for an EPSG code.

    Parameters
    ----------
    epsg : int
        Target projected CRS.

    Returns
    -------
    pyproj.Transformer
        ``always_xy`` transformer from EPSG:4326.
    """
    return pyproj.Transformer.from_crs(4326, epsg, always_xy=True)


@functools.lru_cache(maxsize=128)
def from_metric(epsg: int) -> pyproj.Transformer:
    """Return a cached metric → lon/lat transformer for an EPSG code.

    Parameters
    ----------
    epsg : int
        Source projected CRS.

    Returns
    -------
    pyproj.Transformer
        ``always_xy`` transformer to EPSG:4326.
    """
    return pyproj.Transformer.from_crs(epsg, 4326, always_xy=True)
