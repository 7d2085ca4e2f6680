"""The map-tool interface the canvas drives (as ``QgsMapTool`` is to ``QgsMapCanvas``).

The canvas defines what a tool is and sends it press, move, release and
double-click events, already in map coordinates, while it is the active tool.
Concrete tools live in :mod:`desktop.tools` and import this base class, so the
canvas never depends on them.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeyEvent, QPainter

#: how far from a feature, in screen pixels, a click still picks it
PICK_TOLERANCE_PX = 7


@dataclass
class MapMouseEvent:
    """A mouse event in both pixel and map coordinates.

    Attributes
    ----------
    px, py : float
        Pixel position in the canvas.
    mx, my : float
        Web Mercator metres.
    lon, lat : float
        Degrees (EPSG:4326).
    button : Qt.MouseButton
        The button pressed or released.
    modifiers : Qt.KeyboardModifier
        Keyboard modifiers.
    """

    px: float
    py: float
    mx: float
    my: float
    lon: float
    lat: float
    button: Qt.MouseButton
    modifiers: Qt.KeyboardModifier


class MapTool(QObject):
    """Base class: a canvas interaction with toolbar metadata.

    Parameters
    ----------
    canvas : MapCanvas
        The canvas the tool works on.
    """

    tool_id = "tool"
    icon = ""
    action_text = "Tool"
    tool_tip = ""
    shortcut = ""
    cursor = Qt.CursorShape.ArrowCursor
    #: the tool itself handles right-clicks, so the canvas shows no context menu
    uses_right_button = False

    def __init__(self, canvas: object) -> None:
        super().__init__()
        self.canvas = canvas

    def activate(self) -> None:
        """Prepare the tool when it becomes the canvas's active tool."""

    def deactivate(self) -> None:
        """Drop any half-done work when another tool takes over."""

    def press(self, event: MapMouseEvent) -> None:
        """Handle a mouse press."""

    def move(self, event: MapMouseEvent) -> None:
        """Handle a mouse move (with or without a button held)."""

    def release(self, event: MapMouseEvent) -> None:
        """Handle a mouse release."""

    def double_click(self, event: MapMouseEvent) -> None:
        """Handle a double click."""

    def key_press(self, event: QKeyEvent) -> bool:
        """Handle a key; return True when consumed."""
        return False

    def paint(self, painter: QPainter) -> None:
        """Draw the tool's overlay (rubber bands, vertices) on the canvas."""
