"""What an import did, for the planner to read, and the one-line failure.

:class:`ImportReport` counts what was imported, skipped, repaired and found twice;
each warning is a :class:`Note` the GUI can translate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd


class ImportFailure(Exception):
    """A file that cannot be imported, with a one-line reason."""


class Note(str):
    """One line of a report: English text that remembers its template and values.

    It is a plain ``str`` wherever text is wanted (the command line, logs); the GUI
    translates :attr:`template` and fills in :attr:`values` instead.

    Parameters
    ----------
    template : str
        English text with ``{name}`` fields.
    **values : object
        The fields' values.
    """

    template: str
    values: dict

    def __new__(cls, template: str, **values: object) -> Note:  # noqa: D102
        note = super().__new__(cls, template.format(**values))
        note.template, note.values = template, values
        return note

    def __reduce__(self) -> tuple:  # copy and pickle through the template, not the text
        return _note, (self.template, self.values)


def _note(template: str, values: dict) -> Note:
    return Note(template, **values)


@dataclass
class ImportReport:
    """What an import did, for the planner to read."""

    source: str = ""
    imported: int = 0
    skipped: int = 0
    repaired: int = 0
    duplicates: int = 0
    swapped: int = 0
    encoding: str = ""
    crs: str = ""
    unknown_categories: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: what was filled in from the bundled boundaries, one line ("" for nothing)
    filled: str = ""
    #: per row of the conformed frame, the file's label of a row imported as ``other``
    #: (``""`` when it had none) or None, so :meth:`keep_rows` can recount
    unknown_labels: np.ndarray | None = field(default=None, repr=False)

    def warn(self, template: str, **values: object) -> None:
        """Add a warning line, translatable in the GUI (see :class:`Note`).

        Parameters
        ----------
        template : str
            English text with ``{name}`` fields.
        **values : object
            The fields' values.
        """
        self.warnings.append(Note(template, **values))

    def keep_rows(self, kept: np.ndarray) -> None:
        """Count only the rows that are imported after all, such as the non-duplicates.

        Sets :attr:`imported` and recounts :attr:`unknown_categories` over the kept
        rows, so the report never says a skipped row was imported as ``other``.

        Parameters
        ----------
        kept : ndarray of bool
            One flag per row of the frame from :func:`to_layer_frame`.
        """
        kept = np.asarray(kept, dtype=bool)
        self.imported = int(kept.sum())
        if self.unknown_labels is not None:
            self.unknown_labels = self.unknown_labels[kept]
            self.unknown_categories = label_counts(self.unknown_labels)

    def summary(self, translate: Callable[[str], str] | None = None) -> str:
        """Return the report as a few readable lines.

        Parameters
        ----------
        translate : callable, optional
            Turns an English line template (and each text value) into the
            planner's language; the GUI passes its ``tr``. English without it.

        Returns
        -------
        str
            The summary.
        """
        t = translate or (lambda text: text)
        lines = [t("{source}: imported {imported}, skipped {skipped}, repaired {repaired}, "
                   "duplicates {duplicates}").format(
                     source=self.source, imported=self.imported, skipped=self.skipped,
                     repaired=self.repaired, duplicates=self.duplicates),
                 t("encoding {encoding}, CRS {crs}").format(encoding=self.encoding or "-",
                                                           crs=self.crs or "-")]
        if self.unknown_categories:
            lines.append(t("unknown categories (imported as other): ") + ", ".join(
                f"{k} ×{v}" for k, v in sorted(self.unknown_categories.items())))
        if self.filled:
            lines.append(self.filled)
        for warning in self.warnings:
            if isinstance(warning, Note) and translate is not None:
                values = {k: t(v) if isinstance(v, str) else v
                          for k, v in warning.values.items()}
                warning = t(warning.template).format(**values)
            lines.append(t("warning: {text}").format(text=warning))
        return "\n".join(lines)


def failure(message: str) -> ImportFailure:
    """Return an :class:`ImportFailure` with the first line of a message.

    Parameters
    ----------
    message : str
        The reason; only its first line is kept.

    Returns
    -------
    ImportFailure
        To raise.
    """
    return ImportFailure(message.splitlines()[0] if message else "cannot import the file")


def label_counts(labels: np.ndarray) -> dict[str, int]:
    """Count each unknown label, most frequent first; rows without one as ``(empty)``.

    Parameters
    ----------
    labels : ndarray
        Per row: the label, ``""`` for none, or None for a known category.

    Returns
    -------
    dict
        Label to count.
    """
    counts = pd.Series(labels, dtype=object).dropna().value_counts()
    out = {str(k): int(v) for k, v in counts.items() if k != ""}
    if "" in counts.index:
        out["(empty)"] = int(counts[""])
    return out
