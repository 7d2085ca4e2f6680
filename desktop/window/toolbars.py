"""The toolbars: map tools, editing tools with undo and redo, zooming, and search."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QLineEdit, QToolBar

from desktop.i18n import tr
from desktop.tools.edit_tools import EDIT_TOOLS, AddFacilityTool
from desktop.tools.map_tools import NAVIGATION_TOOLS, IdentifyTool, MapTool, MeasureTool

if TYPE_CHECKING:
    from desktop.main_window import MainWindow


class Toolbars:
    """Every map tool with its checkable action, on the map and editing toolbars.

    As in QGIS, the canvas sends mouse events to the active tool only; the
    toolbar's checked action follows the canvas's tool.

    Parameters
    ----------
    window : MainWindow
        The window to add the toolbars to; its editor and edit actions exist.
    """

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        canvas = window.canvas
        self.tools: dict[str, MapTool] = {}
        self.tool_actions: dict[str, QAction] = {}
        self._tool_group = QActionGroup(window)
        self._tool_group.setExclusive(True)
        self.map_toolbar = self._toolbar("MapToolsToolbar")
        for cls in NAVIGATION_TOOLS:
            self.add_tool(cls(canvas))
        identify = self.tools["identify"]
        assert isinstance(identify, IdentifyTool)
        identify.identified.connect(window.show_identified)
        measure = self.tools["measure"]
        assert isinstance(measure, MeasureTool)
        measure.measured.connect(window.status.show_measured)
        self.tools["measure_area"].measured.connect(self._show_area)
        self.edit_toolbar = self._toolbar("EditToolbar")
        for cls in EDIT_TOOLS:
            self.add_tool(cls(canvas, window.editor), self.edit_toolbar)
        add = self.tools["add_facility"]
        assert isinstance(add, AddFacilityTool)
        add.feature_added.connect(lambda fid: window.show_identified("facilities", fid))
        self.edit_toolbar.addSeparator()
        edits = window.edit_actions
        for action in (edits.undo_action, edits.redo_action, edits.delete_action):
            self.edit_toolbar.addAction(action)
        self.map_toolbar.addSeparator()
        self.zoom_full_action = self.map_toolbar.addAction("", canvas.zoom_to_full_extent)
        self.zoom_full_action.setShortcut(QKeySequence("Ctrl+Shift+F"))
        self.zoom_layer_action = self.map_toolbar.addAction(
            "", window.navigation.zoom_to_current_layer)
        self.zoom_selection_action = self.map_toolbar.addAction("", canvas.zoom_to_selection)
        self.zoom_selection_action.setShortcut(QKeySequence("Ctrl+J"))
        self.search_toolbar = QToolBar(window)
        self.search_toolbar.setObjectName("SearchToolbar")
        window.addToolBar(self.search_toolbar)
        self.search_box = QLineEdit()
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMinimumWidth(220)
        self.search_box.returnPressed.connect(lambda: window.search(self.search_box.text()))
        self.search_toolbar.addWidget(self.search_box)
        canvas.tool_changed.connect(self._check_active_tool)

    def fit_to_width(self, width: int) -> None:
        """Wrap the toolbars onto a second row when one row would hide tools.

        On a 1280-pixel screen the map, editing and search toolbars do not fit
        side by side: Qt would fold the last tools behind a » button. The
        editing toolbar (and the search box after it) then starts a new row; on
        a wide window they share one row again.

        Parameters
        ----------
        width : int
            The window's width in pixels.
        """
        window = self.window
        bars = (self.map_toolbar, self.edit_toolbar, self.search_toolbar)
        if any(window.toolBarArea(bar) != Qt.ToolBarArea.TopToolBarArea or bar.isFloating()
               for bar in bars):
            return  # the planner arranged them: leave it so
        needed = sum(bar.sizeHint().width() for bar in bars) + 24
        wrap = needed > width
        if wrap != window.toolBarBreak(self.edit_toolbar):
            if wrap:
                window.insertToolBarBreak(self.edit_toolbar)
            else:
                window.removeToolBarBreak(self.edit_toolbar)

    def _show_area(self, layer_name: str, feature_id: str, m2: float) -> None:
        from desktop.tools.map_tools import format_area

        status = self.window.status
        if not layer_name:
            status.show_message(tr("Click inside a boundary or other area to measure it"), 4000)
            return
        name = self.window.project.layer(layer_name).feature(feature_id).get("name") or ""
        status.show_message(f"{tr('Area')} ({tr('geodesic')}) {name}: {format_area(m2)}")

    def _toolbar(self, name: str) -> QToolBar:
        bar = QToolBar(self.window)
        bar.setObjectName(name)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.window.addToolBar(bar)
        return bar

    def add_tool(self, tool: MapTool, toolbar: QToolBar | None = None) -> QAction:
        """Register a map tool and give it a checkable toolbar action.

        Parameters
        ----------
        tool : MapTool
            The tool.
        toolbar : QToolBar, optional
            Where its action goes; the map toolbar by default.

        Returns
        -------
        QAction
            Its action.
        """
        self.tools[tool.tool_id] = tool
        action = QAction(self.window)
        action.setCheckable(True)
        action.setData(tool.tool_id)
        if tool.shortcut:
            action.setShortcut(QKeySequence(tool.shortcut))
        action.triggered.connect(lambda _=False, t=tool.tool_id: self.set_tool(t))
        self._tool_group.addAction(action)
        (toolbar or self.map_toolbar).addAction(action)
        self.tool_actions[tool.tool_id] = action
        return action

    def set_tool(self, tool_id: str) -> None:
        """Activate a map tool by id.

        Parameters
        ----------
        tool_id : str
            A registered tool id.
        """
        self.window.canvas.set_tool(self.tools[tool_id])

    def _check_active_tool(self, tool: MapTool | None) -> None:
        for tool_id, action in self.tool_actions.items():
            action.setChecked(tool is not None and tool.tool_id == tool_id)

    def retranslate(self) -> None:
        """Set the tools' and toolbars' texts in the current language."""
        for tool_id, action in self.tool_actions.items():
            tool = self.tools[tool_id]
            action.setText(tr(tool.action_text))
            tip = tr(tool.tool_tip)
            if tool.shortcut:
                tip += f" ({tool.shortcut})"
            action.setToolTip(tip)
        self.zoom_full_action.setText(tr("Zoom Full"))
        self.zoom_layer_action.setText(tr("Zoom to Layer"))
        self.zoom_selection_action.setText(tr("Zoom to Selection"))
        self.search_box.setPlaceholderText(tr("Find a community or facility…"))
        self.edit_toolbar.setWindowTitle(tr("Editing"))
        self.map_toolbar.setWindowTitle(tr("Map Tools"))
        self.search_toolbar.setWindowTitle(tr("Search"))
