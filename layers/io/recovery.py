"""Crash recovery: unsaved edits autosaved next to the project, offered back on start."""

from __future__ import annotations

import os
from pathlib import Path

from layers.io.project_file import ProjectFileError, read_project_layers, write_project_layers
from layers.model.project import Project

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


def load_recovery(path: Path) -> dict:
    """Read a recovery file's layers.

    Parameters
    ----------
    path : Path
        Recovery file.

    Returns
    -------
    dict
        Layer name to frame.

    Raises
    ------
    ProjectFileError
        If the file is unreadable.
    """
    return read_project_layers(path)


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


__all__ = ["ProjectFileError", "discard_recovery", "load_recovery", "pending_recovery",
           "recovery_path", "write_recovery"]
