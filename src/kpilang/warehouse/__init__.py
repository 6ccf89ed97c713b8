"""Data that lives in a database: `--data duckdb:///…`, `postgresql://…`, `clickhouse://…`.

The checks and the metric queries run in the engine that holds the data (PostgreSQL, ClickHouse
through chDB, a DuckDB file), transpiled from the one query generator (evaluate/sql.py) with
sqlglot; only per-person figures come back. `kpilang sql` prints the same queries for an engine
kpilang does not run (Spark, BigQuery, Snowflake). See docs/warehouse.md.
"""

from __future__ import annotations

from .urls import UrlError, is_data_url, parse_data_url

__all__ = ["UrlError", "is_data_url", "open_data_url", "parse_data_url"]


def open_data_url(data: str, *, timezone: str, needs: dict[str, set[str]] | None = None, mapper=None):
    """The checked data of a `--data` URL (see dataset.open_warehouse); `mapper` is a
    relations.ColumnMapper (a source mapping) or None."""
    from .dataset import open_warehouse

    return open_warehouse(parse_data_url(data), timezone=timezone, needs=needs, mapper=mapper)
