"""Lark's parse errors, said in words a head of sales understands.

Lark knows which terminals it expected; this module turns those into phrases ("a number", "`)`",
"a declaration"), names the word after which something was expected, and, because LALR notices
an unclosed bracket only at the end of the file, scans the brackets itself to say where the
unclosed one was opened.
"""

from __future__ import annotations

import difflib
import re
from decimal import Decimal

from lark import Lark
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from kpilang.diagnostics import Diagnostic, Severity, Span
from kpilang.messages import Join, Text, join, t

DECLARATION_WORDS = ("plan", "metric", "kpi", "table", "pay", "test", "import")
_DECLARATION_TERMINALS = {w.upper() for w in DECLARATION_WORDS}
_VALUE_TERMINALS = {"NAME", "NUMBER", "PERCENT", "DURATION", "DATE", "STRING", "TRUE", "FALSE", "LPAR", "MINUS", "IF", "NOT"}
_CLAUSE_TERMINALS = {"TARGET", "WEIGHT", "CAP", "FLOOR", "LOWER", "KIND", "UNCONTROLLABLE", "CONTROLLABLE"}

_WORDS: dict[str, Text | str] = {
    "NAME": t("E0101.name"),
    "NUMBER": t("E0101.number"),
    "PERCENT": t("E0101.percent"),
    "DURATION": t("E0101.duration"),
    "DATE": t("E0101.date"),
    "STRING": t("E0101.string"),
    "$END": t("E0101.end-of-file"),
    "LPAR": "`(`", "RPAR": "`)`", "LBRACE": "`{`", "RBRACE": "`}`", "LSQB": "`[`", "RSQB": "`]`",
    "COMMA": "`,`", "COLON": "`:`", "DOT": "`.`", "EQ": "`=`",
}
_OPENERS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = {v: k for k, v in _OPENERS.items()}


def _describe(terminal: str, parser: Lark) -> Text | str:
    if terminal in _WORDS:
        return _WORDS[terminal]
    try:
        pattern = parser.get_terminal(terminal).pattern
    except KeyError:
        return terminal.lower()
    if pattern.type == "str":
        return f"`{pattern.value}`"
    return terminal.lower()


_OPERATOR_TERMINALS = {
    "PLUS", "MINUS", "STAR", "SLASH", "EQ", "NE", "LT", "LE", "GT", "GE", "AND", "OR", "OTHERWISE", "IN",
    "DOT", "LPAR",
}
_CLAUSE_WORDS = {
    "TARGET": "target", "WEIGHT": "weight", "CAP": "cap", "FLOOR": "floor", "LOWER": "lower is better",
    "KIND": "kind", "UNCONTROLLABLE": "uncontrollable", "CONTROLLABLE": "controllable",
}


_DECLARATION_CLAUSES = {
    "METRIC": {"KIND", "UNCONTROLLABLE", "CONTROLLABLE"},
    "KPI": {"TARGET", "WEIGHT", "CAP", "LOWER"},
    "PAY": {"CAP", "FLOOR"},
}


def _expected_phrase(expected: set[str], parser: Lark, declaration: str | None = None) -> Text | Join | str:
    """Group what Lark expected into few words: a declaration, a clause, a value; operators that
    could continue a finished expression are left out unless nothing else fits. The grammar lets
    any clause follow any declaration (the compiler says which belong where), so only the clauses
    of the declaration being written (`declaration`, its keyword's terminal) are offered."""
    expected = {t for t in expected if not t.startswith("__")}
    if declaration in _DECLARATION_CLAUSES:
        expected -= _CLAUSE_TERMINALS - _DECLARATION_CLAUSES[declaration]
    parts: list[Text | str] = []
    if len(expected & _DECLARATION_TERMINALS) >= 3:
        parts.append(t("E0101.next-declaration", words=", ".join(f"`{w}`" for w in DECLARATION_WORDS)))
        expected -= _DECLARATION_TERMINALS
        expected.discard("$END")
    clauses = [w for t, w in _CLAUSE_WORDS.items() if t in expected]
    if clauses:
        parts.insert(0, t("E0101.clause", words=", ".join(f"`{w}`" for w in clauses)))
        expected -= _CLAUSE_WORDS.keys()
    if len(expected & _VALUE_TERMINALS) >= 4:
        parts.append(t("E0101.value"))
        expected -= _VALUE_TERMINALS
    rest = expected - _OPERATOR_TERMINALS
    if parts or rest:
        expected = rest
    # Sorted by their English words, so the order is the same in every language.
    parts.extend(sorted((_describe(terminal, parser) for terminal in expected), key=str))
    if not parts:
        return t("E0101.something-else")
    if len(parts) == 1:
        return parts[0]
    return join(parts, "or")


def _found(token) -> Text | str:
    if token.type == "$END":
        return t("E0101.end-of-file")
    if token.type == "STRING":
        return t("E0101.found-text", text=token.value)
    return f"`{token.value}`"


