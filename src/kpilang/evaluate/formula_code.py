"""Formulas compiled to Python source over `Decimal`, once per plan.

Each expression becomes one Python expression. *No value* is Python's `None` and propagates the
way the language says: an arithmetic, a comparison or a call with a `None` operand is `None`, a
division by zero is `None`, `E otherwise F` gives F where E is `None`. Operands known never to be
`None` (literals, and whatever the caller declares so) skip the check, so a plain formula such as
`2% * revenue` compiles to `C0 * v3`.

The generated code names its values through `CodeSpace`: constants (numbers, strings, the
table look-up functions, call sites) become names bound in the namespace the code runs in, and
sub-results are kept in walrus temporaries (`_t1`) so that every operand is evaluated once.

A manager's extra column has the kind its data gives it (a number, a yes/no, a date, a text), known
only when the plan runs. Python would take a yes/no for 1 or 0 in arithmetic, and any text but
the empty one for true in a condition (`нет` too), so a manager column read as a number or
standing as a condition is checked where it is read: another kind raises `TypeError`, which the
error explainer turns into the person's error naming the column and its value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable

from kpilang.compile.program import SALARY
from kpilang.evaluate.numbers import digits_quantum, round_half_up
from kpilang.syntax import ast


@dataclass
class CodeSpace:
    """The namespace generated code runs in, and fresh names for it."""

    namespace: dict[str, Any] = field(default_factory=dict)
    _by_key: dict[Any, str] = field(default_factory=dict)
    _temps: int = 0

    def constant(self, value: Any, key: Any = None) -> str:
        """A name bound to `value` in the namespace: the same value gets the same name. A decimal, a
        text or a date is known by its type and its text (`1.0` and `1` are two values, `1` and `"1"`
        too), a function by its name; a call site, which two identical calls would share, by the `key`
        given."""
        if key is None:
            key = (type(value).__name__, str(value))
        name = self._by_key.get(key)
        if name is None:
            name = f"C{len(self._by_key)}"
            self._by_key[key] = name
            self.namespace[name] = value
        return name

    def temp(self) -> str:
        self._temps += 1
        return f"_t{self._temps}"


@dataclass(frozen=True)
class Code:
    source: str
    may_be_none: bool


def as_number(value: Any) -> Any:
    """A manager column's value where a formula computes with a number: a number or no value (a
    whole-number column's values are decimals by then: `PersonInputs`)."""
    if value is None or type(value) is Decimal:
        return value
    raise TypeError  # the error explainer names the column and its value


def as_yes_no(value: Any) -> Any:
    """A manager column's value standing as a condition: a yes/no or no value."""
    if value is None or value is True or value is False:
        return value
    raise TypeError  # the error explainer names the column and its value


def is_manager_column(e: Any) -> bool:
    """An extra column of managers, whose kind only the data tells (`salary` is always money)."""
    return isinstance(e, ast.Dotted) and e.table == "managers" and e.column != SALARY


def kinded_comparison(other: Any) -> bool:
    """Whether what a manager column is compared with says its kind: a text, a date or a yes/no
    literal, or another manager column. The column is then compared as it is (`managers.team =
    "north"`); compared with anything else, it is read as a number."""
    return isinstance(other, ast.Str | ast.DateLit | ast.Bool) or is_manager_column(other)

Leaf = Callable[[Any], Code]
"""Code for a leaf node: a Name, a Dotted name, or (in a metric) an aggregate call."""
TableCode = Callable[[ast.Call, list[str]], str]
"""Code for a table call given the code of its arguments (which are never None when it runs)."""


