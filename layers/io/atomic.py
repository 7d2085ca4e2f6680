"""Atomic file writes: the target holds the old content or the new, never half of either.

Every file the app writes goes through :func:`atomic_path` (for writers that want a
path, such as GDAL writing a GeoPackage or Qt saving an image) or :func:`atomic_write`
(for writers that want a file object). Both write a temporary file in the target's
folder, flush it to disk, rename it over the target and flush the folder, so a crash
or a full disk at any moment leaves the old file intact.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO

# SQLite (under GDAL) may leave these next to a GeoPackage it was writing when it failed.
_SIDECARS = ("-journal", "-wal", "-shm")

#: The temporary files of :func:`atomic_path`, and their SQLite sidecars:
#: ``.<name>.<pid>-<8 hex>.saving<suffix>``, and without ``<pid>-`` from older versions.
TEMP_NAME = re.compile(r"\.(?P<stem>.+)\.(?:(?P<pid>[0-9]+)-)?[0-9a-f]{8}\.saving"
                       r"(?:\.[^.]+)?(?:-journal|-wal|-shm)?")

#: Folders this process has written to, so their leftovers can be cleaned on exit.
WRITTEN_FOLDERS: set[Path] = set()


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, *, durable: bool = True) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``path`` atomically.

    The temporary file sits in the target's folder (a rename across file systems
    is not atomic) and keeps the target's suffix, so drivers that choose the format
    by suffix (GDAL, Qt image writers) write the right one. It does not exist when
    yielded: the writer creates it.

    After the block, the file gets the existing target's permission mode, or the
    mode a new file gets under the umask (0644 under umask 022), is flushed to
    disk, renamed over the target, and the folder is flushed. A symlinked target
    is resolved first: the file it points to gets the new content and the link
    stays a link.

    Parameters
    ----------
    path : path-like
        The file to write.
    durable : bool
        Flush to disk before and after the rename. False for a cache that can be
        fetched again (map tiles): still never half a file, but a power cut may
        lose the newest ones.

    Yields
    ------
    Path
        Where to write.

    Raises
    ------
    OSError
        If the folder does not exist or cannot be written, or the writer wrote
        nothing. On any error, raised in the block or here, the temporary file is
        removed and the target is left untouched.
    """
    target = Path(os.path.realpath(path))
    tmp: Path | None = None
    try:
        tmp, mode = _reserve(target)
        WRITTEN_FOLDERS.add(target.parent)
        tmp.unlink()  # writers such as GDAL must create the file themselves
        yield tmp
        if not tmp.exists():
            raise FileNotFoundError(errno.ENOENT, "nothing was written", os.fspath(path))
        os.chmod(tmp, mode)
        if durable:
            _fsync(tmp)
        os.replace(tmp, target)
        if durable:
            _fsync(target.parent)
    except OSError as exc:
        if exc.filename is not None and not TEMP_NAME.fullmatch(Path(exc.filename).name):
            raise
        # the planner chose the target's name; the temporary one means nothing to them
        raise type(exc)(exc.errno, exc.strerror, os.fspath(path)) from None
    finally:
        for leftover in (() if tmp is None else (tmp, *(Path(f"{tmp}{s}") for s in _SIDECARS))):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike, mode: str = "wb", *, encoding: str | None = None,
                 newline: str | None = None, durable: bool = True) -> Iterator[IO]:
    """Open a file for writing that replaces ``path`` atomically when the block ends.

    See :func:`atomic_path` for what is guaranteed.

    Parameters
    ----------
    path : path-like
        The file to write.
    mode : str
        ``"wb"`` or ``"w"``.
    encoding : str, optional
        Text encoding, for ``"w"``.
    newline : str, optional
        As for :func:`open`.
    durable : bool
        As for :func:`atomic_path`.

    Yields
    ------
    file object
        Write the content to it; do not close it.

    Raises
    ------
    OSError
        As :func:`atomic_path`.
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_write writes whole files: mode 'w' or 'wb', not {mode!r}")
    with (atomic_path(path, durable=durable) as tmp,
          open(tmp, mode, encoding=encoding, newline=newline) as fh):
        yield fh


def atomic_write_text(path: str | os.PathLike, text: str, encoding: str = "utf-8") -> Path:
    """Write text to ``path`` atomically (see :func:`atomic_path`).

    Parameters
    ----------
    path : path-like
        The file to write.
    text : str
        The whole content.
    encoding : str
        Text encoding; ``"utf-8-sig"`` for CSV that Excel opens.

    Returns
    -------
    Path
        ``path``.
    """
    with atomic_write(path, "w", encoding=encoding, newline="") as fh:
        fh.write(text)
    return Path(path)


def _reserve(target: Path) -> tuple[Path, int]:
    """Reserve a temporary name next to ``target``; return it and the mode to give it.

    Creating the file with mode 0666 lets the kernel apply the umask, which tells
    the mode of a new file without calling os.umask (that would change the umask
    of every thread meanwhile). mkstemp would give 0600.
    """
    while True:
        # the process id tells a leftover of a dead writer from a file being written
        tmp = target.with_name(
            f".{target.stem}.{os.getpid()}-{secrets.token_hex(4)}.saving{target.suffix}")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        try:
            mode = stat.S_IMODE(os.fstat(fd).st_mode)
        finally:
            os.close(fd)
        with contextlib.suppress(FileNotFoundError):
            mode = stat.S_IMODE(target.stat().st_mode)
        return tmp, mode


def _fsync(path: Path) -> None:
    """Flush a file or a folder to disk; folders cannot be opened on Windows."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        if path.is_dir():
            return
        raise
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


__all__ = ["TEMP_NAME", "WRITTEN_FOLDERS", "atomic_path", "atomic_write", "atomic_write_text"]
