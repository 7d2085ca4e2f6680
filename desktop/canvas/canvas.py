"""The map canvas: a native QWidget that draws the project and hosts map tools.

Rendering happens off the event path: while the planner pans or zooms, the last
rendered image is shifted or scaled at once, and a fresh render follows when the
movement pauses. So panning stays smooth whatever the data size. A render off the
GUI thread that takes a while shows what it has drawn so far every
``PROGRESS_MS`` (QGIS's map update interval), over the moved old picture.
"""

from __future__ import annotations

import numpy as np
import shapely
from PySide6.QtCore import QPointF, QRectF, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QContextMenuEvent, QImage, QMouseEvent, QPainter, QWheelEvent
from PySide6.QtWidgets import QWidget

from desktop.canvas.admin_drawing import admin_loader
from desktop.canvas.draw_context import hidden_rows
from desktop.canvas.map_in_progress import MapInProgress
from desktop.canvas.map_tool import PICK_TOLERANCE_PX, MapMouseEvent, MapTool
from desktop.canvas.renderer import BACKGROUND, MapRenderer, draw_scale_bar
from desktop.workers import BackgroundJob
from layers.geo.map_view import MapView, lonlat_to_mercator, mercator_to_lonlat
from layers.model.events import ProjectWatch
from layers.model.layer import FeatureLayer
from layers.model.project import Project


def admin_areas_wanted() -> bool:
    """Return whether the planner left the offline boundaries on (they are by default).

    Returns
    -------
    bool
        The View menu's last choice.
    """
    return QSettings().value("map/admin_areas", "true") == "true"


