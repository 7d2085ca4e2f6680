"""The Communities dock: one admin tree (province → city → district); one click flies there.

A community without its district, city or province is placed by the bundled
boundaries (shown only: the project is not changed), so a community added from
an article with only "西湖区" joins 浙江省 › 杭州市 › 西湖区 instead of starting a
group of its own.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from desktop.i18n import tr
from layers.geo.admin_areas import fill_admin_fields
from layers.model.events import FeaturesChanged, ProjectWatch
from layers.model.project import Project
from layers.model.schema import COMMUNITIES, FACILITIES

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class CommunityNavigator(QWidget):
    """A tree: province → city → district → 社区 → 小区, with facility counts.

    Parameters
    ----------
    project : Project
        The project.
    """

    #: community feature id
    community_chosen = Signal(str)

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.itemClicked.connect(self._on_click)
        self.tree.itemActivated.connect(self._on_click)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tree)
        # facility counts follow edits a moment later, so adding a facility stays instant
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(300)
        self._later.timeout.connect(self.rebuild)
        self._watch = ProjectWatch(layer_slots={"features_changed": self._on_features_changed},
                                   layer_names=(COMMUNITIES.name, FACILITIES.name))
        self.destroyed.connect(self._watch.close)
        self.set_project(project)

    def set_project(self, project: Project) -> None:
        """List another project's communities.

        Parameters
        ----------
        project : Project
            The project.
        """
        self.project = project
        self._watch.watch(project)
        self.rebuild()

    def _on_features_changed(self, event: FeaturesChanged) -> None:
        if event.layer.name == COMMUNITIES.name:
            self.rebuild()
        elif event.change != "updated" or (event.fields and "community" in event.fields):
            self._later.start()

    def retranslate(self) -> None:
        """Apply the current language."""
        self.rebuild()

    def rebuild(self) -> None:
        """Recreate the tree."""
        self._later.stop()
        self.tree.clear()
        frame, _ = fill_admin_fields(self.project.communities.frame)
        frame = frame.drop(columns="geometry")
        counts = self.project.facilities.frame["community"].value_counts()
        areas: dict[tuple[str, ...], QTreeWidgetItem] = {}
        items: dict[str, QTreeWidgetItem] = {}

        def area_item(path: tuple[str, ...]) -> QTreeWidgetItem:
            item = areas.get(path)
            if item is None:
                item = QTreeWidgetItem([path[-1]])
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                if len(path) == 1:
                    self.tree.addTopLevelItem(item)
                else:
                    area_item(path[:-1]).addChild(item)
                areas[path] = item
            return item

        # 社区 before their 小区, so a parent item exists before its children
        rows = sorted(frame.itertuples(index=False),
                      key=lambda r: (_admin_path(r), bool(r.parent), str(r.name)))
        for r in rows:
            path = _admin_path(r) or (tr("Unknown"),)
            n = int(counts.get(r.name, 0))
            label = f"{r.name}  ({n})" if n else str(r.name)
            item = QTreeWidgetItem([label])
            item.setData(0, ID_ROLE, r.id)
            item.setToolTip(0, f"{r.street or ''} {r.level or ''}".strip())
            parent = items.get(r.parent) if r.parent else None
            (parent or area_item(path)).addChild(item)
            items[r.name] = item
        self.tree.expandAll()

    def area_paths(self) -> list[tuple[str, ...]]:
        """Return the path of every area group in the tree (for tests).

        Returns
        -------
        list of tuple of str
            Such as ``("浙江省", "杭州市", "西湖区")``, parents before children.
        """
        out = []
        stack = [((), self.tree.topLevelItem(i)) for i in range(self.tree.topLevelItemCount())]
        while stack:
            above, item = stack.pop(0)
            if item.data(0, ID_ROLE):
                continue
            path = (*above, item.text(0))
            out.append(path)
            stack[0:0] = [(path, item.child(k)) for k in range(item.childCount())]
        return out

    def _on_click(self, item: QTreeWidgetItem, column: int = 0) -> None:
        fid = item.data(0, ID_ROLE)
        if fid:
            self.community_chosen.emit(fid)

    def community_items(self) -> list[str]:
        """Return the community names listed (for tests).

        Returns
        -------
        list of str
            Names, in tree order.
        """
        out = []
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            item = stack.pop(0)
            if item.data(0, ID_ROLE):
                out.append(item.text(0).split("  (")[0])
            stack[0:0] = [item.child(k) for k in range(item.childCount())]
        return out


def _admin_path(row: object) -> tuple[str, ...]:
    """Province, city, district of a row, blanks left out and 直辖市 written once."""
    path: list[str] = []
    for name in (row.province, row.city, row.district):
        text = str(name).strip() if isinstance(name, str) else ""
        if text and text not in path:
            path.append(text)
    return tuple(path)
