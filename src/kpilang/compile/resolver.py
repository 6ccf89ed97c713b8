"""What the compiler's passes and `Typer` know of the compiler: a `NameResolver` (the declarations,
their units, where to record what a formula needs, where to report a problem, and how to compile a
metric or table early). None of them imports the compiler, so the compiler can import them all.
"""

from __future__ import annotations

from typing import Protocol

from kpilang.compile.members import MemberSpace
from kpilang.compile.program import MetricDef, TableDef, Unit
from kpilang.diagnostics import Note, Span
from kpilang.messages import Text
from kpilang.syntax import ast


class NameResolver(Protocol):
    """What `Typer` and the compiler's passes ask of the compiler: the declarations, their units,
    and where to record what a formula needs and report what is wrong."""

    decls: dict[str, ast.Metric | ast.Kpi | ast.Table | ast.Pay]
    units: dict[str, Unit]
    deps: dict[str, set[str]]
    target_names: set[str]
    manager_columns: set[str]
    data_needs: dict[str, set[str]]
    table_calls: dict[str, list[ast.Call]]
    members: MemberSpace | None

    def error(self, code: str, name: str, message: Text, span: Span, help: Text | None = None,
              notes: tuple[Note, ...] = ()) -> None: ...

    def compile_metric(self, node: ast.Metric) -> MetricDef | None: ...

    def compile_table(self, node: ast.Table) -> TableDef | None: ...
