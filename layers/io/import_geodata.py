"""Reading geodata with GDAL: GeoJSON, GeoPackage, Shapefile, KML/KMZ, OpenStreetMap.

Each format's first bytes are checked before GDAL sees the file, zips are checked
against :mod:`layers.io.archives`, and a GeoPackage's SQL views are never run.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from pathlib import Path

import geopandas as gpd
import numpy as np

from layers.io.archives import ArchiveLimits, check_zip
from layers.io.coordinates import swapped_mask
from layers.io.import_coordinates import crs_hint, parse_crs, to_storage
from layers.io.import_report import ImportReport, failure
from layers.io.text_files import TextFileError, decode_text
from layers.model.schema import STORAGE_CRS


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
        raise failure(f"{path.name} is not readable geodata: {exc}") from None
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
        raise failure(f"{path.name} is not a readable GeoPackage: {exc}") from None
    hostile = [t for t in GPKG_METADATA if t in views]
    if hostile:
        raise failure(f"{path.name} is not a GeoPackage: its {hostile[0]} is an SQL view")
    return views


def read_geodata(path: Path, head: bytes, suffix: str, report: ImportReport,
                 source_layer: str | None, encoding: str | None,
                 crs: str | None, limits: ArchiveLimits) -> gpd.GeoDataFrame:
    """Read one layer of a vector file with GDAL, in EPSG:4326.

    Parameters
    ----------
    path : Path
        The file.
    head : bytes
        Its first bytes.
    suffix : str
        Its lower-case suffix.
    report : ImportReport
        Gets the encoding, CRS and warnings.
    source_layer : str or None
        Layer to read (a table, never an SQL view).
    encoding : str or None
        Encoding of a shapefile's attributes.
    crs : str or None
        CRS to read the coordinates in.
    limits : ArchiveLimits
        Zip limits for KMZ and zipped shapefiles.

    Returns
    -------
    GeoDataFrame
        The layer's features in EPSG:4326.
    """
    import pyogrio

    target = str(path)
    views: set[str] = set()
    if suffix in (".zip", ".kmz"):
        members = check_zip(path, limits)
        wanted = ".shp" if suffix == ".zip" else ".kml"
        inside = sorted((n for n in members if n.lower().endswith(wanted)),
                        key=lambda n: n.lower() != "doc.kml")
        if not inside:
            raise failure(f"{path.name} holds no {'shapefile' if suffix == '.zip' else 'KML'}")
        target = f"/vsizip/{path}/{inside[0]}"
    elif suffix in (".json", ".geojson"):
        try:
            text, report.encoding = decode_text(path.read_bytes(), encoding)
            json.loads(text)
        except TextFileError as exc:
            raise failure(f"{path.name}: {exc}") from None
        except RecursionError:
            raise failure(f"{path.name}: JSON nested too deeply") from None
        except json.JSONDecodeError as exc:
            raise failure(f"{path.name} is not valid JSON: {exc.msg} "
                          f"at line {exc.lineno}") from None
        nul = re.search(r"(?<!\\)(?:\\\\)*\\u0000", text)
        if nul:
            raise failure(f"{path.name} line {text.count(chr(10), 0, nul.start()) + 1}: a text "
                          "holds a NUL character (\\u0000) that would cut it short; remove it")
    elif suffix == ".gpkg":
        if not head.startswith(b"SQLite format 3\x00"):
            raise failure(f"{path.name} is not a GeoPackage")
        views = _gpkg_views(path)
        if source_layer in views:
            raise failure(f"{path.name}: {source_layer!r} is an SQL view, not a table; import "
                          "one of its tables")
    elif suffix == ".kml":
        if b"<kml" not in head and b"<Document" not in head:
            raise failure(f"{path.name} is not KML")
    elif suffix == ".osm":
        if b"<osm" not in head:
            raise failure(f"{path.name} is not an OpenStreetMap XML file")
    elif suffix == ".pbf":
        if b"OSMHeader" not in head[:64]:
            raise failure(f"{path.name} is not an OpenStreetMap PBF file")
    elif suffix not in (".shp", ".gml", ".fgb"):
        raise failure(f"{path.name}: unsupported file type {suffix or '(none)'}: use CSV, XLSX, "
                      "GeoJSON, GeoPackage, Shapefile, KML or an OpenStreetMap extract")
    try:
        layers = pyogrio.list_layers(target)
    except Exception as exc:  # noqa: BLE001 - GDAL's errors vary
        raise failure(f"{path.name} is not readable geodata: {exc}") from None
    layers = [(str(n), g) for n, g in layers if str(n) not in views]  # never run a view
    if len(layers) == 0:
        raise failure(f"{path.name} has no layers" + (" (only SQL views)" if views else ""))
    names = [n for n, _ in layers]
    if source_layer:
        if source_layer not in names:
            raise failure(f"{path.name} has no layer {source_layer!r} (has {', '.join(names)})")
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
        raise failure(f"cannot read {path.name}: {exc}") from None
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.isna().all():
        raise failure(f"{path.name} has no geometry")
    report.encoding = report.encoding or (encoding or "as declared by the file")
    if frame.crs is None:
        if crs:
            frame = frame.set_crs(parse_crs(crs, path.name))
            report.crs = frame.crs.to_string()
            return to_storage(frame, path.name, report)
        b = frame.geometry.bounds.to_numpy()
        finite = np.isfinite(b).all(axis=1)
        lonlat = (np.abs(b[:, [0, 2]]) <= 180).all(axis=1) & (
            np.abs(b[:, [1, 3]]) <= 90).all(axis=1)
        lonlat |= swapped_mask(b[:, 0], b[:, 1], b[:, 2], b[:, 3])
        if finite.any() and lonlat[finite].all():
            report.crs = "EPSG:4326 (assumed: the file has no CRS, values are lon/lat)"
            return to_storage(frame.set_crs(STORAGE_CRS), path.name, report)
        raise failure(f"{path.name} has no CRS and its coordinates are not lon/lat; "
                      f"{crs_hint(b[finite, 0], b[finite, 1], 'the')}")
    if crs:  # the planner knows better than a file that declares a wrong CRS
        given = parse_crs(crs, path.name)
        if given != frame.crs:
            report.warn("the file declares {declared}; read as {given} (--crs)",
                        declared=frame.crs.to_string(), given=given.to_string())
            frame = frame.set_crs(given, allow_override=True)
    report.crs = frame.crs.to_string()
    return to_storage(frame, path.name, report)
