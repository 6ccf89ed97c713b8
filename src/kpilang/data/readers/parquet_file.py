"""Parquet files as raw tables: every column cast to text, then checked like any other file.

Casting to text keeps one validation path for every format. DuckDB writes DECIMAL, integers,
dates and booleans as exact text; a timestamp with a UTC adjustment comes out with its offset
(the connection's TimeZone is UTC), and one without is local time like a naive CSV value.
A money or number column stored as binary floating point (FLOAT/DOUBLE) cannot be read exactly
and is reported by the validation, which knows which columns hold money.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from kpilang.messages import t

from ..bounds import OverBound, check_columns, max_rows, too_many_rows
from ..problems import DataProblem
from ..schema import TABLES
from ..sql import cell, ident, literal
from ..staging import NAME_PADDING, present, raw_table_name
from .base import MistypedId, RawTable, RowFaults, bound_problem, fatal_problem, header_problems

FLOAT_TYPES = {"FLOAT", "DOUBLE", "REAL", "FLOAT4", "FLOAT8"}
# DuckDB's names of nested types: STRUCT(…), MAP(…), UNION(…), and lists and arrays (INTEGER[],
# INTEGER[3]).
NESTED_TYPE = re.compile(r"(STRUCT|MAP|UNION)\(.*|.*\[[0-9]*\]")
FRACTIONAL_DECIMAL = re.compile(r"DECIMAL\([0-9]+, *[1-9][0-9]*\)")


def _mistyped_id(stored_type: str) -> MistypedId | None:
    upper = stored_type.upper()
    if NESTED_TYPE.fullmatch(upper):
        return MistypedId("nested", stored_type=stored_type)
    if upper in FLOAT_TYPES or FRACTIONAL_DECIMAL.fullmatch(upper):
        return MistypedId("fractional", stored_type=stored_type)
    return None


def _unreadable(table: str, file: str, error: duckdb.Error) -> DataProblem:
    return fatal_problem(
        "unreadable_file", table, file, t("data.unreadable_file.parquet", error=str(error)),
        t("data.unreadable_file.parquet-hint"),
    )


def read_parquet_table(
    con: duckdb.DuckDBPyConnection, table: str, path: Path, file: str, cap: int
) -> RawTable:
    raw = RawTable(table=table, file=file, format="parquet", faults=RowFaults(cap))
    source = f"read_parquet({literal(str(path))})"
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
    except duckdb.Error as error:
        raw.fatal.append(_unreadable(table, file, error))
        return raw
    stored_names = [row[0] for row in described]
    try:
        check_columns(len(stored_names))
        rows = con.execute(
            f"SELECT sum(num_rows) FROM parquet_file_metadata({literal(str(path))})"
        ).fetchone()[0]
        if (rows or 0) > max_rows():
            raise too_many_rows()
    except OverBound as over:
        raw.fatal.append(bound_problem(table, file, over))
        return raw
    header = [name.strip(NAME_PADDING) for name in stored_names]
    raw.fatal.extend(header_problems(table, file, header))
    if raw.fatal:
        return raw
    raw.columns = header
    raw.float_columns = {
        name for name, row in zip(header, described) if str(row[1]).upper() in FLOAT_TYPES
    }
    identifying = TABLES[table].identifying_columns
    for name, row in zip(header, described):
        mistyped = _mistyped_id(str(row[1])) if name in identifying else None
        if mistyped is not None:
            raw.mistyped_ids[name] = mistyped
    staged = f"{raw_table_name(table)}_stored"
    cells = ", ".join(
        f"{present(f'CAST({ident(stored)} AS VARCHAR)')} AS {cell(i)}"
        for i, stored in enumerate(stored_names)
    )
    try:
        con.execute(f"CREATE OR REPLACE TABLE {staged} AS SELECT {cells} FROM {source}")
    except duckdb.Error as error:
        raw.fatal.append(_unreadable(table, file, error))
        return raw
    columns = ", ".join(cell(i) for i in range(len(header)))
    # Insertion order is the file's order, so rowid + 1 is the 1-based record number.
    raw.relation = raw_table_name(table)
    con.execute(
        f"CREATE OR REPLACE VIEW {raw.relation} AS SELECT CAST(rowid + 1 AS BIGINT) AS _row"
        f"{', ' if columns else ''}{columns} FROM {staged}"
    )
    return raw
