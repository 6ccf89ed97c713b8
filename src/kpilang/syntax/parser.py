"""Text → `Module`: the cached LALR parser, the transformer to typed nodes, comments kept aside.

The grammar lives in `grammar/kpilang.lark` at the top of the repository and is shipped inside
the wheel as `kpilang/grammar/kpilang.lark`; `grammar_text()` finds it in either place.
"""

from __future__ import annotations

import functools
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedInput

from kpilang.diagnostics import Diagnostic, Severity, Span
from kpilang.syntax import ast
from kpilang.syntax.errors import syntax_error

_DURATION_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def grammar_text() -> str:
    packaged = resources.files("kpilang").joinpath("grammar/kpilang.lark")
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    # A source checkout (editable install): the grammar sits at the repository's top level.
    return (Path(__file__).resolve().parents[3] / "grammar" / "kpilang.lark").read_text(encoding="utf-8")


class _Comments:
    """Collects comments during one parse (the Lark lexer callback is fixed at construction)."""

    def __init__(self) -> None:
        self.items: list[ast.Comment] = []

    def __call__(self, token: Token) -> Token:
        self.items.append(ast.Comment(line=token.line, column=token.column, text=token.value.rstrip()))
        return token


_comments = _Comments()


@functools.cache
def lark_parser() -> Lark:
    return Lark(
        grammar_text(),
        parser="lalr",
        lexer="basic",  # keywords stay keywords everywhere: `target weight` is an error, not a name
        propagate_positions=True,
        maybe_placeholders=True,
        lexer_callbacks={"COMMENT": _comments},
    )


def parse(text: str, file: str = "<input>") -> tuple[ast.Module | None, list[Diagnostic]]:
    """Parse one file. Returns the module (None on a syntax error) and the diagnostics."""
    parser = lark_parser()
    _comments.items = []
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        tree = parser.parse(text)
    except UnexpectedInput as err:
        return None, [syntax_error(err, text, file, parser)]
    builder = _AstBuilder(file)
    items = builder.transform(tree)
    if builder.diagnostics:
        return None, builder.diagnostics
    return ast.Module(file=file, items=items, comments=list(_comments.items)), []


def _span(file: str, meta) -> Span:
    return Span(file=file, line=meta.line, column=meta.column, end_line=meta.end_line, end_column=meta.end_column)


def _tok_span(file: str, tok: Token) -> Span:
    return Span(file=file, line=tok.line, column=tok.column, end_line=tok.end_line, end_column=tok.end_column)


def unescape(quoted: str) -> str:
    """`"a \\"b\\""` → `a "b"`; the grammar admits only `\\"` and `\\\\` escapes."""
    body = quoted[1:-1]
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


