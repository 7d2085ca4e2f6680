"""Keeping a service-circle layer in step with the facilities it was drawn for.

A ``service_circles`` layer is derived data: one circle per facility, of one walk.
When a facility is added, moved, renamed, recategorised or deleted, its circle is
made again with the same walk (the *recipe*), or dropped. Circles keep their ids:
a facility that comes back (an undo) gets back the circle id it had, so the undo
command that made the layer finds its own rows again.
"""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

from layers.analysis.service_circles import circle_polygons
from layers.model.layer import FeatureLayer, has_geometry, new_id

#: how a layer's ``method`` field names a layer that can be kept in step
METHODS = ("circle", "network")


@dataclass(frozen=True)
class CircleRecipe:
    """How a service-circle layer was made: its walk and which facilities it covers.

    Attributes
    ----------
    minutes : float
        Walk time.
    radius_m : float
        Ground radius (or walking distance along roads for ``network``).
    method : str
        ``"circle"`` (straight line) or ``"network"`` (walking areas along roads).
    category : str or None
        Only facilities of this category; None for every category.
    facility_ids : frozenset of str or None
        A fixed set of facilities (the planner drew circles for a selection);
        None when the scope follows the facilities (all, or one category).
    """

    minutes: float
    radius_m: float
    method: str = "circle"
    category: str | None = None
    facility_ids: frozenset[str] | None = None

    def wants(self, facilities: gpd.GeoDataFrame) -> np.ndarray:
        """Return which facilities should have a circle.

        Parameters
        ----------
        facilities : GeoDataFrame
            Facilities with ``id`` and ``category``.

        Returns
        -------
        ndarray of bool
            True for a facility with a position inside the scope.
        """
        wanted = has_geometry(facilities.geometry.to_numpy())
        if self.category is not None:
            wanted &= (facilities["category"] == self.category).to_numpy()
        if self.facility_ids is not None:
            wanted &= facilities["id"].isin(self.facility_ids).to_numpy()
        return wanted

    def matches(self, circles: gpd.GeoDataFrame, facilities: gpd.GeoDataFrame) -> bool:
        """Return whether ``circles`` is what this recipe makes of ``facilities`` (by ids).

        Parameters
        ----------
        circles : GeoDataFrame
            A ``service_circles`` layer frame.
        facilities : GeoDataFrame
            The facilities.

        Returns
        -------
        bool
            Same walk and the same facilities drawn.
        """
        walk = recipe_of(circles, facilities)
        return (walk is not None and (walk.minutes, walk.radius_m, walk.method)
                == (self.minutes, self.radius_m, self.method)
                and set(circles["facility_id"]) == set(facilities["id"][self.wants(facilities)]))


def scope_recipe(scope: str, minutes: float, radius_m: float, method: str,
                 facilities: gpd.GeoDataFrame) -> CircleRecipe:
    """Return the recipe of circles drawn for a scope of the service-circle dialog.

    Parameters
    ----------
    scope : str
        ``"all"``, ``"selected"`` or ``"category:<id>"``.
    minutes : float
        Walk time.
    radius_m : float
        Ground radius or walking distance.
    method : str
        ``"circle"`` or ``"network"``.
    facilities : GeoDataFrame
        For ``selected``, the facilities selected (a fixed set).

    Returns
    -------
    CircleRecipe
        The recipe.
    """
    if scope.startswith("category:"):
        return CircleRecipe(float(minutes), float(radius_m), method,
                            category=scope.split(":", 1)[1])
    if scope == "selected":
        return CircleRecipe(float(minutes), float(radius_m), method,
                            facility_ids=frozenset(facilities["id"]))
    return CircleRecipe(float(minutes), float(radius_m), method)


