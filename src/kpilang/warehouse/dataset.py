"""A database as a DataSet: the evaluator's queries run in the engine that holds the data.

`open_warehouse` checks the tables the plan reads where they are (columns and types first, then
the row checks of checks.py, all as SQL in the engine) and returns a DataSet that the
evaluator uses as it uses a loaded directory: `connection.execute` takes the evaluator's DuckDB
SQL, transpiles it for the engine over the clean sources of sources.py and runs it there, so
only per-person rows come back (and, for an aggregate whose row expression divides, the matching
rows' values it needs). Nothing is copied out of the engine.
"""

from __future__ import annotations

from typing import Any

from kpilang.data.attribution import People, attributed, unknown_people
from kpilang.data.dataset import DataSet, TableInfo
from kpilang.data.problems import DataError, DataProblem
from kpilang.data.readers.base import fatal_problem
from kpilang.data.schema import TABLE_ORDER, TABLES, ColumnKind, TableSpec
from kpilang.messages import t

from .checks import CheckedTable, check_table
from .dialects import parsed_sources, transpile
from .engines import Engine, connect
from .relations import ColumnMapper, TableRelation
from .rules import LISTED_VALUES_MAX, Findings, q, row_rules, table_rules
from .sources import SourceColumn, clean_source, source_select
from .types import EXPECTED, FITS, FLOAT, INSTANT, TEXT, kind_of_extra, type_class
from .urls import DataUrl

# Rows named in detail per kind of problem and table, as for files (data/loader.py).
DETAILED_PROBLEMS_PER_KIND = 1000


class EngineCursor:
    def __init__(self, names: list[str], rows: list[tuple]):
        self.description = [(name,) for name in names]
        self._rows = rows

    def fetchall(self) -> list[tuple]:
        return self._rows

    def fetchone(self) -> tuple | None:
        return self._rows[0] if self._rows else None


class EngineConnection:
    """What the evaluator calls `dataset.connection`: its DuckDB SQL, run in the engine."""

    def __init__(self, engine: Engine, sources: dict[str, str]):
        self.engine = engine
        self.sources = parsed_sources(sources, engine.dialect)

    def execute(self, sql: str, params: dict[str, Any] | None = None) -> EngineCursor:
        return EngineCursor(*self.engine.fetch(transpile(sql, params or {}, self.engine.dialect, self.sources)))

    def close(self) -> None:
        self.engine.close()


def open_warehouse(url: DataUrl, *, timezone: str, needs: dict[str, set[str]] | None = None,
                   mapper: ColumnMapper | None = None) -> DataSet:
    """Check the data of `url` for the tables in `needs` (table → the columns the plan reads; every
    table when None) and return it for the evaluator. `mapper` says which of the engine's columns
    stand for kpilang's in the tables it provides (relations.ColumnMapper). Raises DataError when
    a table or column the plan needs is missing, a column's type cannot hold its kind exactly or
    most of a table's rows name nobody in managers; UrlError when the engine cannot be reached."""
    engine = connect(url)
    try:
        return _open(engine, url, timezone, needs, mapper)
    except BaseException:
        engine.close()
        raise


def _relations(engine: Engine, url: DataUrl, needs: dict[str, set[str]] | None, mapper: ColumnMapper | None
               ) -> tuple[dict[str, TableRelation], list[DataProblem]]:
    """The relation of each table to read (its columns as kpilang names them), and the fatal
    problems of the ones that cannot be read."""
    wanted = [name for name in TABLE_ORDER if needs is None or name == "managers" or name in needs]
    fatal: list[DataProblem] = []
    found: dict[str, TableRelation] = {}
    for table in wanted:
        name = url.relation(table)
        columns = engine.columns(name)
        if columns is None:
            if table == "managers" or needs is not None:
                fatal.append(fatal_problem("missing_table", table, name,
                                           t("warehouse.missing_table.reason", relation=name, data=url.shown),
                                           t("warehouse.missing_table.hint", table=table)))
            continue
        if mapper is None or not mapper.provides(table):
            found[table] = TableRelation.plain(table, name, columns)
            continue
        try:
            found[table] = TableRelation.through(table, name, columns, mapper.map_columns(table, name, columns))
        except DataError as refused:
            fatal.extend(refused.problems)
    return found, fatal


