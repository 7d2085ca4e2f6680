"""The keys of a join: how a table's key cell is compared with a feature's, and its columns found.

Keys match exactly after trimming, full-width/half-width folding (NFKC) and
traditional-to-simplified conversion; a ``name`` key also matches with or without
the ``社区`` suffix (:func:`loose_key`). A table column is found by the field's
own name or a known alias, Chinese or English.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import pandas as pd

from layers.io.importing import FIELD_ALIASES

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


def loose_key(key: str) -> str:
    """Return a normalised ``name`` key without the ``社区`` suffix, for a loose match.

    Parameters
    ----------
    key : str
        From :func:`normalise_key`.

    Returns
    -------
    str
        ``"翠屏社区"`` → ``"翠屏"``; a key that is only the suffix stays as it is.
    """
    return key[: -len(COMMUNITY_SUFFIX)] if key.endswith(COMMUNITY_SUFFIX) and len(
        key) > len(COMMUNITY_SUFFIX) else key


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
