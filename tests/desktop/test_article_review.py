"""File → Import article…: review proposals, then place them as one undoable edit."""

import pandas as pd
from PySide6.QtCore import QPoint, Qt

from desktop.dialogs.article_review import ArticleReviewDialog
from layers.articles.cleaning import clean_article_file
from layers.articles.extraction import extract
from layers.geo.geodesy import haversine_m
from tests.conftest import REPO

SEED_002 = next((REPO / "data" / "articles").glob("002_*.txt"))
OWN_001 = REPO / "tests" / "articles" / "own_001_chengdu.txt"


def _dialog(window, path):
    article = clean_article_file(path)
    dialog = ArticleReviewDialog(article, extract(article), f"{path.name} 《x》", window)
    return dialog


def test_review_lists_proposals_with_quotes_highlighted(window, qtbot):
    dialog = _dialog(window, SEED_002)
    qtbot.addWidget(dialog)
    names = [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())]
    assert "耐火小区" in names and "“人人坞”党群服务站" in names
    row = names.index("“人人坞”党群服务站")
    dialog.table.setCurrentCell(row, 1)
    assert "#ffb703" in dialog.text.toHtml() or "ffb703" in dialog.text.toHtml()


def test_kept_facilities_go_near_their_community_in_one_undo_step(window, qtbot):
    dialog = _dialog(window, SEED_002)
    qtbot.addWidget(dialog)
    names = [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())]
    # the reader names it with the words before it: 耐火小区电动车集中充电点
    shed = next(n for n in names if n.startswith("耐火小区") and n.endswith("集中充电点"))
    for row, name in enumerate(names):
        dialog.set_kept(row, name in ("“人人坞”党群服务站", shed))
    dialog.table.item(names.index(shed), 1).setText("耐火小区充电棚（复核）")
    items = dialog.kept()
    assert sorted(i.name for i in items) == sorted(["耐火小区充电棚（复核）", "“人人坞”党群服务站"])
    assert {i.category for i in items} == {"charging_shed", "service_station"}
    before = len(window.project.facilities)
    assert window.place_article_items(items, "002 《耐火小区》") == 2
    fac = window.project.facilities.frame.iloc[-2:]
    assert set(fac["name"]) == {"耐火小区充电棚（复核）", "“人人坞”党群服务站"}
    assert (fac["location_precision"] == "approximate-community").all()
    comm = window.project.communities.frame.set_index("name").loc["耐火小区"].geometry
    for g in fac.geometry:
        assert haversine_m(g.x, g.y, comm.x, comm.y) < 400
    assert all(q for q in fac["quote"])
    window.undo_action.trigger()  # one undo removes the whole article
    assert len(window.project.facilities) == before


def test_new_communities_are_placed_by_one_click(window, qtbot):
    dialog = _dialog(window, OWN_001)
    qtbot.addWidget(dialog)
    items = dialog.kept()
    comms_before = len(window.project.communities)
    assert window.place_article_items(items, "own_001") == 0  # waits for the click
    assert window.canvas.tool.tool_id == "place_article"
    lon, lat = 104.10, 30.68
    window.canvas.zoom_to_lonlat_bounds((lon - 0.01, lat - 0.01, lon + 0.01, lat + 0.01))
    window.canvas.render_now()
    p = window.canvas.pixel_of(lon, lat)
    qtbot.mouseClick(window.canvas, Qt.MouseButton.LeftButton, pos=QPoint(round(p.x()),
                                                                             round(p.y())))
    comms = window.project.communities.frame
    assert len(comms) > comms_before
    new = comms[comms["name"] == "建设路社区"].iloc[0]
    assert new["location_precision"] == "approximate-district"
    assert new["street"] == "府青路街道"
    assert haversine_m(new.geometry.x, new.geometry.y, lon, lat) < 50
    fac = window.project.facilities.frame
    canteen = fac[(fac["category"] == "canteen") & (fac["community"] == "建设路社区")]
    assert len(canteen) == 1
    g = canteen.geometry.iloc[0]
    assert haversine_m(g.x, g.y, new.geometry.x, new.geometry.y) < 400
    assert window.canvas.tool.tool_id == "pan"


# --- confidence, matching, drops --------------------------------------------------------

