"""The data checks of spec/data.md that a typed column of a database still needs, as SQL.

A database column already has a type, so most of what the file readers check (an unreadable
number, a date in the wrong form, a comma in an amount) cannot happen there; what can still be
wrong with a row is what the type allows and the data contract does not: an empty required cell,
a negative amount or duration, a deal stage outside open/won/lost, a period label that is not
one. Each rule is a condition in DuckDB's SQL (transpiled for the engine like the metric
queries) that holds for a bad row and is never unknown; its code is the file checks' code, so the
problem reads the same.

Two rules read more than the row: a repeated key (every row with a key that repeats is rejected,
since a table has no first row to keep) and a manager_id that managers does not list (any row of
managers counts, even one rejected itself: that person exists, and their rows get their error).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kpilang.data.schema import ColumnKind, TableSpec

# A period label: a month, a quarter or an ISO week (spec/data.md).
PERIOD_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2]|Q[1-4]|W(0[1-9]|[1-4][0-9]|5[0-3]))$"


@dataclass(frozen=True)
class RowRule:
    column: str
    code: str
    """The problem code, as for a file (`data.CODE` in the catalogs)."""
    condition: str
    """DuckDB SQL over the relation's columns: TRUE for a bad row, never NULL."""
    facts: dict[str, object] = field(default_factory=dict)


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def row_rules(spec: TableSpec, present: set[str]) -> list[RowRule]:
    """The rules for the columns of `spec` the relation has, in the order of the spec."""
    rules: list[RowRule] = []
    for column in spec.columns:
        if column.name not in present:
            continue
        c = q(column.name)
        if column.required:
            empty = f"{c} IS NULL"
            if column.kind is ColumnKind.STRING:
                empty += f" OR CAST({c} AS VARCHAR) = ''"
            rules.append(RowRule(column.name, "empty", f"({empty})"))
        if column.non_negative:
            rules.append(RowRule(column.name, "negative", f"COALESCE({c} < 0, FALSE)",
                                 {"what": "amount"}))
        if column.kind is ColumnKind.DURATION:
            rules.append(RowRule(column.name, "negative_duration", f"COALESCE({c} < 0, FALSE)"))
        if column.allowed is not None:
            listed = ", ".join("'" + v.replace("'", "''") + "'" for v in column.allowed)
            rules.append(RowRule(column.name, "not_allowed", f"COALESCE({c} NOT IN ({listed}), FALSE)",
                                 {"allowed": ", ".join(column.allowed)}))
        if column.is_period:
            rules.append(RowRule(column.name, "period_form",
                                 f"COALESCE(NOT regexp_matches({c}, '{PERIOD_PATTERN}'), FALSE)"))
    return rules


def table_rules(spec: TableSpec, present: set[str], table_ref: str, managers_ref: str) -> list[RowRule]:
    """The rules that read the whole table (`table_ref`) or managers (`managers_ref`)."""
    rules = []
    if set(spec.key) <= present:
        cols = ", ".join(q(k) for k in spec.key)
        left = f"({cols})" if len(spec.key) > 1 else cols
        known = " AND ".join(f"{q(k)} IS NOT NULL" for k in spec.key)
        rules.append(RowRule(
            spec.key[0], "duplicate_id",
            f"COALESCE({left} IN (SELECT {cols} FROM {table_ref} WHERE {known} GROUP BY {cols} "
            f"HAVING count(*) > 1), FALSE)", {"key": ", ".join(spec.key)}))
    if spec.belongs_to_manager and "manager_id" in present:
        rules.append(RowRule(
            "manager_id", "unknown_manager",
            f'COALESCE(NOT CAST("manager_id" AS VARCHAR) IN (SELECT CAST("id" AS VARCHAR) FROM {managers_ref} '
            f'WHERE "id" IS NOT NULL), FALSE)'))
    return rules


def clean_condition(rules: list[RowRule]) -> str | None:
    """The condition that keeps the rows no rule rejects (None when there is no rule)."""
    if not rules:
        return None
    return "NOT (" + " OR ".join(r.condition for r in rules) + ")"
