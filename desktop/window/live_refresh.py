"""Others' saves, live: a window on a database project loads them as they happen.

The project's store announces every new revision (``NOTIFY``); a
``QSocketNotifier`` on the listener's socket wakes the window, which loads the
rows others changed (``layers.store.live.catch_up``) and says so in the status
bar. The planner's own unsaved edits stay; a row changed on both sides keeps
the planner's version and is settled in the conflict dialog on save. A slow
timer polls too, in case an announcement was read off the socket without waking
the notifier. The listener is closed when another project is opened and when
the window closes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSocketNotifier, QTimer, Signal

from desktop.i18n import tr
from layers.model.changes import StoreError
from layers.store.live import Refreshed, can_follow, catch_up

if TYPE_CHECKING:
    from desktop.main_window import MainWindow
    from layers.model.project import Project
    from layers.store.postgis import Listener

#: Announcements arriving together are loaded together, this long after the first.
GATHER_MS = 50
#: The fallback poll, should the socket notifier miss an announcement.
POLL_MS = 2000


class _Hearing:
    """The listener of one project: plain Python, so the window's end can close it."""

    def __init__(self, listener: Listener) -> None:
        self.listener: Listener | None = listener

    def close(self, *_args: object) -> None:
        if self.listener is not None:
            self.listener.close()
            self.listener = None


class LiveRefresh(QObject):
    """Hears others' saves to the window's database project and loads them.

    Parameters
    ----------
    window : MainWindow
        The window whose project is followed.

    Attributes
    ----------
    refreshed : Signal(object)
        A :class:`~layers.store.live.Refreshed` after each load.
    """

    refreshed = Signal(object)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.project: Project | None = None
        self._hearing: _Hearing | None = None
        self._notifier: QSocketNotifier | None = None
        self._seen: int | None = None
        self._gather = QTimer(self)
        self._gather.setSingleShot(True)
        self._gather.setInterval(GATHER_MS)
        self._gather.timeout.connect(self.load)
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._on_readable)

    @property
    def listening(self) -> bool:
        """Whether others' saves to the project are being heard."""
        return self._hearing is not None and self._hearing.listener is not None

    def follow(self, project: Project) -> None:
        """Hear others' saves to ``project`` (nothing for a GeoPackage project).

        Parameters
        ----------
        project : Project
            The window's project now.
        """
        self.stop()
        self.project = project
        if not can_follow(project):
            return
        try:
            listener = project.store.listen()
        except StoreError as exc:
            self.window.status.show_message(
                tr("Others' saves are not loaded live") + f": {exc}", 15000)
            return
        hearing = _Hearing(listener)
        self._hearing = hearing
        # the window may be destroyed without a close (scripts, tests): close then too
        self.window.destroyed.connect(hearing.close)
        self._seen = project.revision
        self._notifier = QSocketNotifier(listener.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_readable)
        self._poll.start()
        self.window.installEventFilter(self)  # only while listening: no cost otherwise

    def stop(self) -> None:
        """Stop hearing the project's saves and close the listener's connection."""
        self._poll.stop()
        self._gather.stop()
        self.window.removeEventFilter(self)
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.activated.disconnect(self._on_readable)
            self._notifier.deleteLater()
            self._notifier = None
        if self._hearing is not None:
            self._hearing.close()
            try:
                self.window.destroyed.disconnect(self._hearing.close)
            except (RuntimeError, TypeError):
                pass
            self._hearing = None
        if self.project is not None and hasattr(self.project.store, "close"):
            self.project.store.close()  # the history's reading connection; reopened on demand
        self.project = None

    def _on_readable(self, *_args: object) -> None:
        if not self.listening:
            return
        try:
            revisions = self._hearing.listener.poll(0)
        except StoreError as exc:
            self.stop()
            self.window.status.show_message(
                tr("Others' saves are no longer loaded live") + f": {exc}", 30000)
            return
        if revisions and max(revisions) > (self._seen or 0):
            self._gather.start()

    def load(self) -> Refreshed | None:
        """Load what others saved since the last load, and say so in the status bar.

        Returns
        -------
        Refreshed or None
            None when nothing is followed or the database could not be read.
        """
        project = self.project
        if project is None or project is not self.window.project:
            self.stop()
            return None
        try:
            result = catch_up(project, self._seen)
        except StoreError as exc:
            self.window.status.show_message(
                tr("Could not load others' saves") + f": {exc}", 15000)
            return None
        self._seen = result.revision
        parts = []
        if result.loaded:
            parts.append(tr("{n} changes from others loaded").format(n=result.loaded))
        if result.conflicts:
            parts.append(tr("{n} of your unsaved edits were also changed by somebody else: "
                            "you choose which to keep when you save")
                         .format(n=len(result.conflicts)))
        if parts:
            self.window.status.show_message(" · ".join(parts), 15000)
        self.refreshed.emit(result)
        return result

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Stop hearing once the window has closed (a close the planner cancelled keeps it)."""
        if watched is self.window and event.type() == QEvent.Type.Close:
            QTimer.singleShot(0, self._stop_if_closed)
        return False

    def _stop_if_closed(self) -> None:
        if not self.window.isVisible():
            self.stop()
