"""The interval rules are sound: for any intervals and any points inside them, the exact result
of the operation on the points lies inside the interval the rule gives (Hypothesis)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from kpilang.checks import intervals as iv
from kpilang.compile.program import Band, TableDef, Unit
from kpilang.diagnostics import Span

SPAN = Span(file="t.kpi", line=1, column=1, end_line=1, end_column=2)
numbers = st.decimals(min_value=-10_000, max_value=10_000, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def box(draw):
    """An interval (possibly unbounded on either side) and a point inside it."""
    a, b = sorted((draw(numbers), draw(numbers)))
    x = draw(st.decimals(min_value=a, max_value=b, places=2)) if a < b else a
    lo = -iv.INF if draw(st.booleans()) and draw(st.booleans()) else a
    hi = iv.INF if draw(st.booleans()) and draw(st.booleans()) else b
    whole = draw(st.booleans()) and x == x.to_integral_value() and lo.is_infinite() | (lo == lo.to_integral_value())
    return iv.Interval(lo, hi, whole=bool(whole) and x == x.to_integral_value()), x


def inside(value: Decimal, interval: iv.Interval) -> bool:
    return interval.has_value and interval.lo <= value <= interval.hi


@given(box(), box())
def test_add_sub_mul(a, b) -> None:
    (ia, x), (ib, y) = a, b
    assert inside(x + y, iv.add(ia, ib))
    assert inside(x - y, iv.sub(ia, ib))
    assert inside(x * y, iv.mul(ia, ib))


@given(box(), box())
def test_div(a, b) -> None:
    (ia, x), (ib, y) = a, b
    if ib.whole:
        assume(y == y.to_integral_value())
    result = iv.div(ia, ib)
    if y == 0:
        assert result.maybe_none or not result.has_value
        return
    assert inside(x / y, result)
    if ib.lo <= 0 <= ib.hi:
        assert result.maybe_none


@given(box(), box())
def test_min_max_and_compare(a, b) -> None:
    (ia, x), (ib, y) = a, b
    assert inside(min(x, y), iv.minimum([ia, ib]))
    assert inside(max(x, y), iv.maximum([ia, ib]))
    for op, holds in (("<", x < y), ("<=", x <= y), (">", x > y), (">=", x >= y), ("=", x == y), ("!=", x != y)):
        assert inside(Decimal(int(holds)), iv.compare(op, ia, ib)), op


@given(box(), st.sampled_from([Decimal(0), Decimal("0.5"), Decimal("1.5")]))
def test_clamp_and_round(a, cap) -> None:
    ia, x = a
    assert inside(min(max(x, Decimal(0)), cap), iv.clamp(ia, Decimal(0), cap))
    assert inside(x.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), iv.round_to(ia, 1))


def _table(graduated: bool, values) -> TableDef:
    edges = [None, Decimal("0.7"), Decimal("0.9"), Decimal(1), Decimal("1.2"), None]
    bands = tuple(Band(low=lo, high=hi, value=v, span=SPAN) for lo, hi, v in zip(edges, edges[1:], values))
    return TableDef(name="t", label=None, graduated=graduated, bands=bands, key_unit=Unit.NUMBER,
                    value_unit=Unit.NUMBER, span=SPAN, name_span=SPAN)


values = st.lists(st.decimals(min_value=-2, max_value=2, places=2), min_size=5, max_size=5)


@given(box(), values)
def test_step_table(a, vals) -> None:
    ia, x = a
    table = _table(False, vals)
    exact = next(b.value for b in table.bands if (b.low is None or b.low <= x) and (b.high is None or x < b.high))
    assert inside(exact, iv.step_lookup(table, ia))


@given(box(), values, st.one_of(st.none(), st.decimals(min_value="0.5", max_value=1000, places=2)))
def test_graduated_table(a, vals, base) -> None:
    ia, x = a
    table = _table(True, [abs(v) for v in vals])
    exact = iv._graduated_point(table, max(x, Decimal(0)), base)
    result = iv.graduated(table, ia, None if base is None else iv.point(base))
    assert inside(exact, result)


def test_a_whole_divisor_keeps_away_from_zero() -> None:
    calls = iv.Interval(Decimal(0), iv.INF, whole=True)
    meetings = iv.Interval(Decimal(0), Decimal(50))
    ratio = iv.div(meetings, calls)
    assert (ratio.lo, ratio.hi) == (0, 50) and ratio.maybe_none


def test_a_capped_ratio_is_bounded_by_its_cap() -> None:
    ratio = iv.div(iv.Interval(Decimal(0), iv.INF), iv.Interval(Decimal(0), iv.INF, whole=True))
    assert iv.clamp(iv.div(ratio, iv.point(Decimal("0.08"))), Decimal(0), Decimal("1.5")).hi == Decimal("1.5")
