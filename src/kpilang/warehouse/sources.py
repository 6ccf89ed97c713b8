"""What stands for each of the five tables in a query run by another engine.

A *source* is a SELECT over the engine's own table or view (named as in spec/data.md, or mapped
to another name) that gives the columns as kpilang's loaded tables hold them: an id as text, a
date and time as UTC without an offset (the engine's own time zone functions do the conversion,
see dialects.utc_naive), and only the rows the row checks pass (rules.py). The metric queries of
evaluate/sql.py then run over it unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlglot
from sqlglot import exp

from kpilang.data.schema import ColumnKind, TableSpec

from .dialects import SOURCE_DIALECT, quoted, utc_naive
from .rules import Findings, clean_condition, row_rules, table_rules


@dataclass(frozen=True)
class SourceColumn:
    name: str
    kind: ColumnKind | None
    """None for a column whose kind is left as the engine has it."""
    has_offset: bool = False
    """For a date and time: whether the engine's type holds instants (timestamptz, DateTime64
    with a zone) rather than local times in the plan's timezone."""
    is_text: bool = True
    """For an id or text column: whether the engine stores it as text (else it is cast)."""
    timezone: str | None = None
    """For local times: the zone they are in when it is not the plan's (a mapping's `timezone`)."""


def from_item(from_sql: str, dialect: str) -> str:
    """A FROM item written in DuckDB's SQL (a relation, or a SELECT that renames its columns, see
    relations.TableRelation), in the engine's dialect."""
    return sqlglot.parse_one(f"SELECT * FROM {from_sql}", read=SOURCE_DIALECT).find(exp.From).this.sql(dialect=dialect)


def source_select(from_sql: str, columns: list[SourceColumn], *, timezone: str, dialect: str,
                  keep: str | None) -> str:
    """The SELECT, in the engine's dialect, that stands for one table read from `from_sql` (a
    FROM item in DuckDB's SQL). `keep` is a condition in DuckDB's SQL over the relation's columns
    (rules.clean_condition)."""
    picked = []
    for column in columns:
        name = quoted(column.name, dialect)
        if column.kind is ColumnKind.DATETIME:
            value = utc_naive(name, column.timezone or timezone, dialect, has_offset=column.has_offset)
        elif column.kind is ColumnKind.STRING and not column.is_text:
            value = sqlglot.parse_one(f"CAST({name} AS VARCHAR)", read=dialect).sql(dialect=dialect)
        else:
            value = name
        picked.append(f"{value} AS {name}")
    sql = f"SELECT {', '.join(picked)} FROM {from_item(from_sql, dialect)}"
    if keep is not None:
        sql += " WHERE " + sqlglot.parse_one(keep, read=SOURCE_DIALECT).sql(dialect=dialect)
    return sql


def clean_source(spec: TableSpec, from_sql: str, columns: list[SourceColumn], *, managers_from: str,
                 timezone: str, dialect: str, found: Findings | None = None) -> str:
    """The source of a table for the metric queries: only the rows every check passes (the row
    rules, a repeated key, an unknown manager_id), so that the figures read what `kpilang eval`
    reads from a folder. `from_sql` and `managers_from` are FROM items in DuckDB's SQL; `found`,
    what the checks already found (the repeated keys, the ids managers lists), when known."""
    names = {c.name for c in columns}
    rules = row_rules(spec, names) + table_rules(spec, names, from_sql, managers_from, found)
    return source_select(from_sql, columns, timezone=timezone, dialect=dialect, keep=clean_condition(rules))
