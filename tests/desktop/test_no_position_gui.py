"""Facilities with no position (POINT EMPTY, NaN): the window and the PNG still draw."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
from PySide6.QtGui import QColor, QImage

from desktop.i18n import tr
from layers.geo.walking import PRESETS
from layers.model.categories import get_category
from tests.conftest import REPO


def _colour_hits(image: QImage, category: str) -> int:
    img = image.convertToFormat(QImage.Format.Format_RGB32)
    arr = np.frombuffer(img.constBits(), dtype=np.uint8,
                        count=img.height() * img.bytesPerLine())
    arr = arr.reshape(img.height(), img.bytesPerLine() // 4, 4)[:, : img.width(), 2::-1]
    c = QColor(get_category(category).color)
    return int((np.abs(arr.astype(int) - [c.red(), c.green(), c.blue()]).sum(axis=2) < 12).sum())


def test_export_png_draws_the_other_facilities(no_position_copy, tmp_path):
    out = tmp_path / "map.png"
    res = subprocess.run([sys.executable, "main.py", "export-png", "--project",
                          str(no_position_copy), "--out", str(out), "--community", "翠苑一区",
                          "--width", "900", "--height", "700"],
                         capture_output=True, text=True, cwd=REPO)
    assert res.returncode == 0, res.stderr  # was 139: a segfault
    assert "2 facilities have no position: not drawn" in res.stdout
    image = QImage(str(out))
    assert image.width() == 900
    for category in ("canteen", "parking", "pocket_park"):
        assert _colour_hits(image, category) > 15, category


def test_the_window_draws_and_says_what_it_left_out(make_window, no_position_copy):
    window = make_window(no_position_copy)
    assert window.statusBar().currentMessage() == (
        tr("Features with no position, not drawn") + ": 3")
    fac = window.project.facilities.frame
    canteen = fac[fac["category"] == "canteen"].iloc[0].geometry
    window.canvas.zoom_to_lonlat_bounds((canteen.x - 0.004, canteen.y - 0.004,
                                         canteen.x + 0.004, canteen.y + 0.004))
    window.canvas.render_now()
    assert _colour_hits(window.canvas.map_image(), "canteen") > 15
    # selecting one with no position and zooming to it neither crashes nor moves the map
    before = window.canvas.view.extent
    window.project.facilities.set_selection(["no-position-facilities-0"])
    window.canvas.zoom_to_selection()
    window.canvas.render_now()
    assert window.canvas.view.extent == before


def test_circles_and_audit_in_the_window_skip_them_and_say_so(make_window,
                                                             no_position_copy):
    window = make_window(no_position_copy)
    assert window.make_service_circles("all", 10, PRESETS["gb50180"])
    placed = len(window.project.facilities) - 2
    assert len(window.project.layer("service_circles")) == placed
    assert window.statusBar().currentMessage() == (
        tr("Facilities with no position, skipped") + ": 2")
    window.canvas.render_now()
    window.checklist.run()
    summary = window.checklist.summary.text()
    assert tr("Facilities with no position, skipped") + ": 2" in summary
    assert tr("Communities with no position, not audited") + ": 1" in summary
    assert window.checklist.status_of("无位置0", "canteen") is None
