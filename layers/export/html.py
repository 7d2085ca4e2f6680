"""Exporting the map as one self-contained, offline HTML file (built with folium).

- Leaflet's JS and CSS are inlined from the XStatic-Leaflet package; folium's
  default CDN assets (jQuery, Bootstrap, awesome-markers) are dropped.
- Features travel as one compact, columnar JSON block (about 32 bytes a facility;
  a million facilities make a 32 MB page): rows sorted by category and along a
  Z-order curve; positions as integer micro-degrees in base64 zigzag varint steps;
  a column with few distinct values as its values plus base64 integer codes; other
  text as one joined string with base64 varint lengths; ids as 32-bit hashes (the
  page only looks a feature up by id, ``facilityMapPoint``); each group's rows as
  varint steps. resources/web/facility_map.js decodes them into typed arrays,
  indexes each layer in a grid (hit-testing without a scan) and draws on canvas,
  at low zoom one stamp per pixel.
- Every value reaches the page as text: the JSON block cannot close its script
  element, the title is HTML-escaped, and the page builds popups with
  ``textContent``. Names such as ``<img onerror=…>`` show as literal text.
"""

from __future__ import annotations

import base64
import html
import json
import os
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement
from jinja2 import Template

from layers.export.errors import ExportError
from layers.export.html_basemap import add_basemap
from layers.geo.basemaps import BasemapSource
from layers.io.atomic import atomic_write_text
from layers.model.categories import CATEGORIES, get_category
from layers.model.layer import has_geometry
from layers.model.project import Project
from layers.model.schema import FIELD_LABELS_ZH, precision_label
from layers.model.symbols import shape_outline
from layers.resources import resource_path

WEB_DIR = resource_path("web")
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
FACILITY_POPUP = ["community", "address", "opened", "description", "location_precision",
                  "notes"]
COMMUNITY_POPUP = ["level", "parent", "street", "district", "city", "households",
                   "population", "built_year", "elderly_share", "facts", "location_precision"]


def _leaflet_assets() -> tuple[str, str]:
    import xstatic.pkg.leaflet as leaflet

    base = Path(leaflet.BASE_DIR)
    return ((base / "leaflet.js").read_text(encoding="utf-8"),
            (base / "leaflet.css").read_text(encoding="utf-8"))


