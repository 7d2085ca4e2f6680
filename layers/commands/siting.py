"""Siting: where the next facilities of a category should go (``main.py site``)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from layers.commands.base import (
    Command,
    CommandError,
    open_project,
    walk_arguments,
    walk_from_args,
    writing,
)
from layers.commands.progress import progress_for
from layers.model.changes import StoreError


def _cmd_site(args: argparse.Namespace) -> int:
    from layers.analysis.siting.candidates import points_candidates
    from layers.analysis.siting.errors import SitingError
    from layers.analysis.siting.suggest import suggest_sites
    from layers.model.categories import get_category, recognise_category

    category = recognise_category(args.category)
    if category is None:
        raise CommandError(f"unknown category: {args.category}")
    if args.minutes is None or args.minutes <= 0:
        raise CommandError("--minutes must be a positive number")
    if args.method == "mclp" and args.count is None:
        raise CommandError("--count is needed for MCLP (or use --method lscp)")
    if args.count is not None and args.count < 1:
        raise CommandError("--count must be at least 1")
    if args.out is not None:
        if args.out.suffix.lower() != ".gpkg":
            raise CommandError("--out must end in .gpkg")
        if not args.out.parent.is_dir():
            raise CommandError(f"folder does not exist: {args.out.parent}")
    walk = walk_from_args(args)
    project = open_project(args.project)
    candidates = None
    if args.candidates is not None:
        candidates = _file_candidates(args.candidates, points_candidates)
    elif project.has_layer("candidates"):
        candidates = points_candidates(project.layer("candidates").frame,
                                       "the project's candidates layer")
    if candidates is not None and len(candidates) == 0:
        raise CommandError(f"no candidate points in {candidates.source}")
    roads = project.layer("roads").frame if project.has_layer("roads") else None
    if args.network and roads is None:
        raise CommandError("the project has no roads layer: import one with "
                           "'import FILE --layer roads' (an OpenStreetMap extract works)")
    boundaries = project.layer("boundaries").frame if project.has_layer("boundaries") else None
    progress = progress_for(args, "siting")
    try:
        result = suggest_sites(project.communities.frame, project.facilities.frame, category,
                               args.minutes, walk, candidates, args.method,
                               args.count if args.method == "mclp" else None, boundaries,
                               roads, args.network, progress)
    except SitingError as exc:
        raise CommandError(str(exc)) from None
    finally:
        progress.close()
    # notes go to stderr when standard output is the JSON itself
    notes_to = sys.stderr if args.format == "json" else sys.stdout
    if candidates is not None and candidates.skipped:
        print(f"{candidates.skipped} features of {candidates.source} are not points with a "
              "position: not used as candidates", file=notes_to)
    frame = _proposals(result)
    if args.out is not None:
        from layers.io.project_file import write_project_layers

        with writing(args.out):
            write_project_layers(args.out, {"proposals": frame})
    if args.save:
        _save(args.project, frame, category)
    if args.format == "json":
        out = result.as_json()
        out["category_label"] = get_category(category).label_zh
        out["notes"] = result.notes()
        print(json.dumps(out, ensure_ascii=False, indent=1))
        for note in result.notes():
            print(note, file=sys.stderr)
    else:
        print(_table(result), end="")
    if args.out is not None:
        print(f"wrote {len(frame)} proposals to {args.out}", file=notes_to)
    if args.save:
        print(f"saved {len(frame)} proposals of {category} in {args.project}", file=notes_to)
    return 0


def _proposals(result):  # noqa: ANN001, ANN202 - SitingResult -> GeoDataFrame
    from layers.analysis.siting.proposals import proposals_frame

    return proposals_frame(result)


def _file_candidates(path: Path, points_candidates):  # noqa: ANN001, ANN202
    from layers.io.importing import ImportFailure, read_import

    try:
        raw, _report = read_import(path)
    except ImportFailure as exc:
        raise CommandError(str(exc)) from None
    return points_candidates(raw, f"file {path.name}")


def _save(location, frame, category: str) -> None:  # noqa: ANN001
    """Store the proposals in the project, replacing earlier ones of the category."""
    from layers import store
    from layers.model.layer import FeatureLayer, empty_frame
    from layers.model.schema import PROPOSALS

    try:
        project = store.open_project(location)
        # take in what others saved meanwhile, then replace and save under the write lock
        with project.store.lock():
            project.refresh()
            if not project.has_layer(PROPOSALS.name):
                project.add_layer(FeatureLayer(PROPOSALS.name, empty_frame(PROPOSALS)))
            layer = project.layer(PROPOSALS.name)
            old = layer.frame.loc[layer.frame["category"] == category, "id"].tolist()
            if old:
                layer.remove_features(old)
            if len(frame):
                layer.add_features(frame)
            project.save()
    except StoreError as exc:
        raise CommandError(str(exc)) from None


def _table(result) -> str:  # noqa: ANN001 - SitingResult
    lines = result.summary()
    for site in result.sites:
        gain = "residents unknown" if site.gain is None else f"+{site.gain}"
        lines.insert(-len(result.notes()) or len(lines),
                     f"#{site.rank}  {site.lon:.6f}, {site.lat:.6f}  {gain:>10}  "
                     + "、".join(site.communities))
    return "\n".join(lines) + "\n"


def _site_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--category", required=True, help="facility category (id or Chinese name)")
    p.add_argument("--count", type=int, help="MCLP: how many new sites (K)")
    walk_arguments(p)
    p.add_argument("--method", choices=["mclp", "lscp"], default="mclp",
                   help="mclp: K sites covering the most residents; lscp: fewest sites "
                        "covering every reachable community")
    p.add_argument("--candidates", type=Path,
                   help="points where a facility could go (any importable file); default: "
                        "the project's candidates layer, else along its roads, else a grid")
    p.add_argument("--network", action="store_true",
                   help="walk along the project's roads layer instead of straight line × detour")
    p.add_argument("--out", type=Path, help="write the proposals to this .gpkg")
    p.add_argument("--save", action="store_true",
                   help="also store the proposals in the project (replacing that category's)")
    p.add_argument("--format", choices=["table", "json"], default="table")


#: This module's commands, in the order ``--help`` lists them.
COMMANDS: tuple[Command, ...] = (
    Command("site", "propose sites for new facilities (MCLP: K sites; LSCP: fewest for all)",
            _cmd_site, _site_options),
)
