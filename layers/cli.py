"""The command line: argument parsing and the headless commands.

This module never imports Qt. The commands that draw (the window,
``export-png``, ``screenshot``) are :class:`Command` objects that
:mod:`desktop.cli` defines; ``main.py`` hands them to :func:`run`.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from layers.export.errors import ExportError
from layers.model.categories import category_counts
from layers.model.changes import StoreError
from layers.model.project import BUNDLED_PROJECT, Project

Handler = Callable[[argparse.Namespace], int]


class CommandError(Exception):
    """A failure to report as one line on stderr with exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, no usage dump
        raise CommandError(message)


def _no_options(parser: argparse.ArgumentParser) -> None:
    """Add nothing: the command takes only ``--project``."""


@dataclass(frozen=True)
class Command:
    """One subcommand: its name, its help line, its options and what runs it.

    Attributes
    ----------
    name : str
        The word on the command line, such as ``"info"``.
    help : str
        One line for ``--help``.
    handler : callable
        Runs the command with the parsed arguments and returns the exit code.
    configure : callable
        Adds the command's own options to its parser (every command also
        gets ``--project``).
    """

    name: str
    help: str
    handler: Handler
    configure: Callable[[argparse.ArgumentParser], None] = _no_options


def build_parser(extra_commands: Sequence[Command] = (),
                 default: str | None = None) -> argparse.ArgumentParser:
    """Return the parser for the headless commands and ``extra_commands``.

    Parameters
    ----------
    extra_commands : sequence of Command
        Commands registered by another package, listed after the headless ones.
    default : str, optional
        Name of the command that runs when none is given; without one, a
        missing command is an error.

    Returns
    -------
    argparse.ArgumentParser
        The parser; every subcommand sets ``handler``.

    Raises
    ------
    ValueError
        If two commands share a name, or ``default`` names none of them.
    """
    commands = [*HEADLESS_COMMANDS, *extra_commands]
    by_name = {c.name: c for c in commands}
    if len(by_name) != len(commands):
        raise ValueError("two commands have the same name")
    if default is not None and default not in by_name:
        raise ValueError(f"no command named {default!r}")
    parser = _Parser(prog="facility-mapper", description="Community facility mapper")
    parser.add_argument("--project", type=project_location, default=BUNDLED_PROJECT,
                        help="project GeoPackage (default: the bundled article data)")
    parser.set_defaults(handler=by_name[default].handler if default else _no_command)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for command in commands:
        p = sub.add_parser(command.name, help=command.help)
        p.add_argument("--project", type=project_location, default=argparse.SUPPRESS,
                       help="project GeoPackage")
        p.set_defaults(handler=command.handler)
        command.configure(p)
    return parser


