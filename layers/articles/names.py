"""Community and facility names in a sentence: LAC's words and tags, name shapes, the lexicon.

A community name is a span ending in a community word (社区, 小区, a numbered estate
一区/三村, a village 村, an estate ending 苑/里/园/家园...). Each cue that it is a
proper name adds to a score: LAC reads its stem as a place or organisation, an
administrative unit stands before it (岳塘区金耐社区), a phrase that introduces a place
stands before it (走进, 位于, 家住) or one that follows a place comes after it (党委,
居民, 始建于, 新建). The score is the proposal's confidence; below
:data:`COMMUNITY_THRESHOLD` the span is not proposed.

A facility is a word of the category lexicon (:mod:`layers.model.categories`): a full
synonym anywhere, or a short form (驿站, 食堂, 服务站) only as the head of a noun phrase
with something that names it (a quotation, a proper name, a community, a noun).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from layers.articles.gazetteer import admin_name, district_stem
from layers.articles.lexer import Token
from layers.model.categories import CATEGORIES, recognise_category

CJK = "\u4e00-\u9fff"
#: Below this a community candidate is not proposed.
COMMUNITY_THRESHOLD = 0.6

_STRONG = ("社区", "小区")
#: 南苑街道, 幸福里站, 桃园路: an estate word inside a street, road or stop name
_NOT_AFTER_ESTATE = (r"(?!街道|路|街|大道|大街|镇|乡|站|小学|中学|幼儿园|医院|公园|广场"
                     r"|[\u4e00-\u9fff]{1,3}街道)")
_SUFFIX = re.compile(
    r"社区|小区"
    rf"|(?<=[一二三四五六七八九十\d])(?:区|村)(?![委民里级庄]){_NOT_AFTER_ESTATE}"  # 翠苑一区
    rf"|(?:新村|村(?![委民里级庄干部集组头口])|邨){_NOT_AFTER_ESTATE}"
    r"|(?:花园|家园|公寓|山庄|宿舍|家属院|苑|园|里)(?![\u4e00-\u7683\u7685-\u9fff]?(?:小区|社区))"
    r"(?![一二三四五六七八九十\d]+[区村期])"  # 翠苑 of 翠苑一区
    + _NOT_AFTER_ESTATE
)
_ESTATE = ("花园", "家园", "公寓", "山庄", "新村", "苑", "园", "里", "城", "府", "庭", "湾",
           "居", "阁", "邸", "院", "坊")
#: A name never runs back over these.
_LEFT_STOP = set("，。、；：！？“”‘’（）()《》「」 \n—…·,.;:!?\"'")
#: Nor over these when LAC reads them as a word of their own (居民和社区), but it does
#: when they are part of a word (和平社区, 新和社区, 为民社区)
_LEFT_STOP_WORDS = set("的了和与及在是到为把对将从于被让等个该本其这那每")
_ADMIN = re.compile(rf"[{CJK}]{{1,8}}?(?:省|自治区|市|自治州|县|区|街道|镇|乡)")
_GENERIC = ("示范", "美好", "幸福", "完整", "未来", "现代", "和谐", "老旧", "管理", "职工", "住宅",
            "改居", "物业", "友好型", "星级", "城市", "基层", "强基", "无障碍", "标杆", "全国",
            "省级", "首批", "建设", "治理", "党建", "居民", "新开发", "老", "新", "大型", "各",
            "全", "整个", "辖区", "周边", "所在", "所有", "更多", "当地", "居住", "最美",
            "型", "试点", "新建", "首家", "本", "该", "农", "乡", "城乡", "村改居", "还建房",
            "商品房", "安置", "回迁", "高档", "普通", "封闭式", "开放式", "智慧", "平安",
            "文明", "绿色", "红色", "老年", "儿童", "全龄", "友好", "学习型", "园林式", "附近",
            "周围", "邻近", "相邻", "其他", "其它", "多个", "部分", "个别", "沿线", "兄弟",
            "结对", "共建", "城中村")
#: Generic words that are also common names of communities (幸福社区, 建设社区)
_NAME_LIKE = frozenset({"幸福", "建设", "和谐", "文明", "平安", "友好", "未来", "美好", "绿色",
                        "红色", "智慧", "现代", "示范", "完整"})
#: Pronouns, particles and function words: a proper name holds none of them.
_FUNCTION_CHARS = set("我你他她们贵该这那也都就还又很不没着过了请让把被给对向跟同"
                      "进出去到每各整全部些本其此某由以及而且但却所可能要会在有是为将从于帮问查看")
#: Tags of words that can be part of a name's stem.
_NAME_TAGS = frozenset({"LOC", "ORG", "nz", "nw", "PER", "n", "s", "m", "an"})
#: Tags of words that are never the start of a name
_NOT_NAME_TAGS = frozenset({"v", "vd", "d", "p", "c", "u", "r", "f", "xc", "m", "q", "TIME", "w",
                            "ad", "t"})
#: Before a quoted name: it is a title given to a place (是远近闻名的“长寿村”)
_EPITHET = re.compile(
    r"(?:是|称为|誉为|号称|被称作|称作|成为|成了|变成|当成|荣获|评为|打造成)"
    r"(?![^，。；“”]{0,8}(?:新开|新建|建成|开设|设立|开办))[^，。；“”]{0,8}$")
#: Before a quotation: what people call a place, not its name (被街坊称为「邨民饭堂」)
_NICKNAME = re.compile(r"(?:称为|誉为|号称|被称作|称作|戏称|昵称)[^，。；“”「」]{0,4}$")
#: Before a facility word: the name it goes by, in quotes (名为“厝边·后城”的社区咖啡馆)
_CALLED = re.compile(r"(?:名为|叫做|叫|取名为?|命名为|名叫)"
                     r"([“「『‘\"][^“”「」『』‘’\"]{1,12}[”」』’\"])的?(?:社区|小区)?$")
#: A column title at the start of a line (【暖心食堂】…): the post's heading, not a place
_COLUMN = re.compile(r"(?:^|\n)\s*【[^】\n]{0,12}$")
#: A quoted award or campaign title, not a place's name (“最美红色驿站”拟推荐名单)
_TITLE_WORDS = re.compile(
    r"^[“\"《「『‘]?(?:最美|最佳|优秀|十佳|百佳|示范|星级|五星|四星|金牌|先进|年度)")
_LEFT_CUE = re.compile(r"(?:走进|走访|来到|位于|地处|家住|住在|隶属|在|到|于)$")
#: After a name, words that only a community's name takes (团结社区党委, 中山社区新建):
#: they let a name that is also a verb (团结, 前进) or a district (中山) stand
_IDENTITY_CUE = re.compile(
    r"^(?:党委|党总支|党支部|居委会|居民委员会|新建|共有|现有|位于|地处|辖区内|建成|建起|"
    r"[\u4e00-\u9fff]{2,6}(?:小区|花园|家园|新村|苑))")
#: Tags of words that end what came before a name (记者走进|丁香社区)
_BREAK_TAGS = frozenset({"v", "vd", "p", "c", "u", "r", "d", "ad"})
#: The start of an item of a numbered list (1.驾鹤社区…, （二）豫章社区…)
_LIST_ITEM = re.compile(r"(?:^|\n)\s*(?:[\d]+[.、．)）]|[（(][一二三四五六七八九十\d]+[)）]"
                        r"|[一二三四五六七八九十]+、)\s*$")
#: After an estate's name: more of them, then what they are (莲花新村、濂溪家园等老旧小区)
_LISTED_ESTATES = re.compile(r"^(?:、[^，。、]{2,10})*等[^，。]{0,4}小区")
_RIGHT_CUE = re.compile(
    r"^(?:党委|党总支|党支部|居委会|村委会|居民|村民|业主|住户|位于|地处|坐落|隶属|始建|建于|"
    r"建成于|共有|现有|辖区|新建|新设|新修|新开|建起|建成|启用|日前|今年|去年|是|有)")


@dataclass
class CommunityMention:
    """A community named in a sentence."""

    start: int
    end: int
    name: str
    score: float
    #: administrative units written just before the name: street, district, city, province
    written: dict[str, str] = field(default_factory=dict)
    #: a 社区 written just before a 小区 (汉东楼社区碧波楼小区)
    parent: str | None = None


def _tag_at(tokens: list[Token], pos: int) -> Token | None:
    for t in tokens:
        if t.start <= pos < t.end:
            return t
    return None


def _function_word(tokens: list[Token], start: int, end: int) -> bool:
    """Tell whether a span holds a pronoun or particle as a word (not inside a name, 为民)."""
    for t in tokens:
        if t.end > start and t.start < end and set(t.word) & _FUNCTION_CHARS and (
                t.end - t.start == 1 or t.tag in _NOT_NAME_TAGS):
            return True
    return False


#: Words ending in 区 that are no district (辖区内有…小区, 老城区)
_NOT_DISTRICTS = ("辖区", "城区", "片区", "街区", "园区", "景区", "市区", "郊区", "校区", "厂区",
                  "住宅区", "居住区", "生活区", "新区内", "社区", "小区")


def _unit_kind(unit: str) -> tuple[str | None, str]:
    """Return the level of a unit written before a name, and the unit as the gazetteer has it."""
    if unit.endswith(("街道", "镇", "乡")):
        return "street", unit
    for i in range(len(unit) - 1):  # 住在岳塘区 is 岳塘区
        areas = admin_name(unit[i:])
        if areas and unit[i:].endswith(("省", "市", "区", "县", "州", "旗", "盟")):
            return areas[0].level, unit[i:]
    if unit.endswith(("社区", "小区")):
        return "parent", unit
    if unit.endswith(("县", "区")) and not unit.endswith(_NOT_DISTRICTS):
        return "district", unit
    if unit.endswith("市"):
        return "city", unit
    return None, unit


def _place_prefix(core: str, tokens: list[Token], offset: int, city: str | None
                  ) -> tuple[int, str | None, str]:
    """Find a city or district written short at the start of a name (龙岩新罗翠屏社区).

    Only where LAC reads that word as a place of its own, so 西湖花园 keeps its 西湖;
    inside one of LAC's words only a district of the city just named (龙岩 新罗翠屏).
    """
    for t in tokens:
        if t.start != offset or t.tag != "LOC":
            continue
        if t.end - offset < len(core) - 1:
            areas = admin_name(t.word) or district_stem(t.word)
            if areas:
                return t.end - offset, areas[0].level, areas[0].name
        elif city:
            for n in range(2, len(core) - 1):
                areas = [a for a in district_stem(core[:n]) + admin_name(core[:n])
                         if a.level == "district" and a.city == city]
                if areas:
                    return n, "district", areas[0].name
    return 0, None, ""


def community_mentions(sentence: str, tokens: list[Token], accepted: set[str] | frozenset = (),
                       facility_spans: list[tuple[int, int]] | None = None,
                       threshold: float = COMMUNITY_THRESHOLD) -> list[CommunityMention]:
    """Find the communities a sentence names.

    Parameters
    ----------
    sentence : str
        One sentence.
    tokens : list of Token
        Its LAC analysis.
    accepted : set of str
        Names the article uses more than once (a cue of a proper name).
    facility_spans : list of (int, int)
        Spans of facility words: a 社区 that begins one (社区老年食堂) is not a
        community unless its stem is a proper name.

    threshold : float
        Lowest score proposed.

    Returns
    -------
    list of CommunityMention
        Those whose score reaches ``threshold``, in text order.
    """
    out: list[CommunityMention] = []
    facility_spans = facility_spans or []
    alone = {t.start for t in tokens if t.end - t.start == 1}  # one-character words
    for m in _SUFFIX.finditer(sentence):
        suffix = m.group()
        if suffix == "里" and any(t.start == m.start() and t.word == "里" and t.tag == "f"
                                 for t in tokens) and re.search(
                r"[园馆场室楼屋站心区家院堂角村厅]$", sentence[:m.start()]):
            continue  # 社区公园里, 小区里: "in", not an estate (幸福里)
        strong = suffix in _STRONG
        numbered = suffix in ("区", "村") and m.start() > 0 and sentence[m.start() - 1] in \
            "一二三四五六七八九十0123456789"
        start = m.start()
        while start > 0 and sentence[start - 1] not in _LEFT_STOP and m.start() - start < 12 \
                and "\u4e00" <= sentence[start - 1] <= "\u9fff" \
                and not (sentence[start - 1] in _LEFT_STOP_WORDS and start - 1 in alone):
            start -= 1
        # administrative units and a parent 社区 in front: 曾都区西城街道汉东楼社区碧波楼小区
        written: dict[str, str] = {}
        parent = None
        while True:
            core = sentence[start:m.start()]
            a = _ADMIN.match(core)
            if not a or len(core) - a.end() < (1 if numbered else 2):
                break
            kind, unit = _unit_kind(a.group())
            if kind is None or unit in _STRONG:
                if unit in _STRONG:  # a bare 社区 before 租用小区 is another word
                    start += a.end()
                break
            if kind == "parent" and re.search(r"[各每全该本]", unit):
                pass  # 组织各社区老人走进文艺路小区: no parent
            elif kind == "parent":
                parent = unit
            else:
                written[kind] = unit
            start += a.end()
        # leading words that are not part of a name (走进, 家住, 新建的): LAC's tags decide,
        # unless an administrative unit already marked where the name begins; a verb after
        # it still does (鹤庆社区利用小区边角地: "uses the estate's corner", no estate)
        core_tokens = [t for t in tokens if t.end > start and t.start < m.start()
                       and t.start >= start]
        first = core_tokens[0] if core_tokens and core_tokens[0].start == start else None
        if (written or parent) and first is not None and not first.proper:
            if first.tag in ("p", "c", "d", "r", "u", "vd") and m.start() - first.end >= 2:
                start = first.end  # 胜利路街道关于|胜利路社区
                core_tokens = core_tokens[1:]
            elif suffix == "小区" and first.tag in ("v", "vd", "p", "c", "d", "r"):
                continue
            # a verb further on ends what came before (各社区|老人走进|文艺路小区)
            cut = max((t.end for t in core_tokens if t.end <= m.start() - 2 and not t.proper
                       and t.tag in ("v", "p", "c", "u", "vd")), default=start)
            if cut > start:
                start = cut
                core_tokens = [t for t in core_tokens if t.start >= cut]
        named_verb = False
        if not (written or parent):
            first_proper = next((t for t in core_tokens if t.proper), None)
            dropped = start
            if first_proper is not None:
                dropped = first_proper.start
                # LAC may split a character off the front of a name (劲|松北社区)
                at = core_tokens.index(first_proper)
                if at > 0 and core_tokens[at - 1].end == dropped \
                        and len(core_tokens[at - 1].word) == 1 \
                        and core_tokens[at - 1].tag in ("n", "nz", "a", "b", "j") \
                        and core_tokens[at - 1].word not in _LEFT_STOP_WORDS | _FUNCTION_CHARS:
                    dropped = core_tokens[at - 1].start
            else:
                for t in core_tokens:
                    if t.tag in _NAME_TAGS and not (set(t.word) & _FUNCTION_CHARS) \
                            and not (t.tag == "m" and not numbered):
                        break
                    dropped = t.end
            # a verb or a particle further on ends what came before (记者走进丁香社区)
            for t in core_tokens:
                if t.start >= dropped and t.end <= m.start() - 2 and not t.proper and (
                        t.tag in _BREAK_TAGS or t.end - t.start == 1
                        and t.word in _LEFT_STOP_WORDS | _FUNCTION_CHARS):
                    dropped = t.end
            # a stem LAC does not know (耐火小区) keeps its words; a verb (引导小区) does not
            verbs = any(t.tag in _NOT_NAME_TAGS for t in core_tokens if t.end <= dropped)
            # unless only a community takes what follows (团结社区党委书记, 前进社区新建)
            sole = core_tokens[-1] if core_tokens else None
            named_verb = sole is not None and suffix == "社区" and dropped == m.start() \
                and sole.end == m.start() and sole.end - sole.start == 2 \
                and sole.tag in ("v", "vn", "p") and _IDENTITY_CUE.match(sentence[m.end():]) \
                and not (sole.start > 0 and "\u4e00" <= sentence[sole.start - 1] <= "\u9fff"
                         and sole.start - 1 not in alone and sole.start != start)
            if named_verb:
                start = sole.start
            elif m.start() - dropped >= (1 if numbered else 2) or verbs:
                start = dropped
            if not named_verb and any(t.start == start and t.end == m.start() and t.tag in (
                    "v", "vd") and not t.proper for t in core_tokens):
                continue  # 居民在这里商量小区的事: a verb, not a name
        while True:
            city = next((a.city for a in admin_name(written.get("city", ""))), None)
            cut, level, unit = _place_prefix(sentence[start:m.start()], tokens, start, city)
            if not cut:
                break
            written.setdefault(level, unit)
            start += cut
        core = sentence[start:m.start()]
        stem = core[:-1] if numbered else core
        single_place = any(t.start == start and t.end >= m.start() and t.tag in ("LOC", "ORG")
                           for t in tokens)
        # a one-character generic ends a name only as a word of its own (建设新社区, 工农社区)
        generic = stem in _GENERIC or any(
            stem.endswith(g) and (len(g) > 1 or start + len(stem) - 1 in alone)
            for g in _GENERIC)
        # a generic word is a name right after its district or street (龙沙区幸福社区) or
        # with a cue only a name takes (在建设社区桂花园小区)
        named_generic = strong and stem in _NAME_LIKE and bool(
            written or _IDENTITY_CUE.match(sentence[m.end():]) or _LIST_ITEM.search(
                sentence[:start]))
        if core + suffix in _GENERIC:
            continue  # 典型的城中村
        if len(stem) < 2 or generic and not (single_place and not strong) and not named_generic:
            continue
        if re.search(r"\d", stem) or _function_word(tokens, start, start + len(stem)) \
                and not single_place and not named_verb \
                or admin_name(stem) and "street" not in written \
                and not _IDENTITY_CUE.match(sentence[m.end():]) \
                and not _LEFT_CUE.search(sentence[max(0, start - 2):start]) \
                or admin_name(core + suffix):
            continue
        end = m.end()
        name = sentence[start:end]
        if any(a <= m.start() < b for a, b in facility_spans) and not strong:
            continue
        proper = any(t.proper for t in tokens if t.end > start and t.start < end)
        word_end = _tag_at(tokens, m.start())
        if word_end is not None and word_end.proper:
            proper = True
        if strong and any(a <= m.start() < b for a, b in facility_spans) and not proper:
            continue  # 首家社区老年食堂
        listed = _LISTED_ESTATES.match(sentence[end:])
        if not strong and not numbered and not proper and not (
                listed or parent or written.get("street")):
            continue  # 苑/里/园/村 alone need LAC to read a place name, a 社区 or a list
        score = 0.5 if strong else 0.45 if numbered else \
            0.35 if suffix.endswith(("村", "邨")) else 0.2
        if proper:
            score += 0.3
        if strong and core.endswith(_ESTATE):
            score += 0.1
        if written or parent:
            score += 0.2
        if not strong and (listed or parent):
            score += 0.25  # 五里牌社区电力宿舍, 纺机厂宿舍等住宅小区: a 社区 or a list says it
        if _LEFT_CUE.search(sentence[max(0, start - 2):start]) or _LIST_ITEM.search(
                sentence[:start]):
            score += 0.1
        after = sentence[end:]
        quoted = re.match(r"[“「《‘][^”」》’]{1,12}[”」》’]", after)
        owns = end + (quoted.end() if quoted else 0)
        if _RIGHT_CUE.match(after) or any(a in (end, owns) for a, _b in facility_spans) \
                or _LISTED_ESTATES.match(after):
            score += 0.15  # 驾鹤社区新时代文明实践站, 北门社区“夕阳红”长者饭堂, 濂溪家园等小区
        elif after.startswith("的"):
            score += 0.05
        if name in accepted:
            score += 0.1
        if re.fullmatch(rf"[{CJK}]+[一二三四五六七八九十]区社区", name):
            name, end = name[:-2], end - 2  # 翠苑一区社区 is the community 翠苑一区
        quoted = start > 0 and sentence[start - 1] in "“\"「" and sentence[end:end + 1] in "”\"」"
        if quoted and _EPITHET.search(sentence[:start - 1]):
            continue  # 石岩村是远近闻名的“长寿村”: a title, not another village
        if score >= threshold:
            out.append(CommunityMention(start, end, name, round(min(score, 1.0), 2), written,
                                        parent))
    # a name the article has established (团结社区党委书记…) stands wherever it is said
    # again, with no cue of its own (在团结社区的老年食堂)
    for m in _SUFFIX.finditer(sentence):
        if any(c.start <= m.start() < c.end for c in out):
            continue
        known = max((n for n in accepted if len(n) <= m.end()
                     and sentence.startswith(n, m.end() - len(n))), key=len, default=None)
        if known is not None:
            out.append(CommunityMention(m.end() - len(known), m.end(), known, 0.7))
    # a shorter candidate inside a longer one (翠光 inside 世纪花园翠光四区) is the same name
    out.sort(key=lambda c: (c.start, -c.end))
    kept: list[CommunityMention] = []
    for c in out:
        if kept and c.start < kept[-1].end:
            if c.end > kept[-1].end and c.score > kept[-1].score:
                kept[-1] = c  # overlapping: the better-evidenced reading wins
            continue
        kept.append(c)
    return kept


# ----- facilities ---------------------------------------------------------------------------

#: Full synonyms: specific enough to find in prose, longest first.
SYNONYMS: list[tuple[str, str]] = sorted(
    ((w, c.id) for c in CATEGORIES for w in c.synonyms), key=lambda p: -len(p[0]))
#: Short forms that name a place (end in a place word); activities (停车, 充电, 养老)
#: and organisations (物业) never make a facility in prose.
_PLACE_END = ("站", "中心", "体", "堂", "园", "地", "位", "室", "场", "所", "棚", "点", "屋",
              "廊", "墙", "馆", "亭", "角", "房", "处", "桩")
SHORT_FORMS: list[tuple[str, str]] = sorted(
    ((w, c.id) for c in CATEGORIES for w in c.short_forms if w.endswith(_PLACE_END)),
    key=lambda p: -len(p[0]))
#: Words before a facility word that make it something else: a parcel locker (快递驿站),
#: a clinic (卫生服务站), a bus stop.
_NOT_OURS = ("快递", "菜鸟", "卫生", "医疗", "公交", "加油", "气象", "水文", "救助", "派出所",
             "警务", "衞生", "税务", "邮政", "志愿", "政务", "法律", "就业", "社保", "医保", "人才",
             "金融",
             "旅游", "游客", "托育", "母婴", "消防")
#: Words after a facility word that make it a modifier: 游园管理员, 停车费, 食堂经理
_AFTER_MODIFIER = re.compile(r"^(?:管理员|员|费|长|证|卡|经理|师傅|阿姨|工作人员|负责人|收费)")
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
_EVERY = re.compile(r"(?:各|每个|每一个|所有|全部)(?:社区|小区|村|街道|镇|乡)?(?:的)?$")
#: After a facility word: a rule for each one of the kind (养老服务站，每处给予…)
_EACH_AFTER = re.compile(r"^[，,]?\s*每(?:处|个|家|座|间|所|一处|一个)")
#: Actions LAC may tag as nouns (vn) that never name a facility: 安装集中充电桩
_ACTION_WORDS = frozenset({"安装", "建设", "改造", "新建", "设置", "配备", "配置", "建成", "提升",
                           "打造", "规划", "改建", "扩建", "增设", "新增", "完善", "使用", "管理",
                           "运营", "投入", "开放", "升级", "整治", "修建", "加装", "落成"})
#: Between a quotation and a facility word: two things, not one name (“知青书房”和老年活动室)
_JOINERS = set("和与及跟同或、的在是有")
#: Function characters that end a facility's phrase (能 is not one: 智能充电桩, 多功能)
_PHRASE_STOP = _FUNCTION_CHARS - {"能"}
_COUNT_NEAR = re.compile(r"^\s*[\d一二两三四五六七八九十百千万]+[余多]?[个处台间座辆张位家]")


#: Facility words that may follow a quoted name and belong to it (《邻里汇》服务站)
_TAIL_WORDS: tuple[str, ...] = ()  # filled below, after GENERIC_HEADS

#: Heads of facility names outside the lexicon (“老友记”活动室, “共享工具屋”, 桂花社区乐龄
#:中心): a name ending in one names a place when a quotation or a community names it.
GENERIC_HEADS = ("服务中心", "活动中心", "中心", "综合体", "驿站", "之家", "小屋", "小院", "家园",
                 "书房", "客厅", "乐园", "据点", "坊", "馆", "室", "角", "屋", "站", "吧", "汇",
                 "点")
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
    r"医务|卫生|消防|检测|研究|设计|数据|孵化|创新|运营|调度|客服|营业|营销|销售|交易|"
    r"售楼|展示|体验|游客|旅游|物流|配送|快递|加油|公交|地铁|车|"
    r"饺子|面|饭|菜|酒|茶|火锅|烧烤|小吃|超市|便利|药|理发|美发|美容|洗衣|宾|旅|照相|网)$")
#: After a quoted name: a campaign, team, programme or title, not a place
_NOT_PLACE_AFTER = re.compile(
    r"^(?:建设|行动|活动|工程|项目|计划|品牌|模式|理念|机制|工作法|评选|称号|志愿|服务队|队|团|"
    r"节|赛|课|系列|主题|品牌|平台|小程序|公众号|APP|热线|专线|群|号)")
#: Around a quoted name: it is a place (在“…”, 建成“…”, “…”里, “…”开业)
_PLACE_BEFORE = re.compile(
    r"(?:在|到|进|走进|来到|的|建成|建起了?|打造了?|改造成了?|改建为|改成了?|设立了?|新建了?|"
    r"开设了?|开办了?|成立了?|一处|一个|一间|一座|[个处间座])$")
_PLACE_AFTER = re.compile(
    r"^(?:里|内|中|开业|开放|揭牌|启用|建成|落成|位于|设有|面积|占地|每天|每周|是|成了|已|正式|"
    r"就在|里面|由|投入|开张|试运营|开在|设在|坐落)")
#: A room (…室) listed with the facility it is in (设有老年活动室) is part of it
_CONTAINERS = ("中心", "站", "驿站", "综合体", "馆", "之家", "礼堂")


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


def facility_mentions(sentence: str, tokens: list[Token]) -> list[FacilityMention]:
    """Find facility words and the phrase naming each one.

    Parameters
    ----------
    sentence : str
        One sentence.
    tokens : list of Token
        Its LAC analysis.

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
                head = _tag_at(tokens, e - 1)
                if is_short:
                    # the word must end a noun: 食堂 in 长者食堂, not 食堂面积 (that is fine
                    # too) but not 文化生活 or 广场舞
                    if head is None or head.end != e or head.tag not in _MODIFIER_TAGS:
                        continue
                    nxt = _tag_at(tokens, e)
                    if nxt is not None and nxt.tag in ("n", "nz", "vn") and nxt.start == e \
                            and len(nxt.word) > 1 and not _AFTER_MODIFIER.match(nxt.word):
                        continue
                phrase_start, proper, evidence = _phrase(sentence, tokens, s, quotes)
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
                if in_quote and _NICKNAME.search(sentence[:in_quote[0]]):
                    continue  # 被街坊称为「邨民饭堂」: a nickname, not a place
                if in_quote:  # “邻里驿站” is named by the whole quotation
                    e = in_quote[1]
                    # and the facility word after it: 《邻里汇》服务站 is a 服务站
                    tail = max((w for w in _TAIL_WORDS if sentence.startswith(w, e)), key=len,
                               default="")
                    if tail and not _AFTER_MODIFIER.match(sentence[e + len(tail):]):
                        kind = recognise_category(tail) or kind
                        e += len(tail)
                    phrase_start, name, proper = in_quote[0], sentence[in_quote[0]:e], True
                    if _TITLE_WORDS.match(name):
                        continue  # “最美红色驿站”: an award, not a place
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
                    r"[\d一二两三四五六七八九十百千万]+[余多]?[个处台间座辆张位家]$",
                    sentence[max(0, phrase_start - 6):phrase_start]))
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
    containers = [f for f in found if f.word.endswith(_CONTAINERS)]
    # a reading room (图书室, 阅览室) is a facility of its own kind wherever it is
    return [f for f in found if not (f.word.endswith("室") and not f.proper
                                     and f.category != "culture"
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
                             and not any(t.tag in _NOT_NAME_TAGS and t.tag != "m"
                                         for t in tokens if qb <= t.start < qb + n)), 0)
        if head_end and free(qa, head_end) and not _NOT_PLACE_AFTER.match(sentence[head_end:]):
            add(qa, head_end, qa, True)
            continue
        # a quoted name that is a place by its head (“乐龄家园”) or by a category word
        # (“鹭邻咖啡”开在…) when said as a place
        if not (2 <= len(inner) <= 8 and (_head_at(inner) or recognise_category(inner))) \
                or not free(qa, qb):
            continue
        if _NOT_PLACE_AFTER.match(sentence[qb:]) or not (
                _PLACE_BEFORE.search(sentence[max(0, qa - 4):qa])
                or _PLACE_AFTER.match(sentence[qb:])):
            continue
        if any(t.tag == "PER" and t.start <= qa + 1 and t.end >= qb - 1 for t in tokens) \
                or _EPITHET.search(sentence[:qa]):
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
                           and t.tag in _NOT_NAME_TAGS and t.start == a])
            if sentence[a] != "“":
                a = next((t.start for t in tokens if a <= t.start < b), b)  # at a word
            text = sentence[a:b]
            inside = [t for t in tokens if a <= t.start and t.end <= b]
            named = (text.startswith("“") or text.endswith(_PLACE_CHARS) or any(
                t.proper for t in inside)) and not any(t.tag == "PER" for t in inside)
            if b - a < 2 or not named or set(text) & _FUNCTION_CHARS or not free(a, b) \
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


def _phrase(sentence: str, tokens: list[Token], start: int,
            quotes: list[tuple[int, int]]) -> tuple[int, bool, str]:
    """Where the noun phrase ending in a facility word starts, and what names it.

    Returns the phrase start, whether a proper name or quotation names it, and the
    evidence: ``"strong"`` (quotation, proper name), ``"noun"`` (a noun before it),
    or ``""``.
    """
    quoted = next(((a, b) for a, b in quotes if b == start or (b < start and re.fullmatch(
        rf"[{CJK}]{{0,4}}", sentence[b:start]) and not set(sentence[b:start]) & _JOINERS)),
        None)
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
        if named and re.search(r"(?:社区|小区|[一二三四五六七八九十]区|村)$", sentence[:start]):
            evidence = "strong"
    return phrase_start, proper, evidence
