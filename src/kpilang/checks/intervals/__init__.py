"""Interval reasoning over a plan's formulas: sound bounds, and exact values on single points.

The checks that must *prove* something about every possible month of every person ("the score
cannot reach 100% without a sale", "this pay cannot grow without bound with calls") evaluate the
plan over ranges instead of numbers. Each value is an `Interval` [lo, hi] (possibly infinite)
plus what is known about it: whether it can have no value (and which operation causes that),
whether it moves with the free metrics, whether it is a whole number.

Every rule over-approximates: the true set of values is always inside the interval. So
"hi < 1" is a proof that the true value is below 1. When every input is a single point, every
rule is exact decimal arithmetic, so the same engine evaluates a witness exactly: a claim that
something *can* happen is always backed by concrete inputs evaluated this way.

Arithmetic runs at the evaluator's precision (34 significant digits), so a bound is exact up to
the last of those digits; a claim that rests on that last digit is settled by the witness.

The package: `arithmetic.py` (the `Interval` type and its rules), `tables.py` (step and
graduated tables over a range), `aggregates.py` (what an aggregate of a person's rows can give),
`plan.py` (a whole plan run over intervals, `PlanIntervals`). Callers import from those; the
names below are the ones tests import from the package itself.
"""

from kpilang.checks.intervals.arithmetic import (
    INF, NO_VALUE, Interval, add, clamp, compare, div, maximum, minimum, mul, point, round_to, sub,
)
from kpilang.checks.intervals.plan import PlanIntervals
from kpilang.checks.intervals.tables import graduated, step_lookup
from kpilang.checks.intervals.tables import _graduated_point  # noqa: F401 - the exact figure a property test bounds

__all__ = [
    "INF", "NO_VALUE", "Interval", "PlanIntervals", "add", "clamp", "compare", "div", "graduated", "maximum", "minimum",
    "mul", "point", "round_to", "step_lookup", "sub",
]
