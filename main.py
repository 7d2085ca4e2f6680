"""Community facility mapper: ``python main.py [COMMAND] [options]``.

Without a command the desktop app opens. Every command prints errors as one
line on stderr and exits with code 2. The headless commands come from
:mod:`layers.cli`, the ones that draw from :mod:`desktop.cli`; where PySide6 is
not installed, the headless commands still run and the others say so.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from importlib.util import find_spec


def main(argv: list[str] | None = None) -> int:
    """Run the app or a headless command.

    Parameters
    ----------
    argv : list of str, optional
        Arguments without the program name; defaults to ``sys.argv[1:]``.

    Returns
    -------
    int
        Process exit code.
    """
    args = sys.argv[1:] if argv is None else argv
    if "export-png" in args and "--no-boundaries" not in args:
        # the bundled district boundaries are parsed on another CPU while Python loads
        from layers.geo.admin_areas import read_in_background

        read_in_background()
    from desktop.cli import DRAWING_COMMANDS, WINDOW_COMMAND
    from layers.cli import run

    commands = DRAWING_COMMANDS
    if find_spec("PySide6") is None:
        # same names and options, so `export-png --out x.png` reaches the one-line answer
        commands = tuple(replace(c, handler=_needs_pyside6) for c in commands)
    return run(args, commands, default=WINDOW_COMMAND)


def _needs_pyside6(args: argparse.Namespace) -> int:
    from layers.cli import CommandError

    what = getattr(args, "command", None) or "the window"
    raise CommandError(f"{what} needs PySide6, which is not installed "
                       "(pip install PySide6-Essentials)")


if __name__ == "__main__":
    sys.exit(main())
