"""Right-click menus: on a feature of the map, and on a layer in the layer list.

Each menu is built when asked for and shown with ``popup`` (it does not block),
so a script or test can reach the last menu and trigger its actions.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QMenu

from desktop.file_dialogs import save_file_name
from desktop.i18n import tr
from layers.model.schema import GeometryKind

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

#: The walk a circle "from here" gets: the service-circle dialog's own default.
HERE_CIRCLE_MINUTES = 10.0
HERE_CIRCLE_PRESET = "gb50180"


class ContextMenus:
    """The map's and the layer list's right-click menus.

    Parameters
    ----------
    window : MainWindow
        The window, with its canvas, layer panel, editor and parts built.
    """

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        #: the menu shown last (kept so it is not collected while open)
        self.last_menu: QMenu | None = None
        window.canvas.context_menu_requested.connect(self.show_map_menu)
        window.layer_panel.context_menu_requested.connect(self.show_layer_menu)

    # ----- on the map ---------------------------------------------------
    def map_menu(self, px: float, py: float) -> QMenu:
        """Build the menu for a right-click at a canvas pixel.

        On a feature: identify, edit attributes, move, delete, zoom to it and,
        for a facility, make its service circle. Elsewhere: zoom to everything.

        Parameters
        ----------
        px, py : float
            Canvas pixel.

        Returns
        -------
        QMenu
            The menu, not yet shown; each action's ``objectName`` says what it does.
        """
        window = self.window
        menu = QMenu(window)
        hit = window.canvas.feature_at(px, py)
        if hit is None:
            _action(menu, "zoom_full", tr("Zoom Full"), window.canvas.zoom_to_full_extent)
            return menu
        layer_name, fid = hit
        layer = window.project.layer(layer_name)
        name = layer.feature(fid).get("name") or fid
        title = menu.addAction(str(name))
        title.setEnabled(False)
        menu.addSeparator()
        nav = window.navigation
        _action(menu, "identify", tr("Identify"),
                lambda: nav.show_identified(layer_name, fid))
        _action(menu, "edit", tr("Edit Attributes…"), lambda: self.edit_feature(layer_name, fid))
        if layer.kind is GeometryKind.POINT and layer_name in ("facilities", "communities") \
                or layer_name == "boundaries":
            _action(menu, "move", tr("Move"), lambda: self.move_feature(layer_name, fid))
        _action(menu, "zoom_to", tr("Zoom to Feature"),
                lambda: nav.zoom_to_feature(layer_name, fid))
        if layer_name == "facilities":
            _action(menu, "circle", tr("Service Circle from Here"),
                    lambda: self.circle_from(fid))
        if layer_name == "proposals":  # a proposed site (Analysis ▸ Suggest Sites…)
            _action(menu, "accept_proposal", tr("Accept as Facility"),
                    lambda: window.analysis.accept_proposal(fid))
        menu.addSeparator()
        _action(menu, "delete", tr("Delete"),
                lambda: window.editor.delete_features(layer_name, [fid]))
        return menu

    def show_map_menu(self, px: float, py: float) -> QMenu:
        """Show the map's menu at a canvas pixel (the canvas asks on right-click).

        Parameters
        ----------
        px, py : float
            Canvas pixel.

        Returns
        -------
        QMenu
            The menu shown.
        """
        menu = self.map_menu(px, py)
        self._popup(menu, self.window.canvas.mapToGlobal(QPoint(int(px), int(py))))
        return menu

    def edit_feature(self, layer_name: str, feature_id: str) -> None:
        """Select a feature and open its attributes, ready to edit.

        Parameters
        ----------
        layer_name, feature_id : str
            The feature.
        """
        self.window.navigation.select_only(layer_name, feature_id)
        window = self.window
        window.navigation.show_identified(layer_name, feature_id)
        window.attributes.table.setFocus()

    def move_feature(self, layer_name: str, feature_id: str) -> None:
        """Select a feature and take up the tool that moves it.

        Parameters
        ----------
        layer_name, feature_id : str
            The feature.
        """
        self.window.navigation.select_only(layer_name, feature_id)
        tool = "edit_boundary" if layer_name == "boundaries" else "move_feature"
        self.window.set_tool(tool)
        self.window.status.show_message(tr("Drag it to its new place"), 6000)

    def circle_from(self, facility_id: str) -> bool:
        """Draw the service circle of one facility (a 10-minute GB 50180 walk).

        Parameters
        ----------
        facility_id : str
            The facility.

        Returns
        -------
        bool
            True when the circle was made (one undoable step).
        """
        from layers.geo.walking import PRESETS

        self.window.navigation.select_only("facilities", facility_id)
        return self.window.analysis.make_service_circles(
            "selected", HERE_CIRCLE_MINUTES, PRESETS[HERE_CIRCLE_PRESET])

    # ----- on a layer ---------------------------------------------------
    def layer_menu(self, layer_name: str) -> QMenu:
        """Build the menu for a layer in the layer list.

        Parameters
        ----------
        layer_name : str
            The layer.

        Returns
        -------
        QMenu
            Zoom to layer, style, labels on/off, export, and remove (optional layers).
        """
        window = self.window
        layer = window.project.layer(layer_name)
        menu = QMenu(window)
        _action(menu, "zoom_layer", tr("Zoom to Layer"),
                lambda: window.canvas.zoom_to_layer(layer))
        _action(menu, "style", tr("Style…"), lambda: window.layer_panel.edit_style(layer_name))
        labels = _action(menu, "labels", tr("Show Labels"),
                         lambda on: layer.set_style(show_labels=bool(on)))
        labels.setCheckable(True)
        labels.setChecked(layer.style.show_labels)
        menu.addSeparator()
        if layer_name == "communities":
            _action(menu, "join", tr("Join Table…"), lambda: self.join_table(layer_name))
        _action(menu, "export", tr("Export Layer…"), lambda: self.export_layer_dialog(layer_name))
        if layer_name not in ("facilities", "communities"):
            menu.addSeparator()
            _action(menu, "remove", tr("Remove Layer"), lambda: self.remove_layer(layer_name))
        return menu

    def show_layer_menu(self, layer_name: str, global_pos: QPoint) -> QMenu:
        """Show a layer's menu (the layer list asks on right-click).

        Parameters
        ----------
        layer_name : str
            The layer.
        global_pos : QPoint
            Where, on the screen.

        Returns
        -------
        QMenu
            The menu shown.
        """
        menu = self.layer_menu(layer_name)
        self._popup(menu, global_pos)
        return menu

    def join_table(self, layer_name: str) -> int:
        """Fill a layer's fields from a table (Join Table…), as one undo step.

        Parameters
        ----------
        layer_name : str
            The layer, e.g. ``communities``.

        Returns
        -------
        int
            Features changed (0 when cancelled).
        """
        from desktop.dialogs.join_dialog import JoinTableDialog, apply_join_plan

        window = self.window
        dialog = JoinTableDialog(window.project.layer(layer_name), window)
        if dialog.exec() != JoinTableDialog.DialogCode.Accepted or dialog.plan is None:
            return 0
        changed = apply_join_plan(window.project, window.editor, layer_name, dialog.plan)
        window.status.show_message(tr("Join Table") + f": {dialog.plan.values_set} "
                                   + tr("values on") + f" {changed} " + tr("features"), 6000)
        return changed

    def remove_layer(self, layer_name: str) -> None:
        """Remove an optional layer as one undoable step.

        Parameters
        ----------
        layer_name : str
            The layer.
        """
        from desktop.docks.layer_panel import layer_title
        from desktop.editing.commands import RemoveLayerCommand

        project = self.window.project
        text = tr("Remove Layer") + f" {layer_title(project.layer(layer_name))}"
        self.window.editor.push(RemoveLayerCommand(project, layer_name, text))

    def export_layer_dialog(self, layer_name: str) -> Path | None:
        """Ask for a file and write the layer to it as GeoPackage or GeoJSON.

        Parameters
        ----------
        layer_name : str
            The layer.

        Returns
        -------
        Path or None
            The written file.
        """
        path = save_file_name(self.window, tr("Export Layer"), f"{layer_name}.gpkg",
                              tr("GeoPackage (*.gpkg);;GeoJSON (*.geojson)"))
        return None if path is None else self.export_layer_to(layer_name, path)

    def export_layer_to(self, layer_name: str, path: Path) -> Path | None:
        """Write one layer to ``path`` (the suffix picks GeoPackage or GeoJSON), off the GUI.

        Parameters
        ----------
        layer_name : str
            The layer.
        path : Path
            A ``.gpkg`` or ``.geojson`` file; any other suffix becomes ``.gpkg``.

        Returns
        -------
        Path or None
            The written file, or None on failure (said in one line).
        """
        from desktop.workers import run_with_progress
        from layers.io.layer_file import LAYER_FILE_SUFFIXES, write_layer_file

        if path.suffix.lower() not in LAYER_FILE_SUFFIXES:
            path = path.with_suffix(".gpkg")
        frame = self.window.project.layer(layer_name).frame.copy()
        out = run_with_progress(self.window, tr("Export Layer"),
                                lambda _progress: write_layer_file(frame, path, layer_name),
                                label=tr("Export Layer…"), can_cancel=False)
        if out is not None:
            self.window.status.show_message(
                tr("Saved") + f" {out} ({len(frame)} " + tr("features") + ")", 5000)
        return out

    def _popup(self, menu: QMenu, global_pos: QPoint) -> None:
        if self.last_menu is not None and self.last_menu is not menu:
            self.last_menu.deleteLater()
        self.last_menu = menu
        menu.popup(global_pos)


def _action(menu: QMenu, key: str, text: str, slot: object) -> object:
    action = menu.addAction(text)
    action.setObjectName(key)
    action.triggered.connect(slot)
    return action
