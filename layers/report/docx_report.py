"""The report as a Word document (python-docx), in Chinese.

Title and date; the summary written from the numbers (one sentence per category,
:func:`layers.report.model.summary_sentences`); the notes (unknown residents,
communities not placed); the map figure when the caller passes one (the print
layout is drawn by Qt in ``desktop/``, which ``layers/`` cannot import: the GUI
passes its PNG; the headless ``report`` command leaves the map out unless given
``--map``, and says so); the coverage chart (matplotlib, :mod:`layers.report.charts`);
the residents covered per category and tier; the per-community table; what each
community misses; the siting proposals, if any; and the sources with their quotes.
"""

from __future__ import annotations

import copy as copy_module
import io
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from layers.io.atomic import atomic_write
from layers.report.charts import chart_png
from layers.report.model import Report, percent

#: East Asian font the document asks for (on every Chinese Windows; Word substitutes elsewhere).
BODY_FONT = "宋体"
HEADING_FONT = "黑体"
#: The one line the document carries when no map figure was given.
NO_MAP = "（本报告未附地图：请在桌面程序中用 文件 ▸ 导出报告… 生成带打印版式地图的报告。）"


def write_docx_report(report: Report, path: str | Path,
                      map_png: bytes | str | Path | None = None) -> Path:
    """Write the report as a ``.docx`` document, atomically.

    Parameters
    ----------
    report : Report
        The report.
    path : path-like
        The ``.docx`` file.
    map_png : bytes or path-like, optional
        The print-layout map as PNG (bytes, or a file); without it the document
        says in one line that the map is left out.

    Returns
    -------
    Path
        ``path``.
    """
    doc = build_document(report, map_png)
    with atomic_write(path, "wb") as fh:
        doc.save(fh)
    return Path(path)


def build_document(report: Report, map_png: bytes | str | Path | None = None):  # noqa: ANN201
    """Return the report as a python-docx ``Document`` (not saved).

    Parameters
    ----------
    report : Report
        The report.
    map_png : bytes or path-like, optional
        As for :func:`write_docx_report`.

    Returns
    -------
    docx.document.Document
        The document.
    """
    doc = Document()
    _fonts(doc)
    bullet = doc.styles["List Bullet"].style_id
    numbered = doc.styles["List Number"].style_id
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    heading = doc.add_heading(report.title, level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    meta = doc.add_paragraph(f"日期：{report.date}")
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(f"清单：{report.checklist}；步行：{report.walk}（{report.method}）"
                      + (f"；项目：{report.project}" if report.project else ""))

    doc.add_heading("一、概况", level=1)
    doc.add_paragraph(f"共 {report.communities_total} 个社区，其中 "
                      f"{report.communities_total - report.not_placed} 个有位置并纳入统计。")
    for sentence in report.summary_sentences:
        _styled(doc, sentence, bullet)
    for note in report.notes:
        _note(doc.add_paragraph(), f"注：{note}。")

    doc.add_heading("二、地图", level=1)
    if map_png is None:
        _note(doc.add_paragraph(), NO_MAP)
    else:
        data = map_png if isinstance(map_png, bytes) else Path(map_png).read_bytes()
        doc.add_picture(io.BytesIO(data), width=Cm(17.0))
        doc.add_paragraph("图 1  设施与社区分布（打印版式地图）").alignment = \
            WD_ALIGN_PARAGRAPH.CENTER

    doc.add_heading("三、覆盖情况", level=1)
    doc.add_picture(io.BytesIO(chart_png(report.chart)), width=Cm(17.0))
    doc.add_paragraph(f"图 2  {report.chart.title}").alignment = WD_ALIGN_PARAGRAPH.CENTER
    _summary_table(doc, report)
    _street_table(doc, report)

    doc.add_heading("四、各社区情况", level=1)
    doc.add_paragraph(f"步行 {report.minutes:g} 分钟内：✓ 达标，✗ 缺；数字为到最近设施的"
                      f"{report.distance_label}。")
    _community_table(doc, report)

    doc.add_heading("五、缺项清单", level=1)
    if report.missing:
        for name, labels in report.missing:
            _styled(doc, f"{name}：缺{'、'.join(labels)}", bullet)
    else:
        doc.add_paragraph(f"每个社区在 {report.minutes:g} 分钟步行范围内都有清单中的全部设施。")

    doc.add_heading("六、选址建议", level=1)
    if report.proposals is None:
        _note(doc.add_paragraph(), "项目中还没有选址建议。")
    elif not report.proposals:
        _note(doc.add_paragraph(), "选址建议图层为空。")
    else:
        _proposal_table(doc, report)

    doc.add_heading("七、资料来源", level=1)
    if not report.sources:
        _note(doc.add_paragraph(), "设施和社区没有记录来源。")
    for group in report.sources:
        p = _styled(doc, "", numbered)
        p.add_run(f"《{group.title}》" if group.title else group.source).bold = True
        if group.title:
            p.add_run(f"（{group.file}）")
        for q in group.quotes:
            quote = doc.add_paragraph(f"{q.feature}：“{q.text}”")
            quote.paragraph_format.left_indent = Cm(0.8)
            for run in quote.runs:
                run.font.size = Pt(9)
    return doc


def _fonts(doc) -> None:  # noqa: ANN001
    """Ask for Chinese fonts in the body and headings (w:eastAsia)."""
    for name, font in (("Normal", BODY_FONT), ("Title", HEADING_FONT),
                       ("Heading 1", HEADING_FONT), ("List Bullet", BODY_FONT),
                       ("List Number", BODY_FONT)):
        style = doc.styles[name]
        style.font.name = font
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        fonts.set(qn("w:eastAsia"), font)
    doc.styles["Normal"].font.size = Pt(10.5)


def _styled(doc, text: str, style: str):  # noqa: ANN001, ANN202
    """Add a paragraph in the style with id ``style``.

    python-docx looks a style name up through every style on each call (3000
    missing-lists took 10 s); the style id is set on the paragraph directly.
    """
    paragraph = doc.add_paragraph(text)
    paragraph._p.style = style
    return paragraph


def _note(paragraph, text: str) -> None:  # noqa: ANN001
    run = paragraph.add_run(text)
    run.italic = True
    run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)


