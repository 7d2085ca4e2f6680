"""The online basemap under the HTML map: any ``--basemap`` source, GCJ-02 ones lined up.

The tiles are the page's only online part; with no network the page still opens
and draws its data. A named source brings its subdomains, key, overlay (Tianditu's
annotation tiles), zoom limit and attribution. AMap's tiles are drawn in GCJ-02,
so over WGS-84 data each tile is moved, for display only, by the local
GCJ-02 offset at its centre (the formula of :mod:`layers.geo.gcj02`, written out
in JavaScript below): a facility then sits on its street while every stored and
shown coordinate stays WGS-84. The canvas does the same with its tiles.
"""

from __future__ import annotations

import html
from typing import Any

import folium
from branca.element import MacroElement
from jinja2 import Template

from layers.export.errors import ExportError
from layers.geo.basemaps import (
    SOURCES,
    BasemapError,
    BasemapSource,
    attribution_for_url,
    custom_source,
    tianditu_key,
)

#: ``L.TileLayer.Gcj02``: a tile layer whose tiles are moved from GCJ-02 onto WGS-84.
GCJ02_TILE_LAYER_JS = """
if (!L.TileLayer.Gcj02) (function () {
  var A = 6378245.0, EE = 0.00669342162296594323, PI = Math.PI;
  var CHINA = [73.5, 18.1, 135.1, 53.6];
  var NOT_CHINA = [[88.75, 26.70, 92.12, 28.33], [80.06, 26.35, 88.20, 30.42],
    [124.6, 33.0, 130.9, 42.2], [129.4, 30.0, 146.0, 46.0], [116.9, 4.5, 126.7, 19.0]];
  function inBox(b, lng, lat) { return lng >= b[0] && lng <= b[2] && lat >= b[1] && lat <= b[3]; }
  function inChina(lng, lat) {
    if (!inBox(CHINA, lng, lat)) return false;
    for (var i = 0; i < NOT_CHINA.length; i++) if (inBox(NOT_CHINA[i], lng, lat)) return false;
    return true;
  }
  // WGS-84 -> GCJ-02 offset in degrees (layers/geo/gcj02.py `_delta`)
  function delta(lng, lat) {
    var x = lng - 105.0, y = lat - 35.0;
    var dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y
      + 0.2 * Math.sqrt(Math.abs(x));
    dlat += (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0;
    dlat += (20.0 * Math.sin(y * PI) + 40.0 * Math.sin(y / 3.0 * PI)) * 2.0 / 3.0;
    dlat += (160.0 * Math.sin(y / 12.0 * PI) + 320 * Math.sin(y * PI / 30.0)) * 2.0 / 3.0;
    var dlng = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    dlng += (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0;
    dlng += (20.0 * Math.sin(x * PI) + 40.0 * Math.sin(x / 3.0 * PI)) * 2.0 / 3.0;
    dlng += (150.0 * Math.sin(x / 12.0 * PI) + 300.0 * Math.sin(x / 30.0 * PI)) * 2.0 / 3.0;
    var rad = lat / 180.0 * PI, magic = 1 - EE * Math.sin(rad) * Math.sin(rad);
    var sq = Math.sqrt(magic);
    return [(dlng * 180.0) / (A / sq * Math.cos(rad) * PI),
            (dlat * 180.0) / ((A * (1 - EE)) / (magic * sq) * PI)];
  }
  L.TileLayer.Gcj02 = L.TileLayer.extend({
    // pixels that move a tile's GCJ-02 picture onto the WGS-84 positions of the data
    _gcjShift: function (centre, z) {
      var g = this._map.unproject(centre, z);
      if (!inChina(g.lng, g.lat)) return L.point(0, 0);
      var d = delta(g.lng, g.lat);
      return this._map.project(L.latLng(g.lat - d[1], g.lng - d[0]), z).subtract(centre);
    },
    _getTilePos: function (coords) {
      var size = this.getTileSize();
      var centre = coords.scaleBy(size).add(size.divideBy(2));
      return L.TileLayer.prototype._getTilePos.call(this, coords)
        .add(this._gcjShift(centre, coords.z).round());
    },
    // fetch the tiles the shift brings into view, so no edge is left bare
    _pxBoundsToTileRange: function (bounds) {
      var shift = this._gcjShift(bounds.getCenter(), this._tileZoom);
      var pad = L.point(Math.abs(shift.x) + 2, Math.abs(shift.y) + 2);
      return L.TileLayer.prototype._pxBoundsToTileRange.call(
        this, L.bounds(bounds.min.subtract(pad), bounds.max.add(pad)));
    }
  });
})();
"""


class _Gcj02TileLayer(MacroElement):
    """A ``L.TileLayer.Gcj02`` on the folium map, its class defined once Leaflet is loaded."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this.class_js }}"
        "var {{ this.get_name() }} = new L.TileLayer.Gcj02({{ this.url|tojson }}, "
        "{{ this.options|tojson }}).addTo({{ this._parent.get_name() }});"
        "{% endmacro %}"
    )

    def __init__(self, url: str, options: dict[str, Any]) -> None:
        super().__init__()
        self._name = "Gcj02TileLayer"
        self.url = url
        self.options = options
        self.class_js = GCJ02_TILE_LAYER_JS


def basemap_for_html(tiles: str | BasemapSource | None) -> BasemapSource | None:
    """Return the basemap the HTML map draws, from a source or an XYZ URL.

    Parameters
    ----------
    tiles : str, BasemapSource or None
        A checked source (``--basemap``), a URL template (``--tiles``), or None.

    Returns
    -------
    BasemapSource or None
        The source; a URL of a known server keeps that server's attribution.

    Raises
    ------
    ExportError
        For a URL without ``{z}``/``{x}``/``{y}`` or not http(s), in one line.
    """
    if tiles is None or isinstance(tiles, BasemapSource):
        return tiles
    for known in SOURCES.values():
        if known.url_template == tiles:
            return known
    try:
        source = custom_source(tiles)
    except BasemapError as exc:
        raise ExportError(str(exc)) from None
    credit = attribution_for_url(tiles)
    return BasemapSource(source.name, source.label_en, source.label_zh, tiles,
                         credit or source.attribution, subdomains=source.subdomains)


def add_basemap(fmap: folium.Map, tiles: str | BasemapSource | None) -> None:
    """Put the basemap's tile layers (and Tianditu's names on top) on the folium map.

    Parameters
    ----------
    fmap : folium.Map
        The map.
    tiles : str, BasemapSource or None
        See :func:`basemap_for_html`; None for no basemap.
    """
    source = basemap_for_html(tiles)
    if source is None:
        return
    key = tianditu_key() if source.needs_key else ""
    gcj02 = source.datum == "gcj02"
    for i, template in enumerate(source.templates):
        # Leaflet fills {s}, {z}, {x}, {y}; the key is the planner's own, for their page
        url = template.replace("{key}", key)
        attr = html.escape(source.attribution)  # Leaflet credits the same text once
        subdomains = source.subdomains or "abc"
        if gcj02:
            fmap.add_child(_Gcj02TileLayer(url, {
                "attribution": attr, "subdomains": subdomains, "maxZoom": 19,
                "maxNativeZoom": source.max_zoom}))
        else:
            folium.TileLayer(url, attr=attr, name="Basemap" if i == 0 else "Basemap labels",
                             max_zoom=19, max_native_zoom=source.max_zoom,
                             subdomains=subdomains, overlay=i > 0).add_to(fmap)
