"""File dialogs that start where the planner last was, and remember where they went.

Every Open, Import and Export dialog of the app goes through :func:`open_file_name`
or :func:`save_file_name`, so they all start in the last folder used (else the
home folder), never in the working directory, which for an app started from a
menu is anywhere (often ``/`` or the install folder).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QWidget

_KEY = "files/last_folder"


def start_folder() -> str:
    """Return the folder a file dialog starts in: the last one used, else the home folder.

    Returns
    -------
    str
        An existing folder.
    """
    last = QSettings().value(_KEY, "") or ""
    if last and Path(str(last)).is_dir():
        return str(last)
    return str(Path.home())


def remember_folder(path: str | Path) -> None:
    """Remember the folder of a file the planner chose, for the next file dialog.

    Parameters
    ----------
    path : str or Path
        The chosen file (or folder).
    """
    path = Path(path)
    folder = path if path.is_dir() else path.parent
    QSettings().setValue(_KEY, str(folder))


def open_file_name(parent: QWidget | None, title: str, file_filter: str) -> Path | None:
    """Ask for a file to open, starting in :func:`start_folder`.

    Parameters
    ----------
    parent : QWidget or None
        The dialog's parent.
    title : str
        The dialog's title (translated).
    file_filter : str
        Qt's filter string, e.g. ``"TOML (*.toml)"``.

    Returns
    -------
    Path or None
        The chosen file, its folder remembered; None when cancelled.
    """
    name, _ = QFileDialog.getOpenFileName(parent, title, start_folder(), file_filter)
    if not name:
        return None
    remember_folder(name)
    return Path(name)


def save_file_name(parent: QWidget | None, title: str, suggested: str,
                   file_filter: str) -> Path | None:
    """Ask where to save, suggesting ``suggested`` in :func:`start_folder`.

    Parameters
    ----------
    parent : QWidget or None
        The dialog's parent.
    title : str
        The dialog's title (translated).
    suggested : str
        A file name to start with, e.g. ``"map.png"``.
    file_filter : str
        Qt's filter string.

    Returns
    -------
    Path or None
        The chosen file, its folder remembered; None when cancelled.
    """
    name, _ = QFileDialog.getSaveFileName(parent, title, str(Path(start_folder()) / suggested),
                                          file_filter)
    if not name:
        return None
    remember_folder(name)
    return Path(name)
