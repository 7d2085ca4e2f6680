"""An article's figures about a community: households, residents, built year, elderly share.

The reader finds "3146户，近一万人口" in a sentence about 翠苑一区. After review, the
figure goes into the community's field (a new community's, or the matched project
community's when that field is empty), and the field's provenance goes into the
community's notes with the words the article used, as the bundled data does:
``人口 约10000人（《…》原文“近一万人口”）``. A project value is never overwritten by
an article: a different figure is reported, and the planner edits it by hand if the
article is right.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from layers.articles.extraction import LOW_CONFIDENCE, Fact

#: Fact kinds that are a community field, with the field's label and unit.
FACT_FIELDS: dict[str, tuple[str, str]] = {
    "households": ("户数", "户"),
    "population": ("人口", "人"),
    "built_year": ("建成年份", "年"),
    "elderly_share": ("老龄化率", "%"),
}


@dataclass
class FactChanges:
    """What kept figures do to the project's existing communities.

    Attributes
    ----------
    values : dict
        Feature id to the field values to set, ``notes`` included.
    already : list of str
        Figures the project already holds (same value): nothing to write.
    kept_project : list of str
        Figures the project holds with another value: kept, the article's reported.
    """

    values: dict[str, dict[str, Any]]
    already: list[str]
    kept_project: list[str]

    def summary(self, translate: Callable[[str], str] | None = None) -> str:
        """Return one line for the status bar or terminal.

        Parameters
        ----------
        translate : callable, optional
            Turns an English template into the planner's language (the GUI's ``tr``).

        Returns
        -------
        str
            Empty when there is nothing to say.
        """
        tr = translate or (lambda text: text)
        parts = []
        if self.values:
            parts.append(tr("figures filled in for {n} existing communities").format(
                n=len(self.values)))
        if self.already:
            parts.append(tr("{n} figures already in the project").format(n=len(self.already)))
        if self.kept_project:
            parts.append(tr("{n} figures differ, the project's kept: {which}").format(
                n=len(self.kept_project), which="; ".join(self.kept_project[:4])
                + ("…" if len(self.kept_project) > 4 else "")))
        return " · ".join(parts)


def community_facts(facts: Iterable[Fact], communities: Iterable[str]) -> list[Fact]:
    """Return the facts that fill a field of one of the article's communities.

    One fact per community and field, the first the article states. When the article
    gives two different figures for one field (3146户 … 3200户), each keeps its row
    but is made low confidence, so the review starts them unticked and the planner
    picks.

    Parameters
    ----------
    facts : iterable of Fact
        The extraction's facts.
    communities : iterable of str
        Names of the communities the article proposes.

    Returns
    -------
    list of Fact
        In text order.
    """
    names = set(communities)
    chosen: dict[tuple[str, str], list[Fact]] = {}
    for fact in facts:
        if fact.kind in FACT_FIELDS and fact.community in names \
                and isinstance(fact.value, (int, float)):
            chosen.setdefault((fact.community, fact.kind), []).append(fact)
    out = []
    for group in chosen.values():
        values = {float(f.value) for f in group}
        if len(values) > 1:
            for f in group:
                f.confidence = min(f.confidence, LOW_CONFIDENCE - 0.1)
            seen: set[float] = set()
            for f in group:
                if float(f.value) not in seen:
                    seen.add(float(f.value))
                    out.append(f)
        else:
            out.append(group[0])
    return sorted(out, key=lambda f: f.offsets)


def field_value(kind: str, value: float) -> int | float:
    """Return a figure as its field stores it: counts and years whole, shares as %.

    Parameters
    ----------
    kind : str
        A key of :data:`FACT_FIELDS`.
    value : float
        The figure.

    Returns
    -------
    int or float
    """
    return float(value) if kind == "elderly_share" else int(round(float(value)))


def fact_note(kind: str, value: float, approx: bool, written: str, source: str) -> str:
    """Return the provenance of a figure for a community's notes.

    Parameters
    ----------
    kind : str
        A key of :data:`FACT_FIELDS`.
    value : float
        The figure.
    approx : bool
        The article says it is approximate (约, 近, 余).
    written : str
        The words the article used (``近一万人口``).
    source : str
        The article's label (file name and title).

    Returns
    -------
    str
        For example ``人口 约10000人（翠苑.txt 《…》原文“近一万人口”）``.
    """
    label, unit = FACT_FIELDS[kind]
    shown = f"{field_value(kind, value):g}"
    return f"{label} {'约' if approx else ''}{shown}{unit}（{source} 原文“{written}”）"


def _joined_notes(old: Any, extra: list[str]) -> str:
    text = "" if old is None or (isinstance(old, float) and pd.isna(old)) else str(old).strip()
    return "; ".join([text, *extra] if text else extra)


def fill_new_community(row: dict[str, Any], facts: Iterable[Any], source: str) -> None:
    """Set a new community's fields from its kept figures, with their notes.

    Parameters
    ----------
    row : dict
        The new community's values (``notes`` is appended to).
    facts : iterable
        Kept figures with ``category`` (the fact kind), ``value``, ``approx`` and
        ``written``.
    source : str
        The article's label.
    """
    notes = []
    for fact in facts:
        if fact.category in FACT_FIELDS and row.get(fact.category) is None:
            row[fact.category] = field_value(fact.category, fact.value)
            notes.append(fact_note(fact.category, fact.value, fact.approx, fact.written, source))
    if notes:
        row["notes"] = _joined_notes(row.get("notes"), notes)


def existing_changes(frame: pd.DataFrame, facts: Iterable[Any], source: str) -> FactChanges:
    """Return what kept figures write into communities the project already has.

    Only empty fields are filled; a field with the same value is left as it is, and
    one with another value is kept and reported.

    Parameters
    ----------
    frame : DataFrame
        The project's communities (``id``, ``name``, the fact fields, ``notes``).
    facts : iterable
        Kept figures with ``community`` (the project community's name),
        ``category`` (the fact kind), ``value``, ``approx`` and ``written``.
    source : str
        The article's label.

    Returns
    -------
    FactChanges
    """
    changes = FactChanges({}, [], [])
    rows = {name: i for i, name in enumerate(frame["name"]) if isinstance(name, str)}
    notes: dict[str, list[str]] = {}
    for fact in facts:
        at = rows.get(fact.community)
        if at is None or fact.category not in frame.columns:
            continue
        fid = str(frame["id"].iat[at])
        label, unit = FACT_FIELDS[fact.category]
        new = field_value(fact.category, fact.value)
        old = frame[fact.category].iat[at]
        if old is not None and not pd.isna(old):
            if float(old) == float(new):
                changes.already.append(f"{fact.community} {label}")
            else:
                changes.kept_project.append(
                    f"{fact.community} {label} {float(old):g}{unit} ≠ {new:g}{unit}")
            continue
        changes.values.setdefault(fid, {})[fact.category] = new
        notes.setdefault(fid, []).append(
            fact_note(fact.category, fact.value, fact.approx, fact.written, source))
    ids = {str(v): i for i, v in enumerate(frame["id"])}
    for fid, extra in notes.items():
        old_notes = frame["notes"].iat[ids[fid]] if "notes" in frame.columns else None
        changes.values[fid]["notes"] = _joined_notes(old_notes, extra)
    return changes
