"""load_data: a data directory in, a DataSet of clean tables and a list of problems out."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import duckdb

from kpilang.messages import t

from .attribution import People, attributed, own_row_owner, unknown_ids, unknown_people
from .bounds import DEFAULT_MAX_ROWS, MAX_ROWS_VARIABLE, max_rows, too_many_rows
from .columns import column_problems
from .dataset import DataSet, TableInfo
from .discovery import find_table_files, missing_table_problem, not_a_directory_problem
from .inputs import InputFile, input_file, snapshot_of
from .problems import DataError, DataProblem
from .provided import ProvidedTable, TableProvider
from .readers import RawTable, read_table
from .readers.base import bound_problem, fatal_problem
from .reporting import bad_row_problems, fault_problems
from .schema import DATE_COLUMNS, TABLE_ORDER, TABLES, ColumnKind, TableSpec
from .sql import literal
from .staging import LOAD_SCHEMA, drop_load_objects
from .file_hashes import Stamp, unchanged
from .table_cache import CachedTable, TableCache
from .validation import (
    Check,
    CheckedTable,
    ColumnPlan,
    build_checks,
    count_rows,
    create_checked_table,
    known_people,
    plan_columns,
    separate_bad_rows,
)

# Rows listed in detail per kind of problem and table; the rest are counted in one summary.
DETAILED_PROBLEMS_PER_KIND = 1000

# The memory DuckDB may hold before it spills to its temporary directory. Loading keeps every
# cell of the raw files as text while it checks them; without a limit, DuckDB takes up to 80 %
# of the machine's memory for that, and a month of CRM data for ten thousand people (12 M rows)
# then peaks at about 2.2 GB. With the limit, the text that is not needed at the moment goes to
# disk, at a small cost in time. On a machine with little memory DuckDB's own default (80 % of
# it) is kept when it is lower. 900 MB keeps a first run on that month within 1 GiB of peak RSS
# (982 MiB, against 1.07-1.16 GiB at 1400 MB) for about 8 % more CPU (docs/benchmarks.md, W1
# round 4).
MEMORY_LIMIT_MB = 900


def memory_limit() -> str:
    try:
        physical_mb = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2**20
    except (AttributeError, ValueError, OSError):
        return f"{MEMORY_LIMIT_MB}MB"
    return f"{min(MEMORY_LIMIT_MB, physical_mb * 8 // 10)}MB"


def spill_directory() -> str:
    """Where DuckDB may spill when the data outgrows memory: a fresh directory under the system
    temporary directory, which DuckDB creates only if needed and removes on close. (Its default,
    .tmp in the working directory, would land in the user's plan repository.)"""
    return os.path.join(tempfile.gettempdir(), f"kpilang-duckdb-{uuid.uuid4().hex}")


def check_timezone(con: duckdb.DuckDBPyConnection, timezone: str) -> None:
    """The plan's timezone must be an IANA name known to both Python and DuckDB's ICU."""
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown timezone {timezone!r}: expected an IANA name such as Europe/Moscow") from None
    known = con.execute(
        "SELECT count(*) FROM pg_timezone_names() WHERE name = ?", [timezone]
    ).fetchone()[0]
    if not known:
        raise ValueError(f"timezone {timezone!r} is not known to DuckDB's time zone database")


def _wanted_tables(needs: dict[str, set[str]] | None) -> tuple[str, ...]:
    if needs is None:
        return TABLE_ORDER
    return tuple(t for t in TABLE_ORDER if t == "managers" or t in needs)


def columns_checked(table: str, needs: dict[str, set[str]] | None) -> set[str] | None:
    """The columns of `table` a run converts and checks, None for all of them (`needs` None:
    `kpilang data check`, which reads everything). Every column of managers is checked
    (statements may show any, and it is one row per person). Elsewhere, the columns the plan
    reads (`needs`, from the compiled plan: its metrics, filters and joins), and always the
    table's key, its owner (manager_id) and the date that places a row in a period: a column no
    one reads cannot change anyone's pay, so a bad cell in it does not reject its row. Every
    row is still counted."""
    if needs is None or table == "managers":
        return None
    spec = TABLES[table]
    always = {*spec.key, spec.owner_column}
    if DATE_COLUMNS[table] is not None:
        always.add(DATE_COLUMNS[table])
    return set(needs.get(table, set())) | always


def _unread_column(checked: set[str]) -> Callable[[str], bool]:
    return lambda name: name not in checked


def _table_problems(
    path: str | Path, needs: dict[str, set[str]] | None, wanted: tuple[str, ...], present: set[str],
    ambiguous: list[DataProblem],
) -> list[DataProblem]:
    """`present`: the tables that have a file of their own or that a provider gives."""
    problems = list(ambiguous)
    for table in sorted(set(needs or ()) - set(TABLES)):
        problems.append(fatal_problem(
            "unknown_table", table, str(path), t("data.unknown_table.reason", table=table),
            t("data.unknown_table.hint", tables=", ".join(TABLE_ORDER)),
        ))
    ambiguous_tables = {p.table for p in ambiguous}
    for table in wanted:
        if table in present or table in ambiguous_tables:
            continue
        if table == "managers":
            problems.append(missing_table_problem(path, table, t("data.missing_table.managers")))
        elif needs is not None:
            problems.append(missing_table_problem(path, table, t("data.missing_table.reason", table=table)))
    return problems


def _check_cells(
    con: duckdb.DuckDBPyConnection, raw: RawTable, spec: TableSpec, people: str | None,
    columns_read: set[str] | None,
) -> tuple[RawTable, list[ColumnPlan], list[Check], CheckedTable]:
    """Measure the columns and build the checked table. A relation read straight from a file
    whose rows its positions do not number (or that DuckDB's strict reader refuses) is read
    again the careful way, and checked from there."""
    try:
        plans = plan_columns(con, raw, spec, columns_read)
        checks = build_checks(spec, plans, checks_people=people is not None)
        checked = create_checked_table(con, raw, spec, plans, checks)
    except duckdb.Error:
        if raw.read_again is None:
            raise
        return _check_cells(con, _read_again(raw), spec, people, columns_read)
    if raw.positions_hold is not None and not raw.positions_hold(checked.records):
        con.execute(f"DROP TABLE {checked.table}")
        return _check_cells(con, _read_again(raw), spec, people, columns_read)
    return raw, plans, checks, checked


def _read_again(raw: RawTable) -> RawTable:
    """The file read the careful way. Raises DataError when that finds the file unusable as a
    whole (a CSV file in Windows-1251 rather than UTF-8 shows only once every line is read)."""
    again = raw.read_again()
    if again.fatal:
        raise DataError(again.fatal)
    return again


def _validate(
    con: duckdb.DuckDBPyConnection, raw: RawTable, spec: TableSpec, people: str | None,
    columns_read: set[str] | None, listed_people: People | None,
) -> tuple[TableInfo, list[DataProblem], dict[str, ColumnKind], str | None]:
    """Check one table; for managers, also return the table of every id it lists.
    `listed_people` are the people of managers, for a table whose rows belong to them."""
    raw, plans, checks, checked = _check_cells(con, raw, spec, people, columns_read)
    if checked.records > max_rows():
        # A CSV file read straight by DuckDB is counted only here (the other readers stop at the
        # bound); DuckDB spills what does not fit in memory, so counting it all is safe.
        raise DataError([bound_problem(spec.name, raw.file, too_many_rows())])
    listed = known_people(con, checked, plans) if spec.name == "managers" else None
    bad = separate_bad_rows(con, checked, spec, plans, checks, people)
    problems = bad_row_problems(con, bad, spec.name, raw.file, DETAILED_PROBLEMS_PER_KIND)
    owners = own_row_owner if listed_people is None else listed_people.owner
    problems += fault_problems(raw.faults, spec.name, raw.file, owners)
    unknown_rows = 0
    if listed_people is not None and people is not None:
        problems = attributed(problems, listed_people)
        # The people check is the last check (see build_checks).
        found = unknown_ids(con, bad.table, bad.raw, bad.person_sql, len(checks) - 1)
        verdict = unknown_people(found, listed_people, checked.records - found.empty, spec.name,
                                 raw.file)
        if verdict.fatal is not None:
            raise DataError([verdict.fatal])
        unknown_rows = verdict.rows
    problems.sort(key=lambda p: (p.row is None, p.row or 0))

    unreadable = raw.faults.total
    info = TableInfo(
        name=spec.name,
        file=raw.file,
        format=raw.format,
        columns=list(raw.columns),
        rows_read=checked.records + unreadable,
        rows_used=count_rows(con, checked.table),
        rows_rejected=count_rows(con, bad.table) + unreadable,
        rows_of_unknown_people=unknown_rows,
    )
    if info.rows_read != info.rows_used + info.rows_rejected:
        raise RuntimeError(
            f"internal error: {raw.file}: {info.rows_read} rows read but {info.rows_used} used "
            f"and {info.rows_rejected} rejected"
        )
    return info, problems, {p.name: p.kind for p in plans}, listed


def load_data(
    path: str | Path, *, timezone: str, needs: dict[str, set[str]] | None = None,
    provider: TableProvider | None = None, cache: TableCache | None = None,
) -> DataSet:
    """Load a data directory into clean DuckDB tables, rejecting and reporting bad rows.

    `timezone` (an IANA name) is the plan's: timestamps without an offset are local time there.
    `needs` maps each table the plan reads to the columns it uses beyond the required ones;
    managers is always loaded, other tables only when listed (all present tables when `needs`
    is None); of a listed table other than managers, only the columns listed, its key, its
    manager_id and its date column are converted, checked and kept (see columns_checked).
    Raises DataError when a needed table or column is missing or a file cannot be read, and
    ValueError for an unknown timezone. A `provider` (a CRM source mapping) gives the tables it
    provides from its own files; they are checked exactly as kpilang's own. With a `cache`, a
    table of kpilang's own files that a previous run checked with the same key is taken from
    it, and a table checked now is kept in it (see table_cache.py).
    """
    if not Path(path).is_dir():
        raise DataError([not_a_directory_problem(path)])
    try:
        max_rows()
    except ValueError:
        raise DataError([fatal_problem(
            "max_rows_setting", "", str(path),
            t("data.max_rows_setting.reason", variable=MAX_ROWS_VARIABLE,
              value=os.environ[MAX_ROWS_VARIABLE]),
            t("data.max_rows_setting.hint", variable=MAX_ROWS_VARIABLE, default=DEFAULT_MAX_ROWS),
        )]) from None
    wanted = _wanted_tables(needs)
    provided_tables = {table for table in wanted if provider is not None and provider.provides(table)}
    claimed = provider.claimed_files() if provider is not None else frozenset()
    found, ambiguous = find_table_files(path, tuple(t for t in wanted if t not in provided_tables), claimed)
    # A missing table does not stop the others from being read: every fatal problem of every
    # table is listed at once, rather than one more at each run.
    fatal = _table_problems(path, needs, wanted, set(found) | provided_tables, ambiguous)

    snapshot = snapshot_of(path)
    # DuckDB's own progress bar would print into pipes and CI logs; the CLI shows progress itself.
    con = duckdb.connect(
        config={"temp_directory": spill_directory(), "memory_limit": memory_limit()}
    )
    pinned: list[Path] = []  # the cache's files this run's tables read (see table_cache.py)
    try:
        con.execute("SET enable_progress_bar = false")
        check_timezone(con, timezone)
        # While loading, a timestamp without an offset is read in the plan's timezone (see
        # values.datetime_to_utc); once loaded, everything is UTC and so is the session.
        con.execute(f"SET TimeZone = {literal(timezone)}")
        con.execute(f"CREATE SCHEMA {LOAD_SCHEMA}")
        raws: dict[str, RawTable] = {}
        provided: dict[str, ProvidedTable] = {}
        inputs: list[InputFile] = []
        # The cache: each own file's key, the tables taken from it, and the managers file's
        # hash (the other tables are checked against the people it lists).
        keys: dict[str, str] = {}
        stamps: dict[str, tuple[Path, Stamp]] = {}
        hits: dict[str, CachedTable] = {}
        people_file: str | None = None
        for table in wanted:
            if table in provided_tables:
                try:
                    provided[table] = provider.read(con, table, Path(path), DETAILED_PROBLEMS_PER_KIND,
                                                    raws.get("managers"), timezone)
                except DataError as unusable:
                    fatal.extend(unusable.problems)
                    continue
                raw = provided[table].raw
            elif table in found:
                located = found[table]
                checked = columns_checked(table, needs)
                hashed = cache.hashed_file(table, located.path, located.file) if cache is not None else None
                record = hashed[0] if hashed is not None else None
                # managers itself is small and read every time; a table checked against it is
                # cached when it is one of kpilang's own files too.
                if record is not None and table != "managers" and people_file is not None:
                    stamps[table] = (located.path, hashed[1])
                    keys[table] = cache.key(
                        table=table, fmt=located.format, sha256=record.sha256, columns=checked,
                        timezone=timezone, detail=DETAILED_PROBLEMS_PER_KIND, people=people_file,
                    )
                    hit = cache.find(keys[table], located.file)
                    if hit is not None:
                        # The header as the file has it, for the columns this run must find.
                        found_fatal = column_problems(
                            RawTable(table, located.file, located.format, columns=hit.columns),
                            TABLES[table], needs.get(table) if needs is not None else None,
                        )
                        fatal.extend(found_fatal)
                        if found_fatal:
                            continue
                        loaded = cache.load(con, hit, table)
                        if loaded is not None:
                            hits[table] = hit
                            pinned.append(loaded)
                            inputs.append(record)
                            continue
                raw = read_table(
                    con, table, located.path, located.file, located.format, DETAILED_PROBLEMS_PER_KIND,
                    None if checked is None else _unread_column(checked),
                )
            else:
                continue
            if not raw.fatal:
                needed = needs.get(table) if needs is not None else None
                raw.fatal.extend(column_problems(raw, TABLES[table], needed))
            fatal.extend(raw.fatal)
            if not raw.fatal:
                raws[table] = raw
                if table in provided:
                    # A file two parts read is one input.
                    read = dict(zip(provided[table].files, provided[table].paths))
                    inputs.extend(input_file(table, where, shown) for shown, where in read.items())
                else:
                    record = record or input_file(table, located.path, located.file)
                    inputs.append(record)
                    if table == "managers" and cache is not None:
                        people_file = record.sha256

        # Only a table built straight from a file needs to keep the file's order (its rows are
        # numbered by position); without that constraint DuckDB builds tables with less memory.
        con.execute("SET preserve_insertion_order = false")
        people: str | None = None
        listed_people: People | None = None
        tables: dict[str, TableInfo] = {}
        problems: list[DataProblem] = []
        kinds: dict[str, dict[str, ColumnKind]] = {}
        for table in wanted:  # managers first: the others are checked against it
            if table in hits:
                tables[table], kinds[table] = hits[table].info, hits[table].kinds
                problems.extend(hits[table].problems)
                continue
            if table not in raws:
                continue
            raw, spec = raws[table], TABLES[table]
            try:
                info, table_problems, kinds[table], listed = _validate(
                    con, raw, spec, people if spec.belongs_to_manager else None,
                    columns_checked(table, needs),
                    listed_people if spec.belongs_to_manager else None,
                )
            except DataError as unusable:
                # The other files are still read, so that every unusable one is listed at once
                # (an export done one way is usually done so for every table). For the same
                # reason the files are checked even when a fatal problem is already known: a
                # CSV file in Windows-1251 shows only once it is read in full.
                fatal.extend(unusable.problems)
                drop_load_objects(con, table)
                continue
            if table in provided:
                table_problems = [provided[table].locate(p) for p in table_problems]
                table_problems += provided[table].problems
                info = info.model_copy(update={"rows_excluded": sum(provided[table].excluded.values())})
            if listed is not None:
                # A person whose managers row could not be read still exists: their rows
                # elsewhere are theirs (they get an error through that row), not unknown.
                unreadable = sorted({p for problem in table_problems for p in problem.manager_ids})
                con.execute(f"INSERT INTO {listed} SELECT unnest($ids) EXCEPT SELECT id FROM {listed}",
                            {"ids": unreadable})
                people, listed_people = listed, People.listed(con, listed, f'main."{table}"')
            tables[table] = info
            problems.extend(table_problems)
            if table in keys and listed_people is not None and unchanged(*stamps[table]):
                # Checked against the people of the managers file its key names.
                cache.keep(con, keys[table], table, info, table_problems, kinds[table], raw.columns)
            drop_load_objects(con, table)
        if fatal:
            raise DataError(fatal)
        con.execute(f"DROP SCHEMA {LOAD_SCHEMA} CASCADE")
        con.execute("SET TimeZone = 'UTC'")
        con.execute("RESET preserve_insertion_order")
        release = [] if cache is None else [partial(cache.release, loaded) for loaded in pinned]
        return DataSet(con, tables, problems, timezone, kinds, inputs=inputs, snapshot=snapshot,
                       on_close=release)
    except BaseException:
        con.close()
        for loaded in pinned:
            cache.release(loaded)
        raise
