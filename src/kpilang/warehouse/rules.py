"""The data checks of spec/data.md that a typed column of a database still needs, as SQL.

A database column already has a type, so most of what the file readers check (an unreadable
number, a date in the wrong form, a comma in an amount) cannot happen there; what can still be
wrong with a row is what the type allows and the data contract does not: an empty required cell,
a negative amount or duration, a deal stage outside open/won/lost, a period label that is not
one. Each rule is a condition in DuckDB's SQL (transpiled for the engine like the metric
queries) that holds for a bad row and is never unknown; its code is the file checks' code, so the
problem reads the same.

The checks over the whole table (a repeated id, a manager_id that managers does not list) are in
checks.py.
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


def clean_condition(rules: list[RowRule]) -> str | None:
    """The condition that keeps the rows no rule rejects (None when there is no rule)."""
    if not rules:
        return None
    return "NOT (" + " OR ".join(r.condition for r in rules) + ")"
