"""Long work off the GUI thread: one mechanism, superqt's thread workers.

Reading an import, walking along the roads and writing an export run on
superqt's thread pool. The jobs are plain model code (no Qt): each is called
with a ``progress(done, total) -> bool`` callback, and stops at its next report
once that returns False. The GUI thread keeps repainting and answering while a
job runs; a failure reaches the planner as one line, never as a traceback.

`BackgroundJob` is the building block (the import dialog uses it with its own
inline progress bar); `run_with_progress` wraps it in a progress dialog with
*Cancel* and waits for the result, for the window's menu commands.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QObject,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget
from superqt.utils import create_worker

from desktop.i18n import tr

T = TypeVar("T")
#: A job's progress callback: ``progress(done, total)`` returns False once cancelled.
Progress = Callable[[int, int], bool]
#: Quick jobs finish before the progress dialog would flash up.
SHOW_AFTER_MS = 400
#: How often a waiting GUI thread wakes to show progress and notice *Cancel*.
POLL_MS = 30

log = logging.getLogger(__name__)


def one_line(exc: BaseException) -> str:
    """Return an error as one line a planner can read.

    The app's own errors (from ``layers`` or ``desktop``) and file-system errors
    already say what went wrong in planner's words; anything else is a bug, shown
    with its type so it can be reported.

    Parameters
    ----------
    exc : BaseException
        The error.

    Returns
    -------
    str
        The first line of its message.
    """
    lines = str(exc).strip().splitlines()
    text = lines[0] if lines else ""
    if text and _says_what_went_wrong(exc):
        return text
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _says_what_went_wrong(exc: BaseException) -> bool:
    """Whether an error is one the app raises on purpose, or a file-system error."""
    return type(exc).__module__.startswith(("layers.", "desktop.")) or isinstance(exc, OSError)


class BackgroundJob(QObject):
    """One job on superqt's thread pool, reporting back on the GUI thread.

    Parameters
    ----------
    job : callable
        Called on a worker thread with a `Progress` callback; returns the result.
    parent : QObject, optional
        Owner; its deletion drops the job's late reports.

    Attributes
    ----------
    succeeded : Signal(object)
        The job's result (not sent when cancelled).
    failed : Signal(str)
        The job raised; one line for the planner.
    finished : Signal()
        The job ended, whichever way.
    """

    succeeded = Signal(object)
    failed = Signal(str)
    finished = Signal()

    def __init__(self, job: Callable[[Progress], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        # plain Python state: the worker thread writes it even if this QObject is gone
        self._state = {"done": 0, "running": False}
        self._worker = create_worker(_on_pool_thread, job, self._progress,
                                     _start_thread=False, _ignore_errors=True)
        self._worker.returned.connect(self._on_returned)
        self._worker.errored.connect(self._on_errored)
        self._worker.finished.connect(self._on_finished)

    def start(self) -> None:
        """Start the job on the thread pool."""
        self._state["running"] = True
        self._worker.start()

    def cancel(self) -> None:
        """Ask the job to stop at its next progress report."""
        self._worker.quit()

    @property
    def running(self) -> bool:
        """Whether the job has started and its end has not reached the GUI thread yet."""
        return self._state["running"]

    @property
    def cancelled(self) -> bool:
        """Whether *Cancel* was asked for."""
        return self._worker.abort_requested

    @property
    def steps_done(self) -> int:
        """The ``done`` count of the job's last progress report."""
        return self._state["done"]

    def wait(self, timeout_s: float | None = None) -> bool:
        """Process events until the job has ended (for scripts and tests).

        Parameters
        ----------
        timeout_s : float, optional
            Give up after this many seconds; wait as long as it takes by default.

        Returns
        -------
        bool
            True when the job has ended.
        """
        return wait_until(lambda: not self.running, timeout_s)

    def _progress(self, done: int, _total: int) -> bool:
        self._state["done"] = done  # runs on the worker thread
        return not self._worker.abort_requested

    def _on_returned(self, result: object) -> None:
        self.succeeded.emit(result)

    def _on_errored(self, exc: BaseException) -> None:
        if not _says_what_went_wrong(exc):
            log.error("background job failed", exc_info=exc)  # a bug: keep its traceback
        self.failed.emit(one_line(exc))

    def _on_finished(self) -> None:
        self._state["running"] = False
        self.finished.emit()