from PySide6.QtCore import QMimeData, QPointF, QUrl  # noqa: E402
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop.dialogs.article_review import CONFIDENCE, IN_PROJECT  # noqa: E402
from layers.articles.cleaning import clean_article  # noqa: E402
from layers.articles.extraction import Extraction, Proposal  # noqa: E402

PAGE = REPO / "tests" / "articles" / "saved_page_gbk.html"
PDF = REPO / "tests" / "articles" / "article_qt.pdf"
TEXT = "龙游县龙洲街道翠光社区新建了老年食堂。社区还建了充电棚。"


def _extraction(community="翠光社区", canteen_confidence=0.45):
    return Extraction(
        communities=[Proposal(community, TEXT[:19], (0, 19), district="龙游县", city="衢州市")],
        facilities=[Proposal("翠光社区老年食堂", TEXT[:19], (0, 19), category="canteen",
                             community=community, confidence=canteen_confidence),
                    Proposal("翠光社区充电棚", TEXT[19:], (19, len(TEXT)),
                             category="charging_shed", community=community)])


def _drop(widget, *paths) -> bool:
    """Drag files over ``widget`` and drop them, as the window system does; accepted?"""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier)
    enter = QDragEnterEvent(QPoint(20, 20), *args)
    QApplication.sendEvent(widget, enter)
    move = QDragMoveEvent(QPoint(22, 22), *args)
    QApplication.sendEvent(widget, move)
    drop = QDropEvent(QPointF(22, 22), *args)
    QApplication.sendEvent(widget, drop)
    return enter.isAccepted() and drop.isAccepted()


def test_low_confidence_items_start_unticked_and_every_skip_is_counted(window, qtbot):
    dialog = ArticleReviewDialog(clean_article(TEXT), _extraction(), "t 《x》", window,
                                 project=window.project)
    qtbot.addWidget(dialog)
    names = [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())]
    canteen = names.index("翠光社区老年食堂")
    assert dialog.table.item(canteen, 0).checkState() == Qt.CheckState.Unchecked
    assert dialog.table.item(canteen, CONFIDENCE).text() == "45%"
    assert dialog.table.item(names.index("翠光社区充电棚"), CONFIDENCE).text() == "100%"
    assert dialog.skipped() == ["翠光社区老年食堂"]
    assert "1" in dialog.counts.text() and "3" in dialog.counts.text()
    assert "翠光社区老年食堂" not in [i.name for i in dialog.kept()]
    dialog.set_kept(canteen, True)  # the planner checks the quote and keeps it
    assert dialog.skipped() == []
    assert "翠光社区老年食堂" in [i.name for i in dialog.kept()]


def test_community_already_in_the_project_is_matched_not_duplicated(window, qtbot):
    # the article writes 翠光 in 龙游县; the project has 翠光社区 there
    dialog = ArticleReviewDialog(clean_article(TEXT), _extraction("翠光", 0.9), "t 《x》",
                                 window, project=window.project)
    qtbot.addWidget(dialog)
    assert dialog.table.item(0, IN_PROJECT).text() == "matches existing 翠光社区"
    items = dialog.kept()
    assert [(i.name, i.existing) for i in items if i.kind == "community"] == [("翠光社区", True)]
    assert {i.community for i in items if i.kind == "facility"} == {"翠光社区"}
    comms = window.project.communities.frame
    before = len(comms)
    home = comms.set_index("name").loc["翠光社区"].geometry
    assert window.place_article_items(items, "t 《x》") == 2
    assert len(window.project.communities) == before
    fac = window.project.facilities.frame.iloc[-2:]
    assert set(fac["community"]) == {"翠光社区"}
    for g in fac.geometry:
        assert haversine_m(g.x, g.y, home.x, home.y) < 400
    # a community of that name in another district is new
    other = _extraction("翠光社区")
    other.communities[0].district = "婺城区"
    other.communities[0].city = "金华市"
    dialog2 = ArticleReviewDialog(clean_article(TEXT), other, "t", window, project=window.project)
    qtbot.addWidget(dialog2)
    assert dialog2.table.item(0, IN_PROJECT).text() == "new"


