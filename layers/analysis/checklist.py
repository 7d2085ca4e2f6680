"""The 完整社区 checklist: which categories each community needs within which walk."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import tomllib

from layers.io.text_files import TextFileError, decode_text
from layers.model.categories import get_category, is_category, recognise_category
from layers.resources import data_path

DEFAULT_CHECKLIST = data_path("checklist.toml")


class ChecklistError(ValueError):
    """A checklist file that cannot be used, with a one-line reason."""


@dataclass(frozen=True)
class ChecklistItem:
    """One required category and its walk time."""

    category: str
    minutes: float
    label: str = ""

    @property
    def title(self) -> str:
        """Label for tables: the checklist's own or the category's Chinese label."""
        return self.label or get_category(self.category).label_zh


@dataclass(frozen=True)
class Checklist:
    """A named list of checklist items."""

    name: str
    items: tuple[ChecklistItem, ...] = field(default_factory=tuple)

    def with_minutes(self, minutes: float | None) -> Checklist:
        """Return the checklist with every item's walk time set to ``minutes``.

        Parameters
        ----------
        minutes : float or None
            New walk time; None keeps each item's own.

        Returns
        -------
        Checklist
            A new checklist.
        """
        if minutes is None:
            return self
        return Checklist(self.name, tuple(ChecklistItem(i.category, float(minutes), i.label)
                                          for i in self.items))


def load_checklist(path: Path | None = None) -> Checklist:
    """Read a checklist TOML file.

    Parameters
    ----------
    path : Path, optional
        The file; defaults to ``data/checklist.toml``.

    Returns
    -------
    Checklist
        The checklist.

    Raises
    ------
    ChecklistError
        For an unreadable file, an unknown category or a bad walk time.
    """
    path = Path(path or DEFAULT_CHECKLIST)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ChecklistError(f"cannot read checklist {path.name}: {exc.strerror or exc}") from None
    if len(data) > 1_000_000:
        raise ChecklistError(f"checklist {path.name} is too large to be a checklist")
    try:
        text, _ = decode_text(data)  # UTF-8, with or without BOM, or GBK/GB18030
        spec = tomllib.loads(text)
    except TextFileError as exc:
        raise ChecklistError(f"cannot read checklist {path.name}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ChecklistError(f"checklist {path.name} is not valid TOML: {exc}") from None
    raw_items = spec.get("items", [])
    if not isinstance(raw_items, list) or not all(isinstance(r, dict) for r in raw_items):
        raise ChecklistError(f"checklist {path.name}: write each item as an [[items]] table")
    items = []
    seen: set[str] = set()
    for raw in raw_items:
        given = str(raw.get("category", "")).strip()
        category = given if is_category(given) else recognise_category(given)
        if not given or category is None:
            raise ChecklistError(f"checklist {path.name}: unknown category {given!r}")
        if category in seen:
            raise ChecklistError(f"checklist {path.name}: {category} is listed twice")
        seen.add(category)
        minutes = raw.get("minutes", 10)
        if isinstance(minutes, bool) or not isinstance(minutes, int | float):
            raise ChecklistError(f"checklist {path.name}: minutes for {category} must be a "
                                 f"number, not {minutes!r}")
        if not math.isfinite(minutes) or not 0 < minutes <= 120:
            raise ChecklistError(f"checklist {path.name}: minutes for {category} must be "
                                 "between 0 and 120")
        items.append(ChecklistItem(category, float(minutes), str(raw.get("label", ""))))
    if not items:
        raise ChecklistError(f"checklist {path.name} has no items")
    return Checklist(str(spec.get("name", path.stem)), tuple(items))
