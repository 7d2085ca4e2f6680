"""The map view: what part of the world a canvas or exported image shows.

Display is in Web Mercator (EPSG:3857), as for web basemaps. Positions are
stored in lon/lat; distances are never measured in this projection.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

EARTH_RADIUS = 6378137.0
WORLD_SIZE = 2 * math.pi * EARTH_RADIUS
MAX_LAT = 85.05112878
#: Metres per pixel at 96 dpi, for the 1:N scale shown to the planner.
METRES_PER_PIXEL_96DPI = 0.0254 / 96


def lonlat_to_mercator(lon: np.ndarray | float, lat: np.ndarray | float
                       ) -> tuple[np.ndarray, np.ndarray]:
    """Project lon/lat degrees to Web Mercator metres.

    Parameters
    ----------
    lon, lat : array-like
        Degrees; latitude is clipped to the Mercator limit.

    Returns
    -------
    (ndarray, ndarray)
        x and y in metres.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.clip(np.asarray(lat, dtype=float), -MAX_LAT, MAX_LAT)
    x = np.radians(lon) * EARTH_RADIUS
    y = np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)) * EARTH_RADIUS
    return x, y


def mercator_to_lonlat(x: np.ndarray | float, y: np.ndarray | float
                       ) -> tuple[np.ndarray, np.ndarray]:
    """Inverse of :func:`lonlat_to_mercator`.

    Parameters
    ----------
    x, y : array-like
        Web Mercator metres.

    Returns
    -------
    (ndarray, ndarray)
        Longitude and latitude in degrees.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    lon = np.degrees(x / EARTH_RADIUS)
    lat = np.degrees(2 * np.arctan(np.exp(y / EARTH_RADIUS)) - np.pi / 2)
    return lon, lat


@dataclass
class MapView:
    """A rectangle of the map: centre, resolution and pixel size.

    Attributes
    ----------
    cx, cy : float
        Centre in Web Mercator metres.
    resolution : float
        Mercator metres per pixel.
    width, height : int
        Size in pixels.
    """

    cx: float = 12_900_000.0
    cy: float = 3_600_000.0
    resolution: float = 2000.0
    width: int = 800
    height: int = 600

    MIN_RESOLUTION = 0.05
    MAX_RESOLUTION = 40_000.0

    def copy(self) -> MapView:
        """Return an independent copy.

        Returns
        -------
        MapView
            The copy.
        """
        return MapView(self.cx, self.cy, self.resolution, self.width, self.height)

    # ----- transforms ----------------------------------------------------
    def to_pixel(self, x: np.ndarray | float, y: np.ndarray | float
                 ) -> tuple[np.ndarray, np.ndarray]:
        """Map Mercator metres to pixel coordinates (y down).

        Parameters
        ----------
        x, y : array-like
            Mercator metres.

        Returns
        -------
        (ndarray, ndarray)
            Pixel x and y as floats.
        """
        px = (np.asarray(x, dtype=float) - self.cx) / self.resolution + self.width / 2
        py = (self.cy - np.asarray(y, dtype=float)) / self.resolution + self.height / 2
        return px, py

    def to_map(self, px: np.ndarray | float, py: np.ndarray | float
               ) -> tuple[np.ndarray, np.ndarray]:
        """Map pixel coordinates to Mercator metres.

        Parameters
        ----------
        px, py : array-like
            Pixels, y down.

        Returns
        -------
        (ndarray, ndarray)
            Mercator metres.
        """
        x = (np.asarray(px, dtype=float) - self.width / 2) * self.resolution + self.cx
        y = self.cy - (np.asarray(py, dtype=float) - self.height / 2) * self.resolution
        return x, y

    def pixel_to_lonlat(self, px: float, py: float) -> tuple[float, float]:
        """Return the lon/lat under a pixel.

        Parameters
        ----------
        px, py : float
            Pixel position.

        Returns
        -------
        (float, float)
            Longitude and latitude.
        """
        lon, lat = mercator_to_lonlat(*self.to_map(px, py))
        return float(lon), float(lat)

    def lonlat_to_pixel(self, lon: float, lat: float) -> tuple[float, float]:
        """Return the pixel of a lon/lat position.

        Parameters
        ----------
        lon, lat : float
            Degrees.

        Returns
        -------
        (float, float)
            Pixel x and y.
        """
        px, py = self.to_pixel(*lonlat_to_mercator(lon, lat))
        return float(px), float(py)

    @property
    def extent(self) -> tuple[float, float, float, float]:
        """Visible (xmin, ymin, xmax, ymax) in Mercator metres."""
        hw = self.width * self.resolution / 2
        hh = self.height * self.resolution / 2
        return (self.cx - hw, self.cy - hh, self.cx + hw, self.cy + hh)

    # ----- navigation ----------------------------------------------------
    def pan_pixels(self, dx: float, dy: float) -> None:
        """Move the view so the map follows a drag of ``(dx, dy)`` pixels.

        Parameters
        ----------
        dx, dy : float
            Drag in pixels.
        """
        self.cx -= dx * self.resolution
        self.cy += dy * self.resolution

    def zoom_at(self, px: float, py: float, factor: float) -> None:
        """Zoom by ``factor`` (>1 zooms in) keeping the point under ``(px, py)`` fixed.

        Parameters
        ----------
        px, py : float
            Anchor pixel.
        factor : float
            Zoom factor.
        """
        x, y = self.to_map(px, py)
        new_res = min(self.MAX_RESOLUTION, max(self.MIN_RESOLUTION, self.resolution / factor))
        self.resolution = new_res
        self.cx = float(x) - (px - self.width / 2) * new_res
        self.cy = float(y) + (py - self.height / 2) * new_res

    def fit(self, xmin: float, ymin: float, xmax: float, ymax: float,
            margin: float = 0.08, min_span: float = 400.0) -> None:
        """Show a Mercator rectangle with a margin.

        Parameters
        ----------
        xmin, ymin, xmax, ymax : float
            Rectangle in Mercator metres.
        margin : float
            Fraction added around the rectangle.
        min_span : float
            Smallest span shown, in metres, so a single point is not over-zoomed.
        """
        span_x = max(xmax - xmin, min_span)
        span_y = max(ymax - ymin, min_span)
        self.cx = (xmin + xmax) / 2
        self.cy = (ymin + ymax) / 2
        res = max(span_x / max(self.width, 1), span_y / max(self.height, 1)) * (1 + 2 * margin)
        self.resolution = min(self.MAX_RESOLUTION, max(self.MIN_RESOLUTION, res))

    def fit_lonlat(self, lon_min: float, lat_min: float, lon_max: float, lat_max: float,
                   **kwargs: float) -> None:
        """Show a lon/lat rectangle; see :meth:`fit`.

        Parameters
        ----------
        lon_min, lat_min, lon_max, lat_max : float
            Rectangle in degrees.
        **kwargs
            Passed to :meth:`fit`.
        """
        x0, y0 = lonlat_to_mercator(lon_min, lat_min)
        x1, y1 = lonlat_to_mercator(lon_max, lat_max)
        self.fit(float(x0), float(y0), float(x1), float(y1), **kwargs)

    # ----- what the status bar shows ------------------------------------
    def ground_resolution(self) -> float:
        """Ground metres per pixel at the view's centre latitude.

        Returns
        -------
        float
            Metres per pixel on the ground.
        """
        _, lat = mercator_to_lonlat(self.cx, self.cy)
        return self.resolution * math.cos(math.radians(float(lat)))

    def scale_denominator(self) -> float:
        """Return N of the 1:N scale at the centre, for a 96 dpi screen.

        Returns
        -------
        float
            Scale denominator.
        """
        return self.ground_resolution() / METRES_PER_PIXEL_96DPI

    def tile_zoom(self, tile_size: int = 256) -> int:
        """Return the XYZ tile zoom level closest to this resolution.

        Parameters
        ----------
        tile_size : int
            Tile edge in pixels.

        Returns
        -------
        int
            Zoom level 0–19.
        """
        z = math.log2(WORLD_SIZE / (tile_size * self.resolution))
        return int(min(19, max(0, round(z))))


def nice_scale_length(max_metres: float) -> float:
    """Return a round length (1, 2 or 5 × 10^k metres) no longer than ``max_metres``.

    Parameters
    ----------
    max_metres : float
        Upper bound.

    Returns
    -------
    float
        The length in metres.
    """
    if max_metres <= 0:
        return 0.0
    exp = math.floor(math.log10(max_metres))
    for step in (5, 2, 1):
        length = step * 10**exp
        if length <= max_metres:
            return float(length)
    return float(10 ** (exp - 1) * 5)
