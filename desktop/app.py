"""Starting the desktop app."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop.i18n import install_language, preferred_language
from layers.store import open_project


def create_application() -> QApplication:
    """Return the QApplication, created with the app's names and language.

    Returns
    -------
    QApplication
        The application.
    """
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    app.setOrganizationName("facility-mapper")
    app.setApplicationName("facility-mapper")
    from desktop.canvas.renderer import cjk_font

    app.setFont(cjk_font(10))
    install_language(preferred_language())
    return app


def run_app(project_path: Path) -> int:
    """Open the main window on a project and run the event loop.

    Parameters
    ----------
    project_path : Path
        The project GeoPackage.

    Returns
    -------
    int
        The exit code.
    """
    app = create_application()
    from desktop.main_window import MainWindow

    window = MainWindow(open_project(project_path))
    window.show()
    QTimer.singleShot(0, window.offer_recovery)
    if os.environ.get("FACILITY_MAPPER_EXIT_AFTER_PAINT"):  # used by the startup benchmark
        window.canvas.rendered.connect(lambda: QTimer.singleShot(0, app.quit))
    code = app.exec()
    from desktop.workers import finish_background_work

    finish_background_work()  # a boundary read still running must not report to nothing
    return code
