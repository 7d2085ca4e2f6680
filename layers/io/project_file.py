"""Reading and writing whole project GeoPackages: schema checks, views never read."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Collection, Iterable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field, replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

from layers.io.atomic import atomic_path
from layers.io.bulk import collector_paused
from layers.io.point_reading import read_point_layer
from layers.model.changes import StoreError
from layers.model.layer import FeatureLayer, conform, empty_frame, new_id
from layers.model.schema import DRAW_ORDER, SCHEMAS, STORAGE_CRS, LayerSchema


class ProjectFileError(StoreError):
    """A project file that cannot be opened, with a one-line reason."""


_GEOMETRY_FAMILIES = {
    "Point": {"Point", "MultiPoint"},
    "Polygon": {"Polygon", "MultiPolygon"},
    "LineString": {"LineString", "MultiLineString"},
}

#: shapely's geometry type ids to the names geopandas gives them.
_TYPE_NAMES = {0: "Point", 1: "LineString", 2: "LinearRing", 3: "Polygon", 4: "MultiPoint",
               5: "MultiLineString", 6: "MultiPolygon", 7: "GeometryCollection"}

#: Declared GeoPackage geometry column types accepted for each family.
_DECLARED = {
    "Point": {"POINT", "MULTIPOINT", "GEOMETRY"},
    "Polygon": {"POLYGON", "MULTIPOLYGON", "GEOMETRY"},
    "LineString": {"LINESTRING", "MULTILINESTRING", "GEOMETRY"},
}


@dataclass(frozen=True)
class TableEntry:
    """One entry of a GeoPackage's ``gpkg_contents``.

    Attributes
    ----------
    name : str
        Table name.
    data_type : str
        ``features``, ``attributes``, ``tiles``…
    geometry_column : str or None
        Geometry column of a features table.
    geometry_type : str or None
        Declared geometry type (``POINT``, ``MULTIPOLYGON``…).
    srs_id : int or None
        SRS id of the geometry column.
    is_view : bool
        True when the entry is an SQL view, which the app never reads.
    """

    name: str
    data_type: str
    geometry_column: str | None
    geometry_type: str | None
    srs_id: int | None
    is_view: bool


@dataclass
class ProjectRead:
    """Layers read from a project file, and what was repaired or skipped while reading.

    Attributes
    ----------
    frames : dict of str to GeoDataFrame
        Layer name to features in EPSG:4326, conformed to their schemas.
    notes : list of str
        One line per repair or skip.
    repaired_ids : dict
        Layer name to ``{new id: fid}`` for rows that had no id or a duplicate one.
    """

    frames: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    repaired_ids: dict[str, dict[str, int]] = field(default_factory=dict)


def check_header(path: Path) -> None:
    """Refuse a file that is missing, empty or not SQLite, in one line.

    Parameters
    ----------
    path : Path
        The file.

    Raises
    ------
    ProjectFileError
        Naming what is wrong.
    """
    if not path.exists():
        raise ProjectFileError(f"project file not found: {path}")
    if path.stat().st_size == 0:
        raise ProjectFileError(f"project file is empty: {path}")
    with open(path, "rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise ProjectFileError(f"not a GeoPackage (no SQLite header): {path}")


def read_only(path: Path) -> sqlite3.Connection:
    """Open a GeoPackage with SQLite, read-only.

    Parameters
    ----------
    path : Path
        The file.

    Returns
    -------
    sqlite3.Connection
        A read-only connection (close it when done).
    """
    return sqlite3.connect(Path(path).absolute().as_uri() + "?mode=ro", uri=True, timeout=10)


def table_catalog(con: sqlite3.Connection) -> dict[str, TableEntry]:
    """List the layers a GeoPackage declares, telling tables from views.

    Parameters
    ----------
    con : sqlite3.Connection
        Connection to the GeoPackage.

    Returns
    -------
    dict of str to TableEntry
        Table name to entry, in ``gpkg_contents`` order.
    """
    rows = con.execute(
        "SELECT c.table_name, c.data_type, g.column_name, g.geometry_type_name, g.srs_id, "
        "m.type FROM gpkg_contents c "
        "LEFT JOIN gpkg_geometry_columns g ON g.table_name = c.table_name "
        "LEFT JOIN sqlite_master m ON m.name = c.table_name AND m.type IN ('table', 'view')"
    ).fetchall()
    return {r[0]: TableEntry(r[0], r[1], r[2], (r[3] or "").upper() or None, r[4],
                             r[5] == "view") for r in rows}


def plain_tables(con: sqlite3.Connection) -> set[str]:
    """Return the names of a database's tables (not views).

    Parameters
    ----------
    con : sqlite3.Connection
        Connection to the GeoPackage.

    Returns
    -------
    set of str
        Table names.
    """
    return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def read_project_file(path: str | os.PathLike, repair_ids: bool = True,
                      columns: Mapping[str, Sequence[str]] | None = None,
                      layers: Collection[str] | None = None) -> ProjectRead:
    """Read and validate every table layer of a project GeoPackage.

    Views are never read (a view can run any query, even one that never ends).
    Rows without an id, or with an id another row already has, get a new id in
    memory and are reported; the store writes the new ids on the next save.

    Parameters
    ----------
    path : path-like
        The ``.gpkg`` file.
    repair_ids : bool
        Give rows without an id or with a repeated id a new one (a project the
        planner edited elsewhere); False leaves repeated ids for the caller to refuse.
    columns : mapping of str to sequence of str, optional
        Layer name to the only fields to read (with the geometry), for a
        read-only analysis: a million facilities read in a fraction of the time
        and memory. Such frames hold only those fields and must never be saved
        (the missing fields would read as emptied).
    layers : collection of str, optional
        Read only these layers (required layers are checked all the same).

    Returns
    -------
    ProjectRead
        Layers (required first) and the notes on what was repaired or skipped.

    Raises
    ------
    ProjectFileError
        If the file is missing or not a GeoPackage, a required layer is missing,
        not spatial, a view or of the wrong geometry, or a field is missing or of
        the wrong type. The message names the table and what is wrong.
    """
    path = Path(path)
    wanted_layers = None if layers is None else set(layers)
    check_header(path)
    try:
        with closing(read_only(path)) as con:
            catalog = table_catalog(con)
            tables = plain_tables(con)
    except sqlite3.DatabaseError as exc:
        raise ProjectFileError(f"cannot open project {path.name}: {_one_line(exc)}") from None
    for schema in SCHEMAS.values():
        if schema.required:
            check_required(path, schema, catalog.get(schema.name), schema.name in tables)
    out = ProjectRead()
    views = sorted(n for n, e in catalog.items() if e.is_view)
    if views:
        out.notes.append(f"{len(views)} SQL view{'s' if len(views) > 1 else ''} not read "
                         f"({', '.join(views)}): the app reads tables only")
    layers = [n for n, e in catalog.items()
              if e.data_type == "features" and not e.is_view and n in tables]
    ordered = [s for s in SCHEMAS if s in layers] + [n for n in layers if n not in SCHEMAS]
    if wanted_layers is not None:
        ordered = [n for n in ordered if n in wanted_layers]
    for name in ordered:
        schema = SCHEMAS.get(name)
        only = None if columns is None or name not in columns else list(columns[name])
        info = pyogrio.read_info(path, layer=name) if schema is not None else None
        if schema is not None and only is not None:
            check_layer_fields(schema, info)  # the fields not read are checked all the same
            stored = set(info["fields"])
            only = [c for c in only if c in stored]
        try:
            with collector_paused():  # a million geometries, no collector passes over them
                # a layer of points (a million facilities) has its coordinates read at once
                frame = read_point_layer(path, name, only) if info is not None \
                    and info.get("geometry_type") == "Point" else None
                if frame is None:
                    frame = pyogrio.read_dataframe(path, layer=name, use_arrow=True,
                                                   fid_as_index=True, columns=only)
        except Exception as exc:  # GDAL raises several types for broken files
            raise ProjectFileError(f"cannot read layer '{name}': {_one_line(exc)}") from None
        frame = frame.drop(columns=[c for c in HIDDEN_COLUMNS if c in frame.columns])
        if schema is not None:
            _check_layer(frame, schema, info)
            if repair_ids and "id" in frame.columns:
                _repair_ids(name, frame, out)
            if only is not None:
                fields = {k: v for k, v in schema.fields.items() if k in columns[name]}
                schema = replace(schema, fields=fields)
            frame = conform(frame, schema)
        else:
            frame = frame.reset_index(drop=True)
            if frame.crs is not None and not frame.crs.equals(STORAGE_CRS):
                frame = frame.to_crs(STORAGE_CRS)
        out.frames[name] = frame
    return out


#: Columns the store keeps in every table it writes, never shown as attributes.
HIDDEN_COLUMNS = ("row_version",)


def read_project_layers(path: str | os.PathLike) -> dict[str, gpd.GeoDataFrame]:
    """Read and validate every table layer of a project GeoPackage.

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
        As :func:`read_project_file`.
    """
    return read_project_file(path, repair_ids=False).frames


def check_required(path: Path, schema: LayerSchema, entry: TableEntry | None,
                   is_table: bool) -> None:
    """Refuse a required layer that is missing, not spatial, a view or the wrong geometry.

    Parameters
    ----------
    path : Path
        The project file (for the message).
    schema : LayerSchema
        The required layer's schema.
    entry : TableEntry or None
        Its ``gpkg_contents`` entry.
    is_table : bool
        Whether a plain table of that name exists.

    Raises
    ------
    ProjectFileError
        Naming the table and what is wrong.
    """
    name = schema.name
    if entry is None:
        if is_table:
            raise ProjectFileError(f"layer '{name}' in {path.name} is a table without "
                                   f"geometry; it must be a {schema.geometry} layer")
        raise ProjectFileError(f"project {path.name} has no layer '{name}'")
    if entry.is_view:
        raise ProjectFileError(f"layer '{name}' in {path.name} is an SQL view, not a table; "
                               "the app edits tables only")
    if entry.data_type != "features" or entry.geometry_column is None:
        raise ProjectFileError(f"layer '{name}' in {path.name} is a table without geometry "
                               f"({entry.data_type}); it must be a {schema.geometry} layer")
    if entry.geometry_type not in _DECLARED[schema.geometry]:
        raise ProjectFileError(f"layer '{name}' in {path.name} holds {entry.geometry_type} "
                               f"geometry; it must be a {schema.geometry} layer")


def _repair_ids(name: str, frame: gpd.GeoDataFrame, out: ProjectRead) -> None:
    """Give rows without an id, or with a repeated id, a new one; remember their fids."""
    ids = frame["id"].astype(object)
    blank = ids.isna() | (ids.astype(str).str.strip() == "")
    repeated = ids.duplicated(keep="first") & ~blank
    bad = blank | repeated
    if not bad.any():
        return
    fresh = {}
    for fid in frame.index[bad.to_numpy()]:
        fresh[new_id()] = int(fid)
    frame.loc[bad.to_numpy(), "id"] = list(fresh)
    out.repaired_ids[name] = fresh
    out.notes.append(
        f"{int(blank.sum())} rows of '{name}' had no id and {int(repeated.sum())} repeated "
        "another row's id: given new ids, written on the next save")


def check_layer_fields(schema: LayerSchema, info: dict) -> None:
    """Refuse a layer whose fields do not match its schema, naming the field.

    Parameters
    ----------
    schema : LayerSchema
        The layer's schema.
    info : dict
        ``pyogrio.read_info`` of the layer.

    Raises
    ------
    ProjectFileError
        For a missing field or one of the wrong type.
    """
    stored = dict(zip(info["fields"], info["dtypes"], strict=False))
    accepted = {
        "str": {"object", "str"},
        "int": {"int64", "int32", "int16", "int8", "bool"},
        "float": {"float64", "float32", "int64", "int32", "int16"},
    }
    for column, kind in schema.fields.items():
        if column not in stored and column in schema.optional:
            continue  # a field added since the project was saved: read as empty
        if column not in stored:
            raise ProjectFileError(f"layer '{schema.name}' has no field '{column}'")
        if str(stored[column]) not in accepted[kind]:
            want = {"str": "text", "int": "integer", "float": "real"}[kind]
            raise ProjectFileError(
                f"field '{schema.name}.{column}' should be {want}, found {stored[column]}"
            )


def _check_layer(frame: gpd.GeoDataFrame, schema: LayerSchema, info: dict) -> None:
    check_layer_fields(schema, info)
    # type ids, not names: a million type names take a tenth of a second
    ids = np.unique(shapely.get_type_id(frame.geometry.to_numpy()))
    types = {_TYPE_NAMES[int(i)] for i in ids if i >= 0}
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
                write_layer(tmp, name, frame)
    except OSError as exc:
        raise ProjectFileError(f"cannot save {path.name}: {exc.strerror or exc}") from None


def write_project_layer_chunks(path: str | os.PathLike, name: str,
                               chunks: Iterable[gpd.GeoDataFrame]) -> int:
    """Write one layer to a GeoPackage atomically, a chunk of features at a time.

    For layers too big to hold at once (a million service circles): only one
    chunk is in memory, and the file appears only when the last one is written.

    Parameters
    ----------
    path : path-like
        Destination ``.gpkg``; an existing file is replaced whole.
    name : str
        Layer name.
    chunks : iterable of GeoDataFrame
        The features, in order; at least one (it may be empty).

    Returns
    -------
    int
        Features written.

    Raises
    ------
    ProjectFileError
        If the folder cannot be written.
    """
    path = Path(path).absolute()
    if not path.parent.is_dir():
        raise ProjectFileError(f"folder does not exist: {path.parent}")
    written = 0
    try:
        with atomic_path(path) as tmp:
            for frame in chunks:
                if written and not len(frame):
                    continue
                write_layer(tmp, name, frame, append=bool(written))
                written += len(frame)
    except OSError as exc:
        raise ProjectFileError(f"cannot save {path.name}: {exc.strerror or exc}") from None
    return written


def write_layer(target: Path, name: str, frame: gpd.GeoDataFrame, append: bool = False) -> None:
    """Write one layer into a GeoPackage with GDAL (a new file, or a new layer of one).

    Parameters
    ----------
    target : Path
        The GeoPackage.
    name : str
        Layer name; a schema layer gets its declared geometry type.
    frame : geopandas.GeoDataFrame
        Features.
    append : bool
        Add the features to the layer already there (written by an earlier call).
    """
    schema = SCHEMAS.get(name)
    out = frame if frame.crs is not None and frame.crs.equals(STORAGE_CRS) else (
        frame.set_crs(STORAGE_CRS) if frame.crs is None else frame.to_crs(STORAGE_CRS)
    )
    geometry_type = "Unknown" if len(out) == 0 else None
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
        append=append,
        **({} if append else {"layer_options": {"SPATIAL_INDEX": "YES"}}),
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
