"""The words around the map: the area's name, the data sources, the credits and the 审图号."""

from __future__ import annotations

import re
from collections import Counter

from layers.export.layout.extent import features_inside
from layers.model.project import Project

#: How many data sources the footer names before it says "等 N 项".
MAX_SOURCES = 4


def admin_attribution() -> str:
    """Return the credit of the bundled boundaries drawn under the map and the inset.

    Returns
    -------
    str
        The credit line.
    """
    from layers.geo.admin_areas import ATTRIBUTION

    return ATTRIBUTION


def basemap_attribution(basemap: str) -> str:
    """Return the attribution printed for a basemap choice.

    Parameters
    ----------
    basemap : str
        The ``--basemap`` value.

    Returns
    -------
    str
        "无（离线）" without a basemap, else the tile source's credit line.
    """
    from layers.geo.basemaps import attribution_for

    if basemap in ("", "none"):
        return "无（离线）"
    return attribution_for(basemap) or basemap


def area_name(project: Project, bounds: tuple[float, float, float, float]) -> str:
    """Name the administrative area a map shows, e.g. ``"浙江省杭州市西湖区"``.

    Uses ``layers.geo.admin_areas.area_name`` (the bundled boundaries) where that
    module exists, else the province, city and district of the communities in
    the extent: the most common one, shortened to the level they share.

    Parameters
    ----------
    project : Project
        The project.
    bounds : tuple of float
        West, south, east, north in degrees.

    Returns
    -------
    str
        The name, or ``""`` when nothing tells.
    """
    try:
        from layers.geo.admin_areas import area_name as from_boundaries  # another part of #15
    except ImportError:
        from_boundaries = None
    if from_boundaries is not None:
        name = from_boundaries(bounds)
        if name:
            return str(name)
    frame = features_inside(project.communities.frame, bounds)
    parts = []
    for column in ("province", "city", "district"):
        if column not in frame.columns:
            break
        values = [str(v) for v in frame[column] if isinstance(v, str) and v.strip()]
        if not values:
            break
        value, n = Counter(values).most_common(1)[0]
        parts.append(value)
        if n < len(values):  # several districts in view: name what they share
            parts.pop()
            break
    return "".join(parts)


def data_sources(facilities) -> list[str]:  # noqa: ANN001 - GeoDataFrame
    """Name where the facilities shown come from: article titles, or imported files.

    Parameters
    ----------
    facilities : GeoDataFrame
        The facilities in the map.

    Returns
    -------
    list of str
        ``《title》`` for articles, ``导入自 FILE`` for imports; at most
        :data:`MAX_SOURCES`, then ``等 N 项``.
    """
    seen: list[str] = []
    for value in facilities.get("source", []):
        if not isinstance(value, str) or not value.strip():
            continue
        title = re.search(r"《[^》]+》", value)
        text = _shorten(title.group(0), 40) if title else f"导入自 {value.strip()}"
        if text not in seen:
            seen.append(text)
    if len(seen) > MAX_SOURCES:
        return seen[:MAX_SOURCES] + [f"等 {len(seen)} 项"]
    return seen


def _shorten(title: str, limit: int) -> str:
    return title if len(title) <= limit else title[: limit - 2] + "…》"


def review_number_text(number: str) -> str:
    """Return the 审图号 line as printed: ``审图号：…``, never the word twice.

    Parameters
    ----------
    number : str
        What the planner typed, with or without the 审图号 prefix.

    Returns
    -------
    str
        The line; "" for none.
    """
    number = number.strip()
    if not number:
        return ""
    bare = number.removeprefix("审图号").lstrip("：: ")
    return f"审图号：{bare}"
