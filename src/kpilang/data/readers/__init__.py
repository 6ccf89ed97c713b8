"""One reader per file format; each turns a data file into a raw table of text cells."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb

from .base import RawTable, RowFault, RowFaults
from .csv_file import read_csv_table
from .jsonl_file import read_jsonl_table
from .parquet_file import read_parquet_table


def read_xlsx_table(con: duckdb.DuckDBPyConnection, table: str, path: Path, file: str, cap: int) -> RawTable:
    # openpyxl (and numpy through it) is imported only when a workbook is read: a run on CSV
    # files would otherwise spend a fifth of its start-up loading it.
    from .xlsx_file import read_xlsx_table as read

    return read(con, table, path, file, cap)

Reader = Callable[[duckdb.DuckDBPyConnection, str, Path, str, int], RawTable]

READERS: dict[str, Reader] = {
    "csv": read_csv_table,
    "jsonl": read_jsonl_table,
    "parquet": read_parquet_table,
    "xlsx": read_xlsx_table,
}

FORMATS: tuple[str, ...] = tuple(READERS)


def read_table(
    con: duckdb.DuckDBPyConnection, table: str, path: Path, file: str, fmt: str, cap: int,
    unused: Callable[[str], bool] | None = None,
) -> RawTable:
    """`unused(name)` says that a column's cells will never be looked at; a reader may then
    leave them empty (the CSV reader does, to keep less text in memory). The column is still
    listed in the raw table's columns."""
    if fmt == "csv":
        return read_csv_table(con, table, path, file, cap, unused)
    return READERS[fmt](con, table, path, file, cap)


__all__ = ["FORMATS", "RawTable", "RowFault", "RowFaults", "read_table"]
