"""Numpy views of QImage pixels, with Qt owning the memory.

Wrapping a numpy buffer in a QImage trips a shiboken reference-count bug at
interpreter exit; writing through a view of ``QImage.bits()`` avoids it.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor, QImage


def new_argb_image(width: int, height: int) -> tuple[QImage, np.ndarray]:
    """Return a premultiplied ARGB image and a writable ``(height, width)`` uint32 view.

    Parameters
    ----------
    width, height : int
        Size in pixels.

    Returns
    -------
    (QImage, ndarray)
        The image and a view of its pixels; keep the image alive while using the view.
    """
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    return image, pixel_view(image)


def pixel_view(image: QImage) -> np.ndarray:
    """Return a writable uint32 view of a 32-bit image's pixels.

    Parameters
    ----------
    image : QImage
        A 32-bit image (ARGB32 or RGB32 family).

    Returns
    -------
    ndarray
        ``(height, width)`` view.
    """
    stride = image.bytesPerLine() // 4
    arr = np.frombuffer(image.bits(), dtype=np.uint32, count=stride * image.height())
    return arr.reshape(image.height(), stride)[:, : image.width()]


def premultiplied_argb(color: QColor, alpha: int) -> int:
    """Return a colour at an alpha as one premultiplied ARGB32 pixel value.

    Parameters
    ----------
    color : QColor
        The colour (its own alpha is ignored).
    alpha : int
        0 to 255.

    Returns
    -------
    int
        The pixel, as written into a ``Format_ARGB32_Premultiplied`` buffer.
    """
    r, g, b = (c * alpha // 255 for c in (color.red(), color.green(), color.blue()))
    return (alpha << 24) | (r << 16) | (g << 8) | b
