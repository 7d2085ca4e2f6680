"""A project that lives in PostGIS, shared by a team.

The same interface as the GeoPackage store (read, lock, pull, check, apply) on the
engine GIS teams already run, and that QGIS speaks too:

- one table per layer in the project's schema (:mod:`layers.store.postgis_tables`);
- the write lock is the row of ``facility_mapper_meta`` that holds the revision,
  taken ``FOR UPDATE`` with a lock timeout: a second writer waits, then gets one line;
- change sets are written, and their conflicts found, by
  :mod:`layers.store.postgis_changes`; rows that other programs change come back
  as conflicts too, never overwritten;
- every new revision is announced with ``NOTIFY`` on the schema's channel, so open
  windows load others' saves at once (:meth:`PostgisStore.listen`,
  :mod:`layers.store.postgis_listen`);
- triggers write who changed what into ``facility_mapper_history``:
  :meth:`PostgisStore.history` (:mod:`layers.store.postgis_history`).

A project URL is a libpq URL with the schema as one more query parameter
(:mod:`layers.store.postgis_url`); a password is handed to the store and kept in
memory only. The names of those modules are importable from here too.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import geopandas as gpd

from layers.model.changes import (
    Applied,
    ChangeSet,
    Conflict,
    ConflictError,
    Snapshot,
    StoreBusyError,
    StoreError,
)
from layers.store.postgis_changes import CaughtUp, conflicts, fresh, pulled, write_layer
from layers.store.postgis_history import (
    HistoryEntry,
    add_history_trigger,
    create_team_parts,
    ensure_team_parts,
    read_history,
)
from layers.store.postgis_listen import Listener
from layers.store.postgis_read import read_snapshot
from layers.store.postgis_tables import (
    DELETED,
    HISTORY,
    META,
    VERSION,
    copy_rows,
    create_meta,
    create_table,
    layer_names,
    quoted,
    revision_of,
    table,
)
from layers.store.postgis_url import (
    channel,
    connect,
    is_database_url,
    location_label,
    server_reason,
    shown_url,
    split_url,
)

LOCK_TIMEOUT_S = 10
BUSY_MESSAGE = "the project is being written by another program; try again"


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
        return shown_url(self.url)

    def connect(self, autocommit: bool = False) -> Any:
        """Open a new connection to the project's database, with the store's password.

        Parameters
        ----------
        autocommit : bool
            Open it in autocommit mode.

        Returns
        -------
        psycopg.Connection
            The connection; the caller closes it.

        Raises
        ------
        StoreError
            With the server's one-line reason.
        """
        return connect(self.conninfo, self._password, autocommit)

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
        schema = store.schema
        with store.connect() as con, con.transaction():
            if not con.execute("SELECT 1 FROM pg_extension WHERE extname = 'postgis'").fetchone():
                raise StoreError("the database has no PostGIS: run CREATE EXTENSION postgis")
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {quoted(schema)}")
            if layer_names(con, schema):
                raise StoreError(f"schema {schema} already holds a project; "
                                 "choose another schema")
            create_meta(con, schema)
            create_team_parts(con, schema)
            for name, frame in frames.items():
                create_table(con, schema, name, frame)
                copy_rows(con, schema, name, frame, 0)
                add_history_trigger(con, schema, name)  # after the copy: no queued row events
                con.execute(f"ANALYZE {table(schema, name)}")  # plans for the row_version index
        return store

    # ----- reading -------------------------------------------------------
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
        with self.connect() as con:
            return read_snapshot(con, self.schema, self.location)

    def revision(self) -> int:
        """Return the project's revision.

        Returns
        -------
        int
            The revision counter.
        """
        if self._con is not None:
            return revision_of(self._con, self.schema)
        with self.connect() as con:
            return revision_of(con, self.schema)

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
        con = self.connect()
        try:
            with con.transaction():
                con.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_S}s'")
                try:
                    con.execute(f"SELECT value FROM {table(self.schema, META)} "
                                "WHERE key = 'revision' FOR UPDATE")
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
            return Applied(revision_of(con, self.schema),
                           pulled(con, self.schema, ChangeSet(), base))

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
            return conflicts(con, self.schema, changes, base)

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
        schema = self.schema
        with self.lock() as con:
            found = conflicts(con, schema, changes, base)
            if found:
                raise ConflictError(found)
            if not self._team_ready:
                ensure_team_parts(con, schema)
                self._team_ready = True
            con.execute("SELECT set_config('facility_mapper.planner', %s, true)",
                        (self.planner or "",))
            revision = revision_of(con, schema) + 1
            con.execute(f"UPDATE {table(schema, META)} SET value = %s WHERE key = 'revision'",
                        (revision,))
            tables = set(layer_names(con, schema))
            for change in changes.layers:
                if change.name not in tables:
                    create_table(con, schema, change.name, change.upserts)
                    add_history_trigger(con, schema, change.name)
                write_layer(con, schema, change, revision)
            # delivered when the transaction commits, never for a save rolled back
            con.execute("SELECT pg_notify(%s, %s)", (channel(schema), str(revision)))
            return Applied(revision_of(con, schema), pulled(con, schema, changes, base))

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
        schema = self.schema
        with self.connect() as con:
            con.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                revision = revision_of(con, schema)
                rows = pulled(con, schema, changes, base) if revision > base else {}
                found = conflicts(con, schema, changes, base) if changes else []
                new = fresh(con, schema, rows, seen) if seen > base else sum(
                    len(frame) + len(deleted) for frame, deleted in rows.values())
            finally:
                con.rollback()
        return CaughtUp(revision, rows, new, found)

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
            self._reader = self.connect(autocommit=True)
        try:
            return read_history(self._reader, self.schema, layer, feature_id, limit)
        except psycopg.errors.UndefinedTable:
            return []
        except psycopg.OperationalError as exc:
            self.close()
            raise StoreError(f"cannot read the history: {server_reason(exc)}") from None


__all__ = ["BUSY_MESSAGE", "DELETED", "HISTORY", "LOCK_TIMEOUT_S", "META", "VERSION",
           "CaughtUp", "HistoryEntry", "Listener", "PostgisStore", "channel",
           "is_database_url", "location_label", "split_url"]
