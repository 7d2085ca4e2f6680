"""Residents within a 5-, 10- and 15-minute walk of each checklist category.

The coverage audit (:func:`layers.analysis.coverage.run_audit`) decides, for each
community and category, whether the nearest facility is within the walk: the
straight-line radius ``walk.radius_m(minutes)``, or ``speed × minutes`` along the
roads. This module runs that audit once per walk tier and adds up the communities'
``population`` for each category and tier: per community, per street (the
communities' ``street`` field; empty → :data:`STREET_UNKNOWN`) and for the whole
project.

A community whose population is empty is counted as a community but its residents
are *unknown*, never 0: shares are taken over the residents of communities whose
population is known, and every figure carries how many communities had unknown
residents (and how many of those were covered). Communities without a position are
left out of the audit and counted in :attr:`ResidentsCoverage.not_placed`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

import geopandas as gpd
import pandas as pd

from layers.analysis.checklist import Checklist
from layers.analysis.coverage import CommunityAudit, run_audit
from layers.geo.walking import WalkSettings

#: The life-circle walk tiers, minutes (GB 50180-2018: 5-, 10- and 15-minute circles).
TIERS: tuple[float, ...] = (5.0, 10.0, 15.0)
#: The group of communities whose ``street`` field is empty.
STREET_UNKNOWN = "街道未知"
#: The group name of the whole project.
ALL_COMMUNITIES = "全部社区"


@dataclass(frozen=True)
class TierCoverage:
    """Residents of a group of communities covered by one category within one walk.

    Attributes
    ----------
    category : str
        Category id.
    minutes : float
        Walk tier.
    radius_m : float
        The distance that counts as covered: straight-line radius, or metres along roads.
    communities : int
        Communities in the group (with a position).
    communities_covered : int
        Of them, those with the category within the walk.
    residents : int
        Residents of the communities whose population is known.
    residents_covered : int
        Of them, residents of covered communities.
    unknown_communities : int
        Communities whose population is not known.
    unknown_covered : int
        Of them, those covered (their residents are not counted in either figure).
    """

    category: str
    minutes: float
    radius_m: float
    communities: int
    communities_covered: int
    residents: int
    residents_covered: int
    unknown_communities: int
    unknown_covered: int

    @property
    def share(self) -> float | None:
        """Share (0–1) of the known residents covered; None when none is known."""
        return self.residents_covered / self.residents if self.residents else None

    @property
    def communities_share(self) -> float | None:
        """Share (0–1) of the communities covered; None for an empty group."""
        return self.communities_covered / self.communities if self.communities else None


@dataclass
class GroupCoverage:
    """The coverage figures of one group: a community, a street or the project.

    Attributes
    ----------
    name : str
        Community name, street name, :data:`STREET_UNKNOWN` or :data:`ALL_COMMUNITIES`.
    figures : list of TierCoverage
        One per category and tier, categories in checklist order, tiers ascending.
    """

    name: str
    figures: list[TierCoverage] = field(default_factory=list)

    def figure(self, category: str, minutes: float) -> TierCoverage:
        """Return the figure of one category and tier.

        Parameters
        ----------
        category : str
            Category id.
        minutes : float
            Walk tier.

        Returns
        -------
        TierCoverage
            The figure.

        Raises
        ------
        KeyError
            When the category or tier was not computed.
        """
        for f in self.figures:
            if f.category == category and f.minutes == float(minutes):
                return f
        raise KeyError((category, minutes))


@dataclass
class CommunityResidents:
    """One placed community: who lives there and what it reaches in each tier.

    Attributes
    ----------
    community : str
        Name.
    community_id : str
        Feature id.
    street : str
        The ``street`` field, or :data:`STREET_UNKNOWN`.
    population : int or None
        Residents; None when not known.
    households : int or None
        Households; None when not known.
    coverage : GroupCoverage
        This community alone, as a group of one.
    """

    community: str
    community_id: str
    street: str
    population: int | None
    households: int | None
    coverage: GroupCoverage


@dataclass
class ResidentsCoverage:
    """Residents covered per category and tier, per community, street and project.

    Attributes
    ----------
    tiers : tuple of float
        Walk tiers, minutes.
    categories : tuple of str
        Category ids in checklist order.
    method : str
        How walking distance was measured (as :attr:`CommunityAudit.method`).
    communities : list of CommunityResidents
        The placed communities, in layer order.
    streets : list of GroupCoverage
        One per street, named streets sorted, :data:`STREET_UNKNOWN` last.
    total : GroupCoverage
        The whole project.
    not_placed : int
        Communities left out because they have no position.
    """

    tiers: tuple[float, ...]
    categories: tuple[str, ...]
    method: str
    communities: list[CommunityResidents]
    streets: list[GroupCoverage]
    total: GroupCoverage
    not_placed: int = 0

    @property
    def unknown_population(self) -> int:
        """Placed communities whose population is not known."""
        return sum(c.population is None for c in self.communities)


def audit_tiers(communities: gpd.GeoDataFrame, facilities: gpd.GeoDataFrame,
                checklist: Checklist, walk: WalkSettings, tiers: Iterable[float] = TIERS,
                boundaries: gpd.GeoDataFrame | None = None,
                roads: gpd.GeoDataFrame | None = None,
                progress: Callable[[int, int], bool] | None = None
                ) -> dict[float, list[CommunityAudit]] | None:
    """Audit every walk tier: one audit at the longest walk, the others read from it.

    Which facility is nearest, and how far, does not depend on the walk: only
    whether that distance is within the walk does. So the audit runs once, at the
    longest tier (along roads it searches twice that far), and each shorter tier
    is decided from the same distances, as :func:`run_audit` decides it: the
    straight-line distance against the tier's radius, or the walk along the roads
    against speed × minutes. A boundary's covered share is measured at the longest
    tier only (the shorter tiers leave it out).

    Parameters
    ----------
    communities, facilities : GeoDataFrame
        As for :func:`~layers.analysis.coverage.run_audit`.
    checklist : Checklist
        The categories to audit; each item's own minutes are replaced by the tier's.
    walk : WalkSettings
        Walk time to distance.
    tiers : iterable of float
        Walk times, minutes.
    boundaries, roads : GeoDataFrame, optional
        As for :func:`~layers.analysis.coverage.run_audit`.
    progress : callable, optional
        ``progress(done, total)`` while walking along roads; returning False cancels.

    Returns
    -------
    dict or None
        Tier minutes → audit results; None when cancelled.
    """
    tiers = sorted({float(t) for t in tiers})
    if not tiers:
        return {}
    longest = run_audit(communities, facilities, checklist.with_minutes(tiers[-1]), walk,
                        boundaries, roads, progress)
    if longest is None:
        return None
    audits = {minutes: [_at_walk(r, checklist, walk, minutes) for r in longest]
              for minutes in tiers[:-1]}
    audits[tiers[-1]] = longest
    return audits


def _at_walk(result: CommunityAudit, checklist: Checklist, walk: WalkSettings,
             minutes: float) -> CommunityAudit:
    """Return one community's audit decided at a shorter walk, from its distances."""
    along = result.method == "along roads"
    reach = walk.speed_m_per_min * minutes if along else walk.radius_m(minutes)
    distances = result.nearest_walk_m if along else result.nearest
    covered = [i.category for i in checklist.items
               if distances.get(i.category) is not None and distances[i.category] <= reach]
    return replace(result, covered=covered,
                   missing=[i.category for i in checklist.items if i.category not in covered],
                   radius_m={i.category: reach for i in checklist.items}, covered_share={})


