"""A whole plan evaluated over intervals: metrics, salary and targets in, every KPI (attainment),
the score and every pay out, each formula run by the interval rules of `arithmetic.py`.

Arithmetic runs at the evaluator's precision (34 significant digits), so a bound is exact up to
the last of those digits; a claim that rests on that last digit is settled by the witness.
"""

from __future__ import annotations

import functools
from decimal import ROUND_HALF_EVEN, Context, localcontext
from typing import Any

from kpilang.checks.intervals.aggregates import aggregate_range, empty_aggregate, is_aggregate, reads_only_sales
from kpilang.checks.intervals.arithmetic import (
    ONE, UNKNOWN, UNKNOWN_BOOL, ZERO, Interval, NoValueCause, add, all_of, any_of, clamp, compare, div, hull, maximum,
    minimum, mul, neg, point, replace, round_to, sub,
)
from kpilang.checks.intervals.tables import graduated, step_lookup
from kpilang.compile.history import is_history
from kpilang.compile.members import is_member_aggregate
from kpilang.compile.program import SALARY, SCORE, KpiDef, PayDef, Program
from kpilang.evaluate.numbers import PRECISION, score_of, wide_contribution
from kpilang.messages import Text, t
from kpilang.syntax import ast

_CONTEXT = Context(prec=PRECISION, rounding=ROUND_HALF_EVEN)
"""The evaluator's precision, so that a single-point evaluation gives the evaluator's figure."""


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
        return all_of(a, b) if e.op == "and" else any_of(a, b)

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
