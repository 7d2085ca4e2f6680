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
    from layers.export.html import (
        DEFAULT_TITLE,
        OSM_TILES,
        ExportError,
        export_html,
        project_circles,
    )
    from layers.geo.basemaps import BasemapError, checked_basemap

    if args.tiles is not None and args.basemap is not None:
        raise CommandError("give --basemap or --tiles, not both")
    try:
        # no choice: OpenStreetMap as before (the page opens and draws its data offline)
        tiles = (checked_basemap(args.basemap) if args.basemap is not None
                 else None if args.tiles == "none" else (args.tiles or OSM_TILES))
    except BasemapError as exc:
        raise CommandError(str(exc)) from None
    project = open_project(args.project)
    circles = project_circles(project) if args.minutes is None else None
    try:
        title = DEFAULT_TITLE if args.title is None else args.title
        out = export_html(project, args.out, title=title, minutes=args.minutes,
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
    # the default title is filled in by the command: the HTML exporter imports folium
    p.add_argument("--title", help="page title (default 社区设施地图)")
    p.add_argument("--layers", nargs="+", choices=["facilities", "communities", "service_circles"])
    from layers.geo.basemaps import SOURCES, TIANDITU_KEY_ENV

    p.add_argument("--basemap", default=None, metavar="none|" + "|".join(SOURCES) + "|URL",
                   help="online tiles under the map (default osm; the page opens offline "
                        "either way): OpenStreetMap, Tianditu vector or imagery (key from "
                        f"${TIANDITU_KEY_ENV}, written into the page), AMap (GCJ-02 tiles "
                        "moved onto the WGS-84 data for display), or an XYZ URL")
    p.add_argument("--tiles", default=None,
                   help="basemap XYZ URL (default OpenStreetMap); 'none' for none "
                        "(older spelling of --basemap)")
    p.add_argument("--no-boundaries", action="store_true",
                   help="leave out the bundled province/city/district boundaries")


#: This module's commands, in the order ``--help`` lists them.
COMMANDS: tuple[Command, ...] = (
    Command("export-html", "write an interactive map that works offline", _cmd_export_html,
            _export_html_options),
)
