"""Row values as every store writes and compares them."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


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
