"""Join Table…: fill a layer's fields (population, households) from a table by name or id.

The dialog reads the table and shows the whole match report (matched, loose,
missing, duplicate, conflicting, invalid) before anything changes; *Apply* is
enabled only for a report of the current choices. The window applies the plan as
one undo step (:func:`apply_join_plan`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.editing.commands import ChangeAttributesCommand
from desktop.i18n import tr
from layers.io.join_report import JoinPlan
from layers.io.joining import JoinError, parse_fields, plan_join, read_table
from layers.model.layer import FeatureLayer
from layers.model.project import Project

#: Fields offered when the dialog opens on the communities layer.
DEFAULT_FIELDS = "population,households"


class JoinTableDialog(QDialog):
    """Choose a table, its key and the fields to take; read the report; apply.

    Parameters
    ----------
    layer : FeatureLayer
        The layer to fill (communities).
    parent : QWidget, optional
        Owner window.
    """

    def __init__(self, layer: FeatureLayer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Join Table"))
        self.layer = layer
        #: the report of the current choices, or None when they changed since
        self.plan: JoinPlan | None = None
        self.path_edit = QLineEdit()
        browse = QPushButton(tr("Browse…"))
        browse.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(browse)
        self.key_combo = QComboBox()
        self.key_combo.addItem(tr("Name (with or without 社区)"), "name")
        self.key_combo.addItem(tr("Id"), "id")
        self.fields_edit = QLineEdit(DEFAULT_FIELDS)
        self.fields_edit.setToolTip(tr("Fields to take, comma-separated; FIELD=COLUMN names "
                                       "the table's column"))
        self.overwrite_box = QCheckBox(tr("Overwrite values the layer already has"))
        form = QFormLayout()
        form.addRow(tr("Table file"), file_row)
        form.addRow(tr("Match on"), self.key_combo)
        form.addRow(tr("Fields"), self.fields_edit)
        form.addRow("", self.overwrite_box)
        self.check_button = QPushButton(tr("Check Matches"))
        self.check_button.clicked.connect(self.check)
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setMinimumSize(560, 260)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.addButton(tr("Apply"),
                                                   QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.check_button)
        layout.addWidget(self.report, 1)
        layout.addWidget(self.buttons)
        for signal in (self.path_edit.textChanged, self.fields_edit.textChanged,
                       self.key_combo.currentIndexChanged, self.overwrite_box.toggled):
            signal.connect(self._invalidate)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, tr("Join Table"), "",
            tr("Tables (*.csv *.txt *.tsv *.xlsx *.geojson *.gpkg *.shp);;All files (*)"))
        if path:
            self.path_edit.setText(path)
            self.check()

    def _invalidate(self) -> None:
        self.plan = None
        self.apply_button.setEnabled(False)

    def check(self) -> JoinPlan | None:
        """Read the table and show what joining it would do; nothing changes yet.

        Returns
        -------
        JoinPlan or None
            The plan, or None when the table cannot be joined (the reason is shown).
        """
        self._invalidate()
        text = self.path_edit.text().strip()
        if not text:
            self.report.setPlainText(tr("Choose a table file first."))
            return None
        path = Path(text)
        try:
            table, encoding = read_table(path)
            plan = plan_join(table, self.layer, str(self.key_combo.currentData()),
                             parse_fields(self.fields_edit.text()), path.name, encoding,
                             overwrite=self.overwrite_box.isChecked())
        except JoinError as exc:
            self.report.setPlainText(str(exc))
            return None
        self.report.setPlainText("\n".join(plan.lines(limit=50)))
        self.plan = plan
        self.apply_button.setEnabled(bool(plan.changes))
        return plan


def apply_join_plan(project: Project, editor: object, layer_name: str, plan: JoinPlan) -> int:
    """Apply a join plan as one undo step.

    Parameters
    ----------
    project : Project
        The project.
    editor : Editor
        The window's editor (its undo stack).
    layer_name : str
        The layer planned against.
    plan : JoinPlan
        From the dialog.

    Returns
    -------
    int
        The number of features changed.
    """
    stack = editor.stack
    stack.beginMacro(tr("Join Table") + f" {plan.source}")
    try:
        for fid, values in plan.changes.items():
            editor.push(ChangeAttributesCommand(project, layer_name, fid, dict(values),
                                                tr("Join Table")))
    finally:
        stack.endMacro()
    return len(plan.changes)
