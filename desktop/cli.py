"""The commands that draw: the window (``gui``), ``export-png`` and ``screenshot``.

They are :class:`~layers.cli.Command` objects for :func:`layers.cli.run`, which
``main.py`` calls with them. Qt is imported only when one of them runs, so the
headless commands start without loading Qt, and this module imports where
PySide6 is not installed (``main.py`` then says the drawing commands need it).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from layers.cli import HEADLESS_COMMANDS, Command, open_project, report_no_position
from layers.geo.basemaps import add_basemap_option, basemap_from_args

#: The command that runs when none is given.
WINDOW_COMMAND = "gui"


def has_display() -> bool:
    """Tell whether a GUI can open here.

    Returns
    -------
    bool
        True with an X11 or Wayland display, or an explicit Qt platform.
    """
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
                or os.environ.get("QT_QPA_PLATFORM"))


def _cmd_gui(args: argparse.Namespace) -> int:
    if not has_display():
        # the commands a user without a display can still run (they draw off-screen)
        names = [c.name for c in HEADLESS_COMMANDS] + ["export-png", "export-map", "screenshot"]
        print("No display found, so the window cannot open. Headless commands: "
              f"python main.py {{{', '.join(names)}}} --help", file=sys.stderr)
        return 0
    open_project(args.project)  # fail early, before Qt starts, with one line
    from desktop.app import run_app

    return run_app(args.project)


def _cmd_export_png(args: argparse.Namespace) -> int:
    from desktop.canvas.export_image import drawn_fields, export_png, facility_names_may_show
    from layers.geo.admin_areas import read_in_background
    from layers.store import open_project as read_project

    # the boundaries are read while the project is (on another CPU)
    boundaries = None if args.no_boundaries else read_in_background()
    # only the fields the picture needs: never saved, so the rest is not read; a
    # picture of a whole project of many facilities writes no facility names
    whole = args.community is None and args.extent is None
    project = open_project(args.project, drawn_fields(args.community, names=not whole))
    if whole and facility_names_may_show(project, args.width, args.height):
        project = read_project(args.project, drawn_fields())  # a few: read with their names
    if boundaries is not None:
        boundaries.join()
    from desktop.canvas.basemap import basemap_report, export_basemap

    tiles = export_basemap(basemap_from_args(args))
    out = export_png(project, args.out, args.width, args.height, community=args.community,
                     extent=args.extent, basemap=tiles, admin_areas=not args.no_boundaries)
    print(f"wrote {out}")
    if basemap_report(tiles):
        print(basemap_report(tiles))
    report_no_position(project)
    return 0


def _cmd_export_map(args: argparse.Namespace) -> int:
    from layers.export.layout.page import LayoutOptions

    project = open_project(args.project)
    from desktop.canvas.print_layout import export_map

    options = LayoutOptions(
        paper=args.paper, landscape=args.landscape, dpi=args.dpi, title=args.title or "",
        subtitle=args.subtitle or "", author=args.author or "",
        review_number=args.review_number or "", community=args.community, extent=args.extent,
        minutes=args.minutes, basemap=args.basemap, overview=args.overview)
    print(f"wrote {export_map(project, options, args.out)}")
    report_no_position(project)
    return 0


def _cmd_screenshot(args: argparse.Namespace) -> int:
    open_project(args.project)
    from desktop.screenshot import save_window_screenshot

    print(f"wrote {save_window_screenshot(args.project, args.out, args.community, args.language)}")
    return 0


def _export_png_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--width", type=int, default=1600)
    p.add_argument("--height", type=int, default=1000)
    where = p.add_mutually_exclusive_group()
    where.add_argument("--community", help="centre on this community")
    where.add_argument("--extent", type=_extent, metavar="W,S,E,N",
                       help="show this box, in degrees")
    add_basemap_option(p)
    p.add_argument("--no-boundaries", action="store_true",
                   help="leave out the bundled province/city/district boundaries")


def _extent(text: str) -> tuple[float, float, float, float]:
    from layers.export.layout.extent import parse_extent

    try:
        return parse_extent(text)
    except ValueError as exc:  # ExportError: argparse turns it into one line
        raise argparse.ArgumentTypeError(str(exc)) from None


def _export_map_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, required=True, help="map.pdf, map.png or map.svg")
    p.add_argument("--paper", choices=["A4", "A3"], default="A4")
    p.add_argument("--landscape", action="store_true")
    p.add_argument("--dpi", type=int, default=300, help="PNG resolution (and the map picture's)")
    p.add_argument("--title")
    p.add_argument("--subtitle")
    p.add_argument("--author")
    p.add_argument("--review-number", help="审图号, printed when given")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--community", help="fit the map to this community")
    where.add_argument("--extent", type=_extent, metavar="W,S,E,N",
                       help="fit the map to this box, in degrees")
    p.add_argument("--minutes", type=float, help="draw the service circles of this walk")
    p.add_argument("--basemap", default="none",
                   metavar="none|osm|tianditu-vec|tianditu-img|amap|URL",
                   help="online tiles under the map (default none; Tianditu needs TIANDITU_KEY)")
    p.add_argument("--overview", action="store_true", help="add an overview inset")


def _screenshot_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--community", default="翠苑一区")
    p.add_argument("--language", choices=["zh_CN", "en"], default="zh_CN")


#: The commands that need Qt, for :func:`layers.cli.run`.
DRAWING_COMMANDS: tuple[Command, ...] = (
    Command(WINDOW_COMMAND, "open the desktop app (the default)", _cmd_gui),
    Command("export-png", "render the map to a PNG, headless", _cmd_export_png,
            _export_png_options),
    Command("export-map", "print layout: PDF, PNG or SVG with legend, scale and north arrow",
            _cmd_export_map, _export_map_options),
    Command("screenshot", "save a picture of the main window, headless", _cmd_screenshot,
            _screenshot_options),
)
