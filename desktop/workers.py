"""Running a walk along the road layer with a progress dialog the planner can cancel."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from desktop.i18n import tr

T = TypeVar("T")


def walk_with_progress(parent: QWidget, title: str, total: int,
                       job: Callable[[Callable[[int, int], bool]], T | None]) -> T | None:
    """Run ``job(progress)`` in a worker thread behind a cancellable progress dialog.

    The job is plain model code (no Qt). The window keeps repainting and answering
    while it runs, even while a city's walking graph is being built; *Cancel* takes
    effect at the job's next progress report. A road layer that cannot be walked is
    reported in a message box, not raised.

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
    from layers.geo.network import NetworkError

    state: dict = {"done": 0, "cancel": False, "result": None, "error": None}

    def progress(done: int, _steps: int) -> bool:
        state["done"] = done
        return not state["cancel"]

    def run() -> None:
        try:
            state["result"] = job(progress)
        except Exception as exc:  # noqa: BLE001 - handed to the GUI thread below
            state["error"] = exc

    dialog = QProgressDialog(tr("Walking along the roads…"), tr("Cancel"), 0, max(total, 1),
                             parent)
    dialog.setObjectName("RoadWalkProgress")
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setValue(0)
    worker = threading.Thread(target=run, name="road-walk", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 30)
            if dialog.wasCanceled():
                state["cancel"] = True
            dialog.setValue(min(state["done"], max(total, 1)))
            worker.join(0.02)
    finally:
        dialog.close()
    error = state["error"]
    if isinstance(error, NetworkError):
        QMessageBox.warning(parent, title, str(error))
        return None
    if error is not None:
        raise error
    return None if state["cancel"] else state["result"]
