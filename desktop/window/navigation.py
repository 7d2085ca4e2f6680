"""Finding things on the map: identify, search by name, fly to a community, zoom."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QCompleter

from desktop.i18n import tr

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

#: Facility names offered while typing in the search box (a city has more).
MAX_COMPLETER_FACILITIES = 50000


class Navigation:
    """Take the planner to a feature and show what it is.

    Parameters
    ----------
    window : MainWindow
        The window whose canvas moves and whose attribute panel shows the feature.
    """

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.find_dialog = None
        #: Ctrl+F: find any feature by name across layers
        self.find_action = QAction(window)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.find_action.triggered.connect(self.open_find)
        window.addAction(self.find_action)

    def open_find(self) -> object:
        """Show the find box (Ctrl+F), made on first use.

        Returns
        -------
        FindDialog
            The box.
        """
        from desktop.dialogs.find_dialog import FindDialog
        from desktop.docks.layer_panel import layer_title

        if self.find_dialog is None:
            self.find_dialog = FindDialog(self.window.project, layer_title, self.window)
            self.find_dialog.chosen.connect(self.go_to_feature)
        elif self.find_dialog.project is not self.window.project:
            self.find_dialog.set_project(self.window.project)
        self.find_dialog.open_fresh()
        return self.find_dialog

    def go_to_feature(self, layer_name: str, feature_id: str) -> None:
        """Zoom to a feature, select it (alone) and show it in the attribute panel.

        Parameters
        ----------
        layer_name : str
            Layer name.
        feature_id : str
            Feature id.
        """
        project = self.window.project
        if not project.has_layer(layer_name):
            return
        layer = project.layer(layer_name)
        if not layer.has_feature(feature_id):
            return
        self.select_only(layer_name, feature_id)
        self.zoom_to_feature(layer_name, feature_id)
        name = layer.feature(feature_id).get("name") or feature_id
        self.window.status.show_message(tr("Found") + f": {name}", 4000)

    def select_only(self, layer_name: str, feature_id: str) -> None:
        """Select one feature and nothing else, in any layer.

        Parameters
        ----------
        layer_name, feature_id : str
            The feature.
        """
        for layer in self.window.project.layers:
            if layer.name != layer_name and layer.selected_ids:
                layer.set_selection([])
        self.window.project.layer(layer_name).set_selection([feature_id])

    def retranslate(self) -> None:
        """Set the find action's and box's texts in the current language."""
        self.find_action.setText(tr("Find Feature…"))
        if self.find_dialog is not None:
            self.find_dialog.retranslate()

    def show_identified(self, layer_name: str, feature_id: str) -> None:
        """Show an identified feature in the attribute panel.

        Parameters
        ----------
        layer_name : str
            Layer name ("" for nothing).
        feature_id : str
            Feature id.
        """
        window = self.window
        if not layer_name:
            window.attributes.clear()
            return
        window.attributes.show_feature(layer_name, feature_id)
        window.attributes_dock.show()
        window.attributes_dock.raise_()

    def zoom_to_feature(self, layer_name: str, feature_id: str) -> None:
        """Zoom to a feature and show it in the attribute panel.

        Parameters
        ----------
        layer_name : str
            Layer name.
        feature_id : str
            Feature id.
        """
        layer = self.window.project.layer(layer_name)
        self.window.canvas.zoom_to_features(layer, [feature_id], min_span=500)
        self.show_identified(layer_name, feature_id)

    def zoom_to_current_layer(self) -> None:
        """Zoom to the layer chosen in the layer panel."""
        layer = self.window.layer_panel.current_layer()
        if layer is not None:
            self.window.canvas.zoom_to_layer(layer)

    def fly_to_community(self, community_id: str) -> None:
        """Zoom to a community, its 小区 and its facilities, and select it.

        Parameters
        ----------
        community_id : str
            Community feature id.
        """
        import shapely

        project = self.window.project
        comms = project.communities
        row = comms.feature(community_id)
        names = {row["name"]}
        names |= set(comms.frame.loc[comms.frame["parent"] == row["name"], "name"])
        members = comms.frame[comms.frame["name"].isin(names)]
        fac = project.facilities.frame
        fac_geoms = fac.loc[fac["community"].isin(names), "geometry"]
        geoms = list(members.geometry) + list(fac_geoms)
        self.window.canvas.zoom_to_lonlat_bounds(tuple(shapely.total_bounds(geoms)),
                                                 min_span=900)
        comms.set_selection([community_id])
        self.show_identified("communities", community_id)

    def update_completer(self) -> None:
        """Offer the project's community and facility names while typing a search."""
        project = self.window.project
        facility_names = project.facilities.frame["name"].dropna()[:MAX_COMPLETER_FACILITIES]
        names = sorted(set(project.communities.frame["name"].dropna()) | set(facility_names))
        completer = QCompleter(names, self.window)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.activated.connect(self.window.search)
        self.window.toolbars.search_box.setCompleter(completer)

    def search(self, text: str) -> bool:
        """Find a community or facility by name and fly to it.

        Exact names win over partial matches; communities over facilities.

        Parameters
        ----------
        text : str
            The name, or part of it.

        Returns
        -------
        bool
            True when something was found.
        """
        project, status = self.window.project, self.window.status
        text = text.strip()
        if not text:
            return False
        for exact in (True, False):
            for layer in (project.communities, project.facilities):
                names = layer.frame["name"].fillna("")
                hits = layer.frame[names == text] if exact else layer.frame[
                    names.str.contains(text, regex=False)]
                if hits.empty:
                    continue
                fid = str(hits["id"].iloc[0])
                if layer.name == "communities":
                    self.fly_to_community(fid)
                else:
                    self.window.canvas.zoom_to_features(layer, [fid], min_span=600)
                    layer.set_selection([fid])
                    self.show_identified(layer.name, fid)
                status.show_message(tr("Found") + f": {hits['name'].iloc[0]}", 4000)
                return True
        status.show_message(tr("Nothing found for") + f" “{text}”", 4000)
        return False

    def open_article(self, source: str, quote: str) -> None:
        """Show the news article a feature came from, at the quoted passage.

        Parameters
        ----------
        source : str
            The article's label and title.
        quote : str
            The passage to find.
        """
        from desktop.dialogs.article_dialog import ArticleDialog

        ArticleDialog(source, quote, self.window).exec()
