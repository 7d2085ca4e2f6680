"""Coordinates of an import: CRS checks, swapped lon/lat, invalid geometry, GCJ-02.

Coordinates that do not fit the declared CRS are refused, saying which CRS they look
like; longitude and latitude swapped are repaired and reported.
"""

from __future__ import annotations

import re
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from layers.geo.gcj02 import gcj02_to_wgs84, in_china
from layers.io.coordinates import looks_like, swapped_mask
from layers.io.import_report import ImportReport, failure
from layers.model.schema import STORAGE_CRS


def lonlat_frame(table: pd.DataFrame, x: np.ndarray, y: np.ndarray, source: str,
                 report: ImportReport) -> gpd.GeoDataFrame:
    """Make points of longitude/latitude values, repairing swapped pairs.

    Parameters
    ----------
    table : pandas.DataFrame
        The rows.
    x, y : ndarray
        Their coordinates.
    source : str
        The file's name, for messages.
    report : ImportReport
        Gets the skipped, swapped and repaired counts.

    Returns
    -------
    GeoDataFrame
        The rows in range, as points in EPSG:4326.
    """
    in_range = (np.abs(x) <= 180) & (np.abs(y) <= 90)
    swapped = swapped_mask(x, y, x, y)
    if not (in_range | swapped).mean() >= 0.5:
        raise failure(f"{source}: coordinates are not longitude/latitude (e.g. {x[0]:g}, "
                      f"{y[0]:g}); {crs_hint(x, y, 'the')}")
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


def crs_hint(x: np.ndarray, y: np.ndarray, which: str) -> str:
    """Say which CRS the coordinates look like, and the ``--crs`` that would read them.

    Parameters
    ----------
    x, y : ndarray
        Coordinates.
    which : str
        ``the`` or ``the right``, as the sentence needs.

    Returns
    -------
    str
        The hint.
    """
    guess = looks_like(x, y)
    code = re.search(r"EPSG:\d+", guess)
    return (f"they look like {guess}: give {which} CRS, e.g. "
            f"--crs {code.group() if code else 'EPSG:4547'}")


def _report_swapped(report: ImportReport, count: int, what: str) -> None:
    report.swapped += count
    report.repaired += count
    report.warn("{n} {what} had longitude and latitude swapped; repaired", n=count, what=what)


def parse_crs(crs: str, source: str) -> pyproj.CRS:
    """Read a CRS the planner gave, or fail in one line.

    Parameters
    ----------
    crs : str
        E.g. ``EPSG:4547``.
    source : str
        The file's name, for messages.

    Returns
    -------
    pyproj.CRS
        The CRS.
    """
    try:
        return pyproj.CRS.from_user_input(crs)
    except pyproj.exceptions.CRSError:
        raise failure(f"{source}: unknown CRS {crs!r}") from None


def from_crs(table: pd.DataFrame, x: np.ndarray, y: np.ndarray, crs: str, source: str,
             report: ImportReport) -> gpd.GeoDataFrame:
    """Make points of a table's coordinates in a given CRS, reprojected to EPSG:4326.

    Parameters
    ----------
    table : pandas.DataFrame
        The rows.
    x, y : ndarray
        Their coordinates.
    crs : str
        The CRS the coordinates are in.
    source : str
        The file's name, for messages.
    report : ImportReport
        Gets the CRS and any repairs.

    Returns
    -------
    GeoDataFrame
        The rows as points in EPSG:4326.
    """
    src = parse_crs(crs, source)
    frame = gpd.GeoDataFrame(table, geometry=shapely.points(x, y), crs=src)
    report.crs = src.to_string()
    return to_storage(frame, source, report, "rows")


#: Degrees beyond a CRS's area of use that still count as inside it: a city's data
#: often runs past the edge of its Gauss-Krüger zone.
AREA_MARGIN_DEG = 3.0


def to_storage(frame: gpd.GeoDataFrame, source: str, report: ImportReport,
               what: str = "features") -> gpd.GeoDataFrame:
    """Reproject to EPSG:4326, refusing coordinates that do not fit the declared CRS.

    In a geographic CRS, longitude and latitude swapped are repaired first.

    Parameters
    ----------
    frame : GeoDataFrame
        Features with their CRS set.
    source : str
        The file's name, for messages.
    report : ImportReport
        Gets any repairs.
    what : str
        What the features are called in messages.

    Returns
    -------
    GeoDataFrame
        The features in EPSG:4326.
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
        raise failure(f"{source}: {int(bad.sum())} of {len(frame)} {what} {problem} {name} "
                      f"(e.g. {x[0]:g}, {y[0]:g}); {crs_hint(x, y, 'the right')}")
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


def clean_geometry(frame: gpd.GeoDataFrame, report: ImportReport) -> gpd.GeoDataFrame:
    """Skip features without geometry and repair invalid ones (reported).

    Parameters
    ----------
    frame : GeoDataFrame
        Features.
    report : ImportReport
        Gets the skipped and repaired counts.

    Returns
    -------
    GeoDataFrame
        Features with valid geometry.
    """
    geoms = frame.geometry.to_numpy()
    empty = pd.isna(geoms) | shapely.is_empty(geoms)
    if empty.any():
        report.skipped += int(empty.sum())
        report.warn("{n} features without geometry skipped", n=int(empty.sum()))
        frame = frame[~empty].reset_index(drop=True)
        geoms = frame.geometry.to_numpy()
    if len(frame) == 0:
        raise failure(f"{report.source} has no features with geometry")
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        fixed = geoms.copy()
        fixed[invalid] = shapely.make_valid(geoms[invalid])
        frame = frame.set_geometry(gpd.GeoSeries(fixed, crs=frame.crs))
        report.repaired += int(invalid.sum())
        report.warn("{n} invalid geometries repaired (make_valid)", n=int(invalid.sum()))
    return frame


def from_gcj02(frame: gpd.GeoDataFrame, report: ImportReport) -> gpd.GeoDataFrame:
    """Convert GCJ-02 coordinates (AMap, Tencent) to WGS-84 inside mainland China.

    Parameters
    ----------
    frame : GeoDataFrame
        Features in GCJ-02.
    report : ImportReport
        Gets the conversion and the features left as they were.

    Returns
    -------
    GeoDataFrame
        Features in WGS-84.
    """
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
