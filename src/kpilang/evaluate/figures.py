"""The fixed rules that turn a KPI's value and target into its figures, the KPIs into the score,
and a pay's formula, cap and floor into the amount paid.

- attainment = value / target (target / value when lower is better), clamped to [0, cap]
  (to [0, ∞) without a cap); contribution = weight × attainment; kpi_score = Σ contributions;
- a pay: the formula's value, lowered to the cap, raised to the floor, then rounded to the
  currency's minor unit half up.

Each rule gives figures with `None` where it cannot compute one; the caller then asks
`no_value` why, so these functions stay small and fast.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from kpilang.compile.program import KpiDef, PayDef
from kpilang.evaluate.numbers import ZERO, tidy
from kpilang.evaluate.results import KpiFigures, PayFigures, trusted_builder

_kpi_figures = trusted_builder(KpiFigures)
_pay_figures = trusted_builder(PayFigures)


class KpiRule:
    __slots__ = ("cap", "weight", "lower_is_better")

    def __init__(self, kpi: KpiDef):
        self.cap = None if kpi.cap is None else tidy(kpi.cap)
        self.weight = tidy(kpi.weight)
        self.lower_is_better = kpi.lower_is_better

    def __call__(self, value: Decimal | None, target: Decimal | None) -> KpiFigures:
        if value is None or target is None:
            return self.failed(value, target)
        if self.lower_is_better:
            if not value:
                return self.failed(value, target)
            raw = target / value
        else:
            if not target:
                return self.failed(value, target)
            raw = value / target
        capped = floored = False
        attainment = raw
        if raw < ZERO:
            attainment, floored = ZERO, True
        elif self.cap is not None and raw > self.cap:
            attainment, capped = self.cap, True
        return _kpi_figures({
            "value": value, "target": target, "raw_attainment": raw, "attainment": attainment, "capped": capped,
            "floored": floored, "cap": self.cap, "lower_is_better": self.lower_is_better, "weight": self.weight,
            "contribution": self.weight * attainment,
        })

    def failed(self, value: Decimal | None = None, target: Decimal | None = None) -> KpiFigures:
        return _kpi_figures({
            "value": value, "target": target, "raw_attainment": None, "attainment": None, "capped": False,
            "floored": False, "cap": self.cap, "lower_is_better": self.lower_is_better, "weight": self.weight,
            "contribution": None,
        })


def score_of(*kpis: KpiFigures) -> Decimal | None:
    """Σ contributions in declaration order; no value if any KPI has none."""
    total = None
    for figures in kpis:
        contribution = figures.contribution
        if contribution is None:
            return None
        total = contribution if total is None else total + contribution
    return total


class PayRule:
    __slots__ = ("has_cap", "has_floor", "quantum")

    def __init__(self, pay: PayDef, quantum: Decimal):
        self.has_cap = pay.cap is not None
        self.has_floor = pay.floor is not None
        self.quantum = quantum

    def __call__(self, raw: Decimal | None, cap: Decimal | None, floor: Decimal | None) -> PayFigures:
        if (raw is None or (self.has_cap and cap is None) or (self.has_floor and floor is None)
                or (cap is not None and floor is not None and floor > cap)):
            return self.failed(raw, cap, floor)
        amount = raw
        capped = floored = False
        if cap is not None and amount > cap:
            amount, capped = cap, True
        if floor is not None and amount < floor:
            amount, floored = floor, True
        return _pay_figures({"raw": raw, "cap": cap, "floor": floor, "capped": capped, "floored": floored,
                             "unrounded": amount, "value": amount.quantize(self.quantum, rounding=ROUND_HALF_UP)})

    @staticmethod
    def failed(raw: Decimal | None = None, cap: Decimal | None = None, floor: Decimal | None = None) -> PayFigures:
        return _pay_figures({"raw": raw, "cap": cap, "floor": floor, "capped": False, "floored": False,
                             "unrounded": None, "value": None})
