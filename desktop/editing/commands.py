"""Undo commands: every edit of a project goes through one of these."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import shapely
from PySide6.QtGui import QUndoCommand

from layers.model.layer import FeatureLayer, empty_frame
from layers.model.project import Project
from layers.model.schema import SCHEMAS


def _layer(project: Project, name: str) -> FeatureLayer:
    return project.layer(name)


def _present(command: QUndoCommand, feature_id: str) -> FeatureLayer | None:
    """Return the command's layer if it still holds the feature; else mark the command gone.

    Somebody else may have deleted the feature, and a save took their deletion in:
    there is nothing left to undo or redo. ``command.gone`` tells the editor to say so.
    """
    project, name = command.project, command.layer_name
    if project.has_layer(name) and project.layer(name).has_feature(feature_id):
        command.gone = False
        return project.layer(name)
    command.gone = True
    return None


class AddFeaturesCommand(QUndoCommand):
    """Add features to a layer (creating the layer if the project lacks it).

    Parameters
    ----------
    project : Project
        The project.
    layer_name : str
        Target layer.
    rows : GeoDataFrame
        Features with ids.
    text : str
        Text for the undo history.
    """

    def __init__(self, project: Project, layer_name: str, rows: gpd.GeoDataFrame,
                 text: str) -> None:
        super().__init__(text)
        self.project = project
        self.layer_name = layer_name
        self.rows = rows
        self.ids: list[str] = []
        self.created_layer = False

    def redo(self) -> None:
        """Add the features and select them."""
        if not self.project.has_layer(self.layer_name):
            schema = SCHEMAS[self.layer_name]
            self.project.add_layer(FeatureLayer(self.layer_name, empty_frame(schema)))
            self.created_layer = True
        layer = _layer(self.project, self.layer_name)
        self.ids = layer.add_features(self.rows)
        self.rows = layer.frame.iloc[len(layer) - len(self.ids):].copy()  # keep the ids made
        layer.set_selection(self.ids)

    def undo(self) -> None:
        """Remove the features again."""
        layer = _layer(self.project, self.layer_name)
        layer.remove_features(self.ids)
        if self.created_layer and len(layer) == 0:
            self.project.remove_layer(self.layer_name)


class DeleteFeaturesCommand(QUndoCommand):
    """Delete features; undo puts them back where they were.

    Parameters
    ----------
    project : Project
        The project.
    layer_name : str
        Layer.
    ids : list of str
        Features to delete.
    text : str
        Text for the undo history.
    """

    def __init__(self, project: Project, layer_name: str, ids: list[str], text: str) -> None:
        super().__init__(text)
        self.project = project
        self.layer_name = layer_name
        self.ids = list(ids)
        self.removed: gpd.GeoDataFrame | None = None

    def redo(self) -> None:
        """Remove the features."""
        self.removed = _layer(self.project, self.layer_name).remove_features(self.ids)

    def undo(self) -> None:
        """Restore the features at their old rows."""
        layer = _layer(self.project, self.layer_name)
        layer.restore_features(self.removed)
        layer.set_selection(self.ids)


class MoveFeatureCommand(QUndoCommand):
    """Replace one feature's geometry (a moved point or an edited boundary).

    Parameters
    ----------
    project : Project
        The project.
    layer_name : str
        Layer.
    feature_id : str
        Feature.
    old, new : shapely.Geometry
        Geometry before and after, in lon/lat.
    text : str
        Text for the undo history.
    """

    def __init__(self, project: Project, layer_name: str, feature_id: str,
                 old: shapely.Geometry, new: shapely.Geometry, text: str) -> None:
        super().__init__(text)
        self.project = project
        self.layer_name = layer_name
        self.feature_id = feature_id
        self.old, self.new = old, new

    def redo(self) -> None:
        """Apply the new geometry."""
        layer = _present(self, self.feature_id)
        if layer is not None:
            layer.move_feature(self.feature_id, self.new)

    def undo(self) -> None:
        """Restore the old geometry."""
        layer = _present(self, self.feature_id)
        if layer is not None:
            layer.move_feature(self.feature_id, self.old)


class ChangeAttributesCommand(QUndoCommand):
    """Change attribute values of one feature (already validated).

    Parameters
    ----------
    project : Project
        The project.
    layer_name : str
        Layer.
    feature_id : str
        Feature.
    values : dict
        Field to new value.
    text : str
        Text for the undo history.
    """

    def __init__(self, project: Project, layer_name: str, feature_id: str,
                 values: dict[str, Any], text: str) -> None:
        super().__init__(text)
        self.project = project
        self.layer_name = layer_name
        self.feature_id = feature_id
        self.values = values
        self.old: dict[str, Any] = {}

    def redo(self) -> None:
        """Set the new values."""
        layer = _present(self, self.feature_id)
        if layer is not None:
            self.old = layer.update_attributes(self.feature_id, self.values)

    def undo(self) -> None:
        """Set the old values back."""
        layer = _present(self, self.feature_id)
        if layer is not None:
            layer.update_attributes(self.feature_id, self.old)


class RestoreRowsCommand(QUndoCommand):
    """Put edits saved before a crash back: rows overwritten or added, ids deleted.

    Parameters
    ----------
    project : Project
        The project.
    layer_name : str
        Layer.
    rows : GeoDataFrame
        Rows as they were edited or added.
    deleted : list of str
        Ids that were deleted.
    text : str
        Text for the undo history.
    """

    def __init__(self, project: Project, layer_name: str, rows: gpd.GeoDataFrame,
                 deleted: list[str], text: str) -> None:
        super().__init__(text)
        self.project = project
        self.layer_name = layer_name
        self.rows = rows
        self.deleted = list(deleted)
        self.old: gpd.GeoDataFrame | None = None
        self.added: list[str] = []
        self.removed: gpd.GeoDataFrame | None = None

    def redo(self) -> None:
        """Overwrite, add and delete."""
        layer = _layer(self.project, self.layer_name)
        present = self.rows["id"].map(layer.has_feature).to_numpy(dtype=bool)
        self.old = layer.put_rows(self.rows[present]) if present.any() else None
        self.added = layer.add_features(self.rows[~present]) if (~present).any() else []
        self.removed = layer.remove_features(self.deleted) if self.deleted else None

    def undo(self) -> None:
        """Put the layer back as it was before the restore."""
        layer = _layer(self.project, self.layer_name)
        if self.removed is not None and len(self.removed):
            layer.restore_features(self.removed)
        if self.added:
            layer.remove_features(self.added)
        if self.old is not None:
            layer.put_rows(self.old)


class ReplaceLayerCommand(QUndoCommand):
    """Replace all features of a layer at once (an import), as one undo step.

    Parameters
    ----------
    project : Project
        The project.
    layer_name : str
        Layer.
    frame : GeoDataFrame
        The new features.
    text : str
        Text for the undo history.
    """

    def __init__(self, project: Project, layer_name: str, frame: gpd.GeoDataFrame,
                 text: str) -> None:
        super().__init__(text)
        self.project = project
        self.layer_name = layer_name
        self.frame = frame
        self.before: gpd.GeoDataFrame | None = None

    def redo(self) -> None:
        """Swap the new features in."""
        layer = _layer(self.project, self.layer_name)
        self.before = layer.frame
        layer.replace_frame(self.frame)

    def undo(self) -> None:
        """Swap the old features back."""
        _layer(self.project, self.layer_name).replace_frame(self.before)


class RemoveLayerCommand(QUndoCommand):
    """Remove an optional layer (roads, boundaries, circles…); undo puts it back in place.

    Parameters
    ----------
    project : Project
        The project.
    layer_name : str
        The layer; ``facilities`` and ``communities`` cannot be removed.
    text : str
        Text for the undo history.
    """

    def __init__(self, project: Project, layer_name: str, text: str) -> None:
        super().__init__(text)
        self.project = project
        self.layer_name = layer_name
        self.layer: FeatureLayer | None = None
        self.index = 0

    def redo(self) -> None:
        """Take the layer out of the project."""
        layer = _layer(self.project, self.layer_name)
        self.index = self.project.layers.index(layer)
        self.layer = self.project.remove_layer(self.layer_name)

    def undo(self) -> None:
        """Put the same layer back where it was."""
        if self.layer is not None and not self.project.has_layer(self.layer_name):
            self.project.add_layer(self.layer, self.index)
