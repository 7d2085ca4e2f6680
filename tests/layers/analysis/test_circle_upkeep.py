"""Service circles follow the facilities they were drawn for, with the same walk."""

import shapely

from layers.analysis.circle_upkeep import CircleRecipe, keep_circles, recipe_of
from layers.analysis.service_circles import service_circles_frame
from layers.geo.geodesy import geodesic_m
from layers.model.layer import FeatureLayer
from layers.store import open_project
from tests.conftest import BUNDLED


def _canteen_circles():
    project = open_project(BUNDLED)
    fac = project.facilities.frame
    circles = FeatureLayer("service_circles",
                           service_circles_frame(fac[fac["category"] == "canteen"], 10, 500.0))
    return project, circles


def _centre_distance(circle, lon, lat):
    centre = shapely.centroid(circle)
    return geodesic_m(centre.x, centre.y, lon, lat)


def test_the_recipe_is_read_back_from_the_layer():
    project, circles = _canteen_circles()
    recipe = recipe_of(circles.frame, project.facilities.frame)
    assert recipe == CircleRecipe(10.0, 500.0, "circle", category="canteen")
    everything = service_circles_frame(project.facilities.frame, 15, 1000.0)
    assert recipe_of(everything, project.facilities.frame) == CircleRecipe(15.0, 1000.0)
    some = everything.iloc[:3]
    assert recipe_of(some, project.facilities.frame).facility_ids == set(some["facility_id"])


def test_a_new_moved_renamed_or_deleted_facility_changes_its_circle_only():
    project, circles = _canteen_circles()
    fac = project.facilities
    recipe = recipe_of(circles.frame, fac.frame)
    before = len(circles)
    kept = {}
    [canteen] = fac.add_features({"name": "新食堂", "category": "canteen",
                                  "geometry": shapely.Point(120.10, 30.20)})
    [park] = fac.add_features({"name": "口袋公园", "category": "pocket_park",
                               "geometry": shapely.Point(120.11, 30.20)})
    assert keep_circles(circles, fac.frame, recipe, [canteen, park], kept) == 1
    assert len(circles) == before + 1  # the park is outside the canteen layer's scope
    row = circles.frame.iloc[-1]
    assert row["facility_id"] == canteen and row["radius_m"] == 500 and row["minutes"] == 10
    assert _centre_distance(row.geometry, 120.10, 30.20) < 1
    circle_id = row["id"]
    fac.move_feature(canteen, shapely.Point(120.12, 30.21))
    fac.update_attributes(canteen, {"name": "新食堂（搬迁）"})
    assert keep_circles(circles, fac.frame, recipe, [canteen], kept) == 2
    moved = circles.feature(circle_id)
    assert moved["name"] == "新食堂（搬迁）"
    assert _centre_distance(moved["geometry"], 120.12, 30.21) < 1
    assert keep_circles(circles, fac.frame, recipe, [canteen], kept) == 0  # nothing changed
    removed = fac.remove_features([canteen])
    assert keep_circles(circles, fac.frame, recipe, [canteen], kept) == 1
    assert len(circles) == before
    fac.restore_features(removed)  # an undo: the circle comes back with its old id
    keep_circles(circles, fac.frame, recipe, None, kept)
    assert circles.has_feature(circle_id) and len(circles) == before + 1


def test_a_facility_recategorised_out_of_scope_loses_its_circle():
    project, circles = _canteen_circles()
    fac = project.facilities
    recipe = recipe_of(circles.frame, fac.frame)
    canteen = fac.frame[fac.frame["category"] == "canteen"]["id"].iloc[0]
    fac.update_attributes(canteen, {"category": "pocket_park"})
    assert keep_circles(circles, fac.frame, recipe, None) == 1
    assert canteen not in set(circles.frame["facility_id"])
