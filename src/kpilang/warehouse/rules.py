"""The data checks of spec/data.md that a typed column of a database still needs, as SQL.

A database column already has a type, so most of what the file readers check (an unreadable
number, a date in the wrong form, a comma in an amount) cannot happen there; what can still be
wrong with a row is what the type allows and the data contract does not: an empty required cell,
a negative amount or duration, a deal stage outside open/won/lost, a period label that is not
one, a value with white space around it, an ISO week 53 in a year that has 52. Each rule is a condition in DuckDB's SQL (transpiled for the engine like the metric
queries) that holds for a bad row and is never unknown; its code is the file checks' code, so the
problem reads the same.

Two rules read more than the row: a repeated key (every row with a key that repeats is rejected,
since a table has no first row to keep) and a manager_id that managers does not list (any row of
managers counts, even one rejected itself: that person exists, and their rows get their error).
Checked once, what they found (the keys that repeat, the ids managers lists) is written into the
metric queries as lists of values (`Findings`), so that no query reads the tables again for them:
a TEMP table is not allowed in PostgreSQL's read-only transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kpilang.data.schema import ColumnKind, TableSpec
from kpilang.data.values import SURROUNDING_SPACE

# A period label: a month, a quarter or an ISO week (spec/data.md).
PERIOD_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2]|Q[1-4]|W(0[1-9]|[1-4][0-9]|5[0-3]))$"
WEEK_53_PATTERN = r"^[0-9]{4}-W53$"

# White space around a value, as the file checks strip it to say a value is `padded`
# (data/values.py): written as a regular expression class that RE2 (DuckDB, ClickHouse) and
# PostgreSQL read alike, and that never cuts a character of UTF-8 in two (ClickHouse's trim
# works on bytes).
_SPACE_CLASS = "[" + "".join(c for c in SURROUNDING_SPACE if c not in "\t\r\n") + r"\t\r\n]"

# Above this many values, a list found by the checks is read again by a subquery instead.
LISTED_VALUES_MAX = 20_000


@dataclass(frozen=True)
class RowRule:
    column: str
    code: str
    """The problem code, as for a file (`data.CODE` in the catalogs)."""
    condition: str
    """DuckDB SQL over the relation's columns: TRUE for a bad row, never NULL."""
    facts: dict[str, object] = field(default_factory=dict)
    rejects: str | None = None
    """What the metric queries filter on, when cheaper than `condition` and rejecting the same
    rows with the rules it goes with: a stage not in the list, whether spaces are why or not."""


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def stripped(column_sql: str) -> str:
    """The text of a column without the white space around it."""
    text = f"CAST({column_sql} AS VARCHAR)"
    return f"regexp_replace(regexp_replace({text}, '^{_SPACE_CLASS}+', ''), '{_SPACE_CLASS}+$', '')"


def _week_53_missing(c: str) -> str:
    """A week label `YYYY-W53` of a year with 52 ISO weeks. A year has 53 when it starts on a
    Thursday, or on a Wednesday in a leap year: `p(y) = (y + y/4 - y/100 + y/400) mod 7` is 4
    for such a year or 3 for the one before it (whole-number arithmetic, alike in every engine,
    where the calendar functions are not)."""
    year = f"TRY_CAST(left({c}, 4) AS INTEGER)"

    def p(y: str) -> str:
        return f"(({y}) + ({y}) // 4 - ({y}) // 100 + ({y}) // 400) % 7"

    return (f"COALESCE(regexp_matches({c}, '{WEEK_53_PATTERN}') AND NOT ({p(year)} = 4 OR {p(year + ' - 1')} = 3), "
            f"FALSE)")


