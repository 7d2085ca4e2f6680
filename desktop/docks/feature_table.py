"""The attribute table: a model over a layer's frame, sorted and filtered by index.

The model never copies the data. It keeps an index array from view rows to frame
rows; sorting and filtering only rebuild that array.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.docks.attribute_panel import display_value
from desktop.i18n import tr
from layers.model.categories import CATEGORIES
from layers.model.events import Connections, FeaturesChanged, ProjectWatch
from layers.model.layer import FeatureLayer
from layers.model.project import Project
from layers.model.schema import FIELD_LABELS_ZH, precision_label

#: The fields the table's filter looks in.
FILTER_FIELDS = ("name", "category", "community", "address", "description", "street",
                 "district", "city", "location_precision")


def filter_mask(frame: pd.DataFrame, text: str) -> np.ndarray:
    """Return the rows whose shown text contains ``text`` (case-insensitive).

    Categories and location precisions are matched as the table shows them
    ("食堂 (canteen)", "社区级（大致）"), not only by their ids.

    Parameters
    ----------
    frame : DataFrame
        A layer's features.
    text : str
        What the planner typed.

    Returns
    -------
    ndarray of bool
        True for a matching row.
    """
    needle = text.strip().casefold()
    mask = np.zeros(len(frame), dtype=bool)
    if not needle:
        return ~mask
    for field in FILTER_FIELDS:
        if field not in frame.columns:
            continue
        # match each distinct value once: a million rows hold a few dozen categories
        codes, uniques = pd.factorize(frame[field])
        col = pd.Series(uniques, dtype=object)
        if field == "category":
            shown = col.map({c.id: f"{c.label_zh} ({c.id})" for c in CATEGORIES})
            col = shown.fillna(col)
        elif field == "location_precision":
            col = col.map(precision_label)
        col = col.fillna("").astype(str).str.casefold()
        found = np.append(col.str.contains(needle, regex=False).to_numpy(dtype=bool), False)
        mask |= found[codes]  # code -1 (empty) picks the False at the end
    return mask


class FeatureTableModel(QAbstractTableModel):
    """A read/write table over one layer.

    Parameters
    ----------
    layer : FeatureLayer
        The layer shown.
    """

    #: feature id, field, new text
    edit_requested = Signal(str, str, str)

    def __init__(self, layer: FeatureLayer, parent: object = None) -> None:
        super().__init__(parent)
        self.layer = layer
        self.columns = [c for c in layer.frame.columns if c != "geometry"]
        self.order = np.arange(len(layer), dtype=np.int64)
        self.filter_text = ""
        self.sort_column: int | None = None
        self.sort_order = Qt.SortOrder.AscendingOrder
        self._connections = Connections()
        self._connections.connect(layer.features_changed, self._on_features_changed)
        self.destroyed.connect(self._connections.clear)

    def detach(self) -> None:
        """Stop following the layer."""
        self._connections.clear()

    # ----- Qt model API -------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        """Return the number of visible rows."""
        return 0 if parent.isValid() else len(self.order)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        """Return the number of fields."""
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text."""
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole,
                                               Qt.ItemDataRole.EditRole,
                                               Qt.ItemDataRole.ToolTipRole):
            return None
        row = int(self.order[index.row()])
        field = self.columns[index.column()]
        value = self.layer.frame[field].iat[row]
        if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
            return ""
        if role == Qt.ItemDataRole.EditRole:
            return str(value)
        return display_value(field, value)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column titles in Chinese with the field name."""
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            field = self.columns[section]
            return FIELD_LABELS_ZH.get(field, field)
        return str(section + 1)

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        """Every field but ``id`` is editable."""
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and self.columns[index.column()] != "id":
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: QModelIndex, value: Any,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Request an edit; the undo stack applies it to the model."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        fid = self.feature_id(index.row())
        self.edit_requested.emit(fid, self.columns[index.column()], str(value))
        return True

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the index array by one column."""
        self.sort_column, self.sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        self._rebuild_order()
        self.layoutChanged.emit()

    # ----- index array --------------------------------------------------
    def set_filter(self, text: str) -> None:
        """Show only rows where any text field contains ``text``.

        Parameters
        ----------
        text : str
            Filter text; empty shows everything.
        """
        self.filter_text = text.strip()
        self.beginResetModel()
        self._rebuild_order()
        self.endResetModel()

    def _rebuild_order(self) -> None:
        frame = self.layer.frame
        rows = np.arange(len(frame), dtype=np.int64)
        if self.filter_text:
            rows = rows[filter_mask(frame, self.filter_text)]
        if self.sort_column is not None and len(rows):
            values = frame[self.columns[self.sort_column]].to_numpy()[rows]
            try:
                keys = np.argsort(values.astype(float), kind="stable")
            except (TypeError, ValueError):
                keys = np.argsort(np.array([str(v) if v is not None else "" for v in values]),
                                  kind="stable")
            if self.sort_order == Qt.SortOrder.DescendingOrder:
                keys = keys[::-1]
            rows = rows[keys]
        self.order = rows

    def feature_id(self, view_row: int) -> str:
        """Return the feature id shown in a view row.

        Parameters
        ----------
        view_row : int
            Row in the table.

        Returns
        -------
        str
            Feature id.
        """
        return str(self.layer.frame["id"].iat[int(self.order[view_row])])

    def view_rows_of(self, ids: set[str]) -> np.ndarray:
        """Return the view rows that show the given feature ids.

        Parameters
        ----------
        ids : set of str
            Feature ids.

        Returns
        -------
        ndarray of int
            View rows, sorted.
        """
        if not ids:
            return np.zeros(0, dtype=np.int64)
        frame_rows = np.array([self.layer.row_of(i) for i in ids if self.layer.has_feature(i)])
        if len(frame_rows) == 0:
            return np.zeros(0, dtype=np.int64)
        inverse = np.full(len(self.layer), -1, dtype=np.int64)
        inverse[self.order] = np.arange(len(self.order))
        out = inverse[frame_rows]
        return np.sort(out[out >= 0])

    def _on_features_changed(self, event: FeaturesChanged) -> None:
        change, rows = event.change, event.rows
        if change == "added" and isinstance(rows, tuple) and not self.filter_text \
                and self.sort_column is None:
            start, end = rows
            self.beginInsertRows(QModelIndex(), len(self.order), len(self.order) + end - start - 1)
            self.order = np.concatenate([self.order, np.arange(start, end, dtype=np.int64)])
            self.endInsertRows()
        elif change in ("updated", "moved") and isinstance(rows, list):
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(max(0, len(self.order) - 1), len(self.columns) - 1))
        else:
            self.beginResetModel()
            self.columns = [c for c in self.layer.frame.columns if c != "geometry"]
            self._rebuild_order()
            self.endResetModel()


