import pytest
import shapely

from desktop.dialogs.import_dialog import ImportDialog
from tests.conftest import REPO

CORPUS = REPO / "tests" / "import_corpus"


def test_gbk_csv_imports_as_one_undo_step(window, qtbot):
    before = len(window.project.facilities)
    dialog = ImportDialog(CORPUS / "gbk_excel.csv", window)
    qtbot.addWidget(dialog)
    dialog.start_reading()
    dialog.wait()
    assert dialog.error is None
    assert dialog.combos["name"].currentData() == "名称"
    assert dialog.combos["category"].currentData() == "类型"
    assert window.finish_import(dialog) == 3
    names = set(window.project.facilities.frame["name"])
    assert {"翠苑一区社区老年食堂", "人人坞党群服务站", "耐火小区充电棚"} <= names
    assert len(window.project.facilities) == before + 3
    window.undo_action.trigger()
    assert len(window.project.facilities) == before


def test_broken_file_shows_one_line_and_changes_nothing(window, qtbot):
    before = len(window.project.facilities)
    dialog = ImportDialog(CORPUS / "html_saved_as.csv", window)
    qtbot.addWidget(dialog)
    dialog.start_reading()
    dialog.wait()
    assert dialog.error and "web page" in dialog.error and "\n" not in dialog.error
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    assert "web page" in dialog.status.text()
    assert len(window.project.facilities) == before
    assert not window.project.modified


def test_every_corpus_file_through_the_dialog(window, qtbot):
    import pytest  # noqa: F401

    from tests.layers.io.test_import_corpus import OUTCOMES

    for name, (options, expected) in sorted(OUTCOMES.items()):
        dialog = ImportDialog(CORPUS / name, window)
        qtbot.addWidget(dialog)
        if "--crs" in options:
            dialog.crs.setText(options[options.index("--crs") + 1])
        dialog.gcj02.setChecked("--gcj02" in options)
        dialog.allow_duplicates.setChecked(True)  # as the command-line corpus test
        if "--layer" in options:
            dialog.layer.setCurrentIndex(dialog.layer.findData(
                options[options.index("--layer") + 1]))
        dialog.start_reading()
        dialog.wait()
        if isinstance(expected, int):
            assert dialog.error is None, (name, dialog.error)
            assert len(dialog.result_frame()) == expected, name
        else:
            assert dialog.error and expected in dialog.error, (name, dialog.error)
            assert "\n" not in dialog.error
        dialog.close()
    assert not window.project.modified


def test_geopackage_layer_can_be_chosen(window, qtbot):
    dialog = ImportDialog(CORPUS / "two_layers.gpkg", window)
    qtbot.addWidget(dialog)
    assert dialog.source_layer.findData("other") >= 0
    dialog.source_layer.setCurrentIndex(dialog.source_layer.findData("other"))
    dialog.start_reading()
    dialog.wait()
    assert len(dialog.result_frame()) == 1


def test_street_network_import_offers_walking_areas(window, qtbot):
    from layers.geo.walking import PRESETS

    dialog = ImportDialog(CORPUS / "streets.osm", window)
    qtbot.addWidget(dialog)
    dialog.start_reading()
    dialog.wait()
    assert dialog.layer.currentData() == "roads"  # lines go to the road layer by themselves
    assert [t for t in dialog.combos] == ["name", "kind"]
    assert window.finish_import(dialog) == 3
    roads = window.project.layer("roads")
    assert sorted(roads.frame["kind"]) == ["footway", "path", "residential"]
    # a facility by these streets gets a walking area along them
    window.editor.add_facility({"name": "路边食堂", "category": "canteen"}, 120.1525, 30.2801)
    fac = window.project.facilities
    fac.set_selection([fac.frame["id"].iloc[-1]])
    assert window.make_service_circles("selected", 5, PRESETS["walk"], method="network")
    area = window.project.layer("service_circles").frame
    assert list(area["method"]) == ["network"]
    geom = area.geometry.iloc[0]
    assert geom.contains(shapely.Point(120.1545, 30.2800))  # ~190 m along 文一路
    assert not geom.contains(shapely.Point(120.1525, 30.2830))  # the block's middle
    window.undo_action.trigger()
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert not window.project.has_layer("roads")


def _read(window, qtbot, name):
    dialog = ImportDialog(CORPUS / name, window, window.project)
    qtbot.addWidget(dialog)
    dialog.start_reading()
    dialog.wait()
    assert dialog.error is None
    return dialog


def test_reimport_skips_rows_already_in_the_project_unless_asked(window, qtbot):
    before = len(window.project.facilities)
    assert window.finish_import(_read(window, qtbot, "unknown_categories.csv")) == 3
    dialog = _read(window, qtbot, "unknown_categories.csv")
    # the dialog says so before the planner presses OK, with the way out
    assert "skipped 3 rows already in the project" in dialog.status.text()
    assert "Import duplicates anyway" in dialog.status.text()
    assert window.finish_import(dialog) == 0
    assert len(window.project.facilities) == before + 3
    assert "skipped 3 rows already in the project" in window.statusBar().currentMessage()
    dialog = _read(window, qtbot, "unknown_categories.csv")
    dialog.allow_duplicates.setChecked(True)
    dialog.wait()
    assert "imported 3 rows already in the project" in dialog.status.text()
    assert window.finish_import(dialog) == 3
    assert len(window.project.facilities) == before + 6


