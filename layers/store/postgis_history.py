"""Who changed what in a database project, and the announcement of every new revision.

Triggers write who changed what into ``facility_mapper_history`` (the app's saves and
edits made in QGIS or psql alike), read back by :func:`read_history`; every new
revision is announced with ``NOTIFY`` on the schema's channel (payload: the revision),
whoever made it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from layers.store.postgis_tables import (
    HISTORY,
    META,
    VERSION,
    layer_names,
    literal,
    quoted,
    table,
)
from layers.store.postgis_url import channel


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


def create_team_parts(con: Any, schema: str) -> None:
    """Create the history table, its trigger function and the revision announcement.

    Parameters
    ----------
    con : psycopg.Connection
        A connection inside a transaction.
    schema : str
        The project's schema.
    """
    meta, history, qschema = table(schema, META), table(schema, HISTORY), quoted(schema)
    con.execute(f"CREATE TABLE IF NOT EXISTS {history} ("
                "revision bigint NOT NULL, layer text NOT NULL, feature_id text, "
                "action text NOT NULL, who text NOT NULL DEFAULT current_user, "
                "planner text, at timestamptz NOT NULL DEFAULT now(), "
                "changes jsonb NOT NULL DEFAULT '{}')")
    con.execute(f"CREATE INDEX IF NOT EXISTS fm_history_feature ON {history} "
                "(layer, feature_id, revision)")
    con.execute(f"""
        CREATE OR REPLACE FUNCTION {qschema}.fm_shape(g geometry) RETURNS text AS $$
          SELECT CASE WHEN g IS NULL THEN NULL
                      WHEN ST_NPoints(g) <= 1 THEN ST_AsText(g, 7)
                      ELSE GeometryType(g) || ' (' || ST_NPoints(g) || ' points)' END
        $$ LANGUAGE sql IMMUTABLE""")
    # one row per feature and revision: the fields that changed, old and new
    con.execute(f"""
        CREATE OR REPLACE FUNCTION {qschema}.fm_history() RETURNS trigger AS $$
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
                'old', {qschema}.fm_shape(OLD.geom), 'new', {qschema}.fm_shape(NEW.geom)));
            END IF;
            IF diff = '{{}}' THEN RETURN NULL; END IF;
            r := NEW.{VERSION};
          ELSIF TG_OP = 'INSERT' THEN
            diff := diff || jsonb_build_object('geometry', jsonb_build_object(
              'old', NULL, 'new', {qschema}.fm_shape(NEW.geom)));
            r := NEW.{VERSION};
          ELSE
            diff := diff || jsonb_build_object('geometry', jsonb_build_object(
              'old', {qschema}.fm_shape(OLD.geom), 'new', NULL));
            SELECT value INTO r FROM {meta} WHERE key = 'revision';
          END IF;
          INSERT INTO {history} (revision, layer, feature_id, action, planner,
                                 changes)
            VALUES (r, TG_TABLE_NAME, CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END,
                    lower(TG_OP),
                    nullif(current_setting('facility_mapper.planner', true), ''), diff);
          RETURN NULL;
        END $$ LANGUAGE plpgsql""")
    # every new revision is announced, whoever made it (the app, QGIS, psql)
    con.execute(f"""
        CREATE OR REPLACE FUNCTION {qschema}.fm_notify() RETURNS trigger AS $$
        BEGIN
          PERFORM pg_notify({literal(channel(schema))}, NEW.value::text);
          RETURN NULL;
        END $$ LANGUAGE plpgsql""")
    con.execute(f"DROP TRIGGER IF EXISTS fm_notify ON {meta}")
    con.execute(f"CREATE TRIGGER fm_notify AFTER UPDATE ON {meta} FOR EACH ROW "
                f"WHEN (NEW.key = 'revision') EXECUTE FUNCTION {qschema}.fm_notify()")


def add_history_trigger(con: Any, schema: str, name: str) -> None:
    """Record every insert, update and delete of a layer's rows in the history.

    Parameters
    ----------
    con : psycopg.Connection
        A connection inside a transaction.
    schema : str
        The project's schema.
    name : str
        The layer.
    """
    con.execute(f"DROP TRIGGER IF EXISTS fm_history ON {table(schema, name)}")
    con.execute(f"CREATE TRIGGER fm_history AFTER INSERT OR UPDATE OR DELETE "
                f"ON {table(schema, name)} FOR EACH ROW "
                f"EXECUTE FUNCTION {quoted(schema)}.fm_history()")


def ensure_team_parts(con: Any, schema: str) -> None:
    """Give a project made before the history and announcements existed both.

    Skipped, with the project still saved, when this database user may not
    change the schema.

    Parameters
    ----------
    con : psycopg.Connection
        A connection inside the saving transaction.
    schema : str
        The project's schema.
    """
    import psycopg

    found = con.execute("SELECT to_regclass(%s)", (f"{schema}.{HISTORY}",)).fetchone()
    if found[0] is None:
        try:
            with con.transaction():
                create_team_parts(con, schema)
                for name in layer_names(con, schema):
                    add_history_trigger(con, schema, name)
        except psycopg.errors.InsufficientPrivilege:
            pass


def record_replace(con: Any, schema: str, name: str, revision: int, rows: int) -> None:
    """Write one line of history for a layer replaced whole (its rows are not listed).

    Parameters
    ----------
    con : psycopg.Connection
        A connection inside the saving transaction.
    schema : str
        The project's schema.
    name : str
        The layer.
    revision : int
        The revision being saved.
    rows : int
        How many rows the layer holds now.
    """
    from psycopg.types.json import Jsonb

    con.execute(f"INSERT INTO {table(schema, HISTORY)} (revision, layer, action, planner, "
                "changes) VALUES (%s, %s, 'replace', "
                "nullif(current_setting('facility_mapper.planner', true), ''), %s)",
                (revision, name, Jsonb({"rows": {"old": None, "new": rows}})))


def read_history(con: Any, schema: str, layer: str, feature_id: str,
                 limit: int) -> list[HistoryEntry]:
    """Return who changed a feature, newest first.

    Parameters
    ----------
    con : psycopg.Connection
        An open connection.
    schema : str
        The project's schema.
    layer : str
        Layer name.
    feature_id : str
        Feature id.
    limit : int
        At most this many entries.

    Returns
    -------
    list of HistoryEntry
        The entries.

    Raises
    ------
    psycopg.errors.UndefinedTable
        For a project whose schema has no history table yet.
    """
    rows = con.execute(
        f"SELECT revision, action, who, planner, at, changes FROM {table(schema, HISTORY)} "
        "WHERE layer = %s AND feature_id = %s ORDER BY revision DESC, at DESC LIMIT %s",
        (layer, feature_id, limit)).fetchall()
    return [HistoryEntry(int(r[0]), r[1], r[2], r[3], r[4], dict(r[5] or {})) for r in rows]
