"""What every layer draw function receives, and the pieces they share.

The renderer builds one :class:`DrawContext` per layer pass and hands it to the
draw function its dispatch table picks for the layer's geometry kind and role.
Draw functions live in their own modules and import only this one, never the
renderer, so the drawing modules form a tree without cycles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage, QPainter, QPolygonF

from desktop.canvas.geometry_cache import LayerGeometryCache
from layers.geo.map_view import MapView
from layers.model.categories import get_category
from layers.model.layer import FeatureLayer
from layers.model.style import LayerStyle

#: Halo of selected features.
SELECTION = "#ffd400"
#: Communities that miss checklist categories, and their labels.
WARNING = "#e4572e"

#: A label waiting for placement: anchor, text, kind ("community", "estate",
#: "facility") and whether it is a warning.
Label = tuple[QPointF, str, str, bool]


@dataclass
class DrawContext:
    """The target and the shared state of one layer's drawing.

    Attributes
    ----------
    view : MapView
        What part of the map is drawn.
    image : QImage
        The target image (premultiplied ARGB).
    buf : ndarray
        A writable uint32 view of ``image``'s pixels, for stamping with numpy.
    painter : QPainter
        Active on ``image``; see :meth:`raw_pixels` for writing into ``buf``.
    cache : callable
        Returns the geometry cache of a layer.
    labels : list of Label
        Labels to place once every layer is drawn.
    show_labels : bool
        Whether the map shows labels at all.
    auto_shrink : bool
        Shrink markers when a view is crowded.
    community_warnings : mapping
        Community id to the category ids it misses, set by the audit view.
    """

    view: MapView
    image: QImage
    buf: np.ndarray
    painter: QPainter
    cache: Callable[[FeatureLayer], LayerGeometryCache]
    labels: list[Label] = field(default_factory=list)
    show_labels: bool = True
    auto_shrink: bool = True
    community_warnings: Mapping[str, list[str]] = field(default_factory=dict)

    @contextmanager
    def raw_pixels(self) -> Iterator[np.ndarray]:
        """Pause the painter while numpy writes into the pixel buffer.

        Yields
        ------
        ndarray
            :attr:`buf`; the painter is active again, antialiased, afterwards.
        """
        # QPainter may hold pixels back until end(); writing around it would be lost
        self.painter.end()
        try:
            yield self.buf
        finally:
            self.painter.begin(self.image)
            self.painter.setRenderHint(QPainter.RenderHint.Antialiasing)

    def visible_points(self, layer: FeatureLayer, margin: float = 12
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return the rows of a layer's points in view and their pixel positions.

        Parameters
        ----------
        layer : FeatureLayer
            The layer (polygons and lines give their representative points).
        margin : float
            Pixels outside the view that still count, so markers at the edge show.

        Returns
        -------
        (ndarray, ndarray, ndarray)
            Rows, pixel x and pixel y.
        """
        x, y = self.cache(layer).points()
        px, py = self.view.to_pixel(x, y)
        view = self.view
        keep = ((px > -margin) & (px < view.width + margin)
                & (py > -margin) & (py < view.height + margin))
        hidden = hidden_rows(layer)
        if hidden is not None:
            keep &= ~hidden
        rows = np.nonzero(keep)[0]
        return rows, px[rows], py[rows]


def hidden_rows(layer: FeatureLayer) -> np.ndarray | None:
    """Return which rows are not drawn (legend check boxes, the table's map filter).

    A row is hidden when its category is switched off in the legend, or when the
    attribute table's "show only filtered on map" leaves it out.

    Parameters
    ----------
    layer : FeatureLayer
        The layer.

    Returns
    -------
    ndarray of bool or None
        True for a hidden row; None when nothing is hidden.
    """
    style, frame = layer.style, layer.frame
    out = None
    if style.hidden_categories and "category" in frame.columns:
        out = frame["category"].isin(style.hidden_categories).to_numpy()
    if style.only_ids is not None:
        left_out = ~frame["id"].isin(style.only_ids).to_numpy()
        out = left_out if out is None else out | left_out
    return out


#: How a layer of one geometry kind and role is drawn.
DrawFunction = Callable[[FeatureLayer, DrawContext], None]


def pixel_polygon(px: np.ndarray, py: np.ndarray) -> QPolygonF:
    """Return pixel coordinates as a Qt polygon (or polyline).

    Parameters
    ----------
    px, py : ndarray
        Pixel coordinates.

    Returns
    -------
    QPolygonF
        The vertices in order.
    """
    return QPolygonF([QPointF(a, b) for a, b in zip(px.tolist(), py.tolist(), strict=True)])


def alpha_byte(opacity: float) -> int:
    """Return a 0–1 style opacity as the 0–255 alpha Qt and pixel buffers use.

    Parameters
    ----------
    opacity : float
        0 transparent, 1 opaque.

    Returns
    -------
    int
        0 to 255.
    """
    return int(round(opacity * 255))


def single_colour(style: LayerStyle) -> str:
    """Return the one colour of a layer drawn without category colours.

    Parameters
    ----------
    style : LayerStyle
        The layer's style.

    Returns
    -------
    str
        Its colour; without one, the grey of the ``other`` category, as a
        feature without a category would get.
    """
    return style.color or get_category("other").color
