"""From a raw table of text to a clean typed table, and the list of rows that were rejected.

All of it is set-based SQL over the whole table:

1. one aggregate pass measures the columns (the scale of money columns, the kind of extra ones);
2. one pass collects the bad rows: each check is a column holding a reason code or NULL, and
   repeated keys and unknown manager_ids come from joins against small helper tables;
3. the clean table is every row that is not bad, converted to its types.

So every row read ends up either in the clean table or among the bad rows, and the counts
prove it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from .inference import infer_type, inference_probes
from .schema import ColumnKind, ColumnSpec, TableSpec
from .sql import cell, ident
from .staging import LOAD_SCHEMA
from .values import (
    check_expression,
    column_scale,
    duckdb_type,
    max_integer_digits,
    scale_probe,
    typed_expression,
)
from .readers.base import RawTable

# Aliases used in the bad-rows query: r the raw rows, d the repeated keys, m the known people.
ROW, REPEATS, PEOPLE = "r", "d", "m"


@dataclass(frozen=True)
class ColumnPlan:
    """How one column of a file becomes a column of the clean table."""

    name: str  # the column's name in the file and in the clean table
    ref: str  # its raw cell column (c0, c1, …)
    kind: ColumnKind
    scale: int | None
    spec: ColumnSpec | None  # None for an extra column, typed by inference


@dataclass(frozen=True)
class Check:
    """One way a row can be bad: a SQL expression giving a reason code, or NULL."""

    column: str | None  # the column the problem is reported on
    value_sql: str  # the raw text quoted in the problem
    code_sql: str
    facts: dict[str, object] = field(default_factory=dict)  # fixed facts for the reason text


@dataclass
class BadRows:
    table: str  # DuckDB table: _row, _mid, _first_row, v0…, p0… (value and code per check)
    checks: list[Check]


def plan_columns(
    con: duckdb.DuckDBPyConnection, raw: RawTable, spec: TableSpec, timezone: str
) -> list[ColumnPlan]:
    probes: dict[str, str] = {}
    for index, name in enumerate(raw.columns):
        known = spec.column(name)
        ref = cell(index)
        if known is None:
            for probe, sql in inference_probes(ref, timezone).items():
                probes[f"{probe}_{index}"] = sql
        elif known.kind in (ColumnKind.MONEY, ColumnKind.NUMBER):
            probes[f"scale_{index}"] = scale_probe(ref)
    measured: dict[str, object] = {}
    if probes:
        names = list(probes)
        row = con.execute(
            "SELECT " + ", ".join(f"{probes[n]} AS {ident(n)}" for n in names)
            + f" FROM {raw.relation}"
        ).fetchone()
        measured = dict(zip(names, row))
    plans = []
    for index, name in enumerate(raw.columns):
        known = spec.column(name)
        ref = cell(index)
        if known is None:
            stats = {
                probe: measured[f"{probe}_{index}"] for probe in inference_probes(ref, timezone)
            }
            inferred = infer_type(stats)
            plans.append(ColumnPlan(name, ref, inferred.kind, inferred.scale, None))
        elif known.kind in (ColumnKind.MONEY, ColumnKind.NUMBER):
            scale = column_scale(known.kind, measured[f"scale_{index}"])
            plans.append(ColumnPlan(name, ref, known.kind, scale, known))
        else:
            plans.append(ColumnPlan(name, ref, known.kind, None, known))
    return plans


def _ref(plan: ColumnPlan) -> str:
    return f"{ROW}.{plan.ref}"


def build_checks(
    spec: TableSpec, plans: list[ColumnPlan], timezone: str, checks_people: bool
) -> list[Check]:
    by_name = {p.name: p for p in plans}
    checks = []
    for plan in plans:
        if plan.spec is None:
            continue
        code = check_expression(plan.spec, _ref(plan), plan.scale, timezone)
        if code is None:
            continue
        facts = {
            "what": {"money": "amount"}.get(plan.kind.value, "number"),
            "max_integer_digits": max_integer_digits(plan.kind, plan.scale),
            "allowed": ", ".join(plan.spec.allowed or ()),
        }
        checks.append(Check(plan.name, _ref(plan), code, facts))
    key_refs = [_ref(by_name[k]) for k in spec.key]
    repeated = f"CASE WHEN {REPEATS}.first_row < {ROW}._row THEN %s END"
    if len(spec.key) == 1:
        checks.append(Check(spec.key[0], key_refs[0], repeated % "'duplicate_id'"))
    else:
        checks.append(Check(
            None, f"concat_ws(', ', {', '.join(key_refs)})", repeated % "'duplicate_key'",
            {"key": ", ".join(spec.key)},
        ))
    if checks_people:
        manager = _ref(by_name["manager_id"])
        checks.append(Check(
            "manager_id", manager,
            f"CASE WHEN {manager} IS NOT NULL AND {PEOPLE}.id IS NULL THEN 'unknown_manager' END",
        ))
    return checks


def find_bad_rows(
    con: duckdb.DuckDBPyConnection,
    raw: RawTable,
    spec: TableSpec,
    plans: list[ColumnPlan],
    checks: list[Check],
    people: str | None,
) -> BadRows:
    by_name = {p.name: p for p in plans}
    key_refs = [by_name[k].ref for k in spec.key]
    repeats = f"{LOAD_SCHEMA}.repeats_{spec.name}"
    # Hash aggregation over the key finds repeats without sorting the table.
    con.execute(
        f"CREATE OR REPLACE TABLE {repeats} AS SELECT {', '.join(key_refs)}, min(_row) AS first_row "
        f"FROM {raw.relation} WHERE {' AND '.join(f'{k} IS NOT NULL' for k in key_refs)} "
        f"GROUP BY ALL HAVING count(*) > 1"
    )
    joins = f" LEFT JOIN {repeats} {REPEATS} ON " + " AND ".join(
        f"{ROW}.{k} = {REPEATS}.{k}" for k in key_refs
    )
    if people is not None:
        joins += f" LEFT JOIN {people} {PEOPLE} ON {ROW}.{by_name['manager_id'].ref} = {PEOPLE}.id"
    person = by_name["id" if spec.name == "managers" else "manager_id"].ref
    slots = ", ".join(
        f"{check.value_sql} AS v{i}, {check.code_sql} AS p{i}" for i, check in enumerate(checks)
    )
    any_bad = " OR ".join(f"p{i} IS NOT NULL" for i in range(len(checks)))
    bad = f"{LOAD_SCHEMA}.bad_{spec.name}"
    con.execute(
        f"CREATE OR REPLACE TABLE {bad} AS SELECT * FROM ("
        f"SELECT {ROW}._row, {ROW}.{person} AS _mid, {REPEATS}.first_row AS _first_row, {slots} "
        f"FROM {raw.relation} {ROW}{joins}) WHERE {any_bad}"
    )
    con.execute(f"DROP TABLE {repeats}")
    return BadRows(bad, checks)


def create_clean_table(
    con: duckdb.DuckDBPyConnection,
    raw: RawTable,
    spec: TableSpec,
    plans: list[ColumnPlan],
    bad: BadRows,
    timezone: str,
) -> None:
    columns = ", ".join(
        f"CAST({typed_expression(p.kind, f'{ROW}.{p.ref}', p.scale, timezone)} "
        f"AS {duckdb_type(p.kind, p.scale)}) AS {ident(p.name)}"
        for p in plans
    )
    con.execute(
        f"CREATE OR REPLACE TABLE main.{ident(spec.name)} AS SELECT {columns} "
        f"FROM {raw.relation} {ROW} ANTI JOIN {bad.table} b ON {ROW}._row = b._row"
    )


def known_people(con: duckdb.DuckDBPyConnection, managers: RawTable) -> str:
    """Every id listed in managers, including people whose own row was rejected: their rows
    elsewhere are theirs, and they get an error through the rejected managers row anyway."""
    id_ref = cell(managers.columns.index("id"))
    name = f"{LOAD_SCHEMA}.people"
    con.execute(
        f"CREATE OR REPLACE TABLE {name} AS SELECT DISTINCT {id_ref} AS id "
        f"FROM {managers.relation} WHERE {id_ref} IS NOT NULL"
    )
    return name


def count_rows(con: duckdb.DuckDBPyConnection, relation: str) -> int:
    return con.execute(f"SELECT count(*) FROM {relation}").fetchone()[0]

