"""Basemap tiles kept on disk between sessions, within a size limit.

The folder is under the platform's cache location (``$XDG_CACHE_HOME`` or
``~/.cache`` on Linux, ``%LOCALAPPDATA%`` on Windows, ``~/Library/Caches`` on
macOS), the same for the window and the command line. One sub-folder per tile
URL template, so switching basemaps never mixes their tiles, and a key in the URL
is never written into a path.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from PySide6.QtCore import QStandardPaths

from layers.io.atomic import atomic_write

#: Default limit of the tile cache.
DEFAULT_MAX_MB = 300
#: A cached tile older than this is fetched again when shown (and kept if that fails).
MAX_AGE_S = 14 * 24 * 3600
#: Prune after this many new tiles.
_PRUNE_EVERY = 200


def default_cache_dir() -> Path:
    """Return the folder for cached tiles.

    Returns
    -------
    Path
        ``<platform cache>/facility-mapper/tiles``.
    """
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericCacheLocation)
    return Path(base or Path.home() / ".cache") / "facility-mapper" / "tiles"


class TileCache:
    """Tiles on disk, oldest dropped first beyond the size limit.

    Parameters
    ----------
    folder : Path, optional
        Where; :func:`default_cache_dir` by default.
    max_mb : float
        Size limit in megabytes.
    """

    def __init__(self, folder: Path | None = None, max_mb: float = DEFAULT_MAX_MB) -> None:
        self.folder = Path(folder) if folder else default_cache_dir()
        self.max_bytes = int(max_mb * 1024 * 1024)
        self._written = 0

    def path(self, template: str, z: int, x: int, y: int) -> Path:
        """Return the file of one tile.

        Parameters
        ----------
        template : str
            The tile URL template (unformatted, so a key never enters the name).
        z, x, y : int
            Tile address.

        Returns
        -------
        Path
            The file (it may not exist).
        """
        digest = hashlib.sha1(template.encode()).hexdigest()[:10]
        return self.folder / digest / str(z) / str(x) / f"{y}.tile"

    def read(self, template: str, z: int, x: int, y: int) -> tuple[bytes, bool] | None:
        """Return a cached tile and whether it is still fresh.

        Parameters
        ----------
        template : str
            Tile URL template.
        z, x, y : int
            Tile address.

        Returns
        -------
        (bytes, bool) or None
            The tile's bytes and True when younger than :data:`MAX_AGE_S`; None if absent.
        """
        path = self.path(template, z, x, y)
        try:
            data = path.read_bytes()
            fresh = time.time() - path.stat().st_mtime < MAX_AGE_S
        except OSError:
            return None
        return data, fresh

    def write(self, template: str, z: int, x: int, y: int, data: bytes) -> None:
        """Keep a tile; a cache that cannot be written only costs fetching again.

        Parameters
        ----------
        template : str
            Tile URL template.
        z, x, y : int
            Tile address.
        data : bytes
            The tile as served.
        """
        path = self.path(template, z, x, y)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # two windows may fetch the same tile; a lost tile is fetched again
            with atomic_write(path, durable=False) as fh:
                fh.write(data)
        except OSError:
            return
        if self._written % _PRUNE_EVERY == 0:
            self.prune()
        self._written += 1

    def size(self) -> int:
        """Return the bytes the cache holds.

        Returns
        -------
        int
            Total size of the tile files.
        """
        return sum(st.st_size for _p, st in self._files())

    def prune(self) -> int:
        """Drop the least recently written tiles until the cache fits its limit.

        Returns
        -------
        int
            How many tiles were dropped.
        """
        files = self._files()
        total = sum(st.st_size for _p, st in files)
        dropped = 0
        for path, st in sorted(files, key=lambda f: f[1].st_mtime):
            if total <= self.max_bytes:
                break
            try:
                path.unlink()
            except OSError:
                continue
            total -= st.st_size
            dropped += 1
        return dropped

    def _files(self) -> list:
        found = []
        for path in self.folder.rglob("*.tile"):
            try:
                found.append((path, path.stat()))
            except OSError:
                continue  # removed by another window meanwhile
        return found
