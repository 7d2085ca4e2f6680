"""Facility names in a sentence: the category lexicon, noun phrases and quotations.

A facility is a word of the category lexicon (:mod:`layers.model.categories`): a full
synonym anywhere, or a short form (驿站, 食堂, 服务站) only as the head of a noun phrase
with something that names it (a quotation, a proper name, a community, a noun). Names
outside the lexicon are found by a generic head (…中心, …室, …屋) anchored by a
quotation, a list or a community (:func:`_generic_mentions`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from layers.articles.lexer import Token
from layers.articles.names import CJK, EPITHET, FUNCTION_CHARS, NOT_NAME_TAGS, tag_at
from layers.model.categories import CATEGORIES, recognise_category

#: Before a quotation: what people call a place, not its name (被街坊称为「邨民饭堂」)
_NICKNAME = re.compile(r"(?:称为|誉为|号称|被称作|称作|戏称|昵称)[^，。；“”「」]{0,4}$")
#: Before a quoted facility word: what a place became, a title (成为游客和居民共享的“城市书房”)
_BECAME_TITLE = re.compile(r"(?:誉为|号称|被称作|称作|(?<![改建造])(?:成为|成了))"
                           r"[^，。；“”]{0,14}$")
#: Before a facility word: the name it goes by, in quotes (名为“厝边·后城”的社区咖啡馆)
_CALLED = re.compile(r"(?:名为|叫做|叫|取名为?|命名为|名叫)"
                     r"([“「『‘\"][^“”「」『』‘’\"]{1,12}[”」』’\"])的?(?:社区|小区)?$")
#: A column title at the start of a line (【暖心食堂】…): the post's heading, not a place
_COLUMN = re.compile(r"(?:^|\n)\s*【[^】\n]{0,12}$")
#: A quoted award or campaign title, not a place's name (“最美红色驿站”拟推荐名单)
_TITLE_WORDS = re.compile(
    r"^[“\"《「『‘]?(?:最美|最佳|优秀|十佳|百佳|示范|星级|五星|四星|金牌|先进|年度)")

#: Full synonyms: specific enough to find in prose, longest first.
SYNONYMS: list[tuple[str, str]] = sorted(
    ((w, c.id) for c in CATEGORIES for w in c.synonyms), key=lambda p: -len(p[0]))
#: Short forms that name a place (end in a place word); activities (停车, 充电, 养老)
#: and organisations (物业) never make a facility in prose.
_PLACE_END = ("站", "中心", "体", "堂", "园", "地", "位", "室", "场", "所", "棚", "点", "屋",
              "廊", "墙", "馆", "亭", "角", "房", "处", "桩", "厅")
SHORT_FORMS: list[tuple[str, str]] = sorted(
    ((w, c.id) for c in CATEGORIES for w in c.short_forms if w.endswith(_PLACE_END)),
    key=lambda p: -len(p[0]))
#: How a place's name ends: a place word, or a place word of the lexicon (“鹭邻咖啡”),
#: not an activity (“飞线充电”, “停车难”)
_PLACE_WORD_ENDS = _PLACE_END + tuple({w for w, _c in SYNONYMS + SHORT_FORMS}) + ("咖啡",)
#: Words before a facility word that make it something else: a parcel locker (快递驿站),
#: a clinic (卫生服务站), a bus stop.
_NOT_OURS = ("快递", "菜鸟", "卫生", "医疗", "公交", "加油", "气象", "水文", "救助", "派出所",
             "警务", "衞生", "税务", "邮政", "志愿", "政务", "法律", "就业", "社保", "医保", "人才",
             "金融", "万达", "万象", "吾悦", "银泰", "宝龙", "万科", "商业", "购物",
             "旅游", "游客", "托育", "母婴", "消防", "人均")
#: Words after a facility word that make it a modifier: 游园管理员, 停车费, 食堂经理
#: (长 is a head, 站长, but not a length or a time: 长约1.2公里, 长期)
_AFTER_MODIFIER = re.compile(r"^(?:管理员|员|费|长(?![约度达为期\d一二三四五六七八九十])|证|"
                             r"卡|经理|师傅|阿姨|工作人员|负责人|收费)")
_QUOTED = re.compile(r"“[^“”]{1,16}”|\"[^\"]{1,16}\"|《[^《》]{1,16}》|「[^「」]{1,16}」"
                     r"|『[^『』]{1,16}』|‘[^‘’]{1,16}’")
_MODIFIER_TAGS = frozenset({"n", "nz", "nw", "LOC", "ORG", "PER", "vn", "an"})
#: Words that describe a facility in its name whatever LAC tags them (集中充电车棚,
#: 共享停车泊位, 嵌入式养老服务中心, 地下停车场)
_ATTRIBUTES = frozenset({"集中", "集中式", "地面", "共享", "智能", "智慧", "嵌入式", "综合", "便民",
                         "惠民", "全龄",
                         "适老", "适老化", "无障碍", "爱心", "暖心", "示范", "标准化", "一站式",
                         "多功能", "立体", "机械式", "地下", "露天", "临时", "公共", "小型",
                         "微型", "迷你", "室外", "户外", "室内", "新型", "封闭式", "开放式"})
#: After a facility word: a comparison of size, not a facility (两个篮球场那么大)
_COMPARED = re.compile(r"^(?:那么|这么|那样|这样|一样)(?:大|多|长|宽|高)")
#: Place words LAC tags as directions; any other two-character "direction" before a
#: facility word is a name LAC did not know (南孔书屋)
_NOT_MODIFIER_F = {"以上", "以下", "之间", "周边", "附近", "旁边", "内外", "前后", "左右", "之中",
                   "中间", "楼下", "门口", "身边", "家门口", "对面", "之外", "以内", "以外"}
#: Count words after a facility word (停车位215个) or before it (40个充电位)
#: Before a facility word: every facility of the kind, not one (各社区, 每个小区的, 全区所有)
_EVERY = re.compile(r"(?:各|每个|每一个|所有|全部|指定|本)(?:社区|小区|村|街道|镇|乡)?(?:的)?$")
#: After a facility word: a rule for each one of the kind (养老服务站，每处给予…)
_EACH_AFTER = re.compile(r"^[，,]?\s*每(?:处|个|家|座|间|所|一处|一个)")
#: Actions LAC may tag as nouns (vn) that never name a facility: 安装集中充电桩
_ACTION_WORDS = frozenset({"安装", "建设", "改造", "新建", "设置", "配备", "配置", "建成", "提升",
                           "打造", "规划", "改建", "扩建", "增设", "新增", "完善", "使用", "管理",
                           "运营", "投入", "开放", "升级", "整治", "修建", "加装", "落成"})
#: Between a quotation and a facility word: two things, not one name (“知青书房”和老年活动室)
_JOINERS = set("和与及跟同或、的在是有")
#: Function characters that end a facility's phrase (能 is not one: 智能充电桩, 多功能)
_PHRASE_STOP = FUNCTION_CHARS - {"能"}
#: (站点46个, 长者食堂（助餐点）156个, 助餐点）156个)
_COUNT_NEAR = re.compile(r"^[点）)]?\s*(?:[（(][^）)]{1,8}[）)])?\s*"
                         r"[\d一二两三四五六七八九十百千万.]+[余多]?[个处台间座辆张位家所块]")



#: Heads of facility names outside the lexicon (“老友记”活动室, “共享工具屋”, 桂花社区乐龄
#:中心): a name ending in one names a place when a quotation or a community names it.
GENERIC_HEADS = ("服务中心", "活动中心", "中心", "综合体", "驿站", "之家", "小屋", "小院", "家园",
                 "书房", "客厅", "客堂", "乐园", "据点", "空间", "小站", "菜园", "坊", "馆", "室",
                 "角", "屋", "站", "吧", "汇", "点")
#: Facility words that may follow a quoted name and belong to it (《邻里汇》服务站)
_TAIL_WORDS = tuple({w for w, _c in SYNONYMS + SHORT_FORMS} | set(GENERIC_HEADS))
#: Last characters of a place's name (翠乐园, 翠邻里, 银杏书屋)
_PLACE_CHARS = ("园", "里", "苑", "站", "屋", "馆", "室", "角", "坊", "院", "家", "汇", "吧", "堂",
                "廊", "亭", "”")
#: A list of names, then 等 (and a count), then the kind of place they are
_LISTED = re.compile(
    rf"(?<=[打造建成设立建起有和及、，：])(?P<items>[{CJK}“”]{{2,8}}(?:、[{CJK}“”]{{2,8}})+)等"
    rf"(?:[\d一二两三四五六七八九十]+[个处家座间所])?(?P<kind>[{CJK}]{{2,8}}?(?:"
    + "|".join(GENERIC_HEADS) + "))(?![\u4e00-\u9fff])")
#: Words before a generic head that make it an office, a company's room or a campaign, not a
#: community facility (工作室, 办公室, 指挥中心, 购物中心)
_NOT_GENERIC = re.compile(
    r"(?:工作|办公|会议|值班|档案|调解|监控|指挥|培训|购物|商业|政务|网格|治安|综治|警务|"
    r"医务|卫生|消防|检测|研究|设计|数据|孵化|创新|运营|调度|客服|营业|营销|销售|交易|示范|试点|"
    r"售楼|展示|体验|游客|旅游|物流|配送|快递|加油|公交|地铁|车|"
    r"饺子|面|饭|菜|酒|茶|火锅|烧烤|小吃|超市|便利|药|理发|美发|美容|洗衣|宾|旅|照相|网)$")
#: After a quoted name: a campaign, team, programme or title, not a place
_NOT_PLACE_AFTER = re.compile(
    r"^(?:建设|行动|活动|工程|项目|计划|品牌|模式|理念|机制|工作法|评选|称号|志愿|服务队|队|团|"
    r"节|赛|课|系列|主题|品牌|平台|小程序|公众号|APP|热线|专线|群|号|演出|表演|晚会|节目)")
#: After a quoted name: a show or a contest of that name (“乡村大舞台”演出)
_SHOW_AFTER = re.compile(r"^(?:演出|表演|晚会|节目|比赛|评选|模式|品牌|理念|工作法|行动|经验)")
#: Around a quoted name: it is a place (在“…”, 建成“…”, “…”里, “…”开业)
_PLACE_BEFORE = re.compile(
    r"(?:在|到|进|走进|来到|的|建成|建起了?|打造了?|改造成了?|改建为|改成了?|设立了?|新建了?|"
    r"开设了?|开办了?|成立了?|一处|一个|一间|一座|一家|[个处间座家])$")
_PLACE_AFTER = re.compile(
    r"^(?:里|内|中|开业|开放|揭牌|启用|建成|落成|位于|设有|面积|占地|每天|每周|是|成了|已|正式|"
    r"就在|里面|由|投入|开张|试运营|开在|设在|坐落)")
#: A room (…室) listed with the facility it is in (设有老年活动室) is part of it
_CONTAINERS = ("中心", "站", "驿站", "综合体", "馆", "之家", "礼堂")
#: Rooms a centre has, not named like rooms (儿童之家 in a 党群服务中心)
_ROOMS = ("儿童之家",)


@dataclass
class FacilityMention:
    """A facility word in a sentence with the phrase that names it."""

    start: int
    end: int
    word: str
    category: str
    phrase_start: int
    name: str
    confidence: float
    #: named by itself (a quotation or a proper name), not only by its community
    proper: bool = False
    counted: bool = False


def facility_mentions(sentence: str, tokens: list[Token], named_ends: frozenset[int] = frozenset()
                      ) -> list[FacilityMention]:
    """Find facility words and the phrase naming each one.

    Parameters
    ----------
    sentence : str
        One sentence.
    tokens : list of Token
        Its LAC analysis.
    named_ends : frozenset of int
        Where the communities the sentence names end: a short form right after one
        (成功社区活动中心, 文英里活动中心) is named by it.

    Returns
    -------
    list of FacilityMention
        In text order; names are the phrase as written (``“人人坞”党群服务站``,
        ``电动车集中充电处``, ``长者食堂``), without the community.
    """
    taken: list[tuple[int, int]] = []
    found: list[FacilityMention] = []
    quotes = [(q.start(), q.end()) for q in _QUOTED.finditer(sentence)]
    for words, is_short in ((SYNONYMS, False), (SHORT_FORMS, True)):
        for word, category in words:
            for m in re.finditer(re.escape(word), sentence):
                s, e = m.start(), m.end()
                kind = category
                if any(a < e and s < b for a, b in taken) or _in_title(sentence, s):
                    continue
                # a specific name stays one with a person after it (…文明实践所负责人)
                if _AFTER_MODIFIER.match(sentence[e:]) and not (
                        not is_short and re.match(r"负责人|工作人员", sentence[e:])) \
                        or _COMPARED.match(sentence[e:]):
                    continue
                before = sentence[max(0, s - 3):s]
                if any(before.endswith(w) for w in _NOT_OURS):
                    continue
                head = tag_at(tokens, e - 1)
                if is_short:
                    # the word must end a noun: 食堂 in 长者食堂, not 食堂面积 (that is fine
                    # too) but not 文化生活 or 广场舞
                    if head is None or head.end != e or head.tag not in _MODIFIER_TAGS:
                        continue
                    nxt = tag_at(tokens, e)
                    if nxt is not None and nxt.tag in ("n", "nz", "vn") and nxt.start == e \
                            and len(nxt.word) > 1 and not _AFTER_MODIFIER.match(nxt.word):
                        continue
                phrase_start, proper, evidence = _phrase(sentence, tokens, s, quotes,
                                                         named_ends)
                # a symbol LAC joined to the word (🍁驿站) is no part of a name
                while phrase_start < s and not re.match(rf"[{CJK}A-Za-z0-9“”\"《「『‘]",
                                                        sentence[phrase_start]):
                    phrase_start += 1
                    if phrase_start == s:
                        proper = False
                called = _CALLED.search(sentence[max(0, phrase_start - 20):phrase_start])
                if called:  # 名为“厝边·后城”的社区咖啡馆: the name in quotes
                    phrase_start = phrase_start - len(called.group()) + called.start(1)
                    proper, evidence = True, "strong"
                if _EVERY.search(sentence[max(0, phrase_start - 8):phrase_start]) or \
                        _EACH_AFTER.match(sentence[e:]):
                    continue  # 各社区新时代文明实践站, 养老服务站，每处…: a kind, not one
                if any(a < s and e < b for a, b in quotes):
                    evidence = "strong"  # “睦邻驿站”: a name in quotation marks
                if is_short and not evidence:
                    continue
                taken.append((s, e))
                if sentence[phrase_start] in "“\"《「『‘":
                    # “阳光家园”残疾人托养服务点: the quotation is part of this one
                    taken.append((phrase_start, s))
                name = sentence[phrase_start:e]
                in_quote = next(((a, b) for a, b in quotes if a <= s and e <= b), None)
                if in_quote and len(sentence[e:in_quote[1]]) > 2 and not _head_at(
                        sentence[in_quote[0]:in_quote[1] - 1]):
                    # “社区食堂招募加盟商”: a title about one, not its name
                    in_quote = None
                    proper = False
                if in_quote and re.search(r"增设|新建|建设|设立|增加|建个|建一",
                                          sentence[in_quote[0]:s]):
                    continue  # “在朝阳新村增设老年助餐点”建议: a proposal's title
                if in_quote and (_NICKNAME.search(sentence[:in_quote[0]]) or _BECAME_TITLE.search(
                        sentence[:in_quote[0]]) and phrase_start >= in_quote[0]):
                    continue  # 被街坊称为「邨民饭堂」, 成为…共享的“城市书房”: a title
                if in_quote:  # “邻里驿站” is named by the whole quotation
                    e = in_quote[1]
                    # and the facility word after it: 《邻里汇》服务站 is a 服务站
                    tail = max((w for w in _TAIL_WORDS if sentence.startswith(w, e)), key=len,
                               default="")
                    if tail and not _AFTER_MODIFIER.match(sentence[e + len(tail):]):
                        kind = recognise_category(tail) or kind
                        e += len(tail)
                    phrase_start, name, proper = in_quote[0], sentence[in_quote[0]:e], True
                    if _TITLE_WORDS.match(name) or _SHOW_AFTER.match(sentence[e:]):
                        continue  # “最美红色驿站”: an award; “乡村大舞台”演出: a show
                elif called:
                    name = called.group(1)
                else:
                    # the kind, then its name in quotes: 口袋公园“五里拾光”
                    after = next(((a, b) for a, b in quotes if a == e and b - a <= 12), None)
                    if after is not None and not _TITLE_WORDS.match(
                            sentence[after[0]:after[1]]):
                        e, proper = after[1], True
                        taken.append(after)
                        name = sentence[phrase_start:e]
                conf = 0.9 if proper else (0.75 if not is_short else
                                           0.75 if evidence == "strong" else 0.5)
                # a count of them (40个充电位, 口袋公园5个); "one" (一个健身广场) is no count
                counted = bool(_COUNT_NEAR.match(sentence[e:]) or re.search(
                    r"(?<![\d一二两三四五六七八九十百千万])(?![一1][个处座间家])"
                    r"[\d一二两三四五六七八九十百千万]+[余多]?[个处台间座辆张位家所块]"
                    r"(?:社区|小区)?$", sentence[max(0, phrase_start - 8):phrase_start]))
                found.append(FacilityMention(s, e, word, kind, phrase_start, name, conf,
                                             proper, counted))
    # a quotation that names a facility of the lexicon (“邻里汇”服务中心) is not another one
    taken += [(f.phrase_start, f.end) for f in found]
    found += _generic_mentions(sentence, tokens, quotes, taken)
    found.sort(key=lambda f: f.start)
    return _without_rooms(found)


def _in_title(sentence: str, pos: int) -> bool:
    """Tell whether ``pos`` is inside a 【column title】 that opens a line."""
    return bool(_COLUMN.search(sentence[:pos])) and "】" in sentence[pos:pos + 14]


def _without_rooms(found: list[FacilityMention]) -> list[FacilityMention]:
    """Drop rooms (老年活动室) said with the facility they are in (服务站…设有老年活动室).

    A room named by itself (“老友记”活动室) stays.
    """
    containers = [f for f in found if f.word.endswith(_CONTAINERS) and f.word not in _ROOMS]
    # a reading room (图书室, 阅览室) is a facility of its own kind wherever it is
    return [f for f in found if not ((f.word.endswith("室") or f.word in _ROOMS)
                                     and not f.proper and f.category != "culture"
                                     and any(c is not f for c in containers))]


def _head_at(text: str) -> str | None:
    """Return the generic head ``text`` ends in, or None."""
    return next((h for h in GENERIC_HEADS if text.endswith(h)), None)


def _generic_mentions(sentence: str, tokens: list[Token], quotes: list[tuple[int, int]],
                      taken: list[tuple[int, int]]) -> list[FacilityMention]:
    """Facility names outside the lexicon, by a generic head (…中心, …室, …屋, …点).

    Three shapes, each anchored by something that names the place:

    - a quotation ending in a head, said as a place (在“乐龄家园”, “共享工具屋”可以…);
    - a quotation followed by a head (“老友记”活动室);
    - a community or an organisation LAC reads, with a category word of the lexicon
      before the head (阳光社区乐龄中心, 夕阳红颐养中心).

    The category comes from the lexicon's words inside the name (乐龄 → elderly care);
    a name with none is ``other``. These are guesses: confidence 0.65 for a category word
    with a community or organisation, 0.55 for a quotation with a category word, 0.5
    without one, so the review leaves all but the first unticked.
    """
    out: list[FacilityMention] = []

    def free(a: int, b: int) -> bool:
        return not any(x < b and a < y for x, y in taken)

    def add(a: int, b: int, name_start: int, proper: bool, community: bool = False) -> None:
        name = sentence[name_start:b]
        inner = name.translate(str.maketrans("", "", "“”\"《》「」『』"))
        category = recognise_category(inner)
        if category is None and not proper:
            return
        head = _head_at(inner) or ""
        if _NOT_GENERIC.search(inner[:len(inner) - len(head)]) or any(
                w in inner for w in _NOT_OURS):
            return
        taken.append((name_start, b))
        # a category word with a community or organisation naming it: fairly sure; a
        # category word alone, or none (“老友记”活动室 is ``other``): for the reviewer
        conf = 0.65 if category and community else 0.55 if category else 0.5
        out.append(FacilityMention(a, b, head, category or "other", name_start, name, conf,
                                   proper, False))

    for qa, qb in quotes:
        inner = sentence[qa + 1:qb - 1]
        # “老友记”活动室, “锡邻汇”社区客厅: the head after the quotation, ending a word
        # (not “红管家”服务队员, nor the particle of 点个“在看”吧)
        tail = re.match(rf"[{CJK}]{{1,8}}", sentence[qb:])
        head_end = 0
        if tail and not re.match(r"吧(?![\u4e00-\u9fff])", sentence[qb:]):
            head_end = next((qb + n for n in range(tail.end(), 0, -1)
                             if (_head_at(sentence[qb:qb + n]) or sentence[qb:qb + n]
                                 in _TAIL_WORDS) and any(t.end == qb + n for t in tokens)
                             and not any(t.tag in NOT_NAME_TAGS and t.tag != "m"
                                         for t in tokens if qb <= t.start < qb + n)), 0)
        if head_end and free(qa, head_end) and not _NOT_PLACE_AFTER.match(sentence[head_end:]) \
                and not (EPITHET.search(sentence[:qa]) or _BECAME_TITLE.search(sentence[:qa])):
            # (迭代成为“康养”智慧空间, 成了…的“第二客厅”: a title)
            add(qa, head_end, qa, True)
            continue
        # a quoted name that is a place by its head (“乐龄家园”) or by a category word
        # (“鹭邻咖啡”开在…) when said as a place
        if not (2 <= len(inner) <= 8 and (_head_at(inner) or recognise_category(inner)
                                          and inner.endswith(_PLACE_WORD_ENDS + _PLACE_CHARS))) \
                or not free(qa, qb):  # (“飞线充电”, “停车难”: a problem, not a place)
            continue
        if _NOT_PLACE_AFTER.match(sentence[qb:]) or not (
                _PLACE_BEFORE.search(sentence[max(0, qa - 4):qa])
                or _PLACE_AFTER.match(sentence[qb:])):
            continue
        if any(t.tag == "PER" and t.start <= qa + 1 and t.end >= qb - 1 for t in tokens) \
                or (EPITHET.search(sentence[:qa]) or _BECAME_TITLE.search(sentence[:qa])):
            continue  # 成为远近闻名的“网红打卡点”: a title
        add(qa, qb, qa, True)
    # names listed before the kind they are: 打造翠乐园、翠邻里等7处民生综合体
    for m in _LISTED.finditer(sentence):
        kind = m.group("kind")
        head = _head_at(kind)
        if head is None or head == "室" or _NOT_GENERIC.search(kind[:len(kind) - len(head)]):
            continue  # 老年活动室等功能室: rooms of a facility
        if any(t.tag not in _MODIFIER_TAGS and t.tag not in ("a", "b")
               for t in tokens if m.start("kind") <= t.start < m.end("kind")):
            continue  # 等一起来到活动室: not a kind of place
        category = recognise_category(kind)
        pos = m.start("items")
        for item in re.finditer(rf"[{CJK}“”]{{2,8}}", m.group("items")):
            a, b = pos + item.start(), pos + item.end()
            # a verb before the first name is not part of it (打造翠乐园)
            a = max([a] + [t.end for t in tokens if a <= t.start and t.end < b
                           and t.tag in NOT_NAME_TAGS and t.start == a])
            if sentence[a] != "“":
                a = next((t.start for t in tokens if a <= t.start < b), b)  # at a word
            text = sentence[a:b]
            inside = [t for t in tokens if a <= t.start and t.end <= b]
            named = (text.startswith("“") or text.endswith(_PLACE_CHARS) or any(
                t.proper for t in inside)) and not any(t.tag == "PER" for t in inside)
            if b - a < 2 or not named or set(text) & FUNCTION_CHARS or not free(a, b) \
                    or _EVERY.search(text):
                continue
            taken.append((a, b))
            out.append(FacilityMention(a, b, head, category or "other", a, sentence[a:b], 0.5,
                                       True, False))
    # a community or organisation, then words of a category, then a head: 桂花社区颐养中心
    for i, t in enumerate(tokens):
        head = _head_at(t.word)
        if head is None or not free(t.start, t.end):
            continue
        if t.tag == "ORG" and len(t.word) > len(head) + 1:
            start = t.start
        elif t.tag in _MODIFIER_TAGS:
            k = i
            while k > 0 and tokens[k - 1].tag in ("n", "vn", "nz", "an") and tokens[
                    k - 1].word not in ("社区", "小区") and t.end - tokens[k - 1].start <= 10:
                k -= 1
            # a place LAC names just before: 桂花社区 (桂花/LOC 社区/n or 桂花社区/LOC),
            # 东湖街道, 天河区
            named = k > 0 and (tokens[k - 1].tag in ("LOC", "ORG") or (
                    tokens[k - 1].word in ("社区", "小区") and k > 1 and tokens[k - 2].proper))
            if k == i and len(t.word) <= len(head) or not named:
                continue
            start = tokens[k].start
        else:
            continue
        if recognise_category(sentence[start:t.end]) is None or not free(start, t.end):
            continue
        add(start, t.end, start, t.tag == "ORG", community=True)
    return out


#: After a short form said with 在/到: a place (在活动中心旁, 在活动中心开办)
_WHERE_AFTER = re.compile(rf"[{CJK}]{{2,6}}?(?:旁|里|内|门口|前|后|[一二三四]楼|开办|开设|设置|"
                          r"举办|设有|设立|成立)")


def _phrase(sentence: str, tokens: list[Token], start: int, quotes: list[tuple[int, int]],
            named_ends: frozenset[int] = frozenset()) -> tuple[int, bool, str]:
    """Where the noun phrase ending in a facility word starts, and what names it.

    Returns the phrase start, whether a proper name or quotation names it, and the
    evidence: ``"strong"`` (quotation, proper name), ``"noun"`` (a noun before it),
    or ``""``.
    """
    quoted = next(((a, b) for a, b in quotes if b == start or (b < start and re.fullmatch(
        rf"[{CJK}]{{0,4}}", sentence[b:start]) and not set(sentence[b:start]) & _JOINERS
        and not any(t.tag == "v" and t.word not in _ATTRIBUTES and b <= t.start < start
                    for t in tokens) and not any(w in sentence[b:start] for w in _ACTION_WORDS))),
        None)
    # (“骑士小站”新增|换电柜: a verb between, two things)
    if quoted:  # “人人坞”党群服务站, 《邻里汇》服务站, “一站式”社区服务站
        return quoted[0], True, "strong"
    i = next((k for k, t in enumerate(tokens) if t.start <= start < t.end), None)
    if i is None:
        return start, False, ""
    phrase_start = start
    proper = False
    evidence = ""
    # the facility word may begin inside a word LAC joined with its modifier (邻里驿站)
    if tokens[i].start < start:
        phrase_start = tokens[i].start
        proper = tokens[i].proper
        evidence = "strong" if proper else "noun"
    k = i - 1
    while k >= 0 and start - tokens[k].start <= 8:
        t = tokens[k]
        usable = t.tag in _MODIFIER_TAGS and t.word not in _ACTION_WORDS \
            or t.word in _ATTRIBUTES \
            or (t.tag in ("f", "s") and len(t.word) > 1 and t.word not in _NOT_MODIFIER_F) \
            or t.word in ("小", "微", "大", "无") \
            or (t.tag in ("a", "b") and len(t.word) == 2)  # 小书屋, 微公园, 立体停车库
        if not usable or set(t.word) & _PHRASE_STOP or not re.search(
                rf"[{CJK}A-Za-z0-9]", t.word) or t.word in (
                "社区", "小区") or t.end != phrase_start:
            break
        phrase_start = t.start
        proper = proper or t.proper
        evidence = "strong" if proper else "noun"
        k -= 1
    if phrase_start == start and evidence == "" and i > 0:
        # a community name just before: 石榴园社区服务站, 翠苑一区社区服务站
        prev = tokens[i - 1]
        named = prev.proper or (prev.word in ("社区", "小区") and i > 1 and tokens[i - 2].proper)
        if named and re.search(r"(?:社区|小区|[一二三四五六七八九十]区|村)$", sentence[:start]) \
                or start in named_ends:
            evidence = "strong"
    if phrase_start == start and evidence == "" and (
            re.search(r"(?:一处|一座|一间|一个|设有|内设|建有|配有)$", sentence[:start])
            or re.search(r"(?:在|到|进|利用)(?:社区|小区)?$", sentence[:start])
            and _WHERE_AFTER.match(
                sentence[start:])):
        # 建成…和一处活动中心, 设有饭堂、阅览室, 在活动中心开办「不老食堂」: a place
        evidence = "noun"
    return phrase_start, proper, evidence
