"""Where projects live: open a project from its store, or save it into a new one.

:class:`~layers.store.geopackage.GeoPackageStore` keeps a project in a GeoPackage
and saves it row by row in place; the team's PostGIS store will offer the same
:class:`~layers.model.changes.ProjectStore` interface.
"""

from __future__ import annotations

import os
from pathlib import Path

from layers.io.project_file import layers_from_frames
from layers.model.project import Project
from layers.store.geopackage import GeoPackageStore


def open_project(source: str | os.PathLike | GeoPackageStore) -> Project:
    """Open a project from a GeoPackage file or store.

    Parameters
    ----------
    source : path-like or GeoPackageStore
        The ``.gpkg`` file, or its store.

    Returns
    -------
    Project
        The project, bound to its store; repairs made while reading are in
        :attr:`Project.notes` and count as unsaved edits.

    Raises
    ------
    layers.io.project_file.ProjectFileError
        With a one-line reason when the file is unusable.
    """
    store = source if isinstance(source, GeoPackageStore) else GeoPackageStore(source)
    snapshot = store.read()
    project = Project(layers_from_frames(snapshot.frames, conformed=True), store=store,
                      revision=snapshot.revision, notes=snapshot.notes,
                      repaired_ids=snapshot.repaired_ids)
    return project


def save_as(project: Project, path: str | os.PathLike) -> Path:
    """Write the whole project to a new file and keep working in that file.

    Parameters
    ----------
    project : Project
        The project.
    path : path-like
        The new ``.gpkg``; a file already there is replaced in one step.

    Returns
    -------
    pathlib.Path
        Where the project was written.
    """
    current = project.store.location if project.store is not None else None
    if current is not None and Path(path).resolve() == Path(current).resolve():
        project.save()
        return Path(path)
    store = GeoPackageStore.create(path, project.frames())
    project.saved_to(store, store.revision())
    return Path(path)


__all__ = ["GeoPackageStore", "open_project", "save_as"]
