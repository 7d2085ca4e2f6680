"""The form that opens when a planner clicks to add a facility."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import tr
from layers.model.categories import CATEGORIES
from layers.model.schema import PRECISIONS

DATE_PATTERN = r"^$|^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"


class FacilityForm(QDialog):
    """Name, category, community and the other facility fields.

    Parameters
    ----------
    communities : list of str
        Community names for the drop-down.
    values : dict, optional
        Initial values (``community``, ``category``, ``location_precision``…).
    lonlat : tuple of float, optional
        The clicked position, shown for reference.
    parent : QWidget, optional
        Parent.
    """

    def __init__(self, communities: list[str], values: dict[str, Any] | None = None,
                 lonlat: tuple[float, float] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        values = dict(values or {})
        self.setWindowTitle(tr("Add Facility"))
        self.name = QLineEdit(values.get("name") or "")
        self.category = QComboBox()
        for c in CATEGORIES:
            self.category.addItem(f"{c.label_zh}  ({c.label_en})", c.id)
        index = self.category.findData(values.get("category") or "service_station")
        self.category.setCurrentIndex(max(0, index))
        self.community = QComboBox()
        self.community.setEditable(True)
        self.community.addItems(communities)
        self.community.setCurrentText(values.get("community") or "")
        self.address = QLineEdit(values.get("address") or "")
        self.opened = QLineEdit(values.get("opened") or "")
        self.opened.setPlaceholderText("YYYY / YYYY-MM / YYYY-MM-DD")
        self.opened.setValidator(QRegularExpressionValidator(QRegularExpression(DATE_PATTERN)))
        self.description = QLineEdit(values.get("description") or "")
        self.source = QLineEdit(values.get("source") or "")
        self.notes = QLineEdit(values.get("notes") or "")
        self.precision = QComboBox()
        self.precision.addItems(PRECISIONS)
        # a position clicked on the map is "placed-on-map" until the planner says surveyed
        self.precision.setCurrentText(values.get("location_precision") or "placed-on-map")
        form = QFormLayout()
        form.addRow(tr("Name") + " *", self.name)
        form.addRow(tr("Category"), self.category)
        form.addRow(tr("Community"), self.community)
        form.addRow(tr("Address"), self.address)
        form.addRow(tr("Opening date"), self.opened)
        form.addRow(tr("Description"), self.description)
        form.addRow(tr("Source"), self.source)
        form.addRow(tr("Notes"), self.notes)
        form.addRow(tr("Location precision"), self.precision)
        if lonlat is not None:
            form.addRow(tr("Position"), QLabel(f"{lonlat[0]:.6f}°E, {lonlat[1]:.6f}°N"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name.textChanged.connect(self._check)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._check()
        self.name.setFocus()

    def _check(self) -> None:
        ok = bool(self.name.text().strip())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def accept(self) -> None:
        """Accept only with a name (Enter in any field accepts)."""
        if self.name.text().strip():
            super().accept()

    def values(self) -> dict[str, Any]:
        """Return the entered values; empty fields are None.

        Returns
        -------
        dict
            Field name to value.
        """
        def text(widget: QLineEdit) -> str | None:
            return widget.text().strip() or None

        return {
            "name": self.name.text().strip(),
            "category": self.category.currentData(),
            "community": self.community.currentText().strip() or None,
            "address": text(self.address),
            "opened": text(self.opened),
            "description": text(self.description),
            "source": text(self.source),
            "notes": text(self.notes),
            "location_precision": self.precision.currentText(),
        }
