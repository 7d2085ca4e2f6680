"""Importing planners' own files: good data is easy, bad data is refused in one line.

Every reader either returns features in EPSG:4326 with an :class:`ImportReport`,
or raises :class:`ImportFailure` with a one-line reason. Nothing is written to the
project here; callers add the features in one step (one undo step in the GUI, one
atomic save on the command line), so an import completes whole or changes nothing.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from layers.geo.gcj02 import gcj02_to_wgs84, in_china
from layers.io.archives import ArchiveError, ArchiveLimits, check_zip
from layers.io.coordinates import looks_like, swapped_mask
from layers.io.text_files import TextFileError, decode_text, strip_nul
from layers.model.categories import category_for_label, recognise_category
from layers.model.schema import STORAGE_CRS

MAX_BYTES = 500_000_000
LON_NAMES = ("lon", "lng", "long", "longitude", "x", "经度", "东经")
LAT_NAMES = ("lat", "latitude", "y", "纬度", "北纬")
#: Source column names recognised for each target field, lower-case.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "名称", "设施名称", "名字", "站点名称", "社区名称", "title"),
    "category": ("category", "类别", "类型", "设施类型", "type", "kind", "分类"),
    "community": ("community", "社区", "所属社区", "所在社区"),
    "address": ("address", "地址", "详细地址", "位置"),
    "opened": ("opened", "启用时间", "开放时间", "建成时间", "date"),
    "description": ("description", "说明", "描述", "简介", "备注说明"),
    "source": ("source", "来源", "数据来源"),
    "notes": ("notes", "备注", "note"),
    "street": ("street", "街道"),
    "district": ("district", "区", "区县", "县区"),
    "city": ("city", "城市", "市"),
    "households": ("households", "户数"),
    "kind": ("kind", "highway", "fclass", "道路等级", "道路类型"),
    "population": ("population", "人口"),
    "location_precision": ("location_precision", "位置精度"),
}


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
            self.unknown_categories = _label_counts(self.unknown_labels)

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


def _fail(message: str) -> ImportFailure:
    return ImportFailure(message.splitlines()[0] if message else "cannot import the file")


# ----- reading ---------------------------------------------------------------
def read_import(path: str | os.PathLike, encoding: str | None = None, crs: str | None = None,
                gcj02: bool = False, lon_col: str | None = None, lat_col: str | None = None,
                source_layer: str | None = None, max_uncompressed_mb: float | None = None,
                max_zip_ratio: float | None = None
                ) -> tuple[gpd.GeoDataFrame, ImportReport]:
    """Read a planner's file into raw features in EPSG:4326.

    Zip-based files (XLSX, a zipped shapefile, KMZ) are checked against the
    limits of :mod:`layers.io.archives` before anything is unpacked. Coordinates
    that do not fit the file's CRS are refused, saying which CRS they look like;
    longitude and latitude swapped are repaired and reported.

    Parameters
    ----------
    path : path-like
        CSV, XLSX, GeoJSON, GeoPackage, Shapefile (or a ``.zip`` of one), KML or KMZ,
        or an OpenStreetMap extract (``.osm``, ``.pbf``; its ``lines`` layer unless told).
    encoding : str, optional
        Text encoding; detected (UTF-8, UTF-8 with BOM, GBK/GB18030) when omitted.
    crs : str, optional
        CRS of the coordinates, e.g. ``"EPSG:4547"``: for a file without one, or
        instead of the one the file declares (reported when they differ).
    gcj02 : bool
        The coordinates are GCJ-02 (AMap, Tencent): convert them to WGS-84.
    lon_col, lat_col : str, optional
        Coordinate columns of a table.
    source_layer : str, optional
        Layer of a GeoPackage; a table, never an SQL view.
    max_uncompressed_mb, max_zip_ratio : float, optional
        Raise (or lower) the zip limits :data:`~layers.io.archives.MAX_UNCOMPRESSED_MB`
        and :data:`~layers.io.archives.MAX_ZIP_RATIO`.

    Returns
    -------
    (GeoDataFrame, ImportReport)
        Features (all source columns kept) and the report.

    Raises
    ------
    ImportFailure
        With a one-line reason.
    """
    path = Path(path)
    report = ImportReport(source=path.name)
    if not path.exists():
        raise _fail(f"file not found: {path}")
    if path.is_dir():
        shp = sorted(path.glob("*.shp"))
        if not shp:
            raise _fail(f"folder {path.name} holds no shapefile")
        path = shp[0]
    size = path.stat().st_size
    if size == 0:
        raise _fail(f"{path.name} is empty")
    if size > MAX_BYTES:
        raise _fail(f"{path.name} is too large ({size // 1_000_000} MB)")
    with open(path, "rb") as fh:
        head = fh.read(4096)
    suffix = path.suffix.lower()
    limits = ArchiveLimits.from_options(max_uncompressed_mb, max_zip_ratio)
    try:
        if suffix in (".csv", ".txt", ".tsv"):
            frame = _read_table_text(path, head, encoding, report, lon_col, lat_col, crs)
        elif suffix in (".xlsx", ".xlsm"):
            frame = _read_xlsx(path, head, report, lon_col, lat_col, crs, limits)
        elif suffix == ".xls":
            raise _fail("old Excel .xls files are not supported: save as .xlsx or CSV")
        else:
            frame = _read_vector(path, head, suffix, report, source_layer, encoding, crs,
                                 limits)
    except ImportFailure:
        raise
    except ArchiveError as exc:
        raise _fail(str(exc)) from None
    except (RecursionError, MemoryError):
        raise _fail(f"{path.name} is nested or sized beyond what can be read") from None
    except Exception as exc:  # noqa: BLE001 - any reader failure becomes one line
        raise _fail(f"cannot read {path.name}: {exc}") from None
    frame = _clean_geometry(frame, report)
    if gcj02:
        frame = _from_gcj02(frame, report)
    return frame, report


def _read_table_text(path: Path, head: bytes, encoding: str | None, report: ImportReport,
                     lon_col: str | None, lat_col: str | None, crs: str | None
                     ) -> gpd.GeoDataFrame:
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
        raise _fail(f"{path.name} is a web page saved as text, not a table")
    try:
        text, report.encoding = decode_text(path.read_bytes(), encoding)
    except TextFileError as exc:
        raise _fail(f"{path.name}: {exc}") from None
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
        raise _fail(f"{path.name} is not a readable table: {exc}") from None
    return table


def _read_xlsx(path: Path, head: bytes, report: ImportReport, lon_col: str | None,
               lat_col: str | None, crs: str | None, limits: ArchiveLimits
               ) -> gpd.GeoDataFrame:
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
        raise _fail(f"{path.name} is not a real Excel file (no XLSX zip inside)")
    check_zip(path, limits)
    try:
        table = pd.read_excel(path, dtype=str, engine="openpyxl").fillna("")
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _fail(f"{path.name} is a broken Excel file: {exc}") from None
    report.encoding = "xlsx"
    return table


def _find_column(columns: list[str], wanted: str | None, names: tuple[str, ...],
                 what: str, source: str) -> str:
    if wanted:
        if wanted not in columns:
            raise _fail(f"{source} has no column {wanted!r}")
        return wanted
    norm = {re.sub(r"[\s_()（）°]", "", str(c)).lower(): c for c in columns}
    for name in names:
        if name in norm:
            return norm[name]
    raise _fail(f"{source} has no {what} column (looked for {', '.join(names)}); "
                f"name it with --lon-col/--lat-col")


def _points_from_table(table: pd.DataFrame, source: str, report: ImportReport,
                       lon_col: str | None, lat_col: str | None,
                       crs: str | None) -> gpd.GeoDataFrame:
    table.columns = [str(c).strip().lstrip("\ufeff") for c in table.columns]
    if table.empty:
        raise _fail(f"{source} has a header but no rows")
    cols = list(table.columns)
    lon_name = _find_column(cols, lon_col, LON_NAMES, "longitude", source)
    lat_name = _find_column(cols, lat_col, LAT_NAMES, "latitude", source)
    x = pd.to_numeric(table[lon_name].str.strip(), errors="coerce").to_numpy(dtype=float)
    y = pd.to_numeric(table[lat_name].str.strip(), errors="coerce").to_numpy(dtype=float)
    bad = ~(np.isfinite(x) & np.isfinite(y))
    if bad.all():
        raise _fail(f"{source}: no row has numbers in {lon_name!r} and {lat_name!r}")
    if bad.any():
        report.skipped += int(bad.sum())
        report.warn("{n} rows without numeric coordinates skipped", n=int(bad.sum()))
    table = table[~bad].reset_index(drop=True)
    x, y = x[~bad], y[~bad]
    if crs:
        frame = _from_crs(table, x, y, crs, source, report)
    else:
        frame = _lonlat_frame(table, x, y, source, report)
    return frame


def _lonlat_frame(table: pd.DataFrame, x: np.ndarray, y: np.ndarray, source: str,
                  report: ImportReport) -> gpd.GeoDataFrame:
    in_range = (np.abs(x) <= 180) & (np.abs(y) <= 90)
    swapped = swapped_mask(x, y, x, y)
    if not (in_range | swapped).mean() >= 0.5:
        raise _fail(f"{source}: coordinates are not longitude/latitude (e.g. {x[0]:g}, "
                    f"{y[0]:g}); {_crs_hint(x, y, 'the')}")
    if swapped.any():
        x, y = np.where(swapped, y, x), np.where(swapped, x, y)
        _report_swapped(report, int(swapped.sum()), "rows")
    out_of_range = (np.abs(x) > 180) | (np.abs(y) > 90)
    if out_of_range.any():
        report.skipped += int(out_of_range.sum())
        report.warn("{n} rows with coordinates out of range skipped",
                    n=int(out_of_range.sum()))
    keep = ~out_of_range
    report.crs = "EPSG:4326 (assumed from lon/lat values)"
    return gpd.GeoDataFrame(table[keep].reset_index(drop=True),
                            geometry=shapely.points(x[keep], y[keep]), crs=STORAGE_CRS)


def _crs_hint(x: np.ndarray, y: np.ndarray, which: str) -> str:
    """Say which CRS the coordinates look like, and the ``--crs`` that would read them."""
    guess = looks_like(x, y)
    code = re.search(r"EPSG:\d+", guess)
    return (f"they look like {guess}: give {which} CRS, e.g. "
            f"--crs {code.group() if code else 'EPSG:4547'}")


def _report_swapped(report: ImportReport, count: int, what: str) -> None:
    report.swapped += count
    report.repaired += count
    report.warn("{n} {what} had longitude and latitude swapped; repaired", n=count, what=what)


def _parse_crs(crs: str, source: str) -> pyproj.CRS:
    try:
        return pyproj.CRS.from_user_input(crs)
    except pyproj.exceptions.CRSError:
        raise _fail(f"{source}: unknown CRS {crs!r}") from None


def _from_crs(table: pd.DataFrame, x: np.ndarray, y: np.ndarray, crs: str, source: str,
              report: ImportReport) -> gpd.GeoDataFrame:
    src = _parse_crs(crs, source)
    frame = gpd.GeoDataFrame(table, geometry=shapely.points(x, y), crs=src)
    report.crs = src.to_string()
    return _to_storage(frame, source, report, "rows")


#: Degrees beyond a CRS's area of use that still count as inside it: a city's data
#: often runs past the edge of its Gauss-Krüger zone.
AREA_MARGIN_DEG = 3.0


def _to_storage(frame: gpd.GeoDataFrame, source: str, report: ImportReport,
                what: str = "features") -> gpd.GeoDataFrame:
    """Reproject to EPSG:4326, refusing coordinates that do not fit the declared CRS.

    In a geographic CRS, longitude and latitude swapped are repaired first.
    """
    if frame.crs.is_geographic:
        frame = _repair_swapped(frame, report, what)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = frame.to_crs(STORAGE_CRS)
    b = out.geometry.bounds.to_numpy()
    has = ~np.isnan(b).all(axis=1)  # empty geometries are skipped later
    bad = has & (~np.isfinite(b).all(axis=1) | (np.abs(b[:, [0, 2]]) > 180).any(axis=1)
                 | (np.abs(b[:, [1, 3]]) > 90).any(axis=1))
    name = frame.crs.to_string()
    problem = "are out of range for"
    if not bad.any():
        area = frame.crs.area_of_use
        if area is not None and area.west <= area.east:
            m = AREA_MARGIN_DEG
            bad = has & ((b[:, 0] < area.west - m) | (b[:, 2] > area.east + m)
                         | (b[:, 1] < area.south - m) | (b[:, 3] > area.north + m))
            problem = "fall outside the area of"
    if bad.any():
        src = frame.geometry.bounds.to_numpy()[bad]
        x, y = src[:, 0], src[:, 1]
        raise _fail(f"{source}: {int(bad.sum())} of {len(frame)} {what} {problem} {name} "
                    f"(e.g. {x[0]:g}, {y[0]:g}); {_crs_hint(x, y, 'the right')}")
    return out


def _repair_swapped(frame: gpd.GeoDataFrame, report: ImportReport,
                    what: str) -> gpd.GeoDataFrame:
    b = frame.geometry.bounds.to_numpy()
    swapped = swapped_mask(b[:, 0], b[:, 1], b[:, 2], b[:, 3])
    if not swapped.any():
        return frame
    geoms = frame.geometry.to_numpy().copy()
    geoms[swapped] = shapely.transform(geoms[swapped], lambda c: c[:, ::-1])
    _report_swapped(report, int(swapped.sum()), what)
    return frame.set_geometry(gpd.GeoSeries(geoms, index=frame.index, crs=frame.crs))


def list_source_layers(path: str | os.PathLike) -> list[str]:
    """Name the layers of a file that can be imported, without reading any of them.

    In a GeoPackage these are its tables: SQL views are left out and never run.

    Parameters
    ----------
    path : path-like
        A GeoPackage or other vector file.

    Returns
    -------
    list of str
        Layer names, in the file's order.

    Raises
    ------
    ImportFailure
        For a file GDAL cannot list.
    """
    import pyogrio

    path = Path(path)
    views = _gpkg_views(path) if path.suffix.lower() == ".gpkg" else set()
    try:
        layers = pyogrio.list_layers(path)
    except Exception as exc:  # noqa: BLE001 - GDAL's errors vary
        raise _fail(f"{path.name} is not readable geodata: {exc}") from None
    return [str(n) for n in layers[:, 0] if str(n) not in views]


#: A GeoPackage's own tables; one of them being a view is a hostile file.
GPKG_METADATA = ("gpkg_contents", "gpkg_spatial_ref_sys", "gpkg_geometry_columns")


def _gpkg_views(path: Path) -> set[str]:
    """Return the SQL views of a GeoPackage, read from ``sqlite_master``, running none."""
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            views = {r[0] for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'view'")}
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise _fail(f"{path.name} is not a readable GeoPackage: {exc}") from None
    hostile = [t for t in GPKG_METADATA if t in views]
    if hostile:
        raise _fail(f"{path.name} is not a GeoPackage: its {hostile[0]} is an SQL view")
    return views


def _read_vector(path: Path, head: bytes, suffix: str, report: ImportReport,
                 source_layer: str | None, encoding: str | None,
                 crs: str | None, limits: ArchiveLimits) -> gpd.GeoDataFrame:
    import pyogrio

    target = str(path)
    views: set[str] = set()
    if suffix in (".zip", ".kmz"):
        members = check_zip(path, limits)
        wanted = ".shp" if suffix == ".zip" else ".kml"
        inside = sorted((n for n in members if n.lower().endswith(wanted)),
                        key=lambda n: n.lower() != "doc.kml")
        if not inside:
            raise _fail(f"{path.name} holds no {'shapefile' if suffix == '.zip' else 'KML'}")
        target = f"/vsizip/{path}/{inside[0]}"
    elif suffix in (".json", ".geojson"):
        try:
            text, report.encoding = decode_text(path.read_bytes(), encoding)
            json.loads(text)
        except TextFileError as exc:
            raise _fail(f"{path.name}: {exc}") from None
        except RecursionError:
            raise _fail(f"{path.name}: JSON nested too deeply") from None
        except json.JSONDecodeError as exc:
            raise _fail(f"{path.name} is not valid JSON: {exc.msg} at line {exc.lineno}") from None
        nul = re.search(r"(?<!\\)(?:\\\\)*\\u0000", text)
        if nul:
            raise _fail(f"{path.name} line {text.count(chr(10), 0, nul.start()) + 1}: a text "
                        "holds a NUL character (\\u0000) that would cut it short; remove it")
    elif suffix == ".gpkg":
        if not head.startswith(b"SQLite format 3\x00"):
            raise _fail(f"{path.name} is not a GeoPackage")
        views = _gpkg_views(path)
        if source_layer in views:
            raise _fail(f"{path.name}: {source_layer!r} is an SQL view, not a table; import "
                        "one of its tables")
    elif suffix == ".kml":
        if b"<kml" not in head and b"<Document" not in head:
            raise _fail(f"{path.name} is not KML")
    elif suffix == ".osm":
        if b"<osm" not in head:
            raise _fail(f"{path.name} is not an OpenStreetMap XML file")
    elif suffix == ".pbf":
        if b"OSMHeader" not in head[:64]:
            raise _fail(f"{path.name} is not an OpenStreetMap PBF file")
    elif suffix not in (".shp", ".gml", ".fgb"):
        raise _fail(f"{path.name}: unsupported file type {suffix or '(none)'}: use CSV, XLSX, "
                    "GeoJSON, GeoPackage, Shapefile, KML or an OpenStreetMap extract")
    try:
        layers = pyogrio.list_layers(target)
    except Exception as exc:  # noqa: BLE001 - GDAL's errors vary
        raise _fail(f"{path.name} is not readable geodata: {exc}") from None
    layers = [(str(n), g) for n, g in layers if str(n) not in views]  # never run a view
    if len(layers) == 0:
        raise _fail(f"{path.name} has no layers" + (" (only SQL views)" if views else ""))
    names = [n for n, _ in layers]
    if source_layer:
        if source_layer not in names:
            raise _fail(f"{path.name} has no layer {source_layer!r} (has {', '.join(names)})")
        layer = source_layer
    elif suffix in (".osm", ".pbf") and "lines" in names:
        layer = "lines"  # the ways: streets and footpaths
    else:
        with_geom = [n for n, g in layers if g]
        layer = (with_geom or names)[0]
        if len(names) > 1:
            report.warn("read layer '{layer}' of {names}", layer=layer, names=", ".join(names))
    kwargs = {"encoding": encoding} if encoding and suffix in (".shp", ".zip") else {}
    try:
        frame = pyogrio.read_dataframe(target, layer=layer, **kwargs)
    except Exception as exc:  # noqa: BLE001
        raise _fail(f"cannot read {path.name}: {exc}") from None
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.isna().all():
        raise _fail(f"{path.name} has no geometry")
    report.encoding = report.encoding or (encoding or "as declared by the file")
    if frame.crs is None:
        if crs:
            frame = frame.set_crs(_parse_crs(crs, path.name))
            report.crs = frame.crs.to_string()
            return _to_storage(frame, path.name, report)
        b = frame.geometry.bounds.to_numpy()
        finite = np.isfinite(b).all(axis=1)
        lonlat = (np.abs(b[:, [0, 2]]) <= 180).all(axis=1) & (
            np.abs(b[:, [1, 3]]) <= 90).all(axis=1)
        lonlat |= swapped_mask(b[:, 0], b[:, 1], b[:, 2], b[:, 3])
        if finite.any() and lonlat[finite].all():
            report.crs = "EPSG:4326 (assumed: the file has no CRS, values are lon/lat)"
            return _to_storage(frame.set_crs(STORAGE_CRS), path.name, report)
        raise _fail(f"{path.name} has no CRS and its coordinates are not lon/lat; "
                    f"{_crs_hint(b[finite, 0], b[finite, 1], 'the')}")
    if crs:  # the planner knows better than a file that declares a wrong CRS
        given = _parse_crs(crs, path.name)
        if given != frame.crs:
            report.warn("the file declares {declared}; read as {given} (--crs)",
                        declared=frame.crs.to_string(), given=given.to_string())
            frame = frame.set_crs(given, allow_override=True)
    report.crs = frame.crs.to_string()
    return _to_storage(frame, path.name, report)


def _clean_geometry(frame: gpd.GeoDataFrame, report: ImportReport) -> gpd.GeoDataFrame:
    geoms = frame.geometry.to_numpy()
    empty = pd.isna(geoms) | shapely.is_empty(geoms)
    if empty.any():
        report.skipped += int(empty.sum())
        report.warn("{n} features without geometry skipped", n=int(empty.sum()))
        frame = frame[~empty].reset_index(drop=True)
        geoms = frame.geometry.to_numpy()
    if len(frame) == 0:
        raise _fail(f"{report.source} has no features with geometry")
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        fixed = geoms.copy()
        fixed[invalid] = shapely.make_valid(geoms[invalid])
        frame = frame.set_geometry(gpd.GeoSeries(fixed, crs=frame.crs))
        report.repaired += int(invalid.sum())
        report.warn("{n} invalid geometries repaired (make_valid)", n=int(invalid.sum()))
    return frame


def _from_gcj02(frame: gpd.GeoDataFrame, report: ImportReport) -> gpd.GeoDataFrame:
    pts = frame.geometry.to_numpy()
    reps = np.where(shapely.get_type_id(pts) == 0, pts, shapely.point_on_surface(pts))
    inside = in_china(shapely.get_x(reps), shapely.get_y(reps))

    def shift(coords: np.ndarray) -> np.ndarray:
        lon, lat = gcj02_to_wgs84(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])

    out = pts.copy()
    out[inside] = shapely.transform(pts[inside], shift)
    report.crs = (report.crs + "; " if report.crs else "") + "GCJ-02 converted to WGS-84"
    if (~inside).any():
        report.warn("{n} features outside mainland China were not shifted (GCJ-02 applies "
                    "only inside)", n=int((~inside).sum()))
    return frame.set_geometry(gpd.GeoSeries(out, crs=STORAGE_CRS))


# ----- mapping onto the project schema ---------------------------------------
def guess_field_map(columns: list[str], fields: list[str]) -> dict[str, str]:
    """Guess which source column feeds each target field.

    Parameters
    ----------
    columns : list of str
        Source columns.
    fields : list of str
        Target schema fields.

    Returns
    -------
    dict
        Target field to source column.
    """
    norm = {str(c).strip().lower(): c for c in columns}
    out = {}
    for target in fields:
        for alias in (target, *FIELD_ALIASES.get(target, ())):
            if alias.lower() in norm:
                out[target] = norm[alias.lower()]
                break
    return out


def to_layer_frame(raw: gpd.GeoDataFrame, layer: str, report: ImportReport,
                   field_map: dict[str, str] | None = None,
                   category_field: str | None = None) -> gpd.GeoDataFrame:
    """Map raw features onto a project layer's schema.

    Parameters
    ----------
    raw : GeoDataFrame
        From :func:`read_import`.
    layer : str
        ``"facilities"``, ``"communities"`` (points), ``"roads"`` (lines: the
        walking network) or ``"boundaries"`` (community polygons).
    report : ImportReport
        Updated with categories, precisions and counts.
    field_map : dict, optional
        Target field to source column; guessed when omitted.
    category_field : str, optional
        Source column holding categories (facilities).

    Returns
    -------
    GeoDataFrame
        Conformed to the layer schema, in EPSG:4326.
    """
    from layers.model.layer import conform
    from layers.model.schema import SCHEMAS

    schema = SCHEMAS[layer]
    columns = [c for c in raw.columns if c != raw.geometry.name]
    mapping = dict(field_map) if field_map else guess_field_map(columns, list(schema.fields))
    if schema.geometry != "Point":
        mapping.pop("id", None)
        return conform(_shapes_frame(raw, schema.name, report, mapping), schema)
    if category_field:
        if category_field not in columns:
            raise _fail(f"{report.source} has no column {category_field!r}")
        mapping["category"] = category_field
    mapping.pop("id", None)
    data = {target: raw[src].to_numpy() for target, src in mapping.items()
            if src in raw.columns and target in schema.fields}
    geoms = raw.geometry.to_numpy()
    not_point = shapely.get_type_id(geoms) != 0
    if not_point.any():
        geoms = np.where(not_point, shapely.point_on_surface(geoms), geoms)
        report.warn("{n} non-point features imported as a point inside each",
                    n=int(not_point.sum()))
    frame = gpd.GeoDataFrame(data, geometry=geoms, crs=STORAGE_CRS)
    if "name" not in frame.columns:
        frame["name"] = [f"{report.source} #{i + 1}" for i in range(len(frame))]
        report.warn("no name column: features named after the file")
    names = frame["name"].astype(str).str.strip()
    frame["name"] = names.where(names != "", [f"{report.source} #{i + 1}"
                                              for i in range(len(frame))])
    if layer == "facilities":
        _set_categories(frame, report)
    if layer == "communities":
        frame = _fill_admin_areas(frame, report)
    _set_provenance(frame, report)
    report.imported = len(frame)
    return conform(frame, schema)


def _fill_admin_areas(frame: gpd.GeoDataFrame, report: ImportReport) -> gpd.GeoDataFrame:
    """Fill missing district, city and province from the bundled boundaries (reported)."""
    from layers.geo.admin_areas import fill_admin_fields, fill_summary

    frame, counts = fill_admin_fields(frame)
    report.filled = fill_summary(counts)
    return frame


def _append_notes(frame: gpd.GeoDataFrame, rows: np.ndarray, text: pd.Series) -> None:
    """Append ``text`` to the notes of ``rows``, after any note already there."""
    notes = (frame["notes"].astype(object) if "notes" in frame.columns
             else pd.Series([None] * len(frame), index=frame.index, dtype=object))
    old = notes.fillna("").astype(str).str.strip()
    added = np.where(old == "", text, old + "; " + text)
    frame["notes"] = notes.where(~rows, pd.Series(added, index=notes.index))


def _set_categories(frame: gpd.GeoDataFrame, report: ImportReport) -> None:
    """Set category ids; an unknown label becomes ``other``, kept in notes and reported.

    A category column's value is read as a label (:func:`category_for_label`); a row
    without one is classified by its name (:func:`recognise_category`).
    """
    raw_cats = (frame["category"].fillna("").astype(str).str.strip()
                if "category" in frame.columns else pd.Series([""] * len(frame)))
    names = frame["name"].astype(str)
    # recognise each distinct value once: a city's file repeats a few dozen values
    by_label = {v: category_for_label(v) for v in raw_cats.unique() if v}
    by_name = {v: recognise_category(v) for v in names[raw_cats == ""].unique()}
    cats = np.where(raw_cats != "", raw_cats.map(by_label), names.map(by_name))
    unknown = pd.isna(cats)
    labelled = unknown & (raw_cats != "").to_numpy()
    labels = np.where(labelled, raw_cats.to_numpy(dtype=object), np.where(unknown, "", None))
    report.unknown_labels = labels
    report.unknown_categories = _label_counts(report.unknown_labels)
    frame["category"] = np.where(unknown, "other", cats)
    if labelled.any():
        _append_notes(frame, labelled, "原类别: " + raw_cats)


def _label_counts(labels: np.ndarray) -> dict[str, int]:
    """Count each unknown label, most frequent first; rows without one as ``(empty)``."""
    counts = pd.Series(labels, dtype=object).dropna().value_counts()
    out = {str(k): int(v) for k, v in counts.items() if k != ""}
    if "" in counts.index:
        out["(empty)"] = int(counts[""])
    return out


def _set_provenance(frame: gpd.GeoDataFrame, report: ImportReport) -> None:
    """Say where each point row came from: its source and its location precision.

    ``source`` is the file's own source column, or else the file's name: with the
    row's name it is the row's source id (see :mod:`layers.io.duplicates`).
    ``location_precision`` is the file's value when it is one of
    :data:`~layers.model.schema.PRECISIONS`, else ``from-file``; a value not in that
    list is reported and kept in notes.
    """
    from layers.model.schema import PRECISIONS

    source = (frame["source"].fillna("").astype(str).str.strip() if "source" in frame.columns
              else pd.Series([""] * len(frame), index=frame.index))
    frame["source"] = source.where(source != "", report.source)
    if "location_precision" not in frame.columns:
        frame["location_precision"] = "from-file"
        return
    given = frame["location_precision"].fillna("").astype(str).str.strip()
    folded = given.str.lower().str.replace("_", "-").str.replace(" ", "-")
    valid = folded.isin(PRECISIONS).to_numpy()
    frame["location_precision"] = np.where(valid, folded, "from-file")
    invalid = ~valid & (given != "").to_numpy()
    if invalid.any():
        _append_notes(frame, invalid, "原位置精度: " + given)
        n = int(invalid.sum())
        report.warn("{n} rows with a location precision not in ({known}) set to from-file; "
                    "the file's value is in notes", n=n, known=", ".join(PRECISIONS))


#: OpenStreetMap ``highway`` values a pedestrian cannot use.
NOT_WALKABLE = frozenset({"motorway", "motorway_link", "trunk", "trunk_link", "construction",
                          "proposed", "raceway", "bus_guideway", "busway", "abandoned",
                          "platform", "elevator"})


def _walkable(frame: gpd.GeoDataFrame, data: dict, geoms: np.ndarray,
              report: ImportReport) -> tuple[dict, np.ndarray]:
    """Drop ways a pedestrian cannot use (OpenStreetMap ``highway``/``fclass`` values)."""
    osm = "highway" in frame.columns
    if "kind" not in data:
        column = next((c for c in ("highway", "fclass") if c in frame.columns), None)
        if column is not None:
            data["kind"] = frame[column].to_numpy()
    kinds = pd.Series(data.get("kind", np.full(len(frame), None)), dtype=object)
    walk = ~kinds.isin(NOT_WALKABLE)
    if osm:  # the lines layer also holds rivers, power lines and boundaries
        walk &= frame["highway"].notna().to_numpy()
    if "other_tags" in frame.columns:
        walk &= ~frame["other_tags"].astype(str).str.contains('"foot"=>"no"', regex=False)
    walk = walk.to_numpy()
    dropped = int((~walk).sum())
    if dropped:
        report.skipped += dropped
        report.warn("{n} ways that are not walkable streets or paths skipped (motorways, "
                    "rivers, foot=no)", n=dropped)
    if not walk.any():
        raise _fail(f"{report.source} has no walkable streets or paths")
    return {k: np.asarray(v)[walk] for k, v in data.items()}, geoms[walk]


def _shapes_frame(raw: gpd.GeoDataFrame, layer: str, report: ImportReport,
                  mapping: dict[str, str]) -> gpd.GeoDataFrame:
    """Keep the lines (roads) or polygons (boundaries) of ``raw`` with their fields."""
    geoms = raw.geometry.to_numpy()
    kind = shapely.get_type_id(geoms)
    if layer == "boundaries":
        collections = np.nonzero(kind == 7)[0]  # make_valid can return a collection
        for i in collections:
            polys = [p for p in shapely.get_parts(geoms[i]) if p.geom_type == "Polygon"]
            geoms[i] = shapely.union_all(polys) if polys else geoms[i]
        kind = shapely.get_type_id(geoms)
        keep = np.isin(kind, (3, 6))
        what = "polygons"
    else:
        keep = np.isin(kind, (1, 5))
        what = "lines"
    if not keep.any():
        raise _fail(f"{report.source} has no {what} to import as {layer}")
    if (~keep).any():
        report.skipped += int((~keep).sum())
        report.warn("{n} features that are not {what} skipped", n=int((~keep).sum()), what=what)
    frame = raw[keep].reset_index(drop=True)
    geoms = geoms[keep]
    data = {target: frame[src].to_numpy() for target, src in mapping.items()
            if src in frame.columns}
    if layer == "roads":
        data, geoms = _walkable(frame, data, geoms, report)
    if layer == "boundaries" and "community" not in data:
        names = [c for c in frame.columns if str(c).strip().lower() in
                 ("name", "名称", "社区名称", "小区名称")]
        if names:
            data["community"] = frame[names[0]].to_numpy()
    out = gpd.GeoDataFrame(data, geometry=geoms, crs=STORAGE_CRS)
    report.imported = len(out)
    return out

