"""The app's own leftover temporary files, removed on start and on exit.

A process killed in the middle of an atomic write (see :mod:`layers.io.atomic`)
leaves its temporary file behind: ``.project.<pid>-<hex>.saving.gpkg``, or
``.map.<pid>-<hex>.saving.html`` for an HTML export. Only files with exactly that
name are touched, only in folders the app writes to, and only when stale: not
changed for :data:`STALE_AFTER_S` seconds and not owned by a process that is
still running here. Anything else, however alike its name, is left alone.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from layers.io.atomic import TEMP_NAME

#: A temporary file unchanged this long is no longer being written.
STALE_AFTER_S = 600.0
#: Past this age a file is stale even if its process id belongs to a live process
#: (process ids are reused).
ABANDONED_AFTER_S = 86400.0


def clean_leftovers(folders: Iterable[str | os.PathLike], now: float | None = None
                    ) -> list[Path]:
    """Remove the app's stale temporary files from some folders.

    Parameters
    ----------
    folders : iterable of path-like
        Folders the app writes to (the project's, an output's). Missing ones
        are ignored; subfolders are not searched.
    now : float, optional
        The time to judge staleness by (``time.time()``).

    Returns
    -------
    list of Path
        The files removed.
    """
    now = time.time() if now is None else now
    removed = []
    for folder in {Path(f).resolve() for f in folders}:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            match = TEMP_NAME.fullmatch(entry.name)
            if match is None:
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if not stat.S_ISREG(info.st_mode):
                continue  # never a link, a folder or a device
            age = now - info.st_mtime
            pid = int(match["pid"]) if match["pid"] else None
            if age < STALE_AFTER_S or (pid is not None and age < ABANDONED_AFTER_S
                                       and _running(pid)):
                continue
            with contextlib.suppress(FileNotFoundError, PermissionError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return sorted(removed)


def leftovers_note(removed: list[Path]) -> str | None:
    """Return the one line that reports removed leftovers, or None.

    Parameters
    ----------
    removed : list of Path
        Files removed by :func:`clean_leftovers`.

    Returns
    -------
    str or None
        E.g. "removed 1 temporary file left by an interrupted save: .p.1-ab12cd34.saving.gpkg".
    """
    if not removed:
        return None
    files = "file" if len(removed) == 1 else "files"
    return (f"removed {len(removed)} temporary {files} left by an interrupted save: "
            + ", ".join(p.name for p in removed[:3]) + (" …" if len(removed) > 3 else ""))


def _running(pid: int) -> bool:
    """Tell whether a process with this id runs here (unsure counts as running)."""
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        return True  # os.kill(pid, 0) would terminate it there; rely on the age instead
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists but belongs to someone else
    return True
