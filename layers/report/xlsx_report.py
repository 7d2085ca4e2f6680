"""The report as an Excel workbook (xlsxwriter): values only, with a native chart.

Sheets: 汇总 (residents covered by category and tier, and the chart), 按街道 (the
same per street), 社区 (one row per community: met or missing per category, with
the nearest distance and facility), 选址建议 (when the project has proposals),
来源 (articles and quotes) and 说明 (title, walk, summary sentences, notes).

Every text cell is written as a string through :func:`layers.io.spreadsheet.safe_cell`
(a community named ``=cmd|...`` stays text); numbers are numbers with number
formats; nothing is a formula. An unknown population is the text 未知, never 0.
The file is written whole or not at all (:func:`layers.io.atomic.atomic_path`).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from layers.io.atomic import atomic_path
from layers.io.spreadsheet import safe_cell
from layers.report.model import Report, SummaryRow

#: Shown where a community's population is not known.
UNKNOWN = "未知"
SUMMARY_HEADER = ("设施类别", "步行时间（分钟）", "覆盖距离（米）", "社区数", "覆盖社区数",
                  "社区覆盖率", "已知人口", "覆盖人口", "人口覆盖率", "人口未知社区数",
                  "其中覆盖")


def write_xlsx_report(report: Report, path: str | Path) -> Path:
    """Write the report as an ``.xlsx`` workbook, atomically.

    Parameters
    ----------
    report : Report
        The report.
    path : path-like
        The ``.xlsx`` file.

    Returns
    -------
    Path
        ``path``.
    """
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False,
                                              "strings_to_urls": False,
                                              "strings_to_numbers": False})
        try:
            _Writer(book, report).write()
        finally:
            book.close()
    return Path(path)


class _Writer:
    """One workbook being written: formats made once, one method per sheet."""

    def __init__(self, book: xlsxwriter.Workbook, report: Report) -> None:
        self.book, self.report = book, report
        font = {"font_name": "等线", "font_size": 10}
        self.header = book.add_format({**font, "bold": True, "bg_color": "#DDEBF7",
                                       "border": 1, "text_wrap": True, "valign": "top"})
        self.text = book.add_format(font)
        self.wrap = book.add_format({**font, "text_wrap": True, "valign": "top"})
        self.whole = book.add_format({**font, "num_format": "#,##0"})
        self.metres = book.add_format({**font, "num_format": "#,##0"})
        self.minutes = book.add_format({**font, "num_format": "0"})
        self.pct = book.add_format({**font, "num_format": "0.0%"})
        self.met = book.add_format({**font, "font_color": "#1E7B34"})
        self.miss = book.add_format({**font, "font_color": "#C00000", "bold": True})
        self.title = book.add_format({"font_name": "等线", "font_size": 14, "bold": True})

    def write(self) -> None:
        summary = self.book.add_worksheet("汇总")
        self._summary(summary, self.report.summary, with_group=False)
        self._chart(summary)
        self._summary(self.book.add_worksheet("按街道"), self.report.streets, with_group=True)
        self._communities(self.book.add_worksheet("社区"))
        if self.report.proposals:
            self._proposals(self.book.add_worksheet("选址建议"))
        self._sources(self.book.add_worksheet("来源"))
        self._about(self.book.add_worksheet("说明"))

    # cells -----------------------------------------------------------------
    def put(self, ws: Worksheet, row: int, col: int, value: Any, fmt=None) -> None:  # noqa: ANN001
        """Write one value: text through safe_cell as a string, numbers as numbers."""
        if value is None:
            ws.write_blank(row, col, None, fmt or self.text)
        elif isinstance(value, bool):
            ws.write_boolean(row, col, value, fmt or self.text)
        elif isinstance(value, int | float):
            ws.write_number(row, col, value, fmt or self.text)
        else:
            ws.write_string(row, col, safe_cell(str(value)), fmt or self.text)

    def headers(self, ws: Worksheet, names: tuple[str, ...] | list[str],
                widths: list[float]) -> None:
        for col, name in enumerate(names):
            self.put(ws, 0, col, name, self.header)
            ws.set_column(col, col, widths[col])
        ws.freeze_panes(1, 0)
        ws.set_row(0, 30)
        # printed as the office prints it: A4 landscape, one page wide, header on every page
        ws.set_paper(9)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)

    # sheets ----------------------------------------------------------------
    def _summary(self, ws: Worksheet, rows: list[SummaryRow], with_group: bool) -> None:
        names = (("街道",) if with_group else ()) + SUMMARY_HEADER
        first = 1 if with_group else 0
        texts = [[r.group for r in rows]] if with_group else []
        texts.append([r.label for r in rows])
        widths = [_width(col, names[i]) for i, col in enumerate(texts)]
        widths += [10] * (len(names) - len(widths))
        self.headers(ws, names, widths)
        for i, r in enumerate(rows, start=1):
            if with_group:
                self.put(ws, i, 0, r.group)
            values = (r.label, r.minutes, r.radius_m, r.communities, r.communities_covered,
                      r.communities_share, r.residents if r.residents else None,
                      r.residents_covered if r.residents else None, r.share,
                      r.unknown_communities, r.unknown_covered)
            fmts = (None, self.minutes, self.metres, self.whole, self.whole, self.pct,
                    self.whole, self.whole, self.pct, self.whole, self.whole)
            for j, (v, f) in enumerate(zip(values, fmts, strict=True)):
                self.put(ws, i, first + j, v, f)
        if with_group:
            ws.freeze_panes(1, 2)

    def _chart(self, ws: Worksheet) -> None:
        """Write the chart's data as a small table right of the summary, and the chart."""
        chart_data = self.report.chart
        col0 = len(SUMMARY_HEADER) + 1
        self.put(ws, 0, col0, "图表数据", self.header)
        ws.set_column(col0, col0, _width(chart_data.labels, "图表数据"))
        for j, t in enumerate(chart_data.tiers, start=1):
            self.put(ws, 0, col0 + j, f"{t:g} 分钟", self.header)
            ws.set_column(col0 + j, col0 + j, 10)
        for i, label in enumerate(chart_data.labels, start=1):
            self.put(ws, i, col0, label)
            for j, t in enumerate(chart_data.tiers, start=1):
                self.put(ws, i, col0 + j, chart_data.values[t][i - 1], self.pct)
        n = len(chart_data.labels)
        chart = self.book.add_chart({"type": "column"})
        colours = ("#9DC3E6", "#2E75B6", "#1F3864")
        for j in range(1, len(chart_data.tiers) + 1):
            chart.add_series({
                "name": ["汇总", 0, col0 + j],
                "categories": ["汇总", 1, col0, n, col0],
                "values": ["汇总", 1, col0 + j, n, col0 + j],
                "fill": {"color": colours[(j - 1) % len(colours)]},
                "data_labels": {"value": True, "num_format": "0%"},
            })
        chart.set_title({"name": chart_data.title, "name_font": {"size": 12}})
        chart.set_y_axis({"num_format": "0%", "min": 0, "max": 1,
                          "major_gridlines": {"visible": True}})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 760, "height": 380})
        ws.insert_chart(n + 3, col0, chart)

    def _communities(self, ws: Worksheet) -> None:
        report = self.report
        names = ["社区", "街道", "人口", "户数"]
        for c in report.categories:
            names += [c.label, f"{c.label} {report.distance_label}", f"{c.label} 最近设施"]
        names.append("缺项")
        rows = report.communities
        widths = [_width([r.name for r in rows], "社区"), _width([r.street for r in rows], "街道"),
                  8, 8]
        for i, c in enumerate(report.categories):
            widths += [max(8, min(16, _text_width(c.label) * 0.6)), 12,
                       _width([r.cells[i].facility or "" for r in rows], "最近设施")]
        widths.append(40)
        self.headers(ws, names, widths)
        ws.set_row(0, 45)
        ws.freeze_panes(1, 1)
        for i, r in enumerate(rows, start=1):
            self.put(ws, i, 0, r.name)
            self.put(ws, i, 1, r.street)
            self.put(ws, i, 2, UNKNOWN if r.population is None else r.population,
                     None if r.population is None else self.whole)
            self.put(ws, i, 3, r.households, self.whole)
            for k, cell in enumerate(r.cells):
                col = 4 + 3 * k
                self.put(ws, i, col, "达标" if cell.met else "缺", self.met if cell.met
                         else self.miss)
                self.put(ws, i, col + 1, cell.nearest_m, self.metres)
                self.put(ws, i, col + 2, cell.facility)
            self.put(ws, i, len(names) - 1, "、".join(report.label(m) for m in r.missing))

    def _proposals(self, ws: Worksheet) -> None:
        rows = self.report.proposals or []
        names = ("排序", "设施类别", "新增覆盖人口", "覆盖社区", "方法", "步行时间（分钟）")
        self.headers(ws, names, [6, _width([p.label for p in rows], "设施类别"), 12,
                                 min(60, _width([p.communities for p in rows], "覆盖社区")),
                                 _width([p.method for p in rows], "方法"), 10])
        for i, p in enumerate(rows, start=1):
            for j, (v, f) in enumerate(((p.rank, self.whole), (p.label, None),
                                        (p.gain, self.whole), (p.communities, self.wrap),
                                        (p.method, None), (p.minutes, self.minutes))):
                self.put(ws, i, j, v, f)

    def _sources(self, ws: Worksheet) -> None:
        self.headers(ws, ("来源", "文章标题", "设施 / 社区", "引文"), [26, 40, 22, 80])
        row = 1
        for group in self.report.sources:
            for q in group.quotes:
                self.put(ws, row, 0, group.file, self.wrap)
                self.put(ws, row, 1, group.title, self.wrap)
                self.put(ws, row, 2, q.feature, self.wrap)
                self.put(ws, row, 3, q.text, self.wrap)
                row += 1

    def _about(self, ws: Worksheet) -> None:
        report = self.report
        ws.set_column(0, 0, 16)
        ws.set_column(1, 1, 100)
        self.put(ws, 0, 0, report.title, self.title)
        lines = [("日期", report.date), ("项目", report.project), ("清单", report.checklist),
                 ("步行", report.walk), ("距离", report.method),
                 ("社区", f"共 {report.communities_total} 个；"
                        f"{report.unknown_population} 个人口未知；"
                        f"{report.not_placed} 个没有位置")]
        lines += [("摘要", s) for s in report.summary_sentences]
        lines += [("说明", n) for n in report.notes]
        for i, (key, value) in enumerate(lines, start=2):
            self.put(ws, i, 0, key, self.header)
            self.put(ws, i, 1, value, self.wrap)


def _text_width(text: str) -> float:
    """Excel column units a text needs: wide (CJK) characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _width(values, header: str, low: float = 8, high: float = 40) -> float:  # noqa: ANN001
    longest = max([_text_width(str(v)) for v in values] + [_text_width(header)])
    return max(low, min(high, longest + 2))
