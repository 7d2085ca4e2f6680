"""Map tools: each interaction with the canvas is one small object.

The canvas forwards press, move, release and double-click events, already in
map coordinates, to the active tool only (see :mod:`desktop.canvas.map_tool`).
Tools report results through signals.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPen, QPolygonF

from desktop.canvas.map_tool import MapMouseEvent, MapTool
from desktop.i18n import tr
from layers.geo.geodesy import GEOD
from layers.geo.map_view import lonlat_to_mercator


class PanTool(MapTool):
    """Drag to move the map."""

    tool_id = "pan"
    icon = "pan"
    action_text = "Pan"
    tool_tip = "Drag to move the map"
    shortcut = "Space"
    cursor = Qt.CursorShape.OpenHandCursor

    def __init__(self, canvas: object) -> None:
        super().__init__(canvas)
        self._last: tuple[float, float] | None = None

    def press(self, event: MapMouseEvent) -> None:
        """Start dragging."""
        if event.button == Qt.MouseButton.LeftButton:
            self._last = (event.px, event.py)
            self.canvas.setCursor(Qt.CursorShape.ClosedHandCursor)

    def move(self, event: MapMouseEvent) -> None:
        """Move the view with the mouse."""
        if self._last is not None:
            self.canvas.pan_pixels(event.px - self._last[0], event.py - self._last[1])
            self._last = (event.px, event.py)

    def release(self, event: MapMouseEvent) -> None:
        """Finish dragging and redraw at the new place."""
        if self._last is not None:
            self._last = None
            self.canvas.setCursor(self.cursor)
            self.canvas.refresh()


class _RectangleTool(MapTool):
    """Shared rubber-band rectangle for zoom-box and select-box tools."""

    def __init__(self, canvas: object) -> None:
        super().__init__(canvas)
        self._start: QPointF | None = None
        self._end: QPointF | None = None

    def press(self, event: MapMouseEvent) -> None:
        """Start a rectangle."""
        if event.button == Qt.MouseButton.LeftButton:
            self._start = self._end = QPointF(event.px, event.py)

    def move(self, event: MapMouseEvent) -> None:
        """Grow the rectangle."""
        if self._start is not None:
            self._end = QPointF(event.px, event.py)
            self.canvas.update()

    def release(self, event: MapMouseEvent) -> None:
        """Finish: a click or a rectangle."""
        if self._start is None:
            return
        rect = QRectF(self._start, QPointF(event.px, event.py)).normalized()
        self._start = self._end = None
        self.canvas.update()
        if rect.width() < 4 and rect.height() < 4:
            self.clicked(event)
        else:
            self.rectangle(rect, event)

    def deactivate(self) -> None:
        """Drop an unfinished rectangle."""
        self._start = self._end = None

    def clicked(self, event: MapMouseEvent) -> None:
        """Handle a click without dragging."""

    def rectangle(self, rect: QRectF, event: MapMouseEvent) -> None:
        """Handle a dragged rectangle in pixels."""

    def paint(self, painter: QPainter) -> None:
        """Draw the rubber band."""
        if self._start is None or self._end is None:
            return
        painter.setPen(QPen(QColor("#1f77b4"), 1.5, Qt.PenStyle.DashLine))
        painter.setBrush(QColor(31, 119, 180, 40))
        painter.drawRect(QRectF(self._start, self._end).normalized())


class ZoomInTool(_RectangleTool):
    """Click to zoom in, or drag a box to zoom to it."""

    tool_id = "zoom_in"
    icon = "zoom_in"
    action_text = "Zoom In"
    tool_tip = "Click or drag a box to zoom in"
    shortcut = "Ctrl+Alt++"
    cursor = Qt.CursorShape.CrossCursor

    def clicked(self, event: MapMouseEvent) -> None:
        """Zoom in twice around the click."""
        self.canvas.zoom_at(event.px, event.py, 2.0)

    def rectangle(self, rect: QRectF, event: MapMouseEvent) -> None:
        """Show exactly the box."""
        self.canvas.zoom_to_pixel_rect(rect)


class ZoomOutTool(_RectangleTool):
    """Click to zoom out, or drag a box: the view shrinks into it."""

    tool_id = "zoom_out"
    icon = "zoom_out"
    action_text = "Zoom Out"
    tool_tip = "Click or drag a box to zoom out"
    shortcut = "Ctrl+Alt+-"
    cursor = Qt.CursorShape.CrossCursor

    def clicked(self, event: MapMouseEvent) -> None:
        """Zoom out twice around the click."""
        self.canvas.zoom_at(event.px, event.py, 0.5)

    def rectangle(self, rect: QRectF, event: MapMouseEvent) -> None:
        """Zoom out so the current view fits in the box."""
        factor = max(rect.width() / self.canvas.width(), rect.height() / self.canvas.height())
        self.canvas.zoom_at(rect.center().x(), rect.center().y(), max(factor, 0.05))


class IdentifyTool(MapTool):
    """Click a feature to show its attributes."""

    tool_id = "identify"
    icon = "identify"
    action_text = "Identify Features"
    tool_tip = "Click a feature to show its attributes"
    shortcut = "Ctrl+Shift+I"
    cursor = Qt.CursorShape.WhatsThisCursor

    #: layer name, feature id ("" when nothing was hit)
    identified = Signal(str, str)

    def release(self, event: MapMouseEvent) -> None:
        """Find the top-most feature under the click."""
        if event.button != Qt.MouseButton.LeftButton:
            return
        hit = self.canvas.feature_at(event.px, event.py)
        self.identified.emit(*(hit or ("", "")))


class SelectTool(_RectangleTool):
    """Click or drag to select features; Shift adds, Ctrl toggles."""

    tool_id = "select"
    icon = "select"
    action_text = "Select Features"
    tool_tip = "Click or drag a box to select; Shift adds, Ctrl toggles"
    shortcut = "Ctrl+Alt+S"
    cursor = Qt.CursorShape.ArrowCursor

    def clicked(self, event: MapMouseEvent) -> None:
        """Select the feature under the click (or clear)."""
        hit = self.canvas.feature_at(event.px, event.py)
        layer = self.canvas.project.layer(hit[0]) if hit else self.canvas.active_layer()
        ids = {hit[1]} if hit else set()
        self._apply(layer, ids, event.modifiers)

    def rectangle(self, rect: QRectF, event: MapMouseEvent) -> None:
        """Select every feature of the active layer in the box."""
        layer = self.canvas.active_layer()
        if layer is None:
            return
        x0, y0 = self.canvas.view.to_map(rect.left(), rect.bottom())
        x1, y1 = self.canvas.view.to_map(rect.right(), rect.top())
        rows = self.canvas.renderer.cache(layer).in_rect(float(x0), float(y0),
                                                          float(x1), float(y1))
        ids = set(layer.frame["id"].to_numpy()[rows].tolist())
        self._apply(layer, ids, event.modifiers)

    def _apply(self, layer: object, ids: set[str], modifiers: Qt.KeyboardModifier) -> None:
        if layer is None:
            return
        if modifiers & Qt.KeyboardModifier.ShiftModifier:
            ids = set(layer.selected_ids) | ids
        elif modifiers & Qt.KeyboardModifier.ControlModifier:
            ids = set(layer.selected_ids) ^ ids
        for other in self.canvas.project.layers:
            if other is not layer and other.selected_ids and not (
                    modifiers & Qt.KeyboardModifier.ShiftModifier):
                other.set_selection([])
        layer.set_selection(ids)


class MeasureTool(MapTool):
    """Click points to measure a geodesic distance; double-click or right-click ends."""

    tool_id = "measure"
    icon = "measure"
    action_text = "Measure Distance"
    tool_tip = "Click to add points; double-click or right-click to finish; Esc clears"
    shortcut = "Ctrl+Shift+M"
    cursor = Qt.CursorShape.CrossCursor
    uses_right_button = True  # a right-click finishes the line

    #: total geodesic length in metres, updated while measuring
    measured = Signal(float)

    def __init__(self, canvas: object) -> None:
        super().__init__(canvas)
        self.points: list[tuple[float, float]] = []  # lon/lat
        self._hover: tuple[float, float] | None = None
        self.finished = False

    def press(self, event: MapMouseEvent) -> None:
        """Add a vertex, or finish on right-click."""
        if event.button == Qt.MouseButton.RightButton:
            self.finished = True
        elif event.button == Qt.MouseButton.LeftButton:
            if self.finished:
                self.points = []
                self.finished = False
            self.points.append((event.lon, event.lat))
        self._emit()
        self.canvas.update()

    def double_click(self, event: MapMouseEvent) -> None:
        """Finish the line."""
        self.finished = True
        self.canvas.update()

    def move(self, event: MapMouseEvent) -> None:
        """Follow the cursor with a rubber segment."""
        self._hover = (event.lon, event.lat)
        if self.points and not self.finished:
            self._emit()
            self.canvas.update()

    def key_press(self, event: QKeyEvent) -> bool:
        """Esc clears the measurement."""
        if event.key() == Qt.Key.Key_Escape:
            self.points = []
            self.finished = False
            self._emit()
            self.canvas.update()
            return True
        return False

    def deactivate(self) -> None:
        """Clear on leaving the tool."""
        self.points = []
        self._hover = None

    def total_length(self, include_hover: bool = True) -> float:
        """Geodesic length of the measured line in metres (WGS 84 ellipsoid).

        Parameters
        ----------
        include_hover : bool
            Include the segment to the cursor while measuring.

        Returns
        -------
        float
            Metres.
        """
        pts = list(self.points)
        if include_hover and self._hover and not self.finished and pts:
            pts.append(self._hover)
        if len(pts) < 2:
            return 0.0
        lons, lats = zip(*pts, strict=True)
        return float(GEOD.line_length(lons, lats))

    def _emit(self) -> None:
        self.measured.emit(self.total_length())

    def paint(self, painter: QPainter) -> None:
        """Draw the measured line and its length."""
        if not self.points:
            return
        pts = list(self.points)
        if self._hover and not self.finished:
            pts.append(self._hover)
        pix = [QPointF(*self.canvas.view.lonlat_to_pixel(lon, lat)) for lon, lat in pts]
        painter.setPen(QPen(QColor("#d62728"), 2))
        for a, b in zip(pix, pix[1:], strict=False):
            painter.drawLine(a, b)
        painter.setBrush(QColor("#ffffff"))
        for p in pix[: len(self.points)]:
            painter.drawEllipse(p, 3.5, 3.5)
        length = self.total_length()
        text = f"{length / 1000:.3f} km" if length >= 1000 else f"{length:.1f} m"
        painter.setPen(QColor("#1b1b1b"))
        painter.drawText(pix[-1] + QPointF(8, -8), f"{tr('Distance')}: {text}")


class MeasureAreaTool(MapTool):
    """Click a polygon (a boundary, a walking area) to measure its geodesic area."""

    tool_id = "measure_area"
    icon = "measure"
    action_text = "Measure Area"
    tool_tip = "Click a boundary or other area to measure it; Esc clears"
    shortcut = "Ctrl+Shift+A"
    cursor = Qt.CursorShape.CrossCursor

    #: layer name, feature id, area in square metres
    measured = Signal(str, str, float)

    def __init__(self, canvas: object) -> None:
        super().__init__(canvas)
        #: the measured polygon (lon/lat) and its area in m², or None
        self.geometry: object | None = None
        self.area_m2 = 0.0

    def release(self, event: MapMouseEvent) -> None:
        """Measure the top-most visible polygon under the click."""
        if event.button != Qt.MouseButton.LeftButton:
            return
        hit = polygon_at(self.canvas.project, event.lon, event.lat)
        if hit is None:
            self.geometry, self.area_m2 = None, 0.0
            self.measured.emit("", "", 0.0)
        else:
            layer_name, fid, geom = hit
            self.geometry, self.area_m2 = geom, geodesic_area_m2(geom)
            self.measured.emit(layer_name, fid, self.area_m2)
        self.canvas.update()

    def key_press(self, event: QKeyEvent) -> bool:
        """Esc clears the measurement."""
        if event.key() == Qt.Key.Key_Escape:
            self.deactivate()
            self.canvas.update()
            return True
        return False

    def deactivate(self) -> None:
        """Clear on leaving the tool."""
        self.geometry, self.area_m2 = None, 0.0

    def paint(self, painter: QPainter) -> None:
        """Outline the measured polygon and write its area beside it."""
        import shapely

        if self.geometry is None:
            return
        view = self.canvas.view
        painter.setPen(QPen(QColor("#d62728"), 2))
        painter.setBrush(QColor(214, 39, 40, 40))
        for part in shapely.get_parts(self.geometry):
            for ring in (part.exterior, *part.interiors):
                coords = np.asarray(ring.coords)
                px, py = view.to_pixel(*lonlat_to_mercator(coords[:, 0], coords[:, 1]))
                painter.drawPolygon(QPolygonF([QPointF(x, y) for x, y in
                                               zip(px.tolist(), py.tolist(), strict=True)]))
        centre = self.geometry.representative_point()
        pos = QPointF(*view.lonlat_to_pixel(centre.x, centre.y))
        painter.setPen(QColor("#1b1b1b"))
        painter.drawText(pos + QPointF(8, -8), f"{tr('Area')}: {format_area(self.area_m2)}")


def polygon_at(project: object, lon: float, lat: float) -> tuple[str, str, object] | None:
    """Return the top-most visible polygon containing a position.

    Parameters
    ----------
    project : Project
        The project.
    lon, lat : float
        Degrees.

    Returns
    -------
    (str, str, shapely geometry) or None
        Layer name, feature id and polygon, or None outside every polygon.
    """
    import shapely

    point = shapely.Point(lon, lat)
    for layer in reversed(project.layers):
        if not layer.visible or len(layer) == 0:
            continue
        geoms = layer.frame.geometry
        polygonal = geoms.geom_type.isin(["Polygon", "MultiPolygon"]).to_numpy()
        if not polygonal.any():
            continue
        rows = geoms.sindex.query(point, predicate="intersects")
        rows = [int(r) for r in rows if polygonal[r]]
        if rows:
            row = max(rows)  # drawn last, so on top
            return layer.name, str(layer.frame["id"].iat[row]), geoms.iat[row]
    return None


def geodesic_area_m2(geometry: object) -> float:
    """Return a polygon's area on the WGS 84 ellipsoid in square metres (holes taken out).

    Parameters
    ----------
    geometry : shapely Polygon or MultiPolygon
        Lon/lat polygon.

    Returns
    -------
    float
        Square metres.
    """
    area, _perimeter = GEOD.geometry_area_perimeter(geometry)
    return abs(float(area))


def format_area(m2: float) -> str:
    """Return an area as planners write it: square metres and 公顷 (hectares).

    Parameters
    ----------
    m2 : float
        Square metres.

    Returns
    -------
    str
        E.g. ``"12,345 m² (1.23 公顷)"``.
    """
    return f"{m2:,.0f} m² ({m2 / 10_000:,.2f} 公顷)"


NAVIGATION_TOOLS = (PanTool, ZoomInTool, ZoomOutTool, IdentifyTool, SelectTool, MeasureTool,
                    MeasureAreaTool)
