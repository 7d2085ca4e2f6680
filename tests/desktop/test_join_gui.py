"""Join Table… on the communities layer: the report first, then one undo step."""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMenu

from desktop.dialogs.join_dialog import JoinTableDialog
from layers.store import open_project


def _actions(menu: QMenu) -> dict:
    return {a.objectName(): a for a in menu.actions() if a.objectName()}


def _table(tmp_path):
    path = tmp_path / "街道人口.csv"
    path.write_bytes("社区,人口,户数\n金耐,2300,八十余户\n翠屏社区,1.2万,\n火星社区,1,1\n"
                     .encode("gbk"))
    return path


def test_the_dialog_shows_the_report_before_anything_changes(window, qtbot, tmp_path):
    layer = window.project.communities
    dialog = JoinTableDialog(layer, window)
    qtbot.addWidget(dialog)
    assert not dialog.apply_button.isEnabled()
    dialog.path_edit.setText(str(_table(tmp_path)))
    plan = dialog.check()
    report = dialog.report.toPlainText()
    assert "matched rows: 2" in report
    assert "loose matches (with or without 社区): 1: 金耐 → 金耐社区" in report
    assert "table keys not in the layer: 1: 火星社区" in report
    assert dialog.apply_button.isEnabled() and plan.values_set == 3
    assert layer.frame["population"].isna().sum() == len(layer) - 1  # nothing applied yet
    dialog.overwrite_box.setChecked(True)  # a changed choice needs a new check
    assert not dialog.apply_button.isEnabled() and dialog.plan is None
    dialog.path_edit.setText(str(tmp_path / "missing.csv"))
    assert dialog.check() is None and "file not found" in dialog.report.toPlainText()


def test_join_table_from_the_layer_menu_is_one_undo_step(window, tmp_path):
    actions = _actions(window.context_menus.layer_menu("communities"))
    assert "join" in actions
    assert "join" not in _actions(window.context_menus.layer_menu("facilities"))
    path = _table(tmp_path)
    seen = {}

    def drive():
        dialog = QApplication.activeModalWidget()
        dialog.path_edit.setText(str(path))
        dialog.check()
        seen["report"] = dialog.report.toPlainText()
        if dialog.apply_button.isEnabled():
            dialog.apply_button.click()
        else:
            dialog.reject()

    QTimer.singleShot(0, drive)
    before = window.editor.stack.count()
    assert window.context_menus.join_table("communities") == 2
    assert "matched rows: 2" in seen["report"]
    c = window.project.communities.frame.set_index("name")
    assert c.loc["金耐社区", "population"] == 2300 and c.loc["金耐社区", "households"] == 80
    assert "约80户" in c.loc["金耐社区", "notes"]
    assert c.loc["翠屏社区", "population"] == 12000
    assert window.editor.stack.count() == before + 1  # one undo step
    window.editor.stack.undo()
    c = window.project.communities.frame.set_index("name")
    assert pd.isna(c.loc["金耐社区", "population"]) and pd.isna(c.loc["翠屏社区", "population"])
    assert "街道人口.csv" not in str(c.loc["金耐社区", "notes"])
    window.editor.stack.redo()
    window.project.save()
    saved = open_project(window.project.path).communities.frame.set_index("name")
    assert saved.loc["翠屏社区", "population"] == 12000
