"""Loaded activity data: clean typed tables in DuckDB, what was read, and what was rejected."""

from __future__ import annotations

from collections.abc import Callable

import duckdb
from pydantic import BaseModel

from .inputs import InputFile, Snapshot
from .problems import DataProblem
from .schema import ColumnKind


class TableInfo(BaseModel):
    """One loaded table. Every row read is either used or rejected:
    rows_read == rows_used + rows_rejected."""

    name: str
    file: str
    format: str  # csv | jsonl | parquet | xlsx
    columns: list[str]
    rows_read: int
    rows_used: int
    rows_rejected: int
    # Rejected rows whose manager_id names nobody in managers (not even nearly): nobody's pay
    # stops for them, so the run says how many there are.
    rows_of_unknown_people: int = 0
    # Records of a CRM's files that its source mapping leaves out on purpose (where/exclude):
    # not read into the table, counted so that none is dropped silently.
    rows_excluded: int = 0


class DataSet:
    """The clean tables of one data source.

    `connection` holds one table per loaded data table, named managers, activities, leads, deals
    and targets, with the file's columns under their own names and these DuckDB types:
    string VARCHAR, money and number DECIMAL(38, s), integer BIGINT, datetime TIMESTAMP holding
    UTC (naive), date DATE, duration BIGINT whole seconds, bool BOOLEAN. The connection's
    TimeZone setting is UTC. Row order in the tables carries no meaning. A table taken from the
    cache of checked tables is a view of its Parquet file (see table_cache.py): read-only.

    For data in a database (kpilang.warehouse), `connection` runs the same SQL in that engine
    instead, over tables that read as these do.
    """

    def __init__(
        self,
        connection: duckdb.DuckDBPyConnection,
        tables: dict[str, TableInfo],
        problems: list[DataProblem],
        timezone: str,
        column_kinds: dict[str, dict[str, ColumnKind]],
        *,
        inputs: list[InputFile] | None = None,
        snapshot: Snapshot | None = None,
        on_close: list[Callable[[], None]] | None = None,
    ):
        self.connection = connection
        self.tables = tables
        self.problems = problems
        self.timezone = timezone
        self._column_kinds = column_kinds
        self.inputs = list(inputs or [])
        """Every file read, with its SHA-256, in the order read (managers first)."""
        self.snapshot = snapshot
        """The snapshot the data directory is (the hash of its manifest), or None."""
        # What to undo once the tables are no longer read (files the tables read from).
        self._on_close = list(on_close or [])

    def column_type(self, table: str, column: str) -> str:
        """string, money, integer, number, datetime, date, duration or bool.

        Raises KeyError for a table that was not loaded or a column it does not have.
        """
        try:
            return self._column_kinds[table][column].value
        except KeyError:
            raise KeyError(f"{table}.{column} is not in the loaded data") from None

    @property
    def affected_manager_ids(self) -> set[str]:
        """Everyone a rejected row touches: their figures would come from partial data."""
        return {person for problem in self.problems for person in problem.manager_ids}

    def close(self) -> None:
        self.connection.close()
        for undo in self._on_close:
            undo()
        self._on_close = []

    def __enter__(self) -> DataSet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
