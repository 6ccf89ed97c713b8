"""kpilang's own controllability model: what a role cannot influence, known from the data alone.

A metric is uncontrollable when its author says so (`uncontrollable [for ROLE, …]`). When the
author says nothing, this model decides from what the data model knows: the five tables, the
plan's roles and its `scope`. Its rules, one per row of `INTAKE_RULES` and the two constants
after it, are documented on the KPL015 page; an author who knows better overrules the model for
one metric with `controllable "REASON"`, and the reason is shown wherever the model would have
spoken.

- **What arrives, not what is done with it.** Counting the leads or chats a person *receives*
  (the rows, however they are split by where they came from) measures marketing's work for the
  roles that receive them. A condition on a column the manager fills in (`status`,
  `first_response_at`, `duration`, an extra column) makes it the manager's work again.
- **What a supervisor types in.** A `managers` column other than `salary` is typed in by hand
  (KPL008 says so too): it is not the manager's doing.
- **Other people's totals.** With `scope team` every metric sums the whole team: that is a head
  of sales' result, not a rank-and-file manager's (KPL025 reports it once, at `scope`).
- **The team's members.** An aggregate over a team plan's members (`share(members where
  kpi_score >= 100%)`) is what a head of sales answers for: no intake rule reads it, so it is
  controllable for a head; in a team plan of anyone else `scope team` already says otherwise.

Role names are the plan's own words; the model knows the roles of `rules/` (cold, inbound,
account, chat, head) and says nothing about any other role.
"""

from __future__ import annotations

from dataclasses import dataclass

from kpilang.compile.history import PREVIOUS, history_key, is_previous
from kpilang.compile.program import SALARY, MetricDef, Program, aggregate_table
from kpilang.checks.intervals.aggregates import is_aggregate
from kpilang.diagnostics import Span
from kpilang.syntax import ast

HEAD_ROLES = frozenset({"head"})
"""The roles of heads of sales, whose results are their team's (`scope team`)."""

MANUAL_TABLE = "managers"
"""The table typed in by hand; of its columns, only `salary` is a fixed term of the contract."""


@dataclass(frozen=True)
class IntakeRule:
    """A count of rows a role receives rather than makes."""

    key: str
    """Names the rule in messages (`controllability.rule.KEY`)."""
    table: str
    arrival_columns: frozenset[str]
    """Columns that say only that a row arrived, when and from where; a condition on any other
    column is about what the manager did with it."""
    roles: frozenset[str]
    """For whom these rows are someone else's doing."""
    type_values: frozenset[str] | None = None
    """For `activities`: the `type`s that are received (a chat), not made (a call)."""


INTAKE_RULES = (
    IntakeRule("leads-received", "leads", frozenset({"id", "manager_id", "created_at", "source"}),
               frozenset({"inbound", "chat", "head"})),
    IntakeRule("chats-received", "activities", frozenset({"id", "manager_id", "started_at", "type"}),
               frozenset({"inbound", "chat", "head"}), type_values=frozenset({"chat"})),
)

_COUNTING = ("count", "count_distinct", "share")
"""Aggregates that measure how many rows arrived (a share of them: the mix marketing brings)."""


def is_head(role: str) -> bool:
    return role in HEAD_ROLES


def not_heads(roles: tuple[str, ...]) -> list[str]:
    """The roles a `scope team` does not suit: everyone who is not a head of sales."""
    return [r for r in roles if not is_head(r)]


def intake_rule(call: ast.Call) -> IntakeRule | None:
    """The rule an aggregate falls under: it counts rows of a received kind, with a condition (if
    any) only on columns that say where and when they arrived."""
    if call.func not in _COUNTING or not is_aggregate(call):
        return None
    table = aggregate_table(call)
    arg = call.args[0] if call.args else None
    for rule in INTAKE_RULES:
        if rule.table != table:
            continue
        columns = _columns(call.where, table) if call.where is not None else set()
        if isinstance(arg, ast.Dotted):
            columns.add(arg.column)
        if not columns <= rule.arrival_columns:
            continue
        if rule.type_values is not None and not _types_within(call.where, rule.type_values):
            continue
        return rule
    return None


def _columns(cond: ast.Expr, table: str) -> set[str]:
    out = set()
    for node in ast.walk(cond):
        if isinstance(node, ast.Dotted) and node.table == table:
            out.add(node.column)
        elif isinstance(node, ast.Name):
            out.add(node.name)  # a bare column in `where`
    return out


