"""Opening and saving the project file, the unsaved-edits prompt, and crash recovery."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop.i18n import tr
from layers.io.project_file import ProjectFileError
from layers.model.project import Project

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

APP_TITLE = "Community Facility Mapper"


class ProjectFiles:
    """The File menu's Open, Save and Save As, and what the window's title says.

    Parameters
    ----------
    window : MainWindow
        The window whose project this opens and saves.
    """

    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def open_dialog(self) -> None:
        """Ask about unsaved edits, then for a project file, and open it."""
        if not self.maybe_save():
            return
        path, _ = QFileDialog.getOpenFileName(self.window, tr("Open Project"), "",
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
            QMessageBox.warning(self.window, tr("Cannot open project"), str(exc))
            return False
        self.window.set_project(project)
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
            return self.save_as()
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

    def _save_to(self, path: Path) -> bool:
        project = self.window.project
        old_path = project.path
        try:
            project.save(path)
        except (ProjectFileError, OSError, ValueError) as exc:
            QMessageBox.warning(self.window, tr("Save failed"), str(exc).splitlines()[0])
            return False
        self.window.editor.mark_saved()
        if old_path is not None and old_path != path:
            from layers.io.recovery import discard_recovery

            discard_recovery(old_path)
        self.update_title()
        self.window.status.show_message(tr("Saved") + f" {path}", 5000)
        return True

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
            frames = load_recovery(rec, project)
        except ProjectFileError as exc:
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
        from desktop.editing.commands import AddFeaturesCommand, ReplaceLayerCommand

        editor.stack.beginMacro(tr("Restore unsaved edits"))
        for name, frame in frames.items():
            if project.has_layer(name):
                editor.push(ReplaceLayerCommand(project, name, frame, name))
            else:
                editor.push(AddFeaturesCommand(project, name, frame, name))
        editor.stack.endMacro()
        return True

    def update_title(self) -> None:
        """Show the project's file name, and a mark while there are unsaved edits."""
        project = self.window.project
        name = project.path.name if project.path else tr("Untitled")
        self.window.setWindowTitle(f"{name}[*] — {tr(APP_TITLE)}")
        self.window.setWindowModified(project.modified)
