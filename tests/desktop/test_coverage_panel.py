"""The 生活圈覆盖 dock: its bars are the residents-coverage figures, and follow every edit."""

import shutil

import pytest
from PySide6.QtCore import Qt

from desktop.docks.coverage_panel import DEBOUNCE_MS
from layers.analysis.residents import ALL_COMMUNITIES, TIERS, audit_tiers, residents_coverage
from layers.store import open_project
from tests.conftest import BUNDLED, REPO
from tests.desktop.test_editing import CUIYUAN

#: 翠苑一区 has no 电动自行车集中停放充电 within 10 minutes (see test_live_analysis).
MISSING = "charging_shed"


def _show(window, qtbot):
    """Bring the dock to the front and wait for its first figures."""
    window.coverage_dock.show()
    window.coverage_dock.raise_()
    panel = window.coverage
    qtbot.waitUntil(lambda: panel.isVisible())
    _settle(panel, qtbot)
    return panel


def _settle(panel, qtbot):
    qtbot.waitUntil(lambda: panel.figures is not None and not panel.computing, timeout=10000)


def _expected(window):
    """The figures computed directly by the model, with the checklist dock's walk."""
    project, settings = window.project, window.checklist
    communities = project.communities.frame
    audits = audit_tiers(communities, project.facilities.frame, settings.checklist,
                         settings.walk(), TIERS)
    return residents_coverage(communities, audits, settings.checklist)


def _set_populations(window, populations):
    """Type populations into a few communities, each an undoable edit."""
    frame = window.project.communities.frame
    for name, people in populations.items():
        fid = frame[frame["name"] == name]["id"].iloc[0]
        assert window.editor.change_attribute("communities", fid, "population", str(people))


def test_the_dock_has_a_bar_for_every_category_and_counts_communities_when_no_one_is_counted(
        window, qtbot):
    panel = _show(window, qtbot)
    # only 翠苑一区's article states its residents: without it, no one is counted
    frame = window.project.communities.frame
    for fid in frame.loc[frame["population"].notna(), "id"]:
        window.project.communities.update_attributes(fid, {"population": None})
    qtbot.waitUntil(lambda: panel.chart.measure == "communities", timeout=10000)
    _settle(panel, qtbot)
    categories = [i.category for i in window.checklist.checklist.items]
    assert list(panel.chart.labels) == categories
    expected = _expected(window)
    # no population at all: no share of residents is made up
    assert expected.unknown_population == len(window.project.communities)
    assert panel.chart.measure == "communities"
    assert panel.note_label.isVisible()
    assert panel.note_label.text() == "Population unknown: counted by communities"
    assert "communities" in panel.chart.title
    for category in categories:
        for minutes in TIERS:
            figure = expected.total.figure(category, minutes)
            assert figure.share is None
            assert panel.chart.value(category, minutes) == figure.communities_share
            tip = panel.chart.tooltip_text(category, minutes)
            assert f"{figure.communities_covered} of {figure.communities} communities" in tip
            assert "residents unknown" in tip
    assert "人口均未知" in panel.sentences_label.text()
    assert window.coverage_dock.toggleViewAction() in window.menus.view_menu.actions()


def test_with_known_populations_the_bars_are_shares_of_known_residents(window, qtbot):
    panel = _show(window, qtbot)
    _set_populations(window, {"翠苑一区": 8600, "翠光社区": 1400, "汉东楼社区": 5200})
    qtbot.waitUntil(lambda: panel.chart.measure == "residents", timeout=10000)
    _settle(panel, qtbot)
    expected = _expected(window)
    assert expected.total.figures[0].residents == 8600 + 1400 + 5200
    for category in panel.chart.labels:
        for minutes in TIERS:
            figure = expected.total.figure(category, minutes)
            assert panel.chart.value(category, minutes) == pytest.approx(figure.share)
    canteen = expected.total.figure("canteen", 10)
    tip = panel.chart.tooltip_text("canteen", 10)
    assert (f"{canteen.residents_covered:,} of 15,200 known residents" in tip
            and "11 communities residents unknown" in tip)
    assert not panel.note_label.isVisible()
    assert "已知人口（15,200 人中的" in panel.sentences_label.text()


