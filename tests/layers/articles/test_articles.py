from layers.articles.cleaning import clean_article, clean_article_file
from tests.conftest import REPO

ARTICLES = REPO / "data" / "articles"


def _article(prefix):
    return clean_article_file(next(ARTICLES.glob(f"{prefix}_*.txt")))


def test_pinyin_readings_are_stripped():
    text = _article("001").text
    assert "建设(jiànshè)" not in text and "(wǒmen)" not in text
    assert "住房城乡建设部在杭州市召开全国完整社区建设工作现场会" in text


def test_repeated_article_appears_once():
    text = _article("001").text
    assert text.count("翠苑一区始建于1984年") == 1
    assert "相关推荐" not in text and "暂无评论" not in text


def test_traditional_becomes_simplified():
    text = _article("002").text
    assert "“人人坞”党群服务站" in text and "黨" not in text and "區" not in text
    assert "(qū)" not in text


def test_toolbar_words_and_chrome_are_dropped():
    cleaned = _article("003")
    assert not cleaned.text.startswith("拼音")
    assert cleaned.title == "曾都“红色驿站”让城市更温暖"
    assert cleaned.published == "2022-05-06"
    assert "扫一扫" not in cleaned.text


def test_related_links_after_copyright_are_dropped():
    text = _article("002").text
    assert "盘龙大观园" not in text and "版权作品" not in text


def test_offsets_point_back_into_the_original():
    cleaned = _article("004")
    quote = "翠屏社区居家养老服务站"
    start = cleaned.find(quote)
    a, b = cleaned.original_span(start, start + len(quote))
    assert cleaned.original[a:b] == "翠屏社區(qū)居家養(yǎng)老服務(wù)站"


def test_plain_brackets_are_kept():
    cleaned = clean_article("入选省强基示范村(社区)榜单(de)完成")
    assert cleaned.text == "入选省强基示范村(社区)榜单完成"