def run(argv: list[str], extra_commands: Sequence[Command] = (),
        default: str | None = None) -> int:
    """Parse ``argv`` and run the command, turning failures into one line.

    Parameters
    ----------
    argv : list of str
        Arguments.
    extra_commands : sequence of Command
        Commands registered by another package (see :func:`build_parser`).
    default : str, optional
        Name of the command that runs when none is given.

    Returns
    -------
    int
        Exit code: 0 on success, 2 on any error.
    """
    folders: set[Path] = set()
    try:
        args = build_parser(extra_commands, default).parse_args(argv)
        folders = _folders_written(args)
        _clean_leftovers(folders)
        return int(args.handler(args) or 0)
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    except (CommandError, StoreError, ExportError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 2
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        print(f"error: {exc.strerror or exc}{where}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head`: stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - the promise is: never a traceback
        print(f"error: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}",
              file=sys.stderr)
        return 2
    finally:
        from layers.io.atomic import WRITTEN_FOLDERS

        _clean_leftovers(folders | WRITTEN_FOLDERS)


def _folders_written(args: argparse.Namespace) -> set[Path]:
    """Return the folders a command writes to: the project's, and its output's."""
    folders = set()
    for path in (getattr(args, "project", None), getattr(args, "out", None)):
        if isinstance(path, Path):
            folders.add(path.parent)
    return folders


def project_location(text: str) -> Path | str:
    """Parse ``--project``: a GeoPackage path, or a ``postgresql://`` URL kept as text.

    Parameters
    ----------
    text : str
        The argument.

    Returns
    -------
    Path or str
        A path for a file; the URL unchanged for a database.
    """
    from layers.store.postgis import is_database_url

    return text if is_database_url(text) else Path(text)


def _clean_leftovers(folders: set[Path]) -> None:
    """Remove the app's stale temporary files (interrupted saves), saying so in one line."""
    from layers.io.leftovers import clean_leftovers, leftovers_note

    try:
        note = leftovers_note(clean_leftovers(folders))
    except OSError:
        return  # tidying up must never stop a command
    if note:
        print(note, file=sys.stderr)


def _no_command(args: argparse.Namespace) -> int:
    names = ", ".join(c.name for c in HEADLESS_COMMANDS)
    raise CommandError(f"choose a command: {names}")


def open_project(path: Path) -> Project:
    """Open a project or raise a one-line :class:`CommandError`.

    Parameters
    ----------
    path : Path
        The ``.gpkg`` file.

    Returns
    -------
    Project
        The loaded project.
    """
    from layers import store

    try:
        project = store.open_project(path)
    except StoreError as exc:
        raise CommandError(str(exc)) from None
    for note in project.notes:
        print(f"note: {note}", file=sys.stderr)
    return project


def report_no_position(project: Project, action: str = "not drawn", file=None) -> None:  # noqa: ANN001
    """Print one line per point layer whose features have no position (left out).

    Parameters
    ----------
    project : Project
        The project being drawn or analysed.
    action : str
        What happened to those features.
    file : file-like, optional
        Where to print; standard output by default.
    """
    from layers.model.layer import no_position_note, without_position

    for layer, what in ((project.facilities, "facility"), (project.communities, "community")):
        note = no_position_note(without_position(layer.frame), what, action)
        if note:
            print(note, file=file or sys.stdout)


def _cmd_info(args: argparse.Namespace) -> int:
    from layers.store.summary import summarise_project

    try:  # SQL aggregates over the file: a city of a million facilities takes a second
        summary = summarise_project(args.project)
    except StoreError as exc:
        raise CommandError(str(exc)) from None
    for note in summary.notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"project: {args.project}")
    print("CRS: EPSG:4326 (WGS 84)")
    for layer in summary.layers:
        print(f"layer {layer.name}: {layer.count} features ({layer.geometry})")
    print("facilities by category:")
    for category, label, n in category_counts(summary.categories):
        print(f"  {category:<16} {label:<12} {n}")
    precision = sorted(((k if k else "(empty)"), v) for k, v in summary.precisions.items())
    precision.sort(key=lambda kv: -kv[1])
    print("location precision: " + ", ".join(f"{k} {v}" for k, v in precision))
    return 0


def _cmd_build_data(args: argparse.Namespace) -> int:
    from layers.articles.dataset import CurationError, build_dataset, write_dataset

    try:
        dataset = build_dataset()
    except CurationError as exc:
        raise CommandError(str(exc)) from None
    write_dataset(dataset, args.out)
    print(f"wrote {args.out}: {len(dataset.communities)} communities, "
          f"{len(dataset.facilities)} facilities, {dataset.quote_count} quotes")
    if dataset.filled:
        print(dataset.filled)
    return 0


def _walk_arguments(p: argparse.ArgumentParser, minutes_default: float | None = 10) -> None:
    p.add_argument("--minutes", type=float, default=minutes_default, help="walk time")
    p.add_argument("--preset", choices=["gb50180", "walk", "elderly"], default="gb50180")
    p.add_argument("--speed", type=float, help="walking speed in m/min (overrides the preset)")
    p.add_argument("--detour", type=float, help="detour factor (overrides the preset)")


def _walk(args: argparse.Namespace):  # noqa: ANN202 - WalkSettings
    from layers.geo.walking import walk_settings

    try:
        return walk_settings(args.preset, args.speed, args.detour)
    except ValueError as exc:
        raise CommandError(str(exc)) from None


def _cmd_circles(args: argparse.Namespace) -> int:
    from layers.analysis.service_circles import dissolved_frame, service_circles_frame
    from layers.io.project_file import write_project_layers
    from layers.model.categories import recognise_category
    from layers.model.layer import no_position_note, without_position

    if args.minutes is None or args.minutes <= 0:
        raise CommandError("--minutes must be a positive number")
    suffix = args.out.suffix.lower()
    if suffix not in (".gpkg", ".geojson", ".json"):
        raise CommandError("--out must end in .gpkg or .geojson")
    if not args.out.parent.is_dir():
        raise CommandError(f"folder does not exist: {args.out.parent}")
    project = open_project(args.project)
    walk = _walk(args)
    radius = walk.radius_m(args.minutes)
    facilities = project.facilities.frame
    if args.category:
        category = recognise_category(args.category)
        if category is None:
            raise CommandError(f"unknown category: {args.category}")
        facilities = facilities[facilities["category"] == category]
    if args.network:
        frame = _network_frame(project, facilities, args.minutes, walk, args.dissolve)
    elif args.dissolve:
        frame = dissolved_frame(facilities, args.minutes, radius)
    else:
        frame = service_circles_frame(facilities, args.minutes, radius)
    with _writing(args.out):
        if suffix == ".gpkg" and args.dissolve:
            _write_plain(frame, args.out, "service_circles_dissolved")
        elif suffix == ".gpkg":
            write_project_layers(args.out, {"service_circles": frame})
        else:
            _write_geojson(frame, args.out)
    what = "dissolved areas" if args.dissolve else "circles"
    how = walk.describe(args.minutes)
    if args.network:
        what = "dissolved walking areas" if args.dissolve else "walking areas"
        how = f"{args.minutes:g} min · {walk.speed_m_per_min * args.minutes:.0f} m along roads"
    print(f"wrote {len(frame)} {what} ({how}) to {args.out}")
    note = no_position_note(without_position(facilities))
    if note:
        print(note)
    empty = int(frame.geometry.is_empty.sum())
    if args.network and empty:
        print(f"note: {empty} of them are empty: those facilities are farther than the walk "
              "from every road")
    return 0


def _network_frame(project, facilities, minutes: float, walk, dissolve: bool):  # noqa: ANN001, ANN202
    from layers.analysis.service_circles import walking_areas_frame
    from layers.geo.network import NetworkError

    if not project.has_layer("roads"):
        raise CommandError("the project has no roads layer: import one with "
                           "'import FILE --layer roads' (an OpenStreetMap extract works)")
    distance = walk.speed_m_per_min * minutes
    try:
        frame = walking_areas_frame(facilities, project.layer("roads").frame, minutes, distance)
    except NetworkError as exc:
        raise CommandError(str(exc)) from None
    if not dissolve:
        return frame
    merged = frame.dissolve("category", aggfunc={"facility_id": "count"}).reset_index()
    merged = merged.rename(columns={"facility_id": "count"})
    merged["minutes"], merged["radius_m"] = float(minutes), distance
    merged["method"] = "network-dissolved"
    return merged[["category", "count", "minutes", "radius_m", "method", "geometry"]]


@contextlib.contextmanager
def _writing(out: Path) -> Iterator[None]:
    """Report a failed GeoPackage write in one line that names ``out`` (left as it was)."""
    from pyogrio.errors import DataLayerError, DataSourceError

    try:
        yield
    except (DataLayerError, DataSourceError, StoreError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if len(reason) > 160:  # GDAL quotes whole SQL statements
            reason = reason[:160] + "…"
        raise CommandError(f"cannot write {out}: {reason}") from None


def _write_plain(frame, out: Path, layer: str) -> None:  # noqa: ANN001
    from layers.io.layer_file import write_layer_file

    write_layer_file(frame, out, layer)


def _write_geojson(frame, out: Path) -> None:  # noqa: ANN001
    from layers.io.layer_file import write_layer_file

    write_layer_file(frame, out, "service_circles")


def _cmd_audit(args: argparse.Namespace) -> int:
    from layers.analysis.checklist import ChecklistError, load_checklist
    from layers.analysis.coverage import audit_csv, audit_json, run_audit

    project = open_project(args.project)
    try:
        checklist = load_checklist(args.checklist).with_minutes(args.minutes)
    except ChecklistError as exc:
        raise CommandError(str(exc)) from None
    walk = _walk(args)
    boundaries = project.layer("boundaries").frame if project.has_layer("boundaries") else None
    roads = None
    if args.network:
        if not project.has_layer("roads"):
            raise CommandError("the project has no roads layer: import one with "
                               "'import FILE --layer roads' (an OpenStreetMap extract works)")
        roads = project.layer("roads").frame
    from layers.geo.network import NetworkError

    try:
        results = run_audit(project.communities.frame, project.facilities.frame, checklist,
                            walk, boundaries, roads)
    except NetworkError as exc:
        raise CommandError(str(exc)) from None
    from layers.model.layer import no_position_note, without_position

    # on stderr: standard output may be the JSON or CSV itself
    for note in (no_position_note(without_position(project.facilities.frame)),
                 no_position_note(len(project.communities) - len(results), "community",
                                  "not audited")):
        if note:
            print(note, file=sys.stderr)
    if args.format == "json":
        text = audit_json(results)
    elif args.format == "csv":
        text = audit_csv(results, checklist)
    else:
        text = _audit_table(results, checklist, walk)
    if args.out:
        from layers.io.atomic import atomic_write_text
        from layers.io.spreadsheet import CSV_ENCODING

        atomic_write_text(args.out, text,
                          encoding=CSV_ENCODING if args.format == "csv" else "utf-8")
        print(f"wrote {args.out}")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def _audit_table(results, checklist, walk) -> str:  # noqa: ANN001
    from layers.model.categories import get_category

    along = bool(results) and results[0].method == "along roads"
    lines = [f"{checklist.name} · " + "; ".join(
        f"{get_category(i.category).label_zh} " + (
            f"{i.minutes:g} min · {walk.speed_m_per_min * i.minutes:.0f} m along roads"
            if along else walk.describe(i.minutes))
        for i in checklist.items)]
    for r in results:
        parts = []
        for item in checklist.items:
            d = (r.nearest_walk_m if along else r.nearest).get(item.category)
            mark = "✓" if item.category in r.covered else "✗"
            dist = "—" if d is None else (f"{d:.0f} m" if d < 10_000 else f"{d / 1000:.0f} km")
            parts.append(f"{mark}{get_category(item.category).label_zh} {dist}")
        lines.append(f"{r.community:<12} " + "  ".join(parts))
        if r.missing:
            lines.append("    缺: " + "、".join(get_category(m).label_zh for m in r.missing))
    return "\n".join(lines) + "\n"


def _cmd_export_html(args: argparse.Namespace) -> int:
    from layers.export.html import OSM_TILES, ExportError, export_html, project_circles

    project = open_project(args.project)
    tiles = None if args.tiles == "none" else (args.tiles or OSM_TILES)
    circles = project_circles(project) if args.minutes is None else None
    try:
        out = export_html(project, args.out, title=args.title, minutes=args.minutes,
                          layers=args.layers, tiles=tiles, circles=circles,
                          admin_areas=not args.no_boundaries)
    except ExportError as exc:
        raise CommandError(str(exc)) from None
    size = out.stat().st_size / 1e6
    print(f"wrote {out} ({size:.1f} MB): opens offline in any browser")
    report_no_position(project)
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from layers.io.duplicates import drop_duplicates
    from layers.io.importing import ImportFailure, read_import, to_layer_frame
    from layers.model.layer import FeatureLayer, empty_frame
    from layers.model.schema import SCHEMAS
    try:
        raw, report = read_import(args.file, encoding=args.encoding, crs=args.crs,
                                  gcj02=args.gcj02, lon_col=args.lon_col, lat_col=args.lat_col,
                                  source_layer=args.source_layer,
                                  max_uncompressed_mb=args.max_uncompressed_mb,
                                  max_zip_ratio=args.max_zip_ratio)
        frame = to_layer_frame(raw, args.layer, report, category_field=args.category_field)
    except ImportFailure as exc:
        raise CommandError(str(exc)) from None
    project = open_project(args.project)
    try:
        # take in what others saved meanwhile, check for duplicates, add and save,
        # all under the write lock: a second writer waits, nothing is lost
        with project.store.lock():
            project.refresh()
            if not project.has_layer(args.layer):
                project.add_layer(FeatureLayer(args.layer, empty_frame(SCHEMAS[args.layer])))
            frame = drop_duplicates(frame, project.layer(args.layer).frame, args.layer,
                                    report, allow=args.allow_duplicates)
            project.layer(args.layer).add_features(frame)
            project.save()
    except StoreError as exc:
        raise CommandError(str(exc)) from None
    print(report.summary())
    print(f"saved {args.project}: {len(project.layer(args.layer))} {args.layer}")
    return 0


def _cmd_fill_admin(args: argparse.Namespace) -> int:
    from layers.geo.admin_areas import ADMIN_FIELDS, fill_admin_fields, fill_summary

    project = open_project(args.project)
    try:
        with project.store.lock():
            project.refresh()
            layer = project.communities
            filled, counts = fill_admin_fields(layer.frame)
            for row, fid in enumerate(layer.frame["id"]):
                values = {f: filled[f].iloc[row] for f in ADMIN_FIELDS
                          if filled[f].iloc[row] != layer.frame[f].iloc[row]
                          and isinstance(filled[f].iloc[row], str)}
                if values:
                    layer.update_attributes(fid, values)
            if counts["rows"]:
                project.save()
    except StoreError as exc:
        raise CommandError(str(exc)) from None
    print(fill_summary(counts) or "nothing to fill: every community with a position in China "
                                  "has its district, city and province")
    return 0


def _cmd_new(args: argparse.Namespace) -> int:
    from layers.io.new_project import build_project, plan_sources
    from layers.store import save_as

    out = args.path
    if out.suffix.lower() != ".gpkg":
        raise CommandError(f"a project is a GeoPackage: name it {out.name}.gpkg")
    if out.exists() and not args.force:
        raise CommandError(f"{out} already exists: use --force to replace it")
    if not out.parent.is_dir():
        raise CommandError(f"folder does not exist: {out.parent}")
    missing = [str(p) for p in args.sources if not p.exists()]
    if missing:
        raise CommandError(f"file not found: {missing[0]}")
    plan = plan_sources(args.sources, encoding=args.encoding, crs=args.crs, gcj02=args.gcj02)
    project, lines = build_project(plan, allow_duplicates=args.allow_duplicates)
    with _writing(out):
        save_as(project, out)
    for line in lines:
        print(line)
    counts = ", ".join(f"{len(layer)} {layer.name}" for layer in reversed(project.layers))
    print(f"created {out}: {counts}")
    return 0


def _new_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", type=Path, help="the new project, NAME.gpkg")
    p.add_argument("--from", dest="sources", type=Path, action="append", default=[],
                   metavar="FILE", help="import this file (repeat for several); each layer "
                   "goes to facilities, communities, boundaries or roads by its shapes and "
                   "columns")
    p.add_argument("--force", action="store_true", help="replace a file already there")
    p.add_argument("--encoding", help="text encoding of the files (default: detect)")
    p.add_argument("--crs", help="CRS of files that have none")
    p.add_argument("--gcj02", action="store_true", help="coordinates are GCJ-02 (AMap, Tencent)")
    p.add_argument("--allow-duplicates", action="store_true",
                   help="also import rows repeated in or across the files")


def _cmd_ingest(args: argparse.Namespace) -> int:
    import json

    from layers.articles.cleaning import clean_article_file
    from layers.articles.extraction import extract
    from layers.io.text_files import TextFileError

    try:
        article = clean_article_file(args.article)
    except TextFileError as exc:
        raise CommandError(str(exc)) from None
    result = extract(article)
    if args.format == "json":
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=1))
        return 0
    print(f"{args.article.name}: {article.title}")
    print(f"communities ({len(result.communities)}):")
    for c in result.communities:
        where = " ".join(x for x in (c.city, c.district, c.street) if x)
        print(f"  {c.name}  {where}")
    print(f"facilities ({len(result.facilities)}):")
    for f in result.facilities:
        print(f"  [{f.category}] {f.name}  ({f.community or '?'})")
    print(f"facts ({len(result.facts)}):")
    for x in result.facts:
        print(f"  {x.community or '?'}: {x.kind} = {x.value:g} {x.unit}" if isinstance(
            x.value, float) else f"  {x.community or '?'}: {x.kind} = {x.value}")
    return 0


