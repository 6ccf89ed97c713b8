"""What the proofs know of earlier periods (`previous`, `retained`, `churned`; see
`kpilang.compile.history`).

An earlier period's figure is history when this period is judged: nothing the person does now
moves it, so the proofs treat `previous(EXPR)` like a target, a value fixed for the person and
the period, anywhere in the range EXPR itself can take. A growth KPI (`revenue` against
`previous(revenue) * 120%`) is then judged like any KPI with a target: without a sale this
period its value is zero whatever the past was; a KPI that reads only the past
(`kpi k = previous(revenue)`) can be met without a sale, and KPL004 says so.

`retained(…)` counts clients who bought in both periods, so it reads this period's rows too: when
its condition requires a won deal, a month without a sale retains nobody. `churned(…)` grows when
sales stop, which is why a plan uses it with `lower is better`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kpilang.checks.intervals.aggregates import reads_only_sales
from kpilang.checks.intervals.arithmetic import INF, UNKNOWN, ZERO, Interval, point, replace
from kpilang.compile.history import history_key, is_previous, lookbacks
from kpilang.compile.program import MetricDef, Program, Unit
from kpilang.syntax import ast


def lookback_range(evaluation: Any, call: ast.Call) -> Interval:
    """The range of a `previous`/`retained`/`churned` call inside the interval evaluator."""
    if is_previous(call):
        return evaluation.values.get(history_key(call), UNKNOWN)
    if evaluation.aggregates is not None:
        # A witness month: its past is ours to choose, and the simplest one consistent with any
        # earlier figure the witness gives is a past whose deals name no client: nobody to keep
        # or to lose.
        return point(0)
    if call.func == "retained" and evaluation.without_sales and reads_only_sales(call):
        return point(0)
    return Interval(ZERO, INF, whole=True)


def grows_without_sales(metric: MetricDef) -> bool:
    """A metric of lost clients (`churned`) grows when sales stop: `kind result` or not, a month
    without a sale does not make it zero."""
    return any(isinstance(n, ast.Call) and n.func == "churned" for n in ast.walk(metric.expr))


def lookback_ranges(program: Program, engine: Any, ranges: dict[str, Interval]) -> dict[str, Interval]:
    """Every look-back of the plan over what its formula can give from the metrics' ranges,
    fixed for the person (it does not move with this period's rows)."""
    out = {}
    for key, call in lookbacks(program).items():
        value = engine.expression(call.args[0], ranges, "")
        out[key] = replace(value, varies=False, causes=())
    return out


_WITNESS = {Unit.COUNT: Decimal("10"), Unit.MONEY: Decimal("1000000"), Unit.DURATION: Decimal("600"),
            Unit.NUMBER: Decimal("0.5")}


def witness_lookbacks(program: Program) -> dict[str, Decimal]:
    """Ordinary earlier-period values for a witness: a past of the metric's own unit."""
    out = {}
    for key, call in lookbacks(program).items():
        expr = call.args[0]
        unit = program.metrics[expr.name].unit if isinstance(expr, ast.Name) and expr.name in program.metrics else None
        out[key] = _WITNESS.get(unit, Decimal(100))
    return out
