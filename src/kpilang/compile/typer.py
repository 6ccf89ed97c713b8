"""The unit of every expression (money, count, percent, …), checked as the compiler meets formulas.

`Typer` walks one formula: it resolves each name through a `NameResolver` (the compiler, which
knows the declarations and compiles a metric or table early when a formula uses it before its
declaration), records what the formula depends on, and reports every unit that does not combine.
It never imports the compiler: the resolver is all it knows of it.

Here: literals and operators. Names are typed by `typer_names.py`, calls (functions, tables,
aggregates) by `typer_calls.py`.
"""

from __future__ import annotations

from collections.abc import Callable

from kpilang.compile import typer_calls, typer_names
from kpilang.compile import units as U
from kpilang.compile.help import binary_help
from kpilang.compile.program import Unit
from kpilang.compile.resolver import NameResolver
from kpilang.diagnostics import Span
from kpilang.messages import Text, t
from kpilang.syntax import ast

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

    # names: typer_names.py
    def _name(self, e: ast.Name) -> Unit | None:
        return typer_names.name_unit(self, e)

    def _dotted(self, e: ast.Dotted) -> Unit | None:
        return typer_names.dotted_unit(self, e)

    # operators
    def _neg(self, e: ast.Neg):
        u = self.unit(e.operand)
        if u is not None and u not in U.NUMERIC:
            self.fail("E0301", "unit-mismatch", t("E0301.negate", unit=U.WORDS[u]), e.span)
            return None
        return u

    def _not(self, e: ast.Not):
        return self.need_bool(e.operand)

    def need_bool(self, e) -> Unit | None:
        """A condition's unit, which must be yes/no."""
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
        a, b = self.need_bool(e.left), self.need_bool(e.right)
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
        cond = self.need_bool(e.cond)
        return self.common_unit(e, [e.then, e.else_], t("E0301.if")) if cond else None

    def _otherwise(self, e: ast.Otherwise):
        return self.common_unit(e, [e.expr, e.fallback], t("E0301.otherwise"))

    def common_unit(self, e, parts, message: Text) -> Unit | None:
        """The unit every part has (a bare number takes the others'); parts that differ are an error."""
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

    # calls: typer_calls.py
    def _call(self, e: ast.Call) -> Unit | None:
        return typer_calls.call_unit(self, e)

    def aggregate(self, e: ast.Call) -> Unit | None:
        """The unit of an aggregate over a data table's rows (`history.py` types `retained` as one)."""
        return typer_calls.aggregate_unit(self, e)

    def aggregated_unit(self, row: Typer, func: str, arg: ast.Expr) -> Unit | None:
        """The unit of `func` (sum, avg, …) over the row expression `arg`, typed by `row`: a
        number for a plain literal; a unit that is no number is an error."""
        unit = row.unit(arg)
        if unit is not None and unit not in U.NUMERIC:
            self.fail("E0301", "unit-mismatch", t("E0301.aggregate", func=func, unit=U.WORDS[unit]), arg.span)
            return None
        return Unit.NUMBER if unit == Unit.FLEX else unit
