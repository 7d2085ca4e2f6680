"""The project model: an ordered stack of layers backed by one GeoPackage."""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
from psygnal import Signal

from layers.io.project_file import layers_from_frames, read_project_layers, write_project_layers
from layers.model.events import LayersChanged, ModifiedChanged, Saved
from layers.model.layer import FeatureLayer, empty_frame
from layers.model.schema import COMMUNITIES, DRAW_ORDER, FACILITIES
from layers.resources import data_path

#: Shipped with the app: the communities and facilities of the five articles.
BUNDLED_PROJECT = data_path("communities.gpkg")


class Project:
    """Layers in draw order (bottom first), the file they came from, unsaved state.

    Parameters
    ----------
    layers : list of FeatureLayer, optional
        Initial layers; empty ``communities`` and ``facilities`` are created
        when missing.
    path : path-like, optional
        The GeoPackage the project was loaded from.
    """

    #: a layer was added, removed or moved
    layers_changed = Signal(LayersChanged)
    #: the project gained or lost unsaved edits
    modified_changed = Signal(ModifiedChanged)
    #: the project was written to a file
    saved = Signal(Saved)

    def __init__(self, layers: list[FeatureLayer] | None = None,
                 path: str | os.PathLike | None = None) -> None:
        self.layers: list[FeatureLayer] = list(layers or [])
        names = {layer.name for layer in self.layers}
        if COMMUNITIES.name not in names:
            self.layers.insert(0, FeatureLayer(COMMUNITIES.name, empty_frame(COMMUNITIES)))
        if FACILITIES.name not in names:
            self.layers.append(FeatureLayer(FACILITIES.name, empty_frame(FACILITIES)))
        self.path: Path | None = Path(path) if path else None
        self.modified = False
        for layer in self.layers:
            self._watch(layer)

    # ----- files ---------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike) -> Project:
        """Load a project GeoPackage, validating its schema.

        Parameters
        ----------
        path : path-like
            The ``.gpkg`` file.

        Returns
        -------
        Project
            The loaded project.

        Raises
        ------
        layers.io.project_file.ProjectFileError
            With a one-line reason when the file is unusable.
        """
        frames = read_project_layers(path)
        return cls(layers_from_frames(frames, conformed=True), path=path)

    def save(self, path: str | os.PathLike | None = None) -> Path:
        """Save every layer atomically to ``path`` or the project's own file.

        Parameters
        ----------
        path : path-like, optional
            Save-as target; defaults to :attr:`path`.

        Returns
        -------
        pathlib.Path
            Where the project was written.
        """
        target = Path(path) if path else self.path
        if target is None:
            raise ValueError("the project has no file yet: give a path")
        write_project_layers(target, self.frames())
        self.path = target
        self.set_modified(False)
        self.saved.emit(Saved(self, target))
        return target

    def frames(self) -> dict[str, gpd.GeoDataFrame]:
        """Return every layer's features by layer name.

        Returns
        -------
        dict of str to GeoDataFrame
            The live frames; callers must not modify them.
        """
        return {layer.name: layer.frame for layer in self.layers}

    # ----- layers --------------------------------------------------------
    def layer(self, name: str) -> FeatureLayer:
        """Return the layer called ``name``.

        Parameters
        ----------
        name : str
            Layer name.

        Returns
        -------
        FeatureLayer
            The layer.

        Raises
        ------
        KeyError
            If there is no such layer.
        """
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise KeyError(name)

    def has_layer(self, name: str) -> bool:
        """Tell whether a layer called ``name`` exists.

        Parameters
        ----------
        name : str
            Layer name.

        Returns
        -------
        bool
            True if present.
        """
        return any(layer.name == name for layer in self.layers)

    @property
    def facilities(self) -> FeatureLayer:
        """The facilities layer."""
        return self.layer(FACILITIES.name)

    @property
    def communities(self) -> FeatureLayer:
        """The communities layer."""
        return self.layer(COMMUNITIES.name)

    def add_layer(self, layer: FeatureLayer, index: int | None = None) -> None:
        """Add a layer, replacing any layer of the same name.

        Parameters
        ----------
        layer : FeatureLayer
            The layer to add.
        index : int, optional
            Draw position (0 is the bottom); by default boundaries and roads go under
            the circles, which go under the communities and facilities.
        """
        if self.has_layer(layer.name):
            old = self.layer(layer.name)
            index = self.layers.index(old) if index is None else index
            self.layers.remove(old)
            self._unwatch(old)
        if index is None:
            index = self._default_index(layer.name)
        self.layers.insert(index, layer)
        self._watch(layer)
        self.set_modified(True)
        self.layers_changed.emit(LayersChanged(self))

    def _default_index(self, name: str) -> int:
        """Where a new layer goes: boundaries, roads, circles, communities, facilities."""
        if name not in DRAW_ORDER:
            return max(0, len(self.layers) - 1)  # below the facilities
        rank = DRAW_ORDER.index(name)
        for i, other in enumerate(self.layers):
            if other.name in DRAW_ORDER and DRAW_ORDER.index(other.name) > rank:
                return i
        return len(self.layers)

    def remove_layer(self, name: str) -> FeatureLayer:
        """Remove an optional layer; the two required layers cannot be removed.

        Parameters
        ----------
        name : str
            Layer name.

        Returns
        -------
        FeatureLayer
            The removed layer.
        """
        if name in (FACILITIES.name, COMMUNITIES.name):
            raise ValueError(f"the {name} layer cannot be removed")
        layer = self.layer(name)
        self.layers.remove(layer)
        self._unwatch(layer)
        self.set_modified(True)
        self.layers_changed.emit(LayersChanged(self))
        return layer

    def move_layer(self, name: str, index: int) -> None:
        """Move a layer to draw position ``index`` (0 is the bottom).

        Parameters
        ----------
        name : str
            Layer name.
        index : int
            New position.
        """
        layer = self.layer(name)
        self.layers.remove(layer)
        self.layers.insert(max(0, min(index, len(self.layers))), layer)
        self.layers_changed.emit(LayersChanged(self))

    # ----- unsaved state -------------------------------------------------
    def set_modified(self, modified: bool) -> None:
        """Mark the project as having unsaved edits or not.

        Parameters
        ----------
        modified : bool
            New state.
        """
        if modified != self.modified:
            self.modified = modified
            self.modified_changed.emit(ModifiedChanged(self, modified))

    def _watch(self, layer: FeatureLayer) -> None:
        layer.features_changed.connect(self._on_features_changed)

    def _unwatch(self, layer: FeatureLayer) -> None:
        # an undo command may keep a removed layer and edit it: that is no edit of this project
        layer.features_changed.disconnect(self._on_features_changed)

    def _on_features_changed(self) -> None:
        self.set_modified(True)
