"""Aggregates whose row expression divides, computed row by row in exact Decimal.

SQL engines divide decimals in binary floating point, so `sum(deals.amount / 2)` or
`avg((leads.first_response_at - leads.created_at) / 60)` cannot be computed exactly inside the
database. For such an aggregate the database still filters the rows (period, person, `where`)
and returns the columns the row expression reads; this module evaluates the expression per row
and aggregates in Python. A row whose expression has no value (an empty cell, a division by
zero) is skipped, as sum/avg/min/max/median skip empty cells.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from kpilang.evaluate.numbers import decimal_context, exact_mean, exact_sum
from kpilang.evaluate.aggregate_plan import Aggregate
from kpilang.evaluate.sql import GROUP_ALIAS, Dialect, RowSql, period_and_grouping
from kpilang.syntax import ast


def rowwise_query(agg: Aggregate, *, table_ref: str, managers_ref: str, start, end, timezone: str,
                  team: bool, dialect: Dialect, column_type=None) -> tuple[str, dict[str, Any], list[str]]:
    """SQL selecting the group and every column the row expression reads, for matching rows."""
    d = dialect
    params: dict[str, Any] = {}
    row = RowSql(agg.table, "t", timezone, d, params, column_type)
    columns = sorted({n.column for n in ast.walk(agg.arg) if isinstance(n, ast.Dotted)}
                     | {n.name for n in ast.walk(agg.arg) if isinstance(n, ast.Name)})
    conds = [row.cond(agg.where)] if agg.where is not None else []
    period, group, source = period_and_grouping(agg.table, table_ref=table_ref, managers_ref=managers_ref,
                                                start=start, end=end, team=team, dialect=d, params=params)
    conds.insert(0, period)
    picked = ", ".join(f"t.{d.ident(c)} AS {d.ident('c_' + c)}" for c in columns)
    sql = f"SELECT {group} AS {GROUP_ALIAS}, {picked} FROM {source} WHERE {' AND '.join(conds)}"
    return sql, params, columns


def compute_rowwise(agg: Aggregate, rows: list[tuple], columns: list[str]) -> dict[Any, Decimal | None]:
    """Group → the aggregate's exact value, from (group, column values…) rows."""
    values: dict[Any, list[Decimal]] = defaultdict(list)
    seen_groups: set[Any] = set()
    with decimal_context():
        for group, *cells in rows:
            seen_groups.add(group)
            v = row_value(agg.arg, dict(zip(columns, cells)))
            if v is not None:
                values[group].append(v)
    with decimal_context():
        return {g: _aggregate(agg.func, values.get(g, [])) for g in seen_groups}


def _aggregate(func: str, values: list[Decimal]) -> Decimal | None:
    """sum, avg, min, max or median of the values of the matching rows."""
    if func == "sum":
        return exact_sum(values)
    if not values:
        return None
    if func == "avg":
        return exact_mean(values)
    if func == "min":
        return min(values)
    if func == "max":
        return max(values)
    if func == "median":
        ordered = sorted(values)
        n = len(ordered)
        lo, hi = ordered[(n - 1) // 2], ordered[n // 2]
        return lo if lo == hi else exact_mean((lo, hi))
    raise ValueError(f"{func} is not computed row by row")  # pragma: no cover


def row_value(e: Any, row: dict[str, Any]) -> Any:
    """A row expression's exact value on one row (column name → cell); None for no value."""
    match e:
        case ast.Dotted(column=c) | ast.Name(name=c):
            v = row[c]
            if isinstance(v, bool) or v is None or isinstance(v, datetime | str | Decimal):
                return v
            if isinstance(v, int):
                return Decimal(v)
            raise TypeError(f"inexact value of type {type(v).__name__} in column {c}")
        case ast.Num(value=v) | ast.Percent(value=v):
            return v
        case ast.Duration(seconds=s):
            return Decimal(s)
        case ast.Str(value=v) | ast.Bool(value=v):
            return v
        case ast.Neg(operand=o):
            v = row_value(o, row)
            return None if v is None else -v
        case ast.Binary(op=op, left=l, right=r):
            a, b = row_value(l, row), row_value(r, row)
            if a is None or b is None:
                return None
            if op == "-" and isinstance(a, datetime) and isinstance(b, datetime):
                return _seconds(a - b)
            if op == "+":
                return a + b
            if op == "-":
                return a - b
            if op == "*":
                return a * b
            return None if b == 0 else a / b
        case ast.Otherwise(expr=x, fallback=f):
            v = row_value(x, row)
            return row_value(f, row) if v is None else v
        case ast.If(cond=c, then=t, else_=f):
            return row_value(t, row) if row_holds(c, row) else row_value(f, row)
        case ast.Call(func="min" | "max" as fn, args=args):
            vs = [row_value(a, row) for a in args]
            if any(v is None for v in vs):
                return None
            return min(vs) if fn == "min" else max(vs)
        case ast.Call(func="round", args=[x, ast.Num(value=digits)]):
            v = row_value(x, row)
            return None if v is None else v.quantize(Decimal(1).scaleb(-int(digits)), rounding=ROUND_HALF_UP)
    raise ValueError(f"no row value for {type(e).__name__}")


def row_holds(e: Any, row: dict[str, Any]) -> bool:
    """A condition on one row; an empty cell makes a comparison false."""
    match e:
        case ast.Logic(op="and", left=l, right=r):
            return row_holds(l, row) and row_holds(r, row)
        case ast.Logic(op="or", left=l, right=r):
            return row_holds(l, row) or row_holds(r, row)
        case ast.Not(operand=o):
            return not row_holds(o, row)
        case ast.Compare(op=op, left=l, right=r):
            a, b = row_value(l, row), row_value(r, row)
            if a is None or b is None:
                return False
            return {"=": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]
        case ast.InList(operand=o, items=items):
            a = row_value(o, row)
            return a is not None and any(a == row_value(i, row) for i in items)
    v = row_value(e, row)
    return bool(v) if v is not None else False


def _seconds(delta: timedelta) -> Decimal:
    return Decimal(delta.days * 86400 + delta.seconds) + Decimal(delta.microseconds).scaleb(-6)
