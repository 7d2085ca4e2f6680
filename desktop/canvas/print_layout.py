"""Drawing a print layout (``layers/export/layout.py``) to PDF, PNG and SVG.

One function, :func:`paint_page`, draws a :class:`~layers.export.layout.PageLayout`
with a QPainter whose units are points; the PDF writer, the PNG image, the SVG
generator and the dialog's preview only differ in the device they hand it. Page
text (title, legend, scale, area, sources, 审图号) is drawn as text, so a PDF's
Chinese is selectable and searchable (Qt embeds the font subset). The map frame
is vector too (:mod:`desktop.canvas.vector_map`): boundaries, areas, lines and
symbols are paths and the names are text, clipped to the frame; only basemap
tiles are pictures.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import numpy as np
import shapely
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
    QPolygonF,
)

from desktop.canvas.export_image import save_png
from desktop.canvas.renderer import cjk_font
from desktop.canvas.symbols import shape_path
from desktop.canvas.vector_map import VIEW_DPI, VectorMap
from desktop.qt_runtime import ensure_gui_application
from layers.export.errors import ExportError
from layers.export.layout import (
    LayoutOptions,
    PageLayout,
    Rect,
    build_layout,
    review_number_text,
)
from layers.geo.map_view import MapView, lonlat_to_mercator
from layers.io.atomic import atomic_write
from layers.model.categories import get_category, is_category
from layers.model.project import Project

INK = QColor("#1b1b1b")
GREY = QColor("#555555")
#: Formats ``export-map`` writes, by file suffix.
FORMATS = (".pdf", ".png", ".svg")
#: Largest PNG side in pixels (A3 at 600 dpi is about 9,900).
MAX_PIXELS = 20000


def basemap_source(name: str) -> object | None:
    """Return the tiles for a ``--basemap`` value, fetched before the map frame is drawn.

    Parameters
    ----------
    name : str
        ``none``, a basemap name (``osm``, ``tianditu-vec``…) or an XYZ URL template.

    Returns
    -------
    object or None
        A tile basemap with ``draw(painter, view)``, or None for no basemap.

    Raises
    ------
    ExportError
        For an unknown basemap, a bad URL or a missing Tianditu key, in one line.
    """
    from desktop.canvas.basemap import export_basemap
    from layers.geo.basemaps import BasemapError, checked_basemap

    if name in ("", "none"):
        return None
    try:
        return export_basemap(checked_basemap(name))
    except BasemapError as exc:
        raise ExportError(str(exc)) from None


def page_font(size: float, bold: bool = False) -> QFont:
    """Return the page's font: the canvas's CJK font, drawn unshaped where it can be.

    Shaped Latin runs of Noto Sans CJK use glyphs the PDF's text map does not
    name, so "200 m" or "(2026)" would not be found by a PDF search; unshaped,
    every glyph is the font's own character.

    Parameters
    ----------
    size : float
        Size in points.
    bold : bool
        Bold weight.

    Returns
    -------
    QFont
        The font.
    """
    font = cjk_font(size, bold=bold)
    font.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
    return font


_TO_UNICODE_BLOCK = re.compile(rb"beginbfrange.*?endbfrange", re.S)
_RADICAL = re.compile(rb"<(2F[0-9A-D][0-9A-F]|2E[89A-F][0-9A-F])>")
#: Simplified radicals (U+2E80 block) with no NFKC form whose glyph a whole character shares.
_SIMPLIFIED_RADICALS = dict(zip("⺠⻄⻅⻆⻉⻋⻓⻔⻙⻚⻛⻜⻝⻢⻤⻥⻦⻨⻩⻮⻰",
                                "民西见角贝车长门韦页风飞食马鬼鱼鸟麦黄齿龙", strict=True))


def searchable_cjk(pdf: bytes) -> bytes:
    """Make a PDF's text map name ideographs, not the Kangxi radicals that share their glyph.

    Noto Sans CJK draws 一 and the radical ⼀ (U+2F00) with one glyph, and Qt's
    text map names the lower code point, so a search for 一区 would miss. Each
    radical is replaced by its compatibility equivalent (NFKC), or for simplified
    radicals such as ⻝ by the character that shares the glyph; both are four hex
    digits, so no byte moves and the PDF's offsets stay right.

    Parameters
    ----------
    pdf : bytes
        A PDF from :class:`QPdfWriter`.

    Returns
    -------
    bytes
        The same PDF with the text maps mended.
    """
    def ideograph(match: re.Match[bytes]) -> bytes:
        radical = chr(int(match.group(1), 16))
        unified = _SIMPLIFIED_RADICALS.get(radical) or unicodedata.normalize("NFKC", radical)
        return f"<{ord(unified):04X}>".encode() if len(unified) == 1 else match.group(0)

    return _TO_UNICODE_BLOCK.sub(lambda m: _RADICAL.sub(ideograph, m.group(0)), pdf)


# ----- devices -----------------------------------------------------------------
def render_page_image(project: Project, page: PageLayout, dpi: float) -> QImage:
    """Draw the page into an image of ``page size × dpi``.

    Parameters
    ----------
    project : Project
        The project.
    page : PageLayout
        The page.
    dpi : float
        Pixels per inch (the preview uses a screen's, PNG export ``--dpi``).

    Returns
    -------
    QImage
        The page, white behind.
    """
    ensure_gui_application(headless=True)
    w, h = round(page.width * dpi / 72), round(page.height * dpi / 72)
    if max(w, h) > MAX_PIXELS:
        raise ExportError(f"{dpi:g} dpi makes a {w} × {h} picture; lower --dpi")
    image = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("white"))
    # fonts are sized in points: a 72-dpi device makes one point one painter unit
    image.setDotsPerMeterX(round(72 / 0.0254))
    image.setDotsPerMeterY(round(72 / 0.0254))
    painter = QPainter(image)
    try:
        painter.scale(w / page.width, h / page.height)
        paint_page(painter, project, page, map_dpi=dpi)
    finally:
        painter.end()
    image.setDotsPerMeterX(round(dpi / 0.0254))
    image.setDotsPerMeterY(round(dpi / 0.0254))
    return image


def pdf_bytes(project: Project, page: PageLayout) -> bytes:
    """Draw the page as a one-page vector PDF.

    Parameters
    ----------
    project : Project
        The project.
    page : PageLayout
        The page.

    Returns
    -------
    bytes
        The PDF file.
    """
    ensure_gui_application(headless=True)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(72)  # one painter unit is one point
    writer.setTitle(page.title)
    writer.setCreator("facility-mapper")
    size_id = {"A4": QPageSize.PageSizeId.A4, "A3": QPageSize.PageSizeId.A3}
    orientation = (QPageLayout.Orientation.Landscape if page.options.landscape
                   else QPageLayout.Orientation.Portrait)
    writer.setPageLayout(QPageLayout(QPageSize(size_id[page.options.paper.upper()]),
                                     orientation, QMarginsF(0, 0, 0, 0)))
    painter = QPainter(writer)
    try:
        paint_page(painter, project, page, map_dpi=page.options.dpi)
    finally:
        painter.end()
    buffer.close()
    return searchable_cjk(bytes(data.data()))


def svg_bytes(project: Project, page: PageLayout) -> bytes:
    """Draw the page as SVG, sized in points.

    Parameters
    ----------
    project : Project
        The project.
    page : PageLayout
        The page.

    Returns
    -------
    bytes
        The SVG file.
    """
    from PySide6.QtSvg import QSvgGenerator

    ensure_gui_application(headless=True)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setResolution(72)
    generator.setSize(QSize(round(page.width), round(page.height)))
    generator.setViewBox(QRectF(0, 0, page.width, page.height))
    generator.setTitle(page.title)
    painter = QPainter(generator)
    try:
        paint_page(painter, project, page, map_dpi=page.options.dpi)
    finally:
        painter.end()
    buffer.close()
    return bytes(data.data())


def export_map(project: Project, options: LayoutOptions, out: str | Path) -> Path:
    """Build the page from the options and write it as PDF, PNG or SVG (by suffix).

    The CLI's ``export-map`` and File ▸ Export Map… both call this.

    Parameters
    ----------
    project : Project
        The project.
    options : LayoutOptions
        The planner's choices.
    out : str or Path
        Target ``.pdf``, ``.png`` or ``.svg``.

    Returns
    -------
    Path
        The written file.

    Raises
    ------
    ExportError
        For an unknown format, a missing folder, or a file that cannot be written.
    """
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise ExportError(f"--out must end in {', '.join(FORMATS)}")
    if not out.parent.is_dir():
        raise ExportError(f"folder does not exist: {out.parent}")
    page = build_layout(project, options)
    if suffix == ".png":
        return save_png(render_page_image(project, page, options.dpi), out)
    data = pdf_bytes(project, page) if suffix == ".pdf" else svg_bytes(project, page)
    try:
        with atomic_write(out) as fh:
            fh.write(data)
    except OSError as exc:
        raise ExportError(f"cannot write {out}: {exc.strerror or exc}") from None
    return out


# ----- the page ----------------------------------------------------------------
def paint_page(painter: QPainter, project: Project, page: PageLayout,
               map_dpi: float = 300) -> None:
    """Draw every item of the page; the painter's units are points.

    Parameters
    ----------
    painter : QPainter
        Active on any device, scaled so one unit is one point.
    project : Project
        The project.
    page : PageLayout
        The page.
    map_dpi : float
        Unused since the map is drawn as vector; kept so callers need not change.
    """
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    frames = page.frames
    unit = min(page.width, page.height) / 595
    _text(painter, frames["title"], page.title, 18 * unit, bold=True,
          align=Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter)
    if page.options.subtitle:
        _text(painter, frames["subtitle"], page.options.subtitle, 11 * unit, color=GREY,
              align=Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter)
    _draw_map(painter, project, page, map_dpi)
    _draw_scale_bar(painter, page, unit)
    _draw_north_arrow(painter, frames["north_arrow"], unit)
    if page.area_name:
        _text(painter, frames["area"], page.area_name, 11 * unit, bold=True,
              align=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, wrap=True)
    _draw_legend(painter, page, frames["legend"], unit)
    if "overview" in frames and page.overview_bounds:
        _draw_overview(painter, project, page, frames["overview"], map_dpi)
    footer = frames["footer"]
    line_h = footer.h / 2
    for i, line in enumerate(page.footer_lines):
        _text(painter, Rect(footer.x, footer.y + i * line_h, footer.w, line_h), line,
              7 * unit, color=GREY, elide=True)
    if page.options.review_number:
        _text(painter, frames["review_number"], review_number_text(page.options.review_number),
              8 * unit, align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)


def _text(painter: QPainter, rect: Rect, text: str, size: float, *, bold: bool = False,
          color: QColor = INK, align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft
          | Qt.AlignmentFlag.AlignVCenter, elide: bool = False, wrap: bool = False) -> None:
    font = page_font(size, bold=bold)
    painter.setFont(font)
    painter.setPen(color)
    if elide:
        text = QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight, rect.w)
    flags = int(align) | (int(Qt.TextFlag.TextWordWrap) if wrap else 0)
    painter.drawText(_qrect(rect), flags, text)


def _qrect(rect: Rect) -> QRectF:
    return QRectF(rect.x, rect.y, rect.w, rect.h)


def _view(mercator: tuple[float, float, float, float], rect: Rect, dpi: float) -> MapView:
    """Return a renderer view of a Mercator box, at ``dpi`` over a frame of ``rect`` points."""
    width = max(16, round(rect.w * dpi / 72))
    height = max(16, round(rect.h * dpi / 72))
    x0, y0, x1, y1 = mercator
    return MapView(cx=(x0 + x1) / 2, cy=(y0 + y1) / 2, resolution=(x1 - x0) / width,
                   width=width, height=height)


def _draw_map(painter: QPainter, project: Project, page: PageLayout, dpi: float) -> None:
    rect = page.frames["map"]
    drawing = VectorMap(project, _label_font, basemap=basemap_source(page.options.basemap))
    painter.save()
    painter.setClipRect(_qrect(rect))
    _draw_vector_map(painter, drawing, page.mercator, rect)
    if page.circles is not None and len(page.circles):
        _draw_circles(painter, page, rect)
    painter.restore()
    painter.setPen(QPen(INK, 0.8))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(_qrect(rect))


def _label_font(size: float, bold: bool) -> QFont:
    return page_font(size, bold=bold)


def _draw_vector_map(painter: QPainter, drawing: VectorMap,
                     mercator: tuple[float, float, float, float], rect: Rect) -> None:
    """Draw the map as vector into a frame: view pixels scaled onto the frame's points."""
    view = _view(mercator, rect, VIEW_DPI)
    painter.save()
    try:
        painter.translate(rect.x, rect.y)
        painter.scale(rect.w / view.width, rect.h / view.height)
        drawing.draw(painter, view)  # the footer names every source
    finally:
        painter.restore()
        drawing.close()


def _to_page(page: PageLayout, rect: Rect, lon: np.ndarray, lat: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray]:
    x, y = lonlat_to_mercator(lon, lat)
    x0, y0, x1, y1 = page.mercator
    return rect.x + (x - x0) / (x1 - x0) * rect.w, rect.y + (y1 - y) / (y1 - y0) * rect.h


def _draw_circles(painter: QPainter, page: PageLayout, rect: Rect) -> None:
    """Service circles, merged per category, as vector: translucent fill and outline."""
    frame = page.circles
    for cat in sorted(set(frame["category"].fillna("other"))):
        merged = shapely.union_all(frame.geometry[frame["category"].fillna("other") == cat]
                                   .to_numpy())
        color = QColor(get_category(cat).color if is_category(cat) else "#777777")
        path = QPainterPath()
        for poly in getattr(merged, "geoms", [merged]):
            for ring in [poly.exterior, *poly.interiors]:
                coords = np.asarray(ring.coords)
                px, py = _to_page(page, rect, coords[:, 0], coords[:, 1])
                path.addPolygon(QPolygonF([QPointF(a, b) for a, b in zip(px, py, strict=True)]))
                path.closeSubpath()
        fill = QColor(color)
        fill.setAlpha(28)
        painter.setBrush(fill)
        painter.setPen(QPen(color, 0.8))
        painter.drawPath(path)


def _draw_scale_bar(painter: QPainter, page: PageLayout, unit: float) -> None:
    bar, rect = page.scale_bar, page.frames["scale_bar"]
    if bar.length_pt <= 0:
        return
    font = page_font(7 * unit)
    fm = QFontMetricsF(font)
    label_w = fm.horizontalAdvance(bar.label)
    x, y = rect.x + 6 * unit, rect.bottom - 8 * unit
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(255, 255, 255, 215))
    painter.drawRect(QRectF(rect.x, rect.y, bar.length_pt + label_w + 20 * unit, rect.h))
    half = bar.length_pt / 2
    for i in range(2):  # two alternating segments, black then white
        painter.setPen(QPen(INK, 0.6))
        painter.setBrush(INK if i == 0 else QColor("white"))
        painter.drawRect(QRectF(x + i * half, y - 3 * unit, half, 3 * unit))
    painter.setFont(font)
    painter.setPen(INK)
    painter.drawText(QPointF(x + bar.length_pt + 4 * unit, y), bar.label)
    painter.drawText(QPointF(x, y - 6 * unit), f"比例尺 1:{bar.denominator:,}")
    painter.restore()


