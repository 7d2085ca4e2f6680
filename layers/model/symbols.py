"""Marker shapes shared by the desktop canvas and the HTML export.

Each shape is a closed outline in unit coordinates (x right, y down, radius 1),
so both renderers draw exactly the same symbol for a category.
"""

from __future__ import annotations

import math


def _regular(n: int, rotation_deg: float = -90.0) -> list[tuple[float, float]]:
    out = []
    for i in range(n):
        a = math.radians(rotation_deg + 360.0 * i / n)
        out.append((round(math.cos(a), 4), round(math.sin(a), 4)))
    return out


def _star(points: int = 5, inner: float = 0.45) -> list[tuple[float, float]]:
    out = []
    for i in range(points * 2):
        r = 1.0 if i % 2 == 0 else inner
        a = math.radians(-90.0 + 180.0 * i / points)
        out.append((round(r * math.cos(a), 4), round(r * math.sin(a), 4)))
    return out


SHAPES: dict[str, list[tuple[float, float]]] = {
    "circle": _regular(20),
    "square": [(-0.8, -0.8), (0.8, -0.8), (0.8, 0.8), (-0.8, 0.8)],
    "triangle": _regular(3),
    "triangle_down": _regular(3, 90.0),
    "diamond": _regular(4),
    "pentagon": _regular(5),
    "hexagon": _regular(6, 0.0),
    "star": _star(),
    "cross": [
        (-0.35, -1.0), (0.35, -1.0), (0.35, -0.35), (1.0, -0.35), (1.0, 0.35), (0.35, 0.35),
        (0.35, 1.0), (-0.35, 1.0), (-0.35, 0.35), (-1.0, 0.35), (-1.0, -0.35), (-0.35, -0.35),
    ],
    "bolt": [(0.5, -1.0), (-0.7, 0.2), (-0.08, 0.2), (-0.45, 1.0), (0.75, -0.28), (0.12, -0.28)],
}


#: Thin shapes are drawn larger so every marker has about the same visual weight.
SHAPE_SCALE: dict[str, float] = {"star": 1.4, "bolt": 1.15, "triangle": 1.2, "triangle_down": 1.2,
                                 "cross": 1.05, "square": 1.05}


def shape_outline(name: str) -> list[tuple[float, float]]:
    """Return the unit outline of a marker shape.

    Parameters
    ----------
    name : str
        A key of :data:`SHAPES`; unknown names fall back to ``circle``.

    Returns
    -------
    list of (float, float)
        Vertices of the closed outline, radius 1, y pointing down.
    """
    scale = SHAPE_SCALE.get(name, 1.0)
    return [(x * scale, y * scale) for x, y in SHAPES.get(name, SHAPES["circle"])]
