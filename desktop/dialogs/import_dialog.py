"""File → Import…: options, field mapping and the report, as one undoable import."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import tr
from desktop.workers import BackgroundJob
from layers.io.duplicates import drop_duplicates
from layers.io.importing import (
    ImportFailure,
    guess_field_map,
    list_source_layers,
    read_import,
    to_layer_frame,
)
from layers.model.schema import SCHEMAS

if TYPE_CHECKING:
    import geopandas as gpd

    from layers.model.project import Project

NONE = "—"


class ImportDialog(QDialog):
    """Read a file in the background, map its fields, then import.

    Parameters
    ----------
    path : Path
        The file chosen by the planner.
    parent : QWidget, optional
        Parent.
    project : Project, optional
        The project the features go into: rows already in it are skipped unless the
        planner ticks "Import duplicates anyway".
    """

    def __init__(self, path: Path, parent: QWidget | None = None,
                 project: Project | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.project = project
        self.setWindowTitle(tr("Import") + f" — {self.path.name}")
        self.raw = None
        #: what reading the file found; :attr:`report` adds what importing it would do
        self.read_report = None
        self.report = None
        self.error: str | None = None
        self.layer = QComboBox()
        self.layer.addItem(tr("Facilities"), "facilities")
        self.layer.addItem(tr("Communities"), "communities")
        self.layer.addItem(tr("Roads and footpaths"), "roads")
        self.layer.addItem(tr("Community boundaries"), "boundaries")
        self.layer.currentIndexChanged.connect(self._fill_mapping)
        self.encoding = QComboBox()
        for label, value in ((tr("detect"), None), ("UTF-8", "utf-8"), ("GBK / GB18030",
                                                                        "gb18030")):
            self.encoding.addItem(label, value)
        self.crs = QLineEdit()
        self.crs.setPlaceholderText(tr("only when the file has none, e.g. EPSG:4547"))
        self.gcj02 = QCheckBox(tr("Coordinates are GCJ-02 (AMap, Tencent)"))
        self.allow_duplicates = QCheckBox(tr("Import duplicates anyway"))
        self.allow_duplicates.setToolTip(tr(
            "Rows already in the project (same source and name, or same name and category "
            "within 30 m) or repeated in the file are skipped unless this is ticked"))
        self.allow_duplicates.toggled.connect(self._preview)
        self.source_layer = QComboBox()
        self.source_layer.addItem(tr("first layer with geometry"), None)
        if self.path.suffix.lower() == ".gpkg":
            try:  # its tables: SQL views are never listed nor run
                for name in list_source_layers(self.path):
                    self.source_layer.addItem(name, name)
            except ImportFailure:
                pass  # reported when read
        self.read_button = QPushButton(tr("Read file"))
        self.read_button.clicked.connect(self.start_reading)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        options = QFormLayout()
        options.addRow(tr("Import into"), self.layer)
        options.addRow(tr("Encoding"), self.encoding)
        options.addRow("CRS", self.crs)
        options.addRow("", self.gcj02)
        if self.source_layer.count() > 1:
            options.addRow(tr("Layer"), self.source_layer)
        options.addRow("", self.allow_duplicates)
        options.addRow("", self.read_button)
        self.mapping_box = QGroupBox(tr("Fields"))
        self.mapping = QFormLayout(self.mapping_box)
        self.combos: dict[str, QComboBox] = {}
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addLayout(options)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.mapping_box)
        layout.addWidget(self.buttons)
        self._reading: BackgroundJob | None = None
        QTimer.singleShot(0, self.start_reading)

    def start_reading(self) -> None:
        """Read the file in a worker thread; the dialog stays responsive."""
        if self._reading is not None and self._reading.running:
            return
        self.raw = self.read_report = self.report = self.error = None
        self.progress.show()
        self.status.setText(tr("Reading…"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        kwargs = {"encoding": self.encoding.currentData(),
                  "crs": self.crs.text().strip() or None, "gcj02": self.gcj02.isChecked(),
                  "source_layer": self.source_layer.currentData()}
        self._reading = BackgroundJob(lambda _progress: read_import(self.path, **kwargs), self)
        self._reading.succeeded.connect(self._on_read)
        self._reading.failed.connect(self._on_failed)
        self._reading.finished.connect(self._show_what_was_read)
        self._reading.start()

    def wait(self, timeout: float = 30.0) -> None:
        """Block until reading is done (for scripts and tests).

        Parameters
        ----------
        timeout : float
            Seconds.
        """
        if self._reading is not None:
            self._reading.wait(timeout)

    def _on_read(self, result: tuple) -> None:
        self.raw, self.read_report = result
        self.report = self.read_report

    def _on_failed(self, message: str) -> None:
        self.error = message

    def _show_what_was_read(self) -> None:
        self.progress.hide()
        if self.error:
            self.status.setText(f"<span style='color:#b00020'>{_escape(self.error)}</span>")
            return
        self._suggest_layer()
        self._fill_mapping()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)

    def _suggest_layer(self) -> None:
        """Point the target at roads for line data and boundaries for community areas."""
        import numpy as np
        import shapely

        kinds = shapely.get_type_id(self.raw.geometry.to_numpy())
        if self.layer.currentData() != "facilities":
            return  # the planner chose already
        if np.isin(kinds, (1, 5)).mean() > 0.5:
            self.layer.setCurrentIndex(self.layer.findData("roads"))
        elif np.isin(kinds, (3, 6)).all() and any(
                str(c).strip().lower() in ("community", "社区", "社区名称")
                for c in self.raw.columns):
            self.layer.setCurrentIndex(self.layer.findData("boundaries"))

    def _fill_mapping(self) -> None:
        while self.mapping.rowCount():
            self.mapping.removeRow(0)
        self.combos = {}
        if self.raw is None:
            return
        columns = [c for c in self.raw.columns if c != self.raw.geometry.name]
        schema = SCHEMAS[self.layer.currentData()]
        fields = [f for f in schema.fields if f != "id"]
        guess = guess_field_map(columns, fields)
        for target in fields:
            combo = QComboBox()
            combo.addItem(NONE, None)
            for col in columns:
                combo.addItem(str(col), col)
            index = combo.findData(guess.get(target))
            combo.setCurrentIndex(max(0, index))
            self.mapping.addRow(target, combo)
            self.combos[target] = combo
            combo.currentIndexChanged.connect(self._preview)
        self._preview()

    def _preview(self) -> None:
        """Show what importing would do now: the report of reading and of mapping."""
        if self.raw is None:
            return
        try:
            self.result_frame()
        except ImportFailure as exc:
            self.status.setText(f"<span style='color:#b00020'>{_escape(str(exc))}</span>")
            return
        self.status.setText(_escape(self.report.summary()).replace("\n", "<br/>"))

    def field_map(self) -> dict[str, str]:
        """Return the chosen mapping, target field to source column.

        Returns
        -------
        dict
            The mapping.
        """
        return {t: c.currentData() for t, c in self.combos.items() if c.currentData()}

    def result_frame(self) -> gpd.GeoDataFrame:
        """Return the features mapped onto the chosen layer's schema, without duplicates.

        Sets :attr:`report` to what reading and this mapping did, afresh each time.

        Returns
        -------
        GeoDataFrame
            Ready to add.

        Raises
        ------
        ImportFailure
            When the features do not fit the layer (points imported as roads).
        """
        report = copy.deepcopy(self.read_report)
        layer = self.layer.currentData()
        frame = to_layer_frame(self.raw, layer, report, self.field_map())
        existing = None
        if self.project is not None and self.project.has_layer(layer):
            existing = self.project.layer(layer).frame
        frame = drop_duplicates(frame, existing, layer, report,
                                allow=self.allow_duplicates.isChecked(),
                                hint=tr("tick “Import duplicates anyway” to import them"))
        self.report = report
        return frame


def _escape(text: str) -> str:
    import html

    return html.escape(text)
