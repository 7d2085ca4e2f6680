"""The 街道 report as data: one model that the JSON, XLSX and DOCX writers all show.

:func:`build_report` runs the audit at the report's walk and at the 5-, 10- and
15-minute tiers, adds up the residents covered (:mod:`layers.analysis.residents`)
and gathers the rest a planning office hands upward: each community's row, what
each one misses, the siting proposals if the project has them, and the articles
the data came from. Every sentence of the summary is written here from the same
numbers, so the three files cannot disagree. Nothing here imports Qt.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from layers.analysis.checklist import Checklist
from layers.analysis.coverage import CommunityAudit
from layers.analysis.residents import (
    STREET_UNKNOWN,
    TIERS,
    GroupCoverage,
    ResidentsCoverage,
    audit_tiers,
    residents_coverage,
)
from layers.geo.walking import WalkSettings
from layers.model.categories import get_category, is_category
from layers.model.project import Project

#: Title when none is given.
DEFAULT_TITLE = "社区生活圈设施覆盖报告"
#: A source text of the form ``FILE 《TITLE》`` (how article imports record it).
_SOURCE = re.compile(r"^(?P<file>\S+)\s+《(?P<title>.+)》\s*$", re.S)


@dataclass(frozen=True)
class CategoryInfo:
    """One checklist category as the report names it."""

    category: str
    label: str
    #: covered within this many metres at the report's walk
    radius_m: float


@dataclass(frozen=True)
class CategoryCell:
    """One community × one category at the report's walk."""

    category: str
    met: bool
    #: metres to the nearest facility as the audit measured it (None: there is none)
    nearest_m: float | None
    facility: str | None


@dataclass(frozen=True)
class CommunityRow:
    """One placed community."""

    name: str
    street: str
    population: int | None
    households: int | None
    cells: tuple[CategoryCell, ...]

    @property
    def missing(self) -> list[str]:
        """Category ids the community misses at the report's walk."""
        return [c.category for c in self.cells if not c.met]


@dataclass(frozen=True)
class SummaryRow:
    """Residents covered by one category within one walk tier, for one group."""

    group: str
    category: str
    label: str
    minutes: float
    radius_m: float
    communities: int
    communities_covered: int
    residents: int
    residents_covered: int
    unknown_communities: int
    unknown_covered: int
    #: residents_covered / residents; None when no community's population is known
    share: float | None
    #: communities_covered / communities
    communities_share: float | None


@dataclass(frozen=True)
class Proposal:
    """One row of the ``proposals`` layer, as read (any field may be empty)."""

    rank: int | None
    category: str | None
    label: str
    gain: int | None
    communities: str
    method: str
    minutes: float | None


@dataclass(frozen=True)
class Quote:
    """A quote from an article and the feature it backs."""

    feature: str
    text: str


@dataclass(frozen=True)
class SourceGroup:
    """One article (a ``source`` value) and the quotes taken from it."""

    #: the ``source`` value as stored
    source: str
    #: the article file (the whole source when it names no title)
    file: str
    #: the article's title, from ``FILE 《TITLE》``; "" when the source names none
    title: str
    quotes: tuple[Quote, ...]


@dataclass(frozen=True)
class Chart:
    """The coverage chart: one bar per category and tier."""

    title: str
    #: "residents" (share of known residents) or "communities" (share of communities)
    measure: str
    labels: tuple[str, ...]
    tiers: tuple[float, ...]
    #: tier → one share (0–1, or None) per label
    values: dict[float, tuple[float | None, ...]]


@dataclass
class Report:
    """Everything the report shows, in the order the documents show it."""

    title: str
    date: str
    project: str
    checklist: str
    minutes: float
    walk: str
    method: str
    distance_label: str
    categories: list[CategoryInfo]
    tiers: tuple[float, ...]
    summary_sentences: list[str]
    summary: list[SummaryRow]
    streets: list[SummaryRow]
    chart: Chart
    communities: list[CommunityRow]
    proposals: list[Proposal] | None
    sources: list[SourceGroup]
    notes: list[str] = field(default_factory=list)
    communities_total: int = 0
    not_placed: int = 0
    unknown_population: int = 0

    def label(self, category: str) -> str:
        """Return the report's Chinese name of a category."""
        for c in self.categories:
            if c.category == category:
                return c.label
        return get_category(category).label_zh

    @property
    def missing(self) -> list[tuple[str, list[str]]]:
        """(community, missing category labels) for each community that misses any."""
        return [(r.name, [self.label(c) for c in r.missing]) for r in self.communities
                if r.missing]


