"""The facility category registry: stable ids, names, synonyms, colours and symbols.

Ids are stable: they are what project files store. Labels and colours are for
display and may change without breaking saved projects. This is the one lexicon of
category words: importing a category column, reading checklist files, extracting
facilities from articles and the UI's category lists all read it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    """One kind of community facility.

    Attributes
    ----------
    id : str
        Stable identifier stored in project files, e.g. ``"canteen"``.
    label_zh, label_en : str
        Display labels.
    color : str
        Fill colour as ``#rrggbb``.
    icon : str
        Marker shape name from :mod:`layers.model.symbols`.
    synonyms : tuple of str
        Chinese names of such a facility, most specific first, specific enough to
        pick facilities out of running text (article extraction reads these).
    short_forms : tuple of str
        Shorter or broader words that identify the category in a facility's name
        or a category column (``"食堂"``, ``"停车"``), but would match unrelated
        phrases in prose (停车费, a clinic's 服务中心).
    """

    id: str
    label_zh: str
    label_en: str
    color: str
    icon: str
    synonyms: tuple[str, ...] = ()
    short_forms: tuple[str, ...] = ()

    def label(self, language: str = "zh") -> str:
        """Return the label in ``language`` (``"zh"`` or ``"en"``).

        Parameters
        ----------
        language : str
            ``"zh"`` for Chinese, anything else for English.

        Returns
        -------
        str
            The display label.
        """
        return self.label_zh if language.startswith("zh") else self.label_en


CATEGORIES: tuple[Category, ...] = (
    Category("service_station", "党群服务站/红色驿站", "Party-community service station",
             "#d62728", "star",
             ("党群服务中心", "党群服务站", "红色驿站", "社区服务站", "新时代文明实践站"),
             ("党群服务", "服务中心", "服务站", "服务综合体", "驿站")),
    Category("charging_shed", "电动车充电棚", "E-bike charging shed", "#ff7f0e", "bolt",
             ("集中充电棚", "集中充电点", "集中充电处", "充电车棚", "充电棚", "充电点", "充电桩",
              "充电端口", "充电位"),
             ("充电",)),
    Category("pocket_park", "口袋公园/小公园", "Pocket park", "#2ca02c", "triangle",
             ("口袋公园", "休闲小公园", "小公园", "微公园", "街角公园", "主题公园", "街心公园",
              "游园"),
             ("公园", "绿地")),
    Category("canteen", "社区/老年食堂", "Community canteen", "#8c564b", "square",
             ("社区老年食堂", "老年食堂", "长者食堂", "社区食堂", "百姓大食堂", "大食堂",
              "老年助餐点", "助餐服务点", "助餐点"),
             ("食堂", "饭堂")),
    Category("elderly_care", "居家养老服务站", "Elderly care station", "#9467bd", "hexagon",
             ("居家养老服务站", "养老服务站", "养老驿站", "日间照料中心", "日间照料站",
              "养老服务中心", "托老所"),
             ("日间照料", "养老")),
    Category("disability_home", "残疾人之家", "Home for the disabled", "#17becf", "cross",
             ("残疾人之家",), ("残疾人",)),
    Category("parking", "停车场", "Parking", "#1f77b4", "square",
             ("智慧型停车场", "停车场", "停车位"), ("车位", "停车")),
    Category("culture", "书屋/文化长廊", "Library and culture", "#e377c2", "pentagon",
             ("文化长廊", "文化礼堂", "书屋", "图书角", "文化墙"), ("图书室", "文化")),
    Category("activity_space", "公共活动场地", "Public activity space", "#bcbd22", "diamond",
             ("活动广场", "休闲运动场所", "运动场", "健身广场"),
             ("健身", "广场", "活动场所", "休闲运动")),
    Category("property_office", "物业用房", "Property management office", "#7f7f7f",
             "triangle_down", ("物业办公用房", "物业用房"), ("物业办公", "物业服务中心", "物业")),
    Category("cafe", "咖啡馆", "Café", "#a0522d", "circle", ("咖啡馆",), ("咖啡",)),
    Category("other", "其他", "Other", "#555555", "circle"),
)

_BY_ID: dict[str, Category] = {c.id: c for c in CATEGORIES}


def category_ids() -> list[str]:
    """Return every category id in display order.

    Returns
    -------
    list of str
        Ids such as ``"service_station"``.
    """
    return [c.id for c in CATEGORIES]


def get_category(category_id: str) -> Category:
    """Return the category for ``category_id``, or ``other`` when unknown.

    Parameters
    ----------
    category_id : str
        A stable category id.

    Returns
    -------
    Category
        The matching category.
    """
    return _BY_ID.get(category_id, _BY_ID["other"])


def is_category(category_id: str) -> bool:
    """Tell whether ``category_id`` is a registered id.

    Parameters
    ----------
    category_id : str
        Candidate id.

    Returns
    -------
    bool
        True for a registered id.
    """
    return category_id in _BY_ID


def category_counts(values: Iterable[str | None] | Mapping[str | None, int]
                    ) -> list[tuple[str, str, int]]:
    """Count features per category so that the counts add up to the number of values.

    Registered categories come first, in display order; then values that are not a
    registered id (a file edited in another tool), labelled ``未登记类别``; then empty
    and missing values as ``(empty)``.

    Parameters
    ----------
    values : iterable of str or None, or mapping of value to count
        The ``category`` of every feature, or counts already made (``GROUP BY``).

    Returns
    -------
    list of (str, str, int)
        Category id or stored value, Chinese label, count; only non-zero counts.
    """
    pairs = values.items() if isinstance(values, Mapping) else ((v, 1) for v in values)
    counts: Counter = Counter()
    for value, n in pairs:
        counts["" if value is None or value != value else str(value).strip()] += int(n)
    rows = [(c.id, c.label_zh, counts.pop(c.id)) for c in CATEGORIES if counts.get(c.id)]
    empty = counts.pop("", 0)
    rows += [(value, "未登记类别", n) for value, n in sorted(counts.items())]
    if empty:
        rows.append(("(empty)", "无类别", empty))
    return rows


def recognise_category(text: str) -> str | None:
    """Guess a category id from a Chinese or English value.

    Accepts an id (``"canteen"``), a label (``"社区/老年食堂"``) or any text
    containing a synonym or short form (``"老年食堂"``, ``"食堂"``, ``"充电"``). The
    longest word found wins, so ``"党群服务站"`` beats ``"服务站"``.

    Parameters
    ----------
    text : str
        The value to recognise.

    Returns
    -------
    str or None
        The category id, or None when nothing matches.
    """
    value = _folded(text)
    if not value:
        return None
    for c in CATEGORIES:
        if value in (c.id, _folded(c.label_zh), _folded(c.label_en)):
            return c.id
    best: tuple[int, str] | None = None
    for c in CATEGORIES:
        for kw in c.synonyms + c.short_forms:
            if kw in value and (best is None or len(kw) > best[0]):
                best = (len(kw), c.id)
    return best[1] if best else None


def category_for_label(text: str) -> str | None:
    """Return the category a category column's value names, or None for an unknown one.

    Stricter than :func:`recognise_category`, which reads facility names: a
    category value is someone's classification, so a short form counts only as the
    whole value (``"食堂"``), never as a fragment (``"健身房"``, a gym, holds
    ``"健身"`` but is not a public activity space). A value that contains a full
    synonym (``"社区老年食堂"``) is recognised.

    Parameters
    ----------
    text : str
        The category value, e.g. ``"社区/老年食堂"``, ``"canteen"`` or ``"食堂"``.

    Returns
    -------
    str or None
        The category id, or None when the value names no category of ours.
    """
    value = _folded(text)
    if not value:
        return None
    best: tuple[int, str] | None = None
    for c in CATEGORIES:
        if value in (c.id, _folded(c.label_zh), _folded(c.label_en), *c.short_forms):
            return c.id
        for kw in c.synonyms:
            if kw in value and (best is None or len(kw) > best[0]):
                best = (len(kw), c.id)
    return best[1] if best else None


def _folded(text: str | None) -> str:
    """Lower case without white space: "Pocket park" and "pocketpark" compare equal."""
    return re.sub(r"\s+", "", str(text or "")).lower()
