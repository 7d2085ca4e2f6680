"""Numbers as Chinese text writes them: 1.2万, 三千, 两百五, 八十余户, 近一万人口, 100多万.

The one reader for every place that turns a planner's or an article's text into a
number: joining a table (``layers/io/joining.py``), building the bundled data from
the articles (``layers/articles/dataset.py``) and reading unseen articles
(``layers/articles/extraction.py``, behind ``main.py ingest``).

- :func:`parse_number` reads a bare numeral: ``"1.2万"`` → 12000, ``"三千"`` → 3000,
  ``"两百"`` → 200, ``"一万二"`` → 12000, ``"３,１４６"`` → 3146, ``"一九八四"`` → 1984.
- :func:`parse_quantity` reads a whole cell or phrase with its qualifier and unit:
  ``"八十余户"`` → 80 户, approximate (``余``); ``"近一万人口"`` → 10000 人, approximate
  (``近``); ``"100多万人"`` → 1000000 人, approximate; ``"23.8%"`` → 23.8 %.
- :func:`find_quantities` finds every such quantity in running text;
  :func:`find_numbers` finds every number in running text without its unit, for a
  reader that decides the units itself (``0.8平方公里``, ``35万元``).

A range (``三四百``, ``3000-4000``, ``3至5``) is not one number: it is not read (None,
or left out of running text), so no figure is ever invented. Nor is a lone ``一`` or
``二`` in running text (``翠苑一区``, ``一处``, ``不二``): it says "a", not a count. It
lives in ``layers/model`` (not ``layers/articles``) because both ``layers/io`` and
``layers/articles`` use it and ``layers/articles`` already imports ``layers/io``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0, "洞": 0,
    "一": 1, "壹": 1, "幺": 1,
    "二": 2, "两": 2, "兩": 2, "贰": 2, "貳": 2,
    "三": 3, "叁": 3, "參": 3, "叄": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}
_SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000,
                                "仟": 1000}
_BIG_UNITS: dict[str, int] = {"万": 10_000, "萬": 10_000, "亿": 100_000_000,
                              "億": 100_000_000}
_ZEROS = frozenset("零〇○")

_CHINESE = "".join(_DIGITS) + "".join(_SMALL_UNITS) + "".join(_BIG_UNITS)
#: The numeral characters read in running text: the everyday ones only, so that
#: 队伍, 陆续, 收拾 or 山洞 hold no number (a table cell may use every form).
_EVERYDAY = "零〇○一二两兩三四五六七八九十百千万萬亿億"
#: Arabic digits: thousands commas only in groups of three (``6,200``), a decimal point.
_ARABIC_NUMBER = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
#: One numeral: Arabic digits (with thousands commas and a decimal point), Chinese
#: digits and units, or a mix of both (``1.2万``, ``3万5千``).
NUMERAL = rf"(?:{_ARABIC_NUMBER}|[{_CHINESE}])+"
_TEXT_NUMERAL = rf"(?:{_ARABIC_NUMBER}|[{_EVERYDAY}])+"

#: Words before a number that make it approximate, longest first.
APPROX_BEFORE: tuple[str, ...] = ("大约", "约有", "将近", "接近", "近乎", "超过", "不足", "不到",
                                  "大概", "约", "近", "逾", "超")
#: Words after a number (before or after its unit) that make it approximate.
APPROX_AFTER: tuple[str, ...] = ("余", "多", "来", "左右", "上下", "以上", "以下", "许")
#: Measure words a quantity may carry. A cell in any other unit (``0.8平方公里``) is not
#: read as a quantity, so no field takes a number in a unit it does not hold; running
#: text in other units is read by :func:`find_numbers`.
UNITS: tuple[str, ...] = ("人口", "户", "人", "名", "位", "口", "家", "个", "座", "间", "处",
                          "%", "个百分点", "平方米", "㎡", "米")

_BEFORE = "|".join(map(re.escape, APPROX_BEFORE))
_AFTER = "|".join(map(re.escape, APPROX_AFTER))
_UNIT = "|".join(map(re.escape, sorted(UNITS, key=len, reverse=True)))


def _quantity_pattern(numeral: str) -> re.Pattern[str]:
    """Compile a qualifier, the numeral, ``余万`` (``100多万``), qualifier, unit, qualifier."""
    return re.compile(
        rf"(?P<before>{_BEFORE})?(?P<number>{numeral})"
        rf"(?:(?P<mid>[余多来])(?P<big>[万萬亿億]))?"
        rf"(?P<after1>{_AFTER})?(?P<unit>{_UNIT})?(?P<after2>{_AFTER})?")


_QUANTITY = _quantity_pattern(NUMERAL)
_IN_TEXT = _quantity_pattern(_TEXT_NUMERAL)
#: Between the two ends of a range: 3000-4000, 3～5, 三至五, 1到2.
_RANGE_SIGN = r"\s*(?:[-~～〜—–－至到]|——)\s*"
_RANGE_AFTER = re.compile(rf"{_RANGE_SIGN}(?:{_TEXT_NUMERAL})")
_RANGE_BEFORE = re.compile(rf"(?:[0-9{_EVERYDAY}]){_RANGE_SIGN}$")
#: Full-width digits, decimal point and percent sign, made half-width one for one, so
#: offsets in running text stay those of the text as written.
_FOLD = str.maketrans("０１２３４５６７８９．％", "0123456789.%")


@dataclass(frozen=True)
class Quantity:
    """A number read from text, with what the text says about it.

    Attributes
    ----------
    value : float
        The number, e.g. 12000.0 for ``1.2万``.
    approximate : bool
        The text qualifies it (``余``, ``多``, ``约``, ``近``, ``左右`` …).
    qualifier : str
        The qualifying words as written, e.g. ``"余"``; ``""`` when exact.
    unit : str
        The measure word (``户``, ``人`` …); ``""`` when there is none. ``人口``
        is read as ``人``.
    text : str
        The text the quantity was read from, verbatim.
    start : int
        Where :attr:`text` starts in the text searched (0 for a parsed cell).
    chinese : bool
        The number is written in Chinese numerals (``八十``, ``一九八四``), not in
        Arabic digits (``80``, ``1.2万``).
    """

    value: float
    approximate: bool = False
    qualifier: str = ""
    unit: str = ""
    text: str = ""
    start: int = 0
    chinese: bool = False

    @property
    def end(self) -> int:
        """Where :attr:`text` ends in the text searched."""
        return self.start + len(self.text)

    @property
    def whole(self) -> int | None:
        """The value as a whole number, or None when it has a fraction."""
        return int(self.value) if float(self.value).is_integer() else None

    def describe(self) -> str:
        """Say the number as a planner writes it: ``约80户`` or ``3146户``.

        Returns
        -------
        str
            The value with ``约`` in front when approximate, and the unit.
        """
        number = f"{self.whole}" if self.whole is not None else f"{self.value:g}"
        return f"{'约' if self.approximate else ''}{number}{self.unit}"


def normalise(text: str) -> str:
    """Return a cell's ``text`` with full-width digits and signs made half-width, trimmed.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        E.g. ``"１２，０００"`` → ``"12,000"``; Chinese characters (and ``㎡``) stay as
        they are, and every character stays one character.
    """
    return text.translate(_FOLD).replace("，", ",").replace("\u3000", " ").strip()


def parse_number(text: str) -> float | None:
    """Read a bare numeral in Arabic or Chinese digits, or a mix of both.

    Parameters
    ----------
    text : str
        E.g. ``"1.2万"``, ``"三千"``, ``"两百五"``, ``"一万零五百"``, ``"3,146"``,
        ``"１２００"``, ``"一九八四"``.

    Returns
    -------
    float or None
        The number (rounded to six decimals: ``1.1万`` is 11000, not 11000.000000000002);
        None for anything else, including a range such as ``三四百``.
    """
    text = normalise(str(text)).replace(" ", "")
    if not text or not re.fullmatch(NUMERAL, text):
        return None
    try:
        return round(_big(text), 6)
    except ValueError:
        return None


def _big(text: str) -> float:
    """Read a numeral that may hold 亿 and 万 sections."""
    for units in (("亿", "億"), ("万", "萬")):
        at = max(text.rfind(u) for u in units)
        if at < 0:
            continue
        scale = _BIG_UNITS[text[at]]
        head, rest = text[:at], text[at + 1:]
        if not head:
            raise ValueError("a 万 or 亿 with no number before it")
        value = _big(head) * scale
        if not rest:
            return value
        if len(rest) == 1 and rest in _DIGITS:  # 一万二 = 12000: the next unit down
            return value + _DIGITS[rest] * scale / 10
        if rest[0] in _ZEROS:
            rest = rest.lstrip("".join(_ZEROS))
        tail = _big(rest)
        if tail >= scale:
            raise ValueError("a lower section larger than its unit")
        return value + tail
    return _section(text)


_ARABIC = re.compile(_ARABIC_NUMBER)


def _section(text: str) -> float:
    """Read a numeral below 万: digits, 十 百 千 and 零."""
    if _ARABIC.fullmatch(text):
        return float(text.replace(",", ""))
    if len(text) > 1 and all(c in _DIGITS for c in text):
        if any(c in "两兩" for c in text):
            raise ValueError("两 is not a digit of a digit string")
        return float("".join(str(_DIGITS[c]) for c in text))  # 一九八四 = 1984
    total = 0.0
    current: float | None = None
    last_unit = 10 ** 9
    after_zero = False
    pos = 0
    while pos < len(text):
        match = _ARABIC.match(text, pos)
        if match:
            if current is not None:
                raise ValueError("two numbers in a row")
            current = float(match.group().replace(",", ""))
            pos = match.end()
            continue
        char = text[pos]
        pos += 1
        if char in _ZEROS:
            if current is not None:
                raise ValueError("a zero after a digit")
            after_zero = True
        elif char in _DIGITS:
            if current is not None:  # 三四百: a range, not a number
                raise ValueError("two digits in a row")
            current = float(_DIGITS[char])
        elif char in _SMALL_UNITS:
            unit = _SMALL_UNITS[char]
            if unit >= last_unit:
                raise ValueError("units out of order")
            total += (1.0 if current is None else current) * unit
            last_unit, current, after_zero = unit, None, False
        else:
            raise ValueError(f"not a numeral: {char}")
    if current is not None:
        abbreviated = (last_unit < 10 ** 9 and last_unit >= 100 and not after_zero
                       and current < 10 and current.is_integer())
        total += current * last_unit / 10 if abbreviated else current  # 三千五 = 3500
    return total


def _quantity(match: re.Match[str], text: str) -> Quantity | None:
    """Read the quantity of a match of :data:`_QUANTITY` or :data:`_IN_TEXT` in ``text``."""
    value = parse_number(match.group("number"))
    if value is None:
        return None
    if match.group("big"):  # 100多万: the 多 stands between the number and its 万
        value = round(value * _BIG_UNITS[match.group("big")], 6)
    words = [w for w in (match.group("before"), match.group("mid"), match.group("after1"),
                         match.group("after2")) if w]
    unit = match.group("unit") or ""
    return Quantity(value=value, approximate=bool(words), qualifier="".join(words),
                    unit="人" if unit == "人口" else unit, text=text[match.start():match.end()],
                    start=match.start(), chinese=not match.group("number")[0].isdigit())


def parse_quantity(text: str) -> Quantity | None:
    """Read a whole cell or phrase as one quantity, with its qualifier and unit.

    Parameters
    ----------
    text : str
        E.g. ``"八十余户"``, ``"1.2万人"``, ``"约3000"``, ``"近一万人口"``,
        ``"100多万人"``, ``"23.8%"``, ``" 3,146 "``, ``"一户"``.

    Returns
    -------
    Quantity or None
        None when the text is anything but one quantity in a unit of :data:`UNITS`
        (``"三四百"``, ``"n/a"``, ``"3000-4000"``, ``"1.2万人，3000户"``,
        ``"0.8平方公里"``).
    """
    text = normalise(str(text)).replace(" ", "")
    match = _QUANTITY.fullmatch(text)
    return _quantity(match, text) if match else None


def _in_text(text: str) -> list[tuple[re.Match[str], Quantity]]:
    """Find the numbers of running text with their matches; no range, no lone 一 or 二."""
    folded = text.translate(_FOLD)
    found = []
    for match in _IN_TEXT.finditer(folded):
        number = match.group("number")
        if number in ("一", "二") and not match.group("big"):
            continue  # 一处, 翠苑一区: "a", not a count; a count of two is 两 (不二人选)
        start = match.start("number")
        if _RANGE_AFTER.match(folded, match.end("number")) or _RANGE_BEFORE.search(
                folded, max(0, start - 8), start):
            continue  # 3000-4000人: one end of a range is not the number
        quantity = _quantity(match, text)
        if quantity is not None:
            found.append((match, quantity))
    return found


def find_quantities(text: str, units: tuple[str, ...] | None = None) -> list[Quantity]:
    """Find every quantity in running text, such as an article sentence.

    Parameters
    ----------
    text : str
        Text, e.g. ``"共有69幢房屋，3146户，近一万人口。"``.
    units : tuple of str, optional
        Keep only quantities with one of these units (``人口`` counts as ``人``).

    Returns
    -------
    list of Quantity
        In order of appearance; :attr:`Quantity.text` and :attr:`Quantity.start`
        are verbatim from ``text``. A range (``3000-4000人``) and a lone ``一`` or
        ``二`` (``一处``, ``翠苑一区``) are left out.
    """
    return [q for _, q in _in_text(text) if units is None or q.unit in units]


def find_numbers(text: str) -> list[Quantity]:
    """Find every number in running text, leaving its unit to the caller.

    For a reader with units of its own (``0.8平方公里``, ``35万元``, ``20栋``):
    :attr:`Quantity.text` is the number with the qualifiers before it and between it
    and a unit (``约三百``, ``八十余``, ``100多万``, ``300左右``), so the unit starts at
    :attr:`Quantity.end`. :attr:`Quantity.approximate` also counts a qualifier after
    a unit of :data:`UNITS` (``3000户左右``).

    Parameters
    ----------
    text : str
        Text, e.g. ``"东湖社区共有八十余户居民，新建300平方米的长者食堂。"``.

    Returns
    -------
    list of Quantity
        In order of appearance, :attr:`Quantity.unit` empty. A range and a lone
        ``一`` or ``二`` are left out, as in :func:`find_quantities`.
    """
    found = []
    for match, quantity in _in_text(text):
        end = max(match.end("number"), match.end("big"), match.end("after1"))
        found.append(Quantity(value=quantity.value, approximate=quantity.approximate,
                              qualifier=quantity.qualifier, text=text[match.start():end],
                              start=match.start(), chinese=quantity.chinese))
    return found
