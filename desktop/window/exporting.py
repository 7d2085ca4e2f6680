"""File → Export: the map as a PNG image and as an interactive HTML page."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings

from desktop.file_dialogs import save_file_name
from desktop.i18n import tr
from desktop.workers import run_with_progress

if TYPE_CHECKING:
    from desktop.main_window import MainWindow


class Exporting:
    """Write the map for people without the app: a picture, or a web page.

    The files are written off the GUI thread; neither write can stop midway, so
    neither offers *Cancel*.

    Parameters
    ----------
    window : MainWindow
        The window whose project and canvas are exported.
    """

    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def export_png_dialog(self) -> Path | None:
        """Ask for a file and save the map as shown, as a PNG image.

        Returns
        -------
        Path or None
            The written file.
        """
        path = save_file_name(self.window, tr("Export Map Image"), "map.png",
                              tr("PNG image (*.png)"))
        return None if path is None else self.export_png_to(path)

    def export_png_to(self, path: Path) -> Path | None:
        """Save the map as shown on the canvas to ``path``.

        The picture is taken on the GUI thread (it is the widget's own drawing);
        compressing and writing it happen on a worker thread.

        Parameters
        ----------
        path : Path
            Target ``.png``.

        Returns
        -------
        Path or None
            The written file, or None on failure.
        """
        from desktop.canvas.export_image import save_png

        image = self.window.canvas.map_image()

        def write(_progress: object) -> Path:
            return save_png(image, path)

        out = run_with_progress(self.window, tr("Export Map Image"), write,
                                label=tr("Export Map Image…"), can_cancel=False)
        if out is not None:
            self.window.status.show_message(tr("Saved") + f" {out}", 5000)
        return out

    def print_layout_dialog(self) -> None:
        """Open the print layout: title, legend, scale, north arrow, 审图号, preview."""
        from desktop.dialogs.print_layout_dialog import PrintLayoutDialog

        PrintLayoutDialog(self.window.project, self.window).exec()

    def export_html_dialog(self) -> Path | None:
        """Ask for a file, export the interactive HTML map, offer to open it.

        Returns
        -------
        Path or None
            The written file.
        """
        path = save_file_name(self.window, tr("Export HTML Map"), "map.html",
                              tr("Web page (*.html)"))
        return None if path is None else self.export_html_to(path, ask_to_open=True)

    def export_html_to(self, path: Path, ask_to_open: bool = False) -> Path | None:
        """Export the interactive map to ``path`` (circles as in the circle layer).

        Parameters
        ----------
        path : Path
            Target file.
        ask_to_open : bool
            Offer to open it in the system browser.

        Returns
        -------
        Path or None
            The written file, or None on failure.
        """
        from layers.export.html import DEFAULT_TITLE, OSM_TILES, export_html, project_circles

        project = self.window.project
        # the same call as `main.py export-html`: same title, same circle label
        circles = project_circles(project)
        tiles = QSettings().value("map/tile_url", "") or OSM_TILES  # the planner's own source
        out = run_with_progress(
            self.window, tr("Export HTML Map"),
            lambda _progress: export_html(project, path, title=DEFAULT_TITLE, tiles=tiles,
                                          circles=circles),
            label=tr("Export HTML Map…"), can_cancel=False)
        if out is None:
            return None
        self.window.status.show_message(tr("Saved") + f" {out}", 5000)
        if ask_to_open:
            from desktop.tools.edit_tools_support import ask_yes_no

            if ask_yes_no(self.window, tr("Export HTML Map"), tr("Open it in the web browser?")):
                from PySide6.QtCore import QUrl
                from PySide6.QtGui import QDesktopServices

                QDesktopServices.openUrl(QUrl.fromLocalFile(str(out)))
        return out
