"""Where projects live: open a project from its store, or save it into a new one.

:class:`~layers.store.geopackage.GeoPackageStore` keeps a project in a GeoPackage
and saves it row by row in place; the team's PostGIS store will offer the same
:class:`~layers.model.changes.ProjectStore` interface.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from layers.io.project_file import layers_from_frames
from layers.model.project import Project
from layers.store.geopackage import GeoPackageStore
from layers.store.postgis import PostgisStore, is_database_url

Store = GeoPackageStore | PostgisStore


def store_for(location: str | os.PathLike) -> Store:
    """Return the store of a project location: a GeoPackage file or a PostGIS URL.

    Parameters
    ----------
    location : path-like or str
        ``project.gpkg`` or ``postgresql://user@host/db?schema=NAME``.

    Returns
    -------
    GeoPackageStore or PostgisStore
        The store (nothing is read yet).
    """
    if is_database_url(str(location)):
        return PostgisStore(str(location))
    return GeoPackageStore(location)


def open_project(source: str | os.PathLike | Store,
                 columns: Mapping[str, Sequence[str]] | None = None) -> Project:
    """Open a project from a GeoPackage file, a PostGIS URL, or a store.

    Parameters
    ----------
    source : path-like, str or store
        The ``.gpkg`` file, a ``postgresql://…?schema=NAME`` URL, or a store.
    columns : mapping of str to sequence of str, optional
        Layer name to the only fields to read, for a command that draws the
        project and never saves it (``export-png``): a GeoPackage then reads a
        million facilities in less than half the time, and its store refuses to
        write. A PostGIS project is read whole.

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
    store = source if isinstance(source, GeoPackageStore | PostgisStore) else store_for(source)
    snapshot = (store.read(columns=columns) if columns and isinstance(store, GeoPackageStore)
                else store.read())
    project = Project(layers_from_frames(snapshot.frames, conformed=True), store=store,
                      revision=snapshot.revision, notes=snapshot.notes,
                      repaired_ids=snapshot.repaired_ids)
    return project


def save_as(project: Project, path: str | os.PathLike) -> Path | str:
    """Write the whole project to a new file and keep working in that file.

    Parameters
    ----------
    project : Project
        The project.
    path : path-like or str
        The new ``.gpkg`` (a file already there is replaced in one step), or a
        ``postgresql://…?schema=NAME`` URL whose schema holds no project yet.

    Returns
    -------
    pathlib.Path or str
        Where the project was written.
    """
    if is_database_url(str(path)):
        if project.store is not None and str(project.store.location) == str(path):
            project.save()
            return str(path)
        store = PostgisStore.create(str(path), project.frames())
        project.saved_to(store, store.revision())
        return str(path)
    current = project.store.location if project.store is not None else None
    if isinstance(current, os.PathLike) and Path(path).resolve() == Path(current).resolve():
        project.save()
        return Path(path)
    store = GeoPackageStore.create(path, project.frames())
    project.saved_to(store, store.revision())
    return Path(path)


__all__ = ["GeoPackageStore", "PostgisStore", "is_database_url", "open_project", "save_as",
           "store_for"]
