"""Which file in a data directory holds which table.

A table lives in exactly one file named after it: managers.csv, deals.jsonl, leads.parquet,
targets.xlsx; the people may also be in people.csv (.xlsx, …), the name `kpilang init` lays out and
the CRM mappings use. Two files for one table would make the data ambiguous, so that is fatal.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kpilang.messages import Text, t

from .problems import DataProblem
from .readers import FORMATS
from .readers.base import fatal_problem

FILE_NAMES: dict[str, tuple[str, ...]] = {"managers": ("managers", "people")}
"""The names a table's file may have, when not only the table's own."""

# Names people give table files that kpilang does not read; the catalogs say what to do instead
# of each (`data.missing_table.json`, …).
LOOKALIKE_SUFFIXES = (".json", ".xls", ".tsv", ".txt", ".parq")


@dataclass(frozen=True)
class TableFile:
    table: str
    path: Path
    file: str  # as shown in problems: the given directory joined with the file name
    format: str


def _shown(directory: str, name: str) -> str:
    return str(Path(directory) / name)


def find_table_files(
    directory: str | Path, tables: tuple[str, ...], claimed: frozenset[str] = frozenset()
) -> tuple[dict[str, TableFile], list[DataProblem]]:
    """The file of each table; `claimed` names files another reader takes (a CRM source
    mapping's), which are not kpilang's own even where their names look so (amoCRM's
    leads.jsonl holds deals)."""
    root = Path(directory)
    shown_root = str(directory)
    found: dict[str, TableFile] = {}
    problems: list[DataProblem] = []
    for table in tables:
        candidates = [
            TableFile(table, root / f"{name}.{fmt}", _shown(shown_root, f"{name}.{fmt}"), fmt)
            for name in FILE_NAMES.get(table, (table,))
            for fmt in FORMATS
            if (root / f"{name}.{fmt}").is_file() and f"{name}.{fmt}" not in claimed
        ]
        if len(candidates) > 1:
            names = ", ".join(c.path.name for c in candidates)
            problems.append(fatal_problem(
                "ambiguous_table", table, candidates[0].file,
                t("data.ambiguous_table.reason", table=table, names=names),
                t("data.ambiguous_table.hint"),
            ))
        elif candidates:
            found[table] = candidates[0]
    return found, problems


def not_a_directory_problem(directory: str | Path) -> DataProblem:
    return fatal_problem(
        "not_a_directory", "", str(directory),
        t("data.not_a_directory.reason"), t("data.not_a_directory.hint"),
    )


def missing_table_problem(directory: str | Path, table: str, reason: Text) -> DataProblem:
    root = Path(directory)
    hint = t("data.missing_table.hint", table=table, directory=str(directory))
    for suffix in LOOKALIKE_SUFFIXES:
        if (root / f"{table}{suffix}").is_file():
            advice = t(f"data.missing_table.{suffix[1:]}", table=table)
            hint = t("data.missing_table.lookalike", file=f"{table}{suffix}", advice=advice)
            break
    return fatal_problem("missing_table", table, str(directory), reason, hint)
