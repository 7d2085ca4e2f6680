"""The menu bar: File, Edit, View, Tools, Analysis and Language, and their texts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QActionGroup, QKeySequence

from desktop.i18n import tr

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

LANGUAGES = (("zh_CN", "中文"), ("en", "English"))


class MenuBar:
    """The window's menus; each entry calls the part of the window that does the work.

    Parameters
    ----------
    window : MainWindow
        The window, with its parts, docks and toolbars built.
    """

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        bar = window.menuBar()
        files, importing, exporting = window.files, window.importing, window.exporting
        self.file_menu = bar.addMenu("")
        self.new_action = self.file_menu.addAction("", files.new_project)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.open_action = self.file_menu.addAction("", files.open_dialog)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_database_action = self.file_menu.addAction("", lambda: files.open_database())
        self.recent_menu = self.file_menu.addMenu("")
        self.recent_menu.aboutToShow.connect(self.update_recent)
        self.update_recent()
        self.save_action = self.file_menu.addAction("", files.save)
        self.save_action.setShortcut(QKeySequence("Ctrl+S"))
        self.save_as_action = self.file_menu.addAction("", files.save_as)
        self.save_as_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.file_menu.addSeparator()
        self.import_action = self.file_menu.addAction("", importing.import_dialog)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_article_action = self.file_menu.addAction("",
                                                              importing.import_article_dialog)
        self.file_menu.addSeparator()
        self.export_png_action = self.file_menu.addAction("", exporting.export_png_dialog)
        self.export_html_action = self.file_menu.addAction("", exporting.export_html_dialog)
        self.export_map_action = self.file_menu.addAction("", exporting.print_layout_dialog)
        self.export_map_action.setShortcut(QKeySequence("Ctrl+P"))
        self.export_report_action = self.file_menu.addAction("", exporting.export_report_dialog)
        self.file_menu.addSeparator()
        self.quit_action = self.file_menu.addAction("", window.close)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))

        edits, toolbars = window.edit_actions, window.toolbars
        self.edit_menu = bar.addMenu("")
        self.edit_menu.addAction(edits.undo_action)
        self.edit_menu.addAction(edits.redo_action)
        self.edit_menu.addSeparator()
        for tool_id in ("add_facility", "move_feature", "draw_boundary", "edit_boundary"):
            self.edit_menu.addAction(toolbars.tool_actions[tool_id])
        self.edit_menu.addAction(edits.delete_action)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(window.navigation.find_action)

        self.view_menu = bar.addMenu("")
        self.view_menu.addAction(toolbars.zoom_full_action)
        self.view_menu.addAction(toolbars.zoom_layer_action)
        self.view_menu.addAction(toolbars.zoom_selection_action)
        self.view_menu.addSeparator()
        for dock in (window.layers_dock, window.navigator_dock, window.attributes_dock,
                     window.table_dock, window.history_dock, window.checklist_dock,
                     window.coverage_dock):
            self.view_menu.addAction(dock.toggleViewAction())
        self.view_menu.addSeparator()
        self.basemap_menu = window.basemap_control.build_menu(self.view_menu)
        self.admin_areas_action = self.view_menu.addAction("")
        self.admin_areas_action.setCheckable(True)
        self.admin_areas_action.setChecked(window.canvas.renderer.admin_areas)
        self.admin_areas_action.toggled.connect(window.canvas.set_admin_areas)

        self.tools_menu = bar.addMenu("")
        for action in toolbars.tool_actions.values():
            self.tools_menu.addAction(action)

        # the 生活圈 work: walking areas, the audit, and what builds on them
        self.analysis_menu = bar.addMenu("")
        self.circles_action = self.analysis_menu.addAction(
            "", window.analysis.service_circles_dialog)
        self.circles_action.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.audit_action = self.analysis_menu.addAction("", window.analysis.run_audit)
        self.site_action = self.analysis_menu.addAction("", window.analysis.suggest_sites_dialog)

        self.language_menu = bar.addMenu("")
        group = QActionGroup(window)
        self.language_actions = {}
        for code, label in LANGUAGES:
            action = self.language_menu.addAction(label)
            action.setCheckable(True)
            action.setChecked(code == window.language)
            action.triggered.connect(lambda _=False, c=code: window.set_language(c))
            group.addAction(action)
            self.language_actions[code] = action

    def update_recent(self) -> None:
        """List the last projects opened under File ▸ Open Recent, newest first."""
        from desktop.window.project_files import recent_projects

        self.recent_menu.clear()
        paths = recent_projects()
        for n, path in enumerate(paths, 1):
            action = self.recent_menu.addAction(f"&{n % 10} {path.name}  —  {path.parent}")
            action.setData(str(path))
            action.triggered.connect(lambda _=False, p=path: self.window.files.open_recent(p))
        from desktop.dialogs.open_database import recent_databases  # no passwords in them
        from layers.store.postgis import location_label

        urls = recent_databases()
        for url in urls:
            action = self.recent_menu.addAction(f"{location_label(url)}  —  {url}")
            action.triggered.connect(lambda _=False, u=url: self.window.files.open_database(u))
        self.recent_menu.setEnabled(bool(paths) or bool(urls))

    def retranslate(self) -> None:
        """Set the menus' texts in the current language."""
        self.file_menu.setTitle(tr("&File"))
        self.edit_menu.setTitle(tr("&Edit"))
        self.view_menu.setTitle(tr("&View"))
        self.tools_menu.setTitle(tr("&Tools"))
        self.analysis_menu.setTitle(tr("&Analysis"))
        self.language_menu.setTitle(tr("&Language"))
        self.new_action.setText(tr("New Project…"))
        self.open_action.setText(tr("Open Project…"))
        self.open_database_action.setText(tr("Open Database…"))
        self.recent_menu.setTitle(tr("Open Recent"))
        self.save_action.setText(tr("Save"))
        self.save_as_action.setText(tr("Save As…"))
        self.circles_action.setText(tr("Service Circles…"))
        self.audit_action.setText(tr("Audit Communities"))
        self.site_action.setText(tr("Suggest Sites…"))
        self.export_png_action.setText(tr("Export Map Image…"))
        self.import_action.setText(tr("Import…"))
        self.import_article_action.setText(tr("Import Article…"))
        self.export_html_action.setText(tr("Export HTML Map…"))
        self.export_map_action.setText(tr("Export Map…"))
        self.export_report_action.setText(tr("Export Report…"))
        self.quit_action.setText(tr("Quit"))
        self.window.basemap_control.retranslate()
        self.admin_areas_action.setText(tr("Administrative Boundaries (offline)"))
