"""The plan's own text under a span: a formula as its author wrote it, a band as written (for its
`%`), the `targets.NAME` an error points at. Statements quote the plan, so this reads the
sources the program keeps rather than printing the syntax tree back."""

from __future__ import annotations

from typing import Any

from kpilang.compile.program import Program
from kpilang.syntax import ast


def span_text(sources: dict[str, str], span: Any) -> str:
    """The text a span covers; the lines of a span over several lines joined by one space."""
    lines = sources.get(span.file, "").splitlines()
    if not lines or span.line > len(lines):
        return ""
    if span.line == span.end_line:
        return lines[span.line - 1][span.column - 1:span.end_column - 1]
    parts = [lines[span.line - 1][span.column - 1:]]
    parts += lines[span.line:span.end_line - 1]
    parts.append(lines[span.end_line - 1][:span.end_column - 1])
    return " ".join(parts)


def formula_source(program: Program, expr: ast.Expr) -> str:
    """A formula as written, on one line: runs of white space (line breaks too) made one space."""
    return " ".join(span_text(program.sources, expr.span).split())
