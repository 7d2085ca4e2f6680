"""Rows an import would add twice: already in the project, or repeated within the file.

A point row (facilities, communities) is **already in the project** when a feature
of the target layer has

- the same source id: the same ``source`` and the same ``name``. An imported row's
  ``source`` is the file's own source column, or else the file's name
  (:func:`layers.io.importing.to_layer_frame`), so a file imported again matches
  even when its positions were corrected in between; or
- the same name and, for facilities, the same category, within 30 m.

A line (roads) or polygon (boundaries) row is already in the project when a feature
has the same name (boundaries: the same community) and the same shape: no point of
either is more than 1 m from the other (their Hausdorff distance), so a line drawn
the other way round, or split into parts, is still the same line.

A row **repeats** an earlier row of the same file when it has the same name (and
category) within 30 m, or for lines and polygons the same name and shape; the
source rule does not apply inside one file, where every row shares the source.

Distances are measured in metres, in the local metric projection of
:func:`layers.geo.geodesy.metric_groups`, through an STRtree, so a file is matched
against a project of 100,000 facilities at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

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
#: Two lines or polygons with the same name no further apart than this are one shape.
SHAPE_TOLERANCE_M = 1.0
#: How the command line tells a planner to import duplicates anyway.
CLI_HINT = "use --allow-duplicates to import them"
#: The fields two rows at one place (or of one shape) share when they are one feature.
KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "facilities": ("name", "category"),
    "communities": ("name",),
    "roads": ("name",),
    "boundaries": ("community",),
}

#: Finds pairs ``(i, j)`` of metric geometries ``mine[i]``, ``theirs[j]`` that match.
Matcher = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


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
                    radius_m: float = MATCH_RADIUS_M,
                    tolerance_m: float = SHAPE_TOLERANCE_M) -> Duplicates:
    """Find the rows of ``new`` already in ``existing`` or repeated within ``new``.

    Parameters
    ----------
    new : GeoDataFrame
        Rows to import, conformed to the layer's schema (categories as ids).
    existing : GeoDataFrame or None
        The project layer's features, or None when the project has no such layer.
    layer : str
        The target layer: one of :data:`KEY_FIELDS`; rows of other layers are kept.
    radius_m : float
        Ground distance in metres within which same-named points are one place.
    tolerance_m : float
        Largest distance in metres between two same-named lines or polygons that
        are one shape (their Hausdorff distance).

    Returns
    -------
    Duplicates
        One flag per row of ``new``, in its order.
    """
    n = len(new)
    in_project, in_file = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    if n == 0 or layer not in KEY_FIELDS:
        return Duplicates(in_project, in_file)
    points = SCHEMAS[layer].geometry == "Point"
    match: Matcher = (partial(_near, radius_m=radius_m) if points
                      else partial(_same_shape, tolerance_m=tolerance_m))
    keys = _keys(new, layer)
    if existing is not None and len(existing):
        first = KEY_FIELDS[layer][0]
        # every rule needs the same name: a file rarely shares names with most of a city
        old = existing[_texts(existing, first).isin(_texts(new, first).unique()).to_numpy()]
        if points:
            sources, names = _texts(new, "source"), _texts(new, "name")
            in_project |= ((sources != "")
                           & (sources + "\x1f" + names).isin(_source_ids(old).unique())
                           ).to_numpy()
        i, j = _pairs(new, old, match)
        same = keys[i] == _keys(old, layer)[j]
        in_project[i[same]] = True
    i, j = _pairs(new, None, match)
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
        Gets the duplicate count, the skipped and imported counts and the lines; its
        unknown categories are recounted over the rows imported.
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
    in_project, in_file = _rules(layer)
    for count, where, rule in ((n_project, "already in the project", in_project),
                               (n_file, "repeated in the file", in_file)):
        if count:
            rows = "1 row" if count == 1 else "{n} rows"
            if allow:
                report.warn("imported " + rows + " {where} ({rule}), as asked", n=count,
                            where=where, rule=rule)
            else:
                report.warn("skipped " + rows + " {where} ({rule}); {hint}", n=count,
                            where=where, rule=rule, hint=hint)
    if allow or not found.rows.any():
        return frame.copy()
    report.skipped += report.duplicates
    report.keep_rows(~found.rows)
    return frame[~found.rows].reset_index(drop=True)


def _rules(layer: str) -> tuple[str, str]:
    """Say when a row of ``layer`` is already in the project, and when it repeats one."""
    if layer in ("roads", "boundaries"):
        what = "the same community and polygon" if layer == "boundaries" else \
            "the same name and line"
        rule = f"{what} within {SHAPE_TOLERANCE_M:g} m"
        return rule, rule
    same = "same name and category" if layer == "facilities" else "same name"
    near = f"{same} within {MATCH_RADIUS_M:g} m"
    return f"same source and name, or {near}", near


def _texts(frame: gpd.GeoDataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series([""] * len(frame), dtype=object)
    # plain objects: hashing them is several times faster than arrow strings' isin
    return frame[column].fillna("").astype(str).str.strip().astype(object).reset_index(
        drop=True)


def _keys(frame: gpd.GeoDataFrame, layer: str) -> np.ndarray:
    """Return what two rows at one place share when they are one feature (name, category)."""
    first, *rest = KEY_FIELDS[layer]
    key = _texts(frame, first)
    for column in rest:
        key = key + "\x1f" + _texts(frame, column)
    return key.to_numpy()


def _source_ids(frame: gpd.GeoDataFrame) -> pd.Series:
    sources = _texts(frame, "source")
    return (sources + "\x1f" + _texts(frame, "name"))[sources != ""]


def _near(mine: np.ndarray, theirs: np.ndarray, radius_m: float
          ) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of metric points no further apart than ``radius_m``."""
    return shapely.STRtree(theirs).query(mine, predicate="dwithin", distance=radius_m)


