"""The page of a print layout: its size, the frames placed on it, and the layout as data.

A layout is a page size and frames placed on it in points (1/72 inch), like
QGIS's ``QgsLayout``. :class:`PageLayout` holds everything a page shows, placed;
:func:`page_frames` is where each item goes before the furniture moves to the
quiet corners (:mod:`layers.export.layout.furniture`).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from layers.export.errors import ExportError
from layers.export.layout.legend import LegendEntry
from layers.export.layout.scale_bar import ScaleBar
from layers.export.layout.texts import admin_attribution, basemap_attribution

#: Paper sizes in points, portrait (width, height); ISO 216 rounded as PDF viewers show them.
PAPER_POINTS: dict[str, tuple[int, int]] = {"A4": (595, 842), "A3": (842, 1191)}


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
