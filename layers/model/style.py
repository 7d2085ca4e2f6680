"""How a layer is drawn: a typed, validated style and the default style of each role.

Units are in the field names: opacities run from 0 to 1, sizes are screen pixels,
colours are ``#rrggbb`` strings. The canvas, image export and layer panel read the
same :class:`LayerStyle`, so there is one place that says what a value means.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, fields, replace

from layers.model.schema import GeometryKind, LayerRole

_HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")


class StyleError(ValueError):
    """A style value out of range or of the wrong kind, with a message for the planner."""


@dataclass(frozen=True)
class LayerStyle:
    """The look of one layer.

    Attributes
    ----------
    color : str or None
        Main colour as ``#rrggbb`` (``#rgb`` is expanded). None draws each feature
        in its category's colour (facilities, service circles).
    size_px : float
        Marker diameter of a point layer, in pixels.
    stroke_width_px : float
        Outline width of polygons and line width of lines, in pixels. Service
        circles always get a one-pixel outline, as they are rasterised.
    fill_opacity : float
        Opacity of polygon fills, 0 (none) to 1 (solid).
    stroke_opacity : float
        Opacity of outlines and lines, 0 to 1.
    opacity : float
        Opacity of the whole layer, 0 to 1, applied after everything else.
    show_labels : bool
        Draw feature names (when the map has labels switched on).
    title_suffix : str or None
        Text after the layer's title in the layer list, e.g. the walk a planner chose.
    hidden_categories : frozenset of str
        Category ids whose features are not drawn (legend check boxes); a display
        setting only, the features stay in the layer and its table.
    only_ids : frozenset of str or None
        When set, only these features are drawn (the attribute table's "show only
        filtered on map"); None draws them all.
    """

    color: str | None = None
    size_px: float = 9.0
    stroke_width_px: float = 1.6
    fill_opacity: float = 0.2
    stroke_opacity: float = 1.0
    opacity: float = 1.0
    show_labels: bool = True
    title_suffix: str | None = None
    hidden_categories: frozenset[str] = frozenset()
    only_ids: frozenset[str] | None = None

    def __post_init__(self) -> None:
        # frozen: normalised values are written with object.__setattr__
        if self.color is not None:
            if not isinstance(self.color, str) or not _HEX_COLOUR.fullmatch(self.color):
                raise StyleError(f"colour must be #rrggbb, not {self.color!r}")
            colour = self.color.lower()
            if len(colour) == 4:
                colour = "#" + "".join(c * 2 for c in colour[1:])
            object.__setattr__(self, "color", colour)
        for name in ("fill_opacity", "stroke_opacity", "opacity"):
            object.__setattr__(self, name, _number(name, getattr(self, name), 0.0, 1.0))
        object.__setattr__(self, "size_px", _number("size_px", self.size_px, 1.0, 200.0))
        object.__setattr__(self, "stroke_width_px",
                           _number("stroke_width_px", self.stroke_width_px, 0.0, 50.0))
        if not isinstance(self.show_labels, bool):
            raise StyleError(f"show_labels must be True or False, not {self.show_labels!r}")
        if self.title_suffix is not None and not isinstance(self.title_suffix, str):
            raise StyleError(f"title_suffix must be text, not {self.title_suffix!r}")
        hidden = self.hidden_categories
        if isinstance(hidden, str) or not all(isinstance(c, str) for c in hidden):
            raise StyleError(f"hidden_categories must be category ids, not {hidden!r}")
        object.__setattr__(self, "hidden_categories", frozenset(hidden))
        if self.only_ids is not None:
            if isinstance(self.only_ids, str):
                raise StyleError(f"only_ids must be feature ids, not {self.only_ids!r}")
            object.__setattr__(self, "only_ids", frozenset(str(i) for i in self.only_ids))

    def updated(self, **changes: object) -> LayerStyle:
        """Return a copy with some settings changed, validated like a new style.

        Parameters
        ----------
        **changes
            Field names and new values, e.g. ``size_px=12`` or ``color="#ff0000"``.

        Returns
        -------
        LayerStyle
            The new style; this one is unchanged.

        Raises
        ------
        StyleError
            For an unknown setting or a value out of range.
        """
        unknown = sorted(set(changes) - {f.name for f in fields(self)})
        if unknown:
            raise StyleError(f"a layer style has no setting {unknown[0]!r}")
        return replace(self, **changes)


def _number(name: str, value: object, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise StyleError(f"{name} must be a number, not {value!r}")
    number = float(value)
    if not math.isfinite(number) or not low <= number <= high:
        raise StyleError(f"{name} must be between {low:g} and {high:g}, not {value!r}")
    return number


#: Roles with a look of their own; the rest are drawn by geometry kind.
_ROLE_STYLES: dict[LayerRole, LayerStyle] = {
    # each facility in its category's colour and shape
    LayerRole.FACILITIES: LayerStyle(size_px=14.0),
    LayerRole.COMMUNITIES: LayerStyle(color="#1d3557", size_px=16.0),
    # category colours, translucent so overlapping walks stay readable
    LayerRole.SERVICE_CIRCLES: LayerStyle(fill_opacity=0.3, stroke_opacity=235 / 255),
    # hollow stars in the category's colour (desktop/canvas/proposal_drawing.py)
    LayerRole.PROPOSALS: LayerStyle(size_px=20.0),
}

_KIND_STYLES: dict[GeometryKind, LayerStyle] = {
    GeometryKind.POINT: LayerStyle(color="#444444", size_px=9.0),
    GeometryKind.LINE: LayerStyle(color="#8d99ae", stroke_width_px=1.5),
    # a light wash (50 of 255) that leaves the points on top readable
    GeometryKind.POLYGON: LayerStyle(color="#457b9d", fill_opacity=50 / 255,
                                     stroke_width_px=1.6),
}


def default_style(role: LayerRole, kind: GeometryKind) -> LayerStyle:
    """Return the style a new layer starts with.

    Parameters
    ----------
    role : LayerRole
        What the layer is for.
    kind : GeometryKind
        Its geometry kind; decides the look of roles without one of their own
        (boundaries, roads, other layers).

    Returns
    -------
    LayerStyle
        The default style.
    """
    return _ROLE_STYLES.get(role) or _KIND_STYLES[kind]
