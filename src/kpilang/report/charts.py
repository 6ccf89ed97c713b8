"""Small bar charts as inline SVG, readable printed in black and white.

No JavaScript and nothing fetched: each chart is a few rectangles and lines in the page. The
series tell apart without colour (a solid dark fill, a hatched outline, a light grey), a
reference line (100 % of target) is dashed, and every chart carries its title and a text
alternative (`role="img"`, `<title>`, `<desc>`) that says every value it draws; the same figures
are in the tables beside it. Geometry is computed in Decimal and written with one decimal: a
chart is a drawing of the figures, never a source of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import count

from markupsafe import Markup, escape

STYLES = ("solid", "hatched", "light")
"""How the series are drawn, in order: a black-and-white printer keeps each apart."""

WIDTH, HEIGHT = Decimal(640), Decimal(220)
LEFT, RIGHT, TOP, BOTTOM = Decimal(8), Decimal(8), Decimal(16), Decimal(40)

VALUE_FONT = Decimal(10)
"""The size of a value above its bar, in the chart's units (the page's style sets the same)."""

_ids = count(1)


def _text_width(text: str, size: Decimal) -> Decimal:
    """A generous estimate of how wide `text` is drawn at `size` (digits and letters of a sans
    serif are about 0.6 of the size wide)."""
    return Decimal(len(text)) * size * Decimal("0.62")


@dataclass(frozen=True)
class Series:
    name: str
    values: list[Decimal | None]
    """One per category; None draws no bar (a figure that could not be computed)."""
    shown: list[str]
    """Each value as the reader's language writes it (for labels and the text alternative)."""


def _n(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def bar_chart(title: str, categories: list[str], series: list[Series], *, reference: Decimal | None = None,
              reference_label: str = "", none_word: str = "—") -> Markup:
    """Grouped vertical bars: one group per category, one bar per series, the value above each
    bar, an optional dashed reference line (at `reference`, in the values' scale)."""
    if not categories or not series or len(series) > len(STYLES):
        raise ValueError("a chart needs categories and one to three series")
    if any(len(s.values) != len(categories) or len(s.shown) != len(categories) for s in series):
        raise ValueError("every series needs one value per category")
    chart_id = f"chart{next(_ids)}"
    values = [v for s in series for v in s.values if v is not None]
    top = max([*values, reference or Decimal(0), Decimal(0)])
    bottom = min([*values, Decimal(0)])
    span = (top - bottom) or Decimal(1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group_w = plot_w / len(categories)
    bar_w = group_w * Decimal("0.8") / len(series)

    def y(value: Decimal) -> Decimal:
        return TOP + (top - value) / span * plot_h

    parts = [f'<svg class="chart" viewBox="0 0 {_n(WIDTH)} {_n(HEIGHT)}" role="img" '
             f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="{chart_id}-t">{escape(title)}</title>',
             f'<desc id="{chart_id}-d">{escape(_describe(categories, series, none_word))}</desc>',
             '<defs><pattern id="' + chart_id + '-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
             'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" class="hatch-line"/></pattern></defs>']
    zero = y(Decimal(0))
    parts.append(f'<line class="axis" x1="{_n(LEFT)}" y1="{_n(zero)}" x2="{_n(WIDTH - RIGHT)}" y2="{_n(zero)}"/>')
    for i, category in enumerate(categories):
        x0 = LEFT + group_w * i + group_w * Decimal("0.1")
        for j, s in enumerate(series):
            value = s.values[i]
            if value is None:
                continue
            x = x0 + bar_w * j
            y_top, y_bottom = min(y(value), zero), max(y(value), zero)
            fill = f' fill="url(#{chart_id}-hatch)"' if STYLES[j] == "hatched" else ""
            parts.append(f'<rect class="bar {STYLES[j]}" x="{_n(x)}" y="{_n(y_top)}" width="{_n(bar_w)}" '
                         f'height="{_n(max(y_bottom - y_top, Decimal("0.5")))}"{fill}>'
                         f'<title>{escape(s.name)}, {escape(category)}: {escape(s.shown[i])}</title></rect>')
            if _text_width(s.shown[i], VALUE_FONT) <= bar_w + group_w * Decimal("0.2") / len(series):
                # the value above its bar, where it fits; always in the bar's title and the text alternative
                parts.append(f'<text class="value" x="{_n(x + bar_w / 2)}" y="{_n(y_top - 3)}" '
                             f'text-anchor="middle">{escape(s.shown[i])}</text>')
        parts.append(f'<text class="category" x="{_n(LEFT + group_w * i + group_w / 2)}" '
                     f'y="{_n(HEIGHT - BOTTOM + 14)}" text-anchor="middle">{escape(category)}</text>')
    if reference is not None:
        ry = y(reference)
        parts.append(f'<line class="reference" x1="{_n(LEFT)}" y1="{_n(ry)}" x2="{_n(WIDTH - RIGHT)}" y2="{_n(ry)}"/>')
    legend_x = LEFT
    for j, s in enumerate(series):
        fill = f' fill="url(#{chart_id}-hatch)"' if STYLES[j] == "hatched" else ""
        parts.append(f'<rect class="bar {STYLES[j]}" x="{_n(legend_x)}" y="{_n(HEIGHT - 14)}" width="10" '
                     f'height="10"{fill}/>')
        parts.append(f'<text class="legend" x="{_n(legend_x + 14)}" y="{_n(HEIGHT - 5)}">{escape(s.name)}</text>')
        legend_x += 14 + Decimal(len(s.name) * 7) + 18
    if reference is not None and reference_label:  # in the legend, where no bar can cover it
        parts.append(f'<line class="reference sample" x1="{_n(legend_x)}" y1="{_n(HEIGHT - 9)}" '
                     f'x2="{_n(legend_x + 16)}" y2="{_n(HEIGHT - 9)}"/>')
        parts.append(f'<text class="legend" x="{_n(legend_x + 20)}" y="{_n(HEIGHT - 5)}">{escape(reference_label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _describe(categories: list[str], series: list[Series], none_word: str) -> str:
    """Every value the chart draws, in words: `payroll: 2026-07 870 610,00 ₽, 2026-08 …; …`."""
    return "; ".join(
        f"{s.name}: " + ", ".join(f"{c} {shown if value is not None else none_word}"
                                  for c, value, shown in zip(categories, s.values, s.shown))
        for s in series)
