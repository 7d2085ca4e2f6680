"""A vector layer model: features in a GeoDataFrame plus display state and events.

Setters validate, store, then emit. Views subscribe to the layer's signals
(``features_changed``, ``display_changed``, ``selection_changed``) and never get
called by the model directly.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from psygnal import Signal

from layers.model.events import DisplayChanged, FeaturesChanged, SelectionChanged
from layers.model.id_index import IdIndex, id_hashes
from layers.model.schema import (
    SCHEMAS,
    STORAGE_CRS,
    GeometryKind,
    LayerRole,
    LayerSchema,
    geometry_kind,
)
from layers.model.style import LayerStyle, default_style


class LayerError(ValueError):
    """An edit that the layer refuses, with a message for the planner."""


def empty_frame(schema: LayerSchema) -> gpd.GeoDataFrame:
    """Return an empty frame with the columns and dtypes of ``schema``.

    Parameters
    ----------
    schema : LayerSchema
        The layer schema.

    Returns
    -------
    geopandas.GeoDataFrame
        Zero rows, EPSG:4326.
    """
    data = {name: pd.Series(dtype=_pandas_dtype(kind)) for name, kind in schema.fields.items()}
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries([], crs=STORAGE_CRS), crs=STORAGE_CRS)


def _pandas_dtype(kind: str) -> str:
    return {"str": "object", "int": "Int64", "float": "float64"}[kind]


def conform(frame: gpd.GeoDataFrame, schema: LayerSchema) -> gpd.GeoDataFrame:
    """Return a copy of ``frame`` with exactly the schema's columns and dtypes.

    Missing columns are added empty, extra columns are kept after the schema's,
    string columns hold ``str`` or ``None``.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Input features, any CRS (reprojected to EPSG:4326).
    schema : LayerSchema
        Target schema.

    Returns
    -------
    geopandas.GeoDataFrame
        A new frame; the input is not modified.
    """
    out = frame.copy()
    if out.crs is None:
        out = out.set_crs(STORAGE_CRS)
    elif not out.crs.equals(STORAGE_CRS):
        out = out.to_crs(STORAGE_CRS)
    if out.geometry.name != "geometry":
        out = out.rename_geometry("geometry")
    out = _no_position_as_none(out)
    for name, kind in schema.fields.items():
        if name not in out.columns:
            out[name] = pd.Series([None] * len(out), index=out.index, dtype=_pandas_dtype(kind))
        elif kind == "str":
            out[name] = _as_text(out[name])
        elif kind == "int":
            out[name] = pd.to_numeric(out[name], errors="coerce").round().astype("Int64")
        else:
            out[name] = pd.to_numeric(out[name], errors="coerce").astype("float64")
    if "id" in schema.fields:
        missing = out["id"].isna() | (out["id"] == "")
        if missing.any():
            out.loc[missing, "id"] = [new_id() for _ in range(int(missing.sum()))]
    extra = [c for c in out.columns if c not in schema.fields and c != "geometry"]
    out = out[[*schema.fields, *extra, "geometry"]]
    return out.reset_index(drop=True)


def new_id() -> str:
    """Return a new stable feature id (a UUID4 string).

    Returns
    -------
    str
        The id.
    """
    return str(uuid.uuid4())


#: Layers with more features than this build their id index on another thread
#: (about 0.15 s at a million), and scan the id column (about 10 ms) meanwhile.
INDEX_IN_BACKGROUND = 100_000
#: Features added in one go beyond which the id index is built anew; fewer are
#: found by a scan of the rows added since the index was built.
APPENDED_BEFORE_REINDEX = 1000
#: Seconds a build started by a lookup waits before it begins: the planner's click
#: that asked is answered by a scan, without the build competing for the interpreter
#: (a burst of lookups that waits for the build cuts the wait short).
BUILD_AFTER_LOOKUP_S = 0.25
#: Distinct lookups answered by a scan while the index is built; a burst of more
#: (code walking many ids, not a planner clicking) waits for the index instead.
SCANS_BEFORE_INDEX = 8


class FeatureLayer:
    """Features of one kind (facilities, communities, …) and how they are shown.

    Parameters
    ----------
    name : str
        Layer name, as stored in the GeoPackage.
    frame : geopandas.GeoDataFrame
        The features; conformed to the schema when ``name`` has one.
    title : str, optional
        Display title; defaults to ``name``.
    conformed : bool
        True when ``frame`` already comes from :func:`conform` with this
        layer's schema (as read from a project file), to skip a second pass.
    kind : GeometryKind, optional
        Geometry kind of a layer without a schema; by default read from the
        features (an empty layer holds points). A schema's kind always wins.

    Attributes
    ----------
    role : LayerRole
        What the layer is for, from its schema; :attr:`LayerRole.OTHER` without one.
    kind : GeometryKind
        The geometry kind; with :attr:`role` it decides how the layer is drawn.
    style : LayerStyle
        How the layer is drawn; change it with :meth:`set_style`.
    """

    #: features were added, removed, restored, updated, moved or reset
    features_changed = Signal(FeaturesChanged)
    #: the layer was shown or hidden, or its style (opacity included) changed
    display_changed = Signal(DisplayChanged)
    #: the selected features changed
    selection_changed = Signal(SelectionChanged)

    def __init__(self, name: str, frame: gpd.GeoDataFrame, title: str | None = None,
                 conformed: bool = False, kind: GeometryKind | None = None) -> None:
        self.name = name
        self.schema: LayerSchema | None = SCHEMAS.get(name)
        if self.schema is not None and not conformed:
            frame = conform(frame, self.schema)
        elif self.schema is None:
            frame = _no_position_as_none(frame)
        self.frame = frame.reset_index(drop=True)
        self.title = title or name
        self.role = self.schema.role if self.schema else LayerRole.OTHER
        if self.schema is not None:
            kind = self.schema.kind
        elif kind is None:
            kind = geometry_kind(self.frame.geom_type)
        self.kind: GeometryKind = kind
        self.visible = True
        self.style: LayerStyle = default_style(self.role, self.kind)
        self.selected_ids: frozenset[str] = frozenset()
        # id lookups: the index answers once built for the current ids (their version
        # goes up on every edit that moves rows); until then a scan, cached per id
        self._id_lock = threading.RLock()
        self._ids_version = 0
        self._id_index: IdIndex | None = None
        #: the ids' hashes in row order, once an index computed them, kept through
        #: edits: a scan compares numbers, a new index only sorts them
        self._id_hashes: np.ndarray | None = None
        self._id_build: tuple[threading.Thread, int] | None = None
        self._id_hurry = threading.Event()  # a lookup waits for the build: no delay
        self._id_scans = 0
        self._id_found: dict[str, int | None] = {}

    # ----- lookups -------------------------------------------------------
    def __len__(self) -> int:
        return len(self.frame)

    @property
    def ids(self) -> np.ndarray:
        """Feature ids in row order."""
        return self.frame["id"].to_numpy(dtype=object)

    def row_of(self, feature_id: str) -> int:
        """Return the row position of ``feature_id``.

        Parameters
        ----------
        feature_id : str
            A feature id.

        Returns
        -------
        int
            Row position in :attr:`frame`.

        Raises
        ------
        KeyError
            If the id is not in the layer.
        """
        row = self._row_of(feature_id)
        if row is None:
            raise KeyError(feature_id)
        return row

    def has_feature(self, feature_id: str) -> bool:
        """Tell whether ``feature_id`` is in the layer.

        Parameters
        ----------
        feature_id : str
            A feature id.

        Returns
        -------
        bool
            True if present.
        """
        return self._row_of(feature_id) is not None

    def feature(self, feature_id: str) -> dict[str, Any]:
        """Return one feature's attributes and geometry as a plain dict.

        Parameters
        ----------
        feature_id : str
            A feature id.

        Returns
        -------
        dict
            Field name to value, plus ``"geometry"``.
        """
        row = self.frame.iloc[self.row_of(feature_id)]
        return {k: (None if _isna(v) else v) for k, v in row.items()}

    # ----- display state -------------------------------------------------
    def set_visible(self, visible: bool) -> None:
        """Show or hide the layer.

        Parameters
        ----------
        visible : bool
            New visibility.
        """
        visible = bool(visible)
        if visible != self.visible:
            self.visible = visible
            self.display_changed.emit(DisplayChanged(self, "visible"))

    def set_style(self, **changes: Any) -> None:
        """Change style settings (colour, sizes, opacities) and notify views.

        Parameters
        ----------
        **changes
            :class:`LayerStyle` fields, e.g. ``color="#ff0000"``, ``size_px=10``
            or ``opacity=0.5`` (the whole layer, 0–1).

        Raises
        ------
        layers.model.style.StyleError
            For an unknown setting or a value out of range; the style is unchanged.
        """
        self.style = self.style.updated(**changes)
        self.display_changed.emit(DisplayChanged(self, "style"))

    def set_selection(self, ids: Iterable[str]) -> None:
        """Replace the selection; unknown ids are dropped.

        Parameters
        ----------
        ids : iterable of str
            Feature ids to select.
        """
        wanted = frozenset(ids)
        if wanted:
            present = self._rows_of(wanted)
            if len(present) < len(wanted):
                wanted = frozenset(present)
        if wanted != self.selected_ids:
            self.selected_ids = wanted
            self.selection_changed.emit(SelectionChanged(self))

    def _forget_ids(self, hashes: np.ndarray | None = None) -> None:
        """Drop the id index and the scan cache: rows moved.

        A build still running for the old ids finishes, and is thrown away.
        ``hashes`` are the new rows' id hashes, if the edit could tell them.
        """
        with self._id_lock:
            self._ids_version += 1
            self._id_index = None
            self._id_hashes = hashes if hashes is not None and len(hashes) == len(self) else None
            self._id_scans = 0
            self._id_found = {}

    def _known_hashes(self, rows: int | None = None) -> np.ndarray | None:
        """Return the id hashes if they are those of ``rows`` rows (all by default)."""
        hashes = self._id_hashes
        if hashes is None or len(hashes) != (len(self) if rows is None else rows):
            return None
        return hashes

    def _row_of(self, feature_id: str) -> int | None:
        """Return a feature's row, by the id index or, while it is built, by a scan.

        A planner's click on a city of a million facilities should not wait for an
        index of every id: it is built on another thread, and a scan of the id
        column (about 10 ms) answers until it is ready.
        """
        index = self._id_index
        if index is None:
            index = self._index_for_lookups()
        if index is not None:
            row = index.row_of(feature_id)
            if row is None and len(self.frame) > len(index):  # added since it was built
                row = self._scan([feature_id], len(index)).get(feature_id)
            return row
        found = self._id_found
        if feature_id in found:  # the panel asks for the same feature again
            return found[feature_id]
        self._id_scans += 1
        row = found[feature_id] = self._scan([feature_id]).get(feature_id)
        return row

    def _rows_of(self, feature_ids: Iterable[str]) -> dict[str, int]:
        """Return the rows of many ids, for the ids present; one scan at most."""
        wanted = list(dict.fromkeys(feature_ids))
        if len(wanted) <= 1:
            rows = {fid: self._row_of(fid) for fid in wanted}
            return {fid: row for fid, row in rows.items() if row is not None}
        index = self._id_index
        if index is None:
            index = self._index_for_lookups()
        if index is None:
            return self._scan(wanted)
        found = index.rows_of(wanted)
        if len(found) < len(wanted) and len(self.frame) > len(index):
            found.update(self._scan([f for f in wanted if f not in found], len(index)))
        return found

    def _scan(self, wanted: list[str], start: int = 0) -> dict[str, int]:
        """Return the first rows from ``start`` on holding ``wanted`` ids, by a scan."""
        column = self.frame["id"].iloc[start:]
        hashes = self._known_hashes()
        if hashes is not None:  # numbers, not a million strings: a few ms
            part = hashes[start:]
            if len(wanted) == 1:
                maybe = np.flatnonzero(part == hash(wanted[0]))
            else:
                maybe = np.flatnonzero(np.isin(part, id_hashes(wanted)))
            want, ids = set(wanted), column.to_numpy()
            found: dict[str, int] = {}
            for row in maybe.tolist():
                if ids[row] in want:
                    found.setdefault(ids[row], start + row)
            return found
        if len(wanted) == 1:
            hits = np.flatnonzero((column == wanted[0]).to_numpy())[:1]
        else:
            hits = np.flatnonzero(column.isin(wanted).to_numpy())
        found = {}
        for fid, row in zip(column.to_numpy()[hits].tolist(), hits.tolist(), strict=True):
            found.setdefault(fid, start + row)
        return found

    def _index_for_lookups(self) -> IdIndex | None:
        """Return the id index to answer a lookup with, or None to scan.

        A small layer builds it here and now (a few ms). A big one starts the build
        on another thread, and scans until it is ready. Once the ids' hashes are
        known (after a first index, kept through edits) a scan compares numbers;
        before, after :data:`SCANS_BEFORE_INDEX` scans of the id strings a lookup
        waits for the build instead.
        """
        with self._id_lock:
            if self._id_index is not None:
                return self._id_index
            if len(self.frame) < INDEX_IN_BACKGROUND:
                self._install(IdIndex(self.ids, self._ids_version, self._known_hashes()))
                return self._id_index
            build = self._index_ids_in_background(BUILD_AFTER_LOOKUP_S)
            if self._id_scans < SCANS_BEFORE_INDEX or self._known_hashes() is not None:
                return None  # a scan of the id hashes takes a few ms: no need to wait
            self._id_hurry.set()
        build.join()
        return self._id_index  # None when an edit came meanwhile: scan

    def index_ids(self) -> None:
        """Start building the id index of a big layer on another thread, if not yet done.

        Returns at once; id lookups scan until the index is ready. Call it once the
        window is idle after opening or editing, so the planner's clicks find it ready.
        """
        with self._id_lock:
            if self._id_index is None and len(self.frame) >= INDEX_IN_BACKGROUND:
                self._index_ids_in_background()

    def _index_ids_in_background(self, delay_s: float = 0.0) -> threading.Thread:
        """Return the thread building the index of the current ids, started if need be."""
        version = self._ids_version
        if self._id_build is None or self._id_build[1] != version:
            thread = threading.Thread(target=self._index_ids,
                                      args=(self.ids, version, self._known_hashes(), delay_s),
                                      name=f"id index of {self.name}", daemon=True)
            self._id_build = (thread, version)
            self._id_hurry.clear()
            thread.start()
        return self._id_build[0]

    def _index_ids(self, ids: np.ndarray, version: int, hashes: np.ndarray | None,
                   delay_s: float) -> None:
        """Build the id index of ``ids`` (on a worker thread) and hand it over.

        The layer takes it only if its ids are still those of ``version``: an index
        of ids that an edit has moved since would answer with wrong rows.
        """
        if delay_s:
            self._id_hurry.wait(delay_s)
        if version != self._ids_version:  # an edit came meanwhile: its own build follows
            self._drop_build(version)
            return
        index = IdIndex(ids, version, hashes)
        with self._id_lock:
            if version == self._ids_version:
                self._install(index)
        self._drop_build(version)

    def _install(self, index: IdIndex) -> None:
        """Answer lookups with ``index`` (built for the current ids), and keep its hashes."""
        self._id_index = index
        if self._id_hashes is None and len(index) == len(self):
            self._id_hashes = index.hashes

    def _drop_build(self, version: int) -> None:
        with self._id_lock:
            if self._id_build is not None and self._id_build[1] == version:
                self._id_build = None

    def id_index_ready(self) -> bool:
        """Tell whether id lookups are answered by the index (not a scan) now.

        Returns
        -------
        bool
            True once the index of the current ids is built.
        """
        return self._id_index is not None

    # ----- edits ---------------------------------------------------------
    def add_features(self, rows: gpd.GeoDataFrame | Mapping[str, Any]) -> list[str]:
        """Append features and return their ids.

        Parameters
        ----------
        rows : GeoDataFrame or mapping
            New features. A mapping is one feature with a ``geometry`` key.

        Returns
        -------
        list of str
            Ids of the added features (existing ids are kept, missing ones made).
        """
        if isinstance(rows, Mapping):
            data = {k: [v] for k, v in rows.items() if k != "geometry"}
            rows = gpd.GeoDataFrame(data, geometry=[rows["geometry"]], crs=STORAGE_CRS)
        new = conform(rows, self.schema) if self.schema else _no_position_as_none(rows)
        if "id" in new.columns:
            clash = self._rows_of(new["id"].tolist())
            if clash:
                raise LayerError(f"feature id already in layer {self.name}: {sorted(clash)[0]}")
        start = len(self.frame)
        hashes = self._known_hashes()
        self.frame = _append(self.frame, new)
        ids = new["id"].tolist()
        if hashes is not None:
            hashes = np.concatenate([hashes, id_hashes(ids)])
        indexed = self._id_index
        if len(new) > APPENDED_BEFORE_REINDEX or (
                indexed is not None and len(self) - len(indexed) > APPENDED_BEFORE_REINDEX):
            self._forget_ids(hashes)
        else:  # the index still answers for the rows before; lookups scan the rest
            self._id_hashes = hashes
            self._id_found = {}  # an id looked up in vain may be here now
        self.features_changed.emit(FeaturesChanged(self, "added", ids, (start, len(self))))
        return ids

    def remove_features(self, ids: Iterable[str]) -> gpd.GeoDataFrame:
        """Remove features and return them, so an undo can put them back.

        Parameters
        ----------
        ids : iterable of str
            Ids to remove; unknown ids are ignored.

        Returns
        -------
        geopandas.GeoDataFrame
            The removed rows, with a ``_row`` column holding their old positions.
        """
        ids = list(dict.fromkeys(ids))
        present = self._rows_of(ids)
        ids = [i for i in ids if i in present]
        positions = sorted(present[i] for i in ids)
        removed = self.frame.iloc[positions].copy()
        removed["_row"] = positions
        keep = np.ones(len(self.frame), dtype=bool)
        keep[positions] = False
        hashes = self._known_hashes()
        self.frame = self.frame[keep].reset_index(drop=True)
        self._forget_ids(None if hashes is None else hashes[keep])
        if self.selected_ids & set(ids):
            self.selected_ids = self.selected_ids - set(ids)
            self.selection_changed.emit(SelectionChanged(self))
        self.features_changed.emit(FeaturesChanged(self, "removed", ids, positions))
        return removed

    def restore_features(self, removed: gpd.GeoDataFrame) -> None:
        """Put back rows returned by :meth:`remove_features`, at their old positions.

        Parameters
        ----------
        removed : geopandas.GeoDataFrame
            Rows with a ``_row`` column.
        """
        frame, hashes = self.frame, self._known_hashes()
        positions = removed["_row"].tolist()
        rows = removed.drop(columns="_row")
        ids = rows["id"].tolist()
        if hashes is not None:  # the k-th restored row goes before row positions[k] - k
            hashes = np.insert(hashes, np.asarray(positions, dtype=np.int64)
                               - np.arange(len(positions)), id_hashes(ids))
        parts = []
        prev = 0
        for k, pos in enumerate(positions):
            src = pos - k
            parts.append(frame.iloc[prev:src])
            parts.append(rows.iloc[k : k + 1])
            prev = src
        parts.append(frame.iloc[prev:])
        self.frame = gpd.GeoDataFrame(
            pd.concat(parts, ignore_index=True), geometry="geometry", crs=STORAGE_CRS
        )
        self._forget_ids(hashes)
        self.features_changed.emit(FeaturesChanged(self, "restored", ids, positions))

    def update_attributes(self, feature_id: str, values: Mapping[str, Any]) -> dict[str, Any]:
        """Change attribute values of one feature.

        Parameters
        ----------
        feature_id : str
            The feature.
        values : mapping
            Field name to new value. ``id`` and ``geometry`` cannot be set here.

        Returns
        -------
        dict
            The previous values of the changed fields, for undo.

        Raises
        ------
        LayerError
            For an unknown field or a value of the wrong kind.
        """
        row = self.row_of(feature_id)
        checked = {k: self._checked_value(k, v) for k, v in values.items()}
        old = {}
        for key, value in checked.items():
            col = self.frame.columns.get_loc(key)
            prev = self.frame.iat[row, col]
            old[key] = None if _isna(prev) else prev
            missing = value is None and self._kind(key) != "str"
            self.frame.iat[row, col] = pd.NA if missing else value
        self.features_changed.emit(
            FeaturesChanged(self, "updated", [feature_id], [row], fields=list(checked))
        )
        return old

    def move_feature(self, feature_id: str, geometry: shapely.Geometry) -> shapely.Geometry:
        """Replace one feature's geometry (EPSG:4326) and return the old one.

        Parameters
        ----------
        feature_id : str
            The feature.
        geometry : shapely.Geometry
            New geometry in lon/lat.

        Returns
        -------
        shapely.Geometry
            The previous geometry.
        """
        if geometry is None or shapely.is_empty(geometry):
            raise LayerError("a feature needs a geometry")
        row = self.row_of(feature_id)
        col = self.frame.columns.get_loc("geometry")
        old = self.frame.iat[row, col]
        self.frame.iat[row, col] = geometry
        self.features_changed.emit(FeaturesChanged(self, "moved", [feature_id], [row]))
        return old

    def replace_frame(self, frame: gpd.GeoDataFrame) -> None:
        """Replace all features at once (import, undo of an import).

        Parameters
        ----------
        frame : geopandas.GeoDataFrame
            The new features.
        """
        self.frame = (conform(frame, self.schema) if self.schema
                      else _no_position_as_none(frame).reset_index(drop=True))
        self._forget_ids()
        self.selected_ids = frozenset()
        self.features_changed.emit(FeaturesChanged(self, "reset", [], []))
        self.selection_changed.emit(SelectionChanged(self))

    def put_rows(self, rows: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        """Overwrite features by id with whole rows (edits restored after a crash).

        Parameters
        ----------
        rows : geopandas.GeoDataFrame
            Rows whose ids are all in the layer.

        Returns
        -------
        geopandas.GeoDataFrame
            The rows as they were, to put back on undo.
        """
        rows = conform(rows, self.schema) if self.schema else rows.reset_index(drop=True)
        rows = rows.reindex(columns=self.frame.columns)
        ids = rows["id"].tolist()
        present = self._rows_of(ids)
        positions = [present[fid] for fid in ids]  # KeyError for an id not in the layer
        old = self.frame.iloc[positions].copy()
        frame = self.frame.copy()
        for k, pos in enumerate(positions):
            frame.iloc[pos] = rows.iloc[k]
        self.frame = frame
        self.features_changed.emit(FeaturesChanged(self, "updated", ids, positions))
        self.features_changed.emit(FeaturesChanged(self, "moved", ids, positions))
        return old

    def merge_stored(self, rows: gpd.GeoDataFrame | None, deleted: Iterable[str]) -> None:
        """Take in rows somebody else saved: update or add ``rows``, drop ``deleted``.

        The change is announced with ``origin="store"``: views redraw, but it is
        no unsaved edit of this window.

        Parameters
        ----------
        rows : geopandas.GeoDataFrame or None
            Stored rows, by ``id``.
        deleted : iterable of str
            Ids deleted in the store.
        """
        deleted = set(deleted)
        frame = self.frame
        if deleted:
            frame = frame[~frame["id"].isin(deleted)].reset_index(drop=True)
        if rows is not None and len(rows):
            rows = conform(rows, self.schema) if self.schema else rows.reset_index(drop=True)
            rows = rows.reindex(columns=frame.columns)
            position = {fid: i for i, fid in enumerate(frame["id"].tolist())}
            known = rows["id"].isin(position).to_numpy()
            if known.any():
                frame = frame.copy()
                for k in np.flatnonzero(known):
                    frame.iloc[position[rows["id"].iat[k]]] = rows.iloc[k]
            frame = _append(frame, rows[~known])
        self.frame = frame
        self._forget_ids()
        present = frozenset(self._rows_of(self.selected_ids))
        if self.selected_ids - present:
            self.selected_ids = self.selected_ids & present
            self.selection_changed.emit(SelectionChanged(self))
        self.features_changed.emit(FeaturesChanged(self, "reset", [], [], origin="store"))

    def validate_values(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Check and convert attribute values without changing the layer.

        Parameters
        ----------
        values : mapping
            Field name to value (text from a form is accepted for numbers).

        Returns
        -------
        dict
            Converted values.

        Raises
        ------
        LayerError
            For an unknown field or a value of the wrong kind.
        """
        return {k: self._checked_value(k, v) for k, v in values.items()}

    def _kind(self, key: str) -> str:
        return self.schema.fields.get(key, "str") if self.schema else "str"

    def _checked_value(self, key: str, value: Any) -> Any:
        if key in ("id", "geometry"):
            raise LayerError(f"field {key} cannot be edited here")
        if key not in self.frame.columns:
            raise LayerError(f"layer {self.name} has no field {key}")
        if value is None or (isinstance(value, str) and value.strip() == ""):
            if key == "name":
                raise LayerError("name must not be empty")
            return None
        kind = self._kind(key)
        if kind == "str":
            if key == "category":
                from layers.model.categories import recognise_category

                category = recognise_category(str(value))
                if category is None:
                    raise LayerError(f"unknown category: {value}")
                return category
            return str(value)
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise LayerError(f"{key} must be a number, not {value!r}") from None
        if kind == "int":
            if number != int(number):
                raise LayerError(f"{key} must be a whole number, not {value!r}")
            return int(number)
        return number