class FeatureTablePanel(QWidget):
    """The Attribute table dock: layer choice, filter, table with shared selection.

    Parameters
    ----------
    project : Project
        The project.
    """

    zoom_requested = Signal(str, str)
    #: layer name, feature id, field, new text
    edit_requested = Signal(str, str, str, str)

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.model: FeatureTableModel | None = None
        self._syncing = False
        self.layer_box = QComboBox()
        self.layer_box.currentIndexChanged.connect(self._on_layer_chosen)
        self.filter_edit = QLineEdit()
        self.filter_edit.textChanged.connect(self._on_filter)
        self.count_label = QLabel()
        #: draw only the rows the filter keeps on the map
        self.map_filter_box = QCheckBox()
        self.map_filter_box.toggled.connect(self._apply_map_filter)
        self.view = QTableView()
        # keep the layer's own order until the planner clicks a header
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.doubleClicked.connect(self._on_double_click)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.SelectedClicked)
        top = QHBoxLayout()
        top.addWidget(self.layer_box)
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.count_label)
        top.addWidget(self.map_filter_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.view)
        self._watch = ProjectWatch(project_slots={"layers_changed": self._fill_layer_box})
        self._watch.watch(project)
        #: the selection of the layer shown, followed through the table's own model
        self._shown = Connections()
        self.destroyed.connect(self._watch.close)
        self.destroyed.connect(self._shown.clear)
        self.retranslate()

    def retranslate(self) -> None:
        """Apply the current language."""
        self.filter_edit.setPlaceholderText(tr("Filter by name, category, community…"))
        self.map_filter_box.setText(tr("Show only filtered on map"))
        self.map_filter_box.setToolTip(
            tr("Draw only the features the filter keeps; the others stay in the project"))
        self._fill_layer_box()

    def set_project(self, project: Project) -> None:
        """Show another project's layers.

        Parameters
        ----------
        project : Project
            The project.
        """
        self.project = project
        self._watch.watch(project)
        self._fill_layer_box()

    def _fill_layer_box(self) -> None:
        current = self.layer_box.currentData() or "facilities"
        self.layer_box.blockSignals(True)
        self.layer_box.clear()
        from desktop.docks.layer_panel import layer_title

        for layer in reversed(self.project.layers):
            self.layer_box.addItem(layer_title(layer), layer.name)
        index = max(0, self.layer_box.findData(current))
        self.layer_box.setCurrentIndex(index)
        self.layer_box.blockSignals(False)
        self._on_layer_chosen(index)

    def show_layer(self, name: str) -> None:
        """Show the named layer.

        Parameters
        ----------
        name : str
            Layer name.
        """
        index = self.layer_box.findData(name)
        if index >= 0:
            self.layer_box.setCurrentIndex(index)

    def _on_layer_chosen(self, index: int) -> None:
        name = self.layer_box.itemData(index)
        if not name or not self.project.has_layer(name):
            return
        layer = self.project.layer(name)
        if self.model is not None:
            self._clear_map_filter(self.model.layer)
            self.model.detach()
            self.model.deleteLater()  # a child of the panel: it would pile up otherwise
        self._shown.clear()
        self.model = FeatureTableModel(layer, self)
        self.model.set_filter(self.filter_edit.text())
        self.model.edit_requested.connect(
            lambda fid, field, text: self.edit_requested.emit(layer.name, fid, field, text))
        self.model.modelReset.connect(self._update_count)
        self.model.modelReset.connect(self._apply_map_filter)  # edits change what is kept
        self.model.rowsInserted.connect(self._update_count)
        self.view.setModel(self.model)
        self.view.selectionModel().selectionChanged.connect(self._on_view_selection)
        self._shown.connect(layer.selection_changed, self._on_model_selection)
        self._on_model_selection()
        self._update_count()
        self._apply_map_filter()

    def _apply_map_filter(self, *_: object) -> None:
        """Draw only the filtered rows on the map while the switch is on."""
        if self.model is None:
            return
        layer = self.model.layer
        if self.map_filter_box.isChecked() and self.model.filter_text:
            ids = layer.frame["id"].to_numpy()[self.model.order]
            layer.set_style(only_ids=frozenset(ids.tolist()))
        else:
            self._clear_map_filter(layer)

    @staticmethod
    def _clear_map_filter(layer: FeatureLayer) -> None:
        if layer.style.only_ids is not None:
            layer.set_style(only_ids=None)

    def _update_count(self, *_: object) -> None:
        if self.model is not None:
            self.count_label.setText(f"{len(self.model.order)} / {len(self.model.layer)}")

    def _on_filter(self, text: str) -> None:
        if self.model is not None:
            self.model.set_filter(text)
            self._on_model_selection()
            self._apply_map_filter()

    # ----- selection both ways ------------------------------------------
    def _on_view_selection(self, *_: object) -> None:
        if self._syncing or self.model is None:
            return
        rows = {i.row() for i in self.view.selectionModel().selectedRows()}
        ids = {self.model.feature_id(r) for r in rows}
        self._syncing = True  # the model's selection event must not come back here
        self.model.layer.set_selection(ids)
        self._syncing = False

    def _on_model_selection(self) -> None:
        if self._syncing or self.model is None:
            return
        layer = self.model.layer
        self._syncing = True
        selection = QItemSelection()
        rows = self.model.view_rows_of(set(layer.selected_ids))
        last_col = max(0, self.model.columnCount() - 1)
        # contiguous ranges keep large selections cheap
        if len(rows):
            breaks = np.nonzero(np.diff(rows) != 1)[0]
            starts = np.concatenate([[rows[0]], rows[breaks + 1]])
            ends = np.concatenate([rows[breaks], [rows[-1]]])
            for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
                selection.select(self.model.index(a, 0), self.model.index(b, last_col))
        self.view.selectionModel().select(
            selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        if len(rows):
            self.view.scrollTo(self.model.index(int(rows[0]), 0))
        self._syncing = False

    def _on_double_click(self, index: QModelIndex) -> None:
        if self.model is not None and index.isValid():
            self.zoom_requested.emit(self.model.layer.name, self.model.feature_id(index.row()))
