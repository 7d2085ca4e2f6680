"""The facility category registry: stable ids, labels, colours and symbols.

Ids are stable: they are what project files store. Labels and colours are for
display and may change without breaking saved projects.
"""

from __future__ import annotations

import re
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
    keywords : tuple of str
        Chinese words that identify the category in names and article text,
        most specific first.
    """

    id: str
    label_zh: str
    label_en: str
    color: str
    icon: str
    keywords: tuple[str, ...] = ()

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
             ("党群服务中心", "党群服务站", "红色驿站", "党群服务", "社区服务站", "服务中心",
              "服务站", "服务综合体")),
    Category("charging_shed", "电动车充电棚", "E-bike charging shed", "#ff7f0e", "bolt",
             ("集中充电棚", "集中充电点", "集中充电处", "充电棚", "充电点", "充电桩", "充电端口",
              "充电")),
    Category("pocket_park", "口袋公园/小公园", "Pocket park", "#2ca02c", "triangle",
             ("口袋公园", "小公园", "主题公园", "街心公园", "游园", "公园", "绿地")),
    Category("canteen", "社区/老年食堂", "Community canteen", "#8c564b", "square",
             ("老年食堂", "社区食堂", "大食堂", "助餐点", "食堂")),
    Category("elderly_care", "居家养老服务站", "Elderly care station", "#9467bd", "hexagon",
             ("居家养老服务站", "养老服务站", "日间照料", "养老服务中心", "养老")),
    Category("disability_home", "残疾人之家", "Home for the disabled", "#17becf", "cross",
             ("残疾人之家", "残疾人")),
    Category("parking", "停车场", "Parking", "#1f77b4", "square",
             ("停车场", "停车位", "车位", "停车")),
    Category("culture", "书屋/文化长廊", "Library and culture", "#e377c2", "pentagon",
             ("文化长廊", "书屋", "图书角", "图书室", "文化墙", "文化")),
    Category("activity_space", "公共活动场地", "Public activity space", "#bcbd22", "diamond",
             ("活动广场", "运动场", "健身", "广场", "活动场所", "休闲运动")),
    Category("property_office", "物业用房", "Property management office", "#7f7f7f",
             "triangle_down", ("物业办公", "物业用房", "物业服务中心", "物业")),
    Category("cafe", "咖啡馆", "Café", "#a0522d", "circle", ("咖啡馆", "咖啡")),
    Category("other", "其他", "Other", "#555555", "circle", ()),
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


def recognise_category(text: str) -> str | None:
    """Guess a category id from a Chinese or English value.

    Accepts an id (``"canteen"``), a label (``"社区/老年食堂"``) or any text
    containing a keyword (``"老年食堂"``, ``"食堂"``, ``"充电"``). The longest
    keyword found wins, so ``"党群服务站"`` beats ``"服务站"``.

    Parameters
    ----------
    text : str
        The value to recognise.

    Returns
    -------
    str or None
        The category id, or None when nothing matches.
    """
    value = re.sub(r"\s+", "", str(text or "")).lower()
    if not value:
        return None
    for c in CATEGORIES:
        if value in (c.id, c.label_zh.lower(), c.label_en.lower()):
            return c.id
    best: tuple[int, str] | None = None
    for c in CATEGORIES:
        for kw in c.keywords:
            if kw in value and (best is None or len(kw) > best[0]):
                best = (len(kw), c.id)
    return best[1] if best else None
