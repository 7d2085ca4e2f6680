"""Editing map tools: add a facility, move a feature, draw and edit boundaries."""

from __future__ import annotations

from collections.abc import Callable

import shapely
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox

from desktop.canvas.map_tool import MapMouseEvent, MapTool
from desktop.canvas.symbols import category_sprite
from desktop.dialogs.facility_form import FacilityForm
from desktop.i18n import tr
from desktop.tools.edit_tools_support import ask_yes_no
from layers.analysis.nearby import DEFAULT_WALK_M, community_for_point, nearby_duplicates

VERTEX_TOLERANCE_PX = 8


class AddFacilityTool(MapTool):
    """Click on the map to add a facility there; a form asks for its attributes.

    The form is prefilled only with what the click shows: the community whose
    boundary covers the click, or whose point is within the chosen walk
    (:attr:`walk_m`), and the precision ``placed-on-map``.
    """

    tool_id = "add_facility"
    icon = "add"
    action_text = "Add Facility"
    tool_tip = "Click on the map to add a facility"
    shortcut = "Ctrl+."
    cursor = Qt.CursorShape.CrossCursor

    #: id of the facility added
    feature_added = Signal(str)

    def __init__(self, canvas: object, editor: object) -> None:
        super().__init__(canvas)
        self.editor = editor
        #: the straight-line reach of the chosen walk, in metres (the window hands
        #: on the checklist's walk time and preset)
        self.walk_m: Callable[[], float] = lambda: DEFAULT_WALK_M

    def release(self, event: MapMouseEvent) -> None:
        """Open the form at the clicked position; OK adds, Esc or Cancel adds nothing."""
        if event.button != Qt.MouseButton.LeftButton:
            return
        project = self.canvas.project
        values = {
            "category": self.editor.last_category,
            "community": community_for_point(project, event.lon, event.lat, self.walk_m()),
            "location_precision": "placed-on-map",
        }
        names = sorted(project.communities.frame["name"].dropna().unique().tolist())
        form = FacilityForm(names, values, (event.lon, event.lat), self.canvas.window())
        self.last_form = form
        if form.exec() != QDialog.DialogCode.Accepted:
            return
        entered = form.values()
        dupes = nearby_duplicates(project, entered["name"], event.lon, event.lat)
        if dupes and not ask_yes_no(
                self.canvas.window(), tr("Possible duplicate"),
                tr("A facility named “{name}” is already {distance} m away. Add it anyway?")
                .format(name=entered["name"], distance=f"{dupes[0][1]:.0f}")):
            return
        fid = self.editor.add_facility(entered, event.lon, event.lat)
        self.feature_added.emit(fid)


class MoveFeatureTool(MapTool):
    """Drag a facility (or community point) to a new place."""

    tool_id = "move_feature"
    icon = "move"
    action_text = "Move Feature"
    tool_tip = "Drag a facility or community to move it"
    shortcut = "Ctrl+Alt+M"
    cursor = Qt.CursorShape.SizeAllCursor

    def __init__(self, canvas: object, editor: object) -> None:
        super().__init__(canvas)
        self.editor = editor
        self._dragging: tuple[str, str] | None = None
        self._pos: QPointF | None = None

    def press(self, event: MapMouseEvent) -> None:
        """Grab the point feature under the cursor."""
        if event.button != Qt.MouseButton.LeftButton:
            return
        hit = self.canvas.feature_at(event.px, event.py)
        if hit and hit[0] in ("facilities", "communities"):
            self._dragging = hit
            self._pos = QPointF(event.px, event.py)

    def move(self, event: MapMouseEvent) -> None:
        """Show the feature under the cursor while dragging."""
        if self._dragging:
            self._pos = QPointF(event.px, event.py)
            self.canvas.update()

    def release(self, event: MapMouseEvent) -> None:
        """Drop: one undoable move."""
        if not self._dragging:
            return
        layer_name, fid = self._dragging
        self._dragging = None
        self.canvas.update()
        old = self.canvas.project.layer(layer_name).feature(fid)["geometry"]
        px, py = self.canvas.pixel_of(old.x, old.y).x(), self.canvas.pixel_of(old.x, old.y).y()
        if abs(px - event.px) < 2 and abs(py - event.py) < 2:
            return
        self.editor.move_feature(layer_name, fid, shapely.Point(event.lon, event.lat), old)

    def deactivate(self) -> None:
        """Drop an unfinished drag."""
        self._dragging = None

    def paint(self, painter: QPainter) -> None:
        """Draw the dragged marker."""
        if self._dragging and self._pos is not None:
            layer_name, fid = self._dragging
            cat = self.canvas.project.layer(layer_name).feature(fid).get("category") or "other"
            sprite = category_sprite(cat, 16, halo="#ffd400")
            painter.drawImage(self._pos - QPointF(sprite.width() / 2, sprite.height() / 2),
                              sprite)


