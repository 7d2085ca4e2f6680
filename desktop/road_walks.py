"""Running a walk along the road layer with a progress dialog the planner can cancel."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from desktop.i18n import tr

T = TypeVar("T")


def walk_with_progress(parent: QWidget, title: str, total: int,
                       job: Callable[[Callable[[int, int], bool]], T | None]) -> T | None:
    """Run ``job(progress)`` behind a cancellable progress dialog.

    The dialog shows at once (building a city's walking graph takes seconds) and
    the window stays responsive. A road layer that cannot be walked is reported in
    a message box, not raised.

    Parameters
    ----------
    parent : QWidget
        Window the dialog belongs to.
    title : str
        Dialog title (translated).
    total : int
        Steps the job reports (facilities or communities).
    job : callable
        Called with a ``progress(done, total) -> bool`` callback; returns None when
        cancelled.

    Returns
    -------
    object or None
        What the job returned; None when cancelled or the roads cannot be walked.
    """
    from layers.network import NetworkError

    dialog = QProgressDialog(tr("Walking along the roads…"), tr("Cancel"), 0, total, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setValue(0)
    QApplication.processEvents()

    def progress(done: int, steps: int) -> bool:
        if done % 10 == 0 or done == steps:
            dialog.setValue(done)
            QApplication.processEvents()
        return not dialog.wasCanceled()

    try:
        return job(progress)
    except NetworkError as exc:
        QMessageBox.warning(parent, title, str(exc))
        return None
    finally:
        dialog.close()
