"""The proofs several checks share: what a plan can do over every possible month of every person.

Inputs: every metric ranges over what its aggregate can give (a count is a whole number ≥ 0, a
sum of amounts is ≥ 0, a share lies in [0, 1]); `kind result` metrics are pinned to zero in the
"no sales" scenario. A person's salary, targets and manager columns are fixed for that person
but unknown to the linter: they range over every allowed value and are marked as not moving
with the metrics.

A claim that something *cannot* happen comes from the interval bounds (`intervals.py`), which are
sound. A claim that something *can* happen always comes with a witness: concrete metric values,
evaluated exactly, that make it happen. The witness is found by a small deterministic search over
round values; if neither a proof nor a witness is found, the check says so instead of guessing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from kpilang.compile.program import SALARY, SCORE, MetricDef, Program, Unit
from kpilang.checks.intervals import INF, ZERO, Interval, PlanIntervals, point
from kpilang.syntax import ast

BIG = Decimal("1E12")
"""A bound larger than any real month's figure, used where a finite but unknown value is needed."""
TINY = Decimal("1E-30")
"""Targets are positive: the smallest one the proofs consider."""

_CANDIDATES = {
    Unit.COUNT: ("1000000", "10000", "1000", "100", "10", "1", "0"),
    Unit.MONEY: ("100000000", "1000000", "10000", "100", "0"),
    Unit.DURATION: ("86400", "3600", "600", "60", "1", "0"),
    Unit.NUMBER: ("1000000", "1000", "1", "0.5", "0.1", "0"),
}
_WITNESS_SALARY = Decimal("100000")
_WITNESS_TARGET = {Unit.COUNT: Decimal("100"), Unit.MONEY: Decimal("1000000"), Unit.DURATION: Decimal("600"),
                   Unit.NUMBER: Decimal("0.5")}


def metric_range(metric: MetricDef) -> Interval:
    """Every value a metric's aggregate can take for one person and period (its outermost call)."""
    expr = metric.expr
    maybe_none = False
    while isinstance(expr, ast.Otherwise):
        expr = expr.expr
    if isinstance(expr, ast.Call) and expr.func in ("count", "count_distinct"):
        return Interval(ZERO, INF, whole=True)
    if isinstance(expr, ast.Call) and expr.func == "share":
        return Interval(ZERO, Decimal(1), maybe_none=not isinstance(metric.expr, ast.Otherwise))
    if isinstance(expr, ast.Call) and expr.func in ("sum", "avg", "min", "max", "median"):
        maybe_none = expr.func != "sum" and not isinstance(metric.expr, ast.Otherwise)
        arg = expr.args[0] if expr.args else None
        if isinstance(arg, ast.Dotted) and metric.unit in (Unit.MONEY, Unit.DURATION) and arg.column in ("amount", "duration", "salary"):
            return Interval(ZERO, INF, maybe_none=maybe_none)  # amounts and durations are never negative
        return Interval(-INF, INF, maybe_none=maybe_none)
    return Interval(-INF, INF, maybe_none=True)


def is_result(metric: MetricDef) -> bool:
    return metric.kind == "result"


