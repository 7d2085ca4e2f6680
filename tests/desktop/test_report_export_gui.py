"""File ▸ Export Report…: the Word report carries the print layout's map."""

import json

import docx
import openpyxl

from layers.report.docx_report import NO_MAP


def test_export_report_from_the_window(window, tmp_path):
    assert window.menus.export_report_action.text() in ("Export Report…", "导出报告…")
    window.checklist.minutes.setValue(15)
    out = window.exporting.export_report_to(tmp_path / "report.docx")
    assert out == tmp_path / "report.docx"
    document = docx.Document(out)
    assert len(document.inline_shapes) == 2  # the print-layout map and the chart
    text = [p.text for p in document.paragraphs]
    assert NO_MAP not in text
    assert any(t.startswith("14 个社区中有") and "15 分钟" in t for t in text)
    assert str(out) in window.statusBar().currentMessage()
    xlsx = window.exporting.export_report_to(tmp_path / "report.xlsx")
    assert openpyxl.load_workbook(xlsx).sheetnames[0] == "汇总"
    data = json.loads(window.exporting.export_report_to(tmp_path / "r.json").read_text("utf-8"))
    assert data["minutes"] == 15 and data["walk"] == "15 min · GB 50180 · 1000 m"
