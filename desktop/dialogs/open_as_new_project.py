"""A file that is not a project, opened: offered as "import into a new project".

The dialog shows where each source layer will go (facilities, communities,
boundaries, roads or left out) and which of the app's categories each source
category label becomes; the planner changes either before accepting. The plan
itself is :mod:`layers.io.new_project`'s, the same the command line's ``new`` makes.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import tr
from layers.io.new_project import SKIP, SourceLayer, category_labels
from layers.model.categories import CATEGORIES


def target_texts() -> dict[str, str]:
    """Return what each target layer is called, in the current language.

    Returns
    -------
    dict of str to str
        Target (or ``"skip"``) to its text.
    """
    return {"facilities": tr("Facilities"), "communities": tr("Communities"),
            "boundaries": tr("Community boundaries"), "roads": tr("Roads"),
            SKIP: tr("Leave out")}


class OpenAsNewProjectDialog(QDialog):
    """The layer-to-layer and category mapping of a planner's file, editable.

    Parameters
    ----------
    plan : list of SourceLayer
        From :func:`layers.io.new_project.plan_sources`; :meth:`accept` writes the
        planner's choices back into it.
    parent : QWidget, optional
        Owner window.
    language : str
        ``"zh_CN"`` or ``"en"``: the language of the category names.

    Attributes
    ----------
    layer_combos : dict
        Source layer label to its target combo box.
    category_combos : dict
        ``(source label, category label)`` to its category combo box.
    """

    def __init__(self, plan: list[SourceLayer], parent: QWidget | None = None,
                 language: str = "zh_CN") -> None:
        super().__init__(parent)
        self.language = "zh" if language.startswith("zh") else "en"
        self.setObjectName("OpenAsNewProjectDialog")
        self.plan = plan
        self.setWindowTitle(tr("Import into a new project"))
        self.resize(640, 480)
        box = QVBoxLayout(self)
        names = ", ".join(sorted({s.path.name for s in plan}))
        intro = QLabel(tr("{file} is not a project. Import it into a new project:")
                       .format(file=names))
        intro.setWordWrap(True)
        box.addWidget(intro)
        self.layers_table = self._layers_table()
        box.addWidget(self.layers_table)
        box.addWidget(QLabel(tr("Categories: the source's labels and the app's categories")))
        self.categories_table = self._categories_table()
        box.addWidget(self.categories_table)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            tr("Create Project…"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        box.addWidget(self.buttons)
        self._update_ok()

    def _layers_table(self) -> QTableWidget:
        table = QTableWidget(len(self.plan), 3, self)
        table.setHorizontalHeaderLabels([tr("Source layer"), tr("Features"), tr("Goes to")])
        table.verticalHeader().setVisible(False)
        self.layer_combos: dict[str, QComboBox] = {}
        texts = target_texts()
        for row, source in enumerate(self.plan):
            table.setItem(row, 0, QTableWidgetItem(source.label))
            table.setItem(row, 1, QTableWidgetItem(str(source.rows) if source.readable
                                                   else "—"))
            combo = QComboBox()
            for target in source.allowed_targets():
                combo.addItem(texts[target], target)
            combo.setCurrentIndex(max(combo.findData(source.target), 0))
            if not source.readable:
                combo.setEnabled(False)
                combo.setToolTip(source.reason)
                table.item(row, 0).setToolTip(source.reason)
                table.item(row, 1).setText(source.reason)
            combo.currentIndexChanged.connect(self._update_ok)
            table.setCellWidget(row, 2, combo)
            self.layer_combos[source.label] = combo
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        return table

    def _categories_table(self) -> QTableWidget:
        rows = [(source, label, cat, n) for source in self.plan if source.readable
                for label, cat, n in category_labels(source)]
        table = QTableWidget(len(rows), 3, self)
        table.setHorizontalHeaderLabels([tr("Source category"), tr("Features"),
                                         tr("Category")])
        table.verticalHeader().setVisible(False)
        self.category_combos: dict[tuple[str, str], QComboBox] = {}
        several = len({source.label for source, *_ in rows}) > 1
        for row, (source, label, _guess, n) in enumerate(rows):
            table.setItem(row, 0, QTableWidgetItem(f"{label}  ({source.label})" if several
                                                   else label))
            table.setItem(row, 1, QTableWidgetItem(str(n)))
            combo = QComboBox()
            for category in CATEGORIES:
                combo.addItem(category.label(self.language), category.id)
            combo.setCurrentIndex(max(combo.findData(source.category_map.get(label,
                                                                             "other")), 0))
            table.setCellWidget(row, 2, combo)
            self.category_combos[(source.label, label)] = combo
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        table.setVisible(bool(rows))
        return table

    def _update_ok(self) -> None:
        going = any(c.currentData() != SKIP for c in self.layer_combos.values())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(going)

    def accept(self) -> None:
        """Write the planner's choices into the plan, then close."""
        for source in self.plan:
            target = self.layer_combos[source.label].currentData()
            if target == SKIP and source.target != SKIP:
                source.reason = "left out"
            source.target = target
            for (label_of, label), combo in self.category_combos.items():
                if label_of == source.label:
                    source.category_map[label] = combo.currentData()
        super().accept()
