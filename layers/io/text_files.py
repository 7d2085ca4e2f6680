"""Reading text files of unknown encoding, as planners' files usually are."""

from __future__ import annotations

import os
from pathlib import Path

#: Tried in order. GB18030 is a superset of GBK and GB2312.
ENCODINGS = ("utf-8-sig", "gb18030")


class TextFileError(Exception):
    """A file that is not readable text, with a one-line reason."""


def looks_binary(data: bytes) -> bool:
    """Tell whether ``data`` looks like a binary file rather than text.

    Parameters
    ----------
    data : bytes
        The start of the file.

    Returns
    -------
    bool
        True if it holds NUL bytes or mostly control characters.
    """
    sample = data[:8192]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return controls / len(sample) > 0.05


def decode_text(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM) or GB18030.

    Parameters
    ----------
    data : bytes
        File contents.
    encoding : str, optional
        Force this encoding instead of detecting one.

    Returns
    -------
    (str, str)
        The text and the encoding used (``"utf-8"``, ``"utf-8-sig"`` or ``"gb18030"``).

    Raises
    ------
    TextFileError
        If the data is binary or decodes in none of the encodings.
    """
    if looks_binary(data):
        raise TextFileError("the file is binary, not text")
    if encoding:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise TextFileError(f"unknown encoding: {encoding}") from None
        except UnicodeDecodeError as exc:
            raise TextFileError(f"cannot decode as {encoding}: {exc.reason}") from None
    for enc in ENCODINGS:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "utf-8-sig" and not data.startswith(b"\xef\xbb\xbf"):
            enc = "utf-8"
        return text, enc
    raise TextFileError("the text is neither UTF-8 nor GBK/GB18030")


def read_text(path: str | os.PathLike, encoding: str | None = None,
              max_bytes: int = 50_000_000) -> tuple[str, str]:
    """Read a text file, detecting UTF-8 or GBK.

    Parameters
    ----------
    path : path-like
        The file.
    encoding : str, optional
        Force an encoding.
    max_bytes : int
        Refuse larger files.

    Returns
    -------
    (str, str)
        Text and encoding.

    Raises
    ------
    TextFileError
        For a missing, empty, oversized, binary or undecodable file.
    """
    path = Path(path)
    if not path.is_file():
        raise TextFileError(f"file not found: {path}")
    size = path.stat().st_size
    if size == 0:
        raise TextFileError(f"the file is empty: {path.name}")
    if size > max_bytes:
        raise TextFileError(f"the file is too large ({size // 1_000_000} MB): {path.name}")
    return decode_text(path.read_bytes(), encoding)
