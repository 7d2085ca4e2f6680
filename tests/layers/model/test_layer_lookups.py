"""Looking features up by id: the first lookups scan, later ones use the index."""

import geopandas as gpd
import pytest
import shapely

from layers.model.layer import SCANS_BEFORE_INDEX, FeatureLayer, conform
from layers.model.schema import FACILITIES


def _layer(n: int) -> FeatureLayer:
    frame = gpd.GeoDataFrame({"id": [f"f{i}" for i in range(n)], "name": ["x"] * n,
                              "category": ["canteen"] * n},
                             geometry=shapely.points([(120.0 + i * 1e-4, 30.0) for i in range(n)]),
                             crs=4326)
    return FeatureLayer("facilities", conform(frame, FACILITIES))


def test_lookups_give_the_same_rows_before_and_after_the_index_is_built():
    layer = _layer(50)
    answers = [layer.row_of(f"f{i}") for i in range(0, 50, 3)]
    assert layer._id_index is not None  # built once lookups kept coming
    assert answers == list(range(0, 50, 3))
    assert [layer.row_of(f"f{i}") for i in range(0, 50, 3)] == answers
    assert not layer.has_feature("nope") and layer.has_feature("f49")
    with pytest.raises(KeyError):
        layer.row_of("nope")


def test_the_first_click_does_not_build_an_index_of_every_id():
    layer = _layer(20)
    assert layer.row_of("f7") == 7 and layer.has_feature("f19")
    assert layer._id_index is None and SCANS_BEFORE_INDEX > 2
    layer.update_attributes("f3", {"name": "y"})  # edits keep lookups right
    assert layer.feature("f3")["name"] == "y"


def test_an_id_looked_up_in_vain_is_found_once_added():
    layer = _layer(5)
    assert not layer.has_feature("new")
    layer.add_features({"id": "new", "name": "z", "category": "canteen",
                        "geometry": shapely.Point(120.1, 30.1)})
    assert layer.has_feature("new") and layer.row_of("new") == 5
