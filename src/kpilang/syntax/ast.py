"""The typed syntax tree of a kpilang file: pydantic nodes named after the grammar's rules.

Every node carries the `Span` of its source text. Nodes hold what was written, not what it means:
names are unresolved and clauses are kept in the order written; the compiler gives them meaning.
Literals keep their source text so that the formatter reprints `1_000_000` as written.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field

from kpilang.diagnostics import Span


class Node(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    span: Span


# ---- expressions ---------------------------------------------------------------------------------


class Num(Node):
    node: Literal["num"] = "num"
    value: Decimal
    text: str


class Percent(Node):
    """`8%`: the value is the fraction (0.08)."""

    node: Literal["percent"] = "percent"
    value: Decimal
    text: str


class Duration(Node):
    node: Literal["duration"] = "duration"
    seconds: int
    text: str


class DateLit(Node):
    node: Literal["date"] = "date"
    value: date


class Str(Node):
    node: Literal["str"] = "str"
    value: str


class Bool(Node):
    node: Literal["bool"] = "bool"
    value: bool


class Name(Node):
    node: Literal["name"] = "name"
    name: str


class Dotted(Node):
    """`targets.revenue`, `managers.team`, `deals.amount`; a member's pay `members.pays.total` is
    `members` . `pays.total`."""

    node: Literal["dotted"] = "dotted"
    table: str
    column: str


class Neg(Node):
    node: Literal["neg"] = "neg"
    operand: "Expr"


class Not(Node):
    node: Literal["not"] = "not"
    operand: "Expr"


class Binary(Node):
    """Arithmetic `+ - * /`."""

    node: Literal["binary"] = "binary"
    op: Literal["+", "-", "*", "/"]
    left: "Expr"
    right: "Expr"


class Compare(Node):
    node: Literal["compare"] = "compare"
    op: Literal["=", "!=", "<", "<=", ">", ">="]
    left: "Expr"
    right: "Expr"


class Logic(Node):
    node: Literal["logic"] = "logic"
    op: Literal["and", "or"]
    left: "Expr"
    right: "Expr"


class InList(Node):
    node: Literal["in"] = "in"
    operand: "Expr"
    items: list["Expr"]


class If(Node):
    node: Literal["if"] = "if"
    cond: "Expr"
    then: "Expr"
    else_: "Expr"


class Otherwise(Node):
    """`E otherwise F`: F where E has no value."""

    node: Literal["otherwise"] = "otherwise"
    expr: "Expr"
    fallback: "Expr"


class Call(Node):
    """A function, aggregate or table call: `count(deals where stage = "won")`, `min(a, b)`,
    `multiplier(kpi_score)`. `where` is only meaningful for aggregates."""

    node: Literal["call"] = "call"
    func: str
    func_span: Span
    args: list["Expr"]
    where: "Expr | None" = None


Expr = Annotated[
    Union[
        Num, Percent, Duration, DateLit, Str, Bool, Name, Dotted, Neg, Not, Binary, Compare, Logic,
        InList, If, Otherwise, Call,
    ],
    Field(discriminator="node"),
]

LITERAL_TYPES = (Num, Percent, Duration, DateLit, Str, Bool)

# ---- declarations --------------------------------------------------------------------------------


class Ident(Node):
    """A declared name with its own span (for \"first declared here\" notes)."""

    name: str


class Import(Node):
    """`import "lib/common.kpi"` (a library), or `import members "cold_sales.kpi"` (a plan the
    people of a team plan's team are paid by; `members` holds the word written after `import`)."""

    decl: Literal["import"] = "import"
    path: str
    members: Ident | None = None


class PlanField(Node):
    """`role cold, inbound`; `timezone "Europe/Moscow"`; values are literals or bare words (Name)."""

    name: Ident
    values: list[Expr]


class Plan(Node):
    decl: Literal["plan"] = "plan"
    name: Ident
    label: str | None = None
    fields: list[PlanField]


class Clause(Node):
    """A clause after a declaration: `target EXPR`, `weight 50%`, `cap …`, `floor …`,
    `kind result`, `uncontrollable [for ROLE, …]`, `controllable "REASON"`, `lower is better`."""

    keyword: str
    value: Expr | None = None
    words: list[Ident] = []


class Metric(Node):
    decl: Literal["metric"] = "metric"
    name: Ident
    label: str | None = None
    expr: Expr
    clauses: list[Clause] = []


class Kpi(Node):
    decl: Literal["kpi"] = "kpi"
    name: Ident
    label: str | None = None
    expr: Expr
    clauses: list[Clause] = []


class Band(Node):
    """`below X : V` (s < X), `X to Y : V` (X ≤ s < Y), `from X : V` (s ≥ X)."""

    kind: Literal["below", "range", "from"]
    low: Expr | None = None
    high: Expr | None = None
    value: Expr


class Table(Node):
    decl: Literal["table"] = "table"
    name: Ident
    label: str | None = None
    graduated: bool = False
    bands: list[Band]


class Pay(Node):
    decl: Literal["pay"] = "pay"
    name: Ident
    label: str | None = None
    expr: Expr
    clauses: list[Clause] = []


class Assignment(Node):
    """`calls = 900` in `given`, `bonus = 0` in `expect`; the left side is a name, a dotted name
    (`targets.revenue`) or a table call (`multiplier(kpi_score)`)."""

    target: Expr
    value: Expr


class TestSection(Node):
    keyword: Literal["given", "expect"]
    assignments: list[Assignment]


class Test(Node):
    decl: Literal["test"] = "test"
    name: str
    sections: list[TestSection]


Declaration = Annotated[Union[Import, Plan, Metric, Kpi, Table, Pay, Test], Field(discriminator="decl")]


class Comment(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    line: int
    column: int
    text: str


class Module(BaseModel):
    """One parsed file."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    file: str
    items: list[Declaration]
    comments: list[Comment] = []


for _model in (Neg, Not, Binary, Compare, Logic, InList, If, Otherwise, Call, PlanField, Clause, Metric,
               Kpi, Band, Pay, Assignment, TestSection, Test, Module):
    _model.model_rebuild()


def strip_spans(value: Any) -> Any:
    """A plain structure of a node with every span removed: two trees that differ only in
    layout compare equal."""
    if isinstance(value, BaseModel):
        return {
            "__type__": type(value).__name__,
            **{k: strip_spans(getattr(value, k)) for k in type(value).model_fields if k not in ("span", "func_span")},
        }
    if isinstance(value, list | tuple):
        return [strip_spans(v) for v in value]
    return value


def children(expr: Any) -> list[Any]:
    """The direct sub-expressions of an expression node, in source order."""
    match expr:
        case Neg(operand=o) | Not(operand=o):
            return [o]
        case Binary(left=l, right=r) | Compare(left=l, right=r) | Logic(left=l, right=r):
            return [l, r]
        case InList(operand=o, items=items):
            return [o, *items]
        case If(cond=c, then=t, else_=e):
            return [c, t, e]
        case Otherwise(expr=e, fallback=f):
            return [e, f]
        case Call(args=args, where=w):
            return [*args, w] if w is not None else list(args)
    return []


def walk(expr: Any):
    """Every node of an expression, parents before children."""
    stack = [expr]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(children(node)))
