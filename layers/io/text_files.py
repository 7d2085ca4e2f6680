"""Reading text files of unknown encoding, as planners' files usually are."""

from __future__ import annotations

import os
import re
from pathlib import Path


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
        True if it holds more than a stray NUL byte or many control characters.
        A NUL or two in a text field is text to repair (see :func:`strip_nul`).
    """
    sample = data[:8192]
    if not sample:
        return False
    if sample.count(b"\x00") > max(1, len(sample) // 200):
        return True
    controls = sum(1 for b in sample if 0 < b < 9 or 13 < b < 32)
    return controls / len(sample) > 0.05


def decode_text(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM), else GB18030 (a superset of GBK).

    A file whose lines are partly UTF-8 and partly GBK (rows appended by another
    program) is refused with the line numbers: decoded either way, some of its
    names would be garbled.

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
        If the data is binary, mixes encodings, or decodes in none of the encodings.
    """
    if looks_binary(data):
        raise TextFileError("the file is binary, not text")
    if encoding:
        try:
            text = data.decode(encoding)
        except LookupError:
            raise TextFileError(f"unknown encoding: {encoding}") from None
        except UnicodeDecodeError as exc:
            _refuse_mixed(data)
            line = data.count(b"\n", 0, exc.start) + 1
            raise TextFileError(f"cannot decode line {line} as {encoding}: {exc.reason}"
                                ) from None
        if not _is_utf8(encoding):
            _refuse_mixed(data)  # GB18030 decodes UTF-8 bytes too, as mojibake
        return text, encoding
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        _refuse_mixed(data)
    else:
        return text, "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise TextFileError(f"line {line} is neither UTF-8 nor GBK/GB18030") from None


def _is_utf8(encoding: str) -> bool:
    return encoding.lower().replace("_", "-").replace("-", "").startswith("utf8")


#: Two or more CJK ideographs: what a UTF-8 line of Chinese names holds. A GBK line
#: that happens to be valid UTF-8 decodes to Latin, Greek or Cyrillic letters instead.
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]{2,}")


def _refuse_mixed(data: bytes) -> None:
    """Raise if some lines are Chinese in UTF-8 and others are not UTF-8 at all."""
    utf8_line = other_line = 0
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            other_line = other_line or number
        else:
            if _CJK_RUN.search(text):
                utf8_line = utf8_line or number
        if utf8_line and other_line:
            raise TextFileError(
                f"mixed encodings: line {utf8_line} is UTF-8 but line {other_line} is not "
                "(GBK?); save the whole file in one encoding (UTF-8) and import it again")


def strip_nul(text: str) -> tuple[str, list[int]]:
    """Remove NUL characters, which would cut a name short where it is stored.

    Parameters
    ----------
    text : str
        Decoded text.

    Returns
    -------
    (str, list of int)
        The text without NULs, and the 1-based line of each NUL removed.
    """
    if "\x00" not in text:
        return text, []
    lines, line, start = [], 1, 0
    for match in re.finditer("\x00", text):
        line += text.count("\n", start, match.start())
        start = match.start()
        lines.append(line)
    return text.replace("\x00", ""), lines


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
