"""A mapped table: a CRM's files turned into the raw table kpilang's data checks read.

Each record of each file is converted cell by cell with its column rules (part_converter.py),
then staged as text like any reader's output, numbered by its own row in its own file. A record
the rules cannot convert is rejected and attributed to its owner; values no map covers are
reported once per distinct value. Records that `where`/`exclude` leave out are counted, never
dropped silently; `deals.is_new_client` may be derived from the deals (new_clients.py). What
comes out goes through exactly the checks that kpilang's own files go through.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from kpilang.data.problems import DataError, DataProblem
from kpilang.data.provided import PART_STRIDE, ProvidedTable
from kpilang.data.readers.base import RawTable, RowFaults, fatal_problem
from kpilang.data.schema import TABLES
from kpilang.data.staging import StagingFile, create_from_numbered_csv
from kpilang.messages import t

from .mapping import Mapping, TablePart
from .new_clients import derive_new_clients
from .part_converter import PartConverter, Uncovered
from .people import PeopleIndex
from .records import SourceFile, SourceFileError, Unreadable, path_head, read_records


def find_part_file(folder: Path, part: TablePart, table: str) -> tuple[Path, str]:
    """The one file of a part present in the data folder."""
    present = [name for name in part.files if (folder / name).is_file()]
    if len(present) == 1:
        return folder / present[0], present[0]
    if not present:
        raise DataError([fatal_problem(
            "missing_table", table, str(folder),
            t("source.missing_file.reason", table=table, files=", ".join(part.files), folder=str(folder)),
            t("source.missing_file.hint"),
        )])
    raise DataError([fatal_problem(
        "ambiguous_table", table, str(folder),
        t("source.two_files.reason", table=table, files=", ".join(present)), t("source.two_files.hint"),
    )])


def convert_table(
    con: duckdb.DuckDBPyConnection, mapping: Mapping, table: str, folder: Path, cap: int,
    people: PeopleIndex | None, plan_zone: str,
) -> ProvidedTable:
    """The table `table` of the mapping, read and converted from its files in `folder`. Raises
    DataError when a file is missing or unusable."""
    parts = mapping.parts(table)
    spec = TABLES[table]
    columns = list(dict.fromkeys(name for part in parts for name in part.columns))
    faults = RowFaults(cap)
    uncovered: dict[tuple[str, str], Uncovered] = {}
    accounts: dict[Path, _FileAccount] = {}
    files: list[str] = []
    converters: list[PartConverter] = []
    located = [find_part_file(folder, part, table) for part in parts]
    with StagingFile() as staging:
        for index, (part, (path, name)) in enumerate(zip(parts, located)):
            offset = index * PART_STRIDE if len(parts) > 1 else 0
            file = SourceFile(table, path, str(path), part.file_format(name), part.encoding, part.delimiter, part.sheet)
            converter = PartConverter(mapping, table, part, columns, people, plan_zone, faults, offset, uncovered,
                                      file)
            _read_part(converter, accounts.setdefault(path, _FileAccount()), staging)
            files.append(file.name)
            converters.append(converter)
        for found in uncovered.values():
            faults.add(found.rows[0], "unmapped_value", found.value, column=found.column,
                       owners=tuple(sorted(found.owners)), records=found.count, placed=found.placed(),
                       map=found.map, count=found.count, rows=_rows_text(found), text=found.value,
                       allowed=_allowed(spec.column(found.column)))
        staged = staging.finish()
        relation = create_from_numbered_csv(con, table, staged, len(columns))
    raw = RawTable(table=table, file=" + ".join(dict.fromkeys(files)), format="+".join(
        dict.fromkeys(parts[i].file_format(files[i]) for i in range(len(parts)))), columns=columns,
        relation=relation, faults=faults)
    if any(rule.derive == "first_won_deal" for part in parts for rule in part.columns.values()):
        rejected_clients = set().union(*(c.rejected_clients for c in converters))
        unreadable = any(account.faulted for account in accounts.values())
        derive_new_clients(con, raw, faults, rejected_clients, unreadable)
    problems = _people_without_key(mapping, table, parts, people, files)
    paths = [path for path, _ in located]
    excluded = {str(path): len(account.left_out - account.taken) for path, account in accounts.items()}
    owner_rule = next((part.columns.get(spec.owner_column) for part in parts), None)
    hints = {}
    if owner_rule is not None and owner_rule.person not in (None, "id"):
        hints["unknown_manager"] = lambda problem: t("source.unknown_person.hint", value=problem.value)
    return ProvidedTable(raw, files, paths, excluded, problems, hints)


@dataclass
class _FileAccount:
    """The records of one file over every part that reads it: a record is left out only when no
    part takes it, and an unreadable one is rejected once."""

    taken: set[int] = field(default_factory=set)
    left_out: set[int] = field(default_factory=set)
    faulted: set[int] = field(default_factory=set)


def _read_part(converter: PartConverter, account: _FileAccount, staging: StagingFile) -> None:
    """Convert and stage the records of one part's file."""
    file, part, faults, offset = converter.file, converter.part, converter.faults, converter.offset
    seen_records = 0
    try:
        for record in read_records(file, converter.owner_source()):
            if isinstance(record, Unreadable):
                if record.row not in account.faulted:
                    account.faulted.add(record.row)
                    faults.add(offset + record.row, record.code, record.value, owners=(record.owners,),
                               end_row=offset + record.end_row if record.end_row else None, **dict(record.facts))
                continue
            row, values = record
            seen_records += 1
            if file.format != "jsonl" and converter.chosen is None:
                converter.chosen = converter.choose_columns()
            if not converter.kept(values):
                account.left_out.add(row)
                continue
            account.taken.add(row)
            cells = converter.convert(row, values)
            if cells is not None:
                staging.write(offset + row, cells)
    except SourceFileError as error:
        raise DataError([error.problem]) from None
    if file.format != "jsonl" and converter.chosen is None:
        converter.choose_columns()  # a file of a header alone still needs its columns
    if file.format == "jsonl" and seen_records:
        def seen(key: str) -> bool:
            return key in file.columns or path_head(key) in file.columns

        for column, rule in part.columns.items():
            if rule.column and not rule.optional and not any(seen(c) for c in rule.column):
                raise DataError([converter.missing_column(column, rule)])
        for column in [*part.where, *part.exclude]:
            if not seen(column):
                raise DataError([converter.missing_filter_column(column)])


