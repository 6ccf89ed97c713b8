"""Bad rows and unreadable rows as DataProblems the user can act on.

A file can have millions of bad rows, so each kind of problem (one check of one column, or one
kind of unreadable row) lists its first `cap` rows in detail and then one summary problem with
the count of the rest. The summary still names every person those rows touch, so that nobody
gets a figure computed from partial data just because their row was not listed.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from .problems import DataProblem, preview
from .readers.base import Owners, RowFaults
from .reasons import ROW_REASONS, summary_reason
from .staging import LOAD_SCHEMA
from .validation import BadRows

# Longest raw text fetched for a problem; it is cut further to VALUE_PREVIEW_CHARS for display.
FETCHED_VALUE_CHARS = 200


def _summary(
    table: str, file: str, column: str | None, shown: int, omitted: int,
    example: DataProblem, people: list[str], owner_unknown: bool,
) -> DataProblem:
    return DataProblem(
        table=table, file=file, row=None, column=column, value=None, code=example.code,
        reason=summary_reason(shown, omitted, example.reason), hint=example.hint,
        fatal=False, manager_ids=people, owner_unknown=owner_unknown,
    )


def bad_row_problems(
    con: duckdb.DuckDBPyConnection, bad: BadRows, table: str, file: str, cap: int
) -> list[DataProblem]:
    """Problems for the bad rows, quoting their offending texts."""
    if not bad.checks:
        return []
    quoted = f"{LOAD_SCHEMA}.quoted_{table}"
    ranked = f"{LOAD_SCHEMA}.ranked_{table}"
    # The row's place in time, when its own cell for it passed its check (NULL otherwise).
    placed = "NULL"
    if bad.placed_by is not None:
        placed = f"CASE WHEN p{bad.placed_by.check} IS NULL THEN struct_pack(v := {bad.placed_by.typed}) END"
    # The offending texts, kept for the bad rows only.
    con.execute(
        f"CREATE OR REPLACE TABLE {quoted} AS SELECT b.*, {bad.person_sql} AS _mid, "
        f"{placed} AS _placed, "
        + ", ".join(
            f"left({check.value_sql}, {FETCHED_VALUE_CHARS}) AS v{i}"
            for i, check in enumerate(bad.checks)
        )
        + f" FROM {bad.table} b JOIN {bad.raw} USING (_row)"
    )
    flagged = " UNION ALL ".join(
        f"SELECT {i} AS k, p{i} AS code, _row, v{i} AS value, _mid, _first_row, _placed "
        f"FROM {quoted} WHERE p{i} IS NOT NULL"
        for i in range(len(bad.checks))
    )
    con.execute(
        f"CREATE OR REPLACE TABLE {ranked} AS SELECT *, "
        f"row_number() OVER (PARTITION BY k, code ORDER BY _row) AS rank FROM ({flagged})"
    )
    details = con.execute(
        f"SELECT k, code, _row, value, _mid, _first_row, _placed FROM {ranked} "
        f"WHERE rank <= {cap} ORDER BY _row, k"
    ).fetchall()
    omitted = con.execute(
        f"SELECT k, code, count(*), list(DISTINCT _mid ORDER BY _mid) FILTER (WHERE _mid IS NOT NULL), "
        f"bool_or(_mid IS NULL) FROM {ranked} WHERE rank > {cap} GROUP BY k, code ORDER BY k, code"
    ).fetchall()
    con.execute(f"DROP TABLE {ranked}")
    con.execute(f"DROP TABLE {quoted}")

    problems = []
    examples: dict[tuple[int, str], DataProblem] = {}
    for k, code, row, value, person, first_row, placed in details:
        check = bad.checks[k]
        facts = {**check.facts, "column": check.column, "value": value, "first_row": first_row}
        reason, hint = ROW_REASONS[code].render(**facts)
        problem = DataProblem(
            table=table, file=file, row=row, column=check.column, value=preview(value),
            code=code, reason=reason, hint=hint, fatal=False,
            manager_ids=[person] if person is not None else [], owner_unknown=person is None,
            **_place_in_time(bad, placed),
        )
        problems.append(problem)
        examples.setdefault((k, code), problem)
    for k, code, count, people, unowned in omitted:
        problems.append(_summary(
            table, file, bad.checks[k].column, cap, count, examples[(k, code)], people or [],
            unowned,
        ))
    return problems


def _place_in_time(bad: BadRows, placed: dict | None) -> dict[str, object]:
    """The DataProblem fields that say which period a bad row concerns (none: every period)."""
    if bad.placed_by is None or placed is None:
        return {}
    value = placed["v"]
    if bad.placed_by.by_period:
        return {"period": value}
    return {"at": value} if value is not None else {"undated": True}


def fault_problems(
    faults: RowFaults, table: str, file: str, owner: Callable[[Owners], str | None],
) -> list[DataProblem]:
    """Problems for the rows a reader could not read, each naming the people `owner` finds for
    its records; one whose owner cannot be told is marked `owner_unknown`."""
    problems = []
    examples: dict[str, DataProblem] = {}
    for fault in faults.shown:
        facts = dict(fault.facts)
        if fault.column is not None:
            facts.setdefault("column", fault.column)
        reason, hint = ROW_REASONS[fault.code].render(**facts)
        owners = [owner(texts) for texts in fault.owners]
        problem = DataProblem(
            table=table, file=file, row=fault.row, column=fault.column, value=fault.value,
            code=fault.code, reason=reason, hint=hint, fatal=False,
            manager_ids=sorted({o for o in owners if o is not None}),
            owner_unknown=None in owners, end_row=fault.end_row, **dict(fault.placed),
        )
        problems.append(problem)
        examples.setdefault(fault.code, problem)
    for code, count in faults.counts.items():
        if count > faults.cap:
            owners = [owner(texts) for (kind, texts) in faults.owner_texts if kind == code]
            problems.append(_summary(
                table, file, None, faults.cap, count - faults.cap, examples[code],
                sorted({o for o in owners if o is not None}), None in owners,
            ))
    return problems
