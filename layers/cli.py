"""The command line: argument parsing and the headless commands.

GUI commands are imported lazily from ``desktop`` so that headless commands run
where Qt is not installed.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from layers.categories import CATEGORIES
from layers.project import BUNDLED_PROJECT, Project
from layers.project_file import ProjectFileError

HEADLESS_COMMANDS = "info, export-png, export-html, circles, audit, import, ingest"


class CommandError(Exception):
    """A failure to report as one line on stderr with exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, no usage dump
        raise CommandError(message)


def build_parser() -> argparse.ArgumentParser:
    """Return the parser for every command.

    Returns
    -------
    argparse.ArgumentParser
        The parser; subcommands set ``handler``.
    """
    parser = _Parser(prog="facility-mapper", description="Community facility mapper")
    parser.add_argument("--project", type=Path, default=BUNDLED_PROJECT,
                        help="project GeoPackage (default: the bundled article data)")
    parser.set_defaults(handler=_cmd_gui)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    def command(name: str, handler: Callable[[argparse.Namespace], int],
                help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--project", type=Path, default=argparse.SUPPRESS,
                       help="project GeoPackage")
        p.set_defaults(handler=handler)
        return p

    command("gui", _cmd_gui, "open the desktop app (the default)")
    command("info", _cmd_info, "print layers, counts, CRS and categories")
    p = command("build-data", _cmd_build_data, "rebuild data/communities.gpkg from the articles")
    p.add_argument("--out", type=Path, default=BUNDLED_PROJECT)
    p = command("export-png", _cmd_export_png, "render the map to a PNG, headless")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--width", type=int, default=1600)
    p.add_argument("--height", type=int, default=1000)
    p.add_argument("--community", help="centre on this community")
    p = command("screenshot", _cmd_screenshot, "save a picture of the main window, headless")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--community", default="翠苑一区")
    p.add_argument("--language", choices=["zh_CN", "en"], default="zh_CN")
    for extra in _EXTRA_COMMANDS:
        extra(command)
    return parser


#: Later modules register more commands here: each takes the ``command`` factory.
_EXTRA_COMMANDS: list[Callable] = []


def run(argv: list[str]) -> int:
    """Parse ``argv`` and run the command, turning failures into one line.

    Parameters
    ----------
    argv : list of str
        Arguments.

    Returns
    -------
    int
        Exit code: 0 on success, 2 on any error.
    """
    _register_extra_commands()
    try:
        args = build_parser().parse_args(argv)
        return int(args.handler(args) or 0)
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    except (CommandError, ProjectFileError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - the promise is: never a traceback
        print(f"error: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}",
              file=sys.stderr)
        return 2


def _register_extra_commands() -> None:
    pass


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
    try:
        return Project.open(path)
    except ProjectFileError as exc:
        raise CommandError(str(exc)) from None


def _cmd_info(args: argparse.Namespace) -> int:
    project = open_project(args.project)
    print(f"project: {args.project}")
    print("CRS: EPSG:4326 (WGS 84)")
    for layer in reversed(project.layers):
        geom = ", ".join(sorted(set(layer.frame.geom_type.dropna()))) or "empty"
        print(f"layer {layer.name}: {len(layer)} features ({geom})")
    facilities = project.facilities.frame
    counts = facilities["category"].value_counts()
    print("facilities by category:")
    for c in CATEGORIES:
        n = int(counts.get(c.id, 0))
        if n:
            print(f"  {c.id:<16} {c.label_zh:<12} {n}")
    precision = project.facilities.frame["location_precision"].value_counts()
    print("location precision: " + ", ".join(f"{k} {v}" for k, v in precision.items()))
    return 0


def _cmd_build_data(args: argparse.Namespace) -> int:
    from layers.dataset import CurationError, build_dataset, write_dataset

    try:
        dataset = build_dataset()
    except CurationError as exc:
        raise CommandError(str(exc)) from None
    write_dataset(dataset, args.out)
    print(f"wrote {args.out}: {len(dataset.communities)} communities, "
          f"{len(dataset.facilities)} facilities, {dataset.quote_count} quotes")
    return 0


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
        print("No display found, so the window cannot open. Headless commands: "
              f"python main.py {{{HEADLESS_COMMANDS}}} --help", file=sys.stderr)
        return 0
    open_project(args.project)  # fail early, before Qt starts, with one line
    from desktop.app import run_app

    return run_app(args.project)


def _cmd_export_png(args: argparse.Namespace) -> int:
    project = open_project(args.project)
    from desktop.export_image import export_png

    out = export_png(project, args.out, args.width, args.height, community=args.community)
    print(f"wrote {out}")
    return 0


def _cmd_screenshot(args: argparse.Namespace) -> int:
    open_project(args.project)
    from desktop.screenshot import save_window_screenshot

    print(f"wrote {save_window_screenshot(args.project, args.out, args.community, args.language)}")
    return 0
