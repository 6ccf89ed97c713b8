"""What it would take: the smallest change of one controllable metric that lifts a person into the
next band of a table (the multiplier, usually).

Nothing is estimated: every candidate value is run through the plan's own formulas
(`FormulaEngine.evaluate`) and the band of the new look-up is read off the result. Counts move in
whole units, money in the currency's minor unit (a kopeck), durations in seconds, other numbers
in steps of 0.0001. The search doubles the change until the band is reached, then bisects between
the last miss and the first hit, so the answer is the smallest step count that reaches it (for a
formula that grows with the metric, which is what a plan pays for). A metric whose effect stops
growing before the band is reached (a KPI cap, a `min`) is reported as unable to reach it alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kpilang.checks.controllability import Controllability
from kpilang.compile.program import Program, Unit
from kpilang.evaluate.formulas import FormulaEngine, PersonInputs
from kpilang.evaluate.numbers import decimal_context, minor_unit
from kpilang.evaluate.results import PersonOutcome, TableHit
from kpilang.evaluate.aggregate_plan import is_aggregate

MAX_DOUBLINGS = 48
"""2^48 steps (2.8e14 units): far beyond any sales figure, so "unreachable" means a cap, not a bound."""

NUMBER_STEP = Decimal("0.0001")


@dataclass(frozen=True)
class Change:
    metric: str
    delta: Decimal
    value: Decimal
    """The metric's value after the change."""
    outcome: PersonOutcome


@dataclass(frozen=True)
class Reach:
    """The next band of one table look-up and the single-metric changes that reach it."""

    hit: TableHit
    next_low: Decimal
    next_value: Decimal | None
    """The value (or rate) of the band above; None if the table has no band starting there."""
    changes: list[Change]
    unreachable: list[str]


class ReachFinder:
    """Searches, for one program, the changes that lift a person into the next band."""

    def __init__(self, program: Program, engine: FormulaEngine):
        self.program = program
        self.engine = engine
        currency = program.plan.currency if program.plan is not None else None
        self.money_step = minor_unit(currency)
        feeds = set()
        for name, metric in program.metrics.items():
            if not is_aggregate(metric.expr):
                feeds |= {d for d in program.depends_on.get(name, ()) if d in program.metrics}
        # A metric another metric is computed from cannot be changed alone without recomputing the
        # other from data the statement does not have; it is left out rather than half-changed.
        self.feeds = feeds
        self.control = Controllability(program)
        """Never suggest a metric the person cannot influence (the linter's judgement)."""
        self._reaches: dict[str, set[str]] = {}

    def candidates(self, subject: str, role: str | None, inputs: PersonInputs) -> list[str]:
        reached = self._reaches.get(subject)
        if reached is None:
            reached = self._reaches[subject] = self.program.reaches(subject)
        out = []
        for name, metric in self.program.metrics.items():
            if name not in reached or name in self.feeds:
                continue
            if self.control.uncontrollable_for(name, role):
                continue
            if inputs.metrics.get(name) is None:
                continue
            out.append(name)
        return out

    def step_of(self, name: str) -> Decimal:
        unit = self.program.metrics[name].unit
        if unit is Unit.COUNT or unit is Unit.DURATION:
            return Decimal(1)
        if unit is Unit.MONEY:
            return self.money_step
        return NUMBER_STEP

    def find(self, inputs: PersonInputs, outcome: PersonOutcome, role: str | None) -> list[Reach]:
        out = []
        for hit in outcome.table_hits:
            if hit.high is None:
                continue  # already in the top band
            table = self.program.tables[hit.table]
            goal = hit.high if hit.base is None else hit.high * hit.base
            next_value = next((b.value for b in table.bands if b.low == hit.high), None)
            changes, unreachable = [], []
            for name in self.candidates(hit.subject, role, inputs):
                change = self._search(inputs, hit, goal, name)
                if change is None:
                    unreachable.append(name)
                else:
                    changes.append(change)
            out.append(Reach(hit=hit, next_low=hit.high, next_value=next_value, changes=changes,
                             unreachable=unreachable))
        return out

    def top_band(self, outcome: PersonOutcome) -> list[TableHit]:
        return [hit for hit in outcome.table_hits if hit.high is None]

    # ---- search ----
    def _argument(self, inputs: PersonInputs, hit: TableHit, name: str, value: Decimal) -> tuple[Decimal | None, PersonOutcome]:
        changed = inputs.model_copy(update={"metrics": {**inputs.metrics, name: value}})
        outcome = self.engine.evaluate(changed, trace=False)
        for other in outcome.table_hits:
            if other.table == hit.table and other.subject == hit.subject and other.call == hit.call:
                return other.argument, outcome
        return None, outcome

    def _search(self, inputs: PersonInputs, hit: TableHit, goal: Decimal, name: str) -> Change | None:
        start = inputs.metrics[name]
        assert start is not None
        step = self.step_of(name)
        with decimal_context():
            found = self._grow(inputs, hit, goal, name, start, step)
            if found is None and start > 0:
                found = self._grow(inputs, hit, goal, name, start, -step, limit=int(start / step))
        return found

    def _grow(self, inputs: PersonInputs, hit: TableHit, goal: Decimal, name: str, start: Decimal, step: Decimal,
              limit: int | None = None) -> Change | None:
        """Smallest k ≥ 1 with the argument at start + k·step reaching `goal`, or None."""

        def reaches(k: int) -> tuple[bool, Decimal | None, PersonOutcome]:
            arg, outcome = self._argument(inputs, hit, name, start + k * step)
            # reached, and the figure the table serves is computed (an unrelated error elsewhere,
            # already the person's, does not hide the way to this band)
            return (arg is not None and arg >= goal and outcome.error_for(hit.subject) is None), arg, outcome

        previous_arg = hit.argument
        low, high = 0, None
        hit_outcome: PersonOutcome | None = None
        k = 1
        for _ in range(MAX_DOUBLINGS):
            if limit is not None and k > limit:
                k = limit
            ok, arg, outcome = reaches(k)
            if ok:
                high, hit_outcome = k, outcome
                break
            if arg is None or arg <= previous_arg:
                return None  # the argument stopped growing: a cap, or the metric works the other way
            if limit is not None and k == limit:
                return None
            previous_arg, low = arg, k
            k *= 2
        if high is None:
            return None
        while high - low > 1:
            middle = (low + high) // 2
            ok, _, outcome = reaches(middle)
            if ok:
                high, hit_outcome = middle, outcome
            else:
                low = middle
        assert hit_outcome is not None
        delta = high * step
        return Change(metric=name, delta=delta, value=start + delta, outcome=hit_outcome)
