"""Rows changed by somebody else since the project was opened: the planner chooses."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QRadioButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import tr
from layers.model.changes import Conflict
from layers.model.schema import FIELD_LABELS_ZH

_CHANGED = QBrush(QColor("#fff2cc"))


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "wkt"):
        x, y = value.centroid.x, value.centroid.y
        return f"{x:.6f}, {y:.6f}"
    return str(value)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ConflictDialog(QDialog):
    """Both versions of each conflicting row, and a choice per row.

    Parameters
    ----------
    conflicts : list of Conflict
        From :class:`~layers.model.changes.ConflictError`.
    parent : QWidget, optional
        Owner window.

    Attributes
    ----------
    choices : dict
        ``(layer, id)`` to ``"mine"`` or ``"theirs"``, read after ``exec()``.
    """

    def __init__(self, conflicts: list[Conflict], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Changed by somebody else"))
        self.conflicts = conflicts
        self._groups: list[QButtonGroup] = []
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr(
            "{n} rows you changed were also changed by somebody else since you opened the "
            "project. Nothing has been saved. Choose which version to keep for each."
        ).format(n=len(conflicts))))
        body = QWidget()
        rows = QVBoxLayout(body)
        for conflict in conflicts:
            rows.addWidget(self._conflict_box(conflict))
        rows.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout.addWidget(scroll, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 520)

    def _conflict_box(self, conflict: Conflict) -> QGroupBox:
        name = (conflict.mine or conflict.theirs or {}).get("name") or conflict.id
        box = QGroupBox(f"{conflict.layer}: {name}")
        layout = QVBoxLayout(box)
        mine, theirs = conflict.mine, conflict.theirs
        if mine is None or theirs is None:
            text = (tr("You deleted it; they changed it.") if mine is None
                    else tr("They deleted it; you changed it."))
            layout.addWidget(QLabel(text))
        keys = [k for k in (mine or theirs or {}) if k != "id"]
        if mine is not None and theirs is not None:
            # the fields that differ; the rest are the same on both sides
            keys = [k for k in keys if _shown(mine.get(k)) != _shown(theirs.get(k))] or keys
        table = QTableWidget(len(keys), 3)
        table.setHorizontalHeaderLabels([tr("Field"), tr("Yours"), tr("Theirs (saved)")])
        table.verticalHeader().setVisible(False)
        for row, key in enumerate(keys):
            a = _shown((mine or {}).get(key)) if mine is not None else tr("(deleted)")
            b = _shown((theirs or {}).get(key)) if theirs is not None else tr("(deleted)")
            label = FIELD_LABELS_ZH.get(key, key) if key != "geometry" else tr("Position")
            cells = [QTableWidgetItem(label), QTableWidgetItem(_short(a)),
                     QTableWidgetItem(_short(b))]
            for col, item in enumerate(cells):
                item.setToolTip((label, a, b)[col])
                if a != b:
                    item.setBackground(_CHANGED)
                table.setItem(row, col, item)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        table.setMinimumHeight(min(260, 30 + 24 * len(keys)))
        layout.addWidget(table)
        group = QButtonGroup(box)
        keep_mine = QRadioButton(tr("Keep mine"))
        keep_theirs = QRadioButton(tr("Keep theirs"))
        keep_mine.setChecked(True)
        group.addButton(keep_mine, 0)
        group.addButton(keep_theirs, 1)
        layout.addWidget(keep_mine)
        layout.addWidget(keep_theirs)
        self._groups.append(group)
        return box

    @property
    def choices(self) -> dict[tuple[str, str], str]:
        """``(layer, id)`` to ``"mine"`` or ``"theirs"``."""
        return {(c.layer, c.id): ("theirs" if g.checkedId() == 1 else "mine")
                for c, g in zip(self.conflicts, self._groups, strict=True)}

    def choose_all(self, which: str) -> None:
        """Pick the same version for every row (for keyboard users and tests).

        Parameters
        ----------
        which : str
            ``"mine"`` or ``"theirs"``.
        """
        for group in self._groups:
            group.button(1 if which == "theirs" else 0).setChecked(True)
