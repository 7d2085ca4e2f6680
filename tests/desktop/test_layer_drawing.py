"""Layers are drawn by geometry kind and role, in their typed style, whatever their name."""

import ast
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from desktop.canvas import point_drawing
from desktop.canvas.renderer import BACKGROUND, MapRenderer, draw_function
from layers.geo.map_view import MapView
from layers.model.layer import FeatureLayer
from layers.model.project import Project
from layers.model.schema import GeometryKind, LayerRole
from tests.conftest import REPO

CANVAS = REPO / "desktop" / "canvas"


def _project_with(layer: FeatureLayer) -> Project:
    """A project whose only non-empty layer is ``layer``."""
    project = Project()
    project.add_layer(layer)
    return project


def _render(project: Project):
    view = MapView(width=200, height=200)
    view.fit_lonlat(119.99, 29.99, 120.01, 30.01)
    return view, MapRenderer(project).render(view)


def _rgb(image, x, y):
    c = image.pixelColor(round(x), round(y))
    return c.red(), c.green(), c.blue()


def _points_layer(name: str) -> FeatureLayer:
    frame = gpd.GeoDataFrame({"id": ["a"], "名称": ["井"]}, geometry=[shapely.Point(120, 30)],
                             crs="EPSG:4326")
    return FeatureLayer(name, frame)


def test_a_point_layer_with_any_name_is_drawn_as_points(qapp):
    layer = _points_layer("我的图层")
    assert (layer.role, layer.kind) == (LayerRole.OTHER, GeometryKind.POINT)
    assert draw_function(layer.kind, layer.role) is point_drawing.draw_points
    view, image = _render(_project_with(layer))
    x, y = view.lonlat_to_pixel(120, 30)
    assert _rgb(image, x, y) == (0x44, 0x44, 0x44)  # the marker's fill, the layer's colour
    assert _rgb(image, x + 40, y) == _rgb(image, 5, 5) == (
        BACKGROUND.red(), BACKGROUND.green(), BACKGROUND.blue())
    # the name plays no part: another name gives the very same picture
    _, again = _render(_project_with(_points_layer("points_2024")))
    assert again == image


def _dark_pixels(image, x, y, half=20):
    return sum(image.pixelColor(i, j).lightness() < 150
               for i in range(round(x) - half, round(x) + half)
               for j in range(round(y) - half, round(y) + half))


def test_point_markers_follow_the_style(qapp):
    layer = _points_layer("我的图层")
    project = _project_with(layer)
    view, small = _render(project)
    x, y = view.lonlat_to_pixel(120, 30)
    layer.set_style(size_px=24, color="#cc0000")
    _, large = _render(project)
    assert _dark_pixels(large, x, y) > 4 * _dark_pixels(small, x, y)
    assert _rgb(large, x, y) == (0xcc, 0, 0)
    layer.set_style(opacity=0.5)  # the whole layer, 0–1
    _, faded = _render(project)
    red, green, _ = _rgb(faded, x, y)
    assert red == pytest.approx((0xcc + BACKGROUND.red()) / 2, abs=3)
    assert green == pytest.approx(BACKGROUND.green() / 2, abs=3)


def test_a_polygon_layer_with_any_name_is_filled_at_its_fill_opacity(qapp):
    frame = gpd.GeoDataFrame({"id": ["a"]}, geometry=[shapely.box(119.995, 29.995, 120.005,
                                                                    30.005)], crs="EPSG:4326")
    layer = FeatureLayer("片区 (自绘)", frame)
    assert layer.kind is GeometryKind.POLYGON
    layer.set_style(color="#000000", fill_opacity=0.5)
    view, image = _render(_project_with(layer))
    x, y = view.lonlat_to_pixel(120, 30)
    # half black over the paper: the fill opacity is a fraction, not a 0–255 alpha
    assert _rgb(image, x, y) == pytest.approx(
        tuple(round(c / 2) for c in (BACKGROUND.red(), BACKGROUND.green(), BACKGROUND.blue())),
        abs=2)


def _imports(path: Path) -> set[str]:
    """Every module a file imports, including imports inside functions or TYPE_CHECKING."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_renderer_and_circle_drawing_do_not_import_each_other():
    assert "desktop.canvas.circle_drawing" in _imports(CANVAS / "renderer.py")
    assert not any(m.startswith("desktop.canvas.renderer")
                   for m in _imports(CANVAS / "circle_drawing.py"))


def test_no_import_cycles_in_the_canvas_package():
    modules = {f"desktop.canvas.{p.stem}": p for p in CANVAS.glob("*.py") if p.stem != "__init__"}
    graph = {name: {m for m in _imports(path) if m in modules and m != name}
             for name, path in modules.items()}
    # depth-first search; a module met again while still on the path closes a cycle
    state: dict[str, str] = {}

    def visit(name: str, path: list[str]) -> None:
        state[name] = "open"
        for dep in sorted(graph[name]):
            assert state.get(dep) != "open", "import cycle: " + " -> ".join([*path, dep])
            if dep not in state:
                visit(dep, [*path, dep])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert len(graph) >= 8  # the test saw the package
