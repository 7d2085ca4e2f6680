"""What a project holds, read from the file's tables and indexes without loading features.

``info`` on a city of a million facilities should take a second, not the time and
memory of reading every feature: counts, geometry types and per-category tallies
are SQL aggregates over the GeoPackage.
"""

from __future__ import annotations

import os
import sqlite3
from collections import Counter
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import pyogrio

from layers.io.project_file import (
    ProjectFileError,
    check_header,
    check_layer_fields,
    check_required,
    plain_tables,
    read_only,
    table_catalog,
)
from layers.model.project import Project
from layers.model.schema import DRAW_ORDER, SCHEMAS
from layers.store import open_project
from layers.store.postgis import is_database_url

_TYPE_NAMES = {"POINT": "Point", "MULTIPOINT": "MultiPoint", "LINESTRING": "LineString",
               "MULTILINESTRING": "MultiLineString", "POLYGON": "Polygon",
               "MULTIPOLYGON": "MultiPolygon", "GEOMETRY": "Geometry"}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass
class LayerSummary:
    """One layer: its name, feature count and geometry type.

    Attributes
    ----------
    name : str
        Layer name.
    count : int
        Features.
    geometry : str
        Declared geometry type (``Point``, ``MultiPolygon``…), or ``empty``.
    """

    name: str
    count: int
    geometry: str


@dataclass
class ProjectSummary:
    """Counts of a project, for ``info``.

    Attributes
    ----------
    layers : list of LayerSummary
        Top of the drawing order first.
    categories : Counter
        Facility category value (None when missing) to count.
    precisions : Counter
        ``location_precision`` value (None when missing) to count.
    notes : list of str
        What opening the project would repair or skip.
    """

    layers: list[LayerSummary] = field(default_factory=list)
    categories: Counter = field(default_factory=Counter)
    precisions: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)


def summarise_project(path: str | os.PathLike) -> ProjectSummary:
    """Summarise a project GeoPackage with SQL aggregates; the same checks as opening it.

    Parameters
    ----------
    path : path-like
        The ``.gpkg`` file.

    Returns
    -------
    ProjectSummary
        Layer counts, facility categories and precisions.

    Raises
    ------
    ProjectFileError
        With the same one-line reasons as opening the project.
    """
    if is_database_url(str(path)):
        return _from_project(open_project(str(path)))
    path = Path(path)
    check_header(path)
    try:
        with closing(read_only(path)) as con:
            return _summarise(path, con)
    except sqlite3.DatabaseError as exc:
        raise ProjectFileError(f"cannot open project {path.name}: {exc}") from None


def _from_project(project: Project) -> ProjectSummary:
    """Summarise an opened project (a database project: its features are read)."""
    out = ProjectSummary(notes=list(project.notes))
    for layer in reversed(project.layers):
        kinds = sorted(set(layer.frame.geom_type.dropna()))
        out.layers.append(LayerSummary(layer.name, len(layer), ", ".join(kinds) or "empty"))
    frame = project.facilities.frame
    out.categories = Counter(frame["category"].where(frame["category"].notna(), None).tolist())
    out.precisions = Counter(frame["location_precision"].where(
        frame["location_precision"].notna(), None).tolist())
    return out


def _summarise(path: Path, con: sqlite3.Connection) -> ProjectSummary:
    catalog = table_catalog(con)
    tables = plain_tables(con)
    for schema in SCHEMAS.values():
        if schema.required:
            check_required(path, schema, catalog.get(schema.name), schema.name in tables)
    out = ProjectSummary()
    names = [n for n, e in catalog.items()
             if e.data_type == "features" and not e.is_view and n in tables]
    views = sorted(n for n, e in catalog.items() if e.is_view)
    if views:
        out.notes.append(f"{len(views)} SQL view{'s' if len(views) > 1 else ''} not read "
                         f"({', '.join(views)}): the app reads tables only")
    for name in names:
        schema = SCHEMAS.get(name)
        if schema is not None:
            info = pyogrio.read_info(path, layer=name, force_feature_count=False)
            check_layer_fields(schema, info)
    rank = {n: i for i, n in enumerate(DRAW_ORDER)}
    ordered = sorted(names, key=lambda n: rank.get(n, -1), reverse=True)
    for name in ordered:
        count = con.execute(f"SELECT count(*) FROM {_q(name)}").fetchone()[0]
        declared = catalog[name].geometry_type or "GEOMETRY"
        out.layers.append(LayerSummary(name, int(count),
                                       _TYPE_NAMES.get(declared, declared) if count else "empty"))
    facilities = _q(SCHEMAS["facilities"].name)
    out.categories = Counter(dict(con.execute(
        f"SELECT category, count(*) FROM {facilities} GROUP BY category")))
    out.precisions = Counter(dict(con.execute(
        f"SELECT location_precision, count(*) FROM {facilities} GROUP BY location_precision")))
    blank, repeated = con.execute(
        f"SELECT sum(id IS NULL OR trim(id) = ''), count(id) - count(DISTINCT id) "
        f"FROM {facilities}").fetchone()
    if blank or repeated:
        out.notes.append(f"{int(blank or 0)} rows of 'facilities' have no id and "
                         f"{int(repeated or 0)} repeat another row's id: opening gives them "
                         "new ids")
    return out
