"""Grammar rules → typed AST nodes: Lark's inline transformer, whose methods the fast path's table
parser calls as Lark would (`parser.py`). Each method gets a rule's children and returns the node,
spanning from its first child to its last (a node in parentheses spans them where it is a part);
names are read in their normal form, and a bad literal (a date that does not exist) or a name whose
normal form is no name becomes a diagnostic.

Nodes are made without pydantic's validation, by constructors generated per class
(`node_factory.py`): the builder passes the right types, so validation would only repeat what the
grammar guarantees.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from lark import Token

from kpilang.diagnostics import Diagnostic, Severity, Span
from kpilang.messages import t
from kpilang.syntax import ast
from kpilang.syntax.node_factory import fast_constructor

_DURATION_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_NAME = re.compile(r"[^\W\d]\w*")
"""The grammar's NAME, for a name's normal form."""


def unescape(quoted: str) -> str:
    """`"a \\"b\\""` → `a "b"`; the grammar admits only `\\"` and `\\\\` escapes."""
    body = quoted[1:-1]
    if "\\" not in body:
        return body
    out, i = [], 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            out.append(body[i + 1])
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _number(text: str) -> Decimal:
    return Decimal(text.replace("_", ""))


class AstBuilder:
    """Lark's inline transformer, whose methods the fast path's table parser calls as Lark would:
    each method gets a rule's children (tokens, nodes, lists, None for an absent optional part)
    and returns the typed node. Bad literals (a date that does not exist) become diagnostics."""

    def __init__(self, keywords: Callable[[], frozenset[str]]) -> None:
        self.keywords = keywords
        """The words the grammar reserves, asked for only when a name is not ASCII (the parser
        knows them once Lark has read the grammar)."""
        self.file = "<input>"
        self.diagnostics: list[Diagnostic] = []
        self._outer: dict[int, Span] = {}
        """Node id → its span with the parentheses around it, for the span of the node around it."""

    def start_file(self, file: str) -> None:
        self.file = file
        self.diagnostics = []
        self._outer = {}

    def finish(self) -> None:
        self._outer = {}

    # ---- spans ----
    def _s(self, first, last) -> Span:
        """The span from the start of `first` to the end of `last` (tokens or nodes); a node that
        was in parentheses spans them here (`_outer`). Tokens and spans have the same position
        attributes, so either serves."""
        outer = self._outer
        start = first if isinstance(first, Token) else outer.get(id(first)) or first.span
        end = last if isinstance(last, Token) else outer.get(id(last)) or last.span
        return _span_at(self.file, start.line, start.column, end.end_line, end.end_column)

    def _t(self, tok: Token) -> Span:
        return _span_at(self.file, tok.line, tok.column, tok.end_line, tok.end_column)

    def _ident(self, tok: Token) -> ast.Ident:
        return _new_Ident(span=self._t(tok), name=self._name(tok))

    def _name(self, tok: Token) -> str:
        """A name as the plan means it: in Unicode's compatibility form (NFKC), as Python reads
        identifiers, so that `ﬁx` (with the ligature) and `fix`, or a full-width `ｃａｌｌｓ` and
        `calls`, are one name. A name whose normal form is no name (`a¼` → `a1⁄4`) or a keyword
        (`ｉｆ`) is an error."""
        text = str(tok)
        if text.isascii():
            return text
        normal = unicodedata.normalize("NFKC", text)
        if normal != text and (not _NAME.fullmatch(normal) or normal in self.keywords()):
            self.diagnostics.append(Diagnostic(
                code="E0109", name="bad-name", severity=Severity.ERROR,
                message=t("E0109.message", text=text, normal=normal), span=self._t(tok), help=t("E0109.help"),
            ))
        return normal

    @staticmethod
    def _label(tok: Token | None) -> str | None:
        return unescape(tok) if tok is not None else None

    # ---- top level ----
    def start(self, c):
        return list(c)

    def import_decl(self, c):
        return _new_Import(span=self._s(c[0], c[1]), path=unescape(c[1]), members=None)

    def members_import(self, c):
        return _new_Import(span=self._s(c[0], c[2]), path=unescape(c[2]), members=self._ident(c[1]))

    def member_path(self, c):
        return _new_Dotted(span=self._s(c[0], c[2]), table=self._name(c[0]),
                           column=f"{self._name(c[1])}.{self._name(c[2])}")

    def plan_decl(self, c):
        _, name, label, *fields, _rbrace = c
        return _new_Plan(span=self._s(c[0], _rbrace), name=self._ident(name), label=self._label(label), fields=fields)

    def plan_field(self, c):
        name, *values = c
        return _new_PlanField(span=self._s(name, values[-1]), name=self._ident(name), values=values)

    def field_name(self, c):
        return _new_Name(span=self._t(c[0]), name=self._name(c[0]))

    def metric_decl(self, c):
        _, name, label, _eq, expr, *clauses = c
        return _new_Metric(span=self._s(c[0], clauses[-1] if clauses else expr), name=self._ident(name), label=self._label(label), expr=expr,
                                          clauses=clauses)

    def kpi_decl(self, c):
        _, name, label, _eq, expr, *clauses = c
        return _new_Kpi(span=self._s(c[0], clauses[-1] if clauses else expr), name=self._ident(name), label=self._label(label), expr=expr,
                                       clauses=clauses)

    def pay_decl(self, c):
        _, name, label, _eq, expr, *clauses = c
        return _new_Pay(span=self._s(c[0], clauses[-1] if clauses else expr), name=self._ident(name), label=self._label(label), expr=expr,
                                       clauses=clauses)

    def kind_clause(self, c):
        return _new_Clause(span=self._s(c[0], c[1]), keyword="kind", value=None, words=[self._ident(c[1])])

    def uncontrollable_clause(self, c):
        roles = [self._ident(t) for t in c[1:] if t is not None]
        return _new_Clause(span=self._s(c[0], c[-1] if c[-1] is not None else c[0]), keyword="uncontrollable", value=None, words=roles)

    def controllable_clause(self, c):
        return _new_Clause(span=self._s(c[0], c[1]), keyword="controllable", value=self.string([c[1]]), words=[])

    def value_clause(self, c):
        return _new_Clause(span=self._s(c[0], c[1]), keyword=str(c[0]), value=c[1], words=[])

    def flag_clause(self, c):
        return _new_Clause(span=self._s(c[0], c[-1]), keyword="lower is better", value=None, words=[])

    def table_decl(self, c):
        _, name, label, graduated, *bands, _rbrace = c
        return _new_Table(
            span=self._s(c[0], _rbrace), name=self._ident(name), label=self._label(label),
            graduated=graduated is not None, bands=bands,
        )

    def band_below(self, c):
        return _new_Band(span=self._s(c[0], c[2]), kind="below", low=None, high=c[1], value=c[2])

    def band_range(self, c):
        return _new_Band(span=self._s(c[0], c[2]), kind="range", low=c[0], high=c[1], value=c[2])

    def band_from(self, c):
        return _new_Band(span=self._s(c[0], c[2]), kind="from", low=c[1], high=None, value=c[2])

    def test_decl(self, c):
        _, name, *sections, _rbrace = c
        return _new_Test(span=self._s(c[0], _rbrace), name=unescape(name), sections=sections)

    def test_section(self, c):
        keyword, *assignments = c
        return _new_TestSection(span=self._s(keyword, assignments[-1]), keyword=str(keyword), assignments=assignments)

    def assignment(self, c):
        return _new_Assignment(span=self._s(c[0], c[2]), target=c[0], value=c[2])

    def test_call(self, c):
        name, arg, _rpar = c
        return _new_Call(span=self._s(name, _rpar), func=self._name(name), func_span=self._t(name), args=[arg], where=None)

    # ---- expressions ----
    def otherwise(self, c):
        return _new_Otherwise(span=self._s(c[0], c[1]), expr=c[0], fallback=c[1])

    def if_then_else(self, c):
        return _new_If(span=self._s(c[0], c[3]), cond=c[1], then=c[2], else_=c[3])

    def or_op(self, c):
        return _new_Logic(span=self._s(c[0], c[1]), op="or", left=c[0], right=c[1])

    def and_op(self, c):
        return _new_Logic(span=self._s(c[0], c[1]), op="and", left=c[0], right=c[1])

    def not_op(self, c):
        return _new_Not(span=self._s(c[0], c[1]), operand=c[1])

    def compare(self, c):
        return _new_Compare(span=self._s(c[0], c[2]), op=str(c[1]), left=c[0], right=c[2])

    def in_list(self, c):
        operand, *items, _rsqb = c
        return _new_InList(span=self._s(operand, _rsqb), operand=operand, items=[i for i in items if i is not None])

    def binary(self, c):
        return _new_Binary(span=self._s(c[0], c[2]), op=str(c[1]), left=c[0], right=c[2])

    def neg(self, c):
        return _new_Neg(span=self._s(c[0], c[1]), operand=c[1])

    def paren(self, c):
        # The node keeps its own span; the node around it spans the parentheses too.
        self._outer[id(c[1])] = self._s(c[0], c[2])
        return c[1]

    def call(self, c):
        name, args, _where, where, _rpar = c
        return _new_Call(
            span=self._s(name, _rpar), func=self._name(name), func_span=self._t(name), args=args or [], where=where,
        )

    def call_args(self, c):
        return list(c)

    def name(self, c):
        return _new_Name(span=self._t(c[0]), name=self._name(c[0]))

    def dotted(self, c):
        return _new_Dotted(span=self._s(c[0], c[1]), table=self._name(c[0]), column=self._name(c[1]))

    def number(self, c):
        return _new_Num(span=self._t(c[0]), value=_number(c[0]), text=str(c[0]))

    def percent(self, c):
        return _new_Percent(span=self._t(c[0]), value=_number(c[0][:-1]).scaleb(-2), text=str(c[0]))

    def duration(self, c):
        text = str(c[0])
        seconds = int(text[:-1].replace("_", "")) * _DURATION_SECONDS[text[-1]]
        return _new_Duration(span=self._t(c[0]), seconds=seconds, text=text)

    def date(self, c):
        text = str(c[0])
        try:
            value = date.fromisoformat(text)
        except ValueError:
            self.diagnostics.append(Diagnostic(
                code="E0105", name="bad-date", severity=Severity.ERROR,
                message=t("E0105.message", text=text), span=self._t(c[0]), help=t("E0105.help"),
            ))
            value = date(1, 1, 1)
        return _new_DateLit(span=self._t(c[0]), value=value)

    def string(self, c):
        return _new_Str(span=self._t(c[0]), value=unescape(c[0]))

    def true(self, c):
        return _new_Bool(span=self._t(c[0]), value=True)

    def false(self, c):
        return _new_Bool(span=self._t(c[0]), value=False)


_span_at = fast_constructor(Span)

for _cls in (ast.Num, ast.Percent, ast.Duration, ast.DateLit, ast.Str, ast.Bool, ast.Name, ast.Dotted, ast.Neg, ast.Not,
             ast.Binary, ast.Compare, ast.Logic, ast.InList, ast.If, ast.Otherwise, ast.Call, ast.Ident, ast.Import,
             ast.PlanField, ast.Plan, ast.Clause, ast.Metric, ast.Kpi, ast.Band, ast.Table, ast.Pay, ast.Assignment,
             ast.TestSection, ast.Test):
    globals()[f"_new_{_cls.__name__}"] = fast_constructor(_cls)
del _cls
