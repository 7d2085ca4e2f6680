"""The print layout: a page of a map a 街道 hands upward, as plain data.

A layout is a page size and frames placed on it in points (1/72 inch), like
QGIS's ``QgsLayout``: title, subtitle, map, legend, scale bar, north arrow,
area name, sources and date, 审图号, and an optional overview inset. The same
:class:`PageLayout` is drawn by ``desktop/canvas/print_layout.py`` to PDF, PNG
and SVG, for ``main.py export-map`` and for File ▸ Export Map…, so the two
cannot drift apart. Nothing here imports Qt.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import shapely

from layers.export.errors import ExportError
from layers.geo.geodesy import geodesic_m
from layers.geo.map_view import lonlat_to_mercator, mercator_to_lonlat, nice_scale_length
from layers.model.categories import category_counts
from layers.model.layer import has_geometry
from layers.model.project import Project
from layers.model.schema import LAYER_TITLES_ZH, GeometryKind, LayerRole

#: Paper sizes in points, portrait (width, height); ISO 216 rounded as PDF viewers show them.
PAPER_POINTS: dict[str, tuple[int, int]] = {"A4": (595, 842), "A3": (842, 1191)}
#: Metres in one point (1/72 inch), for the 1:N scale of the printed page.
METRES_PER_POINT = 0.0254 / 72
#: Ground area a map shows at least, so one facility is not drawn at street-sign scale.
MIN_SPAN_M = 600.0
#: How many data sources the footer names before it says "等 N 项".
MAX_SOURCES = 4


@dataclass(frozen=True)
class Rect:
    """A frame on the page, in points from the top-left corner.

    Attributes
    ----------
    x, y, w, h : float
        Left, top, width and height.
    """

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        """Right edge."""
        return self.x + self.w

    @property
    def bottom(self) -> float:
        """Bottom edge."""
        return self.y + self.h


@dataclass
class LayoutOptions:
    """What the planner chose for the page (the CLI flags and the dialog's fields).

    Attributes
    ----------
    paper : str
        ``"A4"`` or ``"A3"``.
    landscape : bool
        Landscape rather than portrait.
    dpi : int
        Resolution of a PNG (a PDF or SVG map is vector; only basemap tiles are pictures).
    title, subtitle, author, review_number : str
        Texts on the page; the 审图号 is printed only when given.
    community : str, optional
        Fit the map to this community and its facilities.
    extent : tuple of float, optional
        Fit the map to ``(west, south, east, north)`` in degrees instead.
    minutes : float, optional
        Draw the service circles of this walk around the facilities shown.
    radius_m : float, optional
        The circles' radius; by default the GB 50180 preset for ``minutes``.
    basemap : str
        ``"none"`` for now; the hook for the basemap option.
    overview : bool
        Add an inset of the whole project with the map's extent marked.
    date : datetime.date, optional
        The date printed; today when not given.
    """

    paper: str = "A4"
    landscape: bool = False
    dpi: int = 300
    title: str = ""
    subtitle: str = ""
    author: str = ""
    review_number: str = ""
    community: str | None = None
    extent: tuple[float, float, float, float] | None = None
    minutes: float | None = None
    radius_m: float | None = None
    basemap: str = "none"
    overview: bool = False
    date: _dt.date | None = None


@dataclass(frozen=True)
class LegendEntry:
    """One line of the legend.

    Attributes
    ----------
    key : str
        Category id for a facility line, else the layer's name.
    label : str
        What the legend says (the category's Chinese label, or the layer's).
    count : int
        How many of them are in the map.
    kind : str
        ``"category"``, ``"communities"``, ``"circles"`` or ``"layer"``.
    """

    key: str
    label: str
    count: int
    kind: str


@dataclass(frozen=True)
class ScaleBar:
    """A scale bar of a round length, true at the map's centre latitude.

    Attributes
    ----------
    length_m : float
        Ground length the bar stands for.
    length_pt : float
        The bar's length on paper, in points.
    label : str
        ``"500 m"`` or ``"2 km"``.
    denominator : int
        N of the 1:N scale, rounded to two significant digits.
    """

    length_m: float
    length_pt: float
    label: str
    denominator: int


@dataclass
class PageLayout:
    """A whole page, ready to draw.

    Attributes
    ----------
    options : LayoutOptions
        The choices it was built from.
    width, height : float
        Page size in points.
    frames : dict of str to Rect
        Where each item goes: ``title``, ``subtitle``, ``map``, ``legend``,
        ``scale_bar``, ``north_arrow``, ``area``, ``footer``, ``review_number``,
        ``overview`` (the last only when asked for).
    bounds : tuple of float
        ``(west, south, east, north)`` the map frame shows, in degrees.
    mercator : tuple of float
        The same, in Web Mercator metres (what the renderer draws).
    legend : list of LegendEntry
        Only what is in the map, with counts.
    scale_bar : ScaleBar
        The scale bar.
    area_name : str
        The administrative area shown, e.g. ``"浙江省杭州市西湖区"``.
    sources : list of str
        Data sources of the facilities shown.
    overview_bounds : tuple of float, optional
        Degrees the overview inset shows.
    circles : object, optional
        The service circles to draw (a GeoDataFrame) when ``minutes`` was given.
    corners : dict of str to str
        The map corner the north arrow and the scale bar took (the ones that
        cover the fewest features and names).
    """

    options: LayoutOptions
    width: float
    height: float
    frames: dict[str, Rect]
    bounds: tuple[float, float, float, float]
    mercator: tuple[float, float, float, float]
    legend: list[LegendEntry]
    scale_bar: ScaleBar
    area_name: str
    sources: list[str]
    overview_bounds: tuple[float, float, float, float] | None = None
    circles: object | None = field(default=None, repr=False)
    corners: dict[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        """The title printed: the planner's, else the area's map."""
        return self.options.title or f"{self.options.community or self.area_name}社区设施分布图"

    @property
    def date_text(self) -> str:
        """The date printed, ``YYYY年M月D日``."""
        d = self.options.date or _dt.date.today()
        return f"{d.year}年{d.month}月{d.day}日"

    @property
    def footer_lines(self) -> list[str]:
        """Sources, author, basemap attribution and date, one item per line."""
        lines = ["数据来源：" + ("；".join(self.sources) if self.sources else "无")]
        credits = []
        if self.options.author:
            credits.append(f"制图：{self.options.author}")
        credits.append(f"底图：{basemap_attribution(self.options.basemap)}")
        credits.append(admin_attribution())  # the boundaries under the map and the inset
        credits.append(f"制图日期：{self.date_text}")
        lines.append("    ".join(credits))
        return lines


def page_size(paper: str, landscape: bool) -> tuple[int, int]:
    """Return the page's width and height in points.

    Parameters
    ----------
    paper : str
        ``"A4"`` or ``"A3"`` (any case).
    landscape : bool
        Turn the page sideways.

    Returns
    -------
    (int, int)
        Width and height; A4 landscape is ``(842, 595)``.

    Raises
    ------
    ExportError
        For a paper size not offered.
    """
    try:
        w, h = PAPER_POINTS[paper.upper()]
    except KeyError:
        raise ExportError(f"paper must be one of {', '.join(PAPER_POINTS)}, not {paper!r}") \
            from None
    return (h, w) if landscape else (w, h)


def page_frames(width: float, height: float, overview: bool = False) -> dict[str, Rect]:
    """Place the items on a page of the given size.

    The map fills the page below the title block, less margins; the legend and
    the overview sit in a column at its right, the scale bar and north arrow
    inside its lower-left and upper-right corners, the footer at the bottom.

    Parameters
    ----------
    width, height : float
        Page size in points.
    overview : bool
        Reserve a frame for the overview inset.

    Returns
    -------
    dict of str to Rect
        The frames by item name.
    """
    unit = min(width, height) / 595  # 1 on A4, about 1.4 on A3
    margin = 28 * unit
    title_h, subtitle_h = 30 * unit, 18 * unit
    footer_h = 30 * unit
    top = margin + title_h + subtitle_h + 6 * unit
    column_w = 150 * unit
    gap = 10 * unit
    map_rect = Rect(margin, top, width - 2 * margin - column_w - gap,
                    height - top - margin - footer_h)
    col_x = map_rect.right + gap
    frames = {
        "title": Rect(margin, margin, width - 2 * margin, title_h),
        "subtitle": Rect(margin, margin + title_h, width - 2 * margin, subtitle_h),
        "map": map_rect,
        "area": Rect(col_x, top, column_w, 34 * unit),
        "legend": Rect(col_x, top + 40 * unit, column_w, map_rect.h - 40 * unit),
        "north_arrow": Rect(map_rect.right - 40 * unit, map_rect.y + 10 * unit,
                            30 * unit, 44 * unit),
        "scale_bar": Rect(map_rect.x + 10 * unit, map_rect.bottom - 36 * unit,
                          map_rect.w / 3, 26 * unit),
        "footer": Rect(margin, map_rect.bottom + 6 * unit, width - 2 * margin - column_w - gap,
                       footer_h - 6 * unit),
        "review_number": Rect(col_x, map_rect.bottom + 6 * unit, column_w,
                              footer_h - 6 * unit),
    }
    if overview:
        side = column_w
        frames["overview"] = Rect(col_x, map_rect.bottom - side, side, side)
        frames["legend"] = Rect(col_x, top + 40 * unit, column_w,
                                map_rect.h - 40 * unit - side - gap)
    return frames


#: Corners of the map frame that the north arrow and the scale bar may take.
CORNERS = ("top_right", "top_left", "bottom_right", "bottom_left")


def corner_rect(frame: Rect, w: float, h: float, corner: str, inset: float) -> Rect:
    """Return a box of ``w × h`` points in one corner of a frame.

    Parameters
    ----------
    frame : Rect
        The map frame.
    w, h : float
        The box's size.
    corner : str
        One of :data:`CORNERS`.
    inset : float
        Space between the box and the frame's edges.

    Returns
    -------
    Rect
        The box.
    """
    x = frame.x + inset if corner.endswith("left") else frame.right - inset - w
    y = frame.y + inset if corner.startswith("top") else frame.bottom - inset - h
    return Rect(x, y, w, h)


def quiet_corner(frame: Rect, w: float, h: float, points: np.ndarray,
                 prefer: tuple[str, ...], inset: float, taken: tuple[Rect, ...] = ()
                 ) -> tuple[str, Rect]:
    """Return the corner where a box covers the fewest features and names.

    Parameters
    ----------
    frame : Rect
        The map frame.
    w, h : float
        The box's size in points.
    points : ndarray
        ``(n, 2)`` page positions of what should stay visible (symbols, names).
    prefer : tuple of str
        Corners in the order tried; a tie goes to the first.
    inset : float
        Space between the box and the frame's edges.
    taken : tuple of Rect
        Boxes already placed, never overlapped.

    Returns
    -------
    (str, Rect)
        The corner and the box.
    """
    best: tuple[int, int, str, Rect] | None = None
    for rank, corner in enumerate(prefer):
        box = corner_rect(frame, w, h, corner, inset)
        if any(box.x < t.right and t.x < box.right and box.y < t.bottom and t.y < box.bottom
               for t in taken):
            continue
        covered = int(np.count_nonzero(
            (points[:, 0] >= box.x) & (points[:, 0] <= box.right)
            & (points[:, 1] >= box.y) & (points[:, 1] <= box.bottom))) if len(points) else 0
        if best is None or (covered, rank) < best[:2]:
            best = (covered, rank, corner, box)
    if best is None:  # every corner taken: the first choice
        return prefer[0], corner_rect(frame, w, h, prefer[0], inset)
    return best[2], best[3]


def map_obstacles(project: Project, mercator: tuple[float, float, float, float],
                  frame: Rect) -> np.ndarray:
    """Return page positions the map furniture should not cover: features, their names, areas.

    Each feature gives its symbol and three points along where its name is
    written (right of it); each district and city in view gives the point its
    name is written at, and the top centre (where a name filling the map goes).

    Parameters
    ----------
    project : Project
        The project.
    mercator : tuple of float
        The map's extent in Web Mercator metres.
    frame : Rect
        The map frame on the page.

    Returns
    -------
    ndarray
        ``(n, 2)`` page points.
    """
    x0, y0, x1, y1 = mercator
    lon0, lat0 = (float(v) for v in mercator_to_lonlat(x0, y0))
    lon1, lat1 = (float(v) for v in mercator_to_lonlat(x1, y1))
    bounds = (lon0, lat0, lon1, lat1)
    # longitudes and latitudes apart, so a million facilities are not copied back and forth
    lons: list[np.ndarray] = []
    lats: list[np.ndarray] = []
    for layer in project.layers:
        if not layer.visible or len(layer) == 0:
            continue
        if layer.kind is GeometryKind.POINT:
            geoms = layer.frame.geometry.to_numpy()
            geoms = geoms[has_geometry(geoms)]
            lons.append(shapely.get_x(geoms))
            lats.append(shapely.get_y(geoms))
    try:
        from layers.geo.admin_areas import admin_level

        for level in ("city", "district"):
            areas = admin_level(level)
            rows = areas.in_bounds(bounds)
            if len(rows):
                pts = shapely.point_on_surface(
                    shapely.clip_by_rect(areas.geometries[rows], *bounds))
                pts = pts[~shapely.is_empty(pts)]
                lons.append(shapely.get_x(pts))
                lats.append(shapely.get_y(pts))
    except (ImportError, OSError):  # no bundled boundaries: only the features count
        pass
    n = sum(len(lon) for lon in lons)
    steps = (0.0, 15.0, 35.0, 55.0)  # the symbol, then along its name
    out = np.empty((1 + len(steps) * n, 2))
    out[0] = (frame.x + frame.w / 2, frame.y + 14.0)
    if n:
        mx, my = lonlat_to_mercator(np.concatenate(lons), np.concatenate(lats))
        px = frame.x + (np.asarray(mx) - x0) / (x1 - x0) * frame.w
        py = frame.y + (y1 - np.asarray(my)) / (y1 - y0) * frame.h
        for k, dx in enumerate(steps):
            np.add(px, dx, out=out[1 + k * n:1 + (k + 1) * n, 0])
            out[1 + k * n:1 + (k + 1) * n, 1] = py
    return out


def place_furniture(frames: dict[str, Rect], scale_bar: ScaleBar, points: np.ndarray,
                    unit: float) -> dict[str, str]:
    """Move the north arrow and the scale bar to corners that cover the least.

    The north arrow prefers the top right, the scale bar the bottom left, as on
    most maps; either moves when its corner would hide features or names.

    Parameters
    ----------
    frames : dict of str to Rect
        The page's frames; ``north_arrow`` and ``scale_bar`` are replaced.
    scale_bar : ScaleBar
        The bar (its length sets the box's width).
    points : ndarray
        ``(n, 2)`` page positions to keep visible (:func:`map_obstacles`).
    unit : float
        Points per A4 point (1 on A4).

    Returns
    -------
    dict of str to str
        The corner each item took.
    """
    frame = frames["map"]
    arrow = frames["north_arrow"]
    north_corner, frames["north_arrow"] = quiet_corner(
        frame, arrow.w, arrow.h, points, CORNERS, 10 * unit)
    bar = frames["scale_bar"]
    width = min(frame.w / 3, scale_bar.length_pt + 70 * unit)
    scale_corner, frames["scale_bar"] = quiet_corner(
        frame, width, bar.h, points, ("bottom_left", "bottom_right", "top_left", "top_right"),
        10 * unit, taken=(frames["north_arrow"],))
    return {"north_arrow": north_corner, "scale_bar": scale_corner}


def metres_per_degree_longitude(lat: float) -> float:
    """Return the ground length of one degree of longitude at a latitude.

    Parameters
    ----------
    lat : float
        Latitude in degrees.

    Returns
    -------
    float
        Metres on the WGS 84 ellipsoid (about 96,500 m at 30°N).
    """
    return geodesic_m(0.0, lat, 1.0, lat)


def scale_bar_for(west: float, east: float, lat: float, frame_width_pt: float) -> ScaleBar:
    """Choose a round scale bar for a map frame, true at ``lat``.

    Parameters
    ----------
    west, east : float
        Longitudes at the frame's left and right edges.
    lat : float
        The map's centre latitude (where the bar is true).
    frame_width_pt : float
        The map frame's width on paper.

    Returns
    -------
    ScaleBar
        At most a third of the frame long.
    """
    metres_per_pt = (east - west) * metres_per_degree_longitude(lat) / frame_width_pt
    length_m = nice_scale_length(metres_per_pt * frame_width_pt / 4)
    label = f"{length_m / 1000:g} km" if length_m >= 1000 else f"{length_m:g} m"
    return ScaleBar(length_m, length_m / metres_per_pt, label,
                    _two_digits(metres_per_pt / METRES_PER_POINT))


def _two_digits(n: float) -> int:
    if n <= 0 or not math.isfinite(n):
        return 0
    digits = max(0, int(math.log10(n)) - 1)
    return int(round(n / 10**digits) * 10**digits)


def admin_attribution() -> str:
    """Return the credit of the bundled boundaries drawn under the map and the inset.

    Returns
    -------
    str
        The credit line.
    """
    from layers.geo.admin_areas import ATTRIBUTION

    return ATTRIBUTION


def basemap_attribution(basemap: str) -> str:
    """Return the attribution printed for a basemap choice.

    Parameters
    ----------
    basemap : str
        The ``--basemap`` value.

    Returns
    -------
    str
        "无（离线）" without a basemap, else the tile source's credit line.
    """
    from layers.geo.basemaps import attribution_for

    if basemap in ("", "none"):
        return "无（离线）"
    return attribution_for(basemap) or basemap


def parse_extent(text: str) -> tuple[float, float, float, float]:
    """Read ``W,S,E,N`` in degrees.

    Parameters
    ----------
    text : str
        Four comma-separated numbers.

    Returns
    -------
    tuple of float
        West, south, east, north.

    Raises
    ------
    ExportError
        When it is not four numbers with west < east and south < north in range.
    """
    try:
        w, s, e, n = (float(v) for v in text.split(","))
    except ValueError:
        raise ExportError(f"--extent must be W,S,E,N in degrees, not {text!r}") from None
    if not (-180 <= w < e <= 180 and -85 <= s < n <= 85):
        raise ExportError(f"--extent {text!r}: need west < east and south < north, in degrees")
    return w, s, e, n


def area_name(project: Project, bounds: tuple[float, float, float, float]) -> str:
    """Name the administrative area a map shows, e.g. ``"浙江省杭州市西湖区"``.

    Uses ``layers.geo.admin_areas.area_name`` (the bundled boundaries) where that
    module exists, else the province, city and district of the communities in
    the extent: the most common one, shortened to the level they share.

    Parameters
    ----------
    project : Project
        The project.
    bounds : tuple of float
        West, south, east, north in degrees.

    Returns
    -------
    str
        The name, or ``""`` when nothing tells.
    """
    try:
        from layers.geo.admin_areas import area_name as from_boundaries  # another part of #15
    except ImportError:
        from_boundaries = None
    if from_boundaries is not None:
        name = from_boundaries(bounds)
        if name:
            return str(name)
    frame = _inside(project.communities.frame, bounds)
    parts = []
    for column in ("province", "city", "district"):
        if column not in frame.columns:
            break
        values = [str(v) for v in frame[column] if isinstance(v, str) and v.strip()]
        if not values:
            break
        value, n = Counter(values).most_common(1)[0]
        parts.append(value)
        if n < len(values):  # several districts in view: name what they share
            parts.pop()
            break
    return "".join(parts)


def data_sources(facilities) -> list[str]:  # noqa: ANN001 - GeoDataFrame
    """Name where the facilities shown come from: article titles, or imported files.

    Parameters
    ----------
    facilities : GeoDataFrame
        The facilities in the map.

    Returns
    -------
    list of str
        ``《title》`` for articles, ``导入自 FILE`` for imports; at most
        :data:`MAX_SOURCES`, then ``等 N 项``.
    """
    seen: list[str] = []
    for value in facilities.get("source", []):
        if not isinstance(value, str) or not value.strip():
            continue
        title = re.search(r"《[^》]+》", value)
        text = _shorten(title.group(0), 40) if title else f"导入自 {value.strip()}"
        if text not in seen:
            seen.append(text)
    if len(seen) > MAX_SOURCES:
        return seen[:MAX_SOURCES] + [f"等 {len(seen)} 项"]
    return seen


def _shorten(title: str, limit: int) -> str:
    return title if len(title) <= limit else title[: limit - 2] + "…》"


def build_layout(project: Project, options: LayoutOptions) -> PageLayout:
    """Build the page for a project and the planner's choices.

    Parameters
    ----------
    project : Project
        The project.
    options : LayoutOptions
        Paper, texts, extent, walk.

    Returns
    -------
    PageLayout
        Everything the page shows, placed.

    Raises
    ------
    ExportError
        For an unknown paper or community, a bad extent or dpi.
    """
    if not 30 <= options.dpi <= 1200:
        raise ExportError("--dpi must be between 30 and 1200")
    width, height = page_size(options.paper, options.landscape)
    frames = page_frames(width, height, options.overview)
    wanted = _wanted_bounds(project, options)
    if options.minutes and options.extent is None:
        # the walk's circles around the facilities asked for are shown whole
        around = _circles(_inside(project.facilities.frame, wanted), options)
        if around is not None and len(around):
            cw, cs, ce, cn = (float(v) for v in shapely.total_bounds(around.geometry.to_numpy()))
            wanted = (min(wanted[0], cw), min(wanted[1], cs), max(wanted[2], ce),
                      max(wanted[3], cn))
    mercator = _fitted_extent(wanted, frames["map"])
    west, south = (float(v) for v in mercator_to_lonlat(mercator[0], mercator[1]))
    east, north = (float(v) for v in mercator_to_lonlat(mercator[2], mercator[3]))
    bounds = (west, south, east, north)
    centre_lat = float(mercator_to_lonlat(0.0, (mercator[1] + mercator[3]) / 2)[1])
    facilities = _inside(project.facilities.frame, bounds)
    circles = _circles(facilities, options)
    layout = PageLayout(
        options=options, width=width, height=height, frames=frames, bounds=bounds,
        mercator=mercator,
        legend=legend_entries(project, bounds, circles, options.minutes),
        scale_bar=scale_bar_for(west, east, centre_lat, frames["map"].w),
        area_name=area_name(project, bounds),
        sources=data_sources(facilities),
        circles=circles,
    )
    layout.corners = place_furniture(frames, layout.scale_bar,
                                     map_obstacles(project, mercator, frames["map"]),
                                     min(width, height) / 595)
    if options.overview:
        layout.overview_bounds = _overview_bounds(project, bounds)
    return layout


def legend_entries(project: Project, bounds: tuple[float, float, float, float],
                   circles: object | None = None, minutes: float | None = None
                   ) -> list[LegendEntry]:
    """List what the map shows: each facility category present, then the other layers.

    Parameters
    ----------
    project : Project
        The project.
    bounds : tuple of float
        West, south, east, north in degrees.
    circles : GeoDataFrame, optional
        Service circles drawn on the page.
    minutes : float, optional
        Their walk.

    Returns
    -------
    list of LegendEntry
        Only categories and layers with something in the extent, with counts.
    """
    entries: list[LegendEntry] = []
    for layer in project.layers:
        if not layer.visible or not len(layer):
            continue
        inside = _inside(layer.frame, bounds)
        if not len(inside):
            continue
        if layer.role is LayerRole.FACILITIES and "category" in inside.columns:
            entries += [LegendEntry(key, label, n, "category")
                        for key, label, n in category_counts(inside["category"])]
        elif layer.role is LayerRole.COMMUNITIES:
            entries.append(LegendEntry(layer.name, "社区", len(inside), "communities"))
        elif layer.role is LayerRole.SERVICE_CIRCLES and circles is not None:
            continue  # the page draws its own circles for --minutes
        else:
            title = LAYER_TITLES_ZH.get(layer.name, layer.title)
            entries.append(LegendEntry(layer.name, title, len(inside), "layer"))
    if circles is not None and len(circles):
        entries.append(LegendEntry("service_circles", f"{minutes:g}分钟步行服务圈",
                                   len(circles), "circles"))
    return entries


def _wanted_bounds(project: Project, options: LayoutOptions
                   ) -> tuple[float, float, float, float]:
    if options.extent is not None:
        return options.extent
    if options.community:
        comms = project.communities.frame
        match = comms[(comms["name"] == options.community)
                      | (comms["parent"] == options.community)]
        if match.empty:
            raise ExportError(f"no community named {options.community!r}")
        fac = project.facilities.frame
        geoms = list(match.geometry) + list(fac[fac["community"].isin(set(match["name"]))]
                                            .geometry)
    else:
        geoms = [g for layer in project.layers for g in layer.frame.geometry]
    arr = np.asarray(geoms, dtype=object)
    arr = arr[has_geometry(arr)] if len(arr) else arr
    if not len(arr):
        raise ExportError("nothing to map: no feature has a position")
    w, s, e, n = (float(v) for v in shapely.total_bounds(arr))
    return w, s, e, n


def _fitted_extent(bounds: tuple[float, float, float, float], frame: Rect
                   ) -> tuple[float, float, float, float]:
    """Grow the bounds (in Mercator) to the frame's shape, with a 6% margin."""
    x0, y0 = (float(v) for v in lonlat_to_mercator(bounds[0], bounds[1]))
    x1, y1 = (float(v) for v in lonlat_to_mercator(bounds[2], bounds[3]))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    lat = float(mercator_to_lonlat(cx, cy)[1])
    min_span = MIN_SPAN_M / math.cos(math.radians(lat))  # mercator metres for MIN_SPAN_M
    span_x = max(x1 - x0, min_span) * 1.12
    span_y = max(y1 - y0, min_span) * 1.12
    aspect = frame.w / frame.h
    if span_x / span_y < aspect:
        span_x = span_y * aspect
    else:
        span_y = span_x / aspect
    return cx - span_x / 2, cy - span_y / 2, cx + span_x / 2, cy + span_y / 2


def _inside(frame, bounds: tuple[float, float, float, float]):  # noqa: ANN001, ANN202
    """Rows of a layer frame whose geometry meets the bounds."""
    geoms = frame.geometry.to_numpy()
    if not len(geoms):
        return frame
    keep = has_geometry(geoms)
    keep[keep] = shapely.intersects(shapely.box(*bounds), geoms[keep])
    return frame[keep]


def _circles(facilities, options: LayoutOptions):  # noqa: ANN001, ANN202
    if not options.minutes:
        return None
    if options.minutes <= 0:
        raise ExportError("--minutes must be a positive number")
    from layers.analysis.service_circles import service_circles_frame
    from layers.geo.walking import walk_settings

    radius = options.radius_m or walk_settings("gb50180").radius_m(options.minutes)
    return service_circles_frame(facilities, options.minutes, radius)


def _overview_bounds(project: Project, bounds: tuple[float, float, float, float]
                     ) -> tuple[float, float, float, float]:
    """Return the whole project's extent, and at least a few times the map's, as a square."""
    geoms = np.asarray([g for layer in project.layers for g in layer.frame.geometry],
                       dtype=object)
    geoms = geoms[has_geometry(geoms)] if len(geoms) else geoms
    w, s, e, n = bounds
    if len(geoms):
        pw, ps, pe, pn = (float(v) for v in shapely.total_bounds(geoms))
        w, s, e, n = min(w, pw), min(s, ps), max(e, pe), max(n, pn)
    cx, cy = (w + e) / 2, (s + n) / 2
    half = max(e - w, n - s, 4 * (bounds[2] - bounds[0])) / 2 * 1.1
    return cx - half, max(-85.0, cy - half), cx + half, min(85.0, cy + half)


def review_number_text(number: str) -> str:
    """Return the 审图号 line as printed: ``审图号：…``, never the word twice.

    Parameters
    ----------
    number : str
        What the planner typed, with or without the 审图号 prefix.

    Returns
    -------
    str
        The line; "" for none.
    """
    number = number.strip()
    if not number:
        return ""
    bare = number.removeprefix("审图号").lstrip("：: ")
    return f"审图号：{bare}"
