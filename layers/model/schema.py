"""The project schema: which layers a project has and the fields of each.

A project is one GeoPackage. ``communities`` and ``facilities`` are required;
``boundaries``, ``roads`` and ``service_circles`` are optional layers that later
tools add. Every layer is stored in EPSG:4326.
"""

from __future__ import annotations

from dataclasses import dataclass, field

STORAGE_CRS = "EPSG:4326"

#: Location precision values, from most to least precise.
PRECISIONS: tuple[str, ...] = (
    "surveyed",
    "approximate-street",
    "approximate-community",
    "approximate-district",
    "approximate-city",
)


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
    """

    name: str
    geometry: str
    fields: dict[str, str] = field(default_factory=dict)
    required: bool = False


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
    },
    required=True,
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
)

BOUNDARIES = LayerSchema(
    "boundaries",
    "Polygon",
    {"id": "str", "community": "str", "source": "str", "notes": "str"},
)

ROADS = LayerSchema("roads", "LineString", {"id": "str", "name": "str", "kind": "str"})

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
)

SCHEMAS: dict[str, LayerSchema] = {
    s.name: s for s in (FACILITIES, COMMUNITIES, BOUNDARIES, ROADS, SERVICE_CIRCLES)
}

#: Readable field names for the attribute panel and table headers.
FIELD_LABELS_ZH: dict[str, str] = {
    "id": "编号", "name": "名称", "category": "类别", "community": "所属社区",
    "address": "地址", "opened": "启用时间", "description": "说明", "source": "来源",
    "quote": "原文引述", "location_precision": "位置精度", "notes": "备注",
    "level": "层级", "parent": "上级社区", "street": "街道", "district": "区县",
    "city": "城市", "province": "省份", "households": "户数", "population": "人口",
    "built_year": "建成年份", "elderly_share": "老年人占比(%)", "facts": "概况",
}

#: Bottom-to-top draw order of the known layers.
DRAW_ORDER = ("boundaries", "roads", "service_circles", "communities", "facilities")
