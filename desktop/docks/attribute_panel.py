"""The Attributes dock: every field of the identified feature, readable, editable.

For a project in a database it also says who changed the feature last and when,
with the whole edit history (every saved change, old and new values) one click away.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import tr
from layers.model.categories import get_category
from layers.model.changes import StoreError
from layers.model.events import Connections, FeaturesChanged
from layers.model.layer import FeatureLayer
from layers.model.project import Project
from layers.model.schema import FIELD_LABELS_ZH, precision_label

HIDDEN_FIELDS = {"quote"}
READ_ONLY_FIELDS = {"id"}
#: How many past changes of one feature the history list shows.
HISTORY_LIMIT = 100


def _short(value: Any, limit: int = 40) -> str:
    text = "∅" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def change_summary(entry: Any) -> str:
    """Return one history entry's changed fields as ``field: old → new`` text.

    Parameters
    ----------
    entry : layers.store.postgis.HistoryEntry
        One change.

    Returns
    -------
    str
        The fields, separated by ``; ``.
    """
    if entry.action == "insert":
        return tr("added") + (f": {_short(entry.changes['name']['new'])}"
                              if entry.changes.get("name", {}).get("new") else "")
    if entry.action == "delete":
        return tr("deleted")
    if entry.action == "replace":
        return tr("layer replaced")
    return "; ".join(f"{field}: {_short(change.get('old'))} → {_short(change.get('new'))}"
                     for field, change in sorted(entry.changes.items()))


def _when(entry: Any) -> str:
    at = entry.at
    try:
        at = at.astimezone()  # the planner's clock
    except (ValueError, AttributeError):
        pass
    return at.strftime("%Y-%m-%d %H:%M")


def display_value(field: str, value: Any) -> str:
    """Return a field value as the planner should read it.

    Parameters
    ----------
    field : str
        Field name.
    value : Any
        Stored value.

    Returns
    -------
    str
        Readable text; categories show their Chinese label.
    """
    if value is None:
        return ""
    if field == "category":
        c = get_category(str(value))
        return f"{c.label_zh} ({c.id})"
    if field == "location_precision":
        return precision_label(value)
    if field == "elderly_share":
        return f"{value:g}%"
    if hasattr(value, "geom_type"):
        if value.geom_type == "Point":
            return f"{value.x:.6f}, {value.y:.6f}"
        return value.geom_type
    return str(value)


class AttributePanel(QWidget):
    """Shows one feature; edits are requested, not applied, so they can be undone.

    Parameters
    ----------
    project : Project
        The project.
    """

    #: layer name, feature id, field, new text
    edit_requested = Signal(str, str, str, str)
    open_article_requested = Signal(str, str)

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.layer: FeatureLayer | None = None
        self.feature_id: str | None = None
        self._filling = False
        self.history_entries: list = []
        #: edits of the feature shown, followed on its layer only
        self._shown = Connections()
        self.destroyed.connect(self._shown.clear)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.table = QTableWidget(0, 2)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(True)
        self.table.itemChanged.connect(self._on_item_changed)
        self.quote = QTextBrowser()
        self.quote.setMinimumHeight(90)
        self.article_button = QPushButton()
        self.article_button.clicked.connect(self._open_article)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 3)
        self.changed_label = QLabel()
        self.changed_label.setObjectName("LastChanged")
        self.changed_label.setWordWrap(True)
        self.changed_label.setTextFormat(Qt.TextFormat.PlainText)
        self.history_button = QToolButton()
        self.history_button.setCheckable(True)
        self.history_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.history_button.setArrowType(Qt.ArrowType.RightArrow)
        self.history_button.toggled.connect(self._on_history_toggled)
        self.history_list = QTreeWidget()
        self.history_list.setObjectName("EditHistory")
        self.history_list.setRootIsDecorated(False)
        self.history_list.setWordWrap(True)
        self.history_list.hide()
        layout.addWidget(self.changed_label)
        layout.addWidget(self.history_button)
        layout.addWidget(self.history_list, 2)
        self.quote_label = QLabel()
        layout.addWidget(self.quote_label)
        layout.addWidget(self.quote, 2)
        layout.addWidget(self.article_button)
        self.retranslate()
        self.clear()

    def retranslate(self) -> None:
        """Apply the current language."""
        self.table.setHorizontalHeaderLabels([tr("Field"), tr("Value")])
        self.quote_label.setText(tr("Quote from the source article"))
        self.article_button.setText(tr("Open source article…"))
        self.history_list.setHeaderLabels([tr("When"), tr("Who"), tr("What changed")])
        if self.layer is not None and self.feature_id is not None:
            self.show_feature(self.layer.name, self.feature_id)
        else:
            self.title.setText(tr("Click a feature with the Identify tool."))

    def set_project(self, project: Project) -> None:
        """Follow another project.

        Parameters
        ----------
        project : Project
            The project.
        """
        self.project = project
        self.clear()

    def clear(self) -> None:
        """Show nothing."""
        self._detach()
        self.layer = None
        self.feature_id = None
        self.title.setText(tr("Click a feature with the Identify tool."))
        self.table.setRowCount(0)
        self.quote.clear()
        self.article_button.setEnabled(False)
        self._show_history([], "")

    def _detach(self) -> None:
        self._shown.clear()

    def show_feature(self, layer_name: str, feature_id: str) -> None:
        """Show every field of one feature.

        Parameters
        ----------
        layer_name : str
            Layer name.
        feature_id : str
            Feature id.
        """
        if not layer_name or not self.project.has_layer(layer_name):
            self.clear()
            return
        layer = self.project.layer(layer_name)
        try:
            feature = layer.feature(feature_id)
        except KeyError:
            self.clear()
            return
        if layer is not self.layer:
            self._detach()
            self._shown.connect(layer.features_changed, self._on_features_changed)
        self.layer, self.feature_id = layer, feature_id
        self._fill(feature)

    def _fill(self, feature: dict[str, Any]) -> None:
        self._filling = True
        name = html.escape(str(feature.get("name") or ""))
        extra = ""
        if feature.get("category"):
            extra = html.escape(get_category(feature["category"]).label_zh)
        elif feature.get("level"):
            extra = html.escape(str(feature["level"]))
        precision = str(feature.get("location_precision") or "")
        warn = ""
        if precision.startswith("approximate"):
            warn = f"<br/><span style='color:#b35c00'>≈ {html.escape(tr('Approximate position'))}" \
                   f" ({html.escape(precision_label(precision))})</span>"
        self.title.setText(f"<b style='font-size:14pt'>{name}</b> {extra}{warn}")
        fields = [k for k in feature if k not in HIDDEN_FIELDS and k != "geometry"]
        fields.append("geometry")
        self.table.setRowCount(len(fields))
        for row, key in enumerate(fields):
            label = FIELD_LABELS_ZH.get(key, key) if key != "geometry" else "经纬度"
            head = QTableWidgetItem(f"{label}\n{key}")
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)
            value = QTableWidgetItem(display_value(key, feature.get(key)))
            value.setData(Qt.ItemDataRole.UserRole, key)
            value.setToolTip(display_value(key, feature.get(key)))
            if key in READ_ONLY_FIELDS or key == "geometry":
                value.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            self.table.setItem(row, 0, head)
            self.table.setItem(row, 1, value)
        self.table.resizeRowsToContents()
        quote = str(feature.get("quote") or "")
        source = str(feature.get("source") or "")
        self.quote.setHtml(
            "".join(f"<p>「{html.escape(q)}」</p>" for q in quote.split("\n") if q)
            + (f"<p style='color:#666'>— {html.escape(source)}</p>" if source else "")
        )
        self.article_button.setEnabled(bool(source))
        self._source, self._quote = source, quote
        self._filling = False
        self._load_history()

    # ----- who changed it ---------------------------------------------------
    def _load_history(self) -> None:
        """Ask the project's store who changed the shown feature, newest first."""
        store = self.project.store
        if self.layer is None or self.feature_id is None:
            self._show_history([], "")
            return
        if not hasattr(store, "history"):
            line = tr("The edit history needs a project in a database (File ▸ Open "
                      "Database…).") if store is not None else ""
            self._show_history([], line)
            return
        try:
            entries = store.history(self.layer.name, str(self.feature_id), HISTORY_LIMIT)
        except StoreError as exc:
            self._show_history([], str(exc).splitlines()[0])
            return
        if not entries:
            self._show_history([], tr("No saved change of this feature in the edit history."))
            return
        last = entries[0]
        self._show_history(entries, tr("Last changed by {who} on {when}").format(
            who=last.by, when=_when(last)))

    def _show_history(self, entries: list, line: str) -> None:
        self.history_entries = entries
        self.changed_label.setText(line)
        self.changed_label.setVisible(bool(line))
        self.history_list.clear()
        for entry in entries:
            item = QTreeWidgetItem([_when(entry), entry.by, change_summary(entry)])
            item.setToolTip(2, change_summary(entry))
            self.history_list.addTopLevelItem(item)
        self.history_button.setText(tr("Edit history") + f" ({len(entries)})")
        self.history_button.setVisible(bool(entries))
        self.history_list.setVisible(bool(entries) and self.history_button.isChecked())

    def _on_history_toggled(self, shown: bool) -> None:
        self.history_button.setArrowType(Qt.ArrowType.DownArrow if shown
                                         else Qt.ArrowType.RightArrow)
        self.history_list.setVisible(shown and bool(self.history_entries))

    def value_of(self, field: str) -> str | None:
        """Return the displayed text of a field (for tests and accessibility).

        Parameters
        ----------
        field : str
            Field name.

        Returns
        -------
        str or None
            Displayed text, or None when the field is not shown.
        """
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 1)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == field:
                return item.text()
        return None

    def quote_text(self) -> str:
        """Return the quote panel's plain text.

        Returns
        -------
        str
            Text.
        """
        return self.quote.toPlainText()

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or self.layer is None or item.column() != 1:
            return
        field = item.data(Qt.ItemDataRole.UserRole)
        self.edit_requested.emit(self.layer.name, self.feature_id, field, item.text())
        # show the model's value again: the edit may have been refused
        self.show_feature(self.layer.name, self.feature_id)

    def _on_features_changed(self, event: FeaturesChanged) -> None:
        if self.feature_id is None or self.layer is None:
            return
        change, ids = event.change, event.ids
        if change in ("removed", "reset") and not self.layer.has_feature(self.feature_id):
            self.clear()
        elif self.feature_id in ids or change in ("restored", "reset"):
            self.show_feature(self.layer.name, self.feature_id)

    def _open_article(self) -> None:
        self.open_article_requested.emit(self._source, self._quote)
