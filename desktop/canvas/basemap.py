"""An optional online XYZ basemap with a disk cache; the map works without it.

Tiles are fetched asynchronously. A tile that fails marks the basemap offline,
quietly: the status bar says so and the map keeps drawing its data on the plain
background.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

from PySide6.QtCore import QObject, QRectF, QStandardPaths, QUrl, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtNetwork import QNetworkAccessManager, QNetworkReply, QNetworkRequest

from layers.geo.map_view import WORLD_SIZE, MapView
from layers.io.atomic import atomic_write

OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
USER_AGENT = b"facility-mapper/0.1 (community planning desktop GIS)"
MAX_PENDING = 16


def default_cache_dir() -> Path:
    """Return the folder for cached tiles.

    Returns
    -------
    Path
        Under the user's cache location.
    """
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation)
    return Path(base or Path.home() / ".cache" / "facility-mapper") / "tiles"


class TileBasemap(QObject):
    """XYZ tiles drawn under the data.

    Parameters
    ----------
    url_template : str
        URL with ``{z}``, ``{x}``, ``{y}``.
    cache_dir : Path, optional
        Disk cache folder.
    """

    tile_loaded = Signal()
    status_changed = Signal(str)

    def __init__(self, url_template: str = OSM_URL, cache_dir: Path | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.url_template = url_template
        self.cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
        self.enabled = True
        self.offline = False
        self.opacity = 1.0
        self._memory: dict[tuple[int, int, int], QImage] = {}
        self._pending: set[tuple[int, int, int]] = set()
        self._failed: set[tuple[int, int, int]] = set()
        self._net = QNetworkAccessManager(self)
        self._net.setTransferTimeout(8000)

    def set_url(self, url_template: str) -> None:
        """Use another tile URL; cached tiles are kept per URL.

        Parameters
        ----------
        url_template : str
            URL template.
        """
        self.url_template = url_template
        self._memory.clear()
        self._failed.clear()
        self.offline = False

    def _cache_path(self, key: tuple[int, int, int]) -> Path:
        digest = hashlib.sha1(self.url_template.encode()).hexdigest()[:10]
        z, x, y = key
        return self.cache_dir / digest / str(z) / str(x) / f"{y}.png"

    def draw(self, painter: QPainter, view: MapView) -> None:
        """Draw the available tiles for the view; request the missing ones.

        Parameters
        ----------
        painter : QPainter
            Target.
        view : MapView
            The view.
        """
        if not self.enabled:
            return
        z = view.tile_zoom()
        n = 2**z
        tile_m = WORLD_SIZE / n
        xmin, ymin, xmax, ymax = view.extent
        half = WORLD_SIZE / 2
        tx0 = max(0, math.floor((xmin + half) / tile_m))
        tx1 = min(n - 1, math.floor((xmax + half) / tile_m))
        ty0 = max(0, math.floor((half - ymax) / tile_m))
        ty1 = min(n - 1, math.floor((half - ymin) / tile_m))
        if (tx1 - tx0 + 1) * (ty1 - ty0 + 1) > 400:
            return
        painter.save()
        painter.setOpacity(self.opacity)
        for tx in range(tx0, tx1 + 1):
            for ty in range(ty0, ty1 + 1):
                key = (z, tx, ty)
                img = self._tile(key)
                if img is None:
                    continue
                x0 = tx * tile_m - half
                y1 = half - ty * tile_m
                px, py = view.to_pixel(x0, y1)
                size = tile_m / view.resolution
                painter.drawImage(QRectF(float(px), float(py), size, size), img)
        painter.restore()

    def _tile(self, key: tuple[int, int, int]) -> QImage | None:
        img = self._memory.get(key)
        if img is not None:
            return img
        path = self._cache_path(key)
        if path.is_file():
            img = QImage(str(path))
            if not img.isNull():
                self._memory[key] = img
                return img
        self._request(key)
        return None

    def _request(self, key: tuple[int, int, int]) -> None:
        if key in self._pending or key in self._failed or len(self._pending) >= MAX_PENDING:
            return
        z, x, y = key
        url = self.url_template.format(z=z, x=x, y=y, s="a")
        request = QNetworkRequest(QUrl(url))
        request.setRawHeader(b"User-Agent", USER_AGENT)
        reply = self._net.get(request)
        self._pending.add(key)
        reply.finished.connect(lambda: self._on_reply(reply, key))

    def _on_reply(self, reply: QNetworkReply, key: tuple[int, int, int]) -> None:
        self._pending.discard(key)
        data = bytes(reply.readAll().data())
        ok = reply.error() == QNetworkReply.NetworkError.NoError
        reply.deleteLater()
        img = QImage.fromData(data) if ok else QImage()
        if img.isNull():
            self._failed.add(key)
            if not self.offline:
                self.offline = True
                self.status_changed.emit("offline")
            return
        self._memory[key] = img
        path = self._cache_path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # two windows may fetch the same tile; a lost tile is fetched again
            with atomic_write(path, durable=False) as fh:
                fh.write(data)
        except OSError:
            pass  # a read-only cache only costs refetching
        if self.offline:
            self.offline = False
            self.status_changed.emit("online")
        self.tile_loaded.emit()
