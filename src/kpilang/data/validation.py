"""From a raw table of text to a clean typed table, and the rows that were rejected.

All of it is set-based SQL over the whole table, and each expensive step runs once per cell:

1. one aggregate pass measures the columns (the scale of money columns, the kind of extra ones)
   when there are such columns;
2. one pass over the raw relation (for a CSV file, straight over the file) builds the checked
   table: every cell converted to its type, a flag `_bad` when a check of the row's own cells
   gives a reason code (a check reads the converted value rather than converting again), and the
   row's text kept for flagged rows only;
3. repeated keys are found in the checked table: by one pass comparing each key with the one
   before when the keys come in increasing order (as CRM exports list them), by one hash
   aggregation otherwise; unknown manager_ids by a join with the small table of people;
4. the reason codes are computed again for the bad rows only and copied out with their text,
   the bad rows are deleted, and the helper columns dropped, which leaves the clean table in
   place without copying it.

So every row read ends up either in the clean table or among the bad rows, and the counts
prove it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from .inference import infer_type, inference_probes
from .readers.base import RawTable
from .schema import DATE_COLUMNS, ColumnKind, ColumnSpec, TableSpec
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
    # Reads only the row's own cells (c…, t…): checked while the checked table is built. The
    # others (a repeated key, an unknown manager) need the whole table first.
    own_cells: bool = False


@dataclass(frozen=True)
class PlacedBy:
    """The cell that places a row in time: the table's date column (an instant) or the period
    column of targets. It is known for a bad row only when its own check passed."""

    check: int  # index in BadRows.checks of that cell's check
    typed: str  # its typed value's column in BadRows.raw
    by_period: bool  # the period column of targets, rather than an instant


@dataclass
class BadRows:
    table: str  # DuckDB table: _row, _first_row, p0… (a reason code or NULL per check)
    checks: list[Check]
    person_sql: str  # over the raw cells: whose row it is (managers.id or manager_id)
    raw: str  # DuckDB table: _row, the raw cells c0… and typed values t0… of the bad rows
    placed_by: PlacedBy | None = None


def plan_columns(
    con: duckdb.DuckDBPyConnection, raw: RawTable, spec: TableSpec,
    columns_read: set[str] | None = None,
) -> list[ColumnPlan]:
    """How each column becomes typed. With `columns_read`, a column not in it is left out of
    the clean table, neither converted nor checked: no figure reads it, so a bad cell in it
    cannot change anyone's pay (see loader.columns_checked), and leaving it out saves a pass
    over it and its memory."""
    columns = [
        (index, name, spec.column(name)) for index, name in enumerate(raw.columns)
        if columns_read is None or name in columns_read
    ]
    probes: dict[tuple[int, str], str] = {}  # (column, probe) -> an aggregate over the column
    for index, _, known in columns:
        if known is None:
            probes.update({(index, probe): sql for probe, sql in inference_probes(cell(index)).items()})
        elif known.kind in (ColumnKind.MONEY, ColumnKind.NUMBER):
            probes[index, "scale"] = scale_probe(cell(index))
    query = f"SELECT {', '.join(probes.values())} FROM {raw.relation}"
    measured = dict(zip(probes, con.execute(query).fetchone())) if probes else {}
    plans = []
    for index, name, known in columns:
        if known is None:
            stats = {probe: value for (column, probe), value in measured.items() if column == index}
            inferred = infer_type(stats)
            plans.append(ColumnPlan(index, name, inferred.kind, inferred.scale, None))
        elif known.kind in (ColumnKind.MONEY, ColumnKind.NUMBER):
            scale = column_scale(known.kind, measured[index, "scale"])
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
        checks.append(Check(plan.name, cell(plan.index), code, facts, own_cells=True))
    key_cells = ", ".join(cell(by_name[k].index) for k in spec.key)
    # A repeated id is reported on its column; a repeated key of several columns on the row.
    one_column = len(spec.key) == 1
    code = "duplicate_id" if one_column else "duplicate_key"
    checks.append(Check(
        spec.key[0] if one_column else None, f"concat_ws(', ', {key_cells})",
        f"CASE WHEN _first_row < _row THEN '{code}' END", {"key": ", ".join(spec.key)},
    ))
    if checks_people:
        manager = cell(by_name["manager_id"].index)
        checks.append(Check(
            "manager_id", manager,
            f"CASE WHEN {manager} IS NOT NULL AND _known IS NULL THEN 'unknown_manager' END",
        ))
    return checks


def kept_text(index: int) -> str:
    """The internal name of the text kept for a flagged row's index-th cell while checking."""
    return f"_r{index}"


@dataclass(frozen=True)
class CheckedTable:
    """The table named after the data table while it is checked: the typed values t0…, `_bad`
    (a check of the row's own cells failed), the text of each cell whose typed value is not
    its text, for flagged rows only (_r0…, NULL for the others) and, when the raw relation has
    one, `_row`. `row()` gives a row's number: the `_row` column, or the position in the file
    plus an offset."""

    table: str
    position_offset: int | None  # None: the table has a `_row` column
    records: int
    kept: tuple[int, ...]  # the cells whose text is kept for flagged rows

    def row(self, alias: str = "") -> str:
        qualified = f"{alias}." if alias else ""
        if self.position_offset is None:
            return f"{qualified}_row"
        return f"({qualified}rowid + {self.position_offset})"


