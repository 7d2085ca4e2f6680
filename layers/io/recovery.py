"""Crash recovery: unsaved edits autosaved next to the project, offered back on start."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import geopandas as gpd

from layers.io.gpkg_views import sql_views
from layers.io.project_file import ProjectFileError, read_project_layers, write_project_layers
from layers.model.project import Project
from layers.model.schema import SCHEMAS, geometry_kind


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


def write_recovery(project: Project, target: Path) -> Path:
    """Write the project's current state to a recovery file, atomically.

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
    write_project_layers(target, project.frames())
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
    project = Path(project_path)
    if project.is_file() and project.stat().st_mtime > rec.stat().st_mtime:
        return None
    return rec


def load_recovery(path: Path, project: Project) -> dict[str, gpd.GeoDataFrame]:
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
    dict
        Layer name to frame.

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
    for name, frame in frames.items():
        problem = _layer_problem(name, frame, project)
        if problem:
            raise RecoveryError(f"recovery file {path.name}: {problem}; nothing was restored")
    return frames


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
