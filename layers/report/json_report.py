"""The report as JSON: exactly the numbers the XLSX and DOCX show, for other tools."""

from __future__ import annotations

import json
import math
from dataclasses import asdict
from pathlib import Path
from typing import Any

from layers.io.atomic import atomic_write_text
from layers.report.model import Report


def report_dict(report: Report) -> dict[str, Any]:
    """Return the report as plain JSON-ready data.

    Every dataclass field is kept under its own name; the per-community list of
    what is missing (:attr:`Report.missing`) is added, and the chart's values
    are listed per tier. Unknown numbers are ``null``, never 0.

    Parameters
    ----------
    report : Report
        The report.

    Returns
    -------
    dict
        The report.
    """
    data = asdict(report)
    data["chart"]["values"] = [{"minutes": t, "values": list(v)}
                               for t, v in report.chart.values.items()]
    data["missing"] = [{"community": name, "categories": labels}
                       for name, labels in report.missing]
    for row, community in zip(data["communities"], report.communities, strict=True):
        row["missing"] = community.missing
    return _finite(data)


def _finite(value: Any) -> Any:
    """NaN and infinity have no JSON: they become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def report_json(report: Report) -> str:
    """Return the report as JSON text (UTF-8, Chinese kept readable).

    Parameters
    ----------
    report : Report
        The report.

    Returns
    -------
    str
        JSON.
    """
    return json.dumps(report_dict(report), ensure_ascii=False, indent=1, allow_nan=False)


def write_json_report(report: Report, path: str | Path) -> Path:
    """Write the report as a JSON file, atomically.

    Parameters
    ----------
    report : Report
        The report.
    path : path-like
        The ``.json`` file.

    Returns
    -------
    Path
        ``path``.
    """
    return atomic_write_text(path, report_json(report) + "\n")
