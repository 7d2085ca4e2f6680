"""Analysis ▸ Suggest Sites…: ask for the siting, then list the proposed sites to accept."""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import pandas as pd
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import tr
from desktop.walk_inputs import minutes_box, preset_box
from layers.geo.walking import PRESETS, WalkSettings
from layers.model.categories import CATEGORIES


class SitingDialog(QDialog):
    """Choose the category, the number of new sites, the walk and the model.

    Parameters
    ----------
    category : str, optional
        Category id to start with (canteens by default).
    parent : QWidget, optional
        Parent.
    """

    def __init__(self, category: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SitingDialog")
        self.setWindowTitle(tr("Suggest Sites"))
        self.category = QComboBox()
        for c in CATEGORIES:
            self.category.addItem(c.label_zh, c.id)
        self.category.setCurrentIndex(max(0, self.category.findData(category or "canteen")))
        self.method = QComboBox()
        self.method.addItem(tr("Most residents covered by K new sites (MCLP)"), "mclp")
        self.method.addItem(tr("Fewest sites covering every community (LSCP)"), "lscp")
        self.count = QSpinBox()
        self.count.setRange(1, 200)
        self.count.setValue(3)
        self.minutes = minutes_box()
        self.preset = preset_box()
        self.radius_label = QLabel()
        form = QFormLayout()
        form.addRow(tr("Category"), self.category)
        form.addRow(tr("Method"), self.method)
        form.addRow(tr("New sites (K)"), self.count)
        form.addRow(tr("Walk time"), self.minutes)
        form.addRow(tr("Preset"), self.preset)
        form.addRow(tr("Radius"), self.radius_label)
        note = QLabel(tr("Existing facilities of the category count as covering. Communities "
                         "whose residents are unknown are not weighted; they are listed."))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.method.currentIndexChanged.connect(self._update)
        self.preset.currentIndexChanged.connect(self._update)
        self.minutes.valueChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        self.count.setEnabled(self.method.currentData() == "mclp")
        self.radius_label.setText(self.walk().describe(self.minutes.value()))

    def walk(self) -> WalkSettings:
        """Return the chosen walking preset.

        Returns
        -------
        WalkSettings
            The preset.
        """
        return PRESETS[self.preset.currentData()]

    def choice(self) -> tuple[str, str, int | None, float, WalkSettings]:
        """Return (category id, method, count or None for LSCP, minutes, walk).

        Returns
        -------
        tuple
            The chosen parameters.
        """
        method = self.method.currentData()
        return (self.category.currentData(), method,
                self.count.value() if method == "mclp" else None, self.minutes.value(),
                self.walk())


class ProposalsDialog(QDialog):
    """The proposed sites of one siting, best first, each to accept as a facility.

    Parameters
    ----------
    summary : str
        The plan's figures, one or a few lines (residents before and after, notes).
    proposals : callable
        Returns the proposals to list now (the layer's rows of the category sited);
        :meth:`relist` asks it again, e.g. after an undo.
    parent : QWidget, optional
        Parent.

    Attributes
    ----------
    accept_requested : Signal(str)
        The planner accepts the proposal with this id.
    show_requested : Signal(str)
        The planner picked a proposal: show it on the map.
    """

    accept_requested = Signal(str)
    show_requested = Signal(str)

    def __init__(self, summary: str, proposals: Callable[[], gpd.GeoDataFrame],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ProposalsDialog")
        self.proposals = proposals
        self.setWindowTitle(tr("Proposed Sites"))
        self.summary = QLabel(summary)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([tr("Rank"), tr("Residents newly covered"),
                                              tr("Communities brought in")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._on_selected)
        self.accept_button = QPushButton(tr("Accept as Facility"))
        self.accept_button.clicked.connect(self._on_accept)
        close = QPushButton(tr("Close"))
        close.clicked.connect(self.close)
        row = QHBoxLayout()
        row.addWidget(self.accept_button)
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        layout.addLayout(row)
        self.resize(560, 360)
        self._ids: list[str] = []
        self.relist()

    def relist(self, *_: object) -> None:
        """List the proposals as they are now, by rank."""
        frame = self.proposals().sort_values("rank", kind="stable")
        self._ids = [str(i) for i in frame["id"]]
        self.table.setRowCount(len(frame))
        for r, (rank, gain, names) in enumerate(zip(frame["rank"], frame["gain"],
                                                     frame["communities"], strict=True)):
            cells = ("" if pd.isna(rank) else f"#{int(rank)}",
                     tr("unknown") if pd.isna(gain) else f"+{int(gain)}",
                     "" if pd.isna(names) else str(names))
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        if self._ids:
            self.table.selectRow(0)
        self.accept_button.setEnabled(bool(self._ids))

    def selected_id(self) -> str | None:
        """Return the id of the proposal picked in the list, if any.

        Returns
        -------
        str or None
            The proposal's id.
        """
        rows = self.table.selectionModel().selectedRows()
        return self._ids[rows[0].row()] if rows else None

    def _on_selected(self) -> None:
        pid = self.selected_id()
        if pid is not None:
            self.show_requested.emit(pid)

    def _on_accept(self) -> None:
        pid = self.selected_id()
        if pid is not None:
            self.accept_requested.emit(pid)

