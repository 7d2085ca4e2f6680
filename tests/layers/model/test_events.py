"""Model events: typed payloads, and watches that follow layers as they come and go."""

import geopandas as gpd
import shapely

from layers.model.events import (
    Connections,
    FeaturesChanged,
    LayersChanged,
    ModifiedChanged,
    ProjectWatch,
)
from layers.model.layer import FeatureLayer, empty_frame
from layers.model.project import Project
from layers.model.schema import BOUNDARIES, STORAGE_CRS


class View:
    """Stands for a Qt view: records what reaches its bound methods."""

    def __init__(self) -> None:
        self.seen: list[object] = []
        self.layer_changes = 0

    def on_event(self, event: object) -> None:
        self.seen.append(event)

    def on_layers_changed(self) -> None:
        self.layer_changes += 1


def boundaries() -> FeatureLayer:
    return FeatureLayer(BOUNDARIES.name, empty_frame(BOUNDARIES))


def test_payloads_say_what_changed():
    project = Project()
    view = View()
    project.facilities.features_changed.connect(view.on_event)
    project.modified_changed.connect(view.on_event)
    point = {"name": "食堂", "category": "canteen", "geometry": shapely.Point(120.1, 30.2)}
    [fid] = project.facilities.add_features(point)
    project.facilities.update_attributes(fid, {"name": "新食堂"})
    modified, added, updated = view.seen  # the project hears of the edit first
    assert added == FeaturesChanged(project.facilities, "added", [fid], (0, 1))
    assert modified == ModifiedChanged(project, True)
    assert (updated.change, updated.ids, updated.rows, updated.fields) == (
        "updated", [fid], [0], ["name"])


def test_watch_follows_added_layers_and_drops_removed_ones():
    project = Project()
    view = View()
    watch = ProjectWatch(project_slots={"layers_changed": view.on_layers_changed},
                         layer_slots={"features_changed": view.on_event})
    watch.watch(project)
    layer = boundaries()
    for _ in range(20):
        project.add_layer(layer)
        assert len(layer.features_changed) == 2  # the project's and the view's
        project.remove_layer(layer.name)
        assert len(layer.features_changed) == 0
    assert view.layer_changes == 40
    # one listener per signal: the watch's own bookkeeping and the view's slot
    assert len(project.layers_changed) == 2
    assert len(project.facilities.features_changed) == 2  # the project's and the view's
    watch.watch(None)
    assert len(project.layers_changed) == 0
    assert len(project.facilities.features_changed) == 1


def test_watch_can_follow_named_layers_only():
    project = Project()
    view = View()
    watch = ProjectWatch(layer_slots={"features_changed": view.on_event},
                         layer_names=("communities",))
    watch.watch(project)
    project.add_layer(boundaries())
    assert len(project.layer("boundaries").features_changed) == 1  # the project's own
    frame = gpd.GeoDataFrame({"name": ["x"]}, geometry=[shapely.box(120, 30, 121, 31)],
                             crs=STORAGE_CRS)
    project.layer("boundaries").add_features(frame)
    assert view.seen == []


def test_a_removed_layer_no_longer_marks_the_project():
    project = Project()
    layer = boundaries()
    project.add_layer(layer)
    project.remove_layer(layer.name)
    project.set_modified(False)
    frame = gpd.GeoDataFrame({"name": ["x"]}, geometry=[shapely.box(120, 30, 121, 31)],
                             crs=STORAGE_CRS)
    layer.add_features(frame)  # an undo command may still hold and edit it
    assert not project.modified


def test_connections_connect_once_and_clear_together():
    project = Project()
    view = View()
    connections = Connections()
    for _ in range(3):
        connections.connect(project.layers_changed, view.on_event)
    assert len(project.layers_changed) == 1 and len(connections) == 1
    project.add_layer(boundaries())
    assert view.seen == [LayersChanged(project)]
    connections.clear()
    assert len(project.layers_changed) == 0 and len(connections) == 0