def residents_coverage(communities: gpd.GeoDataFrame,
                       audits: dict[float, list[CommunityAudit]],
                       checklist: Checklist) -> ResidentsCoverage:
    """Add up the residents each category covers in each tier.

    Parameters
    ----------
    communities : GeoDataFrame
        The communities audited (``id``, ``name``, ``street``, ``population``,
        ``households``), all of them: those the audit left out (no position) are
        counted in :attr:`ResidentsCoverage.not_placed`.
    audits : dict
        Tier minutes → results, from :func:`audit_tiers`.
    checklist : Checklist
        The checklist audited (category order).

    Returns
    -------
    ResidentsCoverage
        The figures.
    """
    tiers = tuple(sorted(audits))
    categories = tuple(i.category for i in checklist.items)
    rows = {str(cid): i for i, cid in enumerate(communities["id"])}
    first = audits[tiers[0]] if tiers else []
    streets = _column(communities, "street")
    population = _numbers(communities, "population")
    households = _numbers(communities, "households")
    covered: dict[str, dict[tuple[str, float], bool]] = {r.community_id: {} for r in first}
    radius: dict[tuple[str, float], float] = {}
    for minutes in tiers:
        for r in audits[minutes]:
            for cat in categories:
                covered[r.community_id][(cat, minutes)] = cat in r.covered
                radius[(cat, minutes)] = float(r.radius_m[cat])
    people: list[CommunityResidents] = []
    for r in first:
        i = rows[r.community_id]
        street = streets[i].strip() if streets[i] else ""
        people.append(CommunityResidents(
            r.community, r.community_id, street or STREET_UNKNOWN, population[i],
            households[i], GroupCoverage(r.community)))
    for c in people:
        c.coverage.figures = _figures([c], covered, radius, categories, tiers)
    names = sorted({c.street for c in people} - {STREET_UNKNOWN})
    if any(c.street == STREET_UNKNOWN for c in people):
        names.append(STREET_UNKNOWN)
    street_groups = [GroupCoverage(name, _figures([c for c in people if c.street == name],
                                                  covered, radius, categories, tiers))
                     for name in names]
    total = GroupCoverage(ALL_COMMUNITIES, _figures(people, covered, radius, categories, tiers))
    method = first[0].method if first else "straight line × detour"
    return ResidentsCoverage(tiers, categories, method, people, street_groups, total,
                             not_placed=len(communities) - len(first))