def has_geometry(geoms: np.ndarray) -> np.ndarray:
    """Return which geometries are present and not empty (a feature with a position).

    Parameters
    ----------
    geoms : ndarray of shapely.Geometry or None
        Geometries.

    Returns
    -------
    ndarray of bool
        True where there is something to draw or measure.
    """
    geoms = np.asarray(geoms, dtype=object)
    return ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))


def without_position(frame: gpd.GeoDataFrame) -> int:
    """Return how many features have no position (no geometry, or an empty one).

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Features.

    Returns
    -------
    int
        The count; those features are left out of maps and analysis.
    """
    return int((~has_geometry(frame.geometry.to_numpy())).sum())


def no_position_note(count: int, what: str = "facility", action: str = "skipped") -> str | None:
    """Return the one line that reports features left out for having no position.

    Parameters
    ----------
    count : int
        Features without a position (see :func:`without_position`).
    what : str
        The feature noun, singular ("facility", "community").
    action : str
        What happened to them.

    Returns
    -------
    str or None
        E.g. "1 facility has no position: skipped"; None when ``count`` is 0.
    """
    if count <= 0:
        return None
    if count == 1:
        return f"1 {what} has no position: {action}"
    plural = what[:-1] + "ies" if what.endswith("y") else what + "s"
    return f"{count} {plural} have no position: {action}"


