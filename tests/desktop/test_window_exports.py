"""File → Export from the window: written off the GUI thread, failures in one line."""

import time

from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMessageBox


def _answer_the_message(seen, timeout_s=10):
    deadline = time.monotonic() + timeout_s

    def answer():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.accept()
        elif time.monotonic() < deadline:
            QTimer.singleShot(10, answer)

    QTimer.singleShot(0, answer)


def test_map_image_is_the_command_lines_picture_of_the_view(window, tmp_path):
    from desktop.canvas.export_image import export_png
    from desktop.canvas.image_arrays import pixel_view
    from layers.geo.map_view import mercator_to_lonlat

    frame = window.project.facilities.frame
    window.project.facilities.set_selection(list(frame["id"][:3]))  # no selection rings on paper
    window.canvas.render_now()
    out = window.exporting.export_png_to(tmp_path / "map.png")
    assert out == tmp_path / "map.png"
    image = QImage(str(out))
    assert (image.width(), image.height()) == (window.canvas.width(), window.canvas.height())
    assert str(out) in window.statusBar().currentMessage()
    x0, y0, x1, y1 = window.canvas.view.extent
    (w, e), (s, n) = mercator_to_lonlat([x0, x1], [y0, y1])
    cli = export_png(window.project, tmp_path / "cli.png", image.width(), image.height(),
                     extent=(float(w), float(s), float(e), float(n)))
    # GUI and command line draw the same page (the extent's round trip through degrees
    # may move an edge by a pixel)
    ours = pixel_view(image.convertToFormat(QImage.Format.Format_ARGB32))
    theirs = pixel_view(QImage(str(cli)).convertToFormat(QImage.Format.Format_ARGB32))
    assert (ours != theirs).mean() < 0.01
    shown = pixel_view(window.canvas.map_image().convertToFormat(QImage.Format.Format_ARGB32))
    assert (ours != shown).any()  # the canvas rings the selection; the export does not


def test_map_image_into_a_missing_folder_is_one_line(window, tmp_path):
    seen = []
    _answer_the_message(seen)
    assert window.exporting.export_png_to(tmp_path / "gone" / "map.png") is None
    assert seen and "gone" in seen[0] and "\n" not in seen[0]
    assert not (tmp_path / "gone").exists()


def test_html_map_into_a_missing_folder_is_one_line(window, tmp_path):
    seen = []
    _answer_the_message(seen)
    assert window.export_html_to(tmp_path / "gone" / "map.html") is None
    assert seen and "gone" in seen[0] and "\n" not in seen[0], seen


def test_an_audit_export_that_cannot_be_written_is_one_line(window, tmp_path):
    blocker = tmp_path / "audits"
    blocker.write_text("a file where a folder should be", encoding="utf-8")
    window.checklist.run()
    seen = []
    _answer_the_message(seen)
    assert window.checklist.export(blocker / "audit.json", "json") is False
    assert seen and "audit.json" in seen[0] and "\n" not in seen[0]
    assert blocker.read_text(encoding="utf-8") == "a file where a folder should be"


def test_audit_csv_from_the_checklist_dock_opens_as_text(window, tmp_path):
    import csv
    import io

    from tests.layers.io.test_spreadsheet import HOSTILE

    communities = window.project.communities
    window.editor.change_attribute("communities", communities.ids[0], "name", HOSTILE)
    window.checklist.run()
    out = tmp_path / "audit.csv"
    assert window.checklist.export(out, "csv")
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel and WPS then read it as UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    names = [row[0] for row in rows[1:]]
    assert "'" + HOSTILE in names and "翠苑一区" in names
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r"))
                   for row in rows for cell in row)


def test_the_html_map_offers_the_basemap_the_window_shows(window, tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings

    monkeypatch.delenv("TIANDITU_KEY", raising=False)
    settings = QSettings()
    try:
        settings.setValue("map/basemap", "tianditu-vec")
        settings.setValue("map/tianditu_key", "k3y")
        page = window.export_html_to(tmp_path / "tdt.html").read_text(encoding="utf-8")
        assert "tianditu.gov.cn" in page and "tk=k3y" in page and "{key}" not in page
        settings.setValue("map/tianditu_key", "")  # no key: the page offers OpenStreetMap
        page = window.export_html_to(tmp_path / "osm.html").read_text(encoding="utf-8")
        assert "tianditu.gov.cn" not in page and "tile.openstreetmap.org" in page
    finally:
        settings.remove("map/basemap")
        settings.remove("map/tianditu_key")