def _types_within(cond: ast.Expr | None, allowed: frozenset[str]) -> bool:
    """Whether the condition keeps only rows whose `type` is among `allowed`: `type = "chat"`,
    alone or in an `and`, or `type in ["chat"]`."""
    if cond is None:
        return False
    if isinstance(cond, ast.Logic):
        if cond.op == "and":
            return _types_within(cond.left, allowed) or _types_within(cond.right, allowed)
        return _types_within(cond.left, allowed) and _types_within(cond.right, allowed)
    if isinstance(cond, ast.Compare) and cond.op == "=":
        pairs = ((cond.left, cond.right), (cond.right, cond.left))
        return any(_is_type(a) and isinstance(b, ast.Str) and b.value in allowed for a, b in pairs)
    if isinstance(cond, ast.InList):
        return _is_type(cond.operand) and bool(cond.items) and all(
            isinstance(i, ast.Str) and i.value in allowed for i in cond.items)
    return False


def _is_type(e: ast.Expr) -> bool:
    return (isinstance(e, ast.Name) and e.name == "type") or (isinstance(e, ast.Dotted) and e.column == "type")


@dataclass(frozen=True)
class Source:
    """A figure the plan's role cannot influence: a metric, or a hand-typed `managers` column."""

    key: str
    why: str
    """`declared` (the author's `uncontrollable`), an intake rule's key, or `typed-in`."""
    roles: tuple[str, ...]
    """The plan's roles it is uncontrollable for."""
    span: Span | None
    """Where the reason is written: the `uncontrollable` clause, the aggregate; None for a column."""
    overruled: str | None = None
    """The author's reason for `controllable "REASON"`: the model spoke, the author overruled it."""


class Controllability:
    """What the plan's roles cannot influence, by the author's word or by the model."""

    def __init__(self, program: Program):
        self.program = program
        self.roles = program.plan.roles if program.plan is not None else ()
        self.team_scope_roles = tuple(not_heads(self.roles)) if program.plan is not None and program.plan.scope == "team" else ()
        """The roles for whom every metric is other people's total (`scope team`); KPL025 says it."""
        self.metrics: dict[str, Source] = {}
        for name, metric in program.metrics.items():
            source = self._metric(metric)
            if source is not None:
                self.metrics[name] = source

    def _metric(self, metric: MetricDef) -> Source | None:
        if metric.uncontrollable_for is not None:
            roles = tuple(r for r in self.roles if metric.uncontrollable_for_role(r))
            span = metric.clause_spans.get("uncontrollable", metric.name_span)
            return Source(metric.name, "declared", roles, span) if roles else None
        for call in aggregates(metric.expr):
            rule = intake_rule(call)
            roles = tuple(r for r in self.roles if rule is not None and r in rule.roles)
            if roles:
                return Source(metric.name, rule.key, roles, call.span, overruled=metric.controllable_because)
        return None

    def uncontrollable(self, name: str) -> bool:
        """Whether a metric is someone else's doing for the plan's roles (an overruled one is not)."""
        source = self.metrics.get(name)
        return source is not None and source.overruled is None

    def uncontrollable_for(self, name: str, role: str | None) -> bool:
        """Whether a metric is beyond a person of `role` (None: of some role of the plan), by the
        author's word or by the model: what a statement marks and never suggests changing."""
        metric = self.program.metrics[name]
        if role in self.team_scope_roles or (role is None and self.team_scope_roles):
            return True
        if metric.uncontrollable_for is not None:
            return metric.uncontrollable_for_role(role) if role else True
        source = self.metrics.get(name)
        if source is None or source.overruled is not None:
            return False
        return role in source.roles if role else bool(source.roles)

    def overruled(self, name: str, role: str | None) -> str | None:
        """The author's reason where the model would call a metric uncontrollable for `role`."""
        source = self.metrics.get(name)
        if source is None or source.overruled is None or (role and role not in source.roles):
            return None
        return source.overruled

    def own(self, name: str) -> bool:
        """Whether a metric measures the manager's own work: what divides it is a normaliser."""
        return name in self.program.metrics and not self.uncontrollable(name)

    def leaf(self, node: ast.Expr, owner: str) -> str | None:
        """The source `node` stands for in `owner`'s formula (see `influence.Leaf`), overruled
        ones included: the check says those were overruled, and why."""
        if isinstance(node, ast.Name) and node.name in self.metrics and self.metrics[node.name].why == "declared":
            return node.name
        if isinstance(node, ast.Call) and owner in self.metrics and self.metrics[owner].why != "declared":
            rule = intake_rule(node)
            if rule is not None and rule.roles.intersection(self.roles):
                return owner
        if isinstance(node, ast.Dotted) and node.table == MANUAL_TABLE and node.column != SALARY:
            return f"{MANUAL_TABLE}.{node.column}"
        if is_previous(node):  # an earlier period's figure: nothing done now changes it
            return history_key(node)
        return None

    def source(self, key: str) -> Source:
        if key in self.metrics:
            return self.metrics[key]
        if key.startswith(PREVIOUS + "("):
            return Source(key, "past", self.roles, None)
        return Source(key, "typed-in", self.roles, None)


def aggregates(expr: ast.Expr):
    """The aggregate calls in a metric's formula."""
    for node in ast.walk(expr):
        if isinstance(node, ast.Call) and is_aggregate(node):
            yield node
