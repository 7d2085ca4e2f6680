"""What a project changed since it was loaded or saved, and the store that keeps it.

A :class:`ChangeTracker` listens to every layer's ``features_changed`` and keeps the
ids that were added, edited or removed. Saving turns them into a :class:`ChangeSet`
that a :class:`ProjectStore` writes as one transaction: only the changed rows, never
the whole file. The store checks each row's version, so a row somebody else changed
since it was loaded comes back as a :class:`Conflict` instead of being overwritten.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import geopandas as gpd
import pandas as pd

from layers.model.schema import STORAGE_CRS

if TYPE_CHECKING:
    from layers.model.events import FeaturesChanged
    from layers.model.layer import FeatureLayer


class StoreError(Exception):
    """A project store that cannot be read or written, with a one-line reason."""


class StoreBusyError(StoreError):
    """Another program holds the project's write lock."""


@dataclass(frozen=True)
class Conflict:
    """A row changed both here and in the store since it was loaded.

    Attributes
    ----------
    layer : str
        Layer name.
    id : str
        Feature id.
    mine : dict or None
        This window's version (field to value, with ``geometry``); None when deleted here.
    theirs : dict or None
        The stored version; None when somebody else deleted it.
    version : int
        The stored row version; saving "mine" over it is allowed only while it stays so.
    """

    layer: str
    id: str
    mine: dict[str, Any] | None
    theirs: dict[str, Any] | None
    version: int


class ConflictError(StoreError):
    """Saving stopped because rows were changed by somebody else; nothing was written.

    Parameters
    ----------
    conflicts : list of Conflict
        The rows in conflict.
    """

    def __init__(self, conflicts: list[Conflict]) -> None:
        self.conflicts = conflicts
        n = len(conflicts)
        super().__init__(f"{n} row{'s' if n != 1 else ''} changed by somebody else since "
                         "the project was opened; nothing was saved")


@dataclass
class LayerChangeSet:
    """The changes of one layer, ready to write.

    Attributes
    ----------
    name : str
        Layer name.
    upserts : GeoDataFrame
        Rows to insert or update (by ``id``).
    deletes : list of str
        Ids to delete.
    new_ids : set of str
        Ids added here that the store has never had.
    whole : bool
        The layer was replaced as a whole: the store replaces every row.
    removed : bool
        The layer is no longer in the project: nothing is written for it when
        the store has no such table yet.
    """

    name: str
    upserts: gpd.GeoDataFrame
    deletes: list[str]
    new_ids: set[str] = field(default_factory=set)
    whole: bool = False
    removed: bool = False


@dataclass
class ChangeSet:
    """Everything a save writes: the changed layers.

    Attributes
    ----------
    layers : list of LayerChangeSet
        One entry per changed layer.
    overrides : dict
        ``(layer, id)`` to the stored version the planner chose to overwrite.
    """

    layers: list[LayerChangeSet] = field(default_factory=list)
    overrides: dict[tuple[str, str], int] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return any(len(c.upserts) or c.deletes or c.whole for c in self.layers)

    def rows(self) -> int:
        """Return how many rows the change set writes.

        Returns
        -------
        int
            Upserted plus deleted rows.
        """
        return sum(len(c.upserts) + len(c.deletes) for c in self.layers)


@dataclass
class Applied:
    """What a store did when it applied a change set.

    Attributes
    ----------
    revision : int
        The store's revision after the write; the project's new base.
    pulled : dict
        Layer name to ``(rows, deleted_ids)`` that others changed since the
        project's base revision: the project merges them without a question.
    """

    revision: int
    pulled: dict[str, tuple[gpd.GeoDataFrame, list[str]]] = field(default_factory=dict)


@dataclass
class Snapshot:
    """A project as read from a store.

    Attributes
    ----------
    frames : dict of str to GeoDataFrame
        Layer name to features, conformed to their schemas.
    revision : int
        The store's revision when read.
    notes : list of str
        One line per repair made while reading (such as ids given to rows without one).
    repaired_ids : dict
        Layer name to ``{new id: row key}`` for rows given an id while reading.
    """

    frames: dict[str, gpd.GeoDataFrame]
    revision: int
    notes: list[str] = field(default_factory=list)
    repaired_ids: dict[str, dict[str, int]] = field(default_factory=dict)


