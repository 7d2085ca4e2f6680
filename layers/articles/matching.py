"""Communities an article names that the project already has: matched, not duplicated.

An article says 翠光社区, 翠光 or 翠光社區; the project holds 翠光社区 in 兰溪市. These
are one community when their names agree once the 社区 (or 居委会) suffix, white
space and Traditional script are set aside, and they lie in the same district: both
name the district and it is the same, or one of them names none and the project
holds only one community of that name (in any district). Two communities of one
name in different districts (上城区 and 余杭区 each have a 红梅社区) stay apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from layers.articles.cleaning import to_simplified

#: Endings that name the same community as the bare name: 翠光社区居委会 is 翠光.
_COMMUNITY_SUFFIX = re.compile(r"(?:社区)?(?:居民委员会|居委会)$|社区$")
_DISTRICT_SUFFIX = re.compile(r"[区县市旗]$")


def community_key(name: str | None) -> str:
    """Return the part of a community name that tells it apart.

    Parameters
    ----------
    name : str or None
        A community name as written (翠光社区, 翠光 社區, 翠光社区居委会).

    Returns
    -------
    str
        Simplified, without white space and the 社区/居委会 suffix (翠光); ``""``
        for no name. A name that is only the suffix (社区) keeps it.
    """
    if not isinstance(name, str):
        return ""
    text = re.sub(r"\s+", "", to_simplified(name))
    bare = _COMMUNITY_SUFFIX.sub("", text)
    return bare or text


def district_key(district: str | None) -> str:
    """Return a district name without script, spacing and its 区/县/市 ending.

    Parameters
    ----------
    district : str or None
        A district (上城区, 上城, 上城區).

    Returns
    -------
    str
        The key (上城), or ``""`` when unknown.
    """
    if not isinstance(district, str):
        return ""
    text = re.sub(r"\s+", "", to_simplified(district))
    return _DISTRICT_SUFFIX.sub("", text) or text


@dataclass(frozen=True)
class ExistingCommunity:
    """A community already in the project that a proposal matches.

    Attributes
    ----------
    name : str
        Its name in the project, as stored.
    district : str or None
        Its district in the project.
    """

    name: str
    district: str | None = None


class CommunityMatcher:
    """Find the project community an article's community name refers to.

    Parameters
    ----------
    communities : DataFrame
        The project's communities, with ``name`` and (optionally) ``district``
        and ``city`` columns.
    """

    def __init__(self, communities: pd.DataFrame) -> None:
        self._by_key: dict[str, list[tuple[str, str, str]]] = {}
        names = communities["name"] if "name" in communities else pd.Series([], dtype=object)
        districts = (communities["district"] if "district" in communities
                     else pd.Series([None] * len(communities), index=communities.index))
        cities = (communities["city"] if "city" in communities
                  else pd.Series([None] * len(communities), index=communities.index))
        for name, district, city in zip(names, districts, cities, strict=True):
            key = community_key(name)
            if key:
                self._by_key.setdefault(key, []).append(
                    (str(name), district if isinstance(district, str) else "",
                     district_key(city)))

    def match(self, name: str | None, district: str | None = None,
              city: str | None = None) -> ExistingCommunity | None:
        """Return the project community ``name`` refers to, or None.

        Parameters
        ----------
        name : str or None
            The community as the article writes it.
        district, city : str, optional
            Where the article places it.

        Returns
        -------
        ExistingCommunity or None
            The one project community with the same name in the same district
            (see the module's rules); None when there is none, or when several
            could be meant and the article does not say which.
        """
        rows = self._by_key.get(community_key(name), [])
        want = district_key(district)
        want_city = district_key(city)
        if want_city:  # a community in another city is never meant
            rows = [r for r in rows if not r[2] or r[2] == want_city]
        if want:
            same = [r for r in rows if district_key(r[1]) == want]
            if len(same) == 1:
                return ExistingCommunity(same[0][0], same[0][1] or None)
            if same:
                return None
            rows = [r for r in rows if not r[1]]  # only a community of no known district
        if len(rows) == 1:
            return ExistingCommunity(rows[0][0], rows[0][1] or None)
        return None

    def match_all(self, proposals: Iterable[object]) -> dict[str, ExistingCommunity]:
        """Match each proposed community (``name``, ``district``, ``city``).

        Parameters
        ----------
        proposals : iterable
            Objects with ``name`` and optional ``district`` and ``city``
            (:class:`layers.articles.extraction.Proposal`).

        Returns
        -------
        dict of str to ExistingCommunity
            For each proposed name that matches, the project community.
        """
        out = {}
        for p in proposals:
            hit = self.match(p.name, getattr(p, "district", None), getattr(p, "city", None))
            if hit is not None:
                out[p.name] = hit
        return out
