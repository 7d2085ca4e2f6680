"""A real XYZ tile server on 127.0.0.1 for the basemap tests, serving generated PNG tiles."""

from __future__ import annotations

import http.server
import struct
import threading
import zlib
from collections.abc import Callable

import numpy as np


def rgba(color: str) -> tuple[int, int, int, int]:
    """Return ``#rrggbb`` or ``#rrggbbaa`` as an RGBA tuple."""
    color = color.lstrip("#")
    values = [int(color[i:i + 2], 16) for i in range(0, len(color), 2)]
    return (*values, 255)[:4] if len(values) == 3 else tuple(values)


def png(color: str, size: int = 256,
        paint: Callable[[np.ndarray], None] | None = None) -> bytes:
    """Return a PNG tile of one colour; ``paint`` may change its RGBA pixel array.

    Written with zlib, not Qt: the server answers from its own threads.
    """
    pixels = np.empty((size, size, 4), dtype=np.uint8)
    pixels[:] = rgba(color)
    if paint is not None:
        paint(pixels)
    raw = b"".join(b"\0" + row.tobytes() for row in pixels)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


class TileServer:
    """Serves ``/<layer>/<z>/<x>/<y>.png`` (any query string) from ``make_tile``.

    Parameters
    ----------
    make_tile : callable
        ``(layer, z, x, y) -> bytes`` of a PNG.
    status : int
        HTTP status of every answer (500 for a broken server).
    """

    def __init__(self, make_tile: Callable[[str, int, int, int], bytes], status: int = 200):
        self.hits: list[str] = []
        self.headers: list[dict[str, str]] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                server.hits.append(self.path)
                server.headers.append(dict(self.headers))
                if status != 200:
                    self.send_error(status)
                    return
                layer, z, x, y = self.path.split("?")[0].strip("/").removesuffix(".png").split("/")
                body = make_tile(layer, int(z), int(x), int(y))
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def url(self, layer: str = "base", query: str = "") -> str:
        """Return the XYZ URL template of one layer."""
        return f"http://127.0.0.1:{self.port}/{layer}/{{z}}/{{x}}/{{y}}.png{query}"

    def stop(self) -> None:
        """Stop answering: the port refuses connections from now on."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
