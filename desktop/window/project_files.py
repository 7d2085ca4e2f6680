"""Opening and saving the project file, the unsaved-edits prompt, and crash recovery.

Also a new project (empty, or made from a file that is not a project), the
recent projects and the folder the file dialogs start in, and a team's project
in a PostGIS database (Open Database…), whose others' saves load live.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from desktop.file_dialogs import remember_folder, start_folder
from desktop.i18n import tr
from desktop.window.live_refresh import LiveRefresh
from layers.model.changes import ConflictError, StoreError
from layers.model.project import store_location
from layers.store import open_project, save_as
from layers.store.postgis import is_database_url, location_label

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

APP_TITLE = "Community Facility Mapper"
#: How many projects File ▸ Open Recent lists.
RECENT_COUNT = 10
#: What File ▸ Open… opens: projects, and planners' files to import into a new one.
OPEN_FILTER = ("*.gpkg *.shp *.zip *.geojson *.json *.kml *.kmz *.csv *.txt *.tsv *.xlsx "
               "*.osm *.pbf")


def recent_projects() -> list[Path]:
    """Return the projects opened last, newest first, those still there.

    Returns
    -------
    list of Path
        At most :data:`RECENT_COUNT`.
    """
    stored = QSettings().value("files/recent", []) or []
    if isinstance(stored, str):  # QSettings gives a one-item list back as a string
        stored = [stored]
    return [Path(p) for p in stored if Path(p).is_file()][:RECENT_COUNT]


def remember_recent(path: Path) -> None:
    """Put a project first in the recent list.

    Parameters
    ----------
    path : Path
        The project file.
    """
    path = Path(path).resolve()
    paths = [path, *(p for p in recent_projects() if p.resolve() != path)]
    QSettings().setValue("files/recent", [str(p) for p in paths[:RECENT_COUNT]])


class ProjectFiles:
    """The File menu's Open, Save and Save As, and what the window's title says.

    Parameters
    ----------
    window : MainWindow
        The window whose project this opens and saves.
    """

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.conflict_dialog = None
        self.last_report: list[str] = []
        self.new_project_dialog = None
        self.open_database_dialog = None
        #: others' saves to a database project, loaded as they happen
        self.live = LiveRefresh(window)
        self.live.follow(window.project)

    def open_dialog(self) -> None:
        """Ask about unsaved edits, then for a project (or any geodata file), and open it."""
        if not self.maybe_save():
            return
        path, _ = QFileDialog.getOpenFileName(
            self.window, tr("Open Project"), start_folder(),
            tr("Projects and geodata") + f" ({OPEN_FILTER});;" + tr("GeoPackage (*.gpkg)")
            + ";;" + tr("All files") + " (*)")
        if path:
            remember_folder(path)
            self.open_project(Path(path))

    def open_recent(self, path: Path) -> bool:
        """Ask about unsaved edits, then open a recent project.

        Parameters
        ----------
        path : Path
            The project file.

        Returns
        -------
        bool
            True when opened.
        """
        return self.maybe_save() and self.open_project(path)

    def open_project(self, path: Path) -> bool:
        """Open a project file, reporting problems in one line.

        A file that is not a project at all (a shapefile, a GeoJSON, a GeoPackage
        made elsewhere) is offered as an import into a new project instead.

        Parameters
        ----------
        path : Path
            The ``.gpkg``, or a planner's file.

        Returns
        -------
        bool
            True when a project was opened.
        """
        from layers.io.new_project import is_project_file

        path = Path(path)
        if path.exists() and not is_project_file(path):
            return self.offer_new_project(path)
        try:
            project = open_project(path)
        except StoreError as exc:
            QMessageBox.warning(self.window, tr("Cannot open project"), str(exc))
            return False
        self._show(project)
        return True

    def open_database(self, url: str | None = None) -> bool:
        """Ask about unsaved edits, then for a database project and its password; open it.

        Parameters
        ----------
        url : str, optional
            Prefill the dialog with this project URL (a recent database).

        Returns
        -------
        bool
            True when a project was opened.
        """
        from desktop.dialogs.open_database import OpenDatabaseDialog, remember_database

        if not self.maybe_save():
            return False
        dialog = OpenDatabaseDialog(self.window, url)
        self.open_database_dialog = dialog  # reachable while open (tests, screenshots)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.project is None:
                return False
            project = dialog.project
        finally:
            self.open_database_dialog = None
            dialog.deleteLater()
        remember_database(str(project.store.location))
        self._show(project)
        self.window.menus.update_recent()
        self.window.status.show_message(
            tr("Opened") + f" {location_label(str(project.store.location))}", 8000)
        return True

    def _show(self, project: object) -> None:
        self.window.set_project(project)
        self.live.follow(project)
        if project.path is not None:
            remember_recent(project.path)
            self.window.menus.update_recent()
        for note in project.notes:
            self.window.status.show_message(note, 15000)

    def _ask_new_path(self, suggested: str) -> Path | None:
        """Ask where a new project goes; refuse the file of the project open now."""
        name, _ = QFileDialog.getSaveFileName(
            self.window, tr("New Project"), str(Path(start_folder()) / suggested),
            tr("GeoPackage (*.gpkg)"))
        if not name:
            return None
        if not name.lower().endswith(".gpkg"):
            name += ".gpkg"
        path = Path(name)
        remember_folder(path)
        current = self.window.project.path
        if current is not None and path.resolve() == Path(current).resolve():
            QMessageBox.warning(self.window, tr("New Project"),
                                tr("That is the project open now: choose another name."))
            return None
        return path

    def new_project(self, path: Path | None = None) -> bool:
        """Ask about unsaved edits, then where, and open a new empty project there.

        Parameters
        ----------
        path : Path, optional
            The new ``.gpkg``; asked for when omitted.

        Returns
        -------
        bool
            True when the new project is open.
        """
        from layers.model.project import Project

        if not self.maybe_save():
            return False
        path = path or self._ask_new_path(tr("New project") + ".gpkg")
        if path is None:
            return False
        try:
            save_as(Project(), path)
            project = open_project(path)
        except (StoreError, OSError, ValueError) as exc:
            QMessageBox.warning(self.window, tr("New Project"), str(exc).splitlines()[0])
            return False
        self._show(project)
        self.window.status.show_message(tr("New project") + f" {path}", 8000)
        return True

    def offer_new_project(self, source: Path, target: Path | None = None) -> bool:
        """Offer a file that is not a project as an import into a new project.

        Reads the file's layers, shows where each goes and what its categories
        become (both editable), asks where to save, then creates and opens it.

        Parameters
        ----------
        source : Path
            The planner's file.
        target : Path, optional
            The new project; asked for when omitted.

        Returns
        -------
        bool
            True when the new project is open.
        """
        from desktop.dialogs.open_as_new_project import OpenAsNewProjectDialog
        from desktop.workers import run_with_progress
        from layers.io.new_project import plan_sources

        title = tr("Import into a new project")
        plan = run_with_progress(self.window, title, lambda progress: plan_sources(
            [source], progress), label=tr("Reading") + f" {source.name}…")
        if plan is None:
            return False
        if not any(s.readable for s in plan):
            reason = plan[0].reason if plan else ""
            QMessageBox.warning(self.window, tr("Cannot open project"),
                                tr("{file} is neither a project nor a file to import: {why}")
                                .format(file=source.name, why=reason))
            return False
        dialog = OpenAsNewProjectDialog(plan, self.window, self.window.language)
        self.new_project_dialog = dialog  # reachable while open (tests, screenshots)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
        finally:
            self.new_project_dialog = None
            dialog.deleteLater()
        target = target or self._ask_new_path(source.stem + ".gpkg")
        if target is None:
            return False
        return self._create_from(plan, target)

    def _create_from(self, plan: list, target: Path) -> bool:
        from desktop.workers import run_with_progress
        from layers.io.new_project import build_project

        hint = tr("import the file again with File ▸ Import to take them")
        def make(_progress: object) -> tuple:
            project, lines = build_project(plan, hint=hint)
            save_as(project, target)
            return project, lines

        made = run_with_progress(self.window, tr("New Project"), make,
                                 label=tr("Creating") + f" {target.name}…", can_cancel=False)
        if made is None:
            return False
        project, lines = made
        try:
            project = open_project(target)
        except StoreError as exc:
            QMessageBox.warning(self.window, tr("Cannot open project"), str(exc))
            return False
        self._show(project)
        self.last_report = lines
        self.window.status.show_message(" · ".join(lines), 30000)
        return True

    def save(self) -> bool:
        """Save the project atomically to its file (Save As when it has none).

        Returns
        -------
        bool
            True when saved.
        """
        project = self.window.project
        if project.path is None:
            location = store_location(project)
            if location is None or not is_database_url(location):
                return self.save_as()
            return self._save_to(location)
        return self._save_to(project.path)

    def save_as(self) -> bool:
        """Ask for a file name and save there.

        Returns
        -------
        bool
            True when saved.
        """
        start = str(self.window.project.path or "project.gpkg")
        path, _ = QFileDialog.getSaveFileName(self.window, tr("Save Project As"), start,
                                              tr("GeoPackage (*.gpkg)"))
        if not path:
            return False
        if not path.lower().endswith(".gpkg"):
            path += ".gpkg"
        return self._save_to(Path(path))

    def _save_to(self, path: Path | str) -> bool:
        project = self.window.project
        old_path = project.path
        while True:
            try:
                save_as(project, path)
                break
            except ConflictError as exc:
                if not self._settle(exc):
                    return False
            except (StoreError, OSError, ValueError) as exc:
                QMessageBox.warning(self.window, tr("Save failed"), str(exc).splitlines()[0])
                return False
        self.window.editor.mark_saved()
        if old_path is not None and old_path != path:
            from layers.io.recovery import discard_recovery

            discard_recovery(old_path)
        self.update_title()
        shown = location_label(path) if is_database_url(str(path)) else path
        self.window.status.show_message(tr("Saved") + f" {shown}", 5000)
        return True

    def _settle(self, error: ConflictError) -> bool:
        """Show both versions of each conflicting row; apply the planner's choices."""
        from desktop.dialogs.conflict_dialog import ConflictDialog

        dialog = ConflictDialog(error.conflicts, self.window)
        self.conflict_dialog = dialog  # reachable while open (tests, screenshots)
        try:
            if dialog.exec() != ConflictDialog.DialogCode.Accepted:
                self.window.status.show_message(str(error), 8000)
                return False
            project = self.window.project
            for conflict in error.conflicts:
                if dialog.choices[(conflict.layer, conflict.id)] == "theirs":
                    project.keep_theirs(conflict)
                else:
                    project.keep_mine(conflict)
            return True
        finally:
            self.conflict_dialog = None
            dialog.deleteLater()

    def maybe_save(self) -> bool:
        """Ask Save / Discard / Cancel when there are unsaved edits.

        Returns
        -------
        bool
            True when it is fine to go on (saved or discarded).
        """
        project = self.window.project
        if not project.modified:
            return True
        box = QMessageBox(QMessageBox.Icon.Warning, tr("Unsaved edits"),
                          tr("The project has unsaved edits. Save them?"),
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self.window)
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            if project.path is not None:
                from layers.io.recovery import discard_recovery

                discard_recovery(project.path)
            project.set_modified(False)
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

        project, editor = self.window.project, self.window.editor
        if project.path is None:
            return False
        rec = pending_recovery(project.path)
        if rec is None:
            return False
        try:
            # the whole file is checked before the question, so a restore is all or nothing
            recovery = load_recovery(rec, project)
        except StoreError as exc:
            QMessageBox.warning(self.window, tr("Cannot restore"), str(exc))
            return False
        import datetime

        when = datetime.datetime.fromtimestamp(rec.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        answer = QMessageBox.question(
            self.window, tr("Restore unsaved edits?"),
            tr("Unsaved edits from {when} were found. Restore them?").format(when=when)
            + "\n" + tr("The project file is only changed when you save."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes)
        if answer != QMessageBox.StandardButton.Yes:
            discard_recovery(project.path)
            return False
        from desktop.editing.commands import (
            AddFeaturesCommand,
            ReplaceLayerCommand,
            RestoreRowsCommand,
        )

        editor.stack.beginMacro(tr("Restore unsaved edits"))
        for name, frame in recovery.frames.items():
            if name not in recovery.whole:
                if len(frame) or recovery.deleted.get(name):
                    editor.push(RestoreRowsCommand(project, name, frame,
                                                   recovery.deleted.get(name, []), name))
            elif project.has_layer(name):
                editor.push(ReplaceLayerCommand(project, name, frame, name))
            else:
                editor.push(AddFeaturesCommand(project, name, frame, name))
        editor.stack.endMacro()
        if recovery.base is not None:
            # rows others saved since the crash that these edits touch become conflicts
            project.rebase(recovery.base)
        return True

    def update_title(self) -> None:
        """Show the project's file name, and a mark while there are unsaved edits."""
        project = self.window.project
        location = store_location(project)
        if project.path is not None:
            name = project.path.name
        elif location is not None and is_database_url(location):
            name = location_label(location)  # db · schema
        else:
            name = tr("Untitled")
        self.window.setWindowTitle(f"{name}[*] — {tr(APP_TITLE)}")
        self.window.setWindowModified(project.modified)