def recipe_of(circles: gpd.GeoDataFrame, facilities: gpd.GeoDataFrame) -> CircleRecipe | None:
    """Read the recipe back from a layer, e.g. one opened from a file.

    The scope is every facility when every placed facility has a circle, one
    category when the circles are all of it and cover it, and otherwise the
    facilities drawn.

    Parameters
    ----------
    circles : GeoDataFrame
        A ``service_circles`` layer frame.
    facilities : GeoDataFrame
        The facilities.

    Returns
    -------
    CircleRecipe or None
        None for an empty layer or one that is not a single walk (mixed walk
        times, merged circles), which is then left as it is.
    """
    if circles.empty or not {"facility_id", "minutes", "radius_m", "method"} <= set(circles):
        return None
    walks = circles[["minutes", "radius_m", "method"]].drop_duplicates()
    if len(walks) != 1 or walks["method"].iloc[0] not in METHODS or walks.isna().any(axis=None):
        return None
    minutes, radius, method = walks.iloc[0]
    drawn = set(circles["facility_id"])
    placed = facilities[has_geometry(facilities.geometry.to_numpy())]
    if drawn == set(placed["id"]):
        return CircleRecipe(float(minutes), float(radius), str(method))
    categories = set(circles["category"])
    if len(categories) == 1:
        (category,) = categories
        if drawn == set(placed["id"][placed["category"] == category]):
            return CircleRecipe(float(minutes), float(radius), str(method), category=category)
    return CircleRecipe(float(minutes), float(radius), str(method), facility_ids=frozenset(drawn))


def keep_circles(layer: FeatureLayer, facilities: gpd.GeoDataFrame, recipe: CircleRecipe,
                 facility_ids: Iterable[str] | None = None,
                 kept_ids: MutableMapping[str, str] | None = None) -> int:
    """Bring the circles of some facilities in line with them (straight-line circles).

    Parameters
    ----------
    layer : FeatureLayer
        The ``service_circles`` layer, changed in place (its events fire).
    facilities : GeoDataFrame
        The facilities as they are now.
    recipe : CircleRecipe
        The walk and scope; its method must be ``circle``.
    facility_ids : iterable of str, optional
        The facilities that changed; None checks every one.
    kept_ids : mutable mapping, optional
        Facility id to the circle id it had, kept between calls so a facility
        that comes back gets its old circle id back.

    Returns
    -------
    int
        Circles added, moved, changed or removed.
    """
    kept_ids = {} if kept_ids is None else kept_ids
    circles = layer.frame
    have = dict(zip(circles["facility_id"], circles["id"], strict=True))
    kept_ids.update(have)
    if facility_ids is None:
        consider = set(have) | set(facilities["id"])
    else:
        consider = set(facility_ids)
    fac = facilities[facilities["id"].isin(consider)]
    wanted = fac[recipe.wants(fac)]
    gone = [have[f] for f in sorted(consider) if f in have and f not in set(wanted["id"])]
    if gone:
        layer.remove_features(gone)
    pts = wanted.geometry.to_numpy()
    shapes = circle_polygons(shapely.get_x(pts), shapely.get_y(pts), recipe.radius_m)
    new_rows, changes = [], len(gone)
    for (fid, name, category), shape in zip(
            wanted[["id", "name", "category"]].itertuples(index=False, name=None), shapes,
            strict=True):
        if fid not in have:
            cid = kept_ids.get(fid) or new_id()
            kept_ids[fid] = cid
            new_rows.append({"id": cid, "facility_id": fid, "name": _text(name),
                             "category": _text(category), "geometry": shape})
            continue
        circle = layer.feature(have[fid])
        if not shapely.equals_exact(circle["geometry"], shape, tolerance=1e-9):
            layer.move_feature(have[fid], shape)
            changes += 1
        labels = {"name": _text(name), "category": _text(category)}
        if any(circle.get(k) != v for k, v in labels.items()):
            layer.update_attributes(have[fid], labels)
            changes += 1
    if new_rows:
        frame = gpd.GeoDataFrame(new_rows, geometry="geometry", crs=layer.frame.crs)
        frame["minutes"] = float(recipe.minutes)
        frame["radius_m"] = float(recipe.radius_m)
        frame["method"] = recipe.method
        layer.add_features(frame)
        changes += len(new_rows)
    return changes


def _text(value: object) -> str | None:
    """Return a text field's value as the layer returns it: None when missing."""
    return value if isinstance(value, str) else None
