"""A project that lives in a GeoPackage, edited in place.

A GeoPackage is SQLite, so the store uses SQLite's own atomic commit and locks
instead of rewriting the file:

- a save writes only the changed rows, as one transaction, under the write lock
  (``BEGIN IMMEDIATE`` with a busy timeout); a second writer waits, then gets a
  one-line :class:`~layers.model.changes.StoreBusyError`;
- the file is never replaced, so symlinks, modes, owners and every table, view,
  style or extension the app did not create stay as they were;
- each row the store writes carries a ``row_version``, and the file a revision
  counter in ``facility_mapper_meta``; triggers give rows that other programs
  (QGIS, a script) insert, update or delete a new version too, and remember
  deletions in ``facility_mapper_deleted``. A row changed on disk after the
  revision a window loaded comes back as a conflict instead of being overwritten.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from layers.io.project_file import (
    HIDDEN_COLUMNS,
    ProjectFileError,
    check_header,
    plain_tables,
    read_only,
    read_project_file,
    table_catalog,
    write_layer,
    write_project_layers,
)
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
from layers.model.schema import SCHEMAS, STORAGE_CRS
from layers.store.geometry_blobs import from_blob, register_functions, to_blobs
from layers.store.rows import edited_ids, layer_conflicts, plain, pulled_rows, row_dict

META = "facility_mapper_meta"
DELETED = "facility_mapper_deleted"
VERSION = HIDDEN_COLUMNS[0]
#: Seconds a writer waits for another program's write lock before giving up.
BUSY_TIMEOUT_S = 10.0
_CHUNK = 500  # ids per ``IN (...)`` query, under SQLite's variable limit
BUSY_MESSAGE = "the project is being written by another program; try again"
REPLACED_MESSAGE = ("the project file was replaced by another program since it was opened; "
                    "nothing was saved: save your edits as another file")


def _q(name: str) -> str:
    """Quote an SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


