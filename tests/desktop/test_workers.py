"""Long work off the GUI thread: progress, Cancel, a responsive window, one-line errors."""

import threading
import time
from itertools import pairwise

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from desktop.workers import BackgroundJob, one_line, run_with_progress


def _slow_count(steps, stopped=None):
    """A job that counts for ``steps`` × 20 ms unless cancelled."""

    def job(progress):
        for i in range(steps):
            time.sleep(0.02)
            if progress(i + 1, steps) is False:
                if stopped is not None:
                    stopped.append(i + 1)
                return None
        return steps

    return job


def _parent(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_a_finished_job_returns_its_result_and_ran_off_the_gui_thread(qtbot):
    threads = []

    def job(progress):
        threads.append(threading.current_thread())
        progress(1, 1)
        return {"areas": 3}

    assert run_with_progress(_parent(qtbot), "test", job, label="working", total=1) == {
        "areas": 3}
    assert threads and threads[0] is not threading.main_thread()


def test_cancel_stops_the_job_and_returns_none(qtbot):
    parent = _parent(qtbot)
    stopped = []
    QTimer.singleShot(200, lambda: parent.findChild(QProgressDialog, "JobProgress").cancel())
    started = time.monotonic()
    assert run_with_progress(parent, "test", _slow_count(500, stopped), label="working",
                             total=500) is None
    assert time.monotonic() - started < 3.0  # 500 steps would take 10 s
    assert stopped and stopped[0] < 100  # the job itself stopped, at its next report
    assert not parent.findChild(QProgressDialog, "JobProgress").isVisible()


def test_the_gui_thread_keeps_processing_events_while_the_job_runs(qtbot):
    parent = _parent(qtbot)
    ticks = []
    beat = QTimer()
    beat.timeout.connect(lambda: ticks.append(time.monotonic()))
    beat.start(40)
    try:
        assert run_with_progress(parent, "test", _slow_count(30), label="working",
                                 total=30) == 30
    finally:
        beat.stop()
    assert len(ticks) >= 8  # 0.6 s of work, a beat every 40 ms
    assert max(b - a for a, b in pairwise(ticks)) < 0.5  # never frozen for long


def test_the_progress_dialog_shows_for_long_work_and_counts(qtbot):
    parent = _parent(qtbot)
    seen = []

    def look():
        dialog = parent.findChild(QProgressDialog, "JobProgress")
        seen.append((dialog.isVisible(), dialog.value(), dialog.maximum()))

    QTimer.singleShot(700, look)
    assert run_with_progress(parent, "test", _slow_count(50), label="working", total=50) == 50
    visible, value, maximum = seen[0]
    assert visible and maximum == 50 and 10 < value < 50


def test_an_error_in_the_job_is_one_line_not_a_traceback(qtbot):
    parent = _parent(qtbot)
    shown = []
    deadline = time.monotonic() + 10

    def answer():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            shown.append((box.windowTitle(), box.text()))
            box.accept()
        elif time.monotonic() < deadline:
            QTimer.singleShot(10, answer)

    def job(progress):
        raise ValueError("no column 'category'\nTraceback (most recent call last): ...")

    QTimer.singleShot(0, answer)
    assert run_with_progress(parent, "Export", job, label="working") is None
    assert shown == [("Export", "ValueError: no column 'category'")]


def test_one_line_keeps_the_apps_own_message_and_names_a_bug():
    from layers.io.importing import ImportFailure

    assert one_line(ImportFailure("this is a web page, not a table\nmore")) == (
        "this is a web page, not a table")
    assert one_line(PermissionError(13, "Permission denied")) == "[Errno 13] Permission denied"
    assert one_line(ZeroDivisionError("division by zero")) == (
        "ZeroDivisionError: division by zero")
    assert one_line(RuntimeError()) == "RuntimeError"


def test_a_background_job_reports_on_the_gui_thread(qtbot):
    owner = _parent(qtbot)
    job = BackgroundJob(lambda progress: threading.current_thread().name, owner)
    got = []
    job.succeeded.connect(lambda name: got.append((name, threading.current_thread())))
    job.start()
    assert job.running
    assert job.wait(10)
    name, thread = got[0]
    assert thread is threading.main_thread() and name != threading.main_thread().name
