"""The editor: one undo stack for the project, autosave and crash recovery."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from desktop.editing.commands import (
    AddFeaturesCommand,
    ChangeAttributesCommand,
    DeleteFeaturesCommand,
    MoveFeatureCommand,
)
from desktop.i18n import tr
from layers.io.recovery import discard_recovery, recovery_path, write_recovery
from layers.model.layer import LayerError, new_id
from layers.model.project import Project
from layers.model.schema import STORAGE_CRS

AUTOSAVE_SECONDS = 30
AUTOSAVE_EDITS = 20


class Editor(QObject):
    """Applies every edit as an undo command and keeps a recovery copy.

    Parameters
    ----------
    project : Project
        The project being edited.
    """

    #: a one-line message for the status bar
    message = Signal(str)
    autosaved = Signal(str)

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.stack = QUndoStack(self)
        self.stack.cleanChanged.connect(self._on_clean_changed)
        self.stack.indexChanged.connect(self._on_index_changed)
        self._index = 0
        self._edits_since_autosave = 0
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.autosave)
        self._timer.start(AUTOSAVE_SECONDS * 1000)
        self.project = project

    def set_project(self, project: Project) -> None:
        """Edit another project; the undo history starts afresh.

        Parameters
        ----------
        project : Project
            The project.
        """
        self.project = project
        self.stack.clear()
        self.stack.setClean()
        self._index = self.stack.index()
        self._edits_since_autosave = 0

    # ----- the stack ----------------------------------------------------
    def push(self, command: QUndoCommand) -> None:
        """Apply a command and put it on the undo stack.

        Parameters
        ----------
        command : QUndoCommand
            The edit.
        """
        self.stack.push(command)

    def _on_clean_changed(self, clean: bool) -> None:
        self.project.set_modified(not clean)

    def _on_index_changed(self, index: int) -> None:
        ran = self.stack.command(index if index < self._index else index - 1)
        self._index = index
        if ran is not None and _any_gone(ran):
            self.message.emit(tr("Somebody else deleted that feature since: nothing to undo "
                                 "or redo there"))
        self._edits_since_autosave += 1
        if self._edits_since_autosave >= AUTOSAVE_EDITS:
            self.autosave()

    # ----- edits --------------------------------------------------------
    @property
    def last_category(self) -> str:
        """The category chosen last time a facility was added."""
        return str(QSettings().value("edit/last_category", "service_station"))

    def add_facility(self, values: dict[str, Any], lon: float, lat: float) -> str:
        """Add one facility at a lon/lat position.

        Parameters
        ----------
        values : dict
            Field values from the form (``name`` required). Without a
            ``location_precision`` the position is ``placed-on-map``: a click,
            not a survey.
        lon, lat : float
            Degrees.

        Returns
        -------
        str
            The new facility's id.
        """
        values = {k: v for k, v in values.items() if k != "geometry"}
        values["location_precision"] = values.get("location_precision") or "placed-on-map"
        values["id"] = new_id()
        values = {**values, **self.project.facilities.validate_values(
            {k: v for k, v in values.items() if k != "id"})}
        row = gpd.GeoDataFrame({k: [v] for k, v in values.items()},
                               geometry=[shapely.Point(lon, lat)], crs=STORAGE_CRS)
        QSettings().setValue("edit/last_category", values.get("category") or "other")
        self.push(AddFeaturesCommand(self.project, "facilities", row,
                                     tr("Add facility") + f" “{values['name']}”"))
        return values["id"]

    def add_boundary(self, polygon: shapely.Polygon, community: str) -> str:
        """Add a community boundary polygon.

        Parameters
        ----------
        polygon : shapely.Polygon
            In lon/lat; must be valid.
        community : str
            Community name.

        Returns
        -------
        str
            The boundary's id.
        """
        fid = new_id()
        row = gpd.GeoDataFrame({"id": [fid], "community": [community],
                                "source": [None], "notes": [None]},
                               geometry=[polygon], crs=STORAGE_CRS)
        self.push(AddFeaturesCommand(self.project, "boundaries", row,
                                     tr("Draw boundary") + f" “{community}”"))
        return fid

    def move_feature(self, layer_name: str, feature_id: str, new: shapely.Geometry,
                     old: shapely.Geometry | None = None) -> None:
        """Move a feature (or replace a boundary's outline).

        Parameters
        ----------
        layer_name : str
            Layer.
        feature_id : str
            Feature.
        new : shapely.Geometry
            New geometry in lon/lat.
        old : shapely.Geometry, optional
            Geometry before the drag; read from the layer when omitted.
        """
        layer = self.project.layer(layer_name)
        if old is None:
            old = layer.feature(feature_id)["geometry"]
        name = layer.feature(feature_id).get("name") or layer.feature(feature_id).get(
            "community") or ""
        self.push(MoveFeatureCommand(self.project, layer_name, feature_id, old, new,
                                     tr("Move") + f" “{name}”"))

    def change_attribute(self, layer_name: str, feature_id: str, field: str,
                         text: str) -> bool:
        """Change one attribute from text typed by the planner, with validation.

        Parameters
        ----------
        layer_name : str
            Layer.
        feature_id : str
            Feature.
        field : str
            Field name.
        text : str
            The typed value.

        Returns
        -------
        bool
            True when applied; False (with a message) when refused or unchanged.
        """
        layer = self.project.layer(layer_name)
        try:
            values = layer.validate_values({field: text})
        except LayerError as exc:
            self.message.emit(tr("Edit refused") + f": {exc}")
            return False
        current = layer.feature(feature_id).get(field)
        if current == values[field]:
            return False
        self.push(ChangeAttributesCommand(self.project, layer_name, feature_id, values,
                                          tr("Edit") + f" {field}"))
        return True

    def delete_features(self, layer_name: str, ids: list[str]) -> None:
        """Delete features as one undoable step.

        Parameters
        ----------
        layer_name : str
            Layer.
        ids : list of str
            Features.
        """
        if ids:
            self.push(DeleteFeaturesCommand(self.project, layer_name, ids,
                                            tr("Delete") + f" {len(ids)}"))

    # ----- saving and recovery ------------------------------------------
    def mark_saved(self) -> None:
        """Record that the project file now matches the edits."""
        self.stack.setClean()
        self._edits_since_autosave = 0
        if self.project.path is not None:
            discard_recovery(self.project.path)

    def recovery_file(self) -> Path | None:
        """Return where this project's recovery copy goes.

        Returns
        -------
        Path or None
            None for a project without a file.
        """
        return recovery_path(self.project.path) if self.project.path else None

    def autosave(self) -> Path | None:
        """Write unsaved edits to the recovery file (never to the project itself).

        Returns
        -------
        Path or None
            The recovery file written, or None when nothing needed saving.
        """
        self._edits_since_autosave = 0
        target = self.recovery_file()
        if target is None or not self.project.modified:
            return None
        try:
            write_recovery(self.project, target)
        except Exception as exc:  # noqa: BLE001 - autosave must never interrupt editing
            self.message.emit(tr("Autosave failed") + f": {str(exc).splitlines()[0]}")
            return None
        self.autosaved.emit(time.strftime("%H:%M:%S"))
        return target


def _any_gone(command: QUndoCommand) -> bool:
    """Tell whether a command, or one in its macro, found its feature deleted."""
    if getattr(command, "gone", False):
        return True
    return any(_any_gone(command.child(i)) for i in range(command.childCount()))
