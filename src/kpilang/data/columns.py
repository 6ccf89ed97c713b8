"""Whether a file has the columns its table must have and the plan reads.

These problems are fatal: without the column nothing sensible can be computed, and a guess
(say, treating a missing amount as zero) would produce wrong pay.
"""

from __future__ import annotations

from kpilang.messages import Text, t

from .problems import DataProblem
from .readers.base import RawTable, fatal_problem
from .schema import ColumnKind, TableSpec


def _missing_hint(column: str, raw: RawTable) -> Text:
    for present in raw.columns:
        if present.lower() == column.lower():
            return t("data.missing_column.rename", present=present, column=column)
    found = ", ".join(raw.columns) if raw.columns else t("data.missing_column.none")
    return t("data.missing_column.add", column=column, file=raw.file, found=found)


def column_problems(raw: RawTable, spec: TableSpec, needed: set[str] | None) -> list[DataProblem]:
    problems = []
    present = set(raw.columns)
    for column in spec.required_columns:
        if column not in present:
            problems.append(fatal_problem(
                "missing_required_column", spec.name, raw.file,
                t("data.missing_required_column.reason", column=column, table=spec.name),
                _missing_hint(column, raw),
                column=column,
            ))
    for column in sorted((needed or set()) - present - set(spec.required_columns)):
        problems.append(fatal_problem(
            "missing_column", spec.name, raw.file,
            t("data.missing_column.reason", column=column, table=spec.name),
            _missing_hint(column, raw),
            column=column,
        ))
    for column in sorted(raw.float_columns):
        known = spec.column(column)
        if known is not None and known.kind in (ColumnKind.MONEY, ColumnKind.NUMBER):
            problems.append(fatal_problem(
                "float_column", spec.name, raw.file,
                t("data.float_column.reason", column=column), t("data.float_column.hint", column=column),
                column=column,
            ))
    problems.extend(_mistyped_id_problems(raw))
    return problems


def _mistyped_id_problems(raw: RawTable) -> list[DataProblem]:
    problems = []
    for column, mistyped in sorted(raw.mistyped_ids.items()):
        if mistyped.stored_type is not None:
            where = t("data.mistyped_id.stored", type=mistyped.stored_type)
        else:
            where = t(
                "data.mistyped_id.lines", line=mistyped.line, value=mistyped.value, lines=mistyped.lines,
            )
        problems.append(fatal_problem(
            "mistyped_id", raw.table, raw.file,
            t(f"data.mistyped_id.{mistyped.kind}", column=column, where=where),
            t("data.mistyped_id.hint", column=column), column=column,
        ))
    return problems
