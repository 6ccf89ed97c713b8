"""The geometry of a statement's two pictures: a KPI's attainment bar, and a step table's chart
(its bands as columns, the person's figure as a marker on them).

Positions are percents of the picture, rounded to a tenth: the templates only place what is
computed here, so the HTML statement draws the same figures the text statement states."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable

from kpilang.evaluate.results import KpiFigures
from kpilang.explain.formatting import FigureKind, LocaleFormat
from kpilang.explain.model import Bar, ChartColumn, StepChart

_CHART = Decimal("0.1")
_ZERO, _ONE, _UNCAPPED_SCALE = Decimal(0), Decimal(1), Decimal("1.5")
_LABEL_MARGIN = Decimal(22)  # how near an edge the marker's label turns to stay inside the chart
# The step chart's plot area inside its 100 × 50 view box.
_PLOT_BOTTOM, _PLOT_HEIGHT, _GAP = Decimal(38), Decimal(28), Decimal("0.6")
_HUNDRED = Decimal(100)


class KpiBars:
    """A KPI's attainment as a bar; what depends only on the bar's scale is worked out once per scale."""

    def __init__(self, fmt: LocaleFormat):
        self.fmt = fmt
        self._scales: dict[Decimal, tuple[str, str | None, str]] = {}

    def bar(self, f: KpiFigures) -> Bar | None:
        if f.raw_attainment is None or f.attainment is None:
            return None
        # The chart's right edge: the cap, or (without one) far enough to show the attainment.
        scale = max(_ONE, f.cap) if f.cap is not None else max(_UNCAPPED_SCALE, f.raw_attainment)
        fixed = self._scales.get(scale)
        if fixed is None:
            fixed = self._scales[scale] = (
                _pct(_HUNDRED / scale), _pct(f.cap / scale * _HUNDRED) if f.cap is not None else None,
                self.fmt.figure(scale, "percent"))
        width = min(max(f.attainment, _ZERO) / scale, _ONE) * _HUNDRED
        state = "capped" if f.capped else "met" if f.attainment >= _ONE else "below"
        return Bar(width=_pct(width), target_at=fixed[0], cap_at=fixed[1], capped=f.capped, scale=fixed[2],
                   target=self.fmt.figure(_ONE, "percent"), state=state)


def step_columns(table: Any, hit_band: int, fig: Callable[..., str], value_kind: FigureKind,
                 key_kind: FigureKind) -> list[ChartColumn]:
    """A step table's bands as columns as high as their values, the band hit marked; none for a
    graduated table, whose tiers add up rather than stand side by side."""
    columns: list[ChartColumn] = []
    if table.graduated or not table.bands:
        return columns
    top = max(b.value for b in table.bands)
    width = _HUNDRED / len(table.bands)
    for i, band in enumerate(table.bands):
        height = (band.value / top * _PLOT_HEIGHT) if top > 0 and band.value > 0 else Decimal(0)
        x = width * i
        columns.append(ChartColumn(
            x=_pct(x + _GAP), y=_pct(_PLOT_BOTTOM - height), width=_pct(width - 2 * _GAP),
            height=_pct(height), middle=_pct(x + width / 2), value=fig(band.value, value_kind),
            edge=fig(band.low, key_kind) if band.low is not None and i else "",
            edge_x=_pct(x), hit=i == hit_band))
    return columns


def step_chart(table: Any, hit_band: int, argument: Decimal, label: str, columns: list[ChartColumn]) -> StepChart:
    """The step chart with the person's figure marked where it sits inside the band it hit."""
    band = table.bands[hit_band]
    width = _HUNDRED / len(table.bands)
    point_x = width * hit_band + width * _position_in(argument, band.low, band.high)
    anchor = "start" if point_x < _LABEL_MARGIN else ("end" if point_x > _HUNDRED - _LABEL_MARGIN else "middle")
    return StepChart(columns=columns, point_x=_pct(point_x), point_label=label, point_anchor=anchor)


def _position_in(argument: Decimal, low: Decimal | None, high: Decimal | None) -> Decimal:
    """Where the argument sits inside its band, from 0 to 1, for the chart's marker."""
    if low is not None and high is not None and high > low:
        return min(max((argument - low) / (high - low), Decimal(0)), Decimal(1))
    if low is None and high is not None and high > 0:
        return min(max(argument / high, Decimal(0)), Decimal(1))
    if high is None and low is not None and low > 0:
        return min(max((argument - low) / low, Decimal(0)), Decimal(1))
    return Decimal("0.5")


def _pct(value: Decimal) -> str:
    return format(value.quantize(_CHART), "f")
