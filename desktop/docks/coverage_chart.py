"""The coverage chart: grouped bars, one group per checklist category, one bar per walk tier.

Drawn here with QPainter (QtCharts is not part of PySide6-Essentials). Each bar
is the share of the known residents covered at one walk tier, or of the
communities when no population is known, never a 0% bar for residents.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from desktop.i18n import tr
from layers.analysis.residents import TIERS, GroupCoverage, TierCoverage
from layers.report.model import percent

#: Bar colours of the 5-, 10- and 15-minute tiers, light to dark.
TIER_COLOURS = ("#9ecae1", "#4292c6", "#08519c")


class CoverageChart(QWidget):
    """Grouped bars: one group per category, one bar per walk tier.

    Each bar is the share of the known residents covered, or of the communities
    covered when no population is known (``measure == "communities"``). A bar's
    whole column answers hover (a tooltip with the counts) and clicks, so an
    empty (0%) bar can be clicked too.

    Attributes
    ----------
    bar_clicked : Signal(str, float)
        Category id and tier minutes of the clicked bar.
    """

    bar_clicked = Signal(str, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = ""
        self.measure = "residents"
        self.labels: dict[str, str] = {}
        self.tiers: tuple[float, ...] = TIERS
        self.figures: dict[tuple[str, float], TierCoverage] = {}
        self._hover: tuple[str, float] | None = None
        self.setMouseTracking(True)
        self.setMinimumSize(280, 110)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_figures(self, title: str, measure: str, labels: dict[str, str],
                    group: GroupCoverage) -> None:
        """Show one group's figures.

        Parameters
        ----------
        title : str
            Chart title (translated).
        measure : str
            ``"residents"`` or ``"communities"``.
        labels : dict of str to str
            Category id → label, in the order drawn.
        group : GroupCoverage
            The figures.
        """
        self.title, self.measure, self.labels = title, measure, dict(labels)
        self.tiers = tuple(sorted({f.minutes for f in group.figures})) or TIERS
        self.figures = {(f.category, f.minutes): f for f in group.figures}
        self.update()

    def value(self, category: str, minutes: float) -> float | None:
        """Return the share (0–1) one bar shows; None when it has none.

        Parameters
        ----------
        category : str
            Category id.
        minutes : float
            Walk tier.

        Returns
        -------
        float or None
            Share of known residents, or of communities (see :attr:`measure`).
        """
        f = self.figures.get((category, float(minutes)))
        if f is None:
            return None
        return f.share if self.measure == "residents" else f.communities_share

    def tooltip_text(self, category: str, minutes: float) -> str:
        """Return a bar's tooltip: the counts behind its share.

        Parameters
        ----------
        category : str
            Category id.
        minutes : float
            Walk tier.

        Returns
        -------
        str
            E.g. "社区食堂 · 10 分钟：14 个社区中 12 个，已知人口 10,000 人中 8,600 人（86%）…".
        """
        f = self.figures[(category, float(minutes))]
        values = {"category": self.labels.get(category, category), "minutes": f"{minutes:g}",
                  "covered": f.communities_covered, "communities": f.communities,
                  "residents_covered": f"{f.residents_covered:,}",
                  "residents": f"{f.residents:,}", "share": percent(f.share),
                  "community_share": percent(f.communities_share),
                  "unknown": f.unknown_communities}
        if f.residents:
            text = tr("{category} · {minutes} min: {covered} of {communities} communities, "
                      "{residents_covered} of {residents} known residents ({share})")
            if f.unknown_communities:
                text += tr("; {unknown} communities residents unknown")
        else:
            text = tr("{category} · {minutes} min: {covered} of {communities} communities "
                      "({community_share}); residents unknown")
        return text.format(**values)

    # ----- geometry -----------------------------------------------------
    def _plot_rect(self) -> QRectF:
        fm = QFontMetrics(self.font())
        top = fm.height() * 3 + 12  # title, legend, then room for a full bar's "100%"
        bottom = fm.height() * 2 + 10  # category labels, up to two lines
        left = fm.horizontalAdvance("100%") + 10
        return QRectF(left, top, max(self.width() - left - 8, 10),
                      max(self.height() - top - bottom, 10))

    def _group_rect(self, index: int) -> QRectF:
        plot = self._plot_rect()
        width = plot.width() / max(len(self.labels), 1)
        return QRectF(plot.left() + index * width, plot.top(), width, plot.height())

    def column_rect(self, category: str, minutes: float) -> QRectF:
        """Return the clickable column of one bar, in widget coordinates.

        Parameters
        ----------
        category : str
            Category id.
        minutes : float
            Walk tier.

        Returns
        -------
        QRectF
            From the top of the plot to its baseline.
        """
        group = self._group_rect(list(self.labels).index(category))
        n = len(self.tiers)
        bar = min(group.width() * 0.8 / n, 46.0)
        left = group.center().x() - bar * n / 2 + bar * self.tiers.index(float(minutes))
        return QRectF(left, group.top(), bar, group.height())

    def bar_at(self, pos: QPointF | QPoint) -> tuple[str, float] | None:
        """Return the (category, minutes) of the bar column under a point.

        Parameters
        ----------
        pos : QPointF or QPoint
            Widget coordinates.

        Returns
        -------
        tuple or None
            The bar, or None between bars.
        """
        point = QPointF(pos)
        for category in self.labels:
            for minutes in self.tiers:
                if self.column_rect(category, minutes).contains(point):
                    return category, minutes
        return None

    # ----- events -------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        """Show the tooltip of the bar under the mouse."""
        if event.type() == QEvent.Type.ToolTip:
            bar = self.bar_at(event.pos())
            if bar is not None and bar in self.figures:
                QToolTip.showText(event.globalPos(), self.tooltip_text(*bar), self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        """Outline the bar under the mouse."""
        bar = self.bar_at(event.position())
        if bar != self._hover:
            self._hover = bar
            self.setCursor(Qt.CursorShape.PointingHandCursor if bar
                           else Qt.CursorShape.ArrowCursor)
            self.update()

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        """Drop the outline."""
        self._hover = None
        self.update()
        super().leaveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        """Report a click on a bar."""
        if event.button() == Qt.MouseButton.LeftButton:
            bar = self.bar_at(event.position())
            if bar is not None and bar in self.figures:
                self.bar_clicked.emit(*bar)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        """Draw title, legend, axis, bars, percentages and category labels."""
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        fm = QFontMetrics(self.font())
        plot = self._plot_rect()
        bold = QFont(self.font())
        bold.setBold(True)
        p.setFont(bold)
        p.setPen(QColor("#222"))
        p.drawText(QRectF(4, 2, self.width() - 8, fm.height() + 2),
                   Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   QFontMetrics(bold).elidedText(self.title, Qt.TextElideMode.ElideRight,
                                                 self.width() - 8))
        p.setFont(self.font())
        self._draw_legend(p, fm, fm.height() + 6)
        # axis and grid: 0, 25, 50, 75, 100%
        for k in range(5):
            y = plot.bottom() - plot.height() * k / 4
            p.setPen(QPen(QColor("#888" if k == 0 else "#e3e3e3"), 1))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(QColor("#555"))
            p.drawText(QRectF(0, y - fm.height() / 2, plot.left() - 4, fm.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       f"{k * 25}%")
        for index, (category, label) in enumerate(self.labels.items()):
            for t, minutes in enumerate(self.tiers):
                self._draw_bar(p, fm, plot, category, minutes, TIER_COLOURS[t % 3])
            group = self._group_rect(index)
            p.setPen(QColor("#222"))
            p.drawText(QRectF(group.left() + 2, plot.bottom() + 4, group.width() - 4,
                              fm.height() * 2 + 4),
                       Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                       | Qt.TextFlag.TextWordWrap, label)
        if not self.labels:
            p.setPen(QColor("#777"))
            p.drawText(plot, Qt.AlignmentFlag.AlignCenter, tr("No figures yet"))
        p.end()

    def _draw_legend(self, p: QPainter, fm: QFontMetrics, y: float) -> None:
        x = self._plot_rect().left()
        for t, minutes in enumerate(self.tiers):
            text = tr("{minutes} min").format(minutes=f"{minutes:g}")
            p.fillRect(QRectF(x, y + 3, 12, fm.height() - 6), QColor(TIER_COLOURS[t % 3]))
            p.setPen(QColor("#222"))
            p.drawText(QPointF(x + 16, y + fm.ascent()), text)
            x += 16 + fm.horizontalAdvance(text) + 14

    def _draw_bar(self, p: QPainter, fm: QFontMetrics, plot: QRectF, category: str,
                  minutes: float, colour: str) -> None:
        column = self.column_rect(category, minutes)
        share = self.value(category, minutes)
        inner = column.adjusted(1.5, 0, -1.5, 0)
        if share is not None:
            height = plot.height() * share
            bar = QRectF(inner.left(), plot.bottom() - height, inner.width(), height)
            p.fillRect(bar, QColor(colour))
        if self._hover == (category, float(minutes)):
            p.setPen(QPen(QColor("#d9480f"), 2))
            p.drawRect(inner.adjusted(0, 0, 0, -1))
        text = percent(share)
        if fm.horizontalAdvance(text) <= column.width():  # too narrow: the tooltip has it
            top = plot.bottom() - plot.height() * (share or 0) - fm.height() - 1
            p.setPen(QColor("#222"))
            p.drawText(QRectF(column.center().x() - 30, max(top, plot.top() - fm.height()),
                              60, fm.height()), Qt.AlignmentFlag.AlignCenter, text)
