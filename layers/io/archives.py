"""Limits for zip-based inputs (XLSX, zipped shapefiles, KMZ): no zip bombs.

A zip's compressed size says little about what reading it costs: 200 KB of
deflated zeros unpacks to 200 MB. Before any reader opens a zip-based file,
:func:`check_zip` looks at every member's *declared* uncompressed size and its
compression ratio, and refuses the file in one line naming the member and the
limit. Python's :mod:`zipfile`, which reads XLSX, stops at a member's declared
size, so a member that lies about its size cannot make it read more than was
checked. Shapefiles and KMZ are read by GDAL's ``/vsizip/`` after the same check.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

#: Largest total uncompressed size of a zip-based input, in MB (``--max-uncompressed-mb``).
MAX_UNCOMPRESSED_MB = 1000
#: Largest compression ratio of one member (``--max-zip-ratio``). Real spreadsheets
#: and shapefiles compress 3–30 times; a zip bomb compresses about 1000 times.
MAX_ZIP_RATIO = 100
#: Members smaller than this (MB) are not held to the ratio: they cost nothing to read.
RATIO_EXEMPT_MB = 10
#: Most members a zip-based input may hold.
MAX_MEMBERS = 10_000

_MB = 1_000_000


class ArchiveError(Exception):
    """A zip-based file beyond the limits, or not a readable zip, with a one-line reason."""


@dataclass(frozen=True)
class ArchiveLimits:
    """How much a zip-based input may unpack to.

    Parameters
    ----------
    max_uncompressed_mb : float
        Largest total uncompressed size of all members, in MB.
    max_ratio : float
        Largest uncompressed/compressed ratio of a member larger than
        ``RATIO_EXEMPT_MB``.
    max_members : int
        Most members.
    """

    max_uncompressed_mb: float = MAX_UNCOMPRESSED_MB
    max_ratio: float = MAX_ZIP_RATIO
    max_members: int = MAX_MEMBERS

    @classmethod
    def from_options(cls, max_uncompressed_mb: float | None = None,
                     max_ratio: float | None = None) -> ArchiveLimits:
        """Return the default limits, with the ones the planner gave raised or lowered.

        Parameters
        ----------
        max_uncompressed_mb : float, optional
            ``--max-uncompressed-mb``.
        max_ratio : float, optional
            ``--max-zip-ratio``.

        Returns
        -------
        ArchiveLimits
            The limits.
        """
        return cls(max_uncompressed_mb=max_uncompressed_mb or MAX_UNCOMPRESSED_MB,
                   max_ratio=max_ratio or MAX_ZIP_RATIO)


def check_zip(path: str | os.PathLike, limits: ArchiveLimits | None = None) -> list[str]:
    """Refuse a zip whose members would unpack beyond ``limits``; list its members.

    Only the zip's central directory is read: nothing is decompressed.

    Parameters
    ----------
    path : path-like
        An ``.xlsx``, ``.zip``, ``.kmz`` or other zip-based file.
    limits : ArchiveLimits, optional
        Defaults to :class:`ArchiveLimits` ().

    Returns
    -------
    list of str
        The member names, in the zip's order.

    Raises
    ------
    ArchiveError
        For a file that is not a zip, has too many members, a member whose ratio
        is too high, or members that unpack to more than the limit.
    """
    limits = limits or ArchiveLimits()
    name = Path(path).name
    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise ArchiveError(f"{name} is not a readable zip file ({exc})") from None
    if len(members) > limits.max_members:
        raise ArchiveError(f"{name} holds {len(members)} files, more than the limit of "
                           f"{limits.max_members}")
    limit = limits.max_uncompressed_mb * _MB
    total = 0
    for info in members:
        size = info.file_size
        ratio = size / max(info.compress_size, 1)
        if size > RATIO_EXEMPT_MB * _MB and ratio > limits.max_ratio:
            raise ArchiveError(
                f"{name}: {info.filename} unpacks {ratio:.0f} times its packed size "
                f"({size / _MB:.0f} MB), beyond the limit of {limits.max_ratio:g} "
                "(a zip bomb?); raise it with --max-zip-ratio if the file is trusted")
        total += size
        if total > limit:
            raise ArchiveError(
                f"{name}: {info.filename} brings the unpacked size to {total / _MB:.0f} MB, "
                f"beyond the limit of {limits.max_uncompressed_mb:g} MB; raise it with "
                "--max-uncompressed-mb if the file is trusted")
    return [info.filename for info in members]
