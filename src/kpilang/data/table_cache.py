"""Checked tables kept between runs: a second `eval`, `explain`, `report`, `compare` or
`lint --history` on the same export takes each table as the first run checked it, without
reading the file again.

An entry is the clean table as Parquet with what the check found: the table's account of rows,
every problem (the rejected rows are reported from these, exactly as the first run did), the
kinds of its columns and the file's header. Its key is a SHA-256 over everything the checked
table depends on: the file's content hash and format, the table, the columns checked, the
plan's timezone (times without an offset are read in it), the bound on rows, kpilang's version
and the code of its data checks, DuckDB's version, and for a table whose rows belong to people
the content hash of the managers file they are checked against. A file changed by one byte, or
a new kpilang, is a new key: the entry is never used again and is evicted in time (see
cache_store.py).

Only kpilang's own files are cached; tables a CRM source mapping provides are read every time.
Anything that goes wrong with the cache (an entry evicted while read, a full disk) only means
the file is read and checked as if there were no cache.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import duckdb

from .bounds import max_rows
from .cache_codec import UnstorableValue, decode_problem, encode_problem
from .cache_store import Store
from .dataset import TableInfo
from .file_hashes import FileHashes, Stamp
from .inputs import InputFile
from .problems import DataProblem
from .schema import ColumnKind
from .sql import ident, literal

TABLE_FILE = "table.parquet"
FACTS_FILE = "facts.json"


@cache
def code_version() -> str:
    """kpilang's version and a hash of the code that reads and checks data files: a change to
    a check during development invalidates what the old code checked."""
    try:
        release = version("kpilang")
    except PackageNotFoundError:
        release = "unknown"
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    return f"{release}+{digest.hexdigest()[:16]}"


@dataclass(frozen=True)
class CachedTable:
    """A table as a previous run checked it; `parquet` holds its clean rows."""

    info: TableInfo
    problems: list[DataProblem]
    kinds: dict[str, ColumnKind]
    columns: list[str]  # the file's header
    types: list[list[str]]  # (column, DuckDB type) of the clean table
    parquet: Path


class TableCache:
    def __init__(self, store: Store | None = None):
        self.store = store or Store.default()
        self.hashes = FileHashes(self.store.root)

    def hashed_file(self, table: str, path: Path, shown: str) -> tuple[InputFile, Stamp] | None:
        """The file's record with its content hash (remembered for an unchanged file, see
        file_hashes.py), for the cache's key, and its stamp as it was when hashed; None when it
        cannot be read (the reader then says why)."""
        try:
            hashed = self.hashes.sha256(path)
        except OSError:
            return None
        return InputFile(table=table, file=shown, sha256=hashed.sha256, bytes=hashed.size), hashed.stamp

    @staticmethod
    def key(*, table: str, fmt: str, sha256: str, columns: set[str] | None, timezone: str,
            detail: int, people: str | None) -> str:
        """`columns`: those checked (None: all); `people`: the SHA-256 of the managers file the
        table's rows are checked against (None for managers itself); `detail`: problems listed
        in detail per kind."""
        facts = {
            "kpilang": code_version(), "duckdb": duckdb.__version__, "table": table, "format": fmt,
            "sha256": sha256, "columns": None if columns is None else sorted(columns),
            "timezone": timezone, "max_rows": max_rows(), "detail": detail, "people": people,
        }
        return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()

    def find(self, key: str, file: str) -> CachedTable | None:
        """The entry for `key`, its problems naming `file`; None when there is none usable."""
        entry = self.store.entry(key)
        if entry is None:
            return None
        try:
            facts = json.loads((entry / FACTS_FILE).read_text(encoding="utf-8"))
            return CachedTable(
                info=TableInfo.model_validate({**facts["info"], "file": file}),
                problems=[decode_problem(p, file) for p in facts["problems"]],
                kinds={name: ColumnKind(kind) for name, kind in facts["kinds"].items()},
                columns=facts["columns"], types=facts["types"], parquet=entry / TABLE_FILE,
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def load(self, con: duckdb.DuckDBPyConnection, cached: CachedTable, table: str) -> Path | None:
        """Make `table` the entry's clean table; None (and no table) when the entry cannot be
        read or does not hold what it says, which is then removed. The table is a view reading
        the Parquet file through a name of this run's own (see Store.pin), which the caller
        removes with `release` when done with the table; a table holding the rows when the file
        system cannot link (the path returned is then the entry's file, not to be released)."""
        pinned = self.store.pin(cached.parquet)
        if self._load(con, cached, table, pinned):
            return pinned or cached.parquet
        if pinned is not None:
            self.store.unpin(pinned)
        self.store.remove(cached.parquet.parent.name)
        return None

    def release(self, loaded: Path) -> None:
        """Drop this run's name of an entry's file (see `load`)."""
        if loaded.parent == self.store.root:
            self.store.unpin(loaded)

    @staticmethod
    def _load(con: duckdb.DuckDBPyConnection, cached: CachedTable, table: str, pinned: Path | None) -> bool:
        name = f"main.{ident(table)}"
        source = f"read_parquet({literal(str(pinned or cached.parquet))})"
        # Counting a Parquet file's rows reads its metadata only.
        made = "VIEW" if pinned is not None else "TABLE"
        try:
            con.execute(f"CREATE OR REPLACE {made} {name} AS SELECT * FROM {source}")
            types = [[column, kind] for column, kind, *_ in con.execute(f"DESCRIBE {name}").fetchall()]
            rows = con.execute(f"SELECT count(*) FROM {source}").fetchone()[0]
        except duckdb.Error:
            con.execute(f"DROP {made} IF EXISTS {name}")
            return False
        if types != cached.types or rows != cached.info.rows_used:
            con.execute(f"DROP {made} {name}")
            return False
        return True

    def keep(self, con: duckdb.DuckDBPyConnection, key: str, table: str, info: TableInfo,
             problems: list[DataProblem], kinds: dict[str, ColumnKind], columns: list[str]) -> None:
        """Write the clean table `table` and what its check found as the entry for `key`."""
        try:
            stored = [encode_problem(p) for p in problems]
        except UnstorableValue:
            return
        text = json.dumps({
            "info": info.model_dump(mode="json", exclude={"file"}),
            "problems": stored,
            "kinds": {name: kind.value for name, kind in kinds.items()},
            "columns": columns,
            "types": [[column, kind] for column, kind, *_ in
                      con.execute(f"DESCRIBE main.{ident(table)}").fetchall()],
        })  # ASCII, with escapes: a lone surrogate (bytes that are not UTF-8) reads back the same
        if json.dumps(info.file)[1:-1] in text:
            # The file's name inside a problem's words: it could not be named anew on reading.
            return
        try:
            written = self.store.new_entry()
        except OSError:
            return
        try:
            con.execute(f"COPY main.{ident(table)} TO {literal(str(written / TABLE_FILE))} (FORMAT parquet)")
            (written / FACTS_FILE).write_text(text, encoding="utf-8")
        except (OSError, duckdb.Error):
            self.store.discard(written)
            return
        self.store.publish(written, key)
