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
        names = [c.name for c in HEADLESS_COMMANDS] + ["export-png", "screenshot"]
        print("No display found, so the window cannot open. Headless commands: "
              f"python main.py {{{', '.join(names)}}} --help", file=sys.stderr)
        return 0
    open_project(args.project)  # fail early, before Qt starts, with one line
    from desktop.app import run_app

    return run_app(args.project)


def _cmd_export_png(args: argparse.Namespace) -> int:
    project = open_project(args.project)
    from desktop.canvas.export_image import export_png

    out = export_png(project, args.out, args.width, args.height, community=args.community,
                     admin_areas=not args.no_boundaries)
    print(f"wrote {out}")
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
    p.add_argument("--community", help="centre on this community")
    p.add_argument("--no-boundaries", action="store_true",
                   help="leave out the bundled province/city/district boundaries")


def _screenshot_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--community", default="翠苑一区")
    p.add_argument("--language", choices=["zh_CN", "en"], default="zh_CN")


#: The commands that need Qt, for :func:`layers.cli.run`.
DRAWING_COMMANDS: tuple[Command, ...] = (
    Command(WINDOW_COMMAND, "open the desktop app (the default)", _cmd_gui),
    Command("export-png", "render the map to a PNG, headless", _cmd_export_png,
            _export_png_options),
    Command("screenshot", "save a picture of the main window, headless", _cmd_screenshot,
            _screenshot_options),
)
