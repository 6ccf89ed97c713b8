"""Text → tokens, as Lark's basic lexer reads them, in one pass of one regular expression.

Lark's lexer spends most of its time around the match (a method call per token, a line counter
object, a token made through keyword arguments). This tokenizer runs the very regular expression
Lark built from the grammar (all terminals in one alternation, in Lark's order of priority) with
`finditer`, and takes everything else from the same Lark lexer: which terminals are ignored, which
may hold a newline (only those move the line count, as in Lark), which words are keywords rather
than names, and the callbacks (the comment collector). So the grammar stays the single source
and the tokens are Lark's own, field for field; `tests/syntax/test_fast_parser.py` checks it.

It reads valid text only: at a character no terminal matches it raises `UnreadableText`, and the
caller lets Lark read the text again to report the error in its words.
"""

from __future__ import annotations

from collections.abc import Callable

from lark import Token
from lark.lexer import BasicLexer, CallChain, UnlessCallback


class UnreadableText(Exception):
    """The text has a character where no terminal begins."""


class Tokenizer:
    def __init__(self, lexer: BasicLexer) -> None:
        scanner = lexer.scanner  # builds the lexer's regular expression and callbacks
        if len(scanner._mres) != 1:  # Python's group limit split the terminals: not worth a fast path
            raise NotImplementedError("a grammar with more terminals than one regular expression holds")
        self._finditer = scanner._mres[0].finditer
        self._ignored = lexer.ignore_types
        self._multiline = lexer.newline_types
        self._keywords: dict[str, dict[str, str]] = {}
        """Terminal → {text: keyword terminal}: Lark's `UnlessCallback`, which gives a NAME that
        spells a keyword the keyword's type, as a lookup."""
        self._callbacks: dict[str, Callable[[Token], Token]] = {}
        """Terminal → the user's callback (the comment collector)."""
        for type_, callback in lexer.callback.items():
            if isinstance(callback, CallChain):  # a keyword check, then the user's callback if still this type
                self._keywords[type_] = _keyword_types(callback.callback1)
                self._callbacks[type_] = callback.callback2
            elif isinstance(callback, UnlessCallback):
                self._keywords[type_] = _keyword_types(callback)
            else:
                self._callbacks[type_] = callback

    def tokenize(self, text: str) -> list[Token]:
        """The tokens Lark's lexer yields for `text` (the ignored ones left out, their callbacks called)."""
        tokens: list[Token] = []
        append = tokens.append
        ignored, multiline, keywords, callbacks = self._ignored, self._multiline, self._keywords, self._callbacks
        silent = ignored - keywords.keys() - callbacks.keys()  # skipped without a token: white space
        new_token = str.__new__
        line, line_start, pos = 1, 0, 0
        for match in self._finditer(text):
            start = match.start()
            if start != pos:
                raise UnreadableText(pos)
            matched = match.lastgroup
            value = match.group()
            pos = start + len(value)
            start_line, column = line, start - line_start + 1
            if matched in multiline and "\n" in value:  # only these move the line count, as in Lark
                line += value.count("\n")
                line_start = start + value.rindex("\n") + 1
            if matched in silent:
                continue
            type_ = keywords[matched].get(value, matched) if matched in keywords else matched
            # Lark's `Token(...)` goes through keyword arguments; setting the slots directly is a
            # third of the cost for the same object.
            token = new_token(Token, value)
            token.type = type_
            token.value = value
            token.start_pos = start
            token.end_pos = pos
            token.line = start_line
            token.column = column
            token.end_line = line
            token.end_column = pos - line_start + 1
            if matched in callbacks and type_ == matched:  # Lark's `CallChain`: not for a keyword
                token = callbacks[matched](token)
            if matched not in ignored:
                append(token)
        if pos != len(text):
            raise UnreadableText(pos)
        return tokens


def _keyword_types(callback: UnlessCallback) -> dict[str, str]:
    """{text: terminal} of the keywords an `UnlessCallback` recognizes. Lark matches them with a
    regular expression of plain strings, which is a lookup of the whole text unless a keyword
    has flags (`"if"i`); the grammar has none, and a grammar with some gets no fast path."""
    words: dict[str, str] = {}
    for terminal in reversed(callback.scanner.terminals):  # the first of equal spellings wins, as in the alternation
        if terminal.pattern.type != "str" or terminal.pattern.flags:
            raise NotImplementedError(f"keyword {terminal.name} with flags")
        words[terminal.pattern.value] = terminal.name
    return words
