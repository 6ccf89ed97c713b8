"""Tables that come from somewhere other than kpilang's own files: the hook through which a CRM
source mapping (kpilang.sources) hands the loader its tables, without the data checks knowing
that a CRM exists.

A provider gives, for each table it provides, a raw table of text cells like any reader's, built
from one or several files; a table built from several numbers its rows part * PART_STRIDE + row,
and `locate` turns such a number back into the file and its own row for the problems.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import duckdb

from kpilang.messages import Text

from .problems import DataProblem
from .readers.base import RawTable

PART_STRIDE = 10**12


@dataclass
class ProvidedTable:
    raw: RawTable
    files: list[str]  # as shown, one per part
    paths: list[Path]
    # Records each file holds that the provider left out on purpose (a mapping's where/exclude).
    excluded: dict[str, int] = field(default_factory=dict)
    # Problems about people rather than rows (a person the provider cannot find rows for).
    problems: list[DataProblem] = field(default_factory=list)
    # Hints in the provider's own terms for kinds of problem (code → the hint for a problem):
    # "add the person to managers" means "to the people file, with their CRM id" for a CRM.
    hints: dict[str, Callable[[DataProblem], Text]] = field(default_factory=dict)

    def locate(self, problem: DataProblem) -> DataProblem:
        """The problem naming the file and its own row, for a table built from several files."""
        if problem.code in self.hints and problem.row is not None:
            problem = problem.model_copy(update={"hint": self.hints[problem.code](problem)})
        if len(self.files) < 2 or problem.row is None:
            return problem
        file, row = self.place(problem.row)
        update: dict[str, object] = {"file": file, "row": row}
        if problem.end_row is not None:
            update["end_row"] = self.place(problem.end_row)[1]
        if any(name == "first_row" for name, _ in problem.reason.args):
            update["reason"] = _with_first_row(problem.reason, self)
        return problem.model_copy(update=update)

    def place(self, row: int) -> tuple[str, int]:
        return self.files[row // PART_STRIDE], row % PART_STRIDE


def _with_first_row(reason: Text, table: ProvidedTable) -> Text:
    args = []
    for name, value in reason.args:
        if name == "first_row" and isinstance(value, int):
            file, row = table.place(value)
            value = f"{row} ({file})"
        args.append((name, value))
    return Text(reason.key, tuple(args))


class TableProvider(Protocol):
    """What load_data asks of a source of tables (see kpilang.sources.MappedSource)."""

    name: str

    def provides(self, table: str) -> bool: ...

    def claimed_files(self) -> frozenset[str]:
        """The names of the files it reads, whatever table they look like kpilang's own of."""
        ...

    def read(self, con: duckdb.DuckDBPyConnection, table: str, folder: Path, cap: int,
             managers: RawTable | None, timezone: str) -> ProvidedTable:
        """The table, from files in `folder`; `managers` is the raw managers table already read
        (people are resolved against it); `timezone` is the plan's. Raises DataError when it
        cannot be read at all."""
        ...