def row_rules(spec: TableSpec, present: set[str]) -> list[RowRule]:
    """The rules for the columns of `spec` the relation has, in the order of the spec. A value
    that is wrong only for the white space around it is `padded`, as in a file."""
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
            rules.extend(_spaced(column.name, f"{c} NOT IN ({listed})", f"{stripped(c)} IN ({listed})",
                                 RowRule(column.name, "not_allowed", "", {"allowed": ", ".join(column.allowed)})))
        if column.is_period:
            rules.extend(_spaced(column.name, f"NOT regexp_matches({c}, '{PERIOD_PATTERN}')",
                                 f"regexp_matches({stripped(c)}, '{PERIOD_PATTERN}')",
                                 RowRule(column.name, "period_form", "")))
            rules.append(RowRule(column.name, "no_week_53", _week_53_missing(c)))
    return rules


def _spaced(column: str, wrong: str, good_stripped: str, otherwise: RowRule) -> list[RowRule]:
    """A value that is `wrong`: `padded` when it is good without the white space around it,
    else the rule `otherwise` (its condition filled in)."""
    rejects = f"COALESCE({wrong}, FALSE)"
    return [RowRule(column, "padded", f"COALESCE({wrong} AND {good_stripped}, FALSE)", rejects=rejects),
            RowRule(otherwise.column, otherwise.code, f"COALESCE({wrong} AND NOT {good_stripped}, FALSE)",
                    otherwise.facts, rejects=rejects)]


@dataclass(frozen=True)
class Findings:
    """What the checks found that the metric queries would otherwise read again: the keys of
    one table that repeat, and every id managers lists (as text). None where not known, or
    when there are more than LISTED_VALUES_MAX."""

    repeated_keys: list[tuple] | None = None
    manager_ids: list[str] | None = None


def _value(v: object) -> str:
    if v is None:
        return "NULL"
    if isinstance(v, bool | int):
        return str(v).upper() if isinstance(v, bool) else str(v)
    return "'" + str(v).replace("'", "''") + "'"


def table_rules(spec: TableSpec, present: set[str], table_ref: str, managers_ref: str,
                found: Findings | None = None) -> list[RowRule]:
    """The rules that read the whole table (`table_ref`) or managers (`managers_ref`), FROM items
    in DuckDB's SQL; with `found`, over the lists the checks found instead."""
    found = found or Findings()
    rules = []
    if set(spec.key) <= present:
        cols = ", ".join(q(k) for k in spec.key)
        left = f"({cols})" if len(spec.key) > 1 else cols
        if found.repeated_keys is not None:
            listed = ", ".join(f"({', '.join(map(_value, key))})" if len(spec.key) > 1 else _value(key[0])
                               for key in found.repeated_keys)
            condition = f"COALESCE({left} IN ({listed}), FALSE)" if listed else "FALSE"
        else:
            known = " AND ".join(f"{q(k)} IS NOT NULL" for k in spec.key)
            condition = (f"COALESCE({left} IN (SELECT {cols} FROM {table_ref} WHERE {known} GROUP BY {cols} "
                         f"HAVING count(*) > 1), FALSE)")
        rules.append(RowRule(spec.key[0], "duplicate_id", condition, {"key": ", ".join(spec.key)}))
    if spec.belongs_to_manager and "manager_id" in present:
        if found.manager_ids is not None:
            listed = ", ".join(map(_value, found.manager_ids))
            known = f'CAST("manager_id" AS VARCHAR) IN ({listed})' if listed else "FALSE"
        else:
            known = f'CAST("manager_id" AS VARCHAR) IN (SELECT CAST("id" AS VARCHAR) FROM {managers_ref} WHERE "id" IS NOT NULL)'
        rules.append(RowRule("manager_id", "unknown_manager", f"COALESCE(NOT {known}, FALSE)"))
    return rules


def clean_condition(rules: list[RowRule]) -> str | None:
    """The condition that keeps the rows no rule rejects (None when there is no rule)."""
    if not rules:
        return None
    conditions = dict.fromkeys(r.rejects or r.condition for r in rules)
    return "NOT (" + " OR ".join(conditions) + ")"
