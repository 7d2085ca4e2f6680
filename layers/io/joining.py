"""Joining a table onto a layer by a key field: QGIS's "join attributes by field value".

A planner has a table of figures per community (population, households from the
street office's spreadsheet) and wants them on the communities layer. The join is
planned first (:func:`plan_join`), which reads nothing into the layer and reports
every row it cannot use; the plan is then applied (:func:`apply_join`) as one step:
one save on the command line, one undo step in the window.

Keys match exactly after trimming, full-width/half-width folding (NFKC) and
traditional-to-simplified conversion; a ``name`` key also matches with or without
the ``社区`` suffix, and such loose matches are reported apart. Numbers are read by
:mod:`layers.model.numbers` (``1.2万`` → 12000, ``八十余户`` → 80, approximate).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from layers.io.archives import ArchiveError, ArchiveLimits
from layers.io.importing import (
    FIELD_ALIASES,
    MAX_BYTES,
    ImportFailure,
    ImportReport,
    read_import,
    read_text_table,
    read_xlsx_table,
)
from layers.model.layer import FeatureLayer
from layers.model.numbers import Quantity, parse_quantity

#: Suffix a community's name may be written with or without.
COMMUNITY_SUFFIX = "社区"
#: Table column names recognised for each field, besides the field's own name.
JOIN_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("名称", "社区名称", "社区", "社区名", "community", "居委会", "村居"),
    "id": ("编号", "id", "fid"),
    "population": ("人口", "常住人口", "人口数", "居民人数", "总人口", "户籍人口"),
    "households": ("户数", "总户数", "居民户数", "住户数", "户"),
    "elderly_share": ("老年人占比", "老年人口占比", "老龄化率", "60岁以上占比"),
    "built_year": ("建成年份", "建成年代", "建成时间"),
}
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


@dataclass(frozen=True)
class Conflict:
    """A value the layer already has that differs from the table's."""

    key: str
    feature: str
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class BadValue:
    """A table cell that is not a valid value for its field (skipped)."""

    row: int
    key: str
    field: str
    text: str
    reason: str


@dataclass
class JoinPlan:
    """What a join would do, for the planner to read before anything changes.

    Attributes
    ----------
    source : str
        The table file's name.
    on : str
        The layer field matched (``name`` or ``id``).
    fields : dict
        Layer field to the table column it is taken from.
    key_column : str
        The table column holding the key.
    encoding : str
        How the table was read.
    rows : int
        Table rows read.
    matched : list of (str, str)
        Table key and the feature name it matched, one per matched row.
    loose : list of (str, str)
        Matches with or without the ``社区`` suffix: table key, feature name.
    not_in_layer : list of str
        Table keys no feature has.
    not_in_table : list of str
        Names of features no table row names.
    duplicates : dict
        Table key repeated in the table to its row count (all those rows skipped).
    ambiguous : dict
        Table key to the names of the several features it matches (skipped).
    empty_keys : int
        Rows without a key (skipped).
    conflicts : list of Conflict
        Values the layer already has, different from the table's.
    invalid : list of BadValue
        Cells that are not valid numbers for an int or float field (skipped).
    approximate : list of (str, str, Quantity)
        Values the table qualifies (``余``, ``约``…): feature name, field, quantity.
    empty_cells : int
        Cells of matched rows with nothing in them (nothing taken).
    unchanged : int
        Values the layer already has, equal to the table's.
    overwrite : bool
        Whether conflicting values are replaced.
    changes : dict
        Feature id to the values to set (``notes`` included, with provenance).
    """

    source: str
    on: str
    fields: dict[str, str]
    key_column: str
    encoding: str = ""
    rows: int = 0
    matched: list[tuple[str, str]] = field(default_factory=list)
    loose: list[tuple[str, str]] = field(default_factory=list)
    not_in_layer: list[str] = field(default_factory=list)
    not_in_table: list[str] = field(default_factory=list)
    duplicates: dict[str, int] = field(default_factory=dict)
    ambiguous: dict[str, list[str]] = field(default_factory=dict)
    empty_keys: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    invalid: list[BadValue] = field(default_factory=list)
    approximate: list[tuple[str, str, Quantity]] = field(default_factory=list)
    empty_cells: int = 0
    unchanged: int = 0
    overwrite: bool = False
    changes: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def values_set(self) -> int:
        """How many field values the join writes (provenance notes not counted)."""
        return sum(len([k for k in v if k != "notes"]) for v in self.changes.values())

    def lines(self, limit: int = 10) -> list[str]:
        """Return the report, one line per kind of outcome, each with its count.

        Parameters
        ----------
        limit : int
            How many keys or values each line lists before ``…``.

        Returns
        -------
        list of str
            Readable lines; a kind with nothing in it still gets its line with 0.
        """
        def some(items: list[str]) -> str:
            shown = ", ".join(items[:limit]) + (", …" if len(items) > limit else "")
            return f": {shown}" if items else ""

        taken = ", ".join(f"{f} ← {c}" for f, c in self.fields.items())
        kept = "overwritten" if self.overwrite else "kept; --overwrite replaces them"
        lines = [
            f"{self.source}: {self.rows} rows (encoding {self.encoding or '-'}), key "
            f"{self.on} ← {self.key_column}; fields {taken}",
            f"matched rows: {len(self.matched)}",
            f"loose matches (with or without {COMMUNITY_SUFFIX}): {len(self.loose)}"
            + some([f"{k} → {n}" for k, n in self.loose]),
            f"table keys not in the layer: {len(self.not_in_layer)}" + some(self.not_in_layer),
            f"layer features not in the table: {len(self.not_in_table)}"
            + some(self.not_in_table),
            f"duplicate keys in the table (skipped): {len(self.duplicates)}"
            + some([f"{k} ×{n}" for k, n in self.duplicates.items()]),
            f"keys matching several features (skipped): {len(self.ambiguous)}"
            + some([f"{k} → {' / '.join(v)}" for k, v in self.ambiguous.items()]),
            f"rows without a key (skipped): {self.empty_keys}",
            f"conflicting values ({kept}): {len(self.conflicts)}"
            + some([f"{c.feature}.{c.field} {_show(c.old)} ≠ {_show(c.new)}"
                    for c in self.conflicts]),
            f"invalid numbers (skipped): {len(self.invalid)}"
            + some([f"row {b.row} {b.key}.{b.field} {b.text!r} ({b.reason})"
                    for b in self.invalid]),
            f"approximate values (noted 约 in notes): {len(self.approximate)}"
            + some([f"{n}.{f} {q.text}" for n, f, q in self.approximate]),
            f"empty cells (nothing taken): {self.empty_cells}",
            f"values already the same: {self.unchanged}",
            f"values to set: {self.values_set} on {len(self.changes)} features",
        ]
        return lines

    def as_json(self) -> dict[str, Any]:
        """Return the report as plain data for ``--format json``.

        Returns
        -------
        dict
            Counts and the listed keys and values.
        """
        return {
            "source": self.source, "on": self.on, "key_column": self.key_column,
            "fields": dict(self.fields), "encoding": self.encoding, "rows": self.rows,
            "overwrite": self.overwrite,
            "matched": [{"key": k, "feature": n} for k, n in self.matched],
            "loose": [{"key": k, "feature": n} for k, n in self.loose],
            "not_in_layer": list(self.not_in_layer),
            "not_in_table": list(self.not_in_table),
            "duplicates": dict(self.duplicates),
            "ambiguous": {k: list(v) for k, v in self.ambiguous.items()},
            "empty_keys": self.empty_keys,
            "conflicts": [{"key": c.key, "feature": c.feature, "field": c.field,
                           "old": _plain(c.old), "new": _plain(c.new)} for c in self.conflicts],
            "invalid": [{"row": b.row, "key": b.key, "field": b.field, "text": b.text,
                         "reason": b.reason} for b in self.invalid],
            "approximate": [{"feature": n, "field": f, "text": q.text, "value": _plain(q.value)}
                            for n, f, q in self.approximate],
            "empty_cells": self.empty_cells,
            "unchanged": self.unchanged,
            "values_set": self.values_set,
            "features_changed": len(self.changes),
        }


