"""Saving in the window when somebody else saved the same rows meanwhile."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QTableWidget

from layers.store import open_project


def _answer_conflicts(window, which: str, seen: dict) -> None:
    def answer() -> None:
        dialog = window.files.conflict_dialog
        table = dialog.findChild(QTableWidget)
        seen["rows"] = [[table.item(r, c).text() for c in range(3)]
                        for r in range(table.rowCount())]
        dialog.choose_all(which)
        dialog.accept()

    QTimer.singleShot(0, answer)


def test_the_planner_sees_both_versions_and_keeps_theirs(window):
    other = open_project(window.project.path)
    fid = window.project.facilities.ids[2]
    other.facilities.update_attributes(fid, {"name": "他们的名字"})
    other.save()
    window.project.facilities.update_attributes(fid, {"name": "我的名字"})
    seen: dict = {}
    _answer_conflicts(window, "theirs", seen)
    assert window.files.save()
    assert ["名称", "我的名字", "他们的名字"] in seen["rows"]
    assert window.project.facilities.feature(fid)["name"] == "他们的名字"
    assert open_project(window.project.path).facilities.feature(fid)["name"] == "他们的名字"
    assert not window.project.modified


def test_keeping_mine_overwrites_only_that_row(window):
    other = open_project(window.project.path)
    fid, untouched = window.project.facilities.ids[2], window.project.facilities.ids[7]
    other.facilities.update_attributes(fid, {"name": "他们的名字"})
    other.facilities.update_attributes(untouched, {"address": "他们的地址"})
    other.save()
    window.project.facilities.update_attributes(fid, {"name": "我的名字"})
    _answer_conflicts(window, "mine", {})
    assert window.files.save()
    saved = open_project(window.project.path).facilities
    assert saved.feature(fid)["name"] == "我的名字"
    assert saved.feature(untouched)["address"] == "他们的地址"
    assert window.project.facilities.feature(untouched)["address"] == "他们的地址"


def test_a_busy_project_says_so_in_one_line_and_keeps_the_edits(window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))
    holder = sqlite3.connect(window.project.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        window.project.store.busy_timeout = 0.2
        window.project.facilities.update_attributes(window.project.facilities.ids[0],
                                                    {"name": "等一下"})
        assert not window.files.save()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert shown == ["the project is being written by another program; try again"]
    assert window.project.modified
    assert window.files.save()
