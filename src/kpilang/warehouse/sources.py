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

from kpilang.data.schema import ColumnKind, TableSpec

from .dialects import SOURCE_DIALECT, quoted, relation, utc_naive
from .rules import clean_condition, row_rules, table_rules


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


def source_select(relation_name: str, columns: list[SourceColumn], *, timezone: str, dialect: str,
                  keep: str | None) -> str:
    """The SELECT, in the engine's dialect, that stands for one table. `keep` is a condition in
    DuckDB's SQL over the relation's columns (rules.clean_condition)."""
    picked = []
    for column in columns:
        name = quoted(column.name, dialect)
        if column.kind is ColumnKind.DATETIME:
            value = utc_naive(name, timezone, dialect, has_offset=column.has_offset)
        elif column.kind is ColumnKind.STRING and not column.is_text:
            value = sqlglot.parse_one(f"CAST({name} AS VARCHAR)", read=dialect).sql(dialect=dialect)
        else:
            value = name
        picked.append(f"{value} AS {name}")
    sql = f"SELECT {', '.join(picked)} FROM {relation(relation_name, dialect)}"
    if keep is not None:
        sql += " WHERE " + sqlglot.parse_one(keep, read=SOURCE_DIALECT).sql(dialect=dialect)
    return sql


def clean_source(spec: TableSpec, relation_name: str, columns: list[SourceColumn], *, managers_relation: str,
                 timezone: str, dialect: str) -> str:
    """The source of a table for the metric queries: only the rows every check passes (the row
    rules, a repeated key, an unknown manager_id), so that the figures read what `kpilang eval`
    reads from a folder."""
    names = {c.name for c in columns}
    rules = row_rules(spec, names) + table_rules(spec, names, relation(relation_name, SOURCE_DIALECT),
                                                 relation(managers_relation, SOURCE_DIALECT))
    return source_select(relation_name, columns, timezone=timezone, dialect=dialect, keep=clean_condition(rules))
