"""The proofs several checks share: what a plan can do over every possible month of every person.

Inputs: every metric ranges over what its aggregate can give (a count is a whole number ≥ 0, a
sum of amounts is ≥ 0, a share lies in [0, 1]); `kind result` metrics are pinned to zero in the
"no sales" scenario. A person's salary, targets and manager columns are fixed for that person
but unknown to the linter: they range over every allowed value and are marked as not moving
with the metrics.

A claim that something *cannot* happen comes from the interval bounds (`intervals/`), which are
sound. A claim that something *can* happen always comes with a witness: a month of concrete rows
without a sale (`witness_rows.py`), whose metrics, evaluated exactly, make it happen, so its
metric values never contradict each other. The witness is found by a small deterministic search
over round counts of rows; if neither a proof nor a witness is found, the check says so instead
of guessing.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import Decimal

from kpilang.compile.members import reads_members
from kpilang.compile.program import SALARY, MetricDef, Program, Unit
from kpilang.checks.lookback import grows_without_sales, lookback_ranges, witness_lookbacks
from kpilang.checks.intervals.arithmetic import INF, NO_VALUE, ZERO, Interval, point, replace
from kpilang.checks.intervals.plan import PlanIntervals
from kpilang.checks.witness_rows import Month, MonthModel, build_model
from kpilang.messages import Figure
from kpilang.syntax import ast

BIG = Decimal("1E12")
"""A bound larger than any real month's figure, used where a finite but unknown value is needed."""
TINY = Decimal("1E-30")
"""Targets are positive: the smallest one the proofs consider."""

