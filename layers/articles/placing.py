"""Placing reviewed article proposals: near their community, honestly approximate."""

from __future__ import annotations

import math
from typing import Any

import geopandas as gpd
import shapely

from layers.articles.community_facts import fill_new_community
from layers.geo.admin_areas import fill_admin_fields, fill_summary
from layers.model.project import Project
from layers.model.schema import STORAGE_CRS

#: Metres between items placed around one point, so each can be clicked and moved.
SPACING_M = 90.0


def _around(lon: float, lat: float, k: int, spacing: float = SPACING_M) -> tuple[float, float]:
    """Return the k-th point of a small spiral around lon/lat."""
    angle = k * 2.4  # golden-angle steps spread points evenly
    dist = spacing * (1 + 0.35 * k)
    dx = dist * math.cos(angle) / (111_320 * math.cos(math.radians(lat)))
    dy = dist * math.sin(angle) / 110_540
    return lon + dx, lat + dy


def needs_anchor(project: Project, items: list[Any]) -> bool:
    """Tell whether some kept item has no known community to be placed near.

    Parameters
    ----------
    project : Project
        The project.
    items : list
        Kept items with ``kind``, ``name`` and ``community``.

    Returns
    -------
    bool
        True when the planner must click a position for the article.
    """
    known = set(project.communities.frame["name"])
    for item in items:
        if item.kind == "community" and item.name not in known:
            return True
        if item.kind == "facility" and item.community not in known and not any(
                i.kind == "community" and i.name == item.community for i in items):
            return True
    return False


def placed_frames(project: Project, items: list[Any], source: str,
                  anchor: tuple[float, float] | None) -> tuple[gpd.GeoDataFrame,
                                                               gpd.GeoDataFrame]:
    """Return new communities and facilities for the kept items, positioned.

    New communities go around ``anchor`` (the planner's click) and are marked
    ``approximate-district``; facilities go near their community and are marked
    ``approximate-community``. Communities already in the project are not added.
    A new community's kept figures (``fact`` items: households, residents…) fill its
    fields, with their provenance in its notes.
    A new community's missing district, city and province are filled in from the
    bundled boundaries (``attrs["filled"]`` of the communities frame says so).

    Parameters
    ----------
    project : Project
        The project.
    items : list
        Kept items.
    source : str
        The article's file name and title.
    anchor : tuple of float or None
        Where the planner clicked, for items with no known community.

    Returns
    -------
    (GeoDataFrame, GeoDataFrame)
        Communities and facilities to add.
    """
    comms = project.communities.frame
    where = {n: (g.x, g.y) for n, g in zip(comms["name"], comms.geometry, strict=True)
             if g is not None}
    note = "Placed from an article, not surveyed: move it to the right place."
    new_comms = []
    k = 0
    for item in items:
        if item.kind != "community" or item.name in where:
            continue
        if anchor is None:
            raise ValueError(f"no position for the new community {item.name}")
        lon, lat = _around(*anchor, k, 160) if k else anchor
        k += 1
        where[item.name] = (lon, lat)
        row = {"name": item.name, "street": item.street, "district": item.district,
               "city": item.city, "source": source, "quote": item.quote,
               "location_precision": "approximate-district", "notes": note,
               "geometry": shapely.Point(lon, lat)}
        fill_new_community(row, [i for i in items if i.kind == "fact"
                                 and i.community == item.name], source)
        new_comms.append(row)
    new_facs = []
    per_comm: dict[str, int] = {}
    for item in items:
        if item.kind != "facility":
            continue
        base = where.get(item.community or "")
        if base is None:
            if anchor is None:
                raise ValueError(f"no position for {item.name}")
            base = anchor
        n = per_comm.get(item.community or "", 0)
        per_comm[item.community or ""] = n + 1
        lon, lat = _around(*base, n)
        new_facs.append({"name": item.name, "category": item.category or "other",
                         "community": item.community, "source": source, "quote": item.quote,
                         "location_precision": "approximate-community", "notes": note,
                         "geometry": shapely.Point(lon, lat)})

    def frame(rows: list[dict]) -> gpd.GeoDataFrame:
        if not rows:
            return gpd.GeoDataFrame({"name": []}, geometry=[], crs=STORAGE_CRS)
        geoms = [r.pop("geometry") for r in rows]
        return gpd.GeoDataFrame(rows, geometry=geoms, crs=STORAGE_CRS)

    comms_frame, counts = fill_admin_fields(frame(new_comms))
    #: one line for the planner, such as "filled city/province for 2 communities …"
    comms_frame.attrs["filled"] = fill_summary(counts)
    return comms_frame, frame(new_facs)
