"""How deep a formula nests: checked once, right after parsing, so that every later stage is safe.

The parser reads a formula of any depth (its LALR loop keeps its own stack), but the stages after
it walk formulas recursively (the compiler, the checks, the formatter, explain), and the evaluator
turns every level into nested parentheses of generated Python source, whose own parser stops at
200 of them. So a formula may nest at most `MAX_NESTING` operations one inside another (`a + b + c`
is two: the language reads it as `(a + b) + c`); a deeper one is an error at the formula, and no
stage ever meets it. `tests/compile/test_deep_expressions.py` sends the deepest accepted formulas
of every shape through every command.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kpilang.diagnostics import Diagnostic, Severity
from kpilang.messages import t
from kpilang.syntax import ast

MAX_NESTING = 80
"""The most operations (`+`, `*`, a comparison, `and`, `not`, `-x`, `if`, `otherwise`, a call) a
formula may hold one inside another: a sum of up to 81 terms, 80 `if`s in a chain. The evaluator
writes at most two parentheses per level, well under Python's 200."""

_OPERATIONS = frozenset({ast.Neg, ast.Not, ast.Binary, ast.Compare, ast.Logic, ast.InList, ast.If, ast.Otherwise,
                         ast.Call})
"""The nodes that are operations (their operands are `ast.children`); any other node (a literal, a
name) is none, and a call is one even without arguments."""


def nesting(expr: Any) -> int:
    """How many operations the deepest part of `expr` sits inside (itself included), counted
    without recursion: the formula may be far deeper than Python's own stack allows."""
    operations, children = _OPERATIONS, ast.children
    if type(expr) not in operations:
        return 0
    deepest = 0
    stack = [(expr, 1)]  # only operations go on the stack: most operands are names and literals
    pop, push = stack.pop, stack.append
    while stack:
        node, depth = pop()
        if depth > deepest:
            deepest = depth
        for operand in children(node):
            if type(operand) in operations:
                push((operand, depth + 1))
    return deepest


def _formulas(item: Any) -> Iterator[Any]:
    """The formulas of one top-level item: a declaration's and its clauses', a table's band
    numbers, a test's `f(x)` targets and values."""
    if isinstance(item, ast.Metric | ast.Kpi | ast.Pay):
        yield item.expr
        yield from (c.value for c in item.clauses if c.value is not None)
    elif isinstance(item, ast.Table):
        for band in item.bands:
            yield from (v for v in (band.low, band.high, band.value) if v is not None)
    elif isinstance(item, ast.Test):
        for section in item.sections:
            for assignment in section.assignments:
                yield assignment.target
                yield assignment.value
    elif isinstance(item, ast.Plan):
        for field in item.fields:
            yield from field.values


def nesting_errors(module: ast.Module) -> list[Diagnostic]:
    """E0106 for every formula of `module` nested deeper than `MAX_NESTING`, at the formula."""
    errors = []
    for item in module.items:
        for formula in _formulas(item):
            depth = nesting(formula)
            if depth > MAX_NESTING:
                errors.append(Diagnostic(
                    code="E0106", name="formula-too-deep", severity=Severity.ERROR,
                    message=t("E0106.message", depth=depth, limit=MAX_NESTING), span=formula.span,
                    help=t("E0106.help", limit=MAX_NESTING),
                ))
    return errors
