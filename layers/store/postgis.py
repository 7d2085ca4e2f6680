"""A project that lives in PostGIS, shared by a team.

The same interface as the GeoPackage store (read, lock, pull, check, apply) on the
engine GIS teams already run, and that QGIS speaks too:

- one table per layer in the project's schema, geometry in EPSG:4326 with a GiST
  index, a unique ``id`` and a ``row_version``;
- the write lock is the row of ``facility_mapper_meta`` that holds the revision,
  taken ``FOR UPDATE`` with a lock timeout: a second writer waits, then gets one line;
- triggers give rows that other programs insert, update or delete a new version and
  remember deletions, so their edits come back as conflicts too, never overwritten.

A project URL is a libpq URL with the schema as one more query parameter:
``postgresql://user@host:5432/db?schema=districts`` (a Unix socket:
``postgresql://user@/db?host=/run/postgresql&schema=districts``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers.model.changes import (
    Applied,
    ChangeSet,
    Conflict,
    ConflictError,
    LayerChangeSet,
    Snapshot,
    StoreBusyError,
    StoreError,
)
from layers.model.layer import conform
from layers.model.schema import DRAW_ORDER, SCHEMAS, STORAGE_CRS
from layers.store.rows import edited_ids, layer_conflicts, plain, row_dict

META = "facility_mapper_meta"
DELETED = "facility_mapper_deleted"
VERSION = "row_version"
LOCK_TIMEOUT_S = 10
BUSY_MESSAGE = "the project is being written by another program; try again"
_SQL_TYPES = {"str": "text", "int": "bigint", "float": "double precision"}
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def is_database_url(text: str) -> bool:
    """Tell whether a project location is a PostgreSQL URL.

    Parameters
    ----------
    text : str
        A path or URL.

    Returns
    -------
    bool
        True for ``postgresql://`` and ``postgres://``.
    """
    return str(text).startswith(("postgresql://", "postgres://"))


def split_url(url: str) -> tuple[str, str]:
    """Split a project URL into the libpq connection URL and the schema name.

    Parameters
    ----------
    url : str
        ``postgresql://…?schema=NAME``; the schema defaults to ``public``.

    Returns
    -------
    tuple of str
        The URL without ``schema``, and the schema.

    Raises
    ------
    StoreError
        For a schema name that is not a plain lower-case identifier.
    """
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    schema = next((v for k, v in query if k == "schema"), "public")
    if not _NAME.match(schema):
        raise StoreError(f"schema name must be lower-case letters, digits and _: {schema!r}")
    rest = urlencode([(k, v) for k, v in query if k != "schema"], safe="/")
    return urlunsplit(parts._replace(query=rest)), schema


def _shown(url: str) -> str:
    """Return the URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(":" + parts.password + "@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class PostgisStore:
    """A project in a PostGIS schema.

    Parameters
    ----------
    url : str
        ``postgresql://…?schema=NAME``.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.conninfo, self.schema = split_url(url)
        self._con: Any = None

    @property
    def location(self) -> str:
        """The project URL (without a password)."""
        return _shown(self.url)

    def _t(self, name: str) -> str:
        return f"{_q(self.schema)}.{_q(name)}"

    def _connect(self) -> Any:
        import psycopg

        try:
            return psycopg.connect(self.conninfo, connect_timeout=10)
        except psycopg.OperationalError as exc:
            reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else "no answer"
            raise StoreError(f"cannot connect to {_shown(self.conninfo)}: {reason}") from None

    # ----- creating ------------------------------------------------------
    @classmethod
    def create(cls, url: str, frames: Mapping[str, gpd.GeoDataFrame]) -> PostgisStore:
        """Create the project's tables in an empty schema and copy the layers in.

        Parameters
        ----------
        url : str
            Project URL; the schema is created when missing.
        frames : mapping of str to GeoDataFrame
            Layer name to features.

        Returns
        -------
        PostgisStore
            The store, at revision 0.

        Raises
        ------
        StoreError
            When the schema already holds a project, or PostGIS is missing.
        """
        store = cls(url)
        with store._connect() as con, con.transaction():
            if not con.execute("SELECT 1 FROM pg_extension WHERE extname = 'postgis'").fetchone():
                raise StoreError("the database has no PostGIS: run CREATE EXTENSION postgis")
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {_q(store.schema)}")
            if store._tables(con):
                raise StoreError(f"schema {store.schema} already holds a project; "
                                 "choose another schema")
            store._create_meta(con)
            for name, frame in frames.items():
                store._create_table(con, name, frame)
                store._copy_rows(con, name, frame, 0)
        return store

    def _create_meta(self, con: Any) -> None:
        con.execute(f"CREATE TABLE {self._t(META)} (key text PRIMARY KEY, value bigint)")
        con.execute(f"INSERT INTO {self._t(META)} VALUES ('revision', 0)")
        con.execute(f"CREATE TABLE {self._t(DELETED)} (layer text NOT NULL, id text, "
                    "revision bigint NOT NULL)")
        con.execute(f"CREATE INDEX ON {self._t(DELETED)} (revision)")
        meta = self._t(META)
        con.execute(f"""
            CREATE FUNCTION {_q(self.schema)}.fm_versioned() RETURNS trigger AS $$
            BEGIN
              IF coalesce(current_setting('facility_mapper.writing', true), '') = 'on' THEN
                RETURN NEW;
              END IF;
              UPDATE {meta} SET value = value + 1 WHERE key = 'revision'
                RETURNING value INTO NEW.{VERSION};
              RETURN NEW;
            END $$ LANGUAGE plpgsql""")
        con.execute(f"""
            CREATE FUNCTION {_q(self.schema)}.fm_deleted() RETURNS trigger AS $$
            DECLARE r bigint;
            BEGIN
              IF coalesce(current_setting('facility_mapper.writing', true), '') = 'on' THEN
                SELECT value INTO r FROM {meta} WHERE key = 'revision';
              ELSE
                UPDATE {meta} SET value = value + 1 WHERE key = 'revision' RETURNING value INTO r;
              END IF;
              INSERT INTO {self._t(DELETED)} VALUES (TG_TABLE_NAME, OLD.id, r);
              RETURN OLD;
            END $$ LANGUAGE plpgsql""")

    def _create_table(self, con: Any, name: str, frame: gpd.GeoDataFrame) -> None:
        if not _NAME.match(name):
            raise StoreError(f"layer name must be lower-case letters, digits and _: {name!r}")
        schema = SCHEMAS.get(name)
        kinds = dict(schema.fields) if schema else {}
        columns = [f"{_q(c)} {_SQL_TYPES[k]}" for c, k in kinds.items() if c != "id"]
        for column in frame.columns:
            if column not in kinds and column not in ("id", frame.geometry.name):
                columns.append(f"{_q(column)} {_sql_type(frame[column])}")
        table = self._t(name)
        con.execute(f"CREATE TABLE {table} (fid bigserial PRIMARY KEY, "
                    "id text NOT NULL UNIQUE DEFAULT gen_random_uuid()::text, "
                    f"{', '.join(columns) + ', ' if columns else ''}"
                    f"geom geometry(Geometry, 4326), {VERSION} bigint NOT NULL DEFAULT 0)")
        con.execute(f"CREATE INDEX ON {table} USING gist (geom)")
        con.execute(f"CREATE INDEX ON {table} ({VERSION})")
        con.execute(f"CREATE TRIGGER fm_versioned BEFORE INSERT OR UPDATE ON {table} "
                    f"FOR EACH ROW EXECUTE FUNCTION {_q(self.schema)}.fm_versioned()")
        con.execute(f"CREATE TRIGGER fm_deleted AFTER DELETE ON {table} "
                    f"FOR EACH ROW EXECUTE FUNCTION {_q(self.schema)}.fm_deleted()")

    def _copy_rows(self, con: Any, name: str, frame: gpd.GeoDataFrame, revision: int) -> None:
        """Bulk-load rows with COPY (geometry as hex EWKB through shapely)."""
        if not len(frame):
            return
        con.execute("SET LOCAL facility_mapper.writing = 'on'")
        attrs = self._attributes(con, name, frame)
        geoms = shapely.set_srid(np.asarray(frame.geometry.to_numpy(), dtype=object), 4326)
        wkb = shapely.to_wkb(geoms, hex=True, include_srid=True)
        values = [frame[c].astype(object).tolist() for c in attrs]
        cols = ", ".join(_q(c) for c in [*attrs, "geom", VERSION])
        with con.cursor().copy(f"COPY {self._t(name)} ({cols}) FROM STDIN") as copy:
            for i in range(len(frame)):
                copy.write_row([*(plain(v[i]) for v in values), wkb[i], revision])

    def _attributes(self, con: Any, name: str, frame: gpd.GeoDataFrame) -> list[str]:
        stored = self._columns(con, name)
        attrs = [c for c in frame.columns if c not in (frame.geometry.name, "fid", VERSION)]
        for column in attrs:
            if column not in stored:  # a field the planner added
                con.execute(f"ALTER TABLE {self._t(name)} ADD COLUMN {_q(column)} "
                            f"{_sql_type(frame[column])}")
        return attrs

    # ----- reading -------------------------------------------------------
    def _tables(self, con: Any) -> list[str]:
        rows = con.execute(
            "SELECT g.f_table_name FROM geometry_columns g JOIN information_schema.tables t "
            "ON t.table_schema = g.f_table_schema AND t.table_name = g.f_table_name "
            "WHERE g.f_table_schema = %s AND t.table_type = 'BASE TABLE'",
            (self.schema,)).fetchall()
        return [r[0] for r in rows]

    def _columns(self, con: Any, name: str) -> list[str]:
        rows = con.execute("SELECT column_name FROM information_schema.columns "
                           "WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position",
                           (self.schema, name)).fetchall()
        return [r[0] for r in rows]

    def read(self) -> Snapshot:
        """Read every layer and the revision, in one consistent snapshot.

        Returns
        -------
        Snapshot
            Frames and revision.

        Raises
        ------
        StoreError
            When the database cannot be reached or holds no project.
        """
        import psycopg

        with self._connect() as con:
            con.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                names = self._tables(con)
                for required in ("facilities", "communities"):
                    if required not in names:
                        raise StoreError(f"{self.location} has no layer '{required}' in schema "
                                         f"{self.schema}")
                revision = _revision(con, self._t(META))
                rank = {n: i for i, n in enumerate(DRAW_ORDER)}
                frames = {n: self._select(con, n, "TRUE", ())
                          for n in sorted(names, key=lambda n: rank.get(n, -1))}
            except psycopg.errors.UndefinedTable:
                raise StoreError(f"{self.location} is not a project (no {META})") from None
            finally:
                con.rollback()
        return Snapshot(frames, revision)

    def _select(self, con: Any, name: str, where: str, params: Sequence[Any]) -> gpd.GeoDataFrame:
        columns = [c for c in self._columns(con, name) if c not in ("fid", "geom", VERSION)]
        names = ", ".join(_q(c) for c in columns)
        rows = con.execute(f"SELECT {names}, ST_AsBinary(geom) FROM {self._t(name)} "
                           f"WHERE {where} ORDER BY fid", list(params)).fetchall()
        data = {c: [r[i] for r in rows] for i, c in enumerate(columns)}
        wkb = np.array([r[-1] and bytes(r[-1]) for r in rows], dtype=object)
        geoms = shapely.from_wkb(wkb) if len(rows) else []
        frame = gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(geoms, crs=STORAGE_CRS),
                                 crs=STORAGE_CRS)
        schema = SCHEMAS.get(name)
        return conform(frame, schema) if schema else frame

    def revision(self) -> int:
        """Return the project's revision.

        Returns
        -------
        int
            The revision counter.
        """
        if self._con is not None:
            return _revision(self._con, self._t(META))
        with self._connect() as con:
            return _revision(con, self._t(META))

    # ----- locking and saving --------------------------------------------
    @contextmanager
    def lock(self) -> Iterator[Any]:
        """Hold the write lock (the revision row); everything inside is one transaction.

        Yields
        ------
        psycopg.Connection
            The connection holding the lock.

        Raises
        ------
        StoreBusyError
            When another writer keeps the lock longer than the lock timeout.
        """
        import psycopg

        if self._con is not None:
            yield self._con
            return
        con = self._connect()
        try:
            with con.transaction():
                con.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_S}s'")
                try:
                    con.execute(f"SELECT value FROM {self._t(META)} WHERE key = 'revision' "
                                "FOR UPDATE")
                except psycopg.errors.LockNotAvailable:
                    raise StoreBusyError(BUSY_MESSAGE) from None
                con.execute("SET LOCAL facility_mapper.writing = 'on'")
                self._con = con
                try:
                    yield con
                finally:
                    self._con = None
        except psycopg.errors.LockNotAvailable:
            raise StoreBusyError(BUSY_MESSAGE) from None
        finally:
            con.close()

    def pull(self, base: int) -> Applied:
        """Return what others saved after ``base``, and the current revision.

        Parameters
        ----------
        base : int
            The revision the project was read at.

        Returns
        -------
        Applied
            Rows to merge and the revision they bring the project to.
        """
        with self.lock() as con:
            return Applied(_revision(con, self._t(META)), self._pulled(con, ChangeSet(), base))

    def check(self, changes: ChangeSet, base: int) -> list[Conflict]:
        """Return the changed rows that somebody else changed after ``base``.

        Parameters
        ----------
        changes : ChangeSet
            What this window changed.
        base : int
            The revision the window loaded or last saved.

        Returns
        -------
        list of Conflict
            Empty when the change set can be written.
        """
        with self.lock() as con:
            return self._conflicts(con, changes, base)

    def apply(self, changes: ChangeSet, base: int,
              repaired_ids: Mapping[str, Mapping[str, int]] | None = None) -> Applied:
        """Write a change set as one transaction, or nothing at all.

        Parameters
        ----------
        changes : ChangeSet
            Rows to insert, update and delete.
        base : int
            The revision the window loaded or last saved.
        repaired_ids : mapping, optional
            Unused: every row of a PostGIS project has an id.

        Returns
        -------
        Applied
            The new revision, and rows others changed since ``base`` to merge.

        Raises
        ------
        ConflictError
            When rows changed here were changed by somebody else; nothing is written.
        StoreBusyError
            When another writer holds the lock.
        """
        with self.lock() as con:
            conflicts = self._conflicts(con, changes, base)
            if conflicts:
                raise ConflictError(conflicts)
            meta = self._t(META)
            revision = _revision(con, meta) + 1
            con.execute(f"UPDATE {meta} SET value = %s WHERE key = 'revision'", (revision,))
            tables = set(self._tables(con))
            for change in changes.layers:
                if change.name not in tables:
                    self._create_table(con, change.name, change.upserts)
                self._write(con, change, revision)
            return Applied(_revision(con, meta), self._pulled(con, changes, base))

    def _write(self, con: Any, change: LayerChangeSet, revision: int) -> None:
        table = self._t(change.name)
        if change.whole:
            con.execute(f"DELETE FROM {table}")
            self._copy_rows(con, change.name, change.upserts, revision)
            return
        if change.deletes:
            con.execute(f"DELETE FROM {table} WHERE id = ANY(%s)", (list(change.deletes),))
        frame = change.upserts
        if not len(frame):
            return
        attrs = self._attributes(con, change.name, frame)
        geoms = shapely.set_srid(np.asarray(frame.geometry.to_numpy(), dtype=object), 4326)
        wkb = shapely.to_wkb(geoms, hex=True, include_srid=True)
        values = [frame[c].astype(object).tolist() for c in attrs]
        names = [*attrs, "geom", VERSION]
        cols = ", ".join(_q(c) for c in names)
        updates = ", ".join(f"{_q(c)} = EXCLUDED.{_q(c)}" for c in names if c != "id")
        rows = [[*(plain(v[i]) for v in values), wkb[i], revision] for i in range(len(frame))]
        with con.cursor() as cur:
            cur.executemany(f"INSERT INTO {table} ({cols}) VALUES "
                            f"({', '.join(['%s'] * len(names))}) "
                            f"ON CONFLICT (id) DO UPDATE SET {updates}", rows)

    def _conflicts(self, con: Any, changes: ChangeSet, base: int) -> list[Conflict]:
        out: list[Conflict] = []
        tables = set(self._tables(con))
        for change in changes.layers:
            if change.name not in tables:
                continue
            table = self._t(change.name)
            if change.whole:
                candidates = sorted({r[0] for r in con.execute(
                    f"SELECT id FROM {table} WHERE {VERSION} > %s", (base,))} | {
                    r[0] for r in con.execute(
                        f"SELECT id FROM {self._t(DELETED)} WHERE layer = %s "
                        "AND revision > %s", (change.name, base)) if r[0] is not None})
            else:
                candidates = edited_ids(change)
            if not candidates:
                continue
            stored = dict(con.execute(f"SELECT id, {VERSION} FROM {table} WHERE id = ANY(%s)",
                                      (candidates,)).fetchall())
            gone = {r[0] for r in con.execute(
                f"SELECT id FROM {self._t(DELETED)} WHERE layer = %s AND revision > %s "
                "AND id = ANY(%s)", (change.name, base, candidates))}
            out += layer_conflicts(
                change, changes.overrides, candidates, stored, gone, base,
                lambda fid, name=change.name: row_dict(
                    self._select(con, name, "id = %s", (fid,)).iloc[0]))
        return out

    def _pulled(self, con: Any, changes: ChangeSet,
                base: int) -> dict[str, tuple[gpd.GeoDataFrame, list[str]]]:
        out: dict[str, tuple[gpd.GeoDataFrame, list[str]]] = {}
        mine = {c.name: set(c.upserts["id"].tolist()) | set(c.deletes) for c in changes.layers}
        whole = {c.name for c in changes.layers if c.whole}
        for name in self._tables(con):
            if name in whole:
                continue
            own = mine.get(name, set())
            rows = self._select(con, name, f"{VERSION} > %s", (base,))
            if len(rows) and own:
                rows = rows[~rows["id"].isin(own)]
            deleted = [r[0] for r in con.execute(
                f"SELECT DISTINCT id FROM {self._t(DELETED)} WHERE layer = %s AND revision > %s",
                (name, base)) if r[0] is not None and r[0] not in own]
            if deleted and len(rows):
                deleted = [d for d in deleted if d not in set(rows["id"])]
            if len(rows) or deleted:
                out[name] = (rows.reset_index(drop=True), deleted)
        return out


def _revision(con: Any, meta: str) -> int:
    row = con.execute(f"SELECT value FROM {meta} WHERE key = 'revision'").fetchone()
    return int(row[0]) if row else 0


def _sql_type(series: pd.Series) -> str:
    if pd.api.types.is_integer_dtype(series) or pd.api.types.is_bool_dtype(series):
        return "bigint"
    if pd.api.types.is_float_dtype(series):
        return "double precision"
    return "text"
