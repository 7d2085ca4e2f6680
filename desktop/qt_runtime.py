"""Starting Qt safely, for the window and for headless rendering."""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication


def ensure_gui_application(headless: bool = False) -> QCoreApplication:
    """Return the running Qt application, creating a GUI one if needed.

    Parameters
    ----------
    headless : bool
        Use the offscreen platform when there is no display, so image export
        works on servers.

    Returns
    -------
    QCoreApplication
        The application instance.
    """
    app = QCoreApplication.instance()
    if app is not None:
        return app
    if headless and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return QGuiApplication(sys.argv[:1])
