"""The checked program: what every later stage (checks, evaluation, statements, change control)
reads. Expressions are the syntax tree's nodes; the compiler guarantees that every name in them
resolves (see `Program.kind_of`) and that units agree, so later stages never meet either problem.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from kpilang.diagnostics import Span
from kpilang.syntax import ast


class Unit(str, Enum):
    COUNT = "count"
    MONEY = "money"
    DURATION = "duration"
    NUMBER = "number"
    FLEX = "flex"
    """A plain literal (or `targets.NAME`): takes the unit its use requires."""
    BOOL = "bool"
    STRING = "string"
    DATE = "date"
    DATETIME = "datetime"
    ANY = "any"
    """An extra data column whose type is known only when the data is read."""


SCORE = "kpi_score"
SALARY = "salary"

Period = Literal["week", "month", "quarter"]
Strategy = Literal["growth", "retention", "scaling", "service"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class PlanInfo(_Frozen):
    name: str
    label: str | None
    roles: tuple[str, ...]
    period: Period
    effective: date
    timezone: str
    currency: str
    strategy: Strategy
    goal: str
    scope: Literal["person", "team"]
    span: Span
    field_spans: dict[str, Span]
    on_member_error: Literal["fail", "exclude"] = "fail"
    """A team plan's treatment of a member whose figures have an evaluation error: `fail` (the team
    figure is an error naming the member) or `exclude` (left out, and named in the statement)."""


class MetricDef(_Frozen):
    name: str
    label: str | None
    expr: ast.Expr
    kind: Literal["result", "activity", "quality"] | None
    uncontrollable_for: tuple[str, ...] | None
    """None: controllable; () : uncontrollable for every role; otherwise the roles named."""
    controllable_because: str | None = None
    """`controllable "REASON"`: the author overrules the built-in controllability model
    (`kpilang.checks.controllability`) for this metric, for the reason given."""
    unit: Unit
    tables: tuple[str, ...]
    """The data tables this metric aggregates."""
    span: Span
    name_span: Span
    clause_spans: dict[str, Span]

    def uncontrollable_for_role(self, role: str) -> bool:
        if self.uncontrollable_for is None:
            return False
        return not self.uncontrollable_for or role in self.uncontrollable_for


class KpiDef(_Frozen):
    name: str
    label: str | None
    expr: ast.Expr
    target: ast.Expr
    weight: Decimal
    cap: Decimal | None
    lower_is_better: bool
    unit: Unit
    """The unit of the KPI's value (and target); its attainment is a number."""
    span: Span
    name_span: Span
    clause_spans: dict[str, Span]


class Band(_Frozen):
    low: Decimal | None
    high: Decimal | None
    """Half-open: low ≤ s < high; None is unbounded."""
    value: Decimal
    span: Span


class TableDef(_Frozen):
    name: str
    label: str | None
    graduated: bool
    bands: tuple[Band, ...]
    key_unit: Unit
    value_unit: Unit
    span: Span
    name_span: Span


class PayDef(_Frozen):
    name: str
    label: str | None
    expr: ast.Expr
    cap: ast.Expr | None
    floor: ast.Expr | None
    span: Span
    name_span: Span
    clause_spans: dict[str, Span]


class TestValue(_Frozen):
    target: ast.Expr
    """A Name, a Dotted (`targets.revenue`, `managers.team`) or a table Call."""
    value: Decimal | str | bool
    span: Span


class TestDef(_Frozen):
    name: str
    given: tuple[TestValue, ...]
    expect: tuple[TestValue, ...]
    span: Span


DeclKind = Literal["metric", "kpi", "table", "pay", "score", "salary"]


