"""File → Import…: options, field mapping and the report, as one undoable import.

Reading the file and working out what importing it would do (mapping the fields,
finding duplicates) both run off the GUI thread: for a file of 200,000 rows each
takes seconds. A change of mapping shows "Computing…" at once and starts the work a
moment later (so several quick changes start it once); a result that a newer change
has made out of date is dropped, never shown.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import partial
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
from desktop.workers import BackgroundJob, wait_until
from layers.io.duplicates import drop_duplicates
from layers.io.importing import (
    ImportFailure,
    ImportReport,
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
#: How long the mapping must stay still before the preview is worked out again.
PREVIEW_DELAY_MS = 150


@dataclass(frozen=True)
class Preview:
    """What importing would do with one set of choices, worked out off the GUI thread.

    Attributes
    ----------
    generation : int
        Which change of the choices it answers; older ones are out of date.
    frame : GeoDataFrame or None
        The rows to add, or None when the choices do not fit the file.
    report : ImportReport or None
        What reading and importing would do.
    error : str or None
        Why the choices do not fit the file, in one line.
    """

    generation: int
    frame: gpd.GeoDataFrame | None = None
    report: ImportReport | None = None
    error: str | None = None


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
        self.crs.setPlaceholderText(tr("when the file has none or a wrong one, e.g. EPSG:4547"))
        self.crs.setToolTip(tr("The CRS of the file's coordinates. Given here, it is used even "
                               "when the file declares another one."))
        self.gcj02 = QCheckBox(tr("Coordinates are GCJ-02 (AMap, Tencent)"))
        self.allow_duplicates = QCheckBox(tr("Import duplicates anyway"))
        self.allow_duplicates.setToolTip(tr(
            "Rows already in the project (same source and name, or same name and category "
            "within 30 m; roads and boundaries: same name and shape within 1 m) or repeated "
            "in the file are skipped unless this is ticked"))
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
        #: each change of the choices gets a new generation; older previews are dropped
        self._generation = 0
        self._preview_result: Preview | None = None
        self._previewing: BackgroundJob | None = None
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self._start_preview)
        QTimer.singleShot(0, self.start_reading)

    @property
    def ok_button(self) -> QPushButton:
        """The OK button: enabled once the file is read and its preview is ready."""
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def start_reading(self) -> None:
        """Read the file in a worker thread; the dialog stays responsive."""
        if self._reading is not None and self._reading.running:
            return
        self.raw = self.read_report = self.report = self.error = None
        self._forget_preview()
        self.progress.show()
        self.status.setText(tr("Reading…"))
        self.ok_button.setEnabled(False)
        kwargs = {"encoding": self.encoding.currentData(),
                  "crs": self.crs.text().strip() or None, "gcj02": self.gcj02.isChecked(),
                  "source_layer": self.source_layer.currentData()}
        self._reading = BackgroundJob(lambda _progress: read_import(self.path, **kwargs), self)
        self._reading.succeeded.connect(self._on_read)
        self._reading.failed.connect(self._on_failed)
        self._reading.finished.connect(self._show_what_was_read)
        self._reading.start()

    def wait(self, timeout: float = 30.0) -> None:
        """Process events until the file is read and its preview is ready (scripts, tests).

        Parameters
        ----------
        timeout : float
            Seconds.
        """
        if self._reading is not None:
            self._reading.wait(timeout)
        wait_until(lambda: not self.computing, timeout)

    @property
    def computing(self) -> bool:
        """Whether the preview of the current choices is still being worked out."""
        return self.raw is not None and self._preview_result is None

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
        """Say at once that the preview is out of date; work it out once changes stop."""
        if self.raw is None:
            return
        self._forget_preview()
        self.progress.show()
        self.status.setText(tr("Computing…"))
        self.ok_button.setEnabled(False)
        self._preview_timer.start()  # restarted by each change: quick changes start it once

    def _forget_preview(self) -> None:
        self._generation += 1
        self._preview_result = None
        self._preview_timer.stop()

    def _start_preview(self) -> None:
        """Work out the preview of the current choices on a worker thread."""
        if self.raw is None or self._preview_result is not None:
            return
        if self._previewing is not None:
            return  # one at a time: _preview_finished starts the newest next
        work = partial(_import_preview, self._generation, *self._choices())
        job = BackgroundJob(lambda _progress: work(), self)
        job.succeeded.connect(self._show_preview)
        job.finished.connect(self._preview_finished)
        job.failed.connect(self._preview_failed)
        self._previewing = job
        job.start()

    def _choices(self) -> tuple:
        """Take the file and the planner's choices on the GUI thread, for a worker."""
        layer = self.layer.currentData()
        existing = None
        if self.project is not None and self.project.has_layer(layer):
            existing = self.project.layer(layer).frame
        return (self.raw, self.read_report, layer, self.field_map(), existing,
                self.allow_duplicates.isChecked(),
                tr("tick “Import duplicates anyway” to import them"))

    def _show_preview(self, preview: Preview) -> None:
        if preview.generation != self._generation:
            return  # the choices changed meanwhile: a newer preview follows
        self._preview_result = preview
        self.progress.hide()
        if preview.error is not None:
            self.status.setText(f"<span style='color:#b00020'>{_escape(preview.error)}</span>")
            return
        self.report = preview.report
        self.status.setText(_escape(preview.report.summary(tr)).replace("\n", "<br/>"))
        self.ok_button.setEnabled(True)

    def _preview_failed(self, message: str) -> None:
        self._show_preview(Preview(self._generation, error=message))

    def _preview_finished(self) -> None:
        job, self._previewing = self._previewing, None
        if job is not None:
            job.deleteLater()
        if self.computing and not self._preview_timer.isActive():
            self._start_preview()  # the one that ended was out of date

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
        preview = self._preview_result
        if preview is None:  # not worked out yet: work it out now
            preview = _import_preview(self._generation, *self._choices())
        if preview.error is not None:
            raise ImportFailure(preview.error)
        self.report = preview.report
        return preview.frame.copy()


def _import_preview(generation: int, raw: gpd.GeoDataFrame, read_report: ImportReport,
                    layer: str, field_map: dict[str, str], existing: gpd.GeoDataFrame | None,
                    allow: bool, hint: str) -> Preview:
    """Map the features onto ``layer`` and drop duplicates; runs on a worker thread."""
    report = copy.deepcopy(read_report)
    try:
        frame = to_layer_frame(raw, layer, report, field_map)
    except ImportFailure as exc:
        return Preview(generation, error=str(exc))
    frame = drop_duplicates(frame, existing, layer, report, allow=allow, hint=hint)
    return Preview(generation, frame, report)


def _escape(text: str) -> str:
    import html

    return html.escape(text)
