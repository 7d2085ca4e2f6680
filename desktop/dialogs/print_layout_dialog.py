"""File ▸ Export Map…: the print layout's options with a live preview of the page."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.canvas.print_layout import export_map, render_page_image
from desktop.file_dialogs import save_file_name
from desktop.i18n import tr
from layers.export.errors import ExportError
from layers.export.layout.build import build_layout
from layers.export.layout.page import LayoutOptions
from layers.model.project import Project

#: Preview resolution: a page about 560 px wide for A4 landscape.
PREVIEW_DPI = 48
#: Typing pauses this long before the preview redraws.
PREVIEW_DELAY_MS = 250


class PrintLayoutDialog(QDialog):
    """The layout's options on the left, the page as it will print on the right.

    Export writes through :func:`~desktop.canvas.print_layout.export_map` with
    :meth:`options`, exactly as ``main.py export-map`` does with the same flags.

    Parameters
    ----------
    project : Project
        The project to print.
    parent : QWidget, optional
        Parent window.
    """

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.setWindowTitle(tr("Export Map"))
        self.paper = QComboBox()
        self.paper.addItems(["A4", "A3"])
        self.landscape = QCheckBox(tr("Landscape"))
        self.landscape.setChecked(True)
        self.dpi = QSpinBox()
        self.dpi.setRange(72, 600)
        self.dpi.setValue(300)
        self.title = QLineEdit()
        self.subtitle = QLineEdit()
        self.author = QLineEdit()
        self.review_number = QLineEdit()
        self.review_number.setPlaceholderText("审图号")
        self.community = QComboBox()
        self.community.addItem(tr("Whole project"), None)
        for name in sorted(set(project.communities.frame["name"].dropna())):
            self.community.addItem(str(name), str(name))
        self.minutes = QDoubleSpinBox()
        self.minutes.setRange(0, 60)
        self.minutes.setSpecialValueText(tr("none"))
        self.overview = QCheckBox(tr("Overview inset"))
        form = QFormLayout()
        for label, widget in ((tr("Paper"), self.paper), ("", self.landscape),
                              (tr("DPI"), self.dpi), (tr("Title"), self.title),
                              (tr("Subtitle"), self.subtitle), (tr("Author"), self.author),
                              (tr("Review number"), self.review_number),
                              (tr("Community"), self.community),
                              (tr("Service circles (minutes)"), self.minutes),
                              ("", self.overview)):
            form.addRow(label, widget)
        self.preview = QLabel()
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(600, 440)
        self.message = QLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton(tr("Export…"),
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.export_dialog)
        buttons.rejected.connect(self.reject)
        left = QVBoxLayout()
        left.addLayout(form)
        left.addStretch(1)
        left.addWidget(self.message)
        row = QHBoxLayout()
        row.addLayout(left)
        row.addWidget(self.preview, 1)
        outer = QVBoxLayout(self)
        outer.addLayout(row)
        outer.addWidget(buttons)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.update_preview)
        for edit in (self.title, self.subtitle, self.author, self.review_number):
            edit.textChanged.connect(self._timer.start)
        for combo in (self.paper, self.community):
            combo.currentIndexChanged.connect(self._timer.start)
        for box in (self.landscape, self.overview):
            box.toggled.connect(self._timer.start)
        self.minutes.valueChanged.connect(self._timer.start)
        #: the page last previewed, for tests and for the status line
        self.preview_image = None
        self.update_preview()

    def options(self) -> LayoutOptions:
        """Return the options as chosen, the same object ``export-map``'s flags make.

        Returns
        -------
        LayoutOptions
            The options.
        """
        return LayoutOptions(
            paper=self.paper.currentText(), landscape=self.landscape.isChecked(),
            dpi=self.dpi.value(), title=self.title.text().strip(),
            subtitle=self.subtitle.text().strip(), author=self.author.text().strip(),
            review_number=self.review_number.text().strip(),
            community=self.community.currentData(),
            minutes=self.minutes.value() or None, overview=self.overview.isChecked())

    def update_preview(self) -> None:
        """Draw the page at screen resolution into the preview."""
        try:
            page = build_layout(self.project, self.options())
        except ExportError as exc:
            self.message.setText(str(exc))
            return
        self.message.clear()
        self.preview_image = render_page_image(self.project, page, PREVIEW_DPI)
        self.preview.setPixmap(QPixmap.fromImage(self.preview_image))

    def export_dialog(self) -> Path | None:
        """Ask for a PDF, PNG or SVG file and write the page there.

        Returns
        -------
        Path or None
            The written file.
        """
        path = save_file_name(self, tr("Export Map"), "map.pdf",
                              tr("PDF (*.pdf);;PNG image (*.png);;SVG drawing (*.svg)"))
        return None if path is None else self.export_to(path)

    def export_to(self, path: Path) -> Path | None:
        """Write the page to ``path``; an error is shown as one line.

        Parameters
        ----------
        path : Path
            Target ``.pdf``, ``.png`` or ``.svg``.

        Returns
        -------
        Path or None
            The written file, or None on failure.
        """
        from desktop.workers import run_with_progress

        out = run_with_progress(self, tr("Export Map"),
                                lambda _progress: export_map(self.project, self.options(), path),
                                label=tr("Export Map…"), can_cancel=False)
        if out is not None:
            self.message.setText(tr("Saved") + f" {out}")
        return out
