"""The coverage figures the 生活圈覆盖 dock shows: every tier audited, with sentences.

No Qt: :func:`compute_figures` runs on a worker thread while the planner edits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import geopandas as gpd

from layers.analysis.checklist import Checklist
from layers.analysis.coverage import CommunityAudit
from layers.analysis.residents import (
    ALL_COMMUNITIES,
    TIERS,
    GroupCoverage,
    ResidentsCoverage,
    audit_tiers,
    residents_coverage,
)
from layers.geo.walking import WalkSettings
from layers.report.model import (
    CategoryCell,
    CategoryInfo,
    Chart,
    CommunityRow,
    Report,
    SummaryRow,
    summary_sentences,
)


@dataclass(frozen=True)
class CoverageFigures:
    """One computation's results, as the dock shows them.

    Attributes
    ----------
    coverage : ResidentsCoverage
        Residents covered per category and tier, per community, street and project.
    labels : dict of str to str
        Category id → the checklist's Chinese title, in checklist order.
    minutes : float
        The checklist dock's walk, at which the sentences are written.
    sentences : dict of str to list of str
        Group name (:data:`ALL_COMMUNITIES` or a street) → summary sentences.
    """

    coverage: ResidentsCoverage
    labels: dict[str, str]
    minutes: float
    sentences: dict[str, list[str]]

    def group(self, name: str) -> GroupCoverage:
        """Return the figures of the project (:data:`ALL_COMMUNITIES`) or of one street.

        Parameters
        ----------
        name : str
            Group name.

        Returns
        -------
        GroupCoverage
            The group; the whole project when the street is no longer there.
        """
        for group in self.coverage.streets:
            if group.name == name:
                return group
        return self.coverage.total

    def uncovered(self, name: str, category: str, minutes: float) -> list[str]:
        """Return the ids of a group's communities a category does not reach in a tier.

        Parameters
        ----------
        name : str
            Group name (:data:`ALL_COMMUNITIES` or a street).
        category : str
            Category id.
        minutes : float
            Walk tier.

        Returns
        -------
        list of str
            Community ids, in layer order.
        """
        return [c.community_id for c in self.coverage.communities
                if (name == ALL_COMMUNITIES or c.street == name)
                and not c.coverage.figure(category, minutes).communities_covered]


def compute_figures(communities: gpd.GeoDataFrame, facilities: gpd.GeoDataFrame,
                    checklist: Checklist, walk: WalkSettings, minutes: float,
                    boundaries: gpd.GeoDataFrame | None = None,
                    roads: gpd.GeoDataFrame | None = None,
                    progress: Callable[[int, int], bool] | None = None
                    ) -> CoverageFigures | None:
    """Audit every tier and gather the dock's figures and sentences (no Qt; any thread).

    Parameters
    ----------
    communities, facilities : GeoDataFrame
        The project's layers (copies: the GUI may edit the originals meanwhile).
    checklist : Checklist
        The categories.
    walk : WalkSettings
        Walk time to distance.
    minutes : float
        The walk the summary sentences are written at.
    boundaries, roads : GeoDataFrame, optional
        As for :func:`~layers.analysis.residents.audit_tiers` (roads: walk along them).
    progress : callable, optional
        ``progress(done, total)``; returning False cancels.

    Returns
    -------
    CoverageFigures or None
        The figures; None when cancelled.
    """
    minutes = float(minutes)
    audits = audit_tiers(communities, facilities, checklist, walk, (*TIERS, minutes),
                         boundaries, roads, progress)
    if audits is None:
        return None
    coverage = residents_coverage(communities, {t: audits[t] for t in TIERS}, checklist)
    labels = {i.category: i.title for i in checklist.items}
    here = {r.community_id: r for r in audits[minutes]}
    sentences = {ALL_COMMUNITIES: _sentences(coverage.total, coverage, here, labels, minutes,
                                             checklist.name)}
    for group in coverage.streets:
        sentences[group.name] = _sentences(group, coverage, here, labels, minutes,
                                           checklist.name)
    return CoverageFigures(coverage, labels, minutes, sentences)


def _sentences(group: GroupCoverage, coverage: ResidentsCoverage,
               here: dict[str, CommunityAudit], labels: dict[str, str], minutes: float,
               checklist_name: str) -> list[str]:
    """Write the report's summary sentences for one group, at the checklist dock's walk."""
    members = [c for c in coverage.communities
               if group.name == ALL_COMMUNITIES or c.street == group.name]
    rows = [SummaryRow(group.name, f.category, labels[f.category], f.minutes, f.radius_m,
                       f.communities, f.communities_covered, f.residents, f.residents_covered,
                       f.unknown_communities, f.unknown_covered, f.share, f.communities_share)
            for f in group.figures if f.minutes == minutes]
    # when the walk is not a tier, the sentences are made from each community's row
    communities = [CommunityRow(c.community, c.street, c.population, c.households,
                                tuple(CategoryCell(cat, cat in here[c.community_id].covered,
                                                   None, None) for cat in labels))
                   for c in members]
    categories = [CategoryInfo(cat, label, float("nan")) for cat, label in labels.items()]
    report = Report(title="", date="", project="", checklist=checklist_name, minutes=minutes,
                    walk="", method="", distance_label="", categories=categories,
                    tiers=coverage.tiers, summary_sentences=[], summary=rows, streets=[],
                    chart=Chart("", "", (), (), {}), communities=communities,
                    proposals=None, sources=[])
    return summary_sentences(report)
