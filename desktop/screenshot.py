"""A picture of the main window, made headless (for the README and for checks)."""

from __future__ import annotations

import os
from pathlib import Path

from layers.store import open_project


def save_window_screenshot(project_path: Path, out: Path, community: str = "翠苑一区",
                           language: str = "zh_CN", size: tuple[int, int] = (1500, 920)) -> Path:
    """Open the main window offscreen on a community, identify it, and save a PNG.

    Parameters
    ----------
    project_path : Path
        Project GeoPackage.
    out : Path
        PNG to write.
    community : str
        Community to fly to.
    language : str
        UI language.
    size : tuple of int
        Window size.

    Returns
    -------
    Path
        The written file.
    """
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings

    from desktop.app import create_application
    from desktop.canvas.export_image import save_png
    from desktop.main_window import MainWindow

    app = create_application()
    QSettings().remove("window")  # a clean default layout, not the user's
    window = MainWindow(open_project(project_path), basemap=False)
    window.set_language(language)
    window.resize(*size)
    window.show()
    app.processEvents()
    window.search(community)
    window.set_tool("identify")
    app.processEvents()
    from desktop.canvas.admin_drawing import admin_loader
    from desktop.workers import finish_background_work, wait_until

    wait_until(lambda: not admin_loader().busy, 60)  # the offline boundaries, read off-thread
    window.canvas.render_now()
    app.processEvents()
    save_png(window.grab().toImage(), out)

    finish_background_work()  # jobs the window started end while it is still there
    window.project.set_modified(False)
    window.close()
    finish_background_work()
    return Path(out)
