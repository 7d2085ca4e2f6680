"""Small dialogs used by the editing tools."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def ask_yes_no(parent: QWidget | None, title: str, text: str) -> bool:
    """Ask a yes/no question; No is the default answer.

    Parameters
    ----------
    parent : QWidget or None
        Parent window.
    title : str
        Dialog title.
    text : str
        Question.

    Returns
    -------
    bool
        True for Yes.
    """
    answer = QMessageBox.question(parent, title, text,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes
