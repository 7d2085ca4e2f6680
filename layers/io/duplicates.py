"""Rows an import would add twice: already in the project, or repeated within the file.

A point row (facilities, communities) is **already in the project** when a feature
of the target layer has

- the same source id: the same ``source`` and the same ``name``. An imported row's
  ``source`` is the file's own source column, or else the file's name
  (:func:`layers.io.importing.to_layer_frame`), so a file imported again matches
  even when its positions were corrected in between; or
- the same name and, for facilities, the same category, within 30 m.

A row **repeats** an earlier row of the same file when it has the same name (and
category) within 30 m; the source rule does not apply inside one file, where every
row shares the source.

Distances are measured in metres, in the local metric projection of
:func:`layers.geo.geodesy.metric_groups`, through an STRtree, so a file is matched
against a project of 100,000 facilities at once. Lines and polygons (roads,
boundaries) are not matched.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers.geo.geodesy import metric_groups, metric_transformers
from layers.io.importing import ImportReport
from layers.model.layer import has_geometry
from layers.model.schema import SCHEMAS

#: Two rows with the same name (and category) closer than this are one place.
MATCH_RADIUS_M = 30.0
#: How the command line tells a planner to import duplicates anyway.
CLI_HINT = "use --allow-duplicates to import them"


@dataclass(frozen=True)
class Duplicates:
    """Which rows of an import are duplicates, one flag per row.

    Attributes
    ----------
    in_project : ndarray of bool
        The row matches a feature already in the project layer.
    in_file : ndarray of bool
        The row repeats an earlier row of the file (and is not in the project).
    """

    in_project: np.ndarray
    in_file: np.ndarray

    @property
    def rows(self) -> np.ndarray:
        """Every duplicate row, of either kind."""
        return self.in_project | self.in_file


def find_duplicates(new: gpd.GeoDataFrame, existing: gpd.GeoDataFrame | None, layer: str,
                    radius_m: float = MATCH_RADIUS_M) -> Duplicates:
    """Find the rows of ``new`` already in ``existing`` or repeated within ``new``.

    Parameters
    ----------
    new : GeoDataFrame
        Rows to import, conformed to the layer's schema (categories as ids).
    existing : GeoDataFrame or None
        The project layer's features, or None when the project has no such layer.
    layer : str
        The target layer; only point layers are matched.
    radius_m : float
        Ground distance in metres within which same-named rows are one place.

    Returns
    -------
    Duplicates
        One flag per row of ``new``, in its order.
    """
    n = len(new)
    in_project, in_file = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    if n == 0 or SCHEMAS[layer].geometry != "Point":
        return Duplicates(in_project, in_file)
    keys = _place_keys(new, layer)
    if existing is not None and len(existing):
        names = _texts(new, "name")
        # both rules need the same name: a file rarely shares names with most of a city
        old = existing[_texts(existing, "name").isin(names.unique()).to_numpy()]
        sources = _texts(new, "source")
        source_ids = _source_ids(old).unique()
        in_project |= ((sources != "") & (sources + "\x1f" + names).isin(source_ids)).to_numpy()
        i, j = _near_pairs(new, old, radius_m)
        same = keys[i] == _place_keys(old, layer)[j]
        in_project[i[same]] = True
    i, j = _near_pairs(new, None, radius_m)
    later = (j > i) & (keys[i] == keys[j])
    in_file[j[later]] = True
    return Duplicates(in_project, in_file & ~in_project)


def drop_duplicates(frame: gpd.GeoDataFrame, existing: gpd.GeoDataFrame | None, layer: str,
                    report: ImportReport, allow: bool = False,
                    hint: str = CLI_HINT) -> gpd.GeoDataFrame:
    """Return ``frame`` without its duplicate rows, and report them in one line per kind.

    Parameters
    ----------
    frame : GeoDataFrame
        Rows to import, from :func:`layers.io.importing.to_layer_frame`.
    existing : GeoDataFrame or None
        The project layer's features, or None when the project has no such layer.
    layer : str
        The target layer.
    report : ImportReport
        Gets the duplicate count, the skipped and imported counts and the lines.
    allow : bool
        Keep the duplicates (they are still counted and reported).
    hint : str
        How to import them anyway, closing each line when they are skipped.

    Returns
    -------
    GeoDataFrame
        The rows to add: a new frame, ``frame`` itself is not changed.
    """
    found = find_duplicates(frame, existing, layer)
    n_project, n_file = int(found.in_project.sum()), int(found.in_file.sum())
    report.duplicates = n_project + n_file
    same = "same name and category" if layer == "facilities" else "same name"
    radius = f"{MATCH_RADIUS_M:g} m"
    kinds = ((n_project, f"already in the project (same source and name, or {same} within "
                         f"{radius})"),
             (n_file, f"repeated in the file ({same} within {radius})"))
    for count, why in kinds:
        if count:
            rows = f"{count} row{'' if count == 1 else 's'}"
            report.warnings.append(f"imported {rows} {why}, as asked" if allow
                                   else f"skipped {rows} {why}; {hint}")
    if allow or not found.rows.any():
        return frame.copy()
    report.skipped += report.duplicates
    report.imported = int((~found.rows).sum())
    return frame[~found.rows].reset_index(drop=True)


def _texts(frame: gpd.GeoDataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series([""] * len(frame), dtype=object)
    # plain objects: hashing them is several times faster than arrow strings' isin
    return frame[column].fillna("").astype(str).str.strip().astype(object).reset_index(
        drop=True)


def _place_keys(frame: gpd.GeoDataFrame, layer: str) -> np.ndarray:
    """Return what two rows at one place share when they are one feature (name, category)."""
    key = _texts(frame, "name")
    if layer == "facilities":
        key = key + "\x1f" + _texts(frame, "category")
    return key.to_numpy()


def _source_ids(frame: gpd.GeoDataFrame) -> pd.Series:
    sources = _texts(frame, "source")
    return (sources + "\x1f" + _texts(frame, "name"))[sources != ""]


def _near_pairs(a: gpd.GeoDataFrame, b: gpd.GeoDataFrame | None,
                radius_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Return row pairs ``(i, j)`` of points of ``a`` and ``b`` within ``radius_m``.

    With ``b`` None, pairs of ``a`` with itself (each row pairs with itself too).
    """
    ga = a.geometry.to_numpy()
    gb = ga if b is None else b.geometry.to_numpy()
    ia, ib = np.nonzero(has_geometry(ga))[0], np.nonzero(has_geometry(gb))[0]
    none = (np.empty(0, dtype=int), np.empty(0, dtype=int))
    if len(ia) == 0 or len(ib) == 0:
        return none
    rows = ia if b is None else np.concatenate([ia, ib])
    points = ga[ia] if b is None else np.concatenate([ga[ia], gb[ib]])
    from_a = np.arange(len(points)) < len(ia)
    lon, lat = shapely.get_x(points), shapely.get_y(points)
    pairs_a, pairs_b = [], []
    for group, crs in metric_groups(lon, lat):  # one projection per city
        forward, _ = metric_transformers(crs)
        metric = shapely.points(*forward.transform(lon[group], lat[group]))
        mine = from_a[group]
        theirs = mine if b is None else ~mine
        if not mine.any() or not theirs.any():
            continue
        qa, qb = shapely.STRtree(metric[theirs]).query(metric[mine], predicate="dwithin",
                                                       distance=radius_m)
        pairs_a.append(rows[group[mine][qa]])
        pairs_b.append(rows[group[theirs][qb]])
    if not pairs_a:
        return none
    return np.concatenate(pairs_a), np.concatenate(pairs_b)
