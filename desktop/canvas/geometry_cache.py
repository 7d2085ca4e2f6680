"""Display-ready coordinates of a layer, kept in step with its edits.

Converting lon/lat to Web Mercator and building spatial indexes is the costly
part of drawing and picking; this cache does it once and patches it on small
edits instead of redoing it for the whole layer.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
import shapely

from layers.geo.map_view import lonlat_to_mercator
from layers.model.categories import CATEGORIES
from layers.model.events import FeaturesChanged
from layers.model.layer import FeatureLayer, has_geometry

_CODE = {c.id: i for i, c in enumerate(CATEGORIES)}
_OTHER = _CODE["other"]
#: the category ids in code order, to look a whole column up at once
_CODE_INDEX = pd.Index(list(_CODE), dtype=object)


class LineArrays(NamedTuple):
    """Line parts as flat arrays: part ``i`` is ``xy[starts[i]:starts[i + 1]]``."""

    xy: np.ndarray
    starts: np.ndarray
    bounds: np.ndarray
    rows: np.ndarray


class LayerGeometryCache:
    """Mercator coordinates, category codes and a spatial index for one layer.

    Parameters
    ----------
    layer : FeatureLayer
        The layer to follow.
    """

    def __init__(self, layer: FeatureLayer) -> None:
        self.layer = layer
        self._x: np.ndarray | None = None
        self._y: np.ndarray | None = None
        self._codes: np.ndarray | None = None
        self._tree: shapely.STRtree | None = None
        self._polys: list | None = None
        self._line_arrays: LineArrays | None = None
        self._poly_bounds: np.ndarray | None = None
        self._circles: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._points_only: bool | None = None
        layer.features_changed.connect(self._on_change)

    def close(self) -> None:
        """Stop following the layer (the cache is being dropped)."""
        self.layer.features_changed.disconnect(self._on_change)

    def _on_change(self, event: FeaturesChanged) -> None:
        change, rows, fields = event.change, event.rows, event.fields
        self._tree = None
        self._points_only = self._still_points(change, rows)
        self._polys = None
        self._line_arrays = None
        self._poly_bounds = None
        self._circles = None
        if self._x is None:
            return
        if change == "added" and isinstance(rows, tuple):
            start, end = rows
            geoms = self.layer.frame.geometry.to_numpy()[start:end]
            x, y = _point_xy(geoms)
            self._x = np.concatenate([self._x, x])
            self._y = np.concatenate([self._y, y])
            if self._codes is not None:
                cats = self.layer.frame["category"].to_numpy()[start:end]
                self._codes = np.concatenate([self._codes, _codes(cats)])
        elif (change == "removed" and isinstance(rows, list)
              and len(self._x) == len(self.layer) + len(rows)):
            # a delete at a million: drop the rows (ms) rather than convert them all again
            keep = np.ones(len(self._x), dtype=bool)
            keep[rows] = False
            self._x, self._y = self._x[keep], self._y[keep]
            if self._codes is not None and len(self._codes) == len(keep):
                self._codes = self._codes[keep]
        elif change == "moved" and isinstance(rows, list) and len(rows) == 1:
            r = rows[0]
            x, y = _point_xy(self.layer.frame.geometry.to_numpy()[r : r + 1])
            self._x[r], self._y[r] = x[0], y[0]
        elif change == "updated" and fields and "category" not in fields:
            return
        else:
            self._x = self._y = self._codes = None

    def _still_points(self, change: str, rows: object) -> bool | None:
        """Whether the layer holds points only after an edit; None when unknown."""
        if change in ("updated", "removed") and self._points_only:
            return True  # attributes changed, or points went: still points only
        if change in ("added", "moved") and self._points_only:
            if isinstance(rows, tuple):
                rows = np.arange(*rows)
            geoms = self.layer.frame.geometry.to_numpy()[np.asarray(rows, dtype=np.int64)]
            return bool(np.isin(shapely.get_type_id(geoms), (-1, 0)).all())
        return None

    def points(self) -> tuple[np.ndarray, np.ndarray]:
        """Return Mercator x and y of every feature (representative points).

        Returns
        -------
        (ndarray, ndarray)
            Metres, one per row; NaN for empty geometry.
        """
        if self._x is None:
            self._x, self._y = _point_xy(self.layer.frame.geometry.to_numpy())
            # a render asks for the points first, mostly off the GUI thread: the
            # geometry types are read there too, not by the planner's first click
            self._is_points()
        return self._x, self._y

    def codes(self) -> np.ndarray:
        """Return the category code (index into the registry) of every row.

        Returns
        -------
        ndarray of int
            Codes; layers without ``category`` get ``other``.
        """
        if self._codes is None or len(self._codes) != len(self.layer):
            if "category" in self.layer.frame.columns:
                self._codes = _codes(self.layer.frame["category"].to_numpy())
            else:
                self._codes = np.full(len(self.layer), _OTHER, dtype=np.int16)
        return self._codes

    def tree(self) -> shapely.STRtree:
        """Return an STRtree over the features' Mercator geometry.

        Returns
        -------
        shapely.STRtree
            Built on first use after any edit.
        """
        if self._tree is None:
            if self._is_points():
                x, y = self.points()
                placed = np.isfinite(x) & np.isfinite(y)
                # a feature with no position is no tree entry, so picking never finds it
                self._tree = shapely.STRtree(np.where(placed, shapely.points(x, y), None))
            else:
                self._tree = shapely.STRtree(self.mercator_geometries())
        return self._tree

    def _is_points(self) -> bool:
        if self._points_only is None:
            # type ids, not names: a million names take a tenth of a second
            ids = shapely.get_type_id(self.layer.frame.geometry.to_numpy())
            self._points_only = bool(np.isin(ids, (-1, 0)).all())
        return self._points_only

    def mercator_geometries(self) -> np.ndarray:
        """Return the features' geometries transformed to Web Mercator.

        Returns
        -------
        ndarray of shapely.Geometry
            One per row.
        """
        geoms = self.layer.frame.geometry.to_numpy()
        return shapely.transform(geoms, _mercator_coords)

    def pick(self, mx: float, my: float, tolerance: float) -> int | None:
        """Return the row nearest to a Mercator point within ``tolerance`` metres.

        Parameters
        ----------
        mx, my : float
            Mercator position.
        tolerance : float
            Search radius in Mercator metres.

        Returns
        -------
        int or None
            Row position, or None when nothing is near.
        """
        if len(self.layer) == 0:
            return None
        if self._is_points():
            # a scan of the coordinate arrays takes milliseconds even at a million
            # points, where building an index would make the first click wait a second
            x, y = self.points()
            near = np.flatnonzero((np.abs(x - mx) <= tolerance) & (np.abs(y - my) <= tolerance))
            if len(near) == 0:
                return None
            d2 = (x[near] - mx) ** 2 + (y[near] - my) ** 2
            best = int(np.argmin(d2))
            return int(near[best]) if d2[best] <= tolerance * tolerance else None
        hit = self.tree().query_nearest(shapely.Point(mx, my), max_distance=tolerance,
                                        return_distance=False, all_matches=False)
        return int(hit[0]) if len(hit) else None

    def in_rect(self, xmin: float, ymin: float, xmax: float, ymax: float) -> np.ndarray:
        """Return rows whose geometry intersects a Mercator rectangle.

        Parameters
        ----------
        xmin, ymin, xmax, ymax : float
            Rectangle.

        Returns
        -------
        ndarray of int
            Row positions, sorted.
        """
        if len(self.layer) == 0:
            return np.zeros(0, dtype=np.int64)
        if self._is_points():
            x, y = self.points()
            return np.flatnonzero((x >= xmin) & (x <= xmax) & (y >= ymin) & (y <= ymax))
        rows = self.tree().query(shapely.box(xmin, ymin, xmax, ymax), predicate="intersects")
        return np.sort(rows)

    def polygons(self) -> list[tuple[int, list[np.ndarray]]]:
        """Return each polygon row's rings in Mercator metres.

        Returns
        -------
        list of (int, list of ndarray)
            Row and its rings, each an (n, 2) array; holes follow shells.
        """
        if self._polys is None:
            out = []
            for row, geom in enumerate(self.mercator_geometries()):
                if geom is None or geom.is_empty:
                    continue
                parts = getattr(geom, "geoms", [geom])
                rings = []
                for part in parts:
                    if part.geom_type != "Polygon":
                        continue
                    rings.append(np.asarray(part.exterior.coords))
                    rings.extend(np.asarray(r.coords) for r in part.interiors)
                if rings:
                    out.append((row, rings))
            self._polys = out
        return self._polys

    def polygon_bounds(self) -> np.ndarray:
        """Return the Mercator bounds of each entry of :meth:`polygons`, for culling.

        Returns
        -------
        ndarray
            ``(n, 4)``: xmin, ymin, xmax, ymax.
        """
        if self._poly_bounds is None:
            polys = self.polygons()
            self._poly_bounds = np.array(
                [(min(r[:, 0].min() for r in rings), min(r[:, 1].min() for r in rings),
                  max(r[:, 0].max() for r in rings), max(r[:, 1].max() for r in rings))
                 for _, rings in polys], dtype=float).reshape(len(polys), 4)
        return self._poly_bounds

    def circles(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return the centre and Mercator radius of every row, read as a circle.

        Returns
        -------
        (ndarray, ndarray, ndarray)
            Centre x, centre y and radius, in Mercator metres, one per row: the
            centre of the row's bounds and its ``radius_m`` (NaN where missing).
        """
        if self._circles is None:
            frame = self.layer.frame
            bounds = shapely.bounds(frame.geometry.to_numpy())  # NaN for no position
            lon = (bounds[:, 0] + bounds[:, 2]) / 2
            lat = (bounds[:, 1] + bounds[:, 3]) / 2
            mx, my = lonlat_to_mercator(lon, lat)
            radius = (frame["radius_m"].to_numpy(dtype=float, na_value=np.nan)
                      if "radius_m" in frame.columns else np.full(len(frame), np.nan))
            # Mercator is conformal: a small ground circle stays a circle, scaled by 1/cos(lat)
            self._circles = (mx, my, radius / np.cos(np.radians(lat)))
        return self._circles

    def line_arrays(self) -> LineArrays:
        """Return every line part as flat arrays, for culling and drawing in bulk.

        Returns
        -------
        LineArrays
            Vertices (Mercator metres), part offsets, bounding boxes and rows.
        """
        if self._line_arrays is None:
            geoms = np.asarray(self.mercator_geometries(), dtype=object)
            ok = has_geometry(geoms)
            rows = np.nonzero(ok)[0]
            parts, which = shapely.get_parts(geoms[ok], return_index=True)
            line = np.isin(shapely.get_type_id(parts), (1, 2))
            parts, part_rows = parts[line], rows[which[line]]
            xy, owner = shapely.get_coordinates(parts, return_index=True)
            starts = np.searchsorted(owner, np.arange(len(parts) + 1))
            self._line_arrays = LineArrays(xy, starts, shapely.bounds(parts), part_rows)
        return self._line_arrays