def _open(engine: Engine, url: DataUrl, timezone: str, needs: dict[str, set[str]] | None,
          mapper: ColumnMapper | None) -> DataSet:
    relations, fatal = _relations(engine, url, needs, mapper)
    present: dict[str, list[SourceColumn]] = {}
    kinds: dict[str, dict[str, ColumnKind]] = {}
    for table, rel in relations.items():
        needed = set() if needs is None else needs.get(table, set())
        problems, kept, table_kinds = _columns(TABLES[table], rel, needed,
                                               keep_all=needs is None or table == "managers")
        fatal.extend(problems)
        present[table], kinds[table] = kept, table_kinds
    if fatal:
        raise DataError(fatal)

    def run(sql: str, sources: dict) -> list[tuple]:
        return engine.fetch(transpile(sql, {}, engine.dialect, sources))[1]

    raw = parsed_sources({table: source_select(relations[table].from_sql(), cols, timezone=timezone,
                                               dialect=engine.dialect, keep=None)
                          for table, cols in present.items()}, engine.dialect)
    # What reads a whole table is found once: the ids managers lists and the keys that repeat. The
    # checks and the metric queries then read these lists instead of a subquery each.
    listed = [row[0] for row in run('SELECT DISTINCT CAST("id" AS VARCHAR) FROM "managers" WHERE "id" IS NOT NULL', raw)]
    checked: dict[str, CheckedTable] = {}
    clean: dict[str, str] = {}
    for table, cols in present.items():
        spec, names = TABLES[table], {c.name for c in cols}
        found = Findings(_repeated_keys(spec, run, raw) if set(spec.key) <= names else None,
                         listed if len(listed) <= LISTED_VALUES_MAX else None)
        checked[table] = check_table(
            engine, spec, row_rules(spec, names) + table_rules(spec, names, f'"{table}"', '"managers"', found), raw,
            file=relations[table].name, fmt=engine.dialect, columns=[c.name for c in cols],
            cap=DETAILED_PROBLEMS_PER_KIND)
        clean[table] = clean_source(spec, relations[table].from_sql(), cols,
                                    managers_from=relations["managers"].from_sql(), timezone=timezone,
                                    dialect=engine.dialect, found=found)
    names = run('SELECT "id", "name" FROM "managers"', {"managers": clean["managers"]}) if "name" in kinds["managers"] else []
    people = People(listed, names)
    tables: dict[str, TableInfo] = {}
    problems: list[DataProblem] = []
    for table, result in checked.items():
        info, table_problems = result.info, result.problems
        if result.unknown is not None:
            table_problems = attributed(table_problems, people)
            verdict = unknown_people(result.unknown, people, result.rows_with_owner, table, relations[table].name)
            if verdict.fatal is not None:
                fatal.append(verdict.fatal)
            info = info.model_copy(update={"rows_of_unknown_people": verdict.rows})
        tables[table] = info
        problems.extend(table_problems)
    if fatal:
        raise DataError(fatal)
    return DataSet(EngineConnection(engine, clean), tables, problems, timezone, kinds)  # type: ignore[arg-type]


def _repeated_keys(spec: TableSpec, run, sources: dict[str, str]) -> list[tuple] | None:
    """The keys of a table that more than one row has; None when there are too many to list."""
    cols = ", ".join(q(k) for k in spec.key)
    known = " AND ".join(f"{q(k)} IS NOT NULL" for k in spec.key)
    keys = run(f'SELECT {cols} FROM "{spec.name}" WHERE {known} GROUP BY {cols} HAVING count(*) > 1 '
               f"LIMIT {LISTED_VALUES_MAX + 1}", sources)
    return keys if len(keys) <= LISTED_VALUES_MAX else None


def _columns(spec: TableSpec, rel: TableRelation, needed: set[str], *, keep_all: bool
             ) -> tuple[list[DataProblem], list[SourceColumn], dict[str, ColumnKind]]:
    """The fatal problems of a relation's columns (missing, or of a type that cannot hold the
    column's kind exactly), the columns read and their kinds."""
    name, columns = rel.name, rel.columns
    problems: list[DataProblem] = []
    for column in spec.required_columns:
        if column not in columns:
            problems.append(fatal_problem(
                "missing_required_column", spec.name, name,
                t("data.missing_required_column.reason", column=column, table=spec.name),
                t("data.missing_column.add", column=column, file=name, found=", ".join(columns)), column=column))
    for column in sorted(needed - set(columns) - set(spec.required_columns)):
        problems.append(fatal_problem(
            "missing_column", spec.name, name, t("data.missing_column.reason", column=column, table=spec.name),
            t("data.missing_column.add", column=column, file=name, found=", ".join(columns)), column=column))
    kept: list[SourceColumn] = []
    kinds: dict[str, ColumnKind] = {}
    for column, engine_type in columns.items():
        known = spec.column(column)
        if known is None and not keep_all and column not in needed:
            continue
        cls = type_class(engine_type)
        kind = known.kind if known is not None else kind_of_extra(engine_type)
        if cls == FLOAT and (kind is None or kind in (ColumnKind.MONEY, ColumnKind.NUMBER)):
            if known is not None or column in needed:
                problems.append(fatal_problem("float_column", spec.name, name, t("data.float_column.reason", column=column),
                                              t("data.float_column.hint", column=column), column=column))
            continue
        if known is not None and cls not in FITS[kind]:
            problems.append(fatal_problem(
                "column_type", spec.name, name,
                t("warehouse.column_type.reason", column=column, relation=name, type=engine_type,
                  kind=t(f"warehouse.kind.{kind.value}")),
                t("warehouse.column_type.hint", kind=t(f"warehouse.kind.{kind.value}"), expected=EXPECTED[kind]),
                column=column))
            continue
        kinds[column] = kind
        kept.append(SourceColumn(column, kind, has_offset=cls == INSTANT, is_text=cls == TEXT,
                                 timezone=rel.zone(column)))
    return problems, kept, kinds
