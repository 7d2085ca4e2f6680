import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from PySide6.QtGui import QImage

from desktop.canvas.print_layout import export_map
from layers.export.layout.page import LayoutOptions
from layers.store import open_project

REPO = Path(__file__).resolve().parents[2]
OPTIONS = dict(paper="A4", landscape=True, dpi=72, title="翠苑一区社区设施分布图",
               subtitle="现状设施", review_number="浙S(2026)123号", community="翠苑一区")


def _pdf_text(path: Path) -> tuple[pypdf.PageObject, str]:
    page = pypdf.PdfReader(path).pages[0]
    return page, "".join(page.extract_text().split())  # pypdf breaks lines between runs


def test_pdf_is_an_exact_page_with_searchable_chinese(bundled_copy, tmp_path, qapp):
    out = export_map(open_project(bundled_copy), LayoutOptions(**OPTIONS), tmp_path / "map.pdf")
    page, text = _pdf_text(out)
    assert [float(v) for v in page.mediabox] == [0, 0, 842, 595]
    for words in ("翠苑一区社区设施分布图", "审图号：浙S(2026)123号", "图例", "社区/老年食堂",
                  "停车场", "浙江省杭州市西湖区", "北", "比例尺"):
        assert words in text, words
    assert "咖啡馆" in text
    fonts = page["/Resources"]["/Font"]
    assert all("/FontDescriptor" in f.get_object()["/DescendantFonts"][0].get_object()
               for f in fonts.values())  # embedded, not left to the reader's machine


def test_png_honours_dpi_and_svg_is_written(bundled_copy, tmp_path, qapp):
    project = open_project(bundled_copy)
    png = export_map(project, LayoutOptions(**{**OPTIONS, "paper": "A3", "dpi": 100}),
                     tmp_path / "map.png")
    image = QImage(str(png))
    assert (image.width(), image.height()) == (round(1191 * 100 / 72), round(842 * 100 / 72))
    svg = export_map(project, LayoutOptions(**OPTIONS), tmp_path / "map.svg").read_text("utf-8")
    assert 'viewBox="0 0 842 595"' in svg and "翠苑一区社区设施分布图" in svg


def test_cli_and_dialog_write_the_same_page(bundled_copy, tmp_path, qtbot):
    from desktop.dialogs.print_layout_dialog import PrintLayoutDialog

    cli_out = tmp_path / "cli.pdf"
    args = [sys.executable, str(REPO / "main.py"), "export-map", "--project", str(bundled_copy),
            "--out", str(cli_out), "--landscape", "--dpi", "72", "--title", OPTIONS["title"],
            "--subtitle", "现状设施", "--review-number", OPTIONS["review_number"],
            "--community", "翠苑一区", "--minutes", "10"]
    done = subprocess.run(args, capture_output=True, text=True, cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stderr
    dialog = PrintLayoutDialog(open_project(bundled_copy))
    qtbot.addWidget(dialog)
    dialog.dpi.setValue(72)
    dialog.title.setText(OPTIONS["title"])
    dialog.subtitle.setText("现状设施")
    dialog.review_number.setText(OPTIONS["review_number"])
    dialog.community.setCurrentText("翠苑一区")
    dialog.minutes.setValue(10)
    gui_out = export_map(dialog.project, dialog.options(), tmp_path / "gui.pdf")
    assert _pdf_text(gui_out)[1] == _pdf_text(cli_out)[1]
    assert "10分钟步行服务圈" in _pdf_text(gui_out)[1]


def test_dialog_preview_follows_the_title(bundled_copy, qtbot):
    from desktop.dialogs.print_layout_dialog import PrintLayoutDialog

    dialog = PrintLayoutDialog(open_project(bundled_copy))
    qtbot.addWidget(dialog)
    before = dialog.preview_image.copy()
    dialog.title.setText("一个很长的新标题：西湖区公共服务设施")
    qtbot.waitUntil(lambda: dialog.preview_image != before, timeout=5000)
    assert dialog.preview.pixmap().toImage().size() == dialog.preview_image.size()


def test_bad_extent_is_one_line(bundled_copy, tmp_path):
    done = subprocess.run([sys.executable, str(REPO / "main.py"), "export-map", "--project",
                           str(bundled_copy), "--out", str(tmp_path / "m.pdf"),
                           "--extent", "121,30,120,31"],
                          capture_output=True, text=True, check=False)
    assert done.returncode != 0
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


@pytest.mark.parametrize("flag", ["--extent"])
def test_export_png_takes_an_extent(bundled_copy, tmp_path, flag):
    out = tmp_path / "e.png"
    done = subprocess.run([sys.executable, str(REPO / "main.py"), "export-png", "--project",
                           str(bundled_copy), "--out", str(out), "--width", "400",
                           "--height", "300", flag, "120.10,30.25,120.16,30.30"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert QImage(str(out)).width() == 400


def test_pdf_and_svg_map_frames_are_vector_with_names_as_text(bundled_copy, tmp_path, qapp):
    import re

    project = open_project(bundled_copy)
    options = LayoutOptions(**{**OPTIONS, "minutes": 10})
    out = export_map(project, options, tmp_path / "map.pdf")
    page, text = _pdf_text(out)
    content = page.get_contents().get_data()
    # the map is paths (symbols, circles, boundaries) and text, with no picture in it
    assert len(re.findall(rb"\s[lc]\s", content)) > 1000
    assert "/XObject" not in page["/Resources"] or not page["/Resources"]["/XObject"]
    for name in ("翠苑一区社区咖啡馆", "翠苑一区社区老年食堂", "拱墅区"):  # map labels
        assert name in text, name
    svg = export_map(project, options, tmp_path / "map.svg").read_text("utf-8")
    assert "<image" not in svg and svg.count("<path") > 20 and "翠苑一区社区咖啡馆" in svg
