"""File → Import article…: review proposals, then place them as one undoable edit."""

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