def _show(value: Any) -> str:
    value = _plain(value)
    return str(value) if not isinstance(value, str) else repr(value)


def _plain(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if hasattr(value, "item"):  # numpy scalars
        return _plain(value.item())
    return value


_OPENCC = None


def normalise_key(text: Any) -> str:
    """Return a key as it is compared: trimmed, half-width, simplified, inner spaces gone.

    Parameters
    ----------
    text : object
        A cell or field value.

    Returns
    -------
    str
        E.g. ``" 翠屏社區 "`` → ``"翠屏社区"``, ``"ＡＢ１"`` → ``"AB1"``; ``""`` for empty.
    """
    global _OPENCC
    if text is None or (isinstance(text, float) and text != text) or text is pd.NA:
        return ""
    folded = unicodedata.normalize("NFKC", str(text))
    folded = re.sub(r"\s+", "", folded)
    if not folded:
        return ""
    if not folded.isascii():
        if _OPENCC is None:
            import opencc

            _OPENCC = opencc.OpenCC("t2s")
        folded = _OPENCC.convert(folded)
    return folded


def _loose(key: str) -> str:
    return key[: -len(COMMUNITY_SUFFIX)] if key.endswith(COMMUNITY_SUFFIX) and len(
        key) > len(COMMUNITY_SUFFIX) else key


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


def find_column(columns: list[str], wanted: str) -> str | None:
    """Return the table column for a layer field: its own name, or a known alias.

    Parameters
    ----------
    columns : list of str
        The table's columns.
    wanted : str
        A layer field, such as ``"population"``.

    Returns
    -------
    str or None
        The column, or None when none fits.
    """
    norm = {normalise_key(c).lower(): c for c in columns}
    for alias in (wanted, *JOIN_ALIASES.get(wanted, ()), *FIELD_ALIASES.get(wanted, ())):
        hit = norm.get(normalise_key(alias).lower())
        if hit is not None:
            return hit
    return None


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
                loose[_loose(key)].append(row)

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
            hits, is_loose = loose.get(_loose(key), []), True
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
                plan.conflicts.append(Conflict(shown, names[target], name, _plain(old), value))
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
