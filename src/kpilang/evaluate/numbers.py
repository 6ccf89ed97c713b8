"""Exact decimal arithmetic for the formula stage: the context, money rounding, plain display.

Every formula runs inside `decimal_context()`: 34 significant digits (more than the language's
28), and the signals that would otherwise turn a mistake into a quiet wrong figure (an invalid
operation, an overflow) raise. The process's global context is never changed.
"""

from __future__ import annotations

import functools
from decimal import (
    MAX_PREC,
    ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, DivisionByZero, InvalidOperation, Overflow, getcontext,
    localcontext,
)

PRECISION = 34

_CONTEXT = Context(prec=PRECISION, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow])

ZERO = Decimal(0)

ArithmeticFault = (InvalidOperation, DivisionByZero, Overflow)
"""What exact arithmetic raises for a figure it cannot represent; reported as an error."""


def decimal_context():
    """A context manager giving the formula stage's decimal context for the current thread."""
    return localcontext(_CONTEXT)


_EXACT_ADDITION = Context(prec=MAX_PREC, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, Overflow])

WIDE_PRECISION = 60
"""Digits of a KPI's contribution on its way to the score, well beyond the 34 of every figure."""
_WIDE = Context(prec=WIDE_PRECISION, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow])
WIDE_NAMES = {"WMUL": _WIDE.multiply, "WDIV": _WIDE.divide, "WADD": _WIDE.add}
"""The 60-digit operations the code below names; the plan's generated function gets them too."""

_CONTRIBUTION = ("(WMUL({weight}, {ratio}) if WMUL({ratio}, {divisor}) == {dividend} "
                 "else WDIV(WMUL({weight}, {dividend}), {divisor}))")


def wide_product(weight: Decimal, attainment: Decimal) -> Decimal:
    """weight × an attainment clamped to 0 or to the cap: exact, to 60 digits."""
    return _WIDE.multiply(weight, attainment)


def contribution_code(weight: str, dividend: str, divisor: str, ratio: str) -> str:
    """Python for weight × attainment to 60 digits when the attainment is the ratio itself (not
    clamped): names of values in, an expression out.

    A ratio that ends (1.25) is simply multiplied, which keeps the figure's digits as they were
    (0.2 × 1.25 = 0.250). One that had to be rounded to 34 digits is weighted from the KPI's
    value and target themselves (weight × dividend / divisor): 0.3 × 4/3 is 0.4, where
    0.3 × 1.333…3 would be 0.3999…9.

    The evaluator inlines this code into each plan's function (a call per KPI per person costs
    more than the arithmetic); `wide_contribution` is the same code as a function, for the linter.
    """
    return _CONTRIBUTION.format(weight=weight, dividend=dividend, divisor=divisor, ratio=ratio)


def score_code(contributions: list[str]) -> str:
    """Python for kpi_score from the KPIs' 60-digit contributions: added to 60 digits, then
    rounded once by unary plus in the formula stage's context (34 digits). So a score that is
    exactly 70% (0.4 × 75% + 0.3 × 4/3) is 0.7 and lands in the band `70% to 90%`; adding
    contributions already rounded to 34 digits gave 0.6999…9, the band below, and a lower pay."""
    total = contributions[0]
    for contribution in contributions[1:]:
        total = f"WADD({total}, {contribution})"
    return f"+{total}"


_ratio_contribution = eval(  # noqa: S307 - the fixed code above, nothing from outside
    "lambda weight, dividend, divisor, ratio: " + contribution_code("weight", "dividend", "divisor", "ratio"),
    dict(WIDE_NAMES))


def wide_contribution(weight: Decimal, dividend: Decimal, divisor: Decimal, attainment: Decimal,
                      clamped: bool) -> Decimal:
    """weight × attainment to 60 digits, as the evaluator's code computes it."""
    if clamped:
        return wide_product(weight, attainment)
    return _ratio_contribution(weight, dividend, divisor, attainment)


@functools.cache
def _score_function(count: int):
    names = [f"c{i}" for i in range(count)]
    return eval(f"lambda {', '.join(names)}: {score_code(names)}", dict(WIDE_NAMES))  # noqa: S307