def _script_safe_json(value: Any) -> str:
    """JSON that can sit inside a <script> element: no '</', no '<!--', no U+2028."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _uvarint_b64(values: np.ndarray) -> str:
    """Base64 of unsigned LEB128 varints: small numbers take one byte."""
    v = np.asarray(values, dtype=np.uint64)
    if not len(v):
        return ""
    nbytes = np.ones(len(v), dtype=np.int64)
    for k in range(1, 10):
        nbytes += v >= np.uint64(1 << (7 * k))
    starts = np.concatenate([[0], np.cumsum(nbytes)[:-1]])
    out = np.zeros(int(nbytes.sum()), dtype=np.uint8)
    for k in range(int(nbytes.max())):
        live = nbytes > k
        byte = (v[live] >> np.uint64(7 * k)) & np.uint64(0x7F)
        more = (nbytes[live] - 1 > k).astype(np.uint64) << np.uint64(7)
        out[starts[live] + k] = (byte | more).astype(np.uint8)
    return base64.b64encode(out.tobytes()).decode("ascii")


def _delta_b64(values: np.ndarray) -> str:
    """Base64 varints of the steps between integers (zigzag: signed steps stay small)."""
    v = np.asarray(values, dtype=np.int64)
    steps = np.diff(v, prepend=np.int64(0))
    return _uvarint_b64(((steps << 1) ^ (steps >> 63)).astype(np.uint64))


def _texts(values: np.ndarray) -> np.ndarray:
    """Each value as text (an object array), None where missing."""
    values = np.asarray(values, dtype=object)
    missing = pd.isna(values)
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        text = values.copy()
    else:
        text = np.array([str(v) for v in values], dtype=object)
    text[missing] = None
    return text


def _id_hashes(values: np.ndarray) -> str:
    """Base64 of each id's 32-bit FNV-1a hash over its code points (little-endian Uint32).

    Random UUIDs cannot be compressed (36 MB at a million facilities); the page needs
    them only to find a feature by id (``facilityMapPoint``), which hashes the same way.
    """
    text = _texts(values)
    text[pd.isna(text)] = ""
    h = np.full(len(text), 2166136261, dtype=np.uint32)
    lengths = np.fromiter(map(len, text), dtype=np.int64, count=len(text))
    if len(text) and lengths.min() == lengths.max() > 0:  # UUIDs: one fast encode
        codes = np.frombuffer("".join(text).encode("utf-32-le"), dtype="<u4").reshape(
            len(text), -1)
    elif len(text) and lengths.max() > 0:
        codes = text.astype(str).view(np.uint32).reshape(len(text), -1)
    else:
        codes = np.zeros((len(text), 0), dtype=np.uint32)
    if codes.shape[1]:
        prime = np.uint32(16777619)
        for j in range(codes.shape[1]):
            c = codes[:, j]
            if c.all():  # no id ends before this character
                h ^= c
                h *= prime
            else:
                h = np.where(c != 0, (h ^ c) * prime, h)
    return base64.b64encode(h.astype("<u4").tobytes()).decode("ascii")


def _column(values: np.ndarray) -> dict:
    """Encode a text column compactly; every value survives, None stays None.

    Few distinct values: ``{"values": [...], "codes": base64, "width": 1|2|4}``, code
    0 meaning None and k the (k-1)-th value. Otherwise ``{"text": joined, "lens":
    base64 varints}``, each length in UTF-16 code units plus one (0 meaning None).
    """
    text = _texts(values)
    codes, distinct = pd.factorize(text)  # None -> -1
    if not len(distinct):
        return {"values": []}
    if len(distinct) < len(text) / 2:
        order = np.argsort(distinct.astype(str), kind="stable")
        rank = np.empty(len(order) + 1, dtype=np.int64)
        rank[order + 1] = np.arange(1, len(order) + 1)
        rank[0] = 0
        width = 1 if len(distinct) < 256 else 2 if len(distinct) < 65536 else 4
        raw = rank[codes + 1].astype({1: "<u1", 2: "<u2", 4: "<u4"}[width]).tobytes()
        return {"values": [str(distinct[k]) for k in order], "width": width,
                "codes": base64.b64encode(raw).decode("ascii")}
    present = text[codes >= 0]
    joined = "".join(present)
    if joined and max(joined) > "\uffff":  # astral characters take two UTF-16 units
        units = np.array([len(v.encode("utf-16-le")) // 2 for v in present], dtype=np.int64)
    else:
        units = pd.Series(present, dtype=object).str.len().to_numpy(dtype=np.int64)
    lens = np.zeros(len(text), dtype=np.int64)
    lens[codes >= 0] = units + 1
    return {"text": joined, "lens": _uvarint_b64(lens)}


def _morton(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Z-order keys on a 65536-square grid over the points: neighbours sort together."""
    def spread(v: np.ndarray) -> np.ndarray:
        v = v.astype(np.uint64)
        v = (v | (v << np.uint64(8))) & np.uint64(0x00FF00FF)
        v = (v | (v << np.uint64(4))) & np.uint64(0x0F0F0F0F)
        v = (v | (v << np.uint64(2))) & np.uint64(0x33333333)
        return (v | (v << np.uint64(1))) & np.uint64(0x55555555)

    def cells(v: np.ndarray) -> np.ndarray:
        lo, hi = v.min(), v.max()
        return np.clip((v - lo) / max(hi - lo, 1e-12) * 65535, 0, 65535)

    if not len(lon):
        return np.zeros(0, dtype=np.uint64)
    return spread(cells(lon)) | (spread(cells(lat)) << np.uint64(1))


