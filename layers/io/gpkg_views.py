"""SQL views inside a GeoPackage: listed without ever being evaluated.

A view is a stored query. Reading it runs the query, and a recursive one never
ends (memory grows until the app dies). Listing views from ``sqlite_master``
only reads the schema, so a file can be refused before anything reads a layer.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path


def sql_views(path: str | os.PathLike) -> list[str]:
    """Return the names of the SQL views in a GeoPackage, without running them.

    Parameters
    ----------
    path : path-like
        The GeoPackage (an SQLite file).

    Returns
    -------
    list of str
        View names, sorted.

    Raises
    ------
    sqlite3.DatabaseError
        If the file is not an SQLite database.
    """
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    con = sqlite3.connect(uri, uri=True)
    try:
        rows = con.execute("SELECT name FROM sqlite_master WHERE type = 'view'").fetchall()
    finally:
        con.close()
    return sorted(str(name) for (name,) in rows)
