"""A project that lives in PostGIS, shared by a team.

The same interface as the GeoPackage store (read, lock, pull, check, apply) on the
engine GIS teams already run, and that QGIS speaks too:

- one table per layer in the project's schema, geometry in EPSG:4326 with a GiST
  index, a unique ``id`` and a ``row_version``;
- the write lock is the row of ``facility_mapper_meta`` that holds the revision,
  taken ``FOR UPDATE`` with a lock timeout: a second writer waits, then gets one line;
- triggers give rows that other programs insert, update or delete a new version and
  remember deletions, so their edits come back as conflicts too, never overwritten;
- every new revision is announced with ``NOTIFY`` on the schema's channel (payload:
  the revision), so open windows load others' saves at once (:meth:`PostgisStore.listen`);
- triggers write who changed what into ``facility_mapper_history`` (the app's saves and
  edits made in QGIS or psql alike): :meth:`PostgisStore.history`.

A password is never part of a stored URL: it is handed to the store (and from there
to psycopg's connection parameters) and kept in memory only.

A project URL is a libpq URL with the schema as one more query parameter:
``postgresql://user@host:5432/db?schema=districts`` (a Unix socket:
``postgresql://user@/db?host=/run/postgresql&schema=districts``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
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
HISTORY = "facility_mapper_history"
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


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def channel(schema: str) -> str:
    """Return the NOTIFY channel on which a schema's new revisions are announced.

    Parameters
    ----------
    schema : str
        The project's schema.

    Returns
    -------
    str
        ``fm_SCHEMA`` (at most 63 characters, PostgreSQL's identifier limit).
    """
    return f"fm_{schema}"[:63]


def location_label(url: str) -> str:
    """Return a database project's short name for titles: ``db · schema``.

    Parameters
    ----------
    url : str
        ``postgresql://…/db?schema=NAME``.

    Returns
    -------
    str
        The database and the schema.
    """
    from urllib.parse import unquote

    conninfo, schema = split_url(url)
    parts = urlsplit(conninfo)
    # libpq's default database is the one named after the user
    database = unquote(parts.path.lstrip("/")) or unquote(parts.username or "") or "postgres"
    return f"{database} · {schema}"


@dataclass(frozen=True)
class HistoryEntry:
    """One change of one feature, as the history table keeps it.

    Attributes
    ----------
    revision : int
        The project revision the change made.
    action : str
        ``insert``, ``update``, ``delete`` (or ``replace`` for a layer replaced whole).
    who : str
        The database user.
    planner : str or None
        The planner's name as the app was told it, when set.
    at : datetime
        When (the server's clock, with its time zone).
    changes : dict
        Field to ``{"old": value, "new": value}``; ``geometry`` as WKT for points.
    """

    revision: int
    action: str
    who: str
    planner: str | None
    at: datetime
    changes: dict[str, Any] = field(default_factory=dict)

    @property
    def by(self) -> str:
        """The planner's name with the database user, or the database user alone."""
        if self.planner and self.planner != self.who:
            return f"{self.planner} ({self.who})"
        return self.who


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


class PostgisStore:
    """A project in a PostGIS schema.

    Parameters
    ----------
    url : str
        ``postgresql://…?schema=NAME``.
    password : str, optional
        Handed to psycopg as a connection parameter; kept in memory only.
    planner : str, optional
        The planner's name, written into the edit history beside the database user.
    """

    def __init__(self, url: str, password: str | None = None,
                 planner: str | None = None) -> None:
        self.url = url
        self.conninfo, self.schema = split_url(url)
        self.planner = planner
        self._password = password or None
        self._con: Any = None
        self._reader: Any = None
        self._team_ready = False

    @property
    def location(self) -> str:
        """The project URL (without a password)."""
        return _shown(self.url)

    def _t(self, name: str) -> str:
        return f"{_q(self.schema)}.{_q(name)}"

    def _connect(self, autocommit: bool = False) -> Any:
        import psycopg

        extra = {"password": self._password} if self._password else {}
        try:
            return psycopg.connect(self.conninfo, connect_timeout=10, autocommit=autocommit,
                                   application_name="facility-mapper", **extra)
        except psycopg.OperationalError as exc:
            raise StoreError(f"cannot connect to {_shown(self.conninfo)}: "
                             f"{_reason(exc)}") from None

    def close(self) -> None:
        """Close the connection kept for reading the edit history."""
        if self._reader is not None:
            self._reader.close()
            self._reader = None

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
                store._create_table(con, name, frame, history=False)
                store._copy_rows(con, name, frame, 0)
                store._add_history_trigger(con, name)  # after the copy: no queued row events
                con.execute(f"ANALYZE {store._t(name)}")  # plans for the row_version index
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
        self._create_team_parts(con)

    def _create_team_parts(self, con: Any) -> None:
        """Create the history table, its trigger function and the revision announcement."""
        meta, schema = self._t(META), _q(self.schema)
        con.execute(f"CREATE TABLE IF NOT EXISTS {self._t(HISTORY)} ("
                    "revision bigint NOT NULL, layer text NOT NULL, feature_id text, "
                    "action text NOT NULL, who text NOT NULL DEFAULT current_user, "
                    "planner text, at timestamptz NOT NULL DEFAULT now(), "
                    "changes jsonb NOT NULL DEFAULT '{}')")
        con.execute(f"CREATE INDEX IF NOT EXISTS fm_history_feature ON {self._t(HISTORY)} "
                    "(layer, feature_id, revision)")
        con.execute(f"""
            CREATE OR REPLACE FUNCTION {schema}.fm_shape(g geometry) RETURNS text AS $$
              SELECT CASE WHEN g IS NULL THEN NULL
                          WHEN ST_NPoints(g) <= 1 THEN ST_AsText(g, 7)
                          ELSE GeometryType(g) || ' (' || ST_NPoints(g) || ' points)' END
            $$ LANGUAGE sql IMMUTABLE""")
        # one row per feature and revision: the fields that changed, old and new
        con.execute(f"""
            CREATE OR REPLACE FUNCTION {schema}.fm_history() RETURNS trigger AS $$
            DECLARE
              o jsonb; n jsonb; diff jsonb; r bigint;
            BEGIN
              IF coalesce(current_setting('facility_mapper.bulk', true), '') = 'on' THEN
                RETURN NULL;
              END IF;
              IF TG_OP <> 'INSERT' THEN o := to_jsonb(OLD) - 'fid' - '{VERSION}' - 'geom';
              END IF;
              IF TG_OP <> 'DELETE' THEN n := to_jsonb(NEW) - 'fid' - '{VERSION}' - 'geom';
              END IF;
              SELECT coalesce(jsonb_object_agg(k, jsonb_build_object(
                       'old', coalesce(o -> k, 'null'), 'new', coalesce(n -> k, 'null'))), '{{}}')
                INTO diff
                FROM (SELECT DISTINCT jsonb_object_keys(coalesce(o, '{{}}') || coalesce(n, '{{}}'))
                      AS k) keys
               WHERE coalesce(o -> k, 'null') IS DISTINCT FROM coalesce(n -> k, 'null');
              IF TG_OP = 'UPDATE' THEN
                IF ST_AsEWKB(OLD.geom) IS DISTINCT FROM ST_AsEWKB(NEW.geom) THEN
                  diff := diff || jsonb_build_object('geometry', jsonb_build_object(
                    'old', {schema}.fm_shape(OLD.geom), 'new', {schema}.fm_shape(NEW.geom)));
                END IF;
                IF diff = '{{}}' THEN RETURN NULL; END IF;
                r := NEW.{VERSION};
              ELSIF TG_OP = 'INSERT' THEN
                diff := diff || jsonb_build_object('geometry', jsonb_build_object(
                  'old', NULL, 'new', {schema}.fm_shape(NEW.geom)));
                r := NEW.{VERSION};
              ELSE
                diff := diff || jsonb_build_object('geometry', jsonb_build_object(
                  'old', {schema}.fm_shape(OLD.geom), 'new', NULL));
                SELECT value INTO r FROM {meta} WHERE key = 'revision';
              END IF;
              INSERT INTO {self._t(HISTORY)} (revision, layer, feature_id, action, planner,
                                              changes)
                VALUES (r, TG_TABLE_NAME, CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END,
                        lower(TG_OP),
                        nullif(current_setting('facility_mapper.planner', true), ''), diff);
              RETURN NULL;
            END $$ LANGUAGE plpgsql""")
        # every new revision is announced, whoever made it (the app, QGIS, psql)
        con.execute(f"""
            CREATE OR REPLACE FUNCTION {schema}.fm_notify() RETURNS trigger AS $$
            BEGIN
              PERFORM pg_notify({_literal(channel(self.schema))}, NEW.value::text);
              RETURN NULL;
            END $$ LANGUAGE plpgsql""")
        con.execute(f"DROP TRIGGER IF EXISTS fm_notify ON {meta}")
        con.execute(f"CREATE TRIGGER fm_notify AFTER UPDATE ON {meta} FOR EACH ROW "
                    f"WHEN (NEW.key = 'revision') EXECUTE FUNCTION {schema}.fm_notify()")

    def _add_history_trigger(self, con: Any, name: str) -> None:
        con.execute(f"DROP TRIGGER IF EXISTS fm_history ON {self._t(name)}")
        con.execute(f"CREATE TRIGGER fm_history AFTER INSERT OR UPDATE OR DELETE "
                    f"ON {self._t(name)} FOR EACH ROW "
                    f"EXECUTE FUNCTION {_q(self.schema)}.fm_history()")

    def _ensure_team_parts(self, con: Any) -> None:
        """Give a project made before the history and announcements existed both.

        Skipped, with the project still saved, when this database user may not
        change the schema.
        """
        import psycopg

        if self._team_ready:
            return
        found = con.execute("SELECT to_regclass(%s)", (f"{self.schema}.{HISTORY}",)).fetchone()
        if found[0] is None:
            try:
                with con.transaction():
                    self._create_team_parts(con)
                    for name in self._tables(con):
                        self._add_history_trigger(con, name)
            except psycopg.errors.InsufficientPrivilege:
                pass
        self._team_ready = True

    def _create_table(self, con: Any, name: str, frame: gpd.GeoDataFrame,
                      history: bool = True) -> None:
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
        if history:
            self._add_history_trigger(con, name)

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
        # a bulk load is one line of history (a layer replaced), not one per row
        _bulk(con, True)
        with con.cursor().copy(f"COPY {self._t(name)} ({cols}) FROM STDIN") as copy:
            for i in range(len(frame)):
                copy.write_row([*(plain(v[i]) for v in values), wkb[i], revision])
        _bulk(con, False)

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
            self._ensure_team_parts(con)
            con.execute("SELECT set_config('facility_mapper.planner', %s, true)",
                        (self.planner or "",))
            meta = self._t(META)
            revision = _revision(con, meta) + 1
            con.execute(f"UPDATE {meta} SET value = %s WHERE key = 'revision'", (revision,))
            tables = set(self._tables(con))
            for change in changes.layers:
                if change.name not in tables:
                    self._create_table(con, change.name, change.upserts)
                self._write(con, change, revision)
            # delivered when the transaction commits, never for a save rolled back
            con.execute("SELECT pg_notify(%s, %s)", (channel(self.schema), str(revision)))
            return Applied(_revision(con, meta), self._pulled(con, changes, base))

    # ----- others' saves, live ------------------------------------------
    def listen(self) -> Listener:
        """Start hearing the revisions others save (``LISTEN`` on the schema's channel).

        Returns
        -------
        Listener
            Its own connection; close it when done.
        """
        return Listener(self)

    def catch_up(self, changes: ChangeSet, base: int, seen: int | None = None) -> CaughtUp:
        """Read what others saved since ``base``, keeping this window's own changed rows.

        One read-only snapshot; no lock is taken, so nobody's save waits for it.

        Parameters
        ----------
        changes : ChangeSet
            This window's unsaved changes: their rows are not pulled, and are
            checked for conflicts instead.
        base : int
            The revision the window loaded or last saved.
        seen : int, optional
            The revision last caught up to; only newer rows count as fresh.

        Returns
        -------
        CaughtUp
            Rows to merge, how many are new, and the conflicts.
        """
        seen = base if seen is None else max(seen, base)
        with self._connect() as con:
            con.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                revision = _revision(con, self._t(META))
                pulled = self._pulled(con, changes, base) if revision > base else {}
                conflicts = self._conflicts(con, changes, base) if changes else []
                fresh = self._fresh(con, changes, pulled, seen) if seen > base else sum(
                    len(rows) + len(deleted) for rows, deleted in pulled.values())
            finally:
                con.rollback()
        return CaughtUp(revision, pulled, fresh, conflicts)

    def _fresh(self, con: Any, changes: ChangeSet,
               pulled: dict[str, tuple[gpd.GeoDataFrame, list[str]]], seen: int) -> int:
        count = 0
        for name, (rows, deleted) in pulled.items():
            if len(rows):
                count += con.execute(f"SELECT count(*) FROM {self._t(name)} "
                                     f"WHERE {VERSION} > %s AND id = ANY(%s)",
                                     (seen, rows["id"].tolist())).fetchone()[0]
            if deleted:
                count += con.execute(f"SELECT count(DISTINCT id) FROM {self._t(DELETED)} "
                                     "WHERE layer = %s AND revision > %s AND id = ANY(%s)",
                                     (name, seen, deleted)).fetchone()[0]
        return count

    def history(self, layer: str, feature_id: str, limit: int = 100) -> list[HistoryEntry]:
        """Return who changed a feature, newest first.

        Parameters
        ----------
        layer : str
            Layer name.
        feature_id : str
            Feature id.
        limit : int
            At most this many entries.

        Returns
        -------
        list of HistoryEntry
            Empty for a feature never changed since the history began (or a
            project whose schema has no history table yet).
        """
        import psycopg

        if self._reader is None or self._reader.closed:
            self._reader = self._connect(autocommit=True)
        try:
            rows = self._reader.execute(
                f"SELECT revision, action, who, planner, at, changes FROM {self._t(HISTORY)} "
                "WHERE layer = %s AND feature_id = %s ORDER BY revision DESC, at DESC LIMIT %s",
                (layer, feature_id, limit)).fetchall()
        except psycopg.errors.UndefinedTable:
            return []
        except psycopg.OperationalError as exc:
            self.close()
            raise StoreError(f"cannot read the history: {_reason(exc)}") from None
        return [HistoryEntry(int(r[0]), r[1], r[2], r[3], r[4], dict(r[5] or {})) for r in rows]

    def _write(self, con: Any, change: LayerChangeSet, revision: int) -> None:
        table = self._t(change.name)
        if change.whole:
            _bulk(con, True)
            con.execute(f"DELETE FROM {table}")
            _bulk(con, False)
            self._copy_rows(con, change.name, change.upserts, revision)
            con.execute(f"INSERT INTO {self._t(HISTORY)} (revision, layer, action, planner, "
                        "changes) VALUES (%s, %s, 'replace', "
                        "nullif(current_setting('facility_mapper.planner', true), ''), %s)",
                        (revision, change.name,
                         _json({"rows": {"old": None, "new": len(change.upserts)}})))
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


class Listener:
    """Hears the revisions saved to one project schema, on a connection of its own.

    Made by :meth:`PostgisStore.listen`. A GUI watches :meth:`fileno` for input
    (or calls :meth:`poll` on a timer); either way :meth:`poll` returns the new
    revisions announced since it was last asked.

    Parameters
    ----------
    store : PostgisStore
        The project's store.
    """

    def __init__(self, store: PostgisStore) -> None:
        import psycopg

        self.channel = channel(store.schema)
        self._con = store._connect(autocommit=True)
        try:
            self._con.execute(f"LISTEN {_q(self.channel)}")
        except psycopg.Error as exc:
            self._con.close()
            raise StoreError(f"cannot listen for others' saves: {_reason(exc)}") from None

    def fileno(self) -> int:
        """Return the connection's socket, readable when an announcement arrives.

        Returns
        -------
        int
            A file descriptor.
        """
        return self._con.fileno()

    @property
    def closed(self) -> bool:
        """Whether the listener was closed (or its connection lost)."""
        return self._con.closed

    def poll(self, timeout: float = 0.0) -> list[int]:
        """Return the revisions announced since the last call, oldest first.

        Parameters
        ----------
        timeout : float
            Seconds to wait for the first announcement when none is waiting.

        Returns
        -------
        list of int
            Revisions (empty when none came).

        Raises
        ------
        StoreError
            When the connection to the server was lost.
        """
        import psycopg

        revisions: list[int] = []
        try:
            for note in self._con.notifies(timeout=max(timeout, 0.0), stop_after=1):
                revisions.append(_payload(note.payload))
            while revisions:  # take whatever else is waiting, without waiting
                more = [_payload(n.payload) for n in self._con.notifies(timeout=0.0)]
                if not more:
                    break
                revisions += more
        except psycopg.OperationalError as exc:
            self.close()
            raise StoreError(f"lost the connection to the database: {_reason(exc)}") from None
        return [r for r in revisions if r >= 0]

    def close(self) -> None:
        """Stop listening and close the connection."""
        if not self._con.closed:
            self._con.close()


def _payload(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return -1


def _reason(exc: BaseException) -> str:
    """Return the last line of a psycopg error: the server's own reason."""
    lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
    reason = lines[-1] if lines else "no answer"
    for prefix in ("connection failed: ", "FATAL:  ", "FATAL: "):
        if reason.startswith(prefix):
            reason = reason[len(prefix):]
    return reason.split("FATAL:", 1)[-1].strip()


def _bulk(con: Any, on: bool) -> None:
    con.execute("SELECT set_config('facility_mapper.bulk', %s, true)", ("on" if on else "off",))


def _json(value: Any) -> Any:
    from psycopg.types.json import Jsonb

    return Jsonb(value)


def _revision(con: Any, meta: str) -> int:
    row = con.execute(f"SELECT value FROM {meta} WHERE key = 'revision'").fetchone()
    return int(row[0]) if row else 0


def _sql_type(series: pd.Series) -> str:
    if pd.api.types.is_integer_dtype(series) or pd.api.types.is_bool_dtype(series):
        return "bigint"
    if pd.api.types.is_float_dtype(series):
        return "double precision"
    return "text"
