"""Drawing a project into an image: the same code serves the canvas and export-png.

Dense point layers are stamped into the pixel buffer with numpy, which keeps a
100,000-facility redraw well under half a second; sparse ones are drawn with
antialiased QPainter sprites. Everything else is QPainter paths.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)

from desktop.canvas.geometry_cache import LayerGeometryCache
from desktop.canvas.image_arrays import new_argb_image
from desktop.canvas.symbols import category_sprite, marker_sprite, sprite_stamps
from layers.geo.map_view import MapView, nice_scale_length
from layers.model.categories import CATEGORIES, get_category
from layers.model.layer import FeatureLayer
from layers.model.project import Project

BACKGROUND = QColor("#f2efe9")
SELECTION = "#ffd400"
WARNING = "#e4572e"
COMMUNITY_COLOR = "#1d3557"
FACILITY_SIZE = 14
#: Facility names are drawn when no more than this many are in view.
FACILITY_LABEL_LIMIT = 80
#: Above this many visible points, stamp with numpy instead of QPainter sprites.
STAMP_THRESHOLD = 4000
#: Beyond this many line parts in view, lines are rasterised in bulk (1 px, no antialiasing).
LINE_PAINT_LIMIT = 4000
LABEL_LIMIT = 400


def cjk_font(point_size: float = 10, bold: bool = False) -> QFont:
    """Return a font that renders Chinese (Noto Sans CJK where installed).

    Parameters
    ----------
    point_size : float
        Size in points.
    bold : bool
        Bold weight.

    Returns
    -------
    QFont
        The font.
    """
    font = QFont()
    font.setFamilies(["Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC",
                      "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", "sans-serif"])
    font.setPointSizeF(point_size)
    font.setBold(bold)
    return font


class MapRenderer:
    """Renders a project's visible layers for a :class:`MapView`.

    Parameters
    ----------
    project : Project
        The project to draw.
    basemap : object, optional
        A tile source with ``draw(painter, view)``; None for a plain background.
    """

    def __init__(self, project: Project, basemap: object | None = None) -> None:
        self.project = project
        self.basemap = basemap
        self.show_labels = True
        #: shrink markers when a view is crowded, as the planner can't read overlaps anyway
        self.auto_shrink = True
        self._caches: dict[int, LayerGeometryCache] = {}
        #: community id -> list of missing category ids, set by the audit view
        self.community_warnings: dict[str, list[str]] = {}
        self.extra_painters: list[Callable[[QPainter, MapView], None]] = []
        self._pending_labels: list = []

    def set_project(self, project: Project) -> None:
        """Draw another project from now on.

        Parameters
        ----------
        project : Project
            The new project.
        """
        self.project = project
        self.drop_caches()

    def drop_caches(self, *, keep: Iterable[FeatureLayer] = ()) -> None:
        """Forget the geometry caches of layers not in ``keep``.

        A forgotten cache stops following its layer, so a layer removed from
        the project (kept alive by the undo stack) has no listener left here.

        Parameters
        ----------
        keep : iterable of FeatureLayer
            Layers whose caches stay; by default none.
        """
        kept = {id(layer) for layer in keep}
        for key in [key for key in self._caches if key not in kept]:
            self._caches.pop(key).close()

    def cache(self, layer: FeatureLayer) -> LayerGeometryCache:
        """Return (creating on first use) the geometry cache of ``layer``.

        Parameters
        ----------
        layer : FeatureLayer
            A project layer.

        Returns
        -------
        LayerGeometryCache
            Its cache.
        """
        key = id(layer)
        cache = self._caches.get(key)
        if cache is None or cache.layer is not layer:
            cache = LayerGeometryCache(layer)
            self._caches[key] = cache
        return cache

    # ----- the whole map -------------------------------------------------
    def render(self, view: MapView, basemap: bool = True) -> QImage:
        """Draw the map into a new image of the view's size.

        Parameters
        ----------
        view : MapView
            What to draw.
        basemap : bool
            Draw basemap tiles when a tile source is set.

        Returns
        -------
        QImage
            Premultiplied ARGB image.
        """
        w, h = max(1, view.width), max(1, view.height)
        image, buf = new_argb_image(w, h)
        buf.fill(BACKGROUND.rgba())
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if basemap and self.basemap is not None:
            self.basemap.draw(painter, view)
        labels: list[tuple[QPointF, str, str, bool]] = []
        self._pending_labels = labels
        for layer in self.project.layers:
            if not layer.visible or len(layer) == 0:
                continue
            if layer.opacity < 1.0:
                painter.end()
                layer_img = self._render_layer_alone(layer, view, labels)
                painter.begin(image)
                painter.setRenderHint(QPainter.RenderHint.Antialiasing)
                painter.setOpacity(layer.opacity)
                painter.drawImage(0, 0, layer_img)
                painter.setOpacity(1.0)
            else:
                painter = self._draw_layer(layer, view, image, buf, painter, labels)
        for extra in self.extra_painters:
            extra(painter, view)
        if self.show_labels:
            self._draw_labels(painter, labels)
        painter.end()
        return image

    def _render_layer_alone(self, layer: FeatureLayer, view: MapView,
                            labels: list) -> QImage:
        image, buf = new_argb_image(view.width, view.height)
        buf.fill(0)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter = self._draw_layer(layer, view, image, buf, painter, labels)
        painter.end()
        return image

    def _draw_layer(self, layer: FeatureLayer, view: MapView, image: QImage, buf: np.ndarray,
                    painter: QPainter, labels: list) -> QPainter:
        kind = layer.schema.geometry if layer.schema else _guess_geometry(layer)
        if layer.name == "facilities":
            return self._draw_facilities(layer, view, image, buf, painter)
        if layer.name == "communities":
            return self._draw_communities(layer, view, image, buf, painter, labels)
        elif layer.name == "service_circles":
            self._draw_circles(layer, view, painter)
        elif kind == "Polygon":
            self._draw_polygons(layer, view, painter)
        elif kind == "LineString":
            return self._draw_lines(layer, view, image, buf, painter)
        else:
            self._draw_plain_points(layer, view, painter)
        return painter

    # ----- points --------------------------------------------------------
    def _visible_points(self, layer: FeatureLayer, view: MapView, margin: float = 12
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        x, y = self.cache(layer).points()
        px, py = view.to_pixel(x, y)
        keep = ((px > -margin) & (px < view.width + margin)
                & (py > -margin) & (py < view.height + margin))
        rows = np.nonzero(keep)[0]
        return rows, px[rows], py[rows]

    def _draw_facilities(self, layer: FeatureLayer, view: MapView, image: QImage,
                         buf: np.ndarray, painter: QPainter) -> QPainter:
        rows, px, py = self._visible_points(layer, view)
        if len(rows) == 0:
            return painter
        size = int(layer.style.get("size", FACILITY_SIZE))
        codes = self.cache(layer).codes()[rows]
        if len(rows) > STAMP_THRESHOLD:
            painter.end()
            dense = dense_symbol_size(len(rows), view.width, view.height)
            if dense < size and self.auto_shrink:
                # too many to tell shapes apart: small discs, in data order, no category on top
                colours = _CATEGORY_ARGB[codes]
                _stamp_discs(buf, px, py, colours, dense)
            else:
                for code in np.unique(codes):
                    c = CATEGORIES[int(code)]
                    sel = codes == code
                    _stamp(buf, px[sel], py[sel], (c.icon, c.color, size, "#ffffff", None))
            painter.begin(image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        else:
            for code in np.unique(codes):
                sprite = category_sprite(CATEGORIES[int(code)].id, size)
                half = sprite.width() / 2
                sel = codes == code
                for x, y in zip(px[sel].tolist(), py[sel].tolist(), strict=True):
                    painter.drawImage(QPointF(x - half, y - half), sprite)
            if self.show_labels and len(rows) <= FACILITY_LABEL_LIMIT:
                self._facility_labels(layer, rows, px, py, size)
        if layer.selected_ids:
            self._draw_selected_points(layer, view, painter, size, with_category=True)
        return painter

    def _facility_labels(self, layer: FeatureLayer, rows: np.ndarray, px: np.ndarray,
                         py: np.ndarray, size: int) -> None:
        names = layer.frame["name"].to_numpy()
        precision = layer.frame["location_precision"].to_numpy()
        for r, x, y in zip(rows.tolist(), px.tolist(), py.tolist(), strict=True):
            approx = str(precision[r] or "").startswith("approximate")
            text = ("≈" if approx else "") + str(names[r])
            self._pending_labels.append((QPointF(x + size * 0.7, y), text, "facility", False))

    def _draw_selected_points(self, layer: FeatureLayer, view: MapView, painter: QPainter,
                              size: int, with_category: bool) -> None:
        x, y = self.cache(layer).points()
        ids = layer.selected_ids
        rows = [layer.row_of(i) for i in ids][:5000]
        px, py = view.to_pixel(x[rows], y[rows])
        cats = layer.frame["category"].to_numpy()[rows] if with_category else None
        for k, (sx, sy) in enumerate(zip(px.tolist(), py.tolist(), strict=True)):
            if not (-20 < sx < view.width + 20 and -20 < sy < view.height + 20):
                continue
            if cats is not None:
                sprite = category_sprite(cats[k], size, halo=SELECTION)
            else:
                sprite = marker_sprite("circle", COMMUNITY_COLOR, size, halo=SELECTION)
            half = sprite.width() / 2
            painter.drawImage(QPointF(sx - half, sy - half), sprite)

    def _draw_plain_points(self, layer: FeatureLayer, view: MapView,
                           painter: QPainter) -> None:
        rows, px, py = self._visible_points(layer, view)
        color = layer.style.get("color", "#444444")
        sprite = marker_sprite("circle", color, 9)
        half = sprite.width() / 2
        for x, y in zip(px.tolist(), py.tolist(), strict=True):
            painter.drawImage(QPointF(x - half, y - half), sprite)

    def _draw_communities(self, layer: FeatureLayer, view: MapView, image: QImage,
                          buf: np.ndarray, painter: QPainter, labels: list) -> QPainter:
        rows, px, py = self._visible_points(layer, view, margin=60)
        color = layer.style.get("color", COMMUNITY_COLOR)
        if len(rows) > STAMP_THRESHOLD // 2:
            # a city's worth of communities: stamped, plain or warning-coloured
            warned = np.array([i in self.community_warnings
                               for i in layer.frame["id"].to_numpy()[rows]], dtype=bool)
            painter.end()
            for fill, sel in ((color, ~warned), (WARNING, warned)):
                if sel.any():
                    _stamp(buf, px[sel], py[sel], ("circle", fill, 9, "#ffffff", None))
            painter.begin(image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            if layer.selected_ids:
                self._draw_selected_points(layer, view, painter, 9, with_category=False)
            return painter
        frame = layer.frame
        names = frame["name"].to_numpy()
        levels = frame["level"].to_numpy() if "level" in frame.columns else None
        ids = frame["id"].to_numpy()
        for r, x, y in zip(rows.tolist(), px.tolist(), py.tolist(), strict=True):
            small = levels is not None and levels[r] == "小区"
            missing = self.community_warnings.get(ids[r])
            fill = WARNING if missing else color
            radius = 5.5 if small else 8.0
            if ids[r] in layer.selected_ids:
                painter.setPen(QPen(QColor(SELECTION), 5))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawEllipse(QPointF(x, y), radius + 2, radius + 2)
            painter.setPen(QPen(QColor("#ffffff"), 2))
            painter.setBrush(QColor(fill))
            painter.drawEllipse(QPointF(x, y), radius, radius)
            if not small:
                painter.setBrush(QColor("#ffffff"))
                painter.setPen(Qt.PenStyle.NoPen)
                painter.drawEllipse(QPointF(x, y), 2.6, 2.6)
            if len(rows) <= LABEL_LIMIT:
                text = str(names[r])
                if missing:
                    text += " · 缺: " + "、".join(get_category(m).label_zh for m in missing)
                kind = "estate" if small else "community"
                labels.append((QPointF(x + radius + 3, y), text, kind, bool(missing)))
        return painter

    def _draw_labels(self, painter: QPainter, labels: list) -> None:
        placed: list[QRectF] = []
        rank = {"community": 0, "estate": 1, "facility": 2}
        # communities first, then 小区, then facilities: bigger names win collisions
        for pos, text, kind, warn in sorted(labels, key=lambda t: rank[t[2]]):
            major = kind == "community"
            font = cjk_font({"community": 10.5, "estate": 9.5, "facility": 8.5}[kind], bold=major)
            fm = QFontMetricsF(font)
            rect = QRectF(pos.x(), pos.y() - fm.ascent() / 2 - 2,
                          fm.horizontalAdvance(text) + 4, fm.height() + 2)
            if any(rect.intersects(p) for p in placed):
                continue
            placed.append(rect)
            path = QPainterPath()
            path.addText(QPointF(pos.x(), pos.y() + fm.ascent() / 2 - 1), font, text)
            painter.setPen(QPen(QColor(255, 255, 255, 230), 3.2, Qt.PenStyle.SolidLine,
                                Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
            painter.setPen(Qt.PenStyle.NoPen)
            ink = WARNING if warn else ("#1b1b1b" if kind != "facility" else "#4a4a4a")
            painter.setBrush(QColor(ink))
            painter.drawPath(path)

    # ----- polygons and lines -------------------------------------------
    def _draw_polygons(self, layer: FeatureLayer, view: MapView, painter: QPainter) -> None:
        color = QColor(layer.style.get("color", "#457b9d"))
        fill = QColor(color)
        fill.setAlpha(int(layer.style.get("fill_alpha", 50)))
        selected = {layer.row_of(i) for i in layer.selected_ids} if layer.selected_ids else set()
        xmin, ymin, xmax, ymax = view.extent
        polys = self.cache(layer).polygons()
        b = self.cache(layer).polygon_bounds()
        shown = np.nonzero((b[:, 2] >= xmin) & (b[:, 0] <= xmax)
                           & (b[:, 3] >= ymin) & (b[:, 1] <= ymax))[0]
        for k in shown.tolist():
            row, rings = polys[k]
            path = QPainterPath()
            path.setFillRule(Qt.FillRule.OddEvenFill)
            for ring in rings:
                px, py = view.to_pixel(ring[:, 0], ring[:, 1])
                path.addPolygon(_polygon(px, py))
                path.closeSubpath()
            painter.setBrush(fill)
            chosen = row in selected
            pen = QPen(QColor(SELECTION) if chosen else color, 3 if chosen else 1.6)
            painter.setPen(pen)
            painter.drawPath(path)

    def _draw_lines(self, layer: FeatureLayer, view: MapView, image: QImage,
                    buf: np.ndarray, painter: QPainter) -> QPainter:
        """Draw the parts in view: antialiased when few, rasterised in bulk when many."""
        color = QColor(layer.style.get("color", "#8d99ae"))
        lines = self.cache(layer).line_arrays()
        xmin, ymin, xmax, ymax = view.extent
        b = lines.bounds
        shown = np.nonzero((b[:, 2] >= xmin) & (b[:, 0] <= xmax)
                           & (b[:, 3] >= ymin) & (b[:, 1] <= ymax))[0]
        if len(shown) == 0:
            return painter
        first, last = lines.starts[shown], lines.starts[shown + 1]
        counts = last - first
        idx = np.repeat(first - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
        px, py = view.to_pixel(lines.xy[idx, 0], lines.xy[idx, 1])
        if len(shown) <= LINE_PAINT_LIMIT:
            painter.setPen(QPen(color, 1.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            ends = np.cumsum(counts)
            for a, z in zip((ends - counts).tolist(), ends.tolist(), strict=True):
                painter.drawPolyline(_polygon(px[a:z], py[a:z]))
            return painter
        painter.end()
        same_part = np.ones(len(idx), dtype=bool)
        same_part[np.cumsum(counts)[:-1] - 1] = False  # no segment from one part to the next
        same_part[-1] = False
        seg = np.nonzero(same_part)[0]
        _rasterise_segments(buf, px[seg], py[seg], px[seg + 1], py[seg + 1], color.rgba())
        painter.begin(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        return painter

    def _draw_circles(self, layer: FeatureLayer, view: MapView, painter: QPainter) -> None:
        """Draw service circles per category, overlaps merged, translucent."""
        from desktop.canvas.circle_drawing import draw_service_circles

        draw_service_circles(self, layer, view, painter)


_CATEGORY_ARGB = np.array([QColor(c.color).rgba() for c in CATEGORIES], dtype=np.uint32)


def dense_symbol_size(count: int, width: int, height: int) -> int:
    """Return a marker size that keeps a crowded view readable.

    Parameters
    ----------
    count : int
        Visible points.
    width, height : int
        View size in pixels.

    Returns
    -------
    int
        Diameter in pixels, between 3 and 14.
    """
    return int(min(14, max(3, round(np.sqrt(width * height / max(count, 1)) * 1.5))))


def _stamp_discs(buf: np.ndarray, px: np.ndarray, py: np.ndarray, colours: np.ndarray,
                 size: int) -> None:
    """Stamp small discs with one colour per point, later points on top."""
    h, w = buf.shape
    ix = np.rint(px).astype(np.int64)
    iy = np.rint(py).astype(np.int64)
    r = size / 2
    span = int(np.ceil(r))
    out = buf.reshape(-1)
    for dy in range(-span, span + 1):
        for dx in range(-span, span + 1):
            if dx * dx + dy * dy > r * r + 0.5:
                continue
            yy = iy + dy
            xx = ix + dx
            ok = (yy >= 0) & (yy < h) & (xx >= 0) & (xx < w)
            out[yy[ok] * w + xx[ok]] = colours[ok]


def _rasterise_segments(buf: np.ndarray, x0: np.ndarray, y0: np.ndarray, x1: np.ndarray,
                        y1: np.ndarray, argb: int) -> None:
    """Draw one-pixel segments into the buffer by sampling each every 0.7 px."""
    h, w = buf.shape
    # clip to the view (plus a margin) so a long segment never samples far outside
    lo_x, hi_x, lo_y, hi_y = -2.0, w + 2.0, -2.0, h + 2.0
    inside = ~(((x0 < lo_x) & (x1 < lo_x)) | ((x0 > hi_x) & (x1 > hi_x))
               | ((y0 < lo_y) & (y1 < lo_y)) | ((y0 > hi_y) & (y1 > hi_y)))
    x0, y0, x1, y1 = x0[inside], y0[inside], x1[inside], y1[inside]
    length = np.hypot(x1 - x0, y1 - y0)
    steps = np.minimum(np.ceil(length / 0.7).astype(np.int64), 4 * (w + h)) + 1
    total = int(steps.sum())
    if total == 0:
        return
    seg = np.repeat(np.arange(len(steps)), steps)
    t = (np.arange(total) - np.repeat(np.cumsum(steps) - steps, steps)) / np.maximum(
        steps[seg] - 1, 1)
    ix = np.rint(x0[seg] + (x1[seg] - x0[seg]) * t).astype(np.int64)
    iy = np.rint(y0[seg] + (y1[seg] - y0[seg]) * t).astype(np.int64)
    ok = (ix >= 0) & (ix < w) & (iy >= 0) & (iy < h)
    buf.reshape(-1)[iy[ok] * w + ix[ok]] = np.uint32(argb)


def _stamp(buf: np.ndarray, px: np.ndarray, py: np.ndarray, key: tuple) -> None:
    """Stamp a sprite at many pixel positions: outlines first, then fills."""
    h, w = buf.shape
    ix = np.rint(px).astype(np.int64)
    iy = np.rint(py).astype(np.int64)
    flat = np.unique(iy * (w + 64) + ix)  # one stamp per pixel position
    iy, ix = np.divmod(flat, w + 64)
    dy_e, dx_e, c_e, dy_f, dx_f, c_f = sprite_stamps(key)
    out = buf.reshape(-1)
    for dys, dxs, colors in ((dy_e, dx_e, c_e), (dy_f, dx_f, c_f)):
        for dy, dx, color in zip(dys.tolist(), dxs.tolist(), colors.tolist(), strict=True):
            yy = iy + dy
            xx = ix + dx
            ok = (yy >= 0) & (yy < h) & (xx >= 0) & (xx < w)
            out[yy[ok] * w + xx[ok]] = color


def _polygon(px: np.ndarray, py: np.ndarray) -> QPolygonF:
    return QPolygonF([QPointF(a, b) for a, b in zip(px.tolist(), py.tolist(), strict=True)])


def _guess_geometry(layer: FeatureLayer) -> str:
    types = set(layer.frame.geom_type.dropna())
    if types & {"Polygon", "MultiPolygon"}:
        return "Polygon"
    if types & {"LineString", "MultiLineString"}:
        return "LineString"
    return "Point"


# ----- overlays shared by the canvas and image export --------------------------
def draw_scale_bar(painter: QPainter, view: MapView, x: float = 16, bottom: float = 18) -> None:
    """Draw a 1:N-aware scale bar at the bottom-left.

    Parameters
    ----------
    painter : QPainter
        Target painter.
    view : MapView
        The view (ground resolution at its centre is used).
    x : float
        Left margin in pixels.
    bottom : float
        Bottom margin in pixels.
    """
    ground = view.ground_resolution()
    length_m = nice_scale_length(ground * min(220, view.width / 3))
    if length_m <= 0:
        return
    length_px = length_m / ground
    y = view.height - bottom
    text = f"{length_m / 1000:g} km" if length_m >= 1000 else f"{length_m:g} m"
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(255, 255, 255, 200))
    painter.drawRoundedRect(QRectF(x - 6, y - 24, length_px + 60, 32), 4, 4)
    painter.setPen(QPen(QColor("#222222"), 2))
    painter.drawLine(QPointF(x, y), QPointF(x + length_px, y))
    painter.drawLine(QPointF(x, y - 6), QPointF(x, y))
    painter.drawLine(QPointF(x + length_px, y - 6), QPointF(x + length_px, y))
    painter.setFont(cjk_font(9))
    painter.drawText(QPointF(x + length_px + 6, y + 1), text)
    painter.drawText(QPointF(x, y - 10), f"1:{_round_scale(view.scale_denominator()):,}")
    painter.restore()


def _round_scale(n: float) -> int:
    if n <= 0 or not math.isfinite(n):
        return 0
    digits = max(0, int(math.log10(n)) - 1)
    return int(round(n / 10**digits) * 10**digits)


def draw_legend(painter: QPainter, categories: list[str], x: float, y: float,
                title: str = "图例") -> None:
    """Draw a legend box of facility categories with their markers.

    Parameters
    ----------
    painter : QPainter
        Target painter.
    categories : list of str
        Category ids to list.
    x, y : float
        Top-right corner of the box.
    title : str
        Box title.
    """
    font = cjk_font(9.5)
    fm = QFontMetricsF(font)
    labels = [get_category(c).label_zh for c in categories]
    width = max([fm.horizontalAdvance(t) for t in labels + [title]] or [40]) + 44
    height = 30 + 20 * len(labels)
    left = x - width
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor("#bbbbbb"), 1))
    painter.setBrush(QBrush(QColor(255, 255, 255, 225)))
    painter.drawRoundedRect(QRectF(left, y, width, height), 5, 5)
    painter.setPen(QColor("#222222"))
    painter.setFont(cjk_font(10, bold=True))
    painter.drawText(QPointF(left + 10, y + 18), title)
    painter.setFont(font)
    for i, (cid, label) in enumerate(zip(categories, labels, strict=True)):
        cy = y + 34 + 20 * i
        sprite = category_sprite(cid, 12)
        painter.drawImage(QPointF(left + 20 - sprite.width() / 2, cy - sprite.height() / 2), sprite)
        painter.drawText(QPointF(left + 34, cy + fm.ascent() / 2 - 2), label)
    painter.restore()