def any_code(checks: list[Check]) -> str:
    """Whether any of `checks` gives a code. Never empty: every table has a key, whose required
    cells are checked among the row's own cells, and whose repeats are checked after."""
    return " OR ".join(f"({check.code_sql}) IS NOT NULL" for check in checks)


def create_checked_table(
    con: duckdb.DuckDBPyConnection,
    raw: RawTable,
    spec: TableSpec,
    plans: list[ColumnPlan],
    checks: list[Check],
) -> CheckedTable:
    """One pass over the raw relation: every row converted and flagged.

    The reason codes themselves are not stored: on ten million rows a mostly empty text column
    per check costs more memory than the data. They are recomputed for the bad rows only (see
    separate_bad_rows), from the same expressions and the kept text, so they are the same codes.
    A relation without `_row` is read in the file's order, which the table keeps, so a row's
    position gives its number.
    """
    by_position = raw.position_offset is not None
    row = "" if by_position else "_row, "
    converted = ", ".join(
        f"CAST({typed_expression(p.kind, cell(p.index), p.scale)} "
        f"AS {duckdb_type(p.kind, p.scale)}) AS {typed(p.index)}"
        for p in plans
    )
    cells = ", ".join(cell(p.index) for p in plans)
    columns = ", ".join(typed(p.index) for p in plans)
    # A text column's typed value is its text; only the other cells need their text kept.
    kept = tuple(p.index for p in plans if p.kind != ColumnKind.STRING)
    texts = "".join(f", CASE WHEN _bad THEN {cell(i)} END AS {kept_text(i)}" for i in kept)
    own = [check for check in checks if check.own_cells]
    table = f"main.{ident(spec.name)}"
    con.execute(f"SET preserve_insertion_order = {by_position}")
    con.execute(
        f"CREATE OR REPLACE TABLE {table} AS SELECT {row}{columns}, _bad{texts} FROM ("
        f"SELECT *, {any_code(own)} AS _bad FROM ("
        f"SELECT {row}{cells}, {converted} FROM {raw.relation}))"
    )
    con.execute("SET preserve_insertion_order = false")
    return CheckedTable(table, raw.position_offset, count_rows(con, table), kept)


def _keys_increase(con: duckdb.DuckDBPyConnection, checked: CheckedTable, key: str) -> bool:
    """Whether the key rises strictly from each row to the next, which proves every key
    distinct without a hash table of ten million keys.

    The comparison needs each row's predecessor, read in one stream: a stream split in parts
    would show more than one row without a predecessor, and then the answer is no (the hash
    aggregation decides). Strictly increasing along any single sequence of all the rows means
    no key occurs twice, whatever order the stream took.
    """
    starts, falls = con.execute(
        f"SELECT count(*) FILTER (WHERE previous IS NULL), count(*) FILTER (WHERE k <= previous) "
        f"FROM (SELECT {key} AS k, lag({key}) OVER () AS previous FROM {checked.table} "
        f"WHERE {key} IS NOT NULL)"
    ).fetchone()
    return starts <= 1 and falls == 0


def find_repeats(
    con: duckdb.DuckDBPyConnection, checked: CheckedTable, spec: TableSpec,
    plans: list[ColumnPlan],
) -> str | None:
    """A table of every key that occurs more than once, with the first row holding it; None
    when no key repeats. Keys are text, so the typed key columns hold the raw text."""
    by_name = {p.name: p for p in plans}
    keys = [typed(by_name[k].index) for k in spec.key]
    # A first key column that rises strictly from row to row proves the whole keys distinct too.
    if _keys_increase(con, checked, keys[0]):
        return None
    repeats = f"{LOAD_SCHEMA}.repeats_{spec.name}"
    con.execute(
        f"CREATE OR REPLACE TABLE {repeats} AS SELECT {', '.join(keys)}, "
        f"min({checked.row()}) AS first_row FROM {checked.table} "
        f"WHERE {' AND '.join(f'{k} IS NOT NULL' for k in keys)} "
        f"GROUP BY ALL HAVING count(*) > 1"
    )
    if not count_rows(con, repeats):
        con.execute(f"DROP TABLE {repeats}")
        return None
    return repeats


def _raw_cell(plan: ColumnPlan, checked: CheckedTable) -> str:
    """A bad row's text of one cell: a text column's typed value is its text; another cell's
    text is kept for a flagged row, and never quoted for a row rejected only for its key or
    its manager (its own cells all passed)."""
    if plan.index in checked.kept:
        return f"r.{kept_text(plan.index)}"
    return f"r.{typed(plan.index)}"


