"""Mapping imported features onto a project layer's schema.

Source columns are matched to the layer's fields (:data:`FIELD_ALIASES`), categories
and location precisions are recognised (unknown ones reported and kept in notes),
and roads keep only what a pedestrian can walk.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers.io.import_report import ImportReport, failure, label_counts
from layers.model.categories import category_for_label, recognise_category
from layers.model.schema import STORAGE_CRS

#: Source column names recognised for each target field, lower-case.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "名称", "设施名称", "名字", "站点名称", "社区名称", "title"),
    "category": ("category", "类别", "类型", "设施类型", "type", "kind", "分类"),
    "community": ("community", "社区", "所属社区", "所在社区"),
    "address": ("address", "地址", "详细地址", "位置"),
    "opened": ("opened", "启用时间", "开放时间", "建成时间", "date"),
    "description": ("description", "说明", "描述", "简介", "备注说明"),
    "source": ("source", "来源", "数据来源"),
    "notes": ("notes", "备注", "note"),
    "street": ("street", "街道"),
    "district": ("district", "区", "区县", "县区"),
    "city": ("city", "城市", "市"),
    "households": ("households", "户数"),
    "kind": ("kind", "highway", "fclass", "道路等级", "道路类型"),
    "population": ("population", "人口"),
    "location_precision": ("location_precision", "位置精度"),
}


def guess_field_map(columns: list[str], fields: list[str]) -> dict[str, str]:
    """Guess which source column feeds each target field.

    Parameters
    ----------
    columns : list of str
        Source columns.
    fields : list of str
        Target schema fields.

    Returns
    -------
    dict
        Target field to source column.
    """
    norm = {str(c).strip().lower(): c for c in columns}
    out = {}
    for target in fields:
        for alias in (target, *FIELD_ALIASES.get(target, ())):
            if alias.lower() in norm:
                out[target] = norm[alias.lower()]
                break
    return out


def to_layer_frame(raw: gpd.GeoDataFrame, layer: str, report: ImportReport,
                   field_map: dict[str, str] | None = None,
                   category_field: str | None = None) -> gpd.GeoDataFrame:
    """Map raw features onto a project layer's schema.

    Parameters
    ----------
    raw : GeoDataFrame
        From :func:`read_import`.
    layer : str
        ``"facilities"``, ``"communities"`` (points), ``"roads"`` (lines: the
        walking network) or ``"boundaries"`` (community polygons).
    report : ImportReport
        Updated with categories, precisions and counts.
    field_map : dict, optional
        Target field to source column; guessed when omitted.
    category_field : str, optional
        Source column holding categories (facilities).

    Returns
    -------
    GeoDataFrame
        Conformed to the layer schema, in EPSG:4326.
    """
    from layers.model.layer import conform
    from layers.model.schema import SCHEMAS

    schema = SCHEMAS[layer]
    columns = [c for c in raw.columns if c != raw.geometry.name]
    mapping = dict(field_map) if field_map else guess_field_map(columns, list(schema.fields))
    if schema.geometry != "Point":
        mapping.pop("id", None)
        return conform(_shapes_frame(raw, schema.name, report, mapping), schema)
    if category_field:
        if category_field not in columns:
            raise failure(f"{report.source} has no column {category_field!r}")
        mapping["category"] = category_field
    mapping.pop("id", None)
    data = {target: raw[src].to_numpy() for target, src in mapping.items()
            if src in raw.columns and target in schema.fields}
    geoms = raw.geometry.to_numpy()
    not_point = shapely.get_type_id(geoms) != 0
    if not_point.any():
        geoms = np.where(not_point, shapely.point_on_surface(geoms), geoms)
        report.warn("{n} non-point features imported as a point inside each",
                    n=int(not_point.sum()))
    frame = gpd.GeoDataFrame(data, geometry=geoms, crs=STORAGE_CRS)
    if "name" not in frame.columns:
        frame["name"] = [f"{report.source} #{i + 1}" for i in range(len(frame))]
        report.warn("no name column: features named after the file")
    names = frame["name"].astype(str).str.strip()
    frame["name"] = names.where(names != "", [f"{report.source} #{i + 1}"
                                              for i in range(len(frame))])
    if layer == "facilities":
        _set_categories(frame, report)
    if layer == "communities":
        frame = _fill_admin_areas(frame, report)
    _set_provenance(frame, report)
    report.imported = len(frame)
    return conform(frame, schema)


def _fill_admin_areas(frame: gpd.GeoDataFrame, report: ImportReport) -> gpd.GeoDataFrame:
    """Fill missing district, city and province from the bundled boundaries (reported)."""
    from layers.geo.admin_areas import fill_admin_fields, fill_summary

    frame, counts = fill_admin_fields(frame)
    report.filled = fill_summary(counts)
    return frame


def _append_notes(frame: gpd.GeoDataFrame, rows: np.ndarray, text: pd.Series) -> None:
    """Append ``text`` to the notes of ``rows``, after any note already there."""
    notes = (frame["notes"].astype(object) if "notes" in frame.columns
             else pd.Series([None] * len(frame), index=frame.index, dtype=object))
    old = notes.fillna("").astype(str).str.strip()
    added = np.where(old == "", text, old + "; " + text)
    frame["notes"] = notes.where(~rows, pd.Series(added, index=notes.index))


def _set_categories(frame: gpd.GeoDataFrame, report: ImportReport) -> None:
    """Set category ids; an unknown label becomes ``other``, kept in notes and reported.

    A category column's value is read as a label (:func:`category_for_label`); a row
    without one is classified by its name (:func:`recognise_category`).
    """
    raw_cats = (frame["category"].fillna("").astype(str).str.strip()
                if "category" in frame.columns else pd.Series([""] * len(frame)))
    names = frame["name"].astype(str)
    # recognise each distinct value once: a city's file repeats a few dozen values
    by_label = {v: category_for_label(v) for v in raw_cats.unique() if v}
    by_name = {v: recognise_category(v) for v in names[raw_cats == ""].unique()}
    cats = np.where(raw_cats != "", raw_cats.map(by_label), names.map(by_name))
    unknown = pd.isna(cats)
    labelled = unknown & (raw_cats != "").to_numpy()
    labels = np.where(labelled, raw_cats.to_numpy(dtype=object), np.where(unknown, "", None))
    report.unknown_labels = labels
    report.unknown_categories = label_counts(report.unknown_labels)
    frame["category"] = np.where(unknown, "other", cats)
    if labelled.any():
        _append_notes(frame, labelled, "原类别: " + raw_cats)


def _set_provenance(frame: gpd.GeoDataFrame, report: ImportReport) -> None:
    """Say where each point row came from: its source and its location precision.

    ``source`` is the file's own source column, or else the file's name: with the
    row's name it is the row's source id (see :mod:`layers.io.duplicates`).
    ``location_precision`` is the file's value when it is one of
    :data:`~layers.model.schema.PRECISIONS`, else ``from-file``; a value not in that
    list is reported and kept in notes.
    """
    from layers.model.schema import PRECISIONS

    source = (frame["source"].fillna("").astype(str).str.strip() if "source" in frame.columns
              else pd.Series([""] * len(frame), index=frame.index))
    frame["source"] = source.where(source != "", report.source)
    if "location_precision" not in frame.columns:
        frame["location_precision"] = "from-file"
        return
    given = frame["location_precision"].fillna("").astype(str).str.strip()
    folded = given.str.lower().str.replace("_", "-").str.replace(" ", "-")
    valid = folded.isin(PRECISIONS).to_numpy()
    frame["location_precision"] = np.where(valid, folded, "from-file")
    invalid = ~valid & (given != "").to_numpy()
    if invalid.any():
        _append_notes(frame, invalid, "原位置精度: " + given)
        n = int(invalid.sum())
        report.warn("{n} rows with a location precision not in ({known}) set to from-file; "
                    "the file's value is in notes", n=n, known=", ".join(PRECISIONS))


#: OpenStreetMap ``highway`` values a pedestrian cannot use.
NOT_WALKABLE = frozenset({"motorway", "motorway_link", "trunk", "trunk_link", "construction",
                          "proposed", "raceway", "bus_guideway", "busway", "abandoned",
                          "platform", "elevator"})


def _walkable(frame: gpd.GeoDataFrame, data: dict, geoms: np.ndarray,
              report: ImportReport) -> tuple[dict, np.ndarray]:
    """Drop ways a pedestrian cannot use (OpenStreetMap ``highway``/``fclass`` values)."""
    osm = "highway" in frame.columns
    if "kind" not in data:
        column = next((c for c in ("highway", "fclass") if c in frame.columns), None)
        if column is not None:
            data["kind"] = frame[column].to_numpy()
    kinds = pd.Series(data.get("kind", np.full(len(frame), None)), dtype=object)
    walk = ~kinds.isin(NOT_WALKABLE)
    if osm:  # the lines layer also holds rivers, power lines and boundaries
        walk &= frame["highway"].notna().to_numpy()
    if "other_tags" in frame.columns:
        walk &= ~frame["other_tags"].astype(str).str.contains('"foot"=>"no"', regex=False)
    walk = walk.to_numpy()
    dropped = int((~walk).sum())
    if dropped:
        report.skipped += dropped
        report.warn("{n} ways that are not walkable streets or paths skipped (motorways, "
                    "rivers, foot=no)", n=dropped)
    if not walk.any():
        raise failure(f"{report.source} has no walkable streets or paths")
    return {k: np.asarray(v)[walk] for k, v in data.items()}, geoms[walk]


def _shapes_frame(raw: gpd.GeoDataFrame, layer: str, report: ImportReport,
                  mapping: dict[str, str]) -> gpd.GeoDataFrame:
    """Keep the lines (roads) or polygons (boundaries) of ``raw`` with their fields."""
    geoms = raw.geometry.to_numpy()
    kind = shapely.get_type_id(geoms)
    if layer == "boundaries":
        collections = np.nonzero(kind == 7)[0]  # make_valid can return a collection
        for i in collections:
            polys = [p for p in shapely.get_parts(geoms[i]) if p.geom_type == "Polygon"]
            geoms[i] = shapely.union_all(polys) if polys else geoms[i]
        kind = shapely.get_type_id(geoms)
        keep = np.isin(kind, (3, 6))
        what = "polygons"
    else:
        keep = np.isin(kind, (1, 5))
        what = "lines"
    if not keep.any():
        raise failure(f"{report.source} has no {what} to import as {layer}")
    if (~keep).any():
        report.skipped += int((~keep).sum())
        report.warn("{n} features that are not {what} skipped", n=int((~keep).sum()), what=what)
    frame = raw[keep].reset_index(drop=True)
    geoms = geoms[keep]
    data = {target: frame[src].to_numpy() for target, src in mapping.items()
            if src in frame.columns}
    if layer == "roads":
        data, geoms = _walkable(frame, data, geoms, report)
    if layer == "boundaries" and "community" not in data:
        names = [c for c in frame.columns if str(c).strip().lower() in
                 ("name", "名称", "社区名称", "小区名称")]
        if names:
            data["community"] = frame[names[0]].to_numpy()
    out = gpd.GeoDataFrame(data, geometry=geoms, crs=STORAGE_CRS)
    report.imported = len(out)
    return out