def build_report(project: Project, checklist: Checklist, walk: WalkSettings,
                 minutes: float = 10.0, title: str | None = None, along_roads: bool = False,
                 date: _dt.date | None = None,
                 progress: Callable[[int, int], bool] | None = None) -> Report | None:
    """Audit the project and gather the report.

    Parameters
    ----------
    project : Project
        The open project.
    checklist : Checklist
        The categories to report on; every item is taken at ``minutes`` for the
        per-community rows, and at 5, 10 and 15 minutes for the summary.
    walk : WalkSettings
        Walk time to distance.
    minutes : float
        The report's walk.
    title : str, optional
        Report title; :data:`DEFAULT_TITLE` by default.
    along_roads : bool
        Measure walks along the project's ``roads`` layer (it must have one).
    date : datetime.date, optional
        The report's date; today by default.
    progress : callable, optional
        ``progress(done, total)`` while walking along roads; returning False cancels.

    Returns
    -------
    Report or None
        The report; None when cancelled.

    Raises
    ------
    ValueError
        When ``along_roads`` is asked for a project without a roads layer, or
        ``minutes`` is not positive.
    """
    if not minutes or minutes <= 0:
        raise ValueError("the report's walk must be a positive number of minutes")
    if along_roads and not project.has_layer("roads"):
        raise ValueError("the project has no roads layer: import one with "
                         "'import FILE --layer roads' (an OpenStreetMap extract works)")
    communities = project.communities.frame
    boundaries = project.layer("boundaries").frame if project.has_layer("boundaries") else None
    roads = project.layer("roads").frame if along_roads else None
    minutes = float(minutes)
    audits = audit_tiers(communities, project.facilities.frame, checklist, walk,
                         (*TIERS, minutes), boundaries, roads, progress)
    if audits is None:
        return None
    tiered = {t: audits[t] for t in TIERS}
    figures = residents_coverage(communities, tiered, checklist)
    here = audits[minutes]
    along = figures.method == "along roads"
    cats = [CategoryInfo(i.category, i.title, float(here[0].radius_m[i.category]) if here
                         else _radius(walk, minutes, along))
            for i in checklist.items]
    labels = {c.category: c.label for c in cats}
    rows = _community_rows(here, figures, cats, along)
    summary = _summary_rows(figures.total, labels)
    streets = [row for g in figures.streets for row in _summary_rows(g, labels)]
    if along:
        walk_text = f"{minutes:g} 分钟 · 沿道路步行 {walk.speed_m_per_min * minutes:.0f} 米"
    else:
        walk_text = walk.describe(minutes)
    report = Report(
        title=title or DEFAULT_TITLE,
        date=(date or _dt.date.today()).isoformat(),
        project=_project_name(project),
        checklist=checklist.name,
        minutes=minutes,
        walk=walk_text,
        method="沿道路步行距离" if along else "直线距离",
        distance_label="沿道路步行距离（米）" if along else "直线距离（米）",
        categories=cats,
        tiers=TIERS,
        summary_sentences=[],
        summary=summary,
        streets=streets,
        chart=_chart(summary, cats, figures),
        communities=rows,
        proposals=read_proposals(project),
        sources=gather_sources(project),
        communities_total=len(communities),
        not_placed=figures.not_placed,
        unknown_population=figures.unknown_population,
    )
    report.summary_sentences = summary_sentences(report)
    report.notes = _notes(report)
    return report


def _radius(walk: WalkSettings, minutes: float, along: bool) -> float:
    return walk.speed_m_per_min * minutes if along else walk.radius_m(minutes)


