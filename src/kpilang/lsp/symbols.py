"""What stands at a place in a plan, and where each name is declared (in the plan or its imports).

The walk goes through every field of every node rather than naming the node types, so a node
added to the language (a new call, a new clause) is walked too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from kpilang.compile.names import AGGREGATES
from kpilang.compile.program import aggregate_table
from kpilang.diagnostics import Span
from kpilang.lsp.positions import contains
from kpilang.syntax import ast

Declared = ast.Metric | ast.Kpi | ast.Table | ast.Pay
_SPANS = ("span", "func_span")


@dataclass(frozen=True)
class Reference:
    kind: Literal["name", "function", "table", "column", "import"]
    name: str
    span: Span
    table: str | None = None
    """For a column: its table; for a name inside an aggregate's rows: the table aggregated."""


def declarations(modules: list[ast.Module]) -> dict[str, Declared]:
    """Every declared name, the first declaration of each (as the compiler keeps it)."""
    found: dict[str, Declared] = {}
    for module in modules:
        for item in module.items:
            if isinstance(item, Declared) and item.name.name not in found:
                found[item.name.name] = item
    return found


def reference_at(module: ast.Module, line: int, column: int) -> Reference | None:
    """The name, call, column, table or import at (line, column) of `module`, the innermost one."""
    for item in module.items:
        if not contains(item.span, line, column):
            continue
        if isinstance(item, ast.Import):
            return Reference("import", item.path, item.span)
        return _innermost(item, line, column, None)
    return None


def _innermost(node: Any, line: int, column: int, rows: str | None) -> Reference | None:
    if isinstance(node, list | tuple):
        for child in node:
            found = _innermost(child, line, column, rows)
            if found is not None:
                return found
        return None
    if not isinstance(node, BaseModel):
        return None
    span = getattr(node, "span", None)
    if isinstance(span, Span) and not contains(span, line, column):
        return None
    if isinstance(node, ast.Ident | ast.Name):
        return Reference("name", node.name, node.span, rows)
    if isinstance(node, ast.Dotted):
        if column < node.span.column + len(node.table) or node.span.line != node.span.end_line:
            end = node.span.column + len(node.table)
            return Reference("table", node.table, Span(file=node.span.file, line=node.span.line, column=node.span.column,
                                                       end_line=node.span.line, end_column=end))
        return Reference("column", node.column, node.span, node.table)
    if isinstance(node, ast.Call):
        if contains(node.func_span, line, column):
            return Reference("function", node.func, node.func_span)
        if node.func in AGGREGATES and node.args:
            try:
                rows = aggregate_table(node)
            except ValueError:
                pass
    for field in type(node).model_fields:
        if field in _SPANS:
            continue
        found = _innermost(getattr(node, field), line, column, rows)
        if found is not None:
            return found
    return None


def all_nodes(node: Any):
    """Every node inside `node` (a declaration: its formulas, clauses, bands, tests), itself first."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, list | tuple):
            stack.extend(reversed(current))
        elif isinstance(current, BaseModel):
            yield current
            stack.extend(reversed([getattr(current, f) for f in type(current).model_fields if f not in _SPANS]))
