"""The outcome of a siting: the plan, its figures, and its features for the ``proposals`` layer."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers.analysis.siting.solver import SOLVE_SECONDS
from layers.model.schema import PROPOSALS, STORAGE_CRS


@dataclass
class ProposedSite:
    """One proposed site, in the order the plan adds residents."""

    rank: int
    lon: float
    lat: float
    #: residents newly covered; None when all its communities' residents are unknown
    gain: int | None
    #: communities it brings into the walk (residents known or unknown)
    communities: list[str] = field(default_factory=list)
    #: of those, the ones whose residents are unknown
    unknown: list[str] = field(default_factory=list)


@dataclass
class SitingResult:
    """A siting plan and the figures around it."""

    method: str
    category: str
    minutes: float
    walk: str
    candidate_source: str
    candidates: int
    sites: list[ProposedSite] = field(default_factory=list)
    #: residents (known populations) within the walk of an existing facility
    covered_before: int = 0
    #: ... and after the proposed sites are built
    covered_after: int = 0
    #: residents (known populations) of all placed communities
    residents: int = 0
    #: communities with residents unknown: their names, and how many are covered
    unknown: list[str] = field(default_factory=list)
    unknown_covered_before: int = 0
    unknown_covered_after: int = 0
    #: communities with residents (known or unknown) within the walk, before and after
    communities_covered_before: int = 0
    communities_covered_after: int = 0
    #: communities with residents (or unknown) that no candidate and no facility reaches
    unreachable: list[str] = field(default_factory=list)
    #: communities with no position (not measured), facilities of the category without one
    communities_without_position: int = 0
    facilities_without_position: int = 0
    #: communities recorded with 0 residents (nothing to cover)
    empty_communities: int = 0
    existing: int = 0
    requested: int | None = None
    #: False when CBC stopped at its time limit with a good but unproven plan
    optimal: bool = True

    def as_json(self) -> dict:
        """Return the plan as plain JSON values (what ``site --format json`` prints).

        Returns
        -------
        dict
            ``covered_before``, ``covered_after``, ``sites`` (lon, lat, gain,
            communities, rank, unknown) and the other figures.
        """
        out = asdict(self)
        out["sites"] = [{"rank": s.rank, "lon": round(s.lon, 7), "lat": round(s.lat, 7),
                         "gain": s.gain, "communities": s.communities, "unknown": s.unknown}
                        for s in self.sites]
        return out

    def summary(self) -> list[str]:
        """Return the plan's figures and notes as lines (without the site list).

        Returns
        -------
        list of str
            What was sited and how, candidates, residents and communities covered
            before and after, then :meth:`notes`.
        """
        from layers.model.categories import get_category

        label = get_category(self.category).label_zh
        what = ("MCLP (maximal covering)" if self.method == "mclp"
                else "LSCP (fewest sites covering everyone)")
        lines = [f"{label} · {what} · {self.walk}",
                 f"candidates: {self.candidates} from {self.candidate_source}",
                 f"existing {label}: {self.existing}"]
        if self.residents:
            def share(n: int) -> str:
                return f" ({100 * n / self.residents:.1f}%)"

            lines.append(f"residents covered before: {self.covered_before}"
                         f"{share(self.covered_before)}; after: {self.covered_after}"
                         f"{share(self.covered_after)}; of {self.residents} known")
        else:
            lines.append("residents covered: unknown (no community has a known population)")
        lines.append(f"communities covered before: {self.communities_covered_before}; "
                     f"after: {self.communities_covered_after}")
        if not self.sites:
            lines.append("no new site is needed or possible")
        return lines + self.notes()

    def notes(self) -> list[str]:
        """Return the lines that say what was left out, skipped or unknown.

        Returns
        -------
        list of str
            One line each; empty when there is nothing to say.
        """
        lines = []
        if self.communities_without_position:
            lines.append(f"{self.communities_without_position} communities with no position: "
                         "not measured")
        if self.facilities_without_position:
            lines.append(f"{self.facilities_without_position} existing facilities with no "
                         "position: not counted as covering")
        if self.unknown:
            how = ("only break ties" if self.method == "mclp"
                   else "covered like the others")
            lines.append(f"{len(self.unknown)} communities with residents unknown: not weighted "
                         f"({how}; {self.unknown_covered_before} covered before, "
                         f"{self.unknown_covered_after} after): " + "、".join(self.unknown))
        if self.empty_communities:
            lines.append(f"{self.empty_communities} communities with 0 residents: "
                         "nothing to cover")
        if self.unreachable:
            lines.append(f"{len(self.unreachable)} communities no candidate can reach: "
                         + "、".join(self.unreachable))
        if self.requested is not None and len(self.sites) < self.requested:
            lines.append(f"{len(self.sites)} of the {self.requested} sites asked for add "
                         "anyone: every reachable community is then covered")
        if not self.optimal:
            lines.append(f"the solver stopped after {SOLVE_SECONDS} s: a good plan, not "
                         "proven the best")
        return lines


def ranked_sites(cover: np.ndarray, lon: np.ndarray, lat: np.ndarray, names: np.ndarray,
                 residents: np.ndarray, unknown: np.ndarray) -> list[ProposedSite]:
    """Order the chosen sites by what each adds to those before it.

    The first site is the one bringing the most residents on its own, the next
    the most of what is left, and so on; each community is credited to the first
    site that reaches it, so the gains add up to the plan's total. A site that
    adds nobody (K larger than needed) is left out.

    Parameters
    ----------
    cover : ndarray of bool
        Shape (communities, chosen sites): which site serves which community.
    lon, lat : ndarray
        The chosen sites, degrees.
    names, residents, unknown : ndarray
        Each community's name, residents (0 when unknown) and whether they are unknown.

    Returns
    -------
    list of ProposedSite
        Best first, ranked from 1.
    """
    left = np.ones(cover.shape[0], dtype=bool)
    todo = list(range(cover.shape[1]))
    sites = []
    while todo:
        worth = [(int(residents[cover[:, j] & left & ~unknown].sum()),
                  int((cover[:, j] & left & unknown).sum()), -j) for j in todo]
        best = todo[worth.index(max(worth))]
        todo.remove(best)
        new = cover[:, best] & left
        if not new.any():
            continue
        left &= ~new
        known = new & ~unknown
        gain = int(residents[known].sum()) if known.any() else None
        sites.append(ProposedSite(len(sites) + 1, float(lon[best]), float(lat[best]), gain,
                                  [str(x) for x in names[new]],
                                  [str(x) for x in names[new & unknown]]))
    return sites


def proposals_frame(result: SitingResult, today: dt.date | None = None) -> gpd.GeoDataFrame:
    """Return the plan as features of the ``proposals`` layer.

    Parameters
    ----------
    result : SitingResult
        The plan.
    today : date, optional
        The date written in the notes; today by default.

    Returns
    -------
    GeoDataFrame
        One point per proposed site, with the fields of :data:`PROPOSALS`.
    """
    from layers.model.layer import conform, new_id

    today = today or dt.date.today()
    rows = []
    for s in result.sites:
        notes = [f"proposed by {result.method.upper()} siting on {today.isoformat()}",
                 result.walk]
        if s.unknown:
            notes.append(f"{len(s.unknown)} of its communities with residents unknown")
        if not result.optimal:
            notes.append("plan not proven the best (solver time limit)")
        rows.append({"id": new_id(), "rank": s.rank, "category": result.category,
                     "method": result.method, "minutes": result.minutes,
                     "gain": s.gain, "communities": "、".join(s.communities),
                     "candidate_source": result.candidate_source,
                     "notes": "; ".join(notes)})
    frame = gpd.GeoDataFrame(
        pd.DataFrame(rows, columns=list(PROPOSALS.fields)),
        geometry=gpd.GeoSeries([shapely.Point(s.lon, s.lat) for s in result.sites],
                               crs=STORAGE_CRS), crs=STORAGE_CRS)
    return conform(frame, PROPOSALS)
