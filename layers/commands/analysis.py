"""Analysis commands: service circles and the checklist audit."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from layers.commands.base import (
    Command,
    CommandError,
    open_project,
    walk_arguments,
    walk_from_args,
    write_geojson,
    write_plain,
    writing,
)
from layers.commands.progress import progress_for


def _cmd_circles(args: argparse.Namespace) -> int:
    from layers.analysis.service_circles import dissolved_frame, service_circles_frame
    from layers.io.project_file import write_project_layer_chunks, write_project_layers
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
    walk = walk_from_args(args)
    radius = walk.radius_m(args.minutes)
    facilities = project.facilities.frame
    if args.category:
        category = recognise_category(args.category)
        if category is None:
            raise CommandError(f"unknown category: {args.category}")
        facilities = facilities[facilities["category"] == category]
    streamed = not args.network and not args.dissolve and suffix == ".gpkg"
    if streamed:
        # a million circles do not fit in memory at once: a chunk at a time
        frame = facilities.iloc[:0]
        with writing(args.out), progress_for(args, "circles") as progress:
            count = write_project_layer_chunks(args.out, "service_circles", _circle_chunks(
                facilities, args.minutes, radius, progress))
    elif args.network:
        frame = _network_frame(project, facilities, args.minutes, walk, args.dissolve)
    elif args.dissolve:
        frame = dissolved_frame(facilities, args.minutes, radius)
    else:
        frame = service_circles_frame(facilities, args.minutes, radius)
    if not streamed:
        count = len(frame)
        with writing(args.out):
            if suffix == ".gpkg" and args.dissolve:
                write_plain(frame, args.out, "service_circles_dissolved")
            elif suffix == ".gpkg":
                write_project_layers(args.out, {"service_circles": frame})
            else:
                write_geojson(frame, args.out)
    what = "dissolved areas" if args.dissolve else "circles"
    how = walk.describe(args.minutes)
    if args.network:
        what = "dissolved walking areas" if args.dissolve else "walking areas"
        how = f"{args.minutes:g} min · {walk.speed_m_per_min * args.minutes:.0f} m along roads"
    print(f"wrote {count} {what} ({how}) to {args.out}")
    note = no_position_note(without_position(facilities))
    if note:
        print(note)
    empty = int(frame.geometry.is_empty.sum())
    if args.network and empty:
        print(f"note: {empty} of them are empty: those facilities are farther than the walk "
              "from every road")
    return 0


#: Circles built and written at a time: about 60 MB of polygons.
CIRCLE_CHUNK = 50_000


def _circle_chunks(facilities, minutes: float, radius: float, progress):  # noqa: ANN001, ANN202
    """Yield the service-circle layer a chunk of facilities at a time (always one chunk)."""
    from layers.analysis.service_circles import service_circles_frame

    total = len(facilities)
    for start in range(0, max(total, 1), CIRCLE_CHUNK):
        yield service_circles_frame(facilities.iloc[start:start + CIRCLE_CHUNK], minutes, radius)
        progress(min(start + CIRCLE_CHUNK, total), total)


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


def _circles_options(p: argparse.ArgumentParser) -> None:
    walk_arguments(p)
    p.add_argument("--category", help="only this category (id or Chinese name)")
    p.add_argument("--dissolve", action="store_true", help="one multipolygon per category")
    p.add_argument("--network", action="store_true",
                   help="walk along the project's roads layer instead of circles")
    p.add_argument("--out", type=Path, required=True, help="OUT.gpkg or OUT.geojson")


#: The only facility fields the audit reads (no ids: it names facilities): a million
#: facilities open in a fraction of the time and memory of the whole table.
AUDIT_FACILITY_FIELDS = ("name", "category")


def read_for_analysis(location: Path | str, columns: dict[str, tuple[str, ...]],
                      layers: tuple[str, ...]) -> dict:
    """Read a project's layers for a read-only analysis, some with only a few fields.

    A GeoPackage reads only the named fields of the layers in ``columns``; the
    frames are never turned into a :class:`~layers.model.project.Project`, so
    they can never be saved with the other fields missing (the store read this
    way refuses to write, too). A PostGIS project is read whole.

    Parameters
    ----------
    location : Path or str
        The ``.gpkg`` file or a ``postgresql://`` URL.
    columns : dict of str to tuple of str
        Layer name to the fields to read (and the geometry).
    layers : tuple of str
        The layers to read; the required ones are always read.

    Returns
    -------
    dict of str to GeoDataFrame
        Layer name to features in EPSG:4326.

    Raises
    ------
    CommandError
        With a one-line reason when the project cannot be read.
    """
    from layers.model.changes import StoreError
    from layers.store.geopackage import GeoPackageStore
    from layers.store.postgis import is_database_url

    if is_database_url(str(location)):
        project = open_project(location)
        return {layer.name: layer.frame for layer in project.layers}
    wanted = ("communities", "facilities", *layers)
    try:
        snapshot = GeoPackageStore(location).read(columns=columns, layers=wanted)
    except StoreError as exc:
        raise CommandError(str(exc)) from None
    for note in snapshot.notes:
        print(f"note: {note}", file=sys.stderr)
    return snapshot.frames


def _cmd_audit(args: argparse.Namespace) -> int:
    from layers.analysis.checklist import ChecklistError, load_checklist
    from layers.analysis.coverage import audit_csv, audit_json, run_audit

    frames = read_for_analysis(args.project, {"facilities": AUDIT_FACILITY_FIELDS},
                               ("boundaries", "roads") if args.network else ("boundaries",))
    try:
        checklist = load_checklist(args.checklist).with_minutes(args.minutes)
    except ChecklistError as exc:
        raise CommandError(str(exc)) from None
    walk = walk_from_args(args)
    boundaries = frames.get("boundaries")
    roads = None
    if args.network:
        if "roads" not in frames:
            raise CommandError("the project has no roads layer: import one with "
                               "'import FILE --layer roads' (an OpenStreetMap extract works)")
        roads = frames["roads"]
    from layers.geo.network import NetworkError

    communities, facilities = frames["communities"], frames["facilities"]
    try:
        results = run_audit(communities, facilities, checklist, walk, boundaries, roads)
    except NetworkError as exc:
        raise CommandError(str(exc)) from None
    from layers.model.layer import no_position_note, without_position

    # on stderr: standard output may be the JSON or CSV itself
    for note in (no_position_note(without_position(facilities)),
                 no_position_note(len(communities) - len(results), "community",
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


def _audit_options(p: argparse.ArgumentParser) -> None:
    walk_arguments(p, minutes_default=None)
    p.add_argument("--checklist", type=Path, help="checklist TOML (default data/checklist.toml)")
    p.add_argument("--network", action="store_true",
                   help="measure walking distance along the project's roads layer")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.add_argument("--out", type=Path, help="write to a file instead of standard output")


#: This module's commands, in the order ``--help`` lists them.
COMMANDS: tuple[Command, ...] = (
    Command("circles", "write service circles (walking areas) per facility", _cmd_circles,
            _circles_options),
    Command("audit", "which checklist categories each community reaches", _cmd_audit,
            _audit_options),
)
