"""The map drawn as vector shapes and text, for a PDF or SVG page.

The canvas renderer paints into a picture (dense layers are stamped into its
pixels); a printed map is better as vector, so it stays sharp at any zoom and
its names are text a reader can search. :func:`draw_vector_map` draws the same
layers with QPainter shapes straight onto any painter (QPdfWriter,
QSvgGenerator, or an image for PNG): administrative boundaries, polygons,
lines, merged service areas, point symbols, proposals and labels. Only the
basemap tiles stay pictures.

The painter works in the view's pixels; the print layout scales them onto the
page, so symbol and label sizes are those of the canvas at :data:`VIEW_DPI`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import shapely
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen, QPolygonF

from desktop.canvas.admin_drawing import (
    ATTRIBUTION,
    AreaName,
    draw_admin_areas,
    draw_area_names,
)
from desktop.canvas.draw_context import (
    WARNING,
    DrawContext,
    alpha_byte,
    hidden_rows,
    pixel_polygon,
    single_colour,
)
from desktop.canvas.geometry_cache import LayerGeometryCache
from desktop.canvas.label_placement import (
    LabelRequest,
    Occupancy,
    draw_placed_labels,
    mark_symbols,
)
from desktop.canvas.path_drawing import draw_polygons
from desktop.canvas.point_drawing import (
    DOT_SCALE,
    ESTATE_SCALE,
    FACILITY_LABEL_LIMIT,
    LABEL_LIMIT,
)
from desktop.canvas.proposal_drawing import draw_proposals
from desktop.canvas.symbols import shape_path
from layers.geo.map_view import MapView
from layers.model.categories import CATEGORIES, get_category
from layers.model.layer import FeatureLayer
from layers.model.project import Project
from layers.model.schema import GeometryKind, LayerRole

#: Screen pixels per inch the printed symbols are sized for (a view pixel is 0.75 pt).
VIEW_DPI = 96
#: Above this many points of one layer in the frame, each is a plain dot (no outline).
DOT_LIMIT = 20_000
BACKGROUND = QColor("#f2efe9")

FontMaker = Callable[[float, bool], QFont]


class VectorMap:
    """Draws a project's visible layers as vector onto a painter in view pixels.

    Parameters
    ----------
    project : Project
        The project.
    font : callable
        Makes the CJK font labels are written in, from a point size and boldness.
    basemap : object, optional
        Tiles with ``draw(painter, view)`` and ``credit()``; drawn as pictures.
    admin_areas : bool
        Draw the bundled administrative boundaries under the data.
    show_labels : bool
        Write feature names.
    """

    def __init__(self, project: Project, font: FontMaker, basemap: object | None = None,
                 admin_areas: bool = True, show_labels: bool = True) -> None:
        self.project = project
        self.font = font
        self.basemap = basemap
        self.admin_areas = admin_areas
        self.show_labels = show_labels
        self._caches: dict[int, LayerGeometryCache] = {}

    def _cache(self, layer: FeatureLayer) -> LayerGeometryCache:
        key = id(layer)
        if key not in self._caches:
            self._caches[key] = LayerGeometryCache(layer)
        return self._caches[key]

    def close(self) -> None:
        """Let go of the layers' geometry caches."""
        for cache in self._caches.values():
            cache.close()
        self._caches.clear()

    def draw(self, painter: QPainter, view: MapView) -> list[str]:
        """Draw the map; the painter's units are the view's pixels, clipped by the caller.

        Parameters
        ----------
        painter : QPainter
            Active painter, translated and scaled so (0, 0)–(width, height) is the frame.
        view : MapView
            What part of the map is drawn.

        Returns
        -------
        list of str
            Credit lines of what was drawn (basemap, boundaries).
        """
        credits: list[str] = []
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(QRectF(0, 0, view.width, view.height), BACKGROUND)
        if self.basemap is not None:
            self.basemap.draw(painter, view)
            credit = self.basemap.credit()
            if credit:
                credits.append(credit)
        area_names: list[AreaName] = []  # written last, giving way to the map's labels
        if self.admin_areas and draw_admin_areas(painter, view, font=self.font, as_text=True,
                                                 names_out=area_names):
            credits.append(ATTRIBUTION)
        ctx = DrawContext(view=view, image=None, buf=None, painter=painter,  # type: ignore[arg-type]
                          cache=self._cache, show_labels=self.show_labels)
        occupancy = Occupancy(view.width, view.height)
        requests: list[LabelRequest] = []
        for layer in self.project.layers:
            if not layer.visible or len(layer) == 0:
                continue
            painter.save()
            painter.setOpacity(layer.style.opacity)
            requests.extend(self._draw_layer(layer, ctx, occupancy))
            painter.restore()
        placed = draw_placed_labels(painter, requests, occupancy, self.font, as_text=True) \
            if self.show_labels else []
        draw_area_names(painter, area_names, self.font, as_text=True,
                        avoid=[box for _req, box in placed])
        painter.restore()
        return credits

    def _draw_layer(self, layer: FeatureLayer, ctx: DrawContext,
                    occupancy: Occupancy) -> list[LabelRequest]:
        kind, role = layer.kind, layer.role
        if kind is GeometryKind.POINT and role is LayerRole.FACILITIES:
            return _facilities(layer, ctx, occupancy)
        if kind is GeometryKind.POINT and role is LayerRole.COMMUNITIES:
            return _communities(layer, ctx, occupancy)
        if kind is GeometryKind.POINT and role is LayerRole.PROPOSALS:
            before = len(ctx.labels)
            draw_proposals(layer, ctx)  # already painter-only: outlines and a dashed ring
            rows, px, py = ctx.visible_points(layer)
            mark_symbols(occupancy, px, py, layer.style.size_px * 0.95)
            anchors, ctx.labels[before:] = ctx.labels[before:], []
            return [LabelRequest(a.x() - layer.style.size_px, a.y(), layer.style.size_px,
                                 text, k, w) for a, text, k, w in anchors]
        if kind is GeometryKind.POINT:
            _points(layer, ctx, occupancy)
        elif kind is GeometryKind.POLYGON and role is LayerRole.SERVICE_CIRCLES:
            _service_areas(layer, ctx)
        elif kind is GeometryKind.POLYGON:
            draw_polygons(layer, ctx)  # painter paths: vector as it is
        elif kind is GeometryKind.LINE:
            _lines(layer, ctx)
        return []


