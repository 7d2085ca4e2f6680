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
             ("党群服务中心", "党群服务站", "党群服务驿站", "党群服务点", "党群活动中心",
              "红色驿站", "社区服务站", "社区服务中心", "便民服务中心", "便民服务站",
              "新时代文明实践站", "新时代文明实践所", "邻里中心", "睦邻中心", "睦邻点",
              "睦邻驿站", "邻里驿站", "邻里之家", "邻里汇", "社区服务用房", "社区用房",
              "党员之家", "党群驿站", "骑手之家", "骑手驿站", "户外劳动者服务站",
              "户外劳动者驿站", "职工驿站", "爱心驿站", "暖心驿站", "议事厅", "邻里小站",
              "邻里站", "共享客厅", "邻里客厅", "党建阵地", "红色小屋", "红色家园", "社区中心",
              "邻里互助站", "互助站", "社区会客厅", "议事亭", "议事坪", "共融中心",
              "便民服务点"),
             ("党群服务", "服务中心", "服务站", "服务综合体", "驿站", "睦邻", "社区客厅",
              "会客厅", "客堂", "客厅", "小站")),
    Category("charging_shed", "电动车充电棚", "E-bike charging shed", "#ff7f0e", "bolt",
             ("集中充电棚", "集中充电点", "集中充电处", "充电车棚", "充电棚", "充电点", "充电桩",
              "充电驿站", "充换电点", "充换电站", "换电站", "换电点", "充电区",
              "充电位", "充电站", "充电柜", "换电柜", "非机动车棚", "电动车棚",
              "电瓶车棚", "自行车棚", "停车棚"),
             ("充电", "车棚")),
    Category("pocket_park", "口袋公园/小公园", "Pocket park", "#2ca02c", "triangle",
             ("口袋公园", "休闲小公园", "小公园", "微公园", "街角公园", "主题公园", "街心公园",
              "社区公园", "袖珍公园", "口袋绿地", "街头绿地", "微绿地", "口袋花园", "游园",
              "小微公园", "街心花园", "街角花园", "休憩花园", "共享花园", "社区花园",
              "小花园", "休憩区",
              "口袋游园", "休憩处", "休憩公园", "宠物公园"),
             ("公园", "绿地")),
    Category("canteen", "社区/老年食堂", "Community canteen", "#8c564b", "square",
             ("社区老年食堂", "老年食堂", "长者食堂", "社区食堂", "百姓大食堂", "大食堂",
              "老年助餐点", "助餐服务点", "助餐点", "长者饭堂", "社区饭堂", "邻里食堂",
              "幸福食堂", "爱心食堂", "老年饭桌", "老年餐桌", "长者餐厅", "助老餐厅", "老年餐厅",
              "社区餐厅", "助餐服务中心", "助餐中心", "助餐服务站", "爱心餐厅", "助老食堂",
              "便民食堂", "暖心食堂", "长者助餐点", "养老助餐点", "共餐据点", "共餐点",
              "惠民食堂", "老饭桌", "老年灶"),
             ("食堂", "饭堂", "助餐", "共餐")),
    Category("elderly_care", "居家养老服务站", "Elderly care station", "#9467bd", "hexagon",
             ("居家养老服务站", "养老服务站", "养老服务驿站", "养老驿站", "日间照料中心",
              "日间照料站", "日间照料室", "养老服务中心", "养老服务综合体", "托老所",
              "长者服务站", "长者服务中心", "为老服务中心", "为老服务站", "颐养之家",
              "养老院", "敬老院",
              "照护中心", "长者照护之家", "康养中心", "农村幸福院", "互助幸福院", "颐养中心",
              "颐康中心", "颐康服务站", "长者之家", "老年之家", "银龄之家", "养老机构",
              "长者邻舍中心", "关怀据点", "乐龄据点", "乐龄中心", "日照中心",
              "日间护理中心", "长者日间护理中心", "长者日间中心", "长者地区中心",
              "长者中心", "乐龄空间", "长者客厅", "银发驿站", "银龄驿站", "敬老驿站",
              "幸福院", "长照站", "长照据点", "幸福小院", "互助院", "长照巷弄站", "巷弄长照站",
              "乐龄驿站"),
             ("日间照料", "日间照顾", "养老", "为老服务", "颐养", "颐康", "乐龄")),
    Category("disability_home", "残疾人之家", "Home for the disabled", "#17becf", "cross",
             ("残疾人之家", "残疾人康复站", "残疾人服务站", "残疾人托养中心", "助残服务站",
              "康复驿站", "残疾人康复中心", "温馨家园", "阳光家园", "残疾人托养服务点",
              "工疗站", "康园工疗站"),
             ("残疾人", "助残")),
    Category("parking", "停车场", "Parking", "#1f77b4", "square",
             ("智慧型停车场", "停车场", "停车位", "停车库", "停车楼", "停车泊位", "共享车位",
              "地下车库", "立体车库", "停车格"),
             ("车位", "停车", "泊位")),
    Category("culture", "书屋/文化长廊", "Library and culture", "#e377c2", "pentagon",
             ("文化长廊", "文化礼堂", "书屋", "图书角", "文化墙", "城市书房", "共享书房",
              "社区书房", "社区书院", "阅读角", "读书角", "阅览室", "文化驿站", "文化活动中心",
              "综合文化站", "文化活动室", "社区图书馆", "图书分馆", "农家书屋", "阅读空间",
              "阅读区", "阅读室", "社区图书室", "戏曲角", "文化站", "书场", "戏台",
              "阅享空间", "大舞台", "书香空间", "村史馆", "书香驿站", "图书漂流角", "非遗工坊",
              "陈列室", "文化室", "自修室", "书苑", "展示墙"),
             ("图书室", "图书馆", "书房", "书院", "书吧", "书苑", "书香", "文化", "阅读")),
    Category("activity_space", "公共活动场地", "Public activity space", "#bcbd22", "diamond",
             ("活动广场", "休闲运动场所", "运动场", "健身广场", "健身角", "健身点", "健身场地",
              "健身路径", "健身苑点", "运动场地", "多功能运动场", "百姓健身房", "门球场",
              "全民健身中心", "笼式足球场", "足球场", "篮球场", "羽毛球场", "网球场", "排球场",
              "乒乓球室", "健身步道", "儿童游乐场", "儿童乐园",
              "健身公园", "体育公园", "运动公园", "社区会堂", "里民活动中心", "健身长廊",
              "健体角", "健体园地", "健身区", "康乐中心", "健身活动室", "活动用房",
              "老年活动中心", "老年人活动中心", "老年活动室", "老年人活动室", "长者活动中心",
              "健身驿站", "儿童友好角", "儿童友好空间", "全龄友好空间", "康乐站"),
             ("健身", "健体", "广场", "活动场所", "活动场地", "休闲运动", "球场", "活动中心")),
    Category("property_office", "物业用房", "Property management office", "#7f7f7f",
             "triangle_down", ("物业办公用房", "物业管理用房", "物业服务用房", "物业用房",
                               "物业服务中心"),
             ("物业办公", "物业管理处", "物业")),
    Category("cafe", "咖啡馆", "Café", "#a0522d", "circle",
             ("咖啡馆", "咖啡屋"), ("咖啡", "咖啡店", "咖啡厅", "咖啡吧")),
    Category("other", "其他", "Other", "#555555", "circle",
             ("共享菜园", "微菜园", "空中菜园", "工具屋", "共享工具屋", "儿童之家", "微型消防站")),
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
