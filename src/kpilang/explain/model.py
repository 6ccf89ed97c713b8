"""A statement as the templates see it: every figure already formatted for the reader's language,
every sentence composed from the catalog, and the charts' geometry as SVG-ready numbers. Templates
only lay it out; they compute nothing. A figure rounded for display (`≈ 36,11 %`) carries its exact
value inside the string (see `approx`): our renderer shows it, `approx.plain()` gives the text as
read. (Plain slotted dataclasses, not frozen ones: thousands are
made per run, and nothing changes them after the builder returns.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kpilang.explain.provenance import Provenance


@dataclass(slots=True)
class ErrorLine:
    subject: str
    """The label of the figure that could not be computed (or "data")."""
    text: str
    """What went wrong, in the statement's language."""
    detail: str
    """The evaluator's own message, with the numbers involved."""
    formula: str
    location: str
    help: str | None


@dataclass(slots=True)
class MetricLine:
    name: str
    label: str
    value: str
    counted: str
    """What was counted, in words, with the period."""
    has_value: bool
    uncontrollable: bool
    controllable_because: str | None = None
    """The author's reason (`controllable "REASON"`) where kpilang's model would mark it uncontrollable."""


@dataclass(slots=True)
class EarlierLine:
    """A figure the plan compares with an earlier period (`previous(revenue)`): both periods and
    the change (see `growth.py`)."""

    key: str
    label: str
    period: str
    """The earlier period, as the statement names periods (`июль 2026 г.`)."""
    then: str
    now: str
    change: str | None
    """`+133 500,00 ₽`, or for a share `+5,55 п. п.`; None when a figure has no value."""
    growth: str | None
    """`+6,24 %` (None for a share, or when the earlier figure is 0 or has no value)."""
    line: str


@dataclass(slots=True)
class Bar:
    """An attainment bar: widths in percent of the chart, as SVG-ready decimal strings."""

    width: str
    target_at: str
    cap_at: str | None
    capped: bool
    scale: str
    """The attainment at the right edge of the chart, formatted."""
    target: str = "100 %"
    """Full attainment (the target line), formatted for the language: `100 %`, `100%`."""
    state: str = "below"
    """What the bar means, which its colour says: `below` the target, target `met`, or `capped`
    (over the cap: the rest is not counted). Never the colour of an error."""


@dataclass(slots=True)
class KpiLine:
    name: str
    label: str
    formula: str
    """As written in the plan."""
    words: str
    """In words, by labels."""
    numbers: str
    """With the person's numbers put in."""
    value: str
    target: str
    target_words: str
    direction: str
    """How attainment is computed (value / target, or target / value when lower is better)."""
    raw_attainment: str
    attainment: str
    cap: str | None
    capped: bool
    floored: bool
    weight: str
    contribution: str
    cap_note: str
    """Whether the cap applied, in words: `в пределах потолка 150 %`, `выше потолка …: засчитано …`."""
    contribution_line: str
    """`50 % × 115,00005 % = 57,500025 %`."""
    error: ErrorLine | None
    bar: Bar | None


@dataclass(slots=True)
class TierLine:
    band: str
    rate: str
    amount: str
    result: str
    line: str
    """`от 0,00 ₽ до 810 000,00 ₽: 3 % × 292 500,00 ₽ = 8 775,00 ₽`."""


@dataclass(slots=True)
class BandLine:
    text: str
    value: str
    hit: bool


@dataclass(slots=True)
class ChartColumn:
    """One band of a step table as an SVG bar (coordinates in the chart's 100 × 50 view box)."""

    x: str
    y: str
    width: str
    height: str
    middle: str
    value: str
    edge: str
    """The band's lower edge, written under the boundary it starts at ("" for the first band)."""
    edge_x: str
    hit: bool


@dataclass(slots=True)
class StepChart:
    """A step table drawn as bars, one per band, with the person's point marked."""

    columns: list[ChartColumn]
    point_x: str
    point_label: str
    point_anchor: str
    """SVG text-anchor of the marker's label: kept inside the chart near its edges."""


@dataclass(slots=True)
class TableLine:
    name: str
    label: str
    used_by: str
    used_by_line: str
    """`для расчёта «Премия»`."""
    call: str
    argument: str
    band: str
    why: str
    """The comparison that put the argument in its band, e.g. `100 % ≤ 105,000025 % < 120 %`."""
    value: str
    result: str
    graduated: bool
    tiers: list[TierLine]
    bands: list[BandLine]
    chart: StepChart | None


@dataclass(slots=True)
class PayLine:
    name: str
    label: str
    formula: str
    words: str
    numbers: str
    raw: str
    cap: str | None
    cap_words: str | None
    capped: bool
    floor: str | None
    floor_words: str | None
    floored: bool
    unrounded: str
    value: str
    cap_line: str | None
    """`не достигнут: 2 × Оклад = 120 000,00 ₽` (None without a cap, or without a figure)."""
    floor_line: str | None
    rounding: str | None
    """Said when rounding changed the figure."""
    error: ErrorLine | None


@dataclass(slots=True)
class Option:
    metric: str
    change: str
    """`+1`, `+180 000,00 ₽`."""
    becomes: str
    """The metric's new value."""
    pay: str | None
    """What the final pay would then be."""
    line: str
    """The option in one sentence, with the final pay."""


@dataclass(slots=True)
class WhatItTakes:
    table: str
    now: str
    """The band the person is in now."""
    next: str
    """The band above, and its value."""
    options: list[Option]
    unreachable: list[str]
    """Controllable metrics that alone cannot reach the band (caps), by label."""
    pay_label: str | None


@dataclass(slots=True)
class DataLine:
    text: str
    hint: str


@dataclass(slots=True)
class Statement:
    lang: str
    manager_id: str
    name: str
    role: str
    team: str
    plan_name: str
    plan_label: str
    goal: str
    fingerprint: str
    fingerprint_note: str | None
    period: str
    period_code: str
    currency: str
    scope_team: bool
    metrics: list[MetricLine]
    kpis: list[KpiLine]
    score: str | None
    score_words: str
    score_numbers: str
    score_error: ErrorLine | None
    tables: list[TableLine]
    pays: list[PayLine]
    errors: list[ErrorLine]
    data: list[DataLine]
    what_it_takes: list[WhatItTakes]
    top_band: list[str] = field(default_factory=list)
    """Tables where the person is already in the highest band, by label."""
    total: str | None = None
    """The final pay (the last pay computed), for the index."""
    total_amount: Decimal | None = None
    """The same figure as an exact decimal, for the index's sum over everyone."""
    file_stem: str = ""
    rounded: bool = False
    """Whether some figure is rounded for display (`≈`): the statement then says, once, that pay
    is computed from exact values."""
    provenance: Provenance | None = None
    """The files the figures were computed from, for the payroll office (the statement's foot)."""
    earlier: list[EarlierLine] = field(default_factory=list)
    """The figures compared with earlier periods (`previous(…)`), both periods and the change."""
    team_figures: list[Any] = field(default_factory=list)
    """A team plan's figures over members, each with the members behind it (`explain.team`)."""

    @property
    def ok(self) -> bool:
        return not self.errors