def _project_name(project: Project) -> str:
    """Return the project file's name; nothing for a database (its URL may name a user)."""
    path = getattr(project, "path", None)
    return path.name if path is not None else ""


def _community_rows(audit: list[CommunityAudit], figures: ResidentsCoverage,
                    cats: list[CategoryInfo], along: bool) -> list[CommunityRow]:
    people = {c.community_id: c for c in figures.communities}
    rows = []
    for r in audit:
        who = people[r.community_id]
        distances = r.nearest_walk_m if along else r.nearest
        rows.append(CommunityRow(
            printable(r.community), printable(who.street), who.population, who.households,
            tuple(CategoryCell(c.category, c.category in r.covered,
                               distances.get(c.category),
                               printable(r.nearest_name.get(c.category)))
                  for c in cats)))
    return rows


def _summary_rows(group: GroupCoverage, labels: dict[str, str]) -> list[SummaryRow]:
    return [SummaryRow(group.name, f.category, labels[f.category], f.minutes, f.radius_m,
                       f.communities, f.communities_covered, f.residents, f.residents_covered,
                       f.unknown_communities, f.unknown_covered, f.share, f.communities_share)
            for f in group.figures]


def _chart(summary: list[SummaryRow], cats: list[CategoryInfo],
           figures: ResidentsCoverage) -> Chart:
    """Share of known residents covered when any is known, else share of communities."""
    by_residents = any(c.population is not None for c in figures.communities)
    values = {}
    for t in TIERS:
        row = {r.category: r for r in summary if r.minutes == t}
        values[t] = tuple((row[c.category].share if by_residents
                           else row[c.category].communities_share) for c in cats)
    title = ("各类设施步行范围内覆盖的已知人口比例" if by_residents
             else "各类设施步行范围内覆盖的社区比例（人口均未知）")
    return Chart(title, "residents" if by_residents else "communities",
                 tuple(c.label for c in cats), TIERS, values)


def percent(share: float | None) -> str:
    """Return a share as the documents print it: ``86%``, or ``—`` when unknown.

    Parameters
    ----------
    share : float or None
        0–1.

    Returns
    -------
    str
        Whole percent.
    """
    return "—" if share is None else f"{share * 100:.0f}%"


def summary_sentences(report: Report) -> list[str]:
    """Write one sentence per category at the report's walk, from the numbers.

    Parameters
    ----------
    report : Report
        The report (its summary rows at the report's walk, or the nearest tier).

    Returns
    -------
    list of str
        E.g. "14 个社区中有 12 个在 10 分钟步行范围内有社区食堂，覆盖 86% 的已知人口
        （12,345 人中的 10,617 人；2 个社区人口未知）。"
    """
    out = []
    for row in report_walk_rows(report):
        text = (f"{row.communities} 个社区中有 {row.communities_covered} 个在 "
                f"{row.minutes:g} 分钟步行范围内有{row.label}")
        if row.residents:
            text += (f"，覆盖 {percent(row.share)} 的已知人口"
                     f"（{row.residents:,} 人中的 {row.residents_covered:,} 人")
            text += (f"；{row.unknown_communities} 个社区人口未知）" if row.unknown_communities
                     else "）")
        else:
            text += f"；{row.unknown_communities} 个社区人口均未知，无法计算人口覆盖率"
        out.append(text + "。")
    return out


def report_walk_rows(report: Report) -> list[SummaryRow]:
    """Return the project's summary rows at the report's walk (one per category).

    When the report's walk is not one of the tiers, the rows are made from the
    per-community rows (their populations and met/missing).

    Parameters
    ----------
    report : Report
        The report.

    Returns
    -------
    list of SummaryRow
        Checklist order.
    """
    at = [r for r in report.summary if r.minutes == report.minutes]
    if at:
        return at
    rows = []
    for i, c in enumerate(report.categories):
        known = [r for r in report.communities if r.population is not None]
        unknown = [r for r in report.communities if r.population is None]
        residents = sum(r.population for r in known)
        covered = sum(r.population for r in known if r.cells[i].met)
        n, hit = len(report.communities), sum(r.cells[i].met for r in report.communities)
        rows.append(SummaryRow(
            "全部社区", c.category, c.label, report.minutes, c.radius_m, n, hit, residents,
            covered, len(unknown), sum(r.cells[i].met for r in unknown),
            covered / residents if residents else None, hit / n if n else None))
    return rows


