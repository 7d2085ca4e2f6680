"""A new project from a planner's own files: which source layer goes where, then import.

:func:`plan_sources` reads each file (every table of a GeoPackage, every folder
of a KML) and proposes a target layer for each source layer from its geometry
and its columns: points are facilities, or communities when the columns look
like communities (households, population, 社区名称…); polygons are boundaries;
lines are roads. :func:`category_labels` lists a facilities source's category
labels with the category each would become. :func:`build_project` makes a new
project with the full schema and imports the plan into it, one line per source
layer saying what went where. The command line (``new``) and the desktop's
"import into a new project" dialog share all of it.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from layers.io.duplicates import CLI_HINT
from layers.io.importing import (
    FIELD_ALIASES,
    ImportFailure,
    ImportReport,
    guess_field_map,
    list_source_layers,
    read_import,
    to_layer_frame,
)
from layers.model.categories import category_for_label
from layers.model.project import Project

#: The layers a source layer can go to, in the order a planner is offered them.
TARGETS: tuple[str, ...] = ("facilities", "communities", "boundaries", "roads")
#: The choice that leaves a source layer out.
SKIP = "skip"
#: Files whose every table (GeoPackage) or folder (KML) is offered as its own layer.
MULTI_LAYER_SUFFIXES = (".gpkg", ".kml")
#: Lower-case column names that say a table of points lists communities, not facilities.
COMMUNITY_COLUMNS = frozenset(
    {a.lower() for a in FIELD_ALIASES["households"] + FIELD_ALIASES["population"]}
    | {"社区名称", "小区名称", "居委会", "村居", "elderly_share", "built_year", "建成年代",
       "老年人口占比", "level"})
#: Project tables the app makes itself: never imported from another project.
MADE_BY_THE_APP = frozenset({"service_circles"})


@dataclass
class SourceLayer:
    """One layer of a planner's file and where it is planned to go.

    Attributes
    ----------
    path : Path
        The file.
    layer : str or None
        The table (GeoPackage) or folder (KML) name; None for a one-layer file.
    target : str
        One of :data:`TARGETS`, or :data:`SKIP`.
    reason : str
        Why it goes there, or why it cannot be imported.
    raw : GeoDataFrame or None
        The features read (None when the layer cannot be read).
    report : ImportReport or None
        What reading said (encoding, CRS, rows skipped or repaired).
    category_map : dict of str to str
        For facilities: a source category label to the category id to import it as.
    """

    path: Path
    layer: str | None
    target: str
    reason: str = ""
    raw: gpd.GeoDataFrame | None = field(default=None, repr=False)
    report: ImportReport | None = field(default=None, repr=False)
    category_map: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """The file name, and the layer's name when the file has several."""
        return f"{self.path.name}:{self.layer}" if self.layer else self.path.name

    @property
    def readable(self) -> bool:
        """True when the layer's features were read."""
        return self.raw is not None

    @property
    def rows(self) -> int:
        """Features read from the layer."""
        return 0 if self.raw is None else len(self.raw)

    def allowed_targets(self) -> tuple[str, ...]:
        """Return the targets this layer's geometry fits, :data:`SKIP` always among them.

        Returns
        -------
        tuple of str
            Points fit facilities and communities (a point inside each other
            shape is taken too), polygons boundaries, lines roads.
        """
        if self.raw is None:
            return (SKIP,)
        kinds = geometry_kinds(self.raw)
        out = ["facilities", "communities"]
        if "polygon" in kinds:
            out.append("boundaries")
        if "line" in kinds:
            out.append("roads")
        return (*out, SKIP)


def geometry_kinds(frame: gpd.GeoDataFrame) -> set[str]:
    """Return the geometry families in ``frame``: ``point``, ``line``, ``polygon``.

    Parameters
    ----------
    frame : GeoDataFrame
        Features.

    Returns
    -------
    set of str
        The families present.
    """
    ids = set(shapely.get_type_id(frame.geometry.to_numpy()).tolist())
    kinds = set()
    if ids & {0, 4}:
        kinds.add("point")
    if ids & {1, 2, 5}:
        kinds.add("line")
    if ids & {3, 6}:
        kinds.add("polygon")
    return kinds


