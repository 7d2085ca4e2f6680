"""A street network as a map layer: drawn under the communities, fast when crowded."""

import geopandas as gpd
import numpy as np
import pytest
import shapely

from desktop.canvas.path_drawing import LINE_PAINT_LIMIT
from desktop.canvas.renderer import MapRenderer
from layers.geo.map_view import MapView
from layers.model.layer import FeatureLayer, conform
from layers.model.schema import ROADS
from layers.store import open_project
from tests.conftest import BUNDLED


def _streets(n, lon0=120.0, lat0=30.0, span=0.1):
    """n east-west streets across a square, evenly spaced."""
    lats = lat0 + (np.arange(n) + 0.5) * span / n
    lines = [shapely.LineString([(lon0, la), (lon0 + span, la)]) for la in lats]
    frame = gpd.GeoDataFrame({"name": ["街"] * n, "kind": ["residential"] * n},
                             geometry=lines, crs=4326)
    return conform(frame, ROADS), lats


@pytest.mark.parametrize("n", [50, LINE_PAINT_LIMIT + 500])
def test_streets_are_drawn_where_they_are(qapp, n):
    project = open_project(BUNDLED)
    roads, lats = _streets(n)
    project.add_layer(FeatureLayer("roads", roads))
    view = MapView(width=800, height=800)
    view.fit_lonlat(120.0, 30.0, 120.1, 30.1)
    image = MapRenderer(project).render(view)
    # every street crosses the middle column; the background shows between streets
    column = [image.pixelColor(400, y) for y in range(image.height())]
    # a street pixel is the road grey, or (antialiased) part way to it: bluer than the paper
    grey = [c.blue() - c.red() > 8 for c in column]
    street_rows = {round(view.lonlat_to_pixel(120.05, la)[1]) for la in lats[:50]}
    assert all(any(grey[max(0, r - 1):r + 2]) for r in street_rows if 1 <= r < 799)
    if n == 50:
        assert not grey[round(view.lonlat_to_pixel(120.05, (lats[0] + lats[1]) / 2)[1])]


def test_roads_go_under_communities_and_facilities():
    project = open_project(BUNDLED)
    roads, _ = _streets(3)
    project.add_layer(FeatureLayer("roads", roads))
    names = [layer.name for layer in project.layers]
    assert names.index("roads") < names.index("communities") < names.index("facilities")
