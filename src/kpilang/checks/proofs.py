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
from decimal import Decimal

from kpilang.compile.program import SALARY, MetricDef, Program, Unit
from kpilang.checks.intervals import INF, NO_VALUE, ZERO, Interval, PlanIntervals, point, replace
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


def metric_ranges(program: Program, engine: PlanIntervals, without_sales: bool = False) -> dict[str, Interval]:
    """Every value each metric can take for one person and period: its formula over the ranges
    of its aggregates (a count is a whole number ≥ 0, a sum of amounts ≥ 0, a share in [0, 1];
    an average, minimum, maximum, median or share can have no value).

    `without_sales`: in a month without a single sale (no won deal), where an aggregate that
    reads only won deals has no rows (a count or sum of them is 0, an average has no value), and
    a `kind result` metric that still could move is zero by the plan's word."""
    ranges: dict[str, Interval] = {}
    for name in program.order:
        if name in program.metrics:
            metric = program.metrics[name]
            value = replace(engine.expression(metric.expr, ranges, name, without_sales), causes=(), varies=False)
            pinned = without_sales and is_result(metric) and not is_fixed(value)
            ranges[name] = point(0) if pinned else value
    return ranges


def is_result(metric: MetricDef) -> bool:
    return metric.kind == "result"


def is_fixed(value: Interval) -> bool:
    """A metric that no activity can move: one value, or never a value."""
    return not value.has_value or value.lo == value.hi


def fixed_value(value: Interval) -> Interval:
    """A fixed metric as a concrete evaluation takes it. A zero that may also have no value
    (no won deals over no leads) is taken as zero: the month with some leads."""
    return NO_VALUE if not value.has_value else point(value.lo)


class PlanProofs:
    """The analyses of one program, computed once and shared by the checks that need them."""

    def __init__(self, program: Program):
        self.program = program
        self.engine = PlanIntervals(program)
        self.ranges = metric_ranges(program, self.engine)
        self.without_sales = metric_ranges(program, self.engine, without_sales=True)
        """Every metric's range in a month without a single sale."""
        self.fixed = {n: fixed_value(v) for n, v in self.without_sales.items() if is_fixed(v)}
        """The metrics no activity can move without a sale, at their one value (or no value)."""
        self._moving = {n: replace(v, varies=True) for n, v in self.without_sales.items() if not is_fixed(v)}
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
        return {**self.params, **self.fixed, **self._moving}

    def free_metrics(self) -> list[str]:
        """The metrics activity can still move in a month without a single sale."""
        return [n for n in self.program.metrics if n not in self.fixed]

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

    def evaluate(self, metrics: dict[str, Decimal], params: dict[str, Decimal],
                 target: str | None = None, without_sales: bool = False) -> dict[str, Interval]:
        """Exact evaluation of the plan for one concrete person (every input a single point);
        with `target`, only what that figure needs. Metrics not given are zero. `without_sales`:
        in a month without a single sale, where the metrics no activity can move take their one
        value (or none), whatever `metrics` says of them."""
        inputs: dict[str, Interval] = {k: point(v) for k, v in params.items()}
        for column in self.program.manager_columns:
            inputs.setdefault(f"managers.{column}", Interval(-INF, INF))
        for name in self.program.metrics:
            fixed = self.fixed.get(name) if without_sales else None
            inputs[name] = fixed if fixed is not None else point(metrics.get(name, ZERO), whole=self.ranges[name].whole)
        return self.engine.run(inputs, target)

    def search(self, target: str, goal: Callable[[Decimal], bool]) -> dict[str, Decimal] | None:
        """Concrete metric values (results at zero) for which the figure `target` (a pay or
        `kpi_score`) has a value that satisfies `goal`, or None if none was found.

        Only the free metrics the figure depends on are varied. First every one at its largest
        round value, then coordinate ascent over round candidates; once found, each metric is
        brought down to the smallest candidate that still satisfies the goal, so the witness
        shows only what matters, in numbers a person can check.
        """
        params = self.witness_params()
        reach = self.program.reaches(target)
        free = [n for n in self.free_metrics() if n in reach]
        choices = {n: self._candidates(n) for n in free}
        current = {n: ZERO for n in self.program.metrics}
        for n in free:
            current[n] = choices[n][0]

        def score(assign: dict[str, Decimal]) -> Decimal | None:
            value = self.evaluate(assign, params, target, without_sales=True)[target]
            return value.lo if value.definite else None

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
        for n in free:  # bisect for the smallest candidate that still works (a value is kept only once tested)
            lower = sorted(v for v in choices[n] if v < current[n])
            low, high = 0, len(lower)
            while low < high:
                mid = (low + high) // 2
                got = score({**current, n: lower[mid]})
                if got is not None and goal(got):
                    high = mid
                else:
                    low = mid + 1
            if high < len(lower):
                current = {**current, n: lower[high]}
        return current

    def smallest_positive(self, metric: str) -> Decimal:
        """The smallest round value above zero a metric can take (zero if it can take no other)."""
        positive = [v for v in self._candidates(metric) if v > 0]
        return min(positive) if positive else ZERO

    def _candidates(self, metric: str) -> list[Decimal]:
        r = self.ranges[metric]
        values = [Decimal(v) for v in _CANDIDATES.get(self.program.metrics[metric].unit, _CANDIDATES[Unit.NUMBER])]
        return [v for v in values if r.lo <= v <= r.hi] or [max(r.lo, ZERO)]

    def witness_text(self, metrics: dict[str, Decimal], target: str) -> dict[str, str]:
        """The witness as the JSON and message show it: the metrics `target` reads and every result
        metric (at zero), then the salary and targets it reads. Metrics left out are zero."""
        reach = self.program.reaches(target)
        out = {}
        for name, metric in self.program.metrics.items():
            if name not in reach and not is_result(metric):
                continue
            fixed = self.fixed.get(name)
            if fixed is None:
                out[name] = _plain(metrics.get(name, ZERO))
            elif fixed.has_value:  # a metric with no value without sales has nothing to show
                out[name] = _plain(fixed.lo)
        for key, value in self.witness_params().items():
            if key in reach:
                out[key] = _plain(value)
        return out


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def shown(witness: dict[str, str], limit: int = 8) -> str:
    items = [f"{k} = {v}" for k, v in witness.items()]
    return ", ".join(items[:limit]) + (", …" if len(items) > limit else "")


def percent(value: Decimal) -> str:
    if not value.is_finite():
        return "∞%"
    if value.adjusted() >= 9:  # beyond any real attainment: only the size matters
        return f"{value * 100:.2E}%"
    return _plain((value * 100).quantize(Decimal("0.01")).normalize()) + "%"


def proofs(ctx) -> PlanProofs:
    return ctx.cached("proofs", lambda: PlanProofs(ctx.program))


def bounded_run(proofs_: PlanProofs, unbounded: tuple[str, ...] = ()) -> dict[str, Interval]:
    """The plan with every input held within ±BIG, except the metrics `unbounded`, which may grow
    without limit: a value that becomes infinite grows with those metrics alone."""
    inputs: dict[str, Interval] = {}
    for key, r in proofs_.params.items():
        inputs[key] = replace(r, hi=min(r.hi, BIG))
    for name, r in proofs_.ranges.items():
        bounded = replace(r, lo=max(r.lo, -BIG), hi=min(r.hi, BIG))
        inputs[name] = replace(r, varies=True) if name in unbounded else bounded
    return proofs_.engine.run(inputs)
