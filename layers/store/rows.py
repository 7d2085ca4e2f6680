"""Row values as every store writes and compares them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from layers.model.changes import ChangeSet, Conflict, LayerChangeSet


def plain(value: Any) -> Any:
    """Return a value a database stores: None for missing, Python numbers.

    Parameters
    ----------
    value : Any
        A cell of a frame.

    Returns
    -------
    Any
        None, int, float, str or the value itself.
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float | np.floating):
        return None if np.isnan(value) else float(value)
    if isinstance(value, np.integer | np.bool_):
        return int(value)
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def row_dict(row: pd.Series) -> dict[str, Any]:
    """Return one frame row as plain values (for conflicts shown to the planner).

    Parameters
    ----------
    row : pandas.Series
        The row.

    Returns
    -------
    dict
        Field to plain value, ``geometry`` included.
    """
    return {k: plain(v) for k, v in row.items()}


def same_row(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Tell whether two rows hold the same values (geometries equal to 1e-9°).

    Parameters
    ----------
    a, b : dict
        Rows from :func:`row_dict`.

    Returns
    -------
    bool
        True when every field of ``a`` matches ``b``.
    """
    for key, value in a.items():
        other = b.get(key)
        if key == "geometry":
            if (value is None) != (other is None) or (
                    value is not None and not value.equals_exact(other, 1e-9)):
                return False
        elif plain(value) != plain(other):
            return False
    return True


def edited_ids(change: LayerChangeSet) -> list[str]:
    """Return the ids a change set touches that the store may hold: edits and deletions.

    Parameters
    ----------
    change : LayerChangeSet
        One layer's changes (not a whole-layer replace).

    Returns
    -------
    list of str
        Upserted ids that are not new here, then deleted ids.
    """
    ids = change.upserts["id"].tolist() if "id" in change.upserts.columns else []
    return [i for i in ids if i not in change.new_ids] + list(change.deletes)


def layer_conflicts(change: LayerChangeSet, overrides: Mapping[tuple[str, str], int],
                    candidates: Sequence[str], stored: Mapping[str, int], gone: Set[str],
                    base: int, stored_row: Callable[[str], dict[str, Any] | None],
                    forgotten: int = 0) -> list[Conflict]:
    """Decide which candidate rows of one layer are conflicts; the rule every store shares.

    A row is in conflict when the store's version is newer than ``base`` (or it was
    deleted after ``base``, or so long ago that the record is pruned), unless the
    planner already chose to overwrite that version, both sides deleted it, or a
    whole-layer replace writes the same values.

    Parameters
    ----------
    change : LayerChangeSet
        The layer's changes.
    overrides : mapping
        ``(layer, id)`` to the stored version the planner chose to overwrite.
    candidates : sequence of str
        Ids to decide on.
    stored : mapping of str to int
        Id to stored version, for candidates still in the store.
    gone : set of str
        Candidates deleted in the store after ``base``.
    base : int
        The revision the window loaded or last saved.
    stored_row : callable
        Reads one stored row as plain values.
    forgotten : int
        Revision before which deletions are no longer remembered.

    Returns
    -------
    list of Conflict
        The conflicts, with both versions.
    """
    mine = change.upserts
    ids_here = mine["id"].tolist() if "id" in mine.columns else []
    position = {fid: k for k, fid in enumerate(ids_here)}
    out: list[Conflict] = []
    for fid in candidates:
        if fid in stored:
            version = stored[fid]
            if version <= base:
                continue
        elif fid in gone or (base < forgotten and fid not in change.new_ids):
            version = -1  # deleted by somebody (or so long ago the record is pruned)
        else:
            continue
        if overrides.get((change.name, fid)) == version:
            continue
        here = row_dict(mine.iloc[position[fid]]) if fid in position else None
        theirs = stored_row(fid) if version != -1 else None
        if here is None and theirs is None:
            continue  # deleted here and there: both agree
        if change.whole and here is not None and theirs is not None and same_row(here, theirs):
            continue
        out.append(Conflict(change.name, fid, here, theirs, version))
    return out


def pulled_rows(names: Iterable[str], changes: ChangeSet,
                changed_since: Callable[[str], gpd.GeoDataFrame],
                deleted_since: Callable[[str], Iterable[str | None]],
                replaced: Mapping[str, Sequence[str]] | None = None,
                ) -> dict[str, tuple[gpd.GeoDataFrame, list[str]]]:
    """Rows others saved after a window's base revision, minus the window's own; every store's rule.

    Parameters
    ----------
    names : iterable of str
        The store's versioned layers.
    changes : ChangeSet
        This window's changes: its rows (and layers it replaces whole) are left out.
    changed_since : callable
        Reads a layer's rows saved after the base.
    deleted_since : callable
        Reads the ids of a layer's rows deleted after the base.
    replaced : mapping, optional
        Layer to ids this window gave rows that somebody else has given an id
        meanwhile: they leave the window, and the rows come back with their ids.

    Returns
    -------
    dict
        Layer name to ``(rows, deleted_ids)``, for the layers with any.
    """
    out: dict[str, tuple[gpd.GeoDataFrame, list[str]]] = {}
    mine = {c.name: set(c.upserts["id"].tolist()) | set(c.deletes) for c in changes.layers}
    whole = {c.name for c in changes.layers if c.whole}
    for name in names:
        if name in whole:
            continue
        own = mine.get(name, set())
        rows = changed_since(name)
        if len(rows) and own:
            rows = rows[~rows["id"].isin(own)]
        deleted = [i for i in deleted_since(name) if i is not None and i not in own]
        if deleted and len(rows):
            deleted = [d for d in deleted if d not in set(rows["id"])]
        deleted += [i for i in (replaced or {}).get(name, []) if i not in deleted]
        if len(rows) or deleted:
            out[name] = (rows.reset_index(drop=True), deleted)
    return out
