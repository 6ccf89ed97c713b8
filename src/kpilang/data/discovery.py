"""Which file in a data directory holds which table.

A table lives in exactly one file named after it: managers.csv, deals.jsonl, leads.parquet,
targets.xlsx. Two files for one table would make the data ambiguous, so that is fatal.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .problems import DataProblem
from .readers import FORMATS
from .readers.base import file_problem

# Names people give table files that kpilang does not read, and what to do instead.
LOOKALIKE_SUFFIXES = {
    ".json": "write one JSON object per line and name the file {table}.jsonl",
    ".xls": "save it as an Excel Workbook ({table}.xlsx)",
    ".tsv": "save it comma-separated as {table}.csv",
    ".txt": "save it comma-separated as {table}.csv",
    ".parq": "name the file {table}.parquet",
}


@dataclass(frozen=True)
class TableFile:
    table: str
    path: Path
    file: str  # as shown in problems: the given directory joined with the file name
    format: str


def _shown(directory: str, name: str) -> str:
    return str(Path(directory) / name)


def find_table_files(
    directory: str | Path, tables: tuple[str, ...]
) -> tuple[dict[str, TableFile], list[DataProblem]]:
    root = Path(directory)
    shown_root = str(directory)
    found: dict[str, TableFile] = {}
    problems: list[DataProblem] = []
    for table in tables:
        candidates = [
            TableFile(table, root / f"{table}.{fmt}", _shown(shown_root, f"{table}.{fmt}"), fmt)
            for fmt in FORMATS
            if (root / f"{table}.{fmt}").is_file()
        ]
        if len(candidates) > 1:
            names = ", ".join(c.path.name for c in candidates)
            problems.append(file_problem(
                table, candidates[0].file,
                f"table {table} is in more than one file ({names}); which one is meant is not "
                "guessed",
                "keep exactly one file per table",
            ))
        elif candidates:
            found[table] = candidates[0]
    return found, problems


def not_a_directory_problem(directory: str | Path) -> DataProblem:
    return DataProblem(
        table="", file=str(directory), row=None, column=None, value=None,
        reason="the data source is not a directory",
        hint="give a directory holding one file per table, e.g. managers.csv and deals.csv",
        fatal=True,
    )


def missing_table_problem(directory: str | Path, table: str, reason: str) -> DataProblem:
    root = Path(directory)
    hint = f"add {table}.csv (or .jsonl, .parquet, .xlsx) to {directory}"
    for suffix, advice in LOOKALIKE_SUFFIXES.items():
        if (root / f"{table}{suffix}").is_file():
            hint = f"{table}{suffix} is not a format kpilang reads: " + advice.format(table=table)
            break
    return file_problem(table, str(directory), reason, hint)
