"""Reading an article into proposals: communities, facilities and numeric facts.

Rule- and lexicon-based, offline. Every proposal carries the sentence it came from
as its quote and that sentence's character offsets in the cleaned text.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from layers.articles.cleaning import CleanArticle
from layers.model.categories import CATEGORIES

CJK = r"\u4e00-\u9fff"
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")
#: Names end in these; numbered estates (翠苑一区) end in a numeral and 区.
_SUFFIX = re.compile(r"社区|小区|(?<=[一二三四五六七八九十])区")
#: A name never runs back over these.
_LEFT_STOP = set("，。、；：！？“”‘’（）()《》「」 \n"
                 "的了和与及在是到为把对将从于被让等个该本其这那每")
_ADMIN = re.compile(rf"[{CJK}]{{1,8}}?(?:省|自治区|市|自治州|县|区|街道|镇|乡)")
_GENERIC = ("示范", "美好", "幸福", "完整", "未来", "现代", "和谐", "老旧", "管理", "职工", "住宅",
            "改居", "物业", "友好型", "星级", "城市", "基层", "强基", "无障碍", "标杆", "全国",
            "省级", "首批", "建设", "治理", "党建", "居民", "新开发", "老", "新", "大型", "各",
            "全", "整个", "辖区", "周边", "所在", "所有", "更多", "当地", "居住", "最美",
            "型")
_NOT_NAME_START = ("在", "对", "将", "把", "从", "为", "让", "于", "向", "给", "当", "由", "该",
                   "本", "兜底", "管理", "隶属", "推行", "参观", "采访")

#: Facility words by category, most specific first: the registry's synonyms. Its short
#: forms (停车, 服务中心) also occur in unrelated phrases (停车费, a clinic's 服务中心).
FACILITY_WORDS: dict[str, tuple[str, ...]] = {c.id: c.synonyms for c in CATEGORIES
                                              if c.synonyms}

_NUM = r"\d+(?:\.\d+)?"
_FACTS: list[tuple[str, re.Pattern[str], str]] = [
    ("households", re.compile(rf"({_NUM})户"), "户"),
    ("population", re.compile(rf"({_NUM})(万)?(?:常住)?人口"), "人"),
    ("buildings", re.compile(rf"({_NUM})(?:幢|栋)(?:房屋|居民楼|楼)?"), "栋"),
    ("built_year", re.compile(r"(?:始建于|建成于)?(\d{4})年(?:建成|始建|建)"), "年"),
    ("built_year", re.compile(r"始建于(\d{4})年"), "年"),
    ("elderly_share", re.compile(rf"60岁以上[^。%]{{0,20}}?({_NUM})%"), "%"),
    ("area", re.compile(rf"({_NUM})(?:平方米|平米|㎡)"), "m²"),
    ("money", re.compile(rf"({_NUM})万元"), "万元"),
    ("date", re.compile(r"(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?"), "date"),
]
_COUNT = re.compile(rf"({_NUM})(台|个|处|间|支|名|座|辆)([{CJK}]{{1,4}})")


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
                            if k not in ("street", "district", "city")} for p in self.facilities],
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


#: Pronouns, particles and function words: a proper name holds none of them.
_FUNCTION_CHARS = set("我你他她们贵该这那也都就还又很不没着过了请让把被给对向跟同"
                      "进出去到每各整全部些本其此某由以及而且但却所可能要会在有是为将从于帮问查看")
#: Typical last words of a residential estate's proper name.
_ESTATE_ENDINGS = ("公寓", "花园", "家园", "新村", "苑", "城", "楼", "坊", "府", "庭", "湾", "园",
                   "里", "居", "阁", "邸", "院", "山庄", "名都", "印象")
_AFTER_NAME = re.compile(r"^(?:隶属|位于|地处|坐落|是|始建|建于|共有|有)")


def _candidate_names(sentence: str) -> list[tuple[int, int, str, bool]]:
    """Name-shaped spans, and whether an administrative unit stood just before."""
    out = []
    for m in _SUFFIX.finditer(sentence):
        end = m.end()
        start = m.start()
        while start > 0 and sentence[start - 1] not in _LEFT_STOP and m.start() - start < 10 \
                and "\u4e00" <= sentence[start - 1] <= "\u9fff":
            start -= 1
        core = sentence[start:m.start()]
        # drop an administrative prefix: 龙洲街道翠光社区 -> 翠光社区
        after_admin = False
        while True:
            a = _ADMIN.match(core)
            if not a or len(core) - a.end() < 2:
                break
            # a real unit (西城街道, 岳塘区) is evidence; a bare 社区 or 小区 is not
            after_admin = after_admin or a.end() >= 3
            start += a.end()
            core = core[a.end():]
        for word in _NOT_NAME_START:
            if core.startswith(word) and len(core) - len(word) >= 2:
                start += len(word)
                core = core[len(word):]
        stem = core[:-1] if m.group() == "区" else core  # 最美一区: judge 最美
        if len(stem) < 2 or any(stem.endswith(g) for g in _GENERIC) or stem in _GENERIC:
            continue
        if re.search(r"\d", core) or set(core) & _FUNCTION_CHARS:
            continue
        name = sentence[start:end]
        if re.fullmatch(rf"[{CJK}]+[一二三四五六七八九十]区社区", name):
            name = name[:-2]  # 翠苑一区社区 is the community 翠苑一区
            end -= 2
        evidence = (after_admin or bool(_AFTER_NAME.match(sentence[end:]))
                    or core.endswith(_ESTATE_ENDINGS) or m.group() == "区")
        out.append((start, end, name, evidence))
    return out


def _community_names(sentence: str, accepted: set[str] | None = None
                     ) -> list[tuple[int, int, str]]:
    """Community names in a sentence that have evidence of being proper names."""
    return [(a, b, n) for a, b, n, ok in _candidate_names(sentence)
            if ok or (accepted is not None and n in accepted)]


_UNIT = re.compile(rf"[{CJK}]{{2,4}}?(?:街道|自治县|县|区|市)")
_UNIT_BREAK = re.compile(r"[是在了的和与及属为到观访]")


def _admin_context(text: str, pos: int) -> dict[str, str | None]:
    """Street, district and city named just before ``pos`` in the same paragraph."""
    line_start = text.rfind("\n", 0, pos) + 1
    window = text[max(line_start, pos - 24):pos]
    ctx: dict[str, str | None] = {"street": None, "district": None, "city": None}
    # read the units right to left: 杭州市上城区红梅社区 -> 上城区, 杭州市
    for piece in reversed(_UNIT_BREAK.split(window)[-1:] or [""]):
        for m in _UNIT.finditer(piece):
            unit = m.group()
            if unit.endswith(("社区", "小区")) or re.search(r"[一二三四五六七八九十]区$", unit):
                continue
            key = ("street" if unit.endswith("街道") else
                   "city" if unit.endswith("市") else "district")
            ctx[key] = unit
    return ctx


def _facility_name(sentence: str, start: int, word: str, community: str | None,
                   accepted: set[str]) -> str:
    before = sentence[:start]
    quoted = re.search(r"[“\"]([^“”\"]{1,10})[”\"]$", before)
    if quoted:
        return f"“{quoted.group(1)}”{word}"
    named = [n for _a, b, n in _community_names(before, accepted) if b == len(before)]
    if named:
        return named[-1] + word
    return (community or "") + word


def extract(article: CleanArticle) -> Extraction:
    """Propose the communities, facilities and facts of a cleaned article.

    Parameters
    ----------
    article : CleanArticle
        From :func:`layers.articles.cleaning.clean_article`.

    Returns
    -------
    Extraction
        The proposals, each with quote and offsets.
    """
    text = article.text
    result = Extraction()
    # a name said twice in the article is a proper name even without other evidence
    counts: dict[str, int] = {}
    for s0, s1 in sentences(text):
        for _a, _b, n, _ok in _candidate_names(text[s0:s1]):
            counts[n] = counts.get(n, 0) + 1
    accepted = {n for n, c in counts.items() if c >= 2}
    seen_comm: dict[str, Proposal] = {}
    seen_fac: set[tuple[str, str]] = set()
    current: str | None = None
    for s0, s1 in sentences(text):
        sentence = text[s0:s1]
        names = _community_names(sentence, accepted)
        for a, _b, name in names:
            ctx = _admin_context(text, s0 + a)
            if name not in seen_comm:
                prop = Proposal(name, sentence.strip(), (s0, s1), **ctx)
                seen_comm[name] = prop
                result.communities.append(prop)
            else:  # a later mention may name the street or city the first one left out
                prop = seen_comm[name]
                for key, value in ctx.items():
                    if value and not getattr(prop, key):
                        setattr(prop, key, value)
        if names:
            # the most specific place named (a 小区 over its 社区) owns what follows
            estates = [n for _a, _b, n in names if not n.endswith("社区")]
            current = (estates or [names[-1][2]])[-1]
        taken: list[tuple[int, int]] = []
        for category, words in FACILITY_WORDS.items():
            for word in words:
                for m in re.finditer(re.escape(word), sentence):
                    if any(a <= m.start() < b for a, b in taken):
                        continue
                    taken.append((m.start(), m.end()))
                    owner = next((n for a, _b, n in reversed(names) if a < m.start()), current)
                    name = _facility_name(sentence, m.start(), word, owner, accepted)
                    key = (category, name)
                    if key in seen_fac:
                        continue
                    seen_fac.add(key)
                    result.facilities.append(Proposal(name, sentence.strip(), (s0, s1),
                                                      category=category, community=owner))
        for kind, pattern, unit in _FACTS:
            for m in pattern.finditer(sentence):
                if kind == "date":
                    value: float | str = "-".join(g.zfill(2) if i else g for i, g in
                                                  enumerate(m.groups()) if g)
                else:
                    value = float(m.group(1)) * (10000 if kind == "population" and
                                                 m.lastindex and m.group(2) else 1)
                result.facts.append(Fact(current, kind, value, unit, sentence.strip(),
                                         (s0, s1)))
        for m in _COUNT.finditer(sentence):
            noun = re.split(r"[都能正在的了是和与及为]", m.group(3))[0]
            if not noun:
                continue
            result.facts.append(Fact(current, f"count:{noun}", float(m.group(1)), m.group(2),
                                     sentence.strip(), (s0, s1)))
    return result
