"""Chinese numerals and quantities read as a planner reads them."""

from __future__ import annotations

import pytest

from layers.model.numbers import find_quantities, parse_number, parse_quantity


@pytest.mark.parametrize(("text", "value"), [
    ("1.2万", 12000), ("三千", 3000), ("两百", 200), ("八十", 80), ("十", 10), ("十五", 15),
    ("二十三", 23), ("一百零五", 105), ("一千零一十", 1010), ("三千五百", 3500),
    ("三千五", 3500), ("两百五", 250), ("一万二", 12000), ("一万零五百", 10500),
    ("3万5千", 35000), ("十万", 100000), ("一亿两千万", 120_000_000), ("3,146", 3146),
    ("１２００", 1200), ("１．５万", 15000), ("一九八四", 1984), ("二〇二三", 2023),
    ("叁仟", 3000), ("兩百", 200), ("萬", None), ("12.5", 12.5), ("3146", 3146),
])
def test_numerals(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["三四百", "七八十", "3000-4000", "n/a", "", "1.2.3", "万",
                                  "百百", "十百", "1,2", "两两", "abc", "-5"])
def test_what_is_not_one_number_is_not_read(text):
    assert parse_number(text) is None


@pytest.mark.parametrize(("text", "value", "approximate", "unit"), [
    ("八十余户", 80, True, "户"), ("1.2万人", 12000, False, "人"), ("约3000", 3000, True, ""),
    ("近一万人口", 10000, True, "人"), ("3000多人", 3000, True, "人"),
    ("3000户左右", 3000, True, "户"), ("23.8%", 23.8, False, "%"), (" 3,146 ", 3146, False, ""),
    ("两百余名", 200, True, "名"), ("１２００户", 1200, False, "户"),
])
def test_quantities_keep_their_qualifier_and_unit(text, value, approximate, unit):
    q = parse_quantity(text)
    assert (q.value, q.approximate, q.unit) == (value, approximate, unit)


def test_a_cell_with_two_numbers_or_a_range_is_not_one_quantity():
    assert parse_quantity("1.2万人，3000户") is None
    assert parse_quantity("三四百户") is None
    assert parse_quantity("居民3000余户") is None  # words before the number: not a cell


def test_approximate_quantities_describe_themselves_with_yue():
    assert parse_quantity("八十余户").describe() == "约80户"
    assert parse_quantity("3146户").describe() == "3146户"
    assert parse_quantity("八十余户").qualifier == "余"


def test_quantities_are_found_in_an_article_sentence():
    text = "共有69幢房屋，3146户，近一万人口。常住人口1.2万人，居民3000余户，另有八十余户。"
    found = find_quantities(text, units=("户", "人"))
    assert [(q.text, q.value, q.approximate) for q in found] == [
        ("3146户", 3146, False), ("近一万人口", 10000, True), ("1.2万人", 12000, False),
        ("3000余户", 3000, True), ("八十余户", 80, True)]
    assert "69幢" not in [q.text for q in found]
