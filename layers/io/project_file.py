"""Reading and writing project GeoPackages: schema checks and atomic saves."""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import pyogrio

from layers.io.atomic import atomic_path
from layers.model.layer import FeatureLayer, conform, empty_frame
from layers.model.schema import DRAW_ORDER, SCHEMAS, STORAGE_CRS, LayerSchema


class ProjectFileError(Exception):
    """A project file that cannot be opened, with a one-line reason."""


_GEOMETRY_FAMILIES = {
    "Point": {"Point", "MultiPoint"},
    "Polygon": {"Polygon", "MultiPolygon"},
    "LineString": {"LineString", "MultiLineString"},
}


def read_project_layers(path: str | os.PathLike) -> dict[str, gpd.GeoDataFrame]:
    """Read and validate every layer of a project GeoPackage.

    Parameters
    ----------
    path : path-like
        The ``.gpkg`` file.

    Returns
    -------
    dict of str to GeoDataFrame
        Layer name to features in EPSG:4326, required layers first.

    Raises
    ------
    ProjectFileError
        If the file is missing, not a GeoPackage, or a layer, field or field
        type does not match the schema. The message names what is wrong.
    """
    path = Path(path)
    if not path.exists():
        raise ProjectFileError(f"project file not found: {path}")
    if path.stat().st_size == 0:
        raise ProjectFileError(f"project file is empty: {path}")
    with open(path, "rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise ProjectFileError(f"not a GeoPackage (no SQLite header): {path}")
    try:
        listed = pyogrio.list_layers(path)
    except Exception as exc:  # GDAL raises several types for broken files
        raise ProjectFileError(f"cannot open project {path.name}: {_one_line(exc)}") from None
    names = [str(n) for n in listed[:, 0]]
    for schema in SCHEMAS.values():
        if schema.required and schema.name not in names:
            raise ProjectFileError(f"project {path.name} has no layer '{schema.name}'")
    out: dict[str, gpd.GeoDataFrame] = {}
    ordered = [s for s in SCHEMAS if s in names] + [n for n in names if n not in SCHEMAS]
    for name in ordered:
        try:
            frame = pyogrio.read_dataframe(path, layer=name, use_arrow=True)
        except Exception as exc:
            raise ProjectFileError(f"cannot read layer '{name}': {_one_line(exc)}") from None
        if not isinstance(frame, gpd.GeoDataFrame):
            continue  # a plain table (metadata); not a map layer
        schema = SCHEMAS.get(name)
        if schema is not None:
            _check_layer(frame, schema, pyogrio.read_info(path, layer=name))
            frame = conform(frame, schema)
        elif frame.crs is not None and not frame.crs.equals(STORAGE_CRS):
            frame = frame.to_crs(STORAGE_CRS)
        out[name] = frame
    return out


def _check_layer(frame: gpd.GeoDataFrame, schema: LayerSchema, info: dict) -> None:
    stored = dict(zip(info["fields"], info["dtypes"], strict=False))
    accepted = {
        "str": {"object", "str"},
        "int": {"int64", "int32", "int16", "int8", "bool"},
        "float": {"float64", "float32", "int64", "int32", "int16"},
    }
    for field, kind in schema.fields.items():
        if field not in stored:
            raise ProjectFileError(f"layer '{schema.name}' has no field '{field}'")
        if str(stored[field]) not in accepted[kind]:
            want = {"str": "text", "int": "integer", "float": "real"}[kind]
            raise ProjectFileError(
                f"field '{schema.name}.{field}' should be {want}, found {stored[field]}"
            )
    types = set(frame.geometry.geom_type.dropna().unique())
    allowed = _GEOMETRY_FAMILIES[schema.geometry]
    if types - allowed:
        raise ProjectFileError(
            f"layer '{schema.name}' should hold {schema.geometry} geometry, "
            f"found {', '.join(sorted(types - allowed))}"
        )


def write_project_layers(path: str | os.PathLike, layers: dict[str, gpd.GeoDataFrame]) -> None:
    """Write layers to a GeoPackage atomically.

    The layers go to a temporary file in the same folder, which is flushed to
    disk and then renamed over ``path``. A crash at any moment leaves either
    the old file or the new one, never a half-written project.

    Parameters
    ----------
    path : path-like
        Destination ``.gpkg``.
    layers : dict of str to GeoDataFrame
        Layer name to features; the frames are not modified.

    Raises
    ------
    ProjectFileError
        If the folder cannot be written.
    """
    path = Path(path).absolute()
    if not path.parent.is_dir():
        raise ProjectFileError(f"folder does not exist: {path.parent}")
    try:
        with atomic_path(path) as tmp:
            for name, frame in layers.items():
                _write_layer(tmp, name, frame)
    except OSError as exc:
        raise ProjectFileError(f"cannot save {path.name}: {exc.strerror or exc}") from None


def _write_layer(target: Path, name: str, frame: gpd.GeoDataFrame) -> None:
    schema = SCHEMAS.get(name)
    out = frame if frame.crs is not None and frame.crs.equals(STORAGE_CRS) else (
        frame.set_crs(STORAGE_CRS) if frame.crs is None else frame.to_crs(STORAGE_CRS)
    )
    geometry_type = None
    if schema is not None:
        geometry_type = {"Point": "Point", "Polygon": "MultiPolygon",
                         "LineString": "MultiLineString"}[schema.geometry]
        if len(out) == 0:
            out = empty_frame(schema)
    kinds = {"Point": None, "Polygon": "MultiPolygon", "LineString": "MultiLineString"}
    promote = schema is not None and kinds[schema.geometry] is not None
    pyogrio.write_dataframe(
        out,
        target,
        layer=name,
        driver="GPKG",
        geometry_type=geometry_type,
        promote_to_multi=promote,
        use_arrow=True,
        layer_options={"SPATIAL_INDEX": "YES"},
    )


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def layers_from_frames(frames: dict[str, gpd.GeoDataFrame],
                       conformed: bool = False) -> list[FeatureLayer]:
    """Wrap frames in layer models, facilities drawn above communities.

    Parameters
    ----------
    frames : dict of str to GeoDataFrame
        Layer name to features.
    conformed : bool
        True when the frames were already conformed to their schemas.

    Returns
    -------
    list of FeatureLayer
        Bottom-to-top draw order.
    """
    names = sorted(frames, key=lambda n: DRAW_ORDER.index(n) if n in DRAW_ORDER else -1)
    return [FeatureLayer(n, frames[n], conformed=conformed) for n in names]
