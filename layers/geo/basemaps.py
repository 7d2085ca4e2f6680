"""The online basemaps a planner can put under the data, and where their tiles go.

Every basemap is an XYZ (Web Mercator) tile source. This module knows their URLs,
attributions, keys and datums, and works out which tiles a view needs and where
each one is drawn. It never imports Qt: the canvas (``desktop.canvas.basemap``)
fetches and paints, and the print layout asks :func:`attribution_for`.

Datums:

- OpenStreetMap and any typed-in URL are WGS-84.
- Tianditu (天地图) is CGCS2000. CGCS2000 and WGS-84 differ by a few centimetres,
  far below a pixel at any map scale, so it is treated as WGS-84 here.
- AMap (高德) tiles are GCJ-02, offset by up to several hundred metres. The data
  stays WGS-84; instead each tile is moved: its centre's GCJ-02 position is turned
  back into WGS-84 (:func:`layers.geo.gcj02.gcj02_to_wgs84`) and the tile is drawn
  shifted by that difference, so a facility sits on its street.
"""

from __future__ import annotations

import argparse
import math
import os
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from layers.geo.gcj02 import gcj02_to_wgs84, wgs84_to_gcj02
from layers.geo.map_view import WORLD_SIZE, lonlat_to_mercator, mercator_to_lonlat

#: Sent with every tile request (OpenStreetMap's tile usage policy asks for a
#: User-Agent that names the application and says where to reach its makers).
PROJECT_URL = "https://pypi.org/project/facility-mapper/"
USER_AGENT = f"facility-mapper/0.1 (community facility planning desktop GIS; +{PROJECT_URL})"
#: The environment variable that holds the planner's Tianditu key.
TIANDITU_KEY_ENV = "TIANDITU_KEY"
#: The names ``--basemap`` takes besides a URL template.
NO_BASEMAP = "none"

_TIANDITU = ("https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile"
             "&VERSION=1.0.0&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
             "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}")


@dataclass(frozen=True)
class BasemapSource:
    """One online basemap.

    Attributes
    ----------
    name : str
        Id used on the command line and in settings (``osm``, ``tianditu-vec``…).
    label_en, label_zh : str
        What the View menu and the status bar call it.
    url_template : str
        Tile URL with ``{z}``, ``{x}``, ``{y}`` and optionally ``{s}`` and ``{key}``.
    attribution : str
        The credit line its terms require, shown on the map and in exports.
    overlay_template : str or None
        Tiles drawn on top (Tianditu's annotation layer with the place names).
    subdomains : str
        Characters ``{s}`` takes, spread over tiles.
    datum : str
        ``"wgs84"`` or ``"gcj02"``.
    needs_key : bool
        True when the URL carries the planner's Tianditu key.
    max_concurrent : int
        Most tile requests in flight at once.
    max_zoom : int
        Deepest zoom level the server has.
    """

    name: str
    label_en: str
    label_zh: str
    url_template: str
    attribution: str
    overlay_template: str | None = None
    subdomains: str = ""
    datum: str = "wgs84"
    needs_key: bool = False
    max_concurrent: int = 4
    max_zoom: int = 18

    @property
    def templates(self) -> tuple[str, ...]:
        """The tile layers drawn, bottom first."""
        if self.overlay_template:
            return (self.url_template, self.overlay_template)
        return (self.url_template,)

    def tile_url(self, template: str, z: int, x: int, y: int, key: str = "") -> str:
        """Return the URL of one tile.

        Parameters
        ----------
        template : str
            One of :attr:`templates`.
        z, x, y : int
            Tile address.
        key : str
            The Tianditu key, for sources that need one.

        Returns
        -------
        str
            The URL.
        """
        s = self.subdomains[(x + y) % len(self.subdomains)] if self.subdomains else ""
        return template.format(z=z, x=x, y=y, s=s, key=key)

    def headers(self) -> dict[str, str]:
        """Return the HTTP headers every tile request of this source carries.

        Returns
        -------
        dict
            Header name to value.
        """
        headers = {"User-Agent": USER_AGENT}
        if self.name.startswith("tianditu"):
            # Tianditu refuses requests without a browser-like User-Agent and a Referer
            headers["Referer"] = PROJECT_URL
        return headers


