"""File → Export: the map as a PNG image and as an interactive HTML page."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from desktop.file_dialogs import save_file_name
from desktop.i18n import tr
from desktop.workers import run_with_progress
from layers.export.errors import ExportError
from layers.geo.basemaps import BasemapSource

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
        """Save the map of the canvas's view to ``path``, as ``main.py export-png`` draws it.

        The same picture as the command line for the same extent: the layers, the
        boundaries and basemap as shown, with legend, scale bar and credits, and no
        selection rings or tool overlays. It is drawn on the GUI thread (the basemap's
        tiles live there); compressing and writing happen on a worker thread.

        Parameters
        ----------
        path : Path
            Target ``.png``.

        Returns
        -------
        Path or None
            The written file, or None on failure.
        """
        from desktop.canvas.export_image import render_map_image, save_png
        from layers.geo.map_view import mercator_to_lonlat

        canvas = self.window.canvas
        x0, y0, x1, y1 = canvas.view.extent
        (west, east), (south, north) = mercator_to_lonlat([x0, x1], [y0, y1])
        try:
            image = render_map_image(self.window.project, canvas.width(), canvas.height(),
                                     basemap=canvas.renderer.basemap,
                                     extent=(float(west), float(south), float(east),
                                             float(north)),
                                     admin_areas=canvas.renderer.admin_areas)
        except ExportError as exc:
            QMessageBox.warning(self.window, tr("Export Map Image"), str(exc))
            return None

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
        tiles = html_basemap() or OSM_TILES
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

    def export_report_dialog(self) -> Path | None:
        """Ask for a file and write the coverage report (Word, Excel or JSON).

        Returns
        -------
        Path or None
            The written file.
        """
        filters = ";;".join((tr("Word document (*.docx)"), tr("Excel workbook (*.xlsx)"),
                             tr("JSON (*.json)")))
        path = save_file_name(self.window, tr("Export Report"), "report.docx", filters)
        if path is None:
            return None
        if path.suffix.lower() not in (".docx", ".xlsx", ".json"):
            path = path.with_name(path.name + ".docx")  # no type typed: a Word report
        return self.export_report_to(path)

    def export_report_to(self, path: Path) -> Path | None:
        """Write the coverage report to ``path``, with the checklist dock's walk.

        The report uses the checklist, walk time, preset and *along roads* choice of
        the checklist dock. A Word report gets the print layout's map as its figure
        (drawn here on the GUI thread; the report is built and written on a worker
        thread, which can be cancelled only while walking along roads).

        Parameters
        ----------
        path : Path
            Target ``.docx``, ``.xlsx`` or ``.json``.

        Returns
        -------
        Path or None
            The written file, or None when cancelled or failed.
        """
        from layers.report.docx_report import write_docx_report
        from layers.report.json_report import write_json_report
        from layers.report.model import build_report
        from layers.report.xlsx_report import write_xlsx_report

        window = self.window
        panel = window.checklist
        project, checklist, walk = window.project, panel.checklist, panel.walk()
        minutes = float(panel.minutes.value())
        along = (project.has_layer("roads") and len(project.layer("roads")) > 0
                 and panel.along_roads.isChecked())
        suffix = path.suffix.lower()
        map_png = self._report_map(minutes, walk, along) if suffix == ".docx" else None

        def job(progress: object) -> Path | None:
            report = build_report(project, checklist, walk, minutes, along_roads=along,
                                  progress=progress)
            if report is None or (along and not progress(1, 1)):
                return None  # cancelled: nothing written
            if suffix == ".docx":
                return write_docx_report(report, path, map_png)
            if suffix == ".xlsx":
                return write_xlsx_report(report, path)
            return write_json_report(report, path)

        out = run_with_progress(window, tr("Export Report"), job,
                                label=tr("Writing the report…"), can_cancel=along)
        if out is not None:
            window.status.show_message(tr("Saved") + f" {out}", 5000)
        return out

    def _report_map(self, minutes: float, walk: object, along: bool) -> bytes | None:
        """Draw the print layout's page (with the walk's circles) as PNG bytes."""
        from PySide6.QtCore import QBuffer, QIODevice

        from desktop.canvas.print_layout import render_page_image
        from layers.export.layout.build import build_layout
        from layers.export.layout.page import LayoutOptions

        project = self.window.project
        options = LayoutOptions(landscape=True, dpi=150,
                                minutes=None if along else minutes,
                                radius_m=None if along else walk.radius_m(minutes))
        try:
            image = render_page_image(project, build_layout(project, options), options.dpi)
        except ExportError:
            return None  # nothing to draw: the report says the map is left out
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        return bytes(buffer.data())


def html_basemap() -> BasemapSource | None:
    """Return the basemap the window shows, for an exported page (OpenStreetMap failing it).

    A Tianditu basemap gets the planner's key written in (it is their own page); without
    a key, or for no basemap on screen, the page offers OpenStreetMap.

    Returns
    -------
    BasemapSource or None
        The source; None for OpenStreetMap.
    """
    from desktop.window.basemap import saved_choice
    from layers.geo.basemaps import BasemapError, parse_basemap, tianditu_key, with_key

    try:
        source = parse_basemap(saved_choice())
    except BasemapError:
        return None
    if source is not None and source.needs_key:
        key = tianditu_key(str(QSettings().value("map/tianditu_key", "") or ""))
        source = with_key(source, key) if key else None
    return source
