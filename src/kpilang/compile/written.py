"""What the author wrote, as the compiler quotes it: a `test`'s literal values and the short text
of a plan field's value or a test's target in messages."""

from __future__ import annotations

from decimal import Decimal

from kpilang.syntax import ast


def literal_value(e: ast.Expr) -> Decimal | str | bool:
    """The value a `test` gives or expects, as written: a number, a text, yes/no, a date's ISO text."""
    if isinstance(e, ast.Neg):
        return -literal_value(e.operand)
    if isinstance(e, ast.Num | ast.Percent):
        return e.value
    if isinstance(e, ast.Duration):
        return Decimal(e.seconds)
    if isinstance(e, ast.Str):
        return e.value
    if isinstance(e, ast.Bool):
        return e.value
    if isinstance(e, ast.DateLit):
        return e.value.isoformat()
    raise AssertionError(type(e))


def shown(e) -> str:
    """An expression as a message quotes it: a name, a literal as written, a call; `…` otherwise."""
    if isinstance(e, ast.Name):
        return e.name
    if isinstance(e, ast.Dotted):
        return f"{e.table}.{e.column}"
    if isinstance(e, ast.Str):
        return e.value
    if isinstance(e, ast.Num | ast.Percent | ast.Duration):
        return e.text
    if isinstance(e, ast.Neg):
        return "-" + shown(e.operand)
    if isinstance(e, ast.Call):
        return f"{e.func}({', '.join(shown(a) for a in e.args)})"
    if isinstance(e, ast.DateLit):
        return e.value.isoformat()
    return "…"
