"""Numbers as Chinese articles write them: 3146, 1.2万, 八十余, 两百余, 近一万.

Only the reading of a number is here; which quantity it states (households, area,
...) is decided by :mod:`layers.articles.extraction` from its unit and context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
_CN = "零〇一二两三四五六七八九十百千"
#: An approximate number says so before (约, 近) or after it (余, 多, 来, 左右).
_BEFORE = "约近逾超过将近大约"
#: One number as written: Arabic (with a decimal point or thousands commas) or
#: Chinese, then an optional 万/亿, then an optional "more than" (余, 多, 来).
NUMBER = re.compile(
    rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|[{_CN}]+)"
    rf"(?P<approx1>[余多来])?(?P<big>[万亿])?(?P<approx2>[余多])?"
)


@dataclass(frozen=True)
class Number:
    """A number read from text.

    Attributes
    ----------
    value : float
        The value, 万 and 亿 applied (``1.2万`` is 12000).
    approx : bool
        The text says it is approximate (八十余, 约300, 近一万).
    start, end : int
        Span of the number in the text, the approximation words included.
    chinese : bool
        Written in Chinese numerals (八十) rather than digits.
    """

    value: float
    approx: bool
    start: int
    end: int
    chinese: bool


def chinese_value(text: str) -> float | None:
    """Return the value of a number written in Chinese numerals.

    Parameters
    ----------
    text : str
        For example ``八十``, ``两百``, ``三千五百``, ``十五``, ``二〇二三``.

    Returns
    -------
    float or None
        The value; None when ``text`` is not a well-formed number.
    """
    if not text or any(c not in _CN and c not in _BIG_UNITS for c in text):
        return None
    if not any(c in _SMALL_UNITS or c in _BIG_UNITS for c in text):
        # digit by digit, as years are written: 二〇二三
        return float("".join(str(_DIGITS[c]) for c in text)) if len(text) > 1 else float(
            _DIGITS[text])
    total = section = 0
    digit: int | None = None
    for c in text:
        if c in _DIGITS:
            if digit is not None and _DIGITS[c] != 0:
                return None  # 八八十 is not a number
            digit = _DIGITS[c]
        elif c in _SMALL_UNITS:
            section += (1 if digit is None else digit) * _SMALL_UNITS[c]
            digit = None
        else:
            total += (section + (digit or 0)) * _BIG_UNITS[c]
            section, digit = 0, None
    return float(total + section + (digit or 0))


def numbers(text: str) -> list[Number]:
    """Find every number in ``text``, Arabic or Chinese.

    Parameters
    ----------
    text : str
        A sentence.

    Returns
    -------
    list of Number
        In text order. A lone 一 (一处, 一座) is left out: it says "a", not a count.
        So is a lone 二; 两 is kept (两个党支部). Whether a number is a count is for
        its unit to say.
    """
    out = []
    for m in NUMBER.finditer(text):
        raw = m.group("num")
        chinese = not raw[0].isdigit()
        if chinese:
            if raw in ("一", "二") and not m.group("big"):
                continue  # 一处 is "a"; a count of two is written 两 (不二人选)
            value = chinese_value(raw)
            if value is None:
                continue
        else:
            value = float(raw.replace(",", ""))
        if m.group("big"):
            value *= _BIG_UNITS[m.group("big")]
        start = m.start()
        approx = bool(m.group("approx1") or m.group("approx2"))
        before = text[max(0, start - 2):start]
        for word in ("将近", "大约", "超过", "约", "近", "逾"):
            if before.endswith(word):
                approx, start = True, start - len(word)
                break
        if text.startswith(("左右", "上下"), m.end()):
            approx = True
        out.append(Number(round(value, 6), approx, start, m.end(), chinese))
    return out


def read_number(text: str) -> float | None:
    """Return the value of a whole string that is one number (``1.2万``, ``八十余``).

    Parameters
    ----------
    text : str
        The number as written.

    Returns
    -------
    float or None
        Its value, or None when ``text`` is not exactly one number.
    """
    found = NUMBER.fullmatch(text.strip())
    if not found:
        return None
    got = numbers(text.strip()) or ([Number(1.0, False, 0, len(text), True)]
                                    if text.strip() == "一" else [])
    return got[0].value if got else None
