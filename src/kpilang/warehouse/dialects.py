"""The metric SQL of evaluate/sql.py, written for another engine.

kpilang writes its queries once, in DuckDB's SQL (evaluate/sql.py), and sqlglot transpiles them.
This module adds what a transpiler cannot know:

- the values of the parameters, written as typed literals of the engine (an amount as
  `CAST('1234.50' AS DECIMAL(38, 2))`, never a float literal: ClickHouse and BigQuery read `1.5`
  as binary floating point);
- each of the five tables replaced by its *source*: a subquery over the engine's own relation
  that gives every date and time as UTC without an offset, as kpilang's loaded tables hold them,
  with the engine's own time zone functions (see `utc_naive`);
- the few functions with no common spelling: exact seconds since the epoch (`epoch_us`) and, in
  ClickHouse, the lower middle value of a median (`quantileExactLow`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlglot
from sqlglot import exp

DIALECTS = ("duckdb", "postgres", "clickhouse", "spark", "bigquery", "snowflake")
"""The engines `kpilang sql --dialect` writes for, by sqlglot's names."""

SOURCE_DIALECT = "duckdb"
"""The SQL evaluate/sql.py writes."""

# A date and time without an offset, as the engine's UTC-without-offset value.
_UTC_LITERAL = {
    "clickhouse": "toDateTime64('{text}', 6, 'UTC')",
}

# A column of local times (no offset) in the plan's timezone, as UTC without an offset.
_LOCAL_TO_UTC = {
    "duckdb": "timezone('UTC', timezone('{tz}', {col}))",
    "postgres": "(({col} AT TIME ZONE '{tz}') AT TIME ZONE 'UTC')",
    "clickhouse": "toTimeZone(toDateTime64(toString({col}), 6, '{tz}'), 'UTC')",
    "spark": "to_utc_timestamp({col}, '{tz}')",
    "bigquery": "DATETIME(TIMESTAMP({col}, '{tz}'), 'UTC')",
    "snowflake": "CONVERT_TIMEZONE('{tz}', 'UTC', {col})",
}

# A column of instants (a type with a time zone), as UTC without an offset.
_INSTANT_TO_UTC = {
    "duckdb": "timezone('UTC', {col})",
    "postgres": "({col} AT TIME ZONE 'UTC')",
    "clickhouse": "toTimeZone({col}, 'UTC')",
    "spark": "to_utc_timestamp({col}, 'UTC')",
    "bigquery": "DATETIME({col}, 'UTC')",
    "snowflake": "CONVERT_TIMEZONE('UTC', {col})::TIMESTAMP_NTZ",
}

# Microseconds since the epoch of a UTC value without an offset, exactly (a whole number). In
# ClickHouse it is made a 38-digit decimal: an Int64 times the DECIMAL(7, 6) that turns it into
# seconds would give a DECIMAL(7, 6), which wraps around past 2147 seconds.
_EPOCH_US = {
    "duckdb": "epoch_us({arg})",
    "postgres": "CAST(EXTRACT(EPOCH FROM {arg}) * 1000000 AS BIGINT)",
    "clickhouse": "toDecimal128(toUnixTimestamp64Micro(toDateTime64({arg}, 6, 'UTC')), 0)",
    "spark": "unix_micros(CAST({arg} AS TIMESTAMP))",
    "bigquery": "UNIX_MICROS(TIMESTAMP({arg}))",
    "snowflake": "DATE_PART(epoch_microsecond, {arg})",
}


class UnknownDialect(ValueError):
    pass


def check_dialect(dialect: str) -> str:
    if dialect not in DIALECTS:
        raise UnknownDialect(dialect)
    return dialect


def quoted(name: str, dialect: str) -> str:
    """An identifier, quoted the engine's way."""
    return exp.to_identifier(name, quoted=True).sql(dialect=dialect)


def relation(name: str, dialect: str) -> str:
    """A table or view name, possibly schema-qualified (`sales.deals`), quoted part by part."""
    return ".".join(quoted(part, dialect) for part in name.split("."))