def test_adding_a_missing_facility_raises_its_bar_and_undo_lowers_it(window, qtbot):
    panel = _show(window, qtbot)
    before = panel.chart.value(MISSING, 10)
    window.editor.add_facility({"name": "翠苑一区充电棚", "category": MISSING}, *CUIYUAN)
    assert panel.chart.value(MISSING, 10) == before  # the last chart stays while computing
    qtbot.waitUntil(lambda: panel.chart.value(MISSING, 10) > before, timeout=10000)
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: panel.chart.value(MISSING, 10) == before, timeout=10000)


def test_clicking_a_bar_selects_the_communities_it_leaves_out(window, qtbot):
    panel = _show(window, qtbot)
    expected = _expected(window)
    left_out = {c.community_id for c in expected.communities
                if not c.coverage.figure("canteen", 10).communities_covered}
    assert 0 < len(left_out) < len(window.project.communities)
    window.project.facilities.set_selection(window.project.facilities.ids[:1])
    column = panel.chart.column_rect("canteen", 10)
    qtbot.mouseClick(panel.chart, Qt.MouseButton.LeftButton, pos=column.center().toPoint())
    assert window.project.communities.selected_ids == left_out
    assert not window.project.facilities.selected_ids  # only the answer is selected
    assert f"Selected {len(left_out)} communities" in panel.state_label.text()


def test_the_street_selector_shows_one_street(window, qtbot):
    panel = _show(window, qtbot)
    expected = _expected(window)
    street = next(g for g in expected.streets if g.name == "龙洲街道")
    assert panel.street_box.findData("龙洲街道") > 0
    panel.set_group("龙洲街道")
    assert "龙洲街道" in panel.chart.title
    for category in panel.chart.labels:
        for minutes in TIERS:
            assert (panel.chart.value(category, minutes)
                    == street.figure(category, minutes).communities_share)
    assert panel.sentences_label.text().startswith(f"{street.figures[0].communities} 个社区中")
    qtbot.mouseClick(panel.chart, Qt.MouseButton.LeftButton,
                     pos=panel.chart.column_rect("canteen", 10).center().toPoint())
    streets = {c.community_id: c.street for c in expected.communities}
    assert window.project.communities.selected_ids
    assert {streets[i] for i in window.project.communities.selected_ids} == {"龙洲街道"}
    # an edit keeps the street shown
    window.editor.add_facility({"name": "充电棚", "category": MISSING}, *CUIYUAN)
    _settle(panel, qtbot)
    assert panel.group_name() == "龙洲街道"
    panel.set_group(ALL_COMMUNITIES)
    assert panel.sentences_label.text().startswith("14 个社区中")


def test_changing_the_checklist_walk_rewrites_the_sentences(window, qtbot):
    panel = _show(window, qtbot)
    assert "在 10 分钟步行范围内" in panel.sentences_label.text()
    runs = panel.runs
    window.checklist.minutes.setValue(15)
    qtbot.waitUntil(lambda: "在 15 分钟步行范围内" in panel.sentences_label.text(),
                    timeout=10000)
    assert panel.runs == runs + 1


def test_a_burst_of_edits_is_computed_once(window, qtbot):
    panel = _show(window, qtbot)
    runs = panel.runs
    lon, lat = CUIYUAN
    for k in range(5):  # five edits in one go, as a paste would make them
        window.editor.add_facility({"name": f"充电棚{k}", "category": MISSING},
                                   lon + 0.001 * k, lat)
    _settle(panel, qtbot)
    qtbot.wait(DEBOUNCE_MS + 200)  # a second computation would have started by now
    assert panel.runs == runs + 1


def test_switching_projects_twice_computes_once_per_edit(window, qtbot, tmp_path):
    panel = _show(window, qtbot)
    first = window.project
    watching = len(first.facilities.features_changed)
    for k in range(2):
        path = tmp_path / f"other{k}.gpkg"
        shutil.copy(BUNDLED, path)
        window.set_project(open_project(path))
        _settle(panel, qtbot)
    project = window.project
    assert len(first.facilities.features_changed) == 1  # only the project's own listener
    assert len(project.facilities.features_changed) == watching
    runs = panel.runs
    project_before = panel.chart.value(MISSING, 10)
    window.editor.add_facility({"name": "翠苑一区充电棚", "category": MISSING}, *CUIYUAN)
    qtbot.waitUntil(lambda: panel.chart.value(MISSING, 10) > project_before, timeout=10000)
    _settle(panel, qtbot)
    qtbot.wait(DEBOUNCE_MS + 200)
    assert panel.runs == runs + 1


