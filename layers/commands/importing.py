"""Commands that bring data in: import a file, ingest an article."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from layers.commands.base import (
    Command,
    CommandError,
    open_project,
)
from layers.commands.progress import progress_for
from layers.model.changes import StoreError


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


def _cmd_ingest(args: argparse.Namespace) -> int:
    import json

    from layers.articles.cleaning import clean_article_file
    from layers.articles.extraction import extract
    from layers.io.text_files import TextFileError

    try:
        article = clean_article_file(args.article)
    except TextFileError as exc:
        raise CommandError(str(exc)) from None
    for note in article.notes:  # what reading left out, on stderr so JSON stays clean
        print(f"{args.article.name}: {note}", file=sys.stderr)
    # a long article (a work report, a book chapter) takes seconds: a bar on a terminal
    with progress_for(args, "reading") as progress:
        result = extract(article, progress=progress)
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


def _ingest_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("article", type=Path,
                   help="a .txt, .html, .docx or .pdf article (also .htm, .mhtml); UTF-8 or "
                        "GBK text; the kind is told by the file's content")
    p.add_argument("--format", choices=["json", "table"], default="table")


#: This module's commands, in the order ``--help`` lists them.
COMMANDS: tuple[Command, ...] = (
    Command("import", "add features from CSV, XLSX, GeoJSON, GPKG, SHP, KML or OSM (.osm, .pbf)",
            _cmd_import, _import_options),
    Command("ingest", "propose communities, facilities, facts from an article", _cmd_ingest,
            _ingest_options),
)