class FormulaCompiler:
    """Compiles expressions of one plan to Python source."""

    def __init__(self, space: CodeSpace, leaf: Leaf, table: TableCode, is_table: Callable[[str], bool]):
        self.space = space
        self.leaf = leaf
        self.table = table
        self.is_table = is_table

    def compile(self, e: Any) -> Code:
        match e:
            case ast.Num() | ast.Percent() | ast.Str() | ast.DateLit():
                return Code(self.space.constant(e.value), False)
            case ast.Duration():
                return Code(self.space.constant(Decimal(e.seconds)), False)
            case ast.Bool():
                return Code("True" if e.value else "False", False)
            case ast.Name() | ast.Dotted():
                return self.leaf(e)
            case ast.Neg(operand=o):
                return self._guarded([self._number(o)], lambda n: f"-{n[0]}")
            case ast.Not(operand=o):
                return self._guarded([self._condition(o)], lambda n: f"(not {n[0]})")
            case ast.Binary(op="/", left=left, right=right):
                return self._divide(self._number(left), self._number(right))
            case ast.Binary(op=op, left=left, right=right):
                return self._binary(self._number(left), self._number(right), "{} " + op + " {}")
            case ast.Compare(op=op, left=left, right=right):
                py = "==" if op == "=" else op
                return self._binary(self._compared(left, right), self._compared(right, left), "{} " + py + " {}")
            case ast.Logic(op=op, left=left, right=right):
                return self._logic(op, self._condition(left), self._condition(right))
            case ast.InList(operand=operand, items=items):
                return self._in(self.compile(operand), [self.compile(i) for i in items])
            case ast.If(cond=cond, then=then, else_=else_):
                c, a, b = self._condition(cond), self.compile(then), self.compile(else_)
                if not c.may_be_none:
                    return Code(f"({a.source} if {c.source} else {b.source})", a.may_be_none or b.may_be_none)
                t, bind = self._bound(c)
                return Code(f"(None if {bind} is None else ({a.source} if {t} else {b.source}))", True)
            case ast.Otherwise(expr=expr, fallback=fallback):
                a, b = self.compile(expr), self.compile(fallback)
                if not a.may_be_none:
                    return a
                t, bind = self._bound(a)
                return Code(f"({t} if {bind} is not None else {b.source})", b.may_be_none)
            case ast.Call():
                return self._call(e)
        raise AssertionError(f"cannot compile {type(e).__name__}")

    # ---- the kind a manager column must hold where it is read ----
    def _number(self, e: Any) -> Code:
        return self._checked(e, as_number)

    def _condition(self, e: Any) -> Code:
        return self._checked(e, as_yes_no)

    def _compared(self, e: Any, other: Any) -> Code:
        """A side of a comparison: compared as it is with a text, a date, a yes/no or another
        manager column; as a number with anything else."""
        return self.compile(e) if kinded_comparison(other) else self._number(e)

    def _checked(self, e: Any, check: Callable[[Any], Any]) -> Code:
        code = self.compile(e)
        if not is_manager_column(e):
            return code
        name = self.space.constant(check)
        return Code(f"{name}({code.source})", code.may_be_none)

    # ---- helpers ----
    def _guarded(self, operands: list[Code], body: Callable[[list[str]], str]) -> Code:
        """`body` over operands that are known not to be None; None if any of them is.

        Operands are evaluated once, left to right, and a None operand stops the evaluation there.
        A plain name (a local variable or a constant) is simply tested and used; anything computed
        is bound to a temporary, in order with the tests (a table look-up can raise).
        """
        if not any(op.may_be_none for op in operands):
            return Code(f"({body([op.source for op in operands])})", False)
        names, checks = [], []
        for op in operands:
            if op.source.isidentifier():
                names.append(op.source)
                if op.may_be_none:
                    checks.append(f"{op.source} is None")
                continue
            t = self.space.temp()
            names.append(t)
            checks.append(f"({t} := {op.source}) is None" if op.may_be_none else f"(({t} := {op.source}) is None and False)")
        return Code(f"(None if {' or '.join(checks)} else {body(names)})", True)

    def _binary(self, a: Code, b: Code, template: str) -> Code:
        return self._guarded([a, b], lambda n: template.format(n[0], n[1]))

    def _divide(self, a: Code, b: Code) -> Code:
        """No value when either side has none or the divisor is 0 (`not x` holds for both)."""
        checks = []
        if a.source.isidentifier():
            left = a.source
            if a.may_be_none:
                checks.append(f"{left} is None")
        else:
            left = self.space.temp()
            checks.append(f"({left} := {a.source}) is None" if a.may_be_none else f"(({left} := {a.source}) is None and False)")
        if b.source.isidentifier():
            right = b.source
            checks.append(f"not {right}")
        else:
            right = self.space.temp()
            checks.append(f"not ({right} := {b.source})")
        return Code(f"(None if {' or '.join(checks)} else {left} / {right})", True)

    def _logic(self, op: str, a: Code, b: Code) -> Code:
        """Left to right: `and` stops at false, `or` at true, both at no value."""
        stop = "False" if op == "and" else "True"
        t, bind = self._bound(a)
        if not a.may_be_none:
            return Code(f"({t} if {bind} is {stop} else {b.source})", b.may_be_none)
        return Code(f"({t} if {bind} is None or {t} is {stop} else {b.source})", True)

    def _bound(self, code: Code) -> tuple[str, str]:
        """A name for the value of `code` and the expression that first evaluates it there."""
        if code.source.isidentifier():
            return code.source, code.source
        t = self.space.temp()
        return t, f"({t} := {code.source})"

    def _in(self, operand: Code, items: list[Code]) -> Code:
        return self._guarded([operand, *items], lambda n: f"{n[0]} in ({', '.join(n[1:])},)")

    def _call(self, e: ast.Call) -> Code:
        if self.is_table(e.func):
            return self._guarded([self._number(a) for a in e.args], lambda names: self.table(e, names))
        if e.func in ("min", "max") and len(e.args) >= 2 and e.where is None:  # of values, not of rows
            fn = self.space.constant(min if e.func == "min" else max)
            return self._guarded([self._number(a) for a in e.args], lambda n: f"{fn}({', '.join(n)})")
        if e.func == "round":
            fn = self.space.constant(round_half_up)
            quantum = self.space.constant(digits_quantum(int(e.args[1].value)))
            return self._guarded([self._number(e.args[0])], lambda n: f"{fn}({n[0]}, {quantum})")
        return self.leaf(e)
