"""Text cells that a spreadsheet opens as text, never as a formula.

Excel, WPS and LibreOffice run a CSV or XLSX cell that begins with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return as a formula (CSV injection). Following
OWASP's guidance, such a text cell gets a leading single quote, which the
spreadsheet shows as text. Numbers are written as numbers and left alone.

Every CSV the app writes is made by :func:`csv_text` and saved with
:data:`CSV_ENCODING`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Excel and WPS read a CSV without a byte-order mark in the system's code page (GBK on
#: a Chinese Windows), so UTF-8 Chinese names would open garbled.
CSV_ENCODING = "utf-8-sig"


def safe_cell(text: str) -> str:
    """Return ``text`` so that a spreadsheet cannot read it as a formula.

    Parameters
    ----------
    text : str
        A text value from the planner's data, such as a community name.

    Returns
    -------
    str
        ``text`` unchanged, or with a leading ``'`` when it would start a formula.
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    """Return rows as CSV text in which no cell can run as a formula.

    Every text cell, the header included, goes through :func:`safe_cell`; numbers
    (int, float) and None (an empty cell) are written as they are.

    Parameters
    ----------
    rows : iterable of sequences
        The header and the rows.

    Returns
    -------
    str
        CSV text; save it with :data:`CSV_ENCODING`.
    """
    buf = io.StringIO()
    writer = csv.writer(buf)
    for row in rows:
        writer.writerow([safe_cell(c) if isinstance(c, str) else c for c in row])
    return buf.getvalue()
