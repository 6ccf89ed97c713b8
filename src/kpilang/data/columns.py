"""Whether a file has the columns its table must have and the plan reads.

These problems are fatal: without the column nothing sensible can be computed, and a guess
(say, treating a missing amount as zero) would produce wrong pay.
"""

from __future__ import annotations

from .problems import DataProblem
from .readers.base import RawTable, file_problem
from .schema import ColumnKind, TableSpec


def _missing_hint(column: str, raw: RawTable) -> str:
    for present in raw.columns:
        if present.lower() == column.lower():
            return f"the file has a column {present!r}: rename it to {column} (names are case-sensitive)"
    found = ", ".join(raw.columns) if raw.columns else "none"
    return f"add the column {column} to {raw.file} (columns found: {found})"


def column_problems(raw: RawTable, spec: TableSpec, needed: set[str] | None) -> list[DataProblem]:
    problems = []
    present = set(raw.columns)
    for column in spec.required_columns:
        if column not in present:
            problems.append(file_problem(
                spec.name, raw.file,
                f"missing required column {column} in table {spec.name}",
                _missing_hint(column, raw),
                column=column,
            ))
    for column in sorted((needed or set()) - present - set(spec.required_columns)):
        problems.append(file_problem(
            spec.name, raw.file,
            f"missing column {column} in table {spec.name}: the plan reads it",
            _missing_hint(column, raw),
            column=column,
        ))
    for column in sorted(raw.float_columns):
        known = spec.column(column)
        if known is not None and known.kind in (ColumnKind.MONEY, ColumnKind.NUMBER):
            problems.append(file_problem(
                spec.name, raw.file,
                f"column {column} is stored as binary floating point (FLOAT/DOUBLE), which "
                "cannot hold decimal amounts exactly",
                f"write {column} as DECIMAL (e.g. DECIMAL(18, 2)) or as text",
                column=column,
            ))
    return problems