def separate_bad_rows(
    con: duckdb.DuckDBPyConnection,
    checked: CheckedTable,
    spec: TableSpec,
    plans: list[ColumnPlan],
    checks: list[Check],
    people: str | None,
) -> BadRows:
    """Move the bad rows out of the checked table, with their reason codes and text, leaving
    the clean table."""
    by_name = {p.name: p for p in plans}
    repeats = find_repeats(con, checked, spec, plans)
    first_row, known, joins = "NULL", "NULL", ""
    if repeats is not None:
        keys = [typed(by_name[k].index) for k in spec.key]
        joins = f" LEFT JOIN {repeats} d ON " + " AND ".join(f"r.{k} = d.{k}" for k in keys)
        first_row = "d.first_row"
    if people is not None:
        joins += f" LEFT JOIN {people} m ON r.{typed(by_name['manager_id'].index)} = m.id"
        known = "m.id"
    # First the bad rows' numbers, from a narrow pass over every row: the checks of keys and
    # managers read only text columns, whose typed values are their text.
    rest = [check for check in checks if not check.own_cells]
    text_cells = "".join(
        f", r.{typed(p.index)} AS {cell(p.index)}" for p in plans if p.index not in checked.kept
    )
    found = f"{LOAD_SCHEMA}.found_{spec.name}"
    con.execute(
        f"CREATE OR REPLACE TABLE {found} AS SELECT _row, _first_row, _known FROM ("
        f"SELECT {checked.row('r')} AS _row, {first_row} AS _first_row, {known} AS _known, "
        f"r._bad{text_cells} FROM {checked.table} r{joins}) WHERE _bad OR {any_code(rest)}"
    )
    # Then everything the reasons need, for those rows only.
    raw_cells = ", ".join(f"{_raw_cell(p, checked)} AS {cell(p.index)}" for p in plans)
    typed_values = ", ".join(f"r.{typed(p.index)}" for p in plans)
    raw = f"{LOAD_SCHEMA}.badraw_{spec.name}"
    con.execute(
        f"CREATE OR REPLACE TABLE {raw} AS SELECT f._row, f._first_row, f._known, r._bad, "
        f"{raw_cells}, {typed_values} FROM {found} f JOIN {checked.table} r "
        f"ON {checked.row('r')} = f._row"
    )
    con.execute(f"DROP TABLE {found}")
    bad = f"{LOAD_SCHEMA}.bad_{spec.name}"
    codes = ", ".join(
        f"CASE WHEN _bad THEN {check.code_sql} END AS p{i}" if check.own_cells
        else f"{check.code_sql} AS p{i}"
        for i, check in enumerate(checks)
    )
    con.execute(f"CREATE OR REPLACE TABLE {bad} AS SELECT _row, _first_row, {codes} FROM {raw}")
    if repeats is not None:
        con.execute(f"DROP TABLE {repeats}")
    if count_rows(con, bad):
        con.execute(
            f"DELETE FROM {checked.table} WHERE {checked.row()} IN (SELECT _row FROM {bad})"
        )
    # Dropping and renaming columns changes the catalog only; the data is not copied.
    helpers = ["_bad", *map(kept_text, checked.kept)]
    helpers += ["_row"] if checked.position_offset is None else []
    for helper in helpers:
        con.execute(f"ALTER TABLE {checked.table} DROP COLUMN {helper}")
    # A file column may be named like an internal one (say t1), and renaming t0 to t1 would
    # clash: so first step through names that no file column starts with.
    names = {p.name for p in plans}
    prefix = "tmp_"
    while any(n.startswith(prefix) for n in names):
        prefix = "_" + prefix
    for p in plans:
        con.execute(f"ALTER TABLE {checked.table} RENAME COLUMN {typed(p.index)} TO {prefix}{p.index}")
    for p in plans:
        con.execute(f"ALTER TABLE {checked.table} RENAME COLUMN {prefix}{p.index} TO {ident(p.name)}")
    person = cell(by_name[spec.owner_column].index)
    return BadRows(bad, checks, person, raw, _placed_by(spec, plans, checks))


def _placed_by(spec: TableSpec, plans: list[ColumnPlan], checks: list[Check]) -> PlacedBy | None:
    column = DATE_COLUMNS[spec.name] or next((c.name for c in spec.columns if c.is_period), None)
    plan = next((p for p in plans if p.name == column), None)
    if plan is None:
        return None
    check = next(i for i, c in enumerate(checks) if c.own_cells and c.column == column)
    return PlacedBy(check, typed(plan.index), plan.spec.is_period)


def known_people(
    con: duckdb.DuckDBPyConnection, managers: CheckedTable, plans: list[ColumnPlan]
) -> str:
    """Every id listed in managers, including people whose own row is rejected: their rows
    elsewhere are theirs, and they get an error through the rejected managers row anyway. Read
    from the checked table before its bad rows are removed (an id is text, so its typed value is
    its text)."""
    id_column = typed(next(p.index for p in plans if p.name == "id"))
    name = f"{LOAD_SCHEMA}.people"
    con.execute(
        f"CREATE OR REPLACE TABLE {name} AS SELECT DISTINCT {id_column} AS id "
        f"FROM {managers.table} WHERE {id_column} IS NOT NULL"
    )
    return name


def count_rows(con: duckdb.DuckDBPyConnection, relation: str) -> int:
    return con.execute(f"SELECT count(*) FROM {relation}").fetchone()[0]