def _draw_north_arrow(painter: QPainter, rect: Rect, unit: float) -> None:
    cx = rect.x + rect.w / 2
    top, bottom = rect.y + 14 * unit, rect.bottom
    half = rect.w * 0.32
    painter.save()
    painter.setPen(QPen(INK, 0.7))
    painter.setBrush(INK)
    painter.drawPolygon(QPolygonF([QPointF(cx, top), QPointF(cx, bottom - 6 * unit),
                                   QPointF(cx - half, bottom)]))
    painter.setBrush(QColor("white"))
    painter.drawPolygon(QPolygonF([QPointF(cx, top), QPointF(cx + half, bottom),
                                   QPointF(cx, bottom - 6 * unit)]))
    painter.restore()
    _text(painter, Rect(rect.x, rect.y, rect.w, 13 * unit), "北", 10 * unit, bold=True,
          align=Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter)


def _draw_legend(painter: QPainter, page: PageLayout, rect: Rect, unit: float) -> None:
    row_h = 15 * unit
    _text(painter, Rect(rect.x, rect.y, rect.w, row_h), "图例", 10 * unit, bold=True)
    font = page_font(8 * unit)
    fm = QFontMetricsF(font)
    fitting = max(0, int((rect.h - row_h) // row_h))
    entries = page.legend if len(page.legend) <= fitting else page.legend[:max(0, fitting - 1)]
    y = rect.y + row_h
    for entry in entries:
        cy = y + row_h / 2
        _legend_swatch(painter, entry.kind, entry.key, QPointF(rect.x + 7 * unit, cy), unit)
        painter.setFont(font)
        painter.setPen(INK)
        count = str(entry.count)
        count_w = fm.horizontalAdvance(count)
        label = fm.elidedText(entry.label, Qt.TextElideMode.ElideRight,
                              rect.w - 22 * unit - count_w - 6 * unit)
        baseline = cy + fm.ascent() / 2 - 1 * unit
        painter.drawText(QPointF(rect.x + 18 * unit, baseline), label)
        painter.drawText(QPointF(rect.right - count_w, baseline), count)
        y += row_h
    if len(entries) < len(page.legend):
        _text(painter, Rect(rect.x, y, rect.w, row_h),
              f"另有 {len(page.legend) - len(entries)} 项", 8 * unit, color=GREY)


def _legend_swatch(painter: QPainter, kind: str, key: str, at: QPointF, unit: float) -> None:
    painter.save()
    painter.translate(at)
    if kind == "category" and is_category(key):
        category = get_category(key)
        painter.setPen(QPen(QColor("white"), 0.8))
        painter.setBrush(QColor(category.color))
        painter.drawPath(shape_path(category.icon, 4.5 * unit))
    elif kind == "category":  # a category this app does not know
        painter.setPen(QPen(QColor("white"), 0.8))
        painter.setBrush(QColor("#888888"))
        painter.drawEllipse(QPointF(0, 0), 4 * unit, 4 * unit)
    elif kind == "communities":
        painter.setPen(QPen(QColor("white"), 1))
        painter.setBrush(QColor("#3b5b92"))
        painter.drawEllipse(QPointF(0, 0), 4.5 * unit, 4.5 * unit)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("white"))
        painter.drawEllipse(QPointF(0, 0), 1.5 * unit, 1.5 * unit)
    elif kind == "circles":
        painter.setPen(QPen(GREY, 0.8))
        painter.setBrush(QColor(120, 120, 120, 60))
        painter.drawEllipse(QPointF(0, 0), 5 * unit, 5 * unit)
    else:
        painter.setPen(QPen(GREY, 1.2))
        painter.setBrush(QBrush(QColor(200, 200, 200)))
        painter.drawRect(QRectF(-5 * unit, -3.5 * unit, 10 * unit, 7 * unit))
    painter.restore()


def _draw_overview(painter: QPainter, project: Project, page: PageLayout, rect: Rect,
                   dpi: float) -> None:
    w, s, e, n = page.overview_bounds
    x0, y0 = (float(v) for v in lonlat_to_mercator(w, s))
    x1, y1 = (float(v) for v in lonlat_to_mercator(e, n))
    span = max(x1 - x0, y1 - y0) / 2  # square, like the frame
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    box = (cx - span, cy - span, cx + span, cy + span)
    painter.save()
    painter.setClipRect(_qrect(rect))
    _draw_vector_map(painter, VectorMap(project, _label_font, show_labels=False), box, rect)
    painter.restore()
    mx0, my0, mx1, my1 = page.mercator
    scale = rect.w / (2 * span)
    painter.setPen(QPen(QColor("#d62728"), 1.2))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    shown = QRectF(rect.x + (mx0 - box[0]) * scale, rect.y + (box[3] - my1) * scale,
                   (mx1 - mx0) * scale, (my1 - my0) * scale)
    if shown.width() < 8:  # too small to see: a ring around where the map is
        painter.drawEllipse(shown.center(), 5.0, 5.0)
    else:
        painter.drawRect(shown)
    painter.setPen(QPen(INK, 0.6))
    painter.drawRect(_qrect(rect))
