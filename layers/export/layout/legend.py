"""The legend of a print layout: only what the map shows, with counts."""

from __future__ import annotations

from dataclasses import dataclass

from layers.export.layout.extent import features_inside
from layers.model.categories import category_counts
from layers.model.project import Project
from layers.model.schema import LAYER_TITLES_ZH, LayerRole


@dataclass(frozen=True)
class LegendEntry:
    """One line of the legend.

    Attributes
    ----------
    key : str
        Category id for a facility line, else the layer's name.
    label : str
        What the legend says (the category's Chinese label, or the layer's).
    count : int
        How many of them are in the map.
    kind : str
        ``"category"``, ``"communities"``, ``"circles"`` or ``"layer"``.
    """

    key: str
    label: str
    count: int
    kind: str


def legend_entries(project: Project, bounds: tuple[float, float, float, float],
                   circles: object | None = None, minutes: float | None = None
                   ) -> list[LegendEntry]:
    """List what the map shows: each facility category present, then the other layers.

    Parameters
    ----------
    project : Project
        The project.
    bounds : tuple of float
        West, south, east, north in degrees.
    circles : GeoDataFrame, optional
        Service circles drawn on the page.
    minutes : float, optional
        Their walk.

    Returns
    -------
    list of LegendEntry
        Only categories and layers with something in the extent, with counts.
    """
    entries: list[LegendEntry] = []
    for layer in project.layers:
        if not layer.visible or not len(layer):
            continue
        inside = features_inside(layer.frame, bounds)
        if not len(inside):
            continue
        if layer.role is LayerRole.FACILITIES and "category" in inside.columns:
            entries += [LegendEntry(key, label, n, "category")
                        for key, label, n in category_counts(inside["category"])]
        elif layer.role is LayerRole.COMMUNITIES:
            entries.append(LegendEntry(layer.name, "社区", len(inside), "communities"))
        elif layer.role is LayerRole.SERVICE_CIRCLES and circles is not None:
            continue  # the page draws its own circles for --minutes
        else:
            title = LAYER_TITLES_ZH.get(layer.name, layer.title)
            entries.append(LegendEntry(layer.name, title, len(inside), "layer"))
    if circles is not None and len(circles):
        entries.append(LegendEntry("service_circles", f"{minutes:g}分钟步行服务圈",
                                   len(circles), "circles"))
    return entries
