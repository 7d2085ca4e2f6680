"""GeoPackage geometry blobs, and the SQL functions GeoPackage triggers call.

A GeoPackage stores a geometry as a small header (magic ``GP``, flags, SRS id,
optional envelope) followed by ISO WKB. GDAL's spatial-index triggers call
``ST_IsEmpty`` and ``ST_MinX``… on these blobs, so a plain ``sqlite3``
connection that writes geometries must provide those functions:
:func:`register_functions` does.
"""

from __future__ import annotations

import sqlite3
import struct
from collections.abc import Sequence

import numpy as np
import shapely

_EMPTY_FLAG = 0x10
_LITTLE_ENDIAN = 0x01
_ENVELOPE_XY = 0x02  # envelope indicator 1, shifted left by one


def to_blobs(geoms: Sequence, srs_id: int, multi: bool) -> list[bytes | None]:
    """Encode shapely geometries as GeoPackage geometry blobs.

    Parameters
    ----------
    geoms : sequence of shapely.Geometry or None
        Geometries; None stays NULL.
    srs_id : int
        The layer's SRS id in ``gpkg_spatial_ref_sys``.
    multi : bool
        Promote single parts to multi-part (for a ``MULTIPOLYGON`` column).

    Returns
    -------
    list of bytes or None
        One blob per geometry. Points carry no envelope (as GDAL writes them);
        other geometries carry their x/y envelope.
    """
    arr = np.asarray(list(geoms), dtype=object)
    if multi and len(arr):
        single = shapely.get_type_id(arr)
        for type_id, make in ((3, shapely.multipolygons), (1, shapely.multilinestrings),
                              (0, shapely.multipoints)):
            picked = single == type_id
            if picked.any():
                arr[picked] = [make([g]) for g in arr[picked]]
    wkb = shapely.to_wkb(arr, byte_order=1, flavor="iso")
    empty = shapely.is_empty(arr)
    points = shapely.get_type_id(arr) == 0
    bounds = shapely.bounds(arr)
    out: list[bytes | None] = []
    for i, body in enumerate(wkb.tolist()):
        if body is None:
            out.append(None)
        elif empty[i]:
            out.append(struct.pack("<2sBBi", b"GP", 0, _LITTLE_ENDIAN | _EMPTY_FLAG, srs_id)
                       + body)
        elif points[i]:
            out.append(struct.pack("<2sBBi", b"GP", 0, _LITTLE_ENDIAN, srs_id) + body)
        else:
            minx, miny, maxx, maxy = bounds[i]
            out.append(struct.pack("<2sBBi4d", b"GP", 0, _LITTLE_ENDIAN | _ENVELOPE_XY, srs_id,
                                   minx, maxx, miny, maxy) + body)
    return out


_ENVELOPE_DOUBLES = {0: 0, 1: 4, 2: 6, 3: 6, 4: 8}


def _header(blob: bytes) -> tuple[int, int]:
    """Return (flags, header length) of a GeoPackage blob."""
    if len(blob) < 8 or blob[:2] != b"GP":
        raise ValueError("not a GeoPackage geometry")
    flags = blob[3]
    envelope = (flags >> 1) & 0x07
    return flags, 8 + 8 * _ENVELOPE_DOUBLES.get(envelope, 0)


def from_blob(blob: bytes | None) -> shapely.Geometry | None:
    """Decode one GeoPackage geometry blob.

    Parameters
    ----------
    blob : bytes or None
        The stored value.

    Returns
    -------
    shapely.Geometry or None
        The geometry (empty geometries decode as empty).
    """
    if blob is None:
        return None
    _, size = _header(blob)
    return shapely.from_wkb(bytes(blob[size:]))


def _is_empty(blob: bytes | None) -> int | None:
    if blob is None:
        return None
    flags, _ = _header(blob)
    if flags & _EMPTY_FLAG:
        return 1
    return int(bool(shapely.is_empty(from_blob(blob))))


def _bound(index: int):  # noqa: ANN202 - an SQL function
    def bound(blob: bytes | None) -> float | None:
        if blob is None:
            return None
        flags, _ = _header(blob)
        if (flags >> 1) & 0x07:
            order = "<" if flags & _LITTLE_ENDIAN else ">"
            minx, maxx, miny, maxy = struct.unpack_from(order + "4d", blob, 8)
            return (minx, miny, maxx, maxy)[index]
        geom = from_blob(blob)
        if geom is None or geom.is_empty:
            return None
        return float(geom.bounds[index])

    return bound


def register_functions(con: sqlite3.Connection) -> None:
    """Provide the ``ST_*`` functions that GeoPackage spatial-index triggers call.

    Parameters
    ----------
    con : sqlite3.Connection
        A connection that will insert, update or delete geometries.
    """
    con.create_function("ST_IsEmpty", 1, _is_empty, deterministic=True)
    for index, name in enumerate(("ST_MinX", "ST_MinY", "ST_MaxX", "ST_MaxY")):
        con.create_function(name, 1, _bound(index), deterministic=True)