@v_args(meta=True)
class _AstBuilder(Transformer):
    """Lark tree → typed nodes. Bad literals (a date that does not exist) become diagnostics."""

    def __init__(self, file: str) -> None:
        super().__init__()
        self.file = file
        self.diagnostics: list[Diagnostic] = []

    def _s(self, meta) -> Span:
        return _span(self.file, meta)

    def _t(self, tok: Token) -> Span:
        return _tok_span(self.file, tok)

    def _ident(self, tok: Token) -> ast.Ident:
        return ast.Ident(span=self._t(tok), name=str(tok))

    def _label(self, tok: Token | None) -> str | None:
        return unescape(tok) if tok is not None else None

    # ---- top level ----
    def start(self, meta, items):
        return list(items)

    def import_decl(self, meta, c):
        return ast.Import(span=self._s(meta), path=unescape(c[1]))

    def plan_decl(self, meta, c):
        _, name, label, *fields = c
        return ast.Plan(span=self._s(meta), name=self._ident(name), label=self._label(label), fields=fields)

    def plan_field(self, meta, c):
        name, *values = c
        return ast.PlanField(span=self._s(meta), name=self._ident(name), values=values)

    def field_name(self, meta, c):
        return ast.Name(span=self._t(c[0]), name=str(c[0]))

    def metric_decl(self, meta, c):
        _, name, label, _eq, expr, *clauses = c
        return ast.Metric(span=self._s(meta), name=self._ident(name), label=self._label(label), expr=expr, clauses=clauses)

    def kpi_decl(self, meta, c):
        _, name, label, _eq, expr, *clauses = c
        return ast.Kpi(span=self._s(meta), name=self._ident(name), label=self._label(label), expr=expr, clauses=clauses)

    def pay_decl(self, meta, c):
        _, name, label, _eq, expr, *clauses = c
        return ast.Pay(span=self._s(meta), name=self._ident(name), label=self._label(label), expr=expr, clauses=clauses)

    def kind_clause(self, meta, c):
        return ast.Clause(span=self._s(meta), keyword="kind", words=[self._ident(c[1])])

    def uncontrollable_clause(self, meta, c):
        roles = [self._ident(t) for t in c[1:] if t is not None]
        return ast.Clause(span=self._s(meta), keyword="uncontrollable", words=roles)

    def value_clause(self, meta, c):
        return ast.Clause(span=self._s(meta), keyword=str(c[0]), value=c[1])

    def flag_clause(self, meta, c):
        return ast.Clause(span=self._s(meta), keyword="lower is better")

    def table_decl(self, meta, c):
        _, name, label, graduated, *bands = c
        return ast.Table(
            span=self._s(meta), name=self._ident(name), label=self._label(label),
            graduated=graduated is not None, bands=bands,
        )

    def band_below(self, meta, c):
        return ast.Band(span=self._s(meta), kind="below", high=c[1], value=c[2])

    def band_range(self, meta, c):
        return ast.Band(span=self._s(meta), kind="range", low=c[0], high=c[1], value=c[2])

    def band_from(self, meta, c):
        return ast.Band(span=self._s(meta), kind="from", low=c[1], value=c[2])

    def test_decl(self, meta, c):
        _, name, *sections = c
        return ast.Test(span=self._s(meta), name=unescape(name), sections=sections)

    def test_section(self, meta, c):
        keyword, *assignments = c
        return ast.TestSection(span=self._s(meta), keyword=str(keyword), assignments=assignments)

    def assignment(self, meta, c):
        return ast.Assignment(span=self._s(meta), target=c[0], value=c[2])

    def test_call(self, meta, c):
        name, arg, _rpar = c
        return ast.Call(span=self._s(meta), func=str(name), func_span=self._t(name), args=[arg])

    # ---- expressions ----
    def otherwise(self, meta, c):
        return ast.Otherwise(span=self._s(meta), expr=c[0], fallback=c[1])

    def if_then_else(self, meta, c):
        return ast.If(span=self._s(meta), cond=c[1], then=c[2], else_=c[3])

    def or_op(self, meta, c):
        return ast.Logic(span=self._s(meta), op="or", left=c[0], right=c[1])

    def and_op(self, meta, c):
        return ast.Logic(span=self._s(meta), op="and", left=c[0], right=c[1])

    def not_op(self, meta, c):
        return ast.Not(span=self._s(meta), operand=c[1])

    def compare(self, meta, c):
        return ast.Compare(span=self._s(meta), op=str(c[1]), left=c[0], right=c[2])

    def in_list(self, meta, c):
        operand, *items, _rsqb = c
        return ast.InList(span=self._s(meta), operand=operand, items=[i for i in items if i is not None])

    def binary(self, meta, c):
        return ast.Binary(span=self._s(meta), op=str(c[1]), left=c[0], right=c[2])

    def neg(self, meta, c):
        return ast.Neg(span=self._s(meta), operand=c[1])

    def paren(self, meta, c):
        return c[1]

    def call(self, meta, c):
        name, args, _where, where, _rpar = c
        return ast.Call(
            span=self._s(meta), func=str(name), func_span=self._t(name), args=args or [], where=where,
        )

    def call_args(self, meta, c):
        return list(c)

    def name(self, meta, c):
        return ast.Name(span=self._t(c[0]), name=str(c[0]))

    def dotted(self, meta, c):
        return ast.Dotted(span=self._s(meta), table=str(c[0]), column=str(c[1]))

    def number(self, meta, c):
        return ast.Num(span=self._t(c[0]), value=_number(c[0]), text=str(c[0]))

    def percent(self, meta, c):
        return ast.Percent(span=self._t(c[0]), value=_number(c[0][:-1]).scaleb(-2), text=str(c[0]))

    def duration(self, meta, c):
        text = str(c[0])
        return ast.Duration(span=self._t(c[0]), seconds=int(text[:-1].replace("_", "")) * _DURATION_SECONDS[text[-1]], text=text)

    def date(self, meta, c):
        text = str(c[0])
        try:
            value = date.fromisoformat(text)
        except ValueError:
            self.diagnostics.append(Diagnostic(
                code="E0105", name="bad-date", severity=Severity.ERROR,
                message=f"`{text}` is not a date in the calendar",
                span=self._t(c[0]), help="write dates as YYYY-MM-DD, for example 2026-07-01",
            ))
            value = date(1, 1, 1)
        return ast.DateLit(span=self._t(c[0]), value=value)

    def string(self, meta, c):
        return ast.Str(span=self._t(c[0]), value=unescape(c[0]))

    def true(self, meta, c):
        return ast.Bool(span=self._t(c[0]), value=True)

    def false(self, meta, c):
        return ast.Bool(span=self._t(c[0]), value=False)
