"""File ▸ New Project…, Open… on a planner's file, Open Recent, and a clean start."""

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QFileDialog

from desktop.dialogs.open_as_new_project import OpenAsNewProjectDialog
from desktop.file_dialogs import remember_folder, start_folder
from desktop.window.project_files import recent_projects
from tests.conftest import REPO

CORPUS = REPO / "tests" / "import_corpus"


@pytest.fixture(autouse=True)
def _fresh_file_settings():
    settings = QSettings()
    settings.remove("files")
    yield
    settings.remove("files")


def _save_dialog_answers(monkeypatch, path: Path, seen: list) -> None:
    """The planner types ``path`` into the Save dialog (the native dialog is modal)."""
    def answer(parent, title, start, filters):  # noqa: ANN001, ANN202
        seen.append(start)
        return str(path), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)


def _when_the_dialog_shows(window, handle) -> None:  # noqa: ANN001
    """Run ``handle(dialog)`` once the import-into-a-new-project dialog is up."""
    def poll():
        dialog = window.files.new_project_dialog
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(20, poll)
            return
        try:
            handle(dialog)
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, poll)


def test_new_project_opens_an_empty_project(window, tmp_path, monkeypatch):
    seen = []
    _save_dialog_answers(monkeypatch, tmp_path / "mine", seen)
    window.menus.new_action.trigger()
    assert window.project.path == tmp_path / "mine.gpkg"
    assert (tmp_path / "mine.gpkg").exists()
    assert len(window.project.facilities) == 0 and len(window.project.communities) == 0
    assert "mine.gpkg" in window.windowTitle()
    # the dialog started in the home folder (no folder used yet), never the working directory
    assert Path(seen[0]).parent == Path.home()
    assert start_folder() == str(tmp_path)


def test_open_a_shapefile_offers_a_new_project(window, tmp_path, monkeypatch, qtbot):
    target = tmp_path / "from_shapefile.gpkg"
    _save_dialog_answers(monkeypatch, target, [])
    shown = []

    def check_and_accept(dialog):
        shown.append(dialog)
        combo = dialog.layer_combos["shapefile.zip"]
        assert combo.currentData() == "facilities"
        assert [combo.itemData(i) for i in range(combo.count())] == [
            "facilities", "communities", "skip"]
        # the category labels of the file and the app's category each becomes
        assert dialog.category_combos[("shapefile.zip", "食堂")].currentData() == "canteen"
        assert dialog.category_combos[("shapefile.zip", "充电")].currentData() == \
            "charging_shed"
        dialog.category_combos[("shapefile.zip", "充电")].setCurrentIndex(
            dialog.category_combos[("shapefile.zip", "充电")].findData("parking"))
        dialog.accept()

    _when_the_dialog_shows(window, check_and_accept)
    assert window.open_project(CORPUS / "shapefile.zip")
    assert shown
    assert window.project.path == target
    frame = window.project.facilities.frame
    assert len(frame) == 3
    assert set(frame["category"]) == {"canteen", "service_station", "parking"}
    assert window.files.last_report == ["shapefile.zip → facilities: 3 rows"]
    assert "shapefile.zip → facilities: 3 rows" in window.statusBar().currentMessage()
    assert not window.project.modified
    # the new project is the first recent one
    assert recent_projects()[0] == target.resolve()
    actions = window.menus.recent_menu.actions()
    assert actions and actions[0].data() == str(target.resolve())


def test_open_a_geopackage_that_is_not_a_project_never_says_no_field(window, tmp_path,
                                                                     monkeypatch):
    _save_dialog_answers(monkeypatch, tmp_path / "two.gpkg", [])
    titles = []

    def leave_out_the_second(dialog):
        titles.append(dialog.windowTitle())
        combo = dialog.layer_combos["two_layers.gpkg:other"]
        combo.setCurrentIndex(combo.findData("skip"))
        dialog.accept()

    _when_the_dialog_shows(window, leave_out_the_second)
    assert window.open_project(CORPUS / "two_layers.gpkg")
    assert titles == ["Import into a new project"] or titles == ["导入到新项目"]
    assert len(window.project.facilities) == 3
    assert window.files.last_report[1] == "two_layers.gpkg:other → skipped: left out"


