"""Exporting the map as one self-contained, offline HTML file (built with folium).

- Leaflet's JS and CSS are inlined from the XStatic-Leaflet package; folium's
  default CDN assets (jQuery, Bootstrap, awesome-markers) are dropped.
- Features travel as one compact JSON block (integer micro-degrees, repeated
  strings stored once) and are drawn on canvas, so 100,000 facilities stay small
  and fast.
- Every value reaches the page as text: the JSON block cannot close its script
  element, the title is HTML-escaped, and the page builds popups with
  ``textContent``. Names such as ``<img onerror=…>`` show as literal text.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import shapely
from branca.element import MacroElement
from jinja2 import Template

from layers.export.errors import ExportError
from layers.geo.basemaps import attribution_for_url
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


def _column(values: np.ndarray) -> dict | list:
    """Store a text column once per distinct value when that is smaller."""
    clean = [None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)
             for v in values]
    distinct = {v for v in clean if v is not None}
    if len(distinct) < len(clean) / 2:
        lookup = {v: i for i, v in enumerate(sorted(distinct))}
        return {"values": sorted(distinct), "codes": [-1 if v is None else lookup[v]
                                                      for v in clean]}
    return clean


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
    geoms = frame.geometry.to_numpy()
    reps = np.where(shapely.get_type_id(geoms) == 0, geoms, shapely.point_on_surface(geoms))
    lon = np.round(shapely.get_x(reps) * 1e6).astype(np.int64)
    lat = np.round(shapely.get_y(reps) * 1e6).astype(np.int64)
    data = {"lon": lon.tolist(), "lat": lat.tolist(), "fields": {}}
    for field in fields:
        if field in frame.columns:
            col = frame[field].to_numpy(dtype=object)
            data["fields"][field] = _column(col)
    return data


def build_map(project: Project, title: str = DEFAULT_TITLE, minutes: float | None = None,
              layers: list[str] | None = None, tiles: str | None = OSM_TILES,
              radius_m: float | None = None, circle_label: str | None = None,
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
    tiles : str or None
        XYZ URL for the online basemap; None for none.
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
    if tiles:
        folium.TileLayer(tiles, attr=html.escape(attribution_for_url(tiles)), name="Basemap",
                         max_zoom=19).add_to(fmap)
    fac = _placed(project.facilities.frame)  # a feature without a position cannot be drawn
    comm = _placed(project.communities.frame)
    approx = fac["location_precision"].fillna("").str.startswith("approximate").sum()
    fac = fac.assign(category_label=[get_category(c).label_zh for c in fac["category"]])
    # popups show what a precision means, never its id ("approximate-community")
    fac = fac.assign(location_precision=fac["location_precision"].map(precision_label))
    comm = comm.assign(location_precision=comm["location_precision"].map(precision_label))
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
    cats = fac["category"].to_numpy()
    present = [c for c in CATEGORIES if (cats == c.id).any()]
    has_layer = circles is not None and len(circles) > 0
    if "service_circles" in wanted and len(fac) and (minutes or has_layer):
        rows = list(range(len(fac)))
        if has_layer:
            minutes = float(circles["minutes"].iloc[0])
            radius_m = float(circles["radius_m"].iloc[0])
            ids = set(circles["facility_id"].dropna())
            rows = np.nonzero(fac["id"].isin(ids).to_numpy())[0].tolist()
        radius = radius_m or PRESETS["gb50180"].radius_m(minutes)
        # GB 50180 is named only when the radius is its radius for this walk
        basis = " · GB 50180" if abs(radius - PRESETS["gb50180"].radius_m(minutes)) < 0.5 else ""
        label = circle_label or f"{minutes:g} 分钟{basis} · 半径 {radius:.0f} m"
        if has_layer and circles["method"].astype(str).str.startswith("network").all():
            data["areas"] = _areas_payload(circles)
            data["groups"].append({
                "key": "service_circles", "kind": "areas", "title": f"步行范围 {label}",
                "color": "#888888", "rows": list(range(len(data["areas"]["areas"])))})
        else:
            data["groups"].append({
                "key": "service_circles", "kind": "service_circles", "layer": "facilities",
                "title": f"服务圈 {label}",
                "color": "#888888", "shape": shape_outline("circle"),
                "rows": rows,
                "rowColors": [get_category(c).color for c in cats],
                "options": {"circleMetres": radius}})
    if "communities" in wanted and len(comm):
        data["groups"].append({
            "key": "communities", "kind": "communities", "layer": "communities",
            "title": "社区", "color": "#1d3557",
            "shape": shape_outline("circle"), "rows": list(range(len(comm))),
            "options": {"radius": 7, "labels": True, "labelBold": True}})
        data["legend"].append({"label": "社区 / 小区", "color": "#1d3557",
                               "shape": shape_outline("circle")})
    if "facilities" in wanted:
        for c in present:
            data["groups"].append({
                "key": f"facilities:{c.id}", "kind": "facilities", "layer": "facilities",
                "title": c.label_zh,
                "color": c.color, "shape": shape_outline(c.icon),
                "rows": np.nonzero(cats == c.id)[0].tolist(),
                "options": {"radius": 7, "labels": len(fac) <= 2000, "labelZoom": 14}})
            data["legend"].append({"label": c.label_zh, "color": c.color,
                                   "shape": shape_outline(c.icon)})
    if approx:
        data["note"] = f"{approx} 处设施位置为近似位置（标注“大致”）"
    geoms = [g for g in list(fac.geometry) + list(comm.geometry) if g is not None]
    if geoms:
        x0, y0, x1, y1 = shapely.total_bounds(geoms)
        data["bounds"] = [[float(y0), float(x0)], [float(y1), float(x1)]]
    else:
        data["bounds"] = [[18.0, 73.5], [53.5, 135.0]]
    if admin_areas and geoms:
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
                tiles: str | None = OSM_TILES, radius_m: float | None = None,
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
    tiles : str or None
        Basemap URL.
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
