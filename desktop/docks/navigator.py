"""The Communities dock: every community grouped by city; one click flies there."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from desktop.i18n import tr
from layers.model.events import FeaturesChanged, ProjectWatch
from layers.model.project import Project
from layers.model.schema import COMMUNITIES, FACILITIES

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class CommunityNavigator(QWidget):
    """A tree: city → 社区 → 小区, with facility counts.

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
        frame = self.project.communities.frame.drop(columns="geometry")
        counts = self.project.facilities.frame["community"].value_counts()
        cities: dict[str, QTreeWidgetItem] = {}
        items: dict[str, QTreeWidgetItem] = {}
        # 社区 before their 小区, so a parent item exists before its children
        rows = sorted(frame.itertuples(index=False),
                      key=lambda r: (str(r.city or ""), bool(r.parent), str(r.name)))
        for r in rows:
            city_name = " ".join(x for x in (r.province, r.city, r.district) if x) or tr("Unknown")
            city = cities.get(city_name)
            if city is None:
                city = QTreeWidgetItem([city_name])
                city.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.tree.addTopLevelItem(city)
                cities[city_name] = city
            n = int(counts.get(r.name, 0))
            label = f"{r.name}  ({n})" if n else str(r.name)
            item = QTreeWidgetItem([label])
            item.setData(0, ID_ROLE, r.id)
            item.setToolTip(0, f"{r.street or ''} {r.level or ''}".strip())
            parent = items.get(r.parent) if r.parent else None
            (parent or city).addChild(item)
            items[r.name] = item
        self.tree.expandAll()

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
