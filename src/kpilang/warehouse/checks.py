"""The data checks of spec/data.md run as SQL inside the engine that holds the data.

Only counts and the first rows of each kind of problem come back: one pass over each table counts
the rows, the rows each rule rejects and whose they are; then, for each rule that rejected rows,
the first `cap` of them (by key) are fetched to be named. A problem reads as for a file, with the
row's key (`id=d017`) where a file has a line number.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kpilang.data.attribution import UNKNOWN_IDS_EXAMINED, UnknownIds
from kpilang.data.dataset import TableInfo
from kpilang.data.problems import DataProblem, preview
from kpilang.data.reasons import ROW_REASONS, summary_reason
from kpilang.data.schema import DATE_COLUMNS, TableSpec
from kpilang.messages import t

from .dialects import transpile
from .engines import Engine
from .rules import RowRule, q


@dataclass
class CheckedTable:
    info: TableInfo
    problems: list[DataProblem]
    """Each naming the manager_id of its row as written (data.attribution says whose it is)."""
    unknown: UnknownIds | None = None
    """The rows whose manager_id managers does not list, by that text (tables of people's rows)."""
    rows_with_owner: int = 0
    """Rows with a manager_id (not empty)."""


def _key_sql(spec: TableSpec) -> str:
    return " || ', ' || ".join(
        f"'{k}=' || COALESCE(CAST({q(k)} AS VARCHAR), 'NULL')" for k in spec.key)


def _owner_sql(spec: TableSpec) -> str:
    return f"CAST({q(spec.owner_column)} AS VARCHAR)"


def check_table(engine: Engine, spec: TableSpec, rules: list[RowRule], sources: Mapping[str, Any], *,
                file: str, fmt: str, columns: list[str], cap: int) -> CheckedTable:
    """Run `rules` over the table `spec.name` (read through `sources`, which give every table as
    the engine holds it, with its dates in UTC) and say what they reject."""
    def run(sql: str) -> list[tuple]:
        return engine.fetch(transpile(sql, {}, engine.dialect, sources))[1]

    table = q(spec.name)
    flags = "".join(f", count(*) FILTER (WHERE {r.condition})" for r in rules)
    any_bad = " OR ".join(r.condition for r in rules) or "FALSE"
    per_owner = run(f"SELECT {_owner_sql(spec)}, count(*), count(*) FILTER (WHERE {any_bad}){flags} "
                    f"FROM {table} GROUP BY 1")
    rows_read = sum(row[1] for row in per_owner)
    rejected = sum(row[2] for row in per_owner)
    problems: list[DataProblem] = []
    unknown = None
    for k, rule in enumerate(rules):
        hit = {row[0]: row[3 + k] for row in per_owner if row[3 + k]}
        total = sum(hit.values())
        if rule.code == "unknown_manager":
            # The most frequent texts first, as the file checks examine them (data.attribution).
            examined = sorted(hit.items(), key=lambda item: (-item[1], item[0]))[:UNKNOWN_IDS_EXAMINED]
            unknown = UnknownIds(dict(examined), total, empty=0)
        if not total:
            continue
        shown_rows = run(_details_sql(spec, rule, cap))
        for key, owner, value, placed, count in shown_rows:
            problems.append(_problem(spec, rule, file, key, owner, value, placed, count))
        if total > len(shown_rows):
            example = problems[-1]
            owners = sorted(o for o in hit if o is not None)
            problems.append(example.model_copy(update={
                "key": None, "value": None, "at": None, "until": None, "undated": False, "period": None,
                "reason": summary_reason(len(shown_rows), total - len(shown_rows), example.reason),
                "manager_ids": owners, "owner_unknown": None in hit,
            }))
    info = TableInfo(name=spec.name, file=file, format=fmt, columns=columns, rows_read=rows_read,
                     rows_used=rows_read - rejected, rows_rejected=rejected)
    with_owner = sum(row[1] for row in per_owner if row[0] not in (None, ""))
    return CheckedTable(info, problems, unknown, with_owner)


def _details_sql(spec: TableSpec, rule: RowRule, cap: int) -> str:
    date_column = DATE_COLUMNS[spec.name]
    placed = q(date_column) if date_column else ('"period"' if spec.name == "targets" else "NULL")
    keys = ", ".join(q(k) for k in spec.key)
    return (f"SELECT {_key_sql(spec)}, {_owner_sql(spec)}, CAST({q(rule.column)} AS VARCHAR), {placed}, "
            f"count(*) OVER (PARTITION BY {keys}) FROM {q(spec.name)} WHERE {rule.condition} "
            f"ORDER BY {keys} LIMIT {int(cap)}")


def _problem(spec: TableSpec, rule: RowRule, file: str, key: str, owner: str | None, value: Any,
             placed: Any, count: int) -> DataProblem:
    if rule.code == "duplicate_id":
        facts: dict[str, Any] = {"key": rule.facts["key"], "value": value, "count": count}
        reason = t("warehouse.duplicate_id.reason", **facts)
        hint = t("warehouse.duplicate_id.hint", **facts)
    else:
        reason, hint = ROW_REASONS[rule.code].render(**{**rule.facts, "column": rule.column, "value": value})
    place: dict[str, Any] = {}
    if spec.name == "targets":
        place = {"period": placed} if placed is not None and rule.column != "period" else {}
    elif DATE_COLUMNS[spec.name] is not None:
        # An empty optional date (an open deal's closed_at) places the row in no period; an empty
        # required one says nothing of its period, so the row concerns every period.
        if isinstance(placed, datetime):
            place = {"at": placed}
        elif not spec.column(DATE_COLUMNS[spec.name]).required:
            place = {"undated": True}
    return DataProblem(
        table=spec.name, file=file, row=None, key=key, column=rule.column, value=preview(value), code=rule.code,
        reason=reason, hint=hint, fatal=False,
        manager_ids=[] if owner is None else [owner], owner_unknown=owner is None, **place)
