"""A plan's tables over intervals: which values a step table can give for an argument anywhere in
a range (and whether the range reaches outside every band, where the table has no value), and
the bounds of a graduated table's sum over a range."""

from __future__ import annotations

from decimal import Decimal

from kpilang.checks.intervals.arithmetic import INF, NO_VALUE, ZERO, Interval, hull, mul, point, replace
from kpilang.compile.program import TableDef


def uncovered(table: TableDef) -> list[tuple[Decimal, Decimal]]:
    """The stretches of the number line that no band of a step table holds, as [lo, hi) pairs
    (±Infinity at the ends)."""
    edges = sorted(((b.low if b.low is not None else -INF), (b.high if b.high is not None else INF))
                   for b in table.bands)
    gaps, reach = [], -INF
    for low, high in edges:
        if low > reach:
            gaps.append((reach, low))
        reach = max(reach, high)
    if reach < INF:
        gaps.append((reach, INF))
    return gaps


def step_lookup(table: TableDef, arg: Interval) -> Interval:
    if not arg.has_value:
        return arg
    hit = [b.value for b in table.bands
           if (b.low is None or b.low <= arg.hi) and (b.high is None or arg.lo < b.high)]
    outside = any(low <= arg.hi and arg.lo < high and not (low == arg.hi and low == high) for low, high in uncovered(table))
    if not hit:
        return replace(NO_VALUE, causes=arg.causes)
    lo, hi = min(hit), max(hit)
    return Interval(lo, hi, maybe_none=arg.maybe_none or outside, varies=arg.varies and lo != hi,
                    whole=all(v == v.to_integral_value() for v in hit), causes=arg.causes)


def graduated(table: TableDef, x: Interval, base: Interval | None) -> Interval:
    """Σ rate × (the part of x inside each band); with a base, the edges are fractions of it."""
    if not x.has_value or (base is not None and not base.has_value):
        return replace(NO_VALUE, causes=x.causes + (base.causes if base else ()))
    rates = [b.value for b in table.bands]
    flags = dict(maybe_none=x.maybe_none or (base is not None and base.maybe_none),
                 causes=x.causes + (base.causes if base else ()))
    if x.is_point and (base is None or base.is_point):
        value = _graduated_point(table, x.lo, None if base is None else base.lo)
        return Interval(value, value, **flags)
    varies = x.varies or (base is not None and base.varies)
    if base is None or base.is_point:
        scale = None if base is None else base.lo
        if all(r >= 0 for r in rates):  # monotone in x: the ends give the bounds
            lo = _graduated_point(table, max(x.lo, ZERO), scale)
            hi = _graduated_point(table, max(x.hi, ZERO), scale)
            return Interval(lo, hi, varies=varies and lo != hi, **flags)
    # the parts of x inside the bands add up to x, so the result lies between the extreme rates
    part = Interval(max(x.lo, ZERO), max(x.hi, ZERO))
    bound = hull(mul(part, point(min(rates))), mul(part, point(max(rates))))
    bound = hull(bound, point(0))
    return Interval(bound.lo, bound.hi, varies=varies and bound.lo != bound.hi, **flags)


def _graduated_point(table: TableDef, x: Decimal, base: Decimal | None) -> Decimal:
    if x.is_infinite():
        open_rates = [b.value for b in table.bands if b.high is None and b.value != 0]
        if open_rates:  # an open top band with a rate: the result grows without bound with x
            return INF if x > 0 and max(open_rates) > 0 else -INF
        edges = [e for b in table.bands for e in (b.low, b.high) if e is not None]
        top = max(edges, default=ZERO) * (base if base is not None else 1)
        return _graduated_point(table, max(top, ZERO), base)
    total = ZERO
    for band in table.bands:
        low = ZERO if band.low is None else band.low * (base if base is not None else 1)
        high = x if band.high is None else band.high * (base if base is not None else 1)
        part = min(x, high) - max(low, ZERO)
        if part > 0:
            total += band.value * part
    return total
