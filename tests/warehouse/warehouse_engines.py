"""Real engines for the warehouse tests, and the example data copied into them.

PostgreSQL is Debian's package, started in a temporary directory on a unix socket of its own
(initdb, pg_ctl); ClickHouse runs in-process through chDB; DuckDB is a database file. The data
put in each is what kpilang's own loader makes of a data directory (its clean tables), so the
figures from the engine must be the file path's, to the kopeck.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kpilang.data import load_data

ROOT = Path(__file__).resolve().parents[2]
DATA = {"cold_sales": ROOT / "examples" / "cold_sales" / "data", "demo": ROOT / "examples" / "demo"}
TIMEZONE = "Europe/Moscow"
ENGINES = ("duckdb", "postgres", "clickhouse")


def postgres_binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PostgresServer:
    directory: Path
    port: int
    bin: Path
    as_user: list[str]

    @property
    def url(self) -> str:
        # The socket directory goes as libpq's `host` option: a path in the host part would need escaping.
        return f"postgresql://postgres@:{self.port}/postgres?host={self.directory}"

    def connect(self):
        import psycopg

        return psycopg.connect(host=str(self.directory), port=self.port, user="postgres", dbname="postgres",
                               autocommit=True)

    def stop(self) -> None:
        subprocess.run([*self.as_user, str(self.bin / "pg_ctl"), "-D", str(self.directory / "data"), "-m",
                        "immediate", "stop"], capture_output=True)
        shutil.rmtree(self.directory, ignore_errors=True)


def start_postgres() -> PostgresServer:
    """A fresh server in a temporary directory (as the postgres user when run as root, which
    PostgreSQL refuses to be)."""
    bin_dir = postgres_binaries()
    assert bin_dir is not None
    directory = Path(tempfile.mkdtemp(prefix="kpilang-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(directory, user.pw_uid, user.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    data = directory / "data"
    run = lambda *args: subprocess.run([*as_user, *args], check=True, capture_output=True, text=True)  # noqa: E731
    run(str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
        "--locale=C")
    port = _free_port()
    run(str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(directory / "log"), "-w", "-o",
        f"-p {port} -k {directory} -c listen_addresses='' -c fsync=off", "start")
    return PostgresServer(directory, port, bin_dir, as_user)


@dataclass
class Column:
    name: str
    duckdb_type: str


@dataclass
class CleanTable:
    columns: list[Column]
    parquet: Path

    def rows(self) -> list[tuple]:
        import duckdb

        with duckdb.connect() as con:
            return con.execute(f"SELECT * FROM read_parquet('{self.parquet}')").fetchall()


def clean_tables(data: Path, timezone: str, out: Path) -> dict[str, CleanTable]:
    """Table → its columns and a Parquet file of its rows, as kpilang's loader makes them (dates
    and times naive UTC)."""
    tables = {}
    with load_data(data, timezone=timezone) as dataset:
        con = dataset.connection
        for table in dataset.tables:
            columns = [Column(c[0], c[1]) for c in con.execute(f'DESCRIBE "{table}"').fetchall()]
            parquet = out / f"{table}.parquet"
            con.execute(f"COPY \"{table}\" TO '{parquet}' (FORMAT parquet)")
            tables[table] = CleanTable(columns, parquet)
    return tables


PG_TYPES = {"VARCHAR": "text", "BIGINT": "bigint", "INTEGER": "integer", "TIMESTAMP": "timestamptz",
            "DATE": "date", "BOOLEAN": "boolean"}


def pg_type(duckdb_type: str) -> str:
    return duckdb_type.replace("DECIMAL", "numeric") if duckdb_type.startswith("DECIMAL") else PG_TYPES[duckdb_type]


def load_postgres(con, tables: dict[str, CleanTable], schema: str = "public") -> None:
    """The tables into PostgreSQL; dates and times as timestamptz (instants)."""
    from datetime import timezone as tz

    con.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
    for table, clean in tables.items():
        columns = clean.columns
        con.execute(f'CREATE TABLE "{schema}"."{table}" ('
                    + ", ".join(f'"{c.name}" {pg_type(c.duckdb_type)}' for c in columns) + ")")
        stamps = [i for i, c in enumerate(columns) if c.duckdb_type == "TIMESTAMP"]
        with con.cursor() as cur, cur.copy(f'COPY "{schema}"."{table}" FROM STDIN') as copy:
            for row in clean.rows():
                row = list(row)
                for i in stamps:
                    if row[i] is not None:
                        row[i] = row[i].replace(tzinfo=tz.utc)
                copy.write_row(row)


def load_duckdb_file(path: Path, tables: dict[str, CleanTable], local_timezone: str) -> None:
    """The tables into a DuckDB file; dates and times as local times in `local_timezone` (a type
    without a time zone), as an export that keeps the wall clock would have them."""
    import duckdb

    with duckdb.connect(str(path)) as con:
        for table, clean in tables.items():
            picked = ", ".join(
                f"timezone('{local_timezone}', timezone('UTC', \"{c.name}\")) AS \"{c.name}\""
                if c.duckdb_type == "TIMESTAMP" else f'"{c.name}"' for c in clean.columns)
            con.execute(f"CREATE TABLE \"{table}\" AS SELECT {picked} FROM read_parquet('{clean.parquet}')")


CH_TYPES = {"VARCHAR": "String", "BIGINT": "Int64", "INTEGER": "Int32", "TIMESTAMP": "DateTime64(6, 'UTC')",
            "DATE": "Date", "BOOLEAN": "Bool"}


def ch_type(duckdb_type: str) -> str:
    inner = duckdb_type.replace("DECIMAL", "Decimal") if duckdb_type.startswith("DECIMAL") else CH_TYPES[duckdb_type]
    return f"Nullable({inner})"


def load_clickhouse(directory: Path, tables: dict[str, CleanTable]) -> None:
    """The tables into a chDB database directory (from Parquet, which keeps decimals exact)."""
    from chdb import session

    s = session.Session(str(directory))
    try:
        for table, clean in tables.items():
            s.query(f'CREATE TABLE "{table}" (' + ", ".join(f'"{c.name}" {ch_type(c.duckdb_type)}' for c in clean.columns)
                    + ") ENGINE = MergeTree ORDER BY tuple()")
            s.query(f"INSERT INTO \"{table}\" SELECT * FROM file('{clean.parquet}', Parquet)")
    finally:
        s.close()
