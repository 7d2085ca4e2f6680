"""Importing planners' own files: good data is easy, bad data is refused in one line.

Every reader either returns features in EPSG:4326 with an :class:`ImportReport`,
or raises :class:`ImportFailure` with a one-line reason. Nothing is written to the
project here; callers add the features in one step (one undo step in the GUI, one
atomic save on the command line), so an import completes whole or changes nothing.

The work is split by concern: tables (:mod:`layers.io.import_tables`), geodata read
with GDAL (:mod:`layers.io.import_geodata`), coordinates and CRS repair
(:mod:`layers.io.import_coordinates`), mapping onto a layer's schema
(:mod:`layers.io.import_mapping`) and the report (:mod:`layers.io.import_report`).
Their public names are importable from here.
"""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd

from layers.io.archives import ArchiveError, ArchiveLimits
from layers.io.import_coordinates import AREA_MARGIN_DEG, clean_geometry, from_gcj02
from layers.io.import_geodata import GPKG_METADATA, list_source_layers, read_geodata
from layers.io.import_mapping import FIELD_ALIASES, NOT_WALKABLE, guess_field_map, to_layer_frame
from layers.io.import_report import ImportFailure, ImportReport, Note, failure
from layers.io.import_tables import (
    LAT_NAMES,
    LON_NAMES,
    read_text_points,
    read_text_table,
    read_xlsx_points,
    read_xlsx_table,
)

MAX_BYTES = 500_000_000


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
        raise failure(f"file not found: {path}")
    if path.is_dir():
        shp = sorted(path.glob("*.shp"))
        if not shp:
            raise failure(f"folder {path.name} holds no shapefile")
        path = shp[0]
    size = path.stat().st_size
    if size == 0:
        raise failure(f"{path.name} is empty")
    if size > MAX_BYTES:
        raise failure(f"{path.name} is too large ({size // 1_000_000} MB)")
    with open(path, "rb") as fh:
        head = fh.read(4096)
    suffix = path.suffix.lower()
    limits = ArchiveLimits.from_options(max_uncompressed_mb, max_zip_ratio)
    try:
        if suffix in (".csv", ".txt", ".tsv"):
            frame = read_text_points(path, head, encoding, report, lon_col, lat_col, crs)
        elif suffix in (".xlsx", ".xlsm"):
            frame = read_xlsx_points(path, head, report, lon_col, lat_col, crs, limits)
        elif suffix == ".xls":
            raise failure("old Excel .xls files are not supported: save as .xlsx or CSV")
        else:
            frame = read_geodata(path, head, suffix, report, source_layer, encoding, crs,
                                 limits)
    except ImportFailure:
        raise
    except ArchiveError as exc:
        raise failure(str(exc)) from None
    except (RecursionError, MemoryError):
        raise failure(f"{path.name} is nested or sized beyond what can be read") from None
    except Exception as exc:  # noqa: BLE001 - any reader failure becomes one line
        raise failure(f"cannot read {path.name}: {exc}") from None
    frame = clean_geometry(frame, report)
    if gcj02:
        frame = from_gcj02(frame, report)
    return frame, report


__all__ = ["AREA_MARGIN_DEG", "FIELD_ALIASES", "GPKG_METADATA", "LAT_NAMES", "LON_NAMES",
           "MAX_BYTES", "NOT_WALKABLE", "ImportFailure", "ImportReport", "Note",
           "guess_field_map", "list_source_layers", "read_import", "read_text_table",
           "read_xlsx_table", "to_layer_frame"]