def _positions(frame: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude of each feature: a point, or a point inside its shape."""
    geoms = frame.geometry.to_numpy()
    reps = geoms.copy()
    other = shapely.get_type_id(geoms) != 0
    if other.any():
        reps[other] = shapely.point_on_surface(geoms[other])
    return shapely.get_x(reps), shapely.get_y(reps)


def _spatial_order(frame: gpd.GeoDataFrame, by: np.ndarray | None = None) -> np.ndarray:
    """Row order by ``by`` (categories) then along a Z-order curve, so steps are small."""
    keys = [_morton(*_positions(frame))]
    if by is not None:
        keys.append(by)
    return np.lexsort(keys)


def _labels(precision: pd.Series) -> pd.Series:
    """Return what each location precision means, as popups show it (one call per value)."""
    codes, distinct = pd.factorize(precision.to_numpy(dtype=object))
    lookup = np.array([precision_label(v) for v in distinct] + [None], dtype=object)
    return pd.Series(lookup[codes], index=precision.index, dtype=object)


def _placed(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the rows that have a geometry."""
    geoms = frame.geometry.to_numpy()
    return frame[has_geometry(geoms)].reset_index(drop=True)


#: The page title of an exported map unless the planner gives one (CLI and GUI alike).
DEFAULT_TITLE = "社区设施地图"


def project_circles(project: Project) -> gpd.GeoDataFrame | None:
    """Return the service circles saved in the project, the ones an export draws.

    Parameters
    ----------
    project : Project
        The project.

    Returns
    -------
    GeoDataFrame or None
        The ``service_circles`` layer's features, or None when it has none.
    """
    if project.has_layer("service_circles") and len(project.layer("service_circles")):
        return project.layer("service_circles").frame
    return None


def _layer_payload(frame: Any, fields: list[str]) -> dict:
    """Return a layer's points and popup columns in the page's compact columnar form.

    ``lon``/``lat`` are integer micro-degrees as base64 zigzag varint steps; ``idHash``
    holds each id's hash (:func:`_id_hashes`); every other field is :func:`_column`.
    """
    x, y = _positions(frame)
    lon = np.round(x * 1e6).astype(np.int64)
    lat = np.round(y * 1e6).astype(np.int64)
    data: dict[str, Any] = {"n": len(frame), "lon": _delta_b64(lon), "lat": _delta_b64(lat),
                            "fields": {}}
    for field in fields:
        if field == "id" and field in frame.columns:
            data["idHash"] = _id_hashes(frame[field].to_numpy(dtype=object))
        elif field in frame.columns:
            data["fields"][field] = _column(frame[field].to_numpy(dtype=object))
    return data


def build_map(project: Project, title: str = DEFAULT_TITLE, minutes: float | None = None,
              layers: list[str] | None = None,
              tiles: str | BasemapSource | None = OSM_TILES, radius_m: float | None = None,
              circle_label: str | None = None,
              circles: gpd.GeoDataFrame | None = None,
              admin_areas: bool = True) -> folium.Map:
    """Build the folium map: tiles, scale bar, data block and the canvas layers.

    Parameters
    ----------
    project : Project
        The project.
    title : str
        Page and map title (escaped).
    minutes : float, optional
        Draw GB 50180 service circles of this walk time around facilities.
    layers : list of str, optional
        Which layers to include: ``facilities``, ``communities``, ``service_circles``;
        default all present.
    tiles : str, BasemapSource or None
        The online basemap: an XYZ URL or a named source (``--basemap``, GCJ-02
        tiles moved onto the data); None for none.
    radius_m : float, optional
        Circle radius; defaults to the GB 50180 radius of ``minutes``.
    circle_label : str, optional
        How the circles were made, for the layer control.
    circles : GeoDataFrame, optional
        The project's ``service_circles`` layer. Circles are drawn for its
        facilities only, with its radius; walking areas along roads are drawn
        as their polygons. Overrides ``minutes`` and ``radius_m``.
    admin_areas : bool
        Add the bundled province, city and district boundaries around the data
        as a layer the reader can switch off.

    Returns
    -------
    folium.Map
        The map, ready to save.
    """
    from layers.geo.walking import PRESETS

    wanted = set(layers or ["facilities", "communities", "service_circles"])
    fmap = folium.Map(tiles=None, control_scale=True, prefer_canvas=True, zoom_start=5,
                      location=[30, 115])
    fmap.default_js = []  # no jQuery, Bootstrap or awesome-markers from a CDN
    fmap.default_css = []
    add_basemap(fmap, tiles)
    fac = _placed(project.facilities.frame)  # a feature without a position cannot be drawn
    comm = _placed(project.communities.frame)
    approx = sum(n for v, n in fac["location_precision"].value_counts().items()
                 if str(v).startswith("approximate"))
    raw, distinct = pd.factorize(fac["category"].to_numpy(dtype=object))  # None -> -1
    kinds = [get_category(c) for c in distinct] + [get_category(None)]  # [-1]: None's
    order = {c.id: k for k, c in enumerate(CATEGORIES)}
    codes = np.array([order.get(k.id, len(order)) for k in kinds], dtype=np.int64)[raw]
    rows = _spatial_order(fac, codes)  # grouped by category, in CATEGORIES order
    fac, codes, raw = fac.iloc[rows].reset_index(drop=True), codes[rows], raw[rows]
    comm = comm.iloc[_spatial_order(comm)].reset_index(drop=True)
    fac = fac.assign(category_label=np.array([k.label_zh for k in kinds], dtype=object)[raw])
    # popups show what a precision means, never its id ("approximate-community")
    fac = fac.assign(location_precision=_labels(fac["location_precision"]))
    comm = comm.assign(location_precision=_labels(comm["location_precision"]))
    fac_fields = ["id", "name", "category_label", "quote", "source", *FACILITY_POPUP]
    comm_fields = ["id", "name", "quote", "source", *COMMUNITY_POPUP]
    data: dict[str, Any] = {
        "title": title,
        "legendTitle": "图例",
        "layers": {"facilities": _layer_payload(fac, fac_fields),
                   "communities": _layer_payload(comm, comm_fields)},
        "fieldLabels": {**FIELD_LABELS_ZH, "category_label": "类别"},
        "groups": [],
        "legend": [],
    }
    data["layers"]["facilities"]["popupFields"] = FACILITY_POPUP
    data["layers"]["communities"]["popupFields"] = COMMUNITY_POPUP
    counts = np.bincount(codes, minlength=len(CATEGORIES) + 1)
    starts = np.concatenate([[0], np.cumsum(counts)])
    present = [(c, k) for k, c in enumerate(CATEGORIES) if counts[k]]
    has_layer = circles is not None and len(circles) > 0
    if "service_circles" in wanted and len(fac) and (minutes or has_layer):
        rows = np.arange(len(fac))
        if has_layer:
            minutes = float(circles["minutes"].iloc[0])
            radius_m = float(circles["radius_m"].iloc[0])
            ids = set(circles["facility_id"].dropna())
            rows = np.nonzero(fac["id"].isin(ids).to_numpy())[0]
        radius = radius_m or PRESETS["gb50180"].radius_m(minutes)
        # GB 50180 is named only when the radius is its radius for this walk
        basis = " · GB 50180" if abs(radius - PRESETS["gb50180"].radius_m(minutes)) < 0.5 else ""
        label = circle_label or f"{minutes:g} 分钟{basis} · 半径 {radius:.0f} m"
        if has_layer and circles["method"].astype(str).str.startswith("network").all():
            data["areas"] = _areas_payload(circles)
            data["groups"].append({
                "key": "service_circles", "kind": "areas", "title": f"步行范围 {label}",
                "color": "#888888", "count": len(data["areas"]["areas"])})
        else:
            data["groups"].append({
                "key": "service_circles", "kind": "service_circles", "layer": "facilities",
                "title": f"服务圈 {label}",
                "color": "#888888", "shape": shape_outline("circle"),
                "rows": _delta_b64(rows), "count": len(rows),
                "colorField": "category_label",  # each circle in its facility's colour
                "palette": {k.label_zh: k.color for k in kinds},
                "options": {"circleMetres": radius}})
    if "communities" in wanted and len(comm):
        data["groups"].append({
            "key": "communities", "kind": "communities", "layer": "communities",
            "title": "社区", "color": "#1d3557",
            "shape": shape_outline("circle"), "rows": _delta_b64(np.arange(len(comm))),
            "count": len(comm),
            "options": {"radius": 7, "labels": True, "labelBold": True}})
        data["legend"].append({"label": "社区 / 小区", "color": "#1d3557",
                               "shape": shape_outline("circle")})
    if "facilities" in wanted:
        for c, k in present:
            data["groups"].append({
                "key": f"facilities:{c.id}", "kind": "facilities", "layer": "facilities",
                "title": c.label_zh,
                "color": c.color, "shape": shape_outline(c.icon),
                "rows": _delta_b64(np.arange(starts[k], starts[k + 1])),
                "count": int(counts[k]),
                "options": {"radius": 7, "labels": len(fac) <= 2000, "labelZoom": 14}})
            data["legend"].append({"label": c.label_zh, "color": c.color,
                                   "shape": shape_outline(c.icon)})
    if approx:
        data["note"] = f"{approx} 处设施位置为近似位置（标注“大致”）"
    geoms = np.concatenate([fac.geometry.to_numpy(), comm.geometry.to_numpy()])
    if len(geoms):
        x0, y0, x1, y1 = shapely.total_bounds(geoms)
        data["bounds"] = [[float(y0), float(x0)], [float(y1), float(x1)]]
    else:
        data["bounds"] = [[18.0, 73.5], [53.5, 135.0]]
    if admin_areas and len(geoms):
        data["admin"] = _admin_payload(fac, comm, (float(x0), float(y0), float(x1), float(y1)))
    leaflet_js, leaflet_css = _leaflet_assets()
    root = fmap.get_root()
    root.header.add_child(_Raw(
        f"<title>{html.escape(title)}</title>\n<style>{leaflet_css}</style>\n"
        f"<style>{(WEB_DIR / 'facility_map.css').read_text(encoding='utf-8')}</style>"))
    root.header.add_child(_Raw(f"<script>{leaflet_js}</script>"))
    root.header.add_child(_Raw(
        f"<script>{(WEB_DIR / 'facility_map.js').read_text(encoding='utf-8')}</script>"))
    root.html.add_child(_Raw(
        f'<script type="application/json" id="fm-data">{_script_safe_json(data)}</script>'))
    fmap.add_child(_StartFacilityMap())  # a child: its script runs after the map exists
    return fmap


def _areas_payload(circles: gpd.GeoDataFrame) -> dict:
    """Return walking areas compactly: per area its colour and its polygons' rings.

    Each ring is a flat list of integer micro-degrees, the first vertex absolute and
    the others as steps from the one before (a third of the size of GeoJSON text).
    Vertices closer than half a metre to the outline's line are dropped.
    """
    geoms = circles.geometry.to_numpy()
    ok = has_geometry(geoms)
    simple = shapely.simplify(geoms[ok], 5e-6, preserve_topology=True)
    colors, areas = [], []
    for geom, category in zip(simple, circles["category"].to_numpy()[ok], strict=True):
        polygons = _encoded_polygons(geom)
        if polygons:
            colors.append(get_category(category).color)
            areas.append(polygons)
    return {"colors": colors, "areas": areas}


def _admin_payload(fac: gpd.GeoDataFrame, comm: gpd.GeoDataFrame,
                   bounds: tuple[float, float, float, float]) -> dict:
    """Return the bundled boundaries around the data, compactly, with their credit.

    Only areas touching the data's extent (padded by a fifth) travel; the districts
    holding data are kept at full detail, the rest simplified to the map's span.
    """
    from layers.geo.admin_areas import ATTRIBUTION, context_areas

    pad_x = max(0.05, (bounds[2] - bounds[0]) / 5)
    pad_y = max(0.05, (bounds[3] - bounds[1]) / 5)
    padded = (bounds[0] - pad_x, bounds[1] - pad_y, bounds[2] + pad_x, bounds[3] + pad_y)
    pts = np.concatenate([fac.geometry.to_numpy(), comm.geometry.to_numpy()])
    areas = context_areas(shapely.get_x(pts), shapely.get_y(pts), padded)
    out: dict[str, Any] = {"attribution": ATTRIBUTION, "levels": [], "names": [],
                           "labels": [], "areas": []}
    for level, name, geom, label in areas.itertuples(index=False):
        polygons = _encoded_polygons(geom)
        if polygons:
            out["levels"].append(level)
            out["names"].append(name)
            out["labels"].append([round(label.y, 5), round(label.x, 5)])
            out["areas"].append(polygons)
    return out


def _encoded_polygons(geom: shapely.Geometry) -> list[list[list[int]]]:
    """Return the polygons of a (Multi)Polygon, each as rings in :func:`_delta_ring` form."""
    return [[_delta_ring(np.asarray(r.coords)) for r in (part.exterior, *part.interiors)]
            for part in shapely.get_parts(geom) if part.geom_type == "Polygon"]


def _delta_ring(coords: np.ndarray) -> list[int]:
    """Flat integer micro-degrees: first vertex, then steps (closing vertex dropped)."""
    micro = np.rint(coords[:-1] * 1e6).astype(np.int64)
    steps = np.vstack([micro[:1], np.diff(micro, axis=0)])
    return steps.ravel().tolist()


class _Raw(folium.Element):
    """Text inserted into the page as is: never parsed as a Jinja template.

    ``folium.Element`` renders its text with Jinja, so a facility called
    ``{{ 7*7 }}`` would be evaluated; planners' data must never be.
    """

    def __init__(self, text: str) -> None:
        super().__init__("")
        self._text = text

    def render(self, **kwargs: Any) -> str:
        """Return the text unchanged."""
        return self._text


class _StartFacilityMap(MacroElement):
    _template = Template(
        "{% macro script(this, kwargs) %}"
        "facilityMap({{ this._parent.get_name() }}, "
        "JSON.parse(document.getElementById('fm-data').textContent));"
        "{% endmacro %}"
    )


def export_html(project: Project, out: str | os.PathLike, title: str = DEFAULT_TITLE,
                minutes: float | None = None, layers: list[str] | None = None,
                tiles: str | BasemapSource | None = OSM_TILES,
                radius_m: float | None = None,
                circle_label: str | None = None,
                circles: gpd.GeoDataFrame | None = None, admin_areas: bool = True) -> Path:
    """Write the interactive map as one HTML file (atomically).

    Parameters
    ----------
    project : Project
        The project.
    out : path-like
        Target ``.html``.
    title : str
        Title.
    minutes : float, optional
        Service circles of this walk time.
    layers : list of str, optional
        Layers to include.
    tiles : str, BasemapSource or None
        Basemap URL or source (see :func:`build_map`).
    radius_m : float, optional
        Circle radius (default: GB 50180 for ``minutes``).
    circle_label : str, optional
        How the circles were made.
    circles : GeoDataFrame, optional
        The ``service_circles`` layer to draw (see :func:`build_map`).
    admin_areas : bool
        Add the bundled administrative boundaries as a layer that can be switched off.

    Returns
    -------
    Path
        The written file.

    Raises
    ------
    ExportError
        If the folder does not exist, a layer is unknown, or the file cannot be written.
    """
    out = Path(out)
    if not out.parent.is_dir():
        raise ExportError(f"folder does not exist: {out.parent}")
    unknown = set(layers or []) - {"facilities", "communities", "service_circles"}
    if unknown:
        raise ExportError(f"unknown layer: {sorted(unknown)[0]}")
    page = build_map(project, title, minutes, layers, tiles, radius_m,
                     circle_label, circles, admin_areas).get_root().render()
    try:
        return atomic_write_text(out, page)
    except OSError as exc:
        raise ExportError(f"cannot write {out.name}: {exc.strerror or exc}") from None