OSM = BasemapSource(
    "osm", "OpenStreetMap", "OpenStreetMap", "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "© OpenStreetMap contributors", max_concurrent=2, max_zoom=19)
TIANDITU_VEC = BasemapSource(
    "tianditu-vec", "Tianditu Vector", "天地图矢量", _TIANDITU.replace("{layer}", "vec"),
    "© 天地图 Tianditu (国家地理信息公共服务平台)", _TIANDITU.replace("{layer}", "cva"),
    subdomains="01234567", needs_key=True)
TIANDITU_IMG = BasemapSource(
    "tianditu-img", "Tianditu Imagery", "天地图影像", _TIANDITU.replace("{layer}", "img"),
    "© 天地图 Tianditu (国家地理信息公共服务平台)", _TIANDITU.replace("{layer}", "cia"),
    subdomains="01234567", needs_key=True)
AMAP = BasemapSource(
    "amap", "AMap", "高德地图",
    "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8"
    "&x={x}&y={y}&z={z}", "© 高德地图 AutoNavi", subdomains="1234", datum="gcj02")

#: The named basemaps, in menu order.
SOURCES: dict[str, BasemapSource] = {s.name: s for s in (OSM, TIANDITU_VEC, TIANDITU_IMG, AMAP)}


class BasemapError(ValueError):
    """A basemap that cannot be used, in one line for the planner."""


def custom_source(url_template: str) -> BasemapSource:
    """Return a basemap for an XYZ URL template the planner typed in.

    Parameters
    ----------
    url_template : str
        ``http(s)://…{z}…{x}…{y}…``, optionally with ``{s}`` (a, b, c).

    Returns
    -------
    BasemapSource
        Named ``custom``; its attribution names the server.

    Raises
    ------
    BasemapError
        If the URL lacks a placeholder or is not http(s).
    """
    url = url_template.strip()
    missing = [p for p in ("{z}", "{x}", "{y}") if p not in url]
    if missing:
        raise BasemapError(f"basemap URL needs {', '.join(missing)}: {url}")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BasemapError(f"basemap URL must start with http:// or https://: {url}")
    try:
        url.format(z=0, x=0, y=0, s="a", key="")
    except (KeyError, IndexError, ValueError):
        raise BasemapError(f"basemap URL has an unknown {{…}} part: {url}") from None
    host = parts.hostname or parts.netloc
    return BasemapSource("custom", "Custom URL", "自定义底图", url, f"Basemap: {host}",
                         subdomains="abc" if "{s}" in url else "")


def parse_basemap(spec: str | None) -> BasemapSource | None:
    """Turn ``none``, a basemap name or a URL template into a source.

    Parameters
    ----------
    spec : str or None
        What ``--basemap`` or the settings say.

    Returns
    -------
    BasemapSource or None
        None for no basemap.

    Raises
    ------
    BasemapError
        For an unknown name or a bad URL.
    """
    if spec is None or spec.strip().lower() in ("", NO_BASEMAP):
        return None
    name = spec.strip().lower()
    if name in SOURCES:
        return SOURCES[name]
    if "{" in spec or "://" in spec:
        return custom_source(spec)
    raise BasemapError(f"unknown basemap {spec!r}: use none, {', '.join(SOURCES)} "
                       "or a URL with {z}/{x}/{y}")


def tianditu_key(setting: str | None = None) -> str:
    """Return the planner's Tianditu key: ``TIANDITU_KEY`` first, then the setting.

    Parameters
    ----------
    setting : str, optional
        The key saved in the app's settings.

    Returns
    -------
    str
        The key, or "" when there is none.
    """
    return (os.environ.get(TIANDITU_KEY_ENV) or setting or "").strip()


def attribution_for(name: str | None) -> str:
    """Return the credit line for a basemap, for the map, the print layout and exports.

    Parameters
    ----------
    name : str or None
        A basemap name (``osm``, ``tianditu-vec``…), a URL template, or none.

    Returns
    -------
    str
        The attribution; "" for no basemap or an unusable one.
    """
    try:
        source = parse_basemap(name)
    except BasemapError:
        return ""
    return source.attribution if source else ""


def attribution_for_url(url_template: str | None) -> str:
    """Return the credit line for a tile URL, naming a known server by its terms.

    Parameters
    ----------
    url_template : str or None
        The URL template.

    Returns
    -------
    str
        The attribution, or "" for none.
    """
    if not url_template:
        return ""
    for source in SOURCES.values():
        if urlsplit(source.url_template.format(s="0", z=0, x=0, y=0, key="")).hostname == \
                urlsplit(url_template.replace("{s}", "0")).hostname:
            return source.attribution
    return attribution_for(url_template)


def checked_basemap(spec: str | None) -> BasemapSource | None:
    """Return the basemap a command line names, with a Tianditu key at hand.

    Parameters
    ----------
    spec : str or None
        ``none``, a basemap name or a URL template.

    Returns
    -------
    BasemapSource or None
        None for ``none``.

    Raises
    ------
    BasemapError
        For an unknown basemap, a bad URL or a missing Tianditu key.
    """
    source = parse_basemap(spec)
    if source is not None and source.needs_key and not tianditu_key():
        raise BasemapError(f"{source.name} needs a Tianditu key: set {TIANDITU_KEY_ENV}")
    return source


def _basemap_argument(spec: str) -> BasemapSource | None:
    try:
        return checked_basemap(spec)
    except BasemapError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_basemap_option(parser: argparse.ArgumentParser) -> None:
    """Give a drawing command the ``--basemap`` option (no network by default).

    A bad value stops the command before anything runs, with one error line.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The command's parser.
    """
    parser.add_argument(
        "--basemap", type=_basemap_argument, default=NO_BASEMAP,
        metavar="none|" + "|".join(SOURCES) + "|URL",
        help="online tiles under the map (default none): OpenStreetMap, Tianditu vector or "
             f"imagery (key from ${TIANDITU_KEY_ENV}), AMap, or an XYZ URL with {{z}}/{{x}}/{{y}}")


def basemap_from_args(args: argparse.Namespace) -> BasemapSource | None:
    """Return the basemap ``--basemap`` chose (see :func:`add_basemap_option`).

    Parameters
    ----------
    args : argparse.Namespace
        Parsed arguments.

    Returns
    -------
    BasemapSource or None
        None for ``none`` or when the command has no such option.
    """
    value = getattr(args, "basemap", None)
    return value if isinstance(value, BasemapSource) else checked_basemap(value)


def with_template(source: BasemapSource, url_template: str,
                  overlay_template: str | None = None) -> BasemapSource:
    """Return a copy of a source fetching from other URLs (a mirror, or a test server).

    Parameters
    ----------
    source : BasemapSource
        The source whose datum, attribution and key it keeps.
    url_template, overlay_template : str
        The new URLs.

    Returns
    -------
    BasemapSource
        The copy.
    """
    return replace(source, url_template=url_template,
                   overlay_template=overlay_template if source.overlay_template else None)


def with_key(source: BasemapSource, key: str) -> BasemapSource:
    """Return a copy of a source with the planner's Tianditu key written into its URLs.

    Parameters
    ----------
    source : BasemapSource
        A source whose URLs hold ``{key}``.
    key : str
        The key.

    Returns
    -------
    BasemapSource
        The copy, needing no key any more.
    """
    overlay = source.overlay_template.replace("{key}", key) if source.overlay_template else None
    return replace(source, url_template=source.url_template.replace("{key}", key),
                   overlay_template=overlay, needs_key=False)


# ----- which tiles a view needs, and where they go ----------------------------
def datum_shift(source: BasemapSource, mx: float, my: float) -> tuple[float, float]:
    """Return how far (Mercator metres) a tile drawn at this spot must move to fit WGS-84.

    Parameters
    ----------
    source : BasemapSource
        The basemap.
    mx, my : float
        A point of the tile grid (the tile's centre), as if it were WGS-84.

    Returns
    -------
    (float, float)
        Shift in metres; zero for WGS-84 sources and outside China.
    """
    if source.datum != "gcj02":
        return 0.0, 0.0
    lon, lat = mercator_to_lonlat([mx], [my])
    wlon, wlat = gcj02_to_wgs84(lon, lat)
    wx, wy = lonlat_to_mercator(wlon, wlat)
    return float(wx[0]) - mx, float(wy[0]) - my


def visible_tiles(source: BasemapSource, extent: tuple[float, float, float, float],
                  z: int, limit: int = 400) -> list[tuple[int, int]]:
    """Return the tiles covering a view, nearest the centre first.

    Only what is on screen is asked for: no prefetch beyond the view.

    Parameters
    ----------
    source : BasemapSource
        The basemap (a GCJ-02 source needs the tiles under the shifted view).
    extent : tuple
        xmin, ymin, xmax, ymax in Mercator metres (WGS-84).
    z : int
        Tile zoom.
    limit : int
        More tiles than this draws nothing (a runaway view).

    Returns
    -------
    list of (int, int)
        Tile columns and rows.
    """
    xmin, ymin, xmax, ymax = extent
    if source.datum == "gcj02":
        lon, lat = mercator_to_lonlat([xmin, xmax], [ymin, ymax])
        glon, glat = wgs84_to_gcj02(lon, lat)
        gx, gy = lonlat_to_mercator(glon, glat)
        xmin, xmax = float(gx[0]), float(gx[1])
        ymin, ymax = float(gy[0]), float(gy[1])
    n = 2**z
    tile_m = WORLD_SIZE / n
    half = WORLD_SIZE / 2
    tx0 = max(0, math.floor((xmin + half) / tile_m))
    tx1 = min(n - 1, math.floor((xmax + half) / tile_m))
    ty0 = max(0, math.floor((half - ymax) / tile_m))
    ty1 = min(n - 1, math.floor((half - ymin) / tile_m))
    if (tx1 - tx0 + 1) * (ty1 - ty0 + 1) > limit:
        return []
    cx, cy = (tx0 + tx1) / 2, (ty0 + ty1) / 2
    tiles = [(tx, ty) for tx in range(tx0, tx1 + 1) for ty in range(ty0, ty1 + 1)]
    return sorted(tiles, key=lambda t: (t[0] - cx) ** 2 + (t[1] - cy) ** 2)


def tile_rect(source: BasemapSource, z: int, x: int, y: int) -> tuple[float, float, float]:
    """Return where a tile is drawn: its top-left corner and size, in Mercator metres.

    Parameters
    ----------
    source : BasemapSource
        The basemap (GCJ-02 tiles are moved onto WGS-84).
    z, x, y : int
        Tile address.

    Returns
    -------
    (float, float, float)
        Left x, top y and the side length.
    """
    tile_m = WORLD_SIZE / 2**z
    half = WORLD_SIZE / 2
    left = x * tile_m - half
    top = half - y * tile_m
    dx, dy = datum_shift(source, left + tile_m / 2, top - tile_m / 2)
    return left + dx, top + dy, tile_m
