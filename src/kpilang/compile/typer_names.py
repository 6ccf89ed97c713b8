"""The unit of a name in a formula (`revenue`, `kpi_score`, `salary`, `targets.calls`,
`managers.region`, a row's `amount` inside an aggregate), and what it makes the formula depend on.

A declaration used before it is declared is typed on the spot (the compiler compiles a metric
early); a name that is not known gets the closest known one as a suggestion. These are `Typer`'s
rules for `ast.Name` and `ast.Dotted`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kpilang import schema
from kpilang.compile import members
from kpilang.compile.names import suggest
from kpilang.compile.program import SALARY, SCORE, Unit
from kpilang.messages import Text, t
from kpilang.syntax import ast

if TYPE_CHECKING:
    from kpilang.compile.typer import Typer


def name_unit(typer: Typer, e: ast.Name) -> Unit | None:
    name = e.name
    if typer.context == members.MEMBERS_CONTEXT:
        return members.figure_unit(typer, e)
    if name == members.MEMBERS:
        return members.outside_aggregate(typer, e)
    if typer.context == "row":
        col = schema.TABLES[typer.row_table].column(name)
        if col is not None:
            typer.c.data_needs.setdefault(typer.row_table, set()).add(name)
            return _column_unit(col.type)
        known = [c.name for c in schema.TABLES[typer.row_table].columns]
        hint = suggest(name, known)
        typer.fail("E0201", "unknown-name", t("E0201.unknown-column", table=typer.row_table, name=name), e.span,
                   t("did-you-mean", name=hint) if hint else
                   t("E0201.known-columns", columns=", ".join(known), table=typer.row_table, name=name))
        return None
    if name == SCORE:
        if typer.context == "metric":
            return _not_in_metric(typer, e, t("E0703.score"))
        typer.dep(SCORE)
        return Unit.NUMBER
    if name == SALARY:
        if typer.context == "metric":
            return _not_in_metric(typer, e, t("E0703.salary"))
        typer.dep(SALARY)
        typer.c.manager_columns.add("salary")
        return Unit.MONEY
    decl = typer.c.decls.get(name)
    if decl is None:
        if name in schema.TABLES:
            typer.fail("E0201", "unknown-name", t("E0201.data-table", name=name), e.span,
                       t("E0201.data-table-help", name=name))
            return None
        candidates = [*typer.c.decls, SCORE, SALARY]
        hint = suggest(name, candidates)
        typer.fail("E0201", "unknown-name", t("E0201.unknown-name", name=name), e.span,
                   t("did-you-mean", name=hint) if hint else t("E0201.unknown-name-help"))
        return None
    if isinstance(decl, ast.Table):
        typer.fail("E0702", "table-without-argument", t("E0702.message", name=name), e.span,
                   t("E0702.help", name=name))
        return None
    if typer.context == "metric" and not isinstance(decl, ast.Metric):
        return _not_in_metric(typer, e, t(f"E0703.{decl.decl}", name=name))
    typer.dep(name)
    if name not in typer.c.units:
        # Declared later (order-independent): type it now; cycles are reported by the orderer.
        if name in typer.c.deps:  # being typed right now: a cycle, reported later
            return Unit.FLEX if isinstance(decl, ast.Metric) else (Unit.MONEY if isinstance(decl, ast.Pay) else Unit.NUMBER)
        if isinstance(decl, ast.Metric):
            typer.c.compile_metric(decl)
        elif isinstance(decl, ast.Kpi):
            return Unit.NUMBER
        elif isinstance(decl, ast.Pay):
            return Unit.MONEY
    return typer.c.units.get(name, Unit.NUMBER if isinstance(decl, ast.Kpi) else Unit.MONEY if isinstance(decl, ast.Pay) else None)


def _not_in_metric(typer: Typer, e, what: Text) -> None:
    typer.fail("E0703", "metric-reads-non-data", t("E0703.message", what=what), e.span,
               t("E0703.help"))
    return None


def dotted_unit(typer: Typer, e: ast.Dotted) -> Unit | None:
    if typer.context == members.MEMBERS_CONTEXT:
        return members.figure_unit(typer, e)
    if e.table == members.MEMBERS:
        return members.outside_aggregate(typer, e)
    if typer.context == "row":
        if e.table != typer.row_table:
            typer.fail("E0704", "mixed-tables", t("E0704.message", table=e.table, column=e.column, reads=typer.row_table),
                       e.span, t("E0704.help"))
            return None
        col = schema.TABLES[e.table].column(e.column)
        typer.c.data_needs.setdefault(e.table, set()).add(e.column)
        return _column_unit(col.type) if col is not None else Unit.ANY
    if e.table == "targets":
        if typer.context == "metric":
            return _not_in_metric(typer, e, t("E0703.target"))
        typer.c.target_names.add(e.column)
        typer.dep(f"targets.{e.column}")
        return Unit.FLEX
    if e.table == "managers":
        if typer.context == "metric":
            return _not_in_metric(typer, e, t("E0703.manager-column"))
        typer.c.manager_columns.add(e.column)
        # `managers.salary` is the figure `salary`: one input, whichever way it is written.
        typer.dep(SALARY if e.column == SALARY else f"managers.{e.column}")
        col = schema.TABLES["managers"].column(e.column)
        return _column_unit(col.type) if col is not None else Unit.ANY
    if e.table in schema.ACTIVITY_TABLES:
        typer.fail("E0705", "column-outside-aggregate", t("E0705.message", table=e.table, column=e.column),
                   e.span, t("E0705.help", table=e.table, column=e.column))
        return None
    hint = suggest(e.table, ["targets", "managers", *schema.ACTIVITY_TABLES])
    typer.fail("E0201", "unknown-name", t("E0201.unknown-table", name=e.table), e.span,
               t("did-you-mean", name=hint) if hint else t("E0201.unknown-table-help"))
    return None


def _column_unit(col_type: str) -> Unit:
    return {
        schema.STRING: Unit.STRING, schema.MONEY: Unit.MONEY, schema.DURATION: Unit.DURATION,
        schema.DATETIME: Unit.DATETIME, schema.BOOL: Unit.BOOL, schema.DECIMAL: Unit.NUMBER,
        schema.INTEGER: Unit.NUMBER, schema.DATE: Unit.DATE,
    }[col_type]