def _point(file: str, line: int, column: int, width: int = 1) -> Span:
    return Span(file=file, line=line, column=column, end_line=line, end_column=column + max(1, width))


def _tokens_before(text: str, parser: Lark, line: int, column: int):
    """The tokens before a position (the basic lexer is enough to name the previous word)."""
    out = []
    try:
        for tok in parser.lex(text, dont_ignore=False):
            if (tok.line, tok.column) >= (line, column):
                break
            out.append(tok)
    except UnexpectedInput:
        pass
    return out


def unclosed_bracket(text: str, file: str, parser: Lark, upto: tuple[int, int] | None = None) -> Diagnostic | None:
    """The first bracket that is closed by the wrong kind or never closed (before `upto`)."""
    stack = []
    try:
        tokens = list(parser.lex(text, dont_ignore=False))
    except UnexpectedInput:
        return None
    for tok in tokens:
        if upto is not None and (tok.line, tok.column) > upto:
            break
        if tok.value in _OPENERS and tok.type != "STRING":
            stack.append(tok)
        elif tok.value in _CLOSERS and tok.type != "STRING":
            if stack and stack[-1].value == _CLOSERS[tok.value]:
                stack.pop()
            elif stack:
                opened = stack[-1]
                return Diagnostic(
                    code="E0102", name="mismatched-bracket", severity=Severity.ERROR,
                    message=t("E0102.mismatched", closer=tok.value, opener=opened.value, line=opened.line,
                              column=opened.column),
                    span=_point(file, tok.line, tok.column),
                    help=t("E0102.mismatched-help", closer=_OPENERS[opened.value]),
                )
            else:
                return Diagnostic(
                    code="E0102", name="mismatched-bracket", severity=Severity.ERROR,
                    message=t("E0102.closes-nothing", closer=tok.value),
                    span=_point(file, tok.line, tok.column),
                    help=t("E0102.closes-nothing-help"),
                )
    if stack and upto is None:
        opened = stack[-1]
        return Diagnostic(
            code="E0102", name="unclosed-bracket", severity=Severity.ERROR,
            message=t("E0102.unclosed", opener=opened.value, line=opened.line, column=opened.column),
            span=_point(file, opened.line, opened.column),
            help=t("E0102.unclosed-help", closer=_OPENERS[opened.value]),
        )
    return None


def syntax_error(err: UnexpectedInput, text: str, file: str, parser: Lark) -> Diagnostic:
    exponent = _exponent_number(err, text, file)
    if exponent is not None:
        return exponent
    if isinstance(err, UnexpectedCharacters):
        return _bad_character(err, text, file)
    if isinstance(err, UnexpectedEOF) or (isinstance(err, UnexpectedToken) and err.token.type == "$END"):
        bracket = unclosed_bracket(text, file, parser)
        if bracket is not None:
            return bracket
    if isinstance(err, UnexpectedToken) and err.token.type in ("RPAR", "RSQB", "RBRACE"):
        bracket = unclosed_bracket(text, file, parser, upto=(err.token.line, err.token.column))
        if bracket is not None:
            return bracket
    assert isinstance(err, UnexpectedToken | UnexpectedEOF)
    token = err.token
    expected = set(err.expected)
    if isinstance(err, UnexpectedToken) and err.interactive_parser is not None:
        # LALR merges states, so err.expected can list tokens that are not actually acceptable
        # here; asking the parser state itself gives the exact set.
        try:
            expected = set(err.interactive_parser.accepts())
        except Exception:  # noqa: BLE001 - the coarse set is still a good answer
            pass
    line = getattr(token, "line", None) or err.line
    column = getattr(token, "column", None) or err.column
    if token.type == "$END":
        lines = text.splitlines() or [""]
        line, column = len(lines), len(lines[-1]) + 1
    previous = _tokens_before(text, parser, line, column)
    after = t("E0101.after", word=previous[-1].value) if previous else ""
    declaration = next((t.type for t in reversed(previous) if t.type in _DECLARATION_TERMINALS), None)
    message = t("E0101.message", expected=_expected_phrase(expected, parser, declaration), after=after,
                found=_found(token))
    help_text = _hint(token, expected, previous)
    width = len(str(token.value)) if token.type != "$END" else 1
    return Diagnostic(
        code="E0101", name="syntax", severity=Severity.ERROR, message=message,
        span=_point(file, line, column, width), help=help_text,
    )


