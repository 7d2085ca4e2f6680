"""Export commands: the offline HTML map."""

from __future__ import annotations

import argparse
from pathlib import Path

from layers.commands.base import (
    Command,
    CommandError,
    open_project,
    report_no_position,
)


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


#: This module's commands, in the order ``--help`` lists them.
COMMANDS: tuple[Command, ...] = (
    Command("export-html", "write an interactive map that works offline", _cmd_export_html,
            _export_html_options),
)