def test_a_project_with_a_real_problem_keeps_its_one_line_refusal(window, tmp_path,
                                                                   monkeypatch):
    import geopandas as gpd
    import shapely

    bad = tmp_path / "bad.gpkg"
    frame = gpd.GeoDataFrame({"id": ["a"], "name": ["x"]},
                             geometry=[shapely.box(120, 30, 120.1, 30.1)], crs="EPSG:4326")
    frame.to_file(bad, layer="facilities")
    frame.to_file(bad, layer="communities")
    warnings = []
    monkeypatch.setattr("desktop.window.project_files.QMessageBox.warning",
                        lambda parent, title, text: warnings.append(text))
    before = window.project
    assert not window.open_project(bad)
    assert window.project is before and window.files.new_project_dialog is None
    assert len(warnings) == 1 and "\n" not in warnings[0]


def test_an_unreadable_non_project_is_one_line(window, monkeypatch):
    warnings = []
    monkeypatch.setattr("desktop.window.project_files.QMessageBox.warning",
                        lambda parent, title, text: warnings.append(text))
    assert not window.open_project(CORPUS / "html_saved_as.csv")
    assert len(warnings) == 1 and "web page" in warnings[0] and "\n" not in warnings[0]


def test_open_recent_lists_the_last_ten(window, tmp_path, bundled_copy):
    from desktop.window.project_files import remember_recent

    paths = []
    for i in range(12):
        path = tmp_path / f"p{i}.gpkg"
        path.write_bytes(bundled_copy.read_bytes())
        remember_recent(path)
        paths.append(path.resolve())
    window.menus.update_recent()
    listed = [Path(a.data()) for a in window.menus.recent_menu.actions()]
    assert listed == paths[::-1][:10]
    window.menus.recent_menu.actions()[3].trigger()
    assert window.project.path.resolve() == paths[-4]
    assert recent_projects()[0] == paths[-4]


def test_state_is_clean_after_open(window, bundled_copy, tmp_path):
    other = tmp_path / "other.gpkg"
    other.write_bytes(bundled_copy.read_bytes())
    facilities = window.project.facilities
    facilities.set_selection(list(facilities.frame["id"][:2]))
    assert window.selection_label.text().endswith("2")
    window.set_tool("draw_boundary")
    window.editor.change_attribute("facilities", facilities.frame["id"].iloc[0], "name", "改名")
    assert window.editor.stack.count() == 1
    window.project.set_modified(False)

    assert window.open_project(other)
    # selection
    assert all(not layer.selected_ids for layer in window.project.layers)
    assert window.selection_label.text().endswith(": 0")
    # active tool
    assert window.canvas.tool is window.tools["pan"]
    assert window.tool_actions["pan"].isChecked()
    assert not window.tool_actions["draw_boundary"].isChecked()
    # undo history
    assert window.editor.stack.count() == 0
    assert not window.undo_action.isEnabled()


def test_the_dialog_in_chinese(qtbot):
    from layers.io.new_project import plan_sources

    dialog = OpenAsNewProjectDialog(plan_sources([CORPUS / "shapefile.zip"]), None, "zh_CN")
    qtbot.addWidget(dialog)
    combo = dialog.category_combos[("shapefile.zip", "食堂")]
    assert combo.currentText() == "社区/老年食堂"


def test_export_dialogs_start_in_the_last_folder_and_remember_theirs(window, tmp_path,
                                                                    monkeypatch):
    seen = []
    out = tmp_path / "exports"
    out.mkdir()
    _save_dialog_answers(monkeypatch, out / "map.png", seen)
    remember_folder(tmp_path)  # the planner last opened something here
    assert window.exporting.export_png_dialog() == out / "map.png"
    assert Path(seen[0]) == tmp_path / "map.png"  # suggested name, in the last folder
    assert start_folder() == str(out)  # the next dialog starts where this one saved
    _save_dialog_answers(monkeypatch, out / "layer.gpkg", seen)
    assert window.context_menus.export_layer_dialog("facilities") == out / "layer.gpkg"
    assert Path(seen[1]) == out / "facilities.gpkg"