def _no_position_as_none(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Store every "no position" the same way, as no geometry.

    An empty geometry (``POINT EMPTY``) and one with NaN or infinite coordinates
    become None, so drawing and analysis need only skip missing geometry.
    """
    geoms = frame.geometry.to_numpy()
    counts = shapely.get_num_coordinates(geoms)
    bad = counts == 0  # empty, or already None
    if bad.any():
        bad &= ~shapely.is_missing(geoms)
    finite = np.isfinite(shapely.get_coordinates(geoms)).all(axis=1)
    if not finite.all():
        bad[np.repeat(np.arange(len(geoms)), counts)[~finite]] = True
    if not bad.any():
        return frame
    fixed = geoms.copy()
    fixed[bad] = None
    return frame.set_geometry(gpd.GeoSeries(fixed, index=frame.index, crs=frame.crs))


def _as_text(column: pd.Series) -> pd.Series:
    """Return ``column`` as objects that are ``str`` or ``None``."""
    values = column.astype(object)
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        missing = values.isna()
        if missing.any():
            values = values.where(~missing, None)
        return values
    return pd.Series(
        [None if _isna(v) else (v if isinstance(v, str) else str(v)) for v in values.tolist()],
        index=column.index,
        dtype=object,
    )


def _isna(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _append(frame: gpd.GeoDataFrame, new: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if len(frame) == 0:
        return new.reset_index(drop=True)
    new = new.reindex(columns=frame.columns)
    out = pd.concat([frame, new], ignore_index=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=STORAGE_CRS)
