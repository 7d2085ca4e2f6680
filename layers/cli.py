"""The command line: argument parsing and the headless commands.

This module never imports Qt. The commands that draw (the window,
``export-png``, ``screenshot``) are :class:`Command` objects that
:mod:`desktop.cli` defines; ``main.py`` hands them to :func:`run`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from layers.commands import HEADLESS_COMMANDS
from layers.commands.base import (  # noqa: F401 - the commands' shared parts, re-exported
    Command,
    CommandError,
    Handler,
    open_project,
    project_location,
    report_no_position,
)
from layers.export.errors import ExportError
from layers.model.changes import StoreError
from layers.model.project import BUNDLED_PROJECT


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, no usage dump
        raise CommandError(message)


def build_parser(extra_commands: Sequence[Command] = (),
                 default: str | None = None) -> argparse.ArgumentParser:
    """Return the parser for the headless commands and ``extra_commands``.

    Parameters
    ----------
    extra_commands : sequence of Command
        Commands registered by another package, listed after the headless ones.
    default : str, optional
        Name of the command that runs when none is given; without one, a
        missing command is an error.

    Returns
    -------
    argparse.ArgumentParser
        The parser; every subcommand sets ``handler``.

    Raises
    ------
    ValueError
        If two commands share a name, or ``default`` names none of them.
    """
    commands = [*HEADLESS_COMMANDS, *extra_commands]
    by_name = {c.name: c for c in commands}
    if len(by_name) != len(commands):
        raise ValueError("two commands have the same name")
    if default is not None and default not in by_name:
        raise ValueError(f"no command named {default!r}")
    parser = _Parser(prog="facility-mapper", description="Community facility mapper")
    parser.add_argument("--project", type=project_location, default=BUNDLED_PROJECT,
                        help="project GeoPackage (default: the bundled article data)")
    parser.add_argument("--quiet", action="store_true",
                        help="no progress bar (none is drawn when stderr is not a terminal)")
    parser.set_defaults(handler=by_name[default].handler if default else _no_command)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for command in commands:
        p = sub.add_parser(command.name, help=command.help)
        p.add_argument("--project", type=project_location, default=argparse.SUPPRESS,
                       help="project GeoPackage")
        p.add_argument("--quiet", action="store_true", default=argparse.SUPPRESS,
                       help="no progress bar")
        p.set_defaults(handler=command.handler)
        command.configure(p)
    return parser


def run(argv: list[str], extra_commands: Sequence[Command] = (),
        default: str | None = None) -> int:
    """Parse ``argv`` and run the command, turning failures into one line.

    Parameters
    ----------
    argv : list of str
        Arguments.
    extra_commands : sequence of Command
        Commands registered by another package (see :func:`build_parser`).
    default : str, optional
        Name of the command that runs when none is given.

    Returns
    -------
    int
        Exit code: 0 on success, 2 on any error.
    """
    folders: set[Path] = set()
    try:
        args = build_parser(extra_commands, default).parse_args(argv)
        folders = _folders_written(args)
        _clean_leftovers(folders)
        return int(args.handler(args) or 0)
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    except (CommandError, StoreError, ExportError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head`: stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        print(f"error: {exc.strerror or exc}{where}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - the promise is: never a traceback
        print(f"error: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}",
              file=sys.stderr)
        return 2
    finally:
        from layers.io.atomic import WRITTEN_FOLDERS

        _clean_leftovers(folders | WRITTEN_FOLDERS)


def _folders_written(args: argparse.Namespace) -> set[Path]:
    """Return the folders a command writes to: the project's, and its output's."""
    folders = set()
    for path in (getattr(args, "project", None), getattr(args, "out", None)):
        if isinstance(path, Path):
            folders.add(path.parent)
    return folders


def _clean_leftovers(folders: set[Path]) -> None:
    """Remove the app's stale temporary files (interrupted saves), saying so in one line."""
    from layers.io.leftovers import clean_leftovers, leftovers_note

    try:
        note = leftovers_note(clean_leftovers(folders))
    except OSError:
        return  # tidying up must never stop a command
    if note:
        print(note, file=sys.stderr)


def _no_command(args: argparse.Namespace) -> int:
    names = ", ".join(c.name for c in HEADLESS_COMMANDS)
    raise CommandError(f"choose a command: {names}")


