"""Placing map labels clear of symbols and of each other.

A label is tried right of its symbol, then left, above and below; the first
place that covers neither another feature's symbol nor a label already placed
wins, and a label with no free place is left out at this zoom (it comes back
when the planner zooms in). Bigger names are placed first: communities, then
小区, then facilities.

What is taken is kept in a coarse occupancy grid (two pixels a cell), filled
from every visible point symbol in one pass with a summed difference array, so
the check stays cheap however many points the view holds. The canvas renderer
and the vector print map both place their labels here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen

from desktop.canvas.draw_context import WARNING, Label, hidden_rows
from layers.geo.map_view import MapView
from layers.model.layer import FeatureLayer
from layers.model.schema import GeometryKind, LayerRole

#: Pixels one grid cell spans.
CELL = 2.0
#: Space between a symbol and its label, in pixels.
GAP = 3.0
#: Label size and weight by kind: (point size, bold).
LABEL_FONTS = {"community": (10.5, True), "estate": (9.5, False), "facility": (8.5, False)}
#: Placement order: bigger names win.
RANK = {"community": 0, "estate": 1, "facility": 2}
#: Beyond this many point symbols in view the map is a carpet: labels avoid only each other.
MAX_OBSTACLES = 100_000


@dataclass(frozen=True)
class LabelRequest:
    """A label to place next to its feature's symbol.

    Attributes
    ----------
    cx, cy : float
        The symbol's centre in pixels.
    radius : float
        Half the symbol's size in pixels (0 for a label without a symbol).
    text : str
        What the label says.
    kind : str
        ``"community"``, ``"estate"`` or ``"facility"``.
    warn : bool
        Written in the warning colour.
    """

    cx: float
    cy: float
    radius: float
    text: str
    kind: str
    warn: bool = False


class Occupancy:
    """What part of a picture is already covered, on a grid of :data:`CELL` pixels.

    Parameters
    ----------
    width, height : float
        The picture's size in pixels.
    """

    def __init__(self, width: float, height: float) -> None:
        self.cols = max(1, int(np.ceil(width / CELL)) + 1)
        self.rows = max(1, int(np.ceil(height / CELL)) + 1)
        self.taken = np.zeros((self.rows, self.cols), dtype=bool)

    def _cells(self, x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray
               ) -> tuple[np.ndarray, ...]:
        c0 = np.clip(np.floor(np.asarray(x0) / CELL), 0, self.cols).astype(np.int64)
        r0 = np.clip(np.floor(np.asarray(y0) / CELL), 0, self.rows).astype(np.int64)
        c1 = np.clip(np.floor(np.asarray(x1) / CELL) + 1, 0, self.cols).astype(np.int64)
        r1 = np.clip(np.floor(np.asarray(y1) / CELL) + 1, 0, self.rows).astype(np.int64)
        return c0, r0, c1, r1

    def mark_boxes(self, x0: np.ndarray, y0: np.ndarray, x1: np.ndarray,
                   y1: np.ndarray) -> None:
        """Mark many boxes as taken at once.

        Parameters
        ----------
        x0, y0, x1, y1 : ndarray
            Left, top, right and bottom edges in pixels.
        """
        c0, r0, c1, r1 = self._cells(x0, y0, x1, y1)
        ok = (c1 > c0) & (r1 > r0)
        if not ok.any():
            return
        c0, r0, c1, r1 = c0[ok], r0[ok], c1[ok], r1[ok]
        w = self.cols + 1
        size = (self.rows + 1) * w
        diff = np.bincount(r0 * w + c0, minlength=size)[:size].astype(np.int64)
        diff -= np.bincount(r0 * w + c1, minlength=size)[:size]
        diff -= np.bincount(r1 * w + c0, minlength=size)[:size]
        diff += np.bincount(r1 * w + c1, minlength=size)[:size]
        cover = diff.reshape(self.rows + 1, w).cumsum(axis=0).cumsum(axis=1)
        self.taken |= cover[: self.rows, : self.cols] > 0

    def is_free(self, x0: float, y0: float, x1: float, y1: float) -> bool:
        """Return whether a box is clear of everything marked.

        A box reaching outside the picture is not free: a label is never cut
        by the edge.

        Parameters
        ----------
        x0, y0, x1, y1 : float
            The box's edges in pixels.

        Returns
        -------
        bool
            True when nothing marked overlaps it.
        """
        if x0 < 0 or y0 < 0 or x1 > (self.cols - 1) * CELL or y1 > (self.rows - 1) * CELL:
            return False
        # one pixel of slack, so a label that only touches its own symbol's box fits
        c0, r0, c1, r1 = (int(v) for v in self._cells(x0 + 1, y0 + 1, x1 - 1, y1 - 1))
        return not self.taken[r0:r1, c0:c1].any()

    def mark(self, x0: float, y0: float, x1: float, y1: float) -> None:
        """Mark one box as taken.

        Parameters
        ----------
        x0, y0, x1, y1 : float
            The box's edges in pixels.
        """
        c0, r0, c1, r1 = (int(v) for v in self._cells(x0, y0, x1, y1))
        self.taken[r0:r1, c0:c1] = True


def candidate_boxes(cx: float, cy: float, radius: float, width: float, height: float
                    ) -> list[tuple[float, float, float, float]]:
    """Return where a label may go around its symbol, in the order they are tried.

    Parameters
    ----------
    cx, cy : float
        Symbol centre.
    radius : float
        Half the symbol's size.
    width, height : float
        The label's size.

    Returns
    -------
    list of tuple of float
        ``(x0, y0, x1, y1)`` boxes: right, left, above, below.
    """
    off = radius + GAP
    return [
        (cx + off, cy - height / 2, cx + off + width, cy + height / 2),
        (cx - off - width, cy - height / 2, cx - off, cy + height / 2),
        (cx - width / 2, cy - off - height, cx + width / 2, cy - off),
        (cx - width / 2, cy + off, cx + width / 2, cy + off + height),
    ]


def place_labels(requests: Iterable[LabelRequest], occupancy: Occupancy,
                 measure: Callable[[LabelRequest], tuple[float, float]]
                 ) -> list[tuple[LabelRequest, tuple[float, float, float, float]]]:
    """Choose a free place for each label, bigger names first; leave out the rest.

    Parameters
    ----------
    requests : iterable of LabelRequest
        The labels wanted.
    occupancy : Occupancy
        What is taken (symbols); placed labels are marked in it too.
    measure : callable
        Returns a label's ``(width, height)`` in pixels.

    Returns
    -------
    list of (LabelRequest, box)
        The labels placed and their boxes ``(x0, y0, x1, y1)``.
    """
    placed = []
    for req in sorted(requests, key=lambda r: RANK.get(r.kind, 9)):
        w, h = measure(req)
        for box in candidate_boxes(req.cx, req.cy, req.radius, w, h):
            if occupancy.is_free(*box):
                occupancy.mark(*box)
                placed.append((req, box))
                break
    return placed


def mark_symbols(occupancy: Occupancy, px: np.ndarray, py: np.ndarray, radius: float) -> None:
    """Mark point symbols of one size as taken.

    Parameters
    ----------
    occupancy : Occupancy
        The grid.
    px, py : ndarray
        Symbol centres in pixels.
    radius : float
        Half the symbol size.
    """
    if len(px) == 0 or len(px) > MAX_OBSTACLES:
        return
    occupancy.mark_boxes(px - radius, py - radius, px + radius, py + radius)


def requests_from_labels(labels: Sequence[Label], symbols: Sequence[tuple[np.ndarray,
                         np.ndarray, float]]) -> list[LabelRequest]:
    """Turn the draw functions' labels (anchored right of their symbol) into requests.

    The draw functions put a label's anchor just right of its symbol on the
    symbol's row; the symbol is found again among ``symbols`` as the nearest
    one left of the anchor on that row.

    Parameters
    ----------
    labels : sequence of Label
        ``(anchor, text, kind, warn)`` from the draw functions.
    symbols : sequence of (ndarray, ndarray, float)
        Visible symbol centres (pixel x, pixel y) and radius, per layer.

    Returns
    -------
    list of LabelRequest
        One per label, with its symbol's centre and radius (the anchor itself
        and no radius when no symbol is found).
    """
    # a carpet of points has no labels of its own (the draw functions stop at a few hundred)
    parts = [(px, py, np.full(len(px), radius)) for px, py, radius in symbols
             if 0 < len(px) <= MAX_OBSTACLES]
    if parts:
        xs, ys, rs = (np.concatenate(a) for a in zip(*parts, strict=True))
        order = np.argsort(ys, kind="stable")
        xs, ys, rs = xs[order], ys[order], rs[order]
    else:
        xs = ys = rs = np.zeros(0)
    out = []
    for anchor, text, kind, warn in labels:
        ax, ay = anchor.x(), anchor.y()
        lo, hi = np.searchsorted(ys, [ay - 0.01, ay + 0.01])
        gap = ax - xs[lo:hi]
        near = (gap > 0) & (gap <= 2 * rs[lo:hi] + 6)
        if near.any():
            k = lo + int(np.argmin(np.where(near, gap, np.inf)))
            out.append(LabelRequest(float(xs[k]), ay, ax - float(xs[k]) - GAP, text, kind,
                                    warn))
        else:
            out.append(LabelRequest(ax - GAP, ay, 0.0, text, kind, warn))
    return out


def point_symbols(layers: Iterable[FeatureLayer], points: Callable[[FeatureLayer],
                  tuple[np.ndarray, np.ndarray]], view: MapView
                  ) -> list[tuple[np.ndarray, np.ndarray, float]]:
    """Return where the visible point layers' symbols are, and how big.

    Parameters
    ----------
    layers : iterable of FeatureLayer
        The project's layers (hidden and non-point layers are skipped).
    points : callable
        Returns a layer's point positions in Mercator metres (the geometry cache's).
    view : MapView
        The view.

    Returns
    -------
    list of (ndarray, ndarray, float)
        Per layer: pixel x, pixel y of the symbols in view, and their radius.
    """
    out = []
    for layer in layers:
        if not layer.visible or len(layer) == 0 or layer.kind is not GeometryKind.POINT:
            continue
        x, y = points(layer)
        px, py = view.to_pixel(x, y)
        keep = (px > -20) & (px < view.width + 20) & (py > -20) & (py < view.height + 20)
        hidden = hidden_rows(layer)
        if hidden is not None:
            keep &= ~hidden
        scale = 0.95 if layer.role is LayerRole.PROPOSALS else 0.5
        out.append((px[keep], py[keep], float(layer.style.size_px) * scale))
    return out


def draw_canvas_labels(painter: QPainter, labels: Sequence[Label], view: MapView,
                       layers: Iterable[FeatureLayer],
                       points: Callable[[FeatureLayer], tuple[np.ndarray, np.ndarray]],
                       make_font: Callable[[float, bool], QFont]
                       ) -> list[tuple[LabelRequest, tuple[float, float, float, float]]]:
    """Draw the renderer's labels clear of every visible symbol and of each other.

    Parameters
    ----------
    painter : QPainter
        Target, in the view's pixels.
    labels : sequence of Label
        What the draw functions asked for.
    view : MapView
        The view.
    layers : iterable of FeatureLayer
        The project's layers, for the symbols labels must not cover.
    points : callable
        Returns a layer's point positions in Mercator metres.
    make_font : callable
        Makes a CJK font from a point size and boldness.

    Returns
    -------
    list of (LabelRequest, box)
        The labels drawn and their boxes.
    """
    if not labels:
        return []
    symbols = point_symbols(layers, points, view)
    occupancy = Occupancy(view.width, view.height)
    for px, py, radius in symbols:
        mark_symbols(occupancy, px, py, radius)
    return draw_placed_labels(painter, requests_from_labels(labels, symbols), occupancy,
                              make_font)


def label_font(kind: str, make_font: Callable[[float, bool], QFont]) -> QFont:
    """Return the font of a kind of label.

    Parameters
    ----------
    kind : str
        ``"community"``, ``"estate"`` or ``"facility"``.
    make_font : callable
        Makes a CJK font from a point size and boldness.

    Returns
    -------
    QFont
        The font.
    """
    size, bold = LABEL_FONTS.get(kind, LABEL_FONTS["facility"])
    return make_font(size, bold)


def device_fonts(font: QFont, painter: QPainter) -> tuple[QFont, QFontMetricsF]:
    """Return a font for text outlines and the metrics of text, both as the device draws them.

    A PDF or SVG device measures a point as one unit, while text outlines
    (``QPainterPath.addText``) and plain metrics use the screen's dpi; the
    outline font is rescaled so a halo sits exactly under the written text.

    Parameters
    ----------
    font : QFont
        The font text is written in.
    painter : QPainter
        The active painter.

    Returns
    -------
    (QFont, QFontMetricsF)
        The outline font and the device's metrics of ``font``.
    """
    device = painter.device()
    metrics = QFontMetricsF(font, device) if device is not None else QFontMetricsF(font)
    ratio = metrics.height() / max(QFontMetricsF(font).height(), 1e-6)
    outline = QFont(font)
    outline.setPointSizeF(font.pointSizeF() * ratio)
    return outline, metrics


def draw_placed_labels(painter: QPainter, requests: Iterable[LabelRequest],
                       occupancy: Occupancy, make_font: Callable[[float, bool], QFont],
                       as_text: bool = False
                       ) -> list[tuple[LabelRequest, tuple[float, float, float, float]]]:
    """Place labels clear of symbols and each other, and draw those that fit.

    Parameters
    ----------
    painter : QPainter
        Target, in the occupancy grid's pixels.
    requests : iterable of LabelRequest
        The labels wanted.
    occupancy : Occupancy
        What is taken.
    make_font : callable
        Makes a CJK font from a point size and boldness.
    as_text : bool
        Write the letters as text (selectable in a PDF) over a white halo,
        rather than as one filled outline.

    Returns
    -------
    list of (LabelRequest, box)
        The labels drawn and their boxes ``(x0, y0, x1, y1)`` in pixels.
    """
    fonts: dict[str, tuple[QFont, QFont, QFontMetricsF]] = {}

    def font_of(kind: str) -> tuple[QFont, QFont, QFontMetricsF]:
        if kind not in fonts:
            font = label_font(kind, make_font)
            fonts[kind] = (font, *device_fonts(font, painter))
        return fonts[kind]

    def measure(req: LabelRequest) -> tuple[float, float]:
        fm = font_of(req.kind)[2]
        return fm.horizontalAdvance(req.text) + 4, fm.height() + 2

    placed = place_labels(requests, occupancy, measure)
    halo = QPen(QColor(255, 255, 255, 230), 3.2, Qt.PenStyle.SolidLine,
                Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
    for req, (x0, y0, _x1, y1) in placed:
        font, outline, fm = font_of(req.kind)
        base = QPointF(x0 + 2, (y0 + y1) / 2 + fm.ascent() / 2 - 1)
        ink = QColor(WARNING if req.warn else ("#1b1b1b" if req.kind != "facility"
                                                else "#4a4a4a"))
        path = QPainterPath()
        path.addText(base, outline, req.text)
        painter.setPen(halo)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        if as_text:
            painter.setFont(font)
            painter.setPen(ink)
            painter.drawText(base, req.text)
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(ink)
            painter.drawPath(path)
    return placed