def _table(doc, header: list[str], rows: list[list[str]], size: float = 9):  # noqa: ANN001, ANN202
    """Add a grid table; the header repeats on every page.

    python-docx's ``add_row`` and ``cell.text`` walk the whole grid on every call, so
    one data row is built through the API and the others are copies of its XML with
    their texts set (3000 communities: about a second instead of fifteen).
    """
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(size)
    trpr = table.rows[0]._tr.get_or_add_trPr()
    trpr.append(trpr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"}))
    if not rows:
        return table
    template = table.add_row()
    for cell in template.cells:
        cell.paragraphs[0].add_run(" ").font.size = Pt(size)  # a run with its w:t
    tr = template._tr
    texts = tr.findall(".//" + qn("w:t"))
    _set_texts(texts, rows[0])
    for values in rows[1:]:
        copy = copy_module.deepcopy(tr)
        _set_texts(copy.findall(".//" + qn("w:t")), values)
        table._tbl.append(copy)
    return table


def _set_texts(texts: list, values: list[str]) -> None:
    for element, value in zip(texts, values, strict=True):
        element.text = value
        if value != value.strip():
            element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _summary_table(doc, report: Report) -> None:  # noqa: ANN001
    header = ["设施类别", "步行", "社区覆盖", "已知人口", "覆盖人口", "人口覆盖率", "人口未知社区"]
    rows = []
    for r in report.summary:
        rows.append([r.label, f"{r.minutes:g} 分钟 · {r.radius_m:.0f} 米",
                     f"{r.communities_covered}/{r.communities}",
                     f"{r.residents:,}" if r.residents else "未知",
                     f"{r.residents_covered:,}" if r.residents else "—",
                     percent(r.share),
                     f"{r.unknown_communities}（其中覆盖 {r.unknown_covered}）"])
    doc.add_paragraph(f"表 1  各类设施在 5、10、15 分钟步行范围内覆盖的社区与人口"
                      f"（距离为{report.method}）")
    _table(doc, header, rows)


def _street_table(doc, report: Report) -> None:  # noqa: ANN001
    """Per street at the report's walk: communities covered, and residents when known."""
    rows_at = [r for r in report.streets if r.minutes == report.minutes]
    if not rows_at:
        _note(doc.add_paragraph(), f"各街道的数字只按 5、10、15 分钟统计（见 Excel 报告），"
                                   f"不按 {report.minutes:g} 分钟。")
        return
    streets = list(dict.fromkeys(r.group for r in rows_at))
    header = ["街道", "社区", "人口未知"] + [c.label for c in report.categories]
    rows = []
    for street in streets:
        mine = {r.category: r for r in rows_at if r.group == street}
        first = next(iter(mine.values()))
        row = [street, str(first.communities), str(first.unknown_communities)]
        for c in report.categories:
            r = mine[c.category]
            cell = f"{r.communities_covered}/{r.communities} 个社区"
            if r.residents:
                cell += f"；{r.residents_covered:,} 人（{percent(r.share)}）"
            row.append(cell)
        rows.append(row)
    doc.add_paragraph(f"表 2  各街道 {report.minutes:g} 分钟步行范围内的覆盖"
                      "（人口只计人口已知的社区）")
    _table(doc, header, rows, size=8)


def _community_table(doc, report: Report) -> None:  # noqa: ANN001
    header = ["社区", "街道", "人口"] + [c.label for c in report.categories]
    rows = []
    for r in report.communities:
        row = [r.name, r.street, "未知" if r.population is None else f"{r.population:,}"]
        for cell in r.cells:
            dist = "无" if cell.nearest_m is None else _distance(cell.nearest_m)
            row.append(f"{'✓' if cell.met else '✗'} {dist}")
        rows.append(row)
    _table(doc, header, rows, size=8)


def _proposal_table(doc, report: Report) -> None:  # noqa: ANN001
    header = ["排序", "设施类别", "新增覆盖人口", "覆盖社区", "方法", "步行"]
    rows = [["" if p.rank is None else str(p.rank), p.label or "",
             "未知" if p.gain is None else f"{p.gain:,}", p.communities, p.method,
             "" if p.minutes is None else f"{p.minutes:g} 分钟"]
            for p in report.proposals or []]
    _table(doc, header, rows)


def _distance(metres: float) -> str:
    return f"{metres:,.0f} 米" if metres < 10_000 else f"{metres / 1000:,.0f} 千米"


__all__ = ["NO_MAP", "build_document", "write_docx_report"]