def _symbol(painter: QPainter, icon: str, color: QColor, radius: float,
            px: np.ndarray, py: np.ndarray, dense: bool) -> None:
    if dense:  # a round dot per point: one tiny path each, no outline
        pen = QPen(color, 2 * radius, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawPoints(QPolygonF([QPointF(x, y) for x, y in
                                      zip(px.tolist(), py.tolist(), strict=True)]))
        return
    path = shape_path(icon, radius)
    painter.setPen(QPen(QColor("#ffffff"), 1.2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                        Qt.PenJoinStyle.RoundJoin))
    painter.setBrush(color)
    for x, y in zip(px.tolist(), py.tolist(), strict=True):
        painter.drawPath(path.translated(x, y))


def _facilities(layer: FeatureLayer, ctx: DrawContext, occupancy: Occupancy
                ) -> list[LabelRequest]:
    rows, px, py = ctx.visible_points(layer)
    if len(rows) == 0:
        return []
    radius = layer.style.size_px / 2
    dense = len(rows) > DOT_LIMIT
    if dense:
        radius = max(1.0, min(radius, 2.0))
    codes = ctx.cache(layer).codes()[rows]
    for code in np.unique(codes):
        category = CATEGORIES[int(code)]
        sel = codes == code
        _symbol(ctx.painter, category.icon, QColor(category.color), radius, px[sel], py[sel],
                dense)
    mark_symbols(occupancy, px, py, radius)
    if not (ctx.show_labels and layer.style.show_labels and len(rows) <= FACILITY_LABEL_LIMIT):
        return []
    names = layer.frame["name"].to_numpy()
    precision = (layer.frame["location_precision"].to_numpy()
                 if "location_precision" in layer.frame.columns else None)
    out = []
    for r, x, y in zip(rows.tolist(), px.tolist(), py.tolist(), strict=True):
        approx = precision is not None and str(precision[r] or "").startswith("approximate")
        out.append(LabelRequest(x, y, radius, ("≈" if approx else "") + str(names[r]),
                                "facility"))
    return out


def _communities(layer: FeatureLayer, ctx: DrawContext, occupancy: Occupancy
                 ) -> list[LabelRequest]:
    rows, px, py = ctx.visible_points(layer, margin=60)
    if len(rows) == 0:
        return []
    frame = layer.frame
    color = QColor(single_colour(layer.style))
    size = layer.style.size_px
    names = frame["name"].to_numpy()
    levels = frame["level"].to_numpy() if "level" in frame.columns else None
    ids = frame["id"].to_numpy()
    warnings = ctx.community_warnings
    painter = ctx.painter
    dense = len(rows) > DOT_LIMIT
    labelled = layer.style.show_labels and ctx.show_labels and len(rows) <= LABEL_LIMIT
    out = []
    radii = np.empty(len(rows))
    for k, (r, x, y) in enumerate(zip(rows.tolist(), px.tolist(), py.tolist(), strict=True)):
        small = levels is not None and levels[r] == "小区"
        missing = warnings.get(ids[r])
        radius = size / 2 * (ESTATE_SCALE if small else 1.0)
        radii[k] = radius
        centre = QPointF(x, y)
        painter.setPen(Qt.PenStyle.NoPen if dense else QPen(QColor("#ffffff"), 1.5))
        painter.setBrush(QColor(WARNING) if missing else color)
        painter.drawEllipse(centre, radius, radius)
        if not small and not dense:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#ffffff"))
            painter.drawEllipse(centre, size * DOT_SCALE, size * DOT_SCALE)
        if labelled:
            text = str(names[r])
            if missing:
                text += " · 缺: " + "、".join(get_category(m).label_zh for m in missing)
            out.append(LabelRequest(x, y, radius, text, "estate" if small else "community",
                                    bool(missing)))
    mark_symbols(occupancy, px, py, float(radii.max()))
    return out


def _points(layer: FeatureLayer, ctx: DrawContext, occupancy: Occupancy) -> None:
    rows, px, py = ctx.visible_points(layer)
    radius = layer.style.size_px / 2
    _symbol(ctx.painter, "circle", QColor(single_colour(layer.style)), radius, px, py,
            len(rows) > DOT_LIMIT)
    mark_symbols(occupancy, px, py, radius)


def _lines(layer: FeatureLayer, ctx: DrawContext) -> None:
    style = layer.style
    color = QColor(single_colour(style))
    color.setAlpha(alpha_byte(style.stroke_opacity))
    lines = ctx.cache(layer).line_arrays()
    view = ctx.view
    xmin, ymin, xmax, ymax = view.extent
    b = lines.bounds
    shown = np.nonzero((b[:, 2] >= xmin) & (b[:, 0] <= xmax)
                       & (b[:, 3] >= ymin) & (b[:, 1] <= ymax))[0]
    hidden = hidden_rows(layer)
    pen = QPen(color, style.stroke_width_px, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
               Qt.PenJoinStyle.RoundJoin)
    ctx.painter.setPen(pen)
    ctx.painter.setBrush(Qt.BrushStyle.NoBrush)
    for part in shown.tolist():
        if hidden is not None and hidden[lines.rows[part]]:
            continue
        xy = lines.xy[lines.starts[part]:lines.starts[part + 1]]
        px, py = view.to_pixel(xy[:, 0], xy[:, 1])
        ctx.painter.drawPolyline(pixel_polygon(px, py))


def _service_areas(layer: FeatureLayer, ctx: DrawContext) -> None:
    """Service areas merged per category: one translucent fill and one outline each."""
    frame = layer.frame
    cats = (frame["category"].fillna("other").to_numpy() if "category" in frame.columns
            else np.full(len(frame), "other", dtype=object))
    geoms = np.asarray(ctx.cache(layer).mercator_geometries(), dtype=object)
    hidden = hidden_rows(layer)
    view = ctx.view
    x0, y0, x1, y1 = view.extent
    pad = 4 * view.resolution
    style = layer.style
    for cat in sorted(set(cats.tolist())):
        sel = cats == cat
        if hidden is not None:
            sel &= ~hidden
        parts = [g for g in geoms[sel] if g is not None and not g.is_empty]
        if not parts:
            continue
        merged = shapely.clip_by_rect(shapely.union_all(parts), x0 - pad, y0 - pad,
                                      x1 + pad, y1 + pad)
        if merged.is_empty:
            continue
        color = QColor(style.color or get_category(cat).color)
        fill = QColor(color)
        fill.setAlpha(alpha_byte(style.fill_opacity))
        line = color.darker(135)
        line.setAlpha(alpha_byte(style.stroke_opacity))
        path = QPainterPath()
        path.setFillRule(Qt.FillRule.OddEvenFill)
        for poly in shapely.get_parts(merged):
            if poly.geom_type != "Polygon":
                continue
            for ring in [poly.exterior, *poly.interiors]:
                xy = np.asarray(ring.coords)
                px, py = view.to_pixel(xy[:, 0], xy[:, 1])
                path.addPolygon(pixel_polygon(px, py))
                path.closeSubpath()
        ctx.painter.setPen(QPen(line, 1.0))
        ctx.painter.setBrush(fill)
        ctx.painter.drawPath(path)
