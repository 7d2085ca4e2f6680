"""Reading tables (CSV, TXT, TSV, XLSX) of points with longitude/latitude columns.

Cells are read as text (the encoding and delimiter detected); the coordinate columns
are found by name (:data:`LON_NAMES`, :data:`LAT_NAMES`) unless the planner names them.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from layers.io.archives import ArchiveLimits, check_zip
from layers.io.import_coordinates import from_crs, lonlat_frame
from layers.io.import_report import ImportReport, failure
from layers.io.text_files import TextFileError, decode_text, strip_nul

LON_NAMES = ("lon", "lng", "long", "longitude", "x", "经度", "东经")


LAT_NAMES = ("lat", "latitude", "y", "纬度", "北纬")


def read_text_points(path: Path, head: bytes, encoding: str | None, report: ImportReport,
                     lon_col: str | None, lat_col: str | None, crs: str | None
                     ) -> gpd.GeoDataFrame:
    """Read a CSV/TXT/TSV table of points.

    Parameters
    ----------
    path : Path
        The file.
    head : bytes
        Its first bytes.
    encoding : str or None
        Force an encoding.
    report : ImportReport
        Gets the encoding, skips and repairs.
    lon_col, lat_col : str or None
        Coordinate columns; found by name when None.
    crs : str or None
        CRS of the coordinates; lon/lat when None.

    Returns
    -------
    GeoDataFrame
        Points in EPSG:4326.
    """
    table = read_text_table(path, head, encoding, report)
    return _points_from_table(table, path.name, report, lon_col, lat_col, crs)


def read_text_table(path: Path, head: bytes, encoding: str | None,
                    report: ImportReport) -> pd.DataFrame:
    """Read a CSV/TXT/TSV table as text cells, detecting its encoding and delimiter.

    Parameters
    ----------
    path : Path
        The file.
    head : bytes
        Its first bytes (to refuse a web page saved as text).
    encoding : str or None
        Force an encoding; detected (UTF-8, UTF-8 with BOM, GBK/GB18030) when None.
    report : ImportReport
        Gets the encoding and any NUL characters removed.

    Returns
    -------
    pandas.DataFrame
        Every cell as text (``""`` for an empty one).

    Raises
    ------
    ImportFailure
        With a one-line reason.
    """
    lowered = head.lstrip()[:200].lower()
    if lowered.startswith((b"<!doctype", b"<html", b"<?xml", b"<head", b"<body")):
        raise failure(f"{path.name} is a web page saved as text, not a table")
    try:
        text, report.encoding = decode_text(path.read_bytes(), encoding)
    except TextFileError as exc:
        raise failure(f"{path.name}: {exc}") from None
    text, nul_lines = strip_nul(text)
    if nul_lines:  # a NUL would cut the name short where it is stored
        lines = sorted(set(nul_lines))
        where = ", ".join(map(str, lines[:5])) + (", …" if len(lines) > 5 else "")
        report.repaired += len(lines)
        chars = "1 NUL character" if len(nul_lines) == 1 else "{n} NUL characters"
        report.warn(chars + (" removed (line {where})" if len(lines) == 1
                             else " removed (lines {where})"), n=len(nul_lines), where=where)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        sep = dialect.delimiter
    except csv.Error:
        sep = "\t" if sample.count("\t") > sample.count(",") else ","
    try:
        table = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                            skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise failure(f"{path.name} is not a readable table: {exc}") from None
    return table


def read_xlsx_points(path: Path, head: bytes, report: ImportReport, lon_col: str | None,
                     lat_col: str | None, crs: str | None, limits: ArchiveLimits
                     ) -> gpd.GeoDataFrame:
    """Read the first sheet of an XLSX file as points.

    Parameters
    ----------
    path : Path
        The file.
    head : bytes
        Its first bytes.
    report : ImportReport
        Gets skips and repairs.
    lon_col, lat_col : str or None
        Coordinate columns; found by name when None.
    crs : str or None
        CRS of the coordinates; lon/lat when None.
    limits : ArchiveLimits
        Zip limits checked before anything is unpacked.

    Returns
    -------
    GeoDataFrame
        Points in EPSG:4326.
    """
    table = read_xlsx_table(path, head, report, limits)
    return _points_from_table(table, path.name, report, lon_col, lat_col, crs)


def read_xlsx_table(path: Path, head: bytes, report: ImportReport,
                    limits: ArchiveLimits) -> pd.DataFrame:
    """Read the first sheet of an XLSX file as text cells, after checking its zip.

    Parameters
    ----------
    path : Path
        The file.
    head : bytes
        Its first bytes.
    report : ImportReport
        Gets ``encoding = "xlsx"``.
    limits : ArchiveLimits
        Zip limits checked before anything is unpacked.

    Returns
    -------
    pandas.DataFrame
        Every cell as text (``""`` for an empty one).

    Raises
    ------
    ImportFailure
        With a one-line reason.
    """
    if not head.startswith(b"PK"):
        raise failure(f"{path.name} is not a real Excel file (no XLSX zip inside)")
    check_zip(path, limits)
    try:
        table = pd.read_excel(path, dtype=str, engine="openpyxl").fillna("")
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise failure(f"{path.name} is a broken Excel file: {exc}") from None
    report.encoding = "xlsx"
    return table


def _find_column(columns: list[str], wanted: str | None, names: tuple[str, ...],
                 what: str, source: str) -> str:
    if wanted:
        if wanted not in columns:
            raise failure(f"{source} has no column {wanted!r}")
        return wanted
    norm = {re.sub(r"[\s_()（）°]", "", str(c)).lower(): c for c in columns}
    for name in names:
        if name in norm:
            return norm[name]
    raise failure(f"{source} has no {what} column (looked for {', '.join(names)}); "
                  f"name it with --lon-col/--lat-col")


def _points_from_table(table: pd.DataFrame, source: str, report: ImportReport,
                       lon_col: str | None, lat_col: str | None,
                       crs: str | None) -> gpd.GeoDataFrame:
    table.columns = [str(c).strip().lstrip("\ufeff") for c in table.columns]
    if table.empty:
        raise failure(f"{source} has a header but no rows")
    cols = list(table.columns)
    lon_name = _find_column(cols, lon_col, LON_NAMES, "longitude", source)
    lat_name = _find_column(cols, lat_col, LAT_NAMES, "latitude", source)
    x = pd.to_numeric(table[lon_name].str.strip(), errors="coerce").to_numpy(dtype=float)
    y = pd.to_numeric(table[lat_name].str.strip(), errors="coerce").to_numpy(dtype=float)
    bad = ~(np.isfinite(x) & np.isfinite(y))
    if bad.all():
        raise failure(f"{source}: no row has numbers in {lon_name!r} and {lat_name!r}")
    if bad.any():
        report.skipped += int(bad.sum())
        report.warn("{n} rows without numeric coordinates skipped", n=int(bad.sum()))
    table = table[~bad].reset_index(drop=True)
    x, y = x[~bad], y[~bad]
    if crs:
        frame = from_crs(table, x, y, crs, source, report)
    else:
        frame = lonlat_frame(table, x, y, source, report)
    return frame