class MapCanvas(QWidget):
    """Draws a project and forwards mouse events to the active map tool.

    Parameters
    ----------
    project : Project
        The project to show.
    parent : QWidget, optional
        Parent widget.
    """

    cursor_moved = Signal(float, float)
    view_changed = Signal()
    tool_changed = Signal(object)
    rendered = Signal()
    #: a slow render off the GUI thread showed the part it has drawn so far
    partly_rendered = Signal()
    #: right-click with a tool that does not use the right button: canvas pixel x, y
    context_menu_requested = Signal(float, float)

    RENDER_DELAY_MS = 60
    #: Projects with more features than this render off the GUI thread: the window
    #: keeps answering, and shows the last picture moved to the new view meanwhile.
    BACKGROUND_FEATURES = 200_000
    #: How often a render off the GUI thread shows what it has drawn so far (QGIS: 250 ms).
    PROGRESS_MS = 150

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(200, 150)
        self.view = MapView(width=self.width(), height=self.height())
        self.renderer = MapRenderer(project, admin_areas=admin_areas_wanted())
        self.renderer.admin_wait = False  # boundaries are read off the GUI thread, then drawn
        admin_loader().loaded.connect(self.refresh)
        self.project = project
        self.tool: MapTool | None = None
        self.active_layer_name = "facilities"
        self._image: QImage | None = None
        self._image_view: MapView | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._render_due)
        #: the render running off the GUI thread, and whether the view moved since it began
        self._job: BackgroundJob | None = None
        self._drawing: MapInProgress | None = None
        #: what the running render has drawn so far, laid over the last picture
        self._partial: tuple[QImage, MapView] | None = None
        self._progress_timer = QTimer(self)
        self._progress_timer.setInterval(self.PROGRESS_MS)
        self._progress_timer.timeout.connect(self._show_progress)
        self._stale = self._redraw_here = False
        #: renders are numbered as they begin: a late one never covers a newer picture
        self._renders_begun = self._render_shown = 0
        self._watch = ProjectWatch(
            project_slots={"layers_changed": self._on_layers_changed},
            layer_slots={"features_changed": self._on_model_changed,
                         "display_changed": self._on_model_changed,
                         "selection_changed": self._on_model_changed})
        self._watch.watch(project)
        self.rendered.connect(self._index_ids)
        self.destroyed.connect(self._watch.close)
        self.destroyed.connect(self.renderer.drop_caches)  # its caches follow layers too

    # ----- project wiring -----------------------------------------------
    def set_project(self, project: Project) -> None:
        """Show another project.

        Parameters
        ----------
        project : Project
            The new project.
        """
        self.project = project
        self.renderer.set_project(project)
        self._watch.watch(project)
        self.zoom_to_full_extent()

    def _on_layers_changed(self) -> None:
        self.renderer.drop_caches(keep=self.project.layers)
        self.refresh()

    def _on_model_changed(self) -> None:
        self.refresh(immediate=True)

    def _index_ids(self) -> None:
        # the map is up: big layers index their ids now, off the GUI thread, so
        # the planner's first click finds the index ready (a no-op once built)
        for layer in self.project.layers:
            layer.index_ids()

    def active_layer(self) -> FeatureLayer | None:
        """Return the layer that selection tools act on.

        Returns
        -------
        FeatureLayer or None
            The active layer, if it exists.
        """
        if self.project.has_layer(self.active_layer_name):
            return self.project.layer(self.active_layer_name)
        return None

    # ----- tools --------------------------------------------------------
    def set_tool(self, tool: MapTool | None) -> None:
        """Make ``tool`` the active tool; the previous one is deactivated.

        Parameters
        ----------
        tool : MapTool or None
            The new tool.
        """
        if tool is self.tool:
            return
        if self.tool is not None:
            self.tool.deactivate()
        self.tool = tool
        if tool is not None:
            self.setCursor(tool.cursor)
            tool.activate()
        self.tool_changed.emit(tool)
        self.update()

    def set_admin_areas(self, on: bool) -> None:
        """Show or hide the bundled administrative boundaries, and remember the choice.

        Parameters
        ----------
        on : bool
            The View menu's check mark.
        """
        QSettings().setValue("map/admin_areas", "true" if on else "false")
        self.renderer.admin_areas = on
        self.refresh(immediate=True)

    # ----- rendering ----------------------------------------------------
    def refresh(self, immediate: bool = False) -> None:
        """Schedule a fresh render.

        Parameters
        ----------
        immediate : bool
            Render on the next event-loop turn instead of after the movement pause.
        """
        self._timer.start(0 if immediate else self.RENDER_DELAY_MS)

    def render_now(self) -> None:
        """Render the map for the current view and repaint."""
        self._timer.stop()
        self._stale = False
        self._renders_begun += 1
        self._render_shown = self._renders_begun
        self.view.width, self.view.height = max(1, self.width()), max(1, self.height())
        self._image = self.renderer.render(self.view)
        self._image_view = self.view.copy()
        self._partial = None
        self.update()
        self.rendered.emit()

    def rendering(self) -> bool:
        """Return whether a render is running off the GUI thread.

        Returns
        -------
        bool
            True until its picture is shown.
        """
        return self._job is not None

    def _render_due(self) -> None:
        if sum(len(layer) for layer in self.project.layers) < self.BACKGROUND_FEATURES:
            self.render_now()
            return
        self._timer.stop()
        self.view.width, self.view.height = max(1, self.width()), max(1, self.height())
        if self._job is not None:
            self._stale = True  # one more render once this one is in
            return
        self._stale = False
        self._renders_begun += 1
        self._drawing = MapInProgress(self.renderer, self.view.copy(), self._renders_begun)
        self._job = BackgroundJob(self._drawing.draw, self)
        self._job.succeeded.connect(self._on_background_render)
        self._job.failed.connect(self._on_background_failure)
        self._job.finished.connect(self._on_background_finished)
        self._job.start()
        self._progress_timer.start()

    def _show_progress(self) -> None:
        drawing = self._drawing
        if drawing is None or drawing.number < self._render_shown:
            return  # no render running, or a newer picture is already shown
        self._partial = (drawing.so_far(), drawing.view)
        self.update()
        self.partly_rendered.emit()

    def _on_background_render(self, drawing: MapInProgress) -> None:
        self._progress_timer.stop()
        self._partial = None
        if drawing.number < self._render_shown:
            self.update()
            return  # a newer picture is already shown
        # shown even when the view has moved on meanwhile: placed by its own view,
        # it is nearer the truth than the picture before it, until the next one
        self._image, self._image_view = drawing.image, drawing.view
        self._render_shown = drawing.number
        self.update()
        self.rendered.emit()

    def _on_background_failure(self, _message: str) -> None:
        # an edit changed the layers under the render: draw on the GUI thread instead
        self._redraw_here = True

    def _on_background_finished(self) -> None:
        self._progress_timer.stop()
        self._drawing = None
        if self._partial is not None:  # the render failed: its part drawn goes too
            self._partial = None
            self.update()
        job, self._job = self._job, None
        if job is not None:
            job.deleteLater()
        if self._redraw_here:
            self._redraw_here = False
            self.render_now()
        elif self._stale:
            self._render_due()

    def map_image(self) -> QImage:
        """Return the map as currently shown (rendered if needed), with overlays.

        Returns
        -------
        QImage
            The canvas content.
        """
        if self._timer.isActive() or self._image is None or self._job is not None:
            self.render_now()
        image = QImage(self.size(), QImage.Format.Format_ARGB32_Premultiplied)
        self.render(image)
        return image

    def paintEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        """Draw the last render, shifted or scaled to the current view, then overlays."""
        painter = QPainter(self)
        painter.fillRect(self.rect(), BACKGROUND)
        if self._image is not None and self._image_view is not None:
            self._draw_picture(painter, self._image, self._image_view)
        if self._partial is not None:
            self._draw_picture(painter, *self._partial)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        draw_scale_bar(painter, self.view)
        if self.tool is not None:
            self.tool.paint(painter)
        painter.end()

    def _draw_picture(self, painter: QPainter, image: QImage, view: MapView) -> None:
        """Draw a picture rendered for ``view``, shifted and scaled to the current view."""
        scale = view.resolution / self.view.resolution
        px, py = self.view.to_pixel(*view.to_map(0, 0))
        target = QRectF(float(px), float(py), view.width * scale, view.height * scale)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, scale != 1.0)
        painter.drawImage(target, image)

    def resizeEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        """Keep the view's pixel size in step with the widget."""
        first = self._image is None
        self.view.width, self.view.height = max(1, self.width()), max(1, self.height())
        if first and self.isVisible():
            self.zoom_to_full_extent()
        self.refresh()
        self.view_changed.emit()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """Preferred size."""
        return QSize(1000, 700)

    # ----- navigation ---------------------------------------------------
    def pan_pixels(self, dx: float, dy: float) -> None:
        """Move the map with a drag; the old image is shifted until the next render.

        Parameters
        ----------
        dx, dy : float
            Drag in pixels.
        """
        self.view.pan_pixels(dx, dy)
        self.update()
        self.view_changed.emit()

    def zoom_at(self, px: float, py: float, factor: float) -> None:
        """Zoom around a pixel.

        Parameters
        ----------
        px, py : float
            Anchor pixel.
        factor : float
            >1 zooms in.
        """
        self.view.zoom_at(px, py, factor)
        self.update()
        self.refresh()
        self.view_changed.emit()

    def zoom_to_pixel_rect(self, rect: QRectF) -> None:
        """Show the area of a pixel rectangle.

        Parameters
        ----------
        rect : QRectF
            Rectangle in canvas pixels.
        """
        x0, y0 = self.view.to_map(rect.left(), rect.bottom())
        x1, y1 = self.view.to_map(rect.right(), rect.top())
        self.view.fit(float(x0), float(y0), float(x1), float(y1), margin=0.0, min_span=20)
        self.update()
        self.refresh()
        self.view_changed.emit()

    def zoom_to_lonlat_bounds(self, bounds: tuple[float, float, float, float],
                              min_span: float = 800.0) -> None:
        """Fit a lon/lat rectangle.

        Parameters
        ----------
        bounds : tuple of float
            (lon_min, lat_min, lon_max, lat_max).
        min_span : float
            Smallest span in metres, so one point is not over-zoomed.
        """
        if not all(np.isfinite(bounds)):
            return
        self.view.width, self.view.height = max(1, self.width()), max(1, self.height())
        self.view.fit_lonlat(*bounds, min_span=min_span)
        self.update()
        self.refresh(immediate=True)
        self.view_changed.emit()

    def zoom_to_full_extent(self) -> None:
        """Fit every layer."""
        # each layer's bounds from its geometry array: no Python object per feature
        bounds = np.array([shapely.total_bounds(layer.frame.geometry.to_numpy())
                           for layer in self.project.layers if len(layer)]).reshape(-1, 4)
        bounds = bounds[np.isfinite(bounds).all(axis=1)]
        if len(bounds):
            self.zoom_to_lonlat_bounds((float(bounds[:, 0].min()), float(bounds[:, 1].min()),
                                        float(bounds[:, 2].max()), float(bounds[:, 3].max())))
        else:
            self.zoom_to_lonlat_bounds((73.5, 18.0, 135.0, 53.5))

    def zoom_to_layer(self, layer: FeatureLayer) -> None:
        """Fit one layer.

        Parameters
        ----------
        layer : FeatureLayer
            The layer.
        """
        if len(layer):
            self.zoom_to_lonlat_bounds(tuple(layer.frame.total_bounds))

    def zoom_to_selection(self) -> None:
        """Fit the selected features of every layer."""
        geoms = []
        for layer in self.project.layers:
            for fid in layer.selected_ids:
                geoms.append(layer.frame.geometry.iloc[layer.row_of(fid)])
        if geoms:
            self.zoom_to_lonlat_bounds(tuple(shapely.total_bounds(geoms)))

    def zoom_to_features(self, layer: FeatureLayer, ids: list[str],
                         min_span: float = 600.0) -> None:
        """Fit some features of a layer.

        Parameters
        ----------
        layer : FeatureLayer
            The layer.
        ids : list of str
            Feature ids.
        min_span : float
            Smallest span in metres.
        """
        geoms = [layer.frame.geometry.iloc[layer.row_of(i)] for i in ids]
        if geoms:
            self.zoom_to_lonlat_bounds(tuple(shapely.total_bounds(geoms)), min_span=min_span)

    def center_on_lonlat(self, lon: float, lat: float) -> None:
        """Centre the view on a lon/lat position without changing the scale.

        Parameters
        ----------
        lon, lat : float
            Degrees.
        """
        x, y = lonlat_to_mercator(lon, lat)
        self.view.cx, self.view.cy = float(x), float(y)
        self.update()
        self.refresh(immediate=True)
        self.view_changed.emit()

    # ----- picking ------------------------------------------------------
    def feature_at(self, px: float, py: float) -> tuple[str, str] | None:
        """Return (layer name, feature id) of the top-most visible feature at a pixel.

        Parameters
        ----------
        px, py : float
            Canvas pixel.

        Returns
        -------
        tuple of str or None
            The hit, or None.
        """
        mx, my = self.view.to_map(px, py)
        tolerance = PICK_TOLERANCE_PX * self.view.resolution
        for layer in reversed(self.project.layers):
            if not layer.visible or len(layer) == 0:
                continue
            row = self.renderer.cache(layer).pick(float(mx), float(my), tolerance)
            hidden = hidden_rows(layer)
            if row is not None and (hidden is None or not hidden[row]):
                return layer.name, str(layer.frame["id"].iat[row])
        return None

    # ----- events -------------------------------------------------------
    def _map_event(self, event: QMouseEvent, button: Qt.MouseButton | None = None
                   ) -> MapMouseEvent:
        pos = event.position()
        mx, my = self.view.to_map(pos.x(), pos.y())
        lon, lat = mercator_to_lonlat(mx, my)
        return MapMouseEvent(pos.x(), pos.y(), float(mx), float(my), float(lon), float(lat),
                             event.button() if button is None else button, event.modifiers())

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        """Forward to the tool; the middle button always pans."""
        self.setFocus()
        if event.button() == Qt.MouseButton.MiddleButton:
            self._middle = (event.position().x(), event.position().y())
            return
        if self.tool is not None:
            self.tool.press(self._map_event(event))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        """Report the cursor position and forward to the tool."""
        e = self._map_event(event)
        self.cursor_moved.emit(e.lon, e.lat)
        middle = getattr(self, "_middle", None)
        if middle is not None:
            self.pan_pixels(e.px - middle[0], e.py - middle[1])
            self._middle = (e.px, e.py)
            return
        if self.tool is not None:
            self.tool.move(e)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        """Forward to the tool."""
        if event.button() == Qt.MouseButton.MiddleButton:
            self._middle = None
            self.refresh()
            return
        if self.tool is not None:
            self.tool.release(self._map_event(event))

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        """Forward to the tool."""
        if self.tool is not None:
            self.tool.double_click(self._map_event(event))

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt override
        """Ask for the map's context menu, unless the active tool uses the right button."""
        if self.tool is not None and self.tool.uses_right_button:
            return
        self.context_menu_requested.emit(float(event.pos().x()), float(event.pos().y()))
        event.accept()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt override
        """Zoom around the cursor: one notch is a factor of 1.5."""
        steps = event.angleDelta().y() / 120.0
        if steps:
            pos = event.position()
            self.zoom_at(pos.x(), pos.y(), 1.5**steps)

    def keyPressEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        """Let the tool handle keys first; arrow keys pan."""
        if self.tool is not None and self.tool.key_press(event):
            return
        step = 80
        moves = {Qt.Key.Key_Left: (step, 0), Qt.Key.Key_Right: (-step, 0),
                 Qt.Key.Key_Up: (0, step), Qt.Key.Key_Down: (0, -step)}
        if event.key() in moves:
            self.pan_pixels(*moves[event.key()])
            self.refresh()
            return
        super().keyPressEvent(event)

    def pixel_of(self, lon: float, lat: float) -> QPointF:
        """Return the canvas pixel of a lon/lat position.

        Parameters
        ----------
        lon, lat : float
            Degrees.

        Returns
        -------
        QPointF
            Pixel.
        """
        return QPointF(*self.view.lonlat_to_pixel(lon, lat))

