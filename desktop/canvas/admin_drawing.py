"""The offline context under the data: province, city and district outlines with names.

The boundaries are the bundled ones of :mod:`layers.geo.admin_areas`, so the map
shows where it is with no network. What is drawn follows the scale: provinces on
a map of China, then cities, then districts, each outline simplified to about a
pixel so a whole-country view stays fast.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import shapely
from PySide6.QtCore import QObject, QPointF, QRectF, Qt, QThread, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen

from desktop.canvas.draw_context import pixel_polygon
from desktop.canvas.label_placement import device_fonts
from layers.geo.admin_areas import ATTRIBUTION, TOLERANCES, admin_level
from layers.geo.map_view import MapView, lonlat_to_mercator, mercator_to_lonlat

if TYPE_CHECKING:  # the workers load superqt's widgets, which export-png never needs
    from desktop.workers import BackgroundJob

#: Makes the font names are written in: (point size, bold) -> QFont.
FontMaker = Callable[[float, bool], QFont]

#: Metres per degree of longitude at the equator, to compare tolerances with pixels.
_M_PER_DEG = 111_320.0


@dataclass(frozen=True)
class LevelStyle:
    """How one level is drawn, and at which scales.

    Attributes
    ----------
    level : str
        ``province``, ``city`` or ``district``.
    outline_below : float
        Outlines drawn while the view's resolution (m per pixel) is below this.
    names_between : tuple of float
        Names written while the resolution is inside this range.
    colour : str
        Outline and name colour.
    width : float
        Outline width in pixels.
    dashed : bool
        Dashed outline.
    font_pt : float
        Name size.
    """

    level: str
    outline_below: float
    names_between: tuple[float, float]
    colour: str
    width: float
    dashed: bool
    font_pt: float


#: An area name to write: where, the name, and its level's style
AreaName = tuple[QPointF, str, LevelStyle]


#: Largest first; each level draws over the one below it.
STYLES = (
    LevelStyle("district", 400, (0, 160), "#9a8f99", 1.0, True, 9.0),
    LevelStyle("city", 3000, (160, 1200), "#857484", 1.4, False, 10.0),
    LevelStyle("province", float("inf"), (1200, float("inf")), "#6d5a6b", 2.0, False, 11.0),
)


#: (level, tolerance) pairs read and simplified, ready to draw without waiting.
_READY: set[tuple[str, float]] = set()


def _prepare(level: str, tolerance: float) -> None:
    admin_level(level).simplified(tolerance)


class AdminAreasLoader(QObject):
    """Reads and simplifies the bundled boundaries on a worker thread, one job at a time.

    The first read of a level takes about a second; the canvas draws without the
    boundaries meanwhile and redraws on :attr:`loaded`.

    Attributes
    ----------
    loaded : Signal()
        Some boundaries became ready to draw.
    """

    loaded = Signal()
    #: a request made off the GUI thread (a background render), carried over to it
    _asked = Signal(str, float)

    def __init__(self) -> None:
        super().__init__()
        self._wanted: list[tuple[str, float]] = []
        self._job: BackgroundJob | None = None
        self._asked.connect(self.request)  # queued when emitted from another thread

    @property
    def busy(self) -> bool:
        """Whether boundaries are being read or wait to be."""
        return self._job is not None or bool(self._wanted)

    def request(self, level: str, tolerance: float) -> None:
        """Ask for a level at a tolerance to be made ready.

        Parameters
        ----------
        level : str
            ``province``, ``city`` or ``district``.
        tolerance : float
            Simplification in degrees (0 for full detail).
        """
        if QThread.currentThread() != self.thread():
            self._asked.emit(level, tolerance)  # jobs start on the loader's own thread
            return
        key = (level, tolerance)
        if key not in _READY and key not in self._wanted:
            self._wanted.append(key)
        self._next()

    def _next(self) -> None:
        if self._job is not None or not self._wanted:
            return
        keys, self._wanted = self._wanted, []
        from desktop.workers import BackgroundJob

        def work(_progress: object) -> list[tuple[str, float]]:
            for level, tolerance in keys:
                _prepare(level, tolerance)
            return keys

        self._job = BackgroundJob(work, parent=self)
        self._job.succeeded.connect(self._on_ready)
        self._job.finished.connect(self._on_finished)
        self._job.start()

    def _on_ready(self, keys: list[tuple[str, float]]) -> None:
        _READY.update(keys)
        self.loaded.emit()

    def _on_finished(self) -> None:
        self._job = None  # a failed read is not retried until asked again
        self._next()


_LOADER: list[AdminAreasLoader] = []


def admin_loader() -> AdminAreasLoader:
    """Return the app's one boundary loader (created on first use, on the GUI thread).

    Returns
    -------
    AdminAreasLoader
        The loader.
    """
    if not _LOADER:
        _LOADER.append(AdminAreasLoader())
    return _LOADER[0]


def tolerance_for(resolution_m: float) -> float:
    """Return the coarsest simplification that stays within about a pixel.

    Parameters
    ----------
    resolution_m : float
        Metres per pixel of the view.

    Returns
    -------
    float
        One of :data:`~layers.geo.admin_areas.TOLERANCES` (degrees), or 0 for full
        detail when even the finest would show.
    """
    usable = [t for t in TOLERANCES if t * _M_PER_DEG <= resolution_m]
    return max(usable) if usable else 0.0


def view_lonlat_bounds(view: MapView) -> tuple[float, float, float, float]:
    """Return the view's extent in lon/lat degrees.

    Parameters
    ----------
    view : MapView
        The view.

    Returns
    -------
    tuple of float
        West, south, east, north.
    """
    x0, y0, x1, y1 = view.extent
    lon0, lat0 = mercator_to_lonlat(x0, y0)
    lon1, lat1 = mercator_to_lonlat(x1, y1)
    return float(lon0), float(lat0), float(lon1), float(lat1)


def draw_admin_areas(painter: QPainter, view: MapView, font: FontMaker,
                     as_text: bool = False, wait: bool = True,
                     names_out: list[AreaName] | None = None) -> bool:
    """Draw the boundaries and names that suit the view's scale.

    Parameters
    ----------
    painter : QPainter
        Active painter on the map image.
    view : MapView
        The view.
    font : callable
        Makes a font that renders Chinese, from a point size and boldness.
    as_text : bool
        Write the names as text (searchable in a PDF) rather than filled outlines.
    wait : bool
        Read boundaries not read yet before drawing (exports); when False (the
        canvas), they are read on a worker thread by :func:`admin_loader`, whose
        ``loaded`` signal tells when to draw again.
    names_out : list, optional
        When given, the area names are not written but appended here, for
        :func:`draw_area_names` to write after the map's own labels, giving way to them.

    Returns
    -------
    bool
        Whether any boundary was in view (then the attribution is due).
    """
    bounds = view_lonlat_bounds(view)
    res = view.resolution
    tolerance = tolerance_for(res)
    pad = max(tolerance, 4 * res / _M_PER_DEG)  # clipped edges stay outside the picture
    clip = (bounds[0] - pad, bounds[1] - pad, bounds[2] + pad, bounds[3] + pad)
    drawn = False
    names: list[AreaName] = []
    painter.save()
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for style in STYLES:
        if res >= style.outline_below:
            continue
        if not wait and (style.level, tolerance) not in _READY:
            admin_loader().request(style.level, tolerance)
            continue
        areas = admin_level(style.level)
        _READY.add((style.level, tolerance))
        rows = areas.in_bounds(bounds)
        if not len(rows):
            continue
        drawn = True
        geoms = shapely.clip_by_rect(areas.simplified(tolerance)[rows], *clip)
        pen = QPen(QColor(style.colour), style.width)
        if style.dashed:
            pen.setDashPattern([5, 3])
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        _draw_outlines(painter, view, geoms)
        low, high = style.names_between
        if low <= res < high:
            # names sit inside the part in view, so a district filling the map is named;
            # one that fills most of it is named at the top, clear of the data
            shown = shapely.clip_by_rect(geoms, *bounds)
            pts = shapely.point_on_surface(shown)
            px, py = view.to_pixel(*lonlat_to_mercator(shapely.get_x(pts), shapely.get_y(pts)))
            view_area = (bounds[2] - bounds[0]) * (bounds[3] - bounds[1])
            filling = shapely.area(shown) > 0.6 * view_area
            px = np.where(filling, view.width / 2, px)
            py = np.where(filling, 18.0, py)
            for name, x, y in zip(areas.names[rows], px, py, strict=True):
                if np.isfinite(x) and 0 <= x < view.width and 0 <= y < view.height:
                    names.append((QPointF(float(x), float(y)), str(name), style))
    if names_out is not None:
        names_out.extend(names)
    else:
        _draw_names(painter, names, font, as_text)
    painter.restore()
    return drawn


def draw_area_names(painter: QPainter, names: list[AreaName], font: FontMaker,
                    as_text: bool = False,
                    avoid: Sequence[tuple[float, float, float, float]] = ()) -> int:
    """Write area names collected by :func:`draw_admin_areas`, clear of the map's labels.

    A name that would cover a facility's or community's label moves a line up or
    down; where both are taken too it is left out, as the labels say more.

    Parameters
    ----------
    painter : QPainter
        Active painter on the map.
    names : list
        From ``draw_admin_areas(..., names_out=...)``.
    font : callable
        Makes a font that renders Chinese, from a point size and boldness.
    as_text : bool
        Write the names as text (searchable in a PDF).
    avoid : sequence of (x0, y0, x1, y1)
        Boxes of the labels already drawn, in pixels.

    Returns
    -------
    int
        How many names were left out.
    """
    boxes = [QRectF(x0, y0, x1 - x0, y1 - y0) for x0, y0, x1, y1 in avoid]
    kept: list[AreaName] = []
    for pos, text, style in names:
        f = font(style.font_pt, style.level != "district")
        height = QFontMetricsF(f).height()
        width = QFontMetricsF(f).horizontalAdvance(text) * 1.15
        for dy in (0.0, -height, height):
            rect = QRectF(pos.x() - width / 2 - 2, pos.y() + dy - height / 2 - 2,
                          width + 4, height + 2)
            if not any(rect.intersects(b) for b in boxes):
                kept.append((QPointF(pos.x(), pos.y() + dy), text, style))
                break
    painter.save()
    _draw_names(painter, kept, font, as_text)
    painter.restore()
    return len(names) - len(kept)


def _draw_outlines(painter: QPainter, view: MapView, geoms: np.ndarray) -> None:
    rings = shapely.get_rings(shapely.get_parts(geoms[~shapely.is_empty(geoms)]))
    if not len(rings):
        return
    coords, index = shapely.get_coordinates(rings, return_index=True)
    px, py = view.to_pixel(*lonlat_to_mercator(coords[:, 0], coords[:, 1]))
    cuts = np.nonzero(np.diff(index))[0] + 1
    for xs, ys in zip(np.split(px, cuts), np.split(py, cuts), strict=True):
        painter.drawPolyline(pixel_polygon(xs, ys))


def _draw_names(painter: QPainter, names: list[AreaName],
                make_font: FontMaker, as_text: bool = False) -> None:
    placed: list[QRectF] = []
    for pos, text, style in names:
        font = make_font(style.font_pt, style.level != "district")
        font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 115)
        outline, fm = device_fonts(font, painter) if as_text else (font, QFontMetricsF(font))
        width = fm.horizontalAdvance(text)
        rect = QRectF(pos.x() - width / 2 - 2, pos.y() - fm.ascent() / 2 - 2,
                      width + 4, fm.height() + 2)
        if any(rect.intersects(p) for p in placed):
            continue
        placed.append(rect)
        base = QPointF(pos.x() - width / 2, pos.y() + fm.ascent() / 2 - 1)
        path = QPainterPath()
        path.addText(base, outline, text)
        painter.setPen(QPen(QColor(255, 255, 255, 200), 3.0, Qt.PenStyle.SolidLine,
                            Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        if as_text:
            painter.setFont(font)
            painter.setPen(QColor(style.colour))
            painter.drawText(base, text)
            continue
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(style.colour))
        painter.drawPath(path)


def draw_attribution(painter: QPainter, view: MapView, texts: list[str],
                     font: FontMaker) -> None:
    """Write the credits of what the map shows at its bottom-right corner.

    Parameters
    ----------
    painter : QPainter
        Active painter.
    view : MapView
        The view (for the image size).
    texts : list of str
        Credit lines, joined with " · ".
    font : callable
        Makes a font that renders Chinese, from a point size and boldness.
    """
    if not texts:
        return
    text = " · ".join(texts)
    small = font(7.5, False)
    fm = QFontMetricsF(small)
    w, h = fm.horizontalAdvance(text) + 8, fm.height() + 2
    rect = QRectF(view.width - w, view.height - h, w, h)
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(255, 255, 255, 190))
    painter.drawRect(rect)
    painter.setPen(QColor("#444444"))
    painter.setFont(small)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()


__all__ = ["ATTRIBUTION", "STYLES", "admin_loader", "draw_admin_areas", "draw_area_names",
           "draw_attribution",
           "tolerance_for"]
