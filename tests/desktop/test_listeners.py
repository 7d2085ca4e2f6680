"""Views connect once and let go: listener counts stay flat, edits stay fast.

The window used to connect a new listener to ``layers_changed`` inside its own
``layers_changed`` handler, so listeners doubled on every layer added or
removed: after seven undo/redo cycles of a circle layer the window froze for
half a minute. These tests count the listeners on every project and layer
signal (``len(signal)`` in psygnal) after each cycle.
"""


import geopandas as gpd
import shapely
from PySide6.QtCore import QCoreApplication, QEvent, Qt

from desktop.docks.layer_panel import LAYER_ROLE
from desktop.main_window import MainWindow
from layers.geo.walking import PRESETS
from layers.model.layer import FeatureLayer
from layers.model.project import Project
from layers.model.schema import STORAGE_CRS
from layers.store import open_project

PROJECT_SIGNALS = ("layers_changed", "modified_changed", "saved")
LAYER_SIGNALS = ("features_changed", "display_changed", "selection_changed")
CYCLES = 50


def project_listeners(project: Project) -> dict[str, int]:
    return {name: len(getattr(project, name)) for name in PROJECT_SIGNALS}


def layer_listeners(layer: FeatureLayer) -> dict[str, int]:
    return {name: len(getattr(layer, name)) for name in LAYER_SIGNALS}


def listeners(project: Project) -> dict[str, int]:
    """Listener count of every signal of the project and of each of its layers."""
    counts = {f"project.{k}": v for k, v in project_listeners(project).items()}
    for layer in project.layers:
        counts.update({f"{layer.name}.{k}": v for k, v in layer_listeners(layer).items()})
    return counts


def unwatched(project: Project) -> dict[str, int]:
    """The counts with no view attached: only the project's own listener on each layer."""
    counts = {f"project.{name}": 0 for name in PROJECT_SIGNALS}
    for layer in project.layers:
        counts.update({f"{layer.name}.{name}": 0 for name in LAYER_SIGNALS})
        counts[f"{layer.name}.features_changed"] = 1  # the project marks itself modified
    return counts


def roads_layer() -> FeatureLayer:
    lines = [shapely.LineString([(120.16, 30.28), (120.17, 30.29)]),
             shapely.LineString([(120.15, 30.27), (120.16, 30.27)])]
    frame = gpd.GeoDataFrame({"name": ["文一路", "教工路"], "kind": ["primary", "primary"]},
                             geometry=lines, crs=STORAGE_CRS)
    return FeatureLayer("roads", frame)


def make_circles(window, qtbot) -> None:
    assert window.make_service_circles("category:canteen", 10, PRESETS["gb50180"])
    qtbot.waitUntil(lambda: window.project.has_layer("service_circles"))


def test_adding_and_removing_a_layer_keeps_listener_counts(window):
    project = window.project
    roads = roads_layer()
    without_roads = listeners(project)
    with_roads = None
    for cycle in range(CYCLES):
        project.add_layer(roads)
        window.canvas.render_now()  # the canvas makes its geometry cache of the new layer
        if with_roads is None:
            with_roads = listeners(project)
            assert with_roads["roads.features_changed"] > 1  # the views follow the new layer
        assert listeners(project) == with_roads, f"cycle {cycle}"
        project.remove_layer("roads")
        assert listeners(project) == without_roads, f"cycle {cycle}"
        assert layer_listeners(roads) == dict.fromkeys(LAYER_SIGNALS, 0), f"cycle {cycle}"


def test_undo_and_redo_of_service_circles_keep_listener_counts(window, qtbot):
    make_circles(window, qtbot)
    window.canvas.render_now()
    with_circles = listeners(window.project)
    for cycle in range(CYCLES):
        circles = window.project.layer("service_circles")
        window.undo_action.trigger()
        assert not window.project.has_layer("service_circles")
        # the removed layer, kept by the undo stack, is followed by no view
        assert layer_listeners(circles) == dict.fromkeys(LAYER_SIGNALS, 0), f"cycle {cycle}"
        window.redo_action.trigger()
        window.canvas.render_now()
        assert listeners(window.project) == with_circles, f"cycle {cycle}"
    # and the views still follow the layer made by the last redo
    circles = window.project.layer("service_circles")
    circles.set_visible(False)
    tree = window.layer_panel.tree
    items = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    item = next(i for i in items if i.data(0, LAYER_ROLE) == "service_circles")
    assert item.checkState(0) == Qt.CheckState.Unchecked


def test_set_project_lets_go_of_the_old_project(window, qtbot, bundled_copy, tmp_path):
    old = window.project
    make_circles(window, qtbot)  # a layer added while shown must be let go as well
    fid = old.facilities.ids[0]
    window.attributes.show_feature("facilities", fid)
    window.table.show_layer("service_circles")
    window.canvas.render_now()
    assert listeners(old) != unwatched(old)
    new = open_project(bundled_copy)
    window.set_project(new)
    assert listeners(old) == unwatched(old)
    # the new project is followed: an edit reaches the title and the table
    window.editor.add_facility({"name": "新食堂", "category": "canteen"}, 120.16, 30.28)
    assert window.isWindowModified()
    window.table.show_layer("facilities")
    assert window.table.model.layer is new.facilities
    assert len(window.table.model.order) == len(new.facilities)


def test_a_deleted_window_lets_go_of_its_project(qtbot, bundled_copy):
    project = open_project(bundled_copy)
    window = MainWindow(project, basemap=False)
    QCoreApplication.processEvents()  # the window's first zoom, queued for after start-up
    window.attributes.show_feature("facilities", project.facilities.ids[0])
    window.canvas.render_now()
    assert listeners(project) != unwatched(project)
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert listeners(project) == unwatched(project)
