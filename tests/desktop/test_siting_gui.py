"""Analysis ▸ Suggest Sites…: proposals drawn apart, listed, and accepted as one undo step."""

from PySide6.QtWidgets import QDialogButtonBox

from desktop.dialogs.siting_dialog import SitingDialog
from layers.geo.walking import PRESETS
from layers.store import open_project


def test_the_dialog_asks_for_category_count_walk_and_method(qtbot):
    dialog = SitingDialog()
    qtbot.addWidget(dialog)
    assert dialog.choice() == ("canteen", "mclp", 3, 10.0, PRESETS["gb50180"])
    assert "500 m" in dialog.radius_label.text()
    dialog.method.setCurrentIndex(dialog.method.findData("lscp"))
    dialog.preset.setCurrentIndex(dialog.preset.findData("elderly"))
    assert not dialog.count.isEnabled()
    assert dialog.choice()[1:3] == ("lscp", None)
    assert dialog.choice()[4] is PRESETS["elderly"]
    assert dialog.findChild(QDialogButtonBox) is not None


def test_suggest_sites_then_accept_one_and_undo(window, bundled_copy):
    analysis = window.analysis
    assert window.menus.site_action.text() in ("Suggest Sites…", "建议选址…")
    facilities_before = len(window.project.facilities)
    assert analysis.suggest_sites("canteen", "mclp", 2, 10, PRESETS["gb50180"])
    proposals = window.project.layer("proposals")
    assert len(proposals) == 2
    assert proposals.frame["gain"].isna().all()  # the bundled communities' residents: unknown
    assert len(window.project.facilities) == facilities_before  # never mixed in
    listing = analysis.proposals_dialog
    assert listing.isVisible() and listing.table.rowCount() == 2
    assert listing.table.item(0, 0).text() == "#1"
    assert "翠光社区" in listing.table.item(0, 2).text()
    assert "unknown" in listing.summary.text()

    # drawn: the map differs with the proposals layer shown or hidden
    first = proposals.frame.iloc[0].geometry
    window.canvas.zoom_to_lonlat_bounds((first.x - 0.004, first.y - 0.004,
                                         first.x + 0.004, first.y + 0.004))
    window.project.facilities.set_visible(False)
    window.project.communities.set_visible(False)
    shown = window.canvas.map_image()
    proposals.set_visible(False)
    hidden = window.canvas.map_image()
    proposals.set_visible(True)
    p = window.canvas.pixel_of(first.x, first.y)
    ring = [(round(p.x()) + dx, round(p.y())) for dx in range(-22, 23)]
    assert any(shown.pixelColor(x, y) != hidden.pixelColor(x, y) for x, y in ring)

    # accept #1: a facility of the category at that spot, the proposal gone, one undo step
    listing.table.selectRow(0)
    depth = window.editor.stack.count()
    listing.accept_button.click()
    assert window.editor.stack.count() == depth + 1
    assert len(window.project.facilities) == facilities_before + 1
    added = window.project.facilities.frame.iloc[-1]
    assert added["name"] == "拟建 社区/老年食堂 #1"
    assert added["category"] == "canteen"
    assert added["location_precision"] == "placed-on-map"
    assert added["notes"].startswith("proposed by MCLP siting on ")
    assert added.geometry.equals(first)
    assert len(proposals) == 1
    assert listing.table.rowCount() == 1 and listing.table.item(0, 0).text() == "#2"

    window.undo_action.trigger()
    assert len(window.project.facilities) == facilities_before
    assert len(window.project.layer("proposals")) == 2
    assert listing.table.rowCount() == 2

    # the map's right-click menu on a proposal accepts it too
    second = window.project.layer("proposals").frame.iloc[1]
    window.canvas.zoom_to_lonlat_bounds((second.geometry.x - 0.004, second.geometry.y - 0.004,
                                         second.geometry.x + 0.004, second.geometry.y + 0.004))
    window.canvas.render_now()
    q = window.canvas.pixel_of(second.geometry.x, second.geometry.y)
    menu = window.context_menus.map_menu(q.x(), q.y())
    accept = [a for a in menu.actions() if a.objectName() == "accept_proposal"]
    assert accept, [a.objectName() for a in menu.actions()]
    accept[0].trigger()
    assert window.project.facilities.frame.iloc[-1]["name"] == "拟建 社区/老年食堂 #2"
    window.undo_action.trigger()
    assert len(window.project.layer("proposals")) == 2

    # a second siting of the category replaces its proposals; it is saved with the project
    assert analysis.suggest_sites("canteen", "lscp", None, 10, PRESETS["gb50180"])
    methods = set(window.project.layer("proposals").frame["method"])
    assert methods == {"lscp"}
    window.save()
    stored = open_project(bundled_copy).layer("proposals").frame
    assert set(stored["method"]) == {"lscp"} and len(stored) >= 1
    analysis.proposals_dialog.close()
