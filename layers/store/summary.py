"""What a project holds, read from the file's tables and indexes without loading features.

``info`` on a city of a million facilities should take a second, not the time and
memory of reading every feature: counts, geometry types and per-category tallies
are SQL aggregates over the GeoPackage, or over the PostGIS schema of a database
project (the same checks as opening it, in one read-only snapshot).
"""

from __future__ import annotations

import os
import sqlite3
from collections import Counter
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
from layers.model.changes import StoreError
from layers.model.schema import DRAW_ORDER, SCHEMAS
from layers.store.postgis import PostgisStore
from layers.store.postgis_tables import META, columns, layer_names, quoted, revision_of, table
from layers.store.postgis_url import is_database_url

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
        return _from_database(PostgisStore(str(path)))
    path = Path(path)
    check_header(path)
    try:
        with closing(read_only(path)) as con:
            return _summarise(path, con)
    except sqlite3.DatabaseError as exc:
        raise ProjectFileError(f"cannot open project {path.name}: {exc}") from None


def _from_database(store: PostgisStore) -> ProjectSummary:
    """Summarise a database project with SQL aggregates, in one read-only snapshot."""
    import psycopg

    with store.connect() as con:
        con.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            return _database_summary(con, store.schema, store.location)
        except psycopg.errors.UndefinedTable:
            raise StoreError(f"{store.location} is not a project (no {META})") from None
        finally:
            con.rollback()


def _database_summary(con: Any, schema: str, location: str) -> ProjectSummary:
    names = layer_names(con, schema)
    for required in ("facilities", "communities"):
        if required not in names:
            raise StoreError(f"{location} has no layer '{required}' in schema {schema}")
    revision_of(con, schema)  # a schema without the revision table is not a project
    out = ProjectSummary()
    rank = {n: i for i, n in enumerate(DRAW_ORDER)}
    for name in sorted(names, key=lambda n: rank.get(n, -1), reverse=True):
        target = table(schema, name)
        count = con.execute(f"SELECT count(*) FROM {target}").fetchone()[0]
        # as the opened layer: no position (missing or empty geometry) has no type
        kinds = sorted(r[0] for r in con.execute(
            f"SELECT DISTINCT substr(ST_GeometryType(geom), 4) FROM {target} "
            "WHERE geom IS NOT NULL AND NOT ST_IsEmpty(geom)"))
        out.layers.append(LayerSummary(name, int(count), ", ".join(kinds) or "empty"))
    out.categories = _tally(con, schema, "category")
    out.precisions = _tally(con, schema, "location_precision")
    return out


def _tally(con: Any, schema: str, field_name: str) -> Counter:
    """Count the facilities by one field's text (None when missing), as opening reads it."""
    name = SCHEMAS["facilities"].name
    facilities = table(schema, name)
    if field_name not in columns(con, schema, name):  # opening adds it empty
        count = con.execute(f"SELECT count(*) FROM {facilities}").fetchone()[0]
        return Counter({None: int(count)} if count else {})
    return Counter({value: int(n) for value, n in con.execute(
        f"SELECT {quoted(field_name)}::text, count(*) FROM {facilities} GROUP BY 1")})


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
