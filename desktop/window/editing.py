"""Undo, redo and delete: the edit actions beside the editing tools."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

from desktop.i18n import tr

if TYPE_CHECKING:
    from desktop.main_window import MainWindow


class EditActions:
    """The Undo, Redo and Delete Selected actions over the window's editor.

    Parameters
    ----------
    window : MainWindow
        The window whose editor they act on.
    """

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        stack = window.editor.stack
        # short labels that follow the language; what would be undone is in the tooltip
        self.undo_action = QAction(window)
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.undo_action.triggered.connect(stack.undo)
        stack.canUndoChanged.connect(self.undo_action.setEnabled)
        # the stack says what it would undo: asking it back fails while it clears
        # itself as the window closes
        stack.undoTextChanged.connect(
            lambda what: _name_the_edit(self.undo_action, tr("Undo"), what))
        self.redo_action = QAction(window)
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.redo_action.triggered.connect(stack.redo)
        stack.canRedoChanged.connect(self.redo_action.setEnabled)
        stack.redoTextChanged.connect(
            lambda what: _name_the_edit(self.redo_action, tr("Redo"), what))
        self.undo_action.setEnabled(stack.canUndo())
        self.redo_action.setEnabled(stack.canRedo())
        self.delete_action = QAction(window)
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.triggered.connect(self.delete_selected)

    def update_tips(self) -> None:
        """Name in the Undo and Redo tooltips the edit they would undo or redo."""
        stack = self.window.editor.stack
        _name_the_edit(self.undo_action, tr("Undo"), stack.undoText())
        _name_the_edit(self.redo_action, tr("Redo"), stack.redoText())

    def delete_selected(self) -> int:
        """Delete the selected features, confirming when more than one.

        Returns
        -------
        int
            How many were deleted.
        """
        project, editor = self.window.project, self.window.editor
        targets = [(layer.name, sorted(layer.selected_ids)) for layer in project.layers
                   if layer.selected_ids]
        count = sum(len(ids) for _, ids in targets)
        if count == 0:
            return 0
        if count > 1:
            from desktop.tools.edit_tools_support import ask_yes_no

            if not ask_yes_no(self.window, tr("Delete features"),
                              tr("Delete {count} selected features?").format(count=count)):
                return 0
        editor.stack.beginMacro(tr("Delete") + f" {count}")
        for name, ids in targets:
            editor.delete_features(name, ids)
        editor.stack.endMacro()
        return count

    def retranslate(self) -> None:
        """Set the actions' texts in the current language."""
        self.delete_action.setText(tr("Delete Selected"))
        self.undo_action.setText(tr("Undo"))
        self.redo_action.setText(tr("Redo"))
        self.update_tips()


def _name_the_edit(action: QAction, label: str, what: str) -> None:
    """Keep the short label on the button; say in its tooltip which edit it acts on."""
    action.setToolTip(f"{label}: {what}" if what else label)
    action.setStatusTip(action.toolTip())
