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
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, localcontext
from typing import Any, NamedTuple

from kpilang import schema
from kpilang.compile.members import is_member_aggregate
from kpilang.compile.history import is_history
from kpilang.compile.program import SALARY, SCORE, KpiDef, PayDef, Program, TableDef, aggregate_table
from kpilang.diagnostics import Span
from kpilang.evaluate.numbers import PRECISION, score_of, wide_contribution
from kpilang.syntax import ast
from kpilang.messages import Text, t

_CONTEXT = Context(prec=PRECISION, rounding=ROUND_HALF_EVEN)
"""The evaluator's precision, so that a single-point evaluation gives the evaluator's figure."""

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


# ---- tables --------------------------------------------------------------------------------------


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


# ---- aggregates ----------------------------------------------------------------------------------

AGGREGATES = ("count", "count_distinct", "sum", "avg", "min", "max", "median", "share")


def is_aggregate(call: ast.Call) -> bool:
    """An aggregate over a table's rows, not the `min`/`max` of formulas that share its name."""
    return call.func in AGGREGATES and (call.where is not None or len(call.args) == 1)


SOLD = "won"
"""The deal stage that is a sale: a month without a single sale has no deal in it."""


def reads_only_sales(call: ast.Call) -> bool:
    """Whether an aggregate's rows can only be won deals: its condition requires `stage = "won"`
    (alone, in an `and`, or on both sides of an `or`). In a month without a single sale such an
    aggregate has no rows at all."""
    return aggregate_table(call) == "deals" and call.where is not None and _requires_sale(call.where)


def _requires_sale(cond: ast.Expr) -> bool:
    if isinstance(cond, ast.Logic):
        left, right = _requires_sale(cond.left), _requires_sale(cond.right)
        return (left or right) if cond.op == "and" else (left and right)
    if isinstance(cond, ast.Compare) and cond.op == "=":
        return (_is_stage(cond.left) and _is_sold(cond.right)) or (_is_stage(cond.right) and _is_sold(cond.left))
    if isinstance(cond, ast.InList):
        return _is_stage(cond.operand) and bool(cond.items) and all(_is_sold(i) for i in cond.items)
    return False


def _is_stage(e: ast.Expr) -> bool:
    return (isinstance(e, ast.Name) and e.name == "stage") or (
        isinstance(e, ast.Dotted) and e.table == "deals" and e.column == "stage")


def _is_sold(e: ast.Expr) -> bool:
    return isinstance(e, ast.Str) and e.value == SOLD


def empty_aggregate(call: ast.Call) -> Interval:
    """An aggregate over no rows: a count or a sum is zero, anything else has no value. A share
    is no row of the table's rows: 0 when the table has rows the condition leaves out (lost
    deals, in a month without a won one), no value when it has none."""
    if call.func in ("count", "count_distinct", "sum"):
        return point(0)
    if call.func == "share":
        return point(0)._replace(maybe_none=True)
    return NO_VALUE


def aggregate_range(call: ast.Call) -> Interval:
    """What an aggregate over one person's rows of a period can give."""
    if call.func in ("count", "count_distinct"):
        return Interval(ZERO, INF, whole=True)
    if call.func == "share":
        return Interval(ZERO, ONE, maybe_none=True)
    arg = call.args[0]
    column = schema.TABLES[arg.table].column(arg.column) if isinstance(arg, ast.Dotted) and arg.table in schema.TABLES else None
    never_negative = column is not None and column.type in (schema.MONEY, schema.DURATION)  # the loader rejects negatives
    low = ZERO if never_negative else -INF
    return Interval(low, INF, maybe_none=call.func != "sum")


# ---- the plan ------------------------------------------------------------------------------------


def value_key(kpi: str) -> str:
    """Where `run` keeps a KPI's value (its attainment is under the KPI's own name)."""
    return f"{kpi}#value"


def target_key(kpi: str) -> str:
    return f"{kpi}#target"


