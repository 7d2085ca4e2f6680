import pandas as pd
import pyproj
import pytest
import tomllib

from layers.articles.dataset import (
    CURATION_FILE,
    CurationError,
    build_dataset,
    load_articles,
    source_file,
    split_quote,
)
from layers.model.categories import is_category
from layers.model.numbers import find_quantities
from layers.store import open_project
from tests.conftest import BUNDLED

GEOD = pyproj.Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def project():
    return open_project(BUNDLED)


@pytest.fixture(scope="module")
def articles():
    return load_articles()


def test_bundled_dataset_matches_the_build(project):
    built = build_dataset()
    assert sorted(built.facilities["id"]) == sorted(project.facilities.frame["id"])
    assert sorted(built.communities["name"]) == sorted(project.communities.frame["name"])


def test_named_communities_present(project):
    names = set(project.communities.frame["name"])
    expected_names = (
        "翠光社区 世纪花园翠光四区 远洋现代城 翠苑一区 金耐社区 耐火小区 汉东楼社区 碧波楼小区 "
        "柳树淌社区 随州印象小区 孔家坡社区 科普公寓小区 翠屏社区 纺织生活二区"
    ).split()
    for expected in expected_names:
        assert expected in names


def test_every_quote_is_in_its_cleaned_article(project, articles):
    for layer in (project.facilities, project.communities):
        for _, row in layer.frame.iterrows():
            article = articles[source_file(row["source"])]
            passages = split_quote(row["quote"])
            assert passages, row["name"]
            for passage in passages:
                assert passage in article.text, (row["name"], passage)


def test_every_facility_has_a_known_community_and_category(project):
    communities = set(project.communities.frame["name"])
    frame = project.facilities.frame
    assert len(frame) >= 15
    for _, row in frame.iterrows():
        assert row["community"] in communities
        assert is_category(row["category"])
    for needed in ("service_station", "charging_shed", "pocket_park", "canteen"):
        assert (frame["category"] == needed).any(), needed


def test_numbers_are_stated_in_the_quote(project):
    for _, row in project.communities.frame.iterrows():
        for key in ("households", "population", "built_year", "elderly_share"):
            value = row[key]
            if not pd.isna(value):
                text = str(int(value)) if float(value).is_integer() else str(value)
                stated = [q for q in find_quantities(row["quote"]) if q.value == value]
                assert text in row["quote"] or stated, (row["name"], key)
                for q in stated:  # an approximate figure says so in the notes
                    if q.approximate and text not in row["quote"]:
                        assert f"{key} 约{text}" in row["notes"], (row["name"], key)


def test_population_and_households_from_the_articles(project):
    c = project.communities.frame.set_index("name")
    # "共有69幢房屋，3146户，近一万人口": households exact, population approximate
    assert c.loc["翠苑一区", "households"] == 3146
    assert c.loc["翠苑一区", "population"] == 10000
    assert "population 约10000人（原文“近一万人口”）" in c.loc["翠苑一区", "notes"]
    assert "3146户，近一万人口" in c.loc["翠苑一区", "quote"]
    # no other article states a community's residents: those stay empty
    assert c["population"].notna().sum() == 1


def test_a_curated_phrase_must_be_in_the_quote_and_one_number(tmp_path):
    text = CURATION_FILE.read_text(encoding="utf-8")
    for phrase, message in (("三千人口", "is not in its quote"),
                            ("3146户", "does not count 人")):
        bad = tmp_path / "curation.toml"
        bad.write_text(text.replace('population = "近一万人口"', f'population = "{phrase}"'),
                       encoding="utf-8")
        with pytest.raises(CurationError, match=message):
            build_dataset(bad)


def test_positions_are_marked_approximate(project):
    for layer in (project.facilities, project.communities):
        assert layer.frame["location_precision"].str.startswith("approximate-").all()
        assert layer.frame["notes"].str.contains("not surveyed").all()


def test_positions_in_china_and_near_their_city(project):
    seats = tomllib.loads(CURATION_FILE.read_text(encoding="utf-8"))["seats"]
    curation = tomllib.loads(CURATION_FILE.read_text(encoding="utf-8"))
    seat_of = {c["name"]: c["seat"] for c in curation["communities"]}
    for _, row in project.communities.frame.iterrows():
        pt = row.geometry
        assert 73 < pt.x < 135 and 18 < pt.y < 54
        lon, lat = seats[seat_of[row["name"]]]
        _, _, dist = GEOD.inv(lon, lat, pt.x, pt.y)
        assert dist < 30_000, row["name"]
    for _, row in project.facilities.frame.iterrows():
        lon, lat = seats[seat_of[row["community"]]]
        _, _, dist = GEOD.inv(lon, lat, row.geometry.x, row.geometry.y)
        assert dist < 30_000, row["name"]


def test_ids_are_stable_across_builds():
    assert list(build_dataset().facilities["id"]) == list(build_dataset().facilities["id"])