def guess_target(name: str | None, frame: gpd.GeoDataFrame) -> tuple[str, str]:
    """Propose the project layer for a source layer, and say why.

    Parameters
    ----------
    name : str or None
        The source layer's (or file's) name: a layer already named after a
        project layer that its geometry fits goes there.
    frame : GeoDataFrame
        Its features.

    Returns
    -------
    (str, str)
        The target (one of :data:`TARGETS`) and the reason in a few words.
    """
    kinds = geometry_kinds(frame)
    fits = {"facilities": "point", "communities": "point", "boundaries": "polygon",
            "roads": "line"}
    stem = (name or "").strip().lower()
    if stem in fits and fits[stem] in kinds:
        return stem, f"named {stem}"
    main = max(kinds, key=lambda k: int(_kind_mask(frame, k).sum())) if kinds else "point"
    if main == "polygon":
        return "boundaries", "polygons"
    if main == "line":
        return "roads", "lines"
    columns = {str(c).strip().lower() for c in frame.columns if c != frame.geometry.name}
    hints = sorted(columns & COMMUNITY_COLUMNS)
    if hints and "category" not in guess_field_map(list(frame.columns), ["category"]):
        return "communities", f"points with {', '.join(hints[:3])}"
    return "facilities", "points"


def _kind_mask(frame: gpd.GeoDataFrame, kind: str) -> pd.Series:
    ids = shapely.get_type_id(frame.geometry.to_numpy())
    wanted = {"point": (0, 4), "line": (1, 2, 5), "polygon": (3, 6)}[kind]
    return pd.Series(pd.Index(ids).isin(wanted))


def source_layer_names(path: Path) -> list[str | None]:
    """Return the layers of ``path`` to plan: every table or folder, or ``[None]``.

    Parameters
    ----------
    path : Path
        A planner's file.

    Returns
    -------
    list
        Layer names for a GeoPackage or KML with several; ``[None]`` otherwise.
    """
    if path.suffix.lower() not in MULTI_LAYER_SUFFIXES or not path.is_file():
        return [None]
    try:
        names = list_source_layers(path)
    except ImportFailure:
        return [None]  # reading says why, in one line
    return names if len(names) > 1 else [None]


def plan_sources(paths: Iterable[str | os.PathLike],
                 progress: Callable[[int, int], bool] | None = None,
                 **read_options: object) -> list[SourceLayer]:
    """Read each file's layers and propose where each goes.

    Parameters
    ----------
    paths : iterable of path-like
        The planner's files.
    progress : callable, optional
        ``progress(done, total)`` after each file; reading stops once it returns False.
    **read_options
        Passed to :func:`~layers.io.importing.read_import` (``encoding``, ``crs``,
        ``gcj02``…).

    Returns
    -------
    list of SourceLayer
        One per source layer, readable or not (then :data:`SKIP` with the reason).
    """
    paths = [Path(p) for p in paths]
    plan: list[SourceLayer] = []
    for done, path in enumerate(paths, 1):
        for name in source_layer_names(path):
            plan.append(_plan_one(path, name, read_options))
        if progress is not None and not progress(done, len(paths)):
            break
    return plan


def _plan_one(path: Path, name: str | None, read_options: dict) -> SourceLayer:
    if name in MADE_BY_THE_APP:
        return SourceLayer(path, name, SKIP, "made by the app (service circles are redrawn)")
    try:
        raw, report = read_import(path, source_layer=name, **read_options)
    except ImportFailure as exc:
        return SourceLayer(path, name, SKIP, str(exc))
    target, reason = guess_target(name or path.stem, raw)
    source = SourceLayer(path, name, target, reason, raw, report)
    source.category_map = {label: cat for label, cat, _ in category_labels(source)}
    return source


def category_labels(source: SourceLayer) -> list[tuple[str, str, int]]:
    """List a source layer's category labels with the category each becomes.

    Parameters
    ----------
    source : SourceLayer
        A readable source layer.

    Returns
    -------
    list of (label, category id, rows)
        Each distinct non-empty value of the source's category column, most
        frequent first; an unknown label becomes ``other``.
    """
    column = _category_column(source)
    if column is None:
        return []
    values = source.raw[column].fillna("").astype(str).str.strip()
    counts = values[values != ""].value_counts()
    return [(str(label), category_for_label(str(label)) or "other", int(n))
            for label, n in counts.items()]


def _category_column(source: SourceLayer) -> str | None:
    if source.raw is None:
        return None
    columns = [c for c in source.raw.columns if c != source.raw.geometry.name]
    return guess_field_map(columns, ["category"]).get("category")


