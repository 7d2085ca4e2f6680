"""Chinese numerals and quantities read as a planner reads them.

One reader for table cells (``main.py join``), curated phrases (the bundled data) and
running article text (``main.py ingest``); the cases of the former article-only reader
(``layers/articles/numerals.py``) are here too. Where the two readers disagreed, the
case says which reading a planner gets and why (a number comes from the text or stays
empty).
"""

from __future__ import annotations

import pytest

from layers.model.numbers import (
    find_numbers,
    find_quantities,
    parse_number,
    parse_quantity,
)


@pytest.mark.parametrize(("text", "value"), [
    ("1.2万", 12000), ("三千", 3000), ("两百", 200), ("八十", 80), ("十", 10), ("十五", 15),
    ("二十三", 23), ("一百零五", 105), ("一千零一十", 1010), ("三千五百", 3500),
    ("三千五", 3500), ("两百五", 250), ("一万二", 12000), ("一万零五百", 10500),
    ("3万5千", 35000), ("十万", 100000), ("一亿两千万", 120_000_000), ("3,146", 3146),
    ("１２００", 1200), ("１．５万", 15000), ("一九八四", 1984), ("二〇二三", 2023),
    ("叁仟", 3000), ("兩百", 200), ("萬", None), ("12.5", 12.5), ("3146", 3146),
    # from the article reader's tests
    ("十五", 15), ("1.2万", 12000), ("一", 1), ("6,200", 6200), ("1.1万", 11000),
    ("100多万", None),  # a qualifier inside: a quantity (below), not a bare numeral
])
def test_numerals(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["三四百", "七八十", "3000-4000", "n/a", "", "1.2.3", "万",
                                  "百百", "十百", "1,2", "两两", "abc", "-5",
                                  "八八十", "12345,678"])
def test_what_is_not_one_number_is_not_read(text):
    assert parse_number(text) is None


@pytest.mark.parametrize(("text", "value", "approximate", "unit"), [
    ("八十余户", 80, True, "户"), ("1.2万人", 12000, False, "人"), ("约3000", 3000, True, ""),
    ("近一万人口", 10000, True, "人"), ("3000多人", 3000, True, "人"),
    ("3000户左右", 3000, True, "户"), ("23.8%", 23.8, False, "%"), (" 3,146 ", 3146, False, ""),
    ("两百余名", 200, True, "名"), ("１２００户", 1200, False, "户"),
    ("100多万人", 1_000_000, True, "人"), ("两百余万", 2_000_000, True, ""),
    ("1.5万余人", 15000, True, "人"), ("一户", 1, False, "户"), ("300㎡", 300, False, "㎡"),
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


# ----- the article reader's cases: numbers in running text, the unit left to the reader

@pytest.mark.parametrize(("text", "value", "approximate", "written"), [
    ("八十余户", 80, True, "八十余"), ("1.2万人", 12000, False, "1.2万"),
    ("300平方米", 300, False, "300"), ("两百余名", 200, True, "两百余"),
    ("近一万人口", 10000, True, "近一万"), ("1.5万余人", 15000, True, "1.5万余"),
    ("三千五百", 3500, False, "三千五百"), ("约三百名", 300, True, "约三百"),
    ("6,200人", 6200, False, "6,200"),
    # cases the article reader got wrong; the one reader's reading is the planner's
    ("100多万元", 1_000_000, True, "100多万"),  # 100 before (the 万 was dropped)
    ("0.8平方公里", 0.8, False, "0.8"),  # the reader converts 平方公里 itself
    ("常住人口一万二千人", 12000, False, "一万二千"),  # was 10000, then 2000 people
    ("约3万5千人", 35000, True, "约3万5千"),  # was 30000, then 1000 people
    ("三千五人", 3500, False, "三千五"),  # was 3005: 三千五 is said for 3500
    ("两百五十户", 250, False, "两百五十"), ("一千零一十户", 1010, False, "一千零一十"),
    ("１．５万人", 15000, False, "１．５万"),  # was 1, then 5万
    ("3000户左右", 3000, True, "3000"),  # 左右 after the unit: approximate (was exact)
    ("300左右平方米", 300, True, "300左右"),
    ("不足100平方米", 100, True, "不足100"), ("一九八四年", 1984, False, "一九八四"),
])
def test_numbers_as_articles_write_them(text, value, approximate, written):
    found = find_numbers(text)[0]
    assert (found.value, found.approximate) == (value, approximate)
    assert text[found.start:found.end] == found.text == written  # the unit starts at end


def test_chinese_numerals_and_what_is_not_a_number():
    assert parse_number("二〇二三") == 2023
    assert parse_number("十五") == 15
    assert parse_number("1.2万") == 12000
    assert find_numbers("翠苑一区") == []  # a lone 一 is "a", not a count
    assert parse_number("八八十") is None
    # the article reader read these as 200 and 110; they are not numbers
    assert parse_number("百百") is None and parse_number("十百") is None


def test_a_lone_yi_or_er_in_running_text_is_not_a_count():
    assert find_numbers("翠苑一区新建了一处驿站，不二人选") == []
    assert [q.value for q in find_numbers("建立了两个党支部，一万人")] == [2, 10000]
    assert find_quantities("新建了一处驿站") == []
    assert parse_quantity("一处").value == 1  # a cell that says 一 means one


@pytest.mark.parametrize("text", ["3000-4000人", "1-12岁儿童", "三四百户", "七八十人",
                                  "3～5层", "三至五个", "2000到3000户"])
def test_a_range_in_running_text_gives_no_number(text):
    assert find_numbers(text) == []
    assert find_quantities(text) == []


def test_everyday_numerals_only_in_running_text():
    assert find_numbers("队伍陆续收拾好了山洞") == []
    assert parse_number("叁仟") == 3000  # a cell may use the banker's forms


def test_offsets_and_text_are_those_of_the_text_as_written():
    text = "翠苑一区共有３１４６户，近一万人口，面积0.8平方公里。"
    found = find_numbers(text)
    assert [(q.text, q.value) for q in found] == [("３１４６", 3146), ("近一万", 10000),
                                                ("0.8", 0.8)]
    assert all(text[q.start:q.end] == q.text for q in found)
    assert text[found[2].end:].startswith("平方公里")
    quantities = find_quantities(text)
    assert [q.text for q in quantities] == ["３１４６户", "近一万人口", "0.8"]


def test_chinese_numerals_are_told_from_arabic_digits():
    assert [q.chinese for q in find_numbers("建于1984年，一九八四年，八十户")] == [
        False, True, True]


def test_a_cell_in_a_unit_the_reader_does_not_hold_is_not_read():
    # a join must not write 0.8 into a field that holds square metres
    assert parse_quantity("0.8平方公里") is None
