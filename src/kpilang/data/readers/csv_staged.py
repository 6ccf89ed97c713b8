"""A CSV file's records as text through DuckDB, each with the line it starts on.

The fast, careful way (csv_file.py): DuckDB's strict reader stages every record's cells as text,
and each record's line is derived from its position and the line breaks quoted before it. When
lines cannot be derived so (blank lines skipped, a lone carriage return, a quoted value that may
have swallowed rows), the file is read line by line instead (csv_lines.py).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ..sql import cell, literal
from ..staging import LOAD_SCHEMA, csv_read_options, raw_table_name
from .csv_bytes import ByteLayout


def direct_relation(path: Path, width: int, skipped: set[int]) -> str:
    """Every record's cells as text, straight from the file (the `skipped` columns left empty)."""
    options = csv_read_options([cell(i) for i in range(width)], header=True)
    # DuckDB reads an empty field, quoted or not, as NULL, so cells are taken as they come.
    cells = ", ".join(
        f"CAST(NULL AS VARCHAR) AS {cell(i)}" if i in skipped else cell(i) for i in range(width)
    )
    # A skipped column is still read by a condition every row meets: DuckDB checks that a
    # column is UTF-8 only when it reads it, and a row with bytes that are not is rejected
    # whatever its columns (see csv_lines.read_line_by_line).
    read_anyway = " AND ".join(f"NULLIF({cell(i)}, {cell(i)}) IS NULL" for i in sorted(skipped))
    where = f" WHERE {read_anyway}" if read_anyway else ""
    return f"(SELECT {cells} FROM read_csv({literal(str(path))}, {options}){where})"


def read_staged(
    con: duckdb.DuckDBPyConnection, table: str, path: Path, width: int, skipped: set[int]
) -> str | None:
    """Every record's cells as text, in file order (the `skipped` columns left empty); None
    when DuckDB's strict reader refuses the file, which it still parses whole."""
    staged = f"{LOAD_SCHEMA}.scanned_{table}"
    try:
        con.execute(
            f"CREATE OR REPLACE TABLE {staged} AS SELECT * FROM {direct_relation(path, width, skipped)}"
        )
    except duckdb.Error:
        # A malformed row or invalid UTF-8: the line-by-line reader reports each such row.
        con.execute(f"DROP TABLE IF EXISTS {staged}")
        return None
    return staged


def _quoted_breaks(width: int) -> str:
    """Line breaks quoted inside a record's cells: each one moves the following records down.
    They are counted only in the rare records that have one (contains is a cheap byte scan)."""
    has_break = " OR ".join(f"contains({cell(i)}, chr(10))" for i in range(width))
    counted = " + ".join(
        f"coalesce(strlen({cell(i)}) - strlen(replace({cell(i)}, chr(10), '')), 0)"
        for i in range(width)
    )
    return f"CASE WHEN {has_break} THEN {counted} ELSE 0 END"


def _rows_inside_values(width: int) -> str:
    """Whether a record's quoted value holds a line that splits at the commas into as many
    values as the header has columns: likely a row of its own that a stray quote swallowed,
    up to a stray quote that closed it. A line in the middle of the value is whole; the value's
    last line goes on with the record's remaining values after it."""
    tests = []
    for i in range(width):
        lines = f"string_split({cell(i)}, chr(10))"
        whole = (f"list_count(list_filter(list_slice({lines}, 2, -2), "
                 f"lambda line: len(string_split(line, ',')) = {width})) > 0")
        last = f"len(string_split({lines}[-1], ',')) + {width - 1 - i} = {width}"
        tests.append(f"CASE WHEN contains({cell(i)}, chr(10)) THEN {whole} OR {last} ELSE false END")
    return " OR ".join(tests)


def numbered(
    con: duckdb.DuckDBPyConnection, table: str, staged: str, width: int, layout: ByteLayout
) -> str | None:
    """The staged records with the line each starts on; None when lines cannot be derived
    from positions. Without a quote character in the file no cell can hold a line break."""
    breaks = _quoted_breaks(width) if layout.has_quotes and width else "0"
    rows_inside = _rows_inside_values(width) if layout.has_quotes and width else "false"
    records, quoted_breaks, swallowing = con.execute(
        f"SELECT count(*), coalesce(sum({breaks}), 0), count(*) FILTER (WHERE {rows_inside}) "
        f"FROM {staged}"
    ).fetchone()
    if layout.lone_carriage_return or layout.lines != 1 + records + quoted_breaks or swallowing:
        # Blank lines were skipped somewhere (or a lone carriage return may have ended a
        # record), so positions no longer give lines; or a quoted value may have swallowed
        # rows, which the line-by-line reader rejects line by line.
        con.execute(f"DROP TABLE {staged}")
        return None
    columns = ", ".join(cell(i) for i in range(width))
    name = raw_table_name(table)
    # The table keeps the file's order (DuckDB preserves insertion order), so rowid is the
    # record's position; the header is line 1.
    if quoted_breaks == 0:
        con.execute(
            f"CREATE OR REPLACE VIEW {name} AS SELECT CAST(rowid + 2 AS BIGINT) AS _row"
            f"{', ' if width else ''}{columns} FROM {staged}"
        )
    else:
        con.execute(
            f"CREATE OR REPLACE TABLE {name} AS SELECT CAST(rowid + 2 + coalesce(sum({breaks}) "
            f"OVER (ORDER BY rowid ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) "
            f"AS BIGINT) AS _row{', ' if width else ''}{columns} FROM {staged}"
        )
        con.execute(f"DROP TABLE {staged}")
    return name
