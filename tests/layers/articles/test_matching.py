"""An article's community that the project already has is matched, not added twice."""

import pandas as pd

from layers.articles.extraction import Proposal
from layers.articles.matching import CommunityMatcher, community_key, district_key
from layers.store import open_project
from tests.conftest import BUNDLED


def _project_communities():
    return pd.DataFrame({
        "name": ["翠光社区", "红梅社区", "红梅社区", "光明", "建设路社区"],
        "district": ["兰溪市", "上城区", "余杭区", None, "成华区"],
        "city": ["金华市", "杭州市", "杭州市", "北京市", "成都市"],
    })


def test_names_agree_without_suffix_space_and_traditional_script():
    assert community_key("翠光社区") == community_key("翠光") == community_key("翠光 社區") \
        == community_key("翠光社区居委会") == "翠光"
    assert community_key("社区") == "社区"
    assert district_key("上城區") == district_key("上城区") == "上城"


def test_same_name_in_the_same_district_matches_the_existing_community():
    matcher = CommunityMatcher(_project_communities())
    assert matcher.match("翠光", "兰溪市").name == "翠光社区"
    assert matcher.match("翠光社區").name == "翠光社区"  # one of that name anywhere
    assert matcher.match("红梅社区", "上城区").name == "红梅社区"
    assert matcher.match("红梅社区", "上城区").district == "上城区"
    assert matcher.match("光明社区", "朝阳区").name == "光明"  # the project names no district


def test_other_districts_cities_and_unclear_names_do_not_match():
    matcher = CommunityMatcher(_project_communities())
    assert matcher.match("翠光社区", "婺城区") is None
    assert matcher.match("红梅社区") is None  # 上城区 or 余杭区: the article must say
    assert matcher.match("建设路社区", city="绵阳市") is None
    assert matcher.match("新华社区") is None


def test_proposals_of_an_article_against_the_bundled_project():
    project = open_project(BUNDLED)
    frame = project.communities.frame
    row = frame[frame["district"].notna()].iloc[0]
    proposals = [Proposal(row["name"].removesuffix("社区"), "q", (0, 1),
                          district=row["district"]),
                 Proposal("从未有过社区", "q", (0, 1), district=row["district"])]
    hits = CommunityMatcher(frame).match_all(proposals)
    assert list(hits) == [proposals[0].name]
    assert hits[proposals[0].name].name == row["name"]
