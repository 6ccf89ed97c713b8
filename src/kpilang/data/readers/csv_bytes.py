"""The line breaks and quotes of a CSV file, counted in its bytes.

While DuckDB reads a file, a second thread counts its lines: when there is exactly one line per
record, a record's position gives its line and the file need not be read again (csv_file.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CHUNK_BYTES = 16 * 1024 * 1024

@dataclass(frozen=True)
class ByteLayout:
    lines: int  # lines holding anything, trailing empty lines not counted
    has_quotes: bool  # without a quote character no cell can span lines
    # A carriage return not followed by a line feed: DuckDB may end a record there, which the
    # line count (line feeds) would not see.
    lone_carriage_return: bool = False


# The end of a chunk looked at first for the line breaks that end it; stripping them from the
# whole chunk would copy all of it.
TAIL_BYTES = 4096


def _strip_breaks(chunk: bytes) -> tuple[bool, int]:
    """Whether the chunk holds anything but line breaks, and how many line feeds end it."""
    tail = chunk[-TAIL_BYTES:]
    body = tail.rstrip(b"\r\n")
    if not body and len(chunk) > len(tail):
        tail = chunk
        body = chunk.rstrip(b"\r\n")
    return bool(body), tail[len(body):].count(b"\n")


def scan_bytes(path: Path) -> ByteLayout:
    newlines = 0
    has_quotes = False
    trailing_breaks = 0  # line breaks after the last byte that is not a line break
    any_content = False
    carriage_returns = 0
    crlf = 0
    previous_ended_with_cr = False
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK_BYTES):
            newlines += chunk.count(b"\n")
            has_quotes = has_quotes or b'"' in chunk
            carriage_returns += chunk.count(b"\r")
            crlf += chunk.count(b"\r\n") + (previous_ended_with_cr and chunk.startswith(b"\n"))
            previous_ended_with_cr = chunk.endswith(b"\r")
            content, ending = _strip_breaks(chunk)
            if content:
                any_content = True
                trailing_breaks = ending
            else:
                trailing_breaks += ending
    lone = carriage_returns > crlf
    if not any_content:
        return ByteLayout(0, has_quotes, lone)
    return ByteLayout(newlines - trailing_breaks + 1, has_quotes, lone)