def score_of(contributions: list[Decimal]) -> Decimal:
    """kpi_score from 60-digit contributions, as `score_code` writes it, in the formula stage's context."""
    with decimal_context():
        return _score_function(len(contributions))(*contributions)


def _unrounded_sum(values) -> Decimal:
    """The sum of `values` to every digit (a decimal zero when there are none)."""
    with localcontext(_EXACT_ADDITION):
        return sum(values, ZERO)


def exact_sum(values) -> Decimal:
    """The sum of `values`, added without rounding and then rounded once to the formula stage's
    precision. Adding in the 34-digit context rounds every partial sum, which makes the last digit
    depend on the order of the rows; an exact sum does not."""
    total = _unrounded_sum(values)
    with decimal_context():
        return +total


def exact_mean(values, count: int | None = None) -> Decimal:
    """The mean of `values` (at least one): their exact sum divided by their count, rounded once.

    `count` is the number of rows when each value already stands for several (a value times the
    rows that hold it). Every mean and every median of two middle values goes through here, so a
    metric computed row by row, in the database, for a team or by the linter's witness gives the
    same last digit: rounding the sum first and then the quotient could differ from one rounding."""
    values = list(values)
    total = _unrounded_sum(values)
    with decimal_context():
        return total / (len(values) if count is None else count)


_DISPLAY_SPARE_DIGITS = 40
"""Digits beyond a value's own that display arithmetic may add: ×100 for a percent, the
decimals a figure is rounded to (at most a dozen), a band's edges."""


def room_for(*values: Decimal | None):
    """A context manager giving a decimal context that holds every digit of `values` and of
    what display arithmetic makes of them (×100, rounding to a few decimals, normalising), so
    that showing a figure never rounds it silently nor fails: a default context's 28 digits
    make `quantize` raise InvalidOperation on a 30-digit figure, and `normalize` cut it."""
    own_digits = [
        len(shape.digits) + abs(shape.exponent)  # type: ignore[arg-type]
        for shape in (value.as_tuple() for value in values if value is not None and value.is_finite())
    ]
    return localcontext(prec=max([getcontext().prec] + [n + _DISPLAY_SPARE_DIGITS for n in own_digits]))


@functools.cache
def minor_unit(currency: str | None) -> Decimal:
    """The currency's smallest unit as a quantum: RUB → 0.01, JPY → 1, KWD → 0.001.

    Without a currency (a plan-less library) pays cannot exist; 0.01 is returned for tests.
    """
    if currency is None:
        return Decimal("0.01")
    from babel.numbers import get_currency_precision

    return Decimal(1).scaleb(-get_currency_precision(currency))


def round_half_up(value: Decimal, quantum: Decimal) -> Decimal:
    """Round to a multiple of `quantum`, halves away from zero (0.005 → 0.01, -0.005 → -0.01)."""
    return value.quantize(quantum, rounding=ROUND_HALF_UP)


@functools.cache
def digits_quantum(digits: int) -> Decimal:
    """The quantum of `round(x, digits)`: 2 → 0.01, 0 → 1, -3 → 1E+3."""
    return Decimal(1).scaleb(-digits)


def tidy(value: Decimal) -> Decimal:
    """The same number without trailing zeros of the written form (50% → 0.5, 150% → 1.5, 100% → 1),
    never in exponent form; used for weights and caps so that figures read as a person would
    write them (0.5 × 1.1500005 = 0.57500025, not 0.575000250)."""
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal.as_tuple().exponent > 0 else normal


def plain(value: object) -> str:
    """A figure as a person reads it: no exponent (`0E+2` → `0`, `1E+3` → `1000`), trailing zeros
    of an amount kept as computed (`72000.00`). Non-decimals are shown as written."""
    if value is None:
        return "(no value)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        written = format(value, "f")
        # A zero has no sign worth showing: `-0.00` from rounding a tiny negative reads `0.00`.
        return written.lstrip("-") if value.is_zero() else written
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)


def percent(value: Decimal) -> str:
    """A fraction as a percent, as plans write it: 0.2 → `20%`, 1.5 → `150%`."""
    with room_for(value):
        return plain((value * 100).normalize()) + "%"
