"""Reading articles into proposals: recall and precision on the seeds and on new articles."""

import json
import subprocess
import sys

import pytest

from layers.articles.cleaning import clean_article_file
from layers.articles.dataset import source_file
from layers.articles.extraction import extract
from layers.store import open_project
from tests.conftest import BUNDLED, REPO

SEEDS = REPO / "data" / "articles"
OWN = REPO / "tests" / "articles"


def _same(a: str, b: str) -> bool:
    a, b = a.strip("“”"), b.strip("“”")
    return a in b or b in a


def _facility_matches(extracted, row) -> bool:
    return any(f.category == row["category"] and (
        _same(f.name, row["name"]) or (f.community and _same(f.community, row["community"])))
        for f in extracted)


def seed_scores():
    project = open_project(BUNDLED)
    comms, facs = project.communities.frame, project.facilities.frame
    found_c = found_f = proposed_c = proposed_f = good_c = good_f = 0
    for path in sorted(SEEDS.glob("*.txt")):
        result = extract(clean_article_file(path))
        mine_c = comms[comms["source"].map(source_file) == path.name]
        mine_f = facs[facs["source"].map(source_file) == path.name]
        found_c += sum(any(_same(c.name, n) for c in result.communities) for n in mine_c["name"])
        found_f += sum(_facility_matches(result.facilities, r) for _, r in mine_f.iterrows())
        proposed_c += len(result.communities)
        proposed_f += len(result.facilities)
        good_c += sum(any(_same(c.name, n) for n in mine_c["name"]) for c in result.communities)
        good_f += sum(any(f.category == r["category"] and (
            _same(f.name, r["name"]) or _same(f.community or "", r["community"]))
            for _, r in mine_f.iterrows()) for f in result.facilities)
    return (found_c / len(comms), found_f / len(facs), good_c / proposed_c,
            good_f / proposed_f)


def test_recall_on_the_seed_articles():
    recall_c, recall_f, precision_c, precision_f = seed_scores()
    print(f"seeds: communities recall {recall_c:.0%} precision {precision_c:.0%}; "
          f"facilities recall {recall_f:.0%} precision {precision_f:.0%}")
    assert recall_c >= 0.9 and recall_f >= 0.9
    assert precision_c >= 0.7 and precision_f >= 0.6


OWN_EXPECTED = {
    "own_001_chengdu.txt": {
        "communities": {"建设路社区", "锦绣花园小区"},
        "facilities": {("service_station", "建设路社区"), ("canteen", "建设路社区"),
                       ("charging_shed", "锦绣花园小区"), ("pocket_park", "锦绣花园小区")},
        "facts": {("households", 2860.0), ("buildings", 42.0), ("built_year", 1998.0),
                  ("elderly_share", 26.5), ("area", 600.0), ("money", 35.0)},
    },
    "own_002_hefei.txt": {
        "communities": {"南园社区", "梅园新村小区"},
        "facilities": {("service_station", "梅园新村小区"), ("elderly_care", "梅园新村小区"),
                       ("parking", "梅园新村小区")},
        "facts": {("area", 180.0)},
    },
}


@pytest.mark.parametrize("name", sorted(OWN_EXPECTED))
def test_articles_never_seen(name):
    expected = OWN_EXPECTED[name]
    article = clean_article_file(OWN / name)
    for chrome in ("责编", "辅助", "扫一扫"):
        assert chrome not in article.text
    result = extract(article)
    names = {c.name for c in result.communities}
    assert expected["communities"] <= names
    got = {(f.category, f.community) for f in result.facilities}
    assert expected["facilities"] <= got
    facts = {(f.kind, f.value) for f in result.facts}
    assert expected["facts"] <= facts
    for proposal in result.communities + result.facilities:
        a, b = proposal.offsets
        assert proposal.quote.strip() == article.text[a:b].strip()


def test_admin_context_is_read_from_the_text():
    result = extract(clean_article_file(OWN / "own_001_chengdu.txt"))
    c = next(c for c in result.communities if c.name == "建设路社区")
    assert c.street == "府青路街道" and c.district == "成华区"


def test_cli_ingest_json_and_bad_input(tmp_path):
    res = subprocess.run([sys.executable, "main.py", "ingest", str(SEEDS / next(
        p.name for p in SEEDS.glob("002_*"))), "--format", "json"], cwd=REPO,
        capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert set(data) == {"communities", "facilities", "facts"}
    assert {"name", "street", "district", "city", "quote", "offsets"} <= set(data["communities"][0])
    assert {"name", "category", "community", "quote", "offsets"} <= set(data["facilities"][0])
    assert any(f["name"] == "“人人坞”党群服务站" for f in data["facilities"])
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 10)
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("朝阳区某某街道光明社区新建了社区食堂。".encode("gbk"))
    nothing = tmp_path / "nothing.txt"
    nothing.write_text("今天天气很好，大家都出去散步了。", encoding="utf-8")
    for path, code in ((empty, 2), (binary, 2), (gbk, 0), (nothing, 0)):
        res = subprocess.run([sys.executable, "main.py", "ingest", str(path), "--format",
                              "json"], cwd=REPO, capture_output=True, text=True)
        assert res.returncode == code, (path.name, res.stderr)
        assert "Traceback" not in res.stderr
        if code == 2:
            assert res.stderr.count("\n") == 1
    res = subprocess.run([sys.executable, "main.py", "ingest", str(gbk), "--format", "json"],
                         cwd=REPO, capture_output=True, text=True)
    data = json.loads(res.stdout)
    assert data["communities"][0]["name"] == "光明社区"
    assert data["facilities"][0]["category"] == "canteen"
    res = subprocess.run([sys.executable, "main.py", "ingest", str(nothing), "--format", "json"],
                         cwd=REPO, capture_output=True, text=True)
    assert json.loads(res.stdout) == {"communities": [], "facilities": [], "facts": []}


def test_html_article_is_read(tmp_path):
    page = tmp_path / "article.html"
    page.write_text(
        "<html><head><title>x</title><script>var a = '光明社区';</script></head><body>"
        "<nav>首页 新闻 登录</nav><h1>朝阳区光明社区建成老年食堂</h1>"
        "<p>朝阳区望京街道光明社区新建的老年食堂面积约300平方米。</p>"
        "<footer>版权所有</footer></body></html>", encoding="utf-8")
    article = clean_article_file(page)
    assert "var a" not in article.text and "登录" not in article.text
    result = extract(article)
    assert [c.name for c in result.communities] == ["光明社区"]
    assert result.communities[0].street == "望京街道"
    assert ("canteen", "光明社区") in {(f.category, f.community) for f in result.facilities}
    assert ("area", 300.0) in {(f.kind, f.value) for f in result.facts}
