"""File ▸ Import Article…: review what an article proposes, then place it on the map.

Nothing an article proposes enters the project without this review. Items the
reader is unsure of (confidence under :data:`LOW_CONFIDENCE`) start unticked; a
community the project already has is shown as matched and receives the kept
facilities instead of being added again; every row left unticked is counted. An
article file (text, web page, ``.docx``, PDF) dropped on the dialog replaces the
article under review.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import tr
from layers.articles.cleaning import CleanArticle
from layers.articles.community_facts import FACT_FIELDS, community_facts
from layers.articles.extraction import LOW_CONFIDENCE, Extraction
from layers.articles.matching import CommunityMatcher
from layers.model.categories import CATEGORIES

if TYPE_CHECKING:
    from PySide6.QtCore import QMimeData

    from layers.model.project import Project

#: The table's columns.
KEEP, NAME, PLACE, COMMUNITY, CONFIDENCE, IN_PROJECT = range(6)


def dropped_files(mime: QMimeData) -> list[Path]:
    """Return the local files a drag carries, in order.

    Parameters
    ----------
    mime : QMimeData
        The drag's data.

    Returns
    -------
    list of Path
        Local files (not folders); empty for text or web links.
    """
    if not mime.hasUrls():
        return []
    paths = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
    return [p for p in paths if p.is_file()]


def read_article_file(parent: QWidget, path: Path) -> tuple[CleanArticle, Extraction] | str | None:
    """Read, clean and extract an article file off the GUI thread, with progress.

    A long PDF or a big saved page takes seconds: a progress dialog with *Cancel*
    shows after a moment, and the window keeps repainting.

    Parameters
    ----------
    parent : QWidget
        The window or dialog the progress belongs to.
    path : Path
        The article file.

    Returns
    -------
    (CleanArticle, Extraction) or str or None
        The article and its proposals; a one-line reason when the file cannot be
        read; None when the planner cancelled.
    """
    from desktop.workers import run_with_progress

    def job(progress: Callable[[int, int], bool]) -> tuple[CleanArticle, Extraction] | str | None:
        from layers.articles.cleaning import clean_article_file
        from layers.articles.extraction import extract
        from layers.io.text_files import TextFileError

        try:
            article = clean_article_file(path)
        except TextFileError as exc:
            return str(exc)
        if not progress(1, 2):
            return None
        return article, extract(article)

    return run_with_progress(parent, tr("Import Article"), job,
                             label=tr("Reading {name}…").format(name=path.name), total=2)


@dataclass
class KeptItem:
    """One reviewed proposal the planner keeps."""

    kind: str  # "community", "facility" or "fact" (a figure of a community)
    name: str
    #: a facility's category; a fact's kind (``households``, ``population``…)
    category: str | None
    community: str | None
    quote: str
    street: str | None = None
    district: str | None = None
    city: str | None = None
    #: a community already in the project (``name`` is its name there): not added again
    existing: bool = False
    #: a fact's figure, whether the article says it is approximate, and its words
    value: float | None = None
    approx: bool = False
    written: str = ""


class ArticleReviewDialog(QDialog):
    """Proposals on the right, the article with their quotes highlighted on the left.

    Parameters
    ----------
    article : CleanArticle
        The cleaned article.
    extraction : Extraction
        What :func:`layers.articles.extraction.extract` proposed.
    source : str
        Label of the source (file name and title), stored with each item.
    parent : QWidget, optional
        Parent.
    project : Project, optional
        The project the items go into: its communities are matched.
    """

    def __init__(self, article: CleanArticle, extraction: Extraction, source: str,
                 parent: QWidget | None = None, project: Project | None = None) -> None:
        super().__init__(parent)
        self.resize(1100, 700)
        self.setAcceptDrops(True)
        self.project = project
        self.text = QTextBrowser()
        self.text.setAcceptDrops(False)  # a dropped file is for the dialog, not the text
        self.table = QTableWidget(0, 6)
        self.table.setAcceptDrops(False)
        self.table.setHorizontalHeaderLabels([tr("Keep"), tr("Name"), tr("Category / place"),
                                              tr("Community"), tr("Confidence"),
                                              tr("In the project")])
        self.table.horizontalHeader().setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        self.table.currentCellChanged.connect(lambda row, *_: self._highlight(row))
        self.table.itemChanged.connect(self._item_changed)
        self.rows: list[tuple[str, object]] = []
        splitter = QSplitter()
        splitter.addWidget(self.text)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(QLabel(tr("Tick what to keep; names, categories and communities can be "
                               "edited.")))
        rl.addWidget(self.table)
        splitter.addWidget(right)
        splitter.setSizes([520, 580])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Place on the map"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        #: what reading left out, a file that could not be read, rows left unticked
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.counts = QLabel()
        self.facts = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        bottom = QHBoxLayout()
        bottom.addWidget(self.facts)
        bottom.addWidget(self.counts)
        bottom.addStretch(1)
        bottom.addWidget(QLabel(tr("Drop another article file here to review it instead.")))
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        self.show_article(article, extraction, source)

    def show_article(self, article: CleanArticle, extraction: Extraction, source: str) -> None:
        """Review this article instead of the current one.

        Parameters
        ----------
        article : CleanArticle
            The cleaned article.
        extraction : Extraction
            Its proposals.
        source : str
            Its label (file name and title).
        """
        self.article = article
        self.extraction = extraction
        self.source = source
        self.setWindowTitle(tr("Review article") + f" — {article.title[:40]}")
        self.matcher = (CommunityMatcher(self.project.communities.frame)
                        if self.project is not None else None)
        self.table.blockSignals(True)  # filling the table is not the planner ticking rows
        self.table.setRowCount(0)
        self.rows = []
        self.orphan_facts = 0
        for proposal in extraction.communities:
            self._add_row("community", proposal)
        for proposal in extraction.facilities:
            self._add_row("facility", proposal)
        # households, residents, built year, elderly share of a proposed community
        for fact in community_facts(extraction.facts, [p.name for p in extraction.communities]):
            self._add_row("fact", fact)
        self.table.blockSignals(False)
        self.facts.setText(tr("Facts found") + f": {len(extraction.facts)}")
        notes = [html.escape(n) for n in getattr(article, "notes", [])]
        self.message.setText("<br/>".join(notes))
        self._update_counts()
        self._highlight(-1)

    def load_file(self, path: Path) -> bool:
        """Read, clean and extract an article file and review it instead.

        A file that cannot be read, or names nothing, leaves the current article
        under review and says why in the dialog.

        Parameters
        ----------
        path : Path
            A text, web page, ``.docx`` or PDF article.

        Returns
        -------
        bool
            True when the file is now under review.
        """
        read = read_article_file(self, path)
        if read is None:  # cancelled
            return False
        if isinstance(read, str):
            self._problem(read)
            return False
        article, result = read
        if not result.communities and not result.facilities:
            self._problem(f"{path.name}: " + tr("The article names no community or facility."))
            return False
        self.show_article(article, result, f"{path.name} 《{article.title}》")
        return True

    def _problem(self, text: str) -> None:
        self.message.setText(f"<span style='color:#b00020'>{html.escape(text)}</span>")

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        """Accept a drag that carries a file."""
        if dropped_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 - Qt's name
        """Keep accepting a drag that carries a file."""
        if dropped_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        """Review the dropped article file instead of the current one."""
        paths = dropped_files(event.mimeData())
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        if self.load_file(paths[0]) and len(paths) > 1:
            self._problem(tr("One article at a time: {n} more dropped files were not read: "
                             "{names}").format(n=len(paths) - 1,
                                               names=", ".join(p.name for p in paths[1:])))

    def _add_row(self, kind: str, proposal: object) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        confidence = float(getattr(proposal, "confidence", 1.0))
        keep = QTableWidgetItem({"community": "社区", "facility": "设施"}.get(kind, "数据"))
        keep.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                      | Qt.ItemFlag.ItemIsSelectable)
        keep.setCheckState(Qt.CheckState.Checked if confidence >= LOW_CONFIDENCE
                           else Qt.CheckState.Unchecked)
        self.table.setItem(row, KEEP, keep)
        if kind == "fact":
            label, _unit = FACT_FIELDS[proposal.kind]
            figure = QTableWidgetItem(f"{label}：{proposal.written or proposal.value}")
            figure.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            self.table.setItem(row, NAME, figure)
        else:
            self.table.setItem(row, NAME, QTableWidgetItem(proposal.name))
        if kind == "fact":
            value = QTableWidgetItem(tr("fills the community's field"))
            value.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(row, PLACE, value)
            owner = QTableWidgetItem(proposal.community or "")
            owner.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            self.table.setItem(row, COMMUNITY, owner)
        elif kind == "facility":
            combo = QComboBox()
            for c in CATEGORIES:
                combo.addItem(c.label_zh, c.id)
            combo.setCurrentIndex(max(0, combo.findData(proposal.category)))
            self.table.setCellWidget(row, PLACE, combo)
            self.table.setItem(row, COMMUNITY, QTableWidgetItem(proposal.community or ""))
        else:
            where = " ".join(x for x in (proposal.city, proposal.district, proposal.street) if x)
            item = QTableWidgetItem(where)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(row, PLACE, item)
            self.table.setItem(row, COMMUNITY, QTableWidgetItem(""))
        sure = QTableWidgetItem(f"{confidence:.0%}")
        sure.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        sure.setData(Qt.ItemDataRole.UserRole, confidence)
        if confidence < LOW_CONFIDENCE:
            sure.setForeground(QColor("#b00020"))
            sure.setToolTip(tr("Low confidence: left unticked; check the quote before keeping "
                               "it"))
        self.table.setItem(row, CONFIDENCE, sure)
        match = QTableWidgetItem("")
        match.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        self.table.setItem(row, IN_PROJECT, match)
        self.rows.append((kind, proposal))
        self._show_match(row)

    def existing_community(self, row: int) -> str | None:
        """Return the project community a row's community is, or None.

        Parameters
        ----------
        row : int
            A row of the table.

        Returns
        -------
        str or None
            For a community row, the project community it matches (by its
            current name, the article's district and city); for a facility row,
            the project community its community matches.
        """
        if self.matcher is None:
            return None
        kind, proposal = self.rows[row]
        if kind == "community":
            hit = self.matcher.match(self.table.item(row, NAME).text(), proposal.district,
                                     proposal.city)
            return hit.name if hit else None
        name = self.table.item(row, COMMUNITY).text().strip()
        if not name:
            return None
        # the article's own community row says where it is
        for r, (k, _p) in enumerate(self.rows):
            if k == "community" and self.table.item(r, NAME).text().strip() == name:
                return self.existing_community(r)
        hit = self.matcher.match(name)
        return hit.name if hit else None

    def _show_match(self, row: int) -> None:
        existing = self.existing_community(row)
        kind = self.rows[row][0]
        item = self.table.item(row, IN_PROJECT)
        if existing is None:
            item.setText(tr("new") if kind == "community" and self.matcher is not None else "")
        elif kind == "community":
            item.setText(tr("matches existing {name}").format(name=existing))
        else:
            item.setText(tr("in existing {name}").format(name=existing))

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() in (NAME, COMMUNITY):
            self.table.blockSignals(True)
            for row in range(self.table.rowCount()):
                self._show_match(row)
            self.table.blockSignals(False)
        self._update_counts()

    def skipped(self) -> list[str]:
        """Return the names of the rows left unticked, in table order.

        Returns
        -------
        list of str
            Names as they stand in the table.
        """
        return [self.table.item(r, NAME).text() for r in range(self.table.rowCount())
                if self.table.item(r, KEEP).checkState() != Qt.CheckState.Checked]

    def _update_counts(self) -> None:
        total = self.table.rowCount()
        left = len(self.skipped())
        text = tr("Keeping {kept} of {total}").format(kept=total - left, total=total)
        if left:
            text += " · " + tr("{n} left out (unticked)").format(n=left)
        self.counts.setText(text)

    def _highlight(self, current: int) -> None:
        text = self.article.text
        marks = []
        for i, (_kind, proposal) in enumerate(self.rows):
            a, b = proposal.offsets
            marks.append((a, b, i == current))
        marks.sort()
        out, pos = [], 0
        for a, b, strong in marks:
            if a < pos:
                if strong:
                    out.append("")
                continue
            colour = "#ffb703" if strong else "#fff3b0"
            out.append(html.escape(text[pos:a]))
            if strong:
                out.append("<a name='current'></a>")
            out.append(f"<span style='background:{colour}'>{html.escape(text[a:b])}</span>")
            pos = b
        out.append(html.escape(text[pos:]))
        self.text.setHtml("<p style='line-height:150%'>"
                          + "".join(out).replace("\n", "<br/><br/>") + "</p>")
        if current >= 0:
            self.text.scrollToAnchor("current")

    def set_kept(self, row: int, keep: bool) -> None:
        """Tick or untick a row (for scripts and tests).

        Parameters
        ----------
        row : int
            Row.
        keep : bool
            Keep it.
        """
        self.table.item(row, 0).setCheckState(Qt.CheckState.Checked if keep
                                              else Qt.CheckState.Unchecked)

    def kept(self) -> list[KeptItem]:
        """Return the ticked proposals with the planner's edits.

        A community the project already has comes back under its project name,
        with ``existing`` set, and the facilities of that community name it too,
        so they join it rather than a second community.

        A figure (households, residents…) is kept only with its community: kept in
        this review, or already in the project; :attr:`orphan_facts` counts the others.

        Returns
        -------
        list of KeptItem
            Communities first, then facilities, then figures.
        """
        out = []
        self.orphan_facts = 0
        # the article's name of each kept community, to the name the planner gave it
        kept_names = {p.name: self.table.item(r, NAME).text().strip()
                      for r, (k, p) in enumerate(self.rows) if k == "community"
                      and self.table.item(r, KEEP).checkState() == Qt.CheckState.Checked}
        for row, (kind, proposal) in enumerate(self.rows):
            if self.table.item(row, KEEP).checkState() != Qt.CheckState.Checked:
                continue
            name = self.table.item(row, NAME).text().strip()
            if not name:
                continue
            combo = self.table.cellWidget(row, PLACE)
            category = combo.currentData() if isinstance(combo, QComboBox) else None
            community = (self.table.item(row, COMMUNITY).text().strip() or None) \
                if kind == "facility" else None
            existing = self.existing_community(row)
            if kind == "fact":
                owner = existing or kept_names.get(proposal.community)
                if owner is None:
                    self.orphan_facts += 1
                    continue
                out.append(KeptItem("fact", name, proposal.kind, owner, proposal.quote,
                                    value=float(proposal.value), approx=proposal.approx,
                                    written=proposal.written))
                continue
            if kind == "community" and existing:
                name = existing
            elif kind == "facility" and existing:
                community = existing
            out.append(KeptItem(kind, name, category, community, proposal.quote,
                                getattr(proposal, "street", None),
                                getattr(proposal, "district", None),
                                getattr(proposal, "city", None),
                                existing=kind == "community" and existing is not None))
        return out
