"""The report's coverage chart drawn with matplotlib (Agg, never Qt) in a CJK font."""

from __future__ import annotations

import io
from functools import lru_cache

from layers.report.model import Chart

#: Font families tried in order for Chinese text (fonts-noto-cjk on Debian first).
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK", "Source Han Sans SC",
                "WenQuanYi Zen Hei", "Microsoft YaHei", "SimHei", "PingFang SC")


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """Return the file of an installed font that has Chinese glyphs, or None.

    Returns
    -------
    str or None
        A font file path that matplotlib can use.
    """
    from matplotlib import font_manager

    fonts: dict[str, str] = {}
    # regular weight first, so the chart is not all bold
    for f in sorted(font_manager.fontManager.ttflist,
                    key=lambda f: (f.weight not in (400, "normal", "regular"), f.fname)):
        fonts.setdefault(f.name, f.fname)
    for family in CJK_FAMILIES:
        if family in fonts:
            return fonts[family]
    for name, fname in sorted(fonts.items()):
        if "CJK" in name or "Han" in name:
            return fname
    return None


def chart_png(chart: Chart, width_in: float = 7.5, height_in: float = 3.6,
              dpi: int = 200) -> bytes:
    """Draw the coverage chart as PNG bytes: one group of bars per category, a bar per tier.

    Parameters
    ----------
    chart : Chart
        The chart in the report model.
    width_in, height_in : float
        Size in inches.
    dpi : int
        Resolution.

    Returns
    -------
    bytes
        The PNG file.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    path = cjk_font()
    font = FontProperties(fname=path) if path else FontProperties()
    fig = Figure(figsize=(width_in, height_in), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    n, k = len(chart.labels), len(chart.tiers)
    width = 0.8 / max(k, 1)
    colours = ("#9DC3E6", "#2E75B6", "#1F3864")
    for j, t in enumerate(chart.tiers):
        xs = [i - 0.4 + width * (j + 0.5) for i in range(n)]
        values = chart.values[t]
        heights = [0.0 if v is None else v * 100 for v in values]
        bars = ax.bar(xs, heights, width, label=f"{t:g} 分钟", color=colours[j % len(colours)])
        for bar, v in zip(bars, values, strict=True):
            ax.annotate("—" if v is None else f"{v * 100:.0f}%",
                        (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                        ha="center", va="bottom", fontsize=7, fontproperties=font,
                        xytext=(0, 1), textcoords="offset points")
    ax.set_xticks(range(n))
    ax.set_xticklabels([_wrap(label) for label in chart.labels], fontproperties=font,
                       fontsize=8)
    ax.set_ylim(0, 110)
    ax.set_yticks(range(0, 101, 20))
    ax.set_yticklabels([f"{v}%" for v in range(0, 101, 20)], fontsize=8)
    ax.set_title(chart.title, fontproperties=font, fontsize=11)
    small = FontProperties(fname=path, size=8) if path else FontProperties(size=8)
    ax.legend(prop=small, loc="upper right", ncols=k, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def _wrap(label: str, width: int = 8) -> str:
    """Break a long Chinese label into lines of ``width`` characters (at " / " first)."""
    parts = label.replace(" / ", "/\n").split("\n")
    out = []
    for part in parts:
        out += [part[i:i + width] for i in range(0, len(part), width)] or [""]
    return "\n".join(out)
