"""Typed layer styles: units in the names, validation in one place, a look per role."""

import geopandas as gpd
import pytest
import shapely

from layers.model.layer import FeatureLayer, empty_frame
from layers.model.schema import COMMUNITIES, SCHEMAS, GeometryKind, LayerRole, geometry_kind
from layers.model.style import LayerStyle, StyleError, default_style
from layers.store import open_project
from tests.conftest import BUNDLED


def _frame(geoms):
    return gpd.GeoDataFrame({"id": [str(i) for i in range(len(geoms))]}, geometry=geoms,
                            crs="EPSG:4326")


@pytest.mark.parametrize("field", ["fill_opacity", "stroke_opacity", "opacity"])
@pytest.mark.parametrize("value", [-0.01, 1.01, 255, float("nan"), "0.5", True, None])
def test_opacities_are_fractions_from_0_to_1(field, value):
    with pytest.raises(StyleError, match=field):
        LayerStyle(**{field: value})


@pytest.mark.parametrize("field", ["fill_opacity", "stroke_opacity", "opacity"])
def test_opacity_bounds_are_allowed(field):
    assert getattr(LayerStyle(**{field: 0}), field) == 0.0
    assert getattr(LayerStyle(**{field: 1}), field) == 1.0


@pytest.mark.parametrize(("field", "value"), [("size_px", 0), ("size_px", 500),
                                              ("size_px", float("inf")),
                                              ("stroke_width_px", -1), ("stroke_width_px", 60)])
def test_pixel_sizes_are_checked(field, value):
    with pytest.raises(StyleError, match=field):
        LayerStyle(**{field: value})


def test_pixel_sizes_are_stored_as_floats():
    style = LayerStyle(size_px=12, stroke_width_px=2)
    assert style.size_px == 12.0 and isinstance(style.size_px, float)
    assert style.stroke_width_px == 2.0


@pytest.mark.parametrize("colour", ["red", "#12345", "#gggggg", "1d3557", "#1d355799", 0x1D3557])
def test_colours_must_be_hex(colour):
    with pytest.raises(StyleError, match="colour"):
        LayerStyle(color=colour)


def test_colours_are_normalised_to_lowercase_rrggbb():
    assert LayerStyle(color="#1D3557").color == "#1d3557"
    assert LayerStyle(color="#AbC").color == "#aabbcc"
    assert LayerStyle(color=None).color is None


def test_show_labels_and_title_suffix_are_checked():
    with pytest.raises(StyleError, match="show_labels"):
        LayerStyle(show_labels="yes")
    with pytest.raises(StyleError, match="title_suffix"):
        LayerStyle(title_suffix=10)


def test_updated_validates_and_leaves_the_original_alone():
    style = LayerStyle()
    changed = style.updated(fill_opacity=0.5, color="#FF0000")
    assert (changed.fill_opacity, changed.color) == (0.5, "#ff0000")
    assert (style.fill_opacity, style.color) == (0.2, None)
    with pytest.raises(StyleError, match="fill_alpha"):
        style.updated(fill_alpha=50)  # the old 0–255 key is gone
    with pytest.raises(StyleError, match="fill_opacity"):
        style.updated(fill_opacity=50)


def test_each_role_starts_with_its_own_look():
    project = open_project(BUNDLED)
    assert project.facilities.style.size_px == 14
    assert project.facilities.style.color is None  # colours come from the categories
    assert project.communities.style.color == "#1d3557"
    circles = default_style(LayerRole.SERVICE_CIRCLES, GeometryKind.POLYGON)
    assert circles.fill_opacity == pytest.approx(0.3)
    assert circles.color is None
    # boundaries and roads look like any polygon and line layer
    assert default_style(LayerRole.BOUNDARIES, GeometryKind.POLYGON) == default_style(
        LayerRole.OTHER, GeometryKind.POLYGON)
    assert default_style(LayerRole.OTHER, GeometryKind.POLYGON).fill_opacity == pytest.approx(
        50 / 255)
    assert default_style(LayerRole.ROADS, GeometryKind.LINE).color == "#8d99ae"
    for style in (project.facilities.style, project.communities.style, circles):
        assert 0 <= style.fill_opacity <= 1 and 0 <= style.stroke_opacity <= 1


def test_layers_know_their_role_and_kind():
    for name, schema in SCHEMAS.items():
        layer = FeatureLayer(name, empty_frame(schema))
        assert layer.role is schema.role
        assert layer.role.value == name
        assert layer.kind is schema.kind
    assert FeatureLayer("communities", empty_frame(COMMUNITIES)).kind is GeometryKind.POINT
    assert FeatureLayer("roads", empty_frame(SCHEMAS["roads"])).kind is GeometryKind.LINE


def test_a_layer_without_schema_takes_its_kind_from_its_features():
    points = FeatureLayer("我的图层", _frame([shapely.Point(120, 30), None]))
    lines = FeatureLayer("步道", _frame([shapely.LineString([(120, 30), (120.1, 30)])]))
    areas = FeatureLayer("片区", _frame([shapely.box(120, 30, 120.1, 30.1)]))
    assert (points.role, points.kind) == (LayerRole.OTHER, GeometryKind.POINT)
    assert lines.kind is GeometryKind.LINE
    assert areas.kind is GeometryKind.POLYGON
    assert points.style == default_style(LayerRole.OTHER, GeometryKind.POINT)
    empty = FeatureLayer("新建", _frame([]), kind=GeometryKind.LINE)
    assert empty.kind is GeometryKind.LINE


def test_geometry_kind_counts_multi_parts_in_their_family():
    assert geometry_kind(["MultiPolygon", "Point"]) is GeometryKind.POLYGON
    assert geometry_kind(["MultiLineString", None]) is GeometryKind.LINE
    assert geometry_kind(["MultiPoint"]) is GeometryKind.POINT
    assert geometry_kind([]) is GeometryKind.POINT


def test_set_style_validates_then_stores_then_emits():
    layer = open_project(BUNDLED).facilities
    seen = []
    # any arguments: this checks what the listener sees, not how the event is spelled
    layer.display_changed.connect(lambda *_, **__: seen.append(layer.style.size_px))
    layer.set_style(size_px=20, opacity=0.4)
    assert seen == [20.0]  # the listener already sees the stored value
    assert layer.style.opacity == pytest.approx(0.4)
    with pytest.raises(StyleError):
        layer.set_style(size_px=20, opacity=1.5)
    assert layer.style.opacity == pytest.approx(0.4)  # nothing half-applied
    assert len(seen) == 1  # and nothing announced
