"""An article's households, residents, built year and elderly share fill a community's fields."""

import pandas as pd

from layers.articles.cleaning import clean_article
from layers.articles.community_facts import community_facts, existing_changes, fill_new_community
from layers.articles.extraction import LOW_CONFIDENCE, extract

TEXT = ("龙游县龙洲街道翠光社区共有居民1200户、约3500人，建于1998年，60岁以上老人占28%。"
        "社区新建了老年食堂。")


def _kept(facts, community):
    """The review's kept items for facts, as the dialog makes them."""
    from types import SimpleNamespace

    return [SimpleNamespace(kind="fact", category=f.kind, community=community,
                            value=float(f.value), approx=f.approx, written=f.written)
            for f in facts]


def test_a_communitys_figures_are_found_with_their_words():
    result = extract(clean_article(TEXT))
    facts = community_facts(result.facts, [c.name for c in result.communities])
    assert [(f.kind, f.value, f.written) for f in facts] == [
        ("households", 1200, "1200户"), ("population", 3500, "约3500人"),
        ("built_year", 1998, "1998年"), ("elderly_share", 28, "28%")]
    assert all(f.community == "翠光社区" for f in facts)
    # a figure of no proposed community (the facility's count) is not a community field
    assert community_facts(result.facts, []) == []


def test_two_different_figures_for_one_field_both_start_unticked():
    result = extract(clean_article("翠苑一区共有3000户。翠苑一区新建了一处口袋公园。"
                                   "后来翠苑一区又有3200户。"))
    facts = community_facts(result.facts, ["翠苑一区"])
    assert [f.value for f in facts] == [3000, 3200]
    assert all(f.confidence < LOW_CONFIDENCE for f in facts)


def test_a_new_community_gets_the_figures_and_says_where_they_came_from():
    result = extract(clean_article(TEXT))
    row = {"name": "翠光社区", "notes": "Placed from an article."}
    fill_new_community(row, _kept(community_facts(result.facts, ["翠光社区"]), "翠光社区"),
                       "a.txt 《翠光》")
    assert (row["households"], row["population"], row["built_year"]) == (1200, 3500, 1998)
    assert row["elderly_share"] == 28.0
    assert row["notes"].startswith(
        "Placed from an article.; 户数 1200户（a.txt 《翠光》 原文“1200户”）")
    assert "人口 约3500人（a.txt 《翠光》 原文“约3500人”）" in row["notes"]


def test_an_existing_community_gets_only_its_empty_fields():
    result = extract(clean_article(TEXT))
    kept = _kept(community_facts(result.facts, ["翠光社区"]), "翠光社区")
    frame = pd.DataFrame({"id": ["c1", "c2"], "name": ["翠光社区", "翠苑一区"],
                          "households": [1500, None], "population": [3500, None],
                          "built_year": [None, None], "elderly_share": [None, None],
                          "notes": ["surveyed 2024", None]})
    changes = existing_changes(frame, kept, "a.txt")
    # households differ: the project's 1500 is kept and the article's reported
    assert changes.kept_project == ["翠光社区 户数 1500户 ≠ 1200户"]
    assert changes.already == ["翠光社区 人口"]
    assert changes.values == {"c1": {
        "built_year": 1998, "elderly_share": 28.0,
        "notes": "surveyed 2024; 建成年份 1998年（a.txt 原文“1998年”）; "
                 "老龄化率 28%（a.txt 原文“28%”）"}}
    line = changes.summary()
    assert "figures filled in for 1 existing communities" in line
    assert "1 figures already in the project" in line and "1500户 ≠ 1200户" in line
