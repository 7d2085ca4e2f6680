"""Reading a database project's layers into frames, conformed to their schemas."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from layers.model.changes import Snapshot, StoreError
from layers.model.layer import conform
from layers.model.schema import DRAW_ORDER, SCHEMAS, STORAGE_CRS
from layers.store.postgis_tables import (
    META,
    VERSION,
    columns,
    layer_names,
    quoted,
    revision_of,
    table,
)


def select_rows(con: Any, schema: str, name: str, where: str,
                params: Sequence[Any]) -> gpd.GeoDataFrame:
    """Read the rows of one layer that match a condition, in their stored order.

    Parameters
    ----------
    con : psycopg.Connection
        An open connection.
    schema : str
        The project's schema.
    name : str
        The layer.
    where : str
        SQL condition with ``%s`` placeholders.
    params : sequence
        Values for the placeholders.

    Returns
    -------
    GeoDataFrame
        The rows in EPSG:4326, conformed to the layer's schema when it has one.
    """
    fields = [c for c in columns(con, schema, name) if c not in ("fid", "geom", VERSION)]
    names = ", ".join(quoted(c) for c in fields)
    rows = con.execute(f"SELECT {names}, ST_AsBinary(geom) FROM {table(schema, name)} "
                       f"WHERE {where} ORDER BY fid", list(params)).fetchall()
    data = {c: [r[i] for r in rows] for i, c in enumerate(fields)}
    wkb = np.array([r[-1] and bytes(r[-1]) for r in rows], dtype=object)
    geoms = shapely.from_wkb(wkb) if len(rows) else []
    frame = gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(geoms, crs=STORAGE_CRS),
                             crs=STORAGE_CRS)
    layer = SCHEMAS.get(name)
    return conform(frame, layer) if layer else frame


def read_snapshot(con: Any, schema: str, location: str) -> Snapshot:
    """Read every layer and the revision, in one consistent snapshot.

    Parameters
    ----------
    con : psycopg.Connection
        A fresh connection; its transaction is rolled back afterwards.
    schema : str
        The project's schema.
    location : str
        The project URL without a password, for messages.

    Returns
    -------
    Snapshot
        Frames (bottom of the drawing order first) and revision.

    Raises
    ------
    StoreError
        When the schema holds no project.
    """
    import psycopg

    con.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
    try:
        names = layer_names(con, schema)
        for required in ("facilities", "communities"):
            if required not in names:
                raise StoreError(f"{location} has no layer '{required}' in schema {schema}")
        revision = revision_of(con, schema)
        rank = {n: i for i, n in enumerate(DRAW_ORDER)}
        frames = {n: select_rows(con, schema, n, "TRUE", ())
                  for n in sorted(names, key=lambda n: rank.get(n, -1))}
    except psycopg.errors.UndefinedTable:
        raise StoreError(f"{location} is not a project (no {META})") from None
    finally:
        con.rollback()
    return Snapshot(frames, revision)
