"""Find a feature by name across every layer (Ctrl+F): name, layer and category listed."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import tr
from layers.model.categories import get_category
from layers.model.project import Project

#: At most this many hits are listed; the count line says when there were more.
MAX_HITS = 200
_HIT_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class Hit:
    """One feature whose name matches.

    Attributes
    ----------
    layer_name : str
        The layer it is in.
    feature_id : str
        Its id.
    name : str
        Its name.
    category : str
        Its category's Chinese label, or "" for a layer without categories.
    """

    layer_name: str
    feature_id: str
    name: str
    category: str


def find_features(project: Project, text: str, limit: int = MAX_HITS) -> tuple[list[Hit], int]:
    """Return the features whose name contains ``text`` (case-insensitive), across layers.

    Exact names come first, then names that start with the text, then the rest;
    within each, the layers from the top of the map down.

    Parameters
    ----------
    project : Project
        The project searched.
    text : str
        The name or part of it.
    limit : int
        Most hits returned.

    Returns
    -------
    (list of Hit, int)
        The hits, and how many features matched in all.
    """
    text = text.strip().casefold()
    if not text:
        return [], 0
    ranked: list[tuple[int, int, Hit]] = []
    total = 0
    for depth, layer in enumerate(reversed(project.layers)):
        frame = layer.frame
        if "name" not in frame.columns or len(frame) == 0:
            continue
        names = frame["name"].fillna("").astype(str)
        folded = names.str.casefold()
        mask = folded.str.contains(text, regex=False).to_numpy()
        rows = mask.nonzero()[0]
        total += len(rows)
        has_category = "category" in frame.columns and layer.name != "communities"
        for row in rows[: limit * 4].tolist():
            name = names.iat[row]
            rank = 0 if folded.iat[row] == text else 1 if folded.iat[row].startswith(text) else 2
            category = (get_category(str(frame["category"].iat[row])).label_zh
                        if has_category and frame["category"].iat[row] else "")
            ranked.append((rank, depth, Hit(layer.name, str(frame["id"].iat[row]), name,
                                            category)))
    ranked.sort(key=lambda t: (t[0], t[1]))
    return [hit for _, _, hit in ranked[:limit]], total


class FindDialog(QDialog):
    """A small find box: type part of a name, pick a hit, the map goes there.

    Parameters
    ----------
    project : Project
        The project searched.
    layer_title : callable
        Gives a layer's display title from the layer (the layer list's titles).
    parent : QWidget, optional
        Parent window.
    """

    #: layer name, feature id of the hit the planner chose
    chosen = Signal(str, str)

    def __init__(self, project: Project, layer_title: object,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FindDialog")
        self.project = project
        self._layer_title = layer_title
        self.box = QLineEdit()
        self.box.setClearButtonEnabled(True)
        self.box.textChanged.connect(self.search)
        self.box.returnPressed.connect(self.choose_current)
        self.results = QTreeWidget()
        self.results.setRootIsDecorated(False)
        self.results.setColumnCount(3)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.itemActivated.connect(lambda item, _col: self._choose(item))
        self.count_label = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.box)
        layout.addWidget(self.results)
        layout.addWidget(self.count_label)
        self.resize(520, 380)
        self.retranslate()

    def retranslate(self) -> None:
        """Apply the current language."""
        self.setWindowTitle(tr("Find Feature"))
        self.box.setPlaceholderText(tr("Name or part of a name…"))
        self.results.setHeaderLabels([tr("Name"), tr("Layer"), tr("Category")])

    def set_project(self, project: Project) -> None:
        """Search another project from now on.

        Parameters
        ----------
        project : Project
            The project.
        """
        self.project = project
        self.search(self.box.text())

    def search(self, text: str) -> int:
        """List the features whose name contains ``text``.

        Parameters
        ----------
        text : str
            Part of a name.

        Returns
        -------
        int
            How many features matched in all.
        """
        hits, total = find_features(self.project, text)
        self.results.clear()
        for hit in hits:
            layer = self.project.layer(hit.layer_name)
            item = QTreeWidgetItem([hit.name, self._layer_title(layer), hit.category])
            item.setData(0, _HIT_ROLE, (hit.layer_name, hit.feature_id))
            self.results.addTopLevelItem(item)
        if hits:
            self.results.setCurrentItem(self.results.topLevelItem(0))
        for column in range(3):
            self.results.resizeColumnToContents(column)
        if not text.strip():
            self.count_label.setText("")
        elif total > len(hits):
            self.count_label.setText(tr("{shown} of {total} found; type more to narrow")
                                     .format(shown=len(hits), total=total))
        else:
            self.count_label.setText(tr("{total} found").format(total=total))
        return total

    def choose_current(self) -> None:
        """Go to the highlighted hit (Enter in the box)."""
        item = self.results.currentItem()
        if item is not None:
            self._choose(item)

    def _choose(self, item: QTreeWidgetItem) -> None:
        layer_name, feature_id = item.data(0, _HIT_ROLE)
        self.chosen.emit(layer_name, feature_id)

    def open_fresh(self) -> None:
        """Show the box with its text selected, ready to type."""
        self.show()
        self.raise_()
        self.activateWindow()
        self.box.setFocus()
        self.box.selectAll()
