"""Ratios of counts that are shares: `chats_answered / chats_total`, where every row the
numerator counts is also counted by the denominator, can never exceed 1.

The interval analysis sees two counts, each anything from 0 up, and bounds their ratio by
nothing. But the rows tell more: `count(activities where type = "chat" and status = "done")`
counts a subset of `count(activities where type = "chat")`. When the numerator's condition
requires everything the denominator's does (it is the same condition, or an `and` with it), the
ratio is a share, at most 100%. KPL027 uses this to prove a target like `95` (meant as `95%`)
out of reach for such a ratio too.
"""

from __future__ import annotations

from decimal import Decimal

from kpilang.compile.program import Program, aggregate_table
from kpilang.syntax import ast

ONE = Decimal(1)


def highest_share(program: Program, expr: ast.Expr) -> Decimal | None:
    """The most `expr` can be when it is a share of counts (or such a share `otherwise` a
    constant): 1, or the constant if larger; None when it is not such a ratio."""
    if isinstance(expr, ast.Otherwise):
        share = highest_share(program, expr.expr)
        fallback = _constant(expr.fallback)
        return None if share is None or fallback is None else max(share, fallback)
    if isinstance(expr, ast.Binary) and expr.op == "/":
        part, whole = _count(program, expr.left), _count(program, expr.right)
        if part is not None and whole is not None and _counts_a_subset(part, whole):
            return ONE
    return None


def _count(program: Program, expr: ast.Expr) -> ast.Call | None:
    """The `count(...)` an operand is, directly or as a metric's whole formula."""
    if isinstance(expr, ast.Name) and expr.name in program.metrics:
        expr = program.metrics[expr.name].expr
    if isinstance(expr, ast.Call) and expr.func == "count" and len(expr.args) == 1:
        return expr
    return None


def _counts_a_subset(part: ast.Call, whole: ast.Call) -> bool:
    if aggregate_table(part) != aggregate_table(whole):
        return False
    if ast.strip_spans(part.args) != ast.strip_spans(whole.args):
        return False
    return _implies(part.where, whole.where)


def _implies(condition: ast.Expr | None, required: ast.Expr | None) -> bool:
    """Whether every row `condition` admits is admitted by `required` (a sound, partial test:
    the same condition, or an `and` of which one side implies it)."""
    if required is None:
        return True
    if condition is None:
        return False
    if ast.strip_spans(condition) == ast.strip_spans(required):
        return True
    if isinstance(required, ast.Logic) and required.op == "and":
        return _implies(condition, required.left) and _implies(condition, required.right)
    if isinstance(condition, ast.Logic) and condition.op == "and":
        return _implies(condition.left, required) or _implies(condition.right, required)
    return False


def _constant(expr: ast.Expr) -> Decimal | None:
    if isinstance(expr, ast.Num | ast.Percent):
        return Decimal(expr.value)
    return None
