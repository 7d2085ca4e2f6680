"""An optional online basemap under the data; the map works without it.

Which tiles, from where and where they go is :mod:`layers.geo.basemaps`; this
module fetches them (only the ones on screen, a few at a time), keeps them in the
disk cache (:mod:`desktop.canvas.tile_cache`) and paints them with the
attribution. A server that fails sets one quiet status (``status_changed``), never
a dialog, and the map keeps drawing its data on the plain background.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QDeadlineTimer,
    QEvent,
    QEventLoop,
    QObject,
    QRectF,
    QUrl,
    Signal,
)
from PySide6.QtGui import QImage, QPainter
from PySide6.QtNetwork import QNetworkAccessManager, QNetworkReply, QNetworkRequest

from desktop.canvas.tile_cache import DEFAULT_MAX_MB, TileCache, default_cache_dir
from layers.geo.basemaps import (
    OSM,
    BasemapSource,
    custom_source,
    tianditu_key,
    tile_rect,
    visible_tiles,
)
from layers.geo.map_view import MapView

__all__ = ["OSM_URL", "TileBasemap", "default_cache_dir", "export_basemap"]

OSM_URL = OSM.url_template
#: Give up on a tile after this long.
TIMEOUT_MS = 8000

TileKey = tuple[int, int, int, int]  # layer (0 base, 1 annotation), z, x, y


class TileBasemap(QObject):
    """XYZ tiles drawn under the data, with an annotation layer when the source has one.

    Parameters
    ----------
    source : BasemapSource or str
        The basemap, or an XYZ URL template.
    cache_dir : Path, optional
        Disk cache folder; the platform cache location by default.
    key : str
        The Tianditu key, for sources that need one.
    wait : bool
        Fetch the missing tiles before drawing (exports); the canvas draws at once
        and redraws as tiles arrive (``tile_loaded``).
    max_cache_mb : float
        Disk cache limit.
    """

    tile_loaded = Signal()
    status_changed = Signal(str)

    def __init__(self, source: BasemapSource | str = OSM, cache_dir: Path | None = None,
                 parent: QObject | None = None, *, key: str = "", wait: bool = False,
                 max_cache_mb: float = DEFAULT_MAX_MB) -> None:
        super().__init__(parent)
        self.cache = TileCache(cache_dir, max_cache_mb)
        self.wait = wait
        self.enabled = True
        self.opacity = 1.0
        self.key = key
        #: "" while all is well, else one line on what went wrong (e.g. "HTTP 500")
        self.error = ""
        self.failed_count = 0
        self.fetched_count = 0
        self._net = QNetworkAccessManager(self)
        self._net.setTransferTimeout(TIMEOUT_MS)
        self._memory: dict[TileKey, QImage] = {}
        self._pending: set[TileKey] = set()
        self._queue: list[TileKey] = []
        self._failed: set[TileKey] = set()
        self._refreshed: set[TileKey] = set()
        self._drew_tiles = False
        self._generation = 0
        self.set_source(source)

    # ----- which basemap ---------------------------------------------------
    @property
    def url_template(self) -> str:
        """The base layer's tile URL template."""
        return self.source.url_template

    @property
    def offline(self) -> bool:
        """True when tiles failed (or a key is missing) and the map shows none of them."""
        return bool(self.error)

    @property
    def loading(self) -> bool:
        """True while tiles for the last drawn view are still on their way."""
        return bool(self._pending or self._queue)

    @property
    def missing_key(self) -> bool:
        """True when the source needs a Tianditu key and none is set."""
        return self.source.needs_key and not self.key

    def set_source(self, source: BasemapSource | str, key: str | None = None) -> None:
        """Switch to another basemap; tiles of each are cached apart.

        Parameters
        ----------
        source : BasemapSource or str
            The basemap, or an XYZ URL template.
        key : str, optional
            A new Tianditu key.
        """
        self.source = custom_source(source) if isinstance(source, str) else source
        if key is not None:
            self.key = key
        self._generation += 1  # tiles still on their way from the old source are dropped
        self._memory.clear()
        self._failed.clear()
        self._queue.clear()
        self._pending.clear()
        self.failed_count = 0
        self._set_error("no key" if self.missing_key else "")

    def set_url(self, url_template: str) -> None:
        """Use another XYZ URL template.

        Parameters
        ----------
        url_template : str
            URL with ``{z}``, ``{x}``, ``{y}``.
        """
        self.set_source(url_template)

    @property
    def attribution(self) -> str:
        """The credit line shown on the map."""
        return self.source.attribution

    # ----- drawing ----------------------------------------------------------
    def draw(self, painter: QPainter, view: MapView) -> None:
        """Draw the tiles on screen; ask for the missing ones.

        Parameters
        ----------
        painter : QPainter
            Target.
        view : MapView
            The view.
        """
        self._drew_tiles = False
        if not self.enabled or self.missing_key:
            return
        z = min(view.tile_zoom(), self.source.max_zoom)
        tiles = visible_tiles(self.source, view.extent, z)
        keys = [(layer, z, x, y) for layer in range(len(self.source.templates))
                for x, y in tiles]
        self._queue = []  # only what is on screen now: no prefetch, nothing stale
        for k in keys:
            if self._tile(k) is None and k not in self._failed and k not in self._pending:
                self._queue.append(k)
        self._pump()
        if self.wait and (self._pending or self._queue):
            self._wait_for_tiles()
        painter.save()
        painter.setOpacity(self.opacity)
        for key in keys:
            img = self._memory.get(key)
            if img is None:
                continue
            self._drew_tiles = True
            left, top, side = tile_rect(self.source, *key[1:])
            px, py = view.to_pixel(left, top)
            size = side / view.resolution
            painter.drawImage(QRectF(float(px), float(py), size, size), img)
        painter.restore()

    def credit(self) -> str | None:
        """Return the basemap's credit line while its tiles are on the map.

        Returns
        -------
        str or None
            None when no tile was drawn: nobody to credit.
        """
        if not (self.enabled and self.attribution and self._drew_tiles):
            return None
        return self.attribution

    # ----- fetching ---------------------------------------------------------
    def _tile(self, key: TileKey) -> QImage | None:
        img = self._memory.get(key)
        if img is not None:
            return img
        layer, z, x, y = key
        cached = self.cache.read(self.source.templates[layer], z, x, y)
        if cached is None:
            return None
        data, fresh = cached
        img = QImage.fromData(data)
        if img.isNull():
            return None
        self._memory[key] = img
        if not fresh and not self.wait and key not in self._refreshed:
            # an old tile is drawn now and fetched again; kept if that fails
            self._refreshed.add(key)
            self._queue.append(key)
        return img

    def _pump(self) -> None:
        """Start queued requests, never more than the source allows at once."""
        while self._queue and len(self._pending) < self.source.max_concurrent:
            key = self._queue.pop(0)
            if key in self._pending:
                continue
            layer, z, x, y = key
            url = self.source.tile_url(self.source.templates[layer], z, x, y, self.key)
            request = QNetworkRequest(QUrl(url))
            for name, value in self.source.headers().items():
                request.setRawHeader(name.encode(), value.encode())
            reply = self._net.get(request)
            self._pending.add(key)
            reply.finished.connect(
                lambda r=reply, k=key, g=self._generation: self._on_reply(r, k, g))

    def _on_reply(self, reply: QNetworkReply, key: TileKey, generation: int) -> None:
        if generation != self._generation:
            reply.deleteLater()
            return
        self._pending.discard(key)
        status = reply.attribute(QNetworkRequest.Attribute.HttpStatusCodeAttribute)
        ok = reply.error() == QNetworkReply.NetworkError.NoError
        data = bytes(reply.readAll().data()) if ok else b""
        problem = (f"HTTP {status}" if status and int(status) >= 400
                   else reply.errorString() if not ok else "")
        reply.deleteLater()
        img = QImage.fromData(data) if data else QImage()
        if img.isNull():
            if key not in self._memory:  # a stale tile that could not be refreshed stays
                self._failed.add(key)
                self.failed_count += 1
                self._set_error(problem or "not a picture")
        else:
            self._memory[key] = img
            self.fetched_count += 1
            self.cache.write(self.source.templates[key[0]], *key[1:], data)
            self._set_error("")
            self.tile_loaded.emit()
        self._pump()

    def _wait_for_tiles(self) -> None:
        # events are handled here without a nested event loop, so the replies'
        # deferred deletion waits for the application's own loop
        deadline = QDeadlineTimer(TIMEOUT_MS * 4)  # the transfer timeout ends each tile first
        while (self._pending or self._queue) and not deadline.hasExpired():
            self._pump()
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        # the finished replies go now, not when this basemap is already gone
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def _set_error(self, error: str) -> None:
        if error != self.error:
            self.error = error
            self.status_changed.emit(error or "online")


def export_basemap(source: BasemapSource | None,
                   cache_dir: Path | None = None) -> TileBasemap | None:
    """Return a basemap for an export: it fetches the tiles a picture needs before drawing.

    Parameters
    ----------
    source : BasemapSource or None
        The basemap (from ``--basemap``); None for none.
    cache_dir : Path, optional
        Disk cache folder.

    Returns
    -------
    TileBasemap or None
        Pass it to the renderer; after drawing, ``failed_count`` and ``error`` say
        what could not be fetched.
    """
    if source is None:
        return None
    return TileBasemap(source, cache_dir, key=tianditu_key(), wait=True)


def basemap_report(basemap: TileBasemap | None) -> str:
    """Return one line on the tiles an export could not fetch, or "".

    Parameters
    ----------
    basemap : TileBasemap or None
        The export's basemap, after drawing.

    Returns
    -------
    str
        E.g. "basemap: 6 tiles could not be fetched (HTTP 500); drawn without them".
    """
    if basemap is None or not basemap.failed_count:
        return ""
    return (f"basemap: {basemap.failed_count} tiles could not be fetched ({basemap.error}); "
            "the map is drawn without them")
