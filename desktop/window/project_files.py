"""Opening and saving the project file, the unsaved-edits prompt, and crash recovery."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop.i18n import tr
from layers.model.changes import ConflictError, StoreError
from layers.store import open_project, save_as

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
        self.conflict_dialog = None

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
            project = open_project(path)
        except StoreError as exc:
            QMessageBox.warning(self.window, tr("Cannot open project"), str(exc))
            return False
        self.window.set_project(project)
        for note in project.notes:
            self.window.status.show_message(note, 15000)
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
        self.window.status.show_message(tr("Saved") + f" {path}", 5000)
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
        name = project.path.name if project.path else tr("Untitled")
        self.window.setWindowTitle(f"{name}[*] — {tr(APP_TITLE)}")
        self.window.setWindowModified(project.modified)
