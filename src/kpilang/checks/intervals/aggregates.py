"""Aggregates in the proofs: what an aggregate over one person's rows of a period can give, what it
gives over no rows, and which aggregates read only won deals (so have no rows in a month without
a single sale)."""

from __future__ import annotations

from kpilang import schema
from kpilang.checks.intervals.arithmetic import INF, NO_VALUE, ONE, ZERO, Interval, point
from kpilang.compile.program import aggregate_table
from kpilang.syntax import ast

AGGREGATES = ("count", "count_distinct", "sum", "avg", "min", "max", "median", "share")


def is_aggregate(call: ast.Call) -> bool:
    """An aggregate over a table's rows, not the `min`/`max` of formulas that share its name."""
    return call.func in AGGREGATES and (call.where is not None or len(call.args) == 1)


SOLD = "won"
"""The deal stage that is a sale: a month without a single sale has no deal in it."""


def reads_only_sales(call: ast.Call) -> bool:
    """Whether an aggregate's rows can only be won deals: its condition requires `stage = "won"`
    (alone, in an `and`, or on both sides of an `or`). In a month without a single sale such an
    aggregate has no rows at all."""
    return aggregate_table(call) == "deals" and call.where is not None and _requires_sale(call.where)


def _requires_sale(cond: ast.Expr) -> bool:
    if isinstance(cond, ast.Logic):
        left, right = _requires_sale(cond.left), _requires_sale(cond.right)
        return (left or right) if cond.op == "and" else (left and right)
    if isinstance(cond, ast.Compare) and cond.op == "=":
        return (_is_stage(cond.left) and _is_sold(cond.right)) or (_is_stage(cond.right) and _is_sold(cond.left))
    if isinstance(cond, ast.InList):
        return _is_stage(cond.operand) and bool(cond.items) and all(_is_sold(i) for i in cond.items)
    return False


def _is_stage(e: ast.Expr) -> bool:
    return (isinstance(e, ast.Name) and e.name == "stage") or (
        isinstance(e, ast.Dotted) and e.table == "deals" and e.column == "stage")


def _is_sold(e: ast.Expr) -> bool:
    return isinstance(e, ast.Str) and e.value == SOLD


def empty_aggregate(call: ast.Call) -> Interval:
    """An aggregate over no rows: a count or a sum is zero, anything else has no value. A share
    is no row of the table's rows: 0 when the table has rows the condition leaves out (lost
    deals, in a month without a won one), no value when it has none."""
    if call.func in ("count", "count_distinct", "sum"):
        return point(0)
    if call.func == "share":
        return point(0)._replace(maybe_none=True)
    return NO_VALUE


def aggregate_range(call: ast.Call) -> Interval:
    """What an aggregate over one person's rows of a period can give."""
    if call.func in ("count", "count_distinct"):
        return Interval(ZERO, INF, whole=True)
    if call.func == "share":
        return Interval(ZERO, ONE, maybe_none=True)
    arg = call.args[0]
    column = schema.TABLES[arg.table].column(arg.column) if isinstance(arg, ast.Dotted) and arg.table in schema.TABLES else None
    never_negative = column is not None and column.type in (schema.MONEY, schema.DURATION)  # the loader rejects negatives
    low = ZERO if never_negative else -INF
    return Interval(low, INF, maybe_none=call.func != "sum")
