"""Text → `Module`: the cached LALR parser that builds typed nodes as it parses, comments kept aside.

The grammar lives in `grammar/kpilang.lark` at the top of the repository and is shipped inside
the wheel as `kpilang/grammar/kpilang.lark`; `grammar_text()` finds it in either place. Lark
reads it and computes the LALR table (`lark_parser()`).

Two ways run that table over a text, giving the same module (`tests/syntax/test_fast_parser.py`):
- the fast path (`parse_fast`), which `parse` tries first: `syntax/lexer.py` tokenizes with the
  regular expression Lark built, `syntax/lalr.py` runs Lark's table and callbacks in a tighter
  loop. It reads valid text only, and rejects the rest without saying why;
- Lark's own lexer and parser (`parse_with_lark`): for a text the fast path rejects, Lark parses
  it again to report the syntax error with what it expected (`syntax/errors.py`).

Either way, a text with a bidirectional control character is refused before it is parsed
(`syntax/bidi.py`), and a module with a formula nested deeper than the later stages can walk
after (`syntax/nesting.py`): every module `parse` returns is safe for every stage.

Speed: the builder is Lark's inline transformer (no intermediate parse tree, no second pass), each
node's span comes from its first and last child (not Lark's `propagate_positions`), nodes are made
without pydantic's validation by constructors generated per class (`syntax/node_factory.py`; the
builder passes the right types, so validation would only repeat what the grammar guarantees), and
the garbage collector rests during the parse and leaves the new nodes in its oldest generation.
`bench/parse_compile.py` measures it.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import re
import threading
import unicodedata
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from lark import Lark, Token
from lark.exceptions import UnexpectedInput

from kpilang.diagnostics import Diagnostic, Severity, Span
from kpilang.messages import t
from kpilang.syntax import ast
from kpilang.syntax.bidi import bidi_control_errors
from kpilang.syntax.errors import syntax_error
from kpilang.syntax.nesting import nesting_errors
from kpilang.syntax.node_factory import fast_constructor

if TYPE_CHECKING:  # the fast path is imported when first built: it reads Lark's internals
    from kpilang.syntax.lalr import TableParser
    from kpilang.syntax.lexer import Tokenizer

_DURATION_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_NAME = re.compile(r"[^\W\d]\w*")
"""The grammar's NAME, for a name's normal form."""


def grammar_text() -> str:
    packaged = resources.files("kpilang").joinpath("grammar/kpilang.lark")
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    # A source checkout (editable install): the grammar sits at the repository's top level.
    return (Path(__file__).resolve().parents[3] / "grammar" / "kpilang.lark").read_text(encoding="utf-8")


class _Comments:
    """Collects comments during one parse: Lark's lexer callback for COMMENT, which the fast
    path's tokenizer calls too (the callback is fixed when the parser is built)."""

    def __init__(self) -> None:
        self.items: list[ast.Comment] = []

    def __call__(self, token: Token) -> Token:
        self.items.append(ast.Comment(line=token.line, column=token.column, text=token.value.rstrip()))
        return token


_comments = _Comments()
_lock = threading.Lock()
"""One parse at a time: the comment collector and the builder hold the state of the current parse."""


@functools.cache
def _keywords() -> frozenset[str]:
    """The words the grammar reserves (its terminals spelt by a plain word)."""
    return frozenset(term.pattern.value for term in lark_parser().terminals
                     if term.pattern.type == "str" and term.pattern.value.isidentifier())


@functools.cache
def lark_parser() -> Lark:
    return Lark(
        grammar_text(),
        parser="lalr",
        lexer="basic",  # keywords stay keywords everywhere: `target weight` is an error, not a name
        maybe_placeholders=True,
        transformer=_builder,
        lexer_callbacks={"COMMENT": _comments},
        # The grammar analysis, stored in the temporary directory keyed by the grammar's hash: every
        # command after the first starts about 0.1 s sooner. An unusable cache is rebuilt.
        cache=True,
    )


FAST_PATH_LARK = ("1.3.",)
"""The releases of Lark whose internals the fast path is tested against (by the differential test)."""