class PlanIntervals:
    """Evaluates a whole program over intervals: metrics, salary and targets in, every KPI
    (attainment), the score and every pay out."""

    def __init__(self, program: Program):
        self.program = program
        self.minor_digits = _minor_digits(program.plan.currency) if program.plan else 2
        self._orders: dict[str, tuple[str, ...]] = {}
        self.member_proofs: dict[int, Any] = {}
        """A team plan's members' plans' proofs, by id of the plan (`member_ranges.py`)."""

    def run(self, inputs: dict[str, Interval], target: str | None = None) -> dict[str, Interval]:
        """`inputs` gives every metric (by name), `salary`, `targets.NAME` and `managers.COLUMN`;
        with `target`, only that figure and what it depends on are evaluated."""
        with localcontext(_CONTEXT):
            return self._run(inputs, target)

    def _run(self, inputs: dict[str, Interval], target: str | None) -> dict[str, Interval]:
        values = dict(inputs)
        p = self.program
        order = p.order if target is None else self._order_for(target)
        for name in order:
            if name in p.metrics:
                if name not in values:
                    values[name] = UNKNOWN
            elif name in p.kpis:
                kpi = p.kpis[name]
                value = _Eval(self, values, name).eval(kpi.expr)
                target = _Eval(self, values, name).eval(kpi.target)
                values[value_key(name)], values[target_key(name)] = value, target
                values[name] = self._attain(kpi, value, target)
            elif name == SCORE:
                values[name] = self.score(values)
            elif name in p.pays:
                values[name] = self.pay(p.pays[name], values)
        return values

    def _order_for(self, target: str) -> tuple[str, ...]:
        if target not in self._orders:
            needed = self.program.reaches(target) | {target}
            self._orders[target] = tuple(n for n in self.program.order if n in needed)
        return self._orders[target]

    @staticmethod
    def _attain(kpi: KpiDef, value: Interval, target: Interval) -> Interval:
        ratio = div(target, value) if kpi.lower_is_better else div(value, target)
        return clamp(ratio, ZERO, kpi.cap)

    def score(self, values: dict[str, Interval]) -> Interval:
        exact = self._point_score(values)
        if exact is not None:
            return exact
        total = point(0)
        for name, kpi in self.program.kpis.items():
            total = add(total, mul(point(kpi.weight), values[name]))
        return total

    def _point_score(self, values: dict[str, Interval]) -> Interval | None:
        """For one concrete person, the score exactly as the engine computes it (its contributions
        to 60 digits from each KPI's value and target, added and rounded once); None over ranges."""
        wide = []
        for name, kpi in self.program.kpis.items():
            attainment, value, target = values[name], values[value_key(name)], values[target_key(name)]
            if not (attainment.definite and value.definite and target.definite):
                return None
            dividend, divisor = (target.lo, value.lo) if kpi.lower_is_better else (value.lo, target.lo)
            clamped = attainment.lo != dividend / divisor
            wide.append(wide_contribution(kpi.weight, dividend, divisor, attainment.lo, clamped))
        return point(score_of(wide))

    def pay(self, pay: PayDef, values: dict[str, Interval]) -> Interval:
        amount = _Eval(self, values, pay.name).eval(pay.expr)
        if pay.cap is not None:
            amount = minimum([amount, _Eval(self, values, pay.name).eval(pay.cap)])
        if pay.floor is not None:
            amount = maximum([amount, _Eval(self, values, pay.name).eval(pay.floor)])
        return round_to(amount, self.minor_digits)

    def expression(self, expr: ast.Expr, values: dict[str, Interval], owner: str,
                   without_sales: bool = False, aggregates: dict[int, Interval] | None = None) -> Interval:
        """`expr` over `values`; `without_sales`: in a month without a single won deal, so an
        aggregate that reads only won deals has no rows. `aggregates` gives aggregate calls
        their values (by the id of the call's node), as a month of concrete rows does."""
        with localcontext(_CONTEXT):
            return _Eval(self, values, owner, without_sales, aggregates).eval(expr)


def _metric_gap(metric) -> Text:
    expr = metric.expr
    func = expr.func if isinstance(expr, ast.Call) else None
    if func in ("avg", "min", "max", "median", "share"):
        if is_member_aggregate(expr):
            return t("KPL020.members-gap", name=metric.name, func=func)
        return t("KPL020.aggregate-gap", name=metric.name, func=func)
    return t("KPL020.metric-gap", name=metric.name)


@functools.cache
def _minor_digits(currency: str) -> int:
    from babel.numbers import get_currency_precision

    return get_currency_precision(currency)