class PlanProofs:
    """The analyses of one program, computed once and shared by the checks that need them."""

    def __init__(self, program: Program):
        self.program = program
        self.engine = PlanIntervals(program)
        self.ranges = {n: metric_range(m) for n, m in program.metrics.items()}
        self.params = self._param_ranges()
        self.free = self.engine.run({**self.params, **{n: replace(r, varies=True) for n, r in self.ranges.items()}})
        self.no_sales = self.engine.run(self._no_sales_inputs())

    # ---- inputs ----
    def _param_ranges(self) -> dict[str, Interval]:
        out = {SALARY: Interval(ZERO, INF)}
        for name in self.program.target_names:
            out[f"targets.{name}"] = Interval(TINY, INF)
        for column in self.program.manager_columns:
            if column != SALARY:
                out[f"managers.{column}"] = Interval(-INF, INF)
        return out

    def _no_sales_inputs(self) -> dict[str, Interval]:
        inputs = dict(self.params)
        for name, metric in self.program.metrics.items():
            inputs[name] = point(0) if is_result(metric) else replace(self.ranges[name], varies=True)
        return inputs

    def free_metrics(self) -> list[str]:
        return [n for n, m in self.program.metrics.items() if not is_result(m)]

    # ---- witnesses ----
    def witness_params(self) -> dict[str, Decimal]:
        """Fixed, ordinary values for one person: a salary and a target per target name."""
        params = {SALARY: _WITNESS_SALARY}
        for name in self.program.target_names:
            params[f"targets.{name}"] = _WITNESS_TARGET.get(self._target_unit(name), Decimal(100))
        return params

    def _target_unit(self, target: str) -> Unit:
        for kpi in self.program.kpis.values():
            if any(isinstance(n, ast.Dotted) and n.table == "targets" and n.column == target for n in ast.walk(kpi.target)):
                return kpi.unit
        return Unit.NUMBER

    def evaluate(self, metrics: dict[str, Decimal], params: dict[str, Decimal]) -> dict[str, Interval]:
        """Exact evaluation of the plan for one concrete person (every input a single point)."""
        inputs: dict[str, Interval] = {k: point(v) for k, v in params.items()}
        for column in self.program.manager_columns:
            inputs.setdefault(f"managers.{column}", Interval(-INF, INF))
        for name in self.program.metrics:
            inputs[name] = point(metrics.get(name, ZERO), whole=self.ranges[name].whole)
        return self.engine.run(inputs)

    def search(self, objective: Callable[[dict[str, Interval]], Decimal | None],
               goal: Callable[[Decimal], bool]) -> dict[str, Decimal] | None:
        """Concrete metric values (results at zero) that make `goal(objective(…))` true, or None.

        Coordinate ascent over round candidate values, then every metric that can be zero is set
        to zero so that the witness shows only what matters.
        """
        params = self.witness_params()
        free = self.free_metrics()
        choices = {n: self._candidates(n) for n in free}
        current = {n: ZERO for n in self.program.metrics}
        for n in free:
            current[n] = choices[n][0]

        def score(assign: dict[str, Decimal]) -> Decimal | None:
            return objective(self.evaluate(assign, params))

        best = score(current)
        if best is None or not goal(best):
            for _ in range(3):
                improved = False
                for n in free:
                    for value in choices[n]:
                        if value == current[n]:
                            continue
                        trial = {**current, n: value}
                        got = score(trial)
                        if got is not None and (best is None or got > best):
                            current, best, improved = trial, got, True
                            if goal(best):
                                break
                    if best is not None and goal(best):
                        break
                if not improved or (best is not None and goal(best)):
                    break
        if best is None or not goal(best):
            return None
        for n in free:  # the smallest round values that still make the claim: a witness a person can read
            for value in sorted(choices[n]):
                if value >= current[n]:
                    break
                trial = {**current, n: value}
                got = score(trial)
                if got is not None and goal(got):
                    current = trial
                    break
        return current

    def _candidates(self, metric: str) -> list[Decimal]:
        r = self.ranges[metric]
        values = [Decimal(v) for v in _CANDIDATES.get(self.program.metrics[metric].unit, _CANDIDATES[Unit.NUMBER])]
        return [v for v in values if r.lo <= v <= r.hi] or [max(r.lo, ZERO)]

    def witness_text(self, metrics: dict[str, Decimal]) -> dict[str, str]:
        """The witness as the JSON and message show it: every metric, then salary and targets."""
        out = {n: _plain(metrics.get(n, ZERO)) for n in self.program.metrics}
        for key, value in self.witness_params().items():
            if key == SALARY and SALARY not in self._read_names():
                continue
            out[key] = _plain(value)
        return out

    def _read_names(self) -> set[str]:
        names: set[str] = set()
        for deps in self.program.depends_on.values():
            names.update(deps)
        return names


def score_objective(values: dict[str, Interval]) -> Decimal | None:
    score = values.get(SCORE)
    return score.lo if score is not None and score.definite else None


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def shown(witness: dict[str, str], limit: int = 8) -> str:
    items = [f"{k} = {v}" for k, v in witness.items()]
    return ", ".join(items[:limit]) + (", …" if len(items) > limit else "")


def percent(value: Decimal) -> str:
    return _plain((value * 100).quantize(Decimal("0.01")).normalize()) + "%"


def proofs(ctx) -> PlanProofs:
    return ctx.cached("proofs", lambda: PlanProofs(ctx.program))


def bounded_run(proofs_: PlanProofs, unbounded: str | None = None) -> dict[str, Interval]:
    """The plan with every input held within ±BIG, except the metric `unbounded` (if given),
    which may grow without limit: a value that becomes infinite grows with that metric alone."""
    inputs: dict[str, Interval] = {}
    for key, r in proofs_.params.items():
        inputs[key] = replace(r, hi=min(r.hi, BIG))
    for name, r in proofs_.ranges.items():
        bounded = replace(r, lo=max(r.lo, -BIG), hi=min(r.hi, BIG))
        inputs[name] = replace(r, varies=True) if name == unbounded else bounded
    return proofs_.engine.run(inputs)