class Program(_Frozen):
    """One compiled plan file (with its imports), or a plan-less library when `plan` is None."""

    file: str
    plan: PlanInfo | None
    metrics: dict[str, MetricDef]
    kpis: dict[str, KpiDef]
    tables: dict[str, TableDef]
    pays: dict[str, PayDef]
    tests: tuple[TestDef, ...]
    order: tuple[str, ...]
    """Metrics, KPIs, `kpi_score` and pays in an order where each comes after what it reads."""
    depends_on: dict[str, tuple[str, ...]]
    """Direct dependencies between declared names (and `kpi_score`, `salary`, `targets.X`,
    `managers.X`)."""
    data_needs: dict[str, tuple[str, ...]]
    """Data table → the columns the plan reads (beyond the required ones)."""
    target_names: tuple[str, ...]
    manager_columns: tuple[str, ...]
    sources: dict[str, str]
    files: tuple[str, ...]
    """The plan file first, then its imports."""
    member_plans: tuple["MemberPlan", ...] = ()
    """A team plan's `import members` plans, compiled, in the order imported (`compile.members`)."""

    def kind_of(self, name: str) -> DeclKind | None:
        if name in self.metrics:
            return "metric"
        if name in self.kpis:
            return "kpi"
        if name in self.tables:
            return "table"
        if name in self.pays:
            return "pay"
        if name == SCORE:
            return "score"
        if name == SALARY:
            return "salary"
        return None

    def label(self, name: str) -> str | None:
        for group in (self.metrics, self.kpis, self.tables, self.pays):
            if name in group:
                return group[name].label
        return None

    @property
    def final_pay(self) -> str | None:
        """The pay the others lead to: the last in dependency order (what a person is paid in
        the end, as statements, reports and comparisons name it); None without pays."""
        return next((n for n in reversed(self.order) if n in self.pays), None)

    def reaches(self, name: str) -> set[str]:
        """Everything `name` depends on, directly or through a chain."""
        seen: set[str] = set()
        stack = [name]
        while stack:
            for dep in self.depends_on.get(stack.pop(), ()):
                if dep not in seen:
                    seen.add(dep)
                    stack.append(dep)
        return seen

    def chain(self, start: str, goal: str) -> list[str] | None:
        """A dependency path from `start` to `goal` (both included), for messages."""
        stack: list[tuple[str, list[str]]] = [(start, [start])]
        seen = {start}
        while stack:
            node, path = stack.pop()
            if node == goal:
                return path
            for dep in self.depends_on.get(node, ()):
                if dep not in seen:
                    seen.add(dep)
                    stack.append((dep, path + [dep]))
        return None

    def dump_meaning(self) -> dict[str, Any]:
        """The program without layout, comments, labels, the goal's wording or declaration order,
        as plain JSON-ready data: the basis of the meaning fingerprint and the semantic diff.

        Two spellings of one number mean the same: `1_000` and `1000`, `0.50` and `0.5`, `50%` and
        `0.5`, `1m` and `60s` all dump alike (numbers as canonical decimal strings). The units the
        compiler derives are left out: they follow from the formulas, which are in. Roles are a
        set. A `controllable "REASON"` override is in, its reason's wording is not. The goal is a sentence for people, like a label: rewording it changes no figure."""
        plan = None
        if self.plan is not None:
            plan = {k: v for k, v in self.plan.model_dump(mode="json").items() if k not in _NOT_MEANING_PLAN}
            plan["roles"] = sorted(plan["roles"])
        meaning = {
            "plan": plan,
            "metrics": {n: _meaning(d) for n, d in sorted(self.metrics.items())},
            "kpis": {n: _meaning(d) for n, d in sorted(self.kpis.items())},
            "tables": {n: _meaning(d) for n, d in sorted(self.tables.items())},
            "pays": {n: _meaning(d) for n, d in sorted(self.pays.items())},
        }
        if plan is not None and plan.get("on_member_error") == "fail":
            del plan["on_member_error"]  # the default: absent, so older fingerprints stay as they were
        if self.member_plans:  # the team's plans decide the head's pay: their meaning is the head's
            meaning["members"] = sorted((m.program.dump_meaning() for m in self.member_plans),
                                        key=lambda m: sorted(m["plan"]["roles"]))
        return meaning


class MemberPlan(_Frozen):
    """A plan a team plan's members are paid by: `import members "cold_sales.kpi"`."""

    file: str
    """The file as the reader would write it."""
    span: Span
    """The `import members` line."""
    program: Program


Program.model_rebuild()

_NOT_MEANING_PLAN = ("span", "field_spans", "label", "goal")
_NOT_MEANING = ("span", "name_span", "clause_spans", "func_span", "label", "unit", "key_unit", "value_unit", "text", "node")


def row_table(arg: Any) -> str | None:
    """The one table a row expression (`deals.amount`, `deals.amount * 2`) reads, or None."""
    tables = {n.table for n in ast.walk(arg) if isinstance(n, ast.Dotted)}
    return next(iter(tables)) if len(tables) == 1 else None


def aggregate_table(call: ast.Call) -> str:
    """The table a compiled aggregate reads: `count(deals where …)`, `sum(deals.amount …)`."""
    arg = call.args[0]
    if isinstance(arg, ast.Name):
        return arg.name
    table = row_table(arg)
    if table is None:  # pragma: no cover - the compiler guarantees one table per aggregate
        raise ValueError(f"aggregate {call.func} reads no single table")
    return table


def canonical_decimal(value: Decimal) -> str:
    """One spelling per number: no exponent, no trailing zeros, no negative zero."""
    if value == 0:
        return "0"
    return format(value.normalize(), "f")


def _meaning(value: Any) -> Any:
    if isinstance(value, ast.Num | ast.Percent):  # `50%` is the number 0.5, written for people
        return {"__type__": "Num", "value": canonical_decimal(value.value)}
    if isinstance(value, BaseModel):
        out: dict[str, Any] = {"__type__": type(value).__name__} if isinstance(value, ast.Node) else {}
        for key in type(value).model_fields:
            if key not in _NOT_MEANING:
                out[key] = _meaning(getattr(value, key))
        if out.get("uncontrollable_for"):  # a set of roles: `for a, b` is `for b, a`
            out["uncontrollable_for"] = sorted(out["uncontrollable_for"])
        if "controllable_because" in out:
            # Overruling the controllability model is meaning; the reason's wording, like a
            # label, is not. Absent when not overruled, so older fingerprints stay as they were.
            if out["controllable_because"] is None:
                del out["controllable_because"]
            else:
                out["controllable_because"] = True
        return out
    if isinstance(value, list | tuple):
        return [_meaning(v) for v in value]
    if isinstance(value, Decimal):
        return canonical_decimal(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value
