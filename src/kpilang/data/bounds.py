"""How much of a data file kpilang reads before it refuses the file.

A broken or hostile file (a workbook that expands a thousandfold when unzipped, a CSV value whose
quote never closes around gigabytes) must stop the run with a clear fatal problem long before
memory runs out, never take the machine down. Every bound is far beyond a real CRM export (a
month of activities of ten thousand people is about 12 M rows; Excel itself stops at 1,048,576
rows, 16,384 columns and 32,767 characters in a cell), and each is stated in docs/data-format.md.
Only the number of rows can be raised (KPILANG_MAX_ROWS): a larger company has more rows, while
nothing real needs a longer row, more columns than Excel has, or a bigger workbook.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import partial
from typing import BinaryIO

# A row: a CSV record or line, a JSON Lines line, a sheet row; so also any one value.
MAX_ROW_BYTES = 16 * 2**20
# Columns of a table (Excel's own limit).
MAX_COLUMNS = 16_384
# Rows of a table: a year of activities of ten thousand people (about 144 M) fits.
DEFAULT_MAX_ROWS = 200_000_000
MAX_ROWS_VARIABLE = "KPILANG_MAX_ROWS"
# The longest line DuckDB reads in a CSV file: a data file's line longer than a row may be is read
# again line by line, which says so; a staged file (see staging.py) writes a row with every value
# quoted, its quotes doubled, and characters that took fewer bytes in the file (a sheet's entity,
# a JSON escape) in UTF-8, so its lines may be up to four times as long.
DIRECT_MAX_LINE_BYTES = MAX_ROW_BYTES
STAGED_MAX_LINE_BYTES = 4 * MAX_ROW_BYTES + 2**20
# Rows of a sheet (Excel's own limit).
MAX_SHEET_ROWS = 1_048_576
# An .xlsx file's first sheet unzipped (read row by row), and each other XML part of it unzipped
# (read whole: the shared strings above all).
MAX_SHEET_BYTES = 2 * 2**30
MAX_WORKBOOK_PART_BYTES = 256 * 2**20


class OverBound(Exception):
    """A file past one of the bounds: `code` names the problem (`data.CODE` in the catalogs),
    `facts` say where and which bound."""

    def __init__(self, code: str, **facts: object):
        super().__init__(code, facts)
        self.code = code
        self.facts = facts


def megabytes(size: int) -> int:
    return size // 2**20


def max_rows() -> int:
    """The rows a table may have: KPILANG_MAX_ROWS when set, DEFAULT_MAX_ROWS otherwise."""
    given = os.environ.get(MAX_ROWS_VARIABLE, "").strip()
    if not given:
        return DEFAULT_MAX_ROWS
    if not given.isdigit() or int(given) == 0:
        raise ValueError(f"{MAX_ROWS_VARIABLE}={given!r}: expected a whole number of rows, such as 500000000")
    return int(given)


def too_many_rows() -> OverBound:
    return OverBound("too_many_rows", limit=max_rows(), variable=MAX_ROWS_VARIABLE)


def check_columns(count: int) -> None:
    if count > MAX_COLUMNS:
        raise OverBound("too_many_columns", columns=count, limit=MAX_COLUMNS)


def row_too_large(row: int) -> OverBound:
    return OverBound("row_too_large", row=row, megabytes=megabytes(MAX_ROW_BYTES))


def bounded_lines(stream: BinaryIO) -> Iterator[bytes]:
    """The lines of a binary stream, each with its line break; a line longer than MAX_ROW_BYTES
    raises OverBound once that much of it is read, never the whole of it."""
    read = partial(stream.readline, MAX_ROW_BYTES + 2)  # room for a CR LF after a full line
    for number, line in enumerate(iter(read, b""), start=1):
        if len(line) > MAX_ROW_BYTES and len(line.rstrip(b"\r\n")) > MAX_ROW_BYTES:
            raise row_too_large(number)
        yield line
