"""Rendering the map to a PNG without a window (``main.py export-png``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF
from PySide6.QtGui import QColor, QFontMetricsF, QImage, QPainter

from desktop.canvas.draw_context import hidden_rows, single_colour
from desktop.canvas.point_drawing import FACILITY_LABEL_LIMIT
from desktop.canvas.renderer import (
    MapRenderer,
    cjk_font,
    draw_legend,
    draw_scale_bar,
    legend_labels,
)
from desktop.qt_runtime import ensure_gui_application
from layers.export.errors import ExportError
from layers.export.layout import CORNERS, Rect, map_obstacles, quiet_corner
from layers.geo.map_view import MapView, lonlat_to_mercator, mercator_to_lonlat
from layers.io.atomic import atomic_write
from layers.model.categories import category_ids
from layers.model.layer import FeatureLayer, has_geometry
from layers.model.project import Project


def drawn_fields(community: str | None = None, names: bool = True
                 ) -> dict[str, tuple[str, ...]]:
    """Return the only fields ``export-png`` needs, per layer (the others are read whole).

    Parameters
    ----------
    community : str, optional
        The community the picture is centred on, if any.
    names : bool
        Read what facility labels need; a view of more facilities than
        :data:`FACILITY_LABEL_LIMIT` writes none (see :func:`facility_names_may_show`).

    Returns
    -------
    dict of str to tuple of str
        Facilities: category (symbol and legend), name and location precision
        (labels, ``≈`` for an approximate position), and ``community`` only to
        fit one community.
    """
    fields = ("category", "name", "location_precision") if names else ("category",)
    return {"facilities": (*fields, "community") if community else fields}


def facility_names_may_show(project: Project, width: int, height: int) -> bool:
    """Tell whether a picture of the whole project may write facility names.

    Names are written when no more than :data:`FACILITY_LABEL_LIMIT` facilities
    are drawn. The facilities inside the picture are drawn (with those just
    outside its edges), so more than that many inside means no names.

    Parameters
    ----------
    project : Project
        The project, perhaps read without the facility names.
    width, height : int
        Image size.

    Returns
    -------
    bool
        False when no facility name can be written (more than the limit in view).
    """
    if hidden_rows(project.facilities) is not None:
        return True
    view = view_for(project, width, height)
    inside = 0
    for start in range(0, len(project.facilities), _ROWS_AT_A_TIME):  # most settle in the first
        rows = slice(start, start + _ROWS_AT_A_TIME)
        inside += int(np.count_nonzero(_in_view(project.facilities, view, rows)))
        if inside > FACILITY_LABEL_LIMIT:
            return False
    return True


#: Qt's PNG "quality" (the zlib level, inverted): 80 encodes a map in half the time of
#: the default for a file about 3% larger.
PNG_QUALITY = 80

#: Rows looked at a time by :func:`facility_names_may_show` and :func:`_categories_in_view`.
_ROWS_AT_A_TIME = 20_000


def view_for(project: Project, width: int, height: int,
             community: str | None = None,
             extent: tuple[float, float, float, float] | None = None) -> MapView:
    """Return a view fitted to the whole project or to one community.

    Parameters
    ----------
    project : Project
        The project.
    width, height : int
        Image size.
    community : str, optional
        Community name: fit it and the facilities that belong to it.
    extent : tuple of float, optional
        Fit this ``(west, south, east, north)`` box in degrees instead.

    Returns
    -------
    MapView
        The view.
    """
    view = MapView(width=width, height=height)
    if extent is not None:
        view.fit_lonlat(*extent)
        return view
    if community:
        comms = project.communities.frame
        match = comms[(comms["name"] == community) | (comms["parent"] == community)]
        if match.empty:
            raise ExportError(f"no community named {community!r}")
        names = set(match["name"])
        fac = project.facilities.frame
        parts = [match.geometry.to_numpy(), fac[fac["community"].isin(names)].geometry.to_numpy()]
    else:
        parts = [layer.frame.geometry.to_numpy() for layer in project.layers]
    # arrays, not a list of a million shapes
    geoms = np.concatenate([np.asarray(p, dtype=object) for p in parts])
    geoms = geoms[has_geometry(geoms)]
    if not len(geoms):
        view.fit_lonlat(73.5, 18.0, 135.0, 53.5)
        return view
    import shapely

    # the extremes of every vertex are the bounds: for a million points one pass over
    # their coordinates (0.06 s), where shapely.total_bounds takes 0.14 s
    coords = shapely.get_coordinates(geoms)
    xmin, ymin = coords.min(axis=0)
    xmax, ymax = coords.max(axis=0)
    x0, y0 = lonlat_to_mercator(xmin, ymin)
    x1, y1 = lonlat_to_mercator(xmax, ymax)
    view.fit(float(x0), float(y0), float(x1), float(y1), min_span=1200.0)
    return view


def render_map_image(project: Project, width: int, height: int,
                     community: str | None = None, title: str | None = None,
                     basemap: object | None = None,
                     extent: tuple[float, float, float, float] | None = None,
                     admin_areas: bool = True):  # noqa: ANN201 - QImage
    """Render the map with scale bar, legend and title, as the canvas draws it.

    Parameters
    ----------
    project : Project
        The project.
    width, height : int
        Image size in pixels.
    community : str, optional
        Centre on this community.
    title : str, optional
        Title at the top-left.
    basemap : object, optional
        Tile source.
    extent : tuple of float, optional
        Show this ``(west, south, east, north)`` box in degrees.
    admin_areas : bool
        Draw the bundled province, city and district boundaries under the data.

    Returns
    -------
    QImage
        The image.
    """
    if not (16 <= width <= 20000 and 16 <= height <= 20000):
        raise ExportError("width and height must be between 16 and 20000 pixels")
    ensure_gui_application(headless=True)
    view = view_for(project, width, height, community, extent)
    renderer = MapRenderer(project, basemap=basemap, admin_areas=admin_areas)
    image = renderer.render(view)
    present = _categories_in_view(project, view)
    cats = [c for c in category_ids() if c in present] if project.facilities.visible else []
    communities = single_colour(project.communities.style) if project.communities.visible \
        and np.any(_in_view(project.communities, view)) else None
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        draw_scale_bar(painter, view)
        if cats or communities:
            box = _legend_box(project, view, cats, communities is not None)
            draw_legend(painter, cats, box.right, box.y, communities=communities)
        painter.setFont(cjk_font(13, bold=True))
        painter.setPen(QColor("#1b1b1b"))
        painter.drawText(QPointF(16, 28), title or (community or "社区设施地图"))
    finally:
        painter.end()
    return image


def _legend_box(project: Project, view: MapView, cats: list[str], communities: bool = False
                ) -> Rect:
    """Return where the legend covers the fewest features and names (top right if free)."""
    fm = QFontMetricsF(cjk_font(9.5))
    rows = legend_labels(cats, communities)
    width = max([fm.horizontalAdvance(t) for t in rows] + [fm.horizontalAdvance("图例")]) + 44
    height = 30 + 20 * len(rows)
    whole = Rect(0, 0, view.width, view.height)
    frame = Rect(0, 0, view.width, view.height - 16)  # above the credit line
    title = Rect(0, 0, 320, 40)
    scale = Rect(0, view.height - 50, 300, 50)
    return quiet_corner(frame, width, height, map_obstacles(project, view.extent, whole),
                        CORNERS, 12, taken=(title, scale))[1]


def _categories_in_view(project: Project, view: MapView) -> set[str]:
    """Categories of the facilities inside the picture (the legend lists only those)."""
    categories = project.facilities.frame["category"].to_numpy()
    present: set[str] = set()
    every = set(category_ids())
    for start in range(0, len(categories), _ROWS_AT_A_TIME):  # a crowded map has all early
        rows = slice(start, start + _ROWS_AT_A_TIME)
        present.update(pd.unique(categories[rows][_in_view(project.facilities, view, rows)]))
        if every <= present:
            break
    return present


def _in_view(layer: FeatureLayer, view: MapView, rows: slice = slice(None)) -> np.ndarray:
    """Which points of a layer (of ``rows``) lie inside the picture: a mask over those rows."""
    import shapely

    x0, y0, x1, y1 = view.extent
    lon0, lat0 = mercator_to_lonlat(x0, y0)
    lon1, lat1 = mercator_to_lonlat(x1, y1)
    pts = layer.frame.geometry.to_numpy()[rows]
    placed = has_geometry(pts)  # a mask, not a copy of the frame's rows
    inside = np.zeros(len(pts), dtype=bool)
    inside[placed] = shapely.intersects_xy(shapely.box(lon0, lat0, lon1, lat1),
                                           shapely.get_x(pts[placed]), shapely.get_y(pts[placed]))
    return inside


def export_png(project: Project, out: str | Path, width: int = 1600, height: int = 1000,
               community: str | None = None, title: str | None = None,
               extent: tuple[float, float, float, float] | None = None,
               basemap: object | None = None, admin_areas: bool = True) -> Path:
    """Render the map and save it as PNG.

    Parameters
    ----------
    project : Project
        The project.
    out : str or Path
        Target file.
    width, height : int
        Size in pixels.
    community : str, optional
        Centre on this community.
    title : str, optional
        Title text.
    extent : tuple of float, optional
        Show this ``(west, south, east, north)`` box in degrees.
    basemap : TileBasemap, optional
        Tiles under the map, with their attribution (see ``export_basemap``).
    admin_areas : bool
        Draw the bundled administrative boundaries under the data.

    Returns
    -------
    Path
        The written file.
    """
    out = Path(out)
    if not out.parent.exists():
        raise ExportError(f"folder does not exist: {out.parent}")
    return save_png(render_map_image(project, width, height, community, title, basemap,
                                     extent=extent, admin_areas=admin_areas), out)


def save_png(image: QImage, out: str | Path) -> Path:
    """Save an image as PNG, atomically (see :func:`layers.io.atomic.atomic_write`).

    Parameters
    ----------
    image : QImage
        The picture.
    out : str or Path
        Target file.

    Returns
    -------
    Path
        The written file.

    Raises
    ------
    ExportError
        If the file cannot be written.
    """
    out = Path(out)
    encoded = QByteArray()
    buffer = QBuffer(encoded)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # encoded in memory, so a failed write is a Python error (libpng would print its own)
    # quality 80 is a lighter zlib level: half the encoding time, a file 3% larger
    if not image.save(buffer, "PNG", PNG_QUALITY):
        raise ExportError(f"cannot encode the picture for {out}")
    buffer.close()
    try:
        with atomic_write(out) as fh:
            fh.write(encoded.data())
    except OSError as exc:
        raise ExportError(f"cannot write {out}: {exc.strerror or exc}") from None
    return out
