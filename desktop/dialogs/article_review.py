"""File → Import article…: review what an article proposes, then place it on the map."""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtCore import Qt
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
from layers.articles.extraction import Extraction
from layers.model.categories import CATEGORIES


@dataclass
class KeptItem:
    """One reviewed proposal the planner keeps."""

    kind: str  # "community" or "facility"
    name: str
    category: str | None
    community: str | None
    quote: str
    street: str | None = None
    district: str | None = None
    city: str | None = None


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
    """

    def __init__(self, article: CleanArticle, extraction: Extraction, source: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Review article") + f" — {article.title[:40]}")
        self.resize(1100, 700)
        self.article = article
        self.extraction = extraction
        self.source = source
        self.text = QTextBrowser()
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([tr("Keep"), tr("Name"), tr("Category / place"),
                                              tr("Community")])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.currentCellChanged.connect(lambda row, *_: self._highlight(row))
        self.rows: list[tuple[str, object]] = []
        for proposal in extraction.communities:
            self._add_row("community", proposal)
        for proposal in extraction.facilities:
            self._add_row("facility", proposal)
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
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel(tr("Facts found") + f": {len(extraction.facts)}"))
        bottom.addStretch(1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        self._highlight(-1)

    def _add_row(self, kind: str, proposal: object) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        keep = QTableWidgetItem("社区" if kind == "community" else "设施")
        keep.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                      | Qt.ItemFlag.ItemIsSelectable)
        keep.setCheckState(Qt.CheckState.Checked)
        self.table.setItem(row, 0, keep)
        self.table.setItem(row, 1, QTableWidgetItem(proposal.name))
        if kind == "facility":
            combo = QComboBox()
            for c in CATEGORIES:
                combo.addItem(c.label_zh, c.id)
            combo.setCurrentIndex(max(0, combo.findData(proposal.category)))
            self.table.setCellWidget(row, 2, combo)
            self.table.setItem(row, 3, QTableWidgetItem(proposal.community or ""))
        else:
            where = " ".join(x for x in (proposal.city, proposal.district, proposal.street) if x)
            item = QTableWidgetItem(where)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(row, 2, item)
            self.table.setItem(row, 3, QTableWidgetItem(""))
        self.rows.append((kind, proposal))

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

        Returns
        -------
        list of KeptItem
            Communities first, then facilities.
        """
        out = []
        for row, (kind, proposal) in enumerate(self.rows):
            if self.table.item(row, 0).checkState() != Qt.CheckState.Checked:
                continue
            name = self.table.item(row, 1).text().strip()
            if not name:
                continue
            combo = self.table.cellWidget(row, 2)
            category = combo.currentData() if isinstance(combo, QComboBox) else None
            community = (self.table.item(row, 3).text().strip() or None) if kind == "facility" \
                else None
            out.append(KeptItem(kind, name, category, community, proposal.quote,
                                getattr(proposal, "street", None),
                                getattr(proposal, "district", None),
                                getattr(proposal, "city", None)))
        return out
