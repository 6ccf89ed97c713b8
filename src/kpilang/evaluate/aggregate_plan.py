"""The aggregates a plan reads from data rows: each distinct `count(…)`, `sum(…)`, `avg(…)`,
`min(…)`, `max(…)`, `median(…)`, `count_distinct(…)` or `share(…)` call of its metrics, once,
with a short key, by table. sql.py turns them into queries; rowwise.py computes the ones with a
division row by row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from kpilang.compile.members import is_member_aggregate
from kpilang.compile.program import Program, aggregate_table, row_table
from kpilang.syntax import ast

AGGREGATE_FUNCTIONS = ("count", "sum", "avg", "min", "max", "median", "count_distinct", "share")


@dataclass(frozen=True)
class Aggregate:
    """One distinct aggregate call of a program (identical calls in several metrics share one)."""

    key: str
    """A short SQL-safe name for its columns, such as `a3`."""
    func: str
    table: str
    arg: Any
    """The row expression (None for count and share)."""
    where: Any
    text: str
    """The canonical form of the call, for `AggregatePlan.key_of`."""

    @property
    def rowwise(self) -> bool:
        """Whether the value must be computed row by row in Python (see the module's doc)."""
        return self.arg is not None and any(
            isinstance(n, ast.Binary) and n.op == "/" for n in ast.walk(self.arg))


def canonical(call: ast.Call) -> str:
    return json.dumps(ast.strip_spans(call), sort_keys=True, default=str, ensure_ascii=False)


@dataclass
class AggregatePlan:
    """Every aggregate a program needs, by table."""

    by_table: dict[str, list[Aggregate]] = field(default_factory=dict)
    _keys: dict[str, str] = field(default_factory=dict)
    _nodes: dict[int, tuple[ast.Call, str]] = field(default_factory=dict)
    """id(node) → (node, key) for the program's own nodes: looked up per person, so it must be
    cheap; the node is kept so that its id cannot be reused by another object."""

    def key_of(self, call: ast.Call) -> str:
        known = self._nodes.get(id(call))
        if known is not None and known[0] is call:
            return known[1]
        return self._keys[canonical(call)]

    @property
    def aggregates(self) -> list[Aggregate]:
        return [a for table in sorted(self.by_table) for a in self.by_table[table]]


def is_aggregate(node: Any) -> bool:
    """An aggregate over data rows (one over a team's members is `team.py`'s)."""
    return isinstance(node, ast.Call) and node.func in AGGREGATE_FUNCTIONS and len(node.args) == 1 and (
        node.func not in ("min", "max") or row_table(node.args[0]) is not None) and not is_member_aggregate(node)


def collect_aggregates(program: Program) -> AggregatePlan:
    """The aggregate calls in the program's metrics, deduplicated, in declaration order."""
    plan = AggregatePlan()
    for metric in program.metrics.values():
        for node in ast.walk(metric.expr):
            if not is_aggregate(node):
                continue
            text = canonical(node)
            if text in plan._keys:
                plan._nodes[id(node)] = (node, plan._keys[text])
                continue
            table = aggregate_table(node)
            key = f"a{len(plan._keys)}"
            plan._keys[text] = key
            plan._nodes[id(node)] = (node, key)
            arg = None if node.func in ("count", "share") else node.args[0]
            plan.by_table.setdefault(table, []).append(
                Aggregate(key=key, func=node.func, table=table, arg=arg, where=node.where, text=text))
    return plan