_ROW_COUNTS = (1000000, 10000, 1000, 100, 10, 1, 0)
"""How many rows of one kind a witness month holds, largest first."""
_RAY_SIZES = (10**6, 10**9, 10**12)
"""Rows added along a run of months that tests growth without bound."""
_VALUE_AGGREGATES = ("avg", "min", "max", "median")
"""Aggregates that grow through the size of the values, not through the number of rows."""
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
            # A team figure over members is bounded by the members' own plans, not by its `kind`;
            # a figure over earlier periods may grow without this period's sales (checks/lookback.py).
            pinned = (without_sales and is_result(metric) and not is_fixed(value)
                      and not reads_members(metric.expr) and not grows_without_sales(metric))
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
        out.update(lookback_ranges(self.program, self.engine, self.ranges))
        return out

    def _no_sales_inputs(self) -> dict[str, Interval]:
        return {**self.params, **self.fixed, **self._moving}

    # ---- witnesses ----
    @functools.cached_property
    def months(self) -> MonthModel | None:
        """The kinds of rows the plan's aggregates tell apart (None: the plan's conditions say
        something rows cannot show, and no witness is searched)."""
        return build_model(self.program, self.engine)

    def witness_params(self) -> dict[str, Decimal]:
        """Fixed, ordinary values for one person: a salary and a target per target name."""
        params = {SALARY: _WITNESS_SALARY}
        for name in self.program.target_names:
            params[f"targets.{name}"] = _WITNESS_TARGET.get(self._target_unit(name), Decimal(100))
        params.update(witness_lookbacks(self.program))
        return params

    def _target_unit(self, target: str) -> Unit:
        for kpi in self.program.kpis.values():
            if any(isinstance(n, ast.Dotted) and n.table == "targets" and n.column == target for n in ast.walk(kpi.target)):
                return kpi.unit
        return Unit.NUMBER

    def evaluate(self, metrics: dict[str, Decimal | None], params: dict[str, Decimal],
                 target: str | None = None) -> dict[str, Interval]:
        """Exact evaluation of the plan for one concrete person: every metric as `metrics` gives
        it (None: no value), as a month of rows gives them; with `target`, only what that figure
        needs."""
        inputs: dict[str, Interval] = {k: point(v) for k, v in params.items()}
        for column in self.program.manager_columns:
            inputs.setdefault(f"managers.{column}", Interval(-INF, INF))
        for name in self.program.metrics:
            value = metrics.get(name)
            inputs[name] = NO_VALUE if value is None else point(value, whole=self.ranges[name].whole)
        return self.engine.run(inputs, target)

    def sale_free_months(self, target: str) -> list[Month]:
        """The least active months without a sale the figure `target` can tell apart: no rows at
        all, then one row of a single kind, for each kind of row that moves it."""
        model = self.months
        if model is None:
            return []
        params = self.witness_params()
        found = [model.month({}, params)] + [model.month({i: 1}, params) for i in self._moving_kinds(target)]
        return [m for m in found if m is not None and model.without_results(m)]

    def search(self, target: str, goal: Callable[[Decimal], bool]) -> Month | None:
        """A month of rows without a sale in which the figure `target` (a pay or `kpi_score`) has
        a value that satisfies `goal`, with every metric's value in it; None if none was found.

        Only the kinds of rows that move what the figure reads are counted. First every one at
        a million rows, then coordinate ascent over 0, 1, 10, 100, 1,000, 10,000 and a million
        rows of each kind; once found, each count is brought down to the smallest that still
        satisfies the goal, so the witness shows only what matters, in numbers a person can check.
        """
        # A month in which every metric the figure reads has a value is the witness to show: its
        # values go straight into a `test` block. Only if there is none, a month where some
        # metric has no value (no leads, so no share of them) and the plan fills the gap.
        reach = self.program.reaches(target)
        can_have_value = [n for n in self.program.metrics if n in reach
                          and not (n in self.fixed and not self.fixed[n].has_value)]
        return self._search(target, goal, can_have_value) or self._search(target, goal, [])

    def _search(self, target: str, goal: Callable[[Decimal], bool], valued: list[str]) -> Month | None:
        """The search of `search`, among months in which every metric of `valued` has a value."""
        model = self.months
        if model is None:
            return None
        params = self.witness_params()
        kinds = self._moving_kinds(target)
        cache: dict[tuple[int, ...], tuple[Decimal | None, Month | None]] = {}

        def score(rows: dict[int, int]) -> Decimal | None:
            key = tuple(rows[i] for i in kinds)
            if key not in cache:
                month = model.month(rows, params)
                value = None
                if (month is not None and model.without_results(month)
                        and all(month.metrics[n] is not None for n in valued)):
                    figure = self.evaluate(month.metrics, params, target)[target]
                    value = figure.lo if figure.definite else None
                cache[key] = (value, month)
            return cache[key][0]

        current = {i: _ROW_COUNTS[0] for i in kinds}
        best = score(current)
        if best is None or not goal(best):
            for _ in range(3):
                improved = False
                for i in kinds:
                    for count in _ROW_COUNTS:
                        if count == current[i]:
                            continue
                        trial = {**current, i: count}
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
        # Bisect each count down to the smallest that still works (a count is kept only once
        # tested); again while that helps, since one count brought down can free another (a
        # million meetings were needed only while there were a million calls).
        for _ in range(3):
            before = current
            for i in kinds:
                lower = sorted(c for c in _ROW_COUNTS if c < current[i])
                low, high = 0, len(lower)
                while low < high:
                    mid = (low + high) // 2
                    got = score({**current, i: lower[mid]})
                    if got is not None and goal(got):
                        high = mid
                    else:
                        low = mid + 1
                if high < len(lower):
                    current = {**current, i: lower[high]}
            if current == before:
                break
        score(current)
        return cache[tuple(current[i] for i in kinds)][1]

    def grows_without_bound(self, figure: str, metric: str) -> bool | None:
        """Whether months of rows take the figure past any bound through `metric`: from a month
        with one row of every kind the figure reads, adding rows `metric` counts (of one kind,
        or of all its kinds together) by the million, the billion and the trillion raises the
        figure at least a hundredfold at each step, as nothing bounded does. False when no such
        run of months does (the bound the intervals missed comes from rows that move together,
        such as long calls that are calls too); None when rows cannot tell: the plan has no row
        model, or `metric` grows through the size of values (an average or a maximum) rather
        than through the number of rows."""
        model = self.months
        if model is None:
            return None
        keys = model.metric_calls[metric]
        if any(model.calls[key].func in _VALUE_AGGREGATES for key in keys):
            return None
        reach = self.program.reaches(figure) | {metric}
        read = {key for name in self.program.metrics if name in reach for key in model.metric_calls[name]}
        base = {i: 1 for i, kind in enumerate(model.kinds) if any(kind.counts.get(key) for key in read)}
        growing = [i for i, kind in enumerate(model.kinds) if any(kind.counts.get(key) for key in keys)]
        params = self.witness_params()
        for rays in [[i] for i in growing] + [growing]:
            values = []
            for size in _RAY_SIZES:
                month = model.month({**base, **dict.fromkeys(rays, size)}, params)
                figure_value = self.evaluate(month.metrics, params, figure)[figure] if month is not None else None
                values.append(figure_value.lo if figure_value is not None and figure_value.definite else None)
            if None in values or values[0] <= 0:
                continue
            if all(later >= 100 * earlier for earlier, later in zip(values, values[1:])):
                return True
        return False

    def _moving_kinds(self, target: str) -> list[int]:
        """The kinds of rows a month without a sale may hold that change a metric the figure
        reads: rows an aggregate of such a metric counts, and one row counted by none of them
        for each table whose share they take (it only makes the share smaller)."""
        model = self.months
        reach = self.program.reaches(target)
        keys = {key for name in self.program.metrics if name in reach for key in model.metric_calls[name]}
        kinds = [i for i in model.allowed if any(model.kinds[i].counts.get(key) for key in keys)]
        for key in keys:
            if model.calls[key].func != "share":
                continue
            table = model.tables[key]
            neutral = next((i for i in model.allowed if model.kinds[i].table == table and i not in kinds
                            and not model.kinds[i].counts[key]), None)
            if neutral is not None:
                kinds.append(neutral)
        return kinds

    def witness_text(self, metrics: dict[str, Decimal | None], target: str) -> dict[str, str]:
        """The witness as the JSON and message show it: the metrics `target` reads and every result
        metric, then the salary and targets it reads. A metric with no value in the month has
        nothing to show."""
        reach = self.program.reaches(target)
        out = {}
        for name, metric in self.program.metrics.items():
            if name not in reach and not is_result(metric):
                continue
            value = metrics.get(name)
            if value is not None:
                out[name] = _plain(value)
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


def percent(value: Decimal) -> Figure:
    """A fraction as a percent to two decimals, said the reader's way (`1.05%`, `1,05%`)."""
    if not value.is_finite():
        return Figure("∞%")
    if value.adjusted() >= 9:  # beyond any real attainment: only the size matters
        return Figure(f"{value * 100:.2E}%")
    return Figure(_plain((value * 100).quantize(Decimal("0.01")).normalize()) + "%")


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
