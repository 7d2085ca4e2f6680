"""Whether a facility a sentence mentions is a place that exists today.

Articles name facilities that are only proposed (建议…新建), planned (拟建, 规划为),
counted by the handful (新建充电棚3处), closed or torn down (已于上月拆除), replaced
(原来的自行车棚被改造成…), asked about (…在哪里？), lacking (小区没有充电桩) or run as a
business. :func:`not_a_place` says which, so :func:`layers.articles.extraction.extract`
proposes only the places a planner would map; every rule here is one the labelled
passages (``tests/articles/labelled``) taught.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from layers.articles.facility_names import FacilityMention

#: Facility words that name a part of a facility (充电桩 in a 充电棚, 车位 in a 停车库): said
#: after a facility of their kind in one sentence they are that facility's equipment
PARTS = ("桩", "位", "口", "端口", "插座", "柜")

#: In a facility's clause: a proposal or a recommendation, not a place that exists
_PROPOSED = re.compile(r"(?:建议|提议|呼吁|倡议)(?:[：:，]|将|在|利用|由|结合|按|新建|建设|增设|"
                       r"加快|推进|对|把|尽快|有关部门)|如果能|希望能|能否|能不能|可不可以|"
                       r"建议中|提出建议|建成后|要求[^，。；]{0,6}(?:增建|新建|建设|增设)|是否(?:建设|新建|建|增设)|申请(?:在|增设|新建|建设)|正在评估|可行性|期待|盼望|鼓励|"
                       r"规划(?:为|成|建设|新建|用作)|初步考虑|考虑在|(?<!根据)(?<!采纳)(?<!居民)建议[^，。；]{0,4}牵头|"
                       r"拟(?:改造|增设|新增|设置|实施|拆除)|想在|想建|想把|打算|正在选址|拟在|拟建|"
                       r"拟新建|计划在|计划新建|计划再建|"
                       r"计划建|计划将|下一步|(?:明年|今后|将)争取|希望在|希望[^，。；]{0,6}能|"
                       # the future (将在…新建, 将于…加建), not 将 of disposal (将原锅炉房改造为)
                       r"将(?:在|于)[^，。；]{0,14}(?:试点)?(?:新建|加建|兴建|建设|建|改建|增设|改作)|"
                       r"将(?:新建|加建|兴建)|将利用[^，。；]{0,12}(?:增设|新建|建设)")
#: Just before a named facility: it is planned (计划年内拟建“邻里驿站”一处)
_PROPOSED_NAME = re.compile(r"(?:拟建|拟新建|计划新建|计划建设|将新建|打算建)[^，。；]{0,2}$")
#: Around a facility: it was planned and never built (原规划的健身广场至今未建)
_NEVER_BUILT = re.compile(r"(?:原规划的?|原来规划的?)$")
_NOT_BUILT_AFTER = re.compile(r"^[^，。；]{0,4}(?:至今未建|尚未建|迟迟未建|没有建|未建成|"
                              r"被[^，。；]{0,6}建成了|已拆除|被拆除|(?:仍|正)在选址|选址中|"
                              r"(?:正在|仍在)?协调中|正在协调|筹建中|规划中|待建|缺口|"
                              r"已?列入[^，。；]{0,12}计划|(?:都)?还没有(?:最终)?确定|尚未确定|"
                              r"建设计划|建设规划|建设任务|设计方案|改造方案|正在论证|选址工作)"
                              # right after it: too few (仍有部分小区充电车棚不足)
                              r"|^(?:数量)?(?:不足|短缺|紧缺)")
#: After a facility word and a list of others: kinds of facilities, not places (托育机构、
#: 养老机构、老年助餐点等设施情况)
_KINDS_AFTER = re.compile(r"^(?:、[^，。；、]{1,10})*等(?:设施|场所|场地|服务设施|配套设施|配套)")
#: In a clause, work that has begun: a facility said with 将新建 is being built
_UNDER_WAY = re.compile(r"已开工|开工建设|正在建|正在施工|在建(?:项目|工程|中)|主体完工|"
                        r"预计[^，。；]{0,8}(?:完工|建成|投用|投入使用|开放|启用)")
#: Just before a facility word: there is none (小区没有充电桩)
_NEGATED = re.compile(r"(?:没有|没|无)[^，。；]{0,2}$|(?:没有一处|缺少|缺乏)[^，。；]{0,8}$")
#: Just after a facility word: a business, not a community facility (“易充”充电站为商业经营)
_COMMERCIAL = re.compile(r"^[^，。；]{0,3}(?:为|是|属于|系)?(?:商业|商户|个体|私人)")
#: A count next to a facility word: how many (口袋公园5个, 建成社区老年食堂17家)
_TALLY = re.compile(r"([\d一二两三四五六七八九十百千万.]+)[余多]?([个处台间座辆张位家块所])")
#: In a counted facility's clause: a total over an area, not one place (全区建成食堂21家)
_WHOLE_AREA = re.compile(r"全(?:省|市|区|县|镇|乡|街道|旗)(?![^，。；]{0,10}计划)|"
                         r"各(?:街道|社区|镇|村)|共计|累计|"
                         r"(?:^|[，,；;]|\d[.、．]\s*)(?:城区|市区|县城|主城区)")
#: After a facility word: every place has one, a kind (9个社区实现养老服务站全覆盖)
_COVERAGE_AFTER = re.compile(r"^(?:全覆盖|覆盖率|服务全覆盖)")


def _is_tally(sentence: str, facility: object, mentions: list) -> bool:
    """Tell whether a counted facility word is a total: many, and no place in its clause.

    ``新增停车位1800个`` after the places it covers, ``城中区建成老年食堂17家``; but
    not ``风雨坛社区新建停车位30个`` (an estate's; several places, 充电棚3处, are
    dropped by :func:`_several_places`).
    """
    from layers.model.numbers import parse_number

    start = max(sentence.rfind(c, 0, facility.phrase_start) for c in "，,；;。") + 1
    end = min([i for i in (sentence.find(c, facility.end) for c in "，,；;。") if i >= 0]
              or [len(sentence)])
    if any(start <= c.start < end for c in mentions):
        return False
    near = sentence[max(start, facility.phrase_start - 6):min(end, facility.end + 8)]
    for m in _TALLY.finditer(near):
        value = parse_number(m.group(1))
        # facilities counted (17家, 9座), not spaces or chargers (停车位310个 are one car park)
        if m.group(2) == "家" or m.group(2) in "处座间" and value is not None and value >= 5:
            return True
    return False


def _several_places(sentence: str, facility: object) -> bool:
    """Tell whether a counted facility word counts several places (新建充电棚3处, 两个篮球场).

    A count of places is a number, not a facility: no one place is meant. Spaces and
    equipment (停车位215个, 充电桩40个) are counted inside one place and stay a facility.
    """
    from layers.model.numbers import parse_number

    # a locker counted (两个换电柜, 换电柜3台) is equipment too, not a place
    lockers = facility.word.endswith("柜")
    if facility.word.endswith(PARTS) and not lockers:
        return False
    start = max(sentence.rfind(c, 0, facility.phrase_start) for c in "，,；;。、") + 1
    end = min([i for i in (sentence.find(c, facility.end) for c in "，,；;。、") if i >= 0]
              or [len(sentence)])
    near = sentence[max(start, facility.phrase_start - 6):min(end, facility.end + 6)]
    for m in _TALLY.finditer(near):
        value = parse_number(m.group(1))
        if (m.group(2) in "个处座间家所块" or lockers and m.group(2) == "台") \
                and value is not None and value >= 2:
            return True
    return False


#: Before a facility word: the one already named (这家社区咖啡馆, 该中心, 此驿站)
ANAPHOR = re.compile(r"(?:这|那|该|此|本)(?:家|个|处|座|间|所|一)?(?:社区|小区)?$")
#: Before a facility word, then a change after it: what the place was before (原来的自行车棚
#: 被改造成…), not a facility
_FORMER = re.compile(r"(?:原来|原先|原本|以前|过去|昔日|之前|原|废弃|"
                     r"(?<![一二两三四五六七八九十\d])把|将(?!于|在))(?:的)?[^，。；]{0,8}$")
_BECAME = re.compile(r"^[^。；]{0,12}?(?:改造成|改建成|改建为|改成|变成|改为|变身|基础上改|"
                     r"拆除|拆掉)")
#: After a facility word: what it was made from (由一处闲置停车场改造而来), or it is gone
#: (车棚已于上月拆除, 已停止使用)
_WAS_AFTER = re.compile(r"^[^，。；]{0,4}(?:改造而来|改建而来|改造而成|改建而成)"
                        r"|^[^。；]{0,16}(?:已(?:于[^，。；]{0,6}|按规定)?拆除|已停止使用|已停用|"
                        r"已关闭|已关停|停止运营|停止营业|已停业|已关门|也没了|被拆卸|已拆卸|结业|"
                        r"因[^，。；]{0,6}关门|就[^，。；]{0,4}关门)")
#: Before a facility word: what a new one was made from (由闲置的村小食堂改建)
_MADE_FROM = re.compile(r"由(?:一处|一间|一座)?(?:闲置|废弃|原)?的?[^，。；]{0,6}$")
_MADE_AFTER = re.compile(r"^[^，。；]{0,2}(?:改建|改造)(?:而成|而来)?(?:[，。；]|$)")


def not_a_place(sentence: str, f: FacilityMention, mentions: list, clause: str) -> str | None:
    """Say why a facility mention names no place that exists, or None when it does.

    Parameters
    ----------
    sentence : str
        The sentence.
    f : FacilityMention
        The mention, from :func:`layers.articles.facility_names.facility_mentions`.
    mentions : list
        The communities the sentence names (a count with one in its clause is no total).
    clause : str
        The text of the mention's clause before it.

    Returns
    -------
    str or None
        ``"proposed"``, ``"title"``, ``"never built"``, ``"tally"``, ``"several"`` (a count
        of several places: a number), ``"operator"``, ``"room"``, ``"kind"``, ``"gone"``,
        ``"absent"`` or ``"former"``; None for a place.
    """
    proposed = _PROPOSED.search(clause) if not f.proper else re.search(
        r"建议|提议|提案|倡议|希望|能不能|打算", clause[-30:])
    if (proposed or _PROPOSED_NAME.search(
            sentence[max(0, f.phrase_start - 8):f.phrase_start])) \
            and not _UNDER_WAY.search(sentence):
        return "proposed"  # 建议…新建嵌入式养老服务站: a proposal, not a facility
    if re.search(r"《关于[^》]*$", sentence[:f.phrase_start]) and "》" in sentence[f.end:]:
        return "title"  # 《关于在老城区增设社区食堂的建议》: a document's title
    if not f.proper and (_NEVER_BUILT.search(sentence[max(0, f.phrase_start - 6):
                                                     f.phrase_start])
                         or _NOT_BUILT_AFTER.match(sentence[f.end:])):
        return "never built"  # 原规划的健身广场至今未建
    if f.counted and not f.proper and _WHOLE_AREA.search(clause):
        return "tally"  # 全区建成社区长者食堂21家: a tally
    if f.counted and not f.proper and _is_tally(sentence, f, mentions):
        return "tally"  # 城中区建成社区老年食堂17家: no community in the clause, many
    if f.counted and not f.proper and _several_places(sentence, f):
        return "several"  # 风雨坛社区新建充电棚3处: a number, no one place
    if not f.proper and re.search(r"由[^，。；]{0,10}$", sentence[:f.phrase_start]) \
            and re.match(r"(?:运营|管理|负责|承接|提供)", sentence[f.end:]):
        return "operator"  # 由专业养老机构运营: the operator, not a place
    if f.name.startswith("指定") or not f.proper and re.search(
            r"(?:中心|站|馆|驿站|之家|综合体)(?:内|里)?(?:设有|内设|设)[^，。；]{0,10}$",
            sentence[:f.phrase_start]) and f.word.endswith("室") \
            and f.category != "culture":
        return "room"  # 到指定充电点充电; 活动中心内设乒乓球室: a room of it
    if not f.proper and (re.search(r"[？?]\s*$", sentence)
                         or _KINDS_AFTER.match(sentence[f.end:])) \
            or _COVERAGE_AFTER.match(sentence[f.end:]):
        return "kind"  # 养老服务站全覆盖; a question (…长者饭堂在哪里？) names none
    if _WAS_AFTER.match(sentence[f.end:]) and f.proper or _MADE_FROM.search(
            sentence[max(0, f.phrase_start - 10):f.phrase_start]) and _MADE_AFTER.match(
            sentence[f.end:]):
        return "gone"  # “悦享”社区书吧已关门数月; 由闲置的村小食堂改建: gone, or what it was
    if not f.proper and _NEGATED.search(sentence[max(0, f.phrase_start - 12):
                                                 f.phrase_start]) \
            or _COMMERCIAL.match(sentence[f.end:]):
        return "absent"  # 小区没有充电桩; “易充”充电站为商业经营
    earlier = sentence[max(0, f.phrase_start - 8):f.phrase_start]
    if not f.proper and (_FORMER.search(earlier) and _BECAME.match(sentence[f.end:])
                         or _WAS_AFTER.match(sentence[f.end:])):
        return "former"  # 原来的自行车棚被改造成充电棚: the shed it was
    return None
