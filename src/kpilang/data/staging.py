"""Raw tables: every cell of a data file as text, with the row number it came from.

Each reader ends here. A raw table has a BIGINT `_row` (the row number reported in problems)
and VARCHAR columns c0, c1, … in header order. A cell holds its text exactly as written; an
empty cell is NULL. (Values are not trimmed: on ten million rows trimming every cell costs more
than reading the file, and a value padded with spaces is reported rather than silently changed.)
Readers that parse in Python (XLSX, JSONL, and CSV files that need exact line accounting) write
their rows to a temporary CSV that DuckDB then reads in one go, which is far faster than
inserting rows one by one.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import duckdb

from .bounds import DIRECT_MAX_LINE_BYTES, STAGED_MAX_LINE_BYTES, max_rows, too_many_rows
from .sql import cell, literal

# White space removed from both ends of a column *name* in a header: ordinary, tab, line breaks,
# no-break, narrow no-break and thin spaces, and a stray byte-order mark.
NAME_PADDING = " \t\r\n\u00a0\u202f\u2009\ufeff"

# The schema holding raw and intermediate tables while loading; dropped when loading ends.
LOAD_SCHEMA = "kpilang_load"


def present(ref: str) -> str:
    """The cell, with an empty text read as missing."""
    return f"NULLIF({ref}, '')"


def csv_read_options(
    columns: Sequence[str], *, header: bool, max_line_bytes: int = DIRECT_MAX_LINE_BYTES
) -> str:
    """A strict, fully specified CSV dialect: nothing is sniffed, every column is text."""
    spec = ", ".join(f"{literal(name)}: 'VARCHAR'" for name in columns)
    return (
        f"columns={{{spec}}}, header={'true' if header else 'false'}, delim=',', quote='\"', "
        f"escape='\"', auto_detect=false, strict_mode=true, max_line_size={max_line_bytes}"
    )


def raw_table_name(table: str) -> str:
    return f"{LOAD_SCHEMA}.raw_{table}"


def staged_read_options(columns: Sequence[str]) -> str:
    # A staged file always ends its lines with \n; saying so stops DuckDB from taking a carriage
    # return inside a quoted value for the line ending.
    return csv_read_options(columns, header=False, max_line_bytes=STAGED_MAX_LINE_BYTES) + ", new_line='\\n'"


def create_from_numbered_csv(
    con: duckdb.DuckDBPyConnection,
    table: str,
    staged: Path,
    width: int,
    *,
    ragged: bool = False,
) -> str:
    """Load a staged CSV whose first column is the row number; returns the raw table's name.

    `ragged` allows rows shorter than `width` (the JSONL reader learns new keys as it goes);
    DuckDB pads them with NULL, which needs its single-threaded CSV scanner.
    """
    names = ["_row"] + [cell(i) for i in range(width)]
    options = staged_read_options(names)
    if ragged:
        options += ", null_padding=true, parallel=false"
    # DuckDB reads an empty field, quoted or not, as NULL: no cell needs converting.
    cells = ", ".join(cell(i) for i in range(width))
    name = raw_table_name(table)
    con.execute(
        f"CREATE OR REPLACE TABLE {name} AS SELECT CAST(_row AS BIGINT) AS _row"
        f"{', ' if width else ''}{cells} FROM read_csv({literal(str(staged))}, {options})"
    )
    return name


class StagingFile:
    """A temporary CSV of (row number, cell, cell, …) rows, removed when closed."""

    def __init__(self) -> None:
        handle, name = tempfile.mkstemp(prefix="kpilang-", suffix=".csv")
        self.path = Path(name)
        self._file = os.fdopen(handle, "w", encoding="utf-8", newline="")
        # Every field quoted: csv.writer leaves a lone carriage return unquoted otherwise, which
        # DuckDB would read as a line break. A quoted empty field still reads as NULL.
        self._writer = csv.writer(self._file, lineterminator="\n", quoting=csv.QUOTE_ALL)
        self._rows_left = max_rows()

    def write(self, row: int, cells: Iterable[str | None]) -> None:
        """Stage one row; past the bound on rows, raises OverBound (nothing more is written)."""
        self._rows_left -= 1
        if self._rows_left < 0:
            raise too_many_rows()
        self._writer.writerow([row, *cells])

    def finish(self) -> Path:
        self._file.close()
        return self.path

    def close(self) -> None:
        if not self._file.closed:
            self._file.close()
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> StagingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def drop_load_objects(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Free the raw and intermediate tables of one data table once its clean table exists."""
    objects = con.execute(
        "SELECT 'VIEW', view_name FROM duckdb_views() WHERE schema_name = ? "
        "UNION ALL SELECT 'TABLE', table_name FROM duckdb_tables() WHERE schema_name = ?",
        [LOAD_SCHEMA, LOAD_SCHEMA],
    ).fetchall()
    # Views first: a view may read one of the tables.
    for kind, name in sorted(objects, key=lambda o: o[0] != "VIEW"):
        if table in name.split("_"):
            con.execute(f"DROP {kind} IF EXISTS {LOAD_SCHEMA}.{name}")
