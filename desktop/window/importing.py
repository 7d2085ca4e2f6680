"""File → Import… and Import Article…: a planner's file or a news article into the project."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from desktop.file_dialogs import open_file_name
from desktop.i18n import tr

if TYPE_CHECKING:
    from desktop.dialogs.article_review import ArticleReviewDialog
    from desktop.dialogs.import_dialog import ImportDialog
    from desktop.main_window import MainWindow
    from desktop.tools.edit_tools import PlaceArticleTool
    from layers.articles.cleaning import CleanArticle
    from layers.articles.extraction import Extraction
    from layers.io.importing import ImportReport


#: Article files: text, saved web pages, Word and PDF (a .doc gets "save it as .docx").
ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".mhtml", ".mht", ".docx", ".doc", ".pdf")
ARTICLE_FILTER = " ".join(f"*{s}" for s in ARTICLE_SUFFIXES)

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
        #: what placing an article filled in or kept, for the review's status line
        self.placed_note = ""
        #: the review opened by the last drop of an article file on the window
        self.review: ArticleReviewDialog | None = None
        # an article file dropped on the window opens in review
        self._drops = _ArticleDrops(self, window)
        window.installEventFilter(self._drops)
        window.setAcceptDrops(True)

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
        """Read an article, review its proposals, and place the kept ones.

        Parameters
        ----------
        path : Path, optional
            A text, web page, ``.docx`` or PDF article; asked for (or pasted) when
            omitted.

        Returns
        -------
        int
            Items added now (0 when waiting for the planner's click).
        """
        from desktop.dialogs.article_review import read_article_file
        from layers.articles.cleaning import clean_article
        from layers.articles.extraction import extract

        window = self.window
        if path is None:
            path = open_file_name(window, tr("Import Article"), tr("Articles")
                                  + f" ({ARTICLE_FILTER});;" + tr("All files") + " (*)")
        if path is not None:
            read = read_article_file(window, path)
            if read is None:
                return 0
            if isinstance(read, str):
                QMessageBox.warning(window, tr("Import Article"), read)
                return 0
            (article, result), label = read, path.name
        else:
            from PySide6.QtWidgets import QInputDialog

            text, ok = QInputDialog.getMultiLineText(window, tr("Import Article"),
                                                     tr("Paste the article text:"))
            if not ok or not text.strip():
                return 0
            article = clean_article(text)
            result, label = extract(article), tr("pasted text")
        dialog = self._review_dialog(article, result, label)
        if dialog is None:
            QMessageBox.information(window, tr("Import Article"),
                                    tr("The article names no community or facility."))
            return 0
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return 0
        return self._place_reviewed(dialog)

    def _review_dialog(self, article: CleanArticle, result: Extraction,
                       label: str) -> ArticleReviewDialog | None:
        """Return the review of an article, or None when it proposes nothing."""
        from desktop.dialogs.article_review import ArticleReviewDialog

        if not result.communities and not result.facilities:
            return None
        return ArticleReviewDialog(article, result, f"{label} 《{article.title}》", self.window,
                                   project=self.window.project)

    def _place_reviewed(self, dialog: ArticleReviewDialog) -> int:
        """Place what a finished review kept, and say what it left out."""
        items = dialog.kept()
        skipped = dialog.skipped()
        self.placed_note = ""
        added = self.place_article_items(items, dialog.source)
        parts = [self.placed_note] if self.placed_note else []
        matched = [i.name for i in items if i.kind == "community" and i.existing]
        if matched:
            parts.append(tr("matched existing communities: {names}").format(
                names="、".join(matched)))
        if dialog.orphan_facts:
            parts.append(tr("{n} figures left out: their community was not kept").format(
                n=dialog.orphan_facts))
        if skipped:
            parts.append(tr("{n} left out (unticked): {names}").format(
                n=len(skipped), names="、".join(skipped[:8]) + ("…" if len(skipped) > 8
                                                               else "")))
        if parts and not self._pending_article:
            self.window.status.show_message(
                tr("Article: {n} items added").format(n=added) + " · " + " · ".join(parts),
                15000)
        return added

    def review_dropped_files(self, paths: list[Path]) -> ArticleReviewDialog | None:
        """Open the first readable article of dropped files in review, without blocking.

        Files that cannot be read, or name nothing, are listed in the status bar;
        the review places its kept items when accepted.

        Parameters
        ----------
        paths : list of Path
            The dropped files.

        Returns
        -------
        ArticleReviewDialog or None
            The open review, or None when no file could be read.
        """
        from desktop.dialogs.article_review import read_article_file

        problems = []
        dialog = None
        for number, path in enumerate(paths):
            read = read_article_file(self.window, path)
            if read is None:  # cancelled: the rest waits for another drop
                break
            if isinstance(read, str):
                problems.append(read)
                continue
            dialog = self._review_dialog(*read, path.name)
            if dialog is None:
                problems.append(f"{path.name}: "
                                + tr("The article names no community or facility."))
                continue
            if number + 1 < len(paths):
                problems.append(tr("One article at a time: {n} more dropped files were not "
                                   "read: {names}").format(
                    n=len(paths) - number - 1, names=", ".join(p.name for p in
                                                              paths[number + 1:])))
            break
        if problems:
            self.window.status.show_message(" · ".join(problems), 30000)
        if dialog is None:
            return None
        self.review = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._place_reviewed(dialog))
        dialog.open()
        return dialog

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
        from desktop.editing.commands import AddFeaturesCommand, ChangeAttributesCommand
        from layers.articles.community_facts import existing_changes
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
        # figures of communities the project already has fill their empty fields only
        figures = existing_changes(project.communities.frame,
                                   [i for i in items if i.kind == "fact" and i.community not in
                                    set(comms["name"])], source)
        editor.stack.beginMacro(tr("Import article") + f" {source[:30]}")
        if len(comms):
            editor.push(AddFeaturesCommand(project, "communities", comms, tr("Add communities")))
        if len(facs):
            editor.push(AddFeaturesCommand(project, "facilities", facs, tr("Add facilities")))
        for fid, values in figures.values.items():
            editor.push(ChangeAttributesCommand(project, "communities", fid, values,
                                                tr("Figures from the article")))
        editor.stack.endMacro()
        said = [x for x in (comms.attrs.get("filled"), figures.summary(tr)) if x]
        self.placed_note = " · ".join(said)
        if said:
            window.status.show_message(self.placed_note, 15000)
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


def article_files(paths: list[Path]) -> list[Path]:
    """Return the dropped files that are articles by their name, in order.

    Parameters
    ----------
    paths : list of Path
        Dropped files.

    Returns
    -------
    list of Path
        Those ending in one of :data:`ARTICLE_SUFFIXES` (their content decides
        how they are read).
    """
    return [p for p in paths if p.suffix.lower() in ARTICLE_SUFFIXES]


class _ArticleDrops(QObject):
    """Article files dropped on the main window open in the review dialog."""

    def __init__(self, importing: Importing, parent: QObject) -> None:
        super().__init__(parent)
        self.importing = importing

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Accept drags of article files; open a dropped one in review."""
        from desktop.dialogs.article_review import dropped_files

        kind = event.type()
        if kind not in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            return False
        paths = article_files(dropped_files(event.mimeData()))
        if not paths:
            return False
        event.acceptProposedAction()
        if kind == QEvent.Type.Drop:
            self.importing.review_dropped_files(paths)
        return True
