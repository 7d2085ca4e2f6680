"""The Layers dock: visibility, draw order by drag and drop, opacity, style, legend."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.canvas.draw_context import single_colour
from desktop.canvas.symbols import category_sprite
from desktop.i18n import tr
from layers.model.categories import CATEGORIES
from layers.model.events import DisplayChanged, FeaturesChanged, ProjectWatch
from layers.model.layer import FeatureLayer
from layers.model.project import Project
from layers.model.schema import GeometryKind, LayerRole

LAYER_ROLE = Qt.ItemDataRole.UserRole + 1
#: on a legend entry: the category id it stands for
CATEGORY_ROLE = LAYER_ROLE + 1
LAYER_TITLES = {"facilities": "Facilities", "communities": "Communities",
                "service_circles": "Service circles", "boundaries": "Community boundaries",
                "roads": "Roads and footpaths", "proposals": "Proposed sites"}


def layer_title(layer: FeatureLayer) -> str:
    """Return the translated display title of a layer.

    Parameters
    ----------
    layer : FeatureLayer
        The layer.

    Returns
    -------
    str
        Title for the tree and legend.
    """
    base = LAYER_TITLES.get(layer.name)
    title = tr(base) if base else layer.title
    suffix = layer.style.title_suffix
    if not suffix and layer.role is LayerRole.SERVICE_CIRCLES and len(layer):
        # after reopening a project, the parameters are still in the layer's fields
        first = layer.frame.iloc[0]
        suffix = f"{first['minutes']:g} min · {first['radius_m']:.0f} m · {first['method']}"
    return f"{title} ({suffix})" if suffix else title


class _LayerTree(QTreeWidget):
    order_changed = Signal()

    def dropEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        super().dropEvent(event)
        self.order_changed.emit()


class LayerPanel(QWidget):
    """Layer list with checkboxes, legend entries and per-layer display settings.

    Parameters
    ----------
    project : Project
        The project whose layers are listed.
    """

    zoom_to_layer_requested = Signal(str)
    current_layer_changed = Signal(str)
    #: layer name, global position: the planner right-clicked a layer
    context_menu_requested = Signal(str, QPoint)

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self._updating = False
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(150)
        self._later.timeout.connect(self.rebuild)
        self.tree = _LayerTree()
        self.tree.setHeaderHidden(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.itemChanged.connect(self._on_item_changed)
        self.tree.order_changed.connect(self._on_order_changed)
        self.tree.currentItemChanged.connect(self._on_current_changed)
        self.tree.itemDoubleClicked.connect(self._on_double_click)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._on_context_menu)
        self.opacity = QSlider(Qt.Orientation.Horizontal)
        self.opacity.setRange(0, 100)
        self.opacity.valueChanged.connect(self._on_opacity)
        self.size_box = QSpinBox()
        self.size_box.setRange(4, 40)
        self.size_box.valueChanged.connect(self._on_size)
        self.color_button = QPushButton()
        self.color_button.clicked.connect(self._on_color)
        self.opacity_label = QLabel()
        self.size_label = QLabel()
        row1 = QHBoxLayout()
        row1.addWidget(self.opacity_label)
        row1.addWidget(self.opacity)
        row2 = QHBoxLayout()
        row2.addWidget(self.size_label)
        row2.addWidget(self.size_box)
        row2.addWidget(self.color_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tree)
        layout.addLayout(row1)
        layout.addLayout(row2)
        self._watch = ProjectWatch(
            project_slots={"layers_changed": self.rebuild},
            layer_slots={"display_changed": self._on_display_changed,
                         "features_changed": self._on_features_changed})
        self.destroyed.connect(self._watch.close)
        self.set_project(project)
        self.retranslate()

    def retranslate(self) -> None:
        """Apply the current language."""
        self.opacity_label.setText(tr("Opacity"))
        self.size_label.setText(tr("Symbol size"))
        self.color_button.setText(tr("Colour…"))
        self.rebuild()

    def set_project(self, project: Project) -> None:
        """List another project's layers.

        Parameters
        ----------
        project : Project
            The project.
        """
        self.project = project
        self._watch.watch(project)
        self.rebuild()

    def rebuild(self) -> None:
        """Recreate the tree from the project (top layer first)."""
        self._later.stop()
        current = self.current_layer()
        self._updating = True
        self.tree.clear()
        for layer in reversed(self.project.layers):
            item = QTreeWidgetItem([layer_title(layer)])
            item.setData(0, LAYER_ROLE, layer.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable
                          | Qt.ItemFlag.ItemIsDragEnabled)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsDropEnabled)
            item.setCheckState(0, Qt.CheckState.Checked if layer.visible
                               else Qt.CheckState.Unchecked)
            self.tree.addTopLevelItem(item)
            self._add_legend(item, layer)
            item.setExpanded(layer.name in ("facilities", "service_circles"))
            if layer.name == (current.name if current else "facilities"):
                self.tree.setCurrentItem(item)
        self.tree.invisibleRootItem().setFlags(
            self.tree.invisibleRootItem().flags() | Qt.ItemFlag.ItemIsDropEnabled)
        self._updating = False
        self._sync_controls()

    def _add_legend(self, item: QTreeWidgetItem, layer: FeatureLayer) -> None:
        if "category" not in layer.frame.columns or layer.name == "communities":
            return
        counts = layer.frame["category"].value_counts()
        hidden = layer.style.hidden_categories
        for c in CATEGORIES:
            n = int(counts.get(c.id, 0))
            if not n:
                continue
            child = QTreeWidgetItem([f"{c.label_zh} ({n})"])
            # a check box per category: unticked hides its features on the map
            child.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            child.setCheckState(0, Qt.CheckState.Unchecked if c.id in hidden
                                else Qt.CheckState.Checked)
            child.setIcon(0, _legend_icon(c.id, layer))
            child.setData(0, CATEGORY_ROLE, c.id)
            item.addChild(child)

    def legend_entries(self, layer_name: str) -> list[str]:
        """Return the category ids listed in a layer's legend, in order.

        Parameters
        ----------
        layer_name : str
            Layer name.

        Returns
        -------
        list of str
            Category ids.
        """
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.data(0, LAYER_ROLE) == layer_name:
                return [item.child(k).data(0, CATEGORY_ROLE) for k in range(item.childCount())]
        return []

    def legend_item(self, layer_name: str, category_id: str) -> QTreeWidgetItem | None:
        """Return a layer's legend entry for one category (its check box hides it).

        Parameters
        ----------
        layer_name : str
            Layer name.
        category_id : str
            Category id.

        Returns
        -------
        QTreeWidgetItem or None
            The entry, if the layer lists that category.
        """
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.data(0, LAYER_ROLE) != layer_name:
                continue
            for k in range(item.childCount()):
                if item.child(k).data(0, CATEGORY_ROLE) == category_id:
                    return item.child(k)
        return None

    def edit_style(self, layer_name: str) -> None:
        """Choose a layer and open its style: the colour, or the symbol size for facilities.

        Parameters
        ----------
        layer_name : str
            Layer name.
        """
        for i in range(self.tree.topLevelItemCount()):
            if self.tree.topLevelItem(i).data(0, LAYER_ROLE) == layer_name:
                self.tree.setCurrentItem(self.tree.topLevelItem(i))
        if self.color_button.isEnabled():
            self._on_color()
        else:
            self.size_box.setFocus()

    def current_layer(self) -> FeatureLayer | None:
        """Return the layer selected in the tree.

        Returns
        -------
        FeatureLayer or None
            The layer.
        """
        item = self.tree.currentItem()
        while item is not None and item.parent() is not None:
            item = item.parent()
        name = item.data(0, LAYER_ROLE) if item else None
        return self.project.layer(name) if name and self.project.has_layer(name) else None

    # ----- widget -> model ----------------------------------------------
    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._updating:
            return
        name = item.data(0, LAYER_ROLE)
        if name and self.project.has_layer(name):
            self._updating = True  # block the echo from display_changed
            self.project.layer(name).set_visible(item.checkState(0) == Qt.CheckState.Checked)
            self._updating = False
            return
        category, parent = item.data(0, CATEGORY_ROLE), item.parent()
        name = parent.data(0, LAYER_ROLE) if parent is not None else None
        if category and name and self.project.has_layer(name):
            layer = self.project.layer(name)
            hidden = set(layer.style.hidden_categories)
            if item.checkState(0) == Qt.CheckState.Checked:
                hidden.discard(category)
            else:
                hidden.add(category)
            self._updating = True
            layer.set_style(hidden_categories=frozenset(hidden))
            self._updating = False

    def _on_context_menu(self, pos: QPoint) -> None:
        item = self.tree.itemAt(pos)
        while item is not None and item.parent() is not None:
            item = item.parent()
        name = item.data(0, LAYER_ROLE) if item is not None else None
        if name and self.project.has_layer(name):
            self.tree.setCurrentItem(item)
            self.context_menu_requested.emit(name, self.tree.viewport().mapToGlobal(pos))

    def _on_order_changed(self) -> None:
        names = [self.tree.topLevelItem(i).data(0, LAYER_ROLE)
                 for i in range(self.tree.topLevelItemCount())]
        names = [n for n in names if n]
        for index, name in enumerate(reversed(names)):
            if self.project.layers[index].name != name:
                self.project.move_layer(name, index)

    def _on_current_changed(self, *_: object) -> None:
        self._sync_controls()
        layer = self.current_layer()
        if layer is not None:
            self.current_layer_changed.emit(layer.name)

    def _on_double_click(self, item: QTreeWidgetItem, column: int) -> None:
        name = item.data(0, LAYER_ROLE)
        if name:
            self.zoom_to_layer_requested.emit(name)

    def _on_opacity(self, value: int) -> None:
        layer = self.current_layer()
        if layer is not None and not self._updating:
            self._updating = True
            layer.set_style(opacity=value / 100)
            self._updating = False

    def _on_size(self, value: int) -> None:
        layer = self.current_layer()
        if layer is not None and not self._updating:
            self._updating = True
            layer.set_style(size_px=value)
            self._updating = False

    def _on_color(self) -> None:
        layer = self.current_layer()
        if layer is None:
            return
        color = QColorDialog.getColor(QColor(single_colour(layer.style)), self)
        if color.isValid():
            layer.set_style(color=color.name())

    # ----- model -> widget ----------------------------------------------
    def _on_display_changed(self, event: DisplayChanged) -> None:
        if self._updating:
            return
        layer = event.layer
        if event.what == "style":
            self.rebuild()
            return
        self._updating = True
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.data(0, LAYER_ROLE) == layer.name:
                item.setCheckState(0, Qt.CheckState.Checked if layer.visible
                                   else Qt.CheckState.Unchecked)
        self._updating = False
        self._sync_controls()

    def _on_features_changed(self, event: FeaturesChanged) -> None:
        # legend counts follow a moment later, so an edit never waits for them
        if event.change != "updated" or (event.fields and "category" in event.fields):
            self._later.start()

    def _sync_controls(self) -> None:
        layer = self.current_layer()
        was = self._updating
        self._updating = True
        self.opacity.setEnabled(layer is not None)
        if layer is not None:
            self.opacity.setValue(int(round(layer.style.opacity * 100)))
            self.size_box.setValue(int(layer.style.size_px))
        # markers have a size; facilities take their colours from their categories
        self.size_box.setEnabled(layer is not None and layer.kind is GeometryKind.POINT)
        self.color_button.setEnabled(layer is not None
                                     and layer.role is not LayerRole.FACILITIES)
        self._updating = was


def _legend_icon(category_id: str, layer: FeatureLayer) -> QIcon:
    if layer.role is LayerRole.SERVICE_CIRCLES:
        from layers.model.categories import get_category

        pix = QPixmap(16, 16)
        color = QColor(get_category(category_id).color)
        color.setAlpha(110)
        pix.fill(color)
        return QIcon(pix)
    return QIcon(QPixmap.fromImage(category_sprite(category_id, 12)))
