"""Service circles on the canvas: one translucent, merged fill per category.

Circles are rasterised as row spans with numpy (a difference array summed along
each row), so 100,000 circles draw in a fraction of a second, and overlapping
circles merge into one area with one outline, the way a dissolved layer looks.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath

from desktop.canvas.draw_context import DrawContext, alpha_byte, hidden_rows, pixel_polygon
from desktop.canvas.geometry_cache import LayerGeometryCache
from desktop.canvas.image_arrays import new_argb_image, premultiplied_argb
from layers.geo.map_view import MapView
from layers.model.categories import get_category
from layers.model.layer import FeatureLayer


def disk_mask(height: int, width: int, px: np.ndarray, py: np.ndarray,
              radius_px: np.ndarray) -> np.ndarray:
    """Rasterise filled disks into a boolean mask.

    Parameters
    ----------
    height, width : int
        Mask size.
    px, py : ndarray
        Disk centres in pixels.
    radius_px : ndarray
        Radii in pixels.

    Returns
    -------
    ndarray of bool
        ``(height, width)``; True inside any disk.
    """
    stride = width + 1
    starts: list[np.ndarray] = []
    ends: list[np.ndarray] = []
    radii = np.maximum(np.rint(radius_px).astype(np.int64), 0)
    cx_all = np.rint(px).astype(np.int64)
    cy_all = np.rint(py).astype(np.int64)
    for r in np.unique(radii):
        sel = radii == r
        cx, cy = cx_all[sel], cy_all[sel]
        key = np.unique(cy * (stride + 2 * r + 8) + (cx + r + 4))  # one disk per pixel centre
        cy, cx = np.divmod(key, stride + 2 * r + 8)
        cx = cx - r - 4
        for dy in range(-int(r), int(r) + 1):
            hw = int(np.floor(np.sqrt(max(r * r - dy * dy, 0)) + 0.5))
            yy = cy + dy
            x0 = np.clip(cx - hw, 0, width)
            x1 = np.clip(cx + hw + 1, 0, width)
            ok = (yy >= 0) & (yy < height) & (x1 > x0)
            starts.append(yy[ok] * stride + x0[ok])
            ends.append(yy[ok] * stride + x1[ok])
    if not starts:
        return np.zeros((height, width), dtype=bool)
    size = height * stride
    diff = np.bincount(np.concatenate(starts), minlength=size)[:size].astype(np.int32)
    diff -= np.bincount(np.concatenate(ends), minlength=size)[:size].astype(np.int32)
    return np.cumsum(diff.reshape(height, stride), axis=1)[:, :width] > 0


def draw_service_circles(layer: FeatureLayer, ctx: DrawContext) -> None:
    """Draw a service-circle layer: merged translucent fill and outline per category.

    Rows that are true circles (``method`` "circle" with a radius) are rasterised
    as disks; walking areas along roads are filled as polygons.

    Parameters
    ----------
    layer : FeatureLayer
        A service-circle layer.
    ctx : DrawContext
        Target and shared state.
    """
    frame = layer.frame
    if len(frame) == 0:
        return
    cats = (frame["category"].fillna("other").to_numpy() if "category" in frame.columns
            else np.full(len(frame), "other", dtype=object))
    style = layer.style
    cache = ctx.cache(layer)
    view = ctx.view
    is_circle = _circle_rows(frame)
    h, w = view.height, view.width
    hidden = hidden_rows(layer)
    for cat in sorted(set(cats.tolist())):
        in_cat = cats == cat
        if hidden is not None:
            in_cat &= ~hidden
        mask = np.zeros((h, w), dtype=bool)
        rows = np.nonzero(in_cat & is_circle)[0]
        if len(rows):
            mx, my, r_merc = (a[rows] for a in cache.circles())
            px, py = view.to_pixel(mx, my)
            r_px = r_merc / view.resolution
            vis = (px + r_px > 0) & (px - r_px < w) & (py + r_px > 0) & (py - r_px < h)
            if vis.any():
                mask |= disk_mask(h, w, px[vis], py[vis], r_px[vis])
        others = np.nonzero(in_cat & ~is_circle)[0]
        if len(others):
            mask |= _polygon_mask(cache, view, set(others.tolist()))
        if not mask.any():
            continue
        color = QColor(style.color or get_category(cat).color)
        image = _mask_image(mask, color, alpha_byte(style.fill_opacity),
                            alpha_byte(style.stroke_opacity))
        ctx.painter.drawImage(0, 0, image)


def _circle_rows(frame) -> np.ndarray:  # noqa: ANN001 - a GeoDataFrame
    if "radius_m" not in frame.columns or "method" not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    radius = frame["radius_m"].to_numpy(dtype=float, na_value=np.nan)
    return (frame["method"].to_numpy() == "circle") & np.isfinite(radius) & (radius > 0)


def _polygon_mask(cache: LayerGeometryCache, view: MapView, rows: set[int]) -> np.ndarray:
    img = QImage(view.width, view.height, QImage.Format.Format_Alpha8)
    img.fill(0)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(0, 0, 0, 255))
    for row, rings in cache.polygons():
        if row not in rows:
            continue
        path = QPainterPath()
        path.setFillRule(Qt.FillRule.OddEvenFill)
        for ring in rings:
            px, py = view.to_pixel(ring[:, 0], ring[:, 1])
            path.addPolygon(pixel_polygon(px, py))
            path.closeSubpath()
        p.drawPath(path)
    p.end()
    ptr = img.constBits()
    arr = np.frombuffer(ptr, dtype=np.uint8, count=img.height() * img.bytesPerLine())
    arr = arr.reshape(img.height(), img.bytesPerLine())[:, : img.width()]
    return arr > 127


def _mask_image(mask: np.ndarray, color: QColor, fill_alpha_byte: int,
                line_alpha_byte: int) -> QImage:
    """Colour a mask: translucent fill, darker outline, premultiplied ARGB."""
    edge = mask.copy()
    edge[1:-1, 1:-1] = mask[1:-1, 1:-1] & ~(
        mask[:-2, 1:-1] & mask[2:, 1:-1] & mask[1:-1, :-2] & mask[1:-1, 2:]
    )
    h, w = mask.shape
    image, out = new_argb_image(w, h)
    out.fill(0)
    out[mask] = premultiplied_argb(color, fill_alpha_byte)
    out[edge] = premultiplied_argb(color.darker(135), line_alpha_byte)
    return image