def _build_data_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, default=BUNDLED_PROJECT)


def _circles_options(p: argparse.ArgumentParser) -> None:
    _walk_arguments(p)
    p.add_argument("--category", help="only this category (id or Chinese name)")
    p.add_argument("--dissolve", action="store_true", help="one multipolygon per category")
    p.add_argument("--network", action="store_true",
                   help="walk along the project's roads layer instead of circles")
    p.add_argument("--out", type=Path, required=True, help="OUT.gpkg or OUT.geojson")


def _audit_options(p: argparse.ArgumentParser) -> None:
    _walk_arguments(p, minutes_default=None)
    p.add_argument("--checklist", type=Path, help="checklist TOML (default data/checklist.toml)")
    p.add_argument("--network", action="store_true",
                   help="measure walking distance along the project's roads layer")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.add_argument("--out", type=Path, help="write to a file instead of standard output")


def _export_html_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--minutes", type=float,
                   help="draw GB 50180 service circles of this walk (default: the project's "
                        "own service_circles layer, if it has one)")
    from layers.export.html import DEFAULT_TITLE

    p.add_argument("--title", default=DEFAULT_TITLE)
    p.add_argument("--layers", nargs="+", choices=["facilities", "communities", "service_circles"])
    p.add_argument("--tiles", default=None,
                   help="basemap XYZ URL (default OpenStreetMap); 'none' for none")
    p.add_argument("--no-boundaries", action="store_true",
                   help="leave out the bundled province/city/district boundaries")