def _notes(report: Report) -> list[str]:
    notes = []
    if report.unknown_population:
        notes.append(f"{report.unknown_population} 个社区人口未知：计为社区，但不计入人口，"
                     "人口覆盖率只按人口已知的社区计算")
    if report.not_placed:
        notes.append(f"{report.not_placed} 个社区没有位置，未纳入统计")
    if report.proposals is None:
        notes.append("项目中没有选址建议图层（proposals）")
    return notes


def read_proposals(project: Project) -> list[Proposal] | None:
    """Read the ``proposals`` layer defensively; None when the project has none.

    Parameters
    ----------
    project : Project
        The project.

    Returns
    -------
    list of Proposal or None
        By rank (rows without a rank last), empty fields as None or "".
    """
    if not project.has_layer("proposals"):
        return None
    frame = project.layer("proposals").frame
    out = []
    for _, row in frame.iterrows():
        category = _text(row.get("category")) or None
        label = get_category(category).label_zh if category and is_category(category) else (
            category or "")
        out.append(Proposal(_whole(row.get("rank")), category, label, _whole(row.get("gain")),
                            _text(row.get("communities")), _text(row.get("method")),
                            _number(row.get("minutes"))))
    out.sort(key=lambda p: (p.rank is None, p.rank or 0))
    return out


def gather_sources(project: Project) -> list[SourceGroup]:
    """Group the facilities' and communities' quotes by their ``source``.

    Parameters
    ----------
    project : Project
        The project.

    Returns
    -------
    list of SourceGroup
        Sorted by source; the same quote for the same feature appears once.
    """
    quotes: dict[str, list[Quote]] = {}
    for layer in (project.communities, project.facilities):
        frame = layer.frame
        if "source" not in frame.columns:
            continue
        for name, source, quote in zip(frame["name"], frame["source"],
                                       frame["quote"] if "quote" in frame.columns
                                       else [None] * len(frame), strict=True):
            source = _text(source).strip()
            if not source:
                continue
            group = quotes.setdefault(source, [])
            for text in _text(quote).split("\n"):
                q = Quote(_text(name), text.strip())
                if q.text and q not in group:
                    group.append(q)
    out = []
    for source in sorted(quotes):
        m = _SOURCE.match(source)
        out.append(SourceGroup(source, m["file"] if m else source, m["title"] if m else "",
                               tuple(quotes[source])))
    return out


def _text(value: Any) -> str:
    text = value if isinstance(value, str) else ("" if _missing(value) else str(value))
    return printable(text, keep_lines=True)


#: Control characters (no XML document may hold them); tab and newline are kept apart.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def printable(text: str | None, keep_lines: bool = False) -> str | None:
    """Return ``text`` without control characters, which Word and Excel files cannot hold.

    Parameters
    ----------
    text : str or None
        A name or quote from the planner's data.
    keep_lines : bool
        Keep newlines (quotes are split at them); otherwise they become spaces.

    Returns
    -------
    str or None
        The text (None stays None).
    """
    if text is None:
        return None
    text = _CONTROL.sub("", text)
    return text if keep_lines else text.replace("\r", " ").replace("\n", " ").replace("\t", " ")


def _missing(value: Any) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _number(value: Any) -> float | None:
    if _missing(value):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _whole(value: Any) -> int | None:
    number = _number(value)
    return None if number is None or number != number else int(round(number))


__all__ = ["DEFAULT_TITLE", "STREET_UNKNOWN", "CategoryCell", "CategoryInfo", "Chart",
           "CommunityRow", "Proposal", "Quote", "Report", "SourceGroup", "SummaryRow",
           "build_report", "gather_sources", "percent", "printable", "read_proposals",
           "report_walk_rows", "summary_sentences"]
