"""The project model: an ordered stack of layers backed by one GeoPackage."""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
from psygnal import Signal

from layers.model.changes import ChangeSet, ChangeTracker, Conflict, ProjectStore
from layers.model.events import FeaturesChanged, LayersChanged, ModifiedChanged, Saved
from layers.model.layer import FeatureLayer, empty_frame
from layers.model.schema import COMMUNITIES, DRAW_ORDER, FACILITIES, STORAGE_CRS
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
        The file the project belongs to; by default its store's location.
    store : ProjectStore, optional
        Where the project lives; :meth:`save` writes the changed rows there.
    revision : int
        The store's revision the layers were read at.
    notes : list of str, optional
        One line per repair made while reading; the repaired rows count as edits.
    repaired_ids : dict, optional
        Layer name to ``{new id: row key}`` for rows given an id while reading.
    """

    #: a layer was added, removed or moved
    layers_changed = Signal(LayersChanged)
    #: the project gained or lost unsaved edits
    modified_changed = Signal(ModifiedChanged)
    #: the project was written to a file
    saved = Signal(Saved)

    def __init__(self, layers: list[FeatureLayer] | None = None,
                 path: str | os.PathLike | None = None, store: ProjectStore | None = None,
                 revision: int = 0, notes: list[str] | None = None,
                 repaired_ids: dict[str, dict[str, int]] | None = None) -> None:
        self.layers: list[FeatureLayer] = list(layers or [])
        names = {layer.name for layer in self.layers}
        if COMMUNITIES.name not in names:
            self.layers.insert(0, FeatureLayer(COMMUNITIES.name, empty_frame(COMMUNITIES)))
        if FACILITIES.name not in names:
            self.layers.append(FeatureLayer(FACILITIES.name, empty_frame(FACILITIES)))
        if path is None and store is not None:
            path = _file_of(store)
        #: the project file; None for a new project or one in a database
        self.path: Path | None = Path(path) if path else None
        self.store = store
        self.revision = revision
        self.notes: list[str] = list(notes or [])
        self.changes = ChangeTracker()
        self._repaired = dict(repaired_ids or {})
        self._overrides: dict[tuple[str, str], int] = {}
        self.modified = bool(self._repaired)
        for layer in self.layers:
            self._watch(layer)

    # ----- saving --------------------------------------------------------
    def save(self) -> Path | str:
        """Write the rows changed since the last load or save to the project's store.

        One transaction under the store's write lock: all of it or nothing. Rows
        somebody else saved meanwhile are merged in without a question.

        Returns
        -------
        pathlib.Path
            The project file.

        Raises
        ------
        ValueError
            When the project has no store yet (use ``layers.store.save_as``).
        layers.model.changes.ConflictError
            When rows changed here were changed by somebody else since; nothing
            was written. Settle each with :meth:`keep_mine` or :meth:`keep_theirs`,
            then save again.
        layers.model.changes.StoreBusyError
            When another program holds the write lock.
        """
        if self.store is None:
            raise ValueError("the project has no file yet: save it as a file first")
        pulled = {}
        if self.changes or self._repaired:
            changes = self.unsaved_changes()
            applied = self.store.apply(changes, self.revision, self._repaired)
            pulled, self.revision = applied.pulled, applied.revision
        self.saved_to(self.store, self.revision)
        # others' rows come in after the save is recorded: an edit made in reaction
        # to them (a circle kept in line with a new facility) is a new unsaved edit
        self._merge(pulled)
        return self.path if self.path is not None else store_location(self)

    def unsaved_changes(self) -> ChangeSet:
        """Return what the next save writes: the rows changed since the last load or save.

        Returns
        -------
        ChangeSet
            Per changed layer, the rows to write and the ids to delete.
        """
        changes = self.changes.change_set({layer.name: layer for layer in self.layers})
        changes.overrides = dict(self._overrides)
        return changes

    def rebase(self, revision: int) -> None:
        """Check the next save against an older revision (edits restored after a crash).

        Rows somebody else saved after ``revision`` that the restored edits touch
        then come back as conflicts instead of being overwritten.

        Parameters
        ----------
        revision : int
            The revision the restored edits were made on.
        """
        self.revision = min(self.revision, revision)

    def refresh(self) -> None:
        """Take in what others saved since the project was read or saved.

        Only without unsaved edits: with edits, :meth:`save` merges instead, so
        rows changed on both sides still come back as conflicts. Ids given while
        reading stay due; the store settles them by row key on the next save.

        Raises
        ------
        ValueError
            With unsaved edits, or without a store.
        """
        if self.store is None or self.changes:
            raise ValueError("refresh needs a saved project without unsaved edits")
        applied = self.store.pull(self.revision)
        self._merge(applied.pulled)
        self.revision = applied.revision

    def saved_to(self, store: ProjectStore, revision: int) -> None:
        """Record that the whole project now matches ``store`` at ``revision``.

        Parameters
        ----------
        store : ProjectStore
            The store written (a new one after Save As).
        revision : int
            Its revision.
        """
        self.store = store
        self.path = _file_of(store)
        self.revision = revision
        self.changes.clear()
        self._overrides.clear()
        self._repaired = {}
        self.set_modified(False)
        self.saved.emit(Saved(self, self.path))

    def keep_mine(self, conflict: Conflict) -> None:
        """Settle a conflict with this window's version; the next save writes it.

        Parameters
        ----------
        conflict : Conflict
            From a :class:`~layers.model.changes.ConflictError`.
        """
        self._overrides[(conflict.layer, conflict.id)] = conflict.version

    def keep_theirs(self, conflict: Conflict) -> None:
        """Settle a conflict with the stored version: this window's edit of the row is dropped.

        Parameters
        ----------
        conflict : Conflict
            From a :class:`~layers.model.changes.ConflictError`.
        """
        rows = None
        if conflict.theirs is not None:
            theirs = dict(conflict.theirs)
            geometry = theirs.pop("geometry", None)
            rows = gpd.GeoDataFrame({k: [v] for k, v in theirs.items()},
                                    geometry=[geometry], crs=STORAGE_CRS)
        self.layer(conflict.layer).merge_stored(
            rows, [] if rows is not None else [conflict.id])
        self.changes.forget(conflict.layer, {conflict.id})
        self._overrides.pop((conflict.layer, conflict.id), None)

    def _merge(self, pulled: dict[str, tuple[gpd.GeoDataFrame, list[str]]]) -> None:
        for name, (rows, deleted) in pulled.items():
            if self.has_layer(name):
                self.layer(name).merge_stored(rows, deleted)

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
        self.changes.replace_layer(layer.name)
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

    def _on_features_changed(self, event: FeaturesChanged) -> None:
        if event.origin == "store":
            return
        self.changes.record(event)
        self.set_modified(True)


def _file_of(store: ProjectStore) -> Path | None:
    """Return the store's file, or None for a store that is not a file (a database)."""
    location = store.location
    return Path(location) if isinstance(location, os.PathLike) else None


def store_location(project: Project) -> str | None:
    """Return where a project lives, as text: its file, or its database URL.

    Parameters
    ----------
    project : Project
        The project.

    Returns
    -------
    str or None
        None for a project never saved.
    """
    if project.path is not None:
        return str(project.path)
    return str(project.store.location) if project.store is not None else None