def layer_frame(source: SourceLayer) -> gpd.GeoDataFrame:
    """Conform a planned source layer to its target's schema, with its category map.

    A label the planner mapped to a category other than the one it would
    become on its own is imported as that category; a label left as ``other``
    keeps its original text in notes and in the report.

    Parameters
    ----------
    source : SourceLayer
        A readable source layer whose target is not :data:`SKIP`.

    Returns
    -------
    GeoDataFrame
        Rows for the target layer; ``source.report`` counts them.
    """
    raw = source.raw
    column = _category_column(source) if source.target == "facilities" else None
    if column is not None and source.category_map:
        values = raw[column].fillna("").astype(str).str.strip()
        changed = {label: cat for label, cat in source.category_map.items()
                   if cat != (category_for_label(label) or "other")}
        if changed:
            raw = raw.copy()
            raw[column] = values.map(lambda v: changed.get(v, v))
    return to_layer_frame(raw, source.target, source.report)


def describe(source: SourceLayer, added: int | None = None) -> str:
    """Return one line: what went where, how many rows, what was skipped and why.

    Parameters
    ----------
    source : SourceLayer
        A planned source layer, imported or not.
    added : int, optional
        Rows added to the project; None when the layer was skipped.

    Returns
    -------
    str
        For example ``"shops.shp → facilities: 120 rows, skipped 3 (3 rows without
        numeric coordinates skipped)"``.
    """
    if source.target == SKIP or added is None:
        return f"{source.label} → skipped: {source.reason or 'left out'}"
    report = source.report
    parts = [f"{source.label} → {source.target}: {added} row{'' if added == 1 else 's'}"]
    if report.skipped:
        parts.append(f"skipped {report.skipped}")
    if report.repaired:
        parts.append(f"repaired {report.repaired}")
    line = ", ".join(parts)
    notes = list(report.warnings)
    if report.unknown_categories:
        notes.append("unknown categories imported as other: " + ", ".join(
            f"{k} ×{v}" for k, v in report.unknown_categories.items()))
    return line + (f" ({'; '.join(notes)})" if notes else "")


def build_project(plan: Iterable[SourceLayer] = (), allow_duplicates: bool = False,
                  hint: str = CLI_HINT) -> tuple[Project, list[str]]:
    """Make a new project with the full schema and import the planned layers into it.

    Duplicates are dropped as on any import: rows already added from an earlier
    source, or repeated in the file. Nothing is written: the caller saves the
    project with ``layers.store.save_as``, so the file appears whole or not at all.

    Parameters
    ----------
    plan : iterable of SourceLayer
        From :func:`plan_sources`, targets possibly changed by the planner.
    allow_duplicates : bool
        Keep duplicate rows too (they are still reported).
    hint : str
        How to import skipped duplicates anyway, for the report's line.

    Returns
    -------
    (Project, list of str)
        The project, not saved yet, and one line per source layer (see :func:`describe`).
    """
    from layers.io.duplicates import drop_duplicates
    from layers.model.layer import FeatureLayer, empty_frame
    from layers.model.schema import SCHEMAS

    project = Project()
    lines = []
    for source in plan:
        if source.target == SKIP or not source.readable:
            lines.append(describe(source))
            continue
        try:
            frame = layer_frame(source)
        except ImportFailure as exc:
            source.target, source.reason = SKIP, str(exc)
            lines.append(describe(source))
            continue
        if not project.has_layer(source.target):
            project.add_layer(FeatureLayer(source.target, empty_frame(SCHEMAS[source.target])))
        layer = project.layer(source.target)
        frame = drop_duplicates(frame, layer.frame, source.target, source.report,
                                allow=allow_duplicates, hint=hint)
        layer.add_features(frame)
        lines.append(describe(source, len(frame)))
    return project, lines


def is_project_file(path: str | os.PathLike) -> bool:
    """Tell a project (even a broken one) from a file that is not one at all.

    A project is a GeoPackage with a ``facilities`` or ``communities`` table that
    has the project's ``id`` field; such a file opens as a project, and what is
    wrong with it is said in one line. Anything else (a shapefile, a GeoJSON, a
    GeoPackage made by another program) is a planner's data, to import into a new
    project.

    Parameters
    ----------
    path : path-like
        Any file.

    Returns
    -------
    bool
        True for a project.
    """
    path = Path(path)
    if path.suffix.lower() != ".gpkg" or not path.is_file():
        return False
    with open(path, "rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            return True  # a project file that is broken: the store says how
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as con:
            for table in ("facilities", "communities"):
                found = con.execute("SELECT 1 FROM sqlite_master WHERE name = ?",
                                    (table,)).fetchone()
                if found is None:
                    continue
                columns = {r[1] for r in con.execute(f'PRAGMA table_info("{table}")')}
                if "id" in columns or not columns:
                    return True
    except sqlite3.Error:
        return True  # unreadable: the store's one line says why
    return False