def _allowed(column) -> object:
    if column is not None and column.allowed:
        return t("source.allowed.list", values=" | ".join(column.allowed))
    return t("source.allowed.any")


def _rows_text(found: Uncovered) -> str:
    shown = ", ".join(str(row % PART_STRIDE) for row in found.rows)
    return shown + (", …" if found.count > len(found.rows) else "")


def _people_without_key(mapping: Mapping, table: str, parts: list[TablePart], people: PeopleIndex | None,
                        files: list[str]) -> list[DataProblem]:
    """A person whose key column (e.g. crm_id) is empty, in a table whose people are found by it:
    their rows cannot be found, so their figures cannot be computed."""
    if people is None:
        return []
    owner = TABLES[table].owner_column
    keys = {part.columns[owner].person for part in parts if owner in part.columns}
    problems = []
    for key in sorted(k for k in keys if k not in (None, "id", "name")):
        if key not in people.columns:
            raise DataError([fatal_problem(
                "missing_column", "managers", "managers", t("source.no_person_column.reason", key=key, table=table),
                t("source.no_person_column.hint", key=key), column=key,
            )])
        for person in people.without(key):
            problems.append(DataProblem(
                table=table, file=" + ".join(files), row=None, column=owner, value=None, code="no_person_key",
                reason=t("source.no_person_key.reason", person=person, key=key, table=table),
                hint=t("source.no_person_key.hint", key=key), fatal=False, manager_ids=[person],
            ))
    return problems


