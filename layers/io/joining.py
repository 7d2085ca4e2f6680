"""Joining a table onto a layer by a key field: QGIS's "join attributes by field value".

A planner has a table of figures per community (population, households from the
street office's spreadsheet) and wants them on the communities layer. The join is
planned first (:func:`plan_join`), which reads nothing into the layer and reports
every row it cannot use; the plan is then applied (:func:`apply_join`) as one step:
one save on the command line, one undo step in the window.

Keys are compared as :mod:`layers.io.join_keys` says, and the plan is read as
:mod:`layers.io.join_report` reports it. Numbers are read by
:mod:`layers.model.numbers` (``1.2万`` → 12000, ``八十余户`` → 80, approximate).
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from pathlib import Path
from typing import Any

import pandas as pd

from layers.io.archives import ArchiveError, ArchiveLimits
from layers.io.importing import (
    MAX_BYTES,
    ImportFailure,
    ImportReport,
    read_import,
    read_text_table,
    read_xlsx_table,
)
from layers.io.join_keys import JOIN_ALIASES, find_column, loose_key, normalise_key
from layers.io.join_report import BadValue, Conflict, JoinPlan, plain_value
from layers.model.layer import FeatureLayer
from layers.model.numbers import Quantity, parse_quantity

#: Units a numeric field's cell may carry (``"3000户"`` fits households, not population).
FIELD_UNITS: dict[str, tuple[str, ...]] = {
    "population": ("人",),
    "households": ("户",),
    "elderly_share": ("%",),
}
#: Fields a join never writes: the key of the feature, and the provenance it appends to.
NOT_JOINABLE = frozenset({"id", "geometry", "notes"})


class JoinError(Exception):
    """A join that cannot be planned, with a one-line reason."""


def read_table(path: str | os.PathLike, encoding: str | None = None,
               source_layer: str | None = None) -> tuple[pd.DataFrame, str]:
    """Read a table of text cells: CSV/TXT/TSV, XLSX, or any file the importer reads.

    The readers are the importer's (encoding detection, zip checks); a geodata
    file's geometry is ignored.

    Parameters
    ----------
    path : path-like
        The table.
    encoding : str, optional
        Force a text encoding.
    source_layer : str, optional
        Layer of a GeoPackage.

    Returns
    -------
    (DataFrame, str)
        Cells as text (``""`` for empty) with trimmed column names, and how the
        file was read (its encoding).

    Raises
    ------
    JoinError
        With a one-line reason.
    """
    path = Path(path)
    report = ImportReport(source=path.name)
    if not path.is_file():
        raise JoinError(f"file not found: {path}")
    size = path.stat().st_size
    if size == 0:
        raise JoinError(f"{path.name} is empty")
    if size > MAX_BYTES:
        raise JoinError(f"{path.name} is too large ({size // 1_000_000} MB)")
    with open(path, "rb") as fh:
        head = fh.read(4096)
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".txt", ".tsv"):
            table = read_text_table(path, head, encoding, report)
        elif suffix in (".xlsx", ".xlsm"):
            table = read_xlsx_table(path, head, report, ArchiveLimits.from_options(None, None))
        elif suffix == ".xls":
            raise JoinError("old Excel .xls files are not supported: save as .xlsx or CSV")
        else:
            raw, report = read_import(path, encoding=encoding, source_layer=source_layer)
            table = pd.DataFrame(raw.drop(columns=raw.geometry.name)).astype(object)
            table = table.where(table.notna(), "").astype(str)
    except ImportFailure as exc:
        raise JoinError(str(exc)) from None
    except ArchiveError as exc:
        raise JoinError(str(exc)) from None
    table.columns = [str(c).strip().lstrip("\ufeff") for c in table.columns]
    if table.empty:
        raise JoinError(f"{path.name} has a header but no rows")
    if report.warnings:
        report.encoding += "; " + "; ".join(report.warnings)
    return table, report.encoding


def parse_fields(spec: str | list[str]) -> dict[str, str | None]:
    """Parse ``--fields``: ``"population,households"`` or ``"population=常住人口"``.

    Parameters
    ----------
    spec : str or list of str
        Comma-separated fields, each optionally ``FIELD=COLUMN``.

    Returns
    -------
    dict
        Layer field to the table column named, or None to find it by name.
    """
    items = spec if isinstance(spec, list) else [spec]
    out: dict[str, str | None] = {}
    for item in items:
        for part in str(item).split(","):
            part = part.strip()
            if not part:
                continue
            name, _, column = part.partition("=")
            out[name.strip()] = column.strip() or None
    return out


def plan_join(table: pd.DataFrame, layer: FeatureLayer, on: str,
              fields: dict[str, str | None], source: str, encoding: str = "",
              key_column: str | None = None, overwrite: bool = False,
              today: dt.date | None = None) -> JoinPlan:
    """Plan joining ``table`` onto ``layer``; the layer is not changed.

    Parameters
    ----------
    table : DataFrame
        Text cells, e.g. from :func:`read_table`.
    layer : FeatureLayer
        The layer to fill, e.g. communities.
    on : str
        The layer field to match: ``"name"`` or ``"id"``.
    fields : dict
        Layer field to the table column (None: found by name or alias).
    source : str
        The table's file name, for the report and the provenance note.
    encoding : str
        How the table was read, for the report.
    key_column : str, optional
        The table column holding the key; found from ``on`` when omitted.
    overwrite : bool
        Replace values the layer already has when the table's differ.
    today : datetime.date, optional
        The date written into the provenance note (today by default).

    Returns
    -------
    JoinPlan
        The report and the changes to apply.

    Raises
    ------
    JoinError
        For an unknown field or a column the table lacks.
    """
    columns = list(table.columns)
    if on not in layer.frame.columns:
        raise JoinError(f"layer {layer.name} has no field {on!r}")
    if key_column is None:
        key_column = find_column(columns, on)
        if key_column is None:
            raise JoinError(f"{source} has no column for {on} (looked for {on}, "
                            f"{', '.join(JOIN_ALIASES.get(on, ()))}); name it with --table-key")
    elif key_column not in columns:
        raise JoinError(f"{source} has no column {key_column!r}")
    if not fields:
        raise JoinError("name the fields to take, e.g. --fields population,households")
    kinds = layer.schema.fields if layer.schema else {}
    mapping: dict[str, str] = {}
    for name, column in fields.items():
        if name in NOT_JOINABLE or name == on:
            raise JoinError(f"field {name} cannot be joined")
        if name not in layer.frame.columns:
            raise JoinError(f"layer {layer.name} has no field {name!r}")
        found = column if column is not None else find_column(
            [c for c in columns if c != key_column], name)
        if found is None or found not in columns:
            raise JoinError(f"{source} has no column {column or name!r}"
                            + ("" if column else f" (name it as {name}=COLUMN)"))
        mapping[name] = found
    plan = JoinPlan(source=source, on=on, fields=mapping, key_column=key_column,
                    encoding=encoding, rows=len(table), overwrite=overwrite)

    frame = layer.frame
    ids = frame["id"].astype(str).tolist()
    names = frame["name"].astype(str).tolist() if "name" in frame.columns else ids
    exact: dict[str, list[int]] = defaultdict(list)
    loose: dict[str, list[int]] = defaultdict(list)
    for row, value in enumerate(frame[on].tolist()):
        key = normalise_key(value)
        if key:
            exact[key].append(row)
            if on == "name":
                loose[loose_key(key)].append(row)

    keys = [normalise_key(v) for v in table[key_column].tolist()]
    counts = pd.Series([k for k in keys if k], dtype=object).value_counts()
    plan.duplicates = {_first_spelling(table, key_column, keys, k): int(n)
                       for k, n in counts.items() if n > 1}
    duplicated = {k for k, n in counts.items() if n > 1}
    matched_rows: set[int] = set()
    when = (today or dt.date.today()).isoformat()
    for row, key in enumerate(keys):
        shown = str(table[key_column].iat[row]).strip()
        if not key:
            plan.empty_keys += 1
            continue
        hits, is_loose = exact.get(key, []), False
        if not hits and on == "name":
            hits, is_loose = loose.get(loose_key(key), []), True
        if key in duplicated:
            matched_rows.update(hits)  # named by the table, skipped as a duplicate
            continue
        if not hits:
            plan.not_in_layer.append(shown)
            continue
        if len(hits) > 1:
            plan.ambiguous[shown] = [names[h] for h in hits]
            matched_rows.update(hits)  # named by the table, even if not filled
            continue
        target = hits[0]
        matched_rows.add(target)
        plan.matched.append((shown, names[target]))
        if is_loose:
            plan.loose.append((shown, names[target]))
        values: dict[str, Any] = {}
        approx: list[str] = []
        for name, column in mapping.items():
            text = str(table[column].iat[row]).strip()
            if not text:
                plan.empty_cells += 1
                continue
            kind = kinds.get(name, "str")
            if kind == "str":
                value: Any = text
            else:
                value, quantity, reason = _number(text, name, kind)
                if reason:
                    plan.invalid.append(BadValue(row + 2, shown, name, text, reason))
                    continue
                if quantity.approximate:
                    plan.approximate.append((names[target], name, quantity))
                    approx.append(f"{name} {quantity.describe()}（表中“{quantity.text}”）")
            old = frame[name].iat[target]
            if not _empty(old):
                if _same(old, value, kind):
                    plan.unchanged += 1
                    continue
                plan.conflicts.append(Conflict(shown, names[target], name, plain_value(old), value))
                if not overwrite:
                    continue
            values[name] = value
        if values:
            note = (f"{', '.join(values)} from {source} (joined {when}"
                    + (f"; {'; '.join(approx)}" if approx else "") + ")")
            old_notes = frame["notes"].iat[target] if "notes" in frame.columns else None
            old_text = "" if _empty(old_notes) else str(old_notes).strip()
            if "notes" in frame.columns:
                values["notes"] = f"{old_text}; {note}" if old_text else note
            plan.changes[ids[target]] = values
    plan.not_in_table = [names[r] for r in range(len(frame)) if r not in matched_rows]
    return plan


def _first_spelling(table: pd.DataFrame, column: str, keys: list[str], key: str) -> str:
    return str(table[column].iat[keys.index(key)]).strip()


def _empty(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and not value.strip()


def _same(old: Any, new: Any, kind: str) -> bool:
    if kind == "str":
        return str(old).strip() == str(new).strip()
    try:
        return abs(float(old) - float(new)) < 1e-9
    except (TypeError, ValueError):
        return False


def _number(text: str, name: str, kind: str) -> tuple[Any, Quantity | None, str]:
    """Read a cell for an int or float field: (value, quantity, reason it is invalid)."""
    quantity = parse_quantity(text)
    if quantity is None:
        return None, None, "not a number"
    allowed = FIELD_UNITS.get(name)
    if quantity.unit and allowed is not None and quantity.unit not in allowed:
        return None, None, f"unit {quantity.unit} does not fit {name}"
    if kind == "int":
        if quantity.whole is None:
            return None, None, "not a whole number"
        return quantity.whole, quantity, ""
    return float(quantity.value), quantity, ""


def apply_join(layer: FeatureLayer, plan: JoinPlan) -> dict[str, dict[str, Any]]:
    """Write a plan's values into the layer (``update_attributes`` per feature).

    Parameters
    ----------
    layer : FeatureLayer
        The layer planned against.
    plan : JoinPlan
        From :func:`plan_join`.

    Returns
    -------
    dict
        Feature id to its previous values of the changed fields, for undo.
    """
    old: dict[str, dict[str, Any]] = {}
    for fid, values in plan.changes.items():
        old[fid] = layer.update_attributes(fid, values)
    return old
