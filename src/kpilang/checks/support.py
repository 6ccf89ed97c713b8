"""Small questions about a program that several checks ask: where is the plan's name, what does
a formula read, how big is it."""

from __future__ import annotations

import re

from kpilang.compile.program import SCORE, Program
from kpilang.diagnostics import Span
from kpilang.messages import Figure
from kpilang.syntax import ast


def plan_name_span(program: Program) -> Span:
    """The plan's name in `plan NAME "label" {`, found in its first line."""
    plan = program.plan
    span = plan.span
    lines = program.sources.get(span.file, "").splitlines()
    if 1 <= span.line <= len(lines):
        line = lines[span.line - 1]
        match = re.compile(r"plan\s+(" + re.escape(plan.name) + r")(?!\w)").search(line, span.column - 1)
        if match is not None:
            at = match.start(1)
            return Span(file=span.file, line=span.line, column=at + 1, end_line=span.line,
                        end_column=at + 1 + len(plan.name))
    return Span(file=span.file, line=span.line, column=span.column, end_line=span.line, end_column=span.column + 4)


def declared_names(program: Program) -> list[tuple[str, Span]]:
    """Every name the plan declares (metrics, KPIs, tables, pays) with the span of its name."""
    groups = (program.metrics, program.kpis, program.tables, program.pays)
    return [(name, decl.name_span) for group in groups for name, decl in group.items()]


def formula_size(expr: ast.Expr) -> tuple[int, int]:
    """(depth, length): the deepest nesting of operations (`a * (b + c)` has depth 3) and the
    number of operations and operands, in one pass."""
    kids = ast.children(expr)
    if not kids:
        return 1, 1
    sizes = [formula_size(k) for k in kids]
    return 1 + max(d for d, _ in sizes), 1 + sum(n for _, n in sizes)


def pays_reaching_kpis(program: Program) -> dict[str, set[str]]:
    """Pay → the KPIs it depends on, directly, through the score or through other pays."""
    out: dict[str, set[str]] = {}
    for name in program.pays:
        reach = program.reaches(name)
        kpis = {k for k in program.kpis if k in reach}
        if SCORE in reach:
            kpis |= set(program.kpis)
        out[name] = kpis
    return out


def percent_text(value) -> Figure:
    """A fraction as a percent with every digit, said the reader's way (`12.5%`, `12,5%`)."""
    text = format((value * 100).normalize(), "f")
    return Figure(f"{text}%")


def source_text(sources: dict[str, str], span: Span) -> str:
    """The text a span covers (its first line only), for messages."""
    lines = sources.get(span.file, "").splitlines()
    if not 1 <= span.line <= len(lines):
        return ""
    line = lines[span.line - 1]
    end = span.end_column - 1 if span.end_line == span.line else len(line)
    return line[span.column - 1:end].strip()


def table_calls(program: Program, table: str):
    """Every call of a table in KPIs and pays: (owner, call node)."""
    owners = [(n, [d.expr, d.target]) for n, d in program.kpis.items()]
    owners += [(n, [e for e in (d.expr, d.cap, d.floor) if e is not None]) for n, d in program.pays.items()]
    for owner, exprs in owners:
        for expr in exprs:
            for node in ast.walk(expr):
                if isinstance(node, ast.Call) and node.func == table:
                    yield owner, node
