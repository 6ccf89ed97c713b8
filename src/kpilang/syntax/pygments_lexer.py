"""A Pygments lexer for kpilang (`*.kpi`), registered under the `pygments.lexers` entry point.

It highlights the docs' ```kpi blocks and anything else that uses Pygments (`pygmentize`,
Sphinx, MkDocs). Its words and token shapes come from `syntax/vocabulary.py`, that is from the
grammar and the compiler's lists, so a keyword added there is highlighted without an edit here.

A character that begins no token of the language is an `Error` token, as in the parser: the
tests run the lexer over every shipped plan and the docs' examples and expect none.
"""

from __future__ import annotations

import re

from pygments.lexer import RegexLexer, bygroups, words
from pygments.token import (
    Comment, Error, Keyword, Literal, Name, Number, Operator, Punctuation, String, Whitespace,
)

from kpilang.syntax.vocabulary import CONSTANTS, vocabulary

IGNORE_COMMENT = r"#\s*kpilang:\s*ignore\[[^\]\n]*\][^\n]*"
"""An ignore comment (`lint/run.py` reads it): shown apart from other comments."""

_LITERAL_TOKENS = {"DATE": Literal.Date, "DURATION": Number, "PERCENT": Number, "NUMBER": Number,
                   "STRING": String.Double}


def _word(pattern: str) -> str:
    """A whole word: not part of a longer name (names may hold letters of any script)."""
    return rf"(?<!\w)(?:{pattern})(?!\w)"


def _rules() -> list:
    v = vocabulary()
    name = v.name
    constants = tuple(w for w in v.keywords if w in CONSTANTS)
    rules: list = [
        (r"\s+", Whitespace),
        (IGNORE_COMMENT, Comment.Special),
        (v.comment, Comment.Single),
    ]
    rules += [(pattern, _LITERAL_TOKENS.get(terminal, Literal)) for terminal, pattern in v.literals.items()]
    rules += [
        # `metric calls`, `kpi revenue_plan`: the declared name
        (rf"({_word('|'.join(d for d in v.declarations if d not in ('import', 'test')))})(\s+)({name})",
         bygroups(Keyword.Declaration, Whitespace, Name.Function)),
        (_word("|".join(v.declarations)), Keyword.Declaration),
        (words(constants, prefix=r"(?<!\w)", suffix=r"(?!\w)"), Keyword.Constant),
        (words(v.keywords, prefix=r"(?<!\w)", suffix=r"(?!\w)"), Keyword),
        (rf"{_word('|'.join(v.functions))}(?=\s*\()", Name.Builtin),
        (rf"{name}(?=\s*\()", Name.Function),
        (rf"({name})(\.)({name})", bygroups(Name.Variable, Punctuation, Name.Attribute)),
        (words(v.builtin_names, prefix=r"(?<!\w)", suffix=r"(?!\w)"), Name.Builtin.Pseudo),
        (words(v.plan_fields + v.plan_values, prefix=r"(?<!\w)", suffix=r"(?!\w)"), Name.Constant),
        (name, Name),
        (words(tuple(s for s in v.symbols if s not in "(){}[],.:")), Operator),
        (r"[(){}\[\],.:]", Punctuation),
    ]
    return rules


class KpilangLexer(RegexLexer):
    """kpilang: sales KPI and bonus plans as code."""

    name = "kpilang"
    aliases = ["kpilang", "kpi"]
    filenames = ["*.kpi"]
    mimetypes = ["text/x-kpilang"]
    url = "https://pypi.org/project/kpilang/"
    flags = re.MULTILINE | re.UNICODE
    tokens = {"root": _rules()}
