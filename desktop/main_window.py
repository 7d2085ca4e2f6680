"""The main window: canvas in the centre, docks around it, tools on the toolbar."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDockWidget,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QTabBar,
    QToolBar,
    QUndoView,
    QWidget,
)

from desktop.canvas.canvas import MapCanvas
from desktop.docks.attribute_panel import AttributePanel
from desktop.docks.checklist_panel import ChecklistPanel
from desktop.docks.feature_table import FeatureTablePanel
from desktop.docks.layer_panel import LayerPanel
from desktop.docks.navigator import CommunityNavigator
from desktop.editing.editor import Editor
from desktop.i18n import install_language, preferred_language, tr
from desktop.tools.edit_tools import EDIT_TOOLS, AddFacilityTool
from desktop.tools.map_tools import NAVIGATION_TOOLS, IdentifyTool, MapTool, MeasureTool
from layers.io.project_file import ProjectFileError
from layers.model.events import FeaturesChanged, ProjectWatch
from layers.model.project import Project

APP_TITLE = "Community Facility Mapper"
#: Walking areas along roads take ~10 ms each; beyond this, use circles or a selection.
MAX_NETWORK_FACILITIES = 5000


class MainWindow(QMainWindow):
    """The desktop GIS window over one project.

    Parameters
    ----------
    project : Project
        The project to show.
    basemap : bool
        Draw the online basemap (off in tests and when the planner turns it off).
    """

    def __init__(self, project: Project, basemap: bool | None = None) -> None:
        super().__init__()
        self.setObjectName("MainWindow")
        self.project = project
        self.language = preferred_language()
        self.canvas = MapCanvas(project, self)
        self.setCentralWidget(self.canvas)
        if basemap is None:
            basemap = QSettings().value("map/basemap", "true") == "true" and not os.environ.get(
                "FACILITY_MAPPER_NO_BASEMAP")
        self.basemap = None
        if basemap:
            self.enable_basemap(QSettings().value("map/tile_url", "") or None)
        self.tools: dict[str, MapTool] = {}
        self.tool_actions: dict[str, QAction] = {}
        self.editor = Editor(project, self)
        self.editor.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.editor.autosaved.connect(
            lambda when: self.statusBar().showMessage(tr("Recovery copy saved at") + f" {when}",
                                                      3000))
        self._build_docks()
        self._build_tools()
        self._build_menus()
        self._build_status_bar()
        self.canvas.tool_changed.connect(self._on_tool_changed)
        self.canvas.cursor_moved.connect(self._on_cursor_moved)
        self.canvas.view_changed.connect(self._update_scale)
        self._watch = ProjectWatch(
            project_slots={"modified_changed": self._update_title},
            layer_slots={"selection_changed": self._update_selection_label,
                         "features_changed": self._on_names_changed})
        self._watch.watch(project)
        self.destroyed.connect(self._watch.close)
        self.set_tool("pan")
        self.retranslate()
        self._restore_layout()
        QTimer.singleShot(0, self.canvas.zoom_to_full_extent)

    # ----- construction -------------------------------------------------
    def _dock(self, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self) -> None:
        self.layer_panel = LayerPanel(self.project)
        self.layer_panel.zoom_to_layer_requested.connect(
            lambda name: self.canvas.zoom_to_layer(self.project.layer(name)))
        self.layer_panel.current_layer_changed.connect(self._on_current_layer)
        self.navigator = CommunityNavigator(self.project)
        self.navigator.community_chosen.connect(self.fly_to_community)
        self.attributes = AttributePanel(self.project)
        self.attributes.open_article_requested.connect(self._open_article)
        self.table = FeatureTablePanel(self.project)
        self.table.zoom_requested.connect(self._zoom_to_feature)
        self.attributes.edit_requested.connect(self.editor.change_attribute)
        self.table.edit_requested.connect(self.editor.change_attribute)
        self.undo_view = QUndoView(self.editor.stack)
        self.checklist = ChecklistPanel(self.project)
        self.checklist.warnings_changed.connect(self._show_warnings)
        self.checklist.community_chosen.connect(self.fly_to_community)
        self.layers_dock = self._dock("LayersDock", self.layer_panel,
                                      Qt.DockWidgetArea.LeftDockWidgetArea)
        self.navigator_dock = self._dock("CommunitiesDock", self.navigator,
                                         Qt.DockWidgetArea.LeftDockWidgetArea)
        self.attributes_dock = self._dock("AttributesDock", self.attributes,
                                          Qt.DockWidgetArea.RightDockWidgetArea)
        self.table_dock = self._dock("TableDock", self.table,
                                     Qt.DockWidgetArea.BottomDockWidgetArea)
        self.history_dock = self._dock("UndoHistoryDock", self.undo_view,
                                       Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(self.attributes_dock, self.history_dock)
        self.checklist_dock = self._dock("ChecklistDock", self.checklist,
                                         Qt.DockWidgetArea.BottomDockWidgetArea)
        self.tabifyDockWidget(self.table_dock, self.checklist_dock)
        self.table_dock.raise_()
        self.attributes_dock.raise_()
        self.resizeDocks([self.layers_dock, self.attributes_dock], [260, 340],
                         Qt.Orientation.Horizontal)
        self.resizeDocks([self.table_dock], [220], Qt.Orientation.Vertical)

    def _update_undo_tips(self, *_: object) -> None:
        stack = self.editor.stack
        for action, label, what in ((self.undo_action, tr("Undo"), stack.undoText()),
                                    (self.redo_action, tr("Redo"), stack.redoText())):
            action.setToolTip(f"{label}: {what}" if what else label)
            action.setStatusTip(action.toolTip())

    def add_tool(self, tool: MapTool, toolbar: QToolBar | None = None) -> QAction:
        """Register a map tool and give it a checkable toolbar action.

        Parameters
        ----------
        tool : MapTool
            The tool.

        Returns
        -------
        QAction
            Its action.
        """
        self.tools[tool.tool_id] = tool
        action = QAction(self)
        action.setCheckable(True)
        action.setData(tool.tool_id)
        if tool.shortcut:
            action.setShortcut(QKeySequence(tool.shortcut))
        action.triggered.connect(lambda _=False, t=tool.tool_id: self.set_tool(t))
        self._tool_group.addAction(action)
        (toolbar or self.map_toolbar).addAction(action)
        self.tool_actions[tool.tool_id] = action
        return action

    def _build_tools(self) -> None:
        self.map_toolbar = QToolBar(self)
        self.map_toolbar.setObjectName("MapToolsToolbar")
        self.map_toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(self.map_toolbar)
        self._tool_group = QActionGroup(self)
        self._tool_group.setExclusive(True)
        for cls in NAVIGATION_TOOLS:
            self.add_tool(cls(self.canvas))
        identify = self.tools["identify"]
        assert isinstance(identify, IdentifyTool)
        identify.identified.connect(self.show_identified)
        measure = self.tools["measure"]
        assert isinstance(measure, MeasureTool)
        measure.measured.connect(self._on_measured)
        self.edit_toolbar = QToolBar(self)
        self.edit_toolbar.setObjectName("EditToolbar")
        self.edit_toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(self.edit_toolbar)
        for cls in EDIT_TOOLS:
            self.add_tool(cls(self.canvas, self.editor), self.edit_toolbar)
        add = self.tools["add_facility"]
        assert isinstance(add, AddFacilityTool)
        add.feature_added.connect(lambda fid: self.show_identified("facilities", fid))
        # short labels that follow the language; what would be undone is in the tooltip
        stack = self.editor.stack
        self.undo_action = QAction(self)
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.undo_action.triggered.connect(stack.undo)
        stack.canUndoChanged.connect(self.undo_action.setEnabled)
        stack.undoTextChanged.connect(self._update_undo_tips)
        self.redo_action = QAction(self)
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.redo_action.triggered.connect(stack.redo)
        stack.canRedoChanged.connect(self.redo_action.setEnabled)
        stack.redoTextChanged.connect(self._update_undo_tips)
        self.undo_action.setEnabled(stack.canUndo())
        self.redo_action.setEnabled(stack.canRedo())
        self.delete_action = QAction(self)
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.triggered.connect(self.delete_selected)
        self.edit_toolbar.addSeparator()
        for action in (self.undo_action, self.redo_action, self.delete_action):
            self.edit_toolbar.addAction(action)
        self.map_toolbar.addSeparator()
        self.zoom_full_action = self.map_toolbar.addAction("", self.canvas.zoom_to_full_extent)
        self.zoom_full_action.setShortcut(QKeySequence("Ctrl+Shift+F"))
        self.zoom_layer_action = self.map_toolbar.addAction("", self._zoom_to_current_layer)
        self.zoom_selection_action = self.map_toolbar.addAction("", self.canvas.zoom_to_selection)
        self.zoom_selection_action.setShortcut(QKeySequence("Ctrl+J"))
        self.search_toolbar = QToolBar(self)
        self.search_toolbar.setObjectName("SearchToolbar")
        self.addToolBar(self.search_toolbar)
        self.search_box = QLineEdit()
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMinimumWidth(220)
        self.search_box.returnPressed.connect(lambda: self.search(self.search_box.text()))
        self.search_toolbar.addWidget(self.search_box)
        self._update_completer()

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.open_action = self.file_menu.addAction("", self._open_project_dialog)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.save_action = self.file_menu.addAction("", self.save)
        self.save_action.setShortcut(QKeySequence("Ctrl+S"))
        self.save_as_action = self.file_menu.addAction("", self.save_as)
        self.save_as_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.file_menu.addSeparator()
        self.import_action = self.file_menu.addAction("", self.import_dialog)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_article_action = self.file_menu.addAction("", self.import_article_dialog)
        self.file_menu.addSeparator()
        self.export_png_action = self.file_menu.addAction("", self._export_png_dialog)
        self.export_html_action = self.file_menu.addAction("", self.export_html_dialog)
        self.file_menu.addSeparator()
        self.quit_action = self.file_menu.addAction("", self.close)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.edit_menu = bar.addMenu("")
        self.edit_menu.addAction(self.undo_action)
        self.edit_menu.addAction(self.redo_action)
        self.edit_menu.addSeparator()
        for tool_id in ("add_facility", "move_feature", "draw_boundary", "edit_boundary"):
            self.edit_menu.addAction(self.tool_actions[tool_id])
        self.edit_menu.addAction(self.delete_action)
        self.view_menu = bar.addMenu("")
        self.view_menu.addAction(self.zoom_full_action)
        self.view_menu.addAction(self.zoom_layer_action)
        self.view_menu.addAction(self.zoom_selection_action)
        self.view_menu.addSeparator()
        for dock in (self.layers_dock, self.navigator_dock, self.attributes_dock,
                     self.table_dock, self.history_dock, self.checklist_dock):
            self.view_menu.addAction(dock.toggleViewAction())
        self.view_menu.addSeparator()
        self.basemap_action = self.view_menu.addAction("")
        self.basemap_action.setCheckable(True)
        self.basemap_action.setChecked(self.basemap is not None and self.basemap.enabled)
        self.basemap_action.toggled.connect(self._toggle_basemap)
        self.tile_url_action = self.view_menu.addAction("", self._set_tile_url)
        self.tools_menu = bar.addMenu("")
        for action in self.tool_actions.values():
            self.tools_menu.addAction(action)
        self.tools_menu.addSeparator()
        self.circles_action = self.tools_menu.addAction("", self.service_circles_dialog)
        self.circles_action.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.audit_action = self.tools_menu.addAction("", self._run_audit)
        self.language_menu = bar.addMenu("")
        group = QActionGroup(self)
        self.language_actions = {}
        for code, label in (("zh_CN", "中文"), ("en", "English")):
            action = self.language_menu.addAction(label)
            action.setCheckable(True)
            action.setChecked(code == self.language)
            action.triggered.connect(lambda _=False, c=code: self.set_language(c))
            group.addAction(action)
            self.language_actions[code] = action

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.coord_label = QLabel()
        self.scale_label = QLabel()
        self.crs_label = QLabel("EPSG:4326")
        self.selection_label = QLabel()
        self.basemap_label = QLabel()
        for w in (self.selection_label, self.coord_label, self.scale_label, self.crs_label,
                  self.basemap_label):
            bar.addPermanentWidget(w)

    # ----- language -----------------------------------------------------
    def set_language(self, language: str) -> None:
        """Switch the UI language and remember the choice.

        Parameters
        ----------
        language : str
            ``"zh_CN"`` or ``"en"``.
        """
        self.language = language
        QSettings().setValue("ui/language", language)
        install_language(language)
        self.retranslate()

    def retranslate(self) -> None:
        """Set every visible text in the current language."""
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
        self.file_menu.setTitle(tr("&File"))
        self.edit_menu.setTitle(tr("&Edit"))
        self.view_menu.setTitle(tr("&View"))
        self.tools_menu.setTitle(tr("&Tools"))
        self.language_menu.setTitle(tr("&Language"))
        self.open_action.setText(tr("Open Project…"))
        self.save_action.setText(tr("Save"))
        self.save_as_action.setText(tr("Save As…"))
        self.delete_action.setText(tr("Delete Selected"))
        self.undo_action.setText(tr("Undo"))
        self.redo_action.setText(tr("Redo"))
        self._update_undo_tips()
        self.undo_view.setEmptyLabel(tr("Project as opened"))
        self.history_dock.setWindowTitle(tr("Undo History"))
        self.checklist_dock.setWindowTitle(tr("Complete-community checklist"))
        self.circles_action.setText(tr("Service Circles…"))
        self.audit_action.setText(tr("Audit Communities"))
        self.edit_toolbar.setWindowTitle(tr("Editing"))
        self.export_png_action.setText(tr("Export Map Image…"))
        self.import_action.setText(tr("Import…"))
        self.import_article_action.setText(tr("Import Article…"))
        self.export_html_action.setText(tr("Export HTML Map…"))
        self.quit_action.setText(tr("Quit"))
        self.basemap_action.setText(tr("Online Basemap (OpenStreetMap)"))
        self.tile_url_action.setText(tr("Basemap Tile URL…"))
        self.layers_dock.setWindowTitle(tr("Layers"))
        self.navigator_dock.setWindowTitle(tr("Communities"))
        self.attributes_dock.setWindowTitle(tr("Attributes"))
        self.table_dock.setWindowTitle(tr("Attribute Table"))
        self.map_toolbar.setWindowTitle(tr("Map Tools"))
        self.search_toolbar.setWindowTitle(tr("Search"))
        self.crs_label.setText(tr("CRS") + ": EPSG:4326 · " + tr("display") + " EPSG:3857")
        for panel in (self.layer_panel, self.attributes, self.table, self.navigator,
                      self.checklist):
            panel.retranslate()
        self._update_title()
        self._update_selection_label()
        self._update_scale()
        self._update_basemap_label()

    # ----- tools --------------------------------------------------------
    def set_tool(self, tool_id: str) -> None:
        """Activate a map tool by id.

        Parameters
        ----------
        tool_id : str
            A registered tool id.
        """
        self.canvas.set_tool(self.tools[tool_id])

    def _on_tool_changed(self, tool: MapTool | None) -> None:
        for tool_id, action in self.tool_actions.items():
            action.setChecked(tool is not None and tool.tool_id == tool_id)

    def _on_current_layer(self, name: str) -> None:
        self.canvas.active_layer_name = name

    # ----- project ------------------------------------------------------
    def _on_names_changed(self, event: FeaturesChanged) -> None:
        if event.change != "updated" or (event.fields and "name" in event.fields):
            self._completer_dirty = True

    def set_project(self, project: Project) -> None:
        """Show another project in every view.

        Parameters
        ----------
        project : Project
            The project.
        """
        self.project = project
        self.editor.set_project(project)
        for view in (self.canvas, self.layer_panel, self.attributes, self.table,
                     self.navigator, self.checklist):
            view.set_project(project)
        self._watch.watch(project)
        self._update_completer()
        self._update_title()

    def _update_title(self) -> None:
        name = self.project.path.name if self.project.path else tr("Untitled")
        self.setWindowTitle(f"{name}[*] — {tr(APP_TITLE)}")
        self.setWindowModified(self.project.modified)

    def _open_project_dialog(self) -> None:
        if not self.maybe_save():
            return
        path, _ = QFileDialog.getOpenFileName(self, tr("Open Project"), "",
                                              tr("GeoPackage (*.gpkg)"))
        if path:
            self.open_project(Path(path))

    def open_project(self, path: Path) -> bool:
        """Open a project file, reporting problems in one line.

        Parameters
        ----------
        path : Path
            The ``.gpkg``.

        Returns
        -------
        bool
            True when opened.
        """
        try:
            project = Project.open(path)
        except ProjectFileError as exc:
            QMessageBox.warning(self, tr("Cannot open project"), str(exc))
            return False
        self.set_project(project)
        return True

    # ----- identify, search and navigation ------------------------------
    def show_identified(self, layer_name: str, feature_id: str) -> None:
        """Show an identified feature in the attribute panel.

        Parameters
        ----------
        layer_name : str
            Layer name ("" for nothing).
        feature_id : str
            Feature id.
        """
        if not layer_name:
            self.attributes.clear()
            return
        self.attributes.show_feature(layer_name, feature_id)
        self.attributes_dock.show()
        self.attributes_dock.raise_()

    def _zoom_to_feature(self, layer_name: str, feature_id: str) -> None:
        layer = self.project.layer(layer_name)
        self.canvas.zoom_to_features(layer, [feature_id], min_span=500)
        self.show_identified(layer_name, feature_id)

    def _zoom_to_current_layer(self) -> None:
        layer = self.layer_panel.current_layer()
        if layer is not None:
            self.canvas.zoom_to_layer(layer)

    def fly_to_community(self, community_id: str) -> None:
        """Zoom to a community, its 小区 and its facilities, and select it.

        Parameters
        ----------
        community_id : str
            Community feature id.
        """
        comms = self.project.communities
        row = comms.feature(community_id)
        names = {row["name"]}
        names |= set(comms.frame.loc[comms.frame["parent"] == row["name"], "name"])
        members = comms.frame[comms.frame["name"].isin(names)]
        fac = self.project.facilities.frame
        fac_geoms = fac.loc[fac["community"].isin(names), "geometry"]
        import shapely

        geoms = list(members.geometry) + list(fac_geoms)
        self.canvas.zoom_to_lonlat_bounds(tuple(shapely.total_bounds(geoms)), min_span=900)
        comms.set_selection([community_id])
        self.show_identified("communities", community_id)

    def _update_completer(self) -> None:
        names = sorted(set(self.project.communities.frame["name"].dropna())
                       | set(self.project.facilities.frame["name"].dropna()[:50000]))
        completer = QCompleter(names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.activated.connect(self.search)
        self.search_box.setCompleter(completer)
        self._completer_dirty = False

    def search(self, text: str) -> bool:
        """Find a community or facility by name and fly to it.

        Exact names win over partial matches; communities over facilities.

        Parameters
        ----------
        text : str
            The name, or part of it.

        Returns
        -------
        bool
            True when something was found.
        """
        text = text.strip()
        if getattr(self, "_completer_dirty", False):
            self._update_completer()
        if not text:
            return False
        for exact in (True, False):
            for layer in (self.project.communities, self.project.facilities):
                names = layer.frame["name"].fillna("")
                hits = layer.frame[names == text] if exact else layer.frame[
                    names.str.contains(text, regex=False)]
                if hits.empty:
                    continue
                fid = str(hits["id"].iloc[0])
                if layer.name == "communities":
                    self.fly_to_community(fid)
                else:
                    self.canvas.zoom_to_features(layer, [fid], min_span=600)
                    layer.set_selection([fid])
                    self.show_identified(layer.name, fid)
                self.statusBar().showMessage(tr("Found") + f": {hits['name'].iloc[0]}", 4000)
                return True
        self.statusBar().showMessage(tr("Nothing found for") + f" “{text}”", 4000)
        return False

    def _open_article(self, source: str, quote: str) -> None:
        from desktop.dialogs.article_dialog import ArticleDialog

        ArticleDialog(source, quote, self).exec()

    # ----- status bar ---------------------------------------------------
    def _on_cursor_moved(self, lon: float, lat: float) -> None:
        self.coord_label.setText(f"{lon:.6f}°E, {lat:.6f}°N")

    def _update_scale(self) -> None:
        self.scale_label.setText(f"{tr('Scale')} 1:{int(self.canvas.view.scale_denominator()):,}")

    def _update_selection_label(self) -> None:
        n = sum(len(layer.selected_ids) for layer in self.project.layers)
        self.selection_label.setText(tr("Selected") + f": {n}")

    def _on_measured(self, metres: float) -> None:
        text = f"{metres / 1000:.3f} km" if metres >= 1000 else f"{metres:.1f} m"
        self.statusBar().showMessage(tr("Distance") + f" ({tr('geodesic')}): {text}")

    # ----- basemap ------------------------------------------------------
    def enable_basemap(self, url: str | None = None) -> None:
        """Turn the online basemap on, optionally with another tile URL.

        Parameters
        ----------
        url : str, optional
            XYZ URL template; OpenStreetMap by default.
        """
        from desktop.canvas.basemap import OSM_URL, TileBasemap

        if self.basemap is None:
            self.basemap = TileBasemap(url or OSM_URL, parent=self)
            self.basemap.tile_loaded.connect(lambda: self.canvas.refresh())
            self.basemap.status_changed.connect(lambda _s: self._update_basemap_label())
        elif url:
            self.basemap.set_url(url)
        self.basemap.enabled = True
        self.canvas.renderer.basemap = self.basemap
        self.canvas.refresh()
        if hasattr(self, "basemap_label"):
            self._update_basemap_label()

    def _toggle_basemap(self, on: bool) -> None:
        QSettings().setValue("map/basemap", "true" if on else "false")
        if on:
            self.enable_basemap()
        elif self.basemap is not None:
            self.basemap.enabled = False
            self.canvas.refresh()
        self._update_basemap_label()

    def _set_tile_url(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        from desktop.canvas.basemap import OSM_URL

        current = self.basemap.url_template if self.basemap else OSM_URL
        url, ok = QInputDialog.getText(self, tr("Basemap Tile URL"),
                                       tr("XYZ URL with {z}, {x} and {y}:"), text=current)
        if ok and all(k in url for k in ("{z}", "{x}", "{y}")):
            QSettings().setValue("map/tile_url", url)
            self.enable_basemap(url)
            self.basemap_action.setChecked(True)

    def _update_basemap_label(self) -> None:
        if self.basemap is None or not self.basemap.enabled:
            self.basemap_label.setText("")
        elif self.basemap.offline:
            self.basemap_label.setText(tr("basemap offline"))
        else:
            self.basemap_label.setText(tr("basemap") + ": OSM")

    # ----- export -------------------------------------------------------
    def _export_png_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, tr("Export Map Image"), "map.png",
                                              tr("PNG image (*.png)"))
        if not path:
            return
        image = self.canvas.map_image()
        if not image.save(path, "PNG"):
            QMessageBox.warning(self, tr("Export failed"), tr("Cannot write") + f" {path}")
        else:
            self.statusBar().showMessage(tr("Saved") + f" {path}", 5000)

    def import_dialog(self, path: Path | None = None) -> int:
        """Import a planner's file as one undoable step, then show the report.

        Parameters
        ----------
        path : Path, optional
            The file; asked for when omitted.

        Returns
        -------
        int
            Features imported.
        """
        from desktop.dialogs.import_dialog import ImportDialog

        if path is None:
            name, _ = QFileDialog.getOpenFileName(
                self, tr("Import"), "", tr("Geodata and tables") + " (*.csv *.txt *.tsv *.xlsx "
                "*.geojson *.json *.gpkg *.shp *.zip *.kml *.osm *.pbf);;"
                + tr("All files") + " (*)")
            if not name:
                return 0
            path = Path(name)
        dialog = ImportDialog(Path(path), self)
        self._import_dialog = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.raw is None:
            return 0
        return self.finish_import(dialog)

    def import_article_dialog(self, path: Path | None = None) -> int:
        """Read a news article, review its proposals, and place the kept ones.

        Parameters
        ----------
        path : Path, optional
            A ``.txt`` or ``.html`` article; asked for (or pasted) when omitted.

        Returns
        -------
        int
            Items added now (0 when waiting for the planner's click).
        """
        from desktop.dialogs.article_review import ArticleReviewDialog
        from layers.articles.cleaning import clean_article, clean_article_file
        from layers.articles.extraction import extract
        from layers.io.text_files import TextFileError

        if path is None:
            name, _ = QFileDialog.getOpenFileName(
                self, tr("Import Article"), "", tr("Articles") + " (*.txt *.html *.htm);;"
                + tr("All files") + " (*)")
            if name:
                path = Path(name)
        try:
            if path is not None:
                article = clean_article_file(path)
                label = path.name
            else:
                from PySide6.QtWidgets import QInputDialog

                text, ok = QInputDialog.getMultiLineText(self, tr("Import Article"),
                                                         tr("Paste the article text:"))
                if not ok or not text.strip():
                    return 0
                article = clean_article(text)
                label = tr("pasted text")
        except TextFileError as exc:
            QMessageBox.warning(self, tr("Import Article"), str(exc))
            return 0
        result = extract(article)
        if not result.communities and not result.facilities:
            QMessageBox.information(self, tr("Import Article"),
                                    tr("The article names no community or facility."))
            return 0
        source = f"{label} 《{article.title}》"
        dialog = ArticleReviewDialog(article, result, source, self)
        self._article_dialog = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return 0
        return self.place_article_items(dialog.kept(), source)

    def place_article_items(self, items: list, source: str,
                            anchor: tuple[float, float] | None = None) -> int:
        """Add reviewed items near their communities, or ask for one click first.

        Parameters
        ----------
        items : list of KeptItem
            What the planner kept.
        source : str
            The article's label and title.
        anchor : tuple of float, optional
            Where the planner clicked for new communities.

        Returns
        -------
        int
            Items added (0 while waiting for the click).
        """
        from desktop.editing.commands import AddFeaturesCommand
        from layers.articles.placing import needs_anchor, placed_frames

        if not items:
            return 0
        if anchor is None and needs_anchor(self.project, items):
            from desktop.tools.edit_tools import PlaceArticleTool

            tool = self.tools.get("place_article")
            if tool is None:
                tool = PlaceArticleTool(self.canvas, lambda lon, lat: self.place_article_items(
                    self._pending_article[0], self._pending_article[1], (lon, lat)))
                self.tools["place_article"] = tool
            self._pending_article = (items, source)
            tool.pending = True
            self.canvas.set_tool(tool)
            self.statusBar().showMessage(
                tr("Click on the map where the article's communities are"), 15000)
            return 0
        comms, facs = placed_frames(self.project, items, source, anchor)
        self.editor.stack.beginMacro(tr("Import article") + f" {source[:30]}")
        if len(comms):
            self.editor.push(AddFeaturesCommand(self.project, "communities", comms,
                                                tr("Add communities")))
        if len(facs):
            self.editor.push(AddFeaturesCommand(self.project, "facilities", facs,
                                                tr("Add facilities")))
        self.editor.stack.endMacro()
        if anchor is not None:
            self.set_tool("pan")
        geoms = list(comms.geometry) + list(facs.geometry)
        if geoms:
            import shapely

            self.canvas.zoom_to_lonlat_bounds(tuple(shapely.total_bounds(geoms)), min_span=800)
        return len(comms) + len(facs)

    def finish_import(self, dialog: object) -> int:
        """Add the features a finished import dialog read, as one undo step.

        Parameters
        ----------
        dialog : ImportDialog
            A dialog whose file was read.

        Returns
        -------
        int
            Features imported.
        """
        from desktop.editing.commands import AddFeaturesCommand
        from layers.io.importing import ImportFailure

        try:
            frame = dialog.result_frame()
        except ImportFailure as exc:
            QMessageBox.warning(self, tr("Import failed"), str(exc))
            return 0
        layer = dialog.layer.currentData()
        self.editor.push(AddFeaturesCommand(self.project, layer, frame,
                                            tr("Import") + f" {dialog.path.name}"))
        self.statusBar().showMessage(dialog.report.summary().splitlines()[0], 8000)
        self._last_import_report = dialog.report.summary()
        return len(frame)

    def export_html_dialog(self) -> Path | None:
        """Ask for a file, export the interactive HTML map, offer to open it.

        Returns
        -------
        Path or None
            The written file.
        """
        path, _ = QFileDialog.getSaveFileName(self, tr("Export HTML Map"), "map.html",
                                              tr("Web page (*.html)"))
        if not path:
            return None
        return self.export_html_to(Path(path), ask_to_open=True)

    def export_html_to(self, path: Path, ask_to_open: bool = False) -> Path | None:
        """Export the interactive map to ``path`` (circles as in the circle layer).

        Parameters
        ----------
        path : Path
            Target file.
        ask_to_open : bool
            Offer to open it in the system browser.

        Returns
        -------
        Path or None
            The written file, or None on failure.
        """
        from layers.export.html import ExportError, export_html

        circles = label = None
        if self.project.has_layer("service_circles") and len(self.project.layer("service_circles")):
            layer = self.project.layer("service_circles")
            circles = layer.frame
            label = layer.style.get("title_suffix")  # the walk the planner chose
        title = self.project.path.stem if self.project.path else tr("Community Facility Mapper")
        from layers.export.html import OSM_TILES

        tiles = QSettings().value("map/tile_url", "") or OSM_TILES  # the planner's own source
        try:
            out = export_html(self.project, path, title=title, tiles=tiles,
                              circle_label=label, circles=circles)
        except (ExportError, OSError) as exc:
            QMessageBox.warning(self, tr("Export failed"), str(exc).splitlines()[0])
            return None
        self.statusBar().showMessage(tr("Saved") + f" {out}", 5000)
        if ask_to_open:
            from desktop.tools.edit_tools_support import ask_yes_no

            if ask_yes_no(self, tr("Export HTML Map"), tr("Open it in the web browser?")):
                from PySide6.QtCore import QUrl
                from PySide6.QtGui import QDesktopServices

                QDesktopServices.openUrl(QUrl.fromLocalFile(str(out)))
        return out

    # ----- layout -------------------------------------------------------
    def _restore_layout(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        state = settings.value("window/state")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 900)
        if state is not None:
            self.restoreState(state)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """Tidy the dock tab bars once the layout has settled."""
        super().showEvent(event)
        QTimer.singleShot(0, self._hide_stray_tab_bars)

    def _hide_stray_tab_bars(self) -> None:
        """Hide tab bars Qt left over when the docks were tabified.

        Qt 6 can leave a second, unplaced tab bar for a tabified dock group at
        its default position, drawn over the docks. A bar in use sits right
        under a docked dock widget; any other one is hidden.
        """
        docks = [d.geometry() for d in self.findChildren(QDockWidget)
                 if d.isVisible() and not d.isFloating()]
        for bar in self.findChildren(QTabBar):
            if bar.parent() is not self or not bar.isVisible():
                continue
            g = bar.geometry()
            under_a_dock = any(abs(g.top() - d.bottom()) <= 3 and g.left() < d.right()
                               and d.left() < g.right() for d in docks)
            if not under_a_dock:
                bar.hide()

    def save_layout(self) -> None:
        """Remember window geometry and dock layout."""
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Ask about unsaved edits, remember the layout, then close."""
        if not self.maybe_save():
            event.ignore()
            return
        self.save_layout()
        event.accept()

    # ----- saving -------------------------------------------------------
    def save(self) -> bool:
        """Save the project atomically to its file (Save As when it has none).

        Returns
        -------
        bool
            True when saved.
        """
        if self.project.path is None:
            return self.save_as()
        return self._save_to(self.project.path)

    def save_as(self) -> bool:
        """Ask for a file name and save there.

        Returns
        -------
        bool
            True when saved.
        """
        start = str(self.project.path or "project.gpkg")
        path, _ = QFileDialog.getSaveFileName(self, tr("Save Project As"), start,
                                              tr("GeoPackage (*.gpkg)"))
        if not path:
            return False
        if not path.lower().endswith(".gpkg"):
            path += ".gpkg"
        return self._save_to(Path(path))

    def _save_to(self, path: Path) -> bool:
        old_path = self.project.path
        try:
            self.project.save(path)
        except (ProjectFileError, OSError, ValueError) as exc:
            QMessageBox.warning(self, tr("Save failed"), str(exc).splitlines()[0])
            return False
        self.editor.mark_saved()
        if old_path is not None and old_path != path:
            from layers.io.recovery import discard_recovery

            discard_recovery(old_path)
        self._update_title()
        self.statusBar().showMessage(tr("Saved") + f" {path}", 5000)
        return True

    def maybe_save(self) -> bool:
        """Ask Save / Discard / Cancel when there are unsaved edits.

        Returns
        -------
        bool
            True when it is fine to go on (saved or discarded).
        """
        if not self.project.modified:
            return True
        box = QMessageBox(QMessageBox.Icon.Warning, tr("Unsaved edits"),
                          tr("The project has unsaved edits. Save them?"),
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self)
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        self._unsaved_prompt = box
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            if self.project.path is not None:
                from layers.io.recovery import discard_recovery

                discard_recovery(self.project.path)
            self.project.set_modified(False)
            return True
        return False

    def offer_recovery(self) -> bool:
        """After a crash, offer to restore autosaved edits; never overwrite without asking.

        Returns
        -------
        bool
            True when edits were restored.
        """
        from layers.io.recovery import discard_recovery, load_recovery, pending_recovery

        if self.project.path is None:
            return False
        rec = pending_recovery(self.project.path)
        if rec is None:
            return False
        import datetime

        when = datetime.datetime.fromtimestamp(rec.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        answer = QMessageBox.question(
            self, tr("Restore unsaved edits?"),
            tr("Unsaved edits from {when} were found. Restore them?").format(when=when)
            + "\n" + tr("The project file is only changed when you save."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes)
        if answer != QMessageBox.StandardButton.Yes:
            discard_recovery(self.project.path)
            return False
        try:
            frames = load_recovery(rec)
        except ProjectFileError as exc:
            QMessageBox.warning(self, tr("Cannot restore"), str(exc))
            return False
        from desktop.editing.commands import ReplaceLayerCommand

        self.editor.stack.beginMacro(tr("Restore unsaved edits"))
        for name, frame in frames.items():
            if self.project.has_layer(name):
                self.editor.push(ReplaceLayerCommand(self.project, name, frame, name))
            else:
                from desktop.editing.commands import AddFeaturesCommand

                self.editor.push(AddFeaturesCommand(self.project, name, frame, name))
        self.editor.stack.endMacro()
        return True

    # ----- service circles and the audit --------------------------------
    def service_circles_dialog(self) -> bool:
        """Ask for walk time and preset, then make the service-circle layer.

        Returns
        -------
        bool
            True when a layer was made.
        """
        from desktop.dialogs.service_circle_dialog import ServiceCircleDialog

        fac = self.project.facilities
        dialog = ServiceCircleDialog(bool(fac.selected_ids), self.project.has_layer("roads"),
                                     self)
        self._circle_dialog = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.make_service_circles(*dialog.choice())

    def make_service_circles(self, scope: str, minutes: float, walk: object,
                             method: str = "circle") -> bool:
        """Make (or replace) the ``service_circles`` layer as one undoable edit.

        Parameters
        ----------
        scope : str
            ``"all"``, ``"selected"`` or ``"category:<id>"``.
        minutes : float
            Walk time.
        walk : WalkSettings
            Walking preset.
        method : str
            ``"circle"`` or ``"network"``.

        Returns
        -------
        bool
            True when a layer was made.
        """
        from desktop.editing.commands import AddFeaturesCommand, ReplaceLayerCommand
        from layers.analysis.service_circles import service_circles_frame

        frame = self.project.facilities.frame
        if scope == "selected":
            frame = frame[frame["id"].isin(self.project.facilities.selected_ids)]
        elif scope.startswith("category:"):
            frame = frame[frame["category"] == scope.split(":", 1)[1]]
        if frame.empty:
            self.statusBar().showMessage(tr("No facilities to draw circles for"), 5000)
            return False
        if method == "network":
            if len(frame) > MAX_NETWORK_FACILITIES:
                QMessageBox.warning(self, tr("Service Circles"),
                                    tr("Walking areas along roads are limited to 5000 facilities."))
                return False
            circles = self._network_areas(frame, minutes, walk.speed_m_per_min * minutes)
            if circles is None:
                return False
        else:
            circles = service_circles_frame(frame, minutes, walk.radius_m(minutes))
        text = tr("Service circles") + f" {walk.describe(minutes)}"
        if self.project.has_layer("service_circles"):
            self.editor.push(ReplaceLayerCommand(self.project, "service_circles", circles, text))
        else:
            self.editor.push(AddFeaturesCommand(self.project, "service_circles", circles, text))
            self.project.layer("service_circles").set_selection([])
        layer = self.project.layer("service_circles")
        along = f" · {walk.speed_m_per_min * minutes:.0f} m"
        suffix = walk.describe(minutes) if method == "circle" else (
            f"{minutes:g} min · " + tr("along roads") + along)
        layer.set_style(title_suffix=suffix)
        return True

    def _network_areas(self, frame: object, minutes: float, distance: float) -> object:
        """Return the walking-area layer, with a progress dialog that can cancel."""
        from desktop.workers import walk_with_progress
        from layers.geo.network import walking_areas_frame

        roads = self.project.layer("roads").frame
        areas = walk_with_progress(self, tr("Service Circles"), len(frame), lambda progress:
                                   walking_areas_frame(frame, roads, minutes, distance,
                                                       progress))
        if areas is None:
            self.statusBar().showMessage(tr("Cancelled"), 5000)
        return areas

    def _run_audit(self) -> None:
        self.checklist_dock.show()
        self.checklist_dock.raise_()
        self.checklist.run()

    def _show_warnings(self, warnings: dict) -> None:
        self.canvas.renderer.community_warnings = dict(warnings)
        self.canvas.refresh(immediate=True)

    # ----- deleting -----------------------------------------------------
    def delete_selected(self) -> int:
        """Delete the selected features, confirming when more than one.

        Returns
        -------
        int
            How many were deleted.
        """
        targets = [(layer.name, sorted(layer.selected_ids)) for layer in self.project.layers
                   if layer.selected_ids]
        count = sum(len(ids) for _, ids in targets)
        if count == 0:
            return 0
        if count > 1:
            from desktop.tools.edit_tools_support import ask_yes_no

            if not ask_yes_no(self, tr("Delete features"),
                              tr("Delete {count} selected features?").format(count=count)):
                return 0
        self.editor.stack.beginMacro(tr("Delete") + f" {count}")
        for name, ids in targets:
            self.editor.delete_features(name, ids)
        self.editor.stack.endMacro()
        return count
