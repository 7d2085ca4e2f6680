"""Community names in a sentence: LAC's words and tags, name shapes, the gazetteer.

A community name is a span ending in a community word (社区, 小区, a numbered estate
一区/三村, a village 村, an estate ending 苑/里/园/家园...). Each cue that it is a
proper name adds to a score: LAC reads its stem as a place or organisation, an
administrative unit stands before it (岳塘区金耐社区), a phrase that introduces a place
stands before it (走进, 位于, 家住) or one that follows a place comes after it (党委,
居民, 始建于, 新建). The score is the proposal's confidence; below
:data:`COMMUNITY_THRESHOLD` the span is not proposed.

Facility names are read by :mod:`layers.articles.facility_names`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from layers.articles.gazetteer import admin_name, district_stem
from layers.articles.lexer import Token
from layers.model.categories import recognise_category

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
    r"|(?<![住宅居住])居民区"  # 虹仙居民区 (Shanghai's residents' committees)
    r"|(?:花园|家园|公寓|山庄|宿舍|家属院|家属区|家属楼|大院|生活区|苑|(?<![开入闭游])园"
    r"|里(?![区县市]))"
    r"(?![\u4e00-\u7683\u7685-\u7b48\u7b4a-\u9fff]?(?:小区|社区))"  # not 的 nor 等
    r"(?![一二三四五六七八九十\d]+[区村期])"  # 翠苑 of 翠苑一区
    + _NOT_AFTER_ESTATE
)
#: Estates named after the works that built them (矿务局家属院, 贵钢宿舍, 一拖职工大院)
_WORK_ESTATES = ("宿舍", "家属院", "家属区", "家属楼", "大院", "生活区")
_WORKS = re.compile(r"(?:厂|局|矿|所|站|公司|院|校|社|委|队|部|行|场|馆|店|大学|中学|小学|医院|"
                    r"银行|车间|集团|机关|政府|铁路|电力|邮电|水电|粮食|供销|纺织|钢|煤|油)"
                    r"(?:职工|干部|家属|教职工)?$")
#: Before an estate: the words that introduce it (老小区——贵钢宿舍)
_APPOSITIVE = re.compile(r"(?:小区|大院|宿舍区|院落|楼院)(?:——|—|：|:)?$")
#: After an estate and a comma: what only an estate is described by (…宿舍，共有住宅楼9栋)
_ESTATE_AFTER = re.compile(r"^(?:[，,](?:共有|现有|始建|建于|建成于|\d{4}年建成|住户|居民|辖)"
                           r"|[\d一二三四五六七八九十]+(?:号楼|栋|幢|号院|单元|期)"
                           r"|(?:老旧小区)?改造(?:工程|项目)|加装电梯)")
#: Before a name: its street or district and 的 (友谊路街道的平江里)
_ADMIN_OF = re.compile(r"(?:街道|[区县镇乡])的$")
#: Leading words that are never part of a name (辖区锦绣花园, 辖区内有…)
_JURISDICTION = re.compile(r"^(?:辖区内?|辖内|辖)(?:有)?")
#: Generic words that end an estate's name after a proper one (沙石安置小区, 水电局职工宿舍)
_NAMED_AFTER = ("安置", "回迁", "还建", "职工")
#: After a 里 named with its district: a Taiwanese 里 (鼓山区龙井里办公处, 正大里里长)
_TAIWAN_LI = re.compile(r"^(?:里长|里办公处|办公处|里民|里内|活动中心|里活动中心)")
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
            "周围", "邻近", "相邻", "其他", "其它", "多个", "部分", "个别", "沿线", "兄弟", "美丽",
            "结对", "共建", "城中村")
#: Generic words that are also common names of communities (幸福社区, 建设社区)
_NAME_LIKE = frozenset({"幸福", "建设", "和谐", "文明", "平安", "友好", "未来", "美好", "绿色",
                        "红色", "智慧", "现代", "示范", "完整"})
#: Pronouns, particles and function words: a proper name holds none of them.
FUNCTION_CHARS = set("我你他她们贵该这那也都就还又很不没着过了请让把被给对向跟同"
                      "进出去到每各整全部些本其此某由以及而且但却所可能要会在有是为将从于帮问查看")
#: Tags of words that can be part of a name's stem.
_NAME_TAGS = frozenset({"LOC", "ORG", "nz", "nw", "PER", "n", "s", "m", "an"})
#: Tags of words that are never the start of a name
NOT_NAME_TAGS = frozenset({"v", "vd", "d", "p", "c", "u", "r", "f", "xc", "m", "q", "TIME", "w",
                            "ad", "t"})
#: Before a quoted name: it is a title given to a place (是远近闻名的“长寿村”)
EPITHET = re.compile(
    r"(?:是|称为|誉为|号称|被称作|称作|(?<![改建造])(?:成为|成了)|变成|当成|荣获|评为|打造成)"
    r"(?![^，。；“”]{0,8}(?:新开|新建|建成|开设|设立|开办))[^，。；“”]{0,8}$")
_LEFT_CUE = re.compile(r"(?:走进|走访|来到|位于|地处|家住|住在|隶属|在|到|于|(?<=[是])为|"
                       r"咱们|我们)$")
#: Words only a place follows: what comes after them, up to the estate word, is its name
_PLACE_CUE = re.compile(
    r"住在|家住|居住在|咱们|我们(?=[\u4e00-\u9fff]{2,6}(?:小区|花园|苑|里|村))")
#: Verbs of work done to places: before 社区 after other words, they are no name's end
#: (城东片区增设|社区食堂), unlike verbs that names are made of (团结, 前进, 胜利)
_ACTIONS = frozenset({"增设", "新建", "建设", "改造", "建成", "设立", "打造", "反馈", "提交",
                      "上报", "覆盖", "完成", "开展", "推进", "推动", "实现", "组织", "引导",
                      "鼓励", "联合", "依托", "利用", "结合", "走进", "深入", "成立", "聚居",
                      "推广", "建立", "设置", "安装", "配备", "入驻", "进驻", "帮助", "服务"})
#: Before an estate: its building year (始建于1958年的安静小区)
_BUILT_BEFORE = re.compile(r"(?:始建于|建于|建成于)\d{4}年的?$")
#: After a name, words that only a community's name takes (团结社区党委, 中山社区新建):
#: they let a name that is also a verb (团结, 前进) or a district (中山) stand
_IDENTITY_CUE = re.compile(
    r"^(?:党委|党总支|党支部|居委会|居民委员会|新建|共有|现有|位于|地处|辖区内|建成|建起|"
    r"[\u4e00-\u9fff]{2,6}(?:小区|花园|家园|新村|苑))")
#: Tags of words that end what came before a name (记者走进|丁香社区)
_BREAK_TAGS = frozenset({"v", "vd", "p", "c", "u", "r", "d", "ad"})
#: The start of an item of a numbered list (1.驾鹤社区…, （二）豫章社区…)
_LIST_ITEM = re.compile(r"(?:^|\n)\s*(?:[\d]+[.、．)）]|[（(][一二三四五六七八九十\d]+[)）]"
                        r"|[一二三四五六七八九十]+、|[▶►•●■◆★☆▪▸·\-–]"
                        r"|[一二三四五六七八九十]是(?:在|为|对|给)?)\s*$")
#: Before a name: another place of a list, just named (新华苑、兴隆里; 洞庭苑和朝阳里)
_LISTED_BEFORE = re.compile(r"(?:社区|小区|苑|园|里|村|花园|家园|新村|公寓)(?:、|和|及|与)$")
#: After an estate's name: more of them, then what they are (莲花新村、濂溪家园等老旧小区)
_LISTED_ESTATES = re.compile(
    r"^(?:、[^，。、]{2,10})*(?:等|[\d一二两三四五六七八九十]+个)[^，。]{0,4}小区")
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


def tag_at(tokens: list[Token], pos: int) -> Token | None:
    """Return LAC's word covering character ``pos`` of the sentence, or None.

    Parameters
    ----------
    tokens : list of Token
        The sentence's analysis.
    pos : int
        A character offset.

    Returns
    -------
    Token or None
    """
    for t in tokens:
        if t.start <= pos < t.end:
            return t
    return None


def _function_word(tokens: list[Token], start: int, end: int) -> bool:
    """Tell whether a span holds a pronoun or particle as a word (not inside a name, 为民)."""
    for t in tokens:
        if t.end > start and t.start < end and set(t.word) & FUNCTION_CHARS and (
                t.end - t.start == 1 or t.tag in NOT_NAME_TAGS):
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
        while start > 0 and sentence[start - 1] not in _LEFT_STOP and m.start() - start < 24 \
                and "\u4e00" <= sentence[start - 1] <= "\u9fff" \
                and not (sentence[start - 1] in _LEFT_STOP_WORDS and start - 1 in alone):
            start -= 1
        # 在天|和|社区: a name of one character and 和, which LAC split (天和社区, 春和社区)
        if m.start() - start == 0 and suffix == "社区" and start >= 2 \
                and sentence[start - 1] == "和" and start - 2 in alone \
                and sentence[start - 2] not in FUNCTION_CHARS | _LEFT_STOP_WORDS | _LEFT_STOP \
                and (start < 3 or sentence[start - 3] in "在的、，于到" or sentence[start - 3]
                     in _LEFT_STOP):
            start -= 2
        left = start
        # administrative units and a parent 社区 in front: 曾都区西城街道汉东楼社区碧波楼小区
        written: dict[str, str] = {}
        parent = None
        # the look back stopped inside a word (石家庄市… read from 家): that part is no unit
        cut_short = start > 0 and "\u4e00" <= sentence[start - 1] <= "\u9fff" \
            and sentence[start - 1] not in _LEFT_STOP_WORDS
        while True:
            core = sentence[start:m.start()]
            a = _ADMIN.match(core)
            if not a or len(core) - a.end() < (1 if numbered else 2):
                break
            kind, unit = _unit_kind(a.group())
            # words before the unit that LAC reads as no name (其中|大城街道)
            lead = next((t for t in tokens if t.start == start and t.end < start + a.end()
                         and (t.tag in ("f", "d", "c", "p", "r", "t", "TIME")
                              or t.tag == "v" and len(t.word) > 1)), None)
            unit_word = 2 if unit.endswith("街道") else 1
            if lead is not None and kind in ("street", "district", "city") \
                    and len(unit) - (lead.end - start) - unit_word >= 2:
                unit = unit[lead.end - start:]  # 新建|城南街道, 其中|大城街道
            if cut_short and not written and kind in ("city", "district") \
                    and not admin_name(unit):
                start += a.end()
                cut_short = False
                continue
            if kind is None and unit.endswith("片区") and len(core) - a.end() >= 2:
                start += a.end()  # 和平路片区|团结社区: an area of the street, no unit
                continue
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
        after_units = start
        jurisdiction = _JURISDICTION.match(sentence[start:m.start()])
        if jurisdiction and m.start() - start - jurisdiction.end() >= 2:
            start += jurisdiction.end()
        # leading words that are not part of a name (走进, 家住, 新建的): LAC's tags decide,
        # unless an administrative unit already marked where the name begins; a verb after
        # it still does (鹤庆社区利用小区边角地: "uses the estate's corner", no estate)
        core_tokens = [t for t in tokens if t.end > start and t.start < m.start()
                       and t.start >= start]
        first = core_tokens[0] if core_tokens and core_tokens[0].start == start else None
        if (written or parent) and (first is None or not first.proper):
            if first is None:
                pass  # a word that began before (红沙社区居委会|关于临时关闭红沙渔港小区)
            elif first.tag in ("p", "c", "d", "r", "u", "vd") and m.start() - first.end >= 2:
                start = first.end  # 胜利路街道关于|胜利路社区
                core_tokens = core_tokens[1:]
            elif suffix == "小区" and first.tag in ("v", "vd", "p", "c", "d", "r") and not (
                    parent and parent[:-2] == sentence[start:m.start()]):
                # (谈固社区谈固小区 is the estate of its community's name)
                named = next((t for t in core_tokens[1:2] if t.proper), None)
                if named is None:
                    continue
                # 江岸街道改造|大民街小区: the verb is no part of it; but LAC splits a
                # two-character name into a verb and a place (谈|固小区)
                start = first.start if len(first.word) == 1 and len(named.word) == 1 \
                    else named.start
                core_tokens = core_tokens[1:]
            # a verb further on ends what came before (各社区|老人走进|文艺路小区)
            cut = max((t.end for t in core_tokens if t.end <= m.start() - 2 and not t.proper
                       and t.tag in ("v", "p", "c", "u", "vd")), default=start)
            if cut > start:
                start = cut
                core_tokens = [t for t in core_tokens if t.start >= cut]
        verbs_only = [t for t in tokens if start <= t.start and t.end <= m.start()]
        last = verbs_only[-1] if verbs_only else None
        if last is not None and len(verbs_only) >= 2 and last.end == m.start() and (
                last.tag == "p" and len(last.word) == 1 or last.tag == "v"
                and last.word in _ACTIONS and not _IDENTITY_CUE.match(sentence[m.end():])):
            continue  # 意见反馈至|社区, 城东片区增设|社区食堂: "to", "add", not a name
        if (written or parent) and not _IDENTITY_CUE.match(sentence[m.end():]) and (
                start > after_units and any(t.start == start and t.end == m.start()
                                            and t.tag in ("v", "vd") for t in tokens)
                or len(verbs_only) >= 2 and all(t.tag in ("v", "vd") for t in verbs_only)):
            continue  # 民政局累计建成社区养老服务站点, 静安区共建|成社区: verbs, not a name
        named_verb = by_cue = False
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
                        and core_tokens[at - 1].word not in _LEFT_STOP_WORDS | FUNCTION_CHARS:
                    dropped = core_tokens[at - 1].start
                # or took the words of a community named before (胜利社区…胜利|西苑)
                elif at > 0 and core_tokens[at - 1].end == dropped and core_tokens[
                        at - 1].word in {c.name[:-2] for c in out if c.name.endswith("社区")}:
                    dropped = core_tokens[at - 1].start
            else:
                for t in core_tokens:
                    if t.tag in _NAME_TAGS and not (set(t.word) & FUNCTION_CHARS) \
                            and not (t.tag == "m" and not numbered):
                        break
                    dropped = t.end
            # a verb or a particle further on ends what came before (记者走进丁香社区)
            for t in core_tokens:
                if t.start >= dropped and t.end <= m.start() - 2 and not t.proper and (
                        t.tag in _BREAK_TAGS or t.end - t.start == 1
                        and t.word in _LEFT_STOP_WORDS | FUNCTION_CHARS):
                    dropped = t.end
            # a stem LAC does not know (耐火小区) keeps its words; a verb (引导小区) does not
            verbs = any(t.tag in NOT_NAME_TAGS for t in core_tokens if t.end <= dropped)
            # unless only a community takes what follows (团结社区党委书记, 前进社区新建)
            sole = core_tokens[-1] if core_tokens else None
            named_verb = sole is not None and suffix == "社区" and dropped == m.start() \
                and sole.end == m.start() and sole.end - sole.start == 2 \
                and sole.tag in ("v", "vn", "p") and (
                    _IDENTITY_CUE.match(sentence[m.end():])
                    or _LIST_ITEM.search(sentence[:sole.start])
                    and sentence[m.end():m.end() + 1] in "“「") \
                and not (sole.start > 0 and "\u4e00" <= sentence[sole.start - 1] <= "\u9fff"
                         and sole.start - 1 not in alone and sole.start != start)
            # a cue that only a place follows ends what came before (我住在|建设里小区,
            # 家住|铁路新村, 咱们|桂花苑): the name is all that follows it
            cue = max((c for c in _PLACE_CUE.finditer(sentence, left, m.end())
                       if c.end() <= m.start()), key=lambda c: c.end(), default=None)
            if cue is not None and 2 <= m.start() - cue.end() <= 8 and not set(
                    sentence[cue.end():m.start()]) & (FUNCTION_CHARS | _LEFT_STOP):
                start, dropped, verbs = cue.end(), cue.end(), False
                named_verb = by_cue = True  # taken whole, as a name
            elif named_verb:
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
        if suffix == "小区" and any(t.end == m.start() and re.fullmatch(
                r"[\d一二两三四五六七八九十百几多]+[个座处]", t.word) for t in tokens):
            continue  # 椰林苑两个小区: a count of estates, not a name
        works = suffix in _WORK_ESTATES and bool(_WORKS.search(stem))
        in_list = bool(_LISTED_BEFORE.search(sentence[max(0, start - 4):start]) or re.match(
            rf"、[{CJK}]{{2,8}}(?:社区|小区)", sentence[m.end():]))
        # in a list of communities a name needs no other cue (在迎驾社区、城南社区各开设…)
        if suffix == "社区" and len(stem) < 2 and 2 <= m.start() - left <= 4 \
                and not set(sentence[left:m.start()]) & (FUNCTION_CHARS | _LEFT_STOP_WORDS) \
                and (re.match(rf"^、[{CJK}]{{2,6}}社区", sentence[m.end():])
                     or re.search(r"社区、$", sentence[:left])):
            start, core, stem = left, sentence[left:m.start()], sentence[left:m.start()]
        # a one-character generic ends a name only as a word of its own (建设新社区, 工农社区)
        generic = stem in _GENERIC or any(
            stem.endswith(g) and (len(g) > 1 or start + len(stem) - 1 in alone)
            for g in _GENERIC)
        if generic and (works or any(  # 沙石安置小区: a proper name, then the generic word
                stem.endswith(g) and len(stem) - len(g) >= 2 and any(
                    t.proper and t.start == start and t.end == start + len(stem) - len(g)
                    for t in tokens) for g in _NAMED_AFTER)):
            generic = False
        # a generic word is a name right after its district or street (龙沙区幸福社区) or
        # with a cue only a name takes (在建设社区桂花园小区)
        named_generic = strong and stem in _NAME_LIKE and bool(
            written or _IDENTITY_CUE.match(sentence[m.end():]) or _LIST_ITEM.search(
                sentence[:start])) and not re.match(r"(?:试点|建设|创建|标准|理念)",
                                                    sentence[m.end():])
        if re.fullmatch(r"(?:首|第[一二三四五六七八九十\d]+)[个间家座处所批]?", stem):
            continue  # 开设首间社区咖啡馆: "the first", not a name
        if core + suffix in _GENERIC:
            continue  # 典型的城中村
        if len(stem) < 2 or generic and not (single_place and not strong) and not named_generic:
            continue
        if re.search(r"\d", stem) or _function_word(tokens, start, start + len(stem)) \
                and not single_place and not named_verb \
                or admin_name(stem) and "street" not in written and not in_list and not any(
                    t.proper and t.start <= start and t.end >= m.end() for t in tokens) \
                and not _IDENTITY_CUE.match(sentence[m.end():]) \
                and not _LEFT_CUE.search(sentence[max(0, start - 2):start]) \
                or admin_name(core + suffix):
            continue
        end = m.end()
        name = sentence[start:end]
        if any(a <= m.start() < b for a, b in facility_spans) and not strong:
            continue
        proper = any(t.proper for t in tokens if t.end > start and t.start < end)
        word_end = tag_at(tokens, m.start())
        if word_end is not None and word_end.proper:
            proper = True
        if strong and any(a <= m.start() < b for a, b in facility_spans) and not proper:
            continue  # 首家社区老年食堂
        listed = _LISTED_ESTATES.match(sentence[end:])
        works = suffix in _WORK_ESTATES and (works or proper)
        taiwan_li = suffix == "里" and len(stem) == 2 and (bool(written) or bool(re.search(
            r"(?:街道|区|县|乡|镇)的$", sentence[:start])))
        if not strong and not numbered and not proper and not (
                listed or parent or written.get("street") or works or taiwan_li or in_list
                or by_cue
                or _ESTATE_AFTER.match(sentence[end:])
                or _ADMIN_OF.search(sentence[max(0, start - 3):start])):
            continue  # 苑/里/园/村 alone need LAC to read a place name, a 社区 or a list
        score = 0.5 if strong or taiwan_li else 0.6 if works and len(stem) >= 3 else \
            0.45 if numbered or works else \
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
        if not strong and _APPOSITIVE.search(sentence[max(0, start - 6):start]) \
                or _BUILT_BEFORE.search(sentence[max(0, start - 10):start]):
            score += 0.15
        if not strong and _ESTATE_AFTER.match(sentence[end:]):
            score += 0.3  # 百花里12幢, …宿舍，共有住宅楼9栋: what only an estate has
        if by_cue and not strong:
            score += 0.2  # 家住铁路新村
        if not strong and _ADMIN_OF.search(sentence[max(0, start - 3):start]):
            score += 0.25  # 友谊路街道的平江里, 崇安寺街道的健康新村
        if in_list:  # 兴胜路社区、西郊二村社区; 阅海湾小区、湖畔嘉苑: one of a list of them
            score += 0.15 if strong else 0.4
        after = sentence[end:]
        quoted = re.match(r"[“「《‘][^”」》’]{1,12}[”」》’]", after)
        owns = end + (quoted.end() if quoted else 0)
        if _RIGHT_CUE.match(after) or any(a in (end, owns) for a, _b in facility_spans) \
                or _LISTED_ESTATES.match(after) or strong and _IDENTITY_CUE.match(after):
            score += 0.15  # 驾鹤社区新时代文明实践站, 北门社区“夕阳红”长者饭堂, 濂溪家园等小区
        elif after.startswith("的"):
            score += 0.05
        if name in accepted:
            score += 0.1
        if re.fullmatch(rf"[{CJK}]+[一二三四五六七八九十]区社区", name):
            name, end = name[:-2], end - 2  # 翠苑一区社区 is the community 翠苑一区
        # a community inside a quoted facility name (「翠岭社区客厅」) names the facility
        closing = re.match(r"[^“”「」]{1,10}[”」]", sentence[m.end():])
        if closing and max(sentence.rfind("“", 0, start), sentence.rfind("「", 0, start)) > max(
                sentence.rfind("”", 0, start), sentence.rfind("」", 0, start)) \
                and recognise_category(closing.group()[:-1]):
            continue
        opened = sentence.rfind("“", 0, start)
        if opened > sentence.rfind("”", 0, start) and re.match(
                r"[^”、，]{2,5}(?:[、，][^”、，]{2,5})+”", sentence[opened + 1:]):
            continue  # “清洁家园、美丽小区”: a slogan of short phrases, not a place
        quoted = start > 0 and sentence[start - 1] in "“\"「" and sentence[end:end + 1] in "”\"」"
        if quoted and EPITHET.search(sentence[:start - 1]):
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