def _figures(members: Sequence[CommunityResidents],
             covered: dict[str, dict[tuple[str, float], bool]],
             radius: dict[tuple[str, float], float], categories: Sequence[str],
             tiers: Sequence[float]) -> list[TierCoverage]:
    out = []
    known = [c for c in members if c.population is not None]
    unknown = [c for c in members if c.population is None]
    residents = sum(c.population for c in known)
    for cat in categories:
        for minutes in tiers:
            key = (cat, minutes)
            out.append(TierCoverage(
                cat, minutes, radius.get(key, float("nan")), len(members),
                sum(covered[c.community_id][key] for c in members), residents,
                sum(c.population for c in known if covered[c.community_id][key]),
                len(unknown), sum(covered[c.community_id][key] for c in unknown)))
    return out


def _column(frame: pd.DataFrame, name: str) -> list[str | None]:
    if name not in frame.columns:
        return [None] * len(frame)
    return [v if isinstance(v, str) else None for v in frame[name].tolist()]


def _numbers(frame: pd.DataFrame, name: str) -> list[int | None]:
    """Whole numbers of a count column; empty, negative or unreadable → None (unknown)."""
    if name not in frame.columns:
        return [None] * len(frame)
    values = pd.to_numeric(frame[name], errors="coerce")
    return [None if pd.isna(v) or v < 0 else int(round(float(v))) for v in values.tolist()]


__all__ = ["ALL_COMMUNITIES", "STREET_UNKNOWN", "TIERS", "CommunityResidents",
           "GroupCoverage", "ResidentsCoverage", "TierCoverage", "audit_tiers",
           "residents_coverage"]
