"""Text cells that a spreadsheet opens as text, never as a formula.

Excel, WPS and LibreOffice run a CSV or XLSX cell that begins with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return as a formula (CSV injection). Following
OWASP's guidance, such a text cell gets a leading single quote, which the
spreadsheet shows as text. Numbers are written as numbers and left alone.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
