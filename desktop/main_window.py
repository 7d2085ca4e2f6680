"""The main window: canvas in the centre, docks around it, tools on the toolbar.

The window only composes its parts (`desktop.window`): each menu command,
toolbar and status label lives in the part for its concern. The public methods
below hand on to those parts, so scripts and tests keep one place to call.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QMainWindow, QToolBar, QUndoView

from desktop.canvas.canvas import MapCanvas
from desktop.docks.attribute_panel import AttributePanel
from desktop.docks.checklist_panel import ChecklistPanel
from desktop.docks.coverage_panel import CoveragePanel
from desktop.docks.feature_table import FeatureTablePanel
from desktop.docks.layer_panel import LayerPanel
from desktop.docks.navigator import CommunityNavigator
from desktop.editing.editor import Editor
from desktop.i18n import install_language, preferred_language, tr
from desktop.tools.map_tools import MapTool
from desktop.window import layout
from desktop.window.analysis import Analysis
from desktop.window.basemap import BasemapControl, basemap_wanted
from desktop.window.context_menus import ContextMenus
from desktop.window.editing import EditActions
from desktop.window.exporting import Exporting
from desktop.window.importing import Importing
from desktop.window.menus import MenuBar
from desktop.window.navigation import Navigation
from desktop.window.project_files import APP_TITLE, ProjectFiles
from desktop.window.status import StatusBar
from desktop.window.toolbars import Toolbars
from layers.model.events import FeaturesChanged, ProjectWatch
from layers.model.project import Project

__all__ = ["APP_TITLE", "MainWindow"]


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
        self.status = StatusBar(self)
        self.basemap_control = BasemapControl(self)
        if basemap is None:
            basemap = basemap_wanted()
        if basemap:
            self.basemap_control.enable()
        self.editor = Editor(project, self)
        self.editor.message.connect(lambda text: self.status.show_message(text, 6000))
        self.editor.autosaved.connect(lambda when: self.status.show_message(
            tr("Recovery copy saved at") + f" {when}", 3000))
        self.files = ProjectFiles(self)
        self.importing = Importing(self)
        self.exporting = Exporting(self)
        self.analysis = Analysis(self)
        self.navigation = Navigation(self)
        self._build_docks()
        self.edit_actions = EditActions(self)
        self.toolbars = Toolbars(self)
        self.menus = MenuBar(self)
        self.context_menus = ContextMenus(self)
        # the parts' objects that scripts and tests reach for on the window itself
        self.tools, self.tool_actions = self.toolbars.tools, self.toolbars.tool_actions
        # a click's community is prefilled within the walk the planner audits with
        self.tools["add_facility"].walk_m = self.checklist.walk_radius_m
        self.undo_action, self.redo_action = (self.edit_actions.undo_action,
                                              self.edit_actions.redo_action)
        self.circles_action = self.menus.circles_action
        self.selection_label, self.basemap_label = (self.status.selection_label,
                                                    self.status.basemap_label)
        self.canvas.cursor_moved.connect(self.status.show_cursor)
        self.canvas.view_changed.connect(self.status.update_scale)
        self._watch = ProjectWatch(
            project_slots={"modified_changed": self._update_title},
            layer_slots={"selection_changed": self._update_selection_label,
                         "features_changed": self._on_names_changed})
        self._watch.watch(project)
        self.destroyed.connect(self._watch.close)
        self._refresh_completer()
        self.set_tool("pan")
        self.retranslate()
        layout.restore_layout(self)
        self.status.show_no_position()
        QTimer.singleShot(0, self.canvas.zoom_to_full_extent)

    def _build_docks(self) -> None:
        nav, area = self.navigation, Qt.DockWidgetArea
        self.layer_panel = LayerPanel(self.project)
        self.layer_panel.zoom_to_layer_requested.connect(
            lambda name: self.canvas.zoom_to_layer(self.project.layer(name)))
        self.layer_panel.current_layer_changed.connect(self._on_current_layer)
        self.navigator = CommunityNavigator(self.project)
        self.navigator.community_chosen.connect(nav.fly_to_community)
        self.attributes = AttributePanel(self.project)
        self.attributes.open_article_requested.connect(nav.open_article)
        self.table = FeatureTablePanel(self.project)
        self.table.zoom_requested.connect(nav.zoom_to_feature)
        self.attributes.edit_requested.connect(self.editor.change_attribute)
        self.table.edit_requested.connect(self.editor.change_attribute)
        self.undo_view = QUndoView(self.editor.stack)
        self.checklist = ChecklistPanel(self.project)
        self.checklist.warnings_changed.connect(self.analysis.show_warnings)
        self.checklist.stale_changed.connect(self.analysis.show_stale)
        self.checklist.community_chosen.connect(nav.fly_to_community)
        self.coverage = CoveragePanel(self.project, self.checklist)
        self.layers_dock = layout.add_dock(self, "LayersDock", self.layer_panel,
                                           area.LeftDockWidgetArea)
        self.navigator_dock = layout.add_dock(self, "CommunitiesDock", self.navigator,
                                              area.LeftDockWidgetArea)
        self.attributes_dock = layout.add_dock(self, "AttributesDock", self.attributes,
                                               area.RightDockWidgetArea)
        self.table_dock = layout.add_dock(self, "TableDock", self.table,
                                          area.BottomDockWidgetArea)
        self.history_dock = layout.add_dock(self, "UndoHistoryDock", self.undo_view,
                                            area.RightDockWidgetArea)
        self.tabifyDockWidget(self.attributes_dock, self.history_dock)
        self.checklist_dock = layout.add_dock(self, "ChecklistDock", self.checklist,
                                              area.BottomDockWidgetArea)
        self.tabifyDockWidget(self.table_dock, self.checklist_dock)
        self.coverage_dock = layout.add_dock(self, "CoverageDock", self.coverage,
                                             area.BottomDockWidgetArea)
        self.tabifyDockWidget(self.checklist_dock, self.coverage_dock)
        # the chart is computed only while its tab is in front
        self.coverage_dock.visibilityChanged.connect(self.coverage.set_shown)
        self.table_dock.raise_()
        self.attributes_dock.raise_()
        self.resizeDocks([self.layers_dock, self.attributes_dock], [260, 340],
                         Qt.Orientation.Horizontal)
        self.resizeDocks([self.table_dock], [220], Qt.Orientation.Vertical)

    @property
    def basemap(self) -> object | None:
        """The online basemap's tile source, or None before it was first turned on."""
        return self.basemap_control.basemap

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
        for part in (self.toolbars, self.edit_actions, self.menus, self.status,
                     self.navigation):
            part.retranslate()
        self.toolbars.fit_to_width(self.width())  # texts change width with the language
        self.undo_view.setEmptyLabel(tr("Project as opened"))
        self.layers_dock.setWindowTitle(tr("Layers"))
        self.navigator_dock.setWindowTitle(tr("Communities"))
        self.attributes_dock.setWindowTitle(tr("Attributes"))
        self.table_dock.setWindowTitle(tr("Attribute Table"))
        self.history_dock.setWindowTitle(tr("Undo History"))
        self.checklist_dock.setWindowTitle(tr("Complete-community checklist"))
        self.coverage_dock.setWindowTitle(tr("Coverage"))
        for panel in (self.layer_panel, self.attributes, self.table, self.navigator,
                      self.checklist, self.coverage):
            panel.retranslate()
        self.analysis.show_stale()
        self._update_title()
        self.basemap_control.update_label()

    # ----- project ------------------------------------------------------
    def _on_names_changed(self, event: FeaturesChanged) -> None:
        if event.change != "updated" or (event.fields and "name" in event.fields):
            self._completer_dirty = True

    def _update_title(self) -> None:
        self.files.update_title()

    def _update_selection_label(self) -> None:
        self.status.update_selection()

    def _refresh_completer(self) -> None:
        self.navigation.update_completer()
        self._completer_dirty = False

    def _on_current_layer(self, name: str) -> None:
        self.canvas.active_layer_name = name

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
                     self.navigator, self.checklist, self.coverage, self.analysis):
            view.set_project(project)
        self._watch.watch(project)
        self._refresh_completer()
        self._update_title()
        # a clean start: the pan tool (a half-drawn boundary is dropped), no selection
        self.set_tool("pan")
        self.status.update_selection()
        self.status.show_no_position()

    def open_project(self, path: Path) -> bool:
        """Open a project file (see `ProjectFiles.open_project`)."""
        return self.files.open_project(path)

    def save(self) -> bool:
        """Save the project to its file (see `ProjectFiles.save`)."""
        return self.files.save()

    def save_as(self) -> bool:
        """Save the project to a file the planner names (see `ProjectFiles.save_as`)."""
        return self.files.save_as()

    def maybe_save(self) -> bool:
        """Ask Save / Discard / Cancel over unsaved edits (see `ProjectFiles.maybe_save`)."""
        return self.files.maybe_save()

    def offer_recovery(self) -> bool:
        """Offer to restore edits after a crash (see `ProjectFiles.offer_recovery`)."""
        return self.files.offer_recovery()

    # ----- tools and editing ----------------------------------------------
    def add_tool(self, tool: MapTool, toolbar: QToolBar | None = None) -> QAction:
        """Register a map tool with a toolbar action (see `Toolbars.add_tool`)."""
        return self.toolbars.add_tool(tool, toolbar)

    def set_tool(self, tool_id: str) -> None:
        """Activate a map tool by id (see `Toolbars.set_tool`)."""
        self.toolbars.set_tool(tool_id)

    def delete_selected(self) -> int:
        """Delete the selected features (see `EditActions.delete_selected`)."""
        return self.edit_actions.delete_selected()

    # ----- import and export ----------------------------------------------
    def import_dialog(self, path: Path | None = None) -> int:
        """Import a planner's file as one undo step (see `Importing.import_dialog`)."""
        return self.importing.import_dialog(path)

    def finish_import(self, dialog: object) -> int:
        """Add what an import dialog read (see `Importing.finish_import`)."""
        return self.importing.finish_import(dialog)

    def import_article_dialog(self, path: Path | None = None) -> int:
        """Read a news article and place its items (see `Importing.import_article_dialog`)."""
        return self.importing.import_article_dialog(path)

    def place_article_items(self, items: list, source: str,
                            anchor: tuple[float, float] | None = None) -> int:
        """Add reviewed article items (see `Importing.place_article_items`)."""
        return self.importing.place_article_items(items, source, anchor)

    def export_html_dialog(self) -> Path | None:
        """Ask for a file and export the HTML map (see `Exporting.export_html_dialog`)."""
        return self.exporting.export_html_dialog()

    def export_html_to(self, path: Path, ask_to_open: bool = False) -> Path | None:
        """Export the interactive HTML map (see `Exporting.export_html_to`)."""
        return self.exporting.export_html_to(path, ask_to_open)

    # ----- analysis -------------------------------------------------------
    def service_circles_dialog(self) -> bool:
        """Ask for the walk and make service circles (see `Analysis`)."""
        return self.analysis.service_circles_dialog()

    def make_service_circles(self, scope: str, minutes: float, walk: object,
                             method: str = "circle") -> bool:
        """Make the service-circle layer (see `Analysis.make_service_circles`)."""
        return self.analysis.make_service_circles(scope, minutes, walk, method)

    # ----- navigation -----------------------------------------------------
    def show_identified(self, layer_name: str, feature_id: str) -> None:
        """Show a feature in the attribute panel (see `Navigation.show_identified`)."""
        self.navigation.show_identified(layer_name, feature_id)

    def fly_to_community(self, community_id: str) -> None:
        """Zoom to a community and select it (see `Navigation.fly_to_community`)."""
        self.navigation.fly_to_community(community_id)

    def search(self, text: str) -> bool:
        """Find a community or facility by name and fly to it (see `Navigation.search`)."""
        if self._completer_dirty:  # names changed since the completer was made
            self._refresh_completer()
        return self.navigation.search(text)

    def enable_basemap(self, url: str | None = None) -> None:
        """Turn the online basemap on (see `BasemapControl.enable`)."""
        self.basemap_control.enable(url)

    # ----- layout ---------------------------------------------------------
    def save_layout(self) -> None:
        """Remember window geometry and dock layout."""
        layout.save_layout(self)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """Tidy the dock tab bars once the layout has settled."""
        super().showEvent(event)
        QTimer.singleShot(0, self._hide_stray_tab_bars)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        """Keep every tool visible: wrap the toolbars when the window is narrow."""
        super().resizeEvent(event)
        if hasattr(self, "toolbars"):  # not while the window is being built
            self.toolbars.fit_to_width(event.size().width())

    def _hide_stray_tab_bars(self) -> None:
        layout.hide_stray_tab_bars(self)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Ask about unsaved edits, remember the layout, then close."""
        if not self.maybe_save():
            event.ignore()
            return
        self.save_layout()
        self.coverage.close_project()
        event.accept()
