"""The project schema: which layers a project has and the fields of each.

A project is one GeoPackage. ``communities`` and ``facilities`` are required;
``boundaries``, ``roads`` and ``service_circles`` are optional layers that later
tools add. Every layer is stored in EPSG:4326.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field

STORAGE_CRS = "EPSG:4326"

#: Location precision values, from most to least precise. ``placed-on-map`` is a
#: position clicked by a planner; ``from-file`` is a coordinate taken as given from an
#: imported file that does not say how precise it is.
PRECISIONS: tuple[str, ...] = (
    "surveyed",
    "placed-on-map",
    "from-file",
    "approximate-street",
    "approximate-community",
    "approximate-district",
    "approximate-city",
)


class LayerRole(enum.StrEnum):
    """What a layer means to the planner; it decides how the layer is drawn and used."""

    FACILITIES = "facilities"
    COMMUNITIES = "communities"
    BOUNDARIES = "boundaries"
    ROADS = "roads"
    SERVICE_CIRCLES = "service_circles"
    #: sites a siting model proposes: drawn apart, never counted as facilities
    PROPOSALS = "proposals"
    #: any other layer, such as one the planner brought in under a name of their own
    OTHER = "other"


class GeometryKind(enum.StrEnum):
    """The geometry family of a layer's features."""

    POINT = "point"
    LINE = "line"
    POLYGON = "polygon"


#: Geometry types of each kind; multi-part variants belong to their family.
GEOMETRY_TYPES: dict[GeometryKind, frozenset[str]] = {
    GeometryKind.POINT: frozenset({"Point", "MultiPoint"}),
    GeometryKind.LINE: frozenset({"LineString", "MultiLineString"}),
    GeometryKind.POLYGON: frozenset({"Polygon", "MultiPolygon"}),
}

_KIND_OF_FAMILY = {"Point": GeometryKind.POINT, "LineString": GeometryKind.LINE,
                   "Polygon": GeometryKind.POLYGON}


def geometry_kind(geometry_types: Iterable[str | None]) -> GeometryKind:
    """Return the kind of a layer from the geometry types of its features.

    Parameters
    ----------
    geometry_types : iterable of str or None
        Geometry type names (``frame.geom_type``); None for a missing geometry.

    Returns
    -------
    GeometryKind
        Polygon if any feature is a polygon, else line if any is a line, else point
        (an empty layer counts as points).
    """
    present = {t for t in geometry_types if t}
    for kind in (GeometryKind.POLYGON, GeometryKind.LINE):
        if present & GEOMETRY_TYPES[kind]:
            return kind
    return GeometryKind.POINT


@dataclass(frozen=True)
class LayerSchema:
    """Fields and geometry of one project layer.

    Attributes
    ----------
    name : str
        Layer name inside the GeoPackage.
    geometry : str
        Geometry family: ``"Point"``, ``"Polygon"`` or ``"LineString"``; multi-part
        variants of the family are accepted too.
    fields : dict
        Field name to kind: ``"str"``, ``"int"`` or ``"float"``.
    required : bool
        Whether a project must contain the layer.
    role : LayerRole
        What the layer is for.
    optional : frozenset of str
        Fields added after projects were first saved: a stored layer without them
        still opens (they read as empty and are added to the table on save).
    """

    name: str
    geometry: str
    fields: dict[str, str] = field(default_factory=dict)
    required: bool = False
    role: LayerRole = LayerRole.OTHER
    optional: frozenset[str] = frozenset()

    @property
    def kind(self) -> GeometryKind:
        """The geometry kind of :attr:`geometry`."""
        return _KIND_OF_FAMILY[self.geometry]


FACILITIES = LayerSchema(
    "facilities",
    "Point",
    {
        "id": "str",
        "name": "str",
        "category": "str",
        "community": "str",
        "address": "str",
        "opened": "str",
        "description": "str",
        "source": "str",
        "quote": "str",
        "location_precision": "str",
        "notes": "str",
        # seats of a canteen, charging ports of a shed: for 2SFCA accessibility
        # (layers/analysis/accessibility.py); empty when no source states it
        "capacity": "float",
    },
    required=True,
    role=LayerRole.FACILITIES,
    optional=frozenset({"capacity"}),
)

