"""kpilang's spans (1-based lines and columns in characters, the end exclusive) as LSP ranges
(0-based, columns in the code units the client and server agreed on: UTF-16 unless told
otherwise), and an LSP position as the line and character it points at.

Lines are cut at `\\n` only, as the parser counts them (Python's `splitlines` would also cut at
characters the parser reads as part of a line).
"""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from pygls.uris import from_fs_path
from pygls.workspace import PositionCodec

from kpilang.diagnostics import Span

DEFAULT_CODEC = PositionCodec()


def lines_of(text: str) -> list[str]:
    return text.split("\n")


def span_range(span: Span, lines: list[str], codec: PositionCodec = DEFAULT_CODEC) -> types.Range:
    start = types.Position(line=span.line - 1, character=span.column - 1)
    end = types.Position(line=span.end_line - 1, character=span.end_column - 1)
    return types.Range(start=codec.position_to_client_units(lines, start),
                       end=codec.position_to_client_units(lines, end))


def line_column(position: types.Position, lines: list[str], codec: PositionCodec = DEFAULT_CODEC) -> tuple[int, int]:
    """The 1-based line and column (in characters) of a client's position."""
    at = codec.position_from_client_units(lines, types.Position(line=position.line, character=position.character))
    return at.line + 1, at.character + 1


def contains(span: Span, line: int, column: int) -> bool:
    """Whether the character at (line, column), or the cursor just after the span's end, is in it."""
    return (span.line, span.column) <= (line, column) <= (span.end_line, span.end_column)


def file_uri(file: str) -> str:
    """The URI of a file named as spans name it (relative to the server's working directory)."""
    return from_fs_path(str(Path(file).resolve())) or Path(file).resolve().as_uri()
