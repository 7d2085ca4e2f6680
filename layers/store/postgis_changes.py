"""Change sets in a database project: writing them, their conflicts, and others' rows.

A change set is written inside the store's lock (:meth:`PostgisStore.lock`): rows
somebody else changed after the window's base revision are conflicts and stop the
save; rows others saved are handed back to merge (:func:`pulled`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd

from layers.model.changes import ChangeSet, Conflict, LayerChangeSet
from layers.store.postgis_history import record_replace
from layers.store.postgis_read import select_rows
from layers.store.postgis_tables import (
    DELETED,
    VERSION,
    attributes,
    bulk,
    copy_rows,
    layer_names,
    quoted,
    row_values,
    table,
)
from layers.store.rows import edited_ids, layer_conflicts, pulled_rows, row_dict


@dataclass
class CaughtUp:
    """What others saved since a window's base revision, read in one snapshot.

    Attributes
    ----------
    revision : int
        The store's revision now.
    pulled : dict
        Layer name to ``(rows, deleted_ids)`` others changed since the base, without
        the rows this window changed.
    fresh : int
        How many of those rows or deletions are newer than the revision last seen.
    conflicts : list of Conflict
        Rows changed here and, since the base, by somebody else.
    """

    revision: int
    pulled: dict[str, tuple[gpd.GeoDataFrame, list[str]]]
    fresh: int
    conflicts: list[Conflict]


def write_layer(con: Any, schema: str, change: LayerChangeSet, revision: int) -> None:
    """Write one layer's changes: deletions, then inserts and updates by id.

    A layer replaced whole is emptied and loaded again with COPY, one line of history.

    Parameters
    ----------
    con : psycopg.Connection
        The connection holding the lock.
    schema : str
        The project's schema.
    change : LayerChangeSet
        The layer's changes.
    revision : int
        The revision being saved: the written rows' version.
    """
    target = table(schema, change.name)
    if change.whole:
        bulk(con, True)
        con.execute(f"DELETE FROM {target}")
        bulk(con, False)
        copy_rows(con, schema, change.name, change.upserts, revision)
        record_replace(con, schema, change.name, revision, len(change.upserts))
        return
    if change.deletes:
        con.execute(f"DELETE FROM {target} WHERE id = ANY(%s)", (list(change.deletes),))
    frame = change.upserts
    if not len(frame):
        return
    attrs = attributes(con, schema, change.name, frame)
    names = [*attrs, "geom", VERSION]
    cols = ", ".join(quoted(c) for c in names)
    updates = ", ".join(f"{quoted(c)} = EXCLUDED.{quoted(c)}" for c in names if c != "id")
    rows = list(row_values(frame, attrs, revision))
    with con.cursor() as cur:
        cur.executemany(f"INSERT INTO {target} ({cols}) VALUES "
                        f"({', '.join(['%s'] * len(names))}) "
                        f"ON CONFLICT (id) DO UPDATE SET {updates}", rows)


def conflicts(con: Any, schema: str, changes: ChangeSet, base: int) -> list[Conflict]:
    """Return the changed rows that somebody else changed after ``base``.

    Parameters
    ----------
    con : psycopg.Connection
        An open connection (holding the lock, or in a read-only snapshot).
    schema : str
        The project's schema.
    changes : ChangeSet
        What the window changed.
    base : int
        The revision the window loaded or last saved.

    Returns
    -------
    list of Conflict
        Empty when the change set can be written.
    """
    out: list[Conflict] = []
    tables = set(layer_names(con, schema))
    deleted = table(schema, DELETED)
    for change in changes.layers:
        if change.name not in tables:
            continue
        target = table(schema, change.name)
        if change.whole:
            candidates = sorted({r[0] for r in con.execute(
                f"SELECT id FROM {target} WHERE {VERSION} > %s", (base,))} | {
                r[0] for r in con.execute(
                    f"SELECT id FROM {deleted} WHERE layer = %s "
                    "AND revision > %s", (change.name, base)) if r[0] is not None})
        else:
            candidates = edited_ids(change)
        if not candidates:
            continue
        stored = dict(con.execute(f"SELECT id, {VERSION} FROM {target} WHERE id = ANY(%s)",
                                  (candidates,)).fetchall())
        gone = {r[0] for r in con.execute(
            f"SELECT id FROM {deleted} WHERE layer = %s AND revision > %s "
            "AND id = ANY(%s)", (change.name, base, candidates))}
        out += layer_conflicts(
            change, changes.overrides, candidates, stored, gone, base,
            lambda fid, name=change.name: row_dict(
                select_rows(con, schema, name, "id = %s", (fid,)).iloc[0]))
    return out


def pulled(con: Any, schema: str, changes: ChangeSet,
           base: int) -> dict[str, tuple[gpd.GeoDataFrame, list[str]]]:
    """Rows others saved after ``base``, minus this window's own.

    Parameters
    ----------
    con : psycopg.Connection
        An open connection.
    schema : str
        The project's schema.
    changes : ChangeSet
        This window's changes: their rows are left out.
    base : int
        The revision the window loaded or last saved.

    Returns
    -------
    dict
        Layer name to ``(rows, deleted_ids)``.
    """
    deleted = table(schema, DELETED)
    return pulled_rows(
        layer_names(con, schema), changes,
        lambda name: select_rows(con, schema, name, f"{VERSION} > %s", (base,)),
        lambda name: [r[0] for r in con.execute(
            f"SELECT DISTINCT id FROM {deleted} WHERE layer = %s AND revision > %s",
            (name, base))])


def fresh(con: Any, schema: str, pulled_now: dict[str, tuple[gpd.GeoDataFrame, list[str]]],
          seen: int) -> int:
    """Count the pulled rows and deletions newer than the revision last seen.

    Parameters
    ----------
    con : psycopg.Connection
        The connection of the same snapshot as the pull.
    schema : str
        The project's schema.
    pulled_now : dict
        From :func:`pulled`.
    seen : int
        The revision last caught up to.

    Returns
    -------
    int
        How many are new.
    """
    count = 0
    for name, (rows, deleted) in pulled_now.items():
        if len(rows):
            count += con.execute(f"SELECT count(*) FROM {table(schema, name)} "
                                 f"WHERE {VERSION} > %s AND id = ANY(%s)",
                                 (seen, rows["id"].tolist())).fetchone()[0]
        if deleted:
            count += con.execute(f"SELECT count(DISTINCT id) FROM {table(schema, DELETED)} "
                                 "WHERE layer = %s AND revision > %s AND id = ANY(%s)",
                                 (name, seen, deleted)).fetchone()[0]
    return count
