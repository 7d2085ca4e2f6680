"""The report of a join: what it would take, skip and change, for the planner to read first."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from layers.io.join_keys import COMMUNITY_SUFFIX
from layers.model.numbers import Quantity


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
                           "old": plain_value(c.old), "new": plain_value(c.new)}
                          for c in self.conflicts],
            "invalid": [{"row": b.row, "key": b.key, "field": b.field, "text": b.text,
                         "reason": b.reason} for b in self.invalid],
            "approximate": [{"feature": n, "field": f, "text": q.text,
                             "value": plain_value(q.value)} for n, f, q in self.approximate],
            "empty_cells": self.empty_cells,
            "unchanged": self.unchanged,
            "values_set": self.values_set,
            "features_changed": len(self.changes),
        }


def _show(value: Any) -> str:
    value = plain_value(value)
    return str(value) if not isinstance(value, str) else repr(value)


def plain_value(value: Any) -> Any:
    """Return a value as plain Python: a whole float as int, a numpy scalar unwrapped.

    Parameters
    ----------
    value : object
        A cell or field value.

    Returns
    -------
    object
        The same value, as JSON writes it and the report shows it.
    """
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if hasattr(value, "item"):  # numpy scalars
        return plain_value(value.item())
    return value
