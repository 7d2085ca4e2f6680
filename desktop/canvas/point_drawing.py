"""Point layers: facilities by category, communities with their audit warnings, plain points.

Dense point layers are stamped into the pixel buffer with numpy, which keeps a
100,000-facility redraw well under half a second; sparse ones are drawn with
antialiased QPainter sprites.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPen

from desktop.canvas.draw_context import (
    SELECTION,
    WARNING,
    DrawContext,
    hidden_rows,
    single_colour,
)
from desktop.canvas.symbols import category_sprite, marker_sprite, sprite_stamps
from layers.model.categories import CATEGORIES, get_category
from layers.model.layer import FeatureLayer

#: Facility names are drawn when no more than this many are in view.
FACILITY_LABEL_LIMIT = 80
#: Community names are drawn when no more than this many are in view.
LABEL_LIMIT = 400
#: Above this many visible points, stamp with numpy instead of QPainter sprites.
STAMP_THRESHOLD = 4000
#: A community marker's parts relative to its size: 小区 (estates) are drawn
#: smaller, a white dot marks a community, and a crowded view stamps small discs.
ESTATE_SCALE = 5.5 / 8
DOT_SCALE = 2.6 / 16
STAMP_SCALE = 9 / 16

_CATEGORY_ARGB = np.array([QColor(c.color).rgba() for c in CATEGORIES], dtype=np.uint32)


def draw_facilities(layer: FeatureLayer, ctx: DrawContext) -> None:
    """Draw facilities as category markers, stamped when there are many.

    Parameters
    ----------
    layer : FeatureLayer
        A point layer with a ``category`` column.
    ctx : DrawContext
        Target and shared state.
    """
    rows, px, py = ctx.visible_points(layer)
    if len(rows) == 0:
        return
    size = int(layer.style.size_px)
    codes = ctx.cache(layer).codes()[rows]
    if len(rows) > STAMP_THRESHOLD:
        view = ctx.view
        with ctx.raw_pixels() as buf:
            dense = dense_symbol_size(len(rows), view.width, view.height)
            if dense < size and ctx.auto_shrink:
                # too many to tell shapes apart: small discs, in data order, no category on top
                _stamp_discs(buf, px, py, _CATEGORY_ARGB[codes], dense)
            else:
                for code in np.unique(codes):
                    c = CATEGORIES[int(code)]
                    sel = codes == code
                    _stamp(buf, px[sel], py[sel], (c.icon, c.color, size, "#ffffff", None))
    else:
        for code in np.unique(codes):
            sprite = category_sprite(CATEGORIES[int(code)].id, size)
            half = sprite.width() / 2
            sel = codes == code
            for x, y in zip(px[sel].tolist(), py[sel].tolist(), strict=True):
                ctx.painter.drawImage(QPointF(x - half, y - half), sprite)
        if ctx.show_labels and layer.style.show_labels and len(rows) <= FACILITY_LABEL_LIMIT:
            _facility_labels(layer, ctx, rows, px, py, size)
    if layer.selected_ids:
        draw_selected_points(layer, ctx, size, with_category=True)


def _facility_labels(layer: FeatureLayer, ctx: DrawContext, rows: np.ndarray, px: np.ndarray,
                     py: np.ndarray, size: int) -> None:
    names = layer.frame["name"].to_numpy()
    precision = layer.frame["location_precision"].to_numpy()
    for r, x, y in zip(rows.tolist(), px.tolist(), py.tolist(), strict=True):
        approx = str(precision[r] or "").startswith("approximate")
        text = ("≈" if approx else "") + str(names[r])
        ctx.labels.append((QPointF(x + size * 0.7, y), text, "facility", False))


def draw_selected_points(layer: FeatureLayer, ctx: DrawContext, size: int,
                         with_category: bool) -> None:
    """Draw the selected points of a layer again, with a halo.

    Parameters
    ----------
    layer : FeatureLayer
        A point layer with a selection.
    ctx : DrawContext
        Target and shared state.
    size : int
        Marker diameter in pixels.
    with_category : bool
        Draw each in its category's marker; otherwise a circle in the layer's colour.
    """
    view = ctx.view
    x, y = ctx.cache(layer).points()
    rows = [layer.row_of(i) for i in layer.selected_ids][:5000]
    hidden = hidden_rows(layer)
    if hidden is not None:
        rows = [r for r in rows if not hidden[r]]
    px, py = view.to_pixel(x[rows], y[rows])
    cats = layer.frame["category"].to_numpy()[rows] if with_category else None
    colour = single_colour(layer.style)
    for k, (sx, sy) in enumerate(zip(px.tolist(), py.tolist(), strict=True)):
        if not (-20 < sx < view.width + 20 and -20 < sy < view.height + 20):
            continue
        if cats is not None:
            sprite = category_sprite(cats[k], size, halo=SELECTION)
        else:
            sprite = marker_sprite("circle", colour, size, halo=SELECTION)
        half = sprite.width() / 2
        ctx.painter.drawImage(QPointF(sx - half, sy - half), sprite)


def draw_points(layer: FeatureLayer, ctx: DrawContext) -> None:
    """Draw any point layer as round markers in the layer's colour.

    Parameters
    ----------
    layer : FeatureLayer
        A point layer of any name.
    ctx : DrawContext
        Target and shared state.
    """
    rows, px, py = ctx.visible_points(layer)
    size = int(layer.style.size_px)
    sprite = marker_sprite("circle", single_colour(layer.style), size)
    half = sprite.width() / 2
    for x, y in zip(px.tolist(), py.tolist(), strict=True):
        ctx.painter.drawImage(QPointF(x - half, y - half), sprite)
    if layer.selected_ids:
        draw_selected_points(layer, ctx, size, with_category=False)


def draw_communities(layer: FeatureLayer, ctx: DrawContext) -> None:
    """Draw communities and 小区, warning-coloured where the audit found gaps.

    Parameters
    ----------
    layer : FeatureLayer
        The communities layer.
    ctx : DrawContext
        Target and shared state.
    """
    rows, px, py = ctx.visible_points(layer, margin=60)
    color = single_colour(layer.style)
    size = layer.style.size_px
    warnings = ctx.community_warnings
    if len(rows) > STAMP_THRESHOLD // 2:
        # a city's worth of communities: stamped, plain or warning-coloured
        stamp_size = int(round(size * STAMP_SCALE))
        warned = np.array([i in warnings for i in layer.frame["id"].to_numpy()[rows]],
                          dtype=bool)
        with ctx.raw_pixels() as buf:
            for fill, sel in ((color, ~warned), (WARNING, warned)):
                if sel.any():
                    _stamp(buf, px[sel], py[sel], ("circle", fill, stamp_size, "#ffffff", None))
        if layer.selected_ids:
            draw_selected_points(layer, ctx, stamp_size, with_category=False)
        return
    painter = ctx.painter
    frame = layer.frame
    names = frame["name"].to_numpy()
    levels = frame["level"].to_numpy() if "level" in frame.columns else None
    ids = frame["id"].to_numpy()
    labelled = layer.style.show_labels and len(rows) <= LABEL_LIMIT
    for r, x, y in zip(rows.tolist(), px.tolist(), py.tolist(), strict=True):
        small = levels is not None and levels[r] == "小区"
        missing = warnings.get(ids[r])
        fill = WARNING if missing else color
        radius = size / 2 * (ESTATE_SCALE if small else 1.0)
        if ids[r] in layer.selected_ids:
            painter.setPen(QPen(QColor(SELECTION), 5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(x, y), radius + 2, radius + 2)
        painter.setPen(QPen(QColor("#ffffff"), 2))
        painter.setBrush(QColor(fill))
        painter.drawEllipse(QPointF(x, y), radius, radius)
        if not small:
            painter.setBrush(QColor("#ffffff"))
            painter.setPen(Qt.PenStyle.NoPen)
            dot = size * DOT_SCALE
            painter.drawEllipse(QPointF(x, y), dot, dot)
        if labelled:
            text = str(names[r])
            if missing:
                text += " · 缺: " + "、".join(get_category(m).label_zh for m in missing)
            kind = "estate" if small else "community"
            ctx.labels.append((QPointF(x + radius + 3, y), text, kind, bool(missing)))


def dense_symbol_size(count: int, width: int, height: int) -> int:
    """Return a marker size that keeps a crowded view readable.

    Parameters
    ----------
    count : int
        Visible points.
    width, height : int
        View size in pixels.

    Returns
    -------
    int
        Diameter in pixels, between 3 and 14.
    """
    return int(min(14, max(3, round(np.sqrt(width * height / max(count, 1)) * 1.5))))


def _stamp_discs(buf: np.ndarray, px: np.ndarray, py: np.ndarray, colours: np.ndarray,
                 size: int) -> None:
    """Stamp small discs with one colour per point, later points on top.

    A crowded view (a million facilities over a city) works per pixel, not per
    point: the last point centred on each pixel, then for each pixel the last of
    the points whose disc covers it. The picture is the same as stamping every
    disc in order, at a cost that stops growing with the number of points.
    """
    h, w = buf.shape
    ix = np.rint(px).astype(np.int64)
    iy = np.rint(py).astype(np.int64)
    r = size / 2
    span = int(np.ceil(r))
    offsets = [(dy, dx) for dy in range(-span, span + 1) for dx in range(-span, span + 1)
               if dx * dx + dy * dy <= r * r + 0.5]
    out = buf.reshape(-1)
    if len(ix) * 8 < h * w:  # few points: stamp each disc
        for dy, dx in offsets:
            yy = iy + dy
            xx = ix + dx
            ok = (yy >= 0) & (yy < h) & (xx >= 0) & (xx < w)
            out[yy[ok] * w + xx[ok]] = colours[ok]
        return
    wide = w + 2 * span
    ok = (ix >= -span) & (ix < w + span) & (iy >= -span) & (iy < h + span)
    centred = np.full((h + 2 * span) * wide, -1, dtype=np.int64)
    # the highest (latest) point index centred on each pixel of the padded grid
    np.maximum.at(centred, (iy[ok] + span) * wide + ix[ok] + span, np.flatnonzero(ok))
    centred = centred.reshape(h + 2 * span, wide)
    top = np.full((h, w), -1, dtype=np.int64)
    for dy, dx in offsets:
        # pixel (y, x) is covered by the disc centred on (y - dy, x - dx)
        np.maximum(top, centred[span - dy:span - dy + h, span - dx:span - dx + w], out=top)
    hit = top.reshape(-1) >= 0
    out[hit] = colours[top.reshape(-1)[hit]]


def _stamp(buf: np.ndarray, px: np.ndarray, py: np.ndarray, key: tuple) -> None:
    """Stamp a sprite at many pixel positions: outlines first, then fills."""
    h, w = buf.shape
    ix = np.rint(px).astype(np.int64)
    iy = np.rint(py).astype(np.int64)
    flat = np.unique(iy * (w + 64) + ix)  # one stamp per pixel position
    iy, ix = np.divmod(flat, w + 64)
    dy_e, dx_e, c_e, dy_f, dx_f, c_f = sprite_stamps(key)
    out = buf.reshape(-1)
    for dys, dxs, colors in ((dy_e, dx_e, c_e), (dy_f, dx_f, c_f)):
        for dy, dx, color in zip(dys.tolist(), dxs.tolist(), colors.tolist(), strict=True):
            yy = iy + dy
            xx = ix + dx
            ok = (yy >= 0) & (yy < h) & (xx >= 0) & (xx < w)
            out[yy[ok] * w + xx[ok]] = color
