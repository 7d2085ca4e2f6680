"""Undo in the window after a save took in rows somebody else deleted."""

from __future__ import annotations

from layers.store import open_project


def test_undoing_an_edit_of_a_row_somebody_else_deleted_since(window, qtbot):
    editor, project = window.editor, window.project
    fid, other_row = project.facilities.ids[2], project.facilities.ids[5]
    assert editor.change_attribute("facilities", fid, "address", "我写的地址")
    assert window.files.save()
    theirs = open_project(project.path)
    theirs.facilities.remove_features([fid])
    theirs.save()
    assert editor.change_attribute("facilities", other_row, "address", "再改一处")
    assert window.files.save()  # takes in their deletion
    assert not project.facilities.has_feature(fid)
    editor.stack.undo()
    editor.stack.undo()  # the edit of the row they deleted: nothing to undo, no error
    assert "Somebody else deleted that feature" in window.statusBar().currentMessage() or \
        "他人已删除该设施" in window.statusBar().currentMessage()
    assert project.facilities.feature(other_row)["address"] is None
