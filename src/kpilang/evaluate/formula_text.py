"""A formula's text as written in the plan, and the same text with the numbers put in.

Statements and error messages quote formulas exactly as the plan's author wrote them (spacing,
`1_000_000`, `150%`), so the text is sliced from the source by the node's span rather than
reprinted from the tree.
"""

from __future__ import annotations

import re
from typing import Callable

from kpilang.diagnostics import Span
from kpilang.syntax import ast

_LINE_END = re.compile(r"\n")
_PIECE = re.compile(r'"(?:\\.|[^"\\])*"?|#[^\n]*|\s+|[^"#\s]+', re.DOTALL)
"""A string (to its closing quote, escapes included, or to the end), a comment (to the end of its
line), a run of white space, or a run of anything else."""


class SourceText:
    """Slices the plan's source files by span (lines and columns are 1-based, end exclusive)."""

    def __init__(self, sources: dict[str, str]):
        self._sources = sources
        # where each line of each file starts: a span's column counts from there
        self._line_starts = {file: [0, *(m.end() for m in _LINE_END.finditer(text))] for file, text in sources.items()}

    def _offset(self, file: str, line: int, column: int) -> int:
        return self._line_starts[file][line - 1] + column - 1

    def text(self, span: Span) -> str:
        """The source text of a span; for a span spread over lines, its lines joined by single spaces."""
        if span.file not in self._sources:
            return ""
        source = self._sources[span.file]
        start = self._offset(span.file, span.line, span.column)
        end = self._offset(span.file, span.end_line, span.end_column)
        return _one_line(source[start:end])

    def substituted(self, expr: ast.Expr, replacement: Callable[[ast.Expr], str | None]) -> str:
        """The formula's text with some nodes replaced: `replacement(node)` gives the text to put in
        place of a node, or None to keep it (and look inside it)."""
        span = expr.span
        if span.file not in self._sources:
            return ""
        source = self._sources[span.file]
        start = self._offset(span.file, span.line, span.column)
        end = self._offset(span.file, span.end_line, span.end_column)
        edits: list[tuple[int, int, str]] = []
        stack = [expr]
        while stack:
            node = stack.pop()
            new = replacement(node)
            if new is not None:
                s = self._offset(node.span.file, node.span.line, node.span.column)
                e = self._offset(node.span.file, node.span.end_line, node.span.end_column)
                edits.append((s, e, new))
            else:
                stack.extend(ast.children(node))
        edits.sort()  # the stack finds them last first: put them in the order they are written
        out, cursor = [], start
        for s, e, new in edits:  # never nested: a node replaced is not looked into
            out.append(source[cursor:s])
            out.append(new)
            cursor = e
        out.append(source[cursor:end])
        return _one_line("".join(out))


def _one_line(fragment: str) -> str:
    """A formula written over several lines as one line: comments dropped (outside strings), runs
    of white space and comments (outside strings) made one space."""
    words: list[str] = []
    word = ""
    for piece in _PIECE.findall(fragment):
        if piece[0] == "#" or piece[0].isspace():
            if word:
                words.append(word)
            word = ""
        else:
            word += piece
    if word:
        words.append(word)
    return " ".join(words)