def finish_background_work(timeout_s: float = 30.0) -> bool:
    """Let running background jobs end before the app goes (its last step, or a script's).

    A job still running when the window and its objects are deleted would report to
    objects that are gone (a traceback on the terminal). This waits for the thread
    pool, then delivers the jobs' last signals while their receivers still exist.

    Parameters
    ----------
    timeout_s : float
        Longest wait.

    Returns
    -------
    bool
        True when every job ended in time.
    """
    pool, deadline = QThreadPool.globalInstance(), time.monotonic() + timeout_s
    while True:  # a job's last signal may start another (the next boundary level)
        left_ms = max(0, int((deadline - time.monotonic()) * 1000))
        done = pool.waitForDone(left_ms)
        QCoreApplication.processEvents()
        if not done or pool.activeThreadCount() == 0:
            return done


def wait_until(done: Callable[[], bool], timeout_s: float | None = None) -> bool:
    """Process the GUI thread's events until ``done()`` is true (for scripts and tests).

    Parameters
    ----------
    done : callable
        Asked after each round of events.
    timeout_s : float, optional
        Give up after this many seconds; wait as long as it takes by default.

    Returns
    -------
    bool
        What ``done()`` says at the end.
    """
    deadline = None if timeout_s is None else time.monotonic() + timeout_s
    while not done() and (deadline is None or time.monotonic() < deadline):
        _process_events_for(POLL_MS)
    return done()


def run_with_progress(parent: QWidget, title: str, job: Callable[[Progress], T], *,
                      label: str, total: int = 0, can_cancel: bool = True) -> T | None:
    """Run ``job`` off the GUI thread behind a progress dialog, and return its result.

    The dialog appears only when the job takes longer than `SHOW_AFTER_MS`;
    until then the planner's clicks and keys wait, so nothing is started twice
    and the data the job reads is not edited under it. The window keeps
    repainting all along. A failure is shown in a message box as one line.

    Parameters
    ----------
    parent : QWidget
        Window the dialog belongs to.
    title : str
        Dialog and message-box title (translated).
    job : callable
        Called on a worker thread with a `Progress` callback; returns the result.
    label : str
        What is being done (translated).
    total : int
        Steps the job reports (facilities, communities); 0 for a busy indicator.
    can_cancel : bool
        Offer *Cancel*. Leave it off for a job that cannot stop midway (a file
        write), so that *Cancel* never leaves a file written after all.

    Returns
    -------
    object or None
        What the job returned; None when cancelled or failed.
    """
    background = BackgroundJob(job, parent)
    errors: list[str] = []
    background.failed.connect(errors.append)
    results: list[T] = []
    background.succeeded.connect(results.append)
    dialog = QProgressDialog(label, tr("Cancel"), 0, max(total, 0), parent)
    dialog.setObjectName("JobProgress")
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    if not can_cancel:
        dialog.setCancelButton(None)
    dialog.setAutoReset(False)  # reaching the last step is not the end: the result is
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    dialog.setValue(0)
    background.start()
    try:
        while background.running:
            # before the dialog shows, user input waits; then the modal dialog guards
            _process_events_for(POLL_MS, user_input=dialog.isVisible())
            if can_cancel and dialog.wasCanceled() and not background.cancelled:
                background.cancel()
            if total:
                dialog.setValue(min(background.steps_done, total))
    finally:
        dialog.close()
        dialog.deleteLater()
        background.deleteLater()
    if errors:
        QMessageBox.warning(parent, title, errors[0])
        return None
    return None if background.cancelled or not results else results[0]


#: PROJ contexts of Qt's pool threads, kept for as long as the threads may run jobs.
_PROJ_CONTEXTS: dict[int, object] = {}


def _on_pool_thread(job: Callable[[Progress], T], progress: Progress) -> T:
    """Run ``job`` on a Qt pool thread, keeping that thread's PROJ context alive.

    pyproj 3.7 frees a thread's PROJ context together with its Python thread
    state, yet keeps pointing to it from the OS thread. A Qt pool thread gets a
    new Python thread state for every job, so its second job that touches a CRS
    would use freed memory and crash (pyproj issue 1509; fixed in pyproj 3.8,
    which needs Python 3.12). Holding on to the context avoids that.
    """
    try:
        return job(progress)
    finally:
        from pyproj._context import get_context_manager

        context = get_context_manager()
        if context is not None:  # made during this job: the first on this thread
            _PROJ_CONTEXTS[threading.get_native_id()] = context


def _process_events_for(ms: int, user_input: bool = True) -> None:
    """Handle the GUI thread's events for up to ``ms`` milliseconds, sleeping when idle."""
    flags = QEventLoop.ProcessEventsFlag.WaitForMoreEvents
    if not user_input:
        flags |= QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents
    wake = QTimer()
    wake.setSingleShot(True)
    wake.start(ms)  # WaitForMoreEvents returns at the latest when this fires
    QCoreApplication.processEvents(flags)
    wake.stop()