@functools.cache
def fast_parser() -> tuple[Tokenizer, TableParser] | None:
    """The tokenizer and table parser built from `lark_parser()`: its terminals, table and
    callbacks. None under a release of Lark they are not tested with (its internals may differ)
    or whose internals are not the ones they read: every text then takes Lark's own loop, slower,
    with the same result. (The differential test fails under such a release, so it is noticed.)"""
    import lark

    if not lark.__version__.startswith(FAST_PATH_LARK):
        return None
    try:
        from kpilang.syntax.lalr import TableParser
        from kpilang.syntax.lexer import Tokenizer

        lark = lark_parser()
        frontend = lark.parser.parser.parser  # the frontend's LALR parser's table and rule callbacks
        return Tokenizer(lark.parser.lexer), TableParser(frontend.parse_table, frontend.callbacks)
    except (ImportError, AttributeError, NotImplementedError, TypeError, KeyError, ValueError):
        return None


def parse(text: str, file: str = "<input>") -> tuple[ast.Module | None, list[Diagnostic]]:
    """Parse one file. Returns the module (None on a syntax error) and the diagnostics."""
    if fast_parser() is not None:
        from kpilang.syntax.lalr import SyntaxRejected
        from kpilang.syntax.lexer import UnreadableText

        try:
            return parse_fast(text, file)
        except (UnreadableText, SyntaxRejected):
            pass
    return parse_with_lark(text, file)  # a syntax error, said in Lark's words


def parse_fast(text: str, file: str = "<input>") -> tuple[ast.Module | None, list[Diagnostic]]:
    """`parse` by the fast tokenizer and table parser, which read valid text only: on a syntax
    error they raise `UnreadableText` or `SyntaxRejected` instead of a diagnostic."""
    fast = fast_parser()
    if fast is None:
        raise RuntimeError("the fast parse path does not support this release of Lark")
    tokenizer, table = fast
    return _parse(text, file, lambda text: table.parse(tokenizer.tokenize(text)))


def parse_with_lark(text: str, file: str = "<input>") -> tuple[ast.Module | None, list[Diagnostic]]:
    """`parse` by Lark's own lexer and parser loop: the reference the fast path is tested against,
    and what explains a syntax error."""
    return _parse(text, file, lark_parser().parse)


def _parse(text: str, file: str, run: Callable[[str], list]) -> tuple[ast.Module | None, list[Diagnostic]]:
    if text.startswith("\ufeff"):
        text = text[1:]
    refused = bidi_control_errors(text, file)
    if refused:
        return None, refused
    with _lock, _gc_paused():
        _comments.items = []
        _builder.start_file(file)
        try:
            items = run(text)
        except UnexpectedInput as err:  # from Lark's loop: the fast path raises its own rejections
            return None, [syntax_error(err, text, file, lark_parser())]
        finally:
            _builder.finish()
        if _builder.diagnostics:
            return None, list(_builder.diagnostics)
        module = ast.Module(file=file, items=items, comments=list(_comments.items))
    too_deep = nesting_errors(module)  # after this, no stage meets a formula deeper than it can walk
    if too_deep:
        return None, too_deep
    return module, []


@contextlib.contextmanager
def _gc_paused():
    """A parse allocates tens of thousands of nodes that all stay alive and form no cycles; the
    cyclic garbage collector would traverse them again and again for nothing (40% of the time of
    a 10,000-line plan). It is paused for the parse and restored as it was.

    Resumed as is, it would still visit every new node twice soon after (all are in the youngest
    generation, then the middle one: 0.07 s for that plan). `freeze()` and `unfreeze()` move every
    tracked object to the oldest generation at once, visited only by a full collection, if one
    comes; nothing is exempted from collection. Not when the program has frozen objects of its
    own (`gc.freeze()` before forking, say): `unfreeze()` would put those back too."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if collecting:
            gc.enable()


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


class _AstBuilder:
    """Lark's inline transformer, whose methods the fast path's table parser calls as Lark would:
    each method gets a rule's children (tokens, nodes, lists, None for an absent optional part)
    and returns the typed node. Bad literals (a date that does not exist) become diagnostics."""

    def __init__(self) -> None:
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
        if normal != text and (not _NAME.fullmatch(normal) or normal in _keywords()):
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

_builder = _AstBuilder()
