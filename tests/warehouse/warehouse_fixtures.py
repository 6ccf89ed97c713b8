"""Fixtures of the warehouse tests: a real PostgreSQL server, a chDB directory and DuckDB files,
each holding the normative example's or the demo's data (see warehouse_engines.py). A test module
imports them by name: a conftest.py here would stand in for the suite's own `conftest` module,
which other tests import."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from warehouse_engines import (  # noqa: E402
    DATA,
    TIMEZONE,
    clean_tables,
    load_clickhouse,
    load_duckdb_file,
    load_postgres,
    postgres_binaries,
    start_postgres,
)



@pytest.fixture(scope="session")
def postgres_server():
    if postgres_binaries() is None:
        pytest.skip("PostgreSQL is not installed (Debian's package postgresql; .ci/run installs it)")
    pytest.importorskip("psycopg", reason="the PostgreSQL driver psycopg is not installed (pip install -e '.[test]')")
    server = start_postgres()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def tables(tmp_path_factory):
    out = {}
    for name, path in DATA.items():
        folder = tmp_path_factory.mktemp(f"clean-{name}")
        out[name] = clean_tables(path, TIMEZONE, folder)
    return out


@pytest.fixture(scope="session")
def file_reports():
    """(plan, period, data set) → the JSON report of the file path, computed once."""
    return {}


class Warehouse:
    """One engine holding one data set (a schema, database file or directory of its own), and a
    way to change its tables to plant bad rows."""

    def __init__(self, engine: str, url: str, run):
        self.engine, self.url, self.run = engine, url, run


@pytest.fixture
def warehouse(request, tables, tmp_path):
    """`warehouse(engine, data_set)`: a fresh copy of the data set in the engine."""
    made = []

    def make(engine: str, data_set: str) -> Warehouse:
        data = tables[data_set]
        if engine == "duckdb":
            path = tmp_path / f"{data_set}.duckdb"
            load_duckdb_file(path, data, TIMEZONE)

            def run(sql: str) -> None:
                import duckdb

                with duckdb.connect(str(path)) as con:
                    con.execute(sql)
            return Warehouse(engine, f"duckdb://{path}", run)
        if engine == "postgres":
            server = request.getfixturevalue("postgres_server")
            schema = f"{data_set}_{len(made)}_{abs(hash(request.node.nodeid)) % 10**8}"
            made.append(schema)
            with server.connect() as con:
                load_postgres(con, data, schema)

            def run(sql: str) -> None:
                with server.connect() as con:
                    con.execute(f'SET search_path TO "{schema}"')
                    con.execute(sql)
            return Warehouse(engine, f"{server.url}&options=-csearch_path%3D{schema}", run)
        pytest.importorskip("chdb", reason="chDB (ClickHouse in-process) is not installed")
        directory = Path(tempfile.mkdtemp(prefix="kpilang-chdb-"))
        request.addfinalizer(lambda: shutil.rmtree(directory, ignore_errors=True))
        load_clickhouse(directory, data)

        def run(sql: str) -> None:
            from chdb import session

            s = session.Session(str(directory))
            try:
                s.query(sql)
            finally:
                s.close()
        return Warehouse(engine, f"clickhouse://{directory}", run)

    return make
