"""Qt drawings of the shared marker shapes: paths, sprites and legend swatches."""

from __future__ import annotations

import functools

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen

from layers.model.categories import get_category
from layers.model.symbols import shape_outline


def shape_path(icon: str, radius: float) -> QPainterPath:
    """Return the outline of a marker shape centred on (0, 0).

    Parameters
    ----------
    icon : str
        Shape name from :mod:`layers.model.symbols`.
    radius : float
        Radius in pixels.

    Returns
    -------
    QPainterPath
        Closed path.
    """
    path = QPainterPath()
    pts = shape_outline(icon)
    path.moveTo(QPointF(pts[0][0] * radius, pts[0][1] * radius))
    for x, y in pts[1:]:
        path.lineTo(QPointF(x * radius, y * radius))
    path.closeSubpath()
    return path


@functools.lru_cache(maxsize=256)
def marker_sprite(icon: str, color: str, size: int, outline: str = "#ffffff",
                  halo: str | None = None) -> QImage:
    """Render one antialiased marker into a small premultiplied ARGB image.

    Parameters
    ----------
    icon : str
        Shape name.
    color : str
        Fill colour.
    size : int
        Marker diameter in pixels.
    outline : str
        Outline colour.
    halo : str, optional
        Colour of a selection halo drawn around the marker.

    Returns
    -------
    QImage
        Square image of side ``1.4 * size + 6`` (``+ 10`` with a halo), marker centred.
    """
    pad = 10 if halo else 6
    side = int(size * 1.4) + pad
    img = QImage(side, side, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.translate(side / 2, side / 2)
    path = shape_path(icon, size / 2)
    if halo:
        p.setPen(QPen(QColor(halo), 6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                      Qt.PenJoinStyle.RoundJoin))
        p.setBrush(QColor(halo))
        p.drawPath(path)
    p.setPen(QPen(QColor(outline), 1.6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                  Qt.PenJoinStyle.RoundJoin))
    p.setBrush(QColor(color))
    p.drawPath(path)
    p.end()
    return img


def category_sprite(category_id: str, size: int = 12, halo: str | None = None) -> QImage:
    """Return the marker image of a facility category.

    Parameters
    ----------
    category_id : str
        Category id.
    size : int
        Diameter in pixels.
    halo : str, optional
        Selection halo colour.

    Returns
    -------
    QImage
        The sprite.
    """
    c = get_category(category_id)
    return marker_sprite(c.icon, c.color, size, halo=halo)


@functools.lru_cache(maxsize=256)
def sprite_stamps(image_key: tuple) -> tuple[np.ndarray, ...]:
    """Split a sprite into pixel offsets for fast stamping with numpy.

    Parameters
    ----------
    image_key : tuple
        ``(icon, color, size, outline, halo)`` as for :func:`marker_sprite`.

    Returns
    -------
    tuple of ndarray
        ``(dy_edge, dx_edge, argb_edge, dy_fill, dx_fill, argb_fill)``: the outer
        ring pixels, then the inner pixels, both with opaque colours.
    """
    img = marker_sprite(*image_key)
    side = img.width()
    arr = _qimage_to_array(img).copy()
    alpha = (arr >> 24) & 0xFF
    solid = alpha >= 110
    # opaque colour: un-premultiply and force alpha to 255
    rgb = np.zeros_like(arr)
    a = np.maximum(alpha, 1).astype(np.uint32)
    for shift in (16, 8, 0):
        ch = (arr >> shift) & 0xFF
        rgb |= (np.minimum(255, ch * 255 // a) << shift).astype(np.uint32)
    rgb |= np.uint32(0xFF000000)
    inner = solid.copy()
    inner[1:-1, 1:-1] = (solid[1:-1, 1:-1] & solid[:-2, 1:-1] & solid[2:, 1:-1]
                         & solid[1:-1, :-2] & solid[1:-1, 2:])
    inner[0, :] = inner[-1, :] = inner[:, 0] = inner[:, -1] = False
    edge = solid & ~inner
    half = side // 2
    dy_e, dx_e = np.nonzero(edge)
    dy_f, dx_f = np.nonzero(inner)
    return (dy_e - half, dx_e - half, rgb[edge], dy_f - half, dx_f - half, rgb[inner])


def _qimage_to_array(img: QImage) -> np.ndarray:
    img = img.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
    ptr = img.constBits()
    arr = np.frombuffer(ptr, dtype=np.uint32, count=img.height() * img.bytesPerLine() // 4)
    return arr.reshape(img.height(), img.bytesPerLine() // 4)[:, : img.width()].copy()