def _import_options(p: argparse.ArgumentParser) -> None:
    from layers.io.archives import MAX_UNCOMPRESSED_MB, MAX_ZIP_RATIO, RATIO_EXEMPT_MB

    p.add_argument("file", type=Path)
    p.add_argument("--layer", choices=["facilities", "communities", "roads", "boundaries"],
                   default="facilities",
                   help="roads: streets and footpaths for walking areas; boundaries: "
                        "community polygons")
    p.add_argument("--encoding", help="text encoding (default: detect UTF-8 or GBK)")
    p.add_argument("--crs", help="CRS of the coordinates when the file has none, or "
                                 "declares a wrong one")
    p.add_argument("--gcj02", action="store_true", help="coordinates are GCJ-02 (AMap, Tencent)")
    p.add_argument("--lon-col")
    p.add_argument("--lat-col")
    p.add_argument("--category-field")
    p.add_argument("--source-layer", help="layer (table) of a GeoPackage to read")
    p.add_argument("--max-uncompressed-mb", type=float, metavar="MB",
                   help=f"XLSX, zipped shapefile, KMZ: largest unpacked size "
                        f"(default {MAX_UNCOMPRESSED_MB})")
    p.add_argument("--max-zip-ratio", type=float, metavar="RATIO",
                   help=f"XLSX, zipped shapefile, KMZ: largest packing ratio of a member "
                        f"over {RATIO_EXEMPT_MB} MB (default {MAX_ZIP_RATIO})")
    p.add_argument("--allow-duplicates", action="store_true",
                   help="also import rows already in the project (same source and name, or "
                        "same name and category within 30 m) or repeated in the file")


