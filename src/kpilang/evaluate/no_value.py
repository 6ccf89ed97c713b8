"""Why a formula has no value: a plain-words reason pointing at the part of the formula that
caused it.

The compiled formulas (`formula_code`) only say *that* a figure has no value; this module walks
the formula again on that rare path and finds *where* the no value came from: a division by
zero, a metric with no rows, a missing target, a figure that itself failed. It follows exactly
the same rules as the compiled code (and is tested against it), so it also serves as the simple
reference evaluator of the language.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

from kpilang.evaluate.formula_text import SourceText
from kpilang.messages import Text, t
from kpilang.evaluate.numbers import digits_quantum, round_half_up
from kpilang.syntax import ast


@dataclass(frozen=True)
class Reason:
    """The origin of a no value: its broad kind (`cause`), its exact kind (`code`, whose words are
    `eval.CODE.…` in the catalogs), in words, where, and what to do."""

    cause: str
    code: str
    message: Text
    node: Any
    help: Text | None = None


LeafValue = Callable[[Any], Any]
"""The value of a leaf node (Name, Dotted, or an aggregate call in a metric); None for no value."""
LeafReason = Callable[[Any], Reason]
"""Why a leaf node has no value."""
TableCall = Callable[[ast.Call, list[Any]], Any]
"""The result of a table call given its evaluated arguments (may raise `LookupFailed`)."""


class ReferenceEvaluator:
    """A direct, recursive evaluator of one expression with no-value propagation.

    Returns the value and, when it is None, the `Reason` of the first no value that reached the top.
    """

    def __init__(self, text: SourceText, leaf_value: LeafValue, leaf_reason: LeafReason, table_call: TableCall,
                 is_table: Callable[[str], bool]):
        self.text = text
        self.leaf_value = leaf_value
        self.leaf_reason = leaf_reason
        self.table_call = table_call
        self.is_table = is_table

    def evaluate(self, expr: Any) -> tuple[Any, Reason | None]:
        return self._eval(expr)

    def _eval(self, e: Any) -> tuple[Any, Reason | None]:
        match e:
            case ast.Num() | ast.Percent():
                return e.value, None
            case ast.Duration():
                return Decimal(e.seconds), None
            case ast.Str() | ast.Bool() | ast.DateLit():
                return e.value, None
            case ast.Name() | ast.Dotted():
                value = self.leaf_value(e)
                return (value, None) if value is not None else (None, self.leaf_reason(e))
            case ast.Neg(operand=o):
                v, r = self._eval(o)
                return (None, r) if v is None else (-v, None)
            case ast.Not(operand=o):
                v, r = self._eval(o)
                return (None, r) if v is None else (not v, None)
            case ast.Binary(op=op, left=left, right=right):
                a, r = self._eval(left)
                if a is None:
                    return None, r
                b, r = self._eval(right)
                if b is None:
                    return None, r
                if op == "+":
                    return a + b, None
                if op == "-":
                    return a - b, None
                if op == "*":
                    return a * b, None
                if not b:
                    return None, self._division_by_zero(e)
                return a / b, None
            case ast.Compare(op=op, left=left, right=right):
                a, r = self._eval(left)
                if a is None:
                    return None, r
                b, r = self._eval(right)
                if b is None:
                    return None, r
                return _COMPARE[op](a, b), None
            case ast.Logic(op=op, left=left, right=right):
                a, r = self._eval(left)
                if a is None:
                    return None, r
                if (op == "and" and a is False) or (op == "or" and a is True):
                    return a, None
                return self._eval(right)
            case ast.InList(operand=operand, items=items):
                a, r = self._eval(operand)
                if a is None:
                    return None, r
                values = []
                for item in items:
                    v, r = self._eval(item)
                    if v is None:
                        return None, r
                    values.append(v)
                return a in values, None
            case ast.If(cond=cond, then=then, else_=else_):
                c, r = self._eval(cond)
                if c is None:
                    return None, r
                return self._eval(then if c else else_)
            case ast.Otherwise(expr=expr, fallback=fallback):
                v, _r = self._eval(expr)
                return (v, None) if v is not None else self._eval(fallback)
            case ast.Call():
                return self._call(e)
        raise AssertionError(f"cannot evaluate {type(e).__name__}")

    def _call(self, e: ast.Call) -> tuple[Any, Reason | None]:
        if self.is_table(e.func):
            args = []
            for arg in e.args:
                v, r = self._eval(arg)
                if v is None:
                    return None, r
                args.append(v)
            return self.table_call(e, args), None
        if e.func in ("min", "max") and len(e.args) >= 2 and e.where is None:  # of values, not of rows
            values = []
            for arg in e.args:
                v, r = self._eval(arg)
                if v is None:
                    return None, r
                values.append(v)
            best = values[0]
            for v in values[1:]:
                if (v < best) if e.func == "min" else (v > best):
                    best = v
            return best, None
        if e.func == "round":
            v, r = self._eval(e.args[0])
            if v is None:
                return None, r
            return round_half_up(v, digits_quantum(int(e.args[1].value))), None
        # An aggregate inside a metric: a leaf read from the data.
        value = self.leaf_value(e)
        return (value, None) if value is not None else (None, self.leaf_reason(e))

    def _division_by_zero(self, e: ast.Binary) -> Reason:
        divisor = self.text.text(e.right.span)  # a divisor is always written in the plan: never empty
        whole = self.text.text(e.span)
        return Reason(
            cause="division_by_zero",
            code="division_by_zero",
            message=t("eval.division_by_zero.message", divisor=divisor, whole=whole),
            node=e,
            help=t("eval.division_by_zero.help", divisor=divisor, whole=whole),
        )


_COMPARE = {
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}