def test_the_dock_renders_in_chinese(window, qtbot, tmp_path, monkeypatch):
    from desktop.i18n import install_language, tr

    # this checkout's translations (the installed package may point at another checkout)
    monkeypatch.setattr("desktop.i18n.TRANSLATIONS_DIR", REPO / "resources" / "translations")
    panel = _show(window, qtbot)
    try:
        window.set_language("zh_CN")
        assert tr("Coverage") == "生活圈覆盖"
        assert window.coverage_dock.windowTitle() == "生活圈覆盖"
        assert panel.note_label.text() == "人口未知: 按社区数量统计"
        assert panel.chart.tooltip_text("canteen", 10).startswith("社区食堂 · 10 分钟：")
        image = window.coverage_dock.grab()
        assert not image.isNull()
        assert image.save(str(tmp_path / "coverage_dock.png"))
    finally:
        window.set_language("en")
        install_language("en")


def test_behind_another_tab_it_waits_and_catches_up_when_shown(window, qtbot):
    panel = _show(window, qtbot)
    before, runs = panel.chart.value(MISSING, 10), panel.runs
    window.table_dock.raise_()  # the attribute table's tab in front
    window.editor.add_facility({"name": "翠苑一区充电棚", "category": MISSING}, *CUIYUAN)
    qtbot.wait(DEBOUNCE_MS + 300)
    assert panel.runs == runs and panel.chart.value(MISSING, 10) == before
    window.coverage_dock.raise_()
    qtbot.waitUntil(lambda: panel.chart.value(MISSING, 10) > before, timeout=10000)
    assert panel.runs == runs + 1


def test_deleting_the_only_canteen_empties_its_bars_and_undo_brings_them_back(window, qtbot):
    panel = _show(window, qtbot)
    before = panel.chart.value("canteen", 10)
    assert before > 0
    facilities = window.project.facilities.frame
    canteens = facilities[facilities["category"] == "canteen"]["id"].tolist()
    window.editor.delete_features("facilities", canteens)
    qtbot.waitUntil(lambda: panel.chart.value("canteen", 10) == 0, timeout=10000)
    assert all(panel.chart.value("canteen", t) == 0 for t in TIERS)
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: panel.chart.value("canteen", 10) == before, timeout=10000)


def test_a_newer_change_supersedes_the_running_computation(window, qtbot):
    panel = _show(window, qtbot)
    shown = []
    panel.computed.connect(lambda: shown.append(panel.chart.value(MISSING, 10)))
    runs, before = panel.runs, panel.chart.value(MISSING, 10)
    window.editor.add_facility({"name": "充电棚", "category": "canteen"}, *CUIYUAN)
    panel.recompute()  # running now, on the worker thread
    window.editor.add_facility({"name": "翠苑一区充电棚", "category": MISSING}, *CUIYUAN)
    panel.recompute()  # the running one is cancelled; this one follows it, not beside it
    _settle(panel, qtbot)
    qtbot.wait(DEBOUNCE_MS + 200)
    assert panel.runs == runs + 2
    assert len(shown) == 1 and shown[0] > before  # only the newest figures were shown


def test_hovering_a_bar_shows_its_counts(window, qtbot):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    panel = _show(window, qtbot)
    pos = panel.chart.column_rect("canteen", 15).center().toPoint()
    QApplication.sendEvent(panel.chart, QHelpEvent(QEvent.Type.ToolTip, pos,
                                                   panel.chart.mapToGlobal(pos)))
    assert QToolTip.text().startswith("社区食堂 · 15 min: 1 of 14 communities")
    QToolTip.hideText()


def test_a_closed_window_stops_following_its_project(window, qtbot):
    panel = _show(window, qtbot)
    project = window.project
    watching = len(project.facilities.features_changed)
    project.set_modified(False)
    window.close()
    assert len(project.facilities.features_changed) < watching
    window.editor.add_facility({"name": "充电棚", "category": MISSING}, *CUIYUAN)
    assert not panel.computing