def _ingest_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("article", type=Path, help="a .txt or .html news article")
    p.add_argument("--format", choices=["json", "table"], default="table")


#: The commands that need no display and no Qt, in the order ``--help`` lists them.
def _cmd_copy_project(args: argparse.Namespace) -> int:
    from layers.store import open_project as open_store_project
    from layers.store import save_as
    from layers.store.postgis import is_database_url

    target = str(args.destination)
    if not is_database_url(target) and Path(target).exists() and not args.force:
        raise CommandError(f"{target} exists; use --force to replace it")
    try:
        project = open_store_project(args.source)
        where = save_as(project, target)
    except StoreError as exc:
        raise CommandError(str(exc)) from None
    counts = ", ".join(f"{layer.name} {len(layer)}" for layer in reversed(project.layers))
    print(f"copied {len(project.layers)} layers ({counts}) to {project.store.location}")
    return 0 if where else 1


def _copy_project_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("source", type=project_location,
                   help="a project: file.gpkg or postgresql://user@host/db?schema=NAME")
    p.add_argument("destination", type=project_location,
                   help="a new project: file.gpkg, or a PostGIS schema without a project")
    p.add_argument("--force", action="store_true", help="replace an existing .gpkg")


HEADLESS_COMMANDS: tuple[Command, ...] = (
    Command("info", "print layers, counts, CRS and categories", _cmd_info),
    Command("build-data", "rebuild data/communities.gpkg from the articles", _cmd_build_data,
            _build_data_options),
    Command("circles", "write service circles (walking areas) per facility", _cmd_circles,
            _circles_options),
    Command("audit", "which checklist categories each community reaches", _cmd_audit,
            _audit_options),
    Command("export-html", "write an interactive map that works offline", _cmd_export_html,
            _export_html_options),
    Command("import", "add features from CSV, XLSX, GeoJSON, GPKG, SHP, KML or OSM (.osm, .pbf)",
            _cmd_import, _import_options),
    Command("new", "create a project, empty or from your own files (--from FILE)", _cmd_new,
            _new_options),
    Command("ingest", "propose communities, facilities, facts from an article", _cmd_ingest,
            _ingest_options),
    Command("copy-project", "copy a project between a GeoPackage and PostGIS, either way",
            _cmd_copy_project, _copy_project_options),
    Command("fill-admin", "fill communities' missing district/city/province from the bundled "
            "boundaries", _cmd_fill_admin),
)
