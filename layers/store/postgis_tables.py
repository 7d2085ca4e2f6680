"""The tables of a database project: names, creation, and bulk loading with COPY.

- one table per layer in the project's schema, geometry in EPSG:4326 with a GiST
  index, a unique ``id`` and a ``row_version``;
- ``facility_mapper_meta`` holds the revision (its row is the write lock);
- triggers give rows that other programs insert, update or delete a new version and
  remember deletions in ``facility_mapper_deleted``, so their edits come back as
  conflicts too, never overwritten.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers.model.changes import StoreError
from layers.model.schema import SCHEMAS
from layers.store.postgis_url import NAME
from layers.store.rows import plain

META = "facility_mapper_meta"
DELETED = "facility_mapper_deleted"
HISTORY = "facility_mapper_history"
VERSION = "row_version"
_SQL_TYPES = {"str": "text", "int": "bigint", "float": "double precision"}


def quoted(name: str) -> str:
    """Return an SQL identifier in double quotes.

    Parameters
    ----------
    name : str
        A table, column or schema name.

    Returns
    -------
    str
        The quoted identifier.
    """
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """Return an SQL string literal in single quotes.

    Parameters
    ----------
    text : str
        The text.

    Returns
    -------
    str
        The literal.
    """
    return "'" + text.replace("'", "''") + "'"


def table(schema: str, name: str) -> str:
    """Return a table's name qualified by the project's schema, quoted.

    Parameters
    ----------
    schema : str
        The project's schema.
    name : str
        The table.

    Returns
    -------
    str
        ``"schema"."name"``.
    """
    return f"{quoted(schema)}.{quoted(name)}"


def layer_names(con: Any, schema: str) -> list[str]:
    """Return the layer tables of a schema (tables with a geometry column, not views).

    Parameters
    ----------
    con : psycopg.Connection
        An open connection.
    schema : str
        The project's schema.

    Returns
    -------
    list of str
        Table names.
    """
    rows = con.execute(
        "SELECT g.f_table_name FROM geometry_columns g JOIN information_schema.tables t "
        "ON t.table_schema = g.f_table_schema AND t.table_name = g.f_table_name "
        "WHERE g.f_table_schema = %s AND t.table_type = 'BASE TABLE'",
        (schema,)).fetchall()
    return [r[0] for r in rows]


def columns(con: Any, schema: str, name: str) -> list[str]:
    """Return a table's columns in their order.

    Parameters
    ----------
    con : psycopg.Connection
        An open connection.
    schema : str
        The project's schema.
    name : str
        The table.

    Returns
    -------
    list of str
        Column names.
    """
    rows = con.execute("SELECT column_name FROM information_schema.columns "
                       "WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position",
                       (schema, name)).fetchall()
    return [r[0] for r in rows]


def revision_of(con: Any, schema: str) -> int:
    """Return the project's revision counter.

    Parameters
    ----------
    con : psycopg.Connection
        An open connection.
    schema : str
        The project's schema.

    Returns
    -------
    int
        The revision (0 when the row is missing).
    """
    row = con.execute(f"SELECT value FROM {table(schema, META)} "
                      "WHERE key = 'revision'").fetchone()
    return int(row[0]) if row else 0


def create_meta(con: Any, schema: str) -> None:
    """Create the revision and deletion tables and the row-versioning trigger functions.

    Parameters
    ----------
    con : psycopg.Connection
        A connection inside the creating transaction.
    schema : str
        The project's schema.
    """
    meta, deleted = table(schema, META), table(schema, DELETED)
    con.execute(f"CREATE TABLE {meta} (key text PRIMARY KEY, value bigint)")
    con.execute(f"INSERT INTO {meta} VALUES ('revision', 0)")
    con.execute(f"CREATE TABLE {deleted} (layer text NOT NULL, id text, "
                "revision bigint NOT NULL)")
    con.execute(f"CREATE INDEX ON {deleted} (revision)")
    con.execute(f"""
        CREATE FUNCTION {quoted(schema)}.fm_versioned() RETURNS trigger AS $$
        BEGIN
          IF coalesce(current_setting('facility_mapper.writing', true), '') = 'on' THEN
            RETURN NEW;
          END IF;
          UPDATE {meta} SET value = value + 1 WHERE key = 'revision'
            RETURNING value INTO NEW.{VERSION};
          RETURN NEW;
        END $$ LANGUAGE plpgsql""")
    con.execute(f"""
        CREATE FUNCTION {quoted(schema)}.fm_deleted() RETURNS trigger AS $$
        DECLARE r bigint;
        BEGIN
          IF coalesce(current_setting('facility_mapper.writing', true), '') = 'on' THEN
            SELECT value INTO r FROM {meta} WHERE key = 'revision';
          ELSE
            UPDATE {meta} SET value = value + 1 WHERE key = 'revision' RETURNING value INTO r;
          END IF;
          INSERT INTO {deleted} VALUES (TG_TABLE_NAME, OLD.id, r);
          RETURN OLD;
        END $$ LANGUAGE plpgsql""")


def create_table(con: Any, schema: str, name: str, frame: gpd.GeoDataFrame) -> None:
    """Create a layer's table with its indexes and row-versioning triggers.

    The history trigger is added separately
    (:func:`layers.store.postgis_history.add_history_trigger`).

    Parameters
    ----------
    con : psycopg.Connection
        A connection inside a transaction.
    schema : str
        The project's schema.
    name : str
        The layer.
    frame : GeoDataFrame
        Its rows: columns beyond the layer's schema get a type from their values.

    Raises
    ------
    StoreError
        For a layer name that is not a plain lower-case identifier.
    """
    if not NAME.match(name):
        raise StoreError(f"layer name must be lower-case letters, digits and _: {name!r}")
    layer = SCHEMAS.get(name)
    kinds = dict(layer.fields) if layer else {}
    defined = [f"{quoted(c)} {_SQL_TYPES[k]}" for c, k in kinds.items() if c != "id"]
    for column in frame.columns:
        if column not in kinds and column not in ("id", frame.geometry.name):
            defined.append(f"{quoted(column)} {sql_type(frame[column])}")
    target = table(schema, name)
    con.execute(f"CREATE TABLE {target} (fid bigserial PRIMARY KEY, "
                "id text NOT NULL UNIQUE DEFAULT gen_random_uuid()::text, "
                f"{', '.join(defined) + ', ' if defined else ''}"
                f"geom geometry(Geometry, 4326), {VERSION} bigint NOT NULL DEFAULT 0)")
    con.execute(f"CREATE INDEX ON {target} USING gist (geom)")
    con.execute(f"CREATE INDEX ON {target} ({VERSION})")
    con.execute(f"CREATE TRIGGER fm_versioned BEFORE INSERT OR UPDATE ON {target} "
                f"FOR EACH ROW EXECUTE FUNCTION {quoted(schema)}.fm_versioned()")
    con.execute(f"CREATE TRIGGER fm_deleted AFTER DELETE ON {target} "
                f"FOR EACH ROW EXECUTE FUNCTION {quoted(schema)}.fm_deleted()")


def attributes(con: Any, schema: str, name: str, frame: gpd.GeoDataFrame) -> list[str]:
    """Return the attribute columns of rows to write, adding the ones the table lacks.

    Parameters
    ----------
    con : psycopg.Connection
        A connection inside a transaction.
    schema : str
        The project's schema.
    name : str
        The layer.
    frame : GeoDataFrame
        Rows to write.

    Returns
    -------
    list of str
        The frame's columns other than geometry, ``fid`` and ``row_version``.
    """
    stored = columns(con, schema, name)
    attrs = [c for c in frame.columns if c not in (frame.geometry.name, "fid", VERSION)]
    for column in attrs:
        if column not in stored:  # a field the planner added
            con.execute(f"ALTER TABLE {table(schema, name)} ADD COLUMN {quoted(column)} "
                        f"{sql_type(frame[column])}")
    return attrs


def row_values(frame: gpd.GeoDataFrame, attrs: list[str], revision: int) -> Iterator[list]:
    """Yield each row as stored: plain attribute values, hex EWKB geometry, the version.

    Parameters
    ----------
    frame : GeoDataFrame
        Rows to write.
    attrs : list of str
        Attribute columns, in order (from :func:`attributes`).
    revision : int
        The row version to store.

    Yields
    ------
    list
        ``[*attributes, geometry, revision]``.
    """
    geoms = shapely.set_srid(np.asarray(frame.geometry.to_numpy(), dtype=object), 4326)
    wkb = shapely.to_wkb(geoms, hex=True, include_srid=True)
    values = [frame[c].astype(object).tolist() for c in attrs]
    for i in range(len(frame)):
        yield [*(plain(v[i]) for v in values), wkb[i], revision]


def copy_rows(con: Any, schema: str, name: str, frame: gpd.GeoDataFrame,
              revision: int) -> None:
    """Bulk-load rows with COPY (geometry as hex EWKB through shapely).

    Parameters
    ----------
    con : psycopg.Connection
        A connection inside a transaction.
    schema : str
        The project's schema.
    name : str
        The layer.
    frame : GeoDataFrame
        Rows to load.
    revision : int
        Their row version.
    """
    if not len(frame):
        return
    con.execute("SET LOCAL facility_mapper.writing = 'on'")
    attrs = attributes(con, schema, name, frame)
    cols = ", ".join(quoted(c) for c in [*attrs, "geom", VERSION])
    # a bulk load is one line of history (a layer replaced), not one per row
    bulk(con, True)
    with con.cursor().copy(f"COPY {table(schema, name)} ({cols}) FROM STDIN") as copy:
        for row in row_values(frame, attrs, revision):
            copy.write_row(row)
    bulk(con, False)


def bulk(con: Any, on: bool) -> None:
    """Switch the per-row history off (``on=True``) or back on, for this transaction.

    Parameters
    ----------
    con : psycopg.Connection
        A connection inside a transaction.
    on : bool
        Whether a bulk write follows.
    """
    con.execute("SELECT set_config('facility_mapper.bulk', %s, true)", ("on" if on else "off",))


def sql_type(series: pd.Series) -> str:
    """Return the column type for a field the layer's schema does not define.

    Parameters
    ----------
    series : pandas.Series
        The field's values.

    Returns
    -------
    str
        ``bigint``, ``double precision`` or ``text``.
    """
    if pd.api.types.is_integer_dtype(series) or pd.api.types.is_bool_dtype(series):
        return "bigint"
    if pd.api.types.is_float_dtype(series):
        return "double precision"
    return "text"
