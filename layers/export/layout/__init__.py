"""The print layout: a page of a map a 街道 hands upward, as plain data.

A layout is a page size and frames placed on it in points (1/72 inch), like
QGIS's ``QgsLayout``: title, subtitle, map, legend, scale bar, north arrow,
area name, sources and date, 审图号, and an optional overview inset. The same
:class:`PageLayout` is drawn by ``desktop/canvas/print_layout.py`` to PDF, PNG
and SVG, for ``main.py export-map`` and for File ▸ Export Map…, so the two
cannot drift apart. Nothing here imports Qt.

- :mod:`~layers.export.layout.page`: the page, its frames, the options and the layout.
- :mod:`~layers.export.layout.extent`: what part of the world the map shows.
- :mod:`~layers.export.layout.legend`, :mod:`~layers.export.layout.scale_bar` and
  :mod:`~layers.export.layout.texts`: what the page says around the map.
- :mod:`~layers.export.layout.furniture`: the corners the north arrow and the scale
  bar take, hiding the fewest features and names.
- :mod:`~layers.export.layout.build`: :func:`build_layout`, all of it for a project.
"""

from layers.export.layout.build import build_layout
from layers.export.layout.extent import MIN_SPAN_M, parse_extent
from layers.export.layout.furniture import (
    CORNERS,
    corner_rect,
    map_obstacles,
    place_furniture,
    quiet_corner,
)
from layers.export.layout.legend import LegendEntry, legend_entries
from layers.export.layout.page import (
    PAPER_POINTS,
    LayoutOptions,
    PageLayout,
    Rect,
    page_frames,
    page_size,
)
from layers.export.layout.scale_bar import (
    METRES_PER_POINT,
    ScaleBar,
    metres_per_degree_longitude,
    scale_bar_for,
)
from layers.export.layout.texts import (
    MAX_SOURCES,
    admin_attribution,
    area_name,
    basemap_attribution,
    data_sources,
    review_number_text,
)

__all__ = [
    "CORNERS",
    "MAX_SOURCES",
    "METRES_PER_POINT",
    "MIN_SPAN_M",
    "PAPER_POINTS",
    "LayoutOptions",
    "LegendEntry",
    "PageLayout",
    "Rect",
    "ScaleBar",
    "admin_attribution",
    "area_name",
    "basemap_attribution",
    "build_layout",
    "corner_rect",
    "data_sources",
    "legend_entries",
    "map_obstacles",
    "metres_per_degree_longitude",
    "page_frames",
    "page_size",
    "parse_extent",
    "place_furniture",
    "quiet_corner",
    "review_number_text",
    "scale_bar_for",
]