class DrawBoundaryTool(MapTool):
    """Click vertices of a community boundary; double-click finishes, Backspace undoes one."""

    tool_id = "draw_boundary"
    icon = "polygon"
    action_text = "Draw Community Boundary"
    tool_tip = "Click vertices; double-click to finish; Backspace removes the last; Esc cancels"
    shortcut = "Ctrl+Alt+B"
    cursor = Qt.CursorShape.CrossCursor

    #: id of the boundary added
    boundary_added = Signal(str)

    def __init__(self, canvas: object, editor: object) -> None:
        super().__init__(canvas)
        self.editor = editor
        self.vertices: list[tuple[float, float]] = []
        self._hover: tuple[float, float] | None = None

    def press(self, event: MapMouseEvent) -> None:
        """Add a vertex."""
        if event.button == Qt.MouseButton.LeftButton:
            self.vertices.append((event.lon, event.lat))
            self.canvas.update()

    def move(self, event: MapMouseEvent) -> None:
        """Rubber-band the next edge."""
        self._hover = (event.lon, event.lat)
        if self.vertices:
            self.canvas.update()

    def double_click(self, event: MapMouseEvent) -> None:
        """Finish the polygon (the double click's second press added a duplicate)."""
        if len(self.vertices) >= 2 and self.vertices[-1] == self.vertices[-2]:
            self.vertices.pop()
        self.finish()

    def key_press(self, event: QKeyEvent) -> bool:
        """Backspace removes the last vertex, Esc cancels, Enter finishes."""
        if event.key() == Qt.Key.Key_Backspace and self.vertices:
            self.vertices.pop()
        elif event.key() == Qt.Key.Key_Escape:
            self.vertices = []
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.finish()
        else:
            return False
        self.canvas.update()
        return True

    def finish(self) -> str | None:
        """Build the polygon, ask for its community and add it.

        Returns
        -------
        str or None
            The boundary's id, or None when cancelled or invalid.
        """
        vertices, self.vertices = self.vertices, []
        self.canvas.update()
        if len(vertices) < 3:
            return None
        polygon = shapely.Polygon(vertices)
        if not polygon.is_valid:
            QMessageBox.warning(self.canvas.window(), tr("Invalid boundary"),
                                tr("The boundary crosses itself; draw it again."))
            return None
        project = self.canvas.project
        names = sorted(project.communities.frame["name"].dropna().unique().tolist())
        centre = polygon.representative_point()
        guess = community_for_point(project, centre.x, centre.y)
        if names:
            if guess not in names:  # nothing near: the planner chooses, nothing is invented
                names, guess = ["", *names], ""
            index = names.index(guess)
            name, ok = QInputDialog.getItem(self.canvas.window(), tr("Community boundary"),
                                            tr("Community:"), names, index, True)
        else:
            name, ok = QInputDialog.getText(self.canvas.window(), tr("Community boundary"),
                                            tr("Community:"))
        if not ok or not name.strip():
            return None
        fid = self.editor.add_boundary(polygon, name.strip())
        self.boundary_added.emit(fid)
        return fid

    def deactivate(self) -> None:
        """Drop an unfinished outline."""
        self.vertices = []

    def paint(self, painter: QPainter) -> None:
        """Draw the outline so far."""
        if not self.vertices:
            return
        pts = [self.canvas.pixel_of(lon, lat) for lon, lat in self.vertices]
        if self._hover:
            pts.append(self.canvas.pixel_of(*self._hover))
        painter.setPen(QPen(QColor("#e4572e"), 2, Qt.PenStyle.DashLine))
        painter.setBrush(QColor(228, 87, 46, 40))
        painter.drawPolygon(QPolygonF(pts))
        painter.setPen(QPen(QColor("#e4572e"), 1.5))
        painter.setBrush(QColor("#ffffff"))
        for p in pts[: len(self.vertices)]:
            painter.drawEllipse(p, 4, 4)


