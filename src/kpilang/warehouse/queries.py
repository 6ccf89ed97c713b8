"""Every query a plan runs for a period, in one engine's SQL: what `kpilang sql` prints and what an
evaluation over a database runs (warehouse/connection.py transpiles the same text as it runs).

The queries are those of evaluate/sql.py (one per table, plus one per aggregate that must be
computed row by row), over the sources of sources.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from kpilang.compile.program import Program
from kpilang.data.schema import TABLES
from kpilang.evaluate.period import period_for_plan
from kpilang.evaluate.rowwise import rowwise_query
from kpilang.evaluate.run import data_needs
from kpilang.evaluate.aggregate_plan import collect_aggregates
from kpilang.evaluate.sql import DUCKDB, build_query

from .dialects import SOURCE_DIALECT, relation, transpile
from .sources import SourceColumn, clean_source


@dataclass(frozen=True)
class EngineQuery:
    table: str
    sql: str
    rowwise: bool
    """Whether it returns the matching rows' values (an aggregate with a division, computed in
    exact decimals by kpilang) rather than one row per person."""


def plan_sources(program: Program, *, dialect: str, relations: Mapping[str, str],
                 has_offset: bool) -> dict[str, str]:
    """Table → its source SELECT for the tables the plan reads, their columns typed as spec/data.md
    says (an extra column is taken as the engine has it)."""
    out = {}
    for table, needed in data_needs(program).items():
        if table not in TABLES:
            continue
        spec = TABLES[table]
        names = list(dict.fromkeys([*spec.required_columns, *sorted(needed)]))
        columns = [SourceColumn(name, spec.column(name).kind if spec.column(name) else None,
                                has_offset=has_offset) for name in names]
        out[table] = clean_source(spec, relation(relations.get(table, table), SOURCE_DIALECT), columns,
                                  managers_from=relation(relations.get("managers", "managers"), SOURCE_DIALECT),
                                  timezone=program.plan.timezone, dialect=dialect)
    return out


def plan_queries(program: Program, period: str, *, dialect: str, sources: Mapping[str, str],
                 column_type: Callable[[str, str], str] | None = None) -> list[EngineQuery]:
    """The metric queries of `program` for `period`, in `dialect`, over `sources`."""
    info = program.plan
    start, end = period_for_plan(period, info.period).bounds_utc(info.timezone)
    team = info.scope == "team"
    plan = collect_aggregates(program)
    out = []
    for table, aggregates in sorted(plan.by_table.items()):
        query = build_query(table, aggregates, table_ref=f'"{table}"', managers_ref='"managers"', start=start,
                            end=end, timezone=info.timezone, team=team, column_type=column_type)
        out.append(EngineQuery(table, transpile(query.sql, query.params, dialect, sources), False))
        for agg in aggregates:
            if agg.rowwise:
                sql, params, _ = rowwise_query(agg, table_ref=f'"{table}"', managers_ref='"managers"', start=start,
                                               end=end, timezone=info.timezone, team=team, dialect=DUCKDB, column_type=column_type)
                out.append(EngineQuery(table, transpile(sql, params, dialect, sources), True))
    return out