def _same_shape(mine: np.ndarray, theirs: np.ndarray, tolerance_m: float
                ) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of metric lines or polygons whose every point is within ``tolerance_m`` of the other.

    Candidates are found by their extents (which two same shapes share to within
    the tolerance), then checked by Hausdorff distance, which measures from each
    vertex to the other's edges: a line drawn backwards, split into parts or with
    an extra vertex on an edge is still the same line.
    """
    ba, bb = shapely.bounds(mine), shapely.bounds(theirs)
    grown = shapely.box(ba[:, 0] - tolerance_m, ba[:, 1] - tolerance_m,
                        ba[:, 2] + tolerance_m, ba[:, 3] + tolerance_m)
    qa, qb = shapely.STRtree(theirs).query(grown)
    close = np.abs(ba[qa] - bb[qb]).max(axis=1) <= tolerance_m if len(qa) else qa.astype(bool)
    qa, qb = qa[close], qb[close]
    same = shapely.hausdorff_distance(mine[qa], theirs[qb]) <= tolerance_m
    return qa[same], qb[same]


def _pairs(a: gpd.GeoDataFrame, b: gpd.GeoDataFrame | None,
           match: Matcher) -> tuple[np.ndarray, np.ndarray]:
    """Return row pairs ``(i, j)`` of ``a`` and ``b`` whose geometries ``match`` in metres.

    With ``b`` None, pairs of ``a`` with itself (each row pairs with itself too).
    Each city's rows are projected to its own local metric projection, chosen by
    the centre of each row's extent.
    """
    ga = a.geometry.to_numpy()
    gb = ga if b is None else b.geometry.to_numpy()
    ia, ib = np.nonzero(has_geometry(ga))[0], np.nonzero(has_geometry(gb))[0]
    none = (np.empty(0, dtype=int), np.empty(0, dtype=int))
    if len(ia) == 0 or len(ib) == 0:
        return none
    rows = ia if b is None else np.concatenate([ia, ib])
    geoms = ga[ia] if b is None else np.concatenate([ga[ia], gb[ib]])
    from_a = np.arange(len(geoms)) < len(ia)
    bounds = shapely.bounds(geoms)
    lon, lat = (bounds[:, 0] + bounds[:, 2]) / 2, (bounds[:, 1] + bounds[:, 3]) / 2
    pairs_a, pairs_b = [], []
    for group, crs in metric_groups(lon, lat):  # one projection per city
        mine = from_a[group]
        theirs = mine if b is None else ~mine
        if not mine.any() or not theirs.any():
            continue
        forward, _ = metric_transformers(crs)
        metric = shapely.transform(geoms[group], lambda c, f=forward: np.column_stack(
            f.transform(c[:, 0], c[:, 1])))
        qa, qb = match(metric[mine], metric[theirs])
        pairs_a.append(rows[group[mine][qa]])
        pairs_b.append(rows[group[theirs][qb]])
    if not pairs_a:
        return none
    return np.concatenate(pairs_a), np.concatenate(pairs_b)
