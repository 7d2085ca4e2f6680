"""Reading an article into proposals: communities, facilities and numeric facts.

Offline. Four sources of evidence are combined:

- Baidu's LAC lexical analyser (:mod:`layers.articles.lexer`): words, parts of speech,
  place and organisation names;
- the gazetteer of provinces, cities and districts from the bundled boundaries
  (:mod:`layers.articles.gazetteer`), which fills a community's administrative path;
- the one category lexicon (:mod:`layers.model.categories`), synonyms and short forms;
- name shapes (:mod:`layers.articles.names`, :mod:`layers.articles.facility_names`) and
  numbers (the one reader, :mod:`layers.model.numbers`) with their units;
- whether a facility named is a place that exists today, not a plan, a count of
  several, a closed or converted one (:mod:`layers.articles.facility_status`).

Every proposal carries the sentence it came from as its quote, that sentence's
character offsets in the cleaned text, and a confidence (0–1): high where the
analyser, the lexicon and the name shape agree, low for a single weak cue.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from layers.articles.cleaning import CleanArticle
from layers.articles.facility_status import ANAPHOR, PARTS, not_a_place
from layers.model.categories import CATEGORIES
from layers.model.numbers import find_numbers

_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")

#: Proposals below this confidence are offered unticked for review: a single weak cue
#: (a count whose noun is guessed, a short category word with only a noun before it).
LOW_CONFIDENCE = 0.6

#: Facility words by category, most specific first: the registry's synonyms. Its short
#: forms (停车, 服务中心) also occur in unrelated phrases (停车费, a clinic's 服务中心), so
#: they count in prose only as the head of a named noun phrase (see names.py).
FACILITY_WORDS: dict[str, tuple[str, ...]] = {c.id: c.synonyms for c in CATEGORIES
                                              if c.synonyms}



@dataclass
class Proposal:
    """Something the article names, with its evidence."""

    name: str
    quote: str
    offsets: tuple[int, int]
    category: str | None = None
    community: str | None = None
    street: str | None = None
    district: str | None = None
    city: str | None = None
    #: 0–1: how sure the reader is; the review dialog leaves low ones unticked
    confidence: float = 1.0
    #: from the gazetteer: the province of the district or city named with it
    province: str | None = None
    #: where ``quote`` names this item: character offsets in the cleaned text
    mention: tuple[int, int] | None = None


@dataclass
class Fact:
    """A number the article states, with what it counts."""

    community: str | None
    kind: str
    value: float | str
    unit: str
    quote: str
    offsets: tuple[int, int] = (0, 0)
    #: 0–1: how sure the reader is; the review dialog leaves low ones unticked
    confidence: float = 1.0
    #: the text says the number is approximate (八十余户, 约300平方米, 近一万人口)
    approx: bool = False
    #: the number and its unit as written, e.g. ``八十余户``
    written: str = ""


@dataclass
class Extraction:
    """Everything proposed from one article."""

    communities: list[Proposal] = field(default_factory=list)
    facilities: list[Proposal] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)

    def as_json(self) -> dict:
        """Return the JSON structure documented for ``main.py ingest``.

        Returns
        -------
        dict
            ``communities``, ``facilities`` and ``facts`` lists.
        """
        return {
            "communities": [{k: v for k, v in asdict(p).items() if k != "category"}
                            for p in self.communities],
            "facilities": [{k: v for k, v in asdict(p).items()
                            if k not in ("street", "district", "city", "province")}
                           for p in self.facilities],
            "facts": [asdict(f) for f in self.facts],
        }


def sentences(text: str) -> list[tuple[int, int]]:
    """Return sentence spans of cleaned text.

    Parameters
    ----------
    text : str
        Cleaned article text.

    Returns
    -------
    list of (int, int)
        Start and end offsets.
    """
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group().strip()]



# ----- numbers ------------------------------------------------------------------------------

#: Unit words after a number, longest first, with the kind of fact and a factor to the
#: stored unit. Counts take the noun counted from the words around them.
_UNITS: list[tuple[str, str, float, str]] = [
    ("平方公里", "area", 1_000_000.0, "m²"), ("平方千米", "area", 1_000_000.0, "m²"),
    ("平方米", "area", 1.0, "m²"), ("平方公尺", "area", 1.0, "m²"), ("平米", "area", 1.0, "m²"),
    ("㎡", "area", 1.0, "m²"),
    ("m²", "area", 1.0, "m²"), ("公顷", "area", 10_000.0, "m²"),
    ("亿元", "money", 10_000.0, "万元"), ("万元", "money", 1.0, "万元"),
    ("人口", "population", 1.0, "人"), ("人次", "", 0, ""), ("户", "households", 1.0, "户"),
    ("幢", "buildings", 1.0, "栋"), ("栋", "buildings", 1.0, "栋"),
    ("人", "people", 1.0, "人"), ("名", "people", 1.0, "名"), ("位", "people", 1.0, "位"),
    ("个", "count", 1.0, "个"), ("处", "count", 1.0, "处"), ("台", "count", 1.0, "台"),
    ("间", "count", 1.0, "间"), ("座", "count", 1.0, "座"), ("辆", "count", 1.0, "辆"),
    ("张", "count", 1.0, "张"), ("家", "count", 1.0, "家"), ("支", "count", 1.0, "支"),
    ("套", "count", 1.0, "套"), ("棵", "count", 1.0, "棵"), ("件", "count", 1.0, "件"),
    ("组", "count", 1.0, "组"), ("册", "count", 1.0, "册"), ("本", "count", 1.0, "本"),
    ("盏", "count", 1.0, "盏"), ("部", "count", 1.0, "部"), ("份", "count", 1.0, "份"),
    ("格", "count", 1.0, "格"), ("片", "count", 1.0, "片"),
]
_POPULATION_BEFORE = re.compile(
    r"(?:人口|居民|常住|户籍|居住|租户|住户|村民)[^，。；]{0,10}$"
    # 60岁以上老年人1430人, 老人有2100多人: the older residents, a population
    r"|岁?(?:以上|及以上)的?(?:老年人|老人|长者|户籍老人)(?:有|共有|约有|约)?$"
    # 我们社区有2.3万人, 全村约一千二百人
    r"|(?:社区|小区|村|街道|镇|邨)(?:共|现|约|共约)?有约?$|全(?:村|镇|社区|街道|邨)约?$")
#: The residents a number counts, written after it (约2600名居民, 2.3万居民): the people
#: living there when the number is a population's size or the place is said before it
#: (周边小区约2600名居民), not a room's capacity (可容纳120名居民) nor a group's members
_RESIDENTS_AFTER = re.compile(r"^(?:名|位)?(?:常住)?(?:居民|村民|人口)")
_RESIDENTS_PLACE = re.compile(
    r"(?:周边|附近|辖区|邨内|村内|区内|社区|小区|全村|全邨)[^，。；]{0,4}$")
_BUILDINGS_CUE = re.compile(r"(?:共有|共|现有|有|建有|居民楼|楼房|住宅楼|楼栋)[^，。；]{0,3}$")
_BUILT = re.compile(r"(?:始建于|建于|建成于)\s*$")
_BUILT_AFTER = re.compile(r"^(?:年代)?(?:建成|始建|建)(?!设)")
_ELDERLY = re.compile(r"(?:60|六十|65|六十五)岁以上|老年人|老人|老龄化")
_MONEY_CUE = re.compile(r"(?:投入|出资|投资|资金|补助|补贴|筹集|花费|自投|奖补|拨付)"
                        r"[^，。；]{0,6}$")
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?")
#: After a count: a comparison (两个篮球场那么大), not a count
_COMPARISON = re.compile(r"^[^，。；]{0,6}?(?:那么|这么|那样|这样)(?:大|多|长|宽|高)")
def _clause_start(sentence: str, pos: int) -> int:
    """Return where the clause holding ``pos`` begins (after ；/;, or the sentence start)."""
    return max(sentence.rfind("；", 0, pos), sentence.rfind(";", 0, pos)) + 1


_SKIP_BEFORE = re.compile(r"(?:第|每|近|前|后|这|那|上|下)$")
#: The start of an item of a list: （三）, 3., 三、, 一是
_ITEM_START = re.compile(r"\s*(?:[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．]|"
                         r"[一二三四五六七八九十]+、|[一二三四五六七八九十]是|[▶►•●■◆])")


def _counted_noun(sentence: str, tokens: list, start: int, end: int) -> str:
    """Return the noun a count counts: after it (40个充电位) or before it (停车位215个)."""
    from layers.articles.lexer import token_at

    i = token_at(tokens, end)
    if i >= 0:
        words = []
        for t in tokens[i:i + 3]:
            if t.start < end:
                # LAC may join the unit and the noun: 个充电位
                rest = t.word[end - t.start:]
                if rest and t.tag in ("n", "nz", "vn", "LOC", "ORG", "m", "q"):
                    words.append(rest)
                    continue
                if not rest:
                    continue
                break
            if t.tag in ("n", "nz", "vn", "LOC", "ORG") or (t.tag in ("a", "b") and len(
                    t.word) <= 3):  # 智慧型停车场, 电动自行车
                words.append(t.word)
            elif t.tag == "v" and not words and len(t.word) <= 2 and any(
                    u.tag == "n" for u in tokens[tokens.index(t) + 1:tokens.index(t) + 3]):
                words.append(t.word)  # 90名退休老党员
            else:
                break
        noun = "".join(words)
        noun = re.split(r"[的了是和与及为都能正在，。、；]", noun)[0]
        if noun:
            return noun[:8]
    # the noun just before the number: 停车位215个, 设有床位20张
    j = token_at(tokens, start - 1)
    if j >= 0 and tokens[j].end == start and tokens[j].tag in ("n", "nz", "LOC", "ORG", "vn"):
        return tokens[j].word
    return ""


def read_facts(sentence: str, tokens: list, community: str | None, offsets: tuple[int, int],
               named: list[tuple[int, str]] = ()) -> list[Fact]:
    """Numbers with units in one sentence, as facts.

    Parameters
    ----------
    sentence : str
        The sentence.
    tokens : list of Token
        Its LAC analysis.
    community : str or None
        The community the sentence is about.
    offsets : (int, int)
        The sentence's span in the cleaned text.
    named : list of (int, str)
        Where the sentence names communities: a number belongs to the last one named
        before it (潮鸣社区…面积860平方米，现代城社区…), else to ``community``.

    Returns
    -------
    list of Fact
        Households, population, area, buildings, built year, elderly share, money,
        counts (``count:<noun>``) and dates.
    """
    quote = sentence.strip()
    facts: list[Fact] = []

    def add(kind: str, value: float | str, unit: str, conf: float, approx: bool = False,
            written: str = "") -> None:
        at = sentence.find(written) if written else -1
        owner = next((name for start, name in reversed(named) if 0 <= start < at), community)
        facts.append(Fact(owner, kind, value, unit, quote, offsets, conf, approx, written))

    for m in _DATE.finditer(sentence):
        add("date", "-".join(g.zfill(2) if i else g for i, g in enumerate(m.groups()) if g),
            "date", 0.9, written=m.group())
    for n in find_numbers(sentence):
        after = sentence[n.end:]
        before = sentence[:n.start]
        if _SKIP_BEFORE.search(before) and not n.approximate or before.endswith("第") \
                or before.endswith(("几", "数")):
            continue  # 几十位老人, 数百户: no number
        if after.startswith("年") and not n.chinese and 1900 <= n.value <= 2100:
            if _BUILT.search(before) or _BUILT_AFTER.match(after[1:]) or re.search(
                    r"于$", before) and _BUILT_AFTER.match(after[1:]):
                add("built_year", n.value, "年", 0.9, written=sentence[n.start:n.end + 1])
            continue
        if after.startswith(("%", "％")):
            if _ELDERLY.search(sentence[max(0, n.start - 24):n.start]) and not re.search(
                    r"儿童|青少年", sentence[max(0, n.start - 8):n.start]):
                add("elderly_share", n.value, "%", 0.85, n.approximate,
                    sentence[n.start:n.end + 1])
            continue
        # the unit may stand a character or two away: 80 个, 300余平方米
        gap = re.match(r"\s{0,2}", after).end()
        unit_text = after[gap:]
        unit = next((u for u in _UNITS if unit_text.startswith(u[0])), None)
        if unit is None and sentence[n.end - 1:n.end] in "万亿" and unit_text.startswith("元"):
            add("money", n.value / 10_000, "万元", 0.9, n.approximate, sentence[n.start:n.end + 1])
            continue
        residents = _RESIDENTS_AFTER.match(unit_text) and (
            n.value >= 1000 or _RESIDENTS_PLACE.search(before)) and not re.search(
                r"惠及|服务|接待|受益|覆盖|带动|容纳|由|参与", before[-8:])
        if unit is None and residents:
            add("population", n.value, "人", 0.7, n.approximate,
                sentence[n.start:n.end + gap + _RESIDENTS_AFTER.match(unit_text).end()])
            continue  # 周边2.3万居民
        if unit is None:
            if re.match(r"万(?![人户])", sentence[n.end - 1:n.end + 1]) and _MONEY_CUE.search(
                    before):
                add("money", n.value / 10_000, "万元", 0.6, n.approximate,
                    sentence[n.start:n.end])
            continue
        word, kind, factor, stored = unit
        written = sentence[n.start:n.end + gap + len(word)]
        if not kind:
            continue
        value = round(n.value * factor, 6)
        if kind == "money":
            add("money", value, stored, 0.9, n.approximate, written)
        elif kind == "area":
            add("area", value, stored, 0.9, n.approximate, written)
        elif kind == "households":
            if unit_text.startswith("户户") or re.search(r"低保|特困|残疾", after[:4]):
                continue
            add("households", value, "户", 0.9, n.approximate, written)
        elif kind == "population":
            add("population", value, "人", 0.9, n.approximate, written)
        elif kind == "buildings":
            if not (_BUILDINGS_CUE.search(before) or re.match(
                    r"^[栋幢](?:房屋|居民楼|楼|住宅|建筑)", unit_text)):
                continue  # 耐火小区2栋: a building's number, not a count
            add("buildings", value, "栋", 0.85, n.approximate, written)
        elif kind == "people" and (word == "人" and _POPULATION_BEFORE.search(before[-14:])
                                   or residents) \
                and not re.search(r"惠及|服务|接待|参加|参与|受益|覆盖|带动", before[-8:]):
            add("population", value, "人", 0.7, n.approximate, written)
        else:
            unit_end = n.end + gap + len(word)
            if value == 1 and (word == "处" or not re.match(r"[\u4e00-\u9fff]",
                                                            sentence[unit_end:unit_end + 1])):
                continue  # 新建非机动车棚1处, 康复理疗室1间: "a room", not a key number
            noun = _counted_noun(sentence, tokens, n.start, n.end + gap + len(word))
            conf = 0.55 if kind == "count" else 0.5
            if re.search(r"每(?![天日年月周晚早次])", re.split(r"[，。；：]", before)[-1][-8:]):
                continue  # 每个小区不少于1处: a norm, not a count
            unit_end = n.end + gap + len(word)
            if sentence[unit_end:unit_end + 1] in ("“", "\"") or any(
                    t.tag == "TIME" and t.start == unit_end for t in tokens):
                continue  # 三个“100%”, 四个晚上
            opened = sentence[max(0, n.start - 8):n.start]
            # a slogan is a short quotation (“三个三”); quoted speech goes on after the count
            closes = re.match(r"[^“”]{0,4}”", sentence[unit_end:])
            if ("“" in opened and "”" not in opened[opened.rfind("“"):] and closes) or re.fullmatch(
                    r"[一二三四五六七八九十百千万\d]+", noun):
                continue  # “三个三”, “六个一”: a slogan, not a count
            if not noun:
                noun, conf = ("人", 0.5) if kind == "people" else (word, 0.4)
            if noun in ("时间", "小时", "分钟", "月", "年", "天", "周", "工作日") \
                    or _COMPARISON.match(sentence[unit_end:]):
                continue  # 两个篮球场那么大: a comparison, not a count
            add(f"count:{noun}", value, word, conf, n.approximate, written)
    return facts


# ----- the whole article --------------------------------------------------------------------


def extract(article: CleanArticle, progress: Callable[[int, int], bool] | None = None
            ) -> Extraction:
    """Propose the communities, facilities and facts of a cleaned article.

    The first call in a process loads the LAC model and the gazetteer (about a
    second); then a sentence takes a few milliseconds.

    Parameters
    ----------
    article : CleanArticle
        From :func:`layers.articles.cleaning.clean_article`.
    progress : callable, optional
        ``progress(done, total)`` after each sentence analysed; returning False stops
        and returns an empty Extraction (cancelled).

    Returns
    -------
    Extraction
        The proposals, each with quote, offsets and confidence.
    """
    from layers.articles.facility_names import facility_mentions
    from layers.articles.gazetteer import anchors, resolve
    from layers.articles.lexer import analyse
    from layers.articles.names import COMMUNITY_THRESHOLD, community_mentions

    text = article.text
    result = Extraction()
    spans = sentences(text)
    analysed = []
    counts: dict[str, int] = {}
    established: set[str] = set()
    for done, (s0, s1) in enumerate(spans, 1):
        sentence = text[s0:s1]
        tokens = analyse(sentence)
        if progress is not None and progress(done, len(spans)) is False:
            return Extraction()
        facilities = facility_mentions(sentence, tokens)
        fac_spans = [(f.start, f.end) for f in facilities]
        # a first pass, to count the name-shaped spans used more than once: a name said
        # twice is a proper name even where one mention has no other cue
        named_ends = set()
        for c in community_mentions(sentence, tokens, (), fac_spans, threshold=0.45):
            counts[c.name] = counts.get(c.name, 0) + 1
            if c.score >= COMMUNITY_THRESHOLD:
                established.add(c.name)
                named_ends.add(c.end)
        if named_ends:  # a short form right after a community is named by it
            facilities = facility_mentions(sentence, tokens, frozenset(named_ends))
            fac_spans = [(f.start, f.end) for f in facilities]
        analysed.append((s0, s1, sentence, tokens, facilities, fac_spans))
    # said twice, or once with a cue that only a community's name takes
    accepted = {n for n, c in counts.items() if c >= 2} | established
    cities, provinces = anchors(text)
    seen_comm: dict[str, Proposal] = {}
    seen_fac: dict[tuple[str, str], Proposal] = {}
    phrases: dict[int, str] = {}  # each facility's phrase without its community
    tallies: set[int] = set()  # facilities said with a count and no name (口袋公园5个)
    several: set[str] = set()  # facility words counted as several places (两个充电棚)
    current: str | None = None
    for s0, s1, sentence, tokens, facilities, fac_spans in analysed:
        quote = sentence.strip()
        mentions = community_mentions(sentence, tokens, accepted, fac_spans)
        ends = frozenset(c.end for c in mentions)
        if ends - {f.phrase_start for f in facilities}:
            # a name the article established (据点设于文英里|活动中心二楼) names the
            # short form after it too
            facilities = facility_mentions(sentence, tokens, ends)
        for c in mentions:
            written = {k: v for k, v in _admin_context(text, s0 + c.start).items() if v}
            written.update(c.written)
            written.pop("street", None) if "street" in written and not written["street"] else None
            path, _ok = resolve({k: written.get(k) for k in ("province", "city", "district")},
                                cities, provinces)
            if not any(path.values()) and len(cities) == 1:
                # the article is about one city (随州日报 on 随州): its city and province
                path, _ok = resolve({"city": next(iter(cities))}, cities, provinces)
            fields = {"street": written.get("street"), **path}
            prop = seen_comm.get(c.name)
            if prop is None:
                prop = Proposal(c.name, quote, (s0, s1), confidence=c.score,
                                mention=(s0 + c.start, s0 + c.end),
                                **{k: fields.get(k) for k in ("street", "district", "city",
                                                              "province")})
                seen_comm[c.name] = prop
                result.communities.append(prop)
            else:  # a later mention may name the street or city the first one left out
                prop.confidence = max(prop.confidence, c.score)
                for key in ("street", "district", "city", "province"):
                    if fields.get(key) and not getattr(prop, key):
                        setattr(prop, key, fields[key])
        # what owns a facility said before this sentence's places; an item of a numbered
        # list (（三）新增公共停车泊位210个) starts afresh
        before_sentence = None if _ITEM_START.match(sentence) else current
        if mentions:
            # the most specific place named (a 小区 over its 社区) owns what follows
            estates = [c.name for c in mentions if not c.name.endswith("社区")]
            current = (estates or [mentions[-1].name])[-1]
        kept: list = []
        kept_owner: dict[int, str | None] = {}
        for f in facilities:
            owner = next((c.name for c in reversed(mentions) if c.start < f.start),
                         before_sentence)
            clause = sentence[_clause_start(sentence, f.phrase_start):f.phrase_start]
            reason = not_a_place(sentence, f, mentions, clause)
            if reason == "several":
                several.add(f.word)  # 风雨坛社区新建充电棚3处: a number, no one place
            if reason or not f.proper and f.name == f.word and f.word in several:
                continue  # (充电棚投用半年来, after 建的两个充电棚: those, not another)
            # the same kind of facility again in one sentence, counted (40个充电位) or with
            # no name of its own, is part of the first one
            if f.word.endswith(PARTS) and f.counted and not f.proper and kept and re.search(
                    r"(?:设有|配有|配备|内设|安装有|装有)$",
                    sentence[max(0, f.phrase_start - 4):f.phrase_start]):
                continue  # 停车场设有充电桩12个: equipment of the place just named
            # (of the same place: 华苑小区地下停车库…机关宿舍地面停车位 are two)
            # (nor one listed after it: 公共停车场1处、路内泊位35个)
            if any(k.category == f.category and kept_owner[id(k)] == owner and (
                    f.counted and not f.proper and (
                        f.word == k.word or f.word.endswith(PARTS)) or (
                    f.name in k.name or k.name in f.name) and not (f.proper and k.counted)
                    or f.word.endswith(PARTS) and not f.proper)
                    and not (f.word.endswith(PARTS) and "、" in sentence[k.end:f.phrase_start])
                    for k in kept):
                continue
            kept.append(f)
            kept_owner[id(f)] = owner
            before = sentence[max(0, f.phrase_start - 5):f.phrase_start]
            if not f.proper and ANAPHOR.search(before) \
                    and any(p.category == f.category for p in result.facilities):
                continue  # 这家社区咖啡馆: the one the article named before (“鹭邻咖啡”)
            if f.counted and not f.proper and owner is None:
                continue  # 全市新建社区老年食堂42家: a tally, not one facility
            # the community the phrase names: just before it (翠屏社区居家养老服务站), inside
            # it (新罗区南城街道翠屏社区党群服务中心) or overlapping it (石榴园社区服务站)
            adjacent = next((c for c in mentions if f.phrase_start <= c.end <= f.start
                             or (c.start <= f.phrase_start < c.end)), None)
            if adjacent is not None:
                name = sentence[adjacent.start:f.end]
                owner = adjacent.name
            elif f.proper:
                name = f.name
            else:
                # the 社区 written before the words (…移至社区阅览室) stays in the name
                lead = "社区" if sentence[max(0, f.phrase_start - 2):f.phrase_start] == "社区" \
                    and not f.name.startswith("社区") and not (owner or "").endswith("社区") \
                    else ""
                name = (owner or "") + lead + f.name
            key = (f.category, name)
            if key in seen_fac:
                continue
            # the same facility named again, longer or shorter (党建文化长廊 / 文化长廊)
            # (a tally, 口袋公园5个, is not the one named later, “樱花园”口袋公园)
            # (or a quoted name said again without its quotes: 改造后的邻里汇 of “金星邻里汇”)
            same = next((p for (cat, n), p in seen_fac.items() if cat == f.category
                         and (p.community == owner or not f.proper and n.startswith("“")
                              and f.name in n)
                         and not (f.proper and id(p) in tallies)
                         and any(
                             a in b for a, b in ((n, name), (name, n), (phrases[id(p)], f.name),
                                                 (f.name, phrases[id(p)])))), None)
            if same is not None:
                same.confidence = max(same.confidence, f.confidence)
                continue
            # a facility of no community named so far (a headline's “红色驿站”) is unplaced
            conf = f.confidence if owner else min(f.confidence, 0.5)
            # a room with a name of its own (“格桑花”老年活动室) is a facility of no kind
            # the lexicon has, as the labelling guide says of “老友记”活动室
            category = "other" if f.proper and name.startswith(("“", "「")) \
                and f.word.endswith("活动室") else f.category
            prop = Proposal(name, quote, (s0, s1), category=category, community=owner,
                            confidence=round(conf, 2), mention=(s0 + f.phrase_start, s0 + f.end))
            seen_fac[key] = prop
            phrases[id(prop)] = f.name
            if f.counted and not f.proper:
                tallies.add(id(prop))
            result.facilities.append(prop)
        result.facts.extend(read_facts(sentence, tokens, current, (s0, s1),
                                       [(c.start, c.name) for c in mentions]))
    return result


_UNIT = re.compile(r"[\u4e00-\u9fff]{2,4}?(?:街道|自治县|县|区|市)")
_UNIT_BREAK = re.compile(r"[是在了的和与及属为到观访]")


def _admin_context(text: str, pos: int) -> dict[str, str | None]:
    """Street, district and city named just before ``pos`` in the same paragraph."""
    from layers.articles.gazetteer import admin_name

    line_start = text.rfind("\n", 0, pos) + 1
    window = text[max(line_start, pos - 24):pos]
    ctx: dict[str, str | None] = {"street": None, "district": None, "city": None,
                                  "province": None}
    piece = (_UNIT_BREAK.split(window)[-1:] or [""])[0]
    for m in _UNIT.finditer(piece):
        unit = m.group()
        if unit.endswith(("社区", "小区")) or re.search(r"[一二三四五六七八九十]区$", unit):
            continue
        if unit.endswith("街道"):
            ctx["street"] = unit
            continue
        areas = admin_name(unit)
        if areas:
            ctx[areas[0].level] = unit
    return ctx
