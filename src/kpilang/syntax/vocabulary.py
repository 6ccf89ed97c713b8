"""The words and token shapes of the language, as the highlighters and the language server see them.

Everything here is read from what the project already states once: the grammar's terminals
(reserved words, literal patterns, operators) and the compiler's lists of built-in words
(aggregates, functions, plan fields and their values, reserved names, data tables). A keyword
added to the grammar, or an aggregate added to `compile/names.py`, reaches the Pygments lexer,
the TextMate grammar and the completion list without an edit here.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from kpilang import schema
from kpilang.compile import names
from kpilang.syntax.parser import lark_parser

LITERALS = ("DATE", "DURATION", "PERCENT", "NUMBER", "STRING")
"""The grammar's terminals that are literal values, each highlighted as its kind."""
CONSTANTS = ("true", "false")
"""The reserved words that are values, highlighted as constants."""


@dataclass(frozen=True)
class Vocabulary:
    keywords: tuple[str, ...]
    """Every word the grammar reserves, longest first (a regular expression tries them in order)."""
    declarations: tuple[str, ...]
    """The reserved words that begin a top-level declaration (`metric`, `kpi`, `import`, ...)."""
    literals: dict[str, str]
    """Terminal → its regular expression, in the grammar's order of priority (DATE before NUMBER)."""
    name: str
    """The regular expression of a name."""
    comment: str
    symbols: tuple[str, ...]
    """Operators and punctuation, longest first (`<=` before `<`)."""
    functions: tuple[str, ...]
    """Aggregates and scalar functions."""
    builtin_names: tuple[str, ...]
    """Names the language defines: `kpi_score`, `salary`, `targets`, `managers` and the data tables."""
    plan_fields: tuple[str, ...]
    plan_values: tuple[str, ...]
    """Bare words a plan field or a `kind` clause takes: periods, strategies, kinds, `team`."""


@functools.cache
def vocabulary() -> Vocabulary:
    lark = lark_parser()
    terminals = {t.name: t for t in lark.terminals}
    words = sorted({t.pattern.value for t in lark.terminals if t.pattern.type == "str" and t.pattern.value.isidentifier()},
                   key=lambda w: (-len(w), w))
    symbols = sorted({t.pattern.value for t in lark.terminals if t.pattern.type == "str" and not t.pattern.value.isidentifier()},
                     key=lambda s: (-len(s), s))
    items = {s.name for r in lark.rules if r.origin.name == "_item" for s in r.expansion}
    declarations = sorted({terminals[r.expansion[0].name].pattern.value for r in lark.rules
                           if r.origin.name in items and r.expansion[0].name in terminals})
    literals = {name: terminals[name].pattern.value
                for name in sorted(LITERALS, key=lambda n: -terminals[n].priority) if name in terminals}
    functions = tuple(dict.fromkeys((*names.AGGREGATES, *names.SCALAR_FUNCTIONS)))
    return Vocabulary(
        keywords=tuple(words), declarations=tuple(declarations), literals=literals,
        name=terminals["NAME"].pattern.value, comment=terminals["COMMENT"].pattern.value, symbols=tuple(symbols),
        functions=functions, builtin_names=tuple(dict.fromkeys((*names.BUILTIN_NAMES, *schema.TABLES))),
        plan_fields=names.PLAN_FIELDS,
        plan_values=tuple(dict.fromkeys((*names.PERIODS, *names.STRATEGIES, *names.KINDS, "team"))),
    )