class ProjectStore(Protocol):
    """Where a project lives: a GeoPackage today, a PostGIS database for a team.

    A store reads layers, applies a change set as one transaction under its write
    lock, and checks each changed row's version against the revision the project
    was loaded at.
    """

    @property
    def location(self) -> Path:
        """The file (or a name for the database) the project lives in."""
        ...

    def read(self) -> Snapshot:
        """Read every layer and the current revision."""
        ...

    def lock(self) -> AbstractContextManager[None]:
        """Hold the write lock: reads inside see the latest data, nobody else writes."""
        ...

    def pull(self, base: int) -> Applied:
        """Return the rows others saved after ``base``, and the current revision."""
        ...

    def check(self, changes: ChangeSet, base: int) -> list[Conflict]:
        """Return the rows of ``changes`` that changed in the store after ``base``."""
        ...

    def apply(self, changes: ChangeSet, base: int,
              repaired_ids: Mapping[str, Mapping[str, int]] | None = None) -> Applied:
        """Write ``changes`` as one transaction, or raise :class:`ConflictError`."""
        ...


def _no_rows() -> gpd.GeoDataFrame:
    """Return an empty frame of features: the upserts of a removed layer."""
    return gpd.GeoDataFrame({"id": pd.Series(dtype=object)},
                            geometry=gpd.GeoSeries([], crs=STORAGE_CRS), crs=STORAGE_CRS)


class ChangeTracker:
    """The ids each layer changed since the last load or save.

    Events whose ``origin`` is ``"store"`` (rows merged in from the store) are not
    changes of this window and are ignored.
    """

    def __init__(self) -> None:
        self._touched: dict[str, set[str]] = {}
        self._new: dict[str, set[str]] = {}
        self._whole: set[str] = set()

    def record(self, event: FeaturesChanged) -> None:
        """Remember what one ``features_changed`` event changed.

        Parameters
        ----------
        event : FeaturesChanged
            The event.
        """
        if event.origin == "store":
            return
        name = event.layer.name
        if event.change == "reset":
            self._whole.add(name)
            return
        touched = self._touched.setdefault(name, set())
        if event.change == "added":
            # an id removed since the last save and added back (an undo, then a redo)
            # is a row the store may have: it is checked like any edited row
            self._new.setdefault(name, set()).update(i for i in event.ids if i not in touched)
        touched.update(event.ids)

    def replace_layer(self, name: str) -> None:
        """Mark a layer as replaced whole (added to the project, or reset).

        Parameters
        ----------
        name : str
            Layer name.
        """
        self._whole.add(name)

    def forget(self, name: str, ids: set[str]) -> None:
        """Drop ids from the changes, after the planner kept the stored version.

        Parameters
        ----------
        name : str
            Layer name.
        ids : set of str
            Ids to forget.
        """
        self._touched.get(name, set()).difference_update(ids)

    def clear(self) -> None:
        """Forget every change (after a save or a load)."""
        self._touched.clear()
        self._new.clear()
        self._whole.clear()

    def __bool__(self) -> bool:
        return bool(self._whole) or any(self._touched.values())

    def change_set(self, layers: Mapping[str, FeatureLayer]) -> ChangeSet:
        """Build the change set of the current layers.

        Parameters
        ----------
        layers : mapping of str to FeatureLayer
            The project's layers by name.

        Returns
        -------
        ChangeSet
            Rows to write per layer. A layer no longer in the project (an import
            that made it, undone) loses the rows this window wrote or replaced;
            the store leaves its table, and every row others wrote, in place.
        """
        out = ChangeSet()
        for name in sorted(set(self._touched) | self._whole):
            layer = layers.get(name)
            if layer is None:
                out.layers.append(LayerChangeSet(
                    name, _no_rows(), sorted(self._touched.get(name, set())),
                    whole=name in self._whole, removed=True))
                continue
            if name in self._whole:
                out.layers.append(LayerChangeSet(name, layer.frame, [], set(), whole=True))
                continue
            ids = self._touched.get(name, set())
            present = [i for i in ids if layer.has_feature(i)]
            rows = sorted(layer.row_of(i) for i in present)
            out.layers.append(LayerChangeSet(
                name, layer.frame.iloc[rows], sorted(ids - set(present)),
                new_ids=self._new.get(name, set()) & set(present)))
        return out

    def changed_ids(self) -> Iterator[tuple[str, str]]:
        """Yield ``(layer, id)`` of every row changed here (not whole layers).

        Yields
        ------
        tuple of str
            Layer name and feature id.
        """
        for name, ids in self._touched.items():
            for fid in ids:
                yield name, fid
