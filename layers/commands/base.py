"""What every command shares: the Command record, errors, opening the project.

Also the walk options and the output helpers the commands use alike.

This module never imports Qt.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from layers.model.changes import StoreError
from layers.model.project import Project

Handler = Callable[[argparse.Namespace], int]


class CommandError(Exception):
    """A failure to report as one line on stderr with exit code 2."""


def _no_options(parser: argparse.ArgumentParser) -> None:
    """Add nothing: the command takes only ``--project``."""


@dataclass(frozen=True)
class Command:
    """One subcommand: its name, its help line, its options and what runs it.

    Attributes
    ----------
    name : str
        The word on the command line, such as ``"info"``.
    help : str
        One line for ``--help``.
    handler : callable
        Runs the command with the parsed arguments and returns the exit code.
    configure : callable
        Adds the command's own options to its parser (every command also
        gets ``--project``).
    """

    name: str
    help: str
    handler: Handler
    configure: Callable[[argparse.ArgumentParser], None] = _no_options


def project_location(text: str) -> Path | str:
    """Parse ``--project``: a GeoPackage path, or a ``postgresql://`` URL kept as text.

    Parameters
    ----------
    text : str
        The argument.

    Returns
    -------
    Path or str
        A path for a file; the URL unchanged for a database.
    """
    from layers.store.postgis import is_database_url

    return text if is_database_url(text) else Path(text)


def open_project(path: Path, columns: Mapping[str, Sequence[str]] | None = None) -> Project:
    """Open a project or raise a one-line :class:`CommandError`.

    Parameters
    ----------
    path : Path
        The ``.gpkg`` file.
    columns : mapping of str to sequence of str, optional
        Layer name to the only fields to read, for a command that never saves
        (see :func:`layers.store.open_project`).

    Returns
    -------
    Project
        The loaded project.
    """
    from layers import store

    try:
        project = store.open_project(path, columns)
    except StoreError as exc:
        raise CommandError(str(exc)) from None
    for note in project.notes:
        print(f"note: {note}", file=sys.stderr)
    return project


def report_no_position(project: Project, action: str = "not drawn", file=None) -> None:  # noqa: ANN001
    """Print one line per point layer whose features have no position (left out).

    Parameters
    ----------
    project : Project
        The project being drawn or analysed.
    action : str
        What happened to those features.
    file : file-like, optional
        Where to print; standard output by default.
    """
    from layers.model.layer import no_position_note, without_position

    for layer, what in ((project.facilities, "facility"), (project.communities, "community")):
        note = no_position_note(without_position(layer.frame), what, action)
        if note:
            print(note, file=file or sys.stdout)


def walk_arguments(p: argparse.ArgumentParser, minutes_default: float | None = 10) -> None:
    """Add ``--minutes``, ``--preset``, ``--speed`` and ``--detour`` to a command.

    Parameters
    ----------
    p : argparse.ArgumentParser
        The command's parser.
    minutes_default : float or None
        Default walk time; None for the checklist's own.
    """
    p.add_argument("--minutes", type=float, default=minutes_default, help="walk time")
    p.add_argument("--preset", choices=["gb50180", "walk", "elderly"], default="gb50180")
    p.add_argument("--speed", type=float, help="walking speed in m/min (overrides the preset)")
    p.add_argument("--detour", type=float, help="detour factor (overrides the preset)")


def walk_from_args(args: argparse.Namespace):  # noqa: ANN201 - WalkSettings
    """Return the walk settings the walk options ask for, or raise a one-line error.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed options from :func:`walk_arguments`.

    Returns
    -------
    WalkSettings
        Preset, speed and detour.
    """
    from layers.geo.walking import walk_settings

    try:
        return walk_settings(args.preset, args.speed, args.detour)
    except ValueError as exc:
        raise CommandError(str(exc)) from None


@contextlib.contextmanager
def writing(out: Path) -> Iterator[None]:
    """Report a failed GeoPackage write in one line that names ``out`` (left as it was)."""
    from pyogrio.errors import DataLayerError, DataSourceError

    try:
        yield
    except (DataLayerError, DataSourceError, StoreError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if len(reason) > 160:  # GDAL quotes whole SQL statements
            reason = reason[:160] + "…"
        raise CommandError(f"cannot write {out}: {reason}") from None


def write_plain(frame, out: Path, layer: str) -> None:  # noqa: ANN001
    """Write ``frame`` as layer ``layer`` of ``out`` (GeoPackage or GeoJSON), atomically."""
    from layers.io.layer_file import write_layer_file

    write_layer_file(frame, out, layer)


def write_geojson(frame, out: Path) -> None:  # noqa: ANN001
    """Write service circles to a GeoJSON file, atomically."""
    from layers.io.layer_file import write_layer_file

    write_layer_file(frame, out, "service_circles")