def test_dropping_a_file_on_the_review_reads_it_instead(window, qtbot, tmp_path):
    dialog = ArticleReviewDialog(clean_article(TEXT), _extraction(), "t 《x》", window,
                                 project=window.project)
    qtbot.addWidget(dialog)
    dialog.show()  # Qt delivers drops to visible widgets only
    assert dialog.acceptDrops()
    assert _drop(dialog, PDF)
    assert dialog.source.startswith("article_qt.pdf 《翠光社区老年食堂开张")
    names = [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())]
    assert "翠光社区" in names and any(n.endswith("充电棚") for n in names)
    assert "老年食堂正式开张" in dialog.text.toPlainText()
    rows = dialog.table.rowCount()
    fake = tmp_path / "photo.pdf"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(2000))
    _drop(dialog, fake)
    assert "photo.pdf is a PNG image" in dialog.message.text()  # said, not a traceback
    assert dialog.table.rowCount() == rows and dialog.source.startswith("article_qt.pdf")


def test_article_dropped_on_the_main_window_opens_in_review(window, qtbot, tmp_path):
    garbage = tmp_path / "garbage.txt"
    garbage.write_bytes(bytes(range(256)) * 20)
    comms_before = len(window.project.communities)
    facs_before = len(window.project.facilities)
    assert _drop(window, garbage, PAGE)
    dialog = window.importing.review
    assert dialog is not None and dialog.isVisible()
    assert "garbage.txt" in window.statusBar().currentMessage()  # the skipped file is named
    names = [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())]
    assert dialog.table.item(names.index("翠光社区"), IN_PROJECT).text() \
        == "matches existing 翠光社区"
    for row, name in enumerate(names):
        dialog.set_kept(row, name in ("翠光社区", "翠光社区老年食堂"))
    dialog.accept()
    assert len(window.project.communities) == comms_before
    fac = window.project.facilities.frame
    assert len(fac) == facs_before + 1
    assert fac.iloc[-1]["community"] == "翠光社区"
    assert fac.iloc[-1]["source"].startswith("saved_page_gbk.html 《翠光社区老年食堂开张")
    message = window.statusBar().currentMessage()
    assert "matched existing communities: 翠光社区" in message and "left out" in message


FIGURES = ("龙游县龙洲街道翠光社区共有居民1200户、约3500人。社区新建了老年食堂。"
           "翠苑一区共有3000户。")


def test_figures_fill_the_matched_communitys_empty_fields_in_one_undo_step(window, qtbot):
    article = clean_article(FIGURES)
    dialog = ArticleReviewDialog(article, extract(article), "f.txt 《x》", window,
                                 project=window.project)
    qtbot.addWidget(dialog)
    rows = {dialog.table.item(r, 1).text(): r for r in range(dialog.table.rowCount())}
    assert dialog.table.item(rows["户数：1200户"], 0).text() == "数据"
    assert dialog.table.item(rows["人口：约3500人"], 3).text() == "翠光社区"
    assert dialog.table.item(rows["户数：1200户"], IN_PROJECT).text() == "in existing 翠光社区"
    window.importing.placed_note = ""
    dialog.accept()
    window.importing._place_reviewed(dialog)
    comms = window.project.communities.frame.set_index("name")
    assert comms.loc["翠光社区", "households"] == 1200
    assert comms.loc["翠光社区", "population"] == 3500
    assert "人口 约3500人（f.txt 《x》 原文“约3500人”）" in comms.loc["翠光社区", "notes"]
    # the project's own figure is never overwritten by an article: it is reported
    assert comms.loc["翠苑一区", "households"] == 3146
    message = window.statusBar().currentMessage()
    assert "翠苑一区 户数 3146户 ≠ 3000户" in message
    window.undo_action.trigger()  # one undo takes the article back, figures included
    comms = window.project.communities.frame.set_index("name")
    assert pd.isna(comms.loc["翠光社区", "households"])


def test_figures_of_a_community_left_out_are_counted(window, qtbot):
    article = clean_article("衢江区樟潭街道新和社区共有居民800户。社区新建了老年食堂。")
    dialog = ArticleReviewDialog(article, extract(article), "g.txt", window,
                                 project=window.project)
    qtbot.addWidget(dialog)
    names = [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())]
    dialog.set_kept(names.index("新和社区"), False)
    items = dialog.kept()
    assert not [i for i in items if i.kind == "fact"] and dialog.orphan_facts == 1