class EditBoundaryTool(MapTool):
    """Drag a boundary vertex to move it; Shift-click a vertex to delete it."""

    tool_id = "edit_boundary"
    icon = "vertex"
    action_text = "Edit Boundary Vertices"
    tool_tip = "Drag a vertex to move it; Shift-click a vertex to delete it"
    shortcut = "Ctrl+Alt+V"
    cursor = Qt.CursorShape.PointingHandCursor

    def __init__(self, canvas: object, editor: object) -> None:
        super().__init__(canvas)
        self.editor = editor
        self._grab: tuple[str, int] | None = None
        self._pos: tuple[float, float] | None = None

    def _boundaries(self) -> object:
        project = self.canvas.project
        return project.layer("boundaries") if project.has_layer("boundaries") else None

    def _vertex_at(self, px: float, py: float) -> tuple[str, int] | None:
        layer = self._boundaries()
        if layer is None or not layer.visible:
            return None
        best = None
        for fid, geom in zip(layer.frame["id"], layer.frame.geometry, strict=True):
            poly = _outer(geom)
            if poly is None:
                continue
            coords = list(poly.exterior.coords)[:-1]
            for k, (lon, lat) in enumerate(coords):
                p = self.canvas.pixel_of(lon, lat)
                d = (p.x() - px) ** 2 + (p.y() - py) ** 2
                if d <= VERTEX_TOLERANCE_PX**2 and (best is None or d < best[0]):
                    best = (d, fid, k)
        return (best[1], best[2]) if best else None

    def press(self, event: MapMouseEvent) -> None:
        """Grab a vertex, or delete it with Shift."""
        if event.button != Qt.MouseButton.LeftButton:
            return
        hit = self._vertex_at(event.px, event.py)
        if hit is None:
            return
        if event.modifiers & Qt.KeyboardModifier.ShiftModifier:
            self._replace_vertex(hit, None)
        else:
            self._grab = hit
            self._pos = (event.lon, event.lat)

    def move(self, event: MapMouseEvent) -> None:
        """Follow the cursor."""
        if self._grab:
            self._pos = (event.lon, event.lat)
            self.canvas.update()

    def release(self, event: MapMouseEvent) -> None:
        """Drop the vertex: one undoable edit."""
        if self._grab:
            grab, self._grab = self._grab, None
            self._replace_vertex(grab, (event.lon, event.lat))
            self.canvas.update()

    def _replace_vertex(self, hit: tuple[str, int], lonlat: tuple[float, float] | None) -> None:
        fid, k = hit
        layer = self._boundaries()
        old = layer.feature(fid)["geometry"]
        poly = _outer(old)
        coords = list(poly.exterior.coords)[:-1]
        if lonlat is None:
            if len(coords) <= 3:
                return
            del coords[k]
        else:
            coords[k] = lonlat
        new = shapely.Polygon(coords, [list(r.coords) for r in poly.interiors])
        if not new.is_valid:
            QMessageBox.warning(self.canvas.window(), tr("Invalid boundary"),
                                tr("That change would make the boundary cross itself."))
            return
        self.editor.move_feature("boundaries", fid, new, old)

    def paint(self, painter: QPainter) -> None:
        """Show the vertices of every boundary."""
        layer = self._boundaries()
        if layer is None:
            return
        painter.setPen(QPen(QColor("#1d3557"), 1.2))
        painter.setBrush(QColor("#ffffff"))
        for geom in layer.frame.geometry:
            poly = _outer(geom)
            if poly is None:
                continue
            for lon, lat in list(poly.exterior.coords)[:-1]:
                painter.drawRect(self.canvas.pixel_of(lon, lat).x() - 3,
                                 self.canvas.pixel_of(lon, lat).y() - 3, 6, 6)
        if self._grab and self._pos:
            painter.setBrush(QColor("#ffd400"))
            p = self.canvas.pixel_of(*self._pos)
            painter.drawEllipse(p, 5, 5)


def _outer(geom: shapely.Geometry) -> shapely.Polygon | None:
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type == "MultiPolygon":
        return max(geom.geoms, key=lambda g: g.area)
    return geom if geom.geom_type == "Polygon" else None


EDIT_TOOLS = (AddFacilityTool, MoveFeatureTool, DrawBoundaryTool, EditBoundaryTool)


class PlaceArticleTool(MapTool):
    """One click places an article's new communities (and their facilities) around it."""

    tool_id = "place_article"
    icon = "place"
    action_text = "Place Article"
    tool_tip = "Click where the article's communities are; they are marked approximate"
    shortcut = ""
    cursor = Qt.CursorShape.CrossCursor

    def __init__(self, canvas: object, place: object) -> None:
        super().__init__(canvas)
        self.place = place  # callable(lon, lat)
        self.pending = False

    def release(self, event: MapMouseEvent) -> None:
        """Place everything around the click, as one undoable edit."""
        if event.button == Qt.MouseButton.LeftButton and self.pending:
            self.pending = False
            self.place(event.lon, event.lat)
