"""Project commands: info, build-data, new, copy-project, fill-admin."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from layers.commands.base import (
    Command,
    CommandError,
    open_project,
    project_location,
    writing,
)
from layers.model.categories import category_counts
from layers.model.changes import StoreError
from layers.model.project import BUNDLED_PROJECT


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


def _build_data_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, default=BUNDLED_PROJECT)


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
    with writing(out):
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


#: This module's commands, in the order ``--help`` lists them.
COMMANDS: tuple[Command, ...] = (
    Command("info", "print layers, counts, CRS and categories", _cmd_info),
    Command("build-data", "rebuild data/communities.gpkg from the articles", _cmd_build_data,
            _build_data_options),
    Command("new", "create a project, empty or from your own files (--from FILE)", _cmd_new,
            _new_options),
    Command("copy-project", "copy a project between a GeoPackage and PostGIS, either way",
            _cmd_copy_project, _copy_project_options),
    Command("fill-admin", "fill communities' missing district/city/province from the bundled "
            "boundaries", _cmd_fill_admin),
)
