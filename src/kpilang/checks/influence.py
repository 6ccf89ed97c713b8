"""How a figure enters a KPI's attainment: the sign of its effect and the path it takes.

Two checks ask the same question of the compiled expression tree: KPL015 (does a metric the role
cannot influence *raise* the attainment, or only normalise something the manager does?) and KPL026
(does the attainment rise as sales fall?). Both follow every path from a KPI's attainment down to
the figure, through the KPIs it reads and into the formulas of metrics, and carry along:

- the **polarity** of the figure's effect on the attainment: +1 (more of it, higher attainment),
  -1 (more of it, lower attainment) or 0 (either way, or cannot tell: in a condition, a table that
  rises and falls, a product with a factor of unknown sign);
- the **path**: each formula it passes through and its place there (numerator, denominator, sum,
  the KPI itself), for the message;
- whether, on the way, it sits in a **denominator whose numerator reads a figure the caller counts
  as the manager's own** (`deals_won / leads_received`): then it is a normaliser.

The attainment is value / target (target / value with `lower is better`), clamped to [0, cap]:
the clamp keeps a monotone effect monotone, so the sign survives it, except for target / value
over a value written as a difference (which may be negative), where the effect has no sign, as for
any divisor written as one.
Metrics, KPIs, salary and targets are taken as not negative (counts, sums of amounts, shares and attainments are not; a
negative per-person target is refused by the targets' own check).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from kpilang.checks.intervals.aggregates import is_aggregate
from kpilang.compile.program import Program
from kpilang.diagnostics import Span
from kpilang.messages import Concat, Text, t
from kpilang.syntax import ast

Leaf = Callable[[ast.Expr, str], str | None]
"""Given a node and the formula it is in (a metric or KPI name), the key of the figure it stands
for (a metric's name, `managers.rating`), or None to look further down."""


Own = Callable[[str], bool]
"""Whether a metric is the manager's own doing, so that what divides it is a normaliser."""


@dataclass(frozen=True)
class Step:
    owner: str
    """The KPI or metric whose formula the figure passes through."""
    place: str
    """Where in that formula: `alone`, `numerator`, `denominator`, `sum`, `subtracted`, `product`,
    `negated`, `condition`, `table`, `branch`, `fallback`, `target`, `lower-is-better`."""


@dataclass(frozen=True)
class Entry:
    """One way a figure enters a KPI's attainment."""

    key: str
    polarity: int
    path: tuple[Step, ...]
    """From the figure up to the KPI."""
    normaliser: bool
    """In a denominator whose numerator reads a figure `own` accepts."""
    span: Span
    """Where the figure is read: the metric's name in a formula, the aggregate, the column."""


def entries(program: Program, kpi: str, leaf: Leaf, own: Own) -> list[Entry]:
    """Every way a figure `leaf` recognises enters the attainment of `kpi`. A numerator that
    reads a metric `own` accepts, or an aggregate `leaf` does not stand for, makes its
    denominator a normaliser."""
    return _Walker(program, leaf, own).kpi(kpi, 1, (), False, frozenset())


class _Walker:
    def __init__(self, program: Program, leaf: Leaf, own: Own):
        self.program = program
        self.leaf = leaf
        self.own = own

    def kpi(self, name: str, sign: int, above: tuple[Step, ...], norm: bool, seen: frozenset[str]) -> list[Entry]:
        if name in seen:  # pragma: no cover - the compiler refuses cycles
            return []
        kpi = self.program.kpis[name]
        seen = seen | {name}
        value_sign, target_sign = (-sign, sign) if kpi.lower_is_better else (sign, -sign)
        if kpi.lower_is_better and _may_cross_zero(kpi.expr):
            # target / value falls as a positive value grows but jumps from 0 (clamped) to the cap
            # as a negative one crosses zero: no sign holds for a value written as a difference
            value_sign = target_sign = 0
        value_place = "lower-is-better" if kpi.lower_is_better else None
        # value / target: the target normalises the value, and with `lower is better` the value is
        # the denominator of the target (no figure of the manager's there: a constant or a target)
        out = self.expr(kpi.expr, value_sign, name, above, norm, seen, place=value_place)
        out += self.expr(kpi.target, target_sign, name, above, norm or self._reads_own(kpi.expr, name), seen,
                         place="target")
        return out

    def expr(self, e: ast.Expr, sign: int, owner: str, above: tuple[Step, ...], norm: bool,
             seen: frozenset[str], place: str | None = None) -> list[Entry]:
        """Entries below `e`, which has polarity `sign` in the attainment; `place` names its
        position in `owner`'s formula if already known (None: it is the formula itself)."""
        key = self.leaf(e, owner)
        if key is not None:
            return [Entry(key, sign, (Step(owner, place or "alone"), *above), norm, e.span)]
        here = place or "alone"
        if isinstance(e, ast.Name):
            if e.name in self.program.kpis:
                return self.kpi(e.name, sign, (Step(owner, here), *above), norm, seen)
            if e.name in self.program.metrics and e.name not in seen:
                metric = self.program.metrics[e.name]
                return self.expr(metric.expr, sign, e.name, (Step(owner, here), *above), norm, seen | {e.name})
            return []
        if isinstance(e, ast.Binary):
            return self._binary(e, sign, owner, above, norm, seen, place)
        if isinstance(e, ast.Neg):
            return self.expr(e.operand, -sign, owner, above, norm, seen, "negated")
        if isinstance(e, ast.Otherwise):
            return (self.expr(e.expr, sign, owner, above, norm, seen, place)
                    + self.expr(e.fallback, sign, owner, above, norm, seen, "fallback"))
        if isinstance(e, ast.If):
            return (self.expr(e.cond, 0, owner, above, norm, seen, "condition")
                    + self.expr(e.then, sign, owner, above, norm, seen, "branch")
                    + self.expr(e.else_, sign, owner, above, norm, seen, "branch"))
        if isinstance(e, ast.Call):
            return self._call(e, sign, owner, above, norm, seen, place)
        # comparisons, `and`, `or`, `not`, `in`: a condition moves the value either way
        return [x for kid in ast.children(e) for x in self.expr(kid, 0, owner, above, norm, seen, "condition")]

    def _binary(self, e: ast.Binary, sign: int, owner, above, norm, seen, place) -> list[Entry]:
        if e.op == "+":
            return (self.expr(e.left, sign, owner, above, norm, seen, "sum")
                    + self.expr(e.right, sign, owner, above, norm, seen, "sum"))
        if e.op == "-":
            return (self.expr(e.left, sign, owner, above, norm, seen, "sum")
                    + self.expr(e.right, -sign, owner, above, norm, seen, "subtracted"))
        if e.op == "*":
            return (self.expr(e.left, sign * sign_of(self.program, e.right), owner, above, norm, seen, "product")
                    + self.expr(e.right, sign * sign_of(self.program, e.left), owner, above, norm, seen, "product"))
        # x / d falls as d grows on either side of zero but jumps where d crosses it: a divisor
        # written as a difference has no sign of effect
        divisor_sign = 0 if _may_cross_zero(e.right) else -sign * sign_of(self.program, e.left)
        return (self.expr(e.left, sign * sign_of(self.program, e.right), owner, above, norm, seen, "numerator")
                + self.expr(e.right, divisor_sign, owner, above,
                            norm or self._reads_own(e.left, owner), seen, "denominator"))

    def _call(self, e: ast.Call, sign: int, owner, above, norm, seen, place) -> list[Entry]:
        if e.func in _FORMULA_FUNCTIONS and not is_aggregate(e):
            args = e.args[:1] if e.func == "round" else e.args
            return [x for a in args for x in self.expr(a, sign, owner, above, norm, seen, place)]
        if e.func in self.program.tables:
            table_sign = _table_sign(self.program, e.func)
            first = self.expr(e.args[0], sign * table_sign, owner, above, norm, seen, "table")
            return first + [x for a in e.args[1:] for x in self.expr(a, 0, owner, above, norm, seen, "table")]
        # an aggregate: its rows, not a formula; a leaf may still stand for it as a whole
        return []

    def _reads_own(self, e: ast.Expr, owner: str) -> bool:
        for node in ast.walk(e):
            if isinstance(node, ast.Call) and is_aggregate(node) and self.leaf(node, owner) is None:
                return True  # rows of data inside a metric's formula that no leaf stands for
            if isinstance(node, ast.Name):
                reach = self.program.reaches(node.name) | {node.name}
                if any(n in self.program.metrics and self.own(n) for n in reach):
                    return True
        return False


_FORMULA_FUNCTIONS = ("min", "max", "round")


def path_text(program: Program, entry: Entry) -> Text | Concat:
    """`leads_in → kpi leads_kpi (numerator)`: the figure, then each formula it passes through
    with its place there; a metric that is the figure itself is not repeated."""
    parts: list = [f"`{entry.key}`"]
    for step in entry.path:
        if step.owner == entry.key and step.place == "alone":
            continue
        kind = "kpi" if step.owner in program.kpis else "metric"
        parts += [" → ", t(f"KPL015.step.{kind}", name=step.owner, place=t(f"KPL015.place.{step.place}"))]
    return Concat(tuple(parts))


def sign_of(program: Program, e: ast.Expr) -> int:
    """+1 if `e` is never negative, -1 if never positive, 0 if it may be either (or cannot tell)."""
    if isinstance(e, ast.Num | ast.Percent):
        return (e.value > 0) - (e.value < 0)
    if isinstance(e, ast.Duration):
        return 1 if e.seconds > 0 else 0
    if isinstance(e, ast.Name):
        return 1 if program.kind_of(e.name) in ("metric", "kpi", "score", "salary", "pay") else 0
    if isinstance(e, ast.Dotted):
        return 1 if e.table == "targets" else 0
    if isinstance(e, ast.Neg):
        return -sign_of(program, e.operand)
    if isinstance(e, ast.Binary):
        left, right = sign_of(program, e.left), sign_of(program, e.right)
        if e.op in ("*", "/"):
            return left * right
        if e.op == "+":
            return left if left == right else 0
        return left if right == -left else 0
    if isinstance(e, ast.Otherwise):
        a, b = sign_of(program, e.expr), sign_of(program, e.fallback)
        return a if a == b or b == 0 and _is_zero(e.fallback) else 0
    if isinstance(e, ast.Call) and e.func in program.tables:
        values = [b.value for b in program.tables[e.func].bands]
        return 1 if all(v >= 0 for v in values) else -1 if all(v <= 0 for v in values) else 0
    if isinstance(e, ast.Call) and e.func in _FORMULA_FUNCTIONS:
        signs = {sign_of(program, a) for a in (e.args[:1] if e.func == "round" else e.args)}
        return signs.pop() if len(signs) == 1 else 0
    return 0


def _may_cross_zero(e: ast.Expr) -> bool:
    """Whether `e` is written with a subtraction or a minus sign outside the rows of an aggregate,
    so that it may be negative where its figures are not (`won - lost`, `-x`)."""
    if isinstance(e, ast.Neg) or isinstance(e, ast.Binary) and e.op == "-":
        return True
    if isinstance(e, ast.Call) and is_aggregate(e):
        return False
    return any(_may_cross_zero(kid) for kid in ast.children(e))


def _is_zero(e: ast.Expr) -> bool:
    return isinstance(e, ast.Num | ast.Percent) and e.value == 0


def _table_sign(program: Program, table: str) -> int:
    """+1 if the table's values never fall as its argument grows, -1 if they never rise, else 0."""
    values = [b.value for b in sorted(program.tables[table].bands, key=_band_order)]
    rising = all(a <= b for a, b in zip(values, values[1:]))
    falling = all(a >= b for a, b in zip(values, values[1:]))
    return 1 if rising else -1 if falling else 0


def _band_order(band):
    return band.low if band.low is not None else Decimal("-Infinity")
