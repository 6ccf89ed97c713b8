"""Intervals and their arithmetic: a value over ranges, `Interval` [lo, hi] (possibly infinite),
with what is known about it (whether it can have no value and which operation causes that,
whether it moves with the free metrics, whether it is a whole number), and the rules of +, -, ×,
÷, min, max, clamping, rounding and comparison over such values.

Every rule over-approximates: the true set of values is always inside the interval the rule
gives. On single points every rule is exact decimal arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from kpilang.diagnostics import Span
from kpilang.messages import Text

INF = Decimal("Infinity")
ZERO = Decimal(0)
ONE = Decimal(1)


@dataclass(frozen=True)
class NoValueCause:
    """An operation that can leave a value empty: `owner` is the declaration whose formula holds it."""

    owner: str
    span: Span
    what: Text | str
    """"division", or the words for why a metric can have no value."""


class Interval(NamedTuple):
    """A value over ranges (a NamedTuple: the proofs make many of them, and tuples are cheap)."""

    lo: Decimal
    hi: Decimal
    has_value: bool = True
    """False: the value never exists (lo and hi mean nothing)."""
    maybe_none: bool = False
    varies: bool = False
    """True when the value can change with the free metrics (the others are fixed per person)."""
    whole: bool = False
    causes: tuple[NoValueCause, ...] = ()

    @property
    def is_point(self) -> bool:
        return self.has_value and self.lo == self.hi

    @property
    def definite(self) -> bool:
        """A single value that always exists: what a concrete evaluation gives."""
        return self.is_point and not self.maybe_none

    def contains_zero(self) -> bool:
        return self.lo <= 0 <= self.hi


def replace(value: Interval, **changes) -> Interval:
    return value._replace(**changes)


def point(value: Decimal | int, whole: bool | None = None) -> Interval:
    value = Decimal(value)
    return Interval(value, value, whole=value == value.to_integral_value() if whole is None else whole)


def span_of(lo: Decimal, hi: Decimal, **flags) -> Interval:
    return Interval(lo, hi, **flags)


NO_VALUE = Interval(ZERO, ZERO, has_value=False, maybe_none=True)
UNKNOWN = Interval(-INF, INF)
UNKNOWN_BOOL = Interval(ZERO, ONE, whole=True)


def _mul(x: Decimal, y: Decimal) -> Decimal:
    if x == 0 or y == 0:  # a finite zero times an unbounded value is still zero
        return ZERO
    return x * y


def _quotient(x: Decimal, y: Decimal, positive: bool) -> Decimal:
    """x / y at a corner; y = 0 stands for the divisor approaching zero from its side."""
    if y == 0:
        if x == 0:
            return ZERO
        return INF if (x > 0) == positive else -INF
    if x.is_infinite():
        return INF if (x > 0) == (y > 0) else -INF
    return _div(x, y)


def _div(x: Decimal, y: Decimal) -> Decimal:
    if y.is_infinite():
        return ZERO if not x.is_infinite() else (INF if (x > 0) == (y > 0) else -INF)
    result = x / y
    return ZERO if result == 0 else result


def _merge(a: Interval, b: Interval, lo: Decimal, hi: Decimal, whole: bool = False, extra=()) -> Interval:
    """The result of a binary operation: existence and causes from both operands."""
    if not a.has_value or not b.has_value:
        return replace(NO_VALUE, causes=a.causes + b.causes + tuple(extra))
    varies = (a.varies or b.varies) and lo != hi
    causes = a.causes + b.causes + tuple(extra)
    return Interval(lo, hi, maybe_none=a.maybe_none or b.maybe_none or bool(extra), varies=varies,
                    whole=whole, causes=causes)


def add(a: Interval, b: Interval) -> Interval:
    return _merge(a, b, a.lo + b.lo if not _opposite_inf(a.lo, b.lo) else -INF,
                  a.hi + b.hi if not _opposite_inf(a.hi, b.hi) else INF, a.whole and b.whole)


def _opposite_inf(x: Decimal, y: Decimal) -> bool:
    return x.is_infinite() and y.is_infinite() and (x > 0) != (y > 0)


def neg(a: Interval) -> Interval:
    return replace(a, lo=-a.hi, hi=-a.lo)


def sub(a: Interval, b: Interval) -> Interval:
    return add(a, neg(b))


def mul(a: Interval, b: Interval) -> Interval:
    products = [_mul(x, y) for x in (a.lo, a.hi) for y in (b.lo, b.hi)]
    return _merge(a, b, min(products), max(products), a.whole and b.whole)


def div(a: Interval, b: Interval, cause: NoValueCause | None = None) -> Interval:
    """a / b; a divisor that can be zero makes the result possibly empty (`cause` says where)."""
    extra = (cause,) if cause is not None and b.has_value and b.contains_zero() else ()
    if b.has_value and b.lo == 0 and b.hi == 0:
        return replace(NO_VALUE, causes=a.causes + b.causes + extra)
    smallest = ONE if b.whole else ZERO  # a whole divisor that is not zero is at least 1 away from it
    parts: list[tuple[Decimal, Decimal]] = []
    if b.hi > 0:
        parts.append((b.lo if b.lo > 0 else smallest, b.hi))
    if b.lo < 0:
        parts.append((b.lo, b.hi if b.hi < 0 else -smallest))
    los, his = [], []
    for low, high in parts:  # on a divisor of one sign, x / y is monotone in each: the corners bound it
        if low > high:
            continue
        quotients = [_quotient(x, y, positive=low >= 0) for x in (a.lo, a.hi) for y in (low, high)]
        los.append(min(quotients))
        his.append(max(quotients))
    if not los:
        return replace(NO_VALUE, causes=a.causes + b.causes + extra)
    merged = _merge(a, b, min(los), max(his), False, extra)
    if b.contains_zero() and not extra:  # the divisor can be zero, but the caller keeps no cause
        merged = replace(merged, maybe_none=True)
    return merged


def hull(a: Interval, b: Interval) -> Interval:
    """Either a or b."""
    if not a.has_value:
        return replace(b, maybe_none=True, causes=a.causes + b.causes) if b.has_value else b
    if not b.has_value:
        return replace(a, maybe_none=True, causes=a.causes + b.causes)
    lo, hi = min(a.lo, b.lo), max(a.hi, b.hi)
    return Interval(lo, hi, maybe_none=a.maybe_none or b.maybe_none, varies=(a.varies or b.varies) and lo != hi,
                    whole=a.whole and b.whole, causes=a.causes + b.causes)


def minimum(values: list[Interval]) -> Interval:
    for v in values:  # one operand below all the others is the result, exactly
        if v.has_value and all(v is o or (o.has_value and v.hi <= o.lo) for o in values):
            if all(not o.maybe_none for o in values if o is not v):
                return v
    result = values[0]
    for v in values[1:]:
        result = _merge(result, v, min(result.lo, v.lo), min(result.hi, v.hi), result.whole and v.whole)
    return result


def maximum(values: list[Interval]) -> Interval:
    return neg(minimum([neg(v) for v in values]))


def clamp(a: Interval, low: Decimal, high: Decimal | None) -> Interval:
    top = INF if high is None else high
    lo = min(max(a.lo, low), top)
    hi = min(max(a.hi, low), top)
    return replace(a, lo=lo, hi=hi, varies=a.varies and lo != hi)


def round_to(a: Interval, digits: int) -> Interval:
    quantum = Decimal(1).scaleb(-digits)

    def q(x: Decimal) -> Decimal:
        if x.is_infinite() or x.adjusted() > 20:  # beyond any real amount: already whole, leave it
            return x
        return x.quantize(quantum, rounding=ROUND_HALF_UP)

    if not a.has_value:
        return a
    lo, hi = q(a.lo), q(a.hi)
    return replace(a, lo=lo, hi=hi, varies=a.varies and lo != hi)


def compare(op: str, a: Interval, b: Interval) -> Interval:
    if not a.has_value or not b.has_value:
        return _merge(a, b, ZERO, ZERO)
    always = {"<": a.hi < b.lo, "<=": a.hi <= b.lo, ">": a.lo > b.hi, ">=": a.lo >= b.hi,
              "=": a.is_point and b.is_point and a.lo == b.lo, "!=": a.hi < b.lo or b.hi < a.lo}[op]
    never = {"<": a.lo >= b.hi, "<=": a.lo > b.hi, ">": a.hi <= b.lo, ">=": a.hi < b.lo,
             "=": a.hi < b.lo or b.hi < a.lo, "!=": a.is_point and b.is_point and a.lo == b.lo}[op]
    lo = ONE if always else ZERO
    hi = ZERO if never else ONE
    return _merge(a, b, lo, hi, True)


def all_of(a: Interval, b: Interval) -> Interval:
    """`a and b` over truth values (0 or 1)."""
    return _merge(a, b, min(a.lo, b.lo), min(a.hi, b.hi), True)


def any_of(a: Interval, b: Interval) -> Interval:
    """`a or b` over truth values (0 or 1)."""
    return _merge(a, b, max(a.lo, b.lo), max(a.hi, b.hi), True)