def test_the_import_report_reaches_the_window(window, qtbot):
    dialog = _read(window, qtbot, "duplicates.csv")
    assert window.finish_import(dialog) == 2  # two of four rows are in the bundled project
    message = window.statusBar().currentMessage()
    assert "imported 2" in message
    assert "skipped 2 rows already in the project" in message
    dialog = _read(window, qtbot, "unknown_categories.csv")
    assert "unknown categories (imported as other): ??? ×1, 理发 ×1" in dialog.status.text()
    assert window.finish_import(dialog) == 3
    assert "unknown categories (imported as other): ??? ×1, 理发 ×1" in (
        window.statusBar().currentMessage())
    frame = window.project.facilities.frame.set_index("name")
    assert frame.loc["理发店", "category"] == "other"
    assert frame.loc["理发店", "notes"] == "原类别: 理发"
    assert frame.loc["理发店", "location_precision"] == "from-file"


def test_zip_bomb_and_views_reach_the_dialog_as_one_line(window, qtbot, tmp_path):
    from tests.layers.io.test_import_hostile import _with_views, _zip_like

    bomb = _zip_like(CORPUS / "good.xlsx", tmp_path / "bomb.xlsx", "xl/worksheets/sheet1.xml",
                     200, b" ")
    dialog = ImportDialog(bomb, window)
    qtbot.addWidget(dialog)
    dialog.start_reading()
    dialog.wait()
    assert dialog.error and "sheet1.xml" in dialog.error and "\n" not in dialog.error
    assert "zip bomb" in dialog.status.text()
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    views = ImportDialog(_with_views(tmp_path), window)
    qtbot.addWidget(views)
    listed = [views.source_layer.itemData(i) for i in range(views.source_layer.count())]
    assert listed == [None, "facilities", "other"]  # the recursive views are not offered
    views.start_reading()
    views.wait()
    assert views.error is None and len(views.result_frame()) == 3
    assert not window.project.modified


def _large_csv(path, rows):
    """A city's worth of canteens, each with two more, unknown, category labels."""
    lines = ["name,kind,label,label2,lon,lat"] + [
        f"食堂{k},食堂,健身房X,瑜伽Y,{120 + (k % 500) * 0.001:.4f},{30 + (k // 500) * 0.001:.4f}"
        for k in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_changing_the_mapping_of_a_large_file_does_not_freeze_the_dialog(window, qtbot,
                                                                       tmp_path):
    from desktop.i18n import tr

    dialog = ImportDialog(_large_csv(tmp_path / "city.csv", 200_000), window, window.project)
    qtbot.addWidget(dialog)
    dialog.start_reading()
    dialog.wait(timeout=120)
    assert "imported 200000" in dialog.status.text()
    assert "unknown categories" not in dialog.status.text()
    shown = []
    set_text = dialog.status.setText
    dialog.status.setText = lambda text: (shown.append(text), set_text(text))
    category = dialog.combos["category"]
    # the planner picks another column, and at once sees that the dialog is working on it
    category.setCurrentIndex(category.findData("label2"))
    assert dialog.status.text() == tr("Computing…")
    assert dialog.computing and not dialog.ok_button.isEnabled()
    # changed again while that is being worked out: its result is out of date, never shown
    qtbot.waitUntil(lambda: dialog._previewing is not None, timeout=10_000)
    category.setCurrentIndex(category.findData("label"))
    assert dialog.status.text() == tr("Computing…")
    qtbot.waitUntil(lambda: not dialog.computing, timeout=120_000)
    assert "unknown categories (imported as other): 健身房X ×200000" in dialog.status.text()
    assert dialog.ok_button.isEnabled()
    assert not any("瑜伽Y" in text for text in shown)
    # OK imports what the preview said
    frame = dialog.result_frame()
    assert len(frame) == 200_000 and set(frame["category"]) == {"other"}


def test_the_crs_field_says_it_also_replaces_a_wrong_crs_and_does(window, qtbot, tmp_path):
    from desktop.i18n import install_language
    from tests.layers.io.test_import_hostile import GK40, _points

    path = tmp_path / "metres.geojson"
    _points(*GK40).to_file(path)  # metres of zone 40, but the file says EPSG:4326
    dialog = ImportDialog(path, window, window.project)
    qtbot.addWidget(dialog)
    assert "only when the file has none" not in dialog.crs.placeholderText()
    assert "wrong" in dialog.crs.placeholderText()
    dialog.crs.setText("EPSG:4528")
    dialog.start_reading()
    dialog.wait()
    assert dialog.error is None
    assert "the file declares EPSG:4326; read as EPSG:4528" in dialog.status.text()
    frame = dialog.result_frame()
    assert len(frame) == 3 and (119.9 < frame.geometry.x).all() and (frame.geometry.x < 120.1).all()
    try:
        assert install_language("zh_CN")
        chinese = ImportDialog(path, window, window.project)
        qtbot.addWidget(chinese)
        assert "有误" in chinese.crs.placeholderText()
        assert "仅当" not in chinese.crs.placeholderText()
    finally:
        install_language("en")


def test_the_import_report_reads_in_chinese(window, qtbot):
    window.set_language("zh_CN")
    try:
        assert window.finish_import(_read(window, qtbot, "duplicates.csv")) == 2
        message = window.statusBar().currentMessage()
        assert "导入 2，跳过 2" in message and "编码" in message
        assert "跳过 2 行已在项目中的数据（来源和名称相同，或 30 米内名称和类别相同）" in message
        assert "imported" not in message and "skipped" not in message
        dialog = _read(window, qtbot, "swapped_lonlat.csv")
        assert "行的经纬度颠倒，已修复" in dialog.status.text()
    finally:
        window.set_language("en")
