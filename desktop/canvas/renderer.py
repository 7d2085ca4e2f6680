"""Drawing a project into an image: the same code serves the canvas and export-png.

Each layer is drawn by the function that :data:`DRAW_FUNCTIONS` gives for its
geometry kind and role, never by its name, so a planner's own point layer is
drawn as points whatever it is called. The draw functions live in their own
modules (points, paths, service circles) and share only :mod:`draw_context`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPen,
)

from desktop.canvas.admin_drawing import (
    ATTRIBUTION,
    AreaName,
    draw_admin_areas,
    draw_area_names,
    draw_attribution,
)
from desktop.canvas.circle_drawing import draw_service_circles
from desktop.canvas.draw_context import DrawContext, DrawFunction, Label
from desktop.canvas.geometry_cache import LayerGeometryCache
from desktop.canvas.image_arrays import new_argb_image, pixel_view
from desktop.canvas.label_placement import draw_canvas_labels
from desktop.canvas.path_drawing import draw_lines, draw_polygons
from desktop.canvas.point_drawing import draw_communities, draw_facilities, draw_points
from desktop.canvas.proposal_drawing import draw_proposals
from desktop.canvas.symbols import category_sprite
from layers.geo.map_view import MapView, nice_scale_length
from layers.model.categories import get_category
from layers.model.layer import FeatureLayer
from layers.model.project import Project
from layers.model.schema import GeometryKind, LayerRole

BACKGROUND = QColor("#f2efe9")

#: How a layer is drawn, by (geometry kind, role); role None is the kind's
#: fallback, used for every role without an entry of its own.
DRAW_FUNCTIONS: dict[tuple[GeometryKind, LayerRole | None], DrawFunction] = {
    (GeometryKind.POINT, LayerRole.FACILITIES): draw_facilities,
    (GeometryKind.POINT, LayerRole.COMMUNITIES): draw_communities,
    (GeometryKind.POLYGON, LayerRole.SERVICE_CIRCLES): draw_service_circles,
    (GeometryKind.POINT, LayerRole.PROPOSALS): draw_proposals,
    (GeometryKind.POINT, None): draw_points,
    (GeometryKind.LINE, None): draw_lines,
    (GeometryKind.POLYGON, None): draw_polygons,
}


def draw_function(kind: GeometryKind, role: LayerRole) -> DrawFunction:
    """Return the function that draws layers of a geometry kind and role.

    Parameters
    ----------
    kind : GeometryKind
        The layer's geometry kind.
    role : LayerRole
        The layer's role.

    Returns
    -------
    DrawFunction
        The role's own drawing where it has one, else the kind's.
    """
    return DRAW_FUNCTIONS.get((kind, role)) or DRAW_FUNCTIONS[(kind, None)]


def cjk_font(point_size: float = 10, bold: bool = False) -> QFont:
    """Return a font that renders Chinese (Noto Sans CJK where installed).

    Parameters
    ----------
    point_size : float
        Size in points.
    bold : bool
        Bold weight.

    Returns
    -------
    QFont
        The font.
    """
    font = QFont()
    font.setFamilies(["Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC",
                      "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", "sans-serif"])
    font.setPointSizeF(point_size)
    font.setBold(bold)
    return font


class MapRenderer:
    """Renders a project's visible layers for a :class:`MapView`.

    Parameters
    ----------
    project : Project
        The project to draw.
    basemap : object, optional
        A tile source with ``draw(painter, view)``; None for a plain background.
    admin_areas : bool
        Draw the bundled province, city and district boundaries under the data.
    """

    def __init__(self, project: Project, basemap: object | None = None,
                 admin_areas: bool = False) -> None:
        self.project = project
        self.basemap = basemap
        #: the offline context: bundled administrative boundaries under the data
        self.admin_areas = admin_areas
        #: read boundaries not read yet before drawing; the canvas reads them in the background
        self.admin_wait = True
        self.show_labels = True
        #: credit lines in the map's corner (a printed page carries them in its footer)
        self.show_credits = True
        #: shrink markers when a view is crowded, as the planner can't read overlaps anyway
        self.auto_shrink = True
        self._caches: dict[int, LayerGeometryCache] = {}
        #: community id -> list of missing category ids, set by the audit view
        self.community_warnings: dict[str, list[str]] = {}
        self.extra_painters: list[Callable[[QPainter, MapView], None]] = []

    def set_project(self, project: Project) -> None:
        """Draw another project from now on.

        Parameters
        ----------
        project : Project
            The new project.
        """
        self.project = project
        self.drop_caches()

    def drop_caches(self, *, keep: Iterable[FeatureLayer] = ()) -> None:
        """Forget the geometry caches of layers not in ``keep``.

        A forgotten cache stops following its layer, so a layer removed from
        the project (kept alive by the undo stack) has no listener left here.

        Parameters
        ----------
        keep : iterable of FeatureLayer
            Layers whose caches stay; by default none.
        """
        kept = {id(layer) for layer in keep}
        # list() copies the keys in one step: a render off the GUI thread may add a cache
        for key in [key for key in list(self._caches) if key not in kept]:
            cache = self._caches.pop(key, None)
            if cache is not None:
                cache.close()

    def cache(self, layer: FeatureLayer) -> LayerGeometryCache:
        """Return (creating on first use) the geometry cache of ``layer``.

        Parameters
        ----------
        layer : FeatureLayer
            A project layer.

        Returns
        -------
        LayerGeometryCache
            Its cache.
        """
        key = id(layer)
        cache = self._caches.get(key)
        if cache is None or cache.layer is not layer:
            cache = LayerGeometryCache(layer)
            self._caches[key] = cache
        return cache

    # ----- the whole map -------------------------------------------------
    def render(self, view: MapView, basemap: bool = True) -> QImage:
        """Draw the map into a new image of the view's size.

        Parameters
        ----------
        view : MapView
            What to draw.
        basemap : bool
            Draw basemap tiles when a tile source is set.

        Returns
        -------
        QImage
            Premultiplied ARGB image.
        """
        image, _buf = new_argb_image(max(1, view.width), max(1, view.height))
        return self.render_into(image, view, basemap)

    def render_into(self, image: QImage, view: MapView, basemap: bool = True) -> QImage:
        """Draw the map into a given image, which another thread may look at meanwhile.

        The same drawing as :meth:`render`: the canvas keeps the image of a render
        running on a worker thread, to show the part drawn so far when it is slow.

        Parameters
        ----------
        image : QImage
            A premultiplied ARGB image of the view's size; it is overwritten.
        view : MapView
            What to draw.
        basemap : bool
            Draw basemap tiles when a tile source is set.

        Returns
        -------
        QImage
            ``image``, drawn.
        """
        buf = pixel_view(image)
        buf.fill(BACKGROUND.rgba())
        painter = QPainter(image)
        try:
            self._paint(painter, image, buf, view, basemap)
        finally:
            # a painter left active when its image goes away crashes Qt (exit 139)
            if painter.isActive():
                painter.end()
        return image

    def _paint(self, painter: QPainter, image: QImage, buf: np.ndarray, view: MapView,
               basemap: bool) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if basemap and self.basemap is not None:
            self.basemap.draw(painter, view)
        credits = []
        area_names: list[AreaName] = []  # written last, giving way to the map's labels
        if self.admin_areas and draw_admin_areas(painter, view, font=cjk_font,
                                                   wait=self.admin_wait, names_out=area_names):
            credits.append(ATTRIBUTION)
        labels: list[Label] = []
        for layer in self.project.layers:
            if not layer.visible or len(layer) == 0:
                continue
            opacity = layer.style.opacity
            if opacity < 1.0:
                # a translucent layer is drawn alone, then laid on as one picture, so
                # its own overlaps do not show through each other
                painter.end()
                layer_img = self._render_layer_alone(layer, view, labels)
                painter.begin(image)
                painter.setRenderHint(QPainter.RenderHint.Antialiasing)
                painter.setOpacity(opacity)
                painter.drawImage(0, 0, layer_img)
                painter.setOpacity(1.0)
            else:
                self._draw_layer(layer, self._context(view, image, buf, painter, labels))
        for extra in self.extra_painters:
            extra(painter, view)
        placed = self._draw_labels(painter, labels, view) if self.show_labels else []
        draw_area_names(painter, area_names, cjk_font, avoid=[box for _req, box in placed])
        if basemap and self.basemap is not None:
            credit = self.basemap.credit()
            if credit:
                credits.insert(0, credit)
        if self.show_credits:
            draw_attribution(painter, view, credits, font=cjk_font)

    def _render_layer_alone(self, layer: FeatureLayer, view: MapView,
                            labels: list[Label]) -> QImage:
        image, buf = new_argb_image(view.width, view.height)
        buf.fill(0)
        painter = QPainter(image)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            self._draw_layer(layer, self._context(view, image, buf, painter, labels))
        finally:
            painter.end()
        return image

    def _context(self, view: MapView, image: QImage, buf: np.ndarray, painter: QPainter,
                 labels: list[Label]) -> DrawContext:
        return DrawContext(view=view, image=image, buf=buf, painter=painter, cache=self.cache,
                           labels=labels, show_labels=self.show_labels,
                           auto_shrink=self.auto_shrink,
                           community_warnings=self.community_warnings)

    def _draw_layer(self, layer: FeatureLayer, ctx: DrawContext) -> None:
        draw_function(layer.kind, layer.role)(layer, ctx)

    def _draw_labels(self, painter: QPainter, labels: list[Label], view: MapView
                     ) -> list[tuple[object, tuple[float, float, float, float]]]:
        # clear of every symbol and of each other: right, left, above, below, or left out
        return draw_canvas_labels(painter, labels, view, self.project.layers,
                                  lambda layer: self.cache(layer).points(), cjk_font)


# ----- overlays shared by the canvas and image export --------------------------
def draw_scale_bar(painter: QPainter, view: MapView, x: float = 16, bottom: float = 18) -> None:
    """Draw a 1:N-aware scale bar at the bottom-left.

    Parameters
    ----------
    painter : QPainter
        Target painter.
    view : MapView
        The view (ground resolution at its centre is used).
    x : float
        Left margin in pixels.
    bottom : float
        Bottom margin in pixels.
    """
    ground = view.ground_resolution()
    length_m = nice_scale_length(ground * min(220, view.width / 3))
    if length_m <= 0:
        return
    length_px = length_m / ground
    y = view.height - bottom
    text = f"{length_m / 1000:g} km" if length_m >= 1000 else f"{length_m:g} m"
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(255, 255, 255, 200))
    painter.drawRoundedRect(QRectF(x - 6, y - 24, length_px + 60, 32), 4, 4)
    painter.setPen(QPen(QColor("#222222"), 2))
    painter.drawLine(QPointF(x, y), QPointF(x + length_px, y))
    painter.drawLine(QPointF(x, y - 6), QPointF(x, y))
    painter.drawLine(QPointF(x + length_px, y - 6), QPointF(x + length_px, y))
    painter.setFont(cjk_font(9))
    painter.drawText(QPointF(x + length_px + 6, y + 1), text)
    painter.drawText(QPointF(x, y - 10), f"1:{_round_scale(view.scale_denominator()):,}")
    painter.restore()


def _round_scale(n: float) -> int:
    if n <= 0 or not math.isfinite(n):
        return 0
    digits = max(0, int(math.log10(n)) - 1)
    return int(round(n / 10**digits) * 10**digits)


def draw_legend(painter: QPainter, categories: list[str], x: float, y: float,
                title: str = "图例", communities: str | None = None) -> None:
    """Draw a legend box of facility categories with their markers.

    Parameters
    ----------
    painter : QPainter
        Target painter.
    categories : list of str
        Category ids to list.
    x, y : float
        Top-right corner of the box.
    title : str
        Box title.
    communities : str, optional
        Colour of the community marker: a 社区 row first, when communities are drawn.
    """
    font = cjk_font(9.5)
    fm = QFontMetricsF(font)
    labels = legend_labels(categories, communities is not None)
    width = max([fm.horizontalAdvance(t) for t in labels + [title]] or [40]) + 44
    height = 30 + 20 * len(labels)
    left = x - width
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor("#bbbbbb"), 1))
    painter.setBrush(QBrush(QColor(255, 255, 255, 225)))
    painter.drawRoundedRect(QRectF(left, y, width, height), 5, 5)
    painter.setPen(QColor("#222222"))
    painter.setFont(cjk_font(10, bold=True))
    painter.drawText(QPointF(left + 10, y + 18), title)
    painter.setFont(font)
    keys = ([None] if communities is not None else []) + list(categories)
    for i, (cid, label) in enumerate(zip(keys, labels, strict=True)):
        cy = y + 34 + 20 * i
        if cid is None:  # the community marker: a ring with a white dot, as on the map
            painter.setPen(QPen(QColor("#ffffff"), 1.5))
            painter.setBrush(QColor(communities))
            painter.drawEllipse(QPointF(left + 20, cy), 6, 6)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#ffffff"))
            painter.drawEllipse(QPointF(left + 20, cy), 2, 2)
            painter.setPen(QColor("#222222"))
        else:
            sprite = category_sprite(cid, 12)
            painter.drawImage(QPointF(left + 20 - sprite.width() / 2, cy - sprite.height() / 2),
                              sprite)
        painter.drawText(QPointF(left + 34, cy + fm.ascent() / 2 - 2), label)
    painter.restore()


def legend_labels(categories: list[str], communities: bool = False) -> list[str]:
    """Return the rows of the map legend: 社区 first when communities are drawn.

    Parameters
    ----------
    categories : list of str
        Category ids listed.
    communities : bool
        Whether the map draws communities.

    Returns
    -------
    list of str
        The row labels, in order.
    """
    return (["社区"] if communities else []) + [get_category(c).label_zh for c in categories]
