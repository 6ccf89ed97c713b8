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

Speed: the builder is Lark's inline transformer (`syntax/transformer.py`: no intermediate parse
tree, no second pass), each node's span comes from its first and last child (not Lark's
`propagate_positions`), nodes are made without pydantic's validation by constructors generated per
class (`syntax/node_factory.py`; the builder passes the right types, so validation would only
repeat what the grammar guarantees), and the garbage collector rests during the parse and leaves
the new nodes in its oldest generation.
`bench/parse_compile.py` measures it.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import threading
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from lark import Lark, Token
from lark.exceptions import UnexpectedInput

from kpilang.diagnostics import Diagnostic
from kpilang.syntax import ast
from kpilang.syntax.bidi import bidi_control_errors
from kpilang.syntax.errors import syntax_error
from kpilang.syntax.nesting import nesting_errors
from kpilang.syntax.transformer import AstBuilder

if TYPE_CHECKING:  # the fast path is imported when first built: it reads Lark's internals
    from kpilang.syntax.lalr import TableParser
    from kpilang.syntax.lexer import Tokenizer

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


_builder = AstBuilder(_keywords)
