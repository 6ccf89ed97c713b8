"""Run the plan's aggregates on the loaded data: one query per table, values per person or team.

`sql.py` writes the queries; this module runs them on the DataSet's DuckDB connection and turns
each result row into exact values. A person (or team) with no rows in the period has no result
row; `AggregateValues.of` gives them the no-rows values (0 for count and sum, no value for the
rest).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

import duckdb

from kpilang.evaluate.rowwise import compute_rowwise, rowwise_query
from kpilang.evaluate.aggregate_plan import AggregatePlan
from kpilang.evaluate.sql import DUCKDB, ColumnType, Dialect, build_query, finish_missing
from kpilang.messages import t


class EngineQueryError(Exception):
    """Another engine (a database holding the data, see kpilang.warehouse) refused a query; the
    text is the engine's own first line."""


class MetricQueryError(Exception):
    """The database refused a metric's query: the data's column kinds do not fit what the plan
    does with them (an extra column of text compared with a number, say)."""

    def __init__(self, table: str, detail: str):
        self.table = table
        self.detail = detail
        """The database's own words, quoted as they are."""
        self.message = t("run.metric-query", table=table, detail=detail)
        self.hint = t("run.metric-query-hint")
        super().__init__(str(self.message))


@dataclass
class AggregateValues:
    """Every aggregate's value for every group (manager_id, or team for `scope team`)."""

    plan: AggregatePlan
    values: dict[Any, dict[str, Decimal | None]] = field(default_factory=dict)
    rows_in_period: dict[str, dict[Any, int]] = field(default_factory=dict)
    """Table → group → how many of its rows fall in the period."""
    _no_rows: dict[str, Decimal | None] | None = field(default=None, init=False, repr=False, compare=False)

    def of(self, group: Any) -> dict[str, Decimal | None]:
        if self._no_rows is None:  # the same for everyone: made once (Decimals are immutable)
            self._no_rows = finish_missing(self.plan.aggregates)
        return {**self._no_rows, **self.values.get(group, {})}


def run_aggregates(
    con: duckdb.DuckDBPyConnection,
    plan: AggregatePlan,
    *,
    start: datetime,
    end: datetime,
    timezone: str,
    team: bool,
    tables_present: set[str],
    dialect: Dialect = DUCKDB,
    column_type: ColumnType | None = None,
) -> AggregateValues:
    """Compute every aggregate of `plan` for the period [start, end) (naive UTC)."""
    out = AggregateValues(plan=plan)
    for table, aggregates in sorted(plan.by_table.items()):
        if table not in tables_present:  # pragma: no cover - the loader reports a missing table as fatal
            raise LookupError(f"the data has no table {table}")
        ref, managers = dialect.ident(table), dialect.ident("managers")
        query = build_query(table, aggregates, table_ref=ref, managers_ref=managers, start=start, end=end,
                            timezone=timezone, team=team, dialect=dialect, column_type=column_type)
        cursor = _execute(con, table, query.sql, query.params)
        names = [d[0] for d in cursor.description]
        counts: dict[Any, int] = {}
        for raw in cursor.fetchall():
            row = dict(zip(names, raw))
            group = row["grp"]
            counts[group] = int(row[query.rows_column])
            slot = out.values.setdefault(group, {})
            for key, finish in query.finishers.items():
                slot[key] = finish(row)
        out.rows_in_period[table] = counts
        for agg in aggregates:
            if not agg.rowwise:
                continue
            sql, params, columns = rowwise_query(agg, table_ref=ref, managers_ref=managers, start=start, end=end,
                                                 timezone=timezone, team=team, dialect=dialect,
                                                 column_type=column_type)
            for group, value in compute_rowwise(agg, _execute(con, table, sql, params).fetchall(), columns).items():
                out.values.setdefault(group, {})[agg.key] = value
    return out


def _execute(con: duckdb.DuckDBPyConnection, table: str, sql: str, params: dict[str, Any]):
    try:
        return con.execute(sql, params)
    except (duckdb.Error, EngineQueryError) as err:
        # The first line says what is wrong; the rest is the generated SQL, of no use to a reader.
        detail = str(err).splitlines()[0]
        raise MetricQueryError(table, detail) from err
