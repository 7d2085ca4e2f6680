"""Crash recovery: unsaved edits autosaved next to the project, offered back on start."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from layers.io.atomic import atomic_path
from layers.io.gpkg_views import sql_views
from layers.io.project_file import (
    ProjectFileError,
    read_only,
    read_project_layers,
    table_catalog,
    write_layer,
)
from layers.model.changes import ChangeSet, LayerChangeSet
from layers.model.layer import empty_frame
from layers.model.project import Project
from layers.model.schema import COMMUNITIES, FACILITIES, SCHEMAS, geometry_kind


class RecoveryError(ProjectFileError):
    """A recovery file that cannot be restored as a whole; the message is one line."""


SUFFIX = ".recovery.gpkg"


def recovery_path(project_path: str | os.PathLike) -> Path:
    """Return the recovery file that belongs to a project file.

    Parameters
    ----------
    project_path : path-like
        The project GeoPackage.

    Returns
    -------
    Path
        ``name.recovery.gpkg`` in the same folder.
    """
    path = Path(project_path)
    return path.with_name(path.stem + SUFFIX)


#: Attribute table of a recovery file: deleted ids, whole layers, the base revision.
CHANGES_TABLE = "recovery_changes"


@dataclass
class Recovery:
    """Unsaved edits read back from a recovery file, checked and ready to restore.

    Attributes
    ----------
    frames : dict of str to GeoDataFrame
        Layer name to rows to put back (added or edited features; for a whole
        layer, all of its features).
    deleted : dict of str to list of str
        Layer name to ids deleted before the crash.
    whole : set of str
        Layers replaced as a whole (an older recovery file holds only these).
    base : int or None
        The store revision the edits were made on; None for an older file.
    """

    frames: dict[str, gpd.GeoDataFrame]
    deleted: dict[str, list[str]] = field(default_factory=dict)
    whole: set[str] = field(default_factory=set)
    base: int | None = None


def write_recovery(project: Project, target: Path) -> Path:
    """Write the project's unsaved edits to a recovery file, atomically.

    Only what changed since the last save is written (the rows edited or added,
    the ids deleted, layers replaced whole), so an autosave of a city-sized
    project takes as long as its edits, not the whole project.

    Parameters
    ----------
    project : Project
        The project with unsaved edits.
    target : Path
        Recovery file.

    Returns
    -------
    Path
        The file written.
    """
    if project.store is None:  # nothing to compare with: every layer whole
        changes = ChangeSet([LayerChangeSet(layer.name, layer.frame, [], whole=True)
                             for layer in project.layers])
    else:
        changes = project.unsaved_changes()
    frames = {name: empty_frame(SCHEMAS[name]) for name in (COMMUNITIES.name, FACILITIES.name)}
    rows: list[tuple[str, str, str]] = [("", "base", str(project.revision))]
    for change in changes.layers:
        frames[change.name] = change.upserts
        rows += [(change.name, "deleted", fid) for fid in change.deletes]
        if change.whole:
            rows.append((change.name, "whole", ""))
    table = pd.DataFrame(rows, columns=["layer", "kind", "value"])
    target = Path(target).absolute()
    with atomic_path(target) as tmp:
        for name, frame in frames.items():
            write_layer(tmp, name, frame)
        pyogrio.write_dataframe(table, tmp, layer=CHANGES_TABLE, driver="GPKG")
    return target


def pending_recovery(project_path: str | os.PathLike) -> Path | None:
    """Return a recovery file newer than its project, if one was left by a crash.

    Parameters
    ----------
    project_path : path-like
        The project GeoPackage.

    Returns
    -------
    Path or None
        The recovery file, or None.
    """
    rec = recovery_path(project_path)
    if not rec.is_file():
        return None
    if _changes_table(rec) is not None:
        return rec  # edits of their own: others saving the project meanwhile keeps them due
    project = Path(project_path)
    if project.is_file() and project.stat().st_mtime > rec.stat().st_mtime:
        return None
    return rec


def _changes_table(path: Path) -> pd.DataFrame | None:
    """Read the table of deletions and whole layers; None in an older recovery file."""
    try:
        with closing(read_only(path)) as con:
            catalog = table_catalog(con)
    except (sqlite3.DatabaseError, OSError):
        return None
    entry = catalog.get(CHANGES_TABLE)
    if entry is None or entry.is_view or entry.data_type != "attributes":
        return None
    try:
        return pyogrio.read_dataframe(path, layer=CHANGES_TABLE, read_geometry=False)
    except Exception:  # noqa: BLE001 - a broken table is reported by load_recovery
        return None


def load_recovery(path: Path, project: Project) -> Recovery:
    """Read a whole recovery file and check it against the open project.

    Everything is checked before anything is returned, so a restore applies
    all of the file or nothing: the file holds no SQL view (a view is never run:
    a recursive one would never end); every layer is one the app knows, with
    the right fields and geometry, or an extra layer the project already holds,
    with the same kind of geometry; and every feature id in a layer is unique.

    Parameters
    ----------
    path : Path
        Recovery file.
    project : Project
        The open project the edits belong to.

    Returns
    -------
    Recovery
        The rows, deletions and whole layers to restore.

    Raises
    ------
    RecoveryError
        With one line that names what is wrong; nothing has been changed.
    """
    path = Path(path)
    try:
        views = sql_views(path)
    except (sqlite3.DatabaseError, OSError) as exc:
        raise RecoveryError(f"recovery file {path.name} cannot be read: {exc}") from None
    if views:
        raise RecoveryError(f"recovery file {path.name} holds an SQL view ({views[0]}), which "
                            "this app never writes: not restored")
    try:
        frames = read_project_layers(path)
    except ProjectFileError as exc:
        raise RecoveryError(f"recovery file {path.name}: {exc}") from None
    table = _changes_table(path)
    if table is None:  # an older recovery file: every layer whole
        recovery = Recovery(frames, whole=set(frames))
    else:
        recovery = _changes(path, frames, table)
    for name, frame in frames.items():
        if name not in recovery.whole and not len(frame) and name not in recovery.deleted:
            continue  # a layer without edits
        problem = _layer_problem(name, frame, project)
        if problem:
            raise RecoveryError(f"recovery file {path.name}: {problem}; nothing was restored")
    for name in recovery.deleted:
        if not project.has_layer(name):
            raise RecoveryError(f"recovery file {path.name}: layer '{name}' is not a layer of "
                                "this project; nothing was restored")
    return recovery


def _changes(path: Path, frames: dict[str, gpd.GeoDataFrame], table: pd.DataFrame) -> Recovery:
    if not {"layer", "kind", "value"} <= set(table.columns):
        raise RecoveryError(f"recovery file {path.name}: its table of changes is damaged; "
                            "nothing was restored")
    recovery = Recovery(frames)
    for layer, kind, value in table[["layer", "kind", "value"]].itertuples(index=False):
        if kind == "deleted":
            recovery.deleted.setdefault(str(layer), []).append(str(value))
        elif kind == "whole":
            recovery.whole.add(str(layer))
        elif kind == "base":
            try:
                recovery.base = int(value)
            except (TypeError, ValueError):
                recovery.base = 0
    missing = recovery.whole - set(frames)
    if missing:
        raise RecoveryError(f"recovery file {path.name}: layer '{sorted(missing)[0]}' is "
                            "missing; nothing was restored")
    return recovery


def _layer_problem(name: str, frame: gpd.GeoDataFrame, project: Project) -> str | None:
    """Why one recovered layer cannot be restored into ``project``, or None."""
    if name not in SCHEMAS:
        # read_project_layers checked the app's own layers; an extra one must match the project
        if not project.has_layer(name):
            return f"layer '{name}' is not a layer of this project"
        if "id" not in frame.columns:
            return f"layer '{name}' has no id field"
        kind, wanted = geometry_kind(frame.geom_type), project.layer(name).kind
        if frame.geometry.notna().any() and kind != wanted:
            return f"layer '{name}' holds {kind.value} geometry, not {wanted.value}"
    ids = frame["id"]
    if ids.isna().any():
        return f"layer '{name}' has a feature without an id"
    if ids.duplicated().any():
        return f"layer '{name}' has the feature id {ids[ids.duplicated()].iloc[0]!r} twice"
    return None


def discard_recovery(project_path: str | os.PathLike) -> None:
    """Delete the recovery file of a project, if any.

    Parameters
    ----------
    project_path : path-like
        The project GeoPackage.
    """
    try:
        recovery_path(project_path).unlink()
    except FileNotFoundError:
        pass


__all__ = ["ProjectFileError", "RecoveryError", "discard_recovery", "load_recovery",
           "pending_recovery", "recovery_path", "write_recovery"]
