"""Service circles on the canvas: one translucent, merged fill per category.

Circles are rasterised as row spans with numpy (a difference array summed along
each row), so 100,000 circles draw in a fraction of a second, and overlapping
circles merge into one area with one outline, the way a dissolved layer looks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPolygonF

from desktop.canvas.image_arrays import new_argb_image
from layers.geo.map_view import MapView, lonlat_to_mercator
from layers.model.categories import get_category
from layers.model.layer import FeatureLayer

if TYPE_CHECKING:
    from desktop.canvas.renderer import MapRenderer


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


def draw_service_circles(renderer: MapRenderer, layer: FeatureLayer, view: MapView,
                         painter: QPainter) -> None:
    """Draw a service-circle layer: merged translucent fill and outline per category.

    Parameters
    ----------
    renderer : MapRenderer
        Supplies the layer's geometry cache.
    layer : FeatureLayer
        The ``service_circles`` layer.
    view : MapView
        The view.
    painter : QPainter
        Target painter.
    """
    frame = layer.frame
    if len(frame) == 0:
        return
    cats = (frame["category"].fillna("other").to_numpy() if "category" in frame.columns
            else np.full(len(frame), "other", dtype=object))
    alpha = float(layer.style.get("fill_alpha", 0.3))
    is_circle = _circle_rows(frame)
    h, w = view.height, view.width
    for cat in sorted(set(cats.tolist())):
        in_cat = cats == cat
        mask = np.zeros((h, w), dtype=bool)
        rows = np.nonzero(in_cat & is_circle)[0]
        if len(rows):
            mx, my, r_merc = _circle_params(renderer, layer, rows)
            px, py = view.to_pixel(mx, my)
            r_px = r_merc / view.resolution
            vis = (px + r_px > 0) & (px - r_px < w) & (py + r_px > 0) & (py - r_px < h)
            if vis.any():
                mask |= disk_mask(h, w, px[vis], py[vis], r_px[vis])
        others = np.nonzero(in_cat & ~is_circle)[0]
        if len(others):
            mask |= _polygon_mask(renderer, layer, view, set(others.tolist()))
        if not mask.any():
            continue
        color = QColor(layer.style.get("color") or get_category(cat).color)
        painter.drawImage(0, 0, _mask_image(mask, color, alpha))


def _circle_rows(frame) -> np.ndarray:  # noqa: ANN001 - a GeoDataFrame
    if "radius_m" not in frame.columns or "method" not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    radius = frame["radius_m"].to_numpy(dtype=float, na_value=np.nan)
    return (frame["method"].to_numpy() == "circle") & np.isfinite(radius) & (radius > 0)


def _circle_params(renderer: MapRenderer, layer: FeatureLayer, rows: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Centre and Mercator radius of circle rows (cached on the layer cache)."""
    cache = renderer.cache(layer)
    stored = cache.memo.get("circle_params")
    if stored is None or len(stored[0]) != len(layer):
        bounds = layer.frame.geometry.bounds.to_numpy()
        lon = (bounds[:, 0] + bounds[:, 2]) / 2
        lat = (bounds[:, 1] + bounds[:, 3]) / 2
        mx, my = lonlat_to_mercator(lon, lat)
        # Mercator is conformal: a small ground circle stays a circle, scaled by 1/cos(lat)
        radius = layer.frame["radius_m"].to_numpy(dtype=float, na_value=np.nan)
        r_merc = radius / np.cos(np.radians(lat))
        stored = (mx, my, r_merc)
        cache.memo["circle_params"] = stored
    mx, my, r = stored
    return mx[rows], my[rows], r[rows]


def _polygon_mask(renderer: MapRenderer, layer: FeatureLayer, view: MapView,
                  rows: set[int]) -> np.ndarray:
    img = QImage(view.width, view.height, QImage.Format.Format_Alpha8)
    img.fill(0)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(0, 0, 0, 255))
    for row, rings in renderer.cache(layer).polygons():
        if row not in rows:
            continue
        path = QPainterPath()
        path.setFillRule(Qt.FillRule.OddEvenFill)
        for ring in rings:
            px, py = view.to_pixel(ring[:, 0], ring[:, 1])
            path.addPolygon(QPolygonF([QPointF(a, b) for a, b in
                                       zip(px.tolist(), py.tolist(), strict=True)]))
            path.closeSubpath()
        p.drawPath(path)
    p.end()
    ptr = img.constBits()
    arr = np.frombuffer(ptr, dtype=np.uint8, count=img.height() * img.bytesPerLine())
    arr = arr.reshape(img.height(), img.bytesPerLine())[:, : img.width()]
    return arr > 127


def _mask_image(mask: np.ndarray, color: QColor, alpha: float) -> QImage:
    """Colour a mask: translucent fill, opaque darker outline, premultiplied ARGB."""
    edge = mask.copy()
    edge[1:-1, 1:-1] = mask[1:-1, 1:-1] & ~(
        mask[:-2, 1:-1] & mask[2:, 1:-1] & mask[1:-1, :-2] & mask[1:-1, 2:]
    )
    a = int(round(alpha * 255))
    fill = _premultiplied(color, a)
    line = _premultiplied(color.darker(135), 235)
    h, w = mask.shape
    image, out = new_argb_image(w, h)
    out.fill(0)
    out[mask] = fill
    out[edge] = line
    return image


def _premultiplied(color: QColor, alpha: int) -> int:
    r, g, b = (c * alpha // 255 for c in (color.red(), color.green(), color.blue()))
    return (alpha << 24) | (r << 16) | (g << 8) | b