COMMUNITIES = LayerSchema(
    "communities",
    "Point",
    {
        "id": "str",
        "name": "str",
        "level": "str",
        "parent": "str",
        "street": "str",
        "district": "str",
        "city": "str",
        "province": "str",
        "households": "int",
        "population": "int",
        "built_year": "int",
        "elderly_share": "float",
        "facts": "str",
        "source": "str",
        "quote": "str",
        "location_precision": "str",
        "notes": "str",
    },
    required=True,
    role=LayerRole.COMMUNITIES,
)

BOUNDARIES = LayerSchema(
    "boundaries",
    "Polygon",
    {"id": "str", "community": "str", "source": "str", "notes": "str"},
    role=LayerRole.BOUNDARIES,
)

ROADS = LayerSchema("roads", "LineString", {"id": "str", "name": "str", "kind": "str"},
                    role=LayerRole.ROADS)

SERVICE_CIRCLES = LayerSchema(
    "service_circles",
    "Polygon",
    {
        "id": "str",
        "facility_id": "str",
        "name": "str",
        "category": "str",
        "minutes": "float",
        "radius_m": "float",
        "method": "str",
    },
    role=LayerRole.SERVICE_CIRCLES,
)

#: Sites proposed by siting (``main.py site``, Analysis ▸ Suggest Sites…). They are
#: not facilities: no audit or circle counts them until a planner accepts one.
PROPOSALS = LayerSchema(
    "proposals",
    "Point",
    {
        "id": "str",
        "rank": "int",
        "category": "str",
        "method": "str",  # mclp | lscp
        "minutes": "float",
        "gain": "int",  # residents newly covered; empty when all are unknown
        "communities": "str",  # the names it brings into the walk, joined by 、
        "candidate_source": "str",
        "notes": "str",
    },
    role=LayerRole.PROPOSALS,
)

SCHEMAS: dict[str, LayerSchema] = {
    s.name: s for s in (FACILITIES, COMMUNITIES, BOUNDARIES, ROADS, SERVICE_CIRCLES, PROPOSALS)
}

#: Readable field names for the attribute panel and table headers.
FIELD_LABELS_ZH: dict[str, str] = {
    "id": "编号", "name": "名称", "category": "类别", "community": "所属社区",
    "address": "地址", "opened": "启用时间", "description": "说明", "source": "来源",
    "quote": "原文引述", "location_precision": "位置精度", "notes": "备注",
    "level": "层级", "parent": "上级社区", "street": "街道", "district": "区县",
    "city": "城市", "province": "省份", "households": "户数", "population": "人口",
    "built_year": "建成年份", "elderly_share": "老年人占比(%)", "facts": "概况",
    "rank": "序号", "method": "方法", "minutes": "步行分钟", "gain": "新覆盖人口",
    "communities": "新覆盖社区", "candidate_source": "候选点来源",
    "capacity": "容量",
}

#: Layer names as a printed map's legend and a report call them.
LAYER_TITLES_ZH: dict[str, str] = {
    "facilities": "设施", "communities": "社区", "boundaries": "社区边界",
    "roads": "道路与步行道", "service_circles": "服务圈", "proposals": "拟建选址",
}

#: How each location precision reads for a planner (popups, table, attribute panel).
PRECISION_LABELS_ZH: dict[str, str] = {
    "surveyed": "实测",
    "placed-on-map": "地图上标注",
    "from-file": "来自导入文件",
    "approximate-street": "街道级（大致）",
    "approximate-community": "社区级（大致）",
    "approximate-district": "区县级（大致）",
    "approximate-city": "城市级（大致）",
}


def precision_label(value: object) -> str:
    """Return a location precision as the planner reads it; unknown values as they are.

    Parameters
    ----------
    value : object
        A ``location_precision`` value, e.g. ``"approximate-community"``.

    Returns
    -------
    str
        E.g. ``"社区级（大致）"``; "" for an empty value.
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return PRECISION_LABELS_ZH.get(str(value), str(value))


#: Bottom-to-top draw order of the known layers.
DRAW_ORDER = ("boundaries", "roads", "service_circles", "communities", "facilities",
              "proposals")