def utc_naive(column_sql: str, timezone: str, dialect: str, *, has_offset: bool) -> str:
    """A date-and-time column as UTC without an offset: a column of instants is converted from
    its zone, a column of local times is read in the plan's timezone (spec/data.md)."""
    template = (_INSTANT_TO_UTC if has_offset else _LOCAL_TO_UTC)[dialect]
    return template.format(col=column_sql, tz=timezone.replace("'", "''"))


def literal(value: Any, dialect: str) -> exp.Expression:
    """A parameter's value as a typed literal of the engine."""
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, int):
        return exp.Literal.number(value)
    if isinstance(value, Decimal):
        sign, digits, exponent = value.as_tuple()
        scale = max(0, -int(exponent))
        precision = max(len(digits), scale + 1)
        if precision > 38:
            raise ValueError(f"{value} has more than 38 digits")
        return exp.Cast(this=exp.Literal.string(format(value, "f")),
                        to=exp.DataType.build(f"DECIMAL(38, {scale})"))
    if isinstance(value, datetime):
        text = value.isoformat(sep=" ")
        if dialect in _UTC_LITERAL:
            return sqlglot.parse_one(_UTC_LITERAL[dialect].format(text=text), read=dialect)
        return exp.Cast(this=exp.Literal.string(text), to=exp.DataType.build("TIMESTAMP"))
    if isinstance(value, date):
        return exp.Cast(this=exp.Literal.string(value.isoformat()), to=exp.DataType.build("DATE"))
    if isinstance(value, str):
        return exp.Literal.string(value)
    if isinstance(value, list | tuple):
        return exp.Array(expressions=[literal(v, dialect) for v in value])
    raise TypeError(f"no SQL literal for {type(value).__name__}")


def parsed_sources(sources: Mapping[str, str], dialect: str) -> dict[str, exp.Expression]:
    """The sources parsed once, for the many queries of a run: a source that lists what the checks
    found can be long, and sqlglot parses in Python."""
    return {name: sqlglot.parse_one(text, read=dialect) for name, text in sources.items()}


def transpile(sql: str, params: Mapping[str, Any], dialect: str,
              sources: Mapping[str, str | exp.Expression] | None = None) -> str:
    """DuckDB SQL with `$name` parameters as the engine's SQL with the values written in.

    `sources` maps a table name (managers, deals, …) to a SELECT in the engine's dialect that
    stands for it (see module doc), as text or parsed (parsed_sources)."""
    check_dialect(dialect)
    tree = sqlglot.parse_one(sql, read=SOURCE_DIALECT)
    named = {table.name for table in tree.find_all(exp.Table)}
    parsed = {name: source if isinstance(source, exp.Expression) else sqlglot.parse_one(source, read=dialect)
              for name, source in (sources or {}).items() if name in named}

    def rewrite(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Placeholder):
            return literal(params[node.name], dialect)
        if isinstance(node, exp.Anonymous) and node.name.lower() == "epoch_us":
            arg = node.expressions[0].transform(rewrite).sql(dialect=dialect)
            return sqlglot.parse_one(_EPOCH_US[dialect].format(arg=arg), read=dialect)
        if dialect == "clickhouse" and isinstance(node, exp.PercentileDisc):
            value = node.this.transform(rewrite).sql(dialect=dialect)
            level = node.expression.sql(dialect=dialect)
            return sqlglot.parse_one(f"quantileExactLow({level})({value})", read=dialect)
        if isinstance(node, exp.Table) and node.name in parsed and not node.args.get("db"):
            alias = node.alias or node.name
            return exp.Subquery(this=parsed[node.name].copy(),
                                alias=exp.TableAlias(this=exp.to_identifier(alias)))
        return node

    return tree.transform(rewrite).sql(dialect=dialect, unsupported_level=sqlglot.ErrorLevel.RAISE)
