"""Where a database project lives: its URL, its schema, and the connection to it.

A project URL is a libpq URL with the schema as one more query parameter:
``postgresql://user@host:5432/db?schema=districts`` (a Unix socket:
``postgresql://user@/db?host=/run/postgresql&schema=districts``).

A password is never part of a stored URL: it is handed to :func:`connect` (and from
there to psycopg's connection parameters) and kept in memory only.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from layers.model.changes import StoreError

#: A schema, layer or channel name the store accepts: a plain lower-case identifier.
NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


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
    if not NAME.match(schema):
        raise StoreError(f"schema name must be lower-case letters, digits and _: {schema!r}")
    rest = urlencode([(k, v) for k, v in query if k != "schema"], safe="/")
    return urlunsplit(parts._replace(query=rest)), schema


def shown_url(url: str) -> str:
    """Return a URL without its password, for messages.

    Parameters
    ----------
    url : str
        A URL that may hold a password.

    Returns
    -------
    str
        The URL with ``***`` for the password.
    """
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(":" + parts.password + "@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


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
    conninfo, schema = split_url(url)
    parts = urlsplit(conninfo)
    # libpq's default database is the one named after the user
    database = unquote(parts.path.lstrip("/")) or unquote(parts.username or "") or "postgres"
    return f"{database} · {schema}"


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


def connect(conninfo: str, password: str | None = None, autocommit: bool = False) -> Any:
    """Open a connection, the password handed over as a parameter (never in the URL).

    Parameters
    ----------
    conninfo : str
        The libpq URL (without ``schema``).
    password : str, optional
        Kept in memory only; see :mod:`layers.store.passwords` for where it comes from.
    autocommit : bool
        Open the connection in autocommit mode.

    Returns
    -------
    psycopg.Connection
        The connection.

    Raises
    ------
    StoreError
        With the server's one-line reason when the connection fails.
    """
    import psycopg

    extra = {"password": password} if password else {}
    try:
        return psycopg.connect(conninfo, connect_timeout=10, autocommit=autocommit,
                               application_name="facility-mapper", **extra)
    except psycopg.OperationalError as exc:
        raise StoreError(f"cannot connect to {shown_url(conninfo)}: "
                         f"{server_reason(exc)}") from None


def server_reason(exc: BaseException) -> str:
    """Return the last line of a psycopg error: the server's own reason.

    Parameters
    ----------
    exc : BaseException
        The error.

    Returns
    -------
    str
        One line.
    """
    lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
    reason = lines[-1] if lines else "no answer"
    for prefix in ("connection failed: ", "FATAL:  ", "FATAL: "):
        if reason.startswith(prefix):
            reason = reason[len(prefix):]
    return reason.split("FATAL:", 1)[-1].strip()