def _hint(token, expected: set[str], previous) -> Text | None:
    value = str(token.value)
    prev = previous[-1].value if previous else None
    if token.type in _CLAUSE_WORDS and prev in ("target", "weight", "cap", "floor"):
        return t("E0101.clause-needs-value", word=prev)
    if token.type != "NAME" and expected & _VALUE_TERMINALS == {"NAME"} and value.isidentifier():
        return t("E0101.keyword-as-name", word=value)
    if prev == "kind" and token.type != "NAME":
        return t("E0101.kind")
    if token.type == "LSQB":
        return t("E0101.square-brackets")
    if token.type == "EQ" and prev == "=":
        return t("E0101.single-equals")
    if token.type == "NAME" and expected & _DECLARATION_TERMINALS:
        close = difflib.get_close_matches(value, DECLARATION_WORDS, n=1)
        if close:
            return t("did-you-mean", name=close[0])
        if expected & _CLAUSE_TERMINALS:
            return t("E0101.declaration-ends")
        return t("E0101.declaration-keyword")
    if token.type == "NAME" and prev == "weight" or (token.type == "NUMBER" and prev == "weight"):
        return t("E0101.weight-percent")
    if token.type == "COMMA" and prev is not None and prev.replace("_", "").isdigit():
        return t("E0101.decimal-point")
    if "EQ" in expected and token.type != "EQ" and prev is not None and prev not in ("=",):
        return t("E0101.name-then-equals")
    return None


def _bad_character(err: UnexpectedCharacters, text: str, file: str) -> Diagnostic:
    char = text[err.pos_in_stream] if err.pos_in_stream < len(text) else ""
    span = _point(file, err.line, err.column)
    if char == '"':
        escape = _bad_escape(text, err.pos_in_stream)
        if escape is not None:
            offset, sequence = escape
            return Diagnostic(
                code="E0103", name="bad-escape", severity=Severity.ERROR,
                message=t("E0103.bad-escape", sequence=sequence),
                span=_point(file, err.line, err.column + offset, len(sequence)),
                help=t("E0103.bad-escape-help"),
            )
        return Diagnostic(
            code="E0103", name="unclosed-text", severity=Severity.ERROR,
            message=t("E0103.unclosed"), span=span, help=t("E0103.unclosed-help"),
        )
    hints = {
        "'": t("E0104.quote"),
        "%": t("E0104.percent"),
        "≥": t("E0104.write", operator=">="), "≤": t("E0104.write", operator="<="), "≠": t("E0104.write", operator="!="),
        "×": t("E0104.times"), "÷": t("E0104.divide"),
    }
    return Diagnostic(
        code="E0104", name="bad-character", severity=Severity.ERROR,
        message=t("E0104.message", char=char), span=span,
        help=hints.get(char, t("E0104.help")),
    )


def _bad_escape(text: str, start: int) -> tuple[int, str] | None:
    """The first backslash sequence other than `\\"` and `\\\\` in the text opened at `start`
    (up to the end of its line), if any, with its offset from `start`."""
    i = start + 1
    while i < len(text) and text[i] != "\n":
        if text[i] == "\\":
            following = text[i + 1] if i + 1 < len(text) else ""
            if following not in ('"', "\\"):
                return None if following in ("", "\n") else (i - start, "\\" + following)
            i += 2
            continue
        if text[i] == '"':
            return None
        i += 1
    return None


_EXPONENT_NUMBER = re.compile(r"(?<![\w.])\d+(?:_\d+)*(?:\.\d+(?:_\d+)*)?[eE][+-]?\d+(?![\w.%])")
"""`1e6`, `1.5E-3`, `2e+10`: a number in exponent notation, which the grammar does not have."""
_PLAIN_DIGITS_SHOWN = 40
"""The longest plain form of such a number worth suggesting instead (`1e6` → `1000000`)."""


def _exponent_number(err: UnexpectedInput, text: str, file: str) -> Diagnostic | None:
    """E0108 when the parse stopped inside a number written in exponent notation: the lexer reads
    `1e6` as `1` and then no token, `1.5e3` as `1` and a stray `.`, which would otherwise be said
    as an unexpected character or a missing clause."""
    line, column = getattr(err, "line", None), getattr(err, "column", None)
    if not isinstance(line, int) or not isinstance(column, int) or line < 1:
        return None
    line_start = 0
    for _ in range(line - 1):
        line_start = text.find("\n", line_start) + 1
        if line_start == 0:
            return None
    offset = line_start + column - 1
    line_end = text.find("\n", line_start)
    for match in _EXPONENT_NUMBER.finditer(text, line_start, len(text) if line_end < 0 else line_end):
        if match.start() <= offset < match.end():
            written = match.group()
            try:
                value = Decimal(written.replace("_", ""))
            except ArithmeticError:  # an exponent beyond what a decimal holds at all
                value = None
            # Its plain form only when short: `1e999999` has a million digits, not worth writing out.
            short = (value is not None and abs(value.adjusted()) < _PLAIN_DIGITS_SHOWN
                     and len(value.as_tuple().digits) < _PLAIN_DIGITS_SHOWN)
            width = match.end() - match.start()
            help_text = t("E0108.help", plain=format(value, "f")) if short else t("E0108.help-too-long")
            return Diagnostic(
                code="E0108", name="exponent-number", severity=Severity.ERROR,
                message=t("E0108.message", text=written), span=_point(file, line, match.start() - line_start + 1, width),
                help=help_text,
            )
    return None
