"""Polygon and line layers: QPainter paths, and lines in bulk when there are many."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainterPath, QPen

from desktop.canvas.draw_context import (
    SELECTION,
    DrawContext,
    alpha_byte,
    hidden_rows,
    pixel_polygon,
    single_colour,
)
from desktop.canvas.image_arrays import premultiplied_argb
from layers.model.layer import FeatureLayer

#: Beyond this many line parts in view, lines are rasterised in bulk (1 px, no antialiasing).
LINE_PAINT_LIMIT = 4000


def draw_polygons(layer: FeatureLayer, ctx: DrawContext) -> None:
    """Draw a polygon layer: a translucent fill and an outline, selection highlighted.

    Parameters
    ----------
    layer : FeatureLayer
        A polygon layer of any name.
    ctx : DrawContext
        Target and shared state.
    """
    style = layer.style
    stroke = QColor(single_colour(style))
    fill = QColor(stroke)
    fill.setAlpha(alpha_byte(style.fill_opacity))
    stroke.setAlpha(alpha_byte(style.stroke_opacity))
    selected = {layer.row_of(i) for i in layer.selected_ids} if layer.selected_ids else set()
    view, painter = ctx.view, ctx.painter
    xmin, ymin, xmax, ymax = view.extent
    polys = ctx.cache(layer).polygons()
    b = ctx.cache(layer).polygon_bounds()
    shown = np.nonzero((b[:, 2] >= xmin) & (b[:, 0] <= xmax)
                       & (b[:, 3] >= ymin) & (b[:, 1] <= ymax))[0]
    plain = QPen(stroke, style.stroke_width_px)
    chosen = QPen(QColor(SELECTION), max(3.0, style.stroke_width_px))
    painter.setBrush(fill)
    hidden = hidden_rows(layer)
    for k in shown.tolist():
        row, rings = polys[k]
        if hidden is not None and hidden[row]:
            continue
        path = QPainterPath()
        path.setFillRule(Qt.FillRule.OddEvenFill)
        for ring in rings:
            px, py = view.to_pixel(ring[:, 0], ring[:, 1])
            path.addPolygon(pixel_polygon(px, py))
            path.closeSubpath()
        painter.setPen(chosen if row in selected else plain)
        painter.drawPath(path)


def draw_lines(layer: FeatureLayer, ctx: DrawContext) -> None:
    """Draw the line parts in view: antialiased when few, rasterised in bulk when many.

    Parameters
    ----------
    layer : FeatureLayer
        A line layer of any name.
    ctx : DrawContext
        Target and shared state.
    """
    style = layer.style
    color = QColor(single_colour(style))
    color.setAlpha(alpha_byte(style.stroke_opacity))
    lines = ctx.cache(layer).line_arrays()
    view = ctx.view
    xmin, ymin, xmax, ymax = view.extent
    b = lines.bounds
    shown = np.nonzero((b[:, 2] >= xmin) & (b[:, 0] <= xmax)
                       & (b[:, 3] >= ymin) & (b[:, 1] <= ymax))[0]
    if len(shown) == 0:
        return
    first, last = lines.starts[shown], lines.starts[shown + 1]
    counts = last - first
    idx = np.repeat(first - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
    px, py = view.to_pixel(lines.xy[idx, 0], lines.xy[idx, 1])
    if len(shown) <= LINE_PAINT_LIMIT:
        ctx.painter.setPen(QPen(color, style.stroke_width_px))
        ctx.painter.setBrush(Qt.BrushStyle.NoBrush)
        ends = np.cumsum(counts)
        for a, z in zip((ends - counts).tolist(), ends.tolist(), strict=True):
            ctx.painter.drawPolyline(pixel_polygon(px[a:z], py[a:z]))
        return
    same_part = np.ones(len(idx), dtype=bool)
    same_part[np.cumsum(counts)[:-1] - 1] = False  # no segment from one part to the next
    same_part[-1] = False
    seg = np.nonzero(same_part)[0]
    with ctx.raw_pixels() as buf:
        _rasterise_segments(buf, px[seg], py[seg], px[seg + 1], py[seg + 1],
                            premultiplied_argb(color, color.alpha()))


def _rasterise_segments(buf: np.ndarray, x0: np.ndarray, y0: np.ndarray, x1: np.ndarray,
                        y1: np.ndarray, argb: int) -> None:
    """Draw one-pixel segments into the buffer by sampling each every 0.7 px."""
    h, w = buf.shape
    # clip to the view (plus a margin) so a long segment never samples far outside
    lo_x, hi_x, lo_y, hi_y = -2.0, w + 2.0, -2.0, h + 2.0
    inside = ~(((x0 < lo_x) & (x1 < lo_x)) | ((x0 > hi_x) & (x1 > hi_x))
               | ((y0 < lo_y) & (y1 < lo_y)) | ((y0 > hi_y) & (y1 > hi_y)))
    x0, y0, x1, y1 = x0[inside], y0[inside], x1[inside], y1[inside]
    length = np.hypot(x1 - x0, y1 - y0)
    steps = np.minimum(np.ceil(length / 0.7).astype(np.int64), 4 * (w + h)) + 1
    total = int(steps.sum())
    if total == 0:
        return
    seg = np.repeat(np.arange(len(steps)), steps)
    t = (np.arange(total) - np.repeat(np.cumsum(steps) - steps, steps)) / np.maximum(
        steps[seg] - 1, 1)
    ix = np.rint(x0[seg] + (x1[seg] - x0[seg]) * t).astype(np.int64)
    iy = np.rint(y0[seg] + (y1[seg] - y0[seg]) * t).astype(np.int64)
    ok = (ix >= 0) & (ix < w) & (iy >= 0) & (iy < h)
    buf.reshape(-1)[iy[ok] * w + ix[ok]] = np.uint32(argb)
