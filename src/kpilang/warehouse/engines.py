"""The engines that hold data: DuckDB files, PostgreSQL servers, ClickHouse in-process (chDB).

Each answers three questions, in its own SQL: does a relation exist, which columns (and types)
has it, and what does a query return. Results come back as Python values that keep decimals
exact (Decimal, int), dates and times as `date` and naive `datetime`. Every read of one run sees
the same data: a PostgreSQL run is one read-only REPEATABLE READ transaction, a DuckDB file is
opened read-only. A driver the engine needs and that is not installed is said as such.
"""

from __future__ import annotations

import importlib
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from kpilang.evaluate.aggregate import EngineQueryError
from kpilang.messages import t

from .dialects import relation
from .urls import DataUrl, UrlError

Rows = tuple[list[str], list[tuple]]


class Engine(Protocol):
    dialect: str

    def columns(self, name: str) -> dict[str, str] | None:
        """Column → its type as the engine names it; None when there is no such table or view."""
        ...

    def fetch(self, sql: str) -> Rows:
        """The column names and rows of a query; raises EngineQueryError when the engine refuses it."""
        ...

    def close(self) -> None: ...


def _driver(module: str, package: str, scheme: str):
    try:
        return importlib.import_module(module)
    except ImportError:
        raise UrlError(t("warehouse.no-driver", scheme=scheme, package=package),
                       t("warehouse.no-driver-hint", package=package)) from None


def _first_line(err: Exception) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def connect(url: DataUrl) -> Engine:
    """An engine for the URL; raises UrlError when it cannot be reached."""
    if url.engine == "duckdb":
        return DuckDBEngine(url)
    if url.engine == "postgres":
        return PostgresEngine(url)
    return ClickHouseEngine(url)


class DuckDBEngine:
    dialect = "duckdb"

    def __init__(self, url: DataUrl):
        import duckdb

        self._error = duckdb.Error
        try:
            self.con = duckdb.connect(url.path or "", read_only=True)
        except duckdb.Error as err:
            raise UrlError(t("warehouse.cannot-connect", data=url.shown, detail=_first_line(err)),
                           t("warehouse.cannot-connect-hint")) from None
        self.con.execute("SET enable_progress_bar = false")

    def columns(self, name: str) -> dict[str, str] | None:
        try:
            rows = self.con.execute(f"DESCRIBE {relation(name, self.dialect)}").fetchall()
        except self._error:
            return None
        return {row[0]: row[1] for row in rows}

    def fetch(self, sql: str) -> Rows:
        try:
            cursor = self.con.execute(sql)
        except self._error as err:
            raise EngineQueryError(_first_line(err)) from err
        return [d[0] for d in cursor.description], cursor.fetchall()

    def close(self) -> None:
        self.con.close()


class PostgresEngine:
    dialect = "postgres"

    def __init__(self, url: DataUrl):
        psycopg = _driver("psycopg", "psycopg[binary]", "postgresql://")
        self._error = psycopg.Error
        given = {"host": url.host, "port": url.port, "user": url.user, "dbname": url.database}
        params: dict[str, Any] = {k: v for k, v in given.items() if v is not None}
        params.update(url.options)
        if url.password is not None:
            params["password"] = url.password.value
        try:
            self.con = psycopg.connect(**params)
        except psycopg.Error as err:
            detail = _first_line(err)
            if url.password is not None:
                detail = url.password.redact(detail)
            raise UrlError(t("warehouse.cannot-connect", data=url.shown, detail=detail),
                           t("warehouse.cannot-connect-hint")) from None
        # One snapshot for the whole run: the checks and the figures see the same rows.
        self.con.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        self.con.read_only = True

    def columns(self, name: str) -> dict[str, str] | None:
        _, rows = self.fetch_with(
            "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
            "WHERE a.attrelid = to_regclass(%s) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
            (relation(name, self.dialect),))
        return {n: kind for n, kind in rows} or None

    def fetch(self, sql: str) -> Rows:
        return self.fetch_with(sql, None)

    def fetch_with(self, sql: str, params: tuple | None) -> Rows:
        try:
            with self.con.cursor() as cursor:
                cursor.execute(sql, params)
                return [d.name for d in cursor.description], cursor.fetchall()
        except self._error as err:
            self.con.rollback()
            raise EngineQueryError(_first_line(err)) from err

    def close(self) -> None:
        self.con.close()


class ClickHouseEngine:
    """ClickHouse in this process (chDB), over the database directory of the URL."""

    dialect = "clickhouse"

    def __init__(self, url: DataUrl):
        session = _driver("chdb.session", "chdb", "clickhouse://")
        try:
            self.session = session.Session(url.path) if url.path else session.Session()
        except Exception as err:  # chDB says what went wrong only through its own RuntimeError
            raise UrlError(t("warehouse.cannot-connect", data=url.shown, detail=_first_line(err)),
                           t("warehouse.cannot-connect-hint")) from None
        # A decimal keeps its scale in the output (1150000.50, not 1150000.5), as in the files.
        self.fetch("SET output_format_decimal_trailing_zeros = 1")

    def columns(self, name: str) -> dict[str, str] | None:
        try:
            _, rows = self.fetch(f"DESCRIBE TABLE {relation(name, self.dialect)}")
        except EngineQueryError:
            return None
        return {row[0]: row[1] for row in rows}

    def fetch(self, sql: str) -> Rows:
        try:
            result = self.session.query(sql, "JSONCompact")
        except Exception as err:  # chDB's ChdbError is a RuntimeError
            raise EngineQueryError(_first_line(err)) from err
        text = result.bytes().decode("utf-8") if hasattr(result, "bytes") else str(result)
        if not text.strip():
            return [], []
        # Decimals come as JSON numbers: read them as Decimal, never as float.
        answer = json.loads(text, parse_float=Decimal)
        types = [m["type"] for m in answer["meta"]]
        rows = [tuple(_clickhouse_value(v, kind) for v, kind in zip(row, types)) for row in answer["data"]]
        return [m["name"] for m in answer["meta"]], rows

    def close(self) -> None:
        self.session.close()


def _clickhouse_value(value: Any, kind: str) -> Any:
    if value is None:
        return None
    while kind.startswith(("Nullable(", "LowCardinality(")):
        kind = kind[kind.index("(") + 1:-1]
    if kind.startswith(("Int", "UInt")):
        return int(value)
    if kind.startswith("Decimal"):
        return Decimal(str(value))
    if kind.startswith("DateTime"):
        return datetime.fromisoformat(value)
    if kind.startswith("Date"):
        return date.fromisoformat(value)
    if kind.startswith("Float"):
        raise EngineQueryError(f"inexact value of type {kind}")
    return value
