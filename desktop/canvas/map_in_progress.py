"""A map being drawn on a worker thread, which the canvas may show before it is done.

As QGIS does with its map update interval: when a render takes a while, the
canvas shows what is drawn so far every so often. The part not drawn yet is
left transparent, so the planner sees the new layers over the old picture
(moved to the new view) instead of an empty map.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage

from desktop.canvas.image_arrays import new_argb_image
from desktop.canvas.renderer import BACKGROUND, MapRenderer
from layers.geo.map_view import MapView


class MapInProgress:
    """One render of the map for a view, on a worker thread.

    Parameters
    ----------
    renderer : MapRenderer
        Draws the map.
    view : MapView
        The view to draw, a copy the canvas does not change any more.
    number : int
        The canvas's count of renders begun: a late render never covers a newer one.

    Attributes
    ----------
    image : QImage
        The picture, complete once :meth:`draw` has returned.
    """

    def __init__(self, renderer: MapRenderer, view: MapView, number: int) -> None:
        self.view, self.number = view, number
        self.image, self._pixels = new_argb_image(max(1, view.width), max(1, view.height))
        self._pixels.fill(BACKGROUND.rgba())
        self._renderer = renderer

    def draw(self, _progress: object = None) -> MapInProgress:
        """Draw the map (on a worker thread); a `BackgroundJob` job.

        Returns
        -------
        MapInProgress
            Itself, drawn.
        """
        self._renderer.render_into(self.image, self.view)
        return self

    def so_far(self) -> QImage:
        """Return a copy of what is drawn so far, transparent where nothing is yet.

        Called on the GUI thread while the worker draws: a pixel caught half
        drawn is one frame's blemish, gone with the next picture.

        Returns
        -------
        QImage
            Premultiplied ARGB, of the view's size.
        """
        image, pixels = new_argb_image(self.image.width(), self.image.height())
        np.copyto(pixels, self._pixels)
        pixels[pixels == np.uint32(BACKGROUND.rgba())] = 0
        return image