def _mercator_coords(coords: np.ndarray) -> np.ndarray:
    x, y = lonlat_to_mercator(coords[:, 0], coords[:, 1])
    return np.column_stack([x, y])


def _point_xy(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mercator x and y of each feature's representative point; NaN for no position."""
    lon = np.full(len(geoms), np.nan)
    lat = np.full(len(geoms), np.nan)
    ok = has_geometry(geoms)
    if ok.any():
        pts = geoms[ok]
        other = shapely.get_type_id(pts) != 0
        if other.any():  # points are their own representative point
            pts = pts.copy()
            pts[other] = shapely.point_on_surface(pts[other])
        lon[ok], lat[ok] = shapely.get_x(pts), shapely.get_y(pts)
    return lonlat_to_mercator(lon, lat)


def _codes(categories: np.ndarray) -> np.ndarray:
    # looked up as a whole column, not row by row in Python (0.3 s at a million): the
    # few distinct values are found once (0.06 s at a million, Arrow's lookup 0.11 s)
    codes, distinct = pd.factorize(np.asarray(categories, dtype=object))
    found = _CODE_INDEX.get_indexer(distinct) if len(distinct) else np.empty(0, np.intp)
    looked_up = np.where(codes < 0, -1, found[np.maximum(codes, 0)] if len(found) else -1)
    return np.where(looked_up < 0, _OTHER, looked_up).astype(np.int16)
