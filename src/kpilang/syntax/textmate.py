"""The TextMate grammar of kpilang (VS Code and the editors that read TextMate grammars), built
from the same vocabulary as the Pygments lexer: the grammar's terminals and the compiler's word
lists. The file in `editors/vscode/syntaxes/` is this module's output; a test says when it is
behind (a keyword added to the grammar), and writing it again is:

    python -m kpilang.syntax.textmate editors/vscode/syntaxes/kpilang.tmLanguage.json

A character that begins no token is scoped `invalid.illegal.kpilang`, which the grammar's test
expects nowhere in the shipped plans and the docs' examples.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from kpilang.syntax.pygments_lexer import IGNORE_COMMENT
from kpilang.syntax.vocabulary import CONSTANTS, vocabulary

SCOPE = "source.kpilang"
_LITERAL_SCOPES = {"DATE": "constant.numeric.date", "DURATION": "constant.numeric.duration",
                   "PERCENT": "constant.numeric.percent", "NUMBER": "constant.numeric.decimal",
                   "STRING": "string.quoted.double"}
_PUNCTUATION = "(){}[],.:"


def _words(words) -> str:
    return r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)"


def grammar() -> dict:
    v = vocabulary()
    name = v.name
    declared = [d for d in v.declarations if d not in ("import", "test")]
    constants = [w for w in v.keywords if w in CONSTANTS]
    patterns = [
        {"name": "comment.line.number-sign.ignore.kpilang", "match": IGNORE_COMMENT},
        {"name": "comment.line.number-sign.kpilang", "match": v.comment},
        *({"name": f"{_LITERAL_SCOPES.get(t, 'constant.other')}.kpilang", "match": p} for t, p in v.literals.items()),
        {"match": rf"({_words(declared)})(\s+)({name})",
         "captures": {"1": {"name": "storage.type.kpilang"}, "3": {"name": "entity.name.function.kpilang"}}},
        {"name": "storage.type.kpilang", "match": _words(v.declarations)},
        {"name": "constant.language.boolean.kpilang", "match": _words(constants)},
        {"name": "keyword.control.kpilang", "match": _words(v.keywords)},
        {"name": "support.function.kpilang", "match": _words(v.functions) + r"(?=\s*\()"},
        {"name": "entity.name.function.call.kpilang", "match": rf"{name}(?=\s*\()"},
        {"name": "variable.language.kpilang", "match": _words(v.builtin_names)},
        {"name": "variable.other.property.kpilang", "match": _words(v.plan_fields + v.plan_values)},
        {"name": "variable.other.kpilang", "match": name},
        {"name": "keyword.operator.kpilang",
         "match": "|".join(re.escape(s) for s in v.symbols if s not in _PUNCTUATION)},
        {"name": "punctuation.kpilang", "match": "[" + re.escape(_PUNCTUATION) + "]"},
        {"name": "invalid.illegal.kpilang", "match": r"\S"},
    ]
    return {
        "$schema": "https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json",
        "name": "kpilang",
        "scopeName": SCOPE,
        "fileTypes": ["kpi"],
        "comment": "Written by `python -m kpilang.syntax.textmate` from the grammar's terminals and the "
                   "compiler's word lists: edit those, not this file.",
        "patterns": patterns,
    }


def grammar_json() -> str:
    return json.dumps(grammar(), ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m kpilang.syntax.textmate FILE.tmLanguage.json", file=sys.stderr)
        return 2
    Path(argv[0]).write_text(grammar_json(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
