"""Looking features up by id: by a scan while the id index is built, then by the index.

A big layer builds its index on another thread; these tests make a small layer
count as big, so the build really runs beside the lookups.
"""

import geopandas as gpd
import pytest
import shapely

from layers.model import layer as layer_module
from layers.model.id_index import IdIndex
from layers.model.layer import FeatureLayer, conform
from layers.model.schema import FACILITIES


def _layer(n: int) -> FeatureLayer:
    frame = gpd.GeoDataFrame({"id": [f"f{i}" for i in range(n)], "name": ["x"] * n,
                              "category": ["canteen"] * n},
                             geometry=shapely.points([(120.0 + i * 1e-4, 30.0) for i in range(n)]),
                             crs=4326)
    return FeatureLayer("facilities", conform(frame, FACILITIES))


def _facility(fid: str) -> dict:
    return {"id": fid, "name": "z", "category": "canteen", "geometry": shapely.Point(120.1, 30.1)}


@pytest.fixture
def big(monkeypatch):
    """Layers of 10 features and more count as big: their index is built on a thread."""
    monkeypatch.setattr(layer_module, "INDEX_IN_BACKGROUND", 10)


def _wait_for_index(layer: FeatureLayer) -> None:
    if layer._id_build is not None:
        layer._id_build[0].join(10)
    assert layer.id_index_ready()


def test_lookups_give_the_same_rows_before_and_after_the_index_is_built():
    layer = _layer(50)
    answers = [layer.row_of(f"f{i}") for i in range(0, 50, 3)]
    assert answers == list(range(0, 50, 3))
    assert layer.id_index_ready()  # a small layer builds it at once
    assert [layer.row_of(f"f{i}") for i in range(0, 50, 3)] == answers
    assert not layer.has_feature("nope") and layer.has_feature("f49")
    with pytest.raises(KeyError):
        layer.row_of("nope")


def test_a_big_layer_answers_by_scanning_until_its_index_is_ready(big):
    layer = _layer(200)
    with layer._id_lock:  # the build can finish, but not hand its index over
        assert layer.row_of("f7") == 7 and layer.has_feature("f199")
        assert not layer.has_feature("nope")
        assert layer._id_build is not None and not layer.id_index_ready()
        layer.update_attributes("f3", {"name": "y"})  # edits keep lookups right
        assert layer.feature("f3")["name"] == "y"
    _wait_for_index(layer)
    assert layer.row_of("f7") == 7 and layer.row_of("f199") == 199
    assert not layer.has_feature("nope")


def test_an_index_of_ids_an_edit_has_moved_never_answers(big):
    layer = _layer(200)
    with layer._id_lock:  # the build can finish, but not hand its index over
        layer.index_ids()  # the build of the 200 rows
        stale = layer._id_build[0]
        assert layer.row_of("f150") == 150
        layer.remove_features(["f0", "f1"])  # meanwhile: every row moves up by two
    stale.join(10)
    # the old build ended: its index was refused, lookups still scan, and right
    assert not stale.is_alive() and not layer.id_index_ready()
    assert layer.row_of("f150") == 148 and not layer.has_feature("f0")
    _wait_for_index(layer)  # the lookup after the edit started a build of the new rows
    assert layer.row_of("f150") == 148 and layer.row_of("f199") == 197
    assert not layer.has_feature("f1")


def _every_row_found(layer: FeatureLayer) -> bool:
    ids = layer.frame["id"].tolist()
    return layer._rows_of(ids) == {fid: row for row, fid in enumerate(ids)}


def test_lookups_stay_right_through_add_delete_and_undo(big):
    layer = _layer(200)
    assert layer.row_of("f10") == 10
    _wait_for_index(layer)
    layer.add_features(_facility("new"))  # found past the index's rows
    assert layer.id_index_ready() and layer.row_of("new") == 200
    assert _every_row_found(layer)
    removed = layer.remove_features(["f10", "new", "f20"])
    assert _every_row_found(layer)  # by a scan: the index is being built anew
    assert not layer.has_feature("new") and layer.row_of("f11") == 10
    assert layer.row_of("f21") == 19
    layer.set_selection(["f30", "f10", "f31"])  # a removed id is not selected
    assert layer.selected_ids == {"f30", "f31"}
    _wait_for_index(layer)
    assert layer.row_of("f199") == 197
    layer.restore_features(removed)  # undo of the delete
    assert _every_row_found(layer)
    assert [layer.row_of(f) for f in ("f10", "f11", "f20", "f199", "new")] == [10, 11, 20,
                                                                              199, 200]
    _wait_for_index(layer)
    assert [layer.row_of(f) for f in ("f10", "f20", "new")] == [10, 20, 200]
    with pytest.raises(layer_module.LayerError):
        layer.add_features(_facility("f5"))  # an id already there, by the index
    assert _every_row_found(layer)


def test_a_burst_of_lookups_waits_for_the_index_instead_of_scanning_each(big):
    layer = _layer(300)
    rows = [layer.row_of(f"f{i}") for i in range(0, 300, 10)]
    assert rows == list(range(0, 300, 10))
    assert layer.id_index_ready()


def test_an_id_looked_up_in_vain_is_found_once_added():
    layer = _layer(5)
    assert not layer.has_feature("new")
    layer.add_features(_facility("new"))
    assert layer.has_feature("new") and layer.row_of("new") == 5


def test_the_index_finds_the_first_row_of_an_id_and_many_ids_at_once():
    index = IdIndex(gpd.pd.Series(["a", "b", "a", "c"]).to_numpy(dtype=object), 0)
    assert index.row_of("a") == 0 and index.row_of("c") == 3 and index.row_of("z") is None
    assert index.rows_of(["c", "z", "a"]) == {"c": 3, "a": 0}
    assert IdIndex(gpd.pd.Series([], dtype=object).to_numpy(), 0).rows_of(["a"]) == {}


def test_an_index_started_ahead_of_the_clicks_answers_them(big):
    layer = _layer(200)
    layer.index_ids()  # as the window does once its map is painted
    assert layer.row_of("f120") == 120  # by a scan or by the index, the same row
    _wait_for_index(layer)
    assert layer.row_of("f120") == 120 and layer._id_scans <= 1