class _Eval:
    def __init__(self, plan: PlanIntervals, values: dict[str, Interval], owner: str,
                 without_sales: bool = False, aggregates: dict[int, Interval] | None = None):
        self.plan = plan
        self.values = values
        self.owner = owner
        self.without_sales = without_sales
        self.aggregates = aggregates

    def eval(self, e: ast.Expr) -> Interval:
        return _DISPATCH[e.node](self, e)

    def _num(self, e: ast.Num) -> Interval:
        return point(e.value)

    def _percent(self, e: ast.Percent) -> Interval:
        return point(e.value, whole=False)

    def _duration(self, e: ast.Duration) -> Interval:
        return point(e.seconds)

    def _bool(self, e: ast.Bool) -> Interval:
        return point(1 if e.value else 0)

    def _str(self, e) -> Interval:
        return UNKNOWN

    def _date(self, e) -> Interval:
        return UNKNOWN

    def _name(self, e: ast.Name) -> Interval:
        value = self.values.get(e.name)
        if value is None:
            return UNKNOWN
        program = self.plan.program
        if e.name in program.kpis or e.name == SCORE or e.name in program.pays:
            # an empty KPI or pay is reported where it is declared, not again where it is read
            return replace(value, causes=())
        if e.name in program.metrics and value.maybe_none and not value.causes:
            return replace(value, causes=(NoValueCause(self.owner, e.span, _metric_gap(program.metrics[e.name])),))
        return value

    def _dotted(self, e: ast.Dotted) -> Interval:
        if e.table == "managers" and e.column == SALARY:  # the same figure as `salary`
            return self.values.get(SALARY, UNKNOWN)
        return self.values.get(f"{e.table}.{e.column}", UNKNOWN)

    def _neg(self, e: ast.Neg) -> Interval:
        return neg(self.eval(e.operand))

    def _not(self, e: ast.Not) -> Interval:
        v = self.eval(e.operand)
        return replace(v, lo=ONE - v.hi, hi=ONE - v.lo)

    def _binary(self, e: ast.Binary) -> Interval:
        a, b = self.eval(e.left), self.eval(e.right)
        if e.op == "+":
            return add(a, b)
        if e.op == "-":
            return sub(a, b)
        if e.op == "*":
            return mul(a, b)
        return div(a, b, NoValueCause(self.owner, e.span, "division"))

    def _compare(self, e: ast.Compare) -> Interval:
        return compare(e.op, self.eval(e.left), self.eval(e.right))

    def _logic(self, e: ast.Logic) -> Interval:
        a, b = self.eval(e.left), self.eval(e.right)
        if e.op == "and":
            return _merge(a, b, min(a.lo, b.lo), min(a.hi, b.hi), True)
        return _merge(a, b, max(a.lo, b.lo), max(a.hi, b.hi), True)

    def _in(self, e: ast.InList) -> Interval:
        operand = self.eval(e.operand)
        items = [self.eval(i) for i in e.items]
        if operand.is_point and all(i.is_point for i in items):
            return point(1 if any(i.lo == operand.lo for i in items) else 0)
        return replace(UNKNOWN_BOOL, maybe_none=operand.maybe_none, causes=operand.causes)

    def _if(self, e: ast.If) -> Interval:
        cond = self.eval(e.cond)
        if not cond.has_value:
            return cond
        if cond.lo == 1:
            result = self.eval(e.then)
        elif cond.hi == 0:
            result = self.eval(e.else_)
        else:
            result = hull(self.eval(e.then), self.eval(e.else_))
            result = replace(result, varies=result.varies or (cond.varies and not result.is_point))
        if cond.maybe_none:
            result = replace(result, maybe_none=True, causes=cond.causes + result.causes)
        return result

    def _otherwise(self, e: ast.Otherwise) -> Interval:
        value = self.eval(e.expr)
        if not value.maybe_none:
            return value
        fallback = self.eval(e.fallback)
        if not value.has_value:
            return fallback
        merged = hull(replace(value, maybe_none=False, causes=()), fallback)
        return replace(merged, maybe_none=fallback.maybe_none, causes=fallback.causes,
                       varies=merged.varies or (value.varies and not merged.is_point))

    def _call(self, e: ast.Call) -> Interval:
        if is_history(e):  # earlier periods: checks/lookback.py, which builds on this module
            from kpilang.checks.lookback import lookback_range
            return lookback_range(self, e)
        if is_member_aggregate(e):
            from kpilang.checks.member_ranges import member_aggregate_range  # it reads the members' proofs

            return member_aggregate_range(self.plan, e, self.without_sales)
        if is_aggregate(e):
            if self.aggregates is not None:
                return self.aggregates[id(e)]
            if self.without_sales and reads_only_sales(e):
                return empty_aggregate(e)
            return aggregate_range(e)
        program = self.plan.program
        if e.func in program.tables:
            table = program.tables[e.func]
            args = [self.eval(a) for a in e.args]
            if table.graduated:
                return graduated(table, args[0], args[1] if len(args) > 1 else None)
            return step_lookup(table, args[0])
        args = [self.eval(a) for a in e.args]
        if e.func == "min":
            return minimum(args)
        if e.func == "max":
            return maximum(args)
        if e.func == "round":
            return round_to(args[0], int(e.args[1].value))
        return UNKNOWN  # pragma: no cover - the compiler admits no other call outside metrics


_DISPATCH = {name[1:]: method for name, method in vars(_Eval).items() if name.startswith("_") and not name.startswith("__")
             and name not in ("_Eval",)}
