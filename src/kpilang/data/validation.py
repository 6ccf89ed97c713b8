"""From a raw table of text to a clean typed table, and the rows that were rejected.

All of it is set-based SQL over the whole table, and each expensive step runs once per cell:

1. one aggregate pass measures the columns (the scale of money columns, the kind of extra ones)
   when there are such columns;
2. repeated keys are found by one hash aggregation;
3. one pass converts every cell to its type and flags the row when any check gives a reason
   code (a check reads the converted value rather than converting again); repeated keys and
   unknown manager_ids come from joins with two small tables;
4. the reason codes are computed again for the flagged rows only and copied out as the bad
   rows, which are deleted; the helper columns are dropped, which leaves the clean table in
   place without copying it.

So every row read ends up either in the clean table or among the bad rows, and the counts
prove it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from .inference import infer_type, inference_probes
from .readers.base import RawTable
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


def typed(index: int) -> str:
    """The internal name of the index-th typed column while the table is checked."""
    return f"t{index}"


@dataclass(frozen=True)
class ColumnPlan:
    """How one column of a file becomes a column of the clean table."""

    index: int  # position in the file; the raw cell column is c{index}
    name: str  # the column's name in the file and in the clean table
    kind: ColumnKind
    scale: int | None
    spec: ColumnSpec | None  # None for an extra column, typed by inference


@dataclass(frozen=True)
class Check:
    """One way a row can be bad.

    `code_sql` gives a reason code or NULL; it reads the raw cells (c0…), the typed values
    (t0…), `_row`, `_first_row` (the first row with the same key, when the key repeats) and
    `_known` (the manager_id found in managers, or NULL). `value_sql` is the raw text quoted in
    the problem, over the raw cells.
    """

    column: str | None  # the column the problem is reported on
    value_sql: str
    code_sql: str
    facts: dict[str, object] = field(default_factory=dict)  # fixed facts for the reason text


@dataclass
class BadRows:
    table: str  # DuckDB table: _row, _first_row, p0… (a reason code or NULL per check)
    checks: list[Check]
    person_sql: str  # over the raw cells: whose row it is (managers.id or manager_id)


def plan_columns(
    con: duckdb.DuckDBPyConnection, raw: RawTable, spec: TableSpec,
    extra_needed: set[str] | None = None,
) -> list[ColumnPlan]:
    """How each column becomes typed. With `extra_needed`, an extra column not in it is left
    out of the clean table: an extra column never rejects a row, so leaving out one the plan
    does not read changes no figure and no problem, and saves a pass over it and its memory."""
    columns = [
        (index, name) for index, name in enumerate(raw.columns)
        if spec.column(name) is not None or extra_needed is None or name in extra_needed
    ]
    probes: dict[str, str] = {}
    for index, name in columns:
        known = spec.column(name)
        if known is None:
            for probe, sql in inference_probes(cell(index)).items():
                probes[f"{probe}_{index}"] = sql
        elif known.kind in (ColumnKind.MONEY, ColumnKind.NUMBER):
            probes[f"scale_{index}"] = scale_probe(cell(index))
    measured: dict[str, object] = {}
    if probes:
        names = list(probes)
        row = con.execute(
            "SELECT " + ", ".join(f"{probes[n]} AS {ident(n)}" for n in names)
            + f" FROM {raw.relation}"
        ).fetchone()
        measured = dict(zip(names, row))
    plans = []
    for index, name in columns:
        known = spec.column(name)
        if known is None:
            stats = {probe: measured[f"{probe}_{index}"] for probe in inference_probes(cell(index))}
            inferred = infer_type(stats)
            plans.append(ColumnPlan(index, name, inferred.kind, inferred.scale, None))
        elif known.kind in (ColumnKind.MONEY, ColumnKind.NUMBER):
            scale = column_scale(known.kind, measured[f"scale_{index}"])
            plans.append(ColumnPlan(index, name, known.kind, scale, known))
        else:
            plans.append(ColumnPlan(index, name, known.kind, None, known))
    return plans


def build_checks(spec: TableSpec, plans: list[ColumnPlan], checks_people: bool) -> list[Check]:
    by_name = {p.name: p for p in plans}
    checks = []
    for plan in plans:
        if plan.spec is None:
            continue  # an extra column's type fits all its values
        code = check_expression(plan.spec, cell(plan.index), typed(plan.index))
        if code is None:
            continue
        facts = {
            "what": "amount" if plan.kind == ColumnKind.MONEY else "number",
            "max_integer_digits": max_integer_digits(plan.kind, plan.scale),
            "allowed": ", ".join(plan.spec.allowed or ()),
        }
        checks.append(Check(plan.name, cell(plan.index), code, facts))
    key_cells = [cell(by_name[k].index) for k in spec.key]
    if len(spec.key) == 1:
        checks.append(Check(
            spec.key[0], key_cells[0], "CASE WHEN _first_row < _row THEN 'duplicate_id' END",
        ))
    else:
        checks.append(Check(
            None, f"concat_ws(', ', {', '.join(key_cells)})",
            "CASE WHEN _first_row < _row THEN 'duplicate_key' END",
            {"key": ", ".join(spec.key)},
        ))
    if checks_people:
        manager = cell(by_name["manager_id"].index)
        checks.append(Check(
            "manager_id", manager,
            f"CASE WHEN {manager} IS NOT NULL AND _known IS NULL THEN 'unknown_manager' END",
        ))
    return checks


def find_repeats(
    con: duckdb.DuckDBPyConnection, raw: RawTable, spec: TableSpec, plans: list[ColumnPlan]
) -> str:
    """A table of every key that occurs more than once, with the first row holding it."""
    by_name = {p.name: p for p in plans}
    key_cells = [cell(by_name[k].index) for k in spec.key]
    repeats = f"{LOAD_SCHEMA}.repeats_{spec.name}"
    con.execute(
        f"CREATE OR REPLACE TABLE {repeats} AS SELECT {', '.join(key_cells)}, "
        f"min(_row) AS first_row FROM {raw.relation} "
        f"WHERE {' AND '.join(f'{k} IS NOT NULL' for k in key_cells)} "
        f"GROUP BY ALL HAVING count(*) > 1"
    )
    return repeats


@dataclass(frozen=True)
class CheckedRows:
    """The clean table being built, and how to recompute the checks for chosen rows.

    `select_sql` is a SELECT over the raw table giving `_row`, `_first_row`, `_known`, the raw
    cells and the typed values; `where` narrows it to some rows. It reads the repeats table,
    which lives until the bad rows are separated.
    """

    table: str
    select_sql: str
    repeats: str

    def select(self, where: str = "") -> str:
        return self.select_sql + (f" WHERE {where}" if where else "")


def any_code(checks: list[Check]) -> str:
    return " OR ".join(f"({check.code_sql}) IS NOT NULL" for check in checks) or "false"


def create_checked_table(
    con: duckdb.DuckDBPyConnection,
    raw: RawTable,
    spec: TableSpec,
    plans: list[ColumnPlan],
    checks: list[Check],
    people: str | None,
) -> CheckedRows:
    """The table named after the data table, holding every row: its typed values t0…, its row
    number and one flag `_bad` saying whether any check gave a reason code.

    The reason codes themselves are not stored: on ten million rows a mostly empty text column
    per check costs more memory than the data. They are recomputed for the flagged rows only
    (see separate_bad_rows), from the same expressions, so they are the same codes.
    """
    by_name = {p.name: p for p in plans}
    repeats = find_repeats(con, raw, spec, plans)
    key_cells = [cell(by_name[k].index) for k in spec.key]
    first_row = "d.first_row"
    joins = f" LEFT JOIN {repeats} d ON " + " AND ".join(f"r.{k} = d.{k}" for k in key_cells)
    if not count_rows(con, repeats):
        # The usual case: no key repeats, and ten million rows need not probe an empty table.
        first_row, joins = "NULL", ""
    known = "NULL"
    if people is not None:
        joins += f" LEFT JOIN {people} m ON r.{cell(by_name['manager_id'].index)} = m.id"
        known = "m.id"
    converted = ", ".join(
        f"CAST({typed_expression(p.kind, f'r.{cell(p.index)}', p.scale)} "
        f"AS {duckdb_type(p.kind, p.scale)}) AS {typed(p.index)}"
        for p in plans
    )
    cells = ", ".join(f"r.{cell(p.index)}" for p in plans)
    columns = ", ".join(typed(p.index) for p in plans)
    rows = CheckedRows(
        table=f"main.{ident(spec.name)}",
        select_sql=(
            f"SELECT r._row, {first_row} AS _first_row, {known} AS _known, {cells}, {converted} "
            f"FROM {raw.relation} r{joins}"
        ),
        repeats=repeats,
    )
    con.execute(
        f"CREATE OR REPLACE TABLE {rows.table} AS SELECT _row, {columns}, "
        f"{any_code(checks)} AS _bad FROM ({rows.select()})"
    )
    return rows


def separate_bad_rows(
    con: duckdb.DuckDBPyConnection,
    checked: CheckedRows,
    spec: TableSpec,
    plans: list[ColumnPlan],
    checks: list[Check],
) -> BadRows:
    """Move the flagged rows out of the checked table, with their reason codes, leaving the
    clean table."""
    bad = f"{LOAD_SCHEMA}.bad_{spec.name}"
    codes = ", ".join(f"{check.code_sql} AS p{i}" for i, check in enumerate(checks))
    flagged = f"r._row IN (SELECT _row FROM {checked.table} WHERE _bad)"
    con.execute(
        f"CREATE OR REPLACE TABLE {bad} AS SELECT _row, _first_row, {codes} "
        f"FROM ({checked.select(flagged)})"
    )
    con.execute(f"DROP TABLE {checked.repeats}")
    if con.execute(f"SELECT count(*) FROM {bad}").fetchone()[0]:
        con.execute(f"DELETE FROM {checked.table} WHERE _bad")
    # Dropping and renaming columns changes the catalog only; the data is not copied.
    for helper in ["_row", "_bad"]:
        con.execute(f"ALTER TABLE {checked.table} DROP COLUMN {helper}")
    names = {p.name for p in plans}
    current = typed
    if {typed(p.index) for p in plans} & names:
        # A file column is named like an internal one (say t1): renaming t0 to t1 would clash,
        # so first step through names that no file column starts with.
        prefix = "tmp_"
        while any(n.startswith(prefix) for n in names):
            prefix = "_" + prefix
        for p in plans:
            con.execute(
                f"ALTER TABLE {checked.table} RENAME COLUMN {typed(p.index)} TO {prefix}{p.index}"
            )
        current = f"{prefix}{{}}".format
    for p in plans:
        con.execute(
            f"ALTER TABLE {checked.table} RENAME COLUMN {ident(current(p.index))} TO {ident(p.name)}"
        )
    by_name = {p.name: p for p in plans}
    person = "id" if spec.name == "managers" else "manager_id"
    return BadRows(bad, checks, cell(by_name[person].index))


def known_people(con: duckdb.DuckDBPyConnection, managers: RawTable) -> str:
    """Every id listed in managers, including people whose own row was rejected: their rows
    elsewhere are theirs, and they get an error through the rejected managers row anyway."""
    id_cell = cell(managers.columns.index("id"))
    name = f"{LOAD_SCHEMA}.people"
    con.execute(
        f"CREATE OR REPLACE TABLE {name} AS SELECT DISTINCT {id_cell} AS id "
        f"FROM {managers.relation} WHERE {id_cell} IS NOT NULL"
    )
    return name


def count_rows(con: duckdb.DuckDBPyConnection, relation: str) -> int:
    return con.execute(f"SELECT count(*) FROM {relation}").fetchone()[0]