class GeoPackageStore:
    """A project GeoPackage, read whole and saved row by row in place.

    Parameters
    ----------
    path : path-like
        The ``.gpkg`` file (a symlink is followed, never replaced).
    busy_timeout : float
        Seconds to wait for another writer's lock.
    """

    def __init__(self, path: str | Path, busy_timeout: float = BUSY_TIMEOUT_S) -> None:
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self._con: sqlite3.Connection | None = None
        #: The file's generation when read: a file replaced since has another.
        self._generation: str | None = None
        #: True once read with only some fields: such a store never writes.
        self.partial = False

    @property
    def location(self) -> Path:
        """The project file."""
        return self.path

    # ----- creating ------------------------------------------------------
    @classmethod
    def create(cls, path: str | Path, frames: Mapping[str, gpd.GeoDataFrame]) -> GeoPackageStore:
        """Write a whole new project file atomically (a first save or Save As).

        Parameters
        ----------
        path : path-like
            Destination; an existing file there is replaced as one step.
        frames : mapping of str to GeoDataFrame
            Layer name to features.

        Returns
        -------
        GeoPackageStore
            The store of the new file, at revision 0.
        """
        write_project_layers(path, dict(frames))
        store = cls(path)
        with store.lock() as con:
            _ensure_meta(con)
            for entry in table_catalog(con).values():
                if entry.name in frames:
                    _ensure_versioned(con, entry.name)
            store._generation = _generation(con)
        return store

    # ----- reading -------------------------------------------------------
    def read(self, columns: Mapping[str, Sequence[str]] | None = None,
             layers: Sequence[str] | None = None) -> Snapshot:
        """Read every table layer and the revision they belong to.

        Parameters
        ----------
        columns : mapping of str to sequence of str, optional
            Layer name to the only fields to read, for read-only commands (see
            :func:`~layers.io.project_file.read_project_file`). A project must
            never be built from such a snapshot: saving it would empty the rest.
        layers : sequence of str, optional
            Read only these layers.

        Returns
        -------
        Snapshot
            Frames, revision, and notes on what was repaired or skipped.

        Raises
        ------
        ProjectFileError
            With a one-line reason when the file is unusable.
        """
        if self._con is not None:
            # GDAL reads with its own SQLite: closing its file would drop this
            # process's locks (POSIX locks are per process). Read first, then lock.
            raise StoreError("read the project before taking its write lock")
        check_header(self.path)
        _roll_back_hot_journal(self.path)
        for _ in range(5):
            before = self._stamp()
            read = read_project_file(self.path, columns=columns, layers=layers)
            self.partial = self.partial or columns is not None or layers is not None
            if self._stamp() == before:
                self._generation = before[1]
                return Snapshot(read.frames, before[0], read.notes, read.repaired_ids)
        raise StoreBusyError(BUSY_MESSAGE)

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
            self._check_same_file(con, base)
            return Applied(_revision(con), _pulled(con, ChangeSet(), base))

    def revision(self) -> int:
        """Return the file's revision (0 for a file the app never saved in place).

        Returns
        -------
        int
            The revision counter.
        """
        return self._stamp()[0]

    def _stamp(self) -> tuple[int, str | None]:
        """Return the file's revision and generation."""
        if self._con is not None:
            return _revision(self._con), _generation(self._con)
        try:
            with closing(read_only(self.path)) as con:
                return _revision(con), _generation(con)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc):
                raise StoreBusyError(BUSY_MESSAGE) from None
            raise ProjectFileError(f"cannot read {self.path.name}: {exc}") from None
        except sqlite3.DatabaseError as exc:
            raise ProjectFileError(f"cannot open project {self.path.name}: {exc}") from None

    # ----- locking -------------------------------------------------------
    @contextmanager
    def lock(self) -> Iterator[sqlite3.Connection]:
        """Hold the write lock; everything inside is one transaction.

        Nested use joins the outer transaction. Leaving with an exception rolls
        every change back.

        Yields
        ------
        sqlite3.Connection
            The connection holding the lock.

        Raises
        ------
        StoreBusyError
            When another program keeps the lock longer than the busy timeout.
        """
        if self._con is not None:
            yield self._con
            return
        check_header(self.path)
        con = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None)
        register_functions(con)
        try:
            try:
                con.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if "locked" in str(exc) or "busy" in str(exc):
                    raise StoreBusyError(BUSY_MESSAGE) from None
                raise ProjectFileError(f"cannot write {self.path.name}: {exc}") from None
            self._con = con
            try:
                yield con
            except BaseException:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise
            try:
                con.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                if "locked" in str(exc) or "busy" in str(exc):
                    raise StoreBusyError(BUSY_MESSAGE) from None
                raise StoreError(f"cannot save {self.path.name}: {exc}") from None
        finally:
            self._con = None
            con.close()

    # ----- saving --------------------------------------------------------
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
        self._refuse_partial()
        with self.lock() as con:
            return _conflicts(con, changes, base)

    def _refuse_partial(self) -> None:
        if self.partial:
            raise StoreError("this project was read in part for an analysis and cannot be "
                             "saved: open it whole to edit")

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
            Layer name to ``{new id: fid}`` for rows given an id while reading.

        Returns
        -------
        Applied
            The new revision, and rows others changed since ``base`` to merge.

        Raises
        ------
        ConflictError
            When rows changed here were changed by somebody else; nothing is written.
        StoreBusyError
            When another program holds the write lock.
        StoreError
            When the store was read with only some fields.
        """
        self._refuse_partial()
        try:
            with self.lock() as con:
                self._check_same_file(con, base)
                _ensure_meta(con)
                self._generation = _generation(con)
                catalog = table_catalog(con)
                for name in {c.name for c in changes.layers} | set(repaired_ids or {}):
                    if name in catalog:
                        _ensure_versioned(con, name)
                repairs, taken, conflicts = _settled_repairs(con, changes, repaired_ids or {},
                                                             catalog)
                conflicts += _conflicts(con, changes, base)
                if conflicts:
                    raise ConflictError(conflicts)
                revision = _revision(con) + 1
                _set_revision(con, revision)
                _write_changes(con, changes, catalog, repairs, revision)
                pulled = _pulled(con, changes, base, taken)
                _prune_deletions(con)
                return Applied(_revision(con), pulled)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreBusyError(BUSY_MESSAGE) from None
            raise StoreError(f"cannot save {self.path.name}: {exc}") from None


    def _check_same_file(self, con: sqlite3.Connection, base: int) -> None:
        """Refuse to merge with a file another program replaced since it was read.

        Save As from another window, or a copy put in its place, starts the
        revisions again: rows it dropped would come back and its rows would never
        reach this window.
        """
        now = _generation(con)
        if ((self._generation is not None and now != self._generation)
                or _revision(con) < base):
            raise StoreError(REPLACED_MESSAGE)


def _roll_back_hot_journal(path: Path) -> None:
    """Let SQLite roll back a save that a crash interrupted, before reading read-only."""
    journal = path.with_name(path.name + "-journal")
    if not journal.exists() or not os.access(path, os.W_OK):
        return
    try:
        with closing(sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)) as con:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError:
        pass  # reading will report the file's problem in one line


# ----- versioning ---------------------------------------------------------
def _ensure_meta(con: sqlite3.Connection) -> None:
    con.execute(f"CREATE TABLE IF NOT EXISTS {META} (key TEXT PRIMARY KEY, value)")
    con.execute(f"INSERT OR IGNORE INTO {META} (key, value) VALUES ('revision', 0)")
    con.execute(f"INSERT OR IGNORE INTO {META} (key, value) "
                "VALUES ('generation', lower(hex(randomblob(16))))")
    con.execute(f"CREATE TABLE IF NOT EXISTS {DELETED} "
                "(layer TEXT NOT NULL, id TEXT, revision INTEGER NOT NULL)")
    con.execute(f"CREATE INDEX IF NOT EXISTS {DELETED}_revision ON {DELETED}(revision)")


def _revision(con: sqlite3.Connection) -> int:
    try:
        row = con.execute(f"SELECT value FROM {META} WHERE key = 'revision'").fetchone()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return 0
        raise
    return int(row[0]) if row else 0


def _generation(con: sqlite3.Connection) -> str | None:
    try:
        row = con.execute(f"SELECT value FROM {META} WHERE key = 'generation'").fetchone()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return None
        raise
    return None if row is None else str(row[0])


def _set_revision(con: sqlite3.Connection, revision: int) -> None:
    con.execute(f"UPDATE {META} SET value = ? WHERE key = 'revision'", (revision,))


def _columns(con: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in con.execute(f"PRAGMA table_info({_q(table)})")]


def _primary_key(con: sqlite3.Connection, table: str) -> str:
    keys = [r[1] for r in con.execute(f"PRAGMA table_info({_q(table)})") if r[5]]
    return keys[0] if len(keys) == 1 else "rowid"


def _ensure_versioned(con: sqlite3.Connection, table: str) -> None:
    """Give a table the version column, its indexes and the triggers other writers fire.

    Triggers made by an earlier version of the app are replaced by the current ones.
    """
    t, tag = _q(table), table.replace('"', "")
    if VERSION not in _columns(con, table):
        con.execute(f"ALTER TABLE {t} ADD COLUMN {VERSION} INTEGER NOT NULL DEFAULT 0")
        con.execute(f'CREATE INDEX IF NOT EXISTS "fm_{tag}_id" ON {t}(id)')
        con.execute(f'CREATE INDEX IF NOT EXISTS "fm_{tag}_version" ON {t}({VERSION})')
    else:
        made = con.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                           (f"fm_{tag}_inserted",)).fetchone()
        if made is not None and _TRIGGERS_MARK in made[0]:
            return
    for kind in ("updated", "inserted", "deleted"):
        con.execute(f'DROP TRIGGER IF EXISTS "fm_{tag}_{kind}"')
    for sql in _triggers(con, table):
        con.execute(sql)


#: Inside the app's own save this key is in the meta table: the triggers, which
#: are there for other programs' writes, leave the app's rows alone.
_WRITING = "writing"
_TRIGGERS_MARK = f"key = '{_WRITING}'"
#: A new UUID4 string, made by SQLite for rows other programs add without a usable id.
_SQL_UUID = ("lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || "
             "substr(lower(hex(randomblob(2))), 2) || '-' || "
             "substr('89ab', 1 + abs(random() % 4), 1) || substr(lower(hex(randomblob(2))), 2) "
             "|| '-' || lower(hex(randomblob(6)))")


def _triggers(con: sqlite3.Connection, table: str) -> list[str]:
    """Return the triggers that version rows other programs insert, update or delete.

    A row another program inserts gets a new version, and a new id when it has
    none or repeats another row's (a feature copied and pasted in QGIS keeps
    the original's id and version).
    """
    t, tag, pk = _q(table), table.replace('"', ""), _q(_primary_key(con, table))
    foreign = f"NOT EXISTS (SELECT 1 FROM {META} WHERE {_TRIGGERS_MARK})"
    bump = f"UPDATE {META} SET value = value + 1 WHERE key = 'revision'"
    now = f"(SELECT value FROM {META} WHERE key = 'revision')"
    fresh_id = (f"CASE WHEN NEW.id IS NULL OR trim(NEW.id) = '' OR EXISTS (SELECT 1 FROM {t} "
                f"AS other WHERE other.id = NEW.id AND other.{pk} <> NEW.{pk}) "
                f"THEN {_SQL_UUID} ELSE NEW.id END")
    return [
        f'CREATE TRIGGER "fm_{tag}_updated" AFTER UPDATE ON {t} '
        f"WHEN NEW.{VERSION} IS OLD.{VERSION} AND {foreign} BEGIN {bump}; "
        f"UPDATE {t} SET {VERSION} = {now} WHERE {pk} = NEW.{pk}; END",
        f'CREATE TRIGGER "fm_{tag}_inserted" AFTER INSERT ON {t} '
        f"WHEN {foreign} BEGIN {bump}; "
        f"UPDATE {t} SET {VERSION} = {now}, id = {fresh_id} WHERE {pk} = NEW.{pk}; END",
        f'CREATE TRIGGER "fm_{tag}_deleted" AFTER DELETE ON {t} '
        f"BEGIN {bump} AND {foreign}; INSERT INTO {DELETED} (layer, id, revision) "
        f"VALUES ('{tag.replace(chr(39), chr(39) * 2)}', OLD.id, {now}); END",
    ]


# ----- conflicts ----------------------------------------------------------
def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i:i + _CHUNK]


def _stored_versions(con: sqlite3.Connection, table: str, ids: Sequence[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for part in _chunks(list(ids)):
        marks = ",".join("?" * len(part))
        out.update(con.execute(
            f"SELECT id, {VERSION} FROM {_q(table)} WHERE id IN ({marks})", list(part)))
    return out


#: Deletions remembered for windows opened earlier; older ones are pruned in bulk.
KEEP_DELETIONS = 100_000


def _deletions_kept_from(con: sqlite3.Connection) -> int:
    """Return the revision from which deletions are still remembered (0: all of them)."""
    try:
        row = con.execute(f"SELECT value FROM {META} WHERE key = 'deletions_from'").fetchone()
    except sqlite3.OperationalError:
        return 0
    return int(row[0]) if row else 0


def _prune_deletions(con: sqlite3.Connection) -> None:
    """Keep the record of deleted rows bounded (layers replaced whole add one per row).

    Once it holds twice :data:`KEEP_DELETIONS`, the oldest are dropped and the
    revision they reached is remembered: a window opened before it treats a row it
    edits that is no longer in the file as deleted by somebody, a conflict.
    """
    if con.execute(f"SELECT count(*) FROM {DELETED}").fetchone()[0] <= 2 * KEEP_DELETIONS:
        return
    cut = con.execute(f"SELECT revision FROM {DELETED} ORDER BY revision DESC "
                      f"LIMIT 1 OFFSET {KEEP_DELETIONS}").fetchone()[0]
    con.execute(f"DELETE FROM {DELETED} WHERE revision <= ?", (cut,))
    con.execute(f"INSERT OR REPLACE INTO {META} (key, value) VALUES ('deletions_from', ?)",
                (max(cut + 1, _deletions_kept_from(con)),))


def _deleted_after(con: sqlite3.Connection, table: str, ids: Sequence[str],
                   base: int) -> dict[str, int]:
    out: dict[str, int] = {}
    for part in _chunks(list(ids)):
        marks = ",".join("?" * len(part))
        out.update(con.execute(
            f"SELECT id, MAX(revision) FROM {DELETED} WHERE layer = ? AND revision > ? "
            f"AND id IN ({marks}) GROUP BY id", [table, base, *part]))
    return out


def _conflicts(con: sqlite3.Connection, changes: ChangeSet, base: int) -> list[Conflict]:
    catalog = table_catalog(con)
    forgotten = _deletions_kept_from(con)
    out: list[Conflict] = []
    for change in changes.layers:
        if change.name not in catalog or VERSION not in _columns(con, change.name):
            continue
        if change.whole:
            # a layer replaced whole: every row somebody else changed since base
            candidates = [r[0] for r in con.execute(
                f"SELECT id FROM {_q(change.name)} WHERE {VERSION} > ?", (base,))]
            candidates += [r[0] for r in con.execute(
                f"SELECT id FROM {DELETED} WHERE layer = ? AND revision > ?",
                (change.name, base))]
            candidates = sorted({c for c in candidates if c is not None})
        else:
            candidates = edited_ids(change)
        if not candidates:
            continue
        stored = _stored_versions(con, change.name, candidates)
        gone = _deleted_after(con, change.name, [c for c in candidates if c not in stored], base)
        out += layer_conflicts(change, changes.overrides, candidates, stored, set(gone), base,
                               lambda fid, name=change.name: _stored_row(con, name, fid),
                               forgotten)
    return out


def _stored_row(con: sqlite3.Connection, table: str, fid: str) -> dict[str, Any] | None:
    frame = _select_frame(con, table, "id = ?", (fid,))
    return row_dict(frame.iloc[0]) if len(frame) else None


# ----- writing ------------------------------------------------------------
def _geometry_column(con: sqlite3.Connection, table: str) -> tuple[str, int, bool]:
    row = con.execute("SELECT column_name, srs_id, geometry_type_name FROM gpkg_geometry_columns "
                      "WHERE table_name = ?", (table,)).fetchone()
    if row is None:
        raise StoreError(f"layer '{table}' has no geometry column")
    return row[0], int(row[1]), str(row[2]).upper().startswith("MULTI")


def _sql_type(series: pd.Series) -> str:
    if pd.api.types.is_integer_dtype(series) or pd.api.types.is_bool_dtype(series):
        return "INTEGER"
    if pd.api.types.is_float_dtype(series):
        return "REAL"
    return "TEXT"


def _settled_repairs(con: sqlite3.Connection, changes: ChangeSet,
                     repaired_ids: Mapping[str, Mapping[str, int]], catalog: Mapping[str, Any],
                     ) -> tuple[dict[str, dict[str, int]], dict[str, list[str]], list[Conflict]]:
    """Split the ids given while reading into those still to write and those taken.

    Another window may have saved its own id for the same row (an id-less row
    both windows repaired). Its id wins: this window's id is dropped, and the row
    comes back with the stored id. When this window also changed that row, the
    planner chooses, as for any row changed on both sides.

    Returns
    -------
    tuple
        Ids to write (layer to ``{id: row key}``), ids taken by others (layer to
        ids), and the conflicts.
    """
    repairs: dict[str, dict[str, int]] = {}
    taken: dict[str, list[str]] = {}
    conflicts: list[Conflict] = []
    edited = {c.name: (c, set(c.upserts["id"].tolist()) | set(c.deletes)) for c in changes.layers}
    for name, fresh in repaired_ids.items():
        if name not in catalog:
            continue
        t, pk = _q(name), _q(_primary_key(con, name))
        keys = list(fresh.values())
        needing: set[int] = set()
        for part in _chunks(keys):
            marks = ",".join("?" * len(part))
            needing.update(r[0] for r in con.execute(
                f"SELECT {pk} FROM {t} AS fm_row WHERE {pk} IN ({marks}) AND (id IS NULL OR "
                f"trim(id) = '' OR EXISTS (SELECT 1 FROM {t} AS other WHERE other.id = fm_row.id "
                f"AND other.{pk} < fm_row.{pk}))", list(part)))
        repairs[name] = {}
        change, ids = edited.get(name, (None, set()))
        for new, key in fresh.items():
            if key in needing:
                repairs[name][new] = key
                continue
            version = _version_at(con, name, key)
            stored = -1 if version is None else version  # -1: somebody deleted the row
            if changes.overrides.get((name, new)) == stored:
                repairs[name][new] = key  # the planner kept this window's version
            elif change is not None and new in ids:
                mine = change.upserts[change.upserts["id"] == new]
                here = row_dict(mine.iloc[0]) if len(mine) else None
                theirs = (None if version is None else
                          row_dict(_select_frame(con, name, f"{pk} = ?", (key,)).iloc[0]))
                if here is not None or theirs is not None:
                    conflicts.append(Conflict(name, new, here, theirs, stored))
            else:
                taken.setdefault(name, []).append(new)
    return repairs, taken, conflicts


def _version_at(con: sqlite3.Connection, table: str, key: int) -> int | None:
    row = con.execute(f"SELECT {VERSION} FROM {_q(table)} WHERE {_q(_primary_key(con, table))} "
                      "= ?", (key,)).fetchone()
    return None if row is None else int(row[0])


def _write_changes(con: sqlite3.Connection, changes: ChangeSet, catalog: Mapping[str, Any],
                   repaired_ids: Mapping[str, Mapping[str, int]], revision: int) -> None:
    """Write repaired ids and every layer's changes at ``revision``, as the app's own save."""
    con.execute(f"INSERT OR REPLACE INTO {META} (key, value) VALUES (?, 1)", (_WRITING,))
    try:
        for name, fresh in repaired_ids.items():
            if name in catalog:
                pk = _q(_primary_key(con, name))
                con.executemany(f"UPDATE {_q(name)} SET id = ?, {VERSION} = ? WHERE {pk} = ?",
                                [(new, revision, key) for new, key in fresh.items()])
        for change in changes.layers:
            if change.name not in catalog:
                if change.removed:
                    continue  # made and undone before it was ever saved
                _create_table(con, change.name, change.upserts)
                _ensure_versioned(con, change.name)
            _write_layer_changes(con, change, revision)
    finally:
        con.execute(f"DELETE FROM {META} WHERE key = ?", (_WRITING,))


def _write_layer_changes(con: sqlite3.Connection, change: LayerChangeSet, revision: int) -> None:
    table = change.name
    geom_col, srs_id, multi = _geometry_column(con, table)
    frame = change.upserts
    if frame.crs is not None and not frame.crs.equals(STORAGE_CRS):
        frame = frame.to_crs(STORAGE_CRS)
    stored = _columns(con, table)
    attrs = [c for c in frame.columns if c != frame.geometry.name and c not in HIDDEN_COLUMNS
             and c != "fid"]
    for column in attrs:
        if column not in stored:  # a field the planner added: the table gains it
            con.execute(f"ALTER TABLE {_q(table)} ADD COLUMN {_q(column)} "
                        f"{_sql_type(frame[column])}")
    if change.whole:
        con.execute(f"DELETE FROM {_q(table)}")
    for part in _chunks(list(change.deletes)):
        con.execute(f"DELETE FROM {_q(table)} WHERE id IN ({','.join('?' * len(part))})",
                    list(part))
    if not len(frame):
        _touch_contents(con, table)
        return
    blobs = to_blobs(frame.geometry.to_numpy(), srs_id, multi)
    columns = [frame[c].astype(object).tolist() for c in attrs]
    rows = [[plain(col[i]) for col in columns] + [blobs[i], revision]
            for i in range(len(frame))]
    names = [*attrs, geom_col, VERSION]
    if change.whole or "id" not in attrs:
        existing: set[str] = set()
    else:
        existing = set(_stored_versions(con, table, frame["id"].tolist()))
    id_at = attrs.index("id") if "id" in attrs else -1
    updates = [r for r in rows if existing and r[id_at] in existing]
    inserts = [r for r in rows if not existing or r[id_at] not in existing]
    if updates:
        sets = ", ".join(f"{_q(n)} = ?" for n in names)
        con.executemany(f"UPDATE {_q(table)} SET {sets} WHERE id = ?",
                        [[*r, r[id_at]] for r in updates])
    if inserts:
        cols = ", ".join(_q(n) for n in names)
        con.executemany(f"INSERT INTO {_q(table)} ({cols}) VALUES "
                        f"({', '.join('?' * len(names))})", inserts)
    _touch_contents(con, table)


def _touch_contents(con: sqlite3.Connection, table: str) -> None:
    con.execute("UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') "
                "WHERE table_name = ?", (table,))
    counted = con.execute("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                          (f"trigger_insert_feature_count_{table}",)).fetchone()
    if counted is None:
        try:
            con.execute("UPDATE gpkg_ogr_contents SET feature_count = NULL "
                        "WHERE lower(table_name) = lower(?)", (table,))
        except sqlite3.OperationalError:
            pass  # no gpkg_ogr_contents: nothing caches a count


#: The GeoPackage tables that describe one layer, copied with a new layer.
_LAYER_META = ("gpkg_contents", "gpkg_geometry_columns", "gpkg_extensions", "gpkg_ogr_contents")


def _named_rows(con: sqlite3.Connection, table: str, where: str,
                params: Sequence[Any]) -> tuple[list[str], list[tuple]]:
    """Return the column names and rows of ``table``."""
    cursor = con.execute(f"SELECT * FROM {_q(table)} {where}", list(params))
    return [d[0] for d in cursor.description], cursor.fetchall()


def _insert_named(con: sqlite3.Connection, table: str, names: list[str], rows: list[tuple],
                  verb: str) -> None:
    """Insert rows by column name, leaving out columns the target table lacks.

    GDAL adds columns to some of its tables in some files (such as
    ``definition_12_063`` for the CRS WKT extension); those take their defaults.
    """
    present = set(_columns(con, table))
    keep = [i for i, n in enumerate(names) if n in present]
    cols = ", ".join(_q(names[i]) for i in keep)
    con.executemany(f"{verb} INTO {_q(table)} ({cols}) VALUES ({', '.join('?' * len(keep))})",
                    [[row[i] for i in keep] for row in rows])


def _create_table(con: sqlite3.Connection, table: str, frame: gpd.GeoDataFrame) -> None:
    """Create a new layer table like GDAL would, inside the open transaction.

    GDAL writes an empty layer of the right structure to a scratch file; its
    table, spatial index, triggers and GeoPackage metadata rows are then created
    here, so the new layer commits together with the rows.
    """
    shape = frame.iloc[:0]
    if table not in SCHEMAS and len(frame):
        shape = frame.iloc[:1]  # GDAL needs a feature to tell the geometry type
    with tempfile.TemporaryDirectory(prefix="facility-mapper-") as tmp:
        scratch = Path(tmp) / "layer.gpkg"
        write_layer(scratch, table, shape)
        with closing(sqlite3.connect(scratch)) as src:
            objects = src.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND "
                "(tbl_name = ? OR name = ?) ORDER BY CASE type WHEN 'table' THEN 0 "
                "WHEN 'index' THEN 1 ELSE 2 END", (table, f"rtree_{table}_geom")).fetchall()
            here = plain_tables(con)
            made = {name: sql for name, sql in src.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table'")}
            meta = {name: _named_rows(src, name, "WHERE table_name = ?", (table,))
                    for name in _LAYER_META if name in made}
            srs = _named_rows(src, "gpkg_spatial_ref_sys", "", ())
    counted = "gpkg_ogr_contents" in here  # files other tools write may keep no counts
    if "gpkg_extensions" not in here and meta.get("gpkg_extensions", ([], []))[1]:
        con.execute(made["gpkg_extensions"])
        here.add("gpkg_extensions")
    for kind, name, sql in objects:
        if kind == "table" and name.startswith(f"rtree_{table}_geom_"):
            continue  # the rtree's own tables come with the virtual table
        if not counted and "gpkg_ogr_contents" in sql:
            continue
        con.execute(sql)
    _insert_named(con, "gpkg_spatial_ref_sys", *srs, "INSERT OR IGNORE")
    for name, rows in meta.items():
        if name in here:
            _insert_named(con, name, *rows, "INSERT OR REPLACE")
    con.execute(f"DELETE FROM {_q(table)}")  # the scratch feature, if one was copied


# ----- merging others' changes ------------------------------------------------
def _select_frame(con: sqlite3.Connection, table: str, where: str,
                  params: Sequence[Any]) -> gpd.GeoDataFrame:
    geom_col, _, _ = _geometry_column(con, table)
    key = _primary_key(con, table)  # "fid", or what another tool called it
    columns = [c for c in _columns(con, table)
               if c not in ("fid", key, geom_col, *HIDDEN_COLUMNS)]
    names = ", ".join(_q(c) for c in [*columns, geom_col])
    rows = con.execute(f"SELECT {names} FROM {_q(table)} WHERE {where}", list(params)).fetchall()
    data = {c: [r[i] for r in rows] for i, c in enumerate(columns)}
    geoms = [from_blob(r[-1]) for r in rows]
    frame = gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(geoms, crs=STORAGE_CRS),
                             crs=STORAGE_CRS)
    schema = SCHEMAS.get(table)
    return conform(frame, schema) if schema else frame


def _pulled(con: sqlite3.Connection, changes: ChangeSet, base: int,
            replaced: Mapping[str, Sequence[str]] | None = None,
            ) -> dict[str, tuple[gpd.GeoDataFrame, list[str]]]:
    """Rows others saved after ``base`` in the layers this window knows, minus its own.

    ``replaced`` names ids this window gave rows that somebody else has given an
    id meanwhile: they leave the window, and the rows come back with their ids.
    """
    names = [e.name for e in table_catalog(con).values()
             if not e.is_view and e.data_type == "features" and VERSION in _columns(con, e.name)]
    return pulled_rows(
        names, changes, lambda name: _select_frame(con, name, f"{VERSION} > ?", (base,)),
        lambda name: [r[0] for r in con.execute(
            f"SELECT DISTINCT id FROM {DELETED} WHERE layer = ? AND revision > ?", (name, base))],
        replaced)
