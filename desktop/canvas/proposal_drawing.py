"""Proposed sites: hollow stars in a dashed ring, numbered, never mistaken for facilities.

A real facility is a filled marker of its category; a proposal is only an outline
in the category's colour with a dashed ring around it and its rank beside it, so a
printed map cannot pass a proposal off as something built.
"""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPen

from desktop.canvas.draw_context import SELECTION, DrawContext
from desktop.canvas.symbols import shape_path
from layers.model.categories import get_category
from layers.model.layer import FeatureLayer


def draw_proposals(layer: FeatureLayer, ctx: DrawContext) -> None:
    """Draw proposed sites as hollow stars with a dashed ring and their rank.

    Parameters
    ----------
    layer : FeatureLayer
        The ``proposals`` layer (``category``, ``rank``, ``gain``).
    ctx : DrawContext
        Target and shared state.
    """
    rows, px, py = ctx.visible_points(layer)
    if len(rows) == 0:
        return
    size = float(layer.style.size_px)
    frame = layer.frame
    categories = frame["category"].to_numpy()
    ranks = frame["rank"].to_numpy()
    gains = frame["gain"].to_numpy()
    ids = frame["id"].to_numpy()
    star = shape_path("star", size / 2)
    painter = ctx.painter
    painter.save()
    for r, x, y in zip(rows.tolist(), px.tolist(), py.tolist(), strict=True):
        colour = QColor(get_category(str(categories[r] or "other")).color)
        centre = QPointF(x, y)
        if ids[r] in layer.selected_ids:
            painter.setPen(QPen(QColor(SELECTION), 6))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(centre, size * 0.95, size * 0.95)
        ring = QPen(colour, 2.0, Qt.PenStyle.DashLine)
        painter.setPen(ring)
        painter.setBrush(QColor(255, 255, 255, 150))
        painter.drawEllipse(centre, size * 0.95, size * 0.95)
        painter.setPen(QPen(colour, 2.2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                            Qt.PenJoinStyle.RoundJoin))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(star.translated(centre))
        if ctx.show_labels and layer.style.show_labels:
            rank = "" if pd.isna(ranks[r]) else f"#{int(ranks[r])}"
            text = rank + ("" if pd.isna(gains[r]) else f" +{int(gains[r])}")
            ctx.labels.append((QPointF(x + size, y), "拟建 " + text, "facility", False))
    painter.restore()
