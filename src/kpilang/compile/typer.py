"""The unit of every expression (money, count, percent, …), checked as the compiler meets formulas.

`Typer` walks one formula: it resolves each name through a `NameResolver` (the compiler, which
knows the declarations and compiles a metric or table early when a formula uses it before its
declaration), records what the formula depends on, and reports every unit that does not combine.
It never imports the compiler: the resolver is all it knows of it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from kpilang import schema
from kpilang.compile import history, members
from kpilang.compile import units as U
from kpilang.compile.help import binary_help
from kpilang.compile.names import AGGREGATES, ROUND_DIGITS_MAX, SCALAR_FUNCTIONS, suggest
from kpilang.compile.program import SALARY, SCORE, MetricDef, TableDef, Unit, row_table
from kpilang.diagnostics import Note, Span
from kpilang.messages import Text, t
from kpilang.syntax import ast


class NameResolver(Protocol):
    """What `Typer` and the compiler's passes ask of the compiler: the declarations, their units,
    and where to record what a formula needs and report what is wrong."""

    decls: dict[str, ast.Metric | ast.Kpi | ast.Table | ast.Pay]
    units: dict[str, Unit]
    deps: dict[str, set[str]]
    target_names: set[str]
    manager_columns: set[str]
    data_needs: dict[str, set[str]]
    table_calls: dict[str, list[ast.Call]]
    members: members.MemberSpace | None

    def error(self, code: str, name: str, message: Text, span: Span, help: Text | None = None,
              notes: tuple[Note, ...] = ()) -> None: ...

    def compile_metric(self, node: ast.Metric) -> MetricDef | None: ...

    def compile_table(self, node: ast.Table) -> TableDef | None: ...


_VERBS = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide"}


_UNIT_RULES: dict[type, Callable] = {}
"""Node class → the `Typer` method for it, looked up once: `unit` runs for every node of every
formula."""


class Typer:
    """Infers and checks the unit of one expression, recording the names it depends on.

    context: "metric" (aggregates allowed at any depth, other metrics allowed), "scalar" (KPIs,
    targets, pays), "row" (inside an aggregate, over `self.row_table`), or "members" (inside an
    aggregate over a team plan's members: see `compile.members`).
    """

    def __init__(self, compiler: NameResolver, owner: str, context: str):
        self.c = compiler
        self.owner = owner
        self.context = context
        self.row_table: str | None = None
        self.aggregates: list[ast.Call] = []
        self.tables: set[str] = set()

    def fail(self, code: str, name: str, message: Text, span: Span, help: Text | None = None) -> None:
        self.c.error(code, name, message, span, help)

    def dep(self, name: str) -> None:
        if self.owner:
            self.c.deps.setdefault(self.owner, set()).add(name)

    def unit(self, e: ast.Expr) -> Unit | None:
        rule = _UNIT_RULES.get(type(e))
        if rule is None:  # the method named after the node's class: `_binary` for `ast.Binary`
            rule = _UNIT_RULES[type(e)] = getattr(Typer, "_" + type(e).__name__.lower())
        return rule(self, e)

    # literals
    def _num(self, e):
        return Unit.FLEX

    def _percent(self, e):
        return Unit.NUMBER

    def _duration(self, e):
        return Unit.DURATION

    def _datelit(self, e):
        return Unit.DATE

    def _str(self, e):
        return Unit.STRING

    def _bool(self, e):
        return Unit.BOOL

    # names
    def _name(self, e: ast.Name) -> Unit | None:
        name = e.name
        if self.context == members.MEMBERS_CONTEXT:
            return members.figure_unit(self, e)
        if name == members.MEMBERS:
            return members.outside_aggregate(self, e)
        if self.context == "row":
            col = schema.TABLES[self.row_table].column(name)
            if col is not None:
                self.c.data_needs.setdefault(self.row_table, set()).add(name)
                return _column_unit(col.type)
            known = [c.name for c in schema.TABLES[self.row_table].columns]
            hint = suggest(name, known)
            self.fail("E0201", "unknown-name", t("E0201.unknown-column", table=self.row_table, name=name), e.span,
                      t("did-you-mean", name=hint) if hint else
                      t("E0201.known-columns", columns=", ".join(known), table=self.row_table, name=name))
            return None
        if name == SCORE:
            if self.context == "metric":
                return self._not_in_metric(e, t("E0703.score"))
            self.dep(SCORE)
            return Unit.NUMBER
        if name == SALARY:
            if self.context == "metric":
                return self._not_in_metric(e, t("E0703.salary"))
            self.dep(SALARY)
            self.c.manager_columns.add("salary")
            return Unit.MONEY
        decl = self.c.decls.get(name)
        if decl is None:
            if name in schema.TABLES:
                self.fail("E0201", "unknown-name", t("E0201.data-table", name=name), e.span,
                          t("E0201.data-table-help", name=name))
                return None
            candidates = [*self.c.decls, SCORE, SALARY]
            hint = suggest(name, candidates)
            self.fail("E0201", "unknown-name", t("E0201.unknown-name", name=name), e.span,
                      t("did-you-mean", name=hint) if hint else t("E0201.unknown-name-help"))
            return None
        if isinstance(decl, ast.Table):
            self.fail("E0702", "table-without-argument", t("E0702.message", name=name), e.span,
                      t("E0702.help", name=name))
            return None
        if self.context == "metric" and not isinstance(decl, ast.Metric):
            return self._not_in_metric(e, t(f"E0703.{decl.decl}", name=name))
        self.dep(name)
        if name not in self.c.units:
            # Declared later (order-independent): type it now; cycles are reported by the orderer.
            if name in self.c.deps:  # being typed right now: a cycle, reported later
                return Unit.FLEX if isinstance(decl, ast.Metric) else (Unit.MONEY if isinstance(decl, ast.Pay) else Unit.NUMBER)
            if isinstance(decl, ast.Metric):
                self.c.compile_metric(decl)
            elif isinstance(decl, ast.Kpi):
                return Unit.NUMBER
            elif isinstance(decl, ast.Pay):
                return Unit.MONEY
        return self.c.units.get(name, Unit.NUMBER if isinstance(decl, ast.Kpi) else Unit.MONEY if isinstance(decl, ast.Pay) else None)

    def _not_in_metric(self, e, what: Text) -> None:
        self.fail("E0703", "metric-reads-non-data", t("E0703.message", what=what), e.span,
                  t("E0703.help"))
        return None

    def _dotted(self, e: ast.Dotted) -> Unit | None:
        if self.context == members.MEMBERS_CONTEXT:
            return members.figure_unit(self, e)
        if e.table == members.MEMBERS:
            return members.outside_aggregate(self, e)
        if self.context == "row":
            if e.table != self.row_table:
                self.fail("E0704", "mixed-tables", t("E0704.message", table=e.table, column=e.column, reads=self.row_table),
                          e.span, t("E0704.help"))
                return None
            col = schema.TABLES[e.table].column(e.column)
            self.c.data_needs.setdefault(e.table, set()).add(e.column)
            return _column_unit(col.type) if col is not None else Unit.ANY
        if e.table == "targets":
            if self.context == "metric":
                return self._not_in_metric(e, t("E0703.target"))
            self.c.target_names.add(e.column)
            self.dep(f"targets.{e.column}")
            return Unit.FLEX
        if e.table == "managers":
            if self.context == "metric":
                return self._not_in_metric(e, t("E0703.manager-column"))
            self.c.manager_columns.add(e.column)
            # `managers.salary` is the figure `salary`: one input, whichever way it is written.
            self.dep(SALARY if e.column == SALARY else f"managers.{e.column}")
            col = schema.TABLES["managers"].column(e.column)
            return _column_unit(col.type) if col is not None else Unit.ANY
        if e.table in schema.ACTIVITY_TABLES:
            self.fail("E0705", "column-outside-aggregate", t("E0705.message", table=e.table, column=e.column),
                      e.span, t("E0705.help", table=e.table, column=e.column))
            return None
        hint = suggest(e.table, ["targets", "managers", *schema.ACTIVITY_TABLES])
        self.fail("E0201", "unknown-name", t("E0201.unknown-table", name=e.table), e.span,
                  t("did-you-mean", name=hint) if hint else t("E0201.unknown-table-help"))
        return None

    # operators
    def _neg(self, e: ast.Neg):
        u = self.unit(e.operand)
        if u is not None and u not in U.NUMERIC:
            self.fail("E0301", "unit-mismatch", t("E0301.negate", unit=U.WORDS[u]), e.span)
            return None
        return u

    def _not(self, e: ast.Not):
        return self._need_bool(e.operand)

    def _need_bool(self, e) -> Unit | None:
        u = self.unit(e)
        if u is None:
            return None
        if u not in (Unit.BOOL, Unit.ANY):
            self.fail("E0301", "unit-mismatch", t("E0301.condition", unit=U.WORDS[u]), e.span,
                      t("E0301.condition-help"))
            return None
        return Unit.BOOL

    def _binary(self, e: ast.Binary):
        left, right = self.unit(e.left), self.unit(e.right)
        if left is None or right is None:
            return None
        fn = {"+": lambda a, b: U.add(a, b, "+"), "-": lambda a, b: U.add(a, b, "-"),
              "*": U.multiply, "/": U.divide}[e.op]
        result = fn(left, right)
        if result is None:
            self.fail("E0301", "unit-mismatch", t(f"E0301.{_VERBS[e.op]}", left=U.WORDS[left], right=U.WORDS[right]), e.span,
                      binary_help(e.op))
        return result

    def _compare(self, e: ast.Compare):
        left, right = self.unit(e.left), self.unit(e.right)
        if left is None or right is None:
            return None
        if U.unify(left, right) is None:
            self.fail("E0301", "unit-mismatch", t("E0301.compare", left=U.WORDS[left], right=U.WORDS[right]), e.span)
            return None
        if e.op not in ("=", "!=") and U.unify(left, right) in (Unit.BOOL, Unit.STRING):
            self.fail("E0301", "unit-mismatch", t("E0301.order", op=e.op), e.span,
                      t("E0301.order-help"))
            return None
        return Unit.BOOL

    def _logic(self, e: ast.Logic):
        a, b = self._need_bool(e.left), self._need_bool(e.right)
        return Unit.BOOL if a and b else None

    def _inlist(self, e: ast.InList):
        u = self.unit(e.operand)
        ok = u is not None
        for item in e.items:
            iu = self.unit(item)
            if iu is None:
                ok = False
            elif u is not None and U.unify(u, iu) is None:
                self.fail("E0301", "unit-mismatch", t("E0301.list", item=U.WORDS[iu], value=U.WORDS[u]), item.span)
                ok = False
        return Unit.BOOL if ok else None

    def _if(self, e: ast.If):
        cond = self._need_bool(e.cond)
        return self._same(e, [e.then, e.else_], t("E0301.if")) if cond else None

    def _otherwise(self, e: ast.Otherwise):
        return self._same(e, [e.expr, e.fallback], t("E0301.otherwise"))

    def _same(self, e, parts, message: Text) -> Unit | None:
        found = [self.unit(p) for p in parts]
        if any(u is None for u in found):
            return None
        result = found[0]
        for part, u in zip(parts[1:], found[1:]):
            merged = U.unify(result, u)
            if merged is None:
                self.fail("E0301", "unit-mismatch", t("E0301.same", message=message, left=U.WORDS[result], right=U.WORDS[u]), part.span)
                return None
            result = merged
        return result

    # calls
    def _call(self, e: ast.Call):
        func = e.func
        if self.context == members.MEMBERS_CONTEXT:
            return members.call_in_member_row(self, e)
        if func in history.HISTORY_FUNCTIONS:  # earlier periods: compile/history.py
            return history.type_call(self, e)
        if self.context == "metric" and members.is_member_aggregate(e):
            return members.aggregate_unit(self, e)
        if self.context == "metric" and func in AGGREGATES:
            return self._aggregate(e)
        if func in AGGREGATES and func not in SCALAR_FUNCTIONS:
            self.fail("E0706", "aggregate-outside-metric", t("E0706.message", func=func),
                      e.func_span, t("E0706.help", func=func))
            return None
        if e.where is not None:
            self.fail("E0707", "where-outside-aggregate", t("E0707.message"),
                      e.where.span, t("E0707.help"))
            return None
        if func in ("min", "max"):
            if len(e.args) < 2:
                self.fail("E0708", "bad-arguments", t("E0708.values", func=func), e.span,
                          t("E0708.values-help", func=func))
                return None
            return self._same(e, e.args, t("E0301.same-unit", func=func))
        if func == "round":
            if len(e.args) != 2 or not isinstance(e.args[1], ast.Num) or e.args[1].value != e.args[1].value.to_integral_value():
                self.fail("E0708", "bad-arguments", t("E0708.round"), e.span,
                          t("E0708.round-help"))
                return None
            if e.args[1].value > ROUND_DIGITS_MAX:
                self.fail("E0708", "bad-arguments",
                          t("E0708.round-digits", most=ROUND_DIGITS_MAX, digits=e.args[1].text), e.args[1].span,
                          t("E0708.round-digits-help"))
                return None
            return self.unit(e.args[0])
        decl = self.c.decls.get(func)
        if isinstance(decl, ast.Table):
            return self._table_call(e, decl)
        known = [n for n, d in self.c.decls.items() if isinstance(d, ast.Table)] + list(SCALAR_FUNCTIONS)
        if self.context == "metric":
            known += list(AGGREGATES)
        hint = suggest(func, known)
        self.fail("E0201", "unknown-name", t("E0201.unknown-function", name=func), e.func_span,
                  t("did-you-mean", name=hint) if hint else t("E0201.unknown-function-help"))
        return None

    def _table_call(self, e: ast.Call, decl: ast.Table):
        self.c.table_calls.setdefault(decl.name.name, []).append(e)
        self.dep(decl.name.name)
        if len(e.args) != 1 and not (decl.graduated and len(e.args) == 2):
            usage = t("E0708.graduated-usage" if decl.graduated else "E0708.table-usage", name=decl.name.name)
            self.fail("E0708", "bad-arguments", t("E0708.table", name=decl.name.name, usage=usage), e.span)
            return None
        units = [self.unit(a) for a in e.args]
        if any(u is None for u in units):
            return None
        if decl.name.name not in self.c.units:
            self.c.compile_table(decl)
        value_unit = self.c.units.get(decl.name.name)
        if value_unit is None:
            return None
        if decl.graduated:
            # The rates apply to x in both forms; with a base, x and base are alike (revenue and
            # its target), so a plain-number base (`targets.revenue`) takes x's unit.
            measured = units[0] if len(units) == 1 else U.unify(units[0], units[1])
            if measured is None:
                self.fail("E0301", "unit-mismatch", t("E0301.base", name=decl.name.name, value=U.WORDS[units[0]], base=U.WORDS[units[1]]), e.span,
                          t("E0301.base-help"))
                return None
            result = U.multiply(measured, value_unit)
            if result is None:
                self.fail("E0301", "unit-mismatch", t("E0301.rates", name=decl.name.name, unit=U.WORDS[measured]), e.span)
            return result
        return value_unit

    def _aggregate(self, e: ast.Call) -> Unit | None:
        func = e.func
        self.aggregates.append(e)
        if len(e.args) != 1:
            self.fail("E0708", "bad-arguments", t("E0708.aggregate", func=func), e.span,
                      t("E0708.rows-example" if func in ("count", "share") else "E0708.column-example", func=func))
            return None
        arg = e.args[0]
        if func in ("count", "share"):
            if not isinstance(arg, ast.Name) or arg.name not in schema.ACTIVITY_TABLES:
                hint = suggest(arg.name, schema.ACTIVITY_TABLES) if isinstance(arg, ast.Name) else None
                self.fail("E0709", "bad-aggregate", t("E0709.rows", func=func),
                          arg.span, t("did-you-mean", name=hint) if hint else t("E0709.rows-help", func=func))
                return None
            table = arg.name
            if func == "share" and e.where is None:
                self.fail("E0709", "bad-aggregate", t("E0709.share"), e.span,
                          t("E0709.share-help"))
                return None
        else:
            table = row_table(arg)
            if table is None:
                self.fail("E0709", "bad-aggregate", t("E0709.column", func=func), arg.span,
                          t("E0709.column-help", func=func))
                return None
        if table not in schema.ACTIVITY_TABLES:
            self.fail("E0709", "bad-aggregate", t("E0709.table", name=table), arg.span,
                      t("E0709.table-help"))
            return None
        self.tables.add(table)
        date_col = schema.TABLES[table].date_column
        self.c.data_needs.setdefault(table, set()).add(date_col)
        row = Typer(self.c, self.owner, "row")
        row.row_table = table
        unit: Unit | None = Unit.COUNT
        if func == "count_distinct":
            if not isinstance(arg, ast.Dotted):
                self.fail("E0709", "bad-aggregate", t("E0709.distinct"), arg.span,
                          t("E0709.distinct-help"))
                return None
            unit = Unit.COUNT if row.unit(arg) is not None else None
        elif func == "share":
            unit = Unit.NUMBER
        elif func != "count":
            unit = self.aggregated_unit(row, func, arg)
        if e.where is not None and row._need_bool(e.where) is None:
            return None
        return unit


    def aggregated_unit(self, row: Typer, func: str, arg: ast.Expr) -> Unit | None:
        """The unit of `func` (sum, avg, …) over the row expression `arg`, typed by `row`: a
        number for a plain literal; a unit that is no number is an error."""
        unit = row.unit(arg)
        if unit is not None and unit not in U.NUMERIC:
            self.fail("E0301", "unit-mismatch", t("E0301.aggregate", func=func, unit=U.WORDS[unit]), arg.span)
            return None
        return Unit.NUMBER if unit == Unit.FLEX else unit


def _column_unit(col_type: str) -> Unit:
    return {
        schema.STRING: Unit.STRING, schema.MONEY: Unit.MONEY, schema.DURATION: Unit.DURATION,
        schema.DATETIME: Unit.DATETIME, schema.BOOL: Unit.BOOL, schema.DECIMAL: Unit.NUMBER,
        schema.INTEGER: Unit.NUMBER, schema.DATE: Unit.DATE,
    }[col_type]
