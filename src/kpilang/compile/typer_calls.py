"""The unit of a call in a formula: `min`, `max` and `round`, a table's look-up (step or
graduated), an aggregate over a data table's rows (`count`, `sum(deals.amount where …)`, `share`…),
and the earlier periods and team members' aggregates that `history.py` and `members.py` type.
These are `Typer`'s rules for `ast.Call`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kpilang import schema
from kpilang.compile import history, members
from kpilang.compile import units as U
from kpilang.compile.names import AGGREGATES, ROUND_DIGITS_MAX, SCALAR_FUNCTIONS, suggest
from kpilang.compile.program import Unit, row_table
from kpilang.messages import t
from kpilang.syntax import ast

if TYPE_CHECKING:
    from kpilang.compile.typer import Typer


def call_unit(typer: Typer, e: ast.Call):
    func = e.func
    if typer.context == members.MEMBERS_CONTEXT:
        return members.call_in_member_row(typer, e)
    if func in history.HISTORY_FUNCTIONS:  # earlier periods: compile/history.py
        return history.type_call(typer, e)
    if typer.context == "metric" and members.is_member_aggregate(e):
        return members.aggregate_unit(typer, e)
    if typer.context == "metric" and func in AGGREGATES:
        return aggregate_unit(typer, e)
    if func in AGGREGATES and func not in SCALAR_FUNCTIONS:
        typer.fail("E0706", "aggregate-outside-metric", t("E0706.message", func=func),
                   e.func_span, t("E0706.help", func=func))
        return None
    if e.where is not None:
        typer.fail("E0707", "where-outside-aggregate", t("E0707.message"),
                   e.where.span, t("E0707.help"))
        return None
    if func in ("min", "max"):
        if len(e.args) < 2:
            typer.fail("E0708", "bad-arguments", t("E0708.values", func=func), e.span,
                       t("E0708.values-help", func=func))
            return None
        return typer.common_unit(e, e.args, t("E0301.same-unit", func=func))
    if func == "round":
        if len(e.args) != 2 or not isinstance(e.args[1], ast.Num) or e.args[1].value != e.args[1].value.to_integral_value():
            typer.fail("E0708", "bad-arguments", t("E0708.round"), e.span,
                       t("E0708.round-help"))
            return None
        if e.args[1].value > ROUND_DIGITS_MAX:
            typer.fail("E0708", "bad-arguments",
                       t("E0708.round-digits", most=ROUND_DIGITS_MAX, digits=e.args[1].text), e.args[1].span,
                       t("E0708.round-digits-help"))
            return None
        return typer.unit(e.args[0])
    decl = typer.c.decls.get(func)
    if isinstance(decl, ast.Table):
        return _table_call(typer, e, decl)
    known = [n for n, d in typer.c.decls.items() if isinstance(d, ast.Table)] + list(SCALAR_FUNCTIONS)
    if typer.context == "metric":
        known += list(AGGREGATES)
    hint = suggest(func, known)
    typer.fail("E0201", "unknown-name", t("E0201.unknown-function", name=func), e.func_span,
               t("did-you-mean", name=hint) if hint else t("E0201.unknown-function-help"))
    return None


def _table_call(typer: Typer, e: ast.Call, decl: ast.Table):
    typer.c.table_calls.setdefault(decl.name.name, []).append(e)
    typer.dep(decl.name.name)
    if len(e.args) != 1 and not (decl.graduated and len(e.args) == 2):
        usage = t("E0708.graduated-usage" if decl.graduated else "E0708.table-usage", name=decl.name.name)
        typer.fail("E0708", "bad-arguments", t("E0708.table", name=decl.name.name, usage=usage), e.span)
        return None
    units = [typer.unit(a) for a in e.args]
    if any(u is None for u in units):
        return None
    if decl.name.name not in typer.c.units:
        typer.c.compile_table(decl)
    value_unit = typer.c.units.get(decl.name.name)
    if value_unit is None:
        return None
    if decl.graduated:
        # The rates apply to x in both forms; with a base, x and base are alike (revenue and
        # its target), so a plain-number base (`targets.revenue`) takes x's unit.
        measured = units[0] if len(units) == 1 else U.unify(units[0], units[1])
        if measured is None:
            typer.fail("E0301", "unit-mismatch", t("E0301.base", name=decl.name.name, value=U.WORDS[units[0]], base=U.WORDS[units[1]]), e.span,
                       t("E0301.base-help"))
            return None
        result = U.multiply(measured, value_unit)
        if result is None:
            typer.fail("E0301", "unit-mismatch", t("E0301.rates", name=decl.name.name, unit=U.WORDS[measured]), e.span)
        return result
    return value_unit


def aggregate_unit(typer: Typer, e: ast.Call) -> Unit | None:
    func = e.func
    typer.aggregates.append(e)
    if len(e.args) != 1:
        typer.fail("E0708", "bad-arguments", t("E0708.aggregate", func=func), e.span,
                   t("E0708.rows-example" if func in ("count", "share") else "E0708.column-example", func=func))
        return None
    arg = e.args[0]
    if func in ("count", "share"):
        if not isinstance(arg, ast.Name) or arg.name not in schema.ACTIVITY_TABLES:
            hint = suggest(arg.name, schema.ACTIVITY_TABLES) if isinstance(arg, ast.Name) else None
            typer.fail("E0709", "bad-aggregate", t("E0709.rows", func=func),
                       arg.span, t("did-you-mean", name=hint) if hint else t("E0709.rows-help", func=func))
            return None
        table = arg.name
        if func == "share" and e.where is None:
            typer.fail("E0709", "bad-aggregate", t("E0709.share"), e.span,
                       t("E0709.share-help"))
            return None
    else:
        table = row_table(arg)
        if table is None:
            typer.fail("E0709", "bad-aggregate", t("E0709.column", func=func), arg.span,
                       t("E0709.column-help", func=func))
            return None
    if table not in schema.ACTIVITY_TABLES:
        typer.fail("E0709", "bad-aggregate", t("E0709.table", name=table), arg.span,
                   t("E0709.table-help"))
        return None
    typer.tables.add(table)
    date_col = schema.TABLES[table].date_column
    typer.c.data_needs.setdefault(table, set()).add(date_col)
    row = type(typer)(typer.c, typer.owner, "row")
    row.row_table = table
    unit: Unit | None = Unit.COUNT
    if func == "count_distinct":
        if not isinstance(arg, ast.Dotted):
            typer.fail("E0709", "bad-aggregate", t("E0709.distinct"), arg.span,
                       t("E0709.distinct-help"))
            return None
        unit = Unit.COUNT if row.unit(arg) is not None else None
    elif func == "share":
        unit = Unit.NUMBER
    elif func != "count":
        unit = typer.aggregated_unit(row, func, arg)
    if e.where is not None and row.need_bool(e.where) is None:
        return None
    return unit
