"""File → Import… and Import Article…: a planner's file or a news article into the project."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QMessageBox

from desktop.file_dialogs import open_file_name
from desktop.i18n import tr

if TYPE_CHECKING:
    from desktop.dialogs.import_dialog import ImportDialog
    from desktop.main_window import MainWindow
    from desktop.tools.edit_tools import PlaceArticleTool
    from layers.io.importing import ImportReport


IMPORT_FILTER = ("*.csv *.txt *.tsv *.xlsx *.geojson *.json *.gpkg *.shp *.zip *.kml *.kmz "
                 "*.osm *.pbf")


def import_message(report: ImportReport) -> str:
    """Return an import's report as one status-bar line: the report's lines in order.

    Parameters
    ----------
    report : ImportReport
        What the import did.

    Returns
    -------
    str
        The lines of :meth:`ImportReport.summary`, joined with " · ".
    """
    return " · ".join(report.summary(tr).splitlines())


class Importing:
    """Bring a planner's data into the project, each import one undoable step.

    Parameters
    ----------
    window : MainWindow
        The window whose project receives the features.
    """

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self._pending_article: tuple[list, str] | None = None

    def import_dialog(self, path: Path | None = None) -> int:
        """Import a planner's file as one undoable step, then show the report.

        Parameters
        ----------
        path : Path, optional
            The file; asked for when omitted.

        Returns
        -------
        int
            Features imported.
        """
        from desktop.dialogs.import_dialog import ImportDialog

        if path is None:
            path = open_file_name(self.window, tr("Import"), tr("Geodata and tables")
                                  + f" ({IMPORT_FILTER});;" + tr("All files") + " (*)")
            if path is None:
                return 0
        dialog = ImportDialog(Path(path), self.window, self.window.project)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.raw is None:
            return 0
        return self.finish_import(dialog)

    def finish_import(self, dialog: ImportDialog) -> int:
        """Add the features a finished import dialog read, as one undo step.

        Parameters
        ----------
        dialog : ImportDialog
            A dialog whose file was read.

        Returns
        -------
        int
            Features imported.
        """
        from desktop.editing.commands import AddFeaturesCommand
        from layers.io.importing import ImportFailure

        try:
            frame = dialog.result_frame()
        except ImportFailure as exc:
            QMessageBox.warning(self.window, tr("Import failed"), str(exc))
            return 0
        layer = dialog.layer.currentData()
        if len(frame):
            self.window.editor.push(AddFeaturesCommand(self.window.project, layer, frame,
                                                       tr("Import") + f" {dialog.path.name}"))
        self.window.status.show_message(import_message(dialog.report), 15000)
        return len(frame)

    def import_article_dialog(self, path: Path | None = None) -> int:
        """Read a news article, review its proposals, and place the kept ones.

        Parameters
        ----------
        path : Path, optional
            A ``.txt`` or ``.html`` article; asked for (or pasted) when omitted.

        Returns
        -------
        int
            Items added now (0 when waiting for the planner's click).
        """
        from desktop.dialogs.article_review import ArticleReviewDialog
        from layers.articles.cleaning import clean_article, clean_article_file
        from layers.articles.extraction import extract
        from layers.io.text_files import TextFileError

        window = self.window
        if path is None:
            path = open_file_name(window, tr("Import Article"), tr("Articles")
                                  + " (*.txt *.html *.htm);;" + tr("All files") + " (*)")
        try:
            if path is not None:
                article = clean_article_file(path)
                label = path.name
            else:
                from PySide6.QtWidgets import QInputDialog

                text, ok = QInputDialog.getMultiLineText(window, tr("Import Article"),
                                                         tr("Paste the article text:"))
                if not ok or not text.strip():
                    return 0
                article = clean_article(text)
                label = tr("pasted text")
        except TextFileError as exc:
            QMessageBox.warning(window, tr("Import Article"), str(exc))
            return 0
        result = extract(article)
        if not result.communities and not result.facilities:
            QMessageBox.information(window, tr("Import Article"),
                                    tr("The article names no community or facility."))
            return 0
        source = f"{label} 《{article.title}》"
        dialog = ArticleReviewDialog(article, result, source, window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return 0
        return self.place_article_items(dialog.kept(), source)

    def place_article_items(self, items: list, source: str,
                            anchor: tuple[float, float] | None = None) -> int:
        """Add reviewed items near their communities, or ask for one click first.

        Parameters
        ----------
        items : list of KeptItem
            What the planner kept.
        source : str
            The article's label and title.
        anchor : tuple of float, optional
            Where the planner clicked for new communities.

        Returns
        -------
        int
            Items added (0 while waiting for the click).
        """
        from desktop.editing.commands import AddFeaturesCommand
        from layers.articles.placing import needs_anchor, placed_frames

        window = self.window
        project, editor, canvas = window.project, window.editor, window.canvas
        if not items:
            return 0
        if anchor is None and needs_anchor(project, items):
            self._pending_article = (items, source)
            tool = self._place_article_tool()
            tool.pending = True
            canvas.set_tool(tool)
            window.status.show_message(
                tr("Click on the map where the article's communities are"), 15000)
            return 0
        comms, facs = placed_frames(project, items, source, anchor)
        editor.stack.beginMacro(tr("Import article") + f" {source[:30]}")
        if len(comms):
            editor.push(AddFeaturesCommand(project, "communities", comms, tr("Add communities")))
        if len(facs):
            editor.push(AddFeaturesCommand(project, "facilities", facs, tr("Add facilities")))
        editor.stack.endMacro()
        if comms.attrs.get("filled"):
            window.status.show_message(comms.attrs["filled"], 15000)
        if anchor is not None:
            window.set_tool("pan")
        geoms = list(comms.geometry) + list(facs.geometry)
        if geoms:
            import shapely

            canvas.zoom_to_lonlat_bounds(tuple(shapely.total_bounds(geoms)), min_span=800)
        return len(comms) + len(facs)

    def _place_article_tool(self) -> PlaceArticleTool:
        """Return the one-click tool that places the pending article's new communities."""
        from desktop.tools.edit_tools import PlaceArticleTool

        tools = self.window.toolbars.tools
        if "place_article" not in tools:
            tools["place_article"] = PlaceArticleTool(
                self.window.canvas, lambda lon, lat: self.place_article_items(
                    *self._pending_article, (lon, lat)))
        return tools["place_article"]
